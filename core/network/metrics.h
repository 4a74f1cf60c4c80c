/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/metrics.h - what one run measures, and the table that names it.
 *
 * The metrics are plain fields of SynackMetrics; synack_metric_columns()
 * lists them in runs.csv order with their kind, so the runner writes and
 * summarises them by table, never by hand-written lists. */
#pragma once

#include <glib.h>

#include "histogram.h"

G_BEGIN_DECLS

typedef struct {
  /* outcome of each attempt: exactly one of these seven per attempt
   * (unfinished is last in runs.csv: it came later) */
  guint64 attempts, established, failed, half_open, duplicate, ghost, reset;
  guint64 unfinished;
  double  success_rate;       /* established / attempts */
  /* handshake latency (client first SYN -> client ESTABLISHED), seconds,
   * over established attempts; NAN when there is none */
  double  handshake_mean_s, handshake_p50_s, handshake_p95_s, handshake_p99_s,
          handshake_max_s;
  /* segments put on the wire by the endpoints (duplicates made by links
   * excluded) */
  guint64 syn_sent, synack_sent, rst_sent, fin_sent, segments_sent,
          segments_lost;
  guint64 syn_retransmits, fin_retransmits;
  /* close: from the first app close to both ends done with the FIN
   * exchange, seconds */
  double  teardown_mean_s;
  guint64 time_wait_peak;     /* most connections in TIME_WAIT at once */
  guint64 stale_accepted;     /* segments of another incarnation accepted */
  guint64 ports_exhausted;    /* attempts not started: no free client port */
  guint64 backlog_drops;      /* SYNs refused because the backlog was full */
  guint64 events;             /* scheduler events run */
  double  sim_time_s;         /* simulated time at the end of the run */
  guint64 handshake_samples;  /* latencies in samples/P-R.bin */
  /* the loss each direction really had: lost / sent on it, NAN if
   * none sent */
  double  loss_forward, loss_reverse;
  /* request latency (client's app open -> the server's first execution of
   * the request, see oracle.h), seconds, over executed attempts; NAN when
   * there is none */
  double  request_mean_s, request_p50_s, request_p95_s, request_p99_s;
  guint64 request_samples;    /* attempts executed at least once */
  /* SYN cookies (RFC 4987 §3.6): SYN,ACKs sent with a cookie instead of
   * a request, and connections a valid cookie created */
  guint64 syncookies_sent, syncookies_accepted;
} SynackMetrics;

typedef enum {
  /* integer count; summary: mean with Student-t CI */
  SYNACK_METRIC_COUNT,
  /* count of attempts in one class; summary adds its rate over pooled
   * attempts with a Wilson CI */
  SYNACK_METRIC_OUTCOME,
  /* proportion of attempts; summary: Wilson CI on pooled counts */
  SYNACK_METRIC_RATE,
  /* seconds, per run mean; summary adds pooled p50/p95/p99 */
  SYNACK_METRIC_LATENCY,
  /* seconds; summary: mean with Student-t CI */
  SYNACK_METRIC_SECONDS,
} SynackMetricKind;

typedef struct {
  const char      *name;    /* runs.csv column */
  SynackMetricKind kind;
  /* into SynackMetrics; guint64 for COUNT, double otherwise */
  gsize            offset;
  const char      *help;
} SynackMetricColumn;

/* Runs of at most this many attempts keep every latency exactly: their
 * runs.csv latencies are computed from sorted samples and their samples
 * file lists each handshake latency.  Larger runs keep histograms
 * (histogram.h): quantiles within SYNACK_HISTOGRAM_REL_ERROR, means,
 * maxima and counts exact, memory independent of the attempts. */
#define SYNACK_EXACT_SAMPLES_MAX G_GUINT64_CONSTANT (1000000)

/* Returns: (transfer none) the columns in runs.csv order; *@n_columns set. */
const SynackMetricColumn *synack_metric_columns (guint *n_columns);
/* The value of @col in @m as a double. */
double synack_metric_value (const SynackMetrics *m,
                            const SynackMetricColumn *col);

G_END_DECLS
