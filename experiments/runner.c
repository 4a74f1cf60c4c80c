/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/runner.c - the batch runner (see runner.h).
 *
 * Runs are numbered i = point * replications + replication.  Workers of a
 * GThreadPool take them in that order, each with its own SynackRunSpec (so
 * its own scheduler and RNG streams) and a seed derived from the experiment
 * seed, the point and the replication: outputs depend on nothing else, so
 * they are byte-identical for any -j.  A finished run's row is appended to
 * runs.csv as soon as every run before it has finished, and flushed, so a
 * batch killed at any moment keeps every finished run in order; --resume
 * re-reads runs.csv and runs only what is missing.  At the end runs.csv is
 * rewritten sorted (a resumed batch may have re-run a failed run after
 * later ones) and summary.csv is computed from runs.csv and samples/, the
 * same way whether the batch ran in one go or in pieces. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <gsl/gsl_sort.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "stats.h"
#include "text.h"

G_DEFINE_QUARK (synack-runner-error-quark, synack_runner_error)

static volatile sig_atomic_t interrupted;

static void
on_signal (int sig)
{
  interrupted = 1;
}

void
synack_runner_install_signal_handlers (void)
{
  struct sigaction sa;

  memset (&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigemptyset (&sa.sa_mask);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
}

guint64
synack_runner_run_seed (guint64 seed, guint point, guint replication)
{
  char name[64];

  g_snprintf (name, sizeof name, "run/%u/%u", point, replication);
  return synack_rng_derive_seed (seed, name);
}

typedef enum { RUN_PENDING, RUN_DONE, RUN_FAILED, RUN_SKIPPED } RunStatus;

typedef struct {
  RunStatus     status;
  gboolean      wanted;      /* to be run in this invocation */
  gboolean      written;     /* its row is in runs.csv */
  SynackMetrics metrics;
  char         *error;
} RunSlot;

typedef struct {
  SynackConfig  *cfg;
  const SynackRunnerOptions *opt;
  char          *dir;
  guint          n_points, reps, n_runs;
  SynackRunSpec *point_specs;   /* [n_points] */
  RunSlot       *runs;          /* [n_runs] */
  GMutex         lock;
  FILE          *runs_csv;      /* unbuffered: a failed row leaves nothing behind */
  GError        *write_error;   /* a full disk, or a row could not be appended */
  gint           stopping;      /* atomic: write_error is set, the batch stops */
  int            lock_fd;       /* DIR/.lock, flock()ed for the batch's life */
  guint          next_to_write;
  guint          wanted, finished, failed;
  double         running_fraction; /* progress inside unfinished runs, for the bar */
  gint64         start_us, last_draw_us;
  SynackProgressMode mode;
  guint         *point_left;    /* runs of each point still to finish */
} Batch;

/* ---- runs.csv rows ------------------------------------------------------------ */

static void
append_double (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isnan (v))
    return;   /* empty cell: not applicable */
  g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

static char *
runs_header (Batch *b)
{
  GString *s = g_string_new ("point,replication,seed");
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);

  for (guint k = 0; k < synack_config_n_sweep_keys (b->cfg); k++) {
    g_string_append_c (s, ',');
    synack_text_csv_append (s, synack_config_sweep_key (b->cfg, k));
  }
  for (guint c = 0; c < n_cols; c++)
    g_string_append_printf (s, ",%s", cols[c].name);
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

static char *
runs_row (Batch *b, guint i)
{
  guint point = i / b->reps, rep = i % b->reps;
  GString *s = g_string_new (NULL);
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);

  g_string_append_printf (s, "%u,%u,%" G_GUINT64_FORMAT, point, rep,
                          synack_runner_run_seed (synack_config_seed (b->cfg), point, rep));
  for (guint k = 0; k < synack_config_n_sweep_keys (b->cfg); k++) {
    g_string_append_c (s, ',');
    synack_text_csv_append (s, synack_config_point_value (b->cfg, point, k));
  }
  for (guint c = 0; c < n_cols; c++) {
    g_string_append_c (s, ',');
    if (cols[c].kind == SYNACK_METRIC_COUNT || cols[c].kind == SYNACK_METRIC_OUTCOME)
      g_string_append_printf (s, "%.0f", synack_metric_value (&b->runs[i].metrics, &cols[c]));
    else
      append_double (s, synack_metric_value (&b->runs[i].metrics, &cols[c]));
  }
  g_string_append_c (s, '\n');
  return g_string_free (s, FALSE);
}

/* Appends one row.  On failure (ENOSPC, EIO) the file is cut back to its
 * length before the row, so runs.csv never holds half a row that --resume
 * would have to guess about. */
static gboolean
append_row (Batch *b, const char *row, GError **error)
{
  int fd = fileno (b->runs_csv);
  struct stat st;
  int e;

  if (fstat (fd, &st) != 0) {
    e = errno;
    st.st_size = -1;
  } else if (fputs (row, b->runs_csv) != EOF && fflush (b->runs_csv) == 0) {
    return TRUE;
  } else {
    e = errno;
  }
  if (st.st_size >= 0 && ftruncate (fd, st.st_size) != 0)
    g_warning ("%s/runs.csv: cannot remove a partial row: %s", b->dir, g_strerror (errno));
  clearerr (b->runs_csv);
  g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
               "%s/runs.csv: cannot append a row: %s%s; the rows before it are kept; "
               "finish with: synack run --resume %s", b->dir, g_strerror (e),
               e == ENOSPC ? " (the disk is full: free some space first)" : "", b->dir);
  return FALSE;
}

