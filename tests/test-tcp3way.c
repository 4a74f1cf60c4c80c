/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-tcp3way.c - the tcp3way protocol model against RFC 9293.
 *
 * Covers: one table row per RFC 9293 transition and per bad input of
 * §3.10.7 (event processing), on the end that makes it, with the test
 * playing the peer: from state, side, input (app open, app close, timeout,
 * or a received segment named by its flags and by whether its SEQ and ACK
 * are acceptable) -> expected state, flags of the segment the end sends in
 * response (or none), cause of the last change reported.  Then what rows
 * cannot show: the SYN and SYN,ACK retransmission schedules of the rfc9293
 * and linux profiles, the RTO from the handshake's RTT sample and RFC 6298
 * 5.7's fallback, the exact fields of the SYN,ACK, the request and the
 * RSTs, TIME_WAIT restarts and time_wait 0, ISNs, ignored inputs reported
 * with cause IGNORED, the workload helpers, and whole connections with both
 * ends running over a loopback link (old duplicate SYN rejected, lost final
 * ACK repaired). */
#include "tcp-harness.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_protocol_tcp3way_describe (void);

#define CLIENT SYNACK_ROLE_CLIENT
#define SERVER SYNACK_ROLE_SERVER

#define S_CLOSED       SYNACK_TCP_CLOSED
#define S_LISTEN       SYNACK_TCP_LISTEN
#define S_SYN_SENT     SYNACK_TCP_SYN_SENT
#define S_SYN_RECEIVED SYNACK_TCP_SYN_RECEIVED
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
#define SYNACK  (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)
#define FINACK  (SYNACK_FLAG_FIN | SYNACK_FLAG_ACK)
#define RSTACK  (SYNACK_FLAG_RST | SYNACK_FLAG_ACK)

#define C_RCV     SYNACK_CAUSE_RCV
#define C_IGN     SYNACK_CAUSE_IGNORED
#define C_OPEN    SYNACK_CAUSE_APP_OPEN
#define C_CLOSE   SYNACK_CAUSE_APP_CLOSE
#define C_TIMEOUT SYNACK_CAUSE_TIMEOUT
#define C_TW      SYNACK_CAUSE_TIME_WAIT
#define C_FW2     SYNACK_CAUSE_FIN_WAIT_2
#define C_BACKLOG SYNACK_CAUSE_BACKLOG
#define C_NONE    TCP_NO_CAUSE

#define OPEN      TCP_IN_APP_OPEN, 0, 0, 0, 0
#define CLOSE     TCP_IN_APP_CLOSE, 0, 0, 0, 0
#define TIMEOUT   TCP_IN_TIMEOUT, 0, 0, 0, 0
#define EXHAUST   TCP_IN_TIMEOUT_ALL, 0, 0, 0, 0
#define RCV(flags, seq, ack, len) TCP_IN_RCV, flags, TCP_SEQ_##seq, TCP_ACK_##ack, len

