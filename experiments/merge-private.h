/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/merge-private.h - what merge.c (the checks and the join)
 * and merge-compare.c (the comparisons and file steps it takes) share.
 * Private to libexperiments. */
#ifndef SYNACK_MERGE_PRIVATE_H
#define SYNACK_MERGE_PRIVATE_H

#include "merge.h"
#include "csv.h"

typedef struct {
  char       *dir;
  char       *config_text;
  SynackBuild build;
  gboolean    have_build;
  SynackCsv  *csv;
  gboolean    is_shard;
  guint       k, n;        /* when is_shard */
  guint       missing;     /* runs of this shard not (whole) here */
} Source;

G_GNUC_INTERNAL void      merge_source_clear (Source *s);
/* 0 when the two configs are the same experiment, else the line of @b
 * where they first differ. */
G_GNUC_INTERNAL guint     merge_config_differs_at (const char *a,
                                                   const char *b);
/* Returns: (transfer full) what differs between two builds. */
G_GNUC_INTERNAL char     *merge_build_difference (const SynackBuild *a,
                                                  const SynackBuild *b);
G_GNUC_INTERNAL gboolean  merge_has_size (const char *path, guint64 bytes);
G_GNUC_INTERNAL gboolean  merge_same_file_contents (const char *a,
                                                    const char *b);
/* Makes @to a hard link to @from, or a copy. */
G_GNUC_INTERNAL gboolean  merge_link_or_copy (const char *from,
                                              const char *to, GError **error);
/* Returns: (transfer full) the command that computes the runs of @src
 * (or of shard @k/@n when @src is NULL) again. */
G_GNUC_INTERNAL char     *merge_finish_command (const SynackMergeOptions *opt,
                                                const Source *any,
                                                const Source *src, guint k,
                                                guint n);

#endif /* SYNACK_MERGE_PRIVATE_H */
