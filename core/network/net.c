/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/net.c - one simulation run (see net.h).
 *
 * The world: host 0 is the server, hosts 1..clients are client hosts; each
 * client host has a forward link (to the server) and a reverse link (from
 * it), each with its own loss and delay model instances and RNG streams, so
 * segments of different pairs never share randomness.  A segment in flight
 * lives in a pool slot; its delivery is one scheduler event whose user data
 * is the slot index.  The pool and the scheduler only grow to the peak
 * population, so a run does no malloc per segment or per event.
 *
 * The workload opens attempts one arrival at a time (one pending arrival
 * event, whatever the number of attempts), picks the client host round-robin
 * and, on it, the next free ephemeral port round-robin.  It closes
 * connections as [workload] closer says: the active closer after `hold` in
 * ESTABLISHED, the passive side as soon as it sees the peer's FIN
 * (CLOSE_WAIT), as a server that reads EOF does.
 *
 * Everything a run does is reported through state_changed() and
 * link_send(): the traces, the occupancy counts and the outcome oracle all
 * hang off those two functions. */
#include "net.h"

#include <math.h>
#include <string.h>

#include "oracle.h"
#include "pcap.h"
#include "text.h"
#include "trace.h"

G_DEFINE_QUARK (synack-net-error-quark, synack_net_error)

/* ---- the run spec ---------------------------------------------------------------- */

static const char *const arrival_names[] = { "poisson", "uniform", "burst", NULL };
static const char *const closer_names[] = { "client", "server", "simultaneous", "none", NULL };

const char *const *
synack_arrival_names (void)
{
  return arrival_names;
}

const char *const *
synack_closer_names (void)
{
  return closer_names;
}

const char *
synack_arrival_name (SynackArrival a)
{
  return (guint) a < G_N_ELEMENTS (arrival_names) - 1 ? arrival_names[a] : "?";
}

gboolean
synack_arrival_parse (const char *name, SynackArrival *a)
{
  guint i;

  if (!synack_text_index (arrival_names, name, &i))
    return FALSE;
  *a = (SynackArrival) i;
  return TRUE;
}

const char *
synack_closer_name (SynackCloser c)
{
  return (guint) c < G_N_ELEMENTS (closer_names) - 1 ? closer_names[c] : "?";
}

gboolean
synack_closer_parse (const char *name, SynackCloser *c)
{
  guint i;

  if (!synack_text_index (closer_names, name, &i))
    return FALSE;
  *c = (SynackCloser) i;
  return TRUE;
}

void
synack_link_spec_clear (SynackLinkSpec *link)
{
  g_clear_pointer (&link->loss_params, synack_params_free);
  g_clear_pointer (&link->delay_params, synack_params_free);
}

void
synack_run_spec_clear (SynackRunSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->protocol_params, synack_params_free);
  synack_link_spec_clear (&spec->forward);
  synack_link_spec_clear (&spec->reverse);
  g_clear_pointer (&spec->trace_prefix, g_free);
  memset (spec, 0, sizeof *spec);
}

static SynackParams *
params_copy_or_null (const SynackParams *params)
{
  return params != NULL ? synack_params_copy (params) : NULL;
}

void
synack_run_spec_copy (SynackRunSpec *dst, const SynackRunSpec *src)
{
  g_return_if_fail (dst != NULL && src != NULL && dst != src);

  *dst = *src;
  dst->protocol_params = params_copy_or_null (src->protocol_params);
  dst->forward.loss_params = params_copy_or_null (src->forward.loss_params);
  dst->forward.delay_params = params_copy_or_null (src->forward.delay_params);
  dst->reverse.loss_params = params_copy_or_null (src->reverse.loss_params);
  dst->reverse.delay_params = params_copy_or_null (src->reverse.delay_params);
  dst->trace_prefix = g_strdup (src->trace_prefix);
}


typedef struct {
  gpointer loss;
  gpointer delay;
  SynackTime last_arrival;   /* for FIFO links: latest arrival scheduled */
  SynackRng *loss_rng;
  SynackRng *delay_rng;
  SynackRng *dup_rng;
} Link;

typedef struct {
  SynackSegment seg;
  guint32       id;         /* segment number in the traces */
  guint32       next_free;  /* free-list link, index + 1 */
} InFlight;

