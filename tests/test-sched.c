/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-sched.c - the event scheduler: (time, FIFO) order, cancel in
 * every situation (before firing, twice, after firing, id 0, a reused slot,
 * from a handler, the running event itself), destroy notifies exactly once
 * (fired, cancelled, freed), run(until), stop, the programmer-error check on
 * scheduling in the past, renumbering of the seq space, the ladder's
 * corners and the lanes' (each ladder row and half of the randomized rounds
 * also with the lane lookup off), and a randomized comparison against a
 * sorted-array reference scheduler over thousands of schedule/cancel/run
 * operations.
 *
 * core/engine/sched.c, sched-ladder.c and sched-lanes.c are compiled into
 * this program with their seq space cut from 2^32 to TEST_SEQ_LIMIT, so the
 * renumbering
 * the library does once every 2^32 schedulings happens here every few
 * thousand, under every test below.
 * Its definitions take precedence over libsynack's; the code is the same but
 * for that constant and the lanes' test switch (SCHED_TEST_LANES_SWITCH). */
#include <string.h>

#define TEST_SEQ_LIMIT 2048
#define SCHED_SEQ_LIMIT ((guint64) TEST_SEQ_LIMIT)
#define SCHED_TEST_LANES_SWITCH
#include "sched.c"
#include "sched-ladder.c"
#include "sched-lanes.c"

gboolean sched_test_lanes_off;     /* see lanes_off() */

/* The scheduler's g_return checks log in this program's domain: it is
 * compiled in. */
#define CORE_LOG_DOMAIN G_LOG_DOMAIN

#define MAX_EVENTS 16

/* ---- a small harness: events are tags 0..n-1 with scripted actions ------- */

typedef struct _Ctx Ctx;

typedef struct {
  Ctx  *ctx;
  guint tag;
} Ev;

struct _Ctx {
  SynackSched  *sched;
  Ev            ev[MAX_EVENTS];
  SynackEventId id[MAX_EVENTS];
  guint         destroyed[MAX_EVENTS];
  SynackTime    fired_at[MAX_EVENTS];
  int           cancel_on_fire[MAX_EVENTS];   /* tag to cancel when fired, -1 */
  int           cancel_result[MAX_EVENTS];    /* what that cancel returned, -1 */
  int           destroyed_during_func[MAX_EVENTS];
  gboolean      stop_on_fire[MAX_EVENTS];
  SynackTime    schedule_on_fire[MAX_EVENTS]; /* delay of a new event, -1 none */
  gsize         pending_seen[MAX_EVENTS];     /* on entry to the handler */
  SynackTime    next_seen[MAX_EVENTS];
  gsize         pending_after[MAX_EVENTS];    /* after its own actions */
  SynackTime    next_after[MAX_EVENTS];
  guint         order[4 * MAX_EVENTS];        /* tags in firing order */
  guint         n_fired;
  guint         next_tag;
};

static void ctx_fire (SynackSched *sched, SynackTime now, gpointer user_data);

static void
ctx_destroy (gpointer user_data)
{
  Ev *ev = user_data;

  ev->ctx->destroyed[ev->tag]++;
}

static Ctx *
ctx_new (void)
{
  Ctx *c = g_new0 (Ctx, 1);

  c->sched = synack_sched_new ();
  for (guint i = 0; i < MAX_EVENTS; i++) {
    c->ev[i] = (Ev) { c, i };
    c->cancel_on_fire[i] = -1;
    c->cancel_result[i] = -1;
    c->destroyed_during_func[i] = -1;
    c->schedule_on_fire[i] = -1;
    c->fired_at[i] = -1;
  }
  return c;
}

static void
ctx_free (Ctx *c)
{
  synack_sched_free (c->sched);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ctx, ctx_free)

/* Schedules a new tag at @when; returns the tag. */
static guint
ctx_at (Ctx *c, SynackTime when)
{
  guint tag = c->next_tag++;

  g_assert_cmpuint (tag, <, MAX_EVENTS);
  c->id[tag] = synack_sched_at (c->sched, when, ctx_fire, &c->ev[tag], ctx_destroy);
  g_assert_cmpuint (c->id[tag], !=, 0);
  return tag;
}

static void
ctx_fire (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Ev *ev = user_data;
  Ctx *c = ev->ctx;

  g_assert_true (sched == c->sched);
  g_assert_cmpint (now, ==, synack_sched_now (sched));
  c->order[c->n_fired++] = ev->tag;
  c->fired_at[ev->tag] = now;
  c->pending_seen[ev->tag] = synack_sched_pending (sched);
  c->next_seen[ev->tag] = synack_sched_next_time (sched);
  if (c->cancel_on_fire[ev->tag] >= 0)
    c->cancel_result[ev->tag] =
      synack_sched_cancel (sched, c->id[c->cancel_on_fire[ev->tag]]);
  if (c->schedule_on_fire[ev->tag] >= 0)
    ctx_at (c, now + c->schedule_on_fire[ev->tag]);
  if (c->stop_on_fire[ev->tag])
    synack_sched_stop (sched);
  c->destroyed_during_func[ev->tag] = c->destroyed[ev->tag];
  c->pending_after[ev->tag] = synack_sched_pending (sched);
  c->next_after[ev->tag] = synack_sched_next_time (sched);
}

/* ---- order: rows of times, expected firing order ----------------------- */

typedef struct {
  const char *path;
  guint       n;
  SynackTime  times[MAX_EVENTS];     /* tag i at times[i] */
  guint       order[MAX_EVENTS];     /* expected tags in firing order */
} OrderCase;

static const OrderCase order_cases[] = {
  { "/sched/order/by-time",    3, { 30, 10, 20 },             { 1, 2, 0 } },
  { "/sched/order/ties-fifo",  5, { 10, 10, 10, 10, 10 },     { 0, 1, 2, 3, 4 } },
  { "/sched/order/ties-mixed", 7, { 20, 10, 20, 5, 10, 20, 0 }, { 6, 3, 1, 4, 0, 2, 5 } },
  { "/sched/order/at-zero",    2, { 0, 0 },                   { 0, 1 } },
  { "/sched/order/descending", 9, { 9, 8, 7, 6, 5, 4, 3, 2, 1 }, { 8, 7, 6, 5, 4, 3, 2, 1, 0 } },
  { "/sched/order/many-ties",  12, { 3, 1, 2, 1, 3, 2, 1, 3, 2, 1, 3, 2 },
                               { 1, 3, 6, 9, 2, 5, 8, 11, 0, 4, 7, 10 } },
};

