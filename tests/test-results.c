/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-results.c - the results directory contract (experiments/
 * results.h): what `synack run` writes and `synack plot` reads.
 *
 * References: the README's "Results directory" table (samples/P-R.bin:
 * "little-endian doubles, as many as its handshake_samples"), IEEE 754-2008
 * binary64 for the bytes of a double, GLib's g_file_set_contents() for
 * the temporaries an atomic write leaves ("NAME.XXXXXX"), flock(2) for the
 * directory lock, and gsl_stats_quantile_from_sorted_data() (Hyndman and
 * Fan's definition 7) for the pooled quantiles of summary.csv. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "metrics.h"
#include "results.h"

static char *
scratch_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("synack-results-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
remove_tree (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      remove_tree (path);
    else
      g_unlink (path);
  }
  g_rmdir (dir);
}

static char *
make_samples_dir (const char *dir)
{
  char *samples = g_build_filename (dir, SYNACK_RESULTS_SAMPLES, NULL);

  g_assert_cmpint (g_mkdir (samples, 0755), ==, 0);
  return samples;
}

/* ---- the samples encoding ------------------------------------------------ */

/* IEEE 754 binary64, little-endian: 1.0 is 0x3FF0000000000000, 0.025 is
 * 0x3F9999999999999A, 3600.0 is 0x40AC200000000000. */
static void
test_samples_bytes (void)
{
  static const double lat[] = { 1.0, 0.025, 0.0, 3600.0 };
  static const guint8 expect[] = {
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xF0, 0x3F,
    0x9A, 0x99, 0x99, 0x99, 0x99, 0x99, 0x99, 0x3F,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
    0x00, 0x00, 0x00, 0x00, 0x00, 0x20, 0xAC, 0x40,
  };
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *path = synack_results_samples_path (dir, 3, 7);
  g_autofree char *bytes = NULL;
  g_autoptr (GArray) all = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) positive = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  gsize len;
  guint zeros = 0;

  g_assert_true (g_str_has_suffix (path, "/samples/3-7.bin"));
  g_assert_true (synack_results_write_samples (dir, 3, 7, lat, G_N_ELEMENTS (lat), &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &bytes, &len, NULL));
  g_assert_cmpmem (bytes, len, expect, sizeof expect);

  g_assert_true (synack_results_check_samples (path, G_N_ELEMENTS (lat), &error));
  g_assert_no_error (error);
  /* the runner pools every latency, 0 s too */
  g_assert_true (synack_results_read_samples (path, all, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpmem (all->data, all->len * sizeof (double), lat, sizeof lat);
  /* the plots count the 0 s ones apart (a log axis cannot show them) */
  g_assert_true (synack_results_read_samples (path, positive, &zeros, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (positive->len, ==, 3);
  g_assert_cmpuint (zeros, ==, 1);
  remove_tree (dir);
}

/* A run that established nothing has an empty samples file. */
static void
test_samples_empty (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *path = synack_results_samples_path (dir, 0, 0);
  g_autoptr (GArray) into = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_results_write_samples (dir, 0, 0, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (synack_results_check_samples (path, 0, &error));
  g_assert_no_error (error);
  g_assert_true (synack_results_read_samples (path, into, NULL, &error));
  g_assert_cmpuint (into->len, ==, 0);
  g_assert_false (synack_results_check_samples (path, 1, &error));
  g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED);
  remove_tree (dir);
}

typedef struct {
  const char *path;
  guint64     expected;    /* latencies the check is told of */
  gboolean    ok;
  const char *message;     /* substring, when it fails */
} CheckCase;

/* The file holds 4 latencies (32 bytes). */
static const CheckCase check_cases[] = {
  { "/results/samples/check/exact",      4, TRUE,  NULL },
  { "/results/samples/check/one-short",  5, FALSE,
    "32 bytes where runs.csv says 5 latencies (40 bytes): truncated" },
  { "/results/samples/check/one-over",   3, FALSE, "32 bytes where runs.csv says 3" },
  { "/results/samples/check/zero",       0, FALSE, "32 bytes where runs.csv says 0" },
};

static void
test_samples_check (gconstpointer data)
{
  const CheckCase *tc = data;
  static const double lat[] = { 0.1, 0.2, 0.3, 0.4 };
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *path = synack_results_samples_path (dir, 1, 2);
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_results_write_samples (dir, 1, 2, lat, 4, NULL));
  g_assert_cmpint (synack_results_check_samples (path, tc->expected, &error), ==, tc->ok);
  if (tc->ok) {
    g_assert_no_error (error);
  } else {
    g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED);
    g_assert_nonnull (strstr (error->message, tc->message));
  }
  remove_tree (dir);
}

static void
test_samples_check_missing (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *path = synack_results_samples_path (dir, 0, 1);
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_results_check_samples (path, 0, &error));
  g_assert_error (error, G_FILE_ERROR, G_FILE_ERROR_NOENT);
  g_assert_nonnull (strstr (error->message, "samples/0-1.bin"));
  remove_tree (dir);
}

typedef enum { BAD_BYTES, BAD_DIRECTORY, BAD_MISSING } BadKind;

typedef struct {
  const char *path;
  BadKind     kind;
  guint64     bits[2];     /* BAD_BYTES: the doubles' bit patterns */
  gsize       len;         /* BAD_BYTES: bytes written */
  gboolean    ok;
  gint        code;
  const char *message;
} ReadCase;

static const ReadCase read_cases[] = {
  /* a crash cut the file inside a double */
  { "/results/samples/read/not-whole", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x3FF0000000000000), 0 }, 12, FALSE,
    SYNACK_RESULTS_ERROR_DAMAGED, "12 bytes is not a whole number of doubles" },
  { "/results/samples/read/one-byte", BAD_BYTES, { 0, 0 }, 1, FALSE,
    SYNACK_RESULTS_ERROR_DAMAGED, "1 bytes is not a whole number" },
  /* quiet NaN 0x7FF8000000000000 as the second sample */
  { "/results/samples/read/nan", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x3FF0000000000000), G_GUINT64_CONSTANT (0x7FF8000000000000) },
    16, FALSE, SYNACK_RESULTS_ERROR_DAMAGED, "sample 1 (byte 8) is nan" },
  { "/results/samples/read/infinity", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x7FF0000000000000), 0 }, 8, FALSE,
    SYNACK_RESULTS_ERROR_DAMAGED, "sample 0 (byte 0) is inf, not a latency" },
  /* -1.0 */
  { "/results/samples/read/negative", BAD_BYTES,
    { G_GUINT64_CONSTANT (0xBFF0000000000000), 0 }, 8, FALSE,
    SYNACK_RESULTS_ERROR_DAMAGED, "is -1, not a latency" },
  /* -0.0 compares equal to 0: a latency of 0 s */
  { "/results/samples/read/negative-zero", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x8000000000000000), 0 }, 8, TRUE, 0, NULL },
  /* 1e15 s (0x430C6BF526340000) is the first value refused; the double
   * just below it is read */
  { "/results/samples/read/at-bound", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x430C6BF526340000), 0 }, 8, FALSE,
    SYNACK_RESULTS_ERROR_DAMAGED, "is 1e+15, not a latency" },
  { "/results/samples/read/below-bound", BAD_BYTES,
    { G_GUINT64_CONSTANT (0x430C6BF52633FFFF), 0 }, 8, TRUE, 0, NULL },
  /* the smallest subnormal, 5e-324 s: odd, but a latency */
  { "/results/samples/read/subnormal", BAD_BYTES,
    { G_GUINT64_CONSTANT (1), 0 }, 8, TRUE, 0, NULL },
  { "/results/samples/read/directory", BAD_DIRECTORY, { 0, 0 }, 0, FALSE,
    SYNACK_RESULTS_ERROR_IO, "samples/0-0.bin: not a regular file" },
  { "/results/samples/read/missing", BAD_MISSING, { 0, 0 }, 0, FALSE,
    SYNACK_RESULTS_ERROR_IO, "samples/0-0.bin: missing" },
};