typedef struct {
  const SynackRunSpec *spec;
  SynackSched   *sched;
  SynackProtocolEnv env;
  gpointer       proto;
  const SynackProtocolVtable *pvt;
  SynackRng     *proto_rng;
  Link          *forward;   /* [client - 1] */
  Link          *reverse;
  SynackRng     *arrival_rng;
  SynackRng     *flood_rng;
  guint32        n_hosts;   /* clients + flood hosts: the protocol's n_clients */
  /* segments in flight */
  InFlight      *pool;
  guint32        pool_len, pool_cap, pool_free;
  guint64        in_flight;
  guint32        next_segment_id;
  guint64        sent[2], lost[2];  /* by direction: 0 forward, 1 reverse */
  /* budget */
  guint64        max_events, max_in_flight;
  const char    *over_budget;      /* what ran out, or NULL */
  /* workload */
  guint64        next_conn;        /* next attempt id to open */
  guint16       *port_cursor;      /* [client - 1]: next port index to try */
  guint32       *ports_busy;       /* [client - 1]: its ports not CLOSED */
  /* bookkeeping */
  SynackOracle  *oracle;
  SynackMetrics *m;
  gint64         occupancy[SYNACK_TCP_N_STATES];
  /* traces (NULL when off) */
  SynackTrace   *states;
  SynackTrace   *segments;
  SynackTrace   *pcap;
  SynackTrace   *occ;
} Net;

/* ---- traces -------------------------------------------------------------------- */

static void
put_flags (SynackTrace *t, guint16 flags, const char *prefix)
{
  char buf[SYNACK_FLAGS_FORMAT_SIZE];
  gboolean quote;

  synack_flags_format (flags, buf);
  quote = strchr (buf, ',') != NULL;
  if (quote)
    synack_trace_put_char (t, '"');
  if (prefix != NULL)
    synack_trace_put_str (t, prefix);
  synack_trace_put_str (t, buf);
  if (quote)
    synack_trace_put_char (t, '"');
}

static void
trace_state (Net *net, const SynackStateChange *chg, SynackTime now)
{
  SynackTrace *t = net->states;

  synack_trace_put_time (t, now);
  synack_trace_comma (t);
  synack_trace_put_uint (t, chg->conn);
  synack_trace_comma (t);
  synack_trace_put_uint (t, chg->role == SYNACK_ROLE_CLIENT ? chg->client : 0);
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_role_name (chg->role));
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_tcp_state_name (chg->from));
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_tcp_state_name (chg->to));
  synack_trace_comma (t);
  if ((chg->cause == SYNACK_CAUSE_RCV || chg->cause == SYNACK_CAUSE_IGNORED) && chg->seg) {
    const char *prefix = chg->cause == SYNACK_CAUSE_RCV ? "rcv " : "ignored rcv ";

    put_flags (t, chg->seg->flags, prefix);
  } else {
    synack_trace_put_str (t, synack_cause_name (chg->cause));
  }
  synack_trace_end_row (t);
}

static void
put_endpoint (SynackTrace *t, guint32 host, guint16 port)
{
  synack_trace_put_uint (t, host);
  synack_trace_put_char (t, ':');
  synack_trace_put_uint (t, port);
}

static void
trace_segment (Net *net, SynackTime now, const char *event, const SynackSegment *seg,
               guint32 id)
{
  SynackTrace *t = net->segments;

  synack_trace_put_time (t, now);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->conn);
  synack_trace_comma (t);
  put_endpoint (t, seg->src_host, seg->src_port);
  synack_trace_comma (t);
  put_endpoint (t, seg->dst_host, seg->dst_port);
  synack_trace_comma (t);
  synack_trace_put_str (t, event);
  synack_trace_comma (t);
  put_flags (t, seg->flags, NULL);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->seq);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->ack);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->len_bytes);
  synack_trace_comma (t);
  synack_trace_put_uint (t, id);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->retrans);
  synack_trace_end_row (t);
}

/* ---- links ---------------------------------------------------------------------- */

static guint32
pool_take (Net *net)
{
  guint32 i;

  net->in_flight++;
  if (net->pool_free != 0) {
    i = net->pool_free - 1;
    net->pool_free = net->pool[i].next_free;
    return i;
  }
  if (net->pool_len == net->pool_cap) {
    net->pool_cap = MAX (1024u, net->pool_cap * 2);
    net->pool = g_renew (InFlight, net->pool, net->pool_cap);
  }
  return net->pool_len++;
}

static void
pool_give (Net *net, guint32 i)
{
  net->pool[i].next_free = net->pool_free;
  net->pool_free = i + 1;
  net->in_flight--;
}

