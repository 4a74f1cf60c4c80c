/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/schedule.h - the order runs start in, and their wall times.
 *
 * A batch (or a shard) that ends on a long run keeps every core but one
 * idle while it finishes, so runs start longest first.  How long a run
 * takes is known from DIR/run-times.csv when runs of its point ran before
 * (an interrupted batch, replications added with --resume); other points
 * are estimated from their work: attempts, spoofed SYNs and traces, scaled
 * by the measured points when there are any.  The order changes no byte of
 * the results: rows are written in run order whatever order runs finish in. */
#pragma once

#include <stdio.h>
#include <glib.h>
#include "net.h"

G_BEGIN_DECLS

/* Opens DIR/run-times.csv for appending ("point,replication,wall_s"),
 * emptied first when @truncate; NULL (said once on stderr) if it cannot
 * be: the wall times are a convenience, not results. */
FILE    *synack_schedule_open_times   (const char *dir, gboolean truncate);
/* Appends one row and flushes; the caller serialises calls. */
void synack_schedule_append_time (FILE *times, guint point, guint replication,
                                  double wall_s);
/* Sorts @order (run indices i = point x @reps + replication) by expected
 * wall time, longest first, ties in run order. */
void synack_schedule_longest_first (const char *dir,
                                    const SynackRunSpec *point_specs,
                                    guint n_points, guint reps, GArray *order);
/* The work estimate of one run of @spec, in arbitrary units. */
double   synack_schedule_estimate      (const SynackRunSpec *spec);

G_END_DECLS
