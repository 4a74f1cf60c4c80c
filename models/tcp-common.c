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
 * RTO (RFC 6298): the handshake gives the only RTT sample (the models send
 * one request and no more data), so SRTT = R, RTTVAR = R/2 and the base
 * RTO = max (rto_min, R + max (1 ms, 4 RTTVAR)), capped at rto_max; until
 * then it is rto_initial.  Each expiry multiplies the timeout by
 * rto_backoff up to rto_max (RFC 6298 5.5); progress (an ACK of new data)
 * resets it.  An active open's SYN follows Linux 6.5+: the first
 * syn_linear_timeouts retransmissions keep the initial RTO
 * (net/ipv4/tcp_timer.c, tcp_retransmit_timer(): no backoff while
 * sk_state == TCP_SYN_SENT and total_rto <= tcp_syn_linear_timeouts), so
 * with rto_initial 1 s and 4 linear timeouts the SYNs leave at 0, 1, 2, 3,
 * 4, 5, 7, 11, ... s (ip-sysctl.rst: "SYN RTOs to be: 1, 1, 1, 1, 1, 2, 4,
 * ...").  The SYN,ACK of a passive open never has linear timeouts
 * (reqsk_timeout(): TCP_TIMEOUT_INIT << num_timeout). */
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

static void
timer_fired (SynackSched *sched, SynackTime now, gpointer user_data)
{
  TcpEndpoint *ep = user_data;
  TcpCommon *self = ep->self;

  ep->timer = 0;                 /* a fired id is dead: forget it first */
  switch (ep->state) {
    case SYNACK_TCP_TIME_WAIT:
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_TIME_WAIT,
                            NULL);
      break;
    case SYNACK_TCP_FIN_WAIT_2:
      /* Linux tcp_fin_timeout: an orphaned FIN_WAIT_2 does not wait forever */
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED,
                            SYNACK_CAUSE_FIN_WAIT_2, NULL);
      break;
    default:
      self->retransmit (self, ep, now);
      break;
  }
}

/* ---- the TIME_WAIT queue
 * ------------------------------------------------------
 *
 * Every TIME_WAIT lasts the same tcp->time_wait_ns, so endpoints leave it in
 * the order they entered it: a FIFO is already sorted, and one scheduler
 * event for its head replaces one heap entry per connection (BSD's 2MSL
 * list and Linux's timewait timers exploit the same regularity).  With
 * TIME_WAIT the longest-lived state, this keeps the scheduler's heap 5-50x
 * smaller on workloads that close many connections (10-15 % of the wall
 * time of bench/workloads/handshake.ini at 10^6 attempts).  A restart (a
 * retransmitted FIN) or an exit (RST, a new SYN) just leaves a stale entry
 * behind: an entry counts only while its endpoint is still in TIME_WAIT
 * with that same due time. */
struct TcpTimeWait {
  SynackTime   due;
  TcpEndpoint *ep;
};

static void time_wait_fired (SynackSched *sched, SynackTime now,
                             gpointer user_data);

static void
time_wait_arm (TcpCommon *self)
{
  SynackTime due = self->tw_ring[self->tw_head].due;

  self->tw_event =
      synack_sched_at (self->env->sched, due, time_wait_fired, self, NULL);
}

static void
time_wait_fired (SynackSched *sched, SynackTime now, gpointer user_data)
{
  TcpCommon *self = user_data;

  self->tw_event = 0;
  while (self->tw_len > 0 && self->tw_ring[self->tw_head].due <= now) {
    struct TcpTimeWait e = self->tw_ring[self->tw_head];

    self->tw_head = (self->tw_head + 1) % self->tw_cap;
    self->tw_len--;
    if (e.ep->state == SYNACK_TCP_TIME_WAIT && e.ep->tw_due_ns == e.due)
      tcp_common_set_state (self, e.ep, SYNACK_TCP_CLOSED,
                            SYNACK_CAUSE_TIME_WAIT, NULL);
  }
  if (self->tw_len > 0 && self->tw_event == 0)
    time_wait_arm (self);
}