/* Appends the rows of every finished run that all earlier runs allow.
 * Called with the lock held. */
static void
write_ready_rows (Batch *b)
{
  while (b->next_to_write < b->n_runs && b->write_error == NULL) {
    RunSlot *r = &b->runs[b->next_to_write];

    if (r->wanted && r->status == RUN_PENDING)
      break;
    if (r->wanted && r->status == RUN_DONE && !r->written) {
      g_autofree char *row = runs_row (b, b->next_to_write);

      if (!append_row (b, row, &b->write_error)) {
        g_atomic_int_set (&b->stopping, 1);
        break;
      }
      r->written = TRUE;
    }
    b->next_to_write++;
  }
}

/* ---- progress ------------------------------------------------------------------- */

static void
format_duration (char *buf, gsize size, double s)
{
  guint total = (guint) MAX (0.0, s + 0.5);

  if (total >= 3600)
    g_snprintf (buf, size, "%u:%02u:%02u", total / 3600, total / 60 % 60, total % 60);
  else
    g_snprintf (buf, size, "%u:%02u", total / 60, total % 60);
}

/* Called with the lock held. */
static void
draw_bar (Batch *b, gboolean final)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed = (double) (now - b->start_us) / 1e6;
  double done = b->finished + b->running_fraction;
  double frac = b->wanted ? done / b->wanted : 1.0;
  char el[32], eta[32], bar[31];
  guint fill = (guint) (frac * 30);

  if (!final && now - b->last_draw_us < 100000)
    return;
  b->last_draw_us = now;
  for (guint k = 0; k < 30; k++)
    bar[k] = k < fill ? '=' : (k == fill ? '>' : ' ');
  bar[30] = '\0';
  format_duration (el, sizeof el, elapsed);
  if (frac > 0.001)
    format_duration (eta, sizeof eta, elapsed / frac - elapsed);
  else
    g_strlcpy (eta, "?", sizeof eta);
  /* ESC[K clears what a longer line drawn before left behind ("0:005") */
  fprintf (stderr, "\r[%s] %u/%u runs  elapsed %s  ETA %s\033[K%s", bar, b->finished,
           b->wanted, el, final ? "0:00" : eta, final ? "\n" : "");
  fflush (stderr);
}

static void
point_line (Batch *b, guint point)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < synack_config_n_sweep_keys (b->cfg); k++)
    g_string_append_printf (s, "%s%s=%s", k ? " " : " (", synack_config_sweep_key (b->cfg, k),
                            synack_config_point_value (b->cfg, point, k));
  if (s->len)
    g_string_append_c (s, ')');
  fprintf (stderr, "synack: point %u/%u done%s, %u/%u runs, %.1f s\n", point + 1, b->n_points,
           s->str, b->finished, b->wanted,
           (double) (g_get_monotonic_time () - b->start_us) / 1e6);
  g_string_free (s, TRUE);
}

typedef struct {
  Batch *b;
  double last;
} RunProgress;

static gboolean
run_progress (double fraction, gpointer user_data)
{
  RunProgress *rp = user_data;

  if (rp->b->mode == SYNACK_PROGRESS_AUTO) {
    g_mutex_lock (&rp->b->lock);
    rp->b->running_fraction += fraction - rp->last;
    draw_bar (rp->b, FALSE);
    g_mutex_unlock (&rp->b->lock);
  }
  rp->last = fraction;
  return !interrupted && !g_atomic_int_get (&rp->b->stopping);
}

/* ---- one run -------------------------------------------------------------------- */

/* samples/P-R.bin: the run's handshake latencies as 8-byte doubles in
 * seconds (runs of at most SYNACK_EXACT_SAMPLES_MAX attempts), or its
 * histogram as synack_histogram_encode() writes it (larger runs). */
static gboolean
write_samples (const char *path, const SynackSamples *samples, GError **error)
{
  g_autoptr (GByteArray) bytes = NULL;

  if (samples->exact != NULL)
    return synack_text_write_atomic (path, samples->exact->data,
                                     (gssize) (samples->exact->len * sizeof (double)), error);
  bytes = g_byte_array_new ();
  synack_histogram_encode (samples->hist, bytes);
  return synack_text_write_atomic (path, (const char *) bytes->data, (gssize) bytes->len,
                                   error);
}

/* ENOSPC or EDQUOT, from the samples writer (GFileError) or a trace (whose
 * message carries strerror()). */
static gboolean
disk_full (const GError *error)
{
  return error != NULL &&
         (g_error_matches (error, G_FILE_ERROR, G_FILE_ERROR_NOSPC) ||
          strstr (error->message, g_strerror (ENOSPC)) != NULL ||
          strstr (error->message, g_strerror (EDQUOT)) != NULL);
}