/* Stops the run when it has used its budget: a runaway exchange (two ends
 * answering each other's unacceptable segments, multiplied by link
 * duplication) must fail its run, never eat the machine. */
static gboolean
within_budget (Net *net)
{
  if (G_UNLIKELY (net->over_budget != NULL))
    return FALSE;
  if (G_UNLIKELY (net->in_flight >= net->max_in_flight))
    net->over_budget = "max_in_flight";
  else if (G_UNLIKELY (synack_sched_events_run (net->sched) >= net->max_events))
    net->over_budget = "max_events";
  else
    return TRUE;
  synack_sched_stop (net->sched);
  return FALSE;
}

static void
deliver (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);
  guint32 i = GPOINTER_TO_UINT (user_data);
  SynackSegment seg = net->pool[i].seg;   /* copy: the slot is reused below */
  guint32 id = net->pool[i].id;

  pool_give (net, i);
  if (net->segments)
    trace_segment (net, now, "deliver", &seg, id);
  net->pvt->receive (net->proto, &seg, now);
  synack_oracle_release (net->oracle, seg.conn);
}

static gboolean
loss_eligible (const SynackLinkSpec *ls, guint16 flags)
{
  if (ls->n_only == 0)
    return TRUE;
  for (guint i = 0; i < ls->n_only; i++)
    if (ls->only_flags[i] == flags)
      return TRUE;
  return FALSE;
}

/* A FIFO link holds a segment back until the one sent before it has
 * arrived; with equal times the scheduler keeps their order. */
static void
schedule_delivery (Net *net, Link *link, gboolean reorder, const SynackSegment *seg,
                   SynackTime delay, guint32 id)
{
  guint32 i;
  SynackTime at;

  if (!within_budget (net))
    return;
  /* models clamp their random part; this keeps a sum of them in range */
  at = synack_sched_now (net->sched) + MIN (delay, 2 * SYNACK_TIME_MAX_DURATION);
  i = pool_take (net);

  if (!reorder) {
    at = MAX (at, link->last_arrival);
    link->last_arrival = at;
  }
  net->pool[i].seg = *seg;
  net->pool[i].id = id;
  /* the attempt may hear of it still: its record stays until delivery */
  synack_oracle_hold (net->oracle, seg->conn);
  synack_sched_at (net->sched, at, deliver, GUINT_TO_POINTER (i), NULL);
}

