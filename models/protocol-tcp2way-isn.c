/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/protocol-tcp2way-isn.c - the textbook numbered 2-way handshake:
 * SYN(x) carrying the request, ACK(x+1), and nothing more.
 *
 * This is the 2-way handshake as Kurose and Ross ("req_conn(x)" /
 * "acc_conn(x)", §3.5.6) and Tanenbaum (delayed duplicates, §6.2.2) teach
 * it: the client numbers its connection, so the server can recognise
 * retransmissions of the SYN it holds and segments of other connections,
 * but it has no third message to learn whether a SYN is fresh.  It sits
 * between tcp2way (no numbers) and tcp3way (RFC 9293) to separate what
 * numbering buys from what the third message buys.
 *
 * Behaviour, precisely (L = tcp->request_bytes; comparisons are exact and
 * modulo 2^32; "ACK <s, a>" is <SEQ=s><ACK=a><CTL=ACK>):
 *  - Open.  connect() takes the client port CLOSED -> SYN_SENT ("app
 *    open"), picks x = ISS from the `isn` key (tcp_common_isn(), as
 *    tcp3way) and sends SYN <SEQ=x> with the request in it (len L).  As in
 *    TCP the SYN occupies x and the request x+1 .. x+L, so SND.NXT = x+1+L
 *    and the server's answer is ACK(x+1+L), the textbook's ACK(x+1) when
 *    L = 0.  The SYN is retransmitted unchanged on tcp3way's SYN timer
 *    (tcp_common_rto(), syn_linear_timeouts), and after syn_retries +
 *    syn_linear_timeouts retransmissions the client gives up: SYN_SENT ->
 *    CLOSED ("timeout").
 *  - The server, on a SYN at a slot with no connection (LISTEN, or CLOSED:
 *    the listener takes it): IRS = x, RCV.NXT = x+1+L, picks its own ISS y
 *    (the numbers of its FIN), LISTEN -> ESTABLISHED, which is executing
 *    the request, and sends ACK <y, x+1+L>.  No SYN_RECEIVED, no backlog:
 *    it commits at once, which is the 2-way handshake.
 *  - A SYN at a slot that holds a connection (any other state, TIME_WAIT
 *    included): if SEG.SEQ = IRS it is a retransmission (or a copy) of the
 *    SYN this connection was opened by: re-ACKed, ACK <SND.NXT, RCV.NXT>,
 *    and not executed again (reported as ignored).  Another x means a new
 *    connection on that 4-tuple (the client port has moved on): the held
 *    one is deleted (-> CLOSED, "rcv SYN") and the new one opened as from
 *    LISTEN.  The server cannot tell a fresh SYN from an old duplicate.
 *  - The client, in SYN_SENT, takes an ACK with SEG.ACK = SND.NXT: it
 *    learns the server's numbers (RCV.NXT = SEG.SEQ) and goes ESTABLISHED
 *    (the RTT sample and Karn's rule of tcp_common_syn_acked()); a FIN in
 *    the same segment is then processed as in ESTABLISHED.  Any other ACK
 *    (an old incarnation's, or a bad one) gets <SEQ=SEG.ACK><CTL=RST> (RFC
 *    9293 §3.10.7.3 first) and is otherwise dropped; a RST counts only if
 *    its ACK is SND.NXT (RFC 5961 §3.2); anything else is dropped.
 *  - Connected states (the close is numbered and checked): a segment is
 *    acceptable only if SEG.SEQ = RCV.NXT (each end has at most one
 *    segment outstanding and segments are processed in order, so the
 *    window is one number).  An unacceptable one is answered with ACK
 *    <SND.NXT, RCV.NXT> and dropped, but a RST or a bare ACK (no SYN, FIN
 *    or data) is just dropped: answering ACKs with ACKs would let two ends
 *    that disagree on the numbers (a ghost and a new incarnation) ACK each
 *    other for ever (Linux rate-limits such answers, tcp_invalid_ratelimit;
 *    here they are not sent).  A retransmitted FIN (SEG.SEQ = RCV.NXT - 1)
 *    in TIME_WAIT also restarts the 2 MSL timer.  An acceptable RST closes (->
 * CLOSED).  A SYN at the client gets ACK <SND.NXT, RCV.NXT>.  Then the ACK
 * field: SEG.ACK outside SND.UNA .. SND.NXT is answered with an ACK and
 * dropped; above SND.UNA it acknowledges our FIN (RFC 6298 5.2-5.3 for the
 * timer). Then RFC 9293's close transitions: FIN_WAIT_1 -> FIN_WAIT_2 when our
 *    FIN is acked, CLOSING -> TIME_WAIT and LAST_ACK -> CLOSED likewise; a
 *    FIN (RCV.NXT + 1, ACKed) takes ESTABLISHED -> CLOSE_WAIT, FIN_WAIT_1
 *    -> TIME_WAIT (our FIN acked) or CLOSING, FIN_WAIT_2 -> TIME_WAIT.
 *    app close: ESTABLISHED -> FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK, each
 *    sending FIN,ACK <SND.NXT, RCV.NXT>; SYN_SENT -> CLOSED.  The FIN is
 *    retransmitted fin_retries times, then the end closes silently, as
 *    tcp3way; FIN_WAIT_2 and TIME_WAIT timeouts are tcp-common's.
 *  - No connection: a client port in CLOSED answers anything but a RST
 *    with a RST (RFC 9293 §3.10.7.1); the server's listener ignores a
 *    RST, answers an ACK with <SEQ=SEG.ACK><CTL=RST> and drops the rest
 *    (§3.10.7.2).
 *  - Forgetting: the server's numbers live in its connection; when its
 *    side is closed (LAST_ACK -> CLOSED after a client-initiated close, or
 *    TIME_WAIT's end, or a RST) x is forgotten.
 *
 * What this shows against the other designs:
 *  - Numbering alone removes what tcp2way suffers from retransmission: a
 *    SYN whose ACK was lost is retransmitted and recognised (SEG.SEQ =
 *    IRS), so it is not executed twice; stale FINs, ACKs and RSTs of other
 *    incarnations fail the sequence checks.
 *  - It cannot remove the old duplicate: a SYN(x) delayed in the network
 *    beyond the server's memory of x (the server's side closed) is a SYN
 *    whose (4-tuple, x) the server does not hold, so it opens a ghost
 *    connection and executes the request again.  Only a third message
 *    (the client confirming the server's number, tcp3way) lets the server
 *    learn that a SYN is current before it commits.
 *  - The ghost's ACK reaches a client port that is CLOSED (RST with
 *    SEQ = x+1+L, which the ghost accepts: it closes) or in SYN_SENT with
 *    another x (the same RST); a client port ESTABLISHED with another x
 *    drops it (a bare ACK), and the ghost stays until the run ends.  A
 *    ghost that replaced a newer connection held on that 4-tuple has
 *    destroyed it: that client's FIN goes unanswered (answered with the
 *    ghost's numbers, which it drops) until its retries run out. */
#include "tcp-common.h"

#define F_FIN SYNACK_FLAG_FIN
#define F_SYN SYNACK_FLAG_SYN
#define F_RST SYNACK_FLAG_RST
#define F_ACK SYNACK_FLAG_ACK

static gboolean
is_server (const TcpEndpoint *ep)
{
  return (ep->bits & TCP_EP_SERVER) != 0;
}

/* Answers are not sent to a RST or to a bare ACK (see above). */
static gboolean
deserves_ack (const SynackSegment *seg)
{
  return !(seg->flags & F_RST) &&
         ((seg->flags & (F_SYN | F_FIN)) || seg->len_bytes > 0);
}

/* <SEQ=ISS><CTL=SYN> with the request. */
static void
send_syn (TcpCommon *self, TcpEndpoint *ep, guint retrans)
{
  tcp_common_send (self, ep, F_SYN, ep->iss, 0, self->tcp->request_bytes,
                   retrans);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>. */
static void
send_fin (TcpCommon *self, TcpEndpoint *ep)
{
  tcp_common_send (self, ep, F_FIN | F_ACK, ep->snd_nxt, ep->rcv_nxt, 0, 0);
  ep->snd_nxt++;
  ep->bits |= TCP_EP_FIN_SENT;
  ep->timeouts = ep->rexmits = 0;
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* ---- timeouts ------------------------------------------------------------ */

static void
tcp2way_isn_retransmit (TcpCommon *self, TcpEndpoint *ep, SynackTime now)
{
  const SynackTcpConfig *tcp = self->tcp;

  switch (ep->state) {
    case SYNACK_TCP_SYN_SENT:
      if (!tcp_common_retry (self, ep, tcp_common_syn_limit (self)))
        return;
      ep->bits |= TCP_EP_SYN_REXMIT;
      send_syn (self, ep, ep->rexmits);
      tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
      break;
    case SYNACK_TCP_FIN_WAIT_1:
    case SYNACK_TCP_CLOSING:
    case SYNACK_TCP_LAST_ACK:
      if (ep->snd_una == ep->snd_nxt)
        break;   /* the FIN is acked: nothing outstanding */
      if (!tcp_common_retry (self, ep, tcp->fin_retries))
        return;
      tcp_common_send (self, ep, F_FIN | F_ACK, ep->snd_nxt - 1, ep->rcv_nxt, 0,
                       ep->rexmits);
      tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
      break;
    default:
      break;   /* nothing outstanding */
  }
}

/* ---- receiving ----------------------------------------------------------- */

/* A SYN(x) the server does not hold: open and execute (LISTEN ->
 * ESTABLISHED), answer ACK <y, x+1+L>. */
static void
server_open (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             SynackTime now)
{
  if (tcp_common_has_connection (ep))
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
  tcp_common_timer_stop (self, ep);
  tcp_common_reset_endpoint (ep, seg->conn);
  ep->state = SYNACK_TCP_LISTEN;   /* the listener takes the 4-tuple */
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1 + seg->len_bytes;
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->snd_nxt = ep->iss;
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                        seg);
  tcp_common_send_ack (self, ep);
}

/* RFC 9293 §3.10.7.2, the listener: a RST is ignored, an ACK reset, the
 * rest (a FIN without ACK) dropped. */
static void
on_listen (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
           SynackTime now)
{
  if (seg->flags & F_RST)
    return;
  if (seg->flags & F_SYN) {
    server_open (self, ep, seg, now);
    return;
  }
  if (seg->flags & F_ACK)
    tcp_common_send_rst_reply (self, seg, seg->conn);
}

static void
on_syn_sent (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             SynackTime now)
{
  guint16 f = seg->flags;
  gboolean ack_ok = (f & F_ACK) && seg->ack == ep->snd_nxt;

  if ((f & F_ACK) && !ack_ok) {
    if (!(f & F_RST))
      tcp_common_send (self, ep, F_RST, seg->ack, 0, 0,
                       0); /* <SEQ=SEG.ACK><CTL=RST> */
    return;
  }
  if (f & F_RST) {
    if (ack_ok)
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    return;
  }
  if (!ack_ok)
    return;
  ep->snd_una = seg->ack;
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq;
  tcp_common_syn_acked (self, ep, seg, now);
  tcp_common_timer_stop (self, ep);
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                        seg);
  if (f & F_FIN) {
    ep->rcv_nxt++;
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSE_WAIT, SYNACK_CAUSE_RCV,
                          seg);
    tcp_common_send_ack (self, ep);
  }
}

