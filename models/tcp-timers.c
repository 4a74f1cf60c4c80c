/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp-timers.c - time in a TCP endpoint (see tcp-common.h): the
 * one timer an endpoint owns and what its expiry means, the TIME_WAIT
 * queue, the RTO and its backoff, the RTT samples and their cache, and
 * the time budgets of Linux's retries and orphan limits.
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

/* ---- RTO ---------------------------------------------------------------- */

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
