/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/tcp.c - state and cause names, the [tcp] parameter table and
 * the profiles.
 *
 * A profile is a short list of (key, value) texts applied over the table's
 * defaults, parsed by the same code that parses a config file, so a profile
 * can never hold a value a user could not write.  The sources of each value
 * are cited beside it. */
#include "tcp.h"
#include "text.h"

#include <string.h>

static const char *const state_names[SYNACK_TCP_N_STATES + 1] = {
  [SYNACK_TCP_CLOSED] = "CLOSED",
  [SYNACK_TCP_LISTEN] = "LISTEN",
  [SYNACK_TCP_SYN_SENT] = "SYN_SENT",
  [SYNACK_TCP_SYN_RECEIVED] = "SYN_RECEIVED",
  [SYNACK_TCP_ESTABLISHED] = "ESTABLISHED",
  [SYNACK_TCP_FIN_WAIT_1] = "FIN_WAIT_1",
  [SYNACK_TCP_FIN_WAIT_2] = "FIN_WAIT_2",
  [SYNACK_TCP_CLOSE_WAIT] = "CLOSE_WAIT",
  [SYNACK_TCP_CLOSING] = "CLOSING",
  [SYNACK_TCP_LAST_ACK] = "LAST_ACK",
  [SYNACK_TCP_TIME_WAIT] = "TIME_WAIT",
  NULL
};

const char *
synack_tcp_state_name (SynackTcpState state)
{
  if ((guint) state >= SYNACK_TCP_N_STATES)
    return "?";
  return state_names[state];
}

const char *
synack_role_name (SynackRole role)
{
  return role == SYNACK_ROLE_CLIENT ? "client" : "server";
}

static const char *const cause_names[SYNACK_CAUSE_N] = {
  [SYNACK_CAUSE_RCV] = "rcv",
  [SYNACK_CAUSE_IGNORED] = "ignored rcv",
  [SYNACK_CAUSE_APP_OPEN] = "app open",
  [SYNACK_CAUSE_APP_CLOSE] = "app close",
  [SYNACK_CAUSE_TIMEOUT] = "timeout",
  [SYNACK_CAUSE_TIME_WAIT] = "time_wait expired",
  [SYNACK_CAUSE_FIN_WAIT_2] = "fin_wait_2 timeout",
  [SYNACK_CAUSE_BACKLOG] = "backlog full",
  [SYNACK_CAUSE_DELIVER] = "deliver SYN data",
  [SYNACK_CAUSE_SYNCOOKIE] = "syncookie sent",
  [SYNACK_CAUSE_SYNCOOKIE_ACK] = "rcv syncookie ACK",
};

const char *
synack_cause_name (SynackCause cause)
{
  if ((guint) cause >= SYNACK_CAUSE_N)
    return "?";
  return cause_names[cause];
}

static const char *const isn_names[] = { "random", "rfc6528", "zero", NULL };

const char *
synack_isn_mode_name (SynackIsnMode mode)
{
  return (guint) mode < G_N_ELEMENTS (isn_names) - 1 ? isn_names[mode] : "?";
}

gboolean
synack_isn_mode_parse (const char *name, SynackIsnMode *mode)
{
  guint i;

  if (!synack_text_index (isn_names, name, &i))
    return FALSE;
  *mode = (SynackIsnMode) i;
  return TRUE;
}

static const char *const syncookies_names[] = { "off", "overflow", "always",
                                                NULL };

const char *
synack_syncookies_name (SynackSyncookies mode)
{
  return (guint) mode < G_N_ELEMENTS (syncookies_names) - 1
             ? syncookies_names[mode]
             : "?";
}

gboolean
synack_syncookies_parse (const char *name, SynackSyncookies *mode)
{
  guint i;

  if (!synack_text_index (syncookies_names, name, &i))
    return FALSE;
  *mode = (SynackSyncookies) i;
  return TRUE;
}

static const char *const rto_estimator_names[] = { "rfc6298", "linux", NULL };

const char *
synack_rto_estimator_name (SynackRtoEstimator e)
{
  return (guint) e < G_N_ELEMENTS (rto_estimator_names) - 1
             ? rto_estimator_names[e]
             : "?";
}

gboolean
synack_rto_estimator_parse (const char *name, SynackRtoEstimator *e)
{
  guint i;

  if (!synack_text_index (rto_estimator_names, name, &i))
    return FALSE;
  *e = (SynackRtoEstimator) i;
  return TRUE;
}

/* Defaults are the rfc9293 profile, so the table alone is a complete,
 * standards-following configuration. */