static void
count_sent (SynackMetrics *m, const SynackSegment *seg)
{
  guint16 f = seg->flags;

  m->segments_sent++;
  if ((f & (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) == SYNACK_FLAG_SYN) {
    m->syn_sent++;
    m->syn_retransmits += seg->retrans > 0;
  } else if ((f & (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) == (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) {
    m->synack_sent++;
  }
  if (f & SYNACK_FLAG_RST)
    m->rst_sent++;
  if (f & SYNACK_FLAG_FIN) {
    m->fin_sent++;
    m->fin_retransmits += seg->retrans > 0;
  }
}

static void
link_send (gpointer data, const SynackSegment *in)
{
  Net *net = data;
  SynackTime now = synack_sched_now (net->sched);
  gboolean to_server = in->dst_host == 0;
  guint32 client = to_server ? in->src_host : in->dst_host;
  const SynackLinkSpec *ls = to_server ? &net->spec->forward : &net->spec->reverse;
  const SynackPluginDesc *loss = ls->loss, *delay = ls->delay;
  Link *link;
  SynackSegment seg = *in;
  guint32 id = ++net->next_segment_id;

  g_return_if_fail (client >= 1 && client <= net->n_hosts);
  seg.copy = 0;
  count_sent (net->m, &seg);
  if (net->pcap)
    synack_pcap_write_segment (net->pcap, now, &seg);
  if (net->segments)
    trace_segment (net, now, "send", &seg, id);
  /* flood hosts are spoofed addresses: what is sent to them goes nowhere */
  if (client > net->spec->clients && !to_server)
    return;
  link = to_server ? &net->forward[client - 1] : &net->reverse[client - 1];
  net->sent[!to_server]++;

  /* the loss model sees every segment, so counting and bursty models keep
   * their state; loss.only decides which of its verdicts apply */
  if (loss->vt.loss->drop (link->loss, &seg, now) && loss_eligible (ls, seg.flags)) {
    net->m->segments_lost++;
    net->lost[!to_server]++;
    if (net->segments)
      trace_segment (net, now, "drop", &seg, id);
    return;
  }
  schedule_delivery (net, link, ls->reorder, &seg,
                     delay->vt.delay->sample (link->delay, &seg, now), id);

  if (ls->duplicate > 0 && synack_rng_uniform (link->dup_rng) < ls->duplicate) {
    guint32 copy_id = ++net->next_segment_id;
    SynackTime lag = delay->vt.delay->sample (link->delay, &seg, now) + ls->duplicate_lag_ns;

    seg.copy = 1;
    if (net->segments)
      trace_segment (net, now, "duplicate", &seg, copy_id);
    /* the copy is a stray: it never holds the link's order back */
    schedule_delivery (net, link, TRUE, &seg, lag, copy_id);
  }
}

/* A model's create() returned NULL: pass its error on, prefixed with
 * @where (the config key and the plugin's name).  A plugin that fails
 * without saying why still gets a message: never FALSE without an error. */
static void
create_failed (GError **error, GError *sub, const char *where)
{
  if (sub != NULL)
    g_propagate_prefixed_error (error, sub, "%s: ", where);
  else
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_MODEL,
                 "%s: create() failed without saying why (a bug in the plugin)", where);
}

static gboolean
link_init (Net *net, Link *link, const SynackLinkSpec *ls, const char *dir, guint32 client,
           GError **error)
{
  char name[64];
  GError *sub = NULL;

  g_snprintf (name, sizeof name, "link.%s.%u.loss", dir, client);
  link->loss_rng = synack_rng_new (net->spec->seed, name);
  g_snprintf (name, sizeof name, "link.%s.%u.delay", dir, client);
  link->delay_rng = synack_rng_new (net->spec->seed, name);
  g_snprintf (name, sizeof name, "link.%s.%u.duplicate", dir, client);
  link->dup_rng = synack_rng_new (net->spec->seed, name);
  link->loss = ls->loss->vt.loss->create (ls->loss_params, link->loss_rng, &sub);
  if (link->loss == NULL) {
    g_autofree char *where = g_strdup_printf ("[link.%s] loss %s", dir, ls->loss->name);

    create_failed (error, sub, where);
    return FALSE;
  }
  link->delay = ls->delay->vt.delay->create (ls->delay_params, link->delay_rng, &sub);
  if (link->delay == NULL) {
    g_autofree char *where = g_strdup_printf ("[link.%s] delay %s", dir, ls->delay->name);

    create_failed (error, sub, where);
    return FALSE;
  }
  return TRUE;
}

static void
link_clear (Link *link, const SynackLinkSpec *ls)
{
  if (link->loss)
    ls->loss->vt.loss->destroy (link->loss);
  if (link->delay)
    ls->delay->vt.delay->destroy (link->delay);
  synack_rng_free (link->loss_rng);
  synack_rng_free (link->delay_rng);
  synack_rng_free (link->dup_rng);
}

/* ---- workload ----------------------------------------------------------------- */

/* Close events carry (attempt << 1 | role) as user data. */
static void
app_close (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);
  guint64 packed = GPOINTER_TO_SIZE (user_data);
  SynackConnId conn = (SynackConnId) (packed >> 1);
  SynackRole role = (SynackRole) (packed & 1);
  guint32 client;
  guint16 port;

  /* a server application closes only what it has accepted: with
   * `simultaneous` its close may come while the server is still in
   * SYN_RECEIVED (the final ACK lost), and closing there would leave the
   * request unexecuted and the attempt half-open */
  if (role == SYNACK_ROLE_SERVER && !synack_oracle_server_has (net->oracle, conn)) {
    synack_oracle_defer_close (net->oracle, conn);
  } else {
    synack_oracle_endpoint (net->oracle, conn, &client, &port);
    net->pvt->close (net->proto, role, client, port, conn, now);
  }
  synack_oracle_release (net->oracle, conn);
}

static void
schedule_close (Net *net, SynackConnId conn, SynackRole role, SynackTime delay)
{
  synack_oracle_hold (net->oracle, conn);
  synack_sched_after (net->sched, delay, app_close,
                      GSIZE_TO_POINTER (((gsize) conn << 1) | (gsize) role), NULL);
}

static void
workload_on_state (Net *net, const SynackStateChange *chg)
{
  SynackCloser closer = net->spec->closer;

  if (chg->role == SYNACK_ROLE_SERVER &&
      synack_oracle_take_deferred_close (net->oracle, chg->conn))
    schedule_close (net, chg->conn, SYNACK_ROLE_SERVER, 0);
  if (closer == SYNACK_CLOSER_NONE || chg->from == chg->to)
    return;
  if (chg->to == SYNACK_TCP_CLOSE_WAIT) {
    schedule_close (net, chg->conn, chg->role, 0);
    return;
  }
  if (chg->to != SYNACK_TCP_ESTABLISHED)
    return;
  if (chg->role == SYNACK_ROLE_CLIENT) {
    if (closer == SYNACK_CLOSER_CLIENT || closer == SYNACK_CLOSER_SIMULTANEOUS)
      schedule_close (net, chg->conn, SYNACK_ROLE_CLIENT, net->spec->hold_ns);
    /* simultaneous: both ends close at the same instant, so the FINs cross */
    if (closer == SYNACK_CLOSER_SIMULTANEOUS)
      schedule_close (net, chg->conn, SYNACK_ROLE_SERVER, net->spec->hold_ns);
  } else if (closer == SYNACK_CLOSER_SERVER) {
    schedule_close (net, chg->conn, SYNACK_ROLE_SERVER, net->spec->hold_ns);
  }
}

static void open_next (SynackSched *sched, SynackTime now, gpointer user_data);

/* A gap of @mean_s seconds on average, at most SYNACK_TIME_MAX_DURATION
 * (a tiny rate would otherwise overflow the conversion). */
static SynackTime
gap_ns (double s)
{
  double ns = s * SYNACK_SECOND;

  return ns < (double) SYNACK_TIME_MAX_DURATION ? (SynackTime) llround (ns)
                                                 : SYNACK_TIME_MAX_DURATION;
}

static SynackTime
poisson_gap (SynackRng *rng, double rate_per_s)
{
  return gap_ns (-log (synack_rng_uniform_pos (rng)) / rate_per_s);
}

/* One spoofed SYN from a random flood host and port, then the next one,
 * for as long as the workload is still opening attempts. */
static void
flood_syn (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);
  const SynackRunSpec *spec = net->spec;
  SynackSegment seg = { 0 };

  if (net->next_conn > spec->connections)
    return;
  seg.src_host = spec->clients + 1 + synack_rng_u32 (net->flood_rng) % spec->flood_hosts;
  seg.dst_host = 0;
  /* 1024 ports per flood host is plenty of distinct 4-tuples and keeps
   * the protocol's tables to one page per host */
  seg.src_port = (guint16) (SYNACK_FIRST_PORT +
                            synack_rng_u32 (net->flood_rng) % MIN (spec->ports, 1024u));
  seg.dst_port = spec->tcp.server_port;
  seg.seq = synack_rng_u32 (net->flood_rng);
  seg.flags = SYNACK_FLAG_SYN;
  seg.window = spec->tcp.window;
  link_send (net, &seg);
  synack_sched_after (sched, poisson_gap (net->flood_rng, spec->flood_rate_per_s), flood_syn,
                      NULL, NULL);
}