static void
test_order (gconstpointer data)
{
  const OrderCase *tc = data;
  g_autoptr (Ctx) c = ctx_new ();

  for (guint i = 0; i < tc->n; i++)
    ctx_at (c, tc->times[i]);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, tc->n);
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, tc->n);
  g_assert_cmpuint (c->n_fired, ==, tc->n);
  for (guint i = 0; i < tc->n; i++) {
    g_assert_cmpuint (c->order[i], ==, tc->order[i]);
    g_assert_cmpint (c->fired_at[i], ==, tc->times[i]);
  }
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 0);
  g_assert_cmpuint (synack_sched_events_run (c->sched), ==, tc->n);
  g_assert_cmpint (synack_sched_now (c->sched), ==, tc->times[tc->order[tc->n - 1]]);
}

/* An event a handler schedules at "now" runs after those already due then. */
static void
test_order_same_time_from_handler (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);                      /* 0: schedules 3 at 10 */
  ctx_at (c, 10);                      /* 1 */
  ctx_at (c, 11);                      /* 2 */
  c->schedule_on_fire[0] = 0;
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpuint (c->n_fired, ==, 4);
  g_assert_cmpuint (c->order[0], ==, 0);
  g_assert_cmpuint (c->order[1], ==, 1);
  g_assert_cmpuint (c->order[2], ==, 3);
  g_assert_cmpuint (c->order[3], ==, 2);
}

/* ---- cancel ------------------------------------------------------------- */

static void
test_cancel_before_fire (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  ctx_at (c, 30);
  g_assert_true (synack_sched_cancel (c->sched, c->id[1]));
  g_assert_cmpuint (c->destroyed[1], ==, 1);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 2);
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 2);
  g_assert_cmpuint (c->order[0], ==, 0);
  g_assert_cmpuint (c->order[1], ==, 2);
  g_assert_cmpint (c->fired_at[1], ==, -1);
  g_assert_cmpuint (c->destroyed[1], ==, 1);
}

static void
test_cancel_earliest (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  g_assert_true (synack_sched_cancel (c->sched, c->id[0]));
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, 20);
  g_assert_true (synack_sched_cancel (c->sched, c->id[1]));
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, SYNACK_TIME_NONE);
  g_assert_false (synack_sched_step (c->sched));
}

static void
test_cancel_twice (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  g_assert_true (synack_sched_cancel (c->sched, c->id[0]));
  g_assert_false (synack_sched_cancel (c->sched, c->id[0]));
  g_assert_cmpuint (c->destroyed[0], ==, 1);
}

static void
test_cancel_fired (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  g_assert_true (synack_sched_step (c->sched));
  g_assert_false (synack_sched_cancel (c->sched, c->id[0]));
  /* the free slot's current generation: an id never handed out */
  g_assert_false (synack_sched_cancel (c->sched, c->id[0] + ((guint64) 1 << 32)));
  g_assert_cmpuint (c->destroyed[0], ==, 1);
}

static void
test_cancel_unknown (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  g_assert_false (synack_sched_cancel (c->sched, 0));
  g_assert_false (synack_sched_cancel (c->sched, 1000));          /* no such slot */
  g_assert_false (synack_sched_cancel (c->sched, G_MAXUINT64));
  g_assert_false (synack_sched_cancel (c->sched, c->id[0] + ((guint64) 1 << 32)));
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 1);
  g_assert_cmpuint (c->destroyed[0], ==, 0);
}

/* A freed slot is reused; the old id must not reach the new event.  Cancel
 * is lazy: the slot is freed when the run loop drops the cancelled entry. */
static void
test_cancel_stale_reused_slot (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  g_assert_true (synack_sched_cancel (c->sched, c->id[0]));
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 0);
  ctx_at (c, 10);
  g_assert_cmpuint (c->id[1] & G_MAXUINT32, ==, c->id[0] & G_MAXUINT32);  /* same slot */
  g_assert_cmpuint (c->id[1], !=, c->id[0]);
  g_assert_false (synack_sched_cancel (c->sched, c->id[0]));
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 1);
  g_assert_cmpuint (c->order[0], ==, 1);
}

static void
test_cancel_from_handler_later (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  ctx_at (c, 20);
  c->cancel_on_fire[0] = 2;
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 2);
  g_assert_cmpint (c->cancel_result[0], ==, TRUE);
  g_assert_cmpuint (c->order[1], ==, 1);
  g_assert_cmpint (c->fired_at[2], ==, -1);
  g_assert_cmpuint (c->destroyed[2], ==, 1);
}

static void
test_cancel_from_handler_self (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  c->cancel_on_fire[0] = 0;
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 2);
  g_assert_cmpint (c->cancel_result[0], ==, FALSE);
  g_assert_cmpint (c->destroyed_during_func[0], ==, 0);   /* not before func returned */
  g_assert_cmpuint (c->destroyed[0], ==, 1);
}

/* A handler's new event may take the slot just freed; cancelling the old id
 * from that handler must still not touch it. */
static void
test_cancel_self_after_reuse (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  c->schedule_on_fire[0] = 5;          /* tag 1, reusing slot 0 */
  c->cancel_on_fire[0] = 0;            /* runs before the schedule */
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpint (c->cancel_result[0], ==, FALSE);
  g_assert_cmpuint (c->n_fired, ==, 2);
  g_assert_cmpint (c->fired_at[1], ==, 15);
  g_assert_false (synack_sched_cancel (c->sched, c->id[0]));
}

static void
test_clear (void)
{
  g_autoptr (Ctx) c = ctx_new ();
  SynackEventId none = 0;

  ctx_at (c, 10);
  synack_sched_clear (c->sched, &c->id[0]);
  g_assert_cmpuint (c->id[0], ==, 0);
  g_assert_cmpuint (c->destroyed[0], ==, 1);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 0);
  synack_sched_clear (c->sched, &none);
  g_assert_cmpuint (none, ==, 0);
}

/* ---- destroy notify: exactly once, whichever way the event ends --------- */

static void
test_destroy_fired (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpint (c->destroyed_during_func[0], ==, 0);   /* after func */
  g_assert_cmpuint (c->destroyed[0], ==, 1);
}

static void
test_destroy_cancelled (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  synack_sched_cancel (c->sched, c->id[0]);
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpuint (c->destroyed[0], ==, 1);
}

