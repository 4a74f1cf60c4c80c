/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp3way-open.c - tcp3way before a connection is synchronized:
 * RFC 9293 §3.10.7.1-3, a segment reaching CLOSED, LISTEN (the listener,
 * with SYN cookies and the SYN queue's limits) or SYN_SENT.  The design
 * comment is in protocol-tcp3way.c. */
#include "tcp3way.h"

/* ---- RFC 9293 §3.10.7.1-2: no connection -------------------------------- */

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
  tcp3way_after_ack (self, ep, seg);
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
void
tcp3way_on_listen (TcpCommon *self, TcpEndpoint *ep,
                   const SynackSegment *seg, SynackTime now)
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
  tcp_common_passive_open (self, ep, seg, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_RECEIVED, SYNACK_CAUSE_RCV,
                        seg);
  /* <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK> */
  tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0, 0);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* RFC 9293 §3.10.7.1: a client port with no connection. */
void
tcp3way_on_closed (TcpCommon *self, TcpEndpoint *ep,
                   const SynackSegment *seg, SynackTime now)
{
  if (is_server (ep)) {
    /* a closed server slot: the listener takes it */
    tcp3way_on_listen (self, ep, seg, now);
    return;
  }
  tcp_common_send_rst_reply (self, seg, seg->conn);
}

/* ---- RFC 9293 §3.10.7.3: SYN_SENT --------------------------------------- */

void
tcp3way_on_syn_sent (TcpCommon *self, TcpEndpoint *ep,
                     const SynackSegment *seg, SynackTime now)
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
    /* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> + request */
    tcp3way_send_request (self, ep);
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