static void
schedule_next_arrival (Net *net)
{
  const SynackRunSpec *spec = net->spec;
  SynackTime gap;

  if (net->next_conn > spec->connections)
    return;
  switch (spec->arrival) {
    case SYNACK_ARRIVAL_POISSON:
      gap = poisson_gap (net->arrival_rng, spec->rate_per_s);
      break;
    case SYNACK_ARRIVAL_UNIFORM:
      gap = gap_ns (1.0 / spec->rate_per_s);
      break;
    case SYNACK_ARRIVAL_BURST:
    default:
      gap = 0;
      break;
  }
  /* the first attempt opens at time 0 */
  if (net->next_conn == 1)
    gap = 0;
  synack_sched_after (net->sched, gap, open_next, NULL, NULL);
}

static void
open_attempt (Net *net, SynackConnId conn, SynackTime now)
{
  const SynackRunSpec *spec = net->spec;
  guint32 client = (guint32) ((conn - 1) % spec->clients) + 1;
  guint16 *cursor = &net->port_cursor[client - 1];

  /* every port busy (TIME_WAIT holding them): say so at once rather than
   * asking each of them, which made port exhaustion O(ports) an attempt */
  for (guint32 tries = 0; tries < spec->ports && net->ports_busy[client - 1] < spec->ports;
       tries++) {
    guint16 port = (guint16) (SYNACK_FIRST_PORT + *cursor);

    *cursor = (guint16) ((*cursor + 1) % spec->ports);
    /* recorded before connect, which reports the first state change */
    synack_oracle_open (net->oracle, conn, client, port, now);
    if (net->pvt->connect (net->proto, client, port, conn, now))
      return;
  }
  synack_oracle_no_port (net->oracle, conn);
  net->m->ports_exhausted++;
}