static void
run_one (gpointer data, gpointer user_data)
{
  Batch *b = user_data;
  guint i = GPOINTER_TO_UINT (data) - 1;
  guint point = i / b->reps, rep = i % b->reps;
  RunSlot *slot = &b->runs[i];
  SynackRunSpec spec;
  SynackSamples lat = { NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autofree char *samples = NULL;
  RunProgress rp = { b, 0 };
  SynackMetrics m;
  gboolean ok = FALSE;

  if (!interrupted && !g_atomic_int_get (&b->stopping)) {
    synack_run_spec_copy (&spec, &b->point_specs[point]);
    spec.seed = synack_runner_run_seed (synack_config_seed (b->cfg), point, rep);
    spec.trace_prefix = g_strdup_printf ("%s/traces/%u-%u", b->dir, point, rep);
    ok = synack_net_run (&spec, &m, &lat, run_progress, &rp, &error);
    synack_run_spec_clear (&spec);
    if (ok) {
      samples = g_strdup_printf ("%s/samples/%u-%u.bin", b->dir, point, rep);
      ok = write_samples (samples, &lat, &error);
    }
    synack_samples_clear (&lat);
  }

  g_mutex_lock (&b->lock);
  b->running_fraction -= rp.last;
  if ((interrupted || b->write_error) && !ok) {
    slot->status = RUN_SKIPPED;
  } else if (!ok && disk_full (error)) {
    /* not the run's fault, and every run after it would fail the same way:
     * stop the batch, keep what is finished, and let --resume redo this one */
    slot->status = RUN_SKIPPED;
    b->write_error = g_error_new (SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                                  "%s (the disk is full: free some space first); the "
                                  "finished runs are kept; finish with: synack run --resume %s",
                                  error->message, b->dir);
    g_atomic_int_set (&b->stopping, 1);
  } else if (ok) {
    slot->status = RUN_DONE;
    slot->metrics = m;
  } else {
    slot->status = RUN_FAILED;
    /* a FALSE without a GError is a bug, but must not take the batch */
    slot->error = g_strdup (error != NULL ? error->message
                                          : "failed without saying why (a bug: please report it)");
    b->failed++;
    fprintf (stderr, "%ssynack: run failed: point %u replication %u seed %" G_GUINT64_FORMAT
             ": %s\n", b->mode == SYNACK_PROGRESS_AUTO ? "\n" : "", point, rep,
             synack_runner_run_seed (synack_config_seed (b->cfg), point, rep), slot->error);
  }
  if (slot->status != RUN_SKIPPED) {
    b->finished++;
    if (--b->point_left[point] == 0 && b->mode == SYNACK_PROGRESS_LINES)
      point_line (b, point);
  }
  write_ready_rows (b);
  if (b->mode == SYNACK_PROGRESS_AUTO)
    draw_bar (b, FALSE);
  g_mutex_unlock (&b->lock);
}

/* ---- results directory -------------------------------------------------------- */

/* Takes DIR/.lock for the batch's life, so a second synack (run or --resume)
 * into DIR is refused instead of interleaving its rows with ours.  flock()
 * locks go away with the process, so a killed synack leaves no stale lock;
 * the file itself is left in place (unlinking it would race with the next
 * synack opening it), holding the pid of the last holder for the message. */
static gboolean
lock_dir (Batch *b, GError **error)
{
  g_autofree char *path = g_build_filename (b->dir, ".lock", NULL);
  char pid[32] = "";
  int e;

  if (g_mkdir_with_parents (b->dir, 0755) != 0 ||
      (b->lock_fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) < 0) {
    e = errno;
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: cannot create: %s",
                 path, g_strerror (e));
    return FALSE;
  }
  if (flock (b->lock_fd, LOCK_EX | LOCK_NB) != 0) {
    ssize_t n;

    e = errno;
    if (e != EWOULDBLOCK) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: cannot lock: %s",
                   path, g_strerror (e));
      return FALSE;
    }
    n = pread (b->lock_fd, pid, sizeof pid - 1, 0);
    pid[MAX (n, 0)] = '\0';
    g_strchomp (pid);
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                 "%s is in use by another synack%s%s%s; wait for it to finish, "
                 "or write elsewhere with -o", b->dir, pid[0] ? " (pid " : "", pid,
                 pid[0] ? ")" : "");
    return FALSE;
  }
  g_snprintf (pid, sizeof pid, "%ld\n", (long) getpid ());
  /* the pid is only for the message: failing to write it is harmless */
  if (ftruncate (b->lock_fd, 0) != 0 || pwrite (b->lock_fd, pid, strlen (pid), 0) < 0)
    g_debug ("%s: cannot write the pid: %s", path, g_strerror (errno));
  return TRUE;
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

/* Removes what a synack killed in the middle of an atomic write left (GLib's
 * temporaries beside config.ini, runs.csv, summary.csv and the samples).
 * Nothing reads them; with the lock held, no one is writing them. */
static void
remove_stale_temps (Batch *b)
{
  const char *subdirs[] = { "", "samples" };

  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *dir = g_build_filename (b->dir, subdirs[k], NULL);
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d))) {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      GStatBuf st;

      if (is_stale_temp (name) && g_lstat (path, &st) == 0 && S_ISREG (st.st_mode))
        g_unlink (path);
    }
  }
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

/* Whether two config.ini texts describe the same experiment: comments and
 * blank lines aside (a user may annotate config.ini), but not the line
 * naming the synack version that wrote it. */
static gboolean
same_config_text (const char *a, const char *b)
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
    if (g_unlink (path) != 0 && errno != ENOENT) {
      int e = errno;

      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                   "%s: cannot remove: %s", path, g_strerror (e));
      return FALSE;
    }
  }
  return TRUE;
}

/* --force: what the old batch wrote goes, so nothing of it can be read
 * as part of the new one. */
static gboolean
clear_old_results (Batch *b, GError **error)
{
  const char *files[] = { "runs.csv", "summary.csv" };
  const char *subdirs[] = { "traces", "samples", "plots" };

  for (guint k = 0; k < G_N_ELEMENTS (files); k++) {
    g_autofree char *path = g_build_filename (b->dir, files[k], NULL);

    if (g_unlink (path) != 0 && errno != ENOENT) {
      int e = errno;

      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                   "%s: cannot remove: %s", path, g_strerror (e));
      return FALSE;
    }
  }
  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (b->dir, subdirs[k], NULL);

    if (!empty_dir (sub, error))
      return FALSE;
  }
  return TRUE;
}

