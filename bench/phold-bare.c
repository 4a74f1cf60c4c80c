/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/phold-bare.c - PHOLD on a hand-tuned heap: the floor for phold.c.
 *
 * The same workload as bench/phold.c (see there), with the same RNG stream
 * and draws in the same order, but the event list is the least a PHOLD needs:
 * an array 4-ary min-heap of 16-byte entries {time, key}, key = seq << 24 |
 * target LP.  Ordering by key orders by seq (seqs are unique), so events run
 * in exactly synack's (time, seq) order, and the LP rides in the low bits
 * instead of a separate event record.  No handlers, no ids, no cancel, no
 * allocation per event; each event replaces the root by its successor and
 * sifts it down once (a pop plus a push, fused).  The array keeps malloc's
 * alignment: cache-line-aligned sibling groups measured slower here.  The
 * printed sim_ns and check equal phold's for the same arguments. */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rng.h"

#define MEAN_NS 1000000.0
#define MIN_EVENTS 2000000
#define LP_BITS 24

typedef struct {
  gint64  time;
  guint64 key;              /* seq << LP_BITS | lp */
} Entry;

static inline gboolean
less (const Entry *a, const Entry *b)
{
  return a->time < b->time || (a->time == b->time && a->key < b->key);
}

static inline void
sift_up (Entry *heap, guint32 i, Entry e)
{
  while (i > 0) {
    guint32 p = (i - 1) / 4;
    if (!less (&e, &heap[p]))
      break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = e;
}

static inline void
sift_down (Entry *heap, guint32 n, guint32 i, Entry e)
{
  for (;;) {
    guint32 c = 4 * i + 1, best;
    if (c + 3 < n) {
      guint32 b1 = less (&heap[c + 1], &heap[c]) ? c + 1 : c;
      guint32 b2 = less (&heap[c + 3], &heap[c + 2]) ? c + 3 : c + 2;
      best = less (&heap[b2], &heap[b1]) ? b2 : b1;
    } else if (c < n) {
      best = c;
      for (guint32 k = c + 1; k < n; k++)
        if (less (&heap[k], &heap[best]))
          best = k;
    } else
      break;
    if (!less (&heap[best], &e))
      break;
    heap[i] = heap[best];
    i = best;
  }
  heap[i] = e;
}

/* --shape far: one event in FAR_EVERY goes FAR_SCALE times further (a
 * timer population next to a far-future tail), the shape where most
 * events pass through several rungs of a ladder queue. */
#define FAR_EVERY 1000
#define FAR_SCALE 1e3

static gboolean shape_far;

static inline gint64
draw_delay (SynackRng *rng)
{
  double d = -log (synack_rng_uniform_pos (rng)) * MEAN_NS;

  if (shape_far && synack_rng_u32 (rng) % FAR_EVERY == 0)
    d *= FAR_SCALE;
  return (gint64) d;
}

static inline guint32
draw_lp (SynackRng *rng, guint32 n)
{
  return (guint32) (((guint64) synack_rng_u32 (rng) * n) >> 32);
}

static double
seconds_since (const struct timespec *t0)
{
  struct timespec t1;

  clock_gettime (CLOCK_MONOTONIC, &t1);
  return (double) (t1.tv_sec - t0->tv_sec)
         + (double) (t1.tv_nsec - t0->tv_nsec) * 1e-9;
}

int
main (int argc, char **argv)
{
  gint64 pending = 100000, events = 0, seed = 1;
  g_autofree char *shape = NULL;
  const GOptionEntry entries[] = {
    { "pending", 'p', 0, G_OPTION_ARG_INT64, &pending,
      "pending events and LPs (default 100000)", "P" },
    { "events", 'n', 0, G_OPTION_ARG_INT64, &events,
      "events to run (default 10*P, at least 2000000)", "N" },
    { "seed", 's', 0, G_OPTION_ARG_INT64, &seed,
      "run seed (default 1)", "SEED" },
    { "shape", 0, 0, G_OPTION_ARG_STRING, &shape,
      "increments: exp (default) or far (one in 1000 is 1000 times further)", "SHAPE" },
    G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GOptionContext) ctx =
    g_option_context_new ("- PHOLD on a bare 4-ary heap");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Prints one line: impl=bare pending=P events=N seconds=S ns_per_event=X\n"
    "events_per_s=Y sim_ns=T check=H (T and H equal phold's for the same\n"
    "P, N and seed).\n\n"
    "Examples:\n"
    "  phold-bare --pending 1000\n"
    "  phold-bare -p 1000000 -n 5000000\n\n"
    "Exit status: 0 success, 2 bad usage.\n");
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "phold-bare: %s\n", error->message);
    return 2;
  }
  if (argc > 1 || pending < 1 || pending > (1 << LP_BITS) || events < 0) {
    fprintf (stderr, "phold-bare: --pending must be 1..%d and --events >= 0\n",
             1 << LP_BITS);
    return 2;
  }
  if (shape != NULL && strcmp (shape, "far") != 0 && strcmp (shape, "exp") != 0) {
    fprintf (stderr, "%s: --shape must be exp or far\n", g_get_prgname ());
    return 2;
  }
  shape_far = shape != NULL && strcmp (shape, "far") == 0;
  if (events == 0)
    events = MAX (10 * pending, MIN_EVENTS);

  SynackRng *rng = synack_rng_new ((guint64) seed, "phold");
  guint32 n = (guint32) pending;
  guint64 *lp_events = g_new0 (guint64, n);
  Entry *heap = g_new (Entry, n);
  guint64 seq = 0, check = 0;
  const guint64 lp_mask = (1u << LP_BITS) - 1;

  for (guint32 i = 0; i < n; i++) {
    gint64 delay = draw_delay (rng);
    Entry e = { delay, seq++ << LP_BITS | draw_lp (rng, n) };
    sift_up (heap, i, e);
  }

  struct timespec t0, c0, c1;
  gint64 now = 0;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c0);
  for (gint64 k = 0; k < events; k++) {
    guint32 lp = (guint32) (heap[0].key & lp_mask);
    now = heap[0].time;
    lp_events[lp]++;
    check = check * 1000003u + lp;
    gint64 delay = draw_delay (rng);
    Entry e = { now + delay, seq++ << LP_BITS | draw_lp (rng, n) };
    sift_down (heap, n, 0, e);
  }
  double s = seconds_since (&t0);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c1);
  double cpu = (double) (c1.tv_sec - c0.tv_sec)
               + (double) (c1.tv_nsec - c0.tv_nsec) * 1e-9;

  printf ("impl=bare shape=%s pending=%" G_GINT64_FORMAT " events=%" G_GINT64_FORMAT
          " seconds=%.3f ns_per_event=%.1f events_per_s=%.0f"
          " cpu_seconds=%.3f cpu_ns_per_event=%.1f"
          " sim_ns=%" G_GINT64_FORMAT " check=%016" G_GINT64_MODIFIER "x\n",
          shape_far ? "far" : "exp", pending, events, s, s * 1e9 / (double) events,
          (double) events / s, cpu, cpu * 1e9 / (double) events, now, check);

  g_free (heap);
  g_free (lp_events);
  synack_rng_free (rng);
  return 0;
}