static void
open_next (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);

  open_attempt (net, (SynackConnId) net->next_conn++, now);
  schedule_next_arrival (net);
}

/* ---- state changes -------------------------------------------------------------- */

static void
state_changed (gpointer data, const SynackStateChange *chg)
{
  Net *net = data;
  SynackTime now = synack_sched_now (net->sched);

  if (net->states)
    trace_state (net, chg, now);
  if (chg->cause == SYNACK_CAUSE_BACKLOG)
    net->m->backlog_drops++;
  if (chg->from != chg->to) {
    /* a client port is busy from its first state out of CLOSED to its
     * return there (plugin.h: connect() fails exactly then) */
    if (chg->role == SYNACK_ROLE_CLIENT && chg->client >= 1 &&
        chg->client <= net->spec->clients) {
      if (chg->from == SYNACK_TCP_CLOSED)
        net->ports_busy[chg->client - 1]++;
      else if (chg->to == SYNACK_TCP_CLOSED)
        net->ports_busy[chg->client - 1]--;
    }
    /* CLOSED and LISTEN are where free slots are: not counted */
    if (chg->from > SYNACK_TCP_LISTEN)
      net->occupancy[chg->from]--;
    if (chg->to > SYNACK_TCP_LISTEN)
      net->occupancy[chg->to]++;
    if (chg->to == SYNACK_TCP_TIME_WAIT &&
        (guint64) net->occupancy[SYNACK_TCP_TIME_WAIT] > net->m->time_wait_peak)
      net->m->time_wait_peak = (guint64) net->occupancy[SYNACK_TCP_TIME_WAIT];
    /* stale: a segment of an older incarnation (attempt ids grow with
     * time) moved this one; a SYN asks for a new connection by nature and
     * is left to the oracle */
    if (chg->cause == SYNACK_CAUSE_RCV && chg->seg && chg->seg->conn != 0 &&
        chg->seg->conn < chg->conn && chg->seg->flags != SYNACK_FLAG_SYN)
      net->m->stale_accepted++;
  }
  synack_oracle_state (net->oracle, chg, now);
  workload_on_state (net, chg);
}

/* ---- occupancy sampling --------------------------------------------------------- */

static void
sample_occupancy (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);

  for (guint s = SYNACK_TCP_SYN_SENT; s < SYNACK_TCP_N_STATES; s++) {
    synack_trace_put_time (net->occ, now);
    synack_trace_comma (net->occ);
    synack_trace_put_str (net->occ, synack_tcp_state_name (s));
    synack_trace_comma (net->occ);
    synack_trace_put_uint (net->occ, (guint64) MAX (net->occupancy[s], 0));
    synack_trace_end_row (net->occ);
  }
  /* keep sampling while anything else can still happen */
  if (synack_sched_pending (sched) > 0)
    synack_sched_after (sched, net->spec->sample_ns, sample_occupancy, NULL, NULL);
}

/* ---- the run -------------------------------------------------------------------- */

static gboolean
open_traces (Net *net, GError **error)
{
  const SynackRunSpec *spec = net->spec;
  g_autofree char *path = NULL;

  if (spec->trace_mask == 0)
    return TRUE;
  if (spec->trace_prefix == NULL) {
    /* not g_return_val_if_fail(): that would fail without an error */
    g_set_error_literal (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_TRACE,
                         "traces were asked for, but no trace file name was given");
    return FALSE;
  }
  if (spec->trace_mask & SYNACK_TRACE_STATES) {
    path = g_strconcat (spec->trace_prefix, "-states.csv", NULL);
    net->states = synack_trace_open (path, "time_s,conn,host,role,from,to,cause", error);
    if (!net->states)
      return FALSE;
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_SEGMENTS) {
    path = g_strconcat (spec->trace_prefix, "-segments.csv", NULL);
    net->segments = synack_trace_open (path, "time_s,conn,src,dst,event,flags,seq,ack,len,id,retrans",
                                       error);
    if (!net->segments)
      return FALSE;
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_PCAP) {
    path = g_strconcat (spec->trace_prefix, ".pcap", NULL);
    net->pcap = synack_trace_open (path, NULL, error);
    if (!net->pcap)
      return FALSE;
    synack_pcap_write_header (net->pcap);
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_OCCUPANCY) {
    path = g_strconcat (spec->trace_prefix, "-occupancy.csv", NULL);
    net->occ = synack_trace_open (path, "time_s,state,count", error);
    if (!net->occ)
      return FALSE;
  }
  return TRUE;
}