static gboolean
prepare_dir (Batch *b, const char *ini, GError **error)
{
  g_autofree char *config_path = g_build_filename (b->dir, "config.ini", NULL);
  g_autofree char *old = NULL;
  const char *subdirs[] = { "traces", "samples" };

  if (g_mkdir_with_parents (b->dir, 0755) != 0) {
    int e = errno;

    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: cannot create: %s",
                 b->dir, g_strerror (e));
    return FALSE;
  }
  if (g_file_get_contents (config_path, &old, NULL, NULL) && !same_config_text (old, ini)) {
    if (!b->opt->force) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT,
                   "%s holds the results of a different experiment (its config.ini "
                   "differs); use --force to replace them, or -o to write elsewhere",
                   b->dir);
      return FALSE;
    }
    if (!clear_old_results (b, error))
      return FALSE;
    g_clear_pointer (&old, g_free);
  }
  if (b->opt->resume && old == NULL) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_NOTHING_TO_RESUME,
                 "%s: nothing to resume (no config.ini)", b->dir);
    return FALSE;
  }
  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (b->dir, subdirs[k], NULL);
    GStatBuf st;

    if (g_mkdir_with_parents (sub, 0755) != 0) {
      int e = errno;

      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                   "%s: cannot create: %s", sub, g_strerror (e));
      return FALSE;
    }
    /* a link planted here would send every trace or sample outside */
    if (g_lstat (sub, &st) != 0)
      st.st_mode = 0;
    if (!S_ISDIR (st.st_mode)) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: %s", sub,
                   S_ISLNK (st.st_mode) ? "is a symbolic link; not written through"
                   : "not a directory");
      return FALSE;
    }
  }
  /* the same experiment's config.ini stays as it is, comments and all */
  if (old == NULL && !synack_text_write_atomic (config_path, ini, -1, error))
    return FALSE;
  return TRUE;
}

/* Latencies pooled over the runs of a point: exact while every file is a
 * list, a histogram (exact lists added to it) once one is. */
typedef struct {
  GArray          *exact;   /* (element-type double) seconds */
  SynackHistogram *hist;    /* nanoseconds, or NULL */
} Pool;

static void
pool_clear (Pool *pool)
{
  g_clear_pointer (&pool->exact, g_array_unref);
  g_clear_pointer (&pool->hist, synack_histogram_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Pool, pool_clear)

static void
pool_add_exact (SynackHistogram *h, const double *s, gsize n)
{
  /* the doubles were ns / 1e9 of whole nanoseconds: back to them exactly */
  for (gsize i = 0; i < n; i++)
    synack_histogram_add (h, (guint64) llround (MAX (s[i], 0.0) * (double) SYNACK_SECOND));
}

/* Appends the @expected latencies of samples file @path to @into (NULL:
 * only checks).  A missing file, one of another length (truncated by a
 * crash or a full disk), or a histogram of another count is an error that
 * names it. */
static gboolean
read_samples (const char *path, guint64 expected, Pool *into, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;
  GStatBuf st;

  if (g_stat (path, &st) != 0) {
    int e = errno;

    g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (e), "%s: %s", path,
                 g_strerror (e));
    return FALSE;
  }
  len = (gsize) st.st_size;
  /* a list of the right length needs no reading just to be checked: its
   * first 8 bytes tell it from a histogram (whose magic is no latency) */
  if (into == NULL && len == expected * sizeof (double)) {
    guint8 head[8];
    FILE *f = len >= sizeof head ? fopen (path, "rb") : NULL;
    gboolean hist = f != NULL && fread (head, 1, sizeof head, f) == sizeof head &&
                    synack_histogram_is_encoded (head, sizeof head);

    if (f != NULL)
      fclose (f);
    if (!hist)
      return TRUE;
  }
  if (!g_file_get_contents (path, &data, &len, error))
    return FALSE;
  if (data != NULL && synack_histogram_is_encoded ((const guint8 *) data, len)) {
    g_autoptr (SynackHistogram) h = synack_histogram_decode ((const guint8 *) data, len, error);

    if (h == NULL) {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
    if (synack_histogram_count (h) != expected) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                   "%s: a histogram of %" G_GUINT64_FORMAT " latencies where runs.csv says %"
                   G_GUINT64_FORMAT ": not this run's", path, synack_histogram_count (h),
                   expected);
      return FALSE;
    }
    if (into == NULL)
      return TRUE;
    if (into->hist == NULL) {
      into->hist = synack_histogram_new ();
      pool_add_exact (into->hist, (const double *) into->exact->data, into->exact->len);
      g_array_set_size (into->exact, 0);
    }
    synack_histogram_merge (into->hist, h);
    return TRUE;
  }
  if (len != expected * sizeof (double)) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                 "%s: %" G_GSIZE_FORMAT " bytes where runs.csv says %" G_GUINT64_FORMAT
                 " latencies (%" G_GUINT64_FORMAT " bytes): truncated or not this run's",
                 path, len, expected, expected * (guint64) sizeof (double));
    return FALSE;
  }
  if (into == NULL)
    return TRUE;
  if (into->hist != NULL)
    pool_add_exact (into->hist, (const double *) data, (gsize) expected);
  else
    g_array_append_vals (into->exact, data, (guint) expected);
  return TRUE;
}

