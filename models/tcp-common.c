/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp-common.c - the parts of a TCP endpoint both protocol models
 * share (see tcp-common.h).
 *
 * Why this data structure: a run may hold millions of connection slots,
 * most of them idle, so an endpoint is a 64-byte record in a page of 1024
 * allocated on first touch; a slot's index is computed from (client,
 * port), so there is no hash table, no per-connection malloc and no
 * per-segment malloc (segments are built on the stack and copied by the
 * link).  Each endpoint owns at most one timer; its meaning follows the
 * state, so restarting or stopping it never needs to know what it was.
 *
 * The timers and the RTO are in tcp-timers.c, SYN cookies and the rate
 * limits on answers in tcp-defenses.c; the declarations of all three are
 * in tcp-common.h. */
#include "tcp-common.h"

#include <string.h>

G_STATIC_ASSERT (sizeof (TcpEndpoint) <= 64);

TcpCommon *
tcp_common_new (const SynackProtocolEnv *env, TcpRetransmitFunc retransmit)
{
  TcpCommon *self;
  guint64 slots;

  g_return_val_if_fail (env != NULL && env->tcp != NULL && retransmit != NULL,
                        NULL);

  slots = (guint64) env->n_clients * env->n_ports;
  g_return_val_if_fail (slots <= G_MAXUINT32, NULL);

  self = g_new0 (TcpCommon, 1);
  self->env = env;
  self->tcp = env->tcp;
  self->retransmit = retransmit;
  self->n_slots = (guint32) slots;
  self->n_pages =
      (guint32) ((slots + TCP_COMMON_PAGE_SLOTS - 1) / TCP_COMMON_PAGE_SLOTS);
  self->pages[SYNACK_ROLE_CLIENT] = g_new0 (TcpEndpoint *, self->n_pages);
  self->pages[SYNACK_ROLE_SERVER] = g_new0 (TcpEndpoint *, self->n_pages);
  /* RFC 6528's secret: fixed per run, so equal seeds give equal ISNs */
  self->isn_secret = synack_rng_derive_seed (env->seed, "protocol.isn.secret");
  self->rtt_cache[SYNACK_ROLE_CLIENT] =
      g_new0 (guint32, (gsize) env->n_clients + 1);
  self->rtt_cache[SYNACK_ROLE_SERVER] =
      g_new0 (guint32, (gsize) env->n_clients + 1);
  self->last_cookie_ns = -1;
  self->challenge_sec = g_new0 (guint64, (gsize) env->n_clients + 1);
  self->challenge_left = g_new0 (guint32, (gsize) env->n_clients + 1);
  return self;
}

void
tcp_common_free (TcpCommon *self)
{
  if (self == NULL)
    return;
  for (guint r = 0; r < 2; r++) {
    for (guint32 p = 0; p < self->n_pages; p++)
      g_free (self->pages[r][p]);
    g_free (self->pages[r]);
  }
  g_free (self->tw_ring);
  g_free (self->rtt_cache[SYNACK_ROLE_CLIENT]);
  g_free (self->rtt_cache[SYNACK_ROLE_SERVER]);
  g_free (self->challenge_sec);
  g_free (self->challenge_left);
  g_free (self);
}

void
tcp_common_vfunc_destroy (gpointer data)
{
  tcp_common_free (data);
}

void
tcp_common_close_2way (TcpCommon *self, SynackRole role, guint32 client,
                       guint16 port, SynackConnId conn,
                       void (*send_fin) (TcpCommon *self, TcpEndpoint *ep))
{
  TcpEndpoint *ep = tcp_common_close_endpoint (self, role, client, port, conn);

  if (ep == NULL)
    return;
  switch (ep->state) {
    case SYNACK_TCP_SYN_SENT:
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_APP_CLOSE,
                            NULL);
      break;
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
      break;
  }
}

void
tcp_common_receive (TcpCommon *self, const SynackSegment *seg, SynackTime now,
                    TcpSegmentFunc handle)
{
  TcpEndpoint *ep = tcp_common_endpoint_for (self, seg);
  guint64 changes = self->changes;

  if (ep == NULL) {
    tcp_common_answer_no_slot (self, seg);
    return;
  }
  handle (self, ep, seg, now);
  if (self->changes == changes)
    tcp_common_report_ignored (self, ep, seg);
}

