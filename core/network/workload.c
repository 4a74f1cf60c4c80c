/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/workload.c - arrivals, port choice, closes, SYN flood (see
 * workload.h).
 *
 * The workload opens attempts one arrival at a time (one pending arrival
 * event, whatever the number of attempts), picks the client host round-robin
 * and, on it, the next free ephemeral port round-robin.  It closes
 * connections as [workload] closer says: the active closer after `hold` in
 * ESTABLISHED, the passive side as soon as it sees the peer's FIN
 * (CLOSE_WAIT), as a server that reads EOF does. */
#include "workload.h"

#include <math.h>

#include "link.h"
#include "text.h"

static const char *const arrival_names[] = { "poisson", "uniform", "burst",
                                             NULL };
static const char *const closer_names[] = { "client", "server", "simultaneous",
                                            "none", NULL };

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

/* ---- closes -------------------------------------------------------------- */

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
  if (role == SYNACK_ROLE_SERVER &&
      !synack_oracle_server_has (net->oracle, conn)) {
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
                      GSIZE_TO_POINTER (((gsize) conn << 1) | (gsize) role),
                      NULL);
}

void
synack_workload_on_state (Net *net, const SynackStateChange *chg)
{
  SynackCloser closer = net->spec->closer;

  /* a client port is busy from its first state out of CLOSED to its
   * return there (plugin.h: connect() fails exactly then) */
  if (chg->from != chg->to && chg->role == SYNACK_ROLE_CLIENT &&
      chg->client >= 1 && chg->client <= net->spec->clients) {
    if (chg->from == SYNACK_TCP_CLOSED)
      net->ports_busy[chg->client - 1]++;
    else if (chg->to == SYNACK_TCP_CLOSED)
      net->ports_busy[chg->client - 1]--;
  }
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

/* ---- arrivals and the SYN flood ------------------------------------------ */

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
  seg.src_host =
      spec->clients + 1 + synack_rng_u32 (net->flood_rng) % spec->flood_hosts;
  seg.dst_host = 0;
  /* 1024 ports per flood host is plenty of distinct 4-tuples and keeps
   * the protocol's tables to one page per host */
  seg.src_port =
      (guint16) (SYNACK_FIRST_PORT +
                 synack_rng_u32 (net->flood_rng) % MIN (spec->ports, 1024u));
  seg.dst_port = spec->tcp.server_port;
  seg.seq = synack_rng_u32 (net->flood_rng);
  seg.flags = SYNACK_FLAG_SYN;
  seg.window = spec->tcp.window;
  synack_link_send (net, &seg);
  synack_sched_after (sched,
                      poisson_gap (net->flood_rng, spec->flood_rate_per_s),
                      flood_syn, NULL, NULL);
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
  for (guint32 tries = 0;
       tries < spec->ports && net->ports_busy[client - 1] < spec->ports;
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

void
synack_workload_start (Net *net)
{
  const SynackRunSpec *spec = net->spec;

  schedule_next_arrival (net);
  if (spec->flood_rate_per_s > 0 && spec->flood_hosts > 0)
    synack_sched_at (net->sched, 0, flood_syn, NULL, NULL);
}
