/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-scenarios.c - whole runs of one connection, checked against
 * the exact state and segment sequences.
 *
 * Each row is a config (one attempt, constant 10 ms delay each way, the
 * rfc9293 profile unless the row says otherwise) plus what the traces must
 * show: the client's and the server's state sequences, the segments put on
 * the wire ("c:" from the client, "s:" from the server, "!" when the link
 * lost it) and the outcome class.  The `list` loss model picks the segment
 * to lose, so every row is exact.  The plugins are loaded from the build
 * tree, as the synack program loads them. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "config.h"
#include "csv.h"
#include "net.h"
#include "registry.h"

static SynackRegistry *registry;

typedef struct {
  const char *path;
  const char *ini;          /* link sections, appended to the base config */
  const char *sets;         /* ';'-separated SECTION.KEY=VALUE overrides, or NULL */
  const char *client;       /* client states, '>'-joined */
  const char *server;       /* server states of the 4-tuple, '>'-joined */
  const char *segments;     /* wire segments, space-joined */
  const char *outcome;      /* the metric that must be 1 */
  double      latency_s;    /* expected handshake latency, or < 0 */
} Scenario;

static const char base_ini[] =
  "[experiment]\n"
  "name = scenario\n"
  "trace = states, segments\n"
  "until = 20m\n"
  "[workload]\n"
  "connections = 1\n"
  "clients = 1\n"
  "hold = 5s\n";

#define LINK_10MS "[link]\ndelay = constant\ndelay.base = 10ms\n"

