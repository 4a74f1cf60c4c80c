/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched-ladder.c - the ladder queue's slow paths: buckets
 * that grow, the bottom heap's reserve and heapify, the epoch (the top
 * becomes rung 0), refill (a bucket comes down to the heap or to a finer
 * rung), respawn (an overfull heap goes back to a rung), and the sweep and
 * renumbering of the seq space.  Each runs once per bucket, per heap
 * doubling or per many cancels, not per event; the design is described at
 * the top of sched.c. */
#include "sched-private.h"

#include <stdlib.h>

/* ---- buckets ------------------------------------------------------------ */

void
ladder_vec_grow (Vec *v)
{
  if (v->cap > G_MAXUINT32 / 2)
    g_error ("%s: more than 2^31 events in one bucket", G_STRLOC);
  v->cap = v->cap == 0 ? 8 : 2 * v->cap;
  v->e = g_renew (Entry, v->e, v->cap);
}

/* ---- heap ---------------------------------------------------------------- */

void
ladder_heap_reserve (SynackSched *s, guint32 n)
{
  if (n <= s->heap_cap)
    return;
  if (n > G_MAXUINT32 / 4)
    g_error ("%s: more than 2^30 events due at once", G_STRLOC);
  while (s->heap_cap < n)
    s->heap_cap *= 2;
  s->heap = g_renew (Entry, s->heap, s->heap_cap);
}

/* Floyd's bottom-up construction: O(n). */
static void
heapify (SynackSched *s)
{
  for (guint32 i = s->n > 1 ? (s->n - 2) / 4 + 1 : 0; i-- > 0;)
    sift_down (s->heap, s->n, i, s->heap[i]);
}

/* ---- the ladder --------------------------------------------------------- */

/* Makes rung @r n_buckets buckets of 2^shift ns from @base, all empty. */
static Rung *
rung_init (SynackSched *s, guint32 r, SynackTime base, guint32 shift,
           guint32 n_buckets)
{
  Rung *g = &s->rungs[r];

  if (n_buckets > g->cap) {
    g->b = g_renew (Vec, g->b, n_buckets);
    memset (g->b + g->cap, 0, (n_buckets - g->cap) * sizeof (Vec));
    g->cap = n_buckets;
  }
  g->base = base;
  g->shift = shift;
  g->n_buckets = n_buckets;
  g->cur = 0;
  return g;
}

static inline void
rung_fill (Rung *g, const Entry *e, guint32 n)
{
  for (guint32 i = 0; i < n; i++)
    vec_push (&g->b[(guint64) (e[i].time - g->base) >> g->shift], e[i]);
}

/* Moves the top into a new rung 0 (no rung, empty heap). */
static void
epoch (SynackSched *s)
{
  Vec *top = &s->top;
  SynackTime lo = top->e[0].time, hi = lo;

  for (guint32 i = 1; i < top->n; i++) {
    SynackTime t = top->e[i].time;
    lo = MIN (lo, t);
    hi = MAX (hi, t);
  }
  guint64 span = (guint64) (hi - lo);
  guint32 want = CLAMP (top->n / EPOCH_PER_BUCKET, 1u, 1u << MAX_BUCKET_BITS);
  guint32 shift = 0;
  while ((span >> shift) >= want)
    shift++;
  guint32 n_buckets = (guint32) (span >> shift) + 1;
  guint64 width = (guint64) n_buckets << shift;   /* <= 2 span + 1: no wrap */

  Rung *g = rung_init (s, 0, lo, shift, n_buckets);
  s->n_rungs = 1;
  s->top_start = width > (guint64) (G_MAXINT64 - lo) ? G_MAXINT64
                                                     : lo + (SynackTime) width;
  rung_fill (g, top->e, top->n);
  top->n = 0;
}

/* Refills the empty heap from the ladder.  Returns: FALSE if nothing is
 * queued at all. */
gboolean
ladder_refill (SynackSched *s)
{
  for (;;) {
    if (s->n_rungs == 0) {
      if (s->top.n == 0)
        return FALSE;
      epoch (s);
      continue;
    }
    Rung *g = &s->rungs[s->n_rungs - 1];
    while (g->cur < g->n_buckets && g->b[g->cur].n == 0)
      g->cur++;
    if (g->cur == g->n_buckets) {
      s->n_rungs--;
      continue;
    }
    guint32 j = g->cur++;
    Vec *b = &g->b[j];
    if (b->n <= SPLIT_AT || g->shift == 0 || s->n_rungs == MAX_RUNGS) {
      ladder_heap_reserve (s, b->n);
      memcpy (s->heap, b->e, b->n * sizeof (Entry));
      for (guint32 i = 0; i < b->n; i++)
        PREFETCH (&s->slots[ENTRY_SLOT (b->e[i])]);
      s->n = s->heap_filled = b->n;
      b->n = 0;
      heapify (s);
      return TRUE;
    }
    /* Too many for one heap: spread them over a finer rung. */
    guint32 bits = 1;
    while (bits < MAX_BUCKET_BITS && bits < g->shift
           && (b->n >> (bits + 1)) >= CHILD_PER_BUCKET)
      bits++;
    Rung *c = rung_init (s, s->n_rungs, g->base + ((SynackTime) j << g->shift),
                         g->shift - bits, 1u << bits);
    s->n_rungs++;
    rung_fill (c, b->e, b->n);
    b->n = 0;
  }
}

