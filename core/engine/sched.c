/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched.c - the discrete-event scheduler: a ladder queue (Tang, Goh
 * and Thng 2005, ACM TOMACS 15(3)) with a small 4-ary heap as its bottom,
 * beside FIFO lanes for delays that repeat, over a slot array of events.
 *
 * Every simulated segment, timer and arrival is one event, so this file is
 * the inner loop of every run; the choices below keep it short.
 * bench/phold.c measures it against a bare 4-ary heap (bench/phold-bare.c);
 * the figures quoted are PHOLD CPU times per event at 10^3, 10^5 and 10^6
 * pending events on the development machine (x86-64, 2 shared cores, noisy
 * to +-20%), with this file's heap-only predecessor (git history) as "the
 * heap".
 *
 * Order.  Events run by (time, seq), seq being a counter given at
 * scheduling: equal times run FIFO, and nothing depends on pointers or
 * hashing, so equal seeds give byte-identical runs (libuv breaks timer ties
 * with its start_id the same way).  Every structure below holds 16-byte
 * entries {time, tie = seq << 32 | slot}; comparing (time, tie) compares
 * (time, seq), and the slot rides along, so no comparison or move touches
 * an event.
 *
 * Why not a heap alone.  A heap pays O(log n) per event, and at 10^6
 * pending its lower levels are cache misses: the heap spent 650-700 ns an
 * event there, sift_down alone a third of a handshake run.  The ladder
 * files an event by its time with one shift, appends it to an unsorted
 * bucket, and orders events only in small batches when their bucket comes
 * up: O(1) amortised per event, whatever the spread of delays (a FIFO per
 * distinct delay would be O(1) too, but only for fixed delays: Poisson
 * arrivals, random link delays and PHOLD have none).  Measured: 1.7x the
 * heap at 10^3 pending, 2.6x at 10^5, 2.5-3x at 10^6.
 *
 * Structure.  Time is cut into three bands, each event in exactly one:
 *   top      an unsorted array of every event at or after top_start;
 *   rungs    up to MAX_RUNGS arrays of buckets.  Rung r has n_buckets
 *            buckets of 2^shift ns from base, and a cursor cur: buckets
 *            below cur were handed down.  Rung r+1 spans exactly the
 *            bucket of rung r just below its cursor, so the rungs nest;
 *   heap     a 4-ary min-heap of every event before the deepest rung's
 *            cursor (before top_start when no rung is left).
 * An event is filed by comparing its time with top_start, then with each
 * rung's cursor, top down (one or two rungs in practice).  When the heap
 * runs dry, the deepest rung's next non-empty bucket comes down: into the
 * heap (heapify, O(k)) if it holds at most SPLIT_AT entries, else spread
 * over a new, finer rung; an exhausted rung is dropped; with no rung left,
 * the top becomes rung 0 ("epoch"): its min and max set base and width.
 *
 * Choices and what they bought.
 *   Rung 0 is coarse, about EPOCH_PER_BUCKET = 512 entries a bucket: an
 *   insert appends to one of few buckets, whose tails stay in cache; 4
 *   a bucket (the paper's 1) spent 470 ns an event at 10^6, 512 250 ns.
 *   The price, one more move of each event through a finer rung, is paid
 *   in sequential passes.
 *   Bucket widths are powers of two, so filing is a shift, not a division,
 *   and a child rung of 2^k buckets spans its parent's bucket exactly.
 *   The bottom is a heap, not the paper's sorted list: a bucket that cannot
 *   be split (equal times, or MAX_RUNGS deep) costs O(log k) per event,
 *   never an O(k) insertion, so the worst case is the heap's.  The heap
 *   keeps its "hold": the running event's entry stays at the root and the
 *   first event its handler files into the heap takes its place with one
 *   sift down, where a pop and a push would sift twice.
 *   A bucket that came down small but wide leaves the heap a long range,
 *   and events filed below its end (a link delay shorter than the
 *   bucket) pile up in the heap; once the heap holds more than HEAP_MAX
 *   and twice what the refill brought, it is spread over a finer rung
 *   ("respawn", the paper's bottom overflow), so the heap stays small
 *   whatever the mix of delays.
 *   Buckets are arrays that grow by doubling and are kept across epochs:
 *   once the pending population has peaked no event costs a malloc.
 *   When a bucket comes down to the heap, its events' slots are
 *   prefetched: they are about to run, in no particular slot order.
 *
 * Cancel.  Lazy and O(1): the slot's func is set to NULL and its
 * generation bumped; the entry stays where it is and is dropped (its slot
 * freed) when it reaches the heap's root.  Nothing records where an entry
 * is, so moves and sifts write only entries (the heap version kept a
 * position per slot, rewritten at every level of every sift).  Cancelled
 * entries are swept out of every band once they outnumber the live ones
 * (and number SWEEP_MIN), so memory stays under twice the live events plus
 * SWEEP_MIN, and each sweep is paid for by as many cancels as it visits.
 * The run loop drops a cancelled root before comparing its time with
 * `until`, so only live events move the clock.
 *
 * Seq space.  32 bits of seq wrap after 2^32 schedulings, so when the
 * counter gets there the pending events are swept, sorted and renumbered
 * 0..n-1, and all put back on top (O(n log n) once per 2^32 events).
 * SCHED_SEQ_LIMIT may be lowered at compile time, which tests/test-sched.c
 * does to run this path often.
 *
 * Slots.  The event itself (func, user_data, destroy) and a generation live
 * in a slot array with a free list; it grows by doubling and never shrinks.
 * An event id is (generation << 32) | (slot + 1): never 0, and stale once
 * the slot is freed or the event cancelled, because both bump the
 * generation; a free or cancelled slot has func NULL.  Cancelling a fired,
 * cancelled or unknown id is a no-op that returns FALSE.  A generation
 * wraps after 2^31 reuses of one slot; an id kept that long could then
 * alias a new event.
 *
 * Firing.  The earliest event's func, user_data and destroy are copied out
 * and its slot is freed *before* the handler runs, so the handler may
 * schedule (even into the same slot) and cancel anything, and cancelling its
 * own id is a stale-id no-op.  destroy runs after func, on cancel, or at
 * synack_sched_free(): exactly once.
 *
 * Lanes.  Most events of a TCP run are filed a fixed delay ahead: a
 * delivery the link's constant delay, a retransmission timer one of a few
 * RTO values, the hold, TIME_WAIT.  Entries filed with one delay leave in
 * the order they came (now never goes back, seqs only grow), so a FIFO
 * per delay, a "lane", is sorted by construction: filing is an append,
 * and the earliest entry is the first head among the lanes, kept in a
 * binary heap of at most MAX_LANES = 32 lanes by head, next to the
 * ladder's root.  The lane heap holds a copy of each head entry beside
 * the lane's index, so its sifts read one 512-byte array instead of
 * following each lane to its ring (3 % of the handshake run).  A delay
 * gets a lane the second time it is filed (a direct-mapped table of 128
 * recent delays says), so draws from a continuous distribution (Poisson
 * arrivals, random link delays, PHOLD) stay on the ladder.  With all 32
 * taken, a new delay gets a lane that is empty (a handshake run fills 32
 * with RTO values of a few events each; kept for good, they would keep
 * TIME_WAIT's delay off a lane if it came later), else the ladder.
 * (time, seq) order, lazy cancel (dead heads are dropped when they come
 * up; the sweep compacts lanes too) and byte-identical runs are
 * unchanged.  Measured on bench/workloads/handshake.ini at 10^6
 * attempts: the whole run 14 % faster (2.17 -> 1.86 s).  The price is
 * the table lookup at every scheduling: about 6 ns an event on PHOLD,
 * where no delay comes twice.  Turning the lookup off after a window of
 * schedulings without a repeated delay won that back on PHOLD, but cost
 * the handshake run 2.6 % (six alternating rounds), and every TCP run has
 * timers that repeat: not kept.
 *
 * Where a heap alone wins: a handful of pending events (the ladder's
 * refills are overhead there), or delays so skewed that most events pass
 * through several rungs; bench/run-bench.sh runs PHOLD shapes of both
 * kinds next to the default one, so the choice is measured, not assumed. */
#include "sched-private.h"

#include <stdlib.h>
#include <string.h>

SynackSched *
synack_sched_new (void)
{
  SynackSched *s = g_new0 (SynackSched, 1);

  s->heap_cap = INITIAL_CAPACITY;
  s->heap = g_new (Entry, s->heap_cap);
  s->slot_cap = INITIAL_CAPACITY;
  s->slots = g_new (Slot, s->slot_cap);
  s->free_head = NO_SLOT;
  s->top_start = G_MININT64;        /* no rung yet: everything goes on top */
  for (guint32 i = 0; i < G_N_ELEMENTS (s->lane_keys); i++)
    s->lane_keys[i] = (LaneKey) { -1, LANE_SEEN };
  return s;
}

/* ---- slots --------------------------------------------------------------- */

static inline guint32
slot_alloc (SynackSched *s)
{
  guint32 k = s->free_head;

  if (G_LIKELY (k != NO_SLOT)) {
    s->free_head = s->slots[k].next_free;
    return k;
  }
  if (s->n_slots == s->slot_cap) {
    if (s->slot_cap > G_MAXUINT32 / 4)
      g_error ("%s: more than 2^30 pending events", G_STRLOC);
    s->slot_cap *= 2;
    s->slots = g_renew (Slot, s->slots, s->slot_cap);
  }
  k = s->n_slots++;
  s->slots[k].gen = 0;
  return k;
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
    ladder_renumber (s);
  s->count++;

  Entry e = { when, (s->next_seq++ << 32) | k };
  gint32 lane = lanes_choose (s, when - s->now);
  if (lane >= 0)
    lanes_push (s, (guint32) lane, e);
  else
    enqueue (s, e);
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

  guint32 k = (guint32) (id & G_MAXUINT32) - 1;   /* id 0 wraps: no slot */
  Slot *slot;

  if (k >= sched->n_slots)
    return FALSE;
  slot = &sched->slots[k];
  /* fired, cancelled, free or reused */
  if (slot->func == NULL || slot->gen != (guint32) (id >> 32))
    return FALSE;

  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  /* Lazy: the entry stays where it is and is dropped when it comes up. */
  slot->gen++;
  slot->func = NULL;
  sched->count--;
  sched->n_dead++;
  if (sched->n_dead >= SWEEP_MIN && sched->n_dead > sched->count)
    ladder_sweep (sched);
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

static inline SynackTime
min_live (const SynackSched *s, const Entry *e, guint32 n, SynackTime t)
{
  for (guint32 i = 0; i < n; i++)
    if (!entry_dead (s, e[i]) && (t == SYNACK_TIME_NONE || e[i].time < t))
      t = e[i].time;
  return t;
}

/* O(1) between runs, when the heap's root is live; otherwise a scan of
 * everything queued (tests and diagnostics use it, not the event loop). */
SynackTime
synack_sched_next_time (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, SYNACK_TIME_NONE);

  const SynackSched *s = sched;
  gboolean heap_ok = !s->root_held && s->n > 0 && !entry_dead (s, s->heap[0]);
  const Entry *lane = s->n_lane_heap > 0 ? lanes_first (s) : NULL;
  gboolean lane_ok = lane != NULL && !entry_dead (s, *lane);
  gboolean no_ladder = s->n == 0 && s->n_rungs == 0 && s->top.n == 0;
  if ((heap_ok || no_ladder) && (lane_ok || lane == NULL)) {
    if (heap_ok && lane_ok)
      return MIN (s->heap[0].time, lane->time);
    if (heap_ok || lane_ok)
      return heap_ok ? s->heap[0].time : lane->time;
  }

  SynackTime t = SYNACK_TIME_NONE;
  guint32 from = s->root_held ? 1 : 0;
  t = min_live (s, s->heap + from, s->n - from, t);
  for (guint32 i = 0; i < s->n_lanes; i++) {
    const Lane *l = &s->lanes[i];
    for (guint32 j = 0; j < l->n; j++) {
      Entry e = l->e[(l->head + j) & (l->cap - 1)];
      t = min_live (s, &e, 1, t);
    }
  }
  for (guint32 r = 0; r < s->n_rungs; r++) {
    const Rung *g = &s->rungs[r];
    for (guint32 i = g->cur; i < g->n_buckets; i++)
      t = min_live (s, g->b[i].e, g->b[i].n, t);
  }
  return min_live (s, s->top.e, s->top.n, t);
}

gsize
synack_sched_pending (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, 0);
  return sched->count;
}

guint64
synack_sched_events_run (const SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, 0);
  return sched->events_run;
}

/* Runs the heap's root, or drops it if it was cancelled; the heap must not
 * be empty.  Returns: TRUE if an event ran. */
static inline gboolean
fire (SynackSched *s)
{
  const Entry *heap = s->heap;
  guint32 k = ENTRY_SLOT (heap[0]);
  SynackTime time = heap[0].time;
  Slot *slot = &s->slots[k];
  SynackEventFunc func = slot->func;
  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  if (G_UNLIKELY (func == NULL)) {     /* cancelled: drop it now */
    slot_free (s, k);
    s->n_dead--;
    pop_root (s);
    return FALSE;
  }
  if (G_LIKELY (s->n > 4)) {
    guint32 b1 = entry_less (&heap[2], &heap[1]) ? 2 : 1;
    guint32 b2 = entry_less (&heap[4], &heap[3]) ? 4 : 3;
    guint32 next = entry_less (&heap[b2], &heap[b1]) ? b2 : b1;
    PREFETCH (&s->slots[ENTRY_SLOT (heap[next])]);
  }
  slot_free (s, k);
  s->count--;
  s->root_held = TRUE;
  s->now = time;
  s->events_run++;
  func (s, time, user_data);
  if (s->root_held)                    /* the handler scheduled nothing */
    pop_root (s);
  if (destroy != NULL)
    destroy (user_data);
  return TRUE;
}

/* Runs the first lane's head, or drops it if it was cancelled; a lane
 * must be non-empty.  The head leaves its lane before the handler runs, so
 * the handler finds the lanes consistent.  Returns: TRUE if an event ran. */
static inline gboolean
fire_lane (SynackSched *s)
{
  Entry e = lanes_pop (s);
  guint32 k = ENTRY_SLOT (e);
  Slot *slot = &s->slots[k];
  SynackEventFunc func = slot->func;
  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  if (G_UNLIKELY (func == NULL)) {
    slot_free (s, k);
    s->n_dead--;
    return FALSE;
  }
  if (s->n_lane_heap > 0)
    PREFETCH (&s->slots[ENTRY_SLOT (*lanes_first (s))]);
  slot_free (s, k);
  s->count--;
  s->now = e.time;
  s->events_run++;
  func (s, e.time, user_data);
  if (destroy != NULL)
    destroy (user_data);
  return TRUE;
}

typedef enum { FROM_NOWHERE, FROM_HEAP, FROM_LANE } Source;

/* Where the earliest queued entry is: the heap's root or the first lane's
 * head.  Between events: refills a heap that ran dry (the heap then holds
 * the ladder's earliest entries) and respawns an overfull one. */
static inline Source
earliest (SynackSched *s)
{
  for (;;) {
    if (s->n == 0 && (s->n_rungs > 0 || s->top.n > 0))
      ladder_refill (s);
    if (G_LIKELY (s->n <= HEAP_MAX || s->n <= 2 * s->heap_filled))
      break;
    ladder_respawn (s);
  }
  if (s->n_lane_heap > 0
      && (s->n == 0
          || entry_less (lanes_first (s), &s->heap[0])))
    return FROM_LANE;
  return s->n > 0 ? FROM_HEAP : FROM_NOWHERE;
}

gboolean
synack_sched_step (SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, FALSE);
  g_return_val_if_fail (!sched->running, FALSE);

  gboolean ran = FALSE;
  Source from;

  sched->running = TRUE;
  while (!ran && (from = earliest (sched)) != FROM_NOWHERE)
    ran = from == FROM_LANE ? fire_lane (sched) : fire (sched);
  sched->running = FALSE;
  return ran;
}