static void
test_destroy_freed (void)
{
  Ctx *c = ctx_new ();
  guint destroyed[3];

  ctx_at (c, 10);
  ctx_at (c, 20);
  ctx_at (c, 30);
  synack_sched_run (c->sched, 15);
  synack_sched_free (c->sched);
  c->sched = NULL;
  memcpy (destroyed, c->destroyed, sizeof destroyed);
  g_free (c);
  g_assert_cmpuint (destroyed[0], ==, 1);
  g_assert_cmpuint (destroyed[1], ==, 1);
  g_assert_cmpuint (destroyed[2], ==, 1);
}

static void
test_destroy_null (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  synack_sched_at (c->sched, 1, ctx_fire, &c->ev[0], NULL);
  c->next_tag = 1;
  synack_sched_at (c->sched, 2, ctx_fire, &c->ev[1], NULL);
  c->next_tag = 2;
  g_assert_cmpuint (synack_sched_run (c->sched, 1), ==, 1);
  g_assert_cmpuint (c->destroyed[0], ==, 0);
  synack_sched_free (NULL);
}

/* ---- run, step, stop, after --------------------------------------------- */

static void
test_run_until (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  ctx_at (c, 30);
  g_assert_cmpuint (synack_sched_run (c->sched, 25), ==, 2);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 25);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 1);
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, 30);
  g_assert_cmpuint (synack_sched_run (c->sched, 30), ==, 1);   /* inclusive */
  g_assert_cmpint (synack_sched_now (c->sched), ==, 30);
  g_assert_cmpuint (synack_sched_events_run (c->sched), ==, 3);
}

static void
test_run_until_empty (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  g_assert_cmpuint (synack_sched_run (c->sched, 100), ==, 1);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 10);   /* nothing beyond: stays */
  g_assert_cmpuint (synack_sched_run (c->sched, 5), ==, 0);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 10);   /* never backwards */
}

static void
test_run_until_nothing_due (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 50);
  g_assert_cmpuint (synack_sched_run (c->sched, 40), ==, 0);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 40);
  /* now has moved: "after" counts from it */
  synack_sched_after (c->sched, 5, ctx_fire, &c->ev[1], NULL);
  c->next_tag = 2;
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, 45);
}

static void
test_run_stop (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 20);
  ctx_at (c, 30);
  c->stop_on_fire[1] = TRUE;
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 2);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 20);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 1);
  g_assert_cmpuint (synack_sched_run (c->sched, SYNACK_TIME_NONE), ==, 1);
  g_assert_cmpuint (c->n_fired, ==, 3);
}

/* What a handler sees of the scheduler, before and after it schedules or
 * cancels: its own event no longer counts as pending. */
static void
test_queries_in_handler (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);                      /* 0: schedules 3 at 15 */
  ctx_at (c, 20);                      /* 1: cancels 2 */
  ctx_at (c, 30);                      /* 2 */
  c->schedule_on_fire[0] = 5;
  c->cancel_on_fire[1] = 2;
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpuint (c->pending_seen[0], ==, 2);
  g_assert_cmpint (c->next_seen[0], ==, 20);
  g_assert_cmpuint (c->pending_after[0], ==, 3);
  g_assert_cmpint (c->next_after[0], ==, 15);
  g_assert_cmpuint (c->pending_seen[3], ==, 2);
  g_assert_cmpint (c->next_seen[3], ==, 20);
  g_assert_cmpuint (c->pending_seen[1], ==, 1);
  g_assert_cmpint (c->next_seen[1], ==, 30);
  g_assert_cmpuint (c->pending_after[1], ==, 0);
  g_assert_cmpint (c->next_after[1], ==, SYNACK_TIME_NONE);
  g_assert_cmpuint (c->n_fired, ==, 3);
}

static void
test_step (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  g_assert_false (synack_sched_step (c->sched));
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, SYNACK_TIME_NONE);
  ctx_at (c, 7);
  ctx_at (c, 3);
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, 3);
  g_assert_true (synack_sched_step (c->sched));
  g_assert_cmpint (synack_sched_now (c->sched), ==, 3);
  g_assert_true (synack_sched_step (c->sched));
  g_assert_false (synack_sched_step (c->sched));
  g_assert_cmpuint (synack_sched_events_run (c->sched), ==, 2);
}

static void
test_after (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  c->schedule_on_fire[0] = 15;
  ctx_at (c, 10);
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_assert_cmpint (c->fired_at[1], ==, 25);
  synack_sched_after (c->sched, 0, ctx_fire, &c->ev[2], NULL);
  c->next_tag = 3;
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, 25);
}

/* ---- programmer errors --------------------------------------------------- */

