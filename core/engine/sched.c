/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched.c - the discrete-event scheduler: a ladder queue (Tang, Goh
 * and Thng 2005, ACM TOMACS 15(3)) with a small 4-ary heap as its bottom,
 * over a slot array of events.
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
 * Where a heap alone wins: a handful of pending events (the ladder's
 * refills are overhead there), or delays so skewed that most events pass
 * through several rungs; bench/run-bench.sh runs PHOLD shapes of both
 * kinds next to the default one, so the choice is measured, not assumed. */
#include "sched.h"

#include <stdlib.h>
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
  return s;
}

/* ---- buckets ------------------------------------------------------------ */

static void
vec_grow (Vec *v)
{
  if (v->cap > G_MAXUINT32 / 2)
    g_error ("%s: more than 2^31 events in one bucket", G_STRLOC);
  v->cap = v->cap == 0 ? 8 : 2 * v->cap;
  v->e = g_renew (Entry, v->e, v->cap);
}

static inline void
vec_push (Vec *v, Entry e)
{
  if (G_UNLIKELY (v->n == v->cap))
    vec_grow (v);
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

static void
heap_reserve (SynackSched *s, guint32 n)
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
    heap_reserve (s, s->n + 1);
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
static gboolean
refill (SynackSched *s)
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
      heap_reserve (s, b->n);
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
static void
respawn (SynackSched *s)
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

/* Removes every cancelled entry: O(queued), once per more cancels than
 * live events, so O(1) amortised per cancel. */
static void
sweep (SynackSched *s)
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
static void
renumber (SynackSched *s)
{
  sweep (s);
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
  s->n_rungs = 0;
  s->top_start = G_MININT64;
  /* Keys are distinct, so the order is total and qsort is deterministic. */
  qsort (top->e, top->n, sizeof (Entry), entry_cmp);
  for (guint32 i = 0; i < top->n; i++)
    top->e[i].tie = ((guint64) i << 32) | ENTRY_SLOT (top->e[i]);
  s->next_seq = top->n;
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
  s->count++;
  enqueue (s, (Entry) { when, (s->next_seq++ << 32) | k });
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
    sweep (sched);
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
  if (!s->root_held && s->n > 0 && !entry_dead (s, s->heap[0]))
    return s->heap[0].time;

  SynackTime t = SYNACK_TIME_NONE;
  guint32 from = s->root_held ? 1 : 0;
  t = min_live (s, s->heap + from, s->n - from, t);
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

gboolean
synack_sched_step (SynackSched *sched)
{
  g_return_val_if_fail (sched != NULL, FALSE);
  g_return_val_if_fail (!sched->running, FALSE);

  gboolean ran = FALSE;

  sched->running = TRUE;
  while (!ran && (sched->n > 0 || refill (sched))) {
    if (G_UNLIKELY (sched->n > HEAP_MAX && sched->n > 2 * sched->heap_filled)) {
      respawn (sched);
      continue;
    }
    ran = fire (sched);
  }
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
    if (s->n == 0 && !refill (s))
      break;
    if (G_UNLIKELY (s->n > HEAP_MAX && s->n > 2 * s->heap_filled)) {
      respawn (s);
      continue;
    }
    /* A cancelled root is dropped first: only live events move now to
     * @until (when nothing live is left, now stays where it was). */
    if (G_UNLIKELY (entry_dead (s, s->heap[0]))) {
      fire (s);
      continue;
    }
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
