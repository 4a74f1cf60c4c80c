/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle.c - per-attempt bookkeeping and classification
 * (see oracle.h).
 *
 * Memory grows with the attempts alive at once, not with the attempts of
 * the run: a record (56 bytes) exists from an attempt's open to the moment
 * nothing can change its class any more, then the attempt is classified,
 * its latencies go into the run's accumulators, and the record is freed.
 * "Nothing can change it" is a reference count: each end of it out of
 * CLOSED/LISTEN, each segment of it in flight (net.c reports sends and
 * deliveries) and each pending application close holds one.  A ghost (the
 * server executing an attempt after its client ended) needs an old segment
 * of it, which holds its record: so the record is there when it happens.
 * An attempt left with no reference whose class a time limit could still
 * call unfinished is kept to the end, where the cut decides.
 *
 * The live records are a ring indexed by attempt id, which doubles when
 * half of it is alive, with an overflow hash table for the few stragglers
 * (see "the live attempts" below).  Before (one 48-byte record per attempt
 * in an array, to the end of the run) 10^7 attempts needed 480 MB.
 *
 * The accumulators: runs of at most SYNACK_EXACT_SAMPLES_MAX attempts keep
 * each attempt's three durations in arrays indexed by attempt id (24 bytes
 * an attempt), and at the end sum and sort them in attempt order exactly as
 * the whole-run array did, so their outputs are unchanged to the last bit.
 * Larger runs add them to histograms (histogram.h): 1.3 MB in all, exact
 * counts, means, minima and maxima, quantiles within 2^-11. */
#include "oracle.h"

#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

enum {
  CLIENT_EST    = 1 << 0,  /* client reached ESTABLISHED, by any segment */
  CLIENT_ENDED  = 1 << 1,  /* client endpoint closed after opening */
  GHOST         = 1 << 2,
  RESET         = 1 << 3,
  NO_PORT       = 1 << 4,
  CLIENT_DONE   = 1 << 5,  /* client finished its part of the close */
  SERVER_DONE   = 1 << 6,
  SERVER_LIVE   = 1 << 7,  /* a server endpoint of it is still in a
                            * handshake state (SYN_RECEIVED) */
};

/* Per attempt, beside bits. */
enum {
  /* the server delivered a SYN's data (TCP Fast Open) and has not yet
   * reached ESTABLISHED, whose entry is then no second execution */
  DELIVERED      = 1 << 0,
  /* the server application's close waits until it has the connection */
  DEFERRED_CLOSE = 1 << 1,
  /* both ends are done with the close: close_ns holds its duration */
  TORN_DOWN      = 1 << 2,
};

typedef struct {
  SynackConnId conn;         /* the key; 0: a free slot */
  guint32    client;
  SynackTime start_ns;       /* app open; SYNACK_TIME_NONE if never */
  SynackTime client_est_ns;  /* ESTABLISHED from its own segment, or NONE */
  SynackTime close_ns;       /* first app close, or NONE; once TORN_DOWN
                              * the close's duration */
  SynackTime exec_ns;        /* the server's first execution, or NONE */
  guint32    refs;           /* ends out of CLOSED/LISTEN, segments in
                              * flight, pending closes */
  guint16    port;
  guint8     server_est;     /* server executions, saturating */
  guint8     bits;
  guint8     bits2;          /* DELIVERED, DEFERRED_CLOSE, TORN_DOWN */
} Attempt;

G_STATIC_ASSERT (sizeof (Attempt) <= 56);

/* The durations an attempt contributes, in exact mode (per attempt id). */
enum { EXACT_HANDSHAKE, EXACT_REQUEST, EXACT_TEARDOWN, EXACT_N };

struct _SynackOracle {
  Attempt *ring;             /* [id & mask]: ids base .. base + mask */
  gsize    mask;             /* ring size - 1 (a power of two - 1) */
  guint64  base;
  guint64  in_ring;          /* records in the ring */
  GHashTable *overflow;      /* (nullable) id -> record (transfer full) of
                              * attempts alive below base */
  guint64  live;             /* records in all */
  guint64  deferred;         /* records with DEFERRED_CLOSE */
  guint64  n;                /* attempts of the run */
  guint64  opened;           /* highest attempt id opened (or refused) */
  /* classes of the attempts classified so far */
  guint64  established, failed, half_open, duplicate, ghost, reset, unfinished;
  /* exact mode: EXACT_N durations per attempt id, NONE if none; or NULL */
  SynackTime *exact;
  /* histogram mode: nanoseconds */
  SynackHistogram *handshake, *request, *teardown;
};