static const SynackParamSpec tcp_specs[] = {
  { "rto_initial", SYNACK_PARAM_DURATION, "1s", "s",
    "first SYN and SYN,ACK retransmission timeout (RFC 6298 2.1)", 0, 0, NULL },
  { "rto_min", SYNACK_PARAM_DURATION, "1s", "s",
    "floor of the RTO computed from RTT samples (RFC 6298 2.4; Linux "
    "TCP_RTO_MIN 200ms)",
    0, 0, NULL },
  { "rto_max", SYNACK_PARAM_DURATION, "60s", "s",
    "ceiling of any backed-off timeout (RFC 6298 2.5)", 0, 0, NULL },
  { "rto_backoff", SYNACK_PARAM_DOUBLE, "2", "",
    "timeout multiplier after each expiry (RFC 6298 5.5)", 1, 16, NULL },
  { "syn_retries", SYNACK_PARAM_UINT, "7", "",
    "SYN retransmissions before the client gives up (RFC 9293 3.8.3: R2 >= 3 "
    "min)",
    0, 1000, NULL },
  { "syn_linear_timeouts", SYNACK_PARAM_UINT, "0", "",
    "first N SYN retransmissions at rto_initial without backoff (Linux "
    "tcp_syn_linear_timeouts)",
    0, 1000, NULL },
  { "synack_retries", SYNACK_PARAM_UINT, "7", "",
    "SYN,ACK retransmissions before the server drops the half-open connection",
    0, 1000, NULL },
  { "fin_retries", SYNACK_PARAM_UINT, "6", "",
    "FIN retransmissions before aborting (RFC 9293 3.8.3: R2 >= 100 s)", 0,
    1000, NULL },
  { "msl", SYNACK_PARAM_DURATION, "2m", "s",
    "maximum segment lifetime (RFC 9293 3.4.2)", 0, 0, NULL },
  { "time_wait", SYNACK_PARAM_DURATION, "4m", "s",
    "time spent in TIME_WAIT (2 x MSL in RFC 9293; Linux TCP_TIMEWAIT_LEN 60s)",
    0, 0, NULL },
  { "fin_wait2_timeout", SYNACK_PARAM_DURATION, "0s", "s",
    "FIN_WAIT_2 timeout for a closed socket, 0s = none (Linux tcp_fin_timeout)",
    0, 0, NULL },
  { "isn", SYNACK_PARAM_CHOICE, "rfc6528", "",
    "initial sequence numbers: random, rfc6528 (clock + keyed hash), zero", 0,
    0, "random|rfc6528|zero" },
  { "backlog", SYNACK_PARAM_UINT, "0", "",
    "most server connections in SYN_RECEIVED at once, 0 = unlimited", 0, 1e9,
    NULL },
  { "synack_on_dup_syn", SYNACK_PARAM_BOOLEAN, "false", "",
    "SYN_RECEIVED answers a retransmitted SYN with a SYN,ACK (Linux) instead "
    "of an ACK (RFC 9293 3.10.7.4)",
    0, 0, NULL },
  { "syncookies", SYNACK_PARAM_CHOICE, "off", "",
    "SYN cookies when the SYN queue is full (overflow) or always (RFC 4987 "
    "3.6; Linux tcp_syncookies, cookie_v4_check)",
    0, 0, "off|overflow|always" },
  { "max_syn_backlog", SYNACK_PARAM_UINT, "0", "",
    "without cookies, SYNs from unproven peers are dropped once fewer than a "
    "quarter of this many request slots are free, 0 = never (Linux "
    "tcp_max_syn_backlog, tcp_conn_request)",
    0, 1e9, NULL },
  { "syn_queue_prune", SYNACK_PARAM_BOOLEAN, "false", "",
    "once the SYN queue is more than half full, old requests get fewer SYN,ACK "
    "retries, down to 2 (Linux reqsk_timer_handler)",
    0, 0, NULL },
  { "timestamps", SYNACK_PARAM_BOOLEAN, "false", "",
    "TCP timestamps: RTT samples from the echoed TSval, also after "
    "retransmissions (RFC 7323; Linux tcp_timestamps)",
    0, 0, NULL },
  { "rto_estimator", SYNACK_PARAM_CHOICE, "rfc6298", "",
    "RTO from an RTT sample R: rfc6298 max(rto_min, 3R), linux R + max(2R, "
    "rto_min) (tcp_rtt_estimator, tcp_set_rto)",
    0, 0, "rfc6298|linux" },
  { "tlp", SYNACK_PARAM_BOOLEAN, "false", "",
    "tail loss probe: one unbacked-off retransmission min(2 SRTT + 200ms, RTO) "
    "after the last segment (RFC 8985 7; Linux tcp_schedule_loss_probe)",
    0, 0, NULL },
  { "metrics_cache", SYNACK_PARAM_BOOLEAN, "false", "",
    "per (client, server) RTT cache seeding a connection's first RTO and "
    "proving peers (Linux tcp_metrics.c, tcp_no_metrics_save = 0)",
    0, 0, NULL },
  { "orphan_time_budget", SYNACK_PARAM_BOOLEAN, "false", "",
    "fin_retries is a time budget, as if backed off from rto_min, not a count "
    "(Linux retransmits_timed_out)",
    0, 0, NULL },
  { "time_wait_ack_restart", SYNACK_PARAM_BOOLEAN, "false", "",
    "TIME_WAIT restarts on any ACK, not only on a FIN (Linux "
    "tcp_timewait_state_process)",
    0, 0, NULL },
  { "ack_unsent_drop", SYNACK_PARAM_BOOLEAN, "false", "",
    "ESTABLISHED drops an ACK of unsent data silently instead of ACKing it "
    "(Linux tcp_ack)",
    0, 0, NULL },
  { "syn_recv_reset", SYNACK_PARAM_BOOLEAN, "false", "",
    "an in-window SYN (answered by a RST) or RST ends a request in "
    "SYN_RECEIVED (Linux tcp_check_req)",
    0, 0, NULL },
  { "invalid_ratelimit", SYNACK_PARAM_DURATION, "0s", "s",
    "at most one challenge ACK or duplicate ACK to an invalid segment per this "
    "time per connection, 0s = no limit (Linux tcp_invalid_ratelimit)",
    0, 0, NULL },
  { "challenge_ack_limit", SYNACK_PARAM_UINT, "0", "",
    "at most this many challenge ACKs per host per second, 0 = no limit (Linux "
    "tcp_challenge_ack_limit: 1000 before 6.0, unlimited since)",
    0, 1e9, NULL },
  { "request_in_ack", SYNACK_PARAM_BOOLEAN, "true", "",
    "the request rides on the handshake's final ACK (the note); false: a pure "
    "ACK, then the request (Linux)",
    0, 0, NULL },
  { "window", SYNACK_PARAM_UINT, "65535", "bytes", "advertised receive window",
    1, 65535, NULL },
  { "server_port", SYNACK_PARAM_UINT, "80", "", "port the server listens on", 1,
    65535, NULL },
  { NULL }
};

