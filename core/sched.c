/* core/sched.c - the discrete-event scheduler: a 4-ary heap of keys over a
 * slot array of events.
 *
 * Every simulated segment, timer and arrival is one event, so this file is
 * the inner loop of every run; the choices below are about keeping it short.
 * bench/phold.c measures it against a bare heap (bench/phold-bare.c).
 *
 * Order.  Events run by (time, seq), seq being a 64-bit counter given at
 * scheduling: equal times run FIFO, and nothing depends on pointers or
 * hashing, so equal seeds give byte-identical runs (libuv breaks timer ties
 * with its start_id the same way).
 *
 * Heap.  An array-based 4-ary min-heap (libuv and Redis use binary heaps of
 * pointers).  The key {time, seq} is held inline, so a comparison reads only
 * the heap, never an event: a heap of pointers costs a cache miss per
 * comparison once the pending set outgrows the cache.  Four children per
 * node halve a binary heap's depth, and the four sibling keys are compared
 * from one cache line: keys are 16 bytes and the array is offset so that
 * every sibling group 4i+1..4i+4 starts a 64-byte line.  The heap entry's
 * slot number lives in a parallel array (4 bytes an entry), read only for
 * the entry that moves; a 24-byte {time, seq, slot} entry would spread each
 * sibling group over two or three lines.  Sifts move a hole instead of
 * swapping and are static inline with the comparison written out.
 *
 * Slots.  The event itself (func, user_data, destroy) and a generation live
 * in a slot array with a free list; the heap position of each slot sits in
 * its own array, because a sift writes it at every level and 4 bytes a slot
 * keep those writes in cache.  All arrays grow by doubling and never shrink,
 * so once the pending population has peaked no event costs a malloc.  The
 * position makes cancel O(log n): the last heap entry moves into the hole,
 * then sifts up or down.
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
 * they schedule takes the root's place and sifts down once, where a pop then
 * a push would sift twice (the classic "hold" operation).  A dead root is
 * smaller than every live entry (it was the minimum, and anything scheduled
 * since has a larger seq), so cancels from the handler sift around it
 * untouched.  If the handler schedules nothing, the root is removed after it
 * returns.  destroy runs after func, on cancel, or at synack_sched_free():
 * exactly once. */
#include "sched.h"

#include <stdlib.h>
#include <string.h>

#define INITIAL_CAPACITY 64u
#define NO_POS G_MAXUINT32          /* heap position of a free slot */
#define CACHE_LINE 64
#define HEAP_PAD 3                  /* entries before index 0: aligns groups 4i+1.. */

#if defined(__GNUC__) || defined(__clang__)
#define PREFETCH(addr) __builtin_prefetch (addr)
#else
#define PREFETCH(addr) ((void) (addr))
#endif

typedef struct {
  SynackTime time;
  guint64    seq;
} Key;

typedef struct {
  SynackEventFunc func;
  gpointer        user_data;
  GDestroyNotify  destroy;
  guint32         gen;              /* bumped at every free */
  guint32         next_free;        /* free-list link, valid when free */
} Slot;

struct _SynackSched {
  /* the heap: key[i] and slot_of[i] describe entry i */
  Key       *key;
  guint32   *slot_of;
  guint32    n;                     /* heap entries, the dead root included */
  guint32    heap_cap;
  gboolean   root_dead;             /* key[0] is the running event's: see fire() */
  /* the events */
  Slot      *slots;
  guint32   *pos;                   /* by slot: heap index, NO_POS when free */
  guint32    n_slots;               /* slots ever handed out */
  guint32    slot_cap;
  guint32    free_head;             /* NO_POS: free list empty */
  SynackTime now;
  guint64    next_seq;
  guint64    events_run;
  gboolean   stop;
  gboolean   running;
  gpointer   owner;                 /* see synack_sched_set_owner() */
};

/* ---- memory ----------------------------------------------------------------- */

/* An array of @n elements of @size bytes, HEAP_PAD elements in from a
 * cache-line boundary. */
static gpointer
heap_array_new (gsize n, gsize size)
{
  gsize bytes = (n + HEAP_PAD) * size;
  char *raw = aligned_alloc (CACHE_LINE, (bytes + CACHE_LINE - 1) / CACHE_LINE * CACHE_LINE);

  if (raw == NULL)
    g_error ("%s: failed to allocate %" G_GSIZE_FORMAT " bytes", G_STRLOC, bytes);
  return raw + HEAP_PAD * size;
}

static void
heap_array_free (gpointer array, gsize size)
{
  if (array != NULL)
    free ((char *) array - HEAP_PAD * size);
}

static gpointer
heap_array_grow (gpointer array, gsize n_used, gsize n_new, gsize size)
{
  gpointer bigger = heap_array_new (n_new, size);

  memcpy (bigger, array, n_used * size);
  heap_array_free (array, size);
  return bigger;
}

SynackSched *
synack_sched_new (void)
{
  SynackSched *s = g_new0 (SynackSched, 1);

  s->heap_cap = INITIAL_CAPACITY;
  s->key = heap_array_new (s->heap_cap, sizeof (Key));
  s->slot_of = heap_array_new (s->heap_cap, sizeof (guint32));
  s->slot_cap = INITIAL_CAPACITY;
  s->slots = g_new (Slot, s->slot_cap);
  s->pos = g_new (guint32, s->slot_cap);
  s->free_head = NO_POS;
  return s;
}

