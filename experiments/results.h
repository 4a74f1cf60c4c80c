/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/results.h - the results directory, its one owner.
 *
 * `synack run` writes a results directory and `synack plot` reads it; this
 * module is the contract between them (INTERFACE.md):
 *
 *   DIR/config.ini          the experiment as run (SYNACK_RESULTS_CONFIG)
 *   DIR/runs.csv            a row per finished run: point, replication,
 *                           seed, the sweep values, the metric columns
 *   DIR/summary.csv         a row per sweep point: the sweep values, runs,
 *                           then per metric M: M_mean, M_ci95_lo, M_ci95_hi
 *                           (outcomes add M_rate and its Wilson interval;
 *                           handshake latency its pooled quantiles)
 *   DIR/samples/P-R.bin     the handshake latencies of run (P, R): in
 *                           seconds, little-endian IEEE 754 doubles
 *                           (runs of at most SYNACK_EXACT_SAMPLES_MAX
 *                           attempts), or the run's histogram as
 *                           synack_histogram_encode() writes it
 *   DIR/traces/P-R-KIND.csv the traces of run (P, R)
 *   DIR/plots/              what `synack plot` draws
 *
 * Paths, the runs.csv row format, the summary column names and the samples
 * encoding are spelled here and nowhere else; the runner and the plots
 * both go through it.  This header needs no engine or network type, so the
 * plots can include it. */
#pragma once

#include <glib.h>
#include "csv.h"
#include "histogram.h"

G_BEGIN_DECLS

#define SYNACK_RESULTS_ERROR (synack_results_error_quark ())
typedef enum {
  /* a file or directory cannot be read or written */
  SYNACK_RESULTS_ERROR_IO,
  /* a file is there but not what synack wrote */
  SYNACK_RESULTS_ERROR_DAMAGED,
} SynackResultsError;
GQuark synack_results_error_quark (void);

/* ---- paths --------------------------------------------------------------- */

#define SYNACK_RESULTS_CONFIG  "config.ini"
#define SYNACK_RESULTS_RUNS    "runs.csv"
#define SYNACK_RESULTS_SUMMARY "summary.csv"
#define SYNACK_RESULTS_SAMPLES "samples"
#define SYNACK_RESULTS_TRACES  "traces"
#define SYNACK_RESULTS_PLOTS   "plots"
#define SYNACK_RESULTS_LOCK    ".lock"

/* Returns: (transfer full) DIR/@name, @name one of the names above. */
char    *synack_results_path (const char *dir, const char *name);
/* Returns: (transfer full) DIR/samples/P-R.bin. */
char    *synack_results_samples_path (const char *dir, guint point,
                                      guint replication);
/* Returns: (transfer full) DIR/traces/P-R: a run's traces are
 * PREFIX-KIND.csv. */
char    *synack_results_trace_prefix (const char *dir, guint point,
                                      guint replication);
/* Whether file name @name is "P-R.bin" (samples) or "P-R-KIND.csv" (a trace,
 * @kind non-NULL) of point @point; *@replication receives R. */
gboolean synack_results_parse_samples_name (const char *name, guint point,
                                            guint *replication);
gboolean synack_results_parse_trace_name (const char *name, guint point,
                                          const char *kind,
                                          guint *replication);
/* Returns: (transfer full) (nullable) [experiment] name of DIR/config.ini,
 * or NULL when there is no readable regular config.ini naming it. */
char    *synack_results_experiment_name (const char *dir);

/* ---- the directory, for a batch ------------------------------------------ */

/* Takes DIR/.lock (creating DIR) for the caller's life: *@fd receives the
 * locked descriptor; synack_results_unlock() releases it.  Returns: FALSE
 * with SYNACK_RESULTS_ERROR_IO, also when another synack holds it; *@fd
 * is then -1 and the holder's .lock is left as it is. */
gboolean synack_results_lock (const char *dir, int *fd, GError **error);
/* Empties and closes a lock from synack_results_lock(); -1 is fine. */
void     synack_results_unlock (const char *dir, int fd);
/* Removes the temporaries a killed atomic write left in DIR and DIR/samples. */
void     synack_results_remove_stale_temps (const char *dir);
/* Removes runs.csv, summary.csv and the files in traces/, samples/ and
 * plots/: what an old batch wrote, before --force replaces it. */
gboolean synack_results_clear (const char *dir, GError **error);
/* Creates DIR/traces and DIR/samples, refusing symbolic links there. */
gboolean synack_results_make_subdirs (const char *dir, GError **error);
/* Whether two config.ini texts describe the same experiment: comments and
 * blank lines aside, but not the line naming the synack version. */
gboolean synack_results_same_config (const char *a, const char *b);

/* ---- runs.csv ------------------------------------------------------------ */

/* The sweep of a batch as runs.csv and summary.csv spell it. */
typedef struct {
  guint              n_keys;
  const char *const *keys;      /* [n_keys] "link.loss.p" */
  guint              n_points;
  /* [n_points * n_keys] value of key k at point p */
  const char *const *values;
} SynackResultsSweep;

/* runs.csv columns before the sweep keys, and the one the samples follow. */
#define SYNACK_RUNS_POINT       "point"
#define SYNACK_RUNS_REPLICATION "replication"
#define SYNACK_RUNS_SEED        "seed"
#define SYNACK_RUNS_SAMPLES     "handshake_samples"

/* Returns: (transfer full) runs.csv's header line, newline included:
 * point,replication,seed, the sweep keys, every metric column. */
