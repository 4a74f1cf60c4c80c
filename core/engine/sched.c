/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched.c - the discrete-event scheduler: a 4-ary heap of keys over a
 * slot array of events.
 *
 * Every simulated segment, timer and arrival is one event, so this file is
 * the inner loop of every run; the choices below keep it short.
 * bench/phold.c measures it against a bare heap (bench/phold-bare.c); the
 * figures quoted are PHOLD times per event there, at 10^5 and 10^6 pending
 * events, on the development machine (x86-64, 2 cores, noisy to +-10%).
 *
 * Order.  Events run by (time, seq), seq being a counter given at
 * scheduling: equal times run FIFO, and nothing depends on pointers or
 * hashing, so equal seeds give byte-identical runs (libuv breaks timer ties
 * with its start_id the same way).
 *
 * Heap.  An array-based 4-ary min-heap (libuv and Redis use binary heaps of
 * pointers).  Each entry is 16 bytes and holds the whole key inline: the
 * time, then one word "tie" = seq << 32 | slot.  Comparing (time, tie)
 * compares (time, seq), since no two pending events share a seq, and the
 * slot rides along for free, so a comparison or a move never touches an
 * event: a heap of pointers costs a cache miss per comparison once the
 * pending set outgrows the cache, and a 24-byte {time, seq, slot} entry
 * (or 16-byte keys plus a parallel slot array) was up to 15% slower.  Four
 * children per node halve a binary heap's depth.  Sifts move a hole rather
 * than swapping, and are static inline with the comparison written out,
 * not a comparator pointer.  Aligning each sibling group to a cache line
 * measured a few percent slower than malloc's alignment, so it is not done.
 *
 * Seq space.  32 bits of seq wrap after 2^32 schedulings, so when the
 * counter gets there the pending events are renumbered 0..n-1 in their
 * current order (a sort, O(n log n) once per 2^32 events; a sorted array is
 * a valid heap).  SCHED_SEQ_LIMIT may be lowered at compile time, which
 * tests/test-sched.c does to run this path often.
 *
 * Slots.  The event itself (func, user_data, destroy) and a generation live
 * in a slot array with a free list; each slot's heap position sits in an
 * array of its own, because sifts write it at every level and 4 bytes a slot
 * keep those writes in cache better than 32.  All arrays grow by doubling and
 * never shrink, so once the pending population has peaked no event costs a
 * malloc.  The position makes cancel O(log n): the last heap entry moves
 * into the hole, then sifts up or down.  Keeping it up to date is the one
 * cost a heap without cancel does not pay.
 *
 * Ids.  An event id is (generation << 32) | (slot + 1): never 0, and stale
 * once the slot is freed, because freeing bumps the generation.  Cancelling a
 * fired, cancelled or unknown id is a no-op that returns FALSE (Redis marks
 * deleted timers and sweeps later; here cancel is eager, so the heap holds
 * live events only).  A generation wraps after 2^32 reuses of one slot; an
 * id kept that long could then alias a new event.
 *
 * Firing.  The earliest event's func, user_data and destroy are copied out
 * and its slot is freed *before* the handler runs, so the handler may
 * schedule (even into the same slot) and cancel anything, and cancelling its
 * own id is a stale-id no-op.  Its heap entry stays at the root, marked dead,
 * while the handler runs: most handlers schedule an event, and the first one
 * they schedule takes the root's place and sifts down once, where a pop and
 * a push would sift twice (the classic "hold"; 2-5%).  A dead root is
 * smaller than every live entry (it was the minimum, and anything scheduled
 * since has a larger seq), so cancels from the handler sift around it
 * untouched.  If the handler schedules nothing, the root is removed after it
 * returns.  destroy runs after func, on cancel, or at synack_sched_free():
 * exactly once.
 *
 * Prefetch.  The next event is almost always the smallest child of the
 * running one, so its slot (a likely cache miss: slots are used in no order)
 * is prefetched before the handler runs, which hides the miss behind the
 * handler (20-25% of the time per event at 10^5 and 10^6 pending). */
