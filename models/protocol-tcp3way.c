/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/protocol-tcp3way.c - TCP as RFC 9293 specifies it: the 3-way
 * handshake, the 4-way close and all 11 states.
 *
 * Event processing follows RFC 9293 §3.10.7 step by step: one entry per
 * state (on_state[]), SYN_RECEIVED and TIME_WAIT with their own as lwIP's
 * tcp_timewait_input(), and the steps of §3.10.7.4 as helpers called in
 * the RFC's order (check_sequence, check_rst, check_syn, check_ack, then
 * process_text and process_fin); what a SYN does in TIME_WAIT is
 * time_wait_syn().  The RFC 5961 mitigations RFC 9293 adopts are in
 * (exact-RCV.NXT RST, challenge ACKs, the ACK range check).  Where the RFC
 * leaves a choice, what Linux 6.x does is taken and the kernel function cited:
 * the SYN_RECEIVED answer to a retransmitted SYN (tcp_check_req, if [tcp]
 * synack_on_dup_syn), the TIME_WAIT reopen by a new SYN
 * (tcp_timewait_state_process), SYN linear timeouts, dropping a SYN when the
 * SYN queue is full, dropping a request silently when its SYN,ACK retries run
 * out.
 *
 * The endpoints (tcp-common.h) are the per-connection TCBs; the server's
 * listener is implicit: a server slot in LISTEN or CLOSED has no
 * connection, and a SYN there is processed as RFC 9293 §3.10.7.2 says,
 * reported as LISTEN -> SYN_RECEIVED (the listener spawning a TCB).
 *
 * The workload (the core) opens from the client, sends one request of
 * tcp->request_bytes in the ACK that completes the handshake (as the note
 * says the third segment may), and closes.  The request is retransmitted
 * on the RTO like any data, so a lost final ACK is repaired either by the
 * server's SYN,ACK retransmission (answered by an ACK: the client's
 * ESTABLISHED finds it below RCV.NXT) or by the request's retransmission,
 * as in Linux.  Retransmissions repeat the earliest unacknowledged segment
 * (the SYN or SYN,ACK while it is unacknowledged; else the data from
 * SND.UNA, with the FIN when it has been sent: one segment, as Linux's
 * tcp_retrans_try_collapse may make).  Segments are processed in order
 * only: data or a FIN beyond RCV.NXT is not queued but answered with a
 * duplicate ACK, and comes again with the retransmission. */
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

/* ---- transmissions ------------------------------------------------------- */

/* Linux tcp_schedule_loss_probe(): the probe timeout with one segment in
 * flight, 2 SRTT + TCP_RTO_MIN (200 ms, for a delayed ACK), or
 * TCP_TIMEOUT_INIT (1 s) without an RTT sample. */
static SynackTime
tlp_timeout (const TcpCommon *self, const TcpEndpoint *ep)
{
  guint32 srtt = tcp_common_srtt_us (self, ep);

  if (srtt == 0)
    return SYNACK_SECOND;
  return 2 * (SynackTime) srtt * SYNACK_USECOND + 200 * SYNACK_MSECOND;
}

/* Arms the timer for data or a FIN outstanding: the RTO, or with [tcp] tlp
 * a tail loss probe first (RFC 8985 §7.2: once per tail, not after an
 * RTO), "If the RTO formula yields an earlier time, then use that time". */
static void
arm_rto (TcpCommon *self, TcpEndpoint *ep)
{
  SynackTime t = tcp_common_rto (self, ep, FALSE);

  ep->bits &= (guint8) ~TCP_EP_TLP;
  if (self->tcp->tlp && ep->timeouts == 0 && !(ep->bits & TCP_EP_TLP_SENT)) {
    t = MIN (t, tlp_timeout (self, ep));
    ep->bits |= TCP_EP_TLP;
  }
  tcp_common_timer_start (self, ep, t);
}

/* The client's request, on the ACK that completes its handshake as the note
 * says the third segment may ([tcp] request_in_ack); or, as Linux does, a
 * pure ACK (tcp_rcv_synsent_state_process() -> tcp_send_ack(): connect()
 * returns) and then the application's write as a segment of its own. */
static void
send_request (TcpCommon *self, TcpEndpoint *ep)
{
  guint32 len = self->tcp->request_bytes;

  if (!self->tcp->request_in_ack && len > 0)
    tcp_common_send_ack (self, ep);
  tcp_common_send (self, ep, F_ACK, ep->snd_nxt, ep->rcv_nxt, len, 0);
  ep->snd_nxt += len;
  if (len > 0)
    arm_rto (self, ep);
  else
    tcp_common_timer_stop (self, ep);
}

/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=FIN,ACK>; the FIN joins what is
 * outstanding, so a running retransmission timer keeps running (RFC 6298
 * 5.1: start it only if it is not). */
static void
send_fin (TcpCommon *self, TcpEndpoint *ep)
{
  tcp_common_send (self, ep, F_FIN | F_ACK, ep->snd_nxt, ep->rcv_nxt, 0, 0);
  ep->snd_nxt++;
  ep->bits |= TCP_EP_FIN_SENT;
  if (ep->timer == 0) {
    ep->timeouts = ep->rexmits = 0;
    arm_rto (self, ep);
  }
}

