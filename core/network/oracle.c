/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle.c - per-attempt bookkeeping and classification (see oracle.h).
 *
 * One 48-byte record per attempt, in one array indexed by the attempt id:
 * a run of 10^7 attempts costs 480 MB, which this machine holds; keeping
 * every record to the end is what lets a ghost found late be charged to
 * the attempt it came from. */
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

/* Per attempt, beside bits (full): the server delivered a SYN's data
 * (TCP Fast Open) and has not yet reached ESTABLISHED, whose entry is
 * then no second execution. */
enum {
  DELIVERED     = 1 << 0,
};

typedef struct {
  SynackTime start_ns;       /* app open; SYNACK_TIME_NONE if never */
  SynackTime client_est_ns;  /* ESTABLISHED from its own segment, or NONE */
  SynackTime close_ns;       /* first app close, or NONE */
  SynackTime teardown_ns;    /* close duration, or NONE */
  SynackTime exec_ns;        /* the server's first execution, or NONE */
  guint32    client;
  guint16    port;
  guint8     server_est;     /* server executions, saturating */
  guint8     bits;
  guint8     bits2;          /* DELIVERED */
} Attempt;

struct _SynackOracle {
  Attempt *attempts;         /* [0] unused: ids start at 1 */
  guint64  n;
};

gsize
synack_oracle_bytes_per_attempt (void)
{
  return sizeof (Attempt);
}

SynackOracle *
synack_oracle_new (guint64 attempts)
{
  SynackOracle *o = g_new0 (SynackOracle, 1);

  o->n = attempts;
  o->attempts = g_new (Attempt, attempts + 1);
  for (guint64 i = 0; i <= attempts; i++)
    o->attempts[i] = (Attempt) { SYNACK_TIME_NONE, SYNACK_TIME_NONE, SYNACK_TIME_NONE,
                                 SYNACK_TIME_NONE, SYNACK_TIME_NONE, 0, 0, 0, 0, 0 };
  return o;
}

void
synack_oracle_free (SynackOracle *o)
{
  if (o == NULL)
    return;
  g_free (o->attempts);
  g_free (o);
}

static Attempt *
attempt (SynackOracle *o, SynackConnId conn)
{
  if (conn == 0 || conn > o->n)
    return NULL;
  return &o->attempts[conn];
}

void
synack_oracle_open (SynackOracle *o, SynackConnId conn, guint32 client, guint16 port,
                    SynackTime now)
{
  Attempt *a = attempt (o, conn);

  g_return_if_fail (a != NULL);
  a->start_ns = now;
  a->client = client;
  a->port = port;
}

void
synack_oracle_no_port (SynackOracle *o, SynackConnId conn)
{
  Attempt *a = attempt (o, conn);

  g_return_if_fail (a != NULL);
  a->bits |= NO_PORT;
}

void
synack_oracle_endpoint (const SynackOracle *o, SynackConnId conn, guint32 *client,
                        guint16 *port)
{
  const Attempt *a = &o->attempts[conn <= o->n ? conn : 0];

  *client = a->client;
  *port = a->port;
}

gboolean
synack_oracle_server_has (const SynackOracle *o, SynackConnId conn)
{
  return conn >= 1 && conn <= o->n && o->attempts[conn].server_est > 0;
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
  if (a->close_ns == SYNACK_TIME_NONE || a->teardown_ns != SYNACK_TIME_NONE)
    return;
  /* an end is done with the close once it is in TIME_WAIT or CLOSED */
  if (chg->to == SYNACK_TCP_TIME_WAIT || chg->to == SYNACK_TCP_CLOSED)
    a->bits |= chg->role == SYNACK_ROLE_CLIENT ? CLIENT_DONE : SERVER_DONE;
  if ((a->bits & (CLIENT_DONE | SERVER_DONE)) == (CLIENT_DONE | SERVER_DONE))
    a->teardown_ns = now - a->close_ns;
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

void
synack_oracle_state (SynackOracle *o, const SynackStateChange *chg, SynackTime now)
{
  Attempt *a = attempt (o, chg->conn);

  if (a == NULL || chg->cause == SYNACK_CAUSE_IGNORED || chg->cause == SYNACK_CAUSE_BACKLOG)
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

void
synack_oracle_finish (SynackOracle *o, gboolean cut, SynackMetrics *m,
                      GArray *latencies)
{
  GArray *lat = g_array_new (FALSE, FALSE, sizeof (double));
  GArray *req = g_array_new (FALSE, FALSE, sizeof (double));
  double teardown_sum = 0;
  guint64 teardown_n = 0;

  m->attempts = o->n;
  m->established = m->failed = m->half_open = m->duplicate = m->ghost = 0;
  m->reset = m->unfinished = 0;
  for (guint64 i = 1; i <= o->n; i++) {
    const Attempt *a = &o->attempts[i];
    gboolean client_est = (a->bits & CLIENT_EST) != 0;
    gboolean server_est = a->server_est > 0;

    if (cut && unfinished (a))
      m->unfinished++;
    else if (a->start_ns == SYNACK_TIME_NONE || (a->bits & NO_PORT))
      m->failed++;
    else if (a->bits & GHOST)
      m->ghost++;
    else if (client_est != server_est)
      m->half_open++;
    else if (a->server_est >= 2)
      m->duplicate++;
    else if (!client_est)
      m->failed++;
    else if (a->bits & RESET)
      m->reset++;
    else if (a->client_est_ns == SYNACK_TIME_NONE)
      /* the client's ESTABLISHED came only from another incarnation's
       * segment (a late ACK on its port, possible in the 2-way handshake):
       * this attempt's own handshake never completed at the client, which
       * holds a connection the server did not make with it */
      m->half_open++;
    else
      m->established++;

    if (a->client_est_ns != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (a->client_est_ns - a->start_ns);

      g_array_append_val (lat, s);
    }
    if (a->exec_ns != SYNACK_TIME_NONE && a->start_ns != SYNACK_TIME_NONE) {
      double s = synack_time_to_seconds (a->exec_ns - a->start_ns);

      g_array_append_val (req, s);
    }
    if (a->teardown_ns != SYNACK_TIME_NONE) {
      teardown_sum += synack_time_to_seconds (a->teardown_ns);
      teardown_n++;
    }
  }
  m->success_rate = o->n ? (double) m->established / (double) o->n : NAN;
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
  if (latencies != NULL)
    g_array_append_vals (latencies, lat->data, lat->len);
  g_array_free (lat, TRUE);
  g_array_free (req, TRUE);
}
