/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/phold.c - PHOLD on synack's scheduler.
 *
 * PHOLD (Fujimoto 1990; ROSS models/phold) is the standard hold-model
 * benchmark of an event list: P events are pending, and each event, when it
 * runs, schedules one successor at now + Exp(mean) for a target LP drawn
 * uniformly from P LPs, so the pending population stays P and the cost per
 * event is one pop and one push in a queue of size P.  Here the mean is one
 * time unit of 1 ms (1000000 ns), the LP only gets a counter bumped, and
 * everything runs through the public API a model uses: synack_sched_at()
 * with a handler, synack_sched_run(), synack_sched_stop().
 *
 * bench/phold-bare.c runs the same workload, with the same RNG stream and
 * draws in the same order, on a hand-written heap with nothing else; both
 * print the simulated end time and a checksum of the firing order, so equal
 * numbers show they did the same work.  Only the event loop is timed (setup,
 * the first P events, is not), with CLOCK_MONOTONIC. */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "rng.h"
#include "sched.h"

#define MEAN_NS 1000000.0
#define MIN_EVENTS 2000000

typedef struct {
  SynackRng *rng;
  guint32    n_lps;
  guint64   *lp_events;      /* events run per LP */
  guint64    target;         /* events to run */
  guint64    done;
  guint64    check;          /* hash of the firing order */
} Phold;

static Phold ph;

/* Exp(mean) in ns: -log(U) * mean, U in (0, 1). */
/* --shape far: one event in FAR_EVERY goes FAR_SCALE times further (a
 * timer population next to a far-future tail), the shape where most
 * events pass through several rungs of a ladder queue. */
#define FAR_EVERY 1000
#define FAR_SCALE 1e3

static gboolean shape_far;

static inline SynackTime
draw_delay (void)
{
  double d = -log (synack_rng_uniform_pos (ph.rng)) * MEAN_NS;

  if (shape_far && synack_rng_u32 (ph.rng) % FAR_EVERY == 0)
    d *= FAR_SCALE;
  return (SynackTime) d;
}

/* Uniform in [0, n): the high half of a 32x32 product (Lemire). */
static inline guint32
draw_lp (void)
{
  return (guint32) (((guint64) synack_rng_u32 (ph.rng) * ph.n_lps) >> 32);
}

static void
on_event (SynackSched *sched, SynackTime now, gpointer user_data)
{
  guint32 lp = GPOINTER_TO_UINT (user_data);

  ph.lp_events[lp]++;
  ph.check = ph.check * 1000003u + lp;
  SynackTime delay = draw_delay ();
  synack_sched_at (sched, now + delay, on_event, GUINT_TO_POINTER (draw_lp ()),
                   NULL);
  if (++ph.done == ph.target)
    synack_sched_stop (sched);
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
    g_option_context_new ("- PHOLD on synack's scheduler");
  g_autoptr (GError) error = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Prints one line: impl=synack pending=P events=N seconds=S ns_per_event=X\n"
    "events_per_s=Y sim_ns=T check=H (T and H equal phold-bare's for the same\n"
    "P, N and seed).\n\n"
    "Examples:\n"
    "  phold --pending 1000\n"
    "  phold -p 1000000 -n 5000000\n\n"
    "Exit status: 0 success, 2 bad usage.\n");
  if (!g_option_context_parse (ctx, &argc, &argv, &error)) {
    fprintf (stderr, "phold: %s\n", error->message);
    return 2;
  }
  if (argc > 1 || pending < 1 || pending > G_MAXINT32 || events < 0) {
    fprintf (stderr, "phold: --pending must be 1..%d and --events >= 0\n",
             G_MAXINT32);
    return 2;
  }
  if (shape != NULL && strcmp (shape, "far") != 0 && strcmp (shape, "exp") != 0) {
    fprintf (stderr, "%s: --shape must be exp or far\n", g_get_prgname ());
    return 2;
  }
  shape_far = shape != NULL && strcmp (shape, "far") == 0;
  if (events == 0)
    events = MAX (10 * pending, MIN_EVENTS);

  ph.rng = synack_rng_new ((guint64) seed, "phold");
  ph.n_lps = (guint32) pending;
  ph.lp_events = g_new0 (guint64, pending);
  ph.target = (guint64) events;

  SynackSched *sched = synack_sched_new ();
  for (gint64 i = 0; i < pending; i++) {
    SynackTime delay = draw_delay ();
    synack_sched_at (sched, delay, on_event, GUINT_TO_POINTER (draw_lp ()),
                     NULL);
  }

  struct timespec t0, c0, c1;
  clock_gettime (CLOCK_MONOTONIC, &t0);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c0);
  guint64 run = synack_sched_run (sched, SYNACK_TIME_NONE);
  double s = seconds_since (&t0);
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &c1);
  double cpu = (double) (c1.tv_sec - c0.tv_sec)
               + (double) (c1.tv_nsec - c0.tv_nsec) * 1e-9;

  g_assert (run == (guint64) events);
  printf ("impl=synack shape=%s pending=%" G_GINT64_FORMAT " events=%" G_GINT64_FORMAT
          " seconds=%.3f ns_per_event=%.1f events_per_s=%.0f"
          " cpu_seconds=%.3f cpu_ns_per_event=%.1f"
          " sim_ns=%" G_GINT64_FORMAT " check=%016" G_GINT64_MODIFIER "x\n",
          shape_far ? "far" : "exp", pending, events, s, s * 1e9 / (double) events, (double) events / s,
          cpu, cpu * 1e9 / (double) events,
          synack_sched_now (sched), ph.check);

  synack_sched_free (sched);
  synack_rng_free (ph.rng);
  g_free (ph.lp_events);
  return 0;
}