/* ---- endpoints ----------------------------------------------------------- */

static gboolean
slot_index (const TcpCommon *self, guint32 client, guint16 port, guint32 *index)
{
  const SynackProtocolEnv *env = self->env;

  if (client < 1 || client > env->n_clients || port < env->first_port ||
      (guint32) (port - env->first_port) >= env->n_ports)
    return FALSE;
  *index = (client - 1) * env->n_ports + (guint32) (port - env->first_port);
  return TRUE;
}

static TcpEndpoint *
page_new (TcpCommon *self, SynackRole role, guint32 page)
{
  guint32 first = page * TCP_COMMON_PAGE_SLOTS;
  guint32 n = MIN (TCP_COMMON_PAGE_SLOTS, self->n_slots - first);
  TcpEndpoint *eps = g_new0 (TcpEndpoint, n);

  for (guint32 i = 0; i < n; i++) {
    eps[i].self = self;
    /* kept rather than derived from the slot index: every segment sent
     * needs them, and a division per segment showed in profiles (4 %) */
    eps[i].client = (first + i) / self->env->n_ports + 1;
    eps[i].port =
        (guint16) (self->env->first_port + (first + i) % self->env->n_ports);
    if (role == SYNACK_ROLE_SERVER) {
      eps[i].bits = TCP_EP_SERVER;
      /* the listener covers every 4-tuple the server has no connection on */
      eps[i].state = SYNACK_TCP_LISTEN;
    } else {
      eps[i].state = SYNACK_TCP_CLOSED;
    }
  }
  return eps;
}

TcpEndpoint *
tcp_common_endpoint (TcpCommon *self, SynackRole role, guint32 client,
                     guint16 port)
{
  guint32 index, page;

  if (!slot_index (self, client, port, &index))
    return NULL;
  page = index / TCP_COMMON_PAGE_SLOTS;
  if (self->pages[role][page] == NULL)
    self->pages[role][page] = page_new (self, role, page);
  return &self->pages[role][page][index % TCP_COMMON_PAGE_SLOTS];
}

const TcpEndpoint *
tcp_common_peek (TcpCommon *self, SynackRole role, guint32 client, guint16 port)
{
  guint32 index, page;

  if (!slot_index (self, client, port, &index))
    return NULL;
  page = index / TCP_COMMON_PAGE_SLOTS;
  if (self->pages[role][page] == NULL)
    return NULL;
  return &self->pages[role][page][index % TCP_COMMON_PAGE_SLOTS];
}

SynackTcpState
tcp_common_state_of (TcpCommon *self, SynackRole role, guint32 client,
                     guint16 port)
{
  const TcpEndpoint *ep = tcp_common_peek (self, role, client, port);

  if (ep != NULL)
    return (SynackTcpState) ep->state;
  return role == SYNACK_ROLE_SERVER ? SYNACK_TCP_LISTEN : SYNACK_TCP_CLOSED;
}

TcpEndpoint *
tcp_common_endpoint_for (TcpCommon *self, const SynackSegment *seg)
{
  guint16 server_port = self->tcp->server_port;

  if (seg->dst_host == 0) {
    if (seg->dst_port != server_port)
      return NULL;
    return tcp_common_endpoint (self, SYNACK_ROLE_SERVER, seg->src_host,
                                seg->src_port);
  }
  if (seg->src_host != 0 || seg->src_port != server_port)
    return NULL;
  return tcp_common_endpoint (self, SYNACK_ROLE_CLIENT, seg->dst_host,
                              seg->dst_port);
}

SynackRole
tcp_common_role (const TcpEndpoint *ep)
{
  return (ep->bits & TCP_EP_SERVER) ? SYNACK_ROLE_SERVER : SYNACK_ROLE_CLIENT;
}

void
tcp_common_reset_endpoint (TcpEndpoint *ep, SynackConnId conn)
{
  ep->conn = conn;
  ep->syn_sent_ns = 0;
  ep->iss = ep->snd_una = ep->snd_nxt = 0;
  ep->irs = ep->rcv_nxt = 0;
  ep->rtt_us = 0;
  ep->timeouts = ep->rexmits = 0;
  ep->bits &= TCP_EP_SERVER;
}