#define MIN_BITS 10

SynackOracle *
synack_oracle_new (guint64 attempts)
{
  SynackOracle *o = g_new0 (SynackOracle, 1);

  o->n = attempts;
  o->mask = ((gsize) 1 << MIN_BITS) - 1;
  o->ring = g_new0 (Attempt, o->mask + 1);
  o->base = 1;
  if (attempts <= SYNACK_EXACT_SAMPLES_MAX) {
    gsize len = EXACT_N * ((gsize) attempts + 1);

    o->exact = g_new (SynackTime, len);
    for (gsize i = 0; i < len; i++)
      o->exact[i] = SYNACK_TIME_NONE;
  } else {
    o->handshake = synack_histogram_new ();
    o->request = synack_histogram_new ();
    o->teardown = synack_histogram_new ();
  }
  return o;
}

void
synack_oracle_free (SynackOracle *o)
{
  if (o == NULL)
    return;
  g_free (o->ring);
  g_clear_pointer (&o->overflow, g_hash_table_unref);
  g_free (o->exact);
  synack_histogram_free (o->handshake);
  synack_histogram_free (o->request);
  synack_histogram_free (o->teardown);
  g_free (o);
}

/* ---- the live attempts ---------------------------------------------------
 *
 * A ring indexed by attempt id keeps the window [base, base + size) of the
 * latest ids: attempts open in id order and most end in about that order,
 * so the records being worked on are neighbours in memory, as in the
 * whole-run array this replaces.  A record still alive when its slot is
 * needed by a new id (a straggler: a connection held long, a SYN
 * retransmitted for minutes) moves to the overflow hash table, unless most
 * of the ring is alive, which means the window is too small for the
 * concurrency: then the ring doubles.  So memory follows the attempts
 * alive at once.  A hash table for all of them (tried first) cost 10-15 %
 * of the run time in cache misses: it scatters consecutive ids. */

static Attempt *
find (SynackOracle *o, SynackConnId conn)
{
  if (G_LIKELY (conn >= o->base)) {
    Attempt *a = &o->ring[conn & o->mask];

    return a->conn == conn && conn != 0 ? a : NULL;
  }
  if (o->overflow == NULL)
    return NULL;
  return g_hash_table_lookup (o->overflow, GUINT_TO_POINTER (conn));
}

static void
grow (SynackOracle *o)
{
  Attempt *old = o->ring;
  gsize n_old = o->mask + 1;

  o->mask = 2 * n_old - 1;
  o->ring = g_new0 (Attempt, o->mask + 1);
  for (gsize i = 0; i < n_old; i++)
    if (old[i].conn != 0)
      o->ring[old[i].conn & o->mask] = old[i];
  g_free (old);
}

/* Makes room for @conn in the ring: slides the window up to it. */
static void
slide_to (SynackOracle *o, SynackConnId conn)
{
  while ((guint64) conn - o->base > o->mask) {
    Attempt *a = &o->ring[o->base & o->mask];

    if (a->conn != 0) {
      if (2 * o->in_ring > o->mask + 1) {
        grow (o);
        continue;
      }
      if (o->overflow == NULL)
        o->overflow = g_hash_table_new_full (g_direct_hash, g_direct_equal,
                                             NULL, g_free);
      g_hash_table_insert (o->overflow, GUINT_TO_POINTER (a->conn),
                           g_memdup2 (a, sizeof *a));
      a->conn = 0;
      o->in_ring--;
    }
    o->base++;
  }
}

/* The record of @conn, created if it is new (@conn <= n). */
static Attempt *
find_or_add (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = find (o, conn);

  if (a != NULL || conn == 0 || conn > o->n || conn < o->base)
    return a;
  slide_to (o, conn);
  a = &o->ring[conn & o->mask];
  *a = (Attempt) { conn, 0, SYNACK_TIME_NONE, SYNACK_TIME_NONE,
                   SYNACK_TIME_NONE, SYNACK_TIME_NONE, 0, 0, 0, 0, 0 };
  o->in_ring++;
  o->live++;
  o->opened = MAX (o->opened, conn);
  return a;
}

