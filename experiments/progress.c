/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/progress.c - the progress display of `synack run` (see
 * progress.h). */
#include "progress.h"

#include <stdio.h>
#include <unistd.h>

void
synack_progress_init (SynackProgress *p, SynackProgressMode mode)
{
  p->mode = mode;
  if (p->mode == SYNACK_PROGRESS_AUTO && !isatty (STDERR_FILENO))
    p->mode = SYNACK_PROGRESS_LINES;
  p->running_fraction = 0;
  p->last_draw_us = 0;
  synack_progress_start (p);
}

void
synack_progress_start (SynackProgress *p)
{
  p->start_us = g_get_monotonic_time ();
}

static void
format_duration (char *buf, gsize size, double s)
{
  guint total = (guint) MAX (0.0, s + 0.5);

  if (total >= 3600)
    g_snprintf (buf, size, "%u:%02u:%02u", total / 3600, total / 60 % 60,
                total % 60);
  else
    g_snprintf (buf, size, "%u:%02u", total / 60, total % 60);
}

void
synack_progress_bar (SynackProgress *p, guint finished, guint wanted,
                     gboolean final)
{
  gint64 now = g_get_monotonic_time ();
  double elapsed = (double) (now - p->start_us) / 1e6;
  double done = finished + p->running_fraction;
  double frac = wanted ? done / wanted : 1.0;
  char el[32], eta[32], bar[31];
  guint fill = (guint) (frac * 30);

  if (p->mode != SYNACK_PROGRESS_AUTO ||
      (!final && now - p->last_draw_us < 100000))
    return;
  p->last_draw_us = now;
  for (guint k = 0; k < 30; k++)
    bar[k] = k < fill ? '=' : (k == fill ? '>' : ' ');
  bar[30] = '\0';
  format_duration (el, sizeof el, elapsed);
  if (frac > 0.001)
    format_duration (eta, sizeof eta, elapsed / frac - elapsed);
  else
    g_strlcpy (eta, "?", sizeof eta);
  /* ESC[K clears what a longer line drawn before left behind ("0:005") */
  fprintf (stderr, "\r[%s] %u/%u runs  elapsed %s  ETA %s\033[K%s", bar,
           finished, wanted, el, final ? "0:00" : eta, final ? "\n" : "");
  fflush (stderr);
}

void
synack_progress_point_done (SynackProgress *p, const SynackResultsSweep *sweep,
                            guint point, guint finished, guint wanted)
{
  GString *s;

  if (p->mode != SYNACK_PROGRESS_LINES)
    return;
  s = g_string_new (NULL);
  for (guint k = 0; k < sweep->n_keys; k++)
    g_string_append_printf (s, "%s%s=%s", k ? " " : " (", sweep->keys[k],
                            sweep->values[point * sweep->n_keys + k]);
  if (s->len)
    g_string_append_c (s, ')');
  fprintf (stderr, "synack: point %u/%u done%s, %u/%u runs, %.1f s\n",
           point + 1, sweep->n_points, s->str, finished, wanted,
           (double) (g_get_monotonic_time () - p->start_us) / 1e6);
  g_string_free (s, TRUE);
}