void
tcp_common_passive_open (TcpCommon *self, TcpEndpoint *ep,
                         const SynackSegment *syn, SynackTime now)
{
  tcp_common_reset_endpoint (ep, syn->conn);
  ep->state = SYNACK_TCP_LISTEN;
  ep->irs = syn->seq;
  ep->rcv_nxt = syn->seq + 1;
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->iss;
  ep->snd_nxt = ep->iss + 1;
  tcp_common_syn_start (self, ep, syn, now);
}

TcpEndpoint *
tcp_common_open_endpoint (TcpCommon *self, guint32 client, guint16 port,
                          SynackConnId conn)
{
  TcpEndpoint *ep =
      tcp_common_endpoint (self, SYNACK_ROLE_CLIENT, client, port);

  /* the core opens only ports it was given */
  g_return_val_if_fail (ep != NULL, NULL);
  if (ep->state != SYNACK_TCP_CLOSED)
    return NULL;
  tcp_common_reset_endpoint (ep, conn);
  return ep;
}

TcpEndpoint *
tcp_common_close_endpoint (TcpCommon *self, SynackRole role, guint32 client,
                           guint16 port, SynackConnId conn)
{
  TcpEndpoint *ep = tcp_common_endpoint (self, role, client, port);

  if (ep == NULL || ep->conn != conn)
    return NULL;
  return ep;
}

/* ---- state --------------------------------------------------------------- */

void
tcp_common_report (TcpCommon *self, SynackConnId conn, SynackRole role,
                   guint32 client, guint16 port, SynackTcpState from,
                   SynackTcpState to, SynackCause cause,
                   const SynackSegment *seg)
{
  SynackStateChange change = {
    .conn = conn, .client = client, .port = port, .role = role,
    .from = from, .to = to, .cause = cause, .seg = seg,
  };

  self->changes++;
  self->env->state_changed (self->env->net, &change);
}

/* Linux tcp_update_metrics(): a connection that ended backed off, or
 * without a sample, clears the cached RTT ("This session failed to
 * estimate rtt"); otherwise a larger RTT replaces it and a smaller one
 * pulls it down by 1/8 ("rtt overestimation is always better than
 * underestimation"). */
static void
metrics_save (TcpCommon *self, const TcpEndpoint *ep, SynackRole role)
{
  guint32 *cached = &self->rtt_cache[role][ep->client];
  guint32 srtt = tcp_common_srtt_us (self, ep);

  if (ep->timeouts > 0 || srtt == 0)
    *cached = 0;
  else if (srtt >= *cached)
    *cached = srtt;
  else
    *cached -= (*cached - srtt) >> 3;
}

void
tcp_common_set_state (TcpCommon *self, TcpEndpoint *ep, SynackTcpState to,
                      SynackCause cause, const SynackSegment *seg)
{
  const SynackTcpConfig *tcp = self->tcp;
  SynackTcpState from = (SynackTcpState) ep->state;
  SynackRole role = tcp_common_role (ep);

  if (role == SYNACK_ROLE_SERVER) {
    if (from == SYNACK_TCP_SYN_RECEIVED) {
      self->syn_received--;
      if (ep->timeouts == 0)
        self->syn_young--;
    }
    if (to == SYNACK_TCP_SYN_RECEIVED) {
      self->syn_received++;
      if (ep->timeouts == 0)
        self->syn_young++;
    }
  }
  /* Linux tcp_update_metrics(), from tcp_time_wait() and LAST_ACK's end */
  if ((self->opts & TCP_OPT_METRICS_CACHE) && from != to &&
      (to == SYNACK_TCP_TIME_WAIT ||
       (from == SYNACK_TCP_LAST_ACK && to == SYNACK_TCP_CLOSED &&
        cause == SYNACK_CAUSE_RCV)))
    metrics_save (self, ep, role);
  ep->state = (guint8) to;

  /* the states whose timer is not a retransmission own it here */
  switch (to) {
    case SYNACK_TCP_TIME_WAIT:
      /* RFC 9293 §3.10.7.4 eighth: start the time-wait timer, turn off the
       * others; time_wait 0 closes right after (an event at the same time) */
      tcp_common_time_wait_start (self, ep);
      break;
    case SYNACK_TCP_FIN_WAIT_2:
      if (tcp->fin_wait2_timeout_ns > 0)
        tcp_common_timer_start (self, ep, tcp->fin_wait2_timeout_ns);
      else
        tcp_common_timer_stop (self, ep);
      break;
    case SYNACK_TCP_CLOSED:
    case SYNACK_TCP_LISTEN:
      tcp_common_timer_stop (self, ep);
      break;
    default:
      break;
  }
  tcp_common_report (self, ep->conn, role, tcp_common_client (self, ep),
                     tcp_common_port (self, ep), from, to, cause, seg);
}