/* Frees @a's record. */
static void
remove_record (SynackOracle *o, Attempt *a)
{
  o->live--;
  if (a->bits2 & DEFERRED_CLOSE)
    o->deferred--;
  if (a->conn >= o->base) {
    a->conn = 0;
    o->in_ring--;
    return;
  }
  g_hash_table_remove (o->overflow, GUINT_TO_POINTER (a->conn));
}

/* States where a RST still destroys something: the application may yet
 * send or receive.  In CLOSING, LAST_ACK and TIME_WAIT both FINs are out. */
static gboolean
rst_hurts (SynackTcpState s)
{
  return s == SYNACK_TCP_ESTABLISHED || s == SYNACK_TCP_CLOSE_WAIT ||
         s == SYNACK_TCP_FIN_WAIT_1 || s == SYNACK_TCP_FIN_WAIT_2;
}

static void
note_close_progress (Attempt *a, const SynackStateChange *chg, SynackTime now)
{
  if (chg->cause == SYNACK_CAUSE_APP_CLOSE && a->close_ns == SYNACK_TIME_NONE &&
      (chg->from == SYNACK_TCP_ESTABLISHED || chg->from == SYNACK_TCP_CLOSE_WAIT ||
       chg->from == SYNACK_TCP_SYN_RECEIVED))
    a->close_ns = now;
  if (a->close_ns == SYNACK_TIME_NONE || (a->bits2 & TORN_DOWN))
    return;
  /* an end is done with the close once it is in TIME_WAIT or CLOSED */
  if (chg->to == SYNACK_TCP_TIME_WAIT || chg->to == SYNACK_TCP_CLOSED)
    a->bits |= chg->role == SYNACK_ROLE_CLIENT ? CLIENT_DONE : SERVER_DONE;
  if ((a->bits & (CLIENT_DONE | SERVER_DONE)) == (CLIENT_DONE | SERVER_DONE)) {
    a->close_ns = now - a->close_ns;
    a->bits2 |= TORN_DOWN;
  }
}

/* The server executed @a's request (again) at @now. */
static void
executed (Attempt *a, SynackTime now)
{
  if (a->server_est < G_MAXUINT8)
    a->server_est++;
  if (a->exec_ns == SYNACK_TIME_NONE)
    a->exec_ns = now;
  if (a->bits & CLIENT_ENDED)
    a->bits |= GHOST;
}

/* Whether @a's outcome was still open when the run stopped: never opened,
 * or an end still in its handshake (the client before ESTABLISHED and not
 * given up, the server in SYN_RECEIVED) while the other end did not
 * establish.  Only a run cut by `until` has such attempts. */
static gboolean
unfinished (const Attempt *a)
{
  gboolean client_est = (a->bits & CLIENT_EST) != 0;
  gboolean client_live = !client_est && !(a->bits & CLIENT_ENDED);

  if (a->bits & NO_PORT)
    return FALSE;
  if (a->start_ns == SYNACK_TIME_NONE)
    return TRUE;
  if (a->bits & GHOST)
    return FALSE;
  if (a->server_est == 0)
    return client_live || (client_est && (a->bits & SERVER_LIVE));
  return client_live;
}

/* The class of @a; @cut: the run stopped at its time limit. */
static guint64 *
class_counter (SynackOracle *o, const Attempt *a, gboolean cut)
{
  gboolean client_est = (a->bits & CLIENT_EST) != 0;
  gboolean server_est = a->server_est > 0;

  if (cut && unfinished (a))
    return &o->unfinished;
  if (a->start_ns == SYNACK_TIME_NONE || (a->bits & NO_PORT))
    return &o->failed;
  if (a->bits & GHOST)
    return &o->ghost;
  if (client_est != server_est)
    return &o->half_open;
  if (a->server_est >= 2)
    return &o->duplicate;
  if (!client_est)
    return &o->failed;
  if (a->bits & RESET)
    return &o->reset;
  if (a->client_est_ns == SYNACK_TIME_NONE)
    /* the client's ESTABLISHED came only from another incarnation's
     * segment (a late ACK on its port, possible in the 2-way handshake):
     * this attempt's own handshake never completed at the client, which
     * holds a connection the server did not make with it */
    return &o->half_open;
  return &o->established;
}

