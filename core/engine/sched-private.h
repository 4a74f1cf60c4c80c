/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched-private.h - the scheduler's insides, shared by sched.c
 * (the event loop, slots and the public calls) and sched-ladder.c (the
 * rungs, the epoch, refill, respawn and the sweeps) and sched-lanes.c:
 * the tuning constants, the entry, bucket, rung, lane, slot and scheduler
 * structs, and the few inline steps every event takes (filing an entry, the
 * bottom heap's sifts, a lane's push and pop).
 * The design is described at the top of sched.c.  Not installed. */
#ifndef SYNACK_SCHED_PRIVATE_H
#define SYNACK_SCHED_PRIVATE_H

#include "sched.h"

#include <string.h>

#define INITIAL_CAPACITY 64u
#define MAX_RUNGS 8u                /* ladder depth; deeper goes to the heap */
#ifndef EPOCH_PER_BUCKET
#define EPOCH_PER_BUCKET 512u      /* top entries per rung-0 bucket */
#endif
#define MAX_BUCKET_BITS 20u         /* at most 2^20 buckets in a rung */
#ifndef SPLIT_AT
#define SPLIT_AT 64u                /* a bucket bigger than this gets a rung */
#endif
#ifndef CHILD_PER_BUCKET
#define CHILD_PER_BUCKET 8u        /* entries per bucket of a new rung */
#endif
#define SWEEP_MIN 1024u             /* cancelled entries kept before a sweep */
#define HEAP_MAX 256u               /* inserts past this: a rung (respawn) */

#ifndef SCHED_SEQ_LIMIT
#define SCHED_SEQ_LIMIT ((guint64) 1 << 32)
#endif

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(addr) __builtin_prefetch (addr)
#else
#define PREFETCH(addr) ((void) (addr))
#endif

typedef struct {
  SynackTime time;
  guint64    tie;                   /* seq << 32 | slot */
} Entry;

#define ENTRY_SLOT(e) ((guint32) (e).tie)

/* An unsorted bucket of entries. */
typedef struct {
  Entry  *e;
  guint32 n;
  guint32 cap;
} Vec;

/* One rung of the ladder: n_buckets buckets of 2^shift ns from base;
 * buckets below cur have been handed down already. */
typedef struct {
  SynackTime base;
  guint32    shift;
  guint32    n_buckets;
  guint32    cur;
  guint32    cap;                   /* bucket headers allocated */
  Vec       *b;
} Rung;

/* A lane: a FIFO of the entries filed with one delay (when - now), a
 * ring of cap entries (a power of two) from head.  Now never goes back and
 * seqs only grow, so a lane is sorted by (time, seq) by construction. */
typedef struct {
  Entry     *e;
  guint32    head;
  guint32    n;
  guint32    cap;
  SynackTime delay;
} Lane;

#define MAX_LANES 32u
#define LANE_KEY_BITS 7u            /* 128 delays remembered */
#define LANE_SEEN (-1)              /* key seen once: a lane the next time */
#define LANE_NONE (-2)              /* no lane was free: the ladder this once */

/* Which delay has which lane: a direct-mapped table.  A key holding a lane
 * is not overwritten by another delay, so a lane's delay finds it until
 * the lane, empty, is given to another delay. */
typedef struct {
  SynackTime delay;                 /* -1: unused (delays are >= 0) */
  gint32     lane;                  /* index, LANE_SEEN or LANE_NONE */
} LaneKey;

typedef struct {
  SynackEventFunc func;             /* NULL: free, or cancelled and queued */
  gpointer        user_data;
  GDestroyNotify  destroy;
  guint32         gen;              /* bumped at every free and cancel */
  guint32         next_free;        /* free-list link, valid when free */
} Slot;

struct _SynackSched {
  Entry     *heap;                  /* the bottom: a 4-ary heap */
  guint32    n;                     /* heap entries, a held root included */
  guint32    heap_cap;
  gboolean   root_held;             /* heap[0] is the running event's: fire() */
  guint32    heap_filled;           /* entries the last refill brought */
  guint32    n_rungs;
  Rung       rungs[MAX_RUNGS];
  Vec        top;                   /* unsorted, every time >= top_start */
  SynackTime top_start;
  Lane       lanes[MAX_LANES];
  guint32    n_lanes;               /* lanes opened (reused when empty) */
  guint8     lane_heap[MAX_LANES];  /* the non-empty lanes, by head */
  Entry      lane_key[MAX_LANES];   /* lane_heap[i]'s head entry, copied:
                                     * the sifts read one array, not rings */
  guint32    n_lane_heap;
  LaneKey    lane_keys[1u << LANE_KEY_BITS];
  Slot      *slots;
  guint32    n_slots;               /* slots ever handed out */
  guint32    slot_cap;
  guint32    free_head;             /* G_MAXUINT32: free list empty */
  gsize      count;                 /* live pending events */
  gsize      n_dead;                /* cancelled entries still queued */
  SynackTime now;
  guint64    next_seq;              /* < SCHED_SEQ_LIMIT */
  guint64    events_run;
  gboolean   stop;
  gboolean   running;
  gpointer   owner;                 /* see synack_sched_set_owner() */
};

