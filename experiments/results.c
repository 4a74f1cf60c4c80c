/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/results.c - the results directory (see results.h).
 *
 * runs.csv is appended to row by row while a batch runs (the runner does
 * that, with the rows made here), then read once: sorted, written back and
 * summarised from the same table.  Samples are written and read only here,
 * so their encoding (little-endian doubles) has one spelling.  summary.csv
 * is in results-summary.c. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "metrics.h"
#include "text.h"

G_DEFINE_QUARK (synack-results-error-quark, synack_results_error)

/* ---- paths --------------------------------------------------------------- */

char *
synack_results_path (const char *dir, const char *name)
{
  return g_build_filename (dir, name, NULL);
}

char *
synack_results_samples_path (const char *dir, guint point, guint replication)
{
  g_autofree char *name = g_strdup_printf ("%u-%u.bin", point, replication);

  return g_build_filename (dir, SYNACK_RESULTS_SAMPLES, name, NULL);
}

char *
synack_results_trace_prefix (const char *dir, guint point, guint replication)
{
  g_autofree char *name = g_strdup_printf ("%u-%u", point, replication);

  return g_build_filename (dir, SYNACK_RESULTS_TRACES, name, NULL);
}

/* "P-" then R then @suffix, exactly. */
static gboolean
parse_run_name (const char *name, guint point, const char *suffix, guint *replication)
{
  char prefix[32];
  const char *rest;
  char *end;
  guint64 r;

  g_snprintf (prefix, sizeof prefix, "%u-", point);
  if (!g_str_has_prefix (name, prefix))
    return FALSE;
  rest = name + strlen (prefix);
  if (!g_ascii_isdigit (rest[0]))
    return FALSE;
  r = g_ascii_strtoull (rest, &end, 10);
  if (strcmp (end, suffix) != 0 || r >= G_MAXUINT)
    return FALSE;
  *replication = (guint) r;
  return TRUE;
}

gboolean
synack_results_parse_samples_name (const char *name, guint point, guint *replication)
{
  return parse_run_name (name, point, ".bin", replication);
}

gboolean
synack_results_parse_trace_name (const char *name, guint point, const char *kind,
                                 guint *replication)
{
  g_autofree char *suffix = g_strdup_printf ("-%s.csv", kind);

  return parse_run_name (name, point, suffix, replication);
}

char *
synack_results_experiment_name (const char *dir)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RESULTS_CONFIG, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  /* a FIFO or /dev/zero planted as config.ini would block or never end */
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
      g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return g_key_file_get_string (kf, "experiment", "name", NULL);
  return NULL;
}

/* ---- the directory, for a batch ------------------------------------------ */

/* flock() locks go away with the process, so a killed synack leaves no
 * stale lock; the file itself is left in place (unlinking it would race
 * with the next synack opening it), holding the pid of the last holder for
 * the message. */
gboolean
synack_results_lock (const char *dir, int *fd, GError **error)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RESULTS_LOCK, NULL);
  char pid[32] = "";
  int e;

  *fd = -1;
  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      (*fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
    e = errno;
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s: cannot create: %s", path, g_strerror (e));
    return FALSE;
  }
  if (flock (*fd, LOCK_EX | LOCK_NB) != 0) {
    ssize_t n;

    e = errno;
    if (e != EWOULDBLOCK) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                   "%s: cannot lock: %s", path, g_strerror (e));
      close (*fd);
      *fd = -1;
      return FALSE;
    }
    n = pread (*fd, pid, sizeof pid - 1, 0);
    pid[MAX (n, 0)] = '\0';
    g_strchomp (pid);
    /* not ours: closed untouched, the holder's pid stays for the next */
    close (*fd);
    *fd = -1;
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s is in use by another synack%s%s%s; wait for it to finish, "
                 "or write elsewhere with -o", dir, pid[0] ? " (pid " : "", pid,
                 pid[0] ? ")" : "");
    return FALSE;
  }
  g_snprintf (pid, sizeof pid, "%ld\n", (long) getpid ());
  /* the pid is only for the message: failing to write it is harmless */
  if (ftruncate (*fd, 0) != 0 || pwrite (*fd, pid, strlen (pid), 0) < 0)
    g_debug ("%s: cannot write the pid: %s", path, g_strerror (errno));
  return TRUE;
}

