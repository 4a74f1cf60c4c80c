/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched-private.h - the scheduler's insides, shared by sched.c
 * (the event loop, slots and the public calls) and sched-ladder.c (the
 * rungs, the epoch, refill, respawn and the sweeps): the tuning constants,
 * the entry, bucket, rung, slot and scheduler structs, and the few inline
 * steps every event takes (filing an entry, the bottom heap's sifts).
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
