/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-oracle.c - the outcome oracle's memory: records of live
 * attempts only (issue 13).
 *
 * Each row is a script of what net.c reports (opens, state changes, holds
 * for segments in flight and pending closes) and the classes and live
 * records expected.  The classes are INTERFACE.md's, decided as
 * core/network/oracle.h orders them; the ghost rows are RFC 9293 §3.5's
 * old duplicate SYN (figure 8: "Recovery from Old Duplicate SYN"), here
 * one that arrives after its client gave up and that only a segment still
 * in flight can bring: the record must outlive the client for it. */
#include <glib.h>
#include <math.h>

#include "oracle.h"

typedef enum { OPEN, NO_PORT, CHG, HOLD, RELEASE, LIVE, END } Op;

typedef struct {
  Op             op;
  guint          conn;
  SynackRole     role;
  SynackTcpState from, to;
  SynackCause    cause;
  guint          seg_conn;   /* 0: no segment */
  guint16        seg_flags;
  guint          at_ms;
} Step;

#define C SYNACK_ROLE_CLIENT
#define S SYNACK_ROLE_SERVER
#define CLOSED SYNACK_TCP_CLOSED
#define LISTEN SYNACK_TCP_LISTEN
#define SYN_SENT SYNACK_TCP_SYN_SENT
#define SYN_RCVD SYNACK_TCP_SYN_RECEIVED
#define EST SYNACK_TCP_ESTABLISHED
#define FW1 SYNACK_TCP_FIN_WAIT_1
#define FW2 SYNACK_TCP_FIN_WAIT_2
#define TW SYNACK_TCP_TIME_WAIT
#define CW SYNACK_TCP_CLOSE_WAIT
#define LA SYNACK_TCP_LAST_ACK
#define RCV SYNACK_CAUSE_RCV
#define OPEN_ SYNACK_CAUSE_APP_OPEN
#define CLOSE_ SYNACK_CAUSE_APP_CLOSE
#define TIMEOUT SYNACK_CAUSE_TIMEOUT
#define F_SYN SYNACK_FLAG_SYN
#define F_ACK SYNACK_FLAG_ACK
#define F_FIN (SYNACK_FLAG_FIN | SYNACK_FLAG_ACK)

/* one attempt's 3-way handshake (client at 0 ms, established at 30 ms) */
#define HANDSHAKE(id)                                                  \
  { OPEN, id, C, 0, 0, 0, 0, 0, 0 },                                   \
  { CHG, id, C, CLOSED, SYN_SENT, OPEN_, 0, 0, 0 },                    \
  { CHG, id, S, LISTEN, SYN_RCVD, RCV, id, F_SYN, 10 },                \
  { CHG, id, C, SYN_SENT, EST, RCV, id, F_SYN | F_ACK, 20 },           \
  { CHG, id, S, SYN_RCVD, EST, RCV, id, F_ACK, 30 }
/* the client closes first and both ends finish (RFC 9293 figure 12) */
#define CLOSE(id)                                                      \
  { CHG, id, C, EST, FW1, CLOSE_, 0, 0, 100 },                         \
  { CHG, id, S, EST, CW, RCV, id, F_FIN, 110 },                        \
  { CHG, id, S, CW, LA, CLOSE_, 0, 0, 110 },                           \
  { CHG, id, C, FW1, FW2, RCV, id, F_ACK, 120 },                       \
  { CHG, id, C, FW2, TW, RCV, id, F_FIN, 120 },                        \
  { CHG, id, S, LA, CLOSED, RCV, id, F_ACK, 130 },                     \
  { CHG, id, C, TW, CLOSED, SYNACK_CAUSE_TIME_WAIT, 0, 0, 5000 }

typedef struct {
  const char *path;
  guint       n;           /* attempts of the run */
  gboolean    cut;
  const Step *steps;
  /* expected classes */
  guint       established, failed, half_open, ghost, unfinished;
} ScriptCase;