void
synack_results_unlock (const char *dir, int fd)
{
  if (fd < 0)
    return;
  /* empty again, so that two finished batches leave identical files */
  if (ftruncate (fd, 0) != 0)
    g_debug ("%s/" SYNACK_RESULTS_LOCK ": %s", dir, g_strerror (errno));
  close (fd);   /* releases the lock */
}

/* GLib's temporary for an atomic write of NAME is "NAME.XXXXXX". */
static gboolean
is_stale_temp (const char *name)
{
  static const char *const exts[] = { ".csv", ".bin", ".ini" };
  gsize len = strlen (name);

  if (len < 11 || name[len - 7] != '.')
    return FALSE;
  for (gsize i = len - 6; i < len; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (exts); k++)
    if (strncmp (name + len - 11, exts[k], 4) == 0)
      return TRUE;
  return FALSE;
}

/* Nothing reads the temporaries; with the lock held, no one is writing
 * them. */
void
synack_results_remove_stale_temps (const char *dir)
{
  const char *subdirs[] = { "", SYNACK_RESULTS_SAMPLES };

  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);
    g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d))) {
      g_autofree char *path = g_build_filename (sub, name, NULL);
      GStatBuf st;

      if (is_stale_temp (name) && g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        g_unlink (path);
    }
  }
}

static gboolean
remove_file (const char *path, GError **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT) {
    int e = errno;

    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s: cannot remove: %s", path, g_strerror (e));
    return FALSE;
  }
  return TRUE;
}

/* Removes the regular files and symlinks in @dir (not what links point
 * to), so a replaced batch leaves none of its traces, samples or plots. */