#define NO_SLOT G_MAXUINT32

/* ---- in sched-ladder.c --------------------------------------------------- */

G_GNUC_INTERNAL void     ladder_vec_grow (Vec *v);
G_GNUC_INTERNAL void     ladder_heap_reserve (SynackSched *s, guint32 n);
G_GNUC_INTERNAL gboolean ladder_refill (SynackSched *s);
G_GNUC_INTERNAL void     ladder_respawn (SynackSched *s);
G_GNUC_INTERNAL void     ladder_sweep (SynackSched *s);
G_GNUC_INTERNAL void     ladder_renumber (SynackSched *s);

/* ---- buckets ------------------------------------------------------------ */

static inline void
vec_push (Vec *v, Entry e)
{
  if (G_UNLIKELY (v->n == v->cap))
    ladder_vec_grow (v);
  v->e[v->n++] = e;
}

/* ---- heap ---------------------------------------------------------------- */

static inline gboolean
entry_less (const Entry *a, const Entry *b)
{
  return a->time < b->time || (a->time == b->time && a->tie < b->tie);
}

/* Puts @e at hole @i or above it. */
static inline void
sift_up (Entry *heap, guint32 i, Entry e)
{
  while (i > 0) {
    guint32 p = (i - 1) / 4;
    if (!entry_less (&e, &heap[p]))
      break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = e;
}

/* Puts @e at hole @i or below it, in a heap of @n entries. */
static inline void
sift_down (Entry *heap, guint32 n, guint32 i, Entry e)
{
  for (;;) {
    guint32 c = 4 * i + 1, best;
    if (c + 3 < n) {                  /* all four children: the common case */
      guint32 b1 = entry_less (&heap[c + 1], &heap[c]) ? c + 1 : c;
      guint32 b2 = entry_less (&heap[c + 3], &heap[c + 2]) ? c + 3 : c + 2;
      best = entry_less (&heap[b2], &heap[b1]) ? b2 : b1;
    } else if (c < n) {
      best = c;
      for (guint32 k = c + 1; k < n; k++)
        if (entry_less (&heap[k], &heap[best]))
          best = k;
    } else
      break;
    if (!entry_less (&heap[best], &e))
      break;
    heap[i] = heap[best];
    i = best;
  }
  heap[i] = e;
}

/* Removes the root (held or cancelled) for good. */
static inline void
pop_root (SynackSched *s)
{
  guint32 last = --s->n;

  s->root_held = FALSE;
  if (last > 0)
    sift_down (s->heap, last, 0, s->heap[last]);
}

static inline void
heap_push (SynackSched *s, Entry e)
{
  if (s->root_held) {                  /* hold: replace the fired root */
    s->root_held = FALSE;
    sift_down (s->heap, s->n, 0, e);
    return;
  }
  if (G_UNLIKELY (s->n == s->heap_cap))
    ladder_heap_reserve (s, s->n + 1);
  sift_up (s->heap, s->n++, e);
}

/* ---- the ladder --------------------------------------------------------- */

/* Files @e where its time says: the top, the first rung whose unvisited
 * buckets cover it, or the heap. */
static inline void
enqueue (SynackSched *s, Entry e)
{
  if (e.time >= s->top_start) {
    vec_push (&s->top, e);
    return;
  }
  for (guint32 r = 0; r < s->n_rungs; r++) {
    Rung *g = &s->rungs[r];
    if (e.time >= g->base) {
      guint64 i = (guint64) (e.time - g->base) >> g->shift;
      if (i >= g->cur) {
        vec_push (&g->b[i], e);
        return;
      }
    }
  }
  heap_push (s, e);
}

/* ---- lanes --------------------------------------------------------------- */

G_GNUC_INTERNAL gint32 lanes_open (SynackSched *s, LaneKey *key);
G_GNUC_INTERNAL void   lanes_grow (Lane *l);
G_GNUC_INTERNAL void   lanes_reheap (SynackSched *s);

/* The earliest lane head (the lane heap must not be empty). */
static inline const Entry *
lanes_first (const SynackSched *s)
{
  return &s->lane_key[0];
}

/* Lane heap (binary, by head entry) step: puts lane @li, whose head is
 * @key, at hole @i or below it. */
static inline void
lanes_sift_down (SynackSched *s, guint32 i, Entry key, guint8 li)
{
  guint32 n = s->n_lane_heap;
  Entry *k = s->lane_key;

  for (;;) {
    guint32 c = 2 * i + 1;
    if (c >= n)
      break;
    if (c + 1 < n && entry_less (&k[c + 1], &k[c]))
      c++;
    if (!entry_less (&k[c], &key))
      break;
    k[i] = k[c];
    s->lane_heap[i] = s->lane_heap[c];
    i = c;
  }
  k[i] = key;
  s->lane_heap[i] = li;
}

static inline guint32
lanes_key_index (SynackTime delay)
{
  return (guint32) (((guint64) delay * G_GUINT64_CONSTANT (0x9E3779B97F4A7C15))
                    >> (64 - LANE_KEY_BITS));
}

/* The lane for entries filed @delay from now, or -1 for the ladder. */
static inline gint32
lanes_find (SynackSched *s, SynackTime delay)
{
  LaneKey *key = &s->lane_keys[lanes_key_index (delay)];

  if (G_LIKELY (key->delay == delay)) {
    if (key->lane >= 0)
      return key->lane;
    if (key->lane == LANE_SEEN)
      return lanes_open (s, key);
    key->lane = LANE_SEEN;          /* no lane last time: try again next */
    return -1;
  }
  if (key->lane < 0) {              /* never evict a key that has a lane */
    key->delay = delay;
    key->lane = LANE_SEEN;
  }
  return -1;
}

/* tests/test-sched.c runs its ladder rows with the lanes off too; the
 * library never turns them off. */
#ifdef SCHED_TEST_LANES_SWITCH
extern gboolean sched_test_lanes_off;
#define LANES_OFF() sched_test_lanes_off
#else
#define LANES_OFF() FALSE
#endif

/* The lane for an entry filed @delay from now, or -1 for the ladder. */
static inline gint32
lanes_choose (SynackSched *s, SynackTime delay)
{
  return LANES_OFF () ? -1 : lanes_find (s, delay);
}

static inline void
lanes_push (SynackSched *s, guint32 li, Entry e)
{
  Lane *l = &s->lanes[li];

  if (G_UNLIKELY (l->n == l->cap))
    lanes_grow (l);
  l->e[(l->head + l->n) & (l->cap - 1)] = e;
  if (l->n++ == 0) {                /* a new head: into the lane heap */
    guint32 i = s->n_lane_heap++;
    while (i > 0) {
      guint32 p = (i - 1) / 2;
      if (!entry_less (&e, &s->lane_key[p]))
        break;
      s->lane_key[i] = s->lane_key[p];
      s->lane_heap[i] = s->lane_heap[p];
      i = p;
    }
    s->lane_key[i] = e;
    s->lane_heap[i] = (guint8) li;
  }
}

/* Takes the earliest lane's head out; returns it. */
static inline Entry
lanes_pop (SynackSched *s)
{
  guint8 li = s->lane_heap[0];
  Lane *l = &s->lanes[li];
  Entry e = s->lane_key[0];

  l->head = (l->head + 1) & (l->cap - 1);
  if (--l->n > 0)
    lanes_sift_down (s, 0, l->e[l->head], li);
  else if (--s->n_lane_heap > 0) {
    guint32 last = s->n_lane_heap;
    lanes_sift_down (s, 0, s->lane_key[last], s->lane_heap[last]);
  }
  return e;
}

/* ---- slots --------------------------------------------------------------- */

static inline void
slot_free (SynackSched *s, guint32 k)
{
  Slot *slot = &s->slots[k];

  slot->func = NULL;                /* not live: cancel() says FALSE */
  slot->gen++;
  slot->next_free = s->free_head;
  s->free_head = k;
}

static inline gboolean
entry_dead (const SynackSched *s, Entry e)
{
  return s->slots[ENTRY_SLOT (e)].func == NULL;
}

#endif /* SYNACK_SCHED_PRIVATE_H */