static void
test_at_past (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  synack_sched_run (c->sched, SYNACK_TIME_NONE);
  g_test_expect_message (CORE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (synack_sched_at (c->sched, 9, ctx_fire, &c->ev[1], NULL), ==, 0);
  g_test_assert_expected_messages ();
  g_test_expect_message (CORE_LOG_DOMAIN, G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  g_assert_cmpuint (synack_sched_after (c->sched, -1, ctx_fire, &c->ev[1], NULL), ==, 0);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 0);
}

/* ---- seq renumbering -------------------------------------------------------- */

typedef struct {
  GArray *fired;            /* guint tags in firing order */
  guint   tag;
} TagEv;

static void
tag_fire (SynackSched *sched, SynackTime now, gpointer user_data)
{
  TagEv *ev = user_data;

  g_array_append_val (ev->fired, ev->tag);
}

/* Rounds of 1000 events at 4 times, half of them run before the next round
 * adds more at equal times: about 4 renumberings with hundreds pending.
 * Fired (time, index) pairs must be strictly increasing: time order, and
 * FIFO among equal times across renumberings. */
static void
test_renumber_fifo (void)
{
  g_autoptr (SynackSched) s = synack_sched_new ();
  g_autoptr (GArray) fired = g_array_new (FALSE, FALSE, sizeof (guint));
  const guint rounds = 8, per_round = 1000, n = rounds * per_round;
  TagEv *ev = g_new (TagEv, n);
  SynackTime *when = g_new (SynackTime, n);
  guint renumberings = 0;
  guint64 last_seq = 0;

  for (guint r = 0; r < rounds; r++) {
    SynackTime now = synack_sched_now (s);
    for (guint j = 0; j < per_round; j++) {
      guint i = r * per_round + j;
      ev[i] = (TagEv) { fired, i };
      when[i] = now + 10 * (j % 4);
      synack_sched_at (s, when[i], tag_fire, &ev[i], NULL);
      renumberings += s->next_seq < last_seq;
      last_seq = s->next_seq;
      g_assert_cmpuint (s->next_seq, <=, TEST_SEQ_LIMIT);
    }
    synack_sched_run (s, now + 15);
  }
  synack_sched_run (s, SYNACK_TIME_NONE);
  g_assert_cmpuint (renumberings, >=, 3);
  g_assert_cmpuint (fired->len, ==, n);
  for (guint k = 1; k < n; k++) {
    guint a = g_array_index (fired, guint, k - 1), b = g_array_index (fired, guint, k);
    g_assert_true (when[a] < when[b] || (when[a] == when[b] && a < b));
  }
  g_free (ev);
  g_free (when);
}

/* The first event a handler schedules is the one that exhausts the seq
 * space: renumbering must first take out the handler's own (dead) entry. */
static void
test_renumber_in_handler (void)
{
  g_autoptr (Ctx) c = ctx_new ();
  SynackSched *s = c->sched;

  ctx_at (c, 10);                                  /* tag 0: schedules tag 2 at 10 */
  ctx_at (c, 10);                                  /* tag 1 */
  c->schedule_on_fire[0] = 0;
  s->next_seq = TEST_SEQ_LIMIT - 2 + s->next_seq;  /* as if many had come before */
  g_assert_true (synack_sched_step (s));
  g_assert_cmpuint (s->next_seq, ==, 2);           /* renumbered: tag 1, then tag 2 */
  g_assert_cmpuint (synack_sched_pending (s), ==, 2);
  synack_sched_run (s, SYNACK_TIME_NONE);
  g_assert_cmpuint (c->n_fired, ==, 3);
  g_assert_cmpuint (c->order[1], ==, 1);
  g_assert_cmpuint (c->order[2], ==, 2);
  g_assert_true (synack_sched_cancel (s, c->id[2]) == FALSE);
}

/* ---- randomized comparison with a reference -----------------------------
 *
 * One round runs the same script twice: on the real scheduler and on a
 * sorted GArray ordered by (time, seq).  The script comes from a seeded GRand
 * at the top level and, inside handlers, from a hash of (round seed, tag), so
 * what a handler does depends only on which event it is.  Both runs log every
 * firing (tag, time), every cancel result and the pending count; the logs
 * must be equal. */

#define RANDOM_ROUNDS 20
#define RANDOM_OPS 4000

typedef struct {
  SynackTime time;
  guint64    seq;
  guint      tag;
} RefEntry;

typedef struct _World World;

typedef struct {
  World *w;
  guint  tag;
} WorldEv;

struct _World {
  gboolean     use_ref;
  guint64      seed;
  gboolean     draining;       /* handlers stop scheduling */
  SynackSched *sched;
  GArray      *ref;            /* RefEntry, sorted by (time, seq) */
  SynackTime   ref_now;
  guint64      ref_seq;
  GArray      *ids;            /* SynackEventId by tag (real run) */
  GArray      *log;            /* gint64 */
  guint        next_tag;
  guint        destroys;
  guint64      last_seq;       /* to count renumberings (real run) */
  guint        renumberings;
};

static guint64
mix (guint64 x)
{
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

static inline void
log_push (World *w, gint64 v)
{
  g_array_append_val (w->log, v);
}

static void world_real_fire (SynackSched *sched, SynackTime now, gpointer user_data);

static void
world_ev_destroy (gpointer user_data)
{
  WorldEv *ev = user_data;

  ev->w->destroys++;
  g_free (ev);
}

static SynackTime
world_now (World *w)
{
  return w->use_ref ? w->ref_now : synack_sched_now (w->sched);
}

static void
world_at (World *w, SynackTime when)
{
  guint tag = w->next_tag++;
  SynackEventId id = 0;

  if (w->use_ref) {
    RefEntry e = { when, w->ref_seq++, tag };
    guint lo = 0, hi = w->ref->len;
    while (lo < hi) {                  /* first entry later than @when */
      guint mid = (lo + hi) / 2;
      if (g_array_index (w->ref, RefEntry, mid).time <= when)
        lo = mid + 1;
      else
        hi = mid;
    }
    g_array_insert_val (w->ref, lo, e);
  } else {
    WorldEv *ev = g_new (WorldEv, 1);
    *ev = (WorldEv) { w, tag };
    id = synack_sched_at (w->sched, when, world_real_fire, ev, world_ev_destroy);
    g_assert_cmpuint (id, !=, 0);
    w->renumberings += w->sched->next_seq < w->last_seq;
    w->last_seq = w->sched->next_seq;
  }
  g_array_append_val (w->ids, id);
}

static gboolean
world_cancel (World *w, guint tag)
{
  if (!w->use_ref)
    return synack_sched_cancel (w->sched, g_array_index (w->ids, SynackEventId, tag));
  for (guint i = 0; i < w->ref->len; i++)
    if (g_array_index (w->ref, RefEntry, i).tag == tag) {
      g_array_remove_index (w->ref, i);
      return TRUE;
    }
  return FALSE;
}

static gsize
world_pending (World *w)
{
  return w->use_ref ? w->ref->len : synack_sched_pending (w->sched);
}

/* What every event does when it fires, in both runs. */
static void
world_fire (World *w, guint tag, SynackTime now)
{
  guint64 h = mix (w->seed ^ mix (tag));

  log_push (w, tag);
  log_push (w, now);
  if (!w->draining) {
    guint n_new = (guint[]) { 0, 1, 1, 2 }[h & 3];
    for (guint i = 0; i < n_new; i++) {
      h = mix (h);
      SynackTime delay = (h & 7) == 0 ? 0 : (h & 7) < 6 ? (SynackTime) ((h >> 8) % 5)
                                                         : (SynackTime) ((h >> 8) % 1000);
      world_at (w, now + delay);
    }
  }
  h = mix (h);
  if (h % 10 < 3) {                    /* cancel anyone: pending, fired, cancelled, self */
    guint victim = (guint) ((h >> 16) % w->next_tag);
    log_push (w, -1 - (gint64) (2 * victim + world_cancel (w, victim)));
  } else if (h % 10 == 3) {
    log_push (w, -1 - (gint64) (2 * tag + world_cancel (w, tag)));
  }
}

static void
world_real_fire (SynackSched *sched, SynackTime now, gpointer user_data)
{
  WorldEv *ev = user_data;

  world_fire (ev->w, ev->tag, now);
}

static gboolean
world_step (World *w)
{
  if (!w->use_ref)
    return synack_sched_step (w->sched);
  if (w->ref->len == 0)
    return FALSE;
  RefEntry e = g_array_index (w->ref, RefEntry, 0);
  g_array_remove_index (w->ref, 0);
  w->ref_now = e.time;
  world_fire (w, e.tag, e.time);
  return TRUE;
}

static guint64
world_run_until (World *w, SynackTime until)
{
  guint64 n = 0;

  if (!w->use_ref)
    return synack_sched_run (w->sched, until);
  while (w->ref->len > 0 && g_array_index (w->ref, RefEntry, 0).time <= until) {
    world_step (w);
    n++;
  }
  if (w->ref->len > 0 && until > w->ref_now)
    w->ref_now = until;
  return n;
}

/* Runs one round; returns (transfer full) its log. */
static void lanes_off (gboolean off);

static GArray *
world_run_round (guint64 seed, gboolean use_ref, gboolean no_lanes,
                 guint *n_events)
{
  World w = { .use_ref = use_ref, .seed = seed };
  GRand *rand = g_rand_new_with_seed ((guint32) seed);

  w.sched = use_ref ? NULL : synack_sched_new ();
  lanes_off (no_lanes);
  w.ref = g_array_new (FALSE, FALSE, sizeof (RefEntry));
  w.ids = g_array_new (FALSE, FALSE, sizeof (SynackEventId));
  w.log = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint op = 0; op < RANDOM_OPS; op++) {
    gint32 r = g_rand_int_range (rand, 0, 100);
    if (r < 40 || w.next_tag == 0) {
      gint32 kind = g_rand_int_range (rand, 0, 4);
      SynackTime delay = kind == 0 ? 0 : kind < 3 ? g_rand_int_range (rand, 0, 5)
                                                  : g_rand_int_range (rand, 0, 2000);
      world_at (&w, world_now (&w) + delay);
    } else if (r < 60) {
      guint victim = g_rand_int_range (rand, 0, w.next_tag);
      log_push (&w, -1 - (gint64) (2 * victim + world_cancel (&w, victim)));
    } else if (r < 95) {
      log_push (&w, world_step (&w));
    } else {
      SynackTime until = world_now (&w) + g_rand_int_range (rand, 0, 50);
      log_push (&w, (gint64) world_run_until (&w, until));
      log_push (&w, world_now (&w));
    }
    log_push (&w, (gint64) world_pending (&w));
  }
  w.draining = TRUE;
  while (world_step (&w))
    ;
  log_push (&w, world_now (&w));

  *n_events = w.next_tag;
  if (!use_ref) {
    g_assert_cmpuint (synack_sched_pending (w.sched), ==, 0);
    synack_sched_free (w.sched);
    g_assert_cmpuint (w.destroys, ==, w.next_tag);   /* once per event */
    g_assert_cmpuint (w.renumberings, >, 0);
  }
  lanes_off (FALSE);
  g_array_unref (w.ref);
  g_array_unref (w.ids);
  g_rand_free (rand);
  return w.log;
}

/* @data: the round's seed; odd seeds run on the ladder alone. */
static void
test_random (gconstpointer data)
{
  guint64 seed = GPOINTER_TO_UINT (data);
  guint n_real, n_ref;
  g_autoptr (GArray) real = world_run_round (seed, FALSE, seed & 1, &n_real);
  g_autoptr (GArray) ref = world_run_round (seed, TRUE, FALSE, &n_ref);

  g_assert_cmpuint (n_real, ==, n_ref);
  g_assert_cmpuint (n_real, >, RANDOM_OPS / 2);
  for (guint i = 0; i < MIN (real->len, ref->len); i++)
    if (g_array_index (real, gint64, i) != g_array_index (ref, gint64, i)) {
      g_test_message ("logs differ at entry %u of %u", i, ref->len);
      g_assert_cmpint (g_array_index (real, gint64, i), ==, g_array_index (ref, gint64, i));
    }
  g_assert_cmpuint (real->len, ==, ref->len);
}

/* A cancelled event is no event: when only it lies beyond @until, the
 * clock stays at the last live event (the run loop drops it first). */
static void
test_run_until_cancelled_beyond (void)
{
  g_autoptr (Ctx) c = ctx_new ();

  ctx_at (c, 10);
  ctx_at (c, 50);
  g_assert_true (synack_sched_cancel (c->sched, c->id[1]));
  g_assert_cmpuint (synack_sched_run (c->sched, 40), ==, 1);
  g_assert_cmpint (synack_sched_now (c->sched), ==, 10);
  g_assert_cmpuint (synack_sched_pending (c->sched), ==, 0);
  g_assert_cmpint (synack_sched_next_time (c->sched), ==, SYNACK_TIME_NONE);
}

/* ---- the ladder's edges: rows of time patterns, against a sort ----------
 *
 * Each row schedules n events at times from a pattern, cancels some (before
 * the run, or from inside the first handler), runs everything and checks
 * the firing order against the events sorted by (time, scheduling order),
 * the order core/engine/sched.h promises, and that every destroy ran once.  The
 * patterns reach the ladder's corners: one bucket that cannot be split
 * (equal times), buckets split over several rungs (a dense cluster next to
 * a far event), times at and near G_MAXINT64 (bucket widths and top_start
 * must not wrap), time 0, enough cancels to sweep (SWEEP_MIN), and a burst
 * of events below the end of a wide bucket (the heap respawns a rung). */

typedef enum {
  TIMES_EQUAL,          /* all at 5 */
  TIMES_ZERO,           /* all at 0 */
  TIMES_SPREAD,         /* distinct, over 0..10^6 */
  TIMES_CLUSTER_FAR,    /* 1000..1063, and one in 64 at 10^12 */
  TIMES_NEAR_AND_MAX,   /* i, and one in 3 at G_MAXINT64 - i % 2 */
  TIMES_MAX,            /* all at G_MAXINT64 */
  TIMES_SPARSE,         /* i * 10^9: one wide bucket of few events */
} TimesKind;

typedef struct {
  const char *path;
  TimesKind   kind;
  guint       n;
  guint       keep_every;          /* cancel all but i % k == 0; 0: none */
  gboolean    cancel_in_handler;   /* from the first event's handler */
  SynackTime  delay_in_handler;    /* each handler schedules one more, -1 no */
  guint       burst;               /* the first handler adds these at now+1.. */
} LadderCase;

static const LadderCase ladder_cases[] = {
  /* path                                         kind                n     keep    in handler  delay */
  { "/sched/ladder/equal-times",                  TIMES_EQUAL,        1500, 0,      FALSE,      -1 },
  { "/sched/ladder/zero",                         TIMES_ZERO,         300,  0,      FALSE,      -1 },
  { "/sched/ladder/zero-delay-from-handlers",     TIMES_SPREAD,       1000, 0,      FALSE,      0  },
  { "/sched/ladder/spread",                       TIMES_SPREAD,       1900, 0,      FALSE,      -1 },
  { "/sched/ladder/spread-cancel-sweep",          TIMES_SPREAD,       1900, 3,      FALSE,      -1 },
  { "/sched/ladder/spread-cancel-in-handler",     TIMES_SPREAD,       1900, 3,      TRUE,       -1 },
  { "/sched/ladder/cluster-far",                  TIMES_CLUSTER_FAR,  1800, 0,      FALSE,      -1 },
  { "/sched/ladder/cluster-far-cancel-in-handler",TIMES_CLUSTER_FAR,  1800, 2,      TRUE,       -1 },
  { "/sched/ladder/far-future-from-handlers",     TIMES_CLUSTER_FAR,  900,  0,      FALSE,      1000000000000 },
  { "/sched/ladder/near-and-max",                 TIMES_NEAR_AND_MAX, 1200, 5,      FALSE,      -1 },
  { "/sched/ladder/max-time",                     TIMES_MAX,          200,  7,      TRUE,       -1 },
  /* a burst filed below the end of a wide bucket: the heap respawns a rung */
  { "/sched/ladder/burst-below-wide-bucket",       TIMES_SPARSE,       10,   0,      FALSE,      -1, 600 },
  { "/sched/ladder/burst-cancel-in-handler",       TIMES_SPARSE,       10,   3,      TRUE,       -1, 900 },
};

typedef struct {
  const LadderCase *tc;
  SynackSched      *sched;
  SynackTime       *when;          /* by index */
  SynackEventId    *id;
  guint            *destroyed;
  guint            *ev;            /* ev[i] = i, the user_data */
  GArray           *fired;         /* indices in firing order */
  guint             n;             /* events scheduled so far */
} Ladder;

static void ladder_fire (SynackSched *sched, SynackTime now, gpointer user_data);

/* The Ladder an event's user_data &ev[i] belongs to: see ladder_new(). */
static Ladder *
ladder_of (guint *ev)
{
  return ((Ladder **) (ev - *ev))[-1];
}

static void
ladder_destroy (gpointer user_data)
{
  guint *ev = user_data;
  Ladder *l = ladder_of (ev);

  l->destroyed[*ev]++;
}

static Ladder *
ladder_new (const LadderCase *tc)
{
  guint cap = 2 * tc->n + tc->burst;
  Ladder *l = g_new0 (Ladder, 1);

  l->tc = tc;
  l->sched = synack_sched_new ();
  l->when = g_new0 (SynackTime, cap);
  l->id = g_new0 (SynackEventId, cap);
  l->destroyed = g_new0 (guint, cap);
  /* the Ladder sits just before ev[0], so a handler finds it from ev[i] */
  gpointer *block = g_malloc (cap * sizeof (guint) + sizeof (gpointer));
  block[0] = l;
  l->ev = (guint *) (block + 1);
  for (guint i = 0; i < cap; i++)
    l->ev[i] = i;
  l->fired = g_array_new (FALSE, FALSE, sizeof (guint));
  return l;
}

static void
ladder_free (Ladder *l)
{
  synack_sched_free (l->sched);
  g_free (((gpointer *) l->ev) - 1);
  g_free (l->when);
  g_free (l->id);
  g_free (l->destroyed);
  g_array_unref (l->fired);
  g_free (l);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Ladder, ladder_free)

static void
ladder_at (Ladder *l, SynackTime when)
{
  guint i = l->n++;

  l->when[i] = when;
  l->id[i] = synack_sched_at (l->sched, when, ladder_fire, &l->ev[i], ladder_destroy);
  g_assert_cmpuint (l->id[i], !=, 0);
}

static gboolean
ladder_cancels (const LadderCase *tc, guint i)
{
  return tc->keep_every > 0 && i < tc->n && i % tc->keep_every != 0;
}

static void
ladder_fire (SynackSched *sched, SynackTime now, gpointer user_data)
{
  guint i = *(guint *) user_data;
  Ladder *l = ladder_of (user_data);
  const LadderCase *tc = l->tc;

  g_assert_cmpint (now, ==, l->when[i]);
  if (l->fired->len == 0 && tc->cancel_in_handler)
    for (guint k = 0; k < tc->n; k++)
      if (ladder_cancels (tc, k))
        g_assert_true (synack_sched_cancel (sched, l->id[k]));
  if (l->fired->len == 0)
    for (guint k = 0; k < tc->burst; k++)
      ladder_at (l, now + 1 + (SynackTime) ((k * 7u) % tc->burst));
  g_array_append_val (l->fired, i);
  if (tc->delay_in_handler >= 0 && i < tc->n
      && tc->delay_in_handler <= G_MAXINT64 - now)
    ladder_at (l, now + tc->delay_in_handler);
}

static SynackTime
ladder_time (TimesKind kind, guint i)
{
  switch (kind) {
  case TIMES_EQUAL:        return 5;
  case TIMES_ZERO:         return 0;
  case TIMES_SPREAD:       return (SynackTime) ((i * 7919u) % 1000003u);
  case TIMES_CLUSTER_FAR:  return i % 64 == 63 ? 1000000000000 : 1000 + (i * 37) % 64;
  case TIMES_NEAR_AND_MAX: return i % 3 == 2 ? G_MAXINT64 - i % 2 : (SynackTime) i;
  case TIMES_MAX:          return G_MAXINT64;
  case TIMES_SPARSE:       return (SynackTime) i * 1000000000;
  }
  g_assert_not_reached ();
}

static SynackTime *sort_when;

static int
by_time_then_index (gconstpointer a, gconstpointer b)
{
  guint i = *(const guint *) a, j = *(const guint *) b;

  if (sort_when[i] != sort_when[j])
    return sort_when[i] < sort_when[j] ? -1 : 1;
  return i < j ? -1 : i > j;
}

/* Turns the lanes off or on (sched-private.h's test switch; off, each
 * event goes to the ladder): the rows below run once with them off and
 * once as the library runs (lanes for delays that come twice, the ladder
 * for the rest). */
static void
lanes_off (gboolean off)
{
  sched_test_lanes_off = off;
}

typedef struct {
  const LadderCase *tc;
  gboolean          ladder_only;
} LadderRun;

static void
test_ladder (gconstpointer data)
{
  const LadderRun *run = data;
  const LadderCase *tc = run->tc;
  g_autoptr (Ladder) l = ladder_new (tc);
  guint n_cancelled = 0;
  SynackTime first = G_MAXINT64;

  lanes_off (run->ladder_only);

  for (guint i = 0; i < tc->n; i++) {
    ladder_at (l, ladder_time (tc->kind, i));
    first = MIN (first, l->when[i]);
    n_cancelled += ladder_cancels (tc, i);
  }
  g_assert_cmpint (synack_sched_next_time (l->sched), ==, first);
  if (!tc->cancel_in_handler)
    for (guint i = 0; i < tc->n; i++)
      if (ladder_cancels (tc, i)) {
        g_assert_true (synack_sched_cancel (l->sched, l->id[i]));
        g_assert_false (synack_sched_cancel (l->sched, l->id[i]));
      }
  if (!tc->cancel_in_handler)
    g_assert_cmpuint (synack_sched_pending (l->sched), ==, tc->n - n_cancelled);
  synack_sched_run (l->sched, SYNACK_TIME_NONE);
  g_assert_cmpuint (synack_sched_pending (l->sched), ==, 0);

  /* expected: every event not cancelled, by (time, scheduling order); the
   * ones handlers added are in the log too, at their own times */
  g_autoptr (GArray) want = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < l->n; i++)
    if (!ladder_cancels (tc, i))
      g_array_append_val (want, i);
  sort_when = l->when;
  g_array_sort (want, by_time_then_index);
  g_assert_cmpuint (l->fired->len, ==, want->len);
  for (guint k = 0; k < want->len; k++)
    if (g_array_index (l->fired, guint, k) != g_array_index (want, guint, k)) {
      g_test_message ("firing %u of %u differs", k, want->len);
      g_assert_cmpuint (g_array_index (l->fired, guint, k), ==, g_array_index (want, guint, k));
    }
  for (guint i = 0; i < l->n; i++)
    g_assert_cmpuint (l->destroyed[i], ==, 1);
  if (run->ladder_only)
    g_assert_cmpuint (l->sched->n_lanes, ==, 0);
  lanes_off (FALSE);
}

