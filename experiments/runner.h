/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/runner.h - runs every sweep point x replication of a config
 * into a results directory: config.ini, runs.csv, summary.csv, samples/ and
 * traces/ (INTERFACE.md). */
#pragma once

#include <glib.h>
#include "config.h"
#include "progress.h"

G_BEGIN_DECLS

#define SYNACK_RUNNER_ERROR (synack_runner_error_quark ())
typedef enum {
  /* the results directory cannot be written */
  SYNACK_RUNNER_ERROR_IO,
  /* the directory holds a different config.ini */
  SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT,
  SYNACK_RUNNER_ERROR_NOTHING_TO_RESUME,
  /* runs.csv there does not match the config */
  SYNACK_RUNNER_ERROR_BAD_RESULTS,
  /* some runs failed; the others are written */
  SYNACK_RUNNER_ERROR_RUNS_FAILED,
  /* SIGINT/SIGTERM: finished runs are kept */
  SYNACK_RUNNER_ERROR_INTERRUPTED,
  /* --point / --replication out of range */
  SYNACK_RUNNER_ERROR_BAD_SELECTION,
} SynackRunnerError;
GQuark synack_runner_error_quark (void);

/* Computes one run in place of synack_net_run() (the MPI transport hands
 * it to another process): same contract, with the run's point and
 * replication; @spec->trace_prefix names where its traces must end up. */
typedef gboolean (*SynackRunExecFunc) (const SynackRunSpec *spec, guint point,
                                       guint replication,
                                       SynackMetrics *metrics,
                                       SynackSamples *samples,
                                       gpointer user_data, GError **error);

typedef struct {
  const char        *out_dir;      /* NULL: results/<experiment name> */
  guint              jobs;         /* worker threads; 0: the number of cores */
  gboolean           resume;       /* keep the finished runs found in out_dir */
  gboolean           force;        /* overwrite another experiment's dir */
  gint               point;        /* -1: all points */
  gint               replication;  /* -1: all replications */
  SynackProgressMode progress;
  /* shard_n > 0: only the runs i with i % shard_n == shard_k */
  guint              shard_k, shard_n;
  SynackRunExecFunc  execute;      /* NULL: synack_net_run() in this process */
  gpointer           execute_data;
  /* (nullable) written to DIR/provenance.ini when the runs end, with
   * the lock still held: the build, the command line, "KEY=VALUE"s */
  const struct _SynackBuild *build;
  const char        *command;
  const char *const *provenance_extra;
} SynackRunnerOptions;

/* The seed of run (@point, @replication) of an experiment seeded @seed. */
guint64  synack_runner_run_seed (guint64 seed, guint point, guint replication);
/* The seed of run (@point, @replication) of @cfg: synack_runner_run_seed()
 * of its seed, or with [experiment] seeds = per-replication the seed of
 * replication @replication alone, shared by every point (common random
 * numbers: OMNeT++'s seed-set = ${repetition}). */
guint64 synack_runner_seed (const SynackConfig *cfg, guint point,
                            guint replication);

/* Runs @cfg.  *@out_dir_used (nullable) receives the directory written.
 * Returns: FALSE with @error; with SYNACK_RUNNER_ERROR_RUNS_FAILED or
 * _INTERRUPTED every finished run is still in runs.csv. */
gboolean synack_runner_run (SynackConfig *cfg, const SynackRunnerOptions *opt,
                            char **out_dir_used, GError **error);

/* Installs SIGINT/SIGTERM handlers that make a running batch stop cleanly. */
void     synack_runner_install_signal_handlers (void);

G_END_DECLS