/* Start of rung @g's unvisited buckets, G_MAXINT64 if beyond. */
static inline SynackTime
rung_cursor (const Rung *g)
{
  guint64 off = (guint64) g->cur << g->shift;

  return off > (guint64) (G_MAXINT64 - g->base) ? G_MAXINT64
                                                : g->base + (SynackTime) off;
}

/* The heap has grown by inserts to more than twice what its last refill
 * brought (events filed below the deepest rung's cursor, whose bucket was
 * wide): spread it over a new, finer rung, as a bucket that comes down too
 * full is.  Only between events (the root is not held).  O(n), paid for by
 * the n/2 inserts since the refill; equal times, which no rung can split,
 * just wait for the heap to double again. */
void
ladder_respawn (SynackSched *s)
{
  SynackTime lo = s->heap[0].time, hi;

  s->heap_filled = s->n;
  if (s->n_rungs == MAX_RUNGS)
    return;
  hi = s->n_rungs > 0 ? rung_cursor (&s->rungs[s->n_rungs - 1]) : s->top_start;
  if (hi <= lo)
    return;
  /* every entry, and every insert to come below hi, is in [lo, hi] */
  guint64 span = (guint64) (hi - lo);
  guint32 bits = 1;
  while (bits < MAX_BUCKET_BITS && (s->n >> (bits + 1)) >= CHILD_PER_BUCKET)
    bits++;
  guint32 shift = 0;
  while ((span >> shift) >= (1u << bits))
    shift++;
  if (shift == 0 && span < 2)
    return;
  Rung *g = rung_init (s, s->n_rungs, lo, shift, 1u << bits);
  s->n_rungs++;
  rung_fill (g, s->heap, s->n);
  s->n = 0;
}

/* ---- sweeps -------------------------------------------------------------- */

/* Drops cancelled entries from @v (order kept); returns how many. */
static gsize
vec_sweep (SynackSched *s, Entry *e, guint32 *n)
{
  guint32 j = 0;

  for (guint32 i = 0; i < *n; i++) {
    if (entry_dead (s, e[i]))
      slot_free (s, ENTRY_SLOT (e[i]));
    else
      e[j++] = e[i];
  }
  gsize dropped = *n - j;
  *n = j;
  return dropped;
}

/* Drops cancelled entries from lane @l (order kept); returns how many. */
static gsize
lane_sweep (SynackSched *s, Lane *l)
{
  guint32 j = 0, mask = l->cap - 1;

  for (guint32 i = 0; i < l->n; i++) {
    Entry e = l->e[(l->head + i) & mask];
    if (entry_dead (s, e))
      slot_free (s, ENTRY_SLOT (e));
    else
      l->e[(l->head + j++) & mask] = e;
  }
  gsize dropped = l->n - j;
  l->n = j;
  return dropped;
}

/* Removes every cancelled entry: O(queued), once per more cancels than
 * live events, so O(1) amortised per cancel. */
void
ladder_sweep (SynackSched *s)
{
  gsize dropped = 0;

  if (s->root_held)
    pop_root (s);
  dropped += vec_sweep (s, s->heap, &s->n);
  heapify (s);
  for (guint32 r = 0; r < s->n_rungs; r++) {
    Rung *g = &s->rungs[r];
    for (guint32 i = g->cur; i < g->n_buckets; i++)
      dropped += vec_sweep (s, g->b[i].e, &g->b[i].n);
  }
  dropped += vec_sweep (s, s->top.e, &s->top.n);
  for (guint32 i = 0; i < s->n_lanes; i++)
    dropped += lane_sweep (s, &s->lanes[i]);
  lanes_reheap (s);
  g_assert (dropped == s->n_dead);
  s->n_dead = 0;
}

static int
entry_cmp (const void *a, const void *b)
{
  return entry_less (a, b) ? -1 : entry_less (b, a) ? 1 : 0;
}

/* Gives the pending events seqs 0..n-1 in their current order, and puts
 * them all on top. */
void
ladder_renumber (SynackSched *s)
{
  ladder_sweep (s);
  Vec *top = &s->top;
  for (guint32 r = 0; r < s->n_rungs; r++) {
    Rung *g = &s->rungs[r];
    for (guint32 i = g->cur; i < g->n_buckets; i++) {
      for (guint32 k = 0; k < g->b[i].n; k++)
        vec_push (top, g->b[i].e[k]);
      g->b[i].n = 0;
    }
  }
  for (guint32 k = 0; k < s->n; k++)
    vec_push (top, s->heap[k]);
  s->n = 0;
  for (guint32 i = 0; i < s->n_lanes; i++) {
    Lane *l = &s->lanes[i];
    for (guint32 k = 0; k < l->n; k++)
      vec_push (top, l->e[(l->head + k) & (l->cap - 1)]);
    l->n = 0;
  }
  s->n_lane_heap = 0;
  s->n_rungs = 0;
  s->top_start = G_MININT64;
  /* Keys are distinct, so the order is total and qsort is deterministic. */
  qsort (top->e, top->n, sizeof (Entry), entry_cmp);
  for (guint32 i = 0; i < top->n; i++)
    top->e[i].tie = ((guint64) i << 32) | ENTRY_SLOT (top->e[i]);
  s->next_seq = top->n;
}

