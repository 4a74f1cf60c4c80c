/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/runner-dir.c - the batch runner's results directory: made
 * (or, with --force, another experiment's replaced), the runs a batch
 * selects, and the runs already finished there read back from runs.csv
 * (--resume, or a re-run of some points).  The batch is in runner.c. */
#include "runner-private.h"

#include <errno.h>
#include <string.h>

#include "csv.h"
#include "merge.h"
#include "text.h"

/* ---- results directory --------------------------------------------------- */

/* Makes DIR a results directory of this experiment: its config.ini, or
 * (--force) another experiment's replaced, and the subdirectories. */
gboolean
runner_prepare_dir (Batch *b, const char *ini, GError **error)
{
  g_autofree char *config_path =
      synack_results_path (b->dir, SYNACK_RESULTS_CONFIG);
  g_autofree char *old = NULL;

  if (g_mkdir_with_parents (b->dir, 0755) != 0) {
    int e = errno;

    g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_IO,
                 "%s: cannot create: %s", b->dir, g_strerror (e));
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
    g_set_error (error, SYNACK_RUNNER_ERROR,
                 SYNACK_RUNNER_ERROR_NOTHING_TO_RESUME,
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
gboolean
runner_is_selected (const Batch *b, guint i)
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
gboolean
runner_load_finished (Batch *b, const char *runs_path, GError **error)
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
                 "%s:1: its columns are not those of this experiment",
                 runs_path);
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

    if (!g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cp), 10, 0,
                                     b->n_points - 1, &p, NULL) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cr), 10, 0,
                                     b->reps - 1, &r, NULL) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cs), 10, 0,
                                     G_MAXUINT64, &seed, NULL) ||
        seed != synack_runner_seed (b->cfg, (guint) p, (guint) r) ||
        !g_ascii_string_to_unsigned (synack_csv_cell (csv, row, cn), 10, 0,
                                     G_MAXUINT64, &n, NULL)) {
      g_set_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_RESULTS,
                   "%s:%u: not a run of this experiment (point, replication, "
                   "seed or handshake_samples)",
                   runs_path, line);
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
          g_set_error (error, SYNACK_RUNNER_ERROR,
                       SYNACK_RUNNER_ERROR_BAD_RESULTS,
                       "%s:%u: point %u replication %u is also at line %u, "
                       "with other values; remove the wrong row",
                       runs_path, line, (guint) p, (guint) r, line_of[i]);
          g_string_free (out, TRUE);
          return FALSE;
        }
      continue;   /* the same row twice: keep one */
    }
    line_of[i] = line;
    if (!b->opt->resume && runner_is_selected (b, i))
      continue;   /* to be run again */
    {
      g_autofree char *samples =
          synack_results_samples_path (b->dir, (guint) p, (guint) r);
      g_autoptr (GError) bad = NULL;

      if (!synack_results_check_samples (samples, n, &bad)) {
        /* said even with --quiet: results were damaged */
        g_printerr ("synack: %s; running point %u replication %u again\n",
                    bad->message, (guint) p, (guint) r);
        continue;
      }
    }
    b->runs[i].status = RUN_DONE;
    b->runs[i].written = TRUE;
    synack_results_runs_append_row (out, cells);
  }
  /* rewritten without a partial last line, so appends start on a fresh
   * line, and without the rows dropped above */
  same =
      synack_text_write_atomic (runs_path, out->str, (gssize) out->len, error);
  g_string_free (out, TRUE);
  return same;
}