static void
test_samples_read (gconstpointer data)
{
  const ReadCase *tc = data;
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *path = synack_results_samples_path (dir, 0, 0);
  g_autoptr (GArray) into = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;
  guint64 le[2] = { GUINT64_TO_LE (tc->bits[0]), GUINT64_TO_LE (tc->bits[1]) };

  if (tc->kind == BAD_BYTES)
    g_assert_true (g_file_set_contents (path, (const char *) le, (gssize) tc->len, NULL));
  else if (tc->kind == BAD_DIRECTORY)
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
  g_assert_cmpint (synack_results_read_samples (path, into, NULL, &error), ==, tc->ok);
  if (tc->ok) {
    g_assert_no_error (error);
    g_assert_cmpuint (into->len, ==, tc->len / sizeof (double));
  } else {
    g_assert_error (error, SYNACK_RESULTS_ERROR, tc->code);
    if (strstr (error->message, tc->message) == NULL)
      g_error ("\"%s\" lacks \"%s\"", error->message, tc->message);
  }
  remove_tree (dir);
}

/* ---- file names ------------------------------------------------------------ */

typedef struct {
  const char *path;
  const char *name;
  guint       point;
  const char *kind;        /* NULL: a samples name */
  gboolean    ok;
  guint       replication;
} NameCase;