void
tcp_common_time_wait_start (TcpCommon *self, TcpEndpoint *ep)
{
  SynackTime due =
      synack_sched_now (self->env->sched) + self->tcp->time_wait_ns;

  /* TIME_WAIT owns no other timer (RFC 9293 §3.10.7.4: "turn off the
   * other timers") */
  synack_sched_clear (self->env->sched, &ep->timer);
  ep->tw_due_ns = due;
  if (self->tw_len == self->tw_cap) {
    guint32 cap = MAX (1024u, self->tw_cap * 2);
    struct TcpTimeWait *ring = g_new (struct TcpTimeWait, cap);

    for (guint32 i = 0; i < self->tw_len; i++)
      ring[i] = self->tw_ring[(self->tw_head + i) % self->tw_cap];
    g_free (self->tw_ring);
    self->tw_ring = ring;
    self->tw_cap = cap;
    self->tw_head = 0;
  }
  self->tw_ring[(self->tw_head + self->tw_len) % self->tw_cap] =
      (struct TcpTimeWait){ due, ep };
  self->tw_len++;
  if (self->tw_event == 0)
    time_wait_arm (self);
}

gboolean
tcp_common_retry (TcpCommon *self, TcpEndpoint *ep, guint limit)
{
  if (ep->timeouts >= limit) {
    tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_TIMEOUT,
                          NULL);
    return FALSE;
  }
  ep->timeouts++;
  ep->rexmits++;
  return TRUE;
}

void
tcp_common_timer_start (TcpCommon *self, TcpEndpoint *ep, SynackTime delay)
{
  synack_sched_clear (self->env->sched, &ep->timer);
  /* ep outlives it: pages never move and are freed after the scheduler */
  ep->timer =
      synack_sched_after (self->env->sched, delay, timer_fired, ep, NULL);
}

