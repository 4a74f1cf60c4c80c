/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/shard.h - a batch split into N shards for a cluster.
 *
 * Shard K of N holds the runs i (in batch order, i = point x replications
 * + replication) with i mod N = K: strided, so each shard gets a mix of
 * cheap and costly points.  `synack run CFG --shard K/N -o DIR` writes an
 * ordinary results directory DIR/shards/K-of-N/ with those runs; `synack
 * merge DIR` checks and joins the shards into DIR (merge.h).  Every run's
 * seed derives from the batch seed, the point and the replication alone,
 * so a run computes the same bytes in any shard on any machine. */
#pragma once

#include <glib.h>
#include "config.h"

G_BEGIN_DECLS

#define SYNACK_SHARD_ERROR (synack_shard_error_quark ())
typedef enum {
  SYNACK_SHARD_ERROR_SYNTAX, /* not K/N, K >= N, N = 0 */
  SYNACK_SHARD_ERROR_NO_ENV, /* --shard auto found no scheduler's variables */
  SYNACK_SHARD_ERROR_BAD_ENV, /* a variable that is not a number, or out of
                                 range */
} SynackShardError;
GQuark synack_shard_error_quark (void);

/* The most shards one batch may have (as many as it may have runs). */
#define SYNACK_SHARD_MAX SYNACK_CONFIG_MAX_RUNS

/* Parses "K/N" (0 <= K < N <= SYNACK_SHARD_MAX). */
gboolean synack_shard_parse (const char *text, guint *k, guint *n,
                             GError **error);

/* K and N from the environment @env (as g_get_environ() gives, NULL: this
 * process's), looked up in this order: a Slurm job array
 * (SLURM_ARRAY_TASK_ID, _MIN, _COUNT or _MAX, _STEP), Open MPI
 * (OMPI_COMM_WORLD_RANK, _SIZE), PMI (PMI_RANK, PMI_SIZE), a Slurm step
 * (SLURM_PROCID, SLURM_STEP_NUM_TASKS or SLURM_NTASKS), an SGE array job
 * (SGE_TASK_ID, _FIRST, _LAST, _STEPSIZE; 1-based), an LSF job array
 * (LSB_JOBINDEX, LSB_JOBINDEX_END, LSB_JOBINDEX_STEP; 1-based).
 * @source: (out) (transfer full) what was used, e.g. "Slurm job array
 * (SLURM_ARRAY_TASK_ID=2 of SLURM_ARRAY_TASK_COUNT=3)". */
gboolean synack_shard_from_env (const char *const *env, guint *k, guint *n,
                                char **source, GError **error);

/* (transfer full) "DIR/shards/K-of-N". */
char    *synack_shard_dir (const char *dir, guint k, guint n);
/* Parses a shard directory's base name "K-of-N". */
gboolean synack_shard_parse_dir_name (const char *name, guint *k, guint *n);

/* Writes one tab-separated line per run of @cfg (of shard @k/@n when
 * @n > 0) to @out: a header "index point replication seed KEY...", then
 * the index, point, replication, seed and each swept value. */
void synack_shard_list_runs (const SynackConfig *cfg, guint k, guint n,
                             GString *out);

G_END_DECLS