static const NameCase name_cases[] = {
  { "/results/names/samples/first",        "0-0.bin",       0, NULL, TRUE,  0 },
  { "/results/names/samples/two-digits",   "3-12.bin",      3, NULL, TRUE,  12 },
  { "/results/names/samples/other-point",  "3-12.bin",      4, NULL, FALSE, 0 },
  { "/results/names/samples/point-prefix", "13-1.bin",      3, NULL, FALSE, 0 },
  { "/results/names/samples/leading-zero", "03-1.bin",      3, NULL, FALSE, 0 },
  { "/results/names/samples/no-rep",       "3-.bin",        3, NULL, FALSE, 0 },
  { "/results/names/samples/signed-rep",   "3-+1.bin",      3, NULL, FALSE, 0 },
  { "/results/names/samples/temporary",    "3-1.bin.a1B2c3", 3, NULL, FALSE, 0 },
  { "/results/names/samples/rep-too-big",  "3-4294967295.bin", 3, NULL, FALSE, 0 },
  { "/results/names/samples/rep-max",      "3-4294967294.bin", 3, NULL, TRUE, 4294967294u },
  { "/results/names/trace/occupancy",      "2-1-occupancy.csv", 2, "occupancy", TRUE, 1 },
  { "/results/names/trace/other-kind",     "2-1-segments.csv",  2, "occupancy", FALSE, 0 },
  { "/results/names/trace/samples-name",   "2-1.bin",           2, "occupancy", FALSE, 0 },
};

static void
test_names (gconstpointer data)
{
  const NameCase *tc = data;
  guint rep = G_MAXUINT;
  gboolean ok = tc->kind == NULL
                ? synack_results_parse_samples_name (tc->name, tc->point, &rep)
                : synack_results_parse_trace_name (tc->name, tc->point, tc->kind, &rep);

  g_assert_cmpint (ok, ==, tc->ok);
  if (ok)
    g_assert_cmpuint (rep, ==, tc->replication);
}

/* ---- summary column names ---------------------------------------------------- */

typedef struct {
  const char       *path;
  const char       *metric;   /* NULL: a pooled quantile @q */
  const char       *q;
  SynackSummaryStat stat;
  const char       *column;
} ColumnCase;

static const ColumnCase column_cases[] = {
  { "/results/summary/column/mean",      "handshake_mean_s", NULL, SYNACK_SUMMARY_MEAN,
    "handshake_mean_s_mean" },
  { "/results/summary/column/ci-lo",     "teardown_mean_s", NULL, SYNACK_SUMMARY_CI_LO,
    "teardown_mean_s_ci95_lo" },
  { "/results/summary/column/ci-hi",     "attempts", NULL, SYNACK_SUMMARY_CI_HI,
    "attempts_ci95_hi" },
  { "/results/summary/column/rate",      "failed", NULL, SYNACK_SUMMARY_RATE, "failed_rate" },
  { "/results/summary/column/rate-lo",   "ghost", NULL, SYNACK_SUMMARY_RATE_LO,
    "ghost_rate_ci95_lo" },
  { "/results/summary/column/rate-hi",   "failure", NULL, SYNACK_SUMMARY_RATE_HI,
    "failure_rate_ci95_hi" },
  { "/results/summary/column/pooled",    NULL, "p50", SYNACK_SUMMARY_MEAN,
    "handshake_pooled_p50_s" },
  { "/results/summary/column/pooled-lo", NULL, "p99", SYNACK_SUMMARY_CI_LO,
    "handshake_pooled_p99_s_ci95_lo" },
  { "/results/summary/column/pooled-hi", NULL, "p999", SYNACK_SUMMARY_CI_HI,
    "handshake_pooled_p999_s_ci95_hi" },
};

static void
test_column (gconstpointer data)
{
  const ColumnCase *tc = data;
  g_autofree char *got = tc->metric != NULL ? synack_summary_column (tc->metric, tc->stat)
                                           : synack_summary_pooled_column (tc->q, tc->stat);

  g_assert_cmpstr (got, ==, tc->column);
}

/* ---- runs.csv and summary.csv ------------------------------------------------- */

static const char *const sweep_keys[] = { "link.loss.p", "experiment.protocol" };
/* the second value needs CSV quotes */
static const char *const sweep_values[] = { "0", "tcp3way", "0.05", "a,b" };
static const SynackResultsSweep sweep = { 2, sweep_keys, 2, sweep_values };