static const TcpRow rows[] = {
  /* path                                         side    from            input                          to              tx      cause      cfg */
  /* ---- CLOSED (client port with no connection), RFC 9293 §3.10.7.1 ---- */
  { "/tcp3way/closed/app-open",                   CLIENT, S_CLOSED,       OPEN,                          S_SYN_SENT,     SYN,    C_OPEN,    0 },
  { "/tcp3way/closed/rcv-ack",                    CLIENT, S_CLOSED,       RCV (ACK, NXT, FUTURE, 0),     S_CLOSED,       RST,    C_IGN,     0 },
  { "/tcp3way/closed/rcv-syn-ack",                CLIENT, S_CLOSED,       RCV (SYNACK, PEER, FUTURE, 0), S_CLOSED,       RST,    C_IGN,     0 },
  { "/tcp3way/closed/rcv-syn",                    CLIENT, S_CLOSED,       RCV (SYN, PEER, ZERO, 0),      S_CLOSED,       RSTACK, C_IGN,     0 },
  { "/tcp3way/closed/rcv-rst",                    CLIENT, S_CLOSED,       RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_IGN,     0 },
  { "/tcp3way/closed/rcv-rst-ack",                CLIENT, S_CLOSED,       RCV (RSTACK, NXT, FUTURE, 0),  S_CLOSED,       0,      C_IGN,     0 },
  { "/tcp3way/closed/app-close",                  CLIENT, S_CLOSED,       CLOSE,                         S_CLOSED,       0,      C_NONE,    0 },
  /* a server slot whose connection ended is the listener's again */
  { "/tcp3way/closed/server-rcv-syn",             SERVER, S_CLOSED,       RCV (SYN, NEWER, ZERO, 0),     S_SYN_RECEIVED, SYNACK, C_RCV,     0 },
  { "/tcp3way/closed/server-rcv-ack",             SERVER, S_CLOSED,       RCV (ACK, NXT, NXT, 0),        S_CLOSED,       RST,    C_IGN,     0 },
  /* ---- LISTEN, §3.10.7.2 ---- */
  { "/tcp3way/listen/rcv-syn",                    SERVER, S_LISTEN,       RCV (SYN, PEER, ZERO, 0),      S_SYN_RECEIVED, SYNACK, C_RCV,     0 },
  { "/tcp3way/listen/rcv-syn-backlog-full",       SERVER, S_LISTEN,       RCV (SYN, PEER, ZERO, 0),      S_LISTEN,       0,      C_BACKLOG, TCP_CFG_BACKLOG_1 },
  { "/tcp3way/listen/rcv-ack",                    SERVER, S_LISTEN,       RCV (ACK, PEER, FUTURE, 0),    S_LISTEN,       RST,    C_IGN,     0 },
  { "/tcp3way/listen/rcv-syn-ack",                SERVER, S_LISTEN,       RCV (SYNACK, PEER, FUTURE, 0), S_LISTEN,       RST,    C_IGN,     0 },
  { "/tcp3way/listen/rcv-rst",                    SERVER, S_LISTEN,       RCV (RST, PEER, ZERO, 0),      S_LISTEN,       0,      C_IGN,     0 },
  { "/tcp3way/listen/rcv-fin",                    SERVER, S_LISTEN,       RCV (FIN, PEER, ZERO, 0),      S_LISTEN,       0,      C_IGN,     0 },
  { "/tcp3way/listen/app-close",                  SERVER, S_LISTEN,       CLOSE,                         S_LISTEN,       0,      C_NONE,    0 },
  /* ---- SYN_SENT, §3.10.7.3 ---- */
  { "/tcp3way/syn-sent/rcv-syn-ack",              CLIENT, S_SYN_SENT,     RCV (SYNACK, PEER, NXT, 0),    S_ESTABLISHED,  ACK,    C_RCV,     0 },
  { "/tcp3way/syn-sent/rcv-syn-ack-ack-iss",      CLIENT, S_SYN_SENT,     RCV (SYNACK, PEER, ISS, 0),    S_SYN_SENT,     RST,    C_IGN,     0 },
  { "/tcp3way/syn-sent/rcv-syn-ack-ack-future",   CLIENT, S_SYN_SENT,     RCV (SYNACK, PEER, FUTURE, 0), S_SYN_SENT,     RST,    C_IGN,     0 },
  { "/tcp3way/syn-sent/rcv-syn",                  CLIENT, S_SYN_SENT,     RCV (SYN, PEER, ZERO, 0),      S_SYN_RECEIVED, SYNACK, C_RCV,     0 },
  { "/tcp3way/syn-sent/rcv-rst-ack",              CLIENT, S_SYN_SENT,     RCV (RSTACK, NXT, NXT, 0),    S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/syn-sent/rcv-rst-ack-bad-ack",      CLIENT, S_SYN_SENT,     RCV (RSTACK, NXT, ISS, 0),    S_SYN_SENT,     0,      C_IGN,     0 },
  { "/tcp3way/syn-sent/rcv-rst",                  CLIENT, S_SYN_SENT,     RCV (RST, PEER, ZERO, 0),      S_SYN_SENT,     0,      C_IGN,     0 },
  { "/tcp3way/syn-sent/rcv-ack",                  CLIENT, S_SYN_SENT,     RCV (ACK, PEER, NXT, 0),       S_SYN_SENT,     0,      C_IGN,     0 },
  { "/tcp3way/syn-sent/timeout",                  CLIENT, S_SYN_SENT,     TIMEOUT,                       S_SYN_SENT,     SYN,    C_NONE,    0 },
  { "/tcp3way/syn-sent/timeout-retries-exhausted",CLIENT, S_SYN_SENT,     EXHAUST,                       S_CLOSED,       SYN,    C_TIMEOUT, 0 },
  { "/tcp3way/syn-sent/app-close",                CLIENT, S_SYN_SENT,     CLOSE,                         S_CLOSED,       0,      C_CLOSE,   0 },
  { "/tcp3way/syn-sent/app-open",                 CLIENT, S_SYN_SENT,     OPEN,                          S_SYN_SENT,     0,      C_NONE,    0 },
  /* ---- SYN_RECEIVED, §3.10.7.4 (server: passive open) ---- */
  { "/tcp3way/syn-received/rcv-ack",              SERVER, S_SYN_RECEIVED, RCV (ACK, NXT, NXT, 0),        S_ESTABLISHED,  0,      C_RCV,     0 },
  { "/tcp3way/syn-received/rcv-ack-request",      SERVER, S_SYN_RECEIVED, RCV (ACK, NXT, NXT, 100),      S_ESTABLISHED,  ACK,    C_RCV,     0 },
  { "/tcp3way/syn-received/rcv-ack-unacceptable", SERVER, S_SYN_RECEIVED, RCV (ACK, NXT, UNA, 0),        S_SYN_RECEIVED, RST,    C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-ack-future",       SERVER, S_SYN_RECEIVED, RCV (ACK, NXT, FUTURE, 0),     S_SYN_RECEIVED, RST,    C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-ack-out-of-window",SERVER, S_SYN_RECEIVED, RCV (ACK, OUTWIN, NXT, 0),     S_SYN_RECEIVED, ACK,    C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-rst",              SERVER, S_SYN_RECEIVED, RCV (RST, NXT, ZERO, 0),       S_LISTEN,       0,      C_RCV,     0 },
  { "/tcp3way/syn-received/rcv-rst-in-window",    SERVER, S_SYN_RECEIVED, RCV (RST, INWIN, ZERO, 0),     S_SYN_RECEIVED, ACK,    C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-rst-out-of-window",SERVER, S_SYN_RECEIVED, RCV (RST, OUTWIN, ZERO, 0),    S_SYN_RECEIVED, 0,      C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-dup-syn",          SERVER, S_SYN_RECEIVED, RCV (SYN, OLD, ZERO, 0),       S_SYN_RECEIVED, ACK,    C_IGN,     0 },
  { "/tcp3way/syn-received/rcv-dup-syn-linux",    SERVER, S_SYN_RECEIVED, RCV (SYN, OLD, ZERO, 0),       S_SYN_RECEIVED, SYNACK, C_IGN,     TCP_CFG_DUP_SYNACK },
  { "/tcp3way/syn-received/rcv-syn-in-window",    SERVER, S_SYN_RECEIVED, RCV (SYN, INWIN, ZERO, 0),     S_LISTEN,       0,      C_RCV,     0 },
  { "/tcp3way/syn-received/timeout",              SERVER, S_SYN_RECEIVED, TIMEOUT,                       S_SYN_RECEIVED, SYNACK, C_NONE,    0 },
  { "/tcp3way/syn-received/timeout-retries-exhausted", SERVER, S_SYN_RECEIVED, EXHAUST,                  S_CLOSED,       SYNACK, C_TIMEOUT, 0 },
  { "/tcp3way/syn-received/app-close",            SERVER, S_SYN_RECEIVED, CLOSE,                         S_FIN_WAIT_1,   FINACK, C_CLOSE,   0 },
  /* SYN_RECEIVED of an active open (simultaneous open) */
  { "/tcp3way/syn-received/active-rcv-ack",       CLIENT, S_SYN_RECEIVED, RCV (ACK, NXT, NXT, 0),        S_ESTABLISHED,  ACK,    C_RCV,     0 },
  { "/tcp3way/syn-received/active-rcv-rst",       CLIENT, S_SYN_RECEIVED, RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/syn-received/active-rcv-syn",       CLIENT, S_SYN_RECEIVED, RCV (SYN, INWIN, ZERO, 0),     S_SYN_RECEIVED, ACK,    C_IGN,     0 },
  { "/tcp3way/syn-received/active-timeout",       CLIENT, S_SYN_RECEIVED, TIMEOUT,                       S_SYN_RECEIVED, SYNACK, C_NONE,    0 },
  /* ---- ESTABLISHED ---- */
  { "/tcp3way/established/app-close",             CLIENT, S_ESTABLISHED,  CLOSE,                         S_FIN_WAIT_1,   FINACK, C_CLOSE,   0 },
  { "/tcp3way/established/server-app-close",      SERVER, S_ESTABLISHED,  CLOSE,                         S_FIN_WAIT_1,   FINACK, C_CLOSE,   0 },
  { "/tcp3way/established/rcv-fin",               CLIENT, S_ESTABLISHED,  RCV (FINACK, NXT, NXT, 0),     S_CLOSE_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp3way/established/server-rcv-fin",        SERVER, S_ESTABLISHED,  RCV (FINACK, NXT, NXT, 0),     S_CLOSE_WAIT,   ACK,    C_RCV,     0 },
  { "/tcp3way/established/rcv-fin-out-of-order",  CLIENT, S_ESTABLISHED,  RCV (FINACK, INWIN, NXT, 0),   S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-rst",               CLIENT, S_ESTABLISHED,  RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/established/rcv-rst-in-window",     CLIENT, S_ESTABLISHED,  RCV (RST, INWIN, ZERO, 0),     S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-rst-out-of-window", CLIENT, S_ESTABLISHED,  RCV (RST, OUTWIN, ZERO, 0),    S_ESTABLISHED,  0,      C_IGN,     0 },
  { "/tcp3way/established/rcv-syn",               CLIENT, S_ESTABLISHED,  RCV (SYN, INWIN, ZERO, 0),     S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-syn-ack-retransmitted", CLIENT, S_ESTABLISHED, RCV (SYNACK, OLD, ISS1, 0), S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-out-of-window",     CLIENT, S_ESTABLISHED,  RCV (ACK, OUTWIN, NXT, 0),     S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-ack-future",        CLIENT, S_ESTABLISHED,  RCV (ACK, NXT, FUTURE, 0),     S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/rcv-ack-no-flags",      CLIENT, S_ESTABLISHED,  RCV (0, NXT, NXT, 0),          S_ESTABLISHED,  0,      C_IGN,     0 },
  { "/tcp3way/established/rcv-ack-of-request",    CLIENT, S_ESTABLISHED,  RCV (ACK, NXT, NXT, 0),        S_ESTABLISHED,  0,      C_IGN,     TCP_CFG_DATA_UNACKED },
  { "/tcp3way/established/server-rcv-data",       SERVER, S_ESTABLISHED,  RCV (ACK, NXT, NXT, 100),      S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/server-rcv-data-old",   SERVER, S_ESTABLISHED,  RCV (ACK, OLD, NXT, 1),        S_ESTABLISHED,  ACK,    C_IGN,     0 },
  { "/tcp3way/established/timeout",               CLIENT, S_ESTABLISHED,  TIMEOUT,                       S_ESTABLISHED,  ACK,    C_NONE,    TCP_CFG_DATA_UNACKED },
  { "/tcp3way/established/timeout-retries-exhausted", CLIENT, S_ESTABLISHED, EXHAUST,                    S_CLOSED,       ACK,    C_TIMEOUT, TCP_CFG_DATA_UNACKED },
  /* ---- FIN_WAIT_1 ---- */
  { "/tcp3way/fin-wait-1/rcv-ack",                CLIENT, S_FIN_WAIT_1,   RCV (ACK, NXT, NXT, 0),        S_FIN_WAIT_2,   0,      C_RCV,     0 },
  { "/tcp3way/fin-wait-1/rcv-ack-not-of-fin",     CLIENT, S_FIN_WAIT_1,   RCV (ACK, NXT, UNA, 0),        S_FIN_WAIT_1,   0,      C_IGN,     0 },
  { "/tcp3way/fin-wait-1/rcv-fin",                CLIENT, S_FIN_WAIT_1,   RCV (FINACK, NXT, UNA, 0),     S_CLOSING,      ACK,    C_RCV,     0 },
  { "/tcp3way/fin-wait-1/rcv-fin-ack",            CLIENT, S_FIN_WAIT_1,   RCV (FINACK, NXT, NXT, 0),     S_TIME_WAIT,    ACK,    C_RCV,     0 },
  { "/tcp3way/fin-wait-1/rcv-rst",                CLIENT, S_FIN_WAIT_1,   RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/fin-wait-1/timeout",                CLIENT, S_FIN_WAIT_1,   TIMEOUT,                       S_FIN_WAIT_1,   FINACK, C_NONE,    0 },
  { "/tcp3way/fin-wait-1/timeout-retries-exhausted", CLIENT, S_FIN_WAIT_1, EXHAUST,                      S_CLOSED,       FINACK, C_TIMEOUT, 0 },
  { "/tcp3way/fin-wait-1/app-close",              CLIENT, S_FIN_WAIT_1,   CLOSE,                         S_FIN_WAIT_1,   0,      C_NONE,    0 },
  /* ---- FIN_WAIT_2 ---- */
  { "/tcp3way/fin-wait-2/rcv-fin",                CLIENT, S_FIN_WAIT_2,   RCV (FINACK, NXT, NXT, 0),     S_TIME_WAIT,    ACK,    C_RCV,     0 },
  { "/tcp3way/fin-wait-2/rcv-fin-out-of-window",  CLIENT, S_FIN_WAIT_2,   RCV (FINACK, OUTWIN, NXT, 0),  S_FIN_WAIT_2,   ACK,    C_IGN,     0 },
  { "/tcp3way/fin-wait-2/rcv-rst",                CLIENT, S_FIN_WAIT_2,   RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/fin-wait-2/timeout",                CLIENT, S_FIN_WAIT_2,   TIMEOUT,                       S_CLOSED,       0,      C_FW2,     TCP_CFG_FIN_WAIT2 },
  /* ---- CLOSE_WAIT ---- */
  { "/tcp3way/close-wait/app-close",              CLIENT, S_CLOSE_WAIT,   CLOSE,                         S_LAST_ACK,     FINACK, C_CLOSE,   0 },
  { "/tcp3way/close-wait/server-app-close",       SERVER, S_CLOSE_WAIT,   CLOSE,                         S_LAST_ACK,     FINACK, C_CLOSE,   0 },
  { "/tcp3way/close-wait/rcv-fin-retransmitted",  CLIENT, S_CLOSE_WAIT,   RCV (FINACK, OLD, NXT, 0),     S_CLOSE_WAIT,   ACK,    C_IGN,     0 },
  { "/tcp3way/close-wait/rcv-rst",                CLIENT, S_CLOSE_WAIT,   RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  /* ---- CLOSING ---- */
  { "/tcp3way/closing/rcv-ack",                   CLIENT, S_CLOSING,      RCV (ACK, NXT, NXT, 0),        S_TIME_WAIT,    0,      C_RCV,     0 },
  { "/tcp3way/closing/rcv-ack-not-of-fin",        CLIENT, S_CLOSING,      RCV (ACK, NXT, UNA, 0),        S_CLOSING,      0,      C_IGN,     0 },
  { "/tcp3way/closing/rcv-rst",                   CLIENT, S_CLOSING,      RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/closing/timeout",                   CLIENT, S_CLOSING,      TIMEOUT,                       S_CLOSING,      FINACK, C_NONE,    0 },
  /* ---- LAST_ACK ---- */
  { "/tcp3way/last-ack/rcv-ack",                  CLIENT, S_LAST_ACK,     RCV (ACK, NXT, NXT, 0),        S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/last-ack/server-rcv-ack",           SERVER, S_LAST_ACK,     RCV (ACK, NXT, NXT, 0),        S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/last-ack/rcv-ack-not-of-fin",       CLIENT, S_LAST_ACK,     RCV (ACK, NXT, UNA, 0),        S_LAST_ACK,     0,      C_IGN,     0 },
  { "/tcp3way/last-ack/rcv-rst",                  CLIENT, S_LAST_ACK,     RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/last-ack/timeout",                  CLIENT, S_LAST_ACK,     TIMEOUT,                       S_LAST_ACK,     FINACK, C_NONE,    0 },
  { "/tcp3way/last-ack/timeout-retries-exhausted",CLIENT, S_LAST_ACK,     EXHAUST,                       S_CLOSED,       FINACK, C_TIMEOUT, 0 },
  /* ---- TIME_WAIT ---- */
  { "/tcp3way/time-wait/timeout",                 CLIENT, S_TIME_WAIT,    TIMEOUT,                       S_CLOSED,       0,      C_TW,      0 },
  { "/tcp3way/time-wait/rcv-fin-retransmitted",   CLIENT, S_TIME_WAIT,    RCV (FINACK, OLD, NXT, 0),     S_TIME_WAIT,    ACK,    C_IGN,     0 },
  { "/tcp3way/time-wait/rcv-rst",                 CLIENT, S_TIME_WAIT,    RCV (RST, NXT, ZERO, 0),       S_CLOSED,       0,      C_RCV,     0 },
  { "/tcp3way/time-wait/rcv-syn-newer",           SERVER, S_TIME_WAIT,    RCV (SYN, NEWER, ZERO, 0),     S_SYN_RECEIVED, SYNACK, C_RCV,     0 },
  { "/tcp3way/time-wait/rcv-syn-older",           SERVER, S_TIME_WAIT,    RCV (SYN, OLD, ZERO, 0),       S_TIME_WAIT,    ACK,    C_IGN,     0 },
  { "/tcp3way/time-wait/client-rcv-syn-newer",    CLIENT, S_TIME_WAIT,    RCV (SYN, NEWER, ZERO, 0),     S_TIME_WAIT,    ACK,    C_IGN,     0 },
  /* an in-window SYN (RCV.NXT < SEG.SEQ < RCV.NXT + RCV.WND): RFC 9293
   * §3.10.7.4 fourth step would challenge-ACK it; RFC 6191 / RFC 1122
   * 4.2.2.13 let a SYN above RCV.NXT reopen, and Linux
   * tcp_timewait_state_process() (TCP_TW_SYN: after(seq, tw_rcv_nxt)) does
   * when a listener takes it: at the server, a new SYN_RECEIVED; at the
   * client no listener, so tcp_v4_rcv() ACKs it (TCP_TW_ACK) */
  { "/tcp3way/time-wait/rcv-syn-in-window",       SERVER, S_TIME_WAIT,    RCV (SYN, INWIN, ZERO, 0),     S_SYN_RECEIVED, SYNACK, C_RCV,     0 },
  { "/tcp3way/time-wait/client-rcv-syn-in-window",CLIENT, S_TIME_WAIT,    RCV (SYN, INWIN, ZERO, 0),     S_TIME_WAIT,    ACK,    C_IGN,     0 },
  { "/tcp3way/time-wait/app-open",                CLIENT, S_TIME_WAIT,    OPEN,                          S_TIME_WAIT,    0,      C_NONE,    0 },
};

static const SynackPluginDesc *
desc (void)
{
  return synack_plugin_protocol_tcp3way_describe ();
}

static void
test_transition (gconstpointer data)
{
  const TcpRow *row = data;

  /* rows whose input must be refused (app open on a busy port) */
  if (row->input == TCP_IN_APP_OPEN && row->from != SYNACK_TCP_CLOSED) {
    SynackTcpConfig cfg;
    g_autoptr (TcpHarness) h = NULL;

    tcp_harness_config ("rfc9293", &cfg);
    h = tcp_harness_new (desc (), &cfg);
    tcp_harness_bring_to (h, row->side, row->from, FALSE);
    g_assert_false (tcp_harness_connect (h));
    g_assert_cmpint (tcp_harness_state (h, row->side), ==, row->to);
    g_assert_cmpuint (tcp_harness_n_tx (h), ==, 0);
    g_assert_cmpuint (tcp_harness_n_changes (h), ==, 0);
    return;
  }
  tcp_harness_check_row (desc (), row);
}

/* ---- retransmission schedules ---------------------------------------------- */

/* Times (s) the client sends its SYNs into a black hole, and when it gives up. */
static void
check_syn_schedule (const char *profile, const double *want, guint n_want, double give_up_s)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *last;

  tcp_harness_config (profile, &cfg);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_all (h);

  g_assert_cmpuint (tcp_harness_n_tx (h), ==, n_want);
  for (guint i = 0; i < n_want; i++) {
    const TcpHarnessTx *tx = tcp_harness_tx (h, i);

    g_assert_cmphex (tx->seg.flags, ==, SYNACK_FLAG_SYN);
    g_assert_cmpint (tx->time_ns, ==, (SynackTime) (want[i] * SYNACK_SECOND));
    g_assert_cmpuint (tx->seg.retrans, ==, i);
    g_assert_cmpuint (tx->seg.seq, ==, tcp_harness_tx (h, 0)->seg.seq);
  }
  last = tcp_harness_last_change (h);
  g_assert_cmpint (last->change.to, ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (last->change.cause, ==, SYNACK_CAUSE_TIMEOUT);
  g_assert_cmpint (last->time_ns, ==, (SynackTime) (give_up_s * SYNACK_SECOND));
}

/* rfc9293: RTO 1 s doubling (RFC 6298 5.5) capped at 60 s (2.5), 7 retries. */
static void
test_backoff_rfc9293 (void)
{
  static const double want[] = { 0, 1, 3, 7, 15, 31, 63, 123 };

  check_syn_schedule ("rfc9293", want, G_N_ELEMENTS (want), 183);
}

/* linux: tcp_syn_linear_timeouts 4 keeps 1 s for the first 5 timeouts
 * ("SYN RTOs to be: 1, 1, 1, 1, 1, 2, 4, ...", ip-sysctl.rst), and
 * tcp_write_timeout() allows tcp_syn_retries 6 + 4 linear retransmissions:
 * "67 seconds till the last retransmission ... the final timeout ... after
 * 131 seconds" (ip-sysctl.rst, tcp_syn_retries). */
static void
test_backoff_linux (void)
{
  static const double want[] = { 0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67 };

  check_syn_schedule ("linux", want, G_N_ELEMENTS (want), 131);
}

/* rfc2988: initial RTO 3 s doubling, capped at 64 s, 5 retries. */
static void
test_backoff_rfc2988 (void)
{
  static const double want[] = { 0, 3, 9, 21, 45, 93 };

  check_syn_schedule ("rfc2988", want, G_N_ELEMENTS (want), 157);
}

/* linux SYN,ACK: no linear timeouts; tcp_synack_retries 5 "corresponds to 31
 * seconds till the last retransmission ... the final timeout for a passive
 * TCP connection will happen after 63 seconds" (ip-sysctl.rst). */
static void
test_backoff_synack_linux (void)
{
  static const double want[] = { 0, 1, 3, 7, 15, 31 };
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *last;

  tcp_harness_config ("linux", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_SERVER, SYNACK_TCP_LISTEN, FALSE);
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, TCP_HARNESS_PEER_ISS, 0, 0);
  tcp_harness_run_all (h);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++) {
    g_assert_cmphex (tcp_harness_tx (h, i)->seg.flags, ==, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK);
    g_assert_cmpint (tcp_harness_tx (h, i)->time_ns, ==, (SynackTime) (want[i] * SYNACK_SECOND));
  }
  last = tcp_harness_last_change (h);
  g_assert_cmpint (last->change.from, ==, SYNACK_TCP_SYN_RECEIVED);
  g_assert_cmpint (last->change.to, ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (last->time_ns, ==, 63 * SYNACK_SECOND);
}

/* A retransmitted SYN (Linux mode) resends the SYN,ACK and restarts the
 * timer at the current backoff, without using up a retry. */
static void
test_dup_syn_restarts_timer (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  tcp_harness_config ("linux", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_SERVER, SYNACK_TCP_SYN_RECEIVED, FALSE);
  tcp_harness_run_until (h, 1 * SYNACK_SECOND);        /* first SYN,ACK retransmission: next in 2 s */
  tcp_harness_run_until (h, 1500 * SYNACK_MSECOND);
  tcp_harness_mark (h);
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, TCP_HARNESS_PEER_ISS, 0, 0);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 1);
  g_assert_cmphex (tcp_harness_last_tx_flags (h), ==, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK);
  g_assert_cmpuint (tcp_harness_last_tx (h)->retrans, ==, 2);
  g_assert_true (tcp_harness_step (h));
  g_assert_cmpint (tcp_harness_tx (h, 1)->time_ns, ==, 3500 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->timeouts, ==, 2);
}

/* ---- RTO ----------------------------------------------------------------- */

/* Both ends over a loopback link: a complete connection, client closing. */
static TcpHarness *
loopback_connection (const char *profile, SynackTime delay)
{
  SynackTcpConfig cfg;
  TcpHarness *h;

  tcp_harness_config (profile, &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_set_loopback (h, delay);
  g_assert_true (tcp_harness_connect (h));
  return h;
}

/* RFC 6298 2.2 with R = 100 ms: R + max (1 ms, 4 R/2) = 300 ms; the
 * rfc9293 floor is 1 s.  linux: R + max (4 R/2, 200 ms) = 300 ms too
 * (tcp_set_rto()), R from the timestamps; its first FIN retransmission is
 * the tail loss probe, min (2 R + 200 ms, RTO) = 300 ms, and the RTO then
 * runs again unbacked-off from the probe (tcp_send_loss_probe()). */
static void
check_rto_after_handshake (const char *profile, SynackTime want)
{
  g_autoptr (TcpHarness) h = loopback_connection (profile, 50 * SYNACK_MSECOND);
  guint fins = 0;

  tcp_harness_run_until (h, SYNACK_SECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_common_rto_base (h->proto, tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)),
                   ==, want);
  /* the client's FIN is lost: it is retransmitted one RTO later */
  h->drop_from[SYNACK_ROLE_CLIENT] = TRUE;
  tcp_harness_mark (h);
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, tcp_harness_now (h) + want);
  for (guint i = 0; i < tcp_harness_n_tx (h); i++)
    if (tcp_harness_tx (h, i)->seg.flags & SYNACK_FLAG_FIN) {
      g_assert_cmpint (tcp_harness_tx (h, i)->time_ns, ==, SYNACK_SECOND + fins * want);
      fins++;
    }
  g_assert_cmpuint (fins, ==, 2);
}

static void
test_rto_sample_linux (void)
{
  check_rto_after_handshake ("linux", 300 * SYNACK_MSECOND);
}

static void
test_rto_sample_rfc9293 (void)
{
  check_rto_after_handshake ("rfc9293", SYNACK_SECOND);
}

/* RFC 6298 5.7: the SYN timed out, so no sample: the RTO is 3 s. */
static void
test_rto_fallback (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpEndpoint *ep;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  g_assert_true (tcp_harness_step (h));                 /* the SYN is retransmitted */
  ep = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK,
                      TCP_HARNESS_PEER_ISS, ep->snd_nxt, 0);
  g_assert_cmpint (ep->state, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_common_rto_base (h->proto, ep), ==, 3 * SYNACK_SECOND);
  tcp_harness_mark (h);
  g_assert_true (tcp_harness_step (h));                 /* the request is retransmitted */
  g_assert_cmpint (tcp_harness_tx (h, 0)->time_ns, ==, 4 * SYNACK_SECOND);
  g_assert_cmpuint (tcp_harness_tx (h, 0)->seg.len_bytes, ==, cfg.request_bytes);
}

/* ---- segment fields ------------------------------------------------------ */

static void
test_fields_handshake (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const SynackSegment *syn, *synack, *ack;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_set_loopback (h, 10 * SYNACK_MSECOND);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, 100 * SYNACK_MSECOND);

  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 4);      /* SYN, SYN,ACK, ACK + request, ACK */
  syn = &tcp_harness_tx (h, 0)->seg;
  synack = &tcp_harness_tx (h, 1)->seg;
  ack = &tcp_harness_tx (h, 2)->seg;
  g_assert_cmphex (syn->flags, ==, SYNACK_FLAG_SYN);
  g_assert_cmpuint (syn->src_host, ==, 1);
  g_assert_cmpuint (syn->dst_host, ==, 0);
  g_assert_cmpuint (syn->src_port, ==, TCP_HARNESS_FIRST_PORT);
  g_assert_cmpuint (syn->dst_port, ==, cfg.server_port);
  g_assert_cmpuint (syn->window, ==, cfg.window);
  g_assert_cmpuint (syn->conn, ==, 1);
  g_assert_cmpuint (syn->len_bytes, ==, 0);
  g_assert_cmphex (synack->flags, ==, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK);
  g_assert_cmpuint (synack->ack, ==, syn->seq + 1);
  g_assert_cmpuint (synack->conn, ==, 1);             /* the server copies the SYN's label */
  g_assert_cmpuint (synack->dst_host, ==, 1);
  g_assert_cmphex (ack->flags, ==, SYNACK_FLAG_ACK);
  g_assert_cmpuint (ack->seq, ==, syn->seq + 1);
  g_assert_cmpuint (ack->ack, ==, synack->seq + 1);
  g_assert_cmpuint (ack->len_bytes, ==, cfg.request_bytes);
  g_assert_cmpuint (tcp_harness_tx (h, 3)->seg.ack, ==, syn->seq + 1 + cfg.request_bytes);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->rcv_nxt, ==,
                    syn->seq + 1 + cfg.request_bytes);
  g_assert_cmpuint (synack_sched_pending (h->sched), ==, 0);   /* nothing outstanding */
}

/* RFC 9293 §3.10.7.1's two forms, and SYN_SENT's <SEQ=SEG.ACK><CTL=RST>. */
static void
test_fields_rst (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const SynackSegment *rst;
  guint32 bad_ack;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_ACK, 5, 777, 0);
  rst = tcp_harness_last_tx (h);
  g_assert_cmphex (rst->flags, ==, SYNACK_FLAG_RST);
  g_assert_cmpuint (rst->seq, ==, 777);
  g_assert_cmpuint (rst->dst_host, ==, 0);
  g_assert_cmpuint (rst->dst_port, ==, cfg.server_port);
  g_assert_cmpuint (rst->src_port, ==, TCP_HARNESS_FIRST_PORT);

  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_SYN | SYNACK_FLAG_FIN, 5, 0, 10);
  rst = tcp_harness_last_tx (h);
  g_assert_cmphex (rst->flags, ==, SYNACK_FLAG_RST | SYNACK_FLAG_ACK);
  g_assert_cmpuint (rst->seq, ==, 0);
  g_assert_cmpuint (rst->ack, ==, 5 + 10 + 2);

  tcp_harness_mark (h);
  g_assert_true (tcp_harness_connect (h));
  bad_ack = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss + 1000000;
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK, 9, bad_ack, 0);
  rst = tcp_harness_last_tx (h);
  g_assert_cmphex (rst->flags, ==, SYNACK_FLAG_RST);
  g_assert_cmpuint (rst->seq, ==, bad_ack);
  g_assert_cmpuint (rst->conn, ==, 1);

  /* a host or port outside the world: answered, reported at CLOSED */
  tcp_harness_mark (h);
  {
    SynackSegment seg = tcp_harness_template (h, SYNACK_ROLE_SERVER);

    seg.src_port = TCP_HARNESS_FIRST_PORT + TCP_HARNESS_PORTS;
    seg.flags = SYNACK_FLAG_ACK;
    seg.ack = 31;
    tcp_harness_deliver (h, &seg);
  }
  g_assert_cmphex (tcp_harness_last_tx_flags (h), ==, SYNACK_FLAG_RST);
  g_assert_cmpuint (tcp_harness_last_tx (h)->seq, ==, 31);
  g_assert_cmpint (tcp_harness_last_change (h)->change.cause, ==, SYNACK_CAUSE_IGNORED);
}

