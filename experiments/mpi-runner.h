/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/mpi-runner.h - MPI as a transport for one batch
 * (./configure --with-mpi).
 *
 * `mpirun -n W synack run CFG` starts W processes with the same command
 * line.  Rank 0 runs the batch as `synack run -j W-1` would, but each of
 * its W-1 threads hands its run to a free worker rank (the next free one:
 * runs go out dynamically, longest first) and waits for the metrics, the
 * latencies and the trace files to come back; rank 0 alone writes the one
 * results directory, so no merge step follows and the workers need no
 * shared file system.  Each run's bytes depend only on the config and its
 * seed, so the directory is byte-identical to `synack run CFG -j 2`.
 * Built without MPI, synack_mpi_world_size() is 1 and the rest is absent. */
#pragma once

#include <glib.h>
#include "config.h"
#include "runner.h"

G_BEGIN_DECLS

/* Whether this synack was built with MPI. */
gboolean synack_mpi_available (void);
/* The number of MPI processes (1 when not started by an MPI launcher or
 * built without MPI).  The first call initialises MPI when a launcher's
 * variables (OMPI_COMM_WORLD_SIZE, PMI_SIZE, PMIX_RANK) are set. */
int      synack_mpi_world_size (void);

/* Rank 0: runs the batch as synack_runner_run() with the workers as its
 * executors; other ranks: serve runs until rank 0 is done, then return
 * TRUE with *@out_dir_used NULL. */
gboolean synack_mpi_run (SynackConfig *cfg, SynackRunnerOptions *opt,
                         char **out_dir_used, GError **error);

G_END_DECLS