static void
on_connected (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
              SynackTime now)
{
  guint16 f = seg->flags;
  SynackTcpState state = (SynackTcpState) ep->state;
  gboolean fin_acked;

  /* first: the sequence number, exact */
  if (seg->seq != ep->rcv_nxt) {
    if (!deserves_ack (seg))
      return;
    if (state == SYNACK_TCP_TIME_WAIT && (f & F_FIN))
      tcp_common_time_wait_start (self, ep);
    tcp_common_send_ack (self, ep);
    return;
  }
  /* second: RST at exactly RCV.NXT */
  if (f & F_RST) {
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    return;
  }
  /* a SYN at the client: ACK it, drop it */
  if (f & F_SYN) {
    tcp_common_send_ack (self, ep);
    return;
  }
  if (!(f & F_ACK))
    return;
  /* the ACK field */
  if (synack_seq_gt (seg->ack, ep->snd_nxt) ||
      synack_seq_lt (seg->ack, ep->snd_una)) {
    if (deserves_ack (seg))
      tcp_common_send_ack (self, ep);
    return;
  }
  if (synack_seq_gt (seg->ack, ep->snd_una)) {
    ep->snd_una = seg->ack;
    ep->timeouts = ep->rexmits = 0;
    if (ep->snd_una == ep->snd_nxt)
      tcp_common_timer_stop (self, ep);
  }
  fin_acked = (ep->bits & TCP_EP_FIN_SENT) && ep->snd_una == ep->snd_nxt;
  if (!tcp_common_closing_ack (self, ep, state, fin_acked, (f & F_FIN) != 0,
                               seg))
    return;
  if (!(f & F_FIN))
    return;
  switch (state) {
    case SYNACK_TCP_ESTABLISHED:
      ep->rcv_nxt++;
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSE_WAIT, SYNACK_CAUSE_RCV,
                            seg);
      break;
    case SYNACK_TCP_FIN_WAIT_1:
      ep->rcv_nxt++;
      tcp_common_set_state (self, ep,
                            fin_acked ? SYNACK_TCP_TIME_WAIT
                                      : SYNACK_TCP_CLOSING,
                            SYNACK_CAUSE_RCV, seg);
      break;
    case SYNACK_TCP_FIN_WAIT_2:
      ep->rcv_nxt++;
      tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                            seg);
      break;
    default:
      break;   /* CLOSE_WAIT, TIME_WAIT: a FIN at RCV.NXT cannot come */
  }
  tcp_common_send_ack (self, ep);
}