/* ---- TIME_WAIT ------------------------------------------------------------- */

static void
test_time_wait_restart (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpEndpoint *ep;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_CLIENT, SYNACK_TCP_TIME_WAIT, FALSE);
  ep = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, 100 * SYNACK_SECOND);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_FIN | SYNACK_FLAG_ACK, ep->rcv_nxt - 1,
                      ep->snd_nxt, 0);
  g_assert_cmphex (tcp_harness_last_tx_flags (h), ==, SYNACK_FLAG_ACK);
  g_assert_cmpuint (tcp_harness_last_tx (h)->ack, ==, ep->rcv_nxt);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_last_change (h)->time_ns, ==, 100 * SYNACK_SECOND + cfg.time_wait_ns);
  g_assert_cmpint (tcp_harness_last_change (h)->change.cause, ==, SYNACK_CAUSE_TIME_WAIT);
}

/* time_wait 0: TIME_WAIT is entered and left at the same instant, both reported. */
static void
test_time_wait_zero (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  SynackTime t;

  tcp_harness_config ("rfc9293", &cfg);
  cfg.time_wait_ns = 0;
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_CLIENT, SYNACK_TCP_FIN_WAIT_2, FALSE);
  t = tcp_harness_now (h);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_FIN | SYNACK_FLAG_ACK,
                      tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->rcv_nxt,
                      tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->snd_nxt, 0);
  g_assert_cmphex (tcp_harness_last_tx_flags (h), ==, SYNACK_FLAG_ACK);
  tcp_harness_run_all (h);
  g_assert_cmpuint (tcp_harness_n_changes (h), ==, 2);
  g_assert_cmpint (tcp_harness_change (h, 0)->change.to, ==, SYNACK_TCP_TIME_WAIT);
  g_assert_cmpint (tcp_harness_change (h, 1)->change.from, ==, SYNACK_TCP_TIME_WAIT);
  g_assert_cmpint (tcp_harness_change (h, 1)->change.to, ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (tcp_harness_change (h, 1)->change.cause, ==, SYNACK_CAUSE_TIME_WAIT);
  g_assert_cmpint (tcp_harness_change (h, 1)->time_ns, ==, t);
}