/* Linux tcp_check_req(): a retransmitted SYN (SEG.SEQ = IRS, SYN alone)
 * reaching a request in SYN_RECV makes inet_rtx_syn_ack() resend the
 * SYN,ACK and restarts the request timer at the current backoff
 * (reqsk_timeout()); it does not count as a timeout (num_timeout), so it
 * does not use up synack_retries.  Linux rate-limits these answers
 * (tcp_oow_rate_limited(), [tcp] invalid_ratelimit). */
static void
rtx_syn_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (!tcp_common_oow_ack_ok (self, ep, seg))
    return;
  ep->rexmits++;
  ep->bits |= TCP_EP_SYN_REXMIT;
  tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0,
                   ep->rexmits);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* ---- RFC 9293 §3.10.7.1-2: no connection -------------------------------- */

static void after_ack (TcpCommon *self, TcpEndpoint *ep,
                       const SynackSegment *seg);

/* Linux TCP_SYNCOOKIE_VALID: cookies are checked only this long after the
 * last one was sent (tcp_synq_no_recent_overflow()). */
#define COOKIE_VALID_NS (2 * 60 * SYNACK_SECOND)

/* A SYN answered with a cookie (RFC 4987 §3.6, Linux tcp_conn_request()
 * want_cookie): <SEQ=cookie><ACK=SEG.SEQ+1><CTL=SYN,ACK>, and no state:
 * the SYN,ACK is never retransmitted. */
static void
send_cookie (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             SynackTime now)
{
  self->last_cookie_ns = now;
  tcp_common_report (self, seg->conn, SYNACK_ROLE_SERVER, ep->client, ep->port,
                     SYNACK_TCP_LISTEN, SYNACK_TCP_LISTEN,
                     SYNACK_CAUSE_SYNCOOKIE, seg);
  tcp_common_send_stateless (self, ep, seg->conn, F_SYN | F_ACK,
                             tcp_common_cookie (self, ep, seg->seq, now),
                             seg->seq + 1, seg);
}

/* An ACK reaching the listener may carry a cookie (Linux
 * tcp_v4_cookie_check() -> cookie_v4_check()): SEG.ACK - 1 a valid cookie
 * for SEG.SEQ - 1 creates the connection, ESTABLISHED at once, and the
 * segment goes on as in ESTABLISHED; the final ACK lost, the client's next
 * segment (its request, its retransmission) does the same.  Without
 * timestamps there is no RTT sample: the 3 s fallback (Linux
 * tcp_init_metrics(): "RTT is not available from the SYN (due to
 * retransmits or syn cookies)").  Returns: FALSE if it was no cookie. */
static gboolean
cookie_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
            SynackTime now)
{
  if (self->tcp->syncookies == SYNACK_SYNCOOKIES_OFF ||
      self->last_cookie_ns < 0 ||
      now - self->last_cookie_ns >= COOKIE_VALID_NS ||
      (seg->flags & (F_SYN | F_RST)) ||
      !tcp_common_cookie_ok (self, ep, seg->seq - 1, seg->ack - 1, now))
    return FALSE;
  tcp_common_reset_endpoint (ep, seg->conn);
  ep->state = SYNACK_TCP_LISTEN;
  ep->irs = seg->seq - 1;
  ep->rcv_nxt = seg->seq;
  ep->iss = seg->ack - 1;
  ep->snd_una = ep->snd_nxt = seg->ack;
  tcp_common_syn_start (self, ep, seg, now);
  ep->bits |= TCP_EP_SYN_REXMIT;
  tcp_common_syn_acked (self, ep, seg, now);
  if (ep->rtt_us == 0 && self->tcp->rto_initial_ns < TCP_COMMON_RTO_FALLBACK_NS)
    ep->bits |= TCP_EP_RTO_FALLBACK;
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED,
                        SYNACK_CAUSE_SYNCOOKIE_ACK, seg);
  after_ack (self, ep, seg);
  return TRUE;
}

/* Linux tcp_conn_request() without cookies: "last quarter of backlog is
 * filled with destinations, proven to be alive" (tcp_peer_is_proven()). */
static gboolean
unproven_dropped (const TcpCommon *self, const TcpEndpoint *ep)
{
  const SynackTcpConfig *tcp = self->tcp;

  return tcp->syncookies == SYNACK_SYNCOOKIES_OFF && tcp->max_syn_backlog > 0 &&
         (gint64) tcp->max_syn_backlog - self->syn_received <
             (gint64) (tcp->max_syn_backlog >> 2) &&
         !tcp_common_peer_proven (self, ep->client);
}