static void
on_segment (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
            SynackTime now)
{
  guint16 f = seg->flags;

  if (is_server (ep)) {
    if (!tcp_common_has_connection (ep)) {
      on_listen (self, ep, seg, now);
      return;
    }
    if ((f & (F_SYN | F_RST)) == F_SYN) {
      if (seg->seq == ep->irs)
        tcp_common_send_ack (self, ep); /* SYN(x) again: re-ACK, no execution */
      else
        server_open (self, ep, seg, now);
      return;
    }
    on_connected (self, ep, seg, now);
    return;
  }
  switch (ep->state) {
    case SYNACK_TCP_CLOSED:
      tcp_common_send_rst_reply (self, seg, seg->conn);   /* never to a RST */
      break;
    case SYNACK_TCP_SYN_SENT:
      on_syn_sent (self, ep, seg, now);
      break;
    default:
      on_connected (self, ep, seg, now);
      break;
  }
}

/* ---- the vtable ---------------------------------------------------------- */

static gpointer
tcp2way_isn_create (const SynackProtocolEnv *env, const SynackParams *params,
                    GError **error)
{
  return tcp_common_new (env, tcp2way_isn_retransmit);
}

static gboolean
tcp2way_isn_connect (gpointer data, guint32 client, guint16 port,
                     SynackConnId conn, SynackTime now)
{
  TcpCommon *self = data;
  TcpEndpoint *ep = tcp_common_open_endpoint (self, client, port, conn);

  if (ep == NULL)
    return FALSE;
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->iss;
  ep->snd_nxt = ep->iss + 1 + self->tcp->request_bytes;
  ep->syn_sent_ns = now;
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_SENT, SYNACK_CAUSE_APP_OPEN,
                        NULL);
  send_syn (self, ep, 0);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
  return TRUE;
}

