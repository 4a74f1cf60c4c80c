/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/results-summary.c - summary.csv (see results.h): its column
 * names, spelled here once for the writer below and for the plots, and
 * the writer, which summarises the table synack_results_runs_sort()
 * returned and the samples of its runs. */
#include "results.h"

#include <gsl/gsl_sort.h>
#include <math.h>
#include <string.h>

#include "metrics.h"
#include "stats.h"
#include "text.h"

static void
append_double (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;   /* empty cell: not applicable */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

/* ---- summary.csv --------------------------------------------------------- */

char *
synack_summary_column (const char *metric, SynackSummaryStat stat)
{
  static const char *const suffix[] = {
    [SYNACK_SUMMARY_MEAN] = "_mean",
    [SYNACK_SUMMARY_CI_LO] = "_ci95_lo",
    [SYNACK_SUMMARY_CI_HI] = "_ci95_hi",
    [SYNACK_SUMMARY_RATE] = "_rate",
    [SYNACK_SUMMARY_RATE_LO] = "_rate_ci95_lo",
    [SYNACK_SUMMARY_RATE_HI] = "_rate_ci95_hi",
  };

  g_return_val_if_fail ((guint) stat < G_N_ELEMENTS (suffix), NULL);
  return g_strconcat (metric, suffix[stat], NULL);
}

char *
synack_summary_pooled_column (const char *q, SynackSummaryStat stat)
{
  switch (stat) {
    case SYNACK_SUMMARY_MEAN:
      return g_strdup_printf ("handshake_pooled_%s_s", q);
    case SYNACK_SUMMARY_CI_LO:
      return g_strdup_printf ("handshake_pooled_%s_s_ci95_lo", q);
    case SYNACK_SUMMARY_CI_HI:
      return g_strdup_printf ("handshake_pooled_%s_s_ci95_hi", q);
    default:
      g_return_val_if_reached (NULL);
  }
}

char *
synack_summary_plain_quantile_column (const char *q)
{
  return g_strdup_printf ("handshake_s_%s", q);
}

/* The pooled handshake percentiles, each with its order-statistic
 * interval: latencies of all the runs of a point together (not the mean
 * of the per-run percentiles, which are the handshake_pNN_s_mean columns).
 * The first three are also written without interval under their first
 * name (synack_summary_plain_quantile_column). */
static const struct { const char *name; double q; } pooled_quantiles[] = {
  { "p50", 0.50 }, { "p95", 0.95 }, { "p99", 0.99 }, { "p999", 0.999 },
};
#define N_PLAIN_QUANTILES 3

static void
append_column (GString *s, char *name)
{
  g_string_append_c (s, ',');
  g_string_append (s, name);
  g_free (name);
}

static void
summary_header (GString *s, const SynackResultsSweep *sweep)
{
  static const SynackSummaryStat mean_ci[] = {
    SYNACK_SUMMARY_MEAN, SYNACK_SUMMARY_CI_LO, SYNACK_SUMMARY_CI_HI,
  };
  static const SynackSummaryStat rate_ci[] = {
    SYNACK_SUMMARY_RATE, SYNACK_SUMMARY_RATE_LO, SYNACK_SUMMARY_RATE_HI,
  };
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);

  for (guint k = 0; k < sweep->n_keys; k++) {
    synack_text_csv_append (s, sweep->keys[k]);
    g_string_append_c (s, ',');
  }
  g_string_append (s, SYNACK_SUMMARY_RUNS);
  for (guint c = 0; c < n_cols; c++) {
    for (guint k = 0; k < G_N_ELEMENTS (mean_ci); k++)
      append_column (s, synack_summary_column (cols[c].name, mean_ci[k]));
    if (cols[c].kind == SYNACK_METRIC_OUTCOME)
      for (guint k = 0; k < G_N_ELEMENTS (rate_ci); k++)
        append_column (s, synack_summary_column (cols[c].name, rate_ci[k]));
    if (cols[c].kind == SYNACK_METRIC_LATENCY) {
      for (guint q = 0; q < N_PLAIN_QUANTILES; q++)
        append_column (
            s, synack_summary_plain_quantile_column (pooled_quantiles[q].name));
      g_string_append (s, "," SYNACK_SUMMARY_SAMPLES);
      for (guint q = 0; q < G_N_ELEMENTS (pooled_quantiles); q++)
        for (guint k = 0; k < G_N_ELEMENTS (mean_ci); k++)
          append_column (s, synack_summary_pooled_column (
                                pooled_quantiles[q].name, mean_ci[k]));
    }
  }
  for (guint k = 0; k < G_N_ELEMENTS (rate_ci); k++)
    append_column (s, synack_summary_column ("failure", rate_ci[k]));
  g_string_append_c (s, '\n');
}