const SynackParamSpec *
synack_tcp_param_specs (void)
{
  return tcp_specs;
}

typedef struct {
  const char *name;
  const char *const *overrides;   /* key, value, key, value, ..., NULL */
} Profile;

static const char *const rfc9293_overrides[] = { NULL };

/* Linux 6.x (Documentation/networking/ip-sysctl.rst; include/net/tcp.h):
 * TCP_TIMEOUT_INIT 1 s, TCP_RTO_MIN 200 ms, TCP_RTO_MAX 120 s,
 * tcp_syn_retries 6, tcp_syn_linear_timeouts 4, tcp_synack_retries 5,
 * tcp_orphan_retries 0 (meaning 8 for FIN), TCP_TIMEWAIT_LEN 60 s,
 * tcp_fin_timeout 60 s, ISN = keyed hash + ns clock >> 6 (secure_tcp_seq),
 * and tcp_check_req() answering a retransmitted SYN with a SYN,ACK
 * (inet_rtx_syn_ack).  The SYN backlog is min(listen backlog,
 * net.core.somaxconn = 4096).  Then what issue 10 added, each a key off in
 * the other profiles: tcp_syncookies 1, tcp_max_syn_backlog (4096 here; the
 * kernel scales it with memory, at least 128), reqsk_timer_handler()'s
 * pruning, tcp_timestamps 1, tcp_set_rto()'s formula, tcp_early_retrans 3
 * (TLP), tcp_no_metrics_save 0, retransmits_timed_out() for orphans,
 * tcp_timewait_state_process()'s restart on ACK, tcp_ack()'s silent drop of
 * an ACK of unsent data, tcp_check_req()'s embryonic reset,
 * tcp_invalid_ratelimit 500 ms, and a connect() that completes with a pure
 * ACK before the application writes. */
static const char *const linux_overrides[] = {
  "rto_min", "200ms",
  "rto_max", "120s",
  "syn_retries", "6",
  "syn_linear_timeouts", "4",
  "synack_retries", "5",
  "fin_retries", "8",
  "msl", "30s",
  "time_wait", "60s",
  "fin_wait2_timeout", "60s",
  "backlog", "4096",
  "synack_on_dup_syn", "true",
  "syncookies", "overflow",
  "max_syn_backlog", "4096",
  "syn_queue_prune", "true",
  "timestamps", "true",
  "rto_estimator", "linux",
  "tlp", "true",
  "metrics_cache", "true",
  "orphan_time_budget", "true",
  "time_wait_ack_restart", "true",
  "ack_unsent_drop", "true",
  "syn_recv_reset", "true",
  "invalid_ratelimit", "500ms",
  "request_in_ack", "false",
  NULL
};

/* RFC 1122 4.2.3.1 and RFC 2988 (initial RTO 3 s, backoff x2), the setting
 * of Cardwell, Savage and Anderson's handshake latency model (INFOCOM 2000). */