static gboolean
close_traces (Net *net, gboolean ok, GError **error)
{
  SynackTrace **all[] = { &net->states, &net->segments, &net->pcap, &net->occ };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    SynackTrace *t = g_steal_pointer (all[i]);

    if (t == NULL)
      continue;
    if (ok)
      ok = synack_trace_close (t, error);
    else
      synack_trace_abort (t);
  }
  return ok;
}

guint64
synack_net_max_attempts (void)
{
  /* attempt ids (SynackConnId) are 32 bits, 0 is none; memory is no limit
   * any more: beyond SYNACK_EXACT_SAMPLES_MAX attempts the oracle keeps
   * nothing per attempt once it is classified */
  return G_MAXUINT32;
}

/* The automatic event budget: far above what any attempt needs (13 events
 * without loss, a few hundred with every retry), far below a runaway. */
static guint64
auto_max_events (const SynackRunSpec *spec)
{
  double attempts = (double) spec->connections;
  double budget;

  if (spec->flood_rate_per_s > 0 && spec->arrival != SYNACK_ARRIVAL_BURST)
    attempts += spec->flood_rate_per_s * (double) spec->connections / spec->rate_per_s;
  budget = 1e7 + 1e4 * attempts;
  return budget < 1.8e19 ? (guint64) budget : G_MAXUINT64;
}

static gboolean
net_setup (Net *net, GError **error)
{
  const SynackRunSpec *spec = net->spec;
  guint64 max_attempts = synack_net_max_attempts ();

  if (spec->connections > max_attempts) {
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_LIMIT,
                 "%" G_GUINT64_FORMAT " attempts in one run is more than synack can number "
                 "(at most %" G_GUINT64_FORMAT " per run)", spec->connections, max_attempts);
    return FALSE;
  }
  net->max_events = spec->max_events ? spec->max_events : auto_max_events (spec);
  /* automatic: room for every attempt's segments at once, within 2^20 ..
   * 2^24 segments (about 100 MB .. 1.6 GB) */
  net->max_in_flight = spec->max_in_flight ? spec->max_in_flight
                                           : CLAMP (spec->connections, 1u << 20, 1u << 24);

  net->n_hosts = spec->clients + (spec->flood_rate_per_s > 0 ? spec->flood_hosts : 0);
  if ((guint64) net->n_hosts * spec->ports > G_MAXUINT32) {
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_LIMIT,
                 "%u hosts x %u ports is more connection slots than synack supports (2^32)",
                 net->n_hosts, spec->ports);
    return FALSE;
  }
  /* flood hosts send on forward links like clients; nothing comes back */
  net->forward = g_new0 (Link, net->n_hosts);
  net->reverse = g_new0 (Link, spec->clients);
  for (guint32 c = 1; c <= net->n_hosts; c++)
    if (!link_init (net, &net->forward[c - 1], &spec->forward, "forward", c, error) ||
        (c <= spec->clients &&
         !link_init (net, &net->reverse[c - 1], &spec->reverse, "reverse", c, error)))
      return FALSE;

  net->proto_rng = synack_rng_new (spec->seed, "protocol");
  net->arrival_rng = synack_rng_new (spec->seed, "workload.arrival");
  net->flood_rng = synack_rng_new (spec->seed, "workload.flood");
  net->env = (SynackProtocolEnv) {
    .sched = net->sched,
    .tcp = &spec->tcp,
    .n_clients = net->n_hosts,
    .n_ports = spec->ports,
    .first_port = SYNACK_FIRST_PORT,
    .seed = spec->seed,
    .rng = net->proto_rng,
    .net = net,
    .send = link_send,
    .state_changed = state_changed,
  };
  net->pvt = spec->protocol->vt.protocol;
  GError *sub = NULL;
  net->proto = net->pvt->create (&net->env, spec->protocol_params, &sub);
  if (net->proto == NULL) {
    g_autofree char *where = g_strdup_printf ("protocol %s", spec->protocol->name);

    create_failed (error, sub, where);
    return FALSE;
  }
  net->port_cursor = g_new0 (guint16, spec->clients);
  net->ports_busy = g_new0 (guint32, spec->clients);
  net->oracle = synack_oracle_new (spec->connections);
  return open_traces (net, error);
}