/* The server's listener, RFC 9293 §3.10.7.2. */
static void
on_listen (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
           SynackTime now)
{
  const SynackTcpConfig *tcp = self->tcp;
  gboolean full;

  /* first: "An incoming RST segment could not be valid ... ignore it" */
  if (seg->flags & F_RST)
    return;
  /* second: "Any acknowledgment is bad if it arrives on a connection still
   * in the LISTEN state": <SEQ=SEG.ACK><CTL=RST> */
  if (seg->flags & F_ACK) {
    if (!cookie_ack (self, ep, seg, now))
      tcp_common_send_rst_reply (self, seg, seg->conn);
    return;
  }
  /* fourth: "Any other control or text-bearing segment ... drop it" */
  if (!(seg->flags & F_SYN))
    return;
  /* third: a SYN.  A full SYN queue answers it with a cookie ([tcp]
   * syncookies overflow; always: every SYN), or drops it, as Linux's
   * tcp_conn_request() does: the client's SYN retransmission tries again;
   * so does a SYN from an unproven peer once the queue is nearly full */
  full = tcp->backlog > 0 && self->syn_received >= tcp->backlog;
  if (tcp->syncookies == SYNACK_SYNCOOKIES_ALWAYS ||
      (full && tcp->syncookies == SYNACK_SYNCOOKIES_OVERFLOW)) {
    send_cookie (self, ep, seg, now);
    return;
  }
  if (full || unproven_dropped (self, ep)) {
    tcp_common_report (self, seg->conn, SYNACK_ROLE_SERVER,
                       tcp_common_client (self, ep), tcp_common_port (self, ep),
                       SYNACK_TCP_LISTEN, SYNACK_TCP_LISTEN,
                       SYNACK_CAUSE_BACKLOG, seg);
    return;
  }
  /* the new TCB takes the SYN's incarnation (labelling only) */
  tcp_common_reset_endpoint (ep, seg->conn);
  ep->state = SYNACK_TCP_LISTEN; /* a closed slot is the listener's again */
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1;
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->iss;
  ep->snd_nxt = ep->iss + 1;
  tcp_common_syn_start (self, ep, seg, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_RECEIVED, SYNACK_CAUSE_RCV,
                        seg);
  /* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
  tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0, 0);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* RFC 9293 §3.10.7.1: a client port with no connection. */
static void
on_closed (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
           SynackTime now)
{
  if (is_server (ep)) {
    /* a closed server slot: the listener takes it */
    on_listen (self, ep, seg, now);
    return;
  }
  tcp_common_send_rst_reply (self, seg, seg->conn);
}

/* ---- RFC 9293 §3.10.7.3: SYN_SENT --------------------------------------- */

static void
on_syn_sent (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             SynackTime now)
{
  gboolean ack_ok = FALSE;

  /* first: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the
   * RST bit is set ...) <SEQ=SEG.ACK><CTL=RST>": what rejects an old
   * duplicate SYN,ACK */
  if (seg->flags & F_ACK) {
    if (synack_seq_le (seg->ack, ep->iss) ||
        synack_seq_gt (seg->ack, ep->snd_nxt)) {
      if (!(seg->flags & F_RST))
        tcp_common_send (self, ep, F_RST, seg->ack, 0, 0, 0);
      return;
    }
    ack_ok = TRUE;   /* SND.UNA < SEG.ACK =< SND.NXT */
  }
  /* second: an acceptable RST (its ACK acks our SYN, RFC 5961 §3.2):
   * "connection reset", CLOSED; a RST without ACK is dropped */
  if (seg->flags & F_RST) {
    if (ack_ok)
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    return;
  }
  /* fifth: neither SYN nor RST: drop */
  if (!(seg->flags & F_SYN))
    return;
  /* fourth: the SYN */
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1;
  if (self->opts & TCP_OPT_TIMESTAMPS)
    ep->ts_recent = seg->tsval;
  if (ack_ok) {
    ep->snd_una = seg->ack;
    tcp_common_syn_acked (self, ep, seg, now);
    tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                          seg);
    send_request (self, ep); /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> + request */
    return;
  }
  /* simultaneous open: "enter SYN-RECEIVED, form a SYN,ACK segment
   * <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> and send it"; the SYN's timer goes
   * on, now for the SYN,ACK, which repeats our SYN (no RTT sample) */
  ep->bits |= TCP_EP_SYN_REXMIT;
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_RECEIVED, SYNACK_CAUSE_RCV,
                        seg);
  tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0, 0);
}

/* ---- RFC 9293 §3.10.7.4: SYN_RECEIVED and the synchronized states ------- */

/* First check: RCV.NXT =< SEG.SEQ < RCV.NXT+RCV.WND for an empty segment;
 * for one of length L, its first or last octet in the window.  RCV.WND is
 * tcp->window (> 0): the application consumes at once. */
static gboolean
seq_acceptable (const TcpCommon *self, const TcpEndpoint *ep,
                const SynackSegment *seg)
{
  guint32 len = synack_segment_seq_len (seg);
  guint32 lo = ep->rcv_nxt, hi = ep->rcv_nxt + self->tcp->window;

  if (len == 0)
    return synack_seq_le (lo, seg->seq) && synack_seq_lt (seg->seq, hi);
  return (synack_seq_le (lo, seg->seq) && synack_seq_lt (seg->seq, hi)) ||
         (synack_seq_le (lo, seg->seq + len - 1) &&
          synack_seq_lt (seg->seq + len - 1, hi));
}