/* Whether run @i is one that --point/--replication select. */
static gboolean
is_selected (const Batch *b, guint i)
{
  const SynackRunnerOptions *opt = b->opt;

  return (opt->point < 0 || (guint) opt->point == i / b->reps) &&
         (opt->replication < 0 || (guint) opt->replication == i % b->reps);
}

/* Marks the runs already in runs.csv as done, and rewrites it with them
 * alone.  A row is kept only if its samples file is whole; a run shown
 * twice must be shown the same way twice (it then counts once).  Without
 * --resume, the runs --point/--replication select are dropped, to be run
 * again, and every other row stays. */
static gboolean
load_finished (Batch *b, const char *runs_path, GError **error)
{
  g_autoptr (SynackCsv) csv = NULL;
  g_autofree char *header = runs_header (b);
  g_autofree guint *line_of = g_new0 (guint, b->n_runs);   /* 0: no row */
  GString *have = g_string_new (NULL);
  GString *out;
  gboolean same;
  int cp, cr, cs, cn;

  csv = synack_csv_read (runs_path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  if (csv == NULL)
    return FALSE;
  for (guint c = 0; c < csv->header->len; c++) {
    if (c)
      g_string_append_c (have, ',');
    synack_text_csv_append (have, csv->header->pdata[c]);
  }
  g_string_append_c (have, '\n');
  same = strcmp (have->str, header) == 0;
  g_string_free (have, TRUE);
  if (!same) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                 "%s:1: its columns are not those of this experiment", runs_path);
    return FALSE;
  }
  cp = synack_csv_column (csv, "point");
  cr = synack_csv_column (csv, "replication");
  cs = synack_csv_column (csv, "seed");
  cn = synack_csv_column (csv, "handshake_samples");
  out = g_string_new (header);
  for (guint row = 0; row < csv->rows->len; row++) {
    GPtrArray *cells = csv->rows->pdata[row];
    guint line = g_array_index (csv->lines, guint, row);
    guint64 p, r, seed, n;
    guint i;

    if (!g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cp), 10, 0, b->n_points - 1,
                                     &p, NULL) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cr), 10, 0, b->reps - 1, &r,
                                     NULL) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cs), 10, 0, G_MAXUINT64, &seed,
                                     NULL) ||
        seed != synack_runner_run_seed (synack_config_seed (b->cfg), (guint) p, (guint) r) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cn), 10, 0, G_MAXUINT64, &n,
                                     NULL)) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                   "%s:%u: not a run of this experiment (point, replication, seed or "
                   "handshake_samples)", runs_path, line);
      g_string_free (out, TRUE);
      return FALSE;
    }
    i = (guint) (p * b->reps + r);
    if (line_of[i] != 0) {
      GPtrArray *first = NULL;

      for (guint k = 0; k < row && first == NULL; k++)
        if (g_array_index (csv->lines, guint, k) == line_of[i])
          first = csv->rows->pdata[k];
      for (guint c = 0; first != NULL && c < cells->len; c++)
        if (strcmp (first->pdata[c], cells->pdata[c]) != 0) {
          g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                       "%s:%u: point %u replication %u is also at line %u, with other "
                       "values; remove the wrong row", runs_path, line, (guint) p, (guint) r,
                       line_of[i]);
          g_string_free (out, TRUE);
          return FALSE;
        }
      continue;   /* the same row twice: keep one */
    }
    line_of[i] = line;
    if (!b->opt->resume && is_selected (b, i))
      continue;   /* to be run again */
    {
      g_autofree char *samples = g_strdup_printf ("%s/samples/%u-%u.bin", b->dir,
                                                  (guint) p, (guint) r);
      g_autoptr (GError) bad = NULL;

      if (!read_samples (samples, n, NULL, &bad)) {
        /* said even with --quiet: results were damaged */
        g_printerr ("synack: %s; running point %u replication %u again\n", bad->message,
                    (guint) p, (guint) r);
        continue;
      }
    }
    b->runs[i].status = RUN_DONE;
    b->runs[i].written = TRUE;
    for (guint c = 0; c < cells->len; c++) {
      if (c)
        g_string_append_c (out, ',');
      synack_text_csv_append (out, cells->pdata[c]);
    }
    g_string_append_c (out, '\n');
  }
  /* rewritten without a partial last line, so appends start on a fresh
   * line, and without the rows dropped above */
  same = synack_text_write_atomic (runs_path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  return same;
}

/* Orders runs.csv rows by their leading "point,replication" numbers. */
static gint
compare_rows (gconstpointer a, gconstpointer b)
{
  const char *ra = *(const char *const *) a, *rb = *(const char *const *) b;
  char *end_a, *end_b;
  guint64 pa = g_ascii_strtoull (ra, &end_a, 10), pb = g_ascii_strtoull (rb, &end_b, 10);
  guint64 qa = g_ascii_strtoull (end_a + 1, NULL, 10), qb = g_ascii_strtoull (end_b + 1, NULL, 10);

  if (pa != pb)
    return pa < pb ? -1 : 1;
  return qa < qb ? -1 : (qa > qb ? 1 : 0);
}

