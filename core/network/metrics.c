/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/metrics.c - the runs.csv column table (see metrics.h). */
#include "metrics.h"

#include <stddef.h>

#define COL(name, kind, help) \
  { #name, SYNACK_METRIC_##kind, offsetof (SynackMetrics, name), help }

static const SynackMetricColumn columns[] = {
  COL (attempts, COUNT, "connection attempts opened by the workload"),
  COL (established, OUTCOME,
       "attempts established at both ends from their own segments"),
  COL (failed, OUTCOME,
       "attempts the client gave up on with no server connection left"),
  COL (half_open, OUTCOME,
       "attempts where exactly one end reached ESTABLISHED"),
  COL (duplicate, OUTCOME,
       "attempts the server established (executed) more than once"),
  COL (ghost, OUTCOME,
       "attempts the server established after they had ended (old duplicate)"),
  COL (reset, OUTCOME, "attempts aborted by a RST while data could still flow"),
  COL (success_rate, RATE, "established / attempts"),
  COL (handshake_mean_s, LATENCY,
       "mean time from first SYN to client ESTABLISHED, s"),
  COL (handshake_p50_s, SECONDS, "median handshake latency, s"),
  COL (handshake_p95_s, SECONDS, "95th percentile handshake latency, s"),
  COL (handshake_p99_s, SECONDS, "99th percentile handshake latency, s"),
  COL (handshake_max_s, SECONDS, "largest handshake latency, s"),
  COL (syn_sent, COUNT, "SYN segments sent, retransmissions included"),
  COL (synack_sent, COUNT, "SYN,ACK segments sent, retransmissions included"),
  COL (rst_sent, COUNT, "segments with RST sent"),
  COL (segments_sent, COUNT, "segments sent by endpoints"),
  COL (segments_lost, COUNT, "segments lost on links"),
  COL (teardown_mean_s, SECONDS,
       "mean time from the first app close to both ends done, s"),
  COL (time_wait_peak, COUNT, "most connections in TIME_WAIT at once"),
  COL (events, COUNT, "scheduler events run"),
  COL (fin_sent, COUNT, "segments with FIN sent, retransmissions included"),
  COL (syn_retransmits, COUNT, "SYN retransmissions"),
  COL (fin_retransmits, COUNT, "FIN retransmissions"),
  COL (stale_accepted, COUNT,
       "segments of an older incarnation that changed a newer one's state"),
  COL (ports_exhausted, COUNT,
       "attempts not started because every client port was busy"),
  COL (backlog_drops, COUNT, "SYNs refused because the SYN backlog was full"),
  COL (sim_time_s, SECONDS, "simulated time at the end of the run, s"),
  COL (unfinished, OUTCOME,
       "attempts still open when the run reached its time limit"),
  COL (handshake_samples, COUNT,
       "handshake latencies measured (client ESTABLISHED from its own "
       "segment)"),
  COL (loss_forward, RATE,
       "segments lost client -> server / segments sent that way"),
  COL (loss_reverse, RATE,
       "segments lost server -> client / segments sent that way"),
  COL (request_mean_s, SECONDS,
       "mean time from the client's open to the server executing the request, "
       "s"),
  COL (request_p50_s, SECONDS, "median request latency, s"),
  COL (request_p95_s, SECONDS, "95th percentile request latency, s"),
  COL (request_p99_s, SECONDS, "99th percentile request latency, s"),
  COL (request_samples, COUNT,
       "request latencies measured (attempts the server executed)"),
  COL (syncookies_sent, COUNT,
       "SYN,ACKs sent with a SYN cookie instead of keeping a request"),
  COL (syncookies_accepted, COUNT,
       "connections created by an ACK with a valid SYN cookie"),
};

const SynackMetricColumn *
synack_metric_columns (guint *n_columns)
{
  *n_columns = G_N_ELEMENTS (columns);
  return columns;
}

double
synack_metric_value (const SynackMetrics *m, const SynackMetricColumn *col)
{
  const char *p = (const char *) m + col->offset;

  if (col->kind == SYNACK_METRIC_COUNT || col->kind == SYNACK_METRIC_OUTCOME)
    return (double) *(const guint64 *) p;
  return *(const double *) p;
}