/* The metrics of a run with @n handshakes, the rest 0 (NaN for what is
 * not applicable). */
static double *
run_metrics (guint64 n)
{
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  double *v = g_new (double, n_cols);

  for (guint c = 0; c < n_cols; c++) {
    v[c] = cols[c].kind == SYNACK_METRIC_COUNT || cols[c].kind == SYNACK_METRIC_OUTCOME
           ? 0 : NAN;
    if (strcmp (cols[c].name, SYNACK_RUNS_SAMPLES) == 0 ||
        strcmp (cols[c].name, "attempts") == 0 || strcmp (cols[c].name, "established") == 0)
      v[c] = (double) n;
  }
  return v;
}

static void
test_runs_rows (void)
{
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  g_autofree char *header = synack_results_runs_header (&sweep);
  g_autofree double *m = run_metrics (7);
  g_autofree char *row = NULL;
  g_auto (GStrv) cells = NULL;

  g_assert_cmpuint (synack_results_n_metrics (), ==, n_cols);
  g_assert_true (g_str_has_prefix (header,
                                   "point,replication,seed,link.loss.p,experiment.protocol,"));
  g_assert_true (g_str_has_suffix (header, "\n"));
  m[0] = 1.0 / 3.0;   /* a count is written as an integer, the rest with 9 digits */
  row = synack_results_runs_row (&sweep, 1, 2, G_MAXUINT64, m);
  g_assert_true (g_str_has_prefix (row, "1,2,18446744073709551615,0.05,\"a,b\","));
  g_assert_true (g_str_has_suffix (row, "\n"));
  cells = g_strsplit (strstr (row, "\"a,b\",") + strlen ("\"a,b\","), ",", -1);
  g_assert_cmpuint (g_strv_length (cells), ==, n_cols);
  for (guint c = 0; c < n_cols; c++) {
    g_strchomp (cells[c]);
    if (c == 0)
      g_assert_cmpstr (cells[c], ==, cols[0].kind == SYNACK_METRIC_COUNT ||
                                     cols[0].kind == SYNACK_METRIC_OUTCOME
                                     ? "0" : "0.333333333");
    else if (isnan (m[c]))
      g_assert_cmpstr (cells[c], ==, "");   /* not applicable: an empty cell */
  }
}

/* Writes runs.csv with the rows of (point, replication) @order, each run
 * with @n[r] handshakes whose samples are written too. */
static void
write_batch (const char *dir, const guint (*order)[2], guint n_rows, const double *lat,
             guint n_lat)
{
  g_autofree char *path = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  g_autofree char *samples = make_samples_dir (dir);
  GString *text = g_string_new (NULL);
  g_autofree char *header = synack_results_runs_header (&sweep);

  g_string_append (text, header);
  for (guint i = 0; i < n_rows; i++) {
    g_autofree double *m = run_metrics (n_lat);
    g_autofree char *row = synack_results_runs_row (&sweep, order[i][0], order[i][1],
                                                    100 + i, m);

    g_string_append (text, row);
    g_assert_true (synack_results_write_samples (dir, order[i][0], order[i][1], lat, n_lat,
                                                 NULL));
  }
  g_assert_true (g_file_set_contents (path, text->str, (gssize) text->len, NULL));
  g_string_free (text, TRUE);
}

/* A resumed batch appends rows out of order: runs.csv is sorted by point,
 * then replication, as numbers (10 after 2), and the table returned is the
 * file as written. */
static void
test_runs_sort (void)
{
  static const guint order[][2] = { { 1, 0 }, { 0, 1 }, { 1, 10 }, { 1, 2 }, { 0, 0 } };
  static const guint sorted[][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 }, { 1, 2 }, { 1, 10 } };
  static const double lat[] = { 0.5 };
  g_autofree char *dir = scratch_new ();
  g_autofree char *path = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  g_autoptr (SynackCsv) runs = NULL;
  g_autoptr (SynackCsv) reread = NULL;
  g_autoptr (GError) error = NULL;

  write_batch (dir, order, G_N_ELEMENTS (order), lat, 1);
  runs = synack_results_runs_sort (dir, &error);
  g_assert_no_error (error);
  reread = synack_csv_read (path, SYNACK_CSV_STRICT, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (runs->rows->len, ==, G_N_ELEMENTS (sorted));
  for (guint i = 0; i < G_N_ELEMENTS (sorted); i++) {
    g_autofree char *p = g_strdup_printf ("%u", sorted[i][0]);
    g_autofree char *r = g_strdup_printf ("%u", sorted[i][1]);

    g_assert_cmpstr (synack_csv_cell (runs, i, 0), ==, p);
    g_assert_cmpstr (synack_csv_cell (runs, i, 1), ==, r);
    g_assert_cmpstr (synack_csv_cell (reread, i, 0), ==, p);
    g_assert_cmpstr (synack_csv_cell (reread, i, 1), ==, r);
    /* quoted values survive the round trip */
    g_assert_cmpstr (synack_csv_cell (reread, i, 4), ==, sweep_values[sorted[i][0] * 2 + 1]);
  }
  /* the lines of the table are those of the file it was read from */
  g_assert_cmpuint (g_array_index (runs->lines, guint, 0), ==, 6);
  remove_tree (dir);
}

