/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp-defenses.c - what a TCP endpoint does against floods and
 * blind attacks (see tcp-common.h): SYN cookies (RFC 4987), the proven
 * peers a full SYN queue still admits, and the rate limits on ACKs that
 * answer out-of-window segments and on challenge ACKs (RFC 5961). */
#include "tcp-common.h"

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