#include "sched.h"

#include <stdlib.h>

#define INITIAL_CAPACITY 64u
#define NO_POS G_MAXUINT32          /* heap position of a free slot */

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

typedef struct {
  SynackEventFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  guint32         gen;              /* bumped at every free */
  guint32         next_free;        /* free-list link, valid when free */
} Slot;

struct _SynackSched {
  Entry     *heap;
  guint32    n;                     /* heap entries, a dead root included */
  guint32    heap_cap;
  gboolean   root_dead;             /* heap[0] is the running event's: fire() */
  Slot      *slots;
  guint32   *pos;                   /* by slot: heap index, NO_POS when free */
  guint32    n_slots;               /* slots ever handed out */
  guint32    slot_cap;
  guint32    free_head;             /* NO_POS: free list empty */
  SynackTime now;
  guint64    next_seq;              /* < SCHED_SEQ_LIMIT */
  guint64    events_run;
  gboolean   stop;
  gboolean   running;
  gpointer   owner;                 /* see synack_sched_set_owner() */
};

SynackSched *
synack_sched_new (void)
{
  SynackSched *s = g_new0 (SynackSched, 1);

  s->heap_cap = INITIAL_CAPACITY;
  s->heap = g_new (Entry, s->heap_cap);
  s->slot_cap = INITIAL_CAPACITY;
  s->slots = g_new (Slot, s->slot_cap);
  s->pos = g_new (guint32, s->slot_cap);
  s->free_head = NO_POS;
  return s;
}

/* ---- heap ---------------------------------------------------------------- */

static inline gboolean
entry_less (const Entry *a, const Entry *b)
{
  return a->time < b->time || (a->time == b->time && a->tie < b->tie);
}

/* Puts @e at hole @i or above it. */
static inline void
sift_up (SynackSched *s, guint32 i, Entry e)
{
  Entry *heap = s->heap;
  guint32 *pos = s->pos;

  while (i > 0) {
    guint32 p = (i - 1) / 4;
    Entry up = heap[p];
    if (!entry_less (&e, &up))
      break;
    heap[i] = up;
    pos[ENTRY_SLOT (up)] = i;
    i = p;
  }
  heap[i] = e;
  pos[ENTRY_SLOT (e)] = i;
}

/* Puts @e at hole @i or below it. */
static inline void
sift_down (SynackSched *s, guint32 i, Entry e)
{
  Entry *heap = s->heap;
  guint32 *pos = s->pos;
  const guint32 n = s->n;

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
    /* Copy first and index pos from the copy: reloading the slot from
     * heap[i] just after storing it can stall on store forwarding. */
    Entry up = heap[best];
    if (!entry_less (&up, &e))
      break;
    heap[i] = up;
    pos[ENTRY_SLOT (up)] = i;
    i = best;
  }
  heap[i] = e;
  pos[ENTRY_SLOT (e)] = i;
}

/* Removes entry @i, filling the hole with the last entry. */
static inline void
heap_remove (SynackSched *s, guint32 i)
{
  guint32 last = --s->n;

  if (i == last)
    return;
  if (i > 0 && entry_less (&s->heap[last], &s->heap[(i - 1) / 4]))
    sift_up (s, i, s->heap[last]);
  else
    sift_down (s, i, s->heap[last]);
}

/* Removes a dead root for good. */
static inline void
settle_root (SynackSched *s)
{
  guint32 last;

  s->root_dead = FALSE;
  last = --s->n;
  if (last > 0)
    sift_down (s, 0, s->heap[last]);
}

static int
entry_cmp (const void *a, const void *b)
{
  return entry_less (a, b) ? -1 : entry_less (b, a) ? 1 : 0;
}