/* Rewrites runs.csv with its rows in (point, replication) order. */
static gboolean
sort_runs_csv (const char *runs_path, GError **error)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GPtrArray) rows = g_ptr_array_new ();
  GString *out;
  gboolean ok;

  if (!g_file_get_contents (runs_path, &text, NULL, error))
    return FALSE;
  lines = g_strsplit (text, "\n", -1);
  for (guint k = 1; lines[0] && lines[k]; k++)
    if (lines[k][0] != '\0')
      g_ptr_array_add (rows, lines[k]);
  g_ptr_array_sort (rows, compare_rows);
  out = g_string_new (lines[0]);
  g_string_append_c (out, '\n');
  for (guint k = 0; k < rows->len; k++) {
    g_string_append (out, rows->pdata[k]);
    g_string_append_c (out, '\n');
  }
  ok = synack_text_write_atomic (runs_path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  return ok;
}

/* ---- summary.csv ---------------------------------------------------------------- */

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

/* The pooled handshake percentiles, each with its order-statistic
 * interval: latencies of all the runs of a point together (not the mean
 * of the per-run percentiles, which are the handshake_pNN_s_mean columns). */
static const struct { const char *name; double q; } pooled_quantiles[] = {
  { "p50", 0.50 }, { "p95", 0.95 }, { "p99", 0.99 }, { "p999", 0.999 },
};

/* Quantile @q of @pool, seconds; NAN when empty. */
static double
pool_quantile (const Pool *pool, double q)
{
  if (pool->hist != NULL)
    return synack_histogram_quantile (pool->hist, q) / (double) SYNACK_SECOND;
  return synack_stats_quantile_sorted ((const double *) pool->exact->data, pool->exact->len, q);
}

/* The order-statistic interval of quantile @q.  From a histogram: the same
 * ranks (the interval depends on n and q alone), each read back within
 * SYNACK_HISTOGRAM_REL_ERROR of the exact order statistic. */
static void
pool_quantile_ci (const Pool *pool, double q, double *lo, double *hi)
{
  guint64 l, u;

  if (pool->hist == NULL) {
    synack_stats_quantile_ci_sorted ((const double *) pool->exact->data, pool->exact->len, q,
                                     0.95, lo, hi);
    return;
  }
  synack_stats_quantile_ci_ranks (synack_histogram_count (pool->hist), q, 0.95, &l, &u);
  *lo = l >= 1 ? synack_histogram_value_at_rank (pool->hist, l - 1) / (double) SYNACK_SECOND
               : NAN;
  *hi = u >= 1 ? synack_histogram_value_at_rank (pool->hist, u - 1) / (double) SYNACK_SECOND
               : NAN;
}

/* handshake_s_p50,_p95,_p99,_samples and the pooled quantiles with their
 * intervals. */
static void
put_pooled (GString *s, Pool *pool)
{
  static const double qs[] = { 0.50, 0.95, 0.99 };

  if (pool->hist == NULL)
    gsl_sort ((double *) pool->exact->data, 1, pool->exact->len);
  for (guint q = 0; q < G_N_ELEMENTS (qs); q++) {
    g_string_append_c (s, ',');
    append_double (s, pool_quantile (pool, qs[q]));
  }
  g_string_append_printf (s, ",%" G_GUINT64_FORMAT,
                          pool->hist != NULL ? synack_histogram_count (pool->hist)
                                             : (guint64) pool->exact->len);
  for (guint q = 0; q < G_N_ELEMENTS (pooled_quantiles); q++) {
    double lo, hi;

    pool_quantile_ci (pool, pooled_quantiles[q].q, &lo, &hi);
    g_string_append_c (s, ',');
    append_double (s, pool_quantile (pool, pooled_quantiles[q].q));
    g_string_append_c (s, ',');
    append_double (s, lo);
    g_string_append_c (s, ',');
    append_double (s, hi);
  }
}