/* ---- the lanes: rows of repeated delays, against a sort ------------------
 *
 * Each row files batches of events at `delays` distinct delays (base,
 * base + 1000, ...) from now, each delay `repeats` times a batch, cancels
 * every event of the delays from cancel_from on (delay by delay, so whole
 * lanes empty), runs `steps` events between batches and the rest at the
 * end; the firing order must be the events sorted by (time, scheduling
 * order).  A delay's first event goes to the ladder, the next
 * ones to its lane, so equal times meet across the two.  The rows reach a
 * lane's ring wrapping and growing while wrapped, more repeated delays than
 * lanes, delay 0, a sweep of cancelled lane entries, and renumbering of the
 * seq space (TEST_SEQ_LIMIT) with full lanes. */

typedef struct {
  const char *path;
  SynackTime  base;
  guint       delays;
  guint       repeats;
  guint       batches;
  guint       steps;
  guint       cancel_from;         /* 0: no cancel */
  guint       want_lanes;          /* lanes opened by the end */
  SynackTime  shift;               /* batch b's delays: + b * shift */
  gint        last_in_lanes;       /* entries in lanes after the last
                                    * batch is filed; -1: not checked */
  guint       thin;                /* > 0: cancel every event whose repeat
                                    * number r has r % thin != 0 */
} LaneCase;