/* ---- reports ------------------------------------------------------------- */

/* An input with no transition is reported: cause IGNORED, from == to, the
 * segment attached, the endpoint's label. */
static void
test_ignored_reported (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *c;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_bring_to (h, SYNACK_ROLE_CLIENT, SYNACK_TCP_ESTABLISHED, FALSE);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_ACK,
                      tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->rcv_nxt,
                      tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->snd_nxt, 0);
  g_assert_cmpuint (tcp_harness_n_changes (h), ==, 1);
  c = tcp_harness_last_change (h);
  g_assert_cmpint (c->change.cause, ==, SYNACK_CAUSE_IGNORED);
  g_assert_cmpint (c->change.from, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (c->change.to, ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (c->change.role, ==, SYNACK_ROLE_CLIENT);
  g_assert_cmpuint (c->change.client, ==, 1);
  g_assert_cmpuint (c->change.port, ==, TCP_HARNESS_FIRST_PORT);
  g_assert_cmpuint (c->change.conn, ==, 1);
  g_assert_true (c->has_seg);
  g_assert_cmphex (c->seg.flags, ==, SYNACK_FLAG_ACK);
  g_assert_cmpstr (synack_cause_name (c->change.cause), ==, "ignored rcv");
}

/* The backlog counts server ends in SYN_RECEIVED; the refusal carries the SYN's label. */
static void
test_backlog (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *c;

  tcp_harness_config ("rfc9293", &cfg);
  cfg.backlog = 2;
  h = tcp_harness_new (desc (), &cfg);
  for (guint i = 0; i < 3; i++) {
    h->port = TCP_HARNESS_FIRST_PORT + i;
    h->conn = 10 + i;
    tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 100 * i, 0, 0);
  }
  g_assert_cmpuint (h->proto->syn_received, ==, 2);
  c = tcp_harness_last_change (h);
  g_assert_cmpint (c->change.cause, ==, SYNACK_CAUSE_BACKLOG);
  g_assert_cmpint (c->change.from, ==, SYNACK_TCP_LISTEN);
  g_assert_cmpint (c->change.to, ==, SYNACK_TCP_LISTEN);
  g_assert_cmpuint (c->change.conn, ==, 12);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 2);     /* no reply to the refused SYN */
  /* a RST frees a place */
  h->port = TCP_HARNESS_FIRST_PORT;
  h->conn = 10;
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_RST, 1, 0, 0);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_LISTEN);
  g_assert_cmpuint (h->proto->syn_received, ==, 1);
  h->port = TCP_HARNESS_FIRST_PORT + 2;
  h->conn = 12;
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 200, 0, 0);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_SYN_RECEIVED);
}

