/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/runner-private.h - what runner.c (the batch: threads, rows,
 * progress) and runner-dir.c (its results directory on disk) share: the
 * batch and its runs.  Private to libexperiments. */
#ifndef SYNACK_RUNNER_PRIVATE_H
#define SYNACK_RUNNER_PRIVATE_H

#include <stdio.h>

#include "runner.h"
#include "progress.h"
#include "results.h"

typedef enum { RUN_PENDING, RUN_DONE, RUN_FAILED, RUN_SKIPPED } RunStatus;

typedef struct {
  RunStatus     status;
  gboolean      wanted;      /* to be run in this invocation */
  gboolean      written;     /* its row is in runs.csv */
  SynackMetrics metrics;
  char         *error;
} RunSlot;

typedef struct {
  SynackConfig       *cfg;
  const SynackRunnerOptions *opt;
  char               *dir;
  guint               n_points, reps, n_runs;
  RunSlot            *runs;          /* [n_runs] */
  GMutex              lock;
  /* unbuffered: a failed row leaves nothing behind */
  FILE               *runs_csv;
  /* a full disk, or a row could not be appended */
  GError             *write_error;
  gint                stopping;      /* atomic: write_error is set, stop */
  int                 lock_fd;       /* DIR/.lock, flock()ed for the batch */
  guint               next_to_write;
  guint               wanted, finished, failed;
  SynackProgress      progress;
  guint              *point_left;    /* runs of each point still to finish */
  FILE               *times_csv;     /* run-times.csv, appended */
  SynackResultsSweep  sweep;         /* the sweep keys and values, from cfg */
  const char        **sweep_keys;
  const char        **sweep_values;
} Batch;

/* ---- runner-dir.c -------------------------------------------------------- */

/* Makes DIR a results directory of this experiment. */
G_GNUC_INTERNAL gboolean runner_prepare_dir (Batch *b, const char *ini,
                                             GError **error);
/* Whether run @i is one that --point/--replication/--shard select. */
G_GNUC_INTERNAL gboolean runner_is_selected (const Batch *b, guint i);
/* Marks the runs already in runs.csv as done, and rewrites it with them
 * alone. */
G_GNUC_INTERNAL gboolean runner_load_finished (Batch *b,
                                               const char *runs_path,
                                               GError **error);

#endif /* SYNACK_RUNNER_PRIVATE_H */
