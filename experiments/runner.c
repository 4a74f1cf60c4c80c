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
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "merge.h"
#include "provenance.h"
#include "results.h"
#include "schedule.h"
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

guint64
synack_runner_seed (const SynackConfig *cfg, guint point, guint replication)
{
  char name[64];

  if (!synack_config_seeds_per_replication (cfg))
    return synack_runner_run_seed (synack_config_seed (cfg), point,
                                   replication);
  g_snprintf (name, sizeof name, "replication/%u", replication);
  return synack_rng_derive_seed (synack_config_seed (cfg), name);
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
  RunSlot       *runs;          /* [n_runs] */
  GMutex         lock;
  FILE          *runs_csv;      /* unbuffered: a failed row leaves nothing behind */
  GError        *write_error;   /* a full disk, or a row could not be appended */
  gint           stopping;      /* atomic: write_error is set, the batch stops */
  int            lock_fd;       /* DIR/.lock, flock()ed for the batch's life */
  guint          next_to_write;
  guint          wanted, finished, failed;
  SynackProgress progress;
  guint         *point_left;    /* runs of each point still to finish */
  FILE          *times_csv;     /* run-times.csv, appended */
  SynackResultsSweep sweep;     /* the sweep keys and values, from cfg */
  const char   **sweep_keys;
  const char   **sweep_values;
} Batch;

/* ---- runs.csv rows ------------------------------------------------------------ */

static char *
runs_row (Batch *b, guint i)
{
  guint point = i / b->reps, rep = i % b->reps;
  guint n_cols;
  const SynackMetricColumn *cols = synack_metric_columns (&n_cols);
  g_autofree double *values = g_new (double, n_cols);

  for (guint c = 0; c < n_cols; c++)
    values[c] = synack_metric_value (&b->runs[i].metrics, &cols[c]);
  return synack_results_runs_row (&b->sweep, point, rep,
                                  synack_runner_seed (b->cfg, point,
                                                          rep), values);
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

typedef struct {
  Batch *b;
  double last;
} RunProgress;

static gboolean
run_progress (double fraction, gpointer user_data)
{
  RunProgress *rp = user_data;

  if (rp->b->progress.mode == SYNACK_PROGRESS_AUTO) {
    g_mutex_lock (&rp->b->lock);
    rp->b->progress.running_fraction += fraction - rp->last;
    synack_progress_bar (&rp->b->progress, rp->b->finished, rp->b->wanted, FALSE);
    g_mutex_unlock (&rp->b->lock);
  }
  rp->last = fraction;
  return !interrupted && !g_atomic_int_get (&rp->b->stopping);
}

/* ---- one run -------------------------------------------------------------------- */

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
  g_auto (SynackSamples) lat = { NULL, NULL };
  g_autoptr (GError) error = NULL;
  RunProgress rp = { b, 0 };
  SynackMetrics m;
  gboolean ok = FALSE;
  gint64 start_us = g_get_monotonic_time ();

  if (!interrupted && !g_atomic_int_get (&b->stopping)) {
    /* each point was built once, when the config was loaded */
    synack_run_spec_copy (&spec, synack_config_run_spec (b->cfg, point));
    spec.seed = synack_runner_seed (b->cfg, point, rep);
    spec.trace_prefix = synack_results_trace_prefix (b->dir, point, rep);
    ok = b->opt->execute
           ? b->opt->execute (&spec, point, rep, &m, &lat, b->opt->execute_data,
                              &error)
           : synack_net_run (&spec, &m, &lat, run_progress, &rp, &error);
    synack_run_spec_clear (&spec);
    if (ok)
      ok = lat.exact != NULL
           ? synack_results_write_samples (b->dir, point, rep,
                                           (const double *) lat.exact->data,
                                           lat.exact->len, &error)
           : synack_results_write_histogram (b->dir, point, rep, lat.hist, &error);
  }

  g_mutex_lock (&b->lock);
  b->progress.running_fraction -= rp.last;
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
    if (b->times_csv != NULL)
      synack_schedule_append_time (
        b->times_csv, point, rep,
        (double) (g_get_monotonic_time () - start_us) / 1e6);
  } else {
    slot->status = RUN_FAILED;
    /* a FALSE without a GError is a bug, but must not take the batch */
    slot->error = g_strdup (error != NULL ? error->message
                                          : "failed without saying why (a bug: please report it)");
    b->failed++;
    fprintf (stderr, "%ssynack: run failed: point %u replication %u seed %" G_GUINT64_FORMAT
             ": %s\n", b->progress.mode == SYNACK_PROGRESS_AUTO ? "\n" : "", point, rep,
             synack_runner_seed (b->cfg, point, rep), slot->error);
  }
  if (slot->status != RUN_SKIPPED) {
    b->finished++;
    if (--b->point_left[point] == 0)
      synack_progress_point_done (&b->progress, &b->sweep, point, b->finished, b->wanted);
  }
  write_ready_rows (b);
  synack_progress_bar (&b->progress, b->finished, b->wanted, FALSE);
  g_mutex_unlock (&b->lock);
}