static void
put_interval (GString *s, SynackInterval iv)
{
  g_string_append_c (s, ',');
  append_double (s, iv.mean);
  g_string_append_c (s, ',');
  append_double (s, iv.lo);
  g_string_append_c (s, ',');
  append_double (s, iv.hi);
}

/* Quantile @q of @pool (seconds); NAN when empty. */
static double
pool_quantile (const SynackSamples *pool, double q)
{
  if (pool->hist != NULL)
    return synack_histogram_quantile (pool->hist, q) / 1e9;
  return synack_stats_quantile_sorted ((const double *) pool->exact->data,
                                       pool->exact->len, q);
}

/* The order-statistic interval of quantile @q of @pool.  From a histogram:
 * the same ranks (they depend on n and q alone), each read back within
 * SYNACK_HISTOGRAM_REL_ERROR of the exact order statistic. */
static void
pool_quantile_ci (const SynackSamples *pool, double q, double *lo, double *hi)
{
  guint64 l, u;

  if (pool->hist == NULL) {
    synack_stats_quantile_ci_sorted ((const double *) pool->exact->data,
                                     pool->exact->len, q, 0.95, lo, hi);
    return;
  }
  synack_stats_quantile_ci_ranks (synack_histogram_count (pool->hist), q, 0.95,
                                  &l, &u);
  *lo = l >= 1 ? synack_histogram_value_at_rank (pool->hist, l - 1) / 1e9 : NAN;
  *hi = u >= 1 ? synack_histogram_value_at_rank (pool->hist, u - 1) / 1e9 : NAN;
}

/* The pooled latency columns of one point: the samples of its runs @rows,
 * exact while every run kept its latencies, else one histogram. */
static gboolean
put_pooled (GString *s, const char *dir, const SynackCsv *runs, guint point,
            GArray *rows, GError **error)
{
  g_auto (SynackSamples) pooled = { g_array_new (FALSE, FALSE, sizeof (double)),
                                    NULL };
  int cn = synack_csv_column (runs, SYNACK_RUNS_SAMPLES);
  int cr = synack_csv_column (runs, SYNACK_RUNS_REPLICATION);

  for (guint j = 0; j < rows->len; j++) {
    guint row = g_array_index (rows, guint, j);
    guint rep = (guint) g_ascii_strtoull (
        synack_csv_cell (runs, row, (guint) cr), NULL, 10);
    g_autofree char *path = synack_results_samples_path (dir, point, rep);
    guint64 n =
        g_ascii_strtoull (synack_csv_cell (runs, row, (guint) cn), NULL, 10);

    if (!synack_results_check_samples (path, n, error) ||
        !synack_results_pool_samples (path, &pooled, error)) {
      g_prefix_error (error, "summary.csv not written: ");
      return FALSE;
    }
  }
  if (pooled.hist == NULL)
    gsl_sort ((double *) pooled.exact->data, 1, pooled.exact->len);
  for (guint q = 0; q < N_PLAIN_QUANTILES; q++) {
    g_string_append_c (s, ',');
    append_double (s, pool_quantile (&pooled, pooled_quantiles[q].q));
  }
  g_string_append_printf (s, ",%" G_GUINT64_FORMAT,
                          synack_samples_count (&pooled));
  for (guint q = 0; q < G_N_ELEMENTS (pooled_quantiles); q++) {
    double lo, hi;

    pool_quantile_ci (&pooled, pooled_quantiles[q].q, &lo, &hi);
    g_string_append_c (s, ',');
    append_double (s, pool_quantile (&pooled, pooled_quantiles[q].q));
    g_string_append_c (s, ',');
    append_double (s, lo);
    g_string_append_c (s, ',');
    append_double (s, hi);
  }
  return TRUE;
}

