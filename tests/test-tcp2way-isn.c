/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-tcp2way-isn.c - the tcp2way-isn protocol model (the
 * textbook numbered 2-way handshake: Kurose and Ross §3.5.6's
 * req_conn(x) / acc_conn(x), Tanenbaum §6.2.2's delayed duplicates).
 *
 * Covers: one table row per tcp2way-isn transition and per bad input, on
 * the end that makes it, with the test playing the peer: the client's
 * open and SYN(x) retransmission, its check of the ACK's number, the
 * server's execution of a SYN(x) it does not hold, its re-ACK without
 * execution of a SYN(x) it holds, the numbered 4-way close (stale FINs,
 * ACKs and RSTs rejected, where tcp2way accepts them), RSTs.  Then whole
 * runs over a loopback link: a retransmitted SYN(x) executed once; an old
 * SYN(x) after the server closed executed again (a ghost), which the
 * client port's RST then closes; an old SYN(x) replacing a newer
 * connection on its 4-tuple; and the segment fields. */
#include "tcp-harness.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_protocol_tcp2way_isn_describe (void);

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
#define RCV(flags, seq, ack, len) TCP_IN_RCV, flags, TCP_SEQ_##seq, TCP_ACK_##ack, len

static const TcpRow rows[] = {
  /* path                                      side    from           input                          to             tx      cause      cfg */
  /* ---- client: open, and the check of the ACK's number ---- */
  { "/tcp2way-isn/closed/app-open",            CLIENT, S_CLOSED,      OPEN,                          S_SYN_SENT,    SYN,    C_OPEN,    0 },
  { "/tcp2way-isn/closed/rcv-ack",             CLIENT, S_CLOSED,      RCV (ACK, NXT, NXT, 0),        S_CLOSED,      RST,    C_IGN,     0 },
  { "/tcp2way-isn/closed/rcv-rst",             CLIENT, S_CLOSED,      RCV (RST, NXT, ZERO, 0),       S_CLOSED,      0,      C_IGN,     0 },
  { "/tcp2way-isn/syn-sent/rcv-ack",           CLIENT, S_SYN_SENT,    RCV (ACK, PEER, NXT, 0),       S_ESTABLISHED, 0,      C_RCV,     0 },
  { "/tcp2way-isn/syn-sent/rcv-fin-ack",       CLIENT, S_SYN_SENT,    RCV (FINACK, PEER, NXT, 0),    S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  /* the request is in sequence space: ACK(x+1) acks the SYN, not it */
  { "/tcp2way-isn/syn-sent/rcv-ack-syn-only",  CLIENT, S_SYN_SENT,    RCV (ACK, PEER, ISS1, 0),      S_SYN_SENT,    RST,    C_IGN,     0 },
  /* another incarnation's ACK: what tcp2way takes for its own */
  { "/tcp2way-isn/syn-sent/rcv-ack-other-x",   CLIENT, S_SYN_SENT,    RCV (ACK, PEER, FUTURE, 0),    S_SYN_SENT,    RST,    C_IGN,     0 },
  { "/tcp2way-isn/syn-sent/rcv-rst-ack",       CLIENT, S_SYN_SENT,    RCV (RSTACK, NXT, NXT, 0),    S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way-isn/syn-sent/rcv-rst-ack-other-x", CLIENT, S_SYN_SENT,  RCV (RSTACK, NXT, FUTURE, 0), S_SYN_SENT,    0,      C_IGN,     0 },
  { "/tcp2way-isn/syn-sent/rcv-rst",           CLIENT, S_SYN_SENT,    RCV (RST, NXT, ZERO, 0),      S_SYN_SENT,    0,      C_IGN,     0 },
  { "/tcp2way-isn/syn-sent/rcv-no-ack",        CLIENT, S_SYN_SENT,    RCV (FIN, PEER, ZERO, 0),      S_SYN_SENT,    0,      C_IGN,     0 },
  { "/tcp2way-isn/syn-sent/timeout",           CLIENT, S_SYN_SENT,    TIMEOUT,                       S_SYN_SENT,    SYN,    C_NONE,    0 },
  { "/tcp2way-isn/syn-sent/timeout-retries-exhausted", CLIENT, S_SYN_SENT, EXHAUST,                  S_CLOSED,      SYN,    C_TIMEOUT, 0 },
  { "/tcp2way-isn/syn-sent/app-close",         CLIENT, S_SYN_SENT,    CLOSE,                         S_CLOSED,      0,      C_CLOSE,   0 },
  /* ---- server: a SYN(x) it does not hold is executed ---- */
  { "/tcp2way-isn/listen/rcv-syn",             SERVER, S_LISTEN,      RCV (SYN, PEER, ZERO, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way-isn/listen/rcv-ack",             SERVER, S_LISTEN,      RCV (ACK, PEER, FUTURE, 0),    S_LISTEN,      RST,    C_IGN,     0 },
  { "/tcp2way-isn/listen/rcv-fin",             SERVER, S_LISTEN,      RCV (FIN, PEER, ZERO, 0),      S_LISTEN,      0,      C_IGN,     0 },
  { "/tcp2way-isn/listen/rcv-rst",             SERVER, S_LISTEN,      RCV (RST, PEER, ZERO, 0),      S_LISTEN,      0,      C_IGN,     0 },
  { "/tcp2way-isn/closed/server-rcv-syn",      SERVER, S_CLOSED,      RCV (SYN, PEER, ZERO, 100),    S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way-isn/closed/server-rcv-ack",      SERVER, S_CLOSED,      RCV (ACK, PEER, FUTURE, 0),    S_CLOSED,      RST,    C_IGN,     0 },
  /* ---- server: a SYN(x) it holds is re-ACKed, not executed ---- */
  { "/tcp2way-isn/established/rcv-syn-same-x", SERVER, S_ESTABLISHED, RCV (SYN, PEER, ZERO, 100),    S_ESTABLISHED, ACK,    C_IGN,     0 },
  { "/tcp2way-isn/fin-wait-1/rcv-syn-same-x",  SERVER, S_FIN_WAIT_1,  RCV (SYN, PEER, ZERO, 100),    S_FIN_WAIT_1,  ACK,    C_IGN,     0 },
  { "/tcp2way-isn/last-ack/rcv-syn-same-x",    SERVER, S_LAST_ACK,    RCV (SYN, PEER, ZERO, 100),    S_LAST_ACK,    ACK,    C_IGN,     0 },
  { "/tcp2way-isn/time-wait/rcv-syn-same-x",   SERVER, S_TIME_WAIT,   RCV (SYN, PEER, ZERO, 100),    S_TIME_WAIT,   ACK,    C_IGN,     0 },
  /* ... and one with another x opens a new connection in its place */
  { "/tcp2way-isn/established/rcv-syn-other-x", SERVER, S_ESTABLISHED, RCV (SYN, NEWER, ZERO, 100),  S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way-isn/last-ack/rcv-syn-other-x",   SERVER, S_LAST_ACK,    RCV (SYN, NEWER, ZERO, 100),   S_ESTABLISHED, ACK,    C_RCV,     0 },
  { "/tcp2way-isn/time-wait/rcv-syn-other-x",  SERVER, S_TIME_WAIT,   RCV (SYN, NEWER, ZERO, 100),   S_ESTABLISHED, ACK,    C_RCV,     0 },
  /* ---- ESTABLISHED: numbered and checked ---- */
  { "/tcp2way-isn/established/app-close",      CLIENT, S_ESTABLISHED, CLOSE,                         S_FIN_WAIT_1,  FINACK, C_CLOSE,   0 },
  { "/tcp2way-isn/established/server-app-close", SERVER, S_ESTABLISHED, CLOSE,                       S_FIN_WAIT_1,  FINACK, C_CLOSE,   0 },
  { "/tcp2way-isn/established/rcv-fin",        CLIENT, S_ESTABLISHED, RCV (FINACK, NXT, NXT, 0),     S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  { "/tcp2way-isn/established/server-rcv-fin", SERVER, S_ESTABLISHED, RCV (FINACK, NXT, NXT, 0),     S_CLOSE_WAIT,  ACK,    C_RCV,     0 },
  { "/tcp2way-isn/established/rcv-fin-bad-seq", CLIENT, S_ESTABLISHED, RCV (FINACK, INWIN, NXT, 0),  S_ESTABLISHED, ACK,    C_IGN,     0 },
  { "/tcp2way-isn/established/server-rcv-fin-old", SERVER, S_ESTABLISHED, RCV (FINACK, OLD, NXT, 0), S_ESTABLISHED, ACK,    C_IGN,     0 },
  { "/tcp2way-isn/established/rcv-fin-ack-future", CLIENT, S_ESTABLISHED, RCV (FINACK, NXT, FUTURE, 0), S_ESTABLISHED, ACK, C_IGN,     0 },
  { "/tcp2way-isn/established/rcv-ack",        CLIENT, S_ESTABLISHED, RCV (ACK, NXT, NXT, 0),        S_ESTABLISHED, 0,      C_IGN,     0 },
  /* a bare ACK that fails the check is dropped, not answered */
  { "/tcp2way-isn/established/rcv-ack-bad-seq", CLIENT, S_ESTABLISHED, RCV (ACK, INWIN, NXT, 0),     S_ESTABLISHED, 0,      C_IGN,     0 },
  { "/tcp2way-isn/established/rcv-ack-future", CLIENT, S_ESTABLISHED, RCV (ACK, NXT, FUTURE, 0),     S_ESTABLISHED, 0,      C_IGN,     0 },
  { "/tcp2way-isn/established/rcv-rst",        CLIENT, S_ESTABLISHED, RCV (RST, NXT, ZERO, 0),       S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way-isn/established/rcv-rst-bad-seq", CLIENT, S_ESTABLISHED, RCV (RST, INWIN, ZERO, 0),    S_ESTABLISHED, 0,      C_IGN,     0 },
  { "/tcp2way-isn/established/server-rcv-rst", SERVER, S_ESTABLISHED, RCV (RST, NXT, ZERO, 0),       S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way-isn/established/server-rcv-rst-bad-seq", SERVER, S_ESTABLISHED, RCV (RST, OLD, ZERO, 0), S_ESTABLISHED, 0,    C_IGN,     0 },
  { "/tcp2way-isn/established/client-rcv-syn", CLIENT, S_ESTABLISHED, RCV (SYN, NXT, ZERO, 0),       S_ESTABLISHED, ACK,    C_IGN,     0 },
  /* ---- FIN_WAIT_1 ---- */
  { "/tcp2way-isn/fin-wait-1/rcv-ack",         CLIENT, S_FIN_WAIT_1,  RCV (ACK, NXT, NXT, 0),        S_FIN_WAIT_2,  0,      C_RCV,     0 },
  { "/tcp2way-isn/fin-wait-1/rcv-ack-una",     CLIENT, S_FIN_WAIT_1,  RCV (ACK, NXT, UNA, 0),        S_FIN_WAIT_1,  0,      C_IGN,     0 },
  /* a stale ACK does not acknowledge the FIN (tcp2way: it does) */
  { "/tcp2way-isn/fin-wait-1/rcv-ack-bad-seq", CLIENT, S_FIN_WAIT_1,  RCV (ACK, INWIN, NXT, 0),      S_FIN_WAIT_1,  0,      C_IGN,     0 },
  { "/tcp2way-isn/fin-wait-1/rcv-fin",         CLIENT, S_FIN_WAIT_1,  RCV (FINACK, NXT, UNA, 0),     S_CLOSING,     ACK,    C_RCV,     0 },
  { "/tcp2way-isn/fin-wait-1/rcv-fin-ack",     CLIENT, S_FIN_WAIT_1,  RCV (FINACK, NXT, NXT, 0),     S_TIME_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp2way-isn/fin-wait-1/rcv-rst",         CLIENT, S_FIN_WAIT_1,  RCV (RST, NXT, ZERO, 0),       S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way-isn/fin-wait-1/timeout",         CLIENT, S_FIN_WAIT_1,  TIMEOUT,                       S_FIN_WAIT_1,  FINACK, C_NONE,    0 },
  { "/tcp2way-isn/fin-wait-1/timeout-retries-exhausted", CLIENT, S_FIN_WAIT_1, EXHAUST,              S_CLOSED,      FINACK, C_TIMEOUT, 0 },
  /* ---- FIN_WAIT_2 ---- */
  { "/tcp2way-isn/fin-wait-2/rcv-fin",         CLIENT, S_FIN_WAIT_2,  RCV (FINACK, NXT, NXT, 0),     S_TIME_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp2way-isn/fin-wait-2/rcv-fin-bad-seq", CLIENT, S_FIN_WAIT_2,  RCV (FINACK, INWIN, NXT, 0),   S_FIN_WAIT_2,  ACK,    C_IGN,     0 },
  { "/tcp2way-isn/fin-wait-2/timeout",         CLIENT, S_FIN_WAIT_2,  TIMEOUT,                       S_CLOSED,      0,      C_FW2,     TCP_CFG_FIN_WAIT2 },
  /* ---- CLOSE_WAIT ---- */
  { "/tcp2way-isn/close-wait/app-close",       CLIENT, S_CLOSE_WAIT,  CLOSE,                         S_LAST_ACK,    FINACK, C_CLOSE,   0 },
  { "/tcp2way-isn/close-wait/rcv-fin-again",   CLIENT, S_CLOSE_WAIT,  RCV (FINACK, OLD, NXT, 0),     S_CLOSE_WAIT,  ACK,    C_IGN,     0 },
  /* ---- CLOSING ---- */
  { "/tcp2way-isn/closing/rcv-ack",            CLIENT, S_CLOSING,     RCV (ACK, NXT, NXT, 0),        S_TIME_WAIT,   0,      C_RCV,     0 },
  { "/tcp2way-isn/closing/timeout",            CLIENT, S_CLOSING,     TIMEOUT,                       S_CLOSING,     FINACK, C_NONE,    0 },
  /* ---- LAST_ACK ---- */
  { "/tcp2way-isn/last-ack/rcv-ack",           CLIENT, S_LAST_ACK,    RCV (ACK, NXT, NXT, 0),        S_CLOSED,      0,      C_RCV,     0 },
  { "/tcp2way-isn/last-ack/rcv-ack-bad-seq",   CLIENT, S_LAST_ACK,    RCV (ACK, INWIN, NXT, 0),      S_LAST_ACK,    0,      C_IGN,     0 },
  { "/tcp2way-isn/last-ack/rcv-ack-una",       CLIENT, S_LAST_ACK,    RCV (ACK, NXT, UNA, 0),        S_LAST_ACK,    0,      C_IGN,     0 },
  { "/tcp2way-isn/last-ack/timeout",           CLIENT, S_LAST_ACK,    TIMEOUT,                       S_LAST_ACK,    FINACK, C_NONE,    0 },
  { "/tcp2way-isn/last-ack/timeout-retries-exhausted", CLIENT, S_LAST_ACK, EXHAUST,                  S_CLOSED,      FINACK, C_TIMEOUT, 0 },
  /* ---- TIME_WAIT ---- */
  { "/tcp2way-isn/time-wait/timeout",          CLIENT, S_TIME_WAIT,   TIMEOUT,                       S_CLOSED,      0,      C_TW,      0 },
  { "/tcp2way-isn/time-wait/rcv-fin-again",    CLIENT, S_TIME_WAIT,   RCV (FINACK, OLD, NXT, 0),     S_TIME_WAIT,   ACK,    C_IGN,     0 },
  { "/tcp2way-isn/time-wait/rcv-rst",          CLIENT, S_TIME_WAIT,   RCV (RST, NXT, ZERO, 0),       S_CLOSED,      0,      C_RCV,     0 },
};

static const SynackPluginDesc *
desc (void)
{
  return synack_plugin_protocol_tcp2way_isn_describe ();
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

/* Server ESTABLISHED entries (executions) reported for incarnation @conn. */
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

/* SYN(x) carries the request; the ACK acknowledges x+1+L. */
static void
test_fields (void)
{
  g_autoptr (TcpHarness) h = loopback ();
  const SynackSegment *syn, *ack;
  guint32 x;

  g_assert_true (tcp_harness_connect (h));
  x = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss;
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 2);
  syn = &tcp_harness_tx (h, 0)->seg;
  ack = &tcp_harness_tx (h, 1)->seg;
  g_assert_cmphex (syn->flags, ==, SYNACK_FLAG_SYN);
  g_assert_cmpuint (syn->seq, ==, x);
  g_assert_cmpuint (syn->len_bytes, ==, h->tcp.request_bytes);
  g_assert_cmphex (ack->flags, ==, SYNACK_FLAG_ACK);
  g_assert_cmpuint (ack->ack, ==, x + 1 + h->tcp.request_bytes);
  g_assert_cmpuint (ack->seq, ==, tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->iss);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (synack_sched_pending (h->sched), ==, 0);
}

/* The ACK is lost: the client retransmits SYN(x), the server recognises x
 * and re-ACKs without executing again (tcp2way executes it twice:
 * /tcp2way/loopback/duplicate-execution). */
static void
test_retransmitted_syn_once (void)
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
  g_assert_cmpuint (server_executions (h, 1), ==, 1);
  /* SYN, ACK (lost), SYN again, its ACK */
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 4);
  g_assert_cmpuint (tcp_harness_tx (h, 2)->seg.seq, ==, tcp_harness_tx (h, 0)->seg.seq);
}

/* After a complete connection (the server's side closed, x forgotten),
 * an old duplicate SYN(x) is executed again: a ghost.  Its ACK reaches
 * the closed client port, whose RST (SEQ = x+1+L) closes it. */
static void
test_ghost (void)
{
  g_autoptr (TcpHarness) h = loopback ();
  SynackSegment old_syn;

  g_assert_true (tcp_harness_connect (h));
  old_syn = tcp_harness_tx (h, 0)->seg;
  tcp_harness_run_until (h, SYNACK_SECOND);
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, SYNACK_SECOND + 15 * SYNACK_MSECOND);
  tcp_harness_close (h, SYNACK_ROLE_SERVER);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpuint (server_executions (h, 1), ==, 1);

  tcp_harness_mark (h);
  tcp_harness_deliver (h, &old_syn);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (server_executions (h, 1), ==, 2);
  tcp_harness_run_all (h);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 2);
  g_assert_cmphex (tcp_harness_tx (h, 1)->seg.flags, ==, SYNACK_FLAG_RST);
  g_assert_cmpuint (tcp_harness_tx (h, 1)->seg.seq, ==, old_syn.seq + 1 + old_syn.len_bytes);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSED);
}

/* An old SYN(x) reaching the server while it holds a newer x' on the
 * same 4-tuple: it does not hold (4-tuple, x), so it deletes x' and
 * executes x again. */
static void
test_old_syn_replaces (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *c;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  h->conn = 2;
  tcp_harness_bring_to (h, SYNACK_ROLE_SERVER, SYNACK_TCP_ESTABLISHED, FALSE);
  h->conn = 1;
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, TCP_HARNESS_PEER_ISS - 5000, 0,
                      cfg.request_bytes);
  g_assert_cmpuint (tcp_harness_n_changes (h), ==, 2);
  c = tcp_harness_change (h, 0);
  g_assert_cmpuint (c->change.conn, ==, 2);
  g_assert_cmpint (c->change.to, ==, SYNACK_TCP_CLOSED);
  c = tcp_harness_change (h, 1);
  g_assert_cmpuint (c->change.conn, ==, 1);
  g_assert_cmpint (c->change.from, ==, SYNACK_TCP_LISTEN);
  g_assert_cmpint (c->change.to, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->irs, ==,
                    TCP_HARNESS_PEER_ISS - 5000);
}

/* The descriptor passes the registry's checks (one registration path). */
static void
test_register (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_registry_add (reg, desc (), "built-in", &error));
  g_assert_no_error (error);
  g_assert_true (synack_registry_lookup (reg, SYNACK_PLUGIN_PROTOCOL, "tcp2way-isn") == desc ());
  synack_registry_free (reg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_test_add_data_func (rows[i].path, &rows[i], test_transition);

  g_test_add_func ("/tcp2way-isn/fields/syn-carries-request", test_fields);
  g_test_add_func ("/tcp2way-isn/loopback/retransmitted-syn-executed-once",
                   test_retransmitted_syn_once);
  g_test_add_func ("/tcp2way-isn/loopback/ghost", test_ghost);
  g_test_add_func ("/tcp2way-isn/old-syn-replaces-newer", test_old_syn_replaces);
  g_test_add_func ("/tcp2way-isn/plugin/register", test_register);
  return g_test_run ();
}