/* ---- workload helpers, ISN, memory --------------------------------------- */

static void
test_connect_busy_and_close_label (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  g_assert_false (tcp_harness_connect (h));
  tcp_harness_mark (h);
  /* a close for another incarnation is a no-op */
  h->vt->close (h->proto, SYNACK_ROLE_CLIENT, h->client, h->port, 99, tcp_harness_now (h));
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_SYN_SENT);
  g_assert_cmpuint (tcp_harness_n_changes (h), ==, 0);
  /* a different port is free */
  h->port++;
  g_assert_true (tcp_harness_connect (h));
  /* the server's slots are LISTEN until touched */
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_LISTEN);
}

static void
test_isn (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  g_autoptr (TcpHarness) h2 = NULL;
  guint32 a, b, c;

  tcp_harness_config ("rfc9293", &cfg);
  g_assert_cmpint (cfg.isn, ==, SYNACK_ISN_RFC6528);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  a = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss;
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, 4 * SYNACK_SECOND);
  g_assert_true (tcp_harness_connect (h));
  b = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss;
  /* RFC 6528: the same 4-tuple's ISN advances with the 4 us clock */
  g_assert_cmpuint (b - a, ==, 1000000);
  h->port++;
  g_assert_true (tcp_harness_connect (h));
  c = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss;
  g_assert_cmpuint (c - b, !=, 0);
  /* the same seed gives the same ISNs */
  h2 = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h2));
  g_assert_cmpuint (tcp_harness_endpoint (h2, SYNACK_ROLE_CLIENT)->iss, ==, a);

  cfg.isn = SYNACK_ISN_ZERO;
  g_clear_pointer (&h2, tcp_harness_free);
  h2 = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h2));
  g_assert_cmpuint (tcp_harness_endpoint (h2, SYNACK_ROLE_CLIENT)->iss, ==, 0);
}