/* summary.csv: the columns synack_summary_column() names, the pooled
 * quantiles of every sample of a point's runs, and the error for a samples
 * file that disagrees with runs.csv. */
static void
test_summary (void)
{
  static const guint order[][2] = { { 0, 0 }, { 0, 1 }, { 1, 0 } };
  static const double lat[] = { 0.1, 0.4, 0.2, 0.3 };
  g_autofree char *dir = scratch_new ();
  g_autofree char *summary_path = synack_results_path (dir, SYNACK_RESULTS_SUMMARY);
  g_autoptr (SynackCsv) runs = NULL;
  g_autoptr (SynackCsv) summary = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *p50 = synack_summary_pooled_column ("p50", SYNACK_SUMMARY_MEAN);
  g_autofree char *p50_plain = synack_summary_plain_quantile_column ("p50");
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  double v;

  write_batch (dir, order, G_N_ELEMENTS (order), lat, G_N_ELEMENTS (lat));
  runs = synack_results_runs_sort (dir, &error);
  g_assert_no_error (error);
  g_assert_true (synack_results_write_summary (dir, runs, &sweep, &error));
  g_assert_no_error (error);
  summary = synack_csv_read (summary_path, SYNACK_CSV_STRICT, &error);
  g_assert_no_error (error);
  /* the sweep keys, then runs */
  g_assert_cmpint (synack_csv_column (summary, SYNACK_SUMMARY_RUNS), ==, 2);
  g_assert_cmpstr (summary->header->pdata[0], ==, "link.loss.p");
  for (guint c = 0; c < n_cols; c++)
    for (SynackSummaryStat s = SYNACK_SUMMARY_MEAN; s <= SYNACK_SUMMARY_RATE_HI; s++) {
      g_autofree char *name = synack_summary_column (cols[c].name, s);
      gboolean rate = s >= SYNACK_SUMMARY_RATE;

      g_assert_cmpint (synack_csv_column (summary, name) >= 0, ==,
                       !rate || cols[c].kind == SYNACK_METRIC_OUTCOME);
    }
  g_assert_cmpstr (synack_csv_cell (summary, 0, 2), ==, "2");
  g_assert_cmpstr (synack_csv_cell (summary, 1, 2), ==, "1");
  g_assert_cmpstr (synack_csv_cell (summary, 1, 1), ==, "a,b");
  /* point 0 pools 8 samples: 0.1 0.1 0.2 0.2 0.3 0.3 0.4 0.4; the
   * median (definition 7) is 0.25 */
  g_assert_true (synack_csv_double (summary, 0, (guint) synack_csv_column (summary, p50), &v,
                                    NULL));
  g_assert_cmpfloat_with_epsilon (v, 0.25, 1e-9);
  g_assert_true (synack_csv_double (summary, 0,
                                    (guint) synack_csv_column (summary, p50_plain), &v, NULL));
  g_assert_cmpfloat_with_epsilon (v, 0.25, 1e-9);
  g_assert_true (synack_csv_double (summary, 0,
                                    (guint) synack_csv_column (summary, SYNACK_SUMMARY_SAMPLES),
                                    &v, NULL));
  g_assert_cmpfloat (v, ==, 8);

  /* a samples file cut short: no summary from other data than runs.csv's */
  {
    g_autofree char *bin = synack_results_samples_path (dir, 0, 1);

    g_assert_cmpint (truncate (bin, 16), ==, 0);
    g_assert_false (synack_results_write_summary (dir, runs, &sweep, &error));
    g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED);
    g_assert_true (g_str_has_prefix (error->message, "summary.csv not written: "));
    g_assert_nonnull (strstr (error->message, "samples/0-1.bin: 16 bytes where runs.csv "
                                              "says 4 latencies"));
  }
  remove_tree (dir);
}