/* The peer's SYN,ACK in a simultaneous open (RFC 9293 §3.5 Figure 8, line
 * 6): it repeats the SYN we have (SEG.SEQ + 1 = RCV.NXT) and acks ours
 * (SEG.ACK = SND.NXT), and it establishes the connection.  Taken literally,
 * §3.10.7.4 would refuse it twice (its only octet is below RCV.NXT; then
 * the SYN check); Linux lets exactly this segment through
 * (tcp_sequence() accepts an end at RCV.NXT, tcp_validate_incoming() skips
 * the challenge ACK), and so do we. */
static gboolean
is_simultaneous_synack (const TcpEndpoint *ep, const SynackSegment *seg)
{
  return ep->state == SYNACK_TCP_SYN_RECEIVED && !is_server (ep) &&
         (seg->flags & (F_SYN | F_ACK | F_RST)) == (F_SYN | F_ACK) &&
         seg->seq + 1 == ep->rcv_nxt && seg->ack == ep->snd_nxt;
}

static gboolean
takes_text (SynackTcpState s)
{
  return s == SYNACK_TCP_ESTABLISHED || s == SYNACK_TCP_FIN_WAIT_1 ||
         s == SYNACK_TCP_FIN_WAIT_2;
}

/* first: sequence number.  Returns: whether @seg passes it (the
 * simultaneous open's SYN,ACK included). */
static gboolean
sequence_ok (const TcpCommon *self, const TcpEndpoint *ep,
             const SynackSegment *seg)
{
  return seq_acceptable (self, ep, seg) || is_simultaneous_synack (ep, seg);
}

/* first, the answer to a failure: "If an incoming segment is not
 * acceptable, an acknowledgment should be sent in reply (unless the RST bit
 * is set, if so drop the segment)". */
static void
reject_unacceptable (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (!(seg->flags & F_RST) && tcp_common_oow_ack_ok (self, ep, seg))
    tcp_common_send_ack (self, ep);
}

/* A challenge ACK (RFC 5961 §3.2, §4, §5.2), rate-limited as Linux's
 * tcp_send_challenge_ack(): per connection ([tcp] invalid_ratelimit),
 * then per host ([tcp] challenge_ack_limit). */
static void
challenge_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (tcp_common_oow_ack_ok (self, ep, seg) &&
      tcp_common_challenge_ok (self, ep))
    tcp_common_send_ack (self, ep);
}

/* first, as one call.  Returns: TRUE if @seg goes on to the next steps. */
static gboolean
check_sequence (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (sequence_ok (self, ep, seg))
    return TRUE;
  reject_unacceptable (self, ep, seg);
  return FALSE;
}

/* second: RST (RFC 5961 §3.2: only an exact SEG.SEQ = RCV.NXT resets;
 * elsewhere in the window it gets a challenge ACK).  SYN_RECEIVED from a
 * passive OPEN returns to LISTEN; otherwise "connection refused" /
 * "connection reset": CLOSED.  Returns: TRUE if @seg had RST (it is
 * processed then). */
static gboolean
check_rst (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (!(seg->flags & F_RST))
    return FALSE;
  if (seg->seq != ep->rcv_nxt) {
    challenge_ack (self, ep, seg);
    return TRUE;
  }
  tcp_common_set_state (self, ep,
                        (ep->state == SYNACK_TCP_SYN_RECEIVED && is_server (ep))
                            ? SYNACK_TCP_LISTEN
                            : SYNACK_TCP_CLOSED,
                        SYNACK_CAUSE_RCV, seg);
  return TRUE;
}

/* fourth: SYN.  SYN_RECEIVED from a passive OPEN: "return this connection
 * to the LISTEN state and return"; otherwise a challenge ACK (RFC 5961
 * §4), but for the SYN,ACK of a simultaneous open.  (TIME_WAIT's SYN is
 * time_wait_syn()'s.)  Returns: TRUE if @seg was a SYN (processed then). */
static gboolean
check_syn (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  if (!(seg->flags & F_SYN) || is_simultaneous_synack (ep, seg))
    return FALSE;
  if (ep->state == SYNACK_TCP_SYN_RECEIVED && is_server (ep))
    tcp_common_set_state (self, ep, SYNACK_TCP_LISTEN, SYNACK_CAUSE_RCV, seg);
  else
    challenge_ack (self, ep, seg);
  return TRUE;
}

/* fifth, the acceptable ACK: "SND.UNA <- SEG.ACK", progress; RFC 6298
 * 5.2-5.3 for the timer.  SND.UNA < @ack =< SND.NXT. */
static void
advance_una (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             SynackTime now)
{
  gboolean syn_acked = ep->snd_una == ep->iss;

  ep->snd_una = seg->ack;
  if (syn_acked)
    tcp_common_syn_acked (self, ep, seg, now);
  else
    tcp_common_data_acked (self, ep);
  if (ep->snd_una == ep->snd_nxt) {
    ep->bits &= (guint8) ~TCP_EP_TLP;
    tcp_common_timer_stop (self, ep);
  } else if (syn_acked) {
    tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
  } else {
    arm_rto (self, ep);
  }
}

/* fifth: ACK, in the synchronized states past SYN_RECEIVED.  "if the ACK
 * bit is off, drop the segment and return"; "If the ACK acks something not
 * yet sent (SEG.ACK > SND.NXT), then send an ACK, drop the segment"; RFC
 * 5961 §5.2: so is an ACK below SND.UNA - MAX.SND.WND (the peer's window is
 * tcp->window too).  Returns: TRUE if @seg goes on. */