static const char *const rfc2988_overrides[] = {
  "rto_initial", "3s",
  "rto_max", "64s",
  "syn_retries", "5",
  "synack_retries", "5",
  "fin_retries", "8",
  "isn", "random",
  NULL
};

static const Profile profiles[] = {
  /* RFC 9293 + RFC 6298: RTO 1 s x2 up to 60 s, TIME_WAIT 2 x MSL = 4 min */
  { "rfc9293", rfc9293_overrides },
  /* Linux 6.x defaults: SYN RTO 1 s, 4 linear SYN retries, RTO floor
   * 200 ms, TIME_WAIT 60 s */
  { "linux", linux_overrides },
  /* RFC 1122 / RFC 2988: initial RTO 3 s x2 (Cardwell-Savage-Anderson
   * model) */
  { "rfc2988", rfc2988_overrides },
};

static const char *const profile_names[] = { "rfc9293", "linux", "rfc2988",
                                             NULL };

const char *const *
synack_tcp_profile_names (void)
{
  return profile_names;
}

static const Profile *
find_profile (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (profiles); i++)
    if (g_strcmp0 (name, profiles[i].name) == 0)
      return &profiles[i];
  return NULL;
}

SynackParams *
synack_tcp_profile_params (const char *name)
{
  const Profile *p = find_profile (name);
  SynackParams *params;

  if (p == NULL)
    return NULL;
  params = synack_params_new (tcp_specs);
  for (guint i = 0; p->overrides[i] != NULL; i += 2) {
    g_autoptr (GError) error = NULL;

    /* a profile value that does not parse is a bug in this file */
    if (!synack_params_set (params, p->overrides[i], p->overrides[i + 1],
                            &error))
      g_error ("profile %s: %s: %s", name, p->overrides[i], error->message);
  }
  return params;
}

void
synack_tcp_config_from_params (SynackTcpConfig *cfg, const SynackParams *params)
{
  memset (cfg, 0, sizeof *cfg);
  cfg->rto_initial_ns = synack_params_get_duration (params, "rto_initial");
  cfg->rto_min_ns = synack_params_get_duration (params, "rto_min");
  cfg->rto_max_ns = synack_params_get_duration (params, "rto_max");
  cfg->rto_backoff = synack_params_get_double (params, "rto_backoff");
  cfg->syn_retries = synack_params_get_uint (params, "syn_retries");
  cfg->syn_linear_timeouts =
      synack_params_get_uint (params, "syn_linear_timeouts");
  cfg->synack_retries = synack_params_get_uint (params, "synack_retries");
  cfg->fin_retries = synack_params_get_uint (params, "fin_retries");
  cfg->msl_ns = synack_params_get_duration (params, "msl");
  cfg->time_wait_ns = synack_params_get_duration (params, "time_wait");
  cfg->fin_wait2_timeout_ns =
      synack_params_get_duration (params, "fin_wait2_timeout");
  synack_isn_mode_parse (synack_params_get_string (params, "isn"), &cfg->isn);
  cfg->backlog = synack_params_get_uint (params, "backlog");
  cfg->synack_on_dup_syn =
      synack_params_get_boolean (params, "synack_on_dup_syn");
  synack_syncookies_parse (synack_params_get_string (params, "syncookies"),
                           &cfg->syncookies);
  cfg->max_syn_backlog = synack_params_get_uint (params, "max_syn_backlog");
  cfg->syn_queue_prune = synack_params_get_boolean (params, "syn_queue_prune");
  cfg->timestamps = synack_params_get_boolean (params, "timestamps");
  synack_rto_estimator_parse (synack_params_get_string (params,
                                                        "rto_estimator"),
                              &cfg->rto_estimator);
  cfg->tlp = synack_params_get_boolean (params, "tlp");
  cfg->metrics_cache = synack_params_get_boolean (params, "metrics_cache");
  cfg->orphan_time_budget =
      synack_params_get_boolean (params, "orphan_time_budget");
  cfg->time_wait_ack_restart =
      synack_params_get_boolean (params, "time_wait_ack_restart");
  cfg->ack_unsent_drop = synack_params_get_boolean (params, "ack_unsent_drop");
  cfg->syn_recv_reset = synack_params_get_boolean (params, "syn_recv_reset");
  cfg->invalid_ratelimit_ns =
      synack_params_get_duration (params, "invalid_ratelimit");
  cfg->challenge_ack_limit =
      synack_params_get_uint (params, "challenge_ack_limit");
  cfg->request_in_ack = synack_params_get_boolean (params, "request_in_ack");
  cfg->window = synack_params_get_uint (params, "window");
  cfg->server_port = synack_params_get_uint (params, "server_port");
  cfg->request_bytes = 100;
}
