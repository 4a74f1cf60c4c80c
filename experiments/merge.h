/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/merge.h - results directories computed apart, joined into one.
 *
 * `synack merge DIR` joins the shards DIR/shards/K-of-N/ (shard.h) into
 * DIR; `synack merge -o OUT SRC...` joins any results directories of one
 * experiment (shards copied back from other machines, or directories of
 * --point/--replication runs).  Before writing anything it checks that
 * every source ran the same config.ini with the same synack build (the
 * fingerprint of provenance.h), that every run's seed is the one its point
 * and replication derive, that a run present twice is identical in both
 * (row and samples), and that every run of the batch is there with its
 * samples and traces.  What is missing is listed with the command that
 * finishes it.  runs.csv and summary.csv are then written by the runner's
 * own code (a --resume with nothing left to run), so OUT is byte-identical
 * to the directory one `synack run` would have written (provenance.ini
 * and run-times.csv aside: they say where and how long). */
#pragma once

#include <glib.h>
#include "provenance.h"
#include "registry.h"

G_BEGIN_DECLS

#define SYNACK_MERGE_ERROR (synack_merge_error_quark ())
typedef enum {
  SYNACK_MERGE_ERROR_NO_SOURCES, /* nothing to merge, or a source that is no
                                    results directory */
  SYNACK_MERGE_ERROR_OTHER_CONFIG, /* two sources ran different configs */
  SYNACK_MERGE_ERROR_OTHER_BUILD, /* two sources were computed by different
                                     builds */
  SYNACK_MERGE_ERROR_BAD_RUN, /* a seed that is not its derivation, a foreign
                                 row */
  SYNACK_MERGE_ERROR_CONFLICT, /* a run present twice with different results */
  SYNACK_MERGE_ERROR_INCOMPLETE, /* runs are missing (listed, with the
                                    commands) */
  SYNACK_MERGE_ERROR_IO,
} SynackMergeError;
GQuark synack_merge_error_quark (void);

typedef struct {
  const char         *out_dir;     /* where the merged results go */
  const char *const  *sources;     /* NULL-terminated results directories */
  const char *shards_of; /* `merge DIR`: DIR (for the hints), or NULL */
  gboolean            check_only;  /* report, write nothing */
  const char         *command;     /* the command line, for provenance.ini */
} SynackMergeOptions;

/* Checks and (unless check_only) merges.  @report receives what was
 * found, one line each (shards, runs, what is missing and how to finish
 * it).  @build: (nullable) the merging synack's build; a merge by another
 * build than the shards' is warned about in @report.
 * Returns: FALSE with @error, whose message repeats what refused the merge. */
gboolean synack_merge (SynackRegistry *reg, const SynackBuild *build,
                       const SynackMergeOptions *opt, GString *report,
                       GError **error);

/* Whether config.ini text @new_ini is @old_ini with more [experiment]
 * replications and nothing else changed (comments and blank lines
 * aside): then the runs already done keep their seeds, and --resume may
 * add the new replications to the directory. */
gboolean synack_merge_only_more_replications (const char *old_ini,
                                              const char *new_ini);

/* The sources of `synack merge DIR`: DIR/shards/ subdirectories in name
 * order.  (transfer full) NULL-terminated; empty when there are none. */
GStrv    synack_merge_shard_sources (const char *dir);

G_END_DECLS