static gboolean
check_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
           SynackTime now)
{
  if (!(seg->flags & F_ACK))
    return FALSE;
  /* [tcp] ack_unsent_drop: Linux tcp_ack() in ESTABLISHED "If the ack
   * includes data we haven't sent yet, discard this segment", no reply */
  if (synack_seq_gt (seg->ack, ep->snd_nxt) && self->tcp->ack_unsent_drop &&
      ep->state == SYNACK_TCP_ESTABLISHED)
    return FALSE;
  if (synack_seq_gt (seg->ack, ep->snd_nxt) ||
      synack_seq_lt (seg->ack, ep->snd_una - self->tcp->window)) {
    challenge_ack (self, ep, seg);
    return FALSE;
  }
  if (synack_seq_gt (seg->ack, ep->snd_una))
    advance_una (self, ep, seg, now);
  return TRUE;
}

/* seventh: text, in ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2; every data
 * segment is ACKed at once (no delayed ACK).  Returns: whether an ACK is
 * due (new, duplicate or out of order: ACK RCV.NXT). */
static gboolean
process_text (TcpEndpoint *ep, const SynackSegment *seg)
{
  guint32 end = seg->seq + seg->len_bytes;

  if (seg->len_bytes == 0 || !takes_text ((SynackTcpState) ep->state))
    return FALSE;
  if (synack_seq_le (seg->seq, ep->rcv_nxt) && synack_seq_gt (end, ep->rcv_nxt))
    ep->rcv_nxt = end;
  return TRUE;
}

/* eighth: FIN.  @fin_now: the FIN is next in sequence (decided before the
 * text moved RCV.NXT); @fin_acked: our FIN is acknowledged.  Sends the ACK
 * that @need_ack (the text's) or the FIN asks for. */
static void
process_fin (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
             gboolean fin_now, gboolean fin_acked, gboolean need_ack)
{
  SynackTcpState state = (SynackTcpState) ep->state;

  if (fin_now) {
    ep->rcv_nxt++;
    need_ack = TRUE;
    switch (state) {
      case SYNACK_TCP_ESTABLISHED:
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSE_WAIT, SYNACK_CAUSE_RCV,
                              seg);
        break;
      case SYNACK_TCP_FIN_WAIT_1:
        /* "If our FIN has been ACKed (perhaps in this segment), then enter
         * TIME-WAIT ...; otherwise, enter the CLOSING state" */
        tcp_common_set_state (self, ep,
                              fin_acked ? SYNACK_TCP_TIME_WAIT
                                        : SYNACK_TCP_CLOSING,
                              SYNACK_CAUSE_RCV, seg);
        break;
      case SYNACK_TCP_FIN_WAIT_2:
        tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                              seg);
        break;
      default:
        break;
    }
  } else if (seg->flags & F_FIN) {
    /* CLOSE_WAIT: the peer's FIN is in already; elsewhere a FIN beyond
     * RCV.NXT: duplicate ACK, wait for the data */
    need_ack = TRUE;
  }
  if (need_ack)
    tcp_common_send_ack (self, ep);
}

/* What an acceptable ACK does past the fifth step's checks: the states'
 * own part of the fifth step, then text and FIN.  Shared by SYN_RECEIVED
 * (once ESTABLISHED) and the other synchronized states. */
static void
after_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  SynackTcpState state = (SynackTcpState) ep->state;
  gboolean fin_acked =
      (ep->bits & TCP_EP_FIN_SENT) && ep->snd_una == ep->snd_nxt;
  /* the FIN is next in sequence once the data before it is in */
  gboolean fin_now = (seg->flags & F_FIN) && takes_text (state) &&
                     synack_seq_le (seg->seq, ep->rcv_nxt) &&
                     synack_seq_ge (seg->seq + seg->len_bytes, ep->rcv_nxt);

  switch (state) {
    case SYNACK_TCP_FIN_WAIT_1:
      /* "if the FIN segment is now acknowledged, then enter FIN-WAIT-2"; a
       * FIN in this same segment goes straight to TIME_WAIT (eighth step) */
      if (fin_acked && !fin_now)
        tcp_common_set_state (self, ep, SYNACK_TCP_FIN_WAIT_2, SYNACK_CAUSE_RCV,
                              seg);
      break;
    case SYNACK_TCP_CLOSING:
      /* "if the ACK acknowledges our FIN, then enter the TIME-WAIT state;
       * otherwise, ignore the segment" */
      if (fin_acked)
        tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                              seg);
      return;
    case SYNACK_TCP_LAST_ACK:
      /* "If our FIN is now acknowledged, delete the TCB, enter the CLOSED
       * state" */
      if (fin_acked)
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV,
                              seg);
      return;
    default:
      break;
  }
  process_fin (self, ep, seg, fin_now, fin_acked, process_text (ep, seg));
}

/* ---- RFC 9293 §3.10.7.4: the states, one entry each --------------------- */

/* ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK: the
 * steps in the RFC's order. */