static gboolean
write_summary (Batch *b, const char *runs_path, GError **error)
{
  g_autoptr (SynackCsv) csv = synack_csv_read (runs_path, SYNACK_CSV_STRICT, error);
  g_autofree char *summary_path = g_build_filename (b->dir, "summary.csv", NULL);
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  GString *s;
  int cp, cattempts;
  gboolean ok = TRUE;

  if (csv == NULL)
    return FALSE;
  cp = synack_csv_column (csv, "point");
  cattempts = synack_csv_column (csv, "attempts");
  s = g_string_new (NULL);
  for (guint k = 0; k < synack_config_n_sweep_keys (b->cfg); k++) {
    synack_text_csv_append (s, synack_config_sweep_key (b->cfg, k));
    g_string_append_c (s, ',');
  }
  g_string_append (s, "runs");
  for (guint c = 0; c < n_cols; c++) {
    g_string_append_printf (s, ",%s_mean,%s_ci95_lo,%s_ci95_hi", cols[c].name, cols[c].name,
                            cols[c].name);
    if (cols[c].kind == SYNACK_METRIC_OUTCOME)
      g_string_append_printf (s, ",%s_rate,%s_rate_ci95_lo,%s_rate_ci95_hi", cols[c].name,
                              cols[c].name, cols[c].name);
    if (cols[c].kind == SYNACK_METRIC_LATENCY) {
      g_string_append (s, ",handshake_s_p50,handshake_s_p95,handshake_s_p99,handshake_s_samples");
      for (guint q = 0; q < G_N_ELEMENTS (pooled_quantiles); q++)
        g_string_append_printf (s, ",handshake_pooled_%s_s,handshake_pooled_%s_s_ci95_lo,"
                                "handshake_pooled_%s_s_ci95_hi", pooled_quantiles[q].name,
                                pooled_quantiles[q].name, pooled_quantiles[q].name);
    }
  }
  g_string_append (s, ",failure_rate,failure_rate_ci95_lo,failure_rate_ci95_hi\n");

  for (guint point = 0; point < b->n_points && ok; point++) {
    g_autoptr (GArray) rows = g_array_new (FALSE, FALSE, sizeof (guint));
    g_auto (Pool) pooled = { g_array_new (FALSE, FALSE, sizeof (double)), NULL };
    g_autofree double *x = NULL;
    double attempts = 0, established = 0, unfinished = 0;

    for (guint row = 0; row < csv->rows->len; row++)
      if ((guint) g_ascii_strtoull (synack_csv_cell (csv, row, cp), NULL, 10) == point)
        g_array_append_val (rows, row);
    if (rows->len == 0)
      continue;   /* every run of this point failed */
    x = g_new (double, rows->len);
    for (guint k = 0; k < synack_config_n_sweep_keys (b->cfg); k++) {
      synack_text_csv_append (s, synack_config_point_value (b->cfg, point, k));
      g_string_append_c (s, ',');
    }
    g_string_append_printf (s, "%u", rows->len);
    for (guint c = 0; c < n_cols && ok; c++) {
      int col = synack_csv_column (csv, cols[c].name);
      guint64 k_sum = 0, n_sum = 0;

      for (guint j = 0; j < rows->len && ok; j++) {
        guint row = g_array_index (rows, guint, j);
        double n_att = 0;

        ok = synack_csv_double (csv, row, (guint) col, &x[j], error) &&
             synack_csv_double (csv, row, (guint) cattempts, &n_att, error);
        k_sum += (guint64) llround (x[j]);
        n_sum += (guint64) llround (n_att);
      }
      if (!ok)
        break;
      put_interval (s, synack_stats_mean_ci (x, rows->len, 0.95));
      if (cols[c].kind == SYNACK_METRIC_OUTCOME) {
        put_interval (s, synack_stats_wilson (k_sum, n_sum, 0.95));
        if (strcmp (cols[c].name, "established") == 0)
          established = (double) k_sum, attempts = (double) n_sum;
        if (strcmp (cols[c].name, "unfinished") == 0)
          unfinished = (double) k_sum;
      }
      if (cols[c].kind == SYNACK_METRIC_LATENCY) {
        int cn = synack_csv_column (csv, "handshake_samples");

        for (guint j = 0; j < rows->len && ok; j++) {
          guint row = g_array_index (rows, guint, j);
          guint rep = (guint) g_ascii_strtoull (
            synack_csv_cell (csv, row, (guint) synack_csv_column (csv, "replication")), NULL,
            10);
          g_autofree char *path = g_strdup_printf ("%s/samples/%u-%u.bin", b->dir, point, rep);
          guint64 n = g_ascii_strtoull (synack_csv_cell (csv, row, (guint) cn), NULL, 10);

          ok = read_samples (path, n, &pooled, error);
          if (!ok)
            g_prefix_error (error, "summary.csv not written: ");
        }
        if (!ok)
          break;
        put_pooled (s, &pooled);
      }
    }
    /* of the attempts whose fate is known: unfinished ones are not failures */
    put_interval (s, synack_stats_wilson ((guint64) (attempts - unfinished - established),
                                          (guint64) (attempts - unfinished), 0.95));
    g_string_append_c (s, '\n');
  }
  if (ok)
    ok = synack_text_write_atomic (summary_path, s->str, (gssize) s->len, error);
  g_string_free (s, TRUE);
  return ok;
}

/* ---- the batch ------------------------------------------------------------------ */

static void
batch_clear (Batch *b)
{
  if (b->point_specs)
    for (guint p = 0; p < b->n_points; p++)
      synack_run_spec_clear (&b->point_specs[p]);
  g_free (b->point_specs);
  if (b->runs)
    for (guint i = 0; i < b->n_runs; i++)
      g_free (b->runs[i].error);
  g_free (b->runs);
  g_free (b->point_left);
  if (b->lock_fd >= 0) {
    /* empty again, so that two finished batches leave identical files */
    if (ftruncate (b->lock_fd, 0) != 0)
      g_debug ("%s/.lock: %s", b->dir, g_strerror (errno));
    close (b->lock_fd);   /* releases the lock */
  }
  g_free (b->dir);
  if (b->runs_csv)
    fclose (b->runs_csv);
  g_clear_error (&b->write_error);
  g_mutex_clear (&b->lock);
}

static gboolean
select_runs (Batch *b, GError **error)
{
  const SynackRunnerOptions *opt = b->opt;

  if (opt->point >= 0 && (guint) opt->point >= b->n_points) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_SELECTION,
                 "--point %d: the experiment has points 0..%u", opt->point, b->n_points - 1);
    return FALSE;
  }
  if (opt->replication >= 0 && (guint) opt->replication >= b->reps) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_SELECTION,
                 "--replication %d: the experiment has replications 0..%u", opt->replication,
                 b->reps - 1);
    return FALSE;
  }
  for (guint i = 0; i < b->n_runs; i++) {
    guint p = i / b->reps, r = i % b->reps;

    b->runs[i].wanted = b->runs[i].status == RUN_PENDING &&
                        (opt->point < 0 || (guint) opt->point == p) &&
                        (opt->replication < 0 || (guint) opt->replication == r);
    if (b->runs[i].wanted) {
      b->wanted++;
      b->point_left[p]++;
    }
  }
  return TRUE;
}

/* Whether every run of the batch is in runs.csv. */
static gboolean
batch_complete (const Batch *b)
{
  for (guint i = 0; i < b->n_runs; i++)
    if (b->runs[i].status != RUN_DONE)
      return FALSE;
  return TRUE;
}