static void
test_memory (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  g_assert_cmpuint (sizeof (TcpEndpoint), <=, 64);
  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  /* pages appear on first touch and stay put */
  g_assert_null (tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT));
  g_assert_true (tcp_harness_connect (h));
  g_assert_nonnull (tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT));
  g_assert_null (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER));
}

/* ---- both ends over a loopback link -------------------------------------- */

/* A full connection: handshake, request, close by the client, TIME_WAIT. */
static void
test_loopback_lifecycle (void)
{
  g_autoptr (TcpHarness) h = loopback_connection ("rfc9293", 10 * SYNACK_MSECOND);
  static const struct { SynackRole role; SynackTcpState from, to; } want[] = {
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_CLOSED,       SYNACK_TCP_SYN_SENT },
    { SYNACK_ROLE_SERVER, SYNACK_TCP_LISTEN,       SYNACK_TCP_SYN_RECEIVED },
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_SYN_SENT,     SYNACK_TCP_ESTABLISHED },
    { SYNACK_ROLE_SERVER, SYNACK_TCP_SYN_RECEIVED, SYNACK_TCP_ESTABLISHED },
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_ESTABLISHED,  SYNACK_TCP_FIN_WAIT_1 },
    { SYNACK_ROLE_SERVER, SYNACK_TCP_ESTABLISHED,  SYNACK_TCP_CLOSE_WAIT },
    { SYNACK_ROLE_SERVER, SYNACK_TCP_CLOSE_WAIT,   SYNACK_TCP_LAST_ACK },
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_FIN_WAIT_1,   SYNACK_TCP_FIN_WAIT_2 },
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_FIN_WAIT_2,   SYNACK_TCP_TIME_WAIT },
    { SYNACK_ROLE_SERVER, SYNACK_TCP_LAST_ACK,     SYNACK_TCP_CLOSED },
    { SYNACK_ROLE_CLIENT, SYNACK_TCP_TIME_WAIT,    SYNACK_TCP_CLOSED },
  };
  guint k = 0;

  tcp_harness_run_until (h, SYNACK_SECOND);
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_run_until (h, SYNACK_SECOND + 15 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSE_WAIT);
  tcp_harness_close (h, SYNACK_ROLE_SERVER);   /* as the core does in CLOSE_WAIT */
  tcp_harness_run_all (h);
  for (guint i = 0; i < h->changes->len; i++) {
    const TcpHarnessChange *c = &g_array_index (h->changes, TcpHarnessChange, i);

    if (c->change.cause == SYNACK_CAUSE_IGNORED)
      continue;
    g_assert_cmpuint (k, <, G_N_ELEMENTS (want));
    g_assert_cmpint (c->change.role, ==, want[k].role);
    g_assert_cmpstr (synack_tcp_state_name (c->change.from), ==, synack_tcp_state_name (want[k].from));
    g_assert_cmpstr (synack_tcp_state_name (c->change.to), ==, synack_tcp_state_name (want[k].to));
    g_assert_cmpuint (c->change.conn, ==, 1);
    k++;
  }
  g_assert_cmpuint (k, ==, G_N_ELEMENTS (want));
  /* the client's TIME_WAIT lasted 2 MSL */
  g_assert_cmpint (tcp_harness_last_change (h)->time_ns, ==,
                   SYNACK_SECOND + 25 * SYNACK_MSECOND + 4 * SYNACK_MINUTE);
}

