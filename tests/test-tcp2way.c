/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-tcp2way.c - the tcp2way protocol model (the note's 2-way
 * handshake).
 *
 * Covers: one table row per tcp2way transition and per bad input, on the
 * end that makes it, with the test playing the peer (from state, side,
 * input -> expected state, flags sent in response, cause of the last
 * change): the client's open, SYN retransmission and giving up, the
 * server's establishment on every SYN (re-execution from any state), the
 * 4-way close with no sequence numbers, RSTs.  Then whole scenarios over a
 * loopback link that show the note's claims: a lost ACK makes the server
 * execute the request twice, losing every ACK leaves the server half-open,
 * an old SYN re-opens a finished connection (a ghost), a stale ACK
 * establishes a client whose SYN never arrived; and the segment fields
 * (seq 0, the request in the SYN, relabelling). */
#include "tcp-harness.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_protocol_tcp2way_describe (void);

#define CLIENT SYNACK_ROLE_CLIENT
#define SERVER SYNACK_ROLE_SERVER

#define S_CLOSED       SYNACK_TCP_CLOSED
#define S_LISTEN       SYNACK_TCP_LISTEN
#define S_SYN_SENT     SYNACK_TCP_SYN_SENT
#define S_ESTABLISHED  SYNACK_TCP_ESTABLISHED
#define S_FIN_WAIT_1   SYNACK_TCP_FIN_WAIT_1
#define S_FIN_WAIT_2   SYNACK_TCP_FIN_WAIT_2
#define S_CLOSE_WAIT   SYNACK_TCP_CLOSE_WAIT
#define S_CLOSING      SYNACK_TCP_CLOSING
#define S_LAST_ACK     SYNACK_TCP_LAST_ACK
#define S_TIME_WAIT    SYNACK_TCP_TIME_WAIT

#define SYN     SYNACK_FLAG_SYN
#define ACK     SYNACK_FLAG_ACK
#define FIN     SYNACK_FLAG_FIN
#define RST     SYNACK_FLAG_RST
#define FINACK  (SYNACK_FLAG_FIN | SYNACK_FLAG_ACK)
#define RSTACK  (SYNACK_FLAG_RST | SYNACK_FLAG_ACK)

#define C_RCV     SYNACK_CAUSE_RCV
#define C_IGN     SYNACK_CAUSE_IGNORED
#define C_OPEN    SYNACK_CAUSE_APP_OPEN
#define C_CLOSE   SYNACK_CAUSE_APP_CLOSE
#define C_TIMEOUT SYNACK_CAUSE_TIMEOUT
#define C_TW      SYNACK_CAUSE_TIME_WAIT
#define C_FW2     SYNACK_CAUSE_FIN_WAIT_2
#define C_NONE    TCP_NO_CAUSE

#define OPEN      TCP_IN_APP_OPEN, 0, 0, 0, 0
#define CLOSE     TCP_IN_APP_CLOSE, 0, 0, 0, 0
#define TIMEOUT   TCP_IN_TIMEOUT, 0, 0, 0, 0
#define EXHAUST   TCP_IN_TIMEOUT_ALL, 0, 0, 0, 0
/* no sequence numbers: every injected segment has seq 0, ack 0 */
#define RCV(flags, len) TCP_IN_RCV, flags, TCP_SEQ_NXT, TCP_ACK_ZERO, len