static const LaneCase lane_cases[] = {
  /* path                                   base  delays repeats batches steps cancel lanes      shift in lanes thin */
  { "/sched/lanes/equal-times-with-ladder", 5000, 1,     3,      1,      0,    0,   1,         0,    2, 0 },
  { "/sched/lanes/delay-zero",              0,    1,     50,     3,      20,   0,   1,         0,    -1, 0 },
  { "/sched/lanes/wrap-then-grow",          1000, 1,     400,    3,      250,  0,   1,         0,    -1, 0 },
  { "/sched/lanes/two-delays-interleaved",  1000, 2,     300,    4,      500,  0,   2,         0,    -1, 0 },
  /* 32 delays get a lane at their second event, 8 do not: 64 in lanes */
  { "/sched/lanes/more-delays-than-lanes",  1000, 40,    3,      1,      0,    0,   MAX_LANES, 0,    64, 0 },
  { "/sched/lanes/more-delays-batches",     1000, 40,    3,      3,      50,   0,   MAX_LANES, 0,    -1, 0 },
  /* batch 1 drained, then 40 new delays: the 32 empty lanes are reused */
  { "/sched/lanes/reuse-empty-lanes",       1000, 40,    3,      2,      120,  0,   MAX_LANES, 500,  64, 0 },
  /* 600 cancels of delay 1, then 424 of delay 2: the sweep empties lane 1 */
  { "/sched/lanes/cancel-sweep",            1000, 3,     600,    1,      0,    1,   3,         0,    -1, 0 },
  { "/sched/lanes/cancel-sweep-batches",    1000, 4,     150,    3,      50,   2,   4,         0,    -1, 0 },
  { "/sched/lanes/renumber-with-lanes",     1000, 3,     500,    4,      900,  0,   3,         0,    -1, 0 },
  /* batch 1's lanes (3..5, delays 500 + k 1000) interleave with batch 0's
   * by head, and thinning every lane to one event in three sweeps their
   * dead heads: the lane heap is rebuilt with new heads out of index order */
  { "/sched/lanes/thin-sweep-interleaved",  1000, 3,     600,    2,      10,   0,   6,         -500, -1,   3 },
};