static void
on_synchronized (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
                 SynackTime now)
{
  if (!check_sequence (self, ep, seg))
    return;
  tcp_common_ts_update (self, ep, seg);
  if (check_rst (self, ep, seg) || check_syn (self, ep, seg) ||
      !check_ack (self, ep, seg, now))
    return;
  after_ack (self, ep, seg);
}

/* Linux tcp_check_req(): a retransmitted SYN (SEG.SEQ = IRS, SYN alone)
 * reaching a passive open's request, answered by rtx_syn_ack() if [tcp]
 * synack_on_dup_syn.  It always fails the sequence check. */
static gboolean
is_retransmitted_syn (const TcpCommon *self, const TcpEndpoint *ep,
                      const SynackSegment *seg)
{
  return is_server (ep) && self->tcp->synack_on_dup_syn &&
         (seg->flags & (F_SYN | F_ACK | F_RST)) == F_SYN && seg->seq == ep->irs;
}

/* SYN_RECEIVED: the same steps; its fifth step's ACK must ack our SYN
 * ("If SND.UNA < SEG.ACK =< SND.NXT, then enter ESTABLISHED state";
 * otherwise <SEQ=SEG.ACK><CTL=RST>), and then the segment goes on as in
 * ESTABLISHED. */
static void
on_syn_received (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
                 SynackTime now)
{
  if (!sequence_ok (self, ep, seg)) {
    if (is_retransmitted_syn (self, ep, seg))
      rtx_syn_ack (self, ep, seg);
    else
      reject_unacceptable (self, ep, seg);
    return;
  }
  tcp_common_ts_update (self, ep, seg);
  /* [tcp] syn_recv_reset: Linux tcp_check_req() "second check the RST bit"
   * and "fourth, check the SYN bit": any in-window RST or SYN ends the
   * request (embryonic_reset), a SYN answered by a RST */
  if (self->tcp->syn_recv_reset && is_server (ep) &&
      (seg->flags & (F_RST | F_SYN))) {
    if (!(seg->flags & F_RST))
      tcp_common_send_rst_reply (self, seg, ep->conn);
    tcp_common_set_state (self, ep, SYNACK_TCP_LISTEN, SYNACK_CAUSE_RCV, seg);
    return;
  }
  if (check_rst (self, ep, seg) || check_syn (self, ep, seg) ||
      !(seg->flags & F_ACK))
    return;
  if (!(synack_seq_lt (ep->snd_una, seg->ack) &&
        synack_seq_le (seg->ack, ep->snd_nxt))) {
    tcp_common_send (self, ep, F_RST, seg->ack, 0, 0, 0);
    return;
  }
  advance_una (self, ep, seg, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                        seg);
  if (!is_server (ep))
    send_request (self, ep);   /* simultaneous open: the client's request */
  after_ack (self, ep, seg);
}

/* What a SYN (without RST) does in TIME_WAIT, all of it.  A SYN above
 * RCV.NXT may reopen the connection (RFC 1122 4.2.2.13, RFC 6191): Linux
 * tcp_timewait_state_process() returns TCP_TW_SYN for it, and
 * tcp_v4_rcv() gives it to the listener, so the server's TIME_WAIT ends
 * and a new request starts; at the client no listener takes it and it is
 * ACKed (TCP_TW_ACK).  Any other SYN: outside the window the first check's
 * ACK (a FIN in it restarts the 2 MSL wait, as any retransmitted FIN), in
 * the window RFC 9293 §3.10.7.4 fourth step's challenge ACK. */
static void
time_wait_syn (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
               SynackTime now)
{
  if (is_server (ep) && (seg->flags & (F_SYN | F_ACK | F_RST)) == F_SYN &&
      synack_seq_gt (seg->seq, ep->rcv_nxt)) {
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    on_listen (self, ep, seg, now);
    return;
  }
  if ((!sequence_ok (self, ep, seg) && (seg->flags & F_FIN)) ||
      (self->tcp->time_wait_ack_restart && (seg->flags & F_ACK)))
    tcp_common_time_wait_start (self, ep);
  tcp_common_send_ack (self, ep);
}

/* TIME_WAIT (as lwIP's tcp_timewait_input()): a SYN is time_wait_syn()'s;
 * a retransmitted FIN, in the window or not: "Acknowledge it, and restart
 * the 2 MSL timeout" (eighth step; Linux restarts it too); an exact RST
 * ends it (RFC 9293 keeps RFC 793's TIME_WAIT assassination; RFC 1337 is
 * not adopted); the rest as in the other states, with nothing left to
 * acknowledge. */
static void
on_time_wait (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
              SynackTime now)
{
  guint16 f = seg->flags;

  if ((f & (F_SYN | F_RST)) == F_SYN) {
    time_wait_syn (self, ep, seg, now);
    return;
  }
  /* [tcp] time_wait_ack_restart: Linux reschedules the wait on any
   * segment with ACK but a RST ("if (paws_reject || th->ack)
   * inet_twsk_reschedule()"; in the window "bare ack" too) */
  gboolean restart =
      (f & F_FIN) || (self->tcp->time_wait_ack_restart && (f & F_ACK));

  if (!sequence_ok (self, ep, seg)) {
    if (!(f & F_RST)) {
      if (restart)
        tcp_common_time_wait_start (self, ep);
      tcp_common_send_ack (self, ep);
    }
    return;
  }
  if (check_rst (self, ep, seg))
    return;
  if (restart && !(f & F_FIN))
    tcp_common_time_wait_start (self, ep);
  if (!check_ack (self, ep, seg, now))
    return;
  if (f & F_FIN) {
    tcp_common_time_wait_start (self, ep);
    tcp_common_send_ack (self, ep);
  }
}