static const TcpRow rows[] = {
  /* path                                      side    from           input              to             tx      cause      cfg */
  /* ---- client open ---- */
  { "/tcp2way/closed/app-open",                CLIENT, S_CLOSED,      OPEN,              S_SYN_SENT,    SYN,    C_OPEN,    0 },
  { "/tcp2way/closed/rcv-ack",                 CLIENT, S_CLOSED,      RCV (ACK, 0),      S_CLOSED,      RST,    C_IGN,     0 },
  { "/tcp2way/closed/rcv-fin",                 CLIENT, S_CLOSED,      RCV (FINACK, 0),   S_CLOSED,      RST,    C_IGN,     0 },
  { "/tcp2way/closed/rcv-rst",                 CLIENT, S_CLOSED,      RCV (RST, 0),      S_CLOSED,      0,      C_IGN,     0 },
  { "/tcp2way/syn-sent/rcv-ack",               CLIENT, S_SYN_SENT,    RCV (ACK, 0),      S_ESTABLISHED, 0,      C_RCV,     0 },
  { "/tcp2way/syn-sent/rcv-fin-ack",           CLIENT, S_SYN_SENT,    RCV (FINACK, 0),   S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  { "/tcp2way/syn-sent/rcv-rst",               CLIENT, S_SYN_SENT,    RCV (RST, 0),      S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/syn-sent/rcv-no-ack",            CLIENT, S_SYN_SENT,    RCV (FIN, 0),      S_SYN_SENT,    0,      C_IGN,     0 },
  { "/tcp2way/syn-sent/timeout",               CLIENT, S_SYN_SENT,    TIMEOUT,           S_SYN_SENT,    SYN,    C_NONE,    0 },
  { "/tcp2way/syn-sent/timeout-retries-exhausted", CLIENT, S_SYN_SENT, EXHAUST,          S_CLOSED,      SYN,    C_TIMEOUT, 0 },
  { "/tcp2way/syn-sent/app-close",             CLIENT, S_SYN_SENT,    CLOSE,             S_CLOSED,      0,      C_CLOSE,   0 },
  /* ---- server: every SYN opens or re-opens and executes ---- */
  { "/tcp2way/listen/rcv-syn",                 SERVER, S_LISTEN,      RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/listen/rcv-ack",                 SERVER, S_LISTEN,      RCV (ACK, 0),      S_LISTEN,      RST,    C_IGN,     0 },
  { "/tcp2way/listen/rcv-fin",                 SERVER, S_LISTEN,      RCV (FIN, 0),      S_LISTEN,      RSTACK, C_IGN,     0 },
  { "/tcp2way/listen/rcv-rst",                 SERVER, S_LISTEN,      RCV (RST, 0),      S_LISTEN,      0,      C_IGN,     0 },
  { "/tcp2way/closed/server-rcv-syn",          SERVER, S_CLOSED,      RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/closed/server-rcv-ack",          SERVER, S_CLOSED,      RCV (ACK, 0),      S_CLOSED,      RST,    C_IGN,     0 },
  { "/tcp2way/established/rcv-syn",            SERVER, S_ESTABLISHED, RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/fin-wait-1/server-rcv-syn",      SERVER, S_FIN_WAIT_1,  RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/close-wait/server-rcv-syn",      SERVER, S_CLOSE_WAIT,  RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/last-ack/server-rcv-syn",        SERVER, S_LAST_ACK,    RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way/time-wait/server-rcv-syn",       SERVER, S_TIME_WAIT,   RCV (SYN, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  /* ---- ESTABLISHED ---- */
  { "/tcp2way/established/app-close",          CLIENT, S_ESTABLISHED, CLOSE,             S_FIN_WAIT_1,  FINACK, C_CLOSE,   0 },
  { "/tcp2way/established/server-app-close",   SERVER, S_ESTABLISHED, CLOSE,             S_FIN_WAIT_1,  FINACK, C_CLOSE,   0 },
  { "/tcp2way/established/rcv-fin",            CLIENT, S_ESTABLISHED, RCV (FINACK, 0),   S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  { "/tcp2way/established/server-rcv-fin",     SERVER, S_ESTABLISHED, RCV (FINACK, 0),   S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  { "/tcp2way/established/rcv-ack",            CLIENT, S_ESTABLISHED, RCV (ACK, 0),      S_ESTABLISHED, 0,      C_IGN,     0 },
  { "/tcp2way/established/rcv-rst",            CLIENT, S_ESTABLISHED, RCV (RST, 0),      S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/established/server-rcv-rst",     SERVER, S_ESTABLISHED, RCV (RST, 0),      S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/established/client-rcv-syn",     CLIENT, S_ESTABLISHED, RCV (SYN, 0),      S_ESTABLISHED, 0,      C_IGN,     0 },
  /* ---- FIN_WAIT_1: any ACK acks our FIN ---- */
  { "/tcp2way/fin-wait-1/rcv-ack",             CLIENT, S_FIN_WAIT_1,  RCV (ACK, 0),      S_FIN_WAIT_2,  0,      C_RCV,     0 },
  { "/tcp2way/fin-wait-1/rcv-fin",             CLIENT, S_FIN_WAIT_1,  RCV (FIN, 0),      S_CLOSING,     ACK,    C_RCV,     0 },
  { "/tcp2way/fin-wait-1/rcv-fin-ack",         CLIENT, S_FIN_WAIT_1,  RCV (FINACK, 0),   S_TIME_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp2way/fin-wait-1/rcv-rst",             CLIENT, S_FIN_WAIT_1,  RCV (RST, 0),      S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/fin-wait-1/timeout",             CLIENT, S_FIN_WAIT_1,  TIMEOUT,           S_FIN_WAIT_1,  FINACK, C_NONE,    0 },
  { "/tcp2way/fin-wait-1/timeout-retries-exhausted", CLIENT, S_FIN_WAIT_1, EXHAUST,      S_CLOSED,      FINACK, C_TIMEOUT, 0 },
  /* ---- FIN_WAIT_2 ---- */
  { "/tcp2way/fin-wait-2/rcv-fin",             CLIENT, S_FIN_WAIT_2,  RCV (FINACK, 0),   S_TIME_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp2way/fin-wait-2/rcv-ack",             CLIENT, S_FIN_WAIT_2,  RCV (ACK, 0),      S_FIN_WAIT_2,  0,      C_IGN,     0 },
  { "/tcp2way/fin-wait-2/timeout",             CLIENT, S_FIN_WAIT_2,  TIMEOUT,           S_CLOSED,      0,      C_FW2,     TCP_CFG_FIN_WAIT2 },
  /* ---- CLOSE_WAIT ---- */
  { "/tcp2way/close-wait/app-close",           CLIENT, S_CLOSE_WAIT,  CLOSE,             S_LAST_ACK,    FINACK, C_CLOSE,   0 },
  { "/tcp2way/close-wait/rcv-fin",             CLIENT, S_CLOSE_WAIT,  RCV (FINACK, 0),   S_CLOSE_WAIT,  ACK,    C_IGN,     0 },
  /* ---- CLOSING ---- */
  { "/tcp2way/closing/rcv-ack",                CLIENT, S_CLOSING,     RCV (ACK, 0),      S_TIME_WAIT,   0,      C_RCV,     0 },
  { "/tcp2way/closing/timeout",                CLIENT, S_CLOSING,     TIMEOUT,           S_CLOSING,     FINACK, C_NONE,    0 },
  /* ---- LAST_ACK ---- */
  { "/tcp2way/last-ack/rcv-ack",               CLIENT, S_LAST_ACK,    RCV (ACK, 0),      S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/last-ack/rcv-fin-ack",           CLIENT, S_LAST_ACK,    RCV (FINACK, 0),   S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way/last-ack/timeout",               CLIENT, S_LAST_ACK,    TIMEOUT,           S_LAST_ACK,    FINACK, C_NONE,    0 },
  { "/tcp2way/last-ack/timeout-retries-exhausted", CLIENT, S_LAST_ACK, EXHAUST,          S_CLOSED,      FINACK, C_TIMEOUT, 0 },
  /* ---- TIME_WAIT ---- */
  { "/tcp2way/time-wait/timeout",              CLIENT, S_TIME_WAIT,   TIMEOUT,           S_CLOSED,      0,      C_TW,      0 },
  { "/tcp2way/time-wait/rcv-fin",              CLIENT, S_TIME_WAIT,   RCV (FINACK, 0),   S_TIME_WAIT,   ACK,    C_IGN,     0 },
  { "/tcp2way/time-wait/rcv-rst",              CLIENT, S_TIME_WAIT,   RCV (RST, 0),      S_CLOSED,      0,      C_RCV,     0 },
};

static const SynackPluginDesc *
desc (void)
{
  return synack_plugin_protocol_tcp2way_describe ();
}

static void
test_transition (gconstpointer data)
{
  tcp_harness_check_row (desc (), data);
}

static TcpHarness *
loopback (void)
{
  SynackTcpConfig cfg;
  TcpHarness *h;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_set_loopback (h, 10 * SYNACK_MSECOND);
  return h;
}

/* Server ESTABLISHED entries reported for incarnation @conn. */
static guint
server_executions (const TcpHarness *h, SynackConnId conn)
{
  guint n = 0;

  for (guint i = 0; i < h->changes->len; i++) {
    const SynackStateChange *c = &g_array_index (h->changes, TcpHarnessChange, i).change;

    if (c->role == SYNACK_ROLE_SERVER && c->to == SYNACK_TCP_ESTABLISHED && c->conn == conn &&
        c->cause != SYNACK_CAUSE_IGNORED)
      n++;
  }
  return n;
}

/* The SYN carries the request; nothing is numbered. */
static void
test_fields (void)
{
  g_autoptr (TcpHarness) h = loopback ();
  const SynackSegment *syn, *ack;

  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 2);
  syn = &tcp_harness_tx (h, 0)->seg;
  ack = &tcp_harness_tx (h, 1)->seg;
  g_assert_cmphex (syn->flags, ==, SYNACK_FLAG_SYN);
  g_assert_cmpuint (syn->seq, ==, 0);
  g_assert_cmpuint (syn->len_bytes, ==, h->tcp.request_bytes);
  g_assert_cmpuint (syn->window, ==, h->tcp.window);
  g_assert_cmphex (ack->flags, ==, SYNACK_FLAG_ACK);
  g_assert_cmpuint (ack->seq, ==, 0);
  g_assert_cmpuint (ack->ack, ==, 0);
  g_assert_cmpuint (ack->conn, ==, 1);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (synack_sched_pending (h->sched), ==, 0);
}

/* A SYN of another incarnation relabels the server end and is reported
 * with the new label: the request is executed for it. */
static void
test_relabel (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *c;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_SERVER, SYNACK_TCP_ESTABLISHED, FALSE);
  h->conn = 5;
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 0, 0, cfg.request_bytes);
  c = tcp_harness_last_change (h);
  g_assert_cmpint (c->change.from, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (c->change.to, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (c->change.cause, ==, SYNACK_CAUSE_RCV);
  g_assert_cmpuint (c->change.conn, ==, 5);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->conn, ==, 5);
  g_assert_cmpuint (tcp_harness_last_tx (h)->conn, ==, 5);
}

/* The ACK is lost: the client retransmits its SYN and the server executes
 * the request a second time (the note: "operations get executed twice"). */
static void
test_duplicate_execution (void)
{
  g_autoptr (TcpHarness) h = loopback ();

  h->drop_from[SYNACK_ROLE_SERVER] = TRUE;
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, 500 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_SYN_SENT);
  h->drop_from[SYNACK_ROLE_SERVER] = FALSE;
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (server_executions (h, 1), ==, 2);
}

/* Every ACK is lost: the client gives up, the server stays ESTABLISHED:
 * a half-open connection, with the request executed once per SYN. */
static void
test_half_open (void)
{
  g_autoptr (TcpHarness) h = loopback ();
  const TcpHarnessChange *last_client = NULL;

  h->drop_from[SYNACK_ROLE_SERVER] = TRUE;
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  for (guint i = 0; i < h->changes->len; i++) {
    const TcpHarnessChange *c = &g_array_index (h->changes, TcpHarnessChange, i);

    if (c->change.role == SYNACK_ROLE_CLIENT)
      last_client = c;
  }
  g_assert_cmpint (last_client->change.cause, ==, SYNACK_CAUSE_TIMEOUT);
  /* 1 SYN + syn_retries retransmissions, each executed */
  g_assert_cmpuint (server_executions (h, 1), ==, 1 + h->tcp.syn_retries);
}

/* After a complete connection, an old duplicate SYN re-opens the server's
 * end: ESTABLISHED with no client (a ghost), answered with an ACK the
 * client port rejects with a RST, which is what finally closes it. */
static void
test_ghost (void)
{
  g_autoptr (TcpHarness) h = loopback ();

  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND);
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, SYNACK_SECOND + 15 * SYNACK_MSECOND);
  tcp_harness_close (h, SYNACK_ROLE_SERVER);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpuint (server_executions (h, 1), ==, 1);

  tcp_harness_mark (h);
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 0, 0, h->tcp.request_bytes);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (server_executions (h, 1), ==, 2);
  tcp_harness_run_all (h);
  g_assert_cmphex (tcp_harness_tx (h, 1)->seg.flags, ==, SYNACK_FLAG_RST);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSED);
}

/* An ACK still in flight from incarnation 1 establishes incarnation 2's
 * client, whose SYN the server never received. */
static void
test_stale_ack_establishes (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  h->conn = 2;
  g_assert_true (tcp_harness_connect (h));
  h->conn = 1;
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_ACK, 0, 0, 0);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_LISTEN);
  g_assert_cmpuint (tcp_harness_last_change (h)->change.conn, ==, 2);
  g_assert_cmpuint (tcp_harness_last_change (h)->seg.conn, ==, 1);
}

