/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched-lanes.c - the lanes' slow paths: opening a lane for a
 * delay seen twice, growing a lane's ring, rebuilding the lane heap after a
 * sweep.  The lanes are described at the top of sched.c. */
#include "sched-private.h"

static LaneKey *
key_of (SynackSched *s, SynackTime delay)
{
  return &s->lane_keys[lanes_key_index (delay)];
}

/* An empty lane to give away, its key forgotten; -1 if every lane holds
 * entries.  O(MAX_LANES), once per delay that comes twice with every lane
 * taken: delays that were common once (a burst of one RTO value) do not
 * keep their lanes from the delays that are common now. */
static gint32
take_empty_lane (SynackSched *s)
{
  for (guint32 i = 0; i < s->n_lanes; i++)
    if (s->lanes[i].n == 0) {
      LaneKey *old = key_of (s, s->lanes[i].delay);
      if (old->lane == (gint32) i)
        *old = (LaneKey) { -1, LANE_SEEN };
      return (gint32) i;
    }
  return -1;
}

/* @key's delay came again: gives it a lane, a new one or an empty one.
 * Returns: the lane, or -1 (the key then says LANE_NONE: the ladder for
 * the next entry of that delay too, then a new try). */
gint32
lanes_open (SynackSched *s, LaneKey *key)
{
  gint32 i = s->n_lanes < MAX_LANES ? (gint32) s->n_lanes++
                                    : take_empty_lane (s);

  if (i < 0) {
    key->lane = LANE_NONE;
    return -1;
  }
  s->lanes[i].delay = key->delay;
  key->lane = i;
  return i;
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
  for (guint32 i = 0; i < s->n_lanes; i++) {
    const Lane *l = &s->lanes[i];
    if (l->n > 0) {
      s->lane_key[s->n_lane_heap] = l->e[l->head];
      s->lane_heap[s->n_lane_heap++] = (guint8) i;
    }
  }
  for (guint32 i = s->n_lane_heap / 2; i-- > 0;)
    lanes_sift_down (s, i, s->lane_key[i], s->lane_heap[i]);
}