/* Gives the pending events seqs 0..n-1 in their current order. */
static void
renumber (SynackSched *s)
{
  if (s->root_dead)
    settle_root (s);
  /* Keys are distinct, so the order is total and qsort is deterministic. */
  qsort (s->heap, s->n, sizeof (Entry), entry_cmp);
  for (guint32 i = 0; i < s->n; i++) {
    guint32 k = ENTRY_SLOT (s->heap[i]);
    s->heap[i].tie = ((guint64) i << 32) | k;
    s->pos[k] = i;
  }
  s->next_seq = s->n;
}

/* ---- slots --------------------------------------------------------------- */

static inline guint32
slot_alloc (SynackSched *s)
{
  guint32 k = s->free_head;

  if (G_LIKELY (k != NO_POS)) {
    s->free_head = s->slots[k].next_free;
    return k;
  }
  if (s->n_slots == s->slot_cap) {
    if (s->slot_cap > G_MAXUINT32 / 4)
      g_error ("%s: more than 2^30 pending events", G_STRLOC);
    s->slot_cap *= 2;
    s->slots = g_renew (Slot, s->slots, s->slot_cap);
    s->pos = g_renew (guint32, s->pos, s->slot_cap);
  }
  k = s->n_slots++;
  s->slots[k].gen = 0;
  return k;
}

static inline void
slot_free (SynackSched *s, guint32 k)
{
  Slot *slot = &s->slots[k];

  s->pos[k] = NO_POS;
  slot->gen++;
  slot->next_free = s->free_head;
  s->free_head = k;
}

/* ---- public -------------------------------------------------------------- */

SynackEventId
synack_sched_at (SynackSched *sched, SynackTime when, SynackEventFunc func,
                 gpointer user_data, GDestroyNotify destroy)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (func != NULL, 0);
  g_return_val_if_fail (when >= sched->now, 0);

  SynackSched *s = sched;
  guint32 k = slot_alloc (s);
  Slot *slot = &s->slots[k];

  slot->func = func;
  slot->user_data = user_data;
  slot->destroy = destroy;
  if (G_UNLIKELY (s->next_seq >= SCHED_SEQ_LIMIT))
    renumber (s);

  Entry e = { when, (s->next_seq++ << 32) | k };

  if (s->root_dead) {                       /* hold: replace the fired root */
    s->root_dead = FALSE;
    sift_down (s, 0, e);
  } else {
    if (G_UNLIKELY (s->n == s->heap_cap)) {
      s->heap_cap *= 2;
      s->heap = g_renew (Entry, s->heap, s->heap_cap);
    }
    sift_up (s, s->n++, e);
  }
  return ((guint64) slot->gen << 32) | (k + 1);
}

SynackEventId
synack_sched_after (SynackSched *sched, SynackTime delay, SynackEventFunc func,
                    gpointer user_data, GDestroyNotify destroy)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (delay >= 0 && delay <= G_MAXINT64 - sched->now, 0);

  return synack_sched_at (sched, sched->now + delay, func, user_data, destroy);
}

gboolean
synack_sched_cancel (SynackSched *sched, SynackEventId id)
{
  g_return_val_if_fail (sched != NULL, FALSE);

  guint32 k = (guint32) (id & G_MAXUINT32) - 1;   /* id 0 wraps to NO_POS */
  Slot *slot;

  if (k >= sched->n_slots)
    return FALSE;
  slot = &sched->slots[k];
  if (sched->pos[k] == NO_POS || slot->gen != (guint32) (id >> 32))
    return FALSE;

  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  /* A dead root never moves here: it is below every live entry. */
  heap_remove (sched, sched->pos[k]);
  slot_free (sched, k);
  if (destroy != NULL)                 /* last: it may call back into us */
    destroy (user_data);
  return TRUE;
}

void
synack_sched_clear (SynackSched *sched, SynackEventId *id)
{
  g_return_if_fail (id != NULL);

  if (*id != 0) {
    synack_sched_cancel (sched, *id);
    *id = 0;
  }
}

SynackTime
synack_sched_now (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, 0);
  return sched->now;
}