/* The same backoff as tcp3way: linux SYNs at 0, 1, 2, 3, 4, 5, 7, ... */
static void
test_backoff_linux (void)
{
  static const double want[] = { 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 };
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  tcp_harness_config ("linux", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_all (h);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
    g_assert_cmpint (tcp_harness_tx (h, i)->time_ns, ==, (SynackTime) (want[i] * SYNACK_SECOND));
    g_assert_cmpuint (tcp_harness_tx (h, i)->seg.len_bytes, ==, cfg.request_bytes);
  }
  g_assert_cmpint (tcp_harness_last_change (h)->time_ns, ==, 131 * SYNACK_SECOND);
}

/* The descriptor passes the registry's checks (one registration path). */
static void
test_register (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_registry_add (reg, desc (), "built-in", &error));
  g_assert_no_error (error);
  g_assert_true (synack_registry_lookup (reg, SYNACK_PLUGIN_PROTOCOL, "tcp2way") == desc ());
  synack_registry_free (reg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_test_add_data_func (rows[i].path, &rows[i], test_transition);

  g_test_add_func ("/tcp2way/fields/syn-carries-request", test_fields);
  g_test_add_func ("/tcp2way/report/relabel", test_relabel);
  g_test_add_func ("/tcp2way/loopback/duplicate-execution", test_duplicate_execution);
  g_test_add_func ("/tcp2way/loopback/half-open", test_half_open);
  g_test_add_func ("/tcp2way/loopback/ghost", test_ghost);
  g_test_add_func ("/tcp2way/stale-ack-establishes", test_stale_ack_establishes);
  g_test_add_func ("/tcp2way/backoff/syn-linux", test_backoff_linux);
  g_test_add_func ("/tcp2way/plugin/register", test_register);
  return g_test_run ();
}