/* Classifies @a and keeps its durations, for good. */
static void
account (SynackOracle *o, const Attempt *a, gboolean cut)
{
  SynackTime d[EXACT_N] = { SYNACK_TIME_NONE, SYNACK_TIME_NONE,
                            SYNACK_TIME_NONE };

  (*class_counter (o, a, cut))++;
  if (a->client_est_ns != SYNACK_TIME_NONE)
    d[EXACT_HANDSHAKE] = a->client_est_ns - a->start_ns;
  if (a->exec_ns != SYNACK_TIME_NONE && a->start_ns != SYNACK_TIME_NONE)
    d[EXACT_REQUEST] = a->exec_ns - a->start_ns;
  if (a->bits2 & TORN_DOWN)
    d[EXACT_TEARDOWN] = a->close_ns;
  if (o->exact != NULL) {
    for (guint k = 0; k < EXACT_N; k++)
      o->exact[EXACT_N * (gsize) a->conn + k] = d[k];
    return;
  }
  if (d[EXACT_HANDSHAKE] != SYNACK_TIME_NONE)
    synack_histogram_add (o->handshake, (guint64) MAX (d[EXACT_HANDSHAKE], 0));
  if (d[EXACT_REQUEST] != SYNACK_TIME_NONE)
    synack_histogram_add (o->request, (guint64) MAX (d[EXACT_REQUEST], 0));
  if (d[EXACT_TEARDOWN] != SYNACK_TIME_NONE)
    synack_histogram_add (o->teardown, (guint64) MAX (d[EXACT_TEARDOWN], 0));
}

/* Drops one reference of @a; with none left, classifies it and frees its
 * record, unless a time limit could still call it unfinished (kept to the
 * end then: only the cut decides). */
static void
release (SynackOracle *o, Attempt *a)
{
  if (a->refs > 0)
    a->refs--;
  if (a->refs > 0 || unfinished (a))
    return;
  account (o, a, FALSE);
  remove_record (o, a);
}

void
synack_oracle_open (SynackOracle *o, SynackConnId conn, guint32 client, guint16 port,
                    SynackTime now)
{
  Attempt *a = find_or_add (o, conn);

  g_return_if_fail (a != NULL);
  a->start_ns = now;
  a->client = client;
  a->port = port;
}

void
synack_oracle_no_port (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = find_or_add (o, conn);

  g_return_if_fail (a != NULL);
  a->bits |= NO_PORT;
  if (a->refs == 0) {
    a->refs = 1;
    release (o, a);
  }
}

void
synack_oracle_hold (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = find (o, conn);

  if (a != NULL)
    a->refs++;
}

void
synack_oracle_release (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = find (o, conn);

  if (a != NULL)
    release (o, a);
}

void
synack_oracle_endpoint (SynackOracle *o, SynackConnId conn, guint32 *client, guint16 *port)
{
  const Attempt *a = find (o, conn);

  *client = a != NULL ? a->client : 0;
  *port = a != NULL ? a->port : 0;
}

gboolean
synack_oracle_server_has (SynackOracle *o, SynackConnId conn)
{
  const Attempt *a = find (o, conn);

  return a != NULL && a->server_est > 0;
}

void
synack_oracle_defer_close (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = find (o, conn);

  if (a != NULL && !(a->bits2 & DEFERRED_CLOSE)) {
    a->bits2 |= DEFERRED_CLOSE;
    o->deferred++;
  }
}

gboolean
synack_oracle_take_deferred_close (SynackOracle *o, SynackConnId conn)
{
  Attempt *a;

  /* asked at every server state change: most runs never defer a close */
  if (o->deferred == 0)
    return FALSE;
  a = find (o, conn);
  if (a == NULL || !(a->bits2 & DEFERRED_CLOSE) || a->server_est == 0)
    return FALSE;
  a->bits2 &= (guint8) ~DEFERRED_CLOSE;
  o->deferred--;
  return TRUE;
}