gboolean
tcp_common_closing_ack (TcpCommon *self, TcpEndpoint *ep, SynackTcpState state,
                        gboolean fin_acked, gboolean fin_now,
                        const SynackSegment *seg)
{
  switch (state) {
    case SYNACK_TCP_FIN_WAIT_1:
      if (fin_acked && !fin_now)
        tcp_common_set_state (self, ep, SYNACK_TCP_FIN_WAIT_2, SYNACK_CAUSE_RCV,
                              seg);
      return TRUE;
    case SYNACK_TCP_CLOSING:
      if (fin_acked)
        tcp_common_set_state (self, ep, SYNACK_TCP_TIME_WAIT, SYNACK_CAUSE_RCV,
                              seg);
      return FALSE;
    case SYNACK_TCP_LAST_ACK:
      if (fin_acked)
        tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV,
                              seg);
      return FALSE;
    default:
      return TRUE;
  }
}

void
tcp_common_report_ignored (TcpCommon *self, TcpEndpoint *ep,
                           const SynackSegment *seg)
{
  tcp_common_report (self, ep->conn, tcp_common_role (ep),
                     tcp_common_client (self, ep), tcp_common_port (self, ep),
                     (SynackTcpState) ep->state, (SynackTcpState) ep->state,
                     SYNACK_CAUSE_IGNORED, seg);
}

void
tcp_common_answer_no_slot (TcpCommon *self, const SynackSegment *seg)
{
  SynackRole role =
      seg->dst_host == 0 ? SYNACK_ROLE_SERVER : SYNACK_ROLE_CLIENT;

  tcp_common_send_rst_reply (self, seg, seg->conn);
  if (role == SYNACK_ROLE_SERVER)
    tcp_common_report (self, 0, role, seg->src_host, seg->src_port,
                       SYNACK_TCP_CLOSED, SYNACK_TCP_CLOSED,
                       SYNACK_CAUSE_IGNORED, seg);
  else
    tcp_common_report (self, 0, role, seg->dst_host, seg->dst_port,
                       SYNACK_TCP_CLOSED, SYNACK_TCP_CLOSED,
                       SYNACK_CAUSE_IGNORED, seg);
}

/* ---- segments ------------------------------------------------------------ */

void
tcp_common_send (TcpCommon *self, const TcpEndpoint *ep, guint16 flags,
                 guint32 seq, guint32 ack, guint32 len_bytes, guint retrans)
{
  tcp_common_send_tfo (self, ep, flags, seq, ack, len_bytes, retrans,
                       SYNACK_TFO_NONE);
}

void
tcp_common_send_tfo (TcpCommon *self, const TcpEndpoint *ep, guint16 flags,
                     guint32 seq, guint32 ack, guint32 len_bytes, guint retrans,
                     guint32 fastopen)
{
  const SynackProtocolEnv *env = self->env;
  guint32 client = tcp_common_client (self, ep);
  guint16 port = tcp_common_port (self, ep);
  SynackSegment seg = {
    .seq = seq,
    .ack = ack,
    .flags = flags,
    .window = self->tcp->window,
    .len_bytes = len_bytes,
    .fastopen = fastopen,
    .conn = ep->conn,
    .copy = 0,
    .retrans = (guint16) MIN (retrans, G_MAXUINT16),
  };

  if (self->opts & TCP_OPT_TIMESTAMPS) {
    seg.tsval = tcp_common_ms (synack_sched_now (env->sched));
    if (ep->state != SYNACK_TCP_TIME_WAIT)
      seg.tsecr = ep->ts_recent;
  }

  if (ep->bits & TCP_EP_SERVER) {
    seg.src_host = 0;
    seg.src_port = self->tcp->server_port;
    seg.dst_host = client;
    seg.dst_port = port;
  } else {
    seg.src_host = client;
    seg.src_port = port;
    seg.dst_host = 0;
    seg.dst_port = self->tcp->server_port;
  }
  env->send (env->net, &seg);
}