/* The loop of synack_sched_run() and synack_sched_run_max(). */
static inline guint64
run_loop (SynackSched *s, SynackTime until, guint64 max_events)
{
  guint64 before = s->events_run;

  s->stop = FALSE;
  s->running = TRUE;
  while (!s->stop && s->events_run - before < max_events) {
    Source from = earliest (s);
    if (from == FROM_NOWHERE)
      break;
    const Entry *e = from == FROM_LANE ? lanes_first (s) : &s->heap[0];
    /* A cancelled entry is dropped first: only live events move now to
     * @until (when nothing live is left, now stays where it was). */
    if (!entry_dead (s, *e) && until != SYNACK_TIME_NONE && e->time > until) {
      if (until > s->now)
        s->now = until;
      break;
    }
    if (from == FROM_LANE)
      fire_lane (s);
    else
      fire (s);
  }
  s->running = FALSE;
  return s->events_run - before;
}

guint64
synack_sched_run (SynackSched *sched, SynackTime until)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (!sched->running, 0);

  return run_loop (sched, until, G_MAXUINT64);
}

guint64
synack_sched_run_max (SynackSched *sched, SynackTime until, guint64 max_events)
{
  g_return_val_if_fail (sched != NULL, 0);
  g_return_val_if_fail (!sched->running, 0);

  return run_loop (sched, until, max_events);
}