static const Step full_life[] = {
  HANDSHAKE (1), { LIVE, 1, 0, 0, 0, 0, 0, 0, 0 },
  CLOSE (1), { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* the client gives up while its first SYN is still in flight (held); the
 * SYN then makes the server execute the attempt: a ghost */
static const Step ghost_held[] = {
  { OPEN, 1, C, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, C, CLOSED, SYN_SENT, OPEN_, 0, 0, 0 },
  { HOLD, 1, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, C, SYN_SENT, CLOSED, TIMEOUT, 0, 0, 75000 },
  { LIVE, 1, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, S, LISTEN, SYN_RCVD, RCV, 1, F_SYN, 80000 },
  { RELEASE, 1, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, S, SYN_RCVD, EST, RCV, 1, F_ACK, 80010 },
  { CHG, 1, S, EST, CLOSED, TIMEOUT, 0, 0, 90000 },
  { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* the same without the hold: once the client is closed nothing refers to
 * the attempt, it is classified failed there, and a later report is
 * dropped (what net.c's holds prevent) */
static const Step ghost_unheld[] = {
  { OPEN, 1, C, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, C, CLOSED, SYN_SENT, OPEN_, 0, 0, 0 },
  { CHG, 1, C, SYN_SENT, CLOSED, TIMEOUT, 0, 0, 75000 },
  { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, S, LISTEN, SYN_RCVD, RCV, 1, F_SYN, 80000 },
  { CHG, 1, S, SYN_RCVD, EST, RCV, 1, F_ACK, 80010 },
  { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* a pending application close holds the attempt like a segment */
static const Step close_held[] = {
  HANDSHAKE (1),
  { HOLD, 1, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, S, EST, CLOSED, TIMEOUT, 0, 0, 50 },
  { CHG, 1, C, EST, CLOSED, TIMEOUT, 0, 0, 60 },
  { LIVE, 1, 0, 0, 0, 0, 0, 0, 0 },
  { RELEASE, 1, 0, 0, 0, 0, 0, 0, 0 },
  { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static const Step no_port[] = {
  { NO_PORT, 1, 0, 0, 0, 0, 0, 0, 0 }, { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 },
  { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* a client still in SYN_SENT when the time limit comes: kept, unfinished */
static const Step in_handshake[] = {
  { OPEN, 1, C, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, C, CLOSED, SYN_SENT, OPEN_, 0, 0, 0 },
  { LIVE, 1, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/* the client established but the server, still in SYN_RECEIVED, gave up
 * (ends CLOSED) after the client closed: half-open, retired at once */
static const Step half_open[] = {
  { OPEN, 1, C, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, C, CLOSED, SYN_SENT, OPEN_, 0, 0, 0 },
  { CHG, 1, S, LISTEN, SYN_RCVD, RCV, 1, F_SYN, 10 },
  { CHG, 1, C, SYN_SENT, EST, RCV, 1, F_SYN | F_ACK, 20 },
  { CHG, 1, C, EST, CLOSED, TIMEOUT, 0, 0, 40000 },
  { LIVE, 1, 0, 0, 0, 0, 0, 0, 0 },
  { CHG, 1, S, SYN_RCVD, CLOSED, TIMEOUT, 0, 0, 60000 },
  { LIVE, 0, 0, 0, 0, 0, 0, 0, 0 }, { END, 0, 0, 0, 0, 0, 0, 0, 0 },
};

static const Step nothing[] = { { END, 0, 0, 0, 0, 0, 0, 0, 0 } };

static const ScriptCase script_cases[] = {
  /* path                                   n  cut    steps         est fail half ghost unf */
  { "/oracle/retire/full-life",              1, FALSE, full_life,    1,  0,   0,   0,    0 },
  { "/oracle/retire/ghost-held-by-segment",  1, FALSE, ghost_held,   0,  0,   0,   1,    0 },
  { "/oracle/retire/unheld-is-final",        1, FALSE, ghost_unheld, 0,  1,   0,   0,    0 },
  { "/oracle/retire/held-by-close",          1, FALSE, close_held,   1,  0,   0,   0,    0 },
  { "/oracle/retire/half-open",              1, FALSE, half_open,    0,  0,   1,   0,    0 },
  { "/oracle/retire/no-port",                1, FALSE, no_port,      0,  1,   0,   0,    0 },
  { "/oracle/cut/in-handshake",              3, TRUE,  in_handshake, 0,  0,   0,   0,    3 },
  { "/oracle/cut/none-opened",               2, TRUE,  nothing,      0,  0,   0,   0,    2 },
  { "/oracle/not-cut/none-opened",           2, FALSE, nothing,      0,  2,   0,   0,    0 },
};

static void
apply (SynackOracle *o, const Step *st)
{
  SynackSegment seg = { 0 };
  SynackStateChange chg = { 0 };
  SynackTime now = (SynackTime) st->at_ms * SYNACK_MSECOND;

  switch (st->op) {
    case OPEN:
      synack_oracle_open (o, st->conn, 1, (guint16) (32768 + st->conn), now);
      break;
    case NO_PORT:
      synack_oracle_no_port (o, st->conn);
      break;
    case CHG:
      seg.conn = st->seg_conn;
      seg.flags = st->seg_flags;
      chg = (SynackStateChange) { .conn = st->conn, .client = 1,
                                  .port = (guint16) (32768 + st->conn), .role = st->role,
                                  .from = st->from, .to = st->to, .cause = st->cause,
                                  .seg = st->seg_conn ? &seg : NULL };
      synack_oracle_state (o, &chg, now);
      break;
    case HOLD:
      synack_oracle_hold (o, st->conn);
      break;
    case RELEASE:
      synack_oracle_release (o, st->conn);
      break;
    case LIVE:
      g_assert_cmpuint (synack_oracle_live (o), ==, st->conn);
      break;
    case END:
      break;
  }
}

static void
test_script (gconstpointer data)
{
  const ScriptCase *tc = data;
  SynackOracle *o = synack_oracle_new (tc->n);
  SynackMetrics m;
  SynackSamples samples = { NULL, NULL };

  for (const Step *st = tc->steps; st->op != END; st++)
    apply (o, st);
  synack_oracle_finish (o, tc->cut, &m, &samples);
  g_assert_cmpuint (m.attempts, ==, tc->n);
  g_assert_cmpuint (m.established, ==, tc->established);
  g_assert_cmpuint (m.failed, ==, tc->failed);
  g_assert_cmpuint (m.half_open, ==, tc->half_open);
  g_assert_cmpuint (m.ghost, ==, tc->ghost);
  g_assert_cmpuint (m.unfinished, ==, tc->unfinished);
  g_assert_cmpuint (m.established + m.failed + m.half_open + m.duplicate + m.ghost +
                    m.reset + m.unfinished, ==, tc->n);
  /* small runs: exact samples, one per handshake completed from its own
   * segment (RFC 9293 figure 6: 20 ms after the SYN here) */
  g_assert_nonnull (samples.exact);
  g_assert_null (samples.hist);
  g_assert_cmpuint (samples.exact->len, ==, m.handshake_samples);
  if (samples.exact->len > 0)
    g_assert_cmpfloat (g_array_index (samples.exact, double, 0), ==, 0.020);
  synack_samples_clear (&samples);
  synack_oracle_free (o);
}

/* ---- many attempts: the ring of live records -------------------------------- */

static void
run_handshake (SynackOracle *o, guint id)
{
  const Step steps[] = { HANDSHAKE (id), { END, 0, 0, 0, 0, 0, 0, 0, 0 } };

  for (const Step *st = steps; st->op != END; st++)
    apply (o, st);
}

static void
run_close (SynackOracle *o, guint id)
{
  const Step steps[] = { CLOSE (id), { END, 0, 0, 0, 0, 0, 0, 0, 0 } };

  for (const Step *st = steps; st->op != END; st++)
    apply (o, st);
}

/* Attempt 1 stays established while 5000 later ones come and go: its
 * record leaves the ring for the overflow table, is still found there by
 * its close, and memory stays with the live count (1, then 0). */
static void
test_straggler (void)
{
  SynackOracle *o = synack_oracle_new (5001);
  SynackMetrics m;

  run_handshake (o, 1);
  for (guint id = 2; id <= 5001; id++) {
    run_handshake (o, id);
    run_close (o, id);
  }
  g_assert_cmpuint (synack_oracle_live (o), ==, 1);
  run_close (o, 1);
  g_assert_cmpuint (synack_oracle_live (o), ==, 0);
  synack_oracle_finish (o, FALSE, &m, NULL);
  g_assert_cmpuint (m.established, ==, 5001);
  /* from the client's close at 100 ms to the server's CLOSED at 130 ms */
  g_assert_cmpfloat (fabs (m.teardown_mean_s - 0.030), <=, 1e-12);
  synack_oracle_free (o);
}

/* 3000 attempts alive at once (beyond the first ring of 1024): the ring
 * grows and keeps them all; they then all end established. */
static void
test_concurrent (void)
{
  SynackOracle *o = synack_oracle_new (3000);
  SynackMetrics m;

  for (guint id = 1; id <= 3000; id++)
    run_handshake (o, id);
  g_assert_cmpuint (synack_oracle_live (o), ==, 3000);
  for (guint id = 3000; id >= 1; id--)
    run_close (o, id);
  g_assert_cmpuint (synack_oracle_live (o), ==, 0);
  synack_oracle_finish (o, FALSE, &m, NULL);
  g_assert_cmpuint (m.established, ==, 3000);
  g_assert_cmpuint (m.handshake_samples, ==, 3000);
  synack_oracle_free (o);
}

/* Above SYNACK_EXACT_SAMPLES_MAX attempts the latencies go to histograms:
 * the same script gives the same classes, an exact mean and maximum, and
 * quantiles within SYNACK_HISTOGRAM_REL_ERROR of the exact ones. */
static void
test_histogram_mode (void)
{
  guint64 ns[] = { 1, 2 };
  SynackMetrics m[2];
  SynackSamples samples[2] = { { NULL, NULL }, { NULL, NULL } };

  ns[1] = SYNACK_EXACT_SAMPLES_MAX + 1;
  for (guint k = 0; k < 2; k++) {
    SynackOracle *o = synack_oracle_new (ns[k] == 1 ? 1000 : ns[k]);

    for (guint id = 1; id <= 1000; id++) {
      SynackStateChange chg = { .conn = id, .client = 1, .port = 1, .role = C,
                                .from = CLOSED, .to = SYN_SENT, .cause = OPEN_ };
      SynackSegment seg = { .conn = id, .flags = F_SYN | F_ACK };
      SynackTime open = (SynackTime) id * SYNACK_MSECOND;

      synack_oracle_open (o, id, 1, 1, open);
      synack_oracle_state (o, &chg, open);
      chg.from = SYN_SENT, chg.to = EST, chg.cause = RCV, chg.seg = &seg;
      /* latencies 20 ms .. 20 ms + 999 * 7 us */
      synack_oracle_state (o, &chg, open + 20 * SYNACK_MSECOND + id * 7000);
      chg.from = EST, chg.to = CLOSED, chg.cause = TIMEOUT, chg.seg = NULL;
      synack_oracle_state (o, &chg, open + SYNACK_SECOND);
    }
    synack_oracle_finish (o, FALSE, &m[k], &samples[k]);
    synack_oracle_free (o);
  }
  g_assert_nonnull (samples[0].exact);
  g_assert_nonnull (samples[1].hist);
  g_assert_cmpuint (synack_histogram_count (samples[1].hist), ==, 1000);
  g_assert_cmpuint (m[1].half_open, ==, 1000);   /* the server never had them */
  g_assert_cmpuint (m[1].failed, ==, ns[1] - 1000);
  g_assert_cmpuint (m[0].half_open, ==, 1000);
  g_assert_cmpfloat (fabs (m[1].handshake_mean_s - m[0].handshake_mean_s), <=,
                     1e-12 * m[0].handshake_mean_s);
  g_assert_cmpfloat (m[1].handshake_max_s, ==, m[0].handshake_max_s);
  g_assert_cmpfloat (fabs (m[1].handshake_p50_s - m[0].handshake_p50_s), <=,
                     SYNACK_HISTOGRAM_REL_ERROR * m[0].handshake_p50_s);
  g_assert_cmpfloat (fabs (m[1].handshake_p99_s - m[0].handshake_p99_s), <=,
                     SYNACK_HISTOGRAM_REL_ERROR * m[0].handshake_p99_s);
  synack_samples_clear (&samples[0]);
  synack_samples_clear (&samples[1]);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (script_cases); i++)
    g_test_add_data_func (script_cases[i].path, &script_cases[i], test_script);
  g_test_add_func ("/oracle/ring/straggler", test_straggler);
  g_test_add_func ("/oracle/ring/concurrent", test_concurrent);
  g_test_add_func ("/oracle/histogram-mode", test_histogram_mode);
  return g_test_run ();
}