char    *synack_results_runs_header (const SynackResultsSweep *sweep);
/* Number of metric columns of a runs.csv row. */
guint    synack_results_n_metrics (void);
/* Returns: (transfer full) the row of run (@point, @replication) with
 * @metrics[synack_results_n_metrics()] in column order, newline included.
 * Counts are written as integers, the rest with 9 digits, NaN as "". */
char    *synack_results_runs_row (const SynackResultsSweep *sweep,
                                  guint point, guint replication,
                                  guint64 seed, const double *metrics);
/* Appends @cells (element-type char*), a row of runs.csv as read, to @out
 * as runs.csv text, newline included. */
void     synack_results_runs_append_row (GString *out, GPtrArray *cells);
/* Reads DIR/runs.csv once, sorts its rows by (point, replication), writes
 * it back so, and returns the sorted table for the summary.
 * Returns: (transfer full) or NULL with @error (SYNACK_CSV_ERROR,
 * G_FILE_ERROR). */
SynackCsv *synack_results_runs_sort (const char *dir, GError **error);

/* ---- samples/P-R.bin ----------------------------------------------------- */

/* Writes the @n latencies (seconds) of run (@point, @replication)
 * atomically.  Returns: FALSE with a G_FILE_ERROR naming the file. */
gboolean synack_results_write_samples (const char *dir, guint point,
                                       guint replication,
                                       const double *latencies, gsize n,
                                       GError **error);
/* The same for a run that kept a histogram (more than
 * SYNACK_EXACT_SAMPLES_MAX attempts): @hist encoded
 * (synack_histogram_encode()). */
gboolean synack_results_write_histogram (const char *dir, guint point,
                                         guint replication,
                                         const SynackHistogram *hist,
                                         GError **error);
/* Whether samples file @path holds @expected latencies: a list by its
 * length alone (and its first 8 bytes), a histogram by its count.
 * Returns: FALSE with G_FILE_ERROR (missing) or SYNACK_RESULTS_ERROR_DAMAGED
 * (another length or count: truncated or not this run's; a damaged
 * histogram). */
gboolean synack_results_check_samples (const char *path, guint64 expected,
                                       GError **error);
/* Adds the latencies of samples file @path to @pool: a list to
 * @pool->exact (created if NULL) while @pool has no histogram, else to the
 * histogram; a histogram file turns @pool into a histogram
 * (synack_samples_to_histogram()) and is merged into it.  Lists are checked
 * as synack_results_read_samples() does.  Returns: FALSE with
 * SYNACK_RESULTS_ERROR naming the file. */
gboolean synack_results_pool_samples (const char *path, SynackSamples *pool,
                                      GError **error);
/* Appends the latencies of samples file @path, a list, to @into
 * (element-type double).  @zeros: (nullable) when set, latencies of 0 s
 * are counted there instead of appended.  Every value is checked (finite,
 * >= 0).  Returns: FALSE with SYNACK_RESULTS_ERROR naming the file:
 * missing, not a regular file, over 2 GiB, not whole doubles, a value no
 * latency has, or a histogram (read those with
 * synack_results_pool_samples()). */
gboolean synack_results_read_samples (const char *path, GArray *into,
                                      guint *zeros, GError **error);

/* ---- summary.csv --------------------------------------------------------- */

/* The column of the number of runs; the sweep keys are the columns before
 * it. */
#define SYNACK_SUMMARY_RUNS    "runs"
/* Pooled handshake samples of a point (over all its runs). */
#define SYNACK_SUMMARY_SAMPLES "handshake_s_samples"

typedef enum {
  SYNACK_SUMMARY_MEAN,      /* M_mean: the mean over runs */
  SYNACK_SUMMARY_CI_LO,     /* M_ci95_lo, M_ci95_hi: its Student t interval */
  SYNACK_SUMMARY_CI_HI,
  SYNACK_SUMMARY_RATE,      /* outcomes: M_rate, pooled over runs */
  SYNACK_SUMMARY_RATE_LO,   /* M_rate_ci95_lo, M_rate_ci95_hi: Wilson */
  SYNACK_SUMMARY_RATE_HI,
} SynackSummaryStat;

/* Returns: (transfer full) the summary column of @stat of metric @metric
 * (a runs.csv metric column, or "failure"): "handshake_mean_s_ci95_lo". */
char    *synack_summary_column (const char *metric, SynackSummaryStat stat);
/* Returns: (transfer full) a pooled handshake quantile column: @q is
 * "p50", "p95", "p99" or "p999"; @stat SYNACK_SUMMARY_MEAN (the quantile
 * itself), _CI_LO or _CI_HI (its order-statistic interval):
 * "handshake_pooled_p99_s_ci95_hi". */
char    *synack_summary_pooled_column (const char *q, SynackSummaryStat stat);
/* Returns: (transfer full) "handshake_s_@q" (@q "p50", "p95" or "p99"): the
 * pooled quantile alone, as synack wrote it before the intervals; still
 * written. */
char    *synack_summary_plain_quantile_column (const char *q);

/* Writes DIR/summary.csv from @runs (the table synack_results_runs_sort()
 * returned) and the samples files of its rows.  Points without a row are
 * left out.  Returns: FALSE with @error; a samples file that disagrees
 * with runs.csv is an error prefixed "summary.csv not written: ". */
gboolean synack_results_write_summary (const char *dir, const SynackCsv *runs,
                                       const SynackResultsSweep *sweep,
                                       GError **error);

G_END_DECLS