static gboolean
empty_dir (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return TRUE;
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      continue;
    if (!remove_file (path, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
synack_results_clear (const char *dir, GError **error)
{
  const char *files[] = { SYNACK_RESULTS_RUNS, SYNACK_RESULTS_SUMMARY };
  const char *subdirs[] = { SYNACK_RESULTS_TRACES, SYNACK_RESULTS_SAMPLES,
                            SYNACK_RESULTS_PLOTS };

  for (guint k = 0; k < G_N_ELEMENTS (files); k++) {
    g_autofree char *path = g_build_filename (dir, files[k], NULL);

    if (!remove_file (path, error))
      return FALSE;
  }
  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);

    if (!empty_dir (sub, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
synack_results_make_subdirs (const char *dir, GError **error)
{
  const char *subdirs[] = { SYNACK_RESULTS_TRACES, SYNACK_RESULTS_SAMPLES };

  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);
    GStatBuf st;

    if (g_mkdir_with_parents (sub, 0755) != 0) {
      int e = errno;

      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                   "%s: cannot create: %s", sub, g_strerror (e));
      return FALSE;
    }
    /* a link planted here would send every trace or sample outside */
    if (g_lstat (sub, &st) != 0)
      st.st_mode = 0;
    if (!S_ISDIR (st.st_mode)) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO, "%s: %s", sub,
                   S_ISLNK (st.st_mode) ? "is a symbolic link; not written through"
                   : "not a directory");
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
config_line_counts (const char *line)
{
  while (g_ascii_isspace (*line))
    line++;
  if (g_str_has_prefix (line, "# written by synack"))
    return TRUE;
  return *line != '\0' && *line != '#' && *line != ';';
}

/* A user may annotate config.ini: comments and blank lines do not count. */
gboolean
synack_results_same_config (const char *a, const char *b)
{
  g_auto (GStrv) la = g_strsplit (a, "\n", -1);
  g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
  guint i = 0, j = 0;

  for (;;) {
    const char *x, *y;

    while (la[i] != NULL && !config_line_counts (la[i]))
      i++;
    while (lb[j] != NULL && !config_line_counts (lb[j]))
      j++;
    if (la[i] == NULL || lb[j] == NULL)
      return la[i] == NULL && lb[j] == NULL;
    x = la[i++];
    y = lb[j++];
    while (g_ascii_isspace (*x))
      x++;
    while (g_ascii_isspace (*y))
      y++;
    if (strcmp (g_strchomp ((char *) x), g_strchomp ((char *) y)) != 0)
      return FALSE;
  }
}

/* ---- runs.csv ------------------------------------------------------------ */

static void
append_double (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;   /* empty cell: not applicable */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

char *
synack_results_runs_header (const SynackResultsSweep *sweep)
{
  GString *s = g_string_new (SYNACK_RUNS_POINT "," SYNACK_RUNS_REPLICATION ","
                             SYNACK_RUNS_SEED);
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);

  for (guint k = 0; k < sweep->n_keys; k++) {
    g_string_append_c (s, ',');
    synack_text_csv_append (s, sweep->keys[k]);
  }
  for (guint c = 0; c < n_cols; c++)
    g_string_append_printf (s, ",%s", cols[c].name);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

guint
synack_results_n_metrics (void)
{
  guint n_cols;

  synack_metric_columns (&n_cols);
  return n_cols;
}

char *
synack_results_runs_row (const SynackResultsSweep *sweep, guint point, guint replication,
                         guint64 seed, const double *metrics)
{
  GString *s = g_string_new (NULL);
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);

  g_string_append_printf (s, "%u,%u,%" G_GUINT64_FORMAT, point, replication, seed);
  for (guint k = 0; k < sweep->n_keys; k++) {
    g_string_append_c (s, ',');
    synack_text_csv_append (s, sweep->values[point * sweep->n_keys + k]);
  }
  for (guint c = 0; c < n_cols; c++) {
    g_string_append_c (s, ',');
    if (cols[c].kind == SYNACK_METRIC_COUNT || cols[c].kind == SYNACK_METRIC_OUTCOME)
      g_string_append_printf (s, "%.0f", metrics[c]);
    else
      append_double (s, metrics[c]);
  }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

void
synack_results_runs_append_row (GString *out, GPtrArray *cells)
{
  for (guint c = 0; c < cells->len; c++) {
    if (c)
      g_string_append_c (out, ',');
    synack_text_csv_append (out, cells->pdata[c]);
  }
  g_string_append_c (out, '\n');
}

typedef struct {
  guint64   point, replication;
  GPtrArray *cells;
  guint     line;
} SortRow;

/* By (point, replication); equal keys keep their order (the sort is
 * stable). */
static gint
compare_sort_rows (gconstpointer a, gconstpointer b)
{
  const SortRow *x = a, *y = b;

  if (x->point != y->point)
    return x->point < y->point ? -1 : 1;
  return x->replication < y->replication ? -1 : (x->replication > y->replication ? 1 : 0);
}

SynackCsv *
synack_results_runs_sort (const char *dir, GError **error)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RESULTS_RUNS, NULL);
  SynackCsv *csv = synack_csv_read (path, SYNACK_CSV_STRICT, error);
  g_autoptr (GArray) rows = NULL;
  GString *out;
  int cp, cr;
  gboolean ok;

  if (csv == NULL)
    return NULL;
  cp = synack_csv_column (csv, SYNACK_RUNS_POINT);
  cr = synack_csv_column (csv, SYNACK_RUNS_REPLICATION);
  rows = g_array_sized_new (FALSE, FALSE, sizeof (SortRow), csv->rows->len);
  for (guint row = 0; row < csv->rows->len; row++) {
    SortRow r = {
      cp >= 0 ? g_ascii_strtoull (synack_csv_cell (csv, row, (guint) cp), NULL, 10) : 0,
      cr >= 0 ? g_ascii_strtoull (synack_csv_cell (csv, row, (guint) cr), NULL, 10) : 0,
      csv->rows->pdata[row], g_array_index (csv->lines, guint, row),
    };

    g_array_append_val (rows, r);
  }
  g_array_sort (rows, compare_sort_rows);
  out = g_string_new (NULL);
  synack_results_runs_append_row (out, csv->header);
  for (guint k = 0; k < rows->len; k++) {
    SortRow *r = &g_array_index (rows, SortRow, k);

    csv->rows->pdata[k] = r->cells;
    g_array_index (csv->lines, guint, k) = r->line;
    synack_results_runs_append_row (out, r->cells);
  }
  ok = synack_text_write_atomic (path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  if (!ok)
    g_clear_pointer (&csv, synack_csv_free);
  return csv;
}

/* ---- samples/P-R.bin ----------------------------------------------------- */

gboolean
synack_results_write_histogram (const char *dir, guint point, guint replication,
                                const SynackHistogram *hist, GError **error)
{
  g_autofree char *path = synack_results_samples_path (dir, point, replication);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();

  synack_histogram_encode (hist, bytes);
  return synack_text_write_atomic (path, (const char *) bytes->data,
                                   (gssize) bytes->len, error);
}

gboolean
synack_results_write_samples (const char *dir, guint point, guint replication,
                              const double *latencies, gsize n, GError **error)
{
  g_autofree char *path = synack_results_samples_path (dir, point, replication);
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  return synack_text_write_atomic (path, (const char *) latencies,
                                   (gssize) (n * sizeof (double)), error);
#else
  g_autofree guint64 *le = g_new (guint64, MAX (n, 1));

  for (gsize i = 0; i < n; i++) {
    memcpy (&le[i], &latencies[i], sizeof le[i]);
    le[i] = GUINT64_TO_LE (le[i]);
  }
  return synack_text_write_atomic (path, (const char *) le, (gssize) (n * sizeof (double)),
                                   error);
#endif
}

/* Whether @path starts with a histogram's magic (8 bytes). */
static gboolean
starts_as_histogram (const char *path)
{
  guint8 head[8];
  FILE *f = fopen (path, "rb");
  gboolean yes = f != NULL && fread (head, 1, sizeof head, f) == sizeof head &&
                 synack_histogram_is_encoded (head, sizeof head);

  if (f != NULL)
    fclose (f);
  return yes;
}

/* Returns: (transfer full) the histogram of samples file @path, which
 * starts as one, or NULL with SYNACK_RESULTS_ERROR naming it. */
static SynackHistogram *
read_histogram (const char *path, GError **error)
{
  g_autofree char *bytes = NULL;
  gsize len;
  g_autoptr (GError) sub = NULL;
  SynackHistogram *h;

  if (!g_file_get_contents (path, &bytes, &len, &sub)) {
    g_set_error_literal (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                         sub->message);
    return NULL;
  }
  h = synack_histogram_decode ((const guint8 *) bytes, len, &sub);
  if (h == NULL)
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                 "%s: %s", path, sub->message);
  return h;
}

gboolean
synack_results_check_samples (const char *path, guint64 expected, GError **error)
{
  GStatBuf st;

  if (g_stat (path, &st) != 0) {
    int e = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", path,
                 g_strerror (e));
    return FALSE;
  }
  /* a list is checked by its length; the magic of a histogram is no
   * latency (about 1e-70 s as a double), so 8 bytes tell them apart */
  if (st.st_size >= 8 && starts_as_histogram (path)) {
    g_autoptr (SynackHistogram) h = read_histogram (path, error);

    if (h == NULL)
      return FALSE;
    if (synack_histogram_count (h) != expected) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                   "%s: a histogram of %" G_GUINT64_FORMAT " latencies where "
                   "runs.csv says %" G_GUINT64_FORMAT ": not this run's", path,
                   synack_histogram_count (h), expected);
      return FALSE;
    }
    return TRUE;
  }
  if ((guint64) st.st_size != expected * sizeof (double)) {
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                 "%s: %" G_GUINT64_FORMAT " bytes where runs.csv says %" G_GUINT64_FORMAT
                 " latencies (%" G_GUINT64_FORMAT " bytes): truncated or not this run's",
                 path, (guint64) st.st_size, expected, expected * (guint64) sizeof (double));
    return FALSE;
  }
  return TRUE;
}

