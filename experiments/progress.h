/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/progress.h - what `synack run` shows on stderr while a batch
 * runs: a bar with the runs finished, the time elapsed and an estimate of
 * the time left (on a terminal), or a line per finished sweep point.
 *
 * The caller serialises the calls (the runner holds its batch lock). */
#pragma once

#include <glib.h>
#include "results.h"

G_BEGIN_DECLS

typedef enum {
  SYNACK_PROGRESS_AUTO,   /* a bar on a terminal, else a line per point */
  SYNACK_PROGRESS_LINES,
  SYNACK_PROGRESS_QUIET,
} SynackProgressMode;

typedef struct {
  SynackProgressMode mode;  /* resolved: AUTO only when stderr is a terminal */
  double  running_fraction; /* summed progress inside the unfinished runs */
  gint64  start_us, last_draw_us;
} SynackProgress;

/* Resolves @mode (AUTO becomes LINES when stderr is not a terminal) and
 * starts the clock. */
void synack_progress_init (SynackProgress *p, SynackProgressMode mode);
/* Restarts the clock: elapsed times count from now. */
void synack_progress_start (SynackProgress *p);
/* AUTO: redraws the bar for @finished of @wanted runs (plus the running
 * fraction), at most 10 times a second unless @final, which ends the line. */
void synack_progress_bar (SynackProgress *p, guint finished, guint wanted,
                          gboolean final);
/* LINES: "synack: point 3/12 done (KEY=VALUE ...), 17/36 runs, 1.2 s". */
void synack_progress_point_done (SynackProgress *p,
                                 const SynackResultsSweep *sweep, guint point,
                                 guint finished, guint wanted);

G_END_DECLS