/* The handshaking note's claim: an old duplicate SYN reaching the server
 * makes it SYN_RECEIVED, the client (no connection) answers the SYN,ACK
 * with a RST, and the server returns to LISTEN without establishing. */
static void
test_loopback_old_duplicate_syn (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  gboolean established = FALSE;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_set_loopback (h, 10 * SYNACK_MSECOND);
  h->conn = 7;   /* an attempt that ended long ago */
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 12345, 0, 0);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_LISTEN);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSED);
  g_assert_cmphex (tcp_harness_tx (h, 1)->seg.flags, ==, SYNACK_FLAG_RST);
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 2);
  for (guint i = 0; i < h->changes->len; i++)
    if (g_array_index (h->changes, TcpHarnessChange, i).change.to == SYNACK_TCP_ESTABLISHED)
      established = TRUE;
  g_assert_false (established);
  g_assert_cmpuint (h->proto->syn_received, ==, 0);
}

/* The same with the client in SYN_SENT for a new attempt: the old SYN,ACK
 * carries the wrong ACK, the client RSTs it and still establishes its own. */
static void
test_loopback_old_synack_while_connecting (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  tcp_harness_set_loopback (h, 10 * SYNACK_MSECOND);
  h->conn = 7;
  tcp_harness_inject (h, SYNACK_ROLE_SERVER, SYNACK_FLAG_SYN, 12345, 0, 0);
  h->conn = 8;
  g_assert_true (tcp_harness_connect (h));   /* the SYN,ACK of 7 is on its way */
  tcp_harness_run_until (h, 10 * SYNACK_SECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->conn, ==, 8);
}

/* The final ACK (with the request) is lost: repaired, both establish, the
 * server gets the request exactly once. */
static void
test_loopback_lost_final_ack (void)
{
  g_autoptr (TcpHarness) h = loopback_connection ("rfc9293", 10 * SYNACK_MSECOND);
  guint server_est = 0;

  tcp_harness_run_until (h, 15 * SYNACK_MSECOND);   /* SYN delivered, SYN,ACK in flight */
  h->drop_from[SYNACK_ROLE_CLIENT] = TRUE;
  tcp_harness_run_until (h, 25 * SYNACK_MSECOND);   /* the ACK + request is lost */
  h->drop_from[SYNACK_ROLE_CLIENT] = FALSE;
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_SYN_RECEIVED);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_ESTABLISHED);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_SERVER)->rcv_nxt, ==,
                    tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->snd_nxt);
  g_assert_cmpuint (tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->snd_una, ==,
                    tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->snd_nxt);
  for (guint i = 0; i < h->changes->len; i++) {
    const SynackStateChange *c = &g_array_index (h->changes, TcpHarnessChange, i).change;

    if (c->role == SYNACK_ROLE_SERVER && c->from != c->to && c->to == SYNACK_TCP_ESTABLISHED)
      server_est++;
  }
  g_assert_cmpuint (server_est, ==, 1);
}