guint64
synack_oracle_live (const SynackOracle *o)
{
  return o->live;
}

/* Handshake, request and teardown statistics from the exact arrays, in
 * attempt order as the whole-run array had them. */
static void
finish_exact (SynackOracle *o, SynackMetrics *m, SynackSamples *samples)
{
  GArray *lat = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *req = g_array_new (FALSE, FALSE, sizeof (double));
  double teardown_sum = 0;
  guint64 teardown_n = 0;

  for (guint64 i = 1; i <= o->n; i++) {
    const SynackTime *d = &o->exact[EXACT_N * (gsize) i];

    if (d[EXACT_HANDSHAKE] != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (d[EXACT_HANDSHAKE]);

      g_array_append_val (lat, s);
    }
    if (d[EXACT_REQUEST] != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (d[EXACT_REQUEST]);

      g_array_append_val (req, s);
    }
    if (d[EXACT_TEARDOWN] != SYNACK_TIME_NONE) {
      teardown_sum += synack_time_to_seconds (d[EXACT_TEARDOWN]);
      teardown_n++;
    }
  }
  m->teardown_mean_s = teardown_n ? teardown_sum / (double) teardown_n : NAN;
  m->handshake_samples = lat->len;
  if (lat->len > 0) {
    double *d = (double *) lat->data;

    gsl_sort (d, 1, lat->len);
    m->handshake_mean_s = gsl_stats_mean (d, 1, lat->len);
    m->handshake_p50_s = gsl_stats_quantile_from_sorted_data (d, 1, lat->len, 0.50);
    m->handshake_p95_s = gsl_stats_quantile_from_sorted_data (d, 1, lat->len, 0.95);
    m->handshake_p99_s = gsl_stats_quantile_from_sorted_data (d, 1, lat->len, 0.99);
    m->handshake_max_s = d[lat->len - 1];
  } else {
    m->handshake_mean_s = m->handshake_p50_s = m->handshake_p95_s = NAN;
    m->handshake_p99_s = m->handshake_max_s = NAN;
  }
  /* the samples file lists them sorted */
  if (samples != NULL)
    samples->exact = g_array_ref (lat);
  m->request_samples = req->len;
  if (req->len > 0) {
    double *d = (double *) req->data;

    gsl_sort (d, 1, req->len);
    m->request_mean_s = gsl_stats_mean (d, 1, req->len);
    m->request_p50_s = gsl_stats_quantile_from_sorted_data (d, 1, req->len, 0.50);
    m->request_p95_s = gsl_stats_quantile_from_sorted_data (d, 1, req->len, 0.95);
    m->request_p99_s = gsl_stats_quantile_from_sorted_data (d, 1, req->len, 0.99);
  } else {
    m->request_mean_s = m->request_p50_s = m->request_p95_s = m->request_p99_s = NAN;
  }
  g_array_unref (lat);
  g_array_free (req, TRUE);
}

static double
ns_to_s (double ns)
{
  return ns / (double) SYNACK_SECOND;
}

static void
finish_histograms (SynackOracle *o, SynackMetrics *m, SynackSamples *samples)
{
  const SynackHistogram *h = o->handshake, *r = o->request;

  m->teardown_mean_s = ns_to_s (synack_histogram_mean (o->teardown));
  m->handshake_samples = synack_histogram_count (h);
  m->handshake_mean_s = ns_to_s (synack_histogram_mean (h));
  m->handshake_p50_s = ns_to_s (synack_histogram_quantile (h, 0.50));
  m->handshake_p95_s = ns_to_s (synack_histogram_quantile (h, 0.95));
  m->handshake_p99_s = ns_to_s (synack_histogram_quantile (h, 0.99));
  m->handshake_max_s = synack_histogram_count (h)
                       ? ns_to_s ((double) synack_histogram_max (h)) : NAN;
  m->request_samples = synack_histogram_count (r);
  m->request_mean_s = ns_to_s (synack_histogram_mean (r));
  m->request_p50_s = ns_to_s (synack_histogram_quantile (r, 0.50));
  m->request_p95_s = ns_to_s (synack_histogram_quantile (r, 0.95));
  m->request_p99_s = ns_to_s (synack_histogram_quantile (r, 0.99));
  if (samples != NULL)
    samples->hist = synack_histogram_copy (h);
}