void
tcp_common_send_stateless (TcpCommon *self, const TcpEndpoint *ep,
                           SynackConnId conn, guint16 flags, guint32 seq,
                           guint32 ack, const SynackSegment *peer)
{
  const SynackProtocolEnv *env = self->env;
  SynackSegment seg = {
    .seq = seq,
    .ack = ack,
    .flags = flags,
    .window = self->tcp->window,
    .conn = conn,
    .src_host = 0,
    .src_port = self->tcp->server_port,
    .dst_host = ep->client,
    .dst_port = ep->port,
  };

  if (self->opts & TCP_OPT_TIMESTAMPS) {
    seg.tsval = tcp_common_ms (synack_sched_now (env->sched));
    seg.tsecr = peer->tsval;
  }
  env->send (env->net, &seg);
}

void
tcp_common_send_ack (TcpCommon *self, const TcpEndpoint *ep)
{
  tcp_common_send (self, ep, SYNACK_FLAG_ACK, ep->snd_nxt, ep->rcv_nxt, 0, 0);
}

void
tcp_common_send_rst_reply (TcpCommon *self, const SynackSegment *seg,
                           SynackConnId conn)
{
  const SynackProtocolEnv *env = self->env;
  SynackSegment rst = {
    .src_port = seg->dst_port,
    .dst_port = seg->src_port,
    .window = self->tcp->window,
    .conn = conn,
    .src_host = seg->dst_host,
    .dst_host = seg->src_host,
  };

  /* RFC 9293 §3.10.7.1: "An incoming segment containing a RST is discarded" */
  if (seg->flags & SYNACK_FLAG_RST)
    return;
  if (seg->flags & SYNACK_FLAG_ACK) {
    rst.seq = seg->ack;                            /* <SEQ=SEG.ACK><CTL=RST> */
    rst.flags = SYNACK_FLAG_RST;
  } else {
    rst.seq = 0; /* <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK> */
    rst.ack = seg->seq + synack_segment_seq_len (seg);
    rst.flags = SYNACK_FLAG_RST | SYNACK_FLAG_ACK;
  }
  env->send (env->net, &rst);
}

/* ---- ISN ---------------------------------------------------------------- */

/* tcp_common_isn() hashes with synack_rng_splitmix64(), a bijection with
 * full avalanche.  Not a cryptographic PRF as RFC 6528 asks for (it suggests
 * MD5), which does not matter here: no simulated attacker guesses ISNs;
 * what matters is that ISNs of different 4-tuples look unrelated and that
 * one 4-tuple's ISNs follow the clock. */
guint32
tcp_common_isn (TcpCommon *self, const TcpEndpoint *ep, SynackTime now)
{
  guint64 client, port, server_port, h;

  switch (self->tcp->isn) {
    case SYNACK_ISN_ZERO:
      return 0;
    case SYNACK_ISN_RANDOM:
      return synack_rng_u32 (self->env->rng);
    case SYNACK_ISN_RFC6528:
    default:
      /* RFC 6528 §3: ISN = M + F(localip, localport, remoteip, remoteport,
       * secretkey), M a timer ticking every 4 us.  The 4-tuple is written
       * from this end's point of view, as a host would. */
      client = tcp_common_client (self, ep);
      port = tcp_common_port (self, ep);
      server_port = self->tcp->server_port;
      if (ep->bits & TCP_EP_SERVER)
        h = synack_rng_splitmix64 (self->isn_secret ^
                                   (server_port << 16 | port));
      else
        h = synack_rng_splitmix64 (self->isn_secret ^
                                   (port << 16 | server_port));
      if (!(ep->bits & TCP_EP_SERVER))
        client <<= 32;
      h = synack_rng_splitmix64 (h ^ client);
      return (guint32) (now / (4 * SYNACK_USECOND)) + (guint32) (h >> 32);
  }
}
