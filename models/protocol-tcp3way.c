/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/protocol-tcp3way.c - TCP as RFC 9293 specifies it: the 3-way
 * handshake, the 4-way close and all 11 states.
 *
 * Event processing follows RFC 9293 §3.10.7 step by step: one entry per
 * state (on_state[]), SYN_RECEIVED and TIME_WAIT with their own as lwIP's
 * tcp_timewait_input(), and the steps of §3.10.7.4 as helpers called in
 * the RFC's order (check_sequence, check_rst, check_syn, check_ack, then
 * process_text and process_fin, in tcp3way-synchronized.c); what a SYN
 * does in TIME_WAIT is time_wait_syn() there.  CLOSED, LISTEN and
 * SYN_SENT are in tcp3way-open.c, what the files share in tcp3way.h.  The
 * RFC 5961 mitigations RFC 9293 adopts are in (exact-RCV.NXT RST,
 * challenge ACKs, the ACK range check).  Where the RFC leaves a choice,
 * what Linux 6.x does is taken and the kernel function cited: the
 * SYN_RECEIVED answer to a retransmitted SYN (tcp_check_req, if [tcp]
 * synack_on_dup_syn), the TIME_WAIT reopen by a new SYN
 * (tcp_timewait_state_process), SYN linear timeouts, dropping a SYN when
 * the SYN queue is full, dropping a request silently when its SYN,ACK
 * retries run out.
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
#include "tcp3way.h"

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
void
tcp3way_arm_rto (TcpCommon *self, TcpEndpoint *ep)
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
void
tcp3way_send_request (TcpCommon *self, TcpEndpoint *ep)
{
  guint32 len = self->tcp->request_bytes;

  if (!self->tcp->request_in_ack && len > 0)
    tcp_common_send_ack (self, ep);
  tcp_common_send (self, ep, F_ACK, ep->snd_nxt, ep->rcv_nxt, len, 0);
  ep->snd_nxt += len;
  if (len > 0)
    tcp3way_arm_rto (self, ep);
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
    tcp3way_arm_rto (self, ep);
  }
}

/* Per-state dispatch (STYLE §7). */
static const TcpSegmentFunc on_state[SYNACK_TCP_N_STATES] = {
  [SYNACK_TCP_CLOSED] = tcp3way_on_closed,
  [SYNACK_TCP_LISTEN] = tcp3way_on_listen,
  [SYNACK_TCP_SYN_SENT] = tcp3way_on_syn_sent,
  [SYNACK_TCP_SYN_RECEIVED] = tcp3way_on_syn_received,
  [SYNACK_TCP_ESTABLISHED] = tcp3way_on_synchronized,
  [SYNACK_TCP_FIN_WAIT_1] = tcp3way_on_synchronized,
  [SYNACK_TCP_FIN_WAIT_2] = tcp3way_on_synchronized,
  [SYNACK_TCP_CLOSE_WAIT] = tcp3way_on_synchronized,
  [SYNACK_TCP_CLOSING] = tcp3way_on_synchronized,
  [SYNACK_TCP_LAST_ACK] = tcp3way_on_synchronized,
  [SYNACK_TCP_TIME_WAIT] = tcp3way_on_time_wait,
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