SynackTime
synack_sched_next_time (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, SYNACK_TIME_NONE);

  if (sched->root_dead) {              /* the earliest live entry is a child */
    SynackTime t = SYNACK_TIME_NONE;
    for (guint32 c = 1; c <= 4 && c < sched->n; c++)
      if (t == SYNACK_TIME_NONE || sched->heap[c].time < t)
        t = sched->heap[c].time;
    return t;
  }
  return sched->n > 0 ? sched->heap[0].time : SYNACK_TIME_NONE;
}

gsize
synack_sched_pending (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, 0);
  return sched->n - (sched->root_dead ? 1 : 0);
}

guint64
synack_sched_events_run (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, 0);
  return sched->events_run;
}

/* Runs the earliest event; the heap must not be empty. */
static inline void
fire (SynackSched *s)
{
  const Entry *heap = s->heap;
  guint32 k = ENTRY_SLOT (heap[0]);
  SynackTime time = heap[0].time;
  Slot *slot = &s->slots[k];
  SynackEventFunc func = slot->func;
  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  if (G_LIKELY (s->n > 4)) {
    guint32 b1 = entry_less (&heap[2], &heap[1]) ? 2 : 1;
    guint32 b2 = entry_less (&heap[4], &heap[3]) ? 4 : 3;
    guint32 next = entry_less (&heap[b2], &heap[b1]) ? b2 : b1;
    PREFETCH (&s->slots[ENTRY_SLOT (heap[next])]);
  }
  slot_free (s, k);
  s->root_dead = TRUE;
  s->now = time;
  s->events_run++;
  func (s, time, user_data);
  if (s->root_dead)                    /* the handler scheduled nothing */
    settle_root (s);
  if (destroy != NULL)
    destroy (user_data);
}

gboolean
synack_sched_step (SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, FALSE);
  g_return_val_if_fail (!sched->running, FALSE);

  if (sched->n == 0)
    return FALSE;
  sched->running = TRUE;
  fire (sched);
  sched->running = FALSE;
  return TRUE;
}

guint64
synack_sched_run (SynackSched *sched, SynackTime until)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (!sched->running, 0);

  SynackSched *s = sched;
  guint64 before = s->events_run;

  s->stop = FALSE;
  s->running = TRUE;
  while (!s->stop && s->n > 0) {
    if (until != SYNACK_TIME_NONE && s->heap[0].time > until) {
      if (until > s->now)
        s->now = until;
      break;
    }
    fire (s);
  }
  s->running = FALSE;
  return s->events_run - before;
}

guint64
synack_sched_run_max (SynackSched *sched, SynackTime until, guint64 max_events)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (!sched->running, 0);

  SynackSched *s = sched;
  guint64 before = s->events_run;

  s->stop = FALSE;
  s->running = TRUE;
  while (!s->stop && s->n > 0 && s->events_run - before < max_events) {
    if (until != SYNACK_TIME_NONE && s->heap[0].time > until) {
      if (until > s->now)
        s->now = until;
      break;
    }
    fire (s);
  }
  s->running = FALSE;
  return s->events_run - before;
}

void
synack_sched_stop (SynackSched *sched)
{
  g_return_if_fail (sched != NULL);
  sched->stop = TRUE;
}

void
synack_sched_free (SynackSched *sched)
{
  if (sched == NULL)
    return;
  /* Take the last entry each time: no sift, and a destroy notify that calls
   * back into the scheduler still finds it consistent. */
  while (sched->n > 0) {
    guint32 k = ENTRY_SLOT (sched->heap[--sched->n]);
    gpointer user_data = sched->slots[k].user_data;
    GDestroyNotify destroy = sched->slots[k].destroy;

    slot_free (sched, k);
    if (destroy != NULL)
      destroy (user_data);
  }
  g_free (sched->heap);
  g_free (sched->slots);
  g_free (sched->pos);
  g_free (sched);
}

void
synack_sched_set_owner (SynackSched *sched, gpointer owner)
{
  g_return_if_fail (sched != NULL);
  sched->owner = owner;
}

gpointer
synack_sched_get_owner (const SynackSched *sched)
{
  return sched->owner;
}
