/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ladder-time.c - the ladder's time axis (see ladder-trace.h):
 * time runs down, but not to scale everywhere.  Sorted event times are
 * knots of a piecewise-linear map, and a gap between knots longer than
 * GAP_DELAYS one-way delays (a retransmission timeout, the hold time,
 * TIME_WAIT) is drawn GAP_DRAWN delays long, dotted, and labelled with its
 * true length.  The typical one-way delay sets the unit. */
#include "ladder-trace.h"

#include <math.h>

int
ladder_compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

void
ladder_time_map_build (TimeMap *m, GArray *times, double delay)
{
  m->t = g_array_new (FALSE, FALSE, sizeof (double));
  m->y = g_array_new (FALSE, FALSE, sizeof (double));
  m->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  g_array_sort (times, ladder_compare_double);
  for (guint i = 0; i < times->len; i++) {
    double t = g_array_index (times, double, i), y;

    if (m->t->len == 0) {
      y = 0;
    } else {
      double last_t = g_array_index (m->t, double, m->t->len - 1);
      double last_y = g_array_index (m->y, double, m->y->len - 1);
      double dt = t - last_t;

      if (dt <= delay * 1e-9)
        continue;
      if (dt > GAP_DELAYS * delay) {
        Gap g = { last_y, last_y + GAP_DRAWN * delay, dt };

        g_array_append_val (m->gaps, g);
        y = g.y1;
      } else {
        y = last_y + dt;
      }
    }
    g_array_append_val (m->t, t);
    g_array_append_val (m->y, y);
  }
}

/* Where time @t is drawn: linear between knots. */
double
ladder_time_map (const TimeMap *m, double t)
{
  const double *kt = (const double *) m->t->data,
               *ky = (const double *) m->y->data;
  guint lo = 0, hi = m->t->len - 1;

  if (t <= kt[0])
    return ky[0] - (kt[0] - t);
  if (t >= kt[hi])
    return ky[hi] + (t - kt[hi]);
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;

    if (kt[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return ky[lo] + (ky[hi] - ky[lo]) * (t - kt[lo]) / (kt[hi] - kt[lo]);
}

void
ladder_time_map_clear (TimeMap *m)
{
  g_array_unref (m->t);
  g_array_unref (m->y);
  g_array_unref (m->gaps);
}

/* The median one-way delay of the delivered segments: the diagram's unit. */
double
ladder_typical_delay (const Ladder *l)
{
  g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (double));
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);

    lo = MIN (lo, a->t_send);
    hi = MAX (hi, a->t_end);
    if (a->fate == FATE_DELIVERED && a->t_end > a->t_send) {
      double v = a->t_end - a->t_send;

      g_array_append_val (d, v);
    }
  }
  if (d->len > 0) {
    g_array_sort (d, ladder_compare_double);
    return g_array_index (d, double, d->len / 2);
  }
  return hi > lo ? (hi - lo) / 8 : 0.01;
}