/* Per-state dispatch (STYLE §7). */
static const TcpSegmentFunc on_state[SYNACK_TCP_N_STATES] = {
  [SYNACK_TCP_CLOSED] = on_closed,
  [SYNACK_TCP_LISTEN] = on_listen,
  [SYNACK_TCP_SYN_SENT] = on_syn_sent,
  [SYNACK_TCP_SYN_RECEIVED] = on_syn_received,
  [SYNACK_TCP_ESTABLISHED] = on_synchronized,
  [SYNACK_TCP_FIN_WAIT_1] = on_synchronized,
  [SYNACK_TCP_FIN_WAIT_2] = on_synchronized,
  [SYNACK_TCP_CLOSE_WAIT] = on_synchronized,
  [SYNACK_TCP_CLOSING] = on_synchronized,
  [SYNACK_TCP_LAST_ACK] = on_synchronized,
  [SYNACK_TCP_TIME_WAIT] = on_time_wait,
};

/* ---- timeouts ------------------------------------------------------------ */

/* The retransmission timer expired (tcp-common handles TIME_WAIT and
 * FIN_WAIT_2).  Limits (tcp_common_retry() closes the endpoint when they
 * are used up): an active open's SYN, tcp_common_syn_limit(); the SYN,ACK
 * of a passive open, synack_retries (reqsk_timer_handler()), of a
 * simultaneous open syn_retries (a full socket in SYN_RECV); data and FIN,
 * fin_retries (R2, RFC 9293 §3.8.3; Linux tcp_orphan_retries). */
/* The SYN,ACK retransmissions a request gets: synack_retries, or with
 * [tcp] syn_queue_prune Linux reqsk_timer_handler()'s thresh: once the
 * queue is more than half full, one fewer (down to 2) for each halving of
 * the young requests' share ("we reserve half of room for young embrions;
 * and abort old ones without pity"). */
static guint
synack_limit (const TcpCommon *self, const TcpEndpoint *ep)
{
  const SynackTcpConfig *tcp = self->tcp;
  guint max = tcp->synack_retries;
  guint64 qlen = self->syn_received, young = (guint64) self->syn_young << 1;

  if (!is_server (ep))
    return tcp->syn_retries;
  if (!tcp->syn_queue_prune || tcp->backlog == 0 ||
      ep->state != SYNACK_TCP_SYN_RECEIVED ||
      (qlen << 1) <= MAX (8u, tcp->backlog))
    return max;
  while (max > 2 && qlen >= young) {
    max--;
    young <<= 1;
  }
  return max;
}

/* Resends what is outstanding from SND.UNA: data, with the FIN if sent. */
static void
resend_data (TcpCommon *self, TcpEndpoint *ep)
{
  gboolean fin = (ep->bits & TCP_EP_FIN_SENT) != 0;
  guint32 len = ep->snd_nxt - ep->snd_una - (fin ? 1 : 0);

  tcp_common_send (self, ep, F_ACK | (fin ? F_FIN : 0), ep->snd_una,
                   ep->rcv_nxt, len, ep->rexmits);
}

/* Whether an orphan gives up now: after fin_retries retransmissions, or
 * with [tcp] orphan_time_budget once the time since its FIN left reaches
 * Linux's budget (tcp_write_timeout() -> retransmits_timed_out()). */
static gboolean
orphan_gives_up (const TcpCommon *self, const TcpEndpoint *ep)
{
  SynackTime elapsed;

  if (!self->tcp->orphan_time_budget || !(ep->bits & TCP_EP_FIN_SENT))
    return ep->timeouts >= self->tcp->fin_retries;
  elapsed = tcp_common_backoff_elapsed (self, ep);
  if (ep->bits & TCP_EP_TLP_SENT)
    elapsed += MIN (tlp_timeout (self, ep), tcp_common_rto_base (self, ep));
  return elapsed >= tcp_common_retry_budget (self, self->tcp->fin_retries);
}