gboolean
synack_results_read_samples (const char *path, GArray *into, guint *zeros, GError **error)
{
  g_autofree char *bytes = NULL;
  gsize len;
  GStatBuf st;
  g_autoptr (GError) io_error = NULL;

  /* a FIFO or device would block or never end */
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR)) {
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO, "%s: %s", path,
                 g_file_test (path, G_FILE_TEST_EXISTS) ? "not a regular file"
                 : "missing (a samples file per run of runs.csv)");
    return FALSE;
  }
  /* g_malloc aborts on a file bigger than memory: 2^28 samples is more
   * than any run of synack establishes */
  if (g_stat (path, &st) == 0 && (guint64) st.st_size > (G_GUINT64_CONSTANT (1) << 31)) {
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s: %" G_GUINT64_FORMAT " bytes, more than synack reads (2 GiB)", path,
                 (guint64) st.st_size);
    return FALSE;
  }
  if (!g_file_get_contents (path, &bytes, &len, &io_error)) {
    g_set_error_literal (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                         io_error->message);
    return FALSE;
  }
  if (synack_histogram_is_encoded ((const guint8 *) bytes, len)) {
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                 "%s: a histogram, not a list of latencies", path);
    return FALSE;
  }
  if (len % sizeof (double) != 0) {
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                 "%s: %" G_GSIZE_FORMAT " bytes is not a whole number of doubles "
                 "(a truncated file?)", path, len);
    return FALSE;
  }
  for (gsize i = 0; i < len / sizeof (double); i++) {
    guint64 bits;
    double v;

    memcpy (&bits, bytes + i * sizeof (double), sizeof bits);
    bits = GUINT64_FROM_LE (bits);
    memcpy (&v, &bits, sizeof v);
    /* a latency is finite and >= 0: anything else is a damaged file */
    if (!(v >= 0 && v < 1e15)) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_DAMAGED,
                   "%s: sample %" G_GSIZE_FORMAT " (byte %" G_GSIZE_FORMAT ") is %g, "
                   "not a latency in seconds", path, i, i * sizeof (double), v);
      return FALSE;
    }
    if (v > 0 || zeros == NULL)
      g_array_append_val (into, v);
    else
      (*zeros)++;
  }
  return TRUE;
}

gboolean
synack_results_pool_samples (const char *path, SynackSamples *pool,
                             GError **error)
{
  if (g_file_test (path, G_FILE_TEST_IS_REGULAR) &&
      starts_as_histogram (path)) {
    g_autoptr (SynackHistogram) h = read_histogram (path, error);

    if (h == NULL)
      return FALSE;
    synack_samples_to_histogram (pool);
    synack_histogram_merge (pool->hist, h);
    return TRUE;
  }
  if (pool->hist != NULL) {
    g_autoptr (GArray) list = g_array_new (FALSE, FALSE, sizeof (double));
    SynackSamples add = { list, NULL };

    if (!synack_results_read_samples (path, list, NULL, error))
      return FALSE;
    add.hist = g_steal_pointer (&pool->hist);
    synack_samples_to_histogram (&add);
    pool->hist = g_steal_pointer (&add.hist);
    return TRUE;
  }
  if (pool->exact == NULL)
    pool->exact = g_array_new (FALSE, FALSE, sizeof (double));
  return synack_results_read_samples (path, pool->exact, NULL, error);
}
