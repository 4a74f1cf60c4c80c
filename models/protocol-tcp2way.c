/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/protocol-tcp2way.c - the source note's 2-way handshake: one SYN,
 * one ACK, and no initial sequence numbers.
 *
 * Behaviour, precisely:
 *  - Open.  connect() takes the client port from CLOSED to SYN_SENT (cause
 *    "app open") and sends a SYN that carries the request itself
 *    (len_bytes = tcp->request_bytes).  Every segment has seq = 0 and
 *    ack = 0: there is no ISN exchange, so nothing can be numbered or
 *    checked.  The SYN is retransmitted on the RTO with the same backoff as
 *    tcp3way (rto_initial, the first syn_linear_timeouts retransmissions
 *    without backoff, then x rto_backoff up to rto_max) until an ACK
 *    arrives; after syn_retries + syn_linear_timeouts retransmissions (as
 *    tcp3way, as Linux) the client gives up: SYN_SENT -> CLOSED ("timeout").
 *  - The server cannot tell a new SYN from a retransmitted or an old one:
 *    every SYN reaching it opens, or re-opens, the connection of that
 *    4-tuple and executes the request again.  A slot with no connection
 *    (LISTEN or CLOSED) goes LISTEN -> ESTABLISHED; a slot in any other
 *    state goes from that state to ESTABLISHED (ESTABLISHED ->
 *    ESTABLISHED included), its timer stopped.  Either way the endpoint is
 *    relabelled with the SYN's incarnation (conn) and sends an ACK.
 *  - The client becomes ESTABLISHED on any ACK arriving on its 4-tuple in
 *    SYN_SENT: it cannot tell the ACK of this SYN from the ACK of an
 *    earlier incarnation's SYN still in flight.  (The ACK gives the RTT
 *    sample if the SYN was not retransmitted, as in tcp3way.)
 *  - Close: the same 4-way exchange and states as tcp3way (ESTABLISHED ->
 *    FIN_WAIT_1, CLOSE_WAIT -> LAST_ACK, each sending FIN,ACK; close in
 *    SYN_SENT -> CLOSED), but with no sequence numbers to check: any FIN is
 *    accepted (ESTABLISHED -> CLOSE_WAIT; FIN_WAIT_1 -> TIME_WAIT if the
 *    segment also has ACK, else CLOSING; FIN_WAIT_2 -> TIME_WAIT; TIME_WAIT
 *    re-ACKs it and restarts the 2 MSL timer; CLOSE_WAIT re-ACKs it) and
 *    any ACK in FIN_WAIT_1, CLOSING or LAST_ACK is taken as the ACK of our
 *    FIN.  The FIN is retransmitted like tcp3way's, fin_retries times, then
 *    the endpoint closes without a word (CLOSED, "timeout").  FIN_WAIT_2 and
 *    TIME_WAIT timeouts are tcp3way's (tcp-common).
 *  - RST: a segment reaching no connection (a client port in CLOSED, a
 *    server slot in LISTEN or CLOSED with anything but a SYN) is answered
 *    by a RST in RFC 9293 §3.10.7.1's form, never a RST by a RST.  A RST
 *    aborts an endpoint in any other state, SYN_SENT included (nothing can
 *    tell a stale RST from a fresh one either), -> CLOSED.
 *
 * Why this produces what the note claims:
 *  - Duplicate executions: a SYN whose ACK was lost is retransmitted and
 *    the server executes it again (ESTABLISHED -> ESTABLISHED); a SYN
 *    duplicated or delayed by the network is executed as many times as it
 *    arrives, even after the connection ended (a "ghost": the server
 *    re-opens a 4-tuple nobody uses, and holds it ESTABLISHED).
 *  - Half-open connections: the server is ESTABLISHED as soon as the SYN
 *    arrives, whatever becomes of its ACK; if every ACK is lost the client
 *    gives up (CLOSED) while the server stays ESTABLISHED, and a re-opened
 *    ghost has no client at all.  Conversely a late ACK of an old
 *    incarnation makes a new SYN_SENT client ESTABLISHED though the server
 *    never saw its SYN.
 *  - Loss, delay and reordering cannot be detected: with no numbers, an old
 *    FIN or ACK is taken as the current one (a stale ACK in FIN_WAIT_1
 *    "acknowledges" a FIN that was lost; a stale FIN closes a fresh
 *    connection).  tcp3way rejects each of these by its sequence checks. */
#include "tcp-common.h"

#define F_FIN SYNACK_FLAG_FIN
#define F_SYN SYNACK_FLAG_SYN
#define F_RST SYNACK_FLAG_RST
#define F_ACK SYNACK_FLAG_ACK

static void
send_ctl (TcpCommon *self, TcpEndpoint *ep, guint16 flags, guint retrans)
{
  tcp_common_send (self, ep, flags, 0, 0, 0, retrans);
}

static void
send_syn (TcpCommon *self, TcpEndpoint *ep, guint retrans)
{
  tcp_common_send (self, ep, F_SYN, 0, 0, self->tcp->request_bytes, retrans);
}

static void
send_fin (TcpCommon *self, TcpEndpoint *ep)
{
  send_ctl (self, ep, F_FIN | F_ACK, 0);
  ep->bits |= TCP_EP_FIN_SENT;
  ep->timeouts = ep->rexmits = 0;
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* ---- timeouts ------------------------------------------------------------ */

static void
tcp2way_retransmit (TcpCommon *self, TcpEndpoint *ep, SynackTime now)
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
      if (!tcp_common_retry (self, ep, tcp->fin_retries))
        return;
      send_ctl (self, ep, F_FIN | F_ACK, ep->rexmits);
      tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
      break;
    default:
      break;   /* nothing outstanding */
  }
}