/* ---- results directory -------------------------------------------------------- */

/* Makes DIR a results directory of this experiment: its config.ini, or
 * (--force) another experiment's replaced, and the subdirectories. */
static gboolean
prepare_dir (Batch *b, const char *ini, GError **error)
{
  g_autofree char *config_path = synack_results_path (b->dir, SYNACK_RESULTS_CONFIG);
  g_autofree char *old = NULL;

  if (g_mkdir_with_parents (b->dir, 0755) != 0) {
    int e = errno;

    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO, "%s: cannot create: %s",
                 b->dir, g_strerror (e));
    return FALSE;
  }
  if (g_file_get_contents (config_path, &old, NULL, NULL) &&
      !synack_results_same_config (old, ini)) {
    if (b->opt->resume && synack_merge_only_more_replications (old, ini)) {
      /* replications added (--set experiment.replications=N): the runs
       * done keep their seeds, so they stay, and config.ini says N */
      if (!synack_text_write_atomic (config_path, ini, -1, error))
        return FALSE;
    } else {
      if (!b->opt->force) {
        g_set_error (
          error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT,
          "%s holds the results of a different experiment (its config.ini "
          "differs); use --force to replace them, or -o to write elsewhere",
          b->dir);
        return FALSE;
      }
      if (!synack_results_clear (b->dir, error))
        return FALSE;
      g_clear_pointer (&old, g_free);
    }
  }
  if (b->opt->resume && old == NULL) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_NOTHING_TO_RESUME,
                 "%s: nothing to resume (no config.ini)", b->dir);
    return FALSE;
  }
  if (!synack_results_make_subdirs (b->dir, error))
    return FALSE;
  /* the same experiment's config.ini stays as it is, comments and all */
  if (old == NULL && !synack_text_write_atomic (config_path, ini, -1, error))
    return FALSE;
  return TRUE;
}

/* Whether run @i is one that --point/--replication select. */
static gboolean
is_selected (const Batch *b, guint i)
{
  const SynackRunnerOptions *opt = b->opt;

  return (opt->point < 0 || (guint) opt->point == i / b->reps) &&
         (opt->replication < 0 || (guint) opt->replication == i % b->reps) &&
         (opt->shard_n == 0 || i % opt->shard_n == opt->shard_k);
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
  g_autofree char *header = synack_results_runs_header (&b->sweep);
  g_autofree guint *line_of = g_new0 (guint, b->n_runs);   /* 0: no row */
  GString *have = g_string_new (NULL);
  GString *out;
  gboolean same;
  int cp, cr, cs, cn;

  csv = synack_csv_read (runs_path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  if (csv == NULL)
    return FALSE;
  synack_results_runs_append_row (have, csv->header);
  same = strcmp (have->str, header) == 0;
  g_string_free (have, TRUE);
  if (!same) {
    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                 "%s:1: its columns are not those of this experiment", runs_path);
    return FALSE;
  }
  cp = synack_csv_column (csv, SYNACK_RUNS_POINT);
  cr = synack_csv_column (csv, SYNACK_RUNS_REPLICATION);
  cs = synack_csv_column (csv, SYNACK_RUNS_SEED);
  cn = synack_csv_column (csv, SYNACK_RUNS_SAMPLES);
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
        seed != synack_runner_seed (b->cfg, (guint) p, (guint) r) ||
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
      g_autofree char *samples = synack_results_samples_path (b->dir, (guint) p, (guint) r);
      g_autoptr (GError) bad = NULL;

      if (!synack_results_check_samples (samples, n, &bad)) {
        /* said even with --quiet: results were damaged */
        g_printerr ("synack: %s; running point %u replication %u again\n", bad->message,
                    (guint) p, (guint) r);
        continue;
      }
    }
    b->runs[i].status = RUN_DONE;
    b->runs[i].written = TRUE;
    synack_results_runs_append_row (out, cells);
  }
  /* rewritten without a partial last line, so appends start on a fresh
   * line, and without the rows dropped above */
  same = synack_text_write_atomic (runs_path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  return same;
}

/* ---- the batch ------------------------------------------------------------------ */