/* ---- the directory, for a batch ---------------------------------------------- */

typedef struct {
  const char *path;
  const char *a, *b;
  gboolean    same;
} ConfigCase;

static const ConfigCase config_cases[] = {
  { "/results/config/identical", "[experiment]\nname = x\n", "[experiment]\nname = x\n", TRUE },
  { "/results/config/comment", "# mine\n[experiment]\nname = x\n; too\n",
    "[experiment]\nname = x\n", TRUE },
  { "/results/config/blank-lines", "\n[experiment]\n\n\nname = x\n",
    "[experiment]\nname = x", TRUE },
  { "/results/config/spaces", "  [experiment]  \nname = x \t\n", "[experiment]\nname = x\n",
    TRUE },
  { "/results/config/value", "[experiment]\nname = x\n", "[experiment]\nname = y\n", FALSE },
  { "/results/config/extra-key", "[experiment]\nname = x\n",
    "[experiment]\nname = x\nseed = 1\n", FALSE },
  /* the version line counts, although it is a comment */
  { "/results/config/version", "# written by synack 1.0\n[experiment]\n",
    "# written by synack 1.1\n[experiment]\n", FALSE },
  { "/results/config/empty", "", "# nothing\n\n", TRUE },
};

static void
test_same_config (gconstpointer data)
{
  const ConfigCase *tc = data;

  g_assert_cmpint (synack_results_same_config (tc->a, tc->b), ==, tc->same);
  g_assert_cmpint (synack_results_same_config (tc->b, tc->a), ==, tc->same);
}

/* flock(2) locks belong to the open file description: a second open of
 * .lock, even in this process, is refused while the first holds it. */
static void
test_lock (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *sub = g_build_filename (dir, "new", NULL);
  g_autofree char *lock = g_build_filename (sub, SYNACK_RESULTS_LOCK, NULL);
  g_autofree char *text = NULL;
  g_autoptr (GError) error = NULL;
  int fd, fd2;

  g_assert_true (synack_results_lock (sub, &fd, &error));   /* creates the directory */
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (lock, &text, NULL, NULL));
  g_assert_cmpint (atoi (text), ==, getpid ());
  g_assert_false (synack_results_lock (sub, &fd2, &error));
  g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "is in use by another synack (pid "));
  g_assert_cmpint (fd2, ==, -1);
  g_clear_error (&error);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (lock, &text, NULL, NULL));
  g_assert_cmpint (atoi (text), ==, getpid ());   /* the holder's pid stays */
  synack_results_unlock (sub, fd2);   /* -1 from the refusal: nothing */
  synack_results_unlock (sub, fd);
  g_clear_pointer (&text, g_free);
  g_assert_true (g_file_get_contents (lock, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "");     /* emptied: finished batches leave equal files */
  g_assert_true (synack_results_lock (sub, &fd, &error));
  synack_results_unlock (sub, fd);
  remove_tree (dir);
}

/* What a killed atomic write leaves is NAME.XXXXXX beside config.ini,
 * runs.csv, summary.csv and the samples: those go, nothing else. */