/* One summary row: the point's sweep values, then every metric over the
 * runs @rows of @point. */
static gboolean
put_point (GString *s, const char *dir, const SynackCsv *runs,
           const SynackResultsSweep *sweep, guint point, GArray *rows,
           GError **error)
{
  g_autofree double *x = g_new (double, rows->len);
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  int cattempts = synack_csv_column (runs, "attempts");
  double attempts = 0, established = 0, unfinished = 0;

  for (guint k = 0; k < sweep->n_keys; k++) {
    synack_text_csv_append (s, sweep->values[point * sweep->n_keys + k]);
    g_string_append_c (s, ',');
  }
  g_string_append_printf (s, "%u", rows->len);
  for (guint c = 0; c < n_cols; c++) {
    int col = synack_csv_column (runs, cols[c].name);
    guint64 k_sum = 0, n_sum = 0;

    for (guint j = 0; j < rows->len; j++) {
      guint row = g_array_index (rows, guint, j);
      double n_att = 0;

      if (!synack_csv_double (runs, row, (guint) col, &x[j], error) ||
          !synack_csv_double (runs, row, (guint) cattempts, &n_att, error))
        return FALSE;
      k_sum += (guint64) llround (x[j]);
      n_sum += (guint64) llround (n_att);
    }
    put_interval (s, synack_stats_mean_ci (x, rows->len, 0.95));
    if (cols[c].kind == SYNACK_METRIC_OUTCOME) {
      put_interval (s, synack_stats_wilson (k_sum, n_sum, 0.95));
      if (strcmp (cols[c].name, "established") == 0)
        established = (double) k_sum, attempts = (double) n_sum;
      if (strcmp (cols[c].name, "unfinished") == 0)
        unfinished = (double) k_sum;
    }
    if (cols[c].kind == SYNACK_METRIC_LATENCY &&
        !put_pooled (s, dir, runs, point, rows, error))
      return FALSE;
  }
  /* of the attempts whose fate is known: unfinished ones are not failures */
  put_interval (
      s, synack_stats_wilson ((guint64) (attempts - unfinished - established),
                              (guint64) (attempts - unfinished), 0.95));
  g_string_append_c (s, '\n');
  return TRUE;
}

gboolean
synack_results_write_summary (const char *dir, const SynackCsv *runs,
                              const SynackResultsSweep *sweep, GError **error)
{
  g_autofree char *summary_path =
      g_build_filename (dir, SYNACK_RESULTS_SUMMARY, NULL);
  g_autoptr (GPtrArray) rows_of = g_ptr_array_new_with_free_func (
    (GDestroyNotify) g_array_unref);
  int cp = synack_csv_column (runs, SYNACK_RUNS_POINT);
  GString *s = g_string_new (NULL);
  gboolean ok = TRUE;

  /* the rows of each point, in one pass over runs.csv */
  for (guint p = 0; p < sweep->n_points; p++)
    g_ptr_array_add (rows_of, g_array_new (FALSE, FALSE, sizeof (guint)));
  for (guint row = 0; row < runs->rows->len; row++) {
    guint64 p =
        g_ascii_strtoull (synack_csv_cell (runs, row, (guint) cp), NULL, 10);

    if (p < sweep->n_points)
      g_array_append_val (rows_of->pdata[p], row);
  }
  summary_header (s, sweep);
  for (guint point = 0; point < sweep->n_points && ok; point++) {
    GArray *rows = rows_of->pdata[point];

    if (rows->len == 0)
      continue;   /* every run of this point failed */
    ok = put_point (s, dir, runs, sweep, point, rows, error);
  }
  if (ok)
    ok =
        synack_text_write_atomic (summary_path, s->str, (gssize) s->len, error);
  g_string_free (s, TRUE);
  return ok;
}