static void
tcp3way_retransmit (TcpCommon *self, TcpEndpoint *ep, SynackTime now)
{
  if (ep->state == SYNACK_TCP_SYN_SENT) {
    if (!tcp_common_retry (self, ep, tcp_common_syn_limit (self)))
      return;
    ep->bits |= TCP_EP_SYN_REXMIT;
    tcp_common_send (self, ep, F_SYN, ep->iss, 0, 0, ep->rexmits);
    tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
    return;
  }
  if (ep->snd_una == ep->iss) {
    /* our SYN,ACK is unacknowledged: SYN_RECEIVED, or FIN_WAIT_1 after a
     * close there.  Nothing was synchronized: give up without a RST
     * (Linux drops the request silently) */
    if (!tcp_common_retry (self, ep, synack_limit (self, ep)))
      return;
    if (is_server (ep) && ep->state == SYNACK_TCP_SYN_RECEIVED &&
        ep->timeouts == 1)
      self->syn_young--;   /* Linux: "if (req->num_timeout++ == 0) young--" */
    ep->bits |= TCP_EP_SYN_REXMIT;
    tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0,
                     ep->rexmits);
    tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
    return;
  }
  if (ep->snd_una == ep->snd_nxt)
    return;   /* nothing outstanding (the timer is stopped then) */
  if (ep->bits & TCP_EP_TLP) {
    /* the tail loss probe (Linux tcp_send_loss_probe()): the last segment
     * again, no backoff, then the RTO from now (tcp_rearm_rto()) */
    ep->bits = (guint8) ((ep->bits & ~TCP_EP_TLP) | TCP_EP_TLP_SENT);
    ep->rexmits++;
    resend_data (self, ep);
    tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
    return;
  }
  if (orphan_gives_up (self, ep)) {
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_TIMEOUT,
                          NULL);
    return;
  }
  ep->timeouts++;
  ep->rexmits++;
  resend_data (self, ep);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* ---- the vtable ---------------------------------------------------------- */

static gpointer
tcp3way_create (const SynackProtocolEnv *env, const SynackParams *params,
                GError **error)
{
  TcpCommon *self = tcp_common_new (env, tcp3way_retransmit);
  const SynackTcpConfig *tcp = env->tcp;

  if (tcp->timestamps)
    self->opts |= TCP_OPT_TIMESTAMPS;
  if (tcp->rto_estimator == SYNACK_RTO_LINUX)
    self->opts |= TCP_OPT_RTO_LINUX;
  if (tcp->metrics_cache)
    self->opts |= TCP_OPT_METRICS_CACHE;
  return self;
}

/* RFC 9293 §3.10.1 OPEN, active: "A SYN segment of the form <SEQ=ISS><CTL=SYN>
 * is sent ... enter SYN-SENT". */
static gboolean
tcp3way_connect (gpointer data, guint32 client, guint16 port, SynackConnId conn,
                 SynackTime now)
{
  TcpCommon *self = data;
  TcpEndpoint *ep = tcp_common_open_endpoint (self, client, port, conn);

  if (ep == NULL)
    return FALSE;
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->iss;
  ep->snd_nxt = ep->iss + 1;
  tcp_common_syn_start (self, ep, NULL, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_SENT, SYNACK_CAUSE_APP_OPEN,
                        NULL);
  tcp_common_send (self, ep, F_SYN, ep->iss, 0, 0, 0);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
  return TRUE;
}

/* RFC 9293 §3.10.4 CLOSE. */
static void
tcp3way_close (gpointer data, SynackRole role, guint32 client, guint16 port,
               SynackConnId conn, SynackTime now)
{
  TcpCommon *self = data;
  TcpEndpoint *ep = tcp_common_close_endpoint (self, role, client, port, conn);

  if (ep == NULL)
    return;
  switch (ep->state) {
    case SYNACK_TCP_SYN_SENT:
      /* "Delete the TCB and return 'error: closing' responses" */
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_APP_CLOSE,
                            NULL);
      break;
    case SYNACK_TCP_SYN_RECEIVED:
      /* "If no SENDs have been issued and there is no pending data to
       * send, then form a FIN segment and send it, and enter FIN-WAIT-1" */
    case SYNACK_TCP_ESTABLISHED:
      tcp_common_set_state (self, ep, SYNACK_TCP_FIN_WAIT_1,
                            SYNACK_CAUSE_APP_CLOSE, NULL);
      send_fin (self, ep);
      break;
    case SYNACK_TCP_CLOSE_WAIT:
      tcp_common_set_state (self, ep, SYNACK_TCP_LAST_ACK,
                            SYNACK_CAUSE_APP_CLOSE, NULL);
      send_fin (self, ep);
      break;
    default:
      /* LISTEN, CLOSED: no connection; later states: already closing */
      break;
  }
}

/* RFC 9293 §3.10.7: the state decides what a segment does. */
static void
dispatch (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
          SynackTime now)
{
  on_state[ep->state] (self, ep, seg, now);
}

static void
tcp3way_receive (gpointer data, const SynackSegment *seg, SynackTime now)
{
  tcp_common_receive (data, seg, now, dispatch);
}

static const SynackProtocolVtable tcp3way_vtable = {
  .create = tcp3way_create,
  .connect = tcp3way_connect,
  .close = tcp3way_close,
  .receive = tcp3way_receive,
  .destroy = tcp_common_vfunc_destroy,
};

/* Every [tcp] key arrives typed in env->tcp: no parameters of its own. */
static const SynackParamSpec tcp3way_params[] = {
  { NULL },
};

static const SynackPluginDesc tcp3way_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_PROTOCOL,
  .name = "tcp3way",
  .summary = "TCP per RFC 9293: 3-way handshake, 4-way close, all 11 states",
  .params = tcp3way_params,
  .vt = { .protocol = &tcp3way_vtable },
};

SYNACK_PLUGIN_DEFINE (protocol_tcp3way, tcp3way_desc)