static void
test_stale_temps (void)
{
  static const struct { const char *name; gboolean removed; } files[] = {
    { "runs.csv.Ab12cD", TRUE },
    { "config.ini.000000", TRUE },
    { "samples/0-0.bin.xYz123", TRUE },
    { "runs.csv", FALSE },
    { "runs.csv.Ab12c", FALSE },         /* five characters: not GLib's */
    { "runs.csv.Ab-2cD", FALSE },        /* not alphanumeric */
    { "notes.txt.Ab12cD", FALSE },       /* not a file synack writes */
    { "traces/0-0-states.csv.Ab12cD", FALSE },   /* traces are streamed, not atomic */
  };
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *traces = g_build_filename (dir, SYNACK_RESULTS_TRACES, NULL);

  g_assert_cmpint (g_mkdir (traces, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (dir, files[i].name, NULL);

    g_assert_true (g_file_set_contents (path, "x", 1, NULL));
  }
  synack_results_remove_stale_temps (dir);
  for (guint i = 0; i < G_N_ELEMENTS (files); i++) {
    g_autofree char *path = g_build_filename (dir, files[i].name, NULL);

    if (g_file_test (path, G_FILE_TEST_EXISTS) == files[i].removed)
      g_error ("%s: %s", files[i].name, files[i].removed ? "kept" : "removed");
  }
  remove_tree (dir);
}

/* --force: the old batch's files go, its directories and what a link in
 * them points to stay. */
static void
test_clear (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *outside = scratch_new ();
  g_autofree char *target = g_build_filename (outside, "keep", NULL);
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *plots = g_build_filename (dir, SYNACK_RESULTS_PLOTS, NULL);
  g_autofree char *link = g_build_filename (plots, "link", NULL);
  g_autofree char *bin = g_build_filename (samples, "0-0.bin", NULL);
  g_autofree char *runs = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  g_autofree char *config = synack_results_path (dir, SYNACK_RESULTS_CONFIG);
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (g_mkdir (plots, 0755), ==, 0);
  g_assert_true (g_file_set_contents (target, "x", 1, NULL));
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_true (g_file_set_contents (bin, "x", 1, NULL));
  g_assert_true (g_file_set_contents (runs, "x", 1, NULL));
  g_assert_true (g_file_set_contents (config, "x", 1, NULL));
  g_assert_true (synack_results_clear (dir, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (bin, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (runs, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (link, G_FILE_TEST_IS_SYMLINK));
  g_assert_true (g_file_test (target, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (samples, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (config, G_FILE_TEST_EXISTS));   /* replaced by the caller */
  remove_tree (dir);
  remove_tree (outside);
}

/* A link planted at traces/ would send every trace elsewhere. */
static void
test_subdirs (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *outside = scratch_new ();
  g_autofree char *traces = g_build_filename (dir, SYNACK_RESULTS_TRACES, NULL);
  g_autofree char *samples = g_build_filename (dir, SYNACK_RESULTS_SAMPLES, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_results_make_subdirs (dir, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_test (traces, G_FILE_TEST_IS_DIR));
  g_assert_true (g_file_test (samples, G_FILE_TEST_IS_DIR));
  g_assert_cmpint (g_rmdir (traces), ==, 0);
  g_assert_cmpint (symlink (outside, traces), ==, 0);
  g_assert_false (synack_results_make_subdirs (dir, &error));
  g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "traces: is a symbolic link"));
  g_unlink (traces);
  remove_tree (dir);
  remove_tree (outside);
}

/* The [experiment] name of config.ini; NULL without a readable one. */
static void
test_experiment_name (void)
{
  g_autofree char *dir = scratch_new ();
  g_autofree char *config = synack_results_path (dir, SYNACK_RESULTS_CONFIG);
  g_autofree char *none = synack_results_experiment_name (dir);
  g_autofree char *name = NULL;
  g_autofree char *fifo_name = NULL;

  g_assert_null (none);
  g_assert_true (g_file_set_contents (config, "[experiment]\nname = quick start\n", -1,
                                      NULL));
  name = synack_results_experiment_name (dir);
  g_assert_cmpstr (name, ==, "quick start");
  /* a FIFO planted as config.ini is not opened: it would block */
  g_unlink (config);
  g_assert_cmpint (mkfifo (config, 0644), ==, 0);
  fifo_name = synack_results_experiment_name (dir);
  g_assert_null (fifo_name);
  remove_tree (dir);
}

/* ---- histograms (issue 13): runs over SYNACK_EXACT_SAMPLES_MAX attempts -- */

typedef struct {
  const char *path;
  guint64     expected;     /* latencies runs.csv says */
  gsize       cut_to;       /* 0: whole; else bytes kept */
  gboolean    ok;
  const char *message;
} HistCheckCase;

/* The histogram of 3 latencies: 56 header bytes + 12 per bucket (3). */
static const HistCheckCase hist_check_cases[] = {
  { "/results/samples/histogram/check/count",     3, 0,  TRUE,  NULL },
  { "/results/samples/histogram/check/other-count", 4, 0, FALSE,
    "a histogram of 3 latencies where runs.csv says 4" },
  { "/results/samples/histogram/check/truncated", 3, 60, FALSE,
    "not a latency histogram: its length does not match" },
  /* 92 bytes cut to 88 = 11 doubles: a list's length check would pass */
  { "/results/samples/histogram/check/list-length", 11, 88, FALSE,
    "not a latency histogram" },
};

static void
write_hist3 (const char *dir, guint point, guint rep)
{
  g_autoptr (SynackHistogram) h = synack_histogram_new ();
  g_autoptr (GError) error = NULL;

  synack_histogram_add (h, 20000000);      /* 20 ms */
  synack_histogram_add (h, 1020000000);    /* 1.02 s: one SYN lost */
  synack_histogram_add (h, 3020000000u);   /* 3.02 s */
  g_assert_true (synack_results_write_histogram (dir, point, rep, h, &error));
  g_assert_no_error (error);
}

static void
test_hist_check (gconstpointer data)
{
  const HistCheckCase *tc = data;
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *path = synack_results_samples_path (dir, 0, 0);
  g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GError) error = NULL;

  write_hist3 (dir, 0, 0);
  if (tc->cut_to > 0)
    g_assert_cmpint (truncate (path, (off_t) tc->cut_to), ==, 0);
  g_assert_cmpint (synack_results_check_samples (path, tc->expected, &error), ==, tc->ok);
  if (tc->ok) {
    g_assert_no_error (error);
    /* a histogram is no list of doubles */
    g_assert_false (synack_results_read_samples (path, list, NULL, &error));
    g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED);
    g_assert_nonnull (strstr (error->message, "a histogram, not a list"));
  } else {
    g_assert_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED);
    g_assert_nonnull (strstr (error->message, tc->message));
  }
  remove_tree (dir);
}

/* Pooling a list and a histogram gives one histogram of all of them,
 * whichever comes first; lists alone stay lists. */
static void
test_hist_pool (void)
{
  static const double lat[] = { 0.020, 0.021, 1.02 };
  g_autofree char *dir = scratch_new ();
  g_autofree char *samples = make_samples_dir (dir);
  g_autofree char *list_path = synack_results_samples_path (dir, 0, 0);
  g_autofree char *hist_path = synack_results_samples_path (dir, 0, 1);
  g_auto (SynackSamples) a = { NULL, NULL };
  g_auto (SynackSamples) b = { NULL, NULL };
  g_auto (SynackSamples) lists = { NULL, NULL };
  g_autoptr (GByteArray) ea = g_byte_array_new ();
  g_autoptr (GByteArray) eb = g_byte_array_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_results_write_samples (dir, 0, 0, lat, 3, &error));
  write_hist3 (dir, 0, 1);
  g_assert_true (synack_results_pool_samples (list_path, &a, &error));
  g_assert_true (synack_results_pool_samples (hist_path, &a, &error));
  g_assert_true (synack_results_pool_samples (hist_path, &b, &error));
  g_assert_true (synack_results_pool_samples (list_path, &b, &error));
  g_assert_no_error (error);
  g_assert_nonnull (a.hist);
  g_assert_cmpuint (synack_samples_count (&a), ==, 6);
  synack_histogram_encode (a.hist, ea);
  synack_histogram_encode (b.hist, eb);
  g_assert_cmpmem (ea->data, ea->len, eb->data, eb->len);
  /* 20 ms exactly, from the list's 0.020 s */
  g_assert_cmpuint (synack_histogram_min (a.hist), ==, 20000000);
  g_assert_true (synack_results_pool_samples (list_path, &lists, &error));
  g_assert_true (synack_results_pool_samples (list_path, &lists, &error));
  g_assert_null (lists.hist);
  g_assert_cmpuint (lists.exact->len, ==, 6);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/results/samples/bytes", test_samples_bytes);
  g_test_add_func ("/results/samples/empty", test_samples_empty);
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    g_test_add_data_func (check_cases[i].path, &check_cases[i], test_samples_check);
  g_test_add_func ("/results/samples/check/missing", test_samples_check_missing);
  for (guint i = 0; i < G_N_ELEMENTS (hist_check_cases); i++)
    g_test_add_data_func (hist_check_cases[i].path, &hist_check_cases[i],
                          test_hist_check);
  g_test_add_func ("/results/samples/histogram/pool", test_hist_pool);
  for (guint i = 0; i < G_N_ELEMENTS (read_cases); i++)
    g_test_add_data_func (read_cases[i].path, &read_cases[i], test_samples_read);
  for (guint i = 0; i < G_N_ELEMENTS (name_cases); i++)
    g_test_add_data_func (name_cases[i].path, &name_cases[i], test_names);
  for (guint i = 0; i < G_N_ELEMENTS (column_cases); i++)
    g_test_add_data_func (column_cases[i].path, &column_cases[i], test_column);
  g_test_add_func ("/results/runs/rows", test_runs_rows);
  g_test_add_func ("/results/runs/sort", test_runs_sort);
  g_test_add_func ("/results/summary/write", test_summary);
  for (guint i = 0; i < G_N_ELEMENTS (config_cases); i++)
    g_test_add_data_func (config_cases[i].path, &config_cases[i], test_same_config);
  g_test_add_func ("/results/dir/lock", test_lock);
  g_test_add_func ("/results/dir/stale-temps", test_stale_temps);
  g_test_add_func ("/results/dir/clear", test_clear);
  g_test_add_func ("/results/dir/subdirs", test_subdirs);
  g_test_add_func ("/results/dir/experiment-name", test_experiment_name);
  return g_test_run ();
}