/* ---- heap ------------------------------------------------------------------- */

static inline gboolean
key_less (const Key *a, const Key *b)
{
  return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

/* Puts (@e, @slot) at hole @i or above it. */
static inline void
sift_up (SynackSched *s, guint32 i, Key e, guint32 slot)
{
  Key *key = s->key;
  guint32 *slot_of = s->slot_of, *pos = s->pos;

  while (i > 0) {
    guint32 p = (i - 1) / 4;
    if (!key_less (&e, &key[p]))
      break;
    key[i] = key[p];
    slot_of[i] = slot_of[p];
    pos[slot_of[i]] = i;
    i = p;
  }
  key[i] = e;
  slot_of[i] = slot;
  pos[slot] = i;
}

/* Puts (@e, @slot) at hole @i or below it. */
static inline void
sift_down (SynackSched *s, guint32 i, Key e, guint32 slot)
{
  Key *key = s->key;
  guint32 *slot_of = s->slot_of, *pos = s->pos;
  const guint32 n = s->n;

  for (;;) {
    guint32 c = 4 * i + 1, best;
    if (c + 3 < n) {                        /* all four children: the common case */
      guint32 b1 = key_less (&key[c + 1], &key[c]) ? c + 1 : c;
      guint32 b2 = key_less (&key[c + 3], &key[c + 2]) ? c + 3 : c + 2;
      best = key_less (&key[b2], &key[b1]) ? b2 : b1;
    } else if (c < n) {
      best = c;
      for (guint32 k = c + 1; k < n; k++)
        if (key_less (&key[k], &key[best]))
          best = k;
    } else
      break;
    if (!key_less (&key[best], &e))
      break;
    key[i] = key[best];
    slot_of[i] = slot_of[best];
    pos[slot_of[i]] = i;
    i = best;
  }
  key[i] = e;
  slot_of[i] = slot;
  pos[slot] = i;
}

/* Removes entry @i, filling the hole with the last entry. */
static inline void
heap_remove (SynackSched *s, guint32 i)
{
  guint32 last = --s->n;

  if (i == last)
    return;
  if (i > 0 && key_less (&s->key[last], &s->key[(i - 1) / 4]))
    sift_up (s, i, s->key[last], s->slot_of[last]);
  else
    sift_down (s, i, s->key[last], s->slot_of[last]);
}

/* ---- slots ------------------------------------------------------------------ */

static inline guint32
slot_alloc (SynackSched *s)
{
  guint32 k = s->free_head;

  if (G_LIKELY (k != NO_POS)) {
    s->free_head = s->slots[k].next_free;
    return k;
  }
  if (s->n_slots == s->slot_cap) {
    if (s->slot_cap > G_MAXUINT32 / 2)
      g_error ("%s: more than 2^31 pending events", G_STRLOC);
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

/* ---- public ----------------------------------------------------------------- */

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
  Key e = { when, s->next_seq++ };

  slot->func = func;
  slot->user_data = user_data;
  slot->destroy = destroy;
  if (s->root_dead) {                       /* hold: replace the fired root */
    s->root_dead = FALSE;
    sift_down (s, 0, e, k);
  } else {
    if (G_UNLIKELY (s->n == s->heap_cap)) {
      if (s->heap_cap > G_MAXUINT32 / 2)
        g_error ("%s: more than 2^31 pending events", G_STRLOC);
      s->key = heap_array_grow (s->key, s->n, 2 * s->heap_cap, sizeof (Key));
      s->slot_of = heap_array_grow (s->slot_of, s->n, 2 * s->heap_cap, sizeof (guint32));
      s->heap_cap *= 2;
    }
    sift_up (s, s->n++, e, k);
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
      if (t == SYNACK_TIME_NONE || sched->key[c].time < t)
        t = sched->key[c].time;
    return t;
  }
  return sched->n > 0 ? sched->key[0].time : SYNACK_TIME_NONE;
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
  guint32 k = s->slot_of[0];
  SynackTime time = s->key[0].time;
  Slot *slot = &s->slots[k];
  SynackEventFunc func = slot->func;
  gpointer user_data = slot->user_data;
  GDestroyNotify destroy = slot->destroy;

  slot_free (s, k);
  s->root_dead = TRUE;
  s->now = time;
  s->events_run++;
  func (s, time, user_data);
  if (s->root_dead) {                  /* the handler scheduled nothing */
    s->root_dead = FALSE;
    guint32 last = --s->n;
    if (last > 0)
      sift_down (s, 0, s->key[last], s->slot_of[last]);
  }
  /* The next event's slot is a likely cache miss: start fetching it now. */
  if (s->n > 0)
    PREFETCH (&s->slots[s->slot_of[0]]);
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
    if (until != SYNACK_TIME_NONE && s->key[0].time > until) {
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
    guint32 k = sched->slot_of[--sched->n];
    gpointer user_data = sched->slots[k].user_data;
    GDestroyNotify destroy = sched->slots[k].destroy;

    slot_free (sched, k);
    if (destroy != NULL)
      destroy (user_data);
  }
  heap_array_free (sched->key, sizeof (Key));
  heap_array_free (sched->slot_of, sizeof (guint32));
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