void
synack_oracle_finish (SynackOracle *o, gboolean cut, SynackMetrics *m,
                      SynackSamples *samples)
{
  /* what is still alive is classified now, as the cut says */
  for (gsize i = 0; i <= o->mask; i++)
    if (o->ring[i].conn != 0)
      account (o, &o->ring[i], cut);
  if (o->overflow != NULL) {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, o->overflow);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      account (o, value, cut);
  }
  /* attempts never opened: the time limit came first */
  if (cut)
    o->unfinished += o->n - o->opened;
  else
    o->failed += o->n - o->opened;

  m->attempts = o->n;
  m->established = o->established;
  m->failed = o->failed;
  m->half_open = o->half_open;
  m->duplicate = o->duplicate;
  m->ghost = o->ghost;
  m->reset = o->reset;
  m->unfinished = o->unfinished;
  m->success_rate = o->n ? (double) m->established / (double) o->n : NAN;
  if (o->exact != NULL)
    finish_exact (o, m, samples);
  else
    finish_histograms (o, m, samples);
}

void
synack_oracle_state (SynackOracle *o, const SynackStateChange *chg, SynackTime now)
{
  Attempt *a;
  gboolean was_open, is_open;

  if (chg->cause == SYNACK_CAUSE_IGNORED || chg->cause == SYNACK_CAUSE_BACKLOG)
    return;
  a = find (o, chg->conn);
  if (a == NULL)
    return;

  if (chg->cause == SYNACK_CAUSE_DELIVER && chg->role == SYNACK_ROLE_SERVER) {
    /* a SYN's data handed to the application: the execution */
    executed (a, now);
    a->bits2 |= DELIVERED;
  } else if (chg->to == SYNACK_TCP_ESTABLISHED && chg->from != chg->to &&
             chg->role == SYNACK_ROLE_SERVER && (a->bits2 & DELIVERED)) {
    a->bits2 &= (guint8) ~DELIVERED;   /* executed already, at the SYN */
  } else if (chg->to == SYNACK_TCP_ESTABLISHED) {
    if (chg->role == SYNACK_ROLE_CLIENT) {
      a->bits |= CLIENT_EST;
      if (a->client_est_ns == SYNACK_TIME_NONE &&
          (chg->seg == NULL || chg->seg->conn == chg->conn))
        a->client_est_ns = now;
    } else {
      /* an establishment is an execution of the request */
      executed (a, now);
    }
  }
  if (chg->role == SYNACK_ROLE_SERVER && chg->from != chg->to &&
      (chg->to == SYNACK_TCP_CLOSED || chg->to == SYNACK_TCP_LISTEN))
    a->bits2 &= (guint8) ~DELIVERED;   /* that server connection is gone */

  if (chg->role == SYNACK_ROLE_SERVER && chg->from != chg->to) {
    if (chg->to == SYNACK_TCP_SYN_RECEIVED)
      a->bits |= SERVER_LIVE;
    else if (chg->from == SYNACK_TCP_SYN_RECEIVED)
      a->bits &= (guint8) ~SERVER_LIVE;
  }

  if (chg->to == SYNACK_TCP_CLOSED && chg->from != SYNACK_TCP_CLOSED) {
    if (chg->role == SYNACK_ROLE_CLIENT)
      a->bits |= CLIENT_ENDED;
    if (chg->cause == SYNACK_CAUSE_RCV && chg->seg != NULL &&
        (chg->seg->flags & SYNACK_FLAG_RST) && rst_hurts (chg->from))
      a->bits |= RESET;
  }

  note_close_progress (a, chg, now);

  /* an end holds its attempt from leaving CLOSED (or the listener) to its
   * return there: plugin.h's reports chain per attempt */
  was_open = chg->from != SYNACK_TCP_CLOSED && chg->from != SYNACK_TCP_LISTEN;
  is_open = chg->to != SYNACK_TCP_CLOSED && chg->to != SYNACK_TCP_LISTEN;
  if (!was_open && is_open)
    a->refs++;
  else if (was_open && !is_open)
    release (o, a);
}