static void
tcp2way_isn_close (gpointer data, SynackRole role, guint32 client, guint16 port,
                   SynackConnId conn, SynackTime now)
{
  tcp_common_close_2way (data, role, client, port, conn, send_fin);
}

static void
tcp2way_isn_receive (gpointer data, const SynackSegment *seg, SynackTime now)
{
  tcp_common_receive (data, seg, now, on_segment);
}

static const SynackProtocolVtable tcp2way_isn_vtable = {
  .create = tcp2way_isn_create,
  .connect = tcp2way_isn_connect,
  .close = tcp2way_isn_close,
  .receive = tcp2way_isn_receive,
  .destroy = tcp_common_vfunc_destroy,
};

/* Every [tcp] key arrives typed in env->tcp (`isn` picks x): no
 * parameters of its own. */
static const SynackParamSpec tcp2way_isn_params[] = {
  { NULL },
};

static const SynackPluginDesc tcp2way_isn_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_PROTOCOL,
  .name = "tcp2way-isn",
  .summary =
      "textbook numbered 2-way handshake: SYN(x) with the request, ACK(x+1)",
  .params = tcp2way_isn_params,
  .vt = { .protocol = &tcp2way_isn_vtable },
};

SYNACK_PLUGIN_DEFINE (protocol_tcp2way_isn, tcp2way_isn_desc)