static const Scenario scenarios[] = {
  { "/scenario/tcp3way/clean-open-close",
    LINK_10MS, NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
  { "/scenario/tcp3way/lost-syn",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = SYN#1\n", NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN! c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 1.020 },
  { "/scenario/tcp3way/lost-syn-ack",
    LINK_10MS "[link.reverse]\nloss = list\nloss.drop = SYN,ACK#1\n", NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    /* at 1.01 s the server's SYN,ACK timer fires just before the client's
     * retransmitted SYN arrives; RFC 9293 answers that duplicate SYN in
     * SYN_RECEIVED with an ACK (it fails the sequence check) */
    "c:SYN s:SYN,ACK! c:SYN s:SYN,ACK s:ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 1.020 },
  { "/scenario/tcp3way/lost-final-ack",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = ACK#1\n", NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    /* the lost ACK carried the request: at 1.01 s the server resends its
     * SYN,ACK; at 1.02 s the client's RTO resends the request, then it
     * answers the duplicate SYN,ACK with an ACK */
    "c:SYN s:SYN,ACK c:ACK! s:SYN,ACK c:ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
  { "/scenario/tcp3way/lost-fin",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = FIN,ACK#1\n", NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK! c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
  { "/scenario/tcp3way/lost-last-ack",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = ACK#2\n", NULL,
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK! s:FIN,ACK c:ACK",
    "established", 0.020 },
  { "/scenario/tcp3way/simultaneous-close",
    LINK_10MS, "workload.closer=simultaneous",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED",
    "c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK s:FIN,ACK s:ACK c:ACK",
    "established", 0.020 },
  { "/scenario/tcp3way/server-closes",
    LINK_10MS, "workload.closer=server",
    "CLOSED>SYN_SENT>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "c:SYN s:SYN,ACK c:ACK s:ACK s:FIN,ACK c:ACK c:FIN,ACK s:ACK",
    "established", 0.020 },
  /* simultaneous close while the server is still in SYN_RECEIVED (the
   * final ACK with the request lost): a server application closes only
   * what it has accepted (accept(2) returns established connections), so
   * its close waits for ESTABLISHED and the attempt is established, not
   * half-open.  The client's FIN waits for the request before it (RFC 9293
   * §3.10.7.4, in-order processing) */
  { "/scenario/tcp3way/simultaneous-close-before-accept",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = ACK#1\n",
    "workload.closer=simultaneous;workload.hold=100ms",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>CLOSING>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "c:SYN s:SYN,ACK c:ACK! c:FIN,ACK s:ACK s:FIN,ACK c:ACK c:FIN,ACK s:ACK",
    "established", 0.020 },
  /* an old duplicate SYN, 30 s late, after the connection is gone: the
   * server answers it with a SYN,ACK, the client's host RSTs that, the
   * server goes back to LISTEN: no second connection */
  { "/scenario/tcp3way/old-duplicate-syn",
    LINK_10MS "[link.forward]\nduplicate = 1\nduplicate.lag = 30s\n", "tcp.time_wait=1s",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED>SYN_RECEIVED>LISTEN",
    /* 30 s later every forward segment comes again: the SYN gets a SYN,ACK
     * that the client host RSTs; the rest reach no connection and get RSTs
     * that are never answered */
    "c:SYN s:SYN,ACK c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK s:SYN,ACK c:RST s:RST s:RST s:RST",
    "established", 0.020 },
  /* the same old duplicate in the 2-way handshake opens a ghost connection */
  { "/scenario/tcp2way/old-duplicate-syn",
    LINK_10MS "[link.forward]\nduplicate = 1\nduplicate.lag = 30s\n",
    "experiment.protocol=tcp2way;tcp.time_wait=1s",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED>ESTABLISHED>CLOSED",
    "c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK s:ACK c:RST s:RST s:RST",
    "ghost", 0.020 },
  { "/scenario/tcp2way/clean-open-close",
    LINK_10MS, "experiment.protocol=tcp2way",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
  /* every ACK of the server lost and no retransmission: the server holds a
   * connection the client gave up on */
  { "/scenario/tcp2way/half-open",
    LINK_10MS "[link.reverse]\nloss = bernoulli\nloss.p = 1\nloss.only = ACK\n",
    "experiment.protocol=tcp2way;tcp.syn_retries=0",
    "CLOSED>SYN_SENT>CLOSED",
    "LISTEN>ESTABLISHED",
    "c:SYN s:ACK!",
    "half_open", -1 },
  /* executed twice and never established at the client: the classes are
   * checked in order (README "Outcome classes"), and half_open comes
   * before duplicate, so this attempt is half_open, not duplicate */
  { "/scenario/tcp2way/half-open-executed-twice",
    LINK_10MS "[link.reverse]\nloss = bernoulli\nloss.p = 1\nloss.only = ACK\n",
    "experiment.protocol=tcp2way;tcp.syn_retries=1",
    "CLOSED>SYN_SENT>CLOSED",
    "LISTEN>ESTABLISHED>ESTABLISHED",
    "c:SYN s:ACK! c:SYN s:ACK!",
    "half_open", -1 },
  /* with retransmissions the server executes the request once per SYN */
  { "/scenario/tcp2way/duplicate-execution",
    LINK_10MS "[link.reverse]\nloss = list\nloss.drop = ACK#1\n", "experiment.protocol=tcp2way",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:ACK! c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "duplicate", 1.020 },
  /* tcp2way-isn, the textbook numbered 2-way handshake (Kurose-Ross
   * req_conn(x) / acc_conn(x)) */
  { "/scenario/tcp2way-isn/clean-open-close",
    LINK_10MS, "experiment.protocol=tcp2way-isn",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
  /* the same lost ACK as /scenario/tcp2way/duplicate-execution: the
   * retransmitted SYN(x) is recognised and re-ACKed, executed once */
  { "/scenario/tcp2way-isn/retransmitted-syn-once",
    LINK_10MS "[link.reverse]\nloss = list\nloss.drop = ACK#1\n",
    "experiment.protocol=tcp2way-isn",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:ACK! c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 1.020 },
  /* an old SYN(x) after the server's side closed (x forgotten): executed
   * again, a ghost, which the client host's RST then closes; the other
   * old segments fail the listener and get RSTs */
  { "/scenario/tcp2way-isn/old-duplicate-syn",
    LINK_10MS "[link.forward]\nduplicate = 1\nduplicate.lag = 30s\n",
    "experiment.protocol=tcp2way-isn;tcp.time_wait=1s",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED>ESTABLISHED>CLOSED",
    "c:SYN s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK s:ACK c:RST s:RST s:RST",
    "ghost", 0.020 },
  /* linux profile, SYN cookies for every SYN (tcp_syncookies 2): the
   * listener keeps nothing, so the lost pure ACK is never repaired by a
   * SYN,ACK retransmission; the request right behind it carries the
   * cookie (cookie_v4_check()) and creates the connection at once */
  { "/scenario/tcp3way/linux-syncookie-lost-final-ack",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = ACK#1\n",
    "experiment.profile=linux;tcp.syncookies=always",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>LISTEN>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:SYN,ACK c:ACK! c:ACK s:ACK c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "syncookies_accepted", 0.020 },
  /* linux profile, the client's FIN lost: the tail loss probe resends it
   * (tcp_schedule_loss_probe()); the connection ends as usual */
  { "/scenario/tcp3way/linux-lost-fin-probe",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = FIN,ACK#1\n",
    "experiment.profile=linux",
    "CLOSED>SYN_SENT>ESTABLISHED>FIN_WAIT_1>FIN_WAIT_2>TIME_WAIT>CLOSED",
    "LISTEN>SYN_RECEIVED>ESTABLISHED>CLOSE_WAIT>LAST_ACK>CLOSED",
    "c:SYN s:SYN,ACK c:ACK c:ACK s:ACK c:FIN,ACK! c:FIN,ACK s:ACK s:FIN,ACK c:ACK",
    "established", 0.020 },
};

/* Request latency (oracle.h): the client's open to the server executing
 * the request, one attempt over the 10 ms link (RTT 20 ms). */
typedef struct {
  Scenario    sc;
  double      request_s;    /* expected request latency */
} RequestScenario;

static const RequestScenario request_scenarios[] = {
  /* the request rides in the third segment: 1.5 RTT */
  { .sc = { .path = "/scenario/request-latency/tcp3way", .ini = LINK_10MS,
            .outcome = "established", .latency_s = 0.020 },
    .request_s = 0.030 },
  /* the request rides in the SYN and is executed on it: 0.5 RTT */
  { .sc = { .path = "/scenario/request-latency/tcp2way", .ini = LINK_10MS,
            .sets = "experiment.protocol=tcp2way", .outcome = "established",
            .latency_s = 0.020 },
    .request_s = 0.010 },
  { .sc = { .path = "/scenario/request-latency/tcp2way-isn", .ini = LINK_10MS,
            .sets = "experiment.protocol=tcp2way-isn", .outcome = "established",
            .latency_s = 0.020 },
    .request_s = 0.010 },
  /* a first TCP Fast Open connection has no cookie: a full handshake */
  { .sc = { .path = "/scenario/request-latency/tcpfastopen-first", .ini = LINK_10MS,
            .sets = "experiment.protocol=tcpfastopen", .outcome = "established",
            .latency_s = 0.020 },
    .request_s = 0.030 },
  /* a lost SYN costs the initial RTO (1 s) before the request is executed */
  { .sc = { .path = "/scenario/request-latency/tcp2way-isn-lost-syn",
            .ini = LINK_10MS "[link.forward]\nloss = list\nloss.drop = SYN#1\n",
            .sets = "experiment.protocol=tcp2way-isn", .outcome = "established",
            .latency_s = 1.020 },
    .request_s = 1.010 },
};

/* TCP Fast Open over several attempts from one client host: uniform
 * arrivals 1 s apart, so the first attempt's handshake (which brings the
 * cookie) is over when the second opens.  The counts and the mean
 * request latency over the attempts. */
typedef struct {
  const char *path;
  const char *ini;
  const char *sets;
  guint64     attempts, established, ghost;
  double      request_mean_s;
} TfoScenario;

#define TFO_SETS "experiment.protocol=tcpfastopen;workload.arrival=uniform;" \
  "workload.rate=1/s;workload.connections=2"

static const TfoScenario tfo_scenarios[] = {
  /* RFC 7413 §3: the first attempt asks for a cookie in a full handshake
   * (request executed at 1.5 RTT = 30 ms), the second is 0-RTT (10 ms) */
  { "/scenario/tcpfastopen/cookie-then-0rtt", LINK_10MS, TFO_SETS, 2, 2, 0, 0.020 },
  /* the second attempt's SYN-data is lost: its plain SYN retransmission
   * at 1 s gets a SYN,ACK for the SYN only, and the data follows with
   * the ACK (Linux tcp_send_syn_data(), tcp_rcv_fastopen_synack()):
   * executed at 1.030 s */
  { "/scenario/tcpfastopen/lost-syn-data",
    LINK_10MS "[link.forward]\nloss = list\nloss.drop = SYN#2\n", TFO_SETS, 2, 2, 0,
    (0.030 + 1.030) / 2 },
  /* every forward segment again 30 s later: the first SYN (a cookie
   * request) only gets a SYN,ACK the client host resets; the second one's
   * SYN-data carries a valid cookie and is executed again: a ghost */
  { "/scenario/tcpfastopen/old-duplicate-syn-data",
    LINK_10MS "[link.forward]\nduplicate = 1\nduplicate.lag = 30s\n",
    TFO_SETS ";tcp.time_wait=1s", 2, 1, 1, 0.020 },
};

typedef struct {
  SynackMetrics m;
  char *client, *server, *segments;
} Outcome;

static char *
state_sequence (SynackCsv *csv, const char *role)
{
  GString *s = g_string_new (NULL);
  int crole = synack_csv_column (csv, "role"), cfrom = synack_csv_column (csv, "from");
  int cto = synack_csv_column (csv, "to"), ccause = synack_csv_column (csv, "cause");

  for (guint r = 0; r < csv->rows->len; r++) {
    const char *from = synack_csv_cell (csv, r, (guint) cfrom);
    const char *to = synack_csv_cell (csv, r, (guint) cto);

    /* from == to is shown only when it is a transition (a 2-way server
     * re-executing a request), not an ignored segment */
    if (strcmp (synack_csv_cell (csv, r, (guint) crole), role) != 0 ||
        (strcmp (from, to) == 0 &&
         g_str_has_prefix (synack_csv_cell (csv, r, (guint) ccause), "ignored")))
      continue;
    if (s->len == 0)
      g_string_append (s, from);
    g_string_append_printf (s, ">%s", to);
  }
  return g_string_free (s, FALSE);
}

static char *
segment_sequence (SynackCsv *csv)
{
  GString *s = g_string_new (NULL);
  int cev = synack_csv_column (csv, "event"), csrc = synack_csv_column (csv, "src");
  int cflags = synack_csv_column (csv, "flags"), cid = synack_csv_column (csv, "id");

  for (guint r = 0; r < csv->rows->len; r++) {
    const char *ev = synack_csv_cell (csv, r, (guint) cev);

    if (strcmp (ev, "send") == 0) {
      g_string_append_printf (s, "%s%s:%s", s->len ? " " : "",
                              g_str_has_prefix (synack_csv_cell (csv, r, (guint) csrc), "0:") ? "s" : "c",
                              synack_csv_cell (csv, r, (guint) cflags));
    } else if (strcmp (ev, "drop") == 0) {
      /* a drop row follows its send row at once */
      g_assert_cmpstr (synack_csv_cell (csv, r, (guint) cid), ==,
                       synack_csv_cell (csv, r - 1, (guint) cid));
      g_string_append_c (s, '!');
    }
  }
  return g_string_free (s, FALSE);
}

static void
run_scenario (const Scenario *sc, Outcome *out)
{
  g_autofree char *text = g_strconcat (base_ini, sc->ini, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = synack_config_load_data (text, "scenario.ini", registry, &error);
  g_auto (GStrv) sets = g_strsplit (sc->sets ? sc->sets : "", ";", -1);
  g_autofree char *dir = g_dir_make_tmp ("synack-scenario-XXXXXX", NULL);
  g_autofree char *states_path = NULL, *segments_path = NULL;
  g_autoptr (SynackCsv) states = NULL;
  g_autoptr (SynackCsv) segments = NULL;
  SynackRunSpec spec;

  g_assert_no_error (error);
  for (guint i = 0; sets[i] && sets[i][0]; i++) {
    synack_config_set (cfg, sets[i], &error);
    g_assert_no_error (error);
  }
  g_assert_true (synack_config_build_run (cfg, 0, &spec, &error));
  spec.seed = 1;
  spec.trace_prefix = g_build_filename (dir, "run", NULL);
  g_assert_true (synack_net_run (&spec, &out->m, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  states_path = g_strconcat (spec.trace_prefix, "-states.csv", NULL);
  segments_path = g_strconcat (spec.trace_prefix, "-segments.csv", NULL);
  synack_run_spec_clear (&spec);
  states = synack_csv_read (states_path, SYNACK_CSV_STRICT, &error);
  g_assert_no_error (error);
  segments = synack_csv_read (segments_path, SYNACK_CSV_STRICT, &error);
  g_assert_no_error (error);
  out->client = state_sequence (states, "client");
  out->server = state_sequence (states, "server");
  out->segments = segment_sequence (segments);
  if (g_test_verbose ())
    g_test_message ("client %s\nserver %s\nsegments %s", out->client, out->server, out->segments);
}

static guint64
outcome_count (const SynackMetrics *m, const char *name)
{
  guint n;
  const SynackMetricColumn *cols = synack_metric_columns (&n);

  for (guint i = 0; i < n; i++)
    if (strcmp (cols[i].name, name) == 0)
      return (guint64) synack_metric_value (m, &cols[i]);
  g_assert_not_reached ();
}

static void
test_scenario (gconstpointer data)
{
  const Scenario *sc = data;
  Outcome o = { 0 };

  run_scenario (sc, &o);
  if (sc->client)
    g_assert_cmpstr (o.client, ==, sc->client);
  if (sc->server)
    g_assert_cmpstr (o.server, ==, sc->server);
  if (sc->segments)
    g_assert_cmpstr (o.segments, ==, sc->segments);
  g_assert_cmpuint (o.m.attempts, ==, 1);
  g_assert_cmpuint (outcome_count (&o.m, sc->outcome), ==, 1);
  if (sc->latency_s >= 0)
    g_assert_cmpfloat_with_epsilon (o.m.handshake_mean_s, sc->latency_s, 1e-9);
  g_free (o.client);
  g_free (o.server);
  g_free (o.segments);
}

static void
test_request_latency (gconstpointer data)
{
  const RequestScenario *rs = data;
  Outcome o = { 0 };

  test_scenario (&rs->sc);
  run_scenario (&rs->sc, &o);
  g_assert_cmpuint (o.m.request_samples, ==, 1);
  g_assert_cmpfloat_with_epsilon (o.m.request_mean_s, rs->request_s, 1e-9);
  g_assert_cmpfloat_with_epsilon (o.m.request_p99_s, rs->request_s, 1e-9);
  g_free (o.client);
  g_free (o.server);
  g_free (o.segments);
}

static void
test_tfo (gconstpointer data)
{
  const TfoScenario *ts = data;
  Scenario sc = { .path = ts->path, .ini = ts->ini, .sets = ts->sets };
  Outcome o = { 0 };

  run_scenario (&sc, &o);
  g_assert_cmpuint (o.m.attempts, ==, ts->attempts);
  g_assert_cmpuint (o.m.established, ==, ts->established);
  g_assert_cmpuint (o.m.ghost, ==, ts->ghost);
  g_assert_cmpuint (o.m.duplicate + o.m.half_open + o.m.failed + o.m.reset, ==, 0);
  g_assert_cmpuint (o.m.request_samples, ==, ts->attempts);
  g_assert_cmpfloat_with_epsilon (o.m.request_mean_s, ts->request_mean_s, 1e-9);
  g_free (o.client);
  g_free (o.server);
  g_free (o.segments);
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  int status;

  g_test_init (&argc, &argv, NULL);
  registry = synack_registry_new ();
  synack_registry_load_path (registry, NULL, errors);
  g_assert_cmpuint (errors->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (scenarios); i++)
    g_test_add_data_func (scenarios[i].path, &scenarios[i], test_scenario);
  for (guint i = 0; i < G_N_ELEMENTS (tfo_scenarios); i++)
    g_test_add_data_func (tfo_scenarios[i].path, &tfo_scenarios[i], test_tfo);
  for (guint i = 0; i < G_N_ELEMENTS (request_scenarios); i++)
    g_test_add_data_func (request_scenarios[i].sc.path, &request_scenarios[i],
                          test_request_latency);
  status = g_test_run ();
  synack_registry_free (registry);
  return status;
}