static void
test_lanes (gconstpointer data)
{
  const LaneCase *tc = data;
  guint total = tc->delays * tc->repeats * tc->batches;
  LadderCase lc = { tc->path, TIMES_EQUAL, total, 0, FALSE, -1, 0 };
  g_autoptr (Ladder) l = ladder_new (&lc);
  g_autofree gboolean *cancelled = g_new0 (gboolean, total);

  for (guint b = 0; b < tc->batches; b++) {
    SynackTime now = synack_sched_now (l->sched);
    guint from = l->n;
    for (guint r = 0; r < tc->repeats; r++)
      for (guint d = 0; d < tc->delays; d++)
        ladder_at (l, now + tc->base + b * tc->shift + (SynackTime) d * 1000);
    if (b + 1 == tc->batches && tc->last_in_lanes >= 0) {
      guint in_lanes = 0;
      for (guint i = 0; i < l->sched->n_lanes; i++)
        in_lanes += l->sched->lanes[i].n;
      g_assert_cmpuint (in_lanes, ==, tc->last_in_lanes);
    }
    for (guint d = MAX (tc->cancel_from, 1); tc->cancel_from > 0
         && d < tc->delays; d++)
      for (guint i = from + d; i < l->n; i += tc->delays) {
        g_assert_true (synack_sched_cancel (l->sched, l->id[i]));
        cancelled[i] = TRUE;
      }
    for (guint i = from; tc->thin > 0 && i < l->n; i++)
      if ((i - from) / tc->delays % tc->thin != 0) {
        g_assert_true (synack_sched_cancel (l->sched, l->id[i]));
        cancelled[i] = TRUE;
      }
    for (guint k = 0; k < tc->steps && synack_sched_step (l->sched); k++)
      ;
  }
  synack_sched_run (l->sched, SYNACK_TIME_NONE);
  g_assert_cmpuint (synack_sched_pending (l->sched), ==, 0);
  g_assert_cmpuint (l->sched->n_lanes, ==, tc->want_lanes);

  g_autoptr (GArray) want = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < l->n; i++)
    if (!cancelled[i])
      g_array_append_val (want, i);
  sort_when = l->when;
  g_array_sort (want, by_time_then_index);
  g_assert_cmpuint (l->fired->len, ==, want->len);
  for (guint k = 0; k < want->len; k++)
    g_assert_cmpuint (g_array_index (l->fired, guint, k), ==,
                      g_array_index (want, guint, k));
  for (guint i = 0; i < l->n; i++)
    g_assert_cmpuint (l->destroyed[i], ==, 1);
}