void
synack_sched_stop (SynackSched *sched)
{
  g_return_if_fail (sched != NULL);
  sched->stop = TRUE;
}

/* Takes one queued entry out, from the end of any container.  Returns:
 * FALSE if nothing is queued. */
static gboolean
take_any (SynackSched *s, Entry *e)
{
  if (s->n > 0) {
    *e = s->heap[--s->n];            /* the last of a heap: no sift */
    return TRUE;
  }
  for (guint32 i = 0; i < s->n_lanes; i++) {
    Lane *l = &s->lanes[i];
    if (l->n > 0) {                  /* a lane's tail: its head stays */
      *e = l->e[(l->head + --l->n) & (l->cap - 1)];
      if (l->n == 0)
        lanes_reheap (s);
      return TRUE;
    }
  }
  if (s->top.n > 0) {
    *e = s->top.e[--s->top.n];
    return TRUE;
  }
  for (guint32 r = 0; r < s->n_rungs; r++) {
    Rung *g = &s->rungs[r];
    /* Empty buckets are passed for good: O(buckets) over the whole free. */
    for (; g->cur < g->n_buckets; g->cur++)
      if (g->b[g->cur].n > 0) {
        *e = g->b[g->cur].e[--g->b[g->cur].n];
        return TRUE;
      }
  }
  return FALSE;
}

void
synack_sched_free (SynackSched *sched)
{
  if (sched == NULL)
    return;
  /* Take one entry at a time, so a destroy notify that calls back into the
   * scheduler still finds it consistent. */
  Entry e;
  while (take_any (sched, &e)) {
    guint32 k = ENTRY_SLOT (e);
    Slot *slot = &sched->slots[k];
    gpointer user_data = slot->user_data;
    GDestroyNotify destroy = slot->destroy;
    gboolean live = slot->func != NULL;

    slot_free (sched, k);
    if (!live) {
      sched->n_dead--;
      continue;
    }
    sched->count--;
    if (destroy != NULL)
      destroy (user_data);
  }
  g_free (sched->heap);
  for (guint32 r = 0; r < MAX_RUNGS; r++) {
    for (guint32 i = 0; i < sched->rungs[r].cap; i++)
      g_free (sched->rungs[r].b[i].e);
    g_free (sched->rungs[r].b);
  }
  g_free (sched->top.e);
  for (guint32 i = 0; i < sched->n_lanes; i++)
    g_free (sched->lanes[i].e);
  g_free (sched->slots);
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
