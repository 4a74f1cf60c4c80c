/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched-lanes.c - the lanes' slow paths: opening a lane for a
 * delay seen twice, growing a lane's ring, rebuilding the lane heap after a
 * sweep.  The lanes are described at the top of sched.c. */
#include "sched-private.h"

/* @key's delay came again: gives it the next free lane, if any.  Returns:
 * the lane, or -1 (the key then says LANE_NONE: the ladder for good). */
gint32
lanes_open (SynackSched *s, LaneKey *key)
{
  if (s->n_lanes == MAX_LANES) {
    key->lane = LANE_NONE;
    return -1;
  }
  Lane *l = &s->lanes[s->n_lanes];
  l->delay = key->delay;
  key->lane = (gint32) s->n_lanes;
  return (gint32) s->n_lanes++;
}

/* Doubles @l's ring (it is full), keeping its order from index 0. */
void
lanes_grow (Lane *l)
{
  if (l->cap > G_MAXUINT32 / 4)
    g_error ("%s: more than 2^30 events in one lane", G_STRLOC);
  guint32 cap = l->cap == 0 ? 16 : 2 * l->cap;
  Entry *e = g_new (Entry, cap);

  for (guint32 i = 0; i < l->n; i++)
    e[i] = l->e[(l->head + i) & (l->cap - 1)];
  g_free (l->e);
  l->e = e;
  l->head = 0;
  l->cap = cap;
}

/* Rebuilds the lane heap from the non-empty lanes. */
void
lanes_reheap (SynackSched *s)
{
  s->n_lane_heap = 0;
  for (guint32 i = 0; i < s->n_lanes; i++)
    if (s->lanes[i].n > 0)
      s->lane_heap[s->n_lane_heap++] = (guint8) i;
  for (guint32 i = s->n_lane_heap / 2; i-- > 0;)
    lanes_sift_down (s, i, s->lane_heap[i]);
}