static void
noop (SynackSched *sched, SynackTime now, gpointer user_data)
{
}

/* Many pending events, popped in order: exercises growth of both arrays
 * (64 -> 2048 entries).  Kept under TEST_SEQ_LIMIT: with more pending than
 * the seq space, every scheduling renumbers (correct, but a sort each). */
static void
test_grow (void)
{
  g_autoptr (SynackSched) s = synack_sched_new ();
  g_autoptr (GRand) rand = g_rand_new_with_seed (1);
  const guint n = TEST_SEQ_LIMIT - 100;
  SynackTime last = 0;

  for (guint i = 0; i < n; i++)
    synack_sched_at (s, g_rand_int_range (rand, 0, 1000), noop, NULL, NULL);
  g_assert_cmpuint (synack_sched_pending (s), ==, n);
  while (synack_sched_next_time (s) != SYNACK_TIME_NONE) {
    g_assert_cmpint (synack_sched_next_time (s), >=, last);
    last = synack_sched_next_time (s);
    synack_sched_step (s);
  }
  g_assert_cmpuint (synack_sched_events_run (s), ==, n);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (order_cases); i++)
    g_test_add_data_func (order_cases[i].path, &order_cases[i], test_order);
  g_test_add_func ("/sched/order/same-time-from-handler", test_order_same_time_from_handler);
  g_test_add_func ("/sched/cancel/before-fire", test_cancel_before_fire);
  g_test_add_func ("/sched/cancel/earliest", test_cancel_earliest);
  g_test_add_func ("/sched/cancel/twice", test_cancel_twice);
  g_test_add_func ("/sched/cancel/fired", test_cancel_fired);
  g_test_add_func ("/sched/cancel/unknown", test_cancel_unknown);
  g_test_add_func ("/sched/cancel/stale-reused-slot", test_cancel_stale_reused_slot);
  g_test_add_func ("/sched/cancel/from-handler-later", test_cancel_from_handler_later);
  g_test_add_func ("/sched/cancel/from-handler-self", test_cancel_from_handler_self);
  g_test_add_func ("/sched/cancel/self-after-reuse", test_cancel_self_after_reuse);
  g_test_add_func ("/sched/cancel/clear", test_clear);
  g_test_add_func ("/sched/destroy/fired", test_destroy_fired);
  g_test_add_func ("/sched/destroy/cancelled", test_destroy_cancelled);
  g_test_add_func ("/sched/destroy/freed", test_destroy_freed);
  g_test_add_func ("/sched/destroy/null", test_destroy_null);
  g_test_add_func ("/sched/run/until", test_run_until);
  g_test_add_func ("/sched/run/until-empty", test_run_until_empty);
  g_test_add_func ("/sched/run/until-nothing-due", test_run_until_nothing_due);
  g_test_add_func ("/sched/run/until-cancelled-beyond", test_run_until_cancelled_beyond);
  g_test_add_func ("/sched/run/stop", test_run_stop);
  g_test_add_func ("/sched/run/step", test_step);
  g_test_add_func ("/sched/run/queries-in-handler", test_queries_in_handler);
  g_test_add_func ("/sched/run/after", test_after);
  g_test_add_func ("/sched/run/grow", test_grow);
  g_test_add_func ("/sched/error/at-past", test_at_past);
  g_test_add_func ("/sched/renumber/fifo", test_renumber_fifo);
  g_test_add_func ("/sched/renumber/in-handler", test_renumber_in_handler);
  static LadderRun ladder_runs[2 * G_N_ELEMENTS (ladder_cases)];
  for (gsize i = 0; i < G_N_ELEMENTS (ladder_cases); i++)
    for (guint only = 0; only < 2; only++) {
      LadderRun *run = &ladder_runs[2 * i + only];
      *run = (LadderRun) { &ladder_cases[i], only };
      g_autofree char *path = g_strconcat (ladder_cases[i].path,
                                           only ? "/ladder-only" : "", NULL);
      g_test_add_data_func (path, run, test_ladder);
    }
  for (gsize i = 0; i < G_N_ELEMENTS (lane_cases); i++)
    g_test_add_data_func (lane_cases[i].path, &lane_cases[i], test_lanes);
  for (guint i = 0; i < 2 * RANDOM_ROUNDS; i++) {
    guint seed = 1000 + 7919 * i;   /* odd i: odd seed, ladder alone */
    g_autofree char *path = g_strdup_printf ("/sched/random/round-%02u%s", i,
                                             seed & 1 ? "/ladder-only" : "");
    g_test_add_data_func (path, GUINT_TO_POINTER (seed), test_random);
  }
  return g_test_run ();
}
