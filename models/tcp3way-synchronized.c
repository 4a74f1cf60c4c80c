/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp3way-synchronized.c - tcp3way once a SYN has been answered:
 * RFC 9293 §3.10.7.4, the steps (check_sequence, check_rst, check_syn,
 * check_ack, process_text, process_fin) and one entry per state:
 * SYN_RECEIVED, TIME_WAIT (with time_wait_syn(), all a SYN does there)
 * and the six others.  The design comment is in protocol-tcp3way.c. */
#include "tcp3way.h"

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
    tcp3way_arm_rto (self, ep);
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
void
tcp3way_after_ack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg)
{
  SynackTcpState state = (SynackTcpState) ep->state;
  gboolean fin_acked =
      (ep->bits & TCP_EP_FIN_SENT) && ep->snd_una == ep->snd_nxt;
  /* the FIN is next in sequence once the data before it is in */
  gboolean fin_now = (seg->flags & F_FIN) && takes_text (state) &&
                     synack_seq_le (seg->seq, ep->rcv_nxt) &&
                     synack_seq_ge (seg->seq + seg->len_bytes, ep->rcv_nxt);

  /* a FIN in this same segment goes straight to TIME_WAIT (eighth step) */
  if (!tcp_common_closing_ack (self, ep, state, fin_acked, fin_now, seg))
    return;
  process_fin (self, ep, seg, fin_now, fin_acked, process_text (ep, seg));
}

/* ---- RFC 9293 §3.10.7.4: the states, one entry each --------------------- */

/* ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK: the
 * steps in the RFC's order. */
void
tcp3way_on_synchronized (TcpCommon *self, TcpEndpoint *ep,
                         const SynackSegment *seg, SynackTime now)
{
  if (!check_sequence (self, ep, seg))
    return;
  tcp_common_ts_update (self, ep, seg);
  if (check_rst (self, ep, seg) || check_syn (self, ep, seg) ||
      !check_ack (self, ep, seg, now))
    return;
  tcp3way_after_ack (self, ep, seg);
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
void
tcp3way_on_syn_received (TcpCommon *self, TcpEndpoint *ep,
                         const SynackSegment *seg, SynackTime now)
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
    tcp3way_send_request (self, ep); /* simultaneous open: its request */
  tcp3way_after_ack (self, ep, seg);
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
    tcp3way_on_listen (self, ep, seg, now);
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
void
tcp3way_on_time_wait (TcpCommon *self, TcpEndpoint *ep,
                      const SynackSegment *seg, SynackTime now)
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
