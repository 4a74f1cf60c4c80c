/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/campaign.h - `synack run` beyond one process: --shard,
 * --list-runs, provenance.ini, the MPI transport, and `synack merge`;
 * the glue between the command line (main.c) and shard.h, merge.h,
 * provenance.h and mpi-runner.h. */
#pragma once

#include <glib.h>
#include "config.h"
#include "registry.h"
#include "runner.h"

G_BEGIN_DECLS

/* Records the command line (for provenance.ini) before options are parsed. */
void     synack_campaign_set_command (int argc, char **argv);
const char *synack_campaign_command  (void);

/* `synack run CFG --list-runs [--shard K/N|auto]`: prints the runs. */
gboolean synack_campaign_list_runs (const SynackConfig *cfg, const char *shard,
                                    GError **error);

/* `synack run`: applies --shard (NULL, "K/N" or "auto") to @opt, checks
 * that a directory being finished was computed by this build, runs the
 * batch (through MPI when started by mpirun with several processes and
 * built with it) and records provenance.ini.
 * Returns: FALSE with @error (SYNACK_RUNNER_ERROR, SYNACK_SHARD_ERROR). */
gboolean synack_campaign_run (SynackConfig *cfg, SynackRegistry *reg,
                              SynackRunnerOptions *opt, const char *shard,
                              char **out_dir_used, GError **error);

G_END_DECLS