/* Simultaneous close: both FINs cross, both ends go through CLOSING. */
static void
test_loopback_simultaneous_close (void)
{
  g_autoptr (TcpHarness) h = loopback_connection ("rfc9293", 10 * SYNACK_MSECOND);

  tcp_harness_run_until (h, SYNACK_SECOND);
  tcp_harness_close (h, SYNACK_ROLE_CLIENT);
  tcp_harness_close (h, SYNACK_ROLE_SERVER);
  tcp_harness_run_until (h, SYNACK_SECOND + 15 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSING);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSING);
  tcp_harness_run_until (h, SYNACK_SECOND + 25 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_TIME_WAIT);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_TIME_WAIT);
  tcp_harness_run_all (h);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_CLIENT), ==, SYNACK_TCP_CLOSED);
  g_assert_cmpint (tcp_harness_state (h, SYNACK_ROLE_SERVER), ==, SYNACK_TCP_CLOSED);
}

/* Simultaneous open, RFC 9293 §3.5 Figure 8, from the client's side: the
 * test plays a peer that opens at the same time.  Client: SYN_SENT sends
 * SYN (seq ISS); the peer's SYN (seq 300) crosses it: SYN_RECEIVED, and
 * the client sends SYN,ACK with the same ISS and ack 301; the peer's
 * SYN,ACK (seq 300, ack ISS+1) then makes it ESTABLISHED, and the final
 * ACK carries the request.  The whole state and segment sequence is
 * checked. */
static void
test_simultaneous_open (void)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  static const SynackTcpState states[] = {
    SYNACK_TCP_CLOSED, SYNACK_TCP_SYN_SENT, SYNACK_TCP_SYN_RECEIVED, SYNACK_TCP_ESTABLISHED,
  };
  guint32 iss;
  guint n = 0;

  tcp_harness_config ("rfc9293", &cfg);
  h = tcp_harness_new (desc (), &cfg);
  g_assert_true (tcp_harness_connect (h));
  iss = tcp_harness_endpoint (h, SYNACK_ROLE_CLIENT)->iss;
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_SYN, 300, 0, 0);
  tcp_harness_inject (h, SYNACK_ROLE_CLIENT, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK, 300, iss + 1, 0);

  /* segments: SYN, SYN,ACK, ACK with the request */
  g_assert_cmpuint (tcp_harness_n_tx (h), ==, 3);
  g_assert_cmphex (tcp_harness_tx (h, 0)->seg.flags, ==, SYNACK_FLAG_SYN);
  g_assert_cmpuint (tcp_harness_tx (h, 0)->seg.seq, ==, iss);
  g_assert_cmphex (tcp_harness_tx (h, 1)->seg.flags, ==, SYNACK_FLAG_SYN | SYNACK_FLAG_ACK);
  g_assert_cmpuint (tcp_harness_tx (h, 1)->seg.seq, ==, iss);
  g_assert_cmpuint (tcp_harness_tx (h, 1)->seg.ack, ==, 301);
  g_assert_cmphex (tcp_harness_tx (h, 2)->seg.flags, ==, SYNACK_FLAG_ACK);
  g_assert_cmpuint (tcp_harness_tx (h, 2)->seg.seq, ==, iss + 1);
  g_assert_cmpuint (tcp_harness_tx (h, 2)->seg.ack, ==, 301);
  g_assert_cmpuint (tcp_harness_tx (h, 2)->seg.len_bytes, ==, cfg.request_bytes);

  /* states: CLOSED > SYN_SENT > SYN_RECEIVED > ESTABLISHED */
  for (guint i = 0; i < h->changes->len; i++) {
    const SynackStateChange *c = &g_array_index (h->changes, TcpHarnessChange, i).change;

    if (c->role != SYNACK_ROLE_CLIENT || c->from == c->to)
      continue;
    g_assert_cmpuint (n + 1, <, G_N_ELEMENTS (states));
    g_assert_cmpint (c->from, ==, states[n]);
    g_assert_cmpint (c->to, ==, states[n + 1]);
    n++;
  }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (states) - 1);
}

/* The descriptor passes the registry's checks (one registration path). */
static void
test_register (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_registry_add (reg, desc (), "built-in", &error));
  g_assert_no_error (error);
  g_assert_true (synack_registry_lookup (reg, SYNACK_PLUGIN_PROTOCOL, "tcp3way") == desc ());
  synack_registry_free (reg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    g_test_add_data_func (rows[i].path, &rows[i], test_transition);

  g_test_add_func ("/tcp3way/backoff/syn-rfc9293", test_backoff_rfc9293);
  g_test_add_func ("/tcp3way/backoff/syn-linux", test_backoff_linux);
  g_test_add_func ("/tcp3way/backoff/syn-rfc2988", test_backoff_rfc2988);
  g_test_add_func ("/tcp3way/backoff/synack-linux", test_backoff_synack_linux);
  g_test_add_func ("/tcp3way/backoff/dup-syn-restarts-timer", test_dup_syn_restarts_timer);
  g_test_add_func ("/tcp3way/rto/sample-linux", test_rto_sample_linux);
  g_test_add_func ("/tcp3way/rto/sample-rfc9293", test_rto_sample_rfc9293);
  g_test_add_func ("/tcp3way/rto/fallback-3s", test_rto_fallback);
  g_test_add_func ("/tcp3way/fields/handshake", test_fields_handshake);
  g_test_add_func ("/tcp3way/fields/rst", test_fields_rst);
  g_test_add_func ("/tcp3way/time-wait/restart-on-fin", test_time_wait_restart);
  g_test_add_func ("/tcp3way/time-wait/zero", test_time_wait_zero);
  g_test_add_func ("/tcp3way/report/ignored", test_ignored_reported);
  g_test_add_func ("/tcp3way/report/backlog", test_backlog);
  g_test_add_func ("/tcp3way/workload/connect-busy-close-label", test_connect_busy_and_close_label);
  g_test_add_func ("/tcp3way/isn/rfc6528-zero", test_isn);
  g_test_add_func ("/tcp3way/memory/slots", test_memory);
  g_test_add_func ("/tcp3way/loopback/lifecycle", test_loopback_lifecycle);
  g_test_add_func ("/tcp3way/loopback/old-duplicate-syn", test_loopback_old_duplicate_syn);
  g_test_add_func ("/tcp3way/loopback/old-syn-ack-while-connecting",
                   test_loopback_old_synack_while_connecting);
  g_test_add_func ("/tcp3way/loopback/lost-final-ack", test_loopback_lost_final_ack);
  g_test_add_func ("/tcp3way/loopback/simultaneous-close", test_loopback_simultaneous_close);
  g_test_add_func ("/tcp3way/scenario/simultaneous-open", test_simultaneous_open);
  g_test_add_func ("/tcp3way/plugin/register", test_register);
  return g_test_run ();
}
