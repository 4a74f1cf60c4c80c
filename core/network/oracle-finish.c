/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle-finish.c - the end of a run's bookkeeping (see
 * oracle.h): the attempts still alive are classified (cut or not), and
 * the handshake, request and teardown latencies become the metrics'
 * statistics and the run's samples, from the exact per-attempt arrays or
 * from the histograms.  The records themselves are kept in oracle.c. */
#include "oracle-private.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

/* Sorts the @n values of @d and gives their mean and quantiles (NAN when
 * there are none); the mean is summed in sorted order. */
static void
sorted_stats (double *d, gsize n, double *mean, double *p50, double *p95,
              double *p99)
{
  if (n == 0) {
    *mean = *p50 = *p95 = *p99 = NAN;
    return;
  }
  gsl_sort (d, 1, n);
  *mean = gsl_stats_mean (d, 1, n);
  *p50 = gsl_stats_quantile_from_sorted_data (d, 1, n, 0.50);
  *p95 = gsl_stats_quantile_from_sorted_data (d, 1, n, 0.95);
  *p99 = gsl_stats_quantile_from_sorted_data (d, 1, n, 0.99);
}

/* Handshake, request and teardown statistics from the exact arrays, in
 * attempt order as the whole-run array had them. */
static void
finish_exact (SynackOracle *o, SynackMetrics *m, SynackSamples *samples)
{
  GArray *lat = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *req = g_array_new (FALSE, FALSE, sizeof (double));
  double teardown_sum = 0;
  guint64 teardown_n = 0;

  for (guint64 i = 1; i <= o->n; i++) {
    const SynackTime *d = &o->exact[EXACT_N * (gsize) i];

    if (d[EXACT_HANDSHAKE] != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (d[EXACT_HANDSHAKE]);

      g_array_append_val (lat, s);
    }
    if (d[EXACT_REQUEST] != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (d[EXACT_REQUEST]);

      g_array_append_val (req, s);
    }
    if (d[EXACT_TEARDOWN] != SYNACK_TIME_NONE) {
      teardown_sum += synack_time_to_seconds (d[EXACT_TEARDOWN]);
      teardown_n++;
    }
  }
  m->teardown_mean_s = teardown_n ? teardown_sum / (double) teardown_n : NAN;
  m->handshake_samples = lat->len;
  sorted_stats ((double *) lat->data, lat->len, &m->handshake_mean_s,
                &m->handshake_p50_s, &m->handshake_p95_s, &m->handshake_p99_s);
  m->handshake_max_s =
      lat->len > 0 ? g_array_index (lat, double, lat->len - 1) : NAN;
  /* the samples file lists them sorted */
  if (samples != NULL)
    samples->exact = g_array_ref (lat);
  m->request_samples = req->len;
  sorted_stats ((double *) req->data, req->len, &m->request_mean_s,
                &m->request_p50_s, &m->request_p95_s, &m->request_p99_s);
  g_array_unref (lat);
  g_array_free (req, TRUE);
}

static double
ns_to_s (double ns)
{
  return ns / (double) SYNACK_SECOND;
}

static void
finish_histograms (SynackOracle *o, SynackMetrics *m, SynackSamples *samples)
{
  const SynackHistogram *h = o->handshake, *r = o->request;

  m->teardown_mean_s = ns_to_s (synack_histogram_mean (o->teardown));
  m->handshake_samples = synack_histogram_count (h);
  m->handshake_mean_s = ns_to_s (synack_histogram_mean (h));
  m->handshake_p50_s = ns_to_s (synack_histogram_quantile (h, 0.50));
  m->handshake_p95_s = ns_to_s (synack_histogram_quantile (h, 0.95));
  m->handshake_p99_s = ns_to_s (synack_histogram_quantile (h, 0.99));
  m->handshake_max_s = synack_histogram_count (h)
                       ? ns_to_s ((double) synack_histogram_max (h)) : NAN;
  m->request_samples = synack_histogram_count (r);
  m->request_mean_s = ns_to_s (synack_histogram_mean (r));
  m->request_p50_s = ns_to_s (synack_histogram_quantile (r, 0.50));
  m->request_p95_s = ns_to_s (synack_histogram_quantile (r, 0.95));
  m->request_p99_s = ns_to_s (synack_histogram_quantile (r, 0.99));
  if (samples != NULL)
    samples->hist = synack_histogram_copy (h);
}

void
synack_oracle_finish (SynackOracle *o, gboolean cut, SynackMetrics *m,
                      SynackSamples *samples)
{
  /* what is still alive is classified now, as the cut says */
  for (gsize i = 0; i <= o->mask; i++)
    if (o->ring[i].conn != 0)
      oracle_account (o, &o->ring[i], cut);
  if (o->overflow != NULL) {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, o->overflow);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      oracle_account (o, value, cut);
  }
  /* attempts never opened: the time limit came first */
  if (cut)
    o->unfinished += o->n - o->opened;
  else
    o->failed += o->n - o->opened;

  m->attempts = o->n;
  m->established = o->established;
  m->failed = o->failed;
  m->half_open = o->half_open;
  m->duplicate = o->duplicate;
  m->ghost = o->ghost;
  m->reset = o->reset;
  m->unfinished = o->unfinished;
  m->success_rate = o->n ? (double) m->established / (double) o->n : NAN;
  if (o->exact != NULL)
    finish_exact (o, m, samples);
  else
    finish_histograms (o, m, samples);
}