static void
net_teardown (Net *net)
{
  const SynackRunSpec *spec = net->spec;

  /* the scheduler goes first: pending events refer to the protocol's memory */
  g_clear_pointer (&net->sched, synack_sched_free);
  if (net->proto)
    net->pvt->destroy (net->proto);
  if (net->forward)
    for (guint32 c = 0; c < net->n_hosts; c++)
      link_clear (&net->forward[c], &spec->forward);
  if (net->reverse)
    for (guint32 c = 0; c < spec->clients; c++)
      link_clear (&net->reverse[c], &spec->reverse);
  g_free (net->forward);
  g_free (net->reverse);
  synack_rng_free (net->proto_rng);
  synack_rng_free (net->arrival_rng);
  synack_rng_free (net->flood_rng);
  g_free (net->port_cursor);
  g_free (net->ports_busy);
  g_free (net->pool);
  synack_oracle_free (net->oracle);
}

/* events between two calls of the progress callback (a few ms of work) */
#define POLL_EVENTS 4096

gboolean
synack_net_run (const SynackRunSpec *spec, SynackMetrics *metrics, SynackSamples *samples,
                SynackProgressFunc progress, gpointer progress_data, GError **error)
{
  Net net = { 0 };
  gboolean ok;

  g_return_val_if_fail (spec != NULL && metrics != NULL, FALSE);
  g_return_val_if_fail (spec->protocol && spec->protocol->kind == SYNACK_PLUGIN_PROTOCOL, FALSE);

  memset (metrics, 0, sizeof *metrics);
  net.spec = spec;
  net.m = metrics;
  net.next_conn = 1;
  net.sched = synack_sched_new ();
  synack_sched_set_owner (net.sched, &net);

  ok = net_setup (&net, error);
  if (ok) {
    /* run in slices of simulated time so long runs can report progress */
    SynackTime slice = MAX (spec->until_ns / 100, SYNACK_MSECOND);

    schedule_next_arrival (&net);
    if (spec->flood_rate_per_s > 0 && spec->flood_hosts > 0)
      synack_sched_at (net.sched, 0, flood_syn, NULL, NULL);
    if (net.occ)
      synack_sched_at (net.sched, 0, sample_occupancy, NULL, NULL);
    /* and ask @progress every POLL_EVENTS events too, so SIGINT stops even a
     * slice of millions of events within a fraction of a second */
    for (SynackTime t = 0; synack_sched_pending (net.sched) > 0 && t < spec->until_ns;) {
      SynackTime end = MIN (t + slice, spec->until_ns);

      if (synack_sched_run_max (net.sched, end, POLL_EVENTS) < POLL_EVENTS)
        t = end;
      if (!within_budget (&net))
        break;
      if (progress && !progress ((double) t / (double) spec->until_ns, progress_data)) {
        g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_CANCELLED, "run cancelled");
        ok = FALSE;
        break;
      }
    }
  }
  if (ok && net.over_budget != NULL) {
    gboolean events = strcmp (net.over_budget, "max_events") == 0;

    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_BUDGET,
                 "the run exceeded its budget of %" G_GUINT64_FORMAT " %s at %.9f s "
                 "simulated (%" G_GUINT64_FORMAT " segments sent for %" G_GUINT64_FORMAT
                 " attempts): a runaway exchange; raise [experiment] %s if it is not",
                 events ? net.max_events : net.max_in_flight,
                 events ? "events" : "segments in flight",
                 synack_time_to_seconds (synack_sched_now (net.sched)),
                 metrics->segments_sent, net.next_conn - 1, net.over_budget);
    ok = FALSE;
  }
  if (ok) {
    /* stopped by the time limit with something still to happen */
    gboolean cut = synack_sched_pending (net.sched) > 0;

    metrics->events = synack_sched_events_run (net.sched);
    metrics->sim_time_s = synack_time_to_seconds (synack_sched_now (net.sched));
    metrics->loss_forward = net.sent[0] ? (double) net.lost[0] / (double) net.sent[0] : NAN;
    metrics->loss_reverse = net.sent[1] ? (double) net.lost[1] / (double) net.sent[1] : NAN;
    synack_oracle_finish (net.oracle, cut, metrics, samples);
  }
  ok = close_traces (&net, ok, error);
  net_teardown (&net);
  return ok;
}