/* ---- receiving ----------------------------------------------------------- */

/* Every SYN at the server (re)opens the connection and executes the request. */
static void
server_syn (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
            SynackTime now)
{
  if (ep->state == SYNACK_TCP_CLOSED)
    ep->state = SYNACK_TCP_LISTEN;   /* no connection: the listener takes it */
  tcp_common_timer_stop (self, ep);
  tcp_common_reset_endpoint (ep, seg->conn);
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                        seg);
  send_ctl (self, ep, F_ACK, 0);
}

static void
on_segment (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
            SynackTime now)
{
  guint16 f = seg->flags;
  gboolean server = (ep->bits & TCP_EP_SERVER) != 0;

  if (server && (f & F_SYN) && !(f & F_RST)) {
    server_syn (self, ep, seg, now);
    return;
  }
  if (!tcp_common_has_connection (ep)) {
    tcp_common_send_rst_reply (self, seg, seg->conn);   /* never to a RST */
    return;
  }
  if (f & F_RST) {
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    return;
  }

  switch (ep->state) {
    case SYNACK_TCP_SYN_SENT:
      if (!(f & F_ACK))
        return;
      tcp_common_syn_acked (self, ep, seg, now);
      tcp_common_timer_stop (self, ep);
      tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                            seg);
      if (f & F_FIN) {
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSE_WAIT, SYNACK_CAUSE_RCV,
                              seg);
        send_ctl (self, ep, F_ACK, 0);
      }
      break;
    case SYNACK_TCP_ESTABLISHED:
      if (f & F_FIN) {
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSE_WAIT, SYNACK_CAUSE_RCV,
                              seg);
        send_ctl (self, ep, F_ACK, 0);
      }
      break;
    case SYNACK_TCP_FIN_WAIT_1:
      if (f & F_FIN) {
        tcp_common_set_state (self, ep,
                              (f & F_ACK) ? SYNACK_TCP_TIME_WAIT
                                          : SYNACK_TCP_CLOSING,
                              SYNACK_CAUSE_RCV, seg);
        send_ctl (self, ep, F_ACK, 0);
      } else if (f & F_ACK) {
        tcp_common_set_state (self, ep, SYNACK_TCP_FIN_WAIT_2, SYNACK_CAUSE_RCV,
                              seg);
      }
      break;
    case SYNACK_TCP_FIN_WAIT_2:
      if (f & F_FIN) {
        tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                              seg);
        send_ctl (self, ep, F_ACK, 0);
      }
      break;
    case SYNACK_TCP_CLOSE_WAIT:
      if (f & F_FIN)
        send_ctl (self, ep, F_ACK, 0);
      break;
    case SYNACK_TCP_CLOSING:
      if (f & F_ACK)
        tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                              seg);
      if (f & F_FIN)
        send_ctl (self, ep, F_ACK, 0);
      break;
    case SYNACK_TCP_LAST_ACK:
      if (f & F_ACK)
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV,
                              seg);
      else if (f & F_FIN)
        send_ctl (self, ep, F_ACK, 0);
      break;
    case SYNACK_TCP_TIME_WAIT:
      if (f & F_FIN) {
        tcp_common_time_wait_start (self, ep);
        send_ctl (self, ep, F_ACK, 0);
      }
      break;
    default:
      break;
  }
}

/* ---- the vtable ---------------------------------------------------------- */

static gpointer
tcp2way_create (const SynackProtocolEnv *env, const SynackParams *params,
                GError **error)
{
  return tcp_common_new (env, tcp2way_retransmit);
}

static gboolean
tcp2way_connect (gpointer data, guint32 client, guint16 port, SynackConnId conn,
                 SynackTime now)
{
  TcpCommon *self = data;
  TcpEndpoint *ep = tcp_common_open_endpoint (self, client, port, conn);

  if (ep == NULL)
    return FALSE;
  ep->syn_sent_ns = now;
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_SENT, SYNACK_CAUSE_APP_OPEN,
                        NULL);
  send_syn (self, ep, 0);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
  return TRUE;
}

static void
tcp2way_close (gpointer data, SynackRole role, guint32 client, guint16 port,
               SynackConnId conn, SynackTime now)
{
  tcp_common_close_2way (data, role, client, port, conn, send_fin);
}

static void
tcp2way_receive (gpointer data, const SynackSegment *seg, SynackTime now)
{
  tcp_common_receive (data, seg, now, on_segment);
}

static const SynackProtocolVtable tcp2way_vtable = {
  .create = tcp2way_create,
  .connect = tcp2way_connect,
  .close = tcp2way_close,
  .receive = tcp2way_receive,
  .destroy = tcp_common_vfunc_destroy,
};

static const SynackParamSpec tcp2way_params[] = {
  { NULL },
};

static const SynackPluginDesc tcp2way_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_PROTOCOL,
  .name = "tcp2way",
  .summary =
      "the note's 2-way handshake: SYN (with the request) and ACK, no ISNs",
  .params = tcp2way_params,
  .vt = { .protocol = &tcp2way_vtable },
};

SYNACK_PLUGIN_DEFINE (protocol_tcp2way, tcp2way_desc)