void
tcp_common_timer_stop (TcpCommon *self, TcpEndpoint *ep)
{
  synack_sched_clear (self->env->sched, &ep->timer);
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

/* ---- ISN, RTO ------------------------------------------------------------ */

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

/* RTO from an RTT of @r_us per tcp->rto_estimator: RFC 6298 2.2-2.4
 * (SRTT = R, RTTVAR = R/2: R + max (G, 4 RTTVAR), G = 1 ms, at least
 * rto_min) or Linux (tcp_rtt_estimator(): mdev = R/2, rttvar = max (4 mdev,
 * rto_min); __tcp_set_rto(): SRTT + rttvar), rounded up to 1 us. */
static SynackTime
rto_from_rtt (const TcpCommon *self, guint32 r_us)
{
  const SynackTcpConfig *tcp = self->tcp;
  SynackTime r = (SynackTime) r_us * SYNACK_USECOND, rto;

  if (self->opts & TCP_OPT_RTO_LINUX) {
    rto = r + MAX (4 * (r / 2), tcp->rto_min_ns);
  } else {
    rto = r + MAX (SYNACK_MSECOND, 4 * (r / 2));
    rto = MAX (rto, tcp->rto_min_ns);
  }
  rto = MIN (rto, tcp->rto_max_ns);
  return (rto + SYNACK_USECOND - 1) / SYNACK_USECOND * SYNACK_USECOND;
}

SynackTime
tcp_common_rto_base (const TcpCommon *self, const TcpEndpoint *ep)
{
  const SynackTcpConfig *tcp = self->tcp;
  SynackTime base = tcp->rto_initial_ns;
  guint32 cached = (ep->bits & TCP_EP_RTO_CACHED)
                   ? self->rtt_cache[tcp_common_role (ep)][ep->client] : 0;

  if (cached > 0)
    base = rto_from_rtt (self, cached);
  else if (ep->bits & TCP_EP_RTO_FALLBACK)
    base = TCP_COMMON_RTO_FALLBACK_NS;
  else if (ep->rtt_us > 0 && (self->opts & TCP_OPT_RTO_LINUX))
    base = rto_from_rtt (self, ep->rtt_us);
  else if (ep->rtt_us > 0)
    base = (SynackTime) ep->rtt_us * SYNACK_USECOND;
  return MIN (base, tcp->rto_max_ns);
}

SynackTime
tcp_common_rto (const TcpCommon *self, const TcpEndpoint *ep,
                gboolean syn_linear)
{
  const SynackTcpConfig *tcp = self->tcp;
  SynackTime t = tcp_common_rto_base (self, ep);
  guint k = ep->timeouts;

  if (syn_linear)
    k = k > tcp->syn_linear_timeouts ? k - tcp->syn_linear_timeouts : 0;
  /* RFC 6298 5.5: RTO <- RTO * 2, per expiry, capped (5.5 and 2.5) */
  for (guint i = 0; i < k && t < tcp->rto_max_ns; i++)
    t = (SynackTime) ((double) t * tcp->rto_backoff);
  return MIN (t, tcp->rto_max_ns);
}

void
tcp_common_syn_start (TcpCommon *self, TcpEndpoint *ep,
                      const SynackSegment *peer_syn, SynackTime now)
{
  ep->syn_sent_ns = now;
  if (self->opts & TCP_OPT_TIMESTAMPS) {
    ep->syn_sent_ns = 0;
    ep->ts_recent = peer_syn != NULL ? peer_syn->tsval : 0;
  }
}

void
tcp_common_syn_acked (TcpCommon *self, TcpEndpoint *ep,
                      const SynackSegment *seg, SynackTime now)
{
  const SynackTcpConfig *tcp = self->tcp;
  SynackTime r = -1;

  if (self->opts & TCP_OPT_TIMESTAMPS) {
    /* RFC 7323 §4.1: RTT = now - TSecr, whichever SYN it echoes: after a
     * lost SYN,ACK the SYN,ACK echoes the first SYN (Linux keeps the
     * request's ts_recent), so the sample spans the whole handshake */
    if (seg != NULL && seg->tsecr != 0)
      r = (SynackTime) (guint32) (tcp_common_ms (now) - seg->tsecr) *
          SYNACK_MSECOND;
  } else if (!(ep->bits & TCP_EP_SYN_REXMIT)) {
    /* RFC 6298 2.2 with Karn's rule */
    r = MAX (now - ep->syn_sent_ns, 0);
    ep->syn_sent_ns = 0;   /* the union is the rate limit's from now on */
  } else {
    ep->syn_sent_ns = 0;
  }
  if (r >= 0 && (self->opts & TCP_OPT_RTO_LINUX)) {
    ep->rtt_us =
        (guint32) MIN ((r + SYNACK_USECOND - 1) / SYNACK_USECOND, G_MAXUINT32);
    ep->rtt_us = MAX (ep->rtt_us, 1);   /* 0 is "no sample" */
  } else if (r >= 0) {
    /* RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2, RTO <- SRTT + max (G,
     * K*RTTVAR), K = 4, G = 1 ms; 2.4: at least rto_min; 2.5: at most
     * rto_max */
    SynackTime rto = r + MAX (SYNACK_MSECOND, 4 * (r / 2));

    rto = MIN (MAX (rto, tcp->rto_min_ns), tcp->rto_max_ns);
    ep->rtt_us = (guint32) MIN ((rto + SYNACK_USECOND - 1) / SYNACK_USECOND,
                                G_MAXUINT32);
  } else if (ep->timeouts > 0 &&
             tcp->rto_initial_ns < TCP_COMMON_RTO_FALLBACK_NS) {
    /* RFC 6298 5.7 (Linux tcp_init_transfer: TCP_TIMEOUT_FALLBACK): the SYN
     * timed out and no sample was taken: 3 s once data transmission begins */
    ep->bits |= TCP_EP_RTO_FALLBACK;
  }
  /* Linux tcp_init_metrics(): "if (crtt > tp->srtt_us)" the cached RTT
   * sets the RTO (not SRTT) until the first data RTT sample */
  if ((self->opts & TCP_OPT_METRICS_CACHE) &&
      self->rtt_cache[tcp_common_role (ep)][ep->client] >
          tcp_common_srtt_us (self, ep))
    ep->bits |= TCP_EP_RTO_CACHED;
  ep->timeouts = 0;
  ep->rexmits = 0;
}

void
tcp_common_data_acked (TcpCommon *self, TcpEndpoint *ep)
{
  ep->timeouts = 0;
  ep->rexmits = 0;
  ep->bits &= (guint8) ~(TCP_EP_RTO_CACHED | TCP_EP_TLP_SENT);
}

void
tcp_common_ts_update (TcpCommon *self, TcpEndpoint *ep,
                      const SynackSegment *seg)
{
  if ((self->opts & TCP_OPT_TIMESTAMPS) && seg->tsval != 0 &&
      ep->state != SYNACK_TCP_TIME_WAIT &&
      synack_seq_le (seg->seq, ep->rcv_nxt))
    ep->ts_recent = seg->tsval;
}

guint32
tcp_common_srtt_us (const TcpCommon *self, const TcpEndpoint *ep)
{
  if (self->opts & TCP_OPT_RTO_LINUX)
    return ep->rtt_us;
  return ep->rtt_us / 3;
}

gboolean
tcp_common_peer_proven (const TcpCommon *self, guint32 client)
{
  return client <= self->env->n_clients &&
         self->rtt_cache[SYNACK_ROLE_SERVER][client] != 0;
}

gboolean
tcp_common_oow_ack_ok (TcpCommon *self, TcpEndpoint *ep,
                       const SynackSegment *seg)
{
  SynackTime limit = self->tcp->invalid_ratelimit_ns;
  guint32 now_ms, last;

  if (limit <= 0 || ep->state == SYNACK_TCP_TIME_WAIT)
    return TRUE;
  if (!(self->opts & TCP_OPT_TIMESTAMPS) &&
      (ep->state == SYNACK_TCP_SYN_SENT ||
       ep->state == SYNACK_TCP_SYN_RECEIVED))
    return TRUE;
  if (synack_segment_seq_len (seg) > 0 && !(seg->flags & SYNACK_FLAG_SYN))
    return TRUE;
  now_ms = tcp_common_ms (synack_sched_now (self->env->sched));
  last = ep->oow_ack_ms;
  if (last != 0 &&
      (SynackTime) (guint32) (now_ms - last) * SYNACK_MSECOND < limit)
    return FALSE;
  ep->oow_ack_ms = now_ms;
  return TRUE;
}

gboolean
tcp_common_challenge_ok (TcpCommon *self, const TcpEndpoint *ep)
{
  guint limit = self->tcp->challenge_ack_limit;
  guint32 host = (ep->bits & TCP_EP_SERVER) ? 0 : ep->client;
  guint64 sec;

  if (limit == 0)
    return TRUE;
  sec = (guint64) (synack_sched_now (self->env->sched) / SYNACK_SECOND) + 1;
  if (self->challenge_sec[host] != sec) {
    self->challenge_sec[host] = sec;
    self->challenge_left[host] = limit;
  }
  if (self->challenge_left[host] == 0)
    return FALSE;
  self->challenge_left[host]--;
  return TRUE;
}

static guint32
cookie_hash (const TcpCommon *self, const TcpEndpoint *ep, guint32 irs,
             guint32 count)
{
  guint64 h = synack_rng_splitmix64 (self->isn_secret ^ 0x636f6f6b6965ull ^
                                     ((guint64) ep->client << 16 | ep->port));
  guint64 x = (guint64) irs << 8 | (count & 0xff);

  return (guint32) (synack_rng_splitmix64 (h ^ x) >> 40);   /* 24 bits */
}

/* Linux TCP_SYNCOOKIE_PERIOD: the cookie clock ticks once a minute */
#define COOKIE_PERIOD_NS (60 * SYNACK_SECOND)

guint32
tcp_common_cookie (const TcpCommon *self, const TcpEndpoint *ep, guint32 irs,
                   SynackTime now)
{
  guint32 count = (guint32) (now / COOKIE_PERIOD_NS);

  return (count & 0xff) << 24 | cookie_hash (self, ep, irs, count);
}

gboolean
tcp_common_cookie_ok (const TcpCommon *self, const TcpEndpoint *ep, guint32 irs,
                      guint32 cookie, SynackTime now)
{
  guint32 count = (guint32) (now / COOKIE_PERIOD_NS);
  guint32 diff = (count - (cookie >> 24)) & 0xff;

  /* check_tcp_syn_cookie(): "if (diff >= MAX_SYNCOOKIE_AGE) return -1" */
  if (diff >= 2)
    return FALSE;
  return (cookie & 0xffffff) == cookie_hash (self, ep, irs, count - diff);
}

/* Budgets and sums saturate here: any duration a config can give stays
 * far below overflow (durations are at most 10^9 s). */
#define BUDGET_MAX_NS (G_MAXINT64 / 4)

SynackTime
tcp_common_retry_budget (const TcpCommon *self, guint boundary)
{
  const SynackTcpConfig *tcp = self->tcp;
  double base = (double) MAX (tcp->rto_min_ns, SYNACK_MSECOND);
  double budget;
  guint thresh = 0;

  /* linear_backoff_thresh = ilog2 (TCP_RTO_MAX / rto_base) */
  while (thresh < 62 &&
         base * (double) (2ull << thresh) <= (double) tcp->rto_max_ns)
    thresh++;
  if (boundary <= thresh)
    budget = ((double) (2ull << boundary) - 1) * base;
  else
    budget = ((double) (2ull << thresh) - 1) * base +
             (double) (boundary - thresh) * (double) tcp->rto_max_ns;
  return budget >= (double) BUDGET_MAX_NS ? BUDGET_MAX_NS : (SynackTime) budget;
}

SynackTime
tcp_common_backoff_elapsed (const TcpCommon *self, const TcpEndpoint *ep)
{
  TcpEndpoint e = *ep;
  SynackTime sum = 0;

  for (guint k = 0; k <= ep->timeouts && sum < BUDGET_MAX_NS; k++) {
    e.timeouts = (guint16) k;
    sum += MIN (tcp_common_rto (self, &e, FALSE), BUDGET_MAX_NS - sum);
  }
  return sum;
}