/* Says when the time limit cut attempts short: they are counted as
 * unfinished, not failed, but a user should know the run was truncated. */
static void
warn_unfinished (const Batch *b)
{
  guint runs = 0, done = 0;
  guint64 attempts = 0;

  for (guint i = 0; i < b->n_runs; i++) {
    const RunSlot *r = &b->runs[i];

    if (!r->wanted || r->status != RUN_DONE)
      continue;
    done++;
    if (r->metrics.unfinished > 0) {
      runs++;
      attempts += r->metrics.unfinished;
    }
  }
  if (runs > 0 && b->mode != SYNACK_PROGRESS_QUIET)
    g_printerr ("synack: warning: %u of %u runs reached [experiment] until with attempts "
                "still open: %" G_GUINT64_FORMAT " attempts in all are counted as "
                "unfinished (not failed); raise until to let them finish\n",
                runs, done, attempts);
}

gboolean
synack_runner_run (SynackConfig *cfg, const SynackRunnerOptions *opt, char **out_dir_used,
                   GError **error)
{
  Batch b = { 0 };
  g_autofree char *ini = NULL;
  g_autofree char *runs_path = NULL;
  g_autofree char *header = NULL;
  GThreadPool *pool;
  gboolean ok = FALSE;
  gboolean selection = opt->point >= 0 || opt->replication >= 0;

  g_mutex_init (&b.lock);
  b.lock_fd = -1;
  b.cfg = cfg;
  b.opt = opt;
  b.dir = opt->out_dir ? g_strdup (opt->out_dir)
                       : g_build_filename ("results", synack_config_name (cfg), NULL);
  b.n_points = synack_config_n_points (cfg);
  b.reps = synack_config_replications (cfg);
  b.n_runs = b.n_points * b.reps;
  b.runs = g_new0 (RunSlot, b.n_runs);
  b.point_left = g_new0 (guint, b.n_points);
  b.point_specs = g_new0 (SynackRunSpec, b.n_points);
  b.mode = opt->progress;
  if (b.mode == SYNACK_PROGRESS_AUTO && !isatty (STDERR_FILENO))
    b.mode = SYNACK_PROGRESS_LINES;
  if (out_dir_used)
    *out_dir_used = g_strdup (b.dir);

  for (guint p = 0; p < b.n_points; p++)
    if (!synack_config_build_run (cfg, p, &b.point_specs[p], error))
      goto out;
  ini = synack_config_to_ini (cfg);
  if (!lock_dir (&b, error))
    goto out;
  remove_stale_temps (&b);
  if (!prepare_dir (&b, ini, error))
    goto out;
  runs_path = g_build_filename (b.dir, "runs.csv", NULL);
  header = runs_header (&b);
  /* --resume keeps every run done; --point/--replication into a batch's
   * directory keeps the other runs' rows */
  if ((opt->resume || selection) && g_file_test (runs_path, G_FILE_TEST_EXISTS)) {
    if (!load_finished (&b, runs_path, error))
      goto out;
  } else if (!synack_text_write_atomic (runs_path, header, -1, error)) {
    goto out;
  }
  if (!select_runs (&b, error))
    goto out;
  /* O_NOFOLLOW: never append through a symlink planted at runs.csv */
  {
    int fd = g_open (runs_path, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC, 0);

    b.runs_csv = fd >= 0 ? fdopen (fd, "a") : NULL;
    if (b.runs_csv == NULL && fd >= 0) {
      int e = errno;

      close (fd);
      errno = e;
    }
  }
  if (b.runs_csv == NULL) {
    int e = errno;

    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: %s", runs_path,
                 e == ELOOP ? "is a symbolic link; not written through" : g_strerror (e));
    goto out;
  }
  setvbuf (b.runs_csv, NULL, _IONBF, 0);   /* rows are whole lines, written at once */

  b.start_us = g_get_monotonic_time ();
  pool = g_thread_pool_new (run_one, &b, opt->jobs ? (gint) opt->jobs : (gint) g_get_num_processors (),
                            FALSE, NULL);
  for (guint i = 0; i < b.n_runs; i++)
    if (b.runs[i].wanted)
      g_thread_pool_push (pool, GUINT_TO_POINTER (i + 1), NULL);
  g_thread_pool_free (pool, FALSE, TRUE);
  if (b.mode == SYNACK_PROGRESS_AUTO)
    draw_bar (&b, TRUE);
  fclose (b.runs_csv);
  b.runs_csv = NULL;

  if (b.write_error) {
    g_propagate_error (error, g_steal_pointer (&b.write_error));
    goto out;
  }
  if (interrupted) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_INTERRUPTED,
                 "interrupted: %u of %u runs finished and kept in %s; "
                 "finish with: synack run --resume %s", b.finished, b.wanted, runs_path, b.dir);
    goto out;
  }
  if (!sort_runs_csv (runs_path, error))
    goto out;
  warn_unfinished (&b);
  if (!selection || batch_complete (&b)) {
    if (!write_summary (&b, runs_path, error))
      goto out;
  } else {
    /* a summary of other runs than runs.csv now holds would mislead */
    g_autofree char *summary = g_build_filename (b.dir, "summary.csv", NULL);

    g_unlink (summary);
  }
  if (b.failed > 0) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_RUNS_FAILED,
                 "%u of %u runs failed (see above); the others are in %s; "
                 "re-run the failed ones with: synack run --resume %s", b.failed, b.wanted,
                 runs_path, b.dir);
    goto out;
  }
  ok = TRUE;
out:
  batch_clear (&b);
  return ok;
}