/* The sweep as runs.csv and summary.csv spell it: pointers into cfg. */
static void
sweep_init (Batch *b)
{
  guint n_keys = synack_config_n_sweep_keys (b->cfg);

  b->sweep_keys = g_new0 (const char *, MAX (n_keys, 1u));
  b->sweep_values = g_new0 (const char *, MAX (n_keys * b->n_points, 1u));
  for (guint k = 0; k < n_keys; k++)
    b->sweep_keys[k] = synack_config_sweep_key (b->cfg, k);
  for (guint p = 0; p < b->n_points; p++)
    for (guint k = 0; k < n_keys; k++)
      b->sweep_values[p * n_keys + k] = synack_config_point_value (b->cfg, p, k);
  b->sweep.n_keys = n_keys;
  b->sweep.keys = b->sweep_keys;
  b->sweep.n_points = b->n_points;
  b->sweep.values = b->sweep_values;
}

static void
batch_clear (Batch *b)
{
  if (b->runs)
    for (guint i = 0; i < b->n_runs; i++)
      g_free (b->runs[i].error);
  g_free (b->runs);
  g_free (b->point_left);
  synack_results_unlock (b->dir, b->lock_fd);
  g_free (b->sweep_keys);
  g_free (b->sweep_values);
  g_free (b->dir);
  if (b->runs_csv)
    fclose (b->runs_csv);
  if (b->times_csv)
    fclose (b->times_csv);
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
    guint p = i / b->reps;

    b->runs[i].wanted = b->runs[i].status == RUN_PENDING && is_selected (b, i);
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
  if (runs > 0 && b->progress.mode != SYNACK_PROGRESS_QUIET)
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
  g_autoptr (SynackCsv) runs = NULL;
  GThreadPool *pool;
  gboolean ok = FALSE;
  gboolean selection =
    opt->point >= 0 || opt->replication >= 0 || opt->shard_n > 0;

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
  synack_progress_init (&b.progress, opt->progress);
  if (out_dir_used)
    *out_dir_used = g_strdup (b.dir);
  sweep_init (&b);

  ini = synack_config_to_ini (cfg);
  if (!synack_results_lock (b.dir, &b.lock_fd, error))
    goto out;
  synack_results_remove_stale_temps (b.dir);
  if (!prepare_dir (&b, ini, error))
    goto out;
  runs_path = synack_results_path (b.dir, SYNACK_RESULTS_RUNS);
  header = synack_results_runs_header (&b.sweep);
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

  {
    /* longest first, so the last runs to finish are short ones: the order
     * never changes a byte of the results (rows are written in run order) */
    g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));

    for (guint i = 0; i < b.n_runs; i++)
      if (b.runs[i].wanted)
        g_array_append_val (order, i);
    synack_schedule_longest_first (b.dir, synack_config_run_spec (cfg, 0),
                                   b.n_points, b.reps, order);
    b.times_csv =
      synack_schedule_open_times (b.dir, !opt->resume && !selection);
    synack_progress_start (&b.progress);
    pool = g_thread_pool_new (run_one, &b,
                              opt->jobs ? (gint) opt->jobs
                                        : (gint) g_get_num_processors (),
                              FALSE, NULL);
    for (guint j = 0; j < order->len; j++)
      g_thread_pool_push (
        pool, GUINT_TO_POINTER (g_array_index (order, guint, j) + 1), NULL);
  }
  g_thread_pool_free (pool, FALSE, TRUE);
  synack_progress_bar (&b.progress, b.finished, b.wanted, TRUE);
  fclose (b.runs_csv);
  b.runs_csv = NULL;
  if (opt->build != NULL) {
    g_autoptr (GError) perr = NULL;

    if (!synack_provenance_write (
          b.dir, opt->build, opt->command, synack_config_path (cfg),
          (double) (g_get_monotonic_time () - b.progress.start_us) / 1e6,
          opt->provenance_extra, &perr))
      g_printerr ("synack: warning: %s\n", perr->message);
  }

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
  /* runs.csv is read once: sorted (a resumed batch may have re-run a
   * failed run after later ones), then summarised */
  runs = synack_results_runs_sort (b.dir, error);
  if (runs == NULL)
    goto out;
  warn_unfinished (&b);
  if (!selection || batch_complete (&b)) {
    if (!synack_results_write_summary (b.dir, runs, &b.sweep, error))
      goto out;
  } else {
    /* a summary of other runs than runs.csv now holds would mislead */
    g_autofree char *summary = synack_results_path (b.dir, SYNACK_RESULTS_SUMMARY);

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
