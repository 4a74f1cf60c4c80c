/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp-common.h - what the TCP-like protocol models share.
 *
 * The endpoint control block and its chunked tables, the one state setter
 * that reports every change, segment building and sending, the RST that
 * answers a segment reaching no endpoint, ISN generation, RTO management
 * (RFC 6298 and Linux's SYN timeouts) and the timer each endpoint owns.
 * Three files implement it: tcp-common.c (tables, state, segments, ISN),
 * tcp-timers.c (timers, TIME_WAIT, RTO, retry budgets) and tcp-defenses.c
 * (SYN cookies, proven peers, ACK rate limits).
 * Internal to the protocol plugins and their tests: nothing here is part of
 * the plugin ABI (the plugins export only synack_plugin_*).
 *
 * Identification: a connection is (client host, client port); both its
 * ends live in slot (client - 1) * n_ports + (port - first_port) of their
 * role's table.  Tables are arrays of pages of TCP_COMMON_PAGE_SLOTS
 * endpoints, a page allocated (zeroed) on first touch and never moved, so
 * an endpoint pointer stays valid for the instance's life and can be a
 * timer's user data. */
#pragma once

#include <glib.h>
#include "protocol.h"

G_BEGIN_DECLS

#define TCP_COMMON_PAGE_SLOTS 1024u

/* RFC 6298 5.7 and Linux TCP_TIMEOUT_FALLBACK: the RTO after a handshake
 * whose SYN timed out and gave no RTT sample. */
#define TCP_COMMON_RTO_FALLBACK_NS (3 * SYNACK_SECOND)

typedef struct _TcpCommon TcpCommon;
typedef struct _TcpEndpoint TcpEndpoint;

/* Endpoint bits. */
enum {
  /* the server end of its connection (passive open) */
  TCP_EP_SERVER       = 1 << 0,
  /* our SYN (or SYN,ACK) was retransmitted: no RTT sample (Karn) */
  TCP_EP_SYN_REXMIT   = 1 << 1,
  /* our FIN occupies sequence number SND.NXT - 1 */
  TCP_EP_FIN_SENT     = 1 << 2,
  /* tcpfastopen: our SYN carried data (client); a Fast Open child, its
   * SYN's data taken (server) */
  TCP_EP_FASTOPEN     = 1 << 3,
  /* no RTT sample from a handshake that timed out: RTO 3 s (RFC 6298 5.7) */
  TCP_EP_RTO_FALLBACK = 1 << 4,
  /* the RTO comes from the metrics cache until an ACK of data or FIN
   * (Linux tcp_init_metrics) */
  TCP_EP_RTO_CACHED   = 1 << 5,
  /* the armed timer is a tail loss probe */
  TCP_EP_TLP          = 1 << 6,
  /* a probe went out for what is outstanding */
  TCP_EP_TLP_SENT     = 1 << 7,
};

/* Protocol options a model turns on in TcpCommon.opts from [tcp] (tcp3way
 * and tcpfastopen; the 2-way designs keep none: they carry no options). */
enum {
  TCP_OPT_TIMESTAMPS    = 1 << 0,  /* tcp->timestamps */
  TCP_OPT_RTO_LINUX     = 1 << 1,  /* tcp->rto_estimator == linux */
  TCP_OPT_METRICS_CACHE = 1 << 2,  /* tcp->metrics_cache */
};

/* One end of one connection: 64 bytes.  The one timer's meaning follows
 * the state: retransmission (or a tail loss probe) in SYN_SENT,
 * SYN_RECEIVED and wherever data or a FIN is unacknowledged; the 2 MSL
 * wait in TIME_WAIT; the orphan timeout in FIN_WAIT_2.  The union holds
 * what the state and the options need: without timestamps, the handshake's
 * send time until its RTT sample; in TIME_WAIT, the end of the wait;
 * otherwise TS.Recent and the invalid-ACK rate limit's clock. */
struct _TcpEndpoint {
  TcpCommon     *self;         /* owning instance, for timer handlers */
  SynackEventId  timer;        /* 0 = none */
  union {
    /* no timestamps: when our SYN (SYN,ACK) was first sent, until the
     * handshake's RTT sample */
    SynackTime   syn_sent_ns;
    /* in TIME_WAIT: when it ends (see the TIME_WAIT queue) */
    SynackTime   tw_due_ns;
    struct {
      /* timestamps: TS.Recent, the TSval we echo (RFC 7323 §4.3) */
      guint32    ts_recent;
      /* tcp_common_ms() of the last rate-limited ACK, 0 = none */
      guint32    oow_ack_ms;
    };
  };
  SynackConnId   conn;         /* incarnation label (copied, never tested) */
  guint32        client;       /* the 4-tuple: client host ... */
  /* RFC 9293 §3.3.1 send sequence variables */
  guint32        iss, snd_una, snd_nxt;
  /* receive sequence variables (RCV.WND = tcp->window) */
  guint32        irs, rcv_nxt;
  guint32        rtt_us;       /* from the handshake's RTT sample, us, 0 = none
                                * yet: SRTT (rto_estimator linux), or the RTO
                                * RFC 6298 2.2-2.4 gives (rfc6298) */
  guint16        timeouts;     /* timer expiries since the last progress: the
                                * backoff exponent */
  guint16        rexmits;      /* retransmissions of what is outstanding
                                * (seg->retrans) */
  guint8         state;        /* SynackTcpState */
  guint8         bits;         /* TCP_EP_* */
  guint16        port;         /* ... and client port */
};

/* Called when an endpoint's timer fires in a state where it means a
 * retransmission (TIME_WAIT and FIN_WAIT_2 expiries are handled here). */
typedef void (*TcpRetransmitFunc) (TcpCommon *self, TcpEndpoint *ep,
                                   SynackTime now);

struct _TcpCommon {
  const SynackProtocolEnv *env;          /* (transfer none) */
  const SynackTcpConfig   *tcp;          /* env->tcp */
  TcpRetransmitFunc        retransmit;
  guint32                  n_slots;      /* n_clients * n_ports */
  guint32                  n_pages;
  TcpEndpoint            **pages[2];     /* [SynackRole][page], NULL until
                                          * touched */
  guint32                  syn_received; /* server endpoints in SYN_RECEIVED
                                          * (backlog) */
  guint32                  syn_young;    /* ... of them never timed out
                                          * (Linux qlen_young) */
  guint                    opts;         /* TCP_OPT_* */
  guint32                 *rtt_cache[2]; /* [role][client]: the RTT, us,
                                          * @role's host keeps for its peer
                                          * (TCP_OPT_METRICS_CACHE) */
  SynackTime               last_cookie_ns; /* last SYN cookie sent, or -1 */
  /* [host]: the second (+ 1) of the challenge-ACK budget and what is left
   * of it (tcp->challenge_ack_limit; host 0 is the server) */
  guint64                 *challenge_sec;
  guint32                 *challenge_left;
  guint64                  isn_secret;   /* RFC 6528 key, from env->seed */
  /* TIME_WAIT queue: a ring of (due, endpoint) in due order, one scheduler
   * event for its head (see tcp_common_time_wait_start()) */
  struct TcpTimeWait      *tw_ring;
  guint32                  tw_head, tw_len, tw_cap;
  SynackEventId            tw_event;
  guint64                  changes;      /* state changes reported so far */
  gpointer                 model;        /* a protocol's own state beside this
                                          * (tcpfastopen), NULL otherwise */
};

/* Returns: (transfer full) an instance for @env; free with tcp_common_free().
 * @retransmit: the protocol's handler for retransmission timeouts. */
TcpCommon *tcp_common_new (const SynackProtocolEnv *env,
                           TcpRetransmitFunc retransmit);
/* Frees the tables.  It does not touch env->sched: the core frees the
 * scheduler (and with it every pending timer) before the protocol.
 * NULL is fine. */
void         tcp_common_free  (TcpCommon *self);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcpCommon, tcp_common_free)
/* tcp_common_free() as the SynackProtocolVtable member: @data is the
 * TcpCommon a protocol's create() returned. */
void         tcp_common_vfunc_destroy    (gpointer data);

/* What a segment does to its endpoint: a protocol's input handler. */
typedef void (*TcpSegmentFunc) (TcpCommon *self, TcpEndpoint *ep,
                                const SynackSegment *seg, SynackTime now);
/* The receive path every protocol shares: finds the segment's endpoint or
 * answers a segment that has none (RFC 9293 §3.10.7.1), runs @handle on
 * it, and reports an input that changed nothing as "ignored rcv", so no
 * input is ever silent in the states trace (STYLE §7). */
void tcp_common_receive (TcpCommon *self, const SynackSegment *seg,
                         SynackTime now, TcpSegmentFunc handle);

/* The application's close in a 2-way design (no SYN_RECEIVED): SYN_SENT
 * just ends; ESTABLISHED and CLOSE_WAIT go to FIN_WAIT_1 and LAST_ACK and
 * send the protocol's FIN (@send_fin); any other state is closing already. */
void tcp_common_close_2way (TcpCommon *self, SynackRole role, guint32 client,
                            guint16 port, SynackConnId conn,
                            void (*send_fin) (TcpCommon *self,
                                              TcpEndpoint *ep));

/* ---- endpoints ----------------------------------------------------------- */

/* Returns: (transfer none) the endpoint of @role for (@client, @port),
 * allocating its page on first touch; NULL if outside the world. */
TcpEndpoint *tcp_common_endpoint (TcpCommon *self, SynackRole role,
                                  guint32 client, guint16 port);
/* Returns: (transfer none) the endpoint @seg is addressed to (server end if
 * seg->dst_host is 0, else the client end), or NULL if no slot exists for
 * it (a host or port outside the world, or a port the server does not
 * listen on). */
TcpEndpoint *tcp_common_endpoint_for (TcpCommon *self,
                                      const SynackSegment *seg);
SynackRole   tcp_common_role   (const TcpEndpoint *ep);
static inline guint32
tcp_common_client (const TcpCommon *self, const TcpEndpoint *ep)
{
  return ep->client;
}

static inline guint16
tcp_common_port (const TcpCommon *self, const TcpEndpoint *ep)
{
  return ep->port;
}

/* Workload helpers.  Returns: the client endpoint of (@client, @port) if it
 * is CLOSED, labelled @conn and reset for a new incarnation (state and
 * timer untouched); NULL if it is busy or outside the world. */
TcpEndpoint *tcp_common_open_endpoint (TcpCommon *self, guint32 client,
                                       guint16 port, SynackConnId conn);
/* Returns: the @role endpoint of (@client, @port) if it is still
 * incarnation @conn; NULL otherwise (the close is then a no-op). */
TcpEndpoint *tcp_common_close_endpoint (TcpCommon *self, SynackRole role,
                                        guint32 client, guint16 port,
                                        SynackConnId conn);
/* Resets @ep's per-incarnation fields (sequence variables, RTO, counters,
 * bits but the role) for a new incarnation labelled @conn. */
void         tcp_common_reset_endpoint (TcpEndpoint *ep, SynackConnId conn);
/* The listener's answer to @syn at @now, up to the SYN,ACK (RFC 9293
 * §3.10.7.2, LISTEN, third check): @ep becomes a new TCB of @syn's
 * incarnation, RCV.NXT = SEG.SEQ + 1, IRS = SEG.SEQ, a new ISS, SND.UNA =
 * ISS, SND.NXT = ISS + 1, and its SYN,ACK's send time noted; state still
 * LISTEN (a closed slot is the listener's again), for the caller to move. */
void         tcp_common_passive_open (TcpCommon *self, TcpEndpoint *ep,
                                      const SynackSegment *syn, SynackTime now);

/* ---- state --------------------------------------------------------------- */

/* The one state setter: moves @ep to @to, keeps the backlog count, sets
 * the timer that @to owns (TIME_WAIT: time_wait_ns; FIN_WAIT_2:
 * fin_wait2_timeout_ns if > 0; CLOSED, LISTEN: none) and reports the
 * change.  @seg: (nullable) the segment that caused it. */
void tcp_common_set_state (TcpCommon *self, TcpEndpoint *ep, SynackTcpState to,
                           SynackCause cause, const SynackSegment *seg);
/* RFC 9293 §3.10.7.4, fifth step, the closing states' own part: in
 * FIN_WAIT_1 "if the FIN segment is now acknowledged, then enter
 * FIN-WAIT-2" (unless @fin_now: a FIN in this segment goes on to
 * TIME_WAIT), in CLOSING "enter the TIME-WAIT state; otherwise, ignore the
 * segment", in LAST_ACK "delete the TCB, enter the CLOSED state".
 * @fin_acked: our FIN is acknowledged.  Returns: FALSE when the segment is
 * done with (CLOSING, LAST_ACK). */
gboolean tcp_common_closing_ack (TcpCommon *self, TcpEndpoint *ep,
                                 SynackTcpState state, gboolean fin_acked,
                                 gboolean fin_now, const SynackSegment *seg);
/* Reports @seg as causing no transition at @ep (cause IGNORED, from == to). */
void tcp_common_report_ignored (TcpCommon *self, TcpEndpoint *ep,
                                const SynackSegment *seg);
/* Reports a change that is not an endpoint's (the listener refusing a SYN:
 * LISTEN->LISTEN, cause BACKLOG, labelled with the SYN's conn). */
void tcp_common_report (TcpCommon *self, SynackConnId conn, SynackRole role,
                        guint32 client, guint16 port, SynackTcpState from,
                        SynackTcpState to, SynackCause cause,
                        const SynackSegment *seg);

/* A segment for which no slot exists (a host or port outside the world, or
 * a server port nobody listens on): answers it with a RST (as
 * tcp_common_send_rst_reply(), labelled seg->conn) and reports it ignored
 * at CLOSED with conn 0. */
void tcp_common_answer_no_slot (TcpCommon *self, const SynackSegment *seg);

/* ---- segments ------------------------------------------------------------ */

/* Sends a segment from @ep to its peer, labelled with ep->conn, window =
 * tcp->window, retrans = @retrans (0 for a first transmission); with
 * timestamps TSval = tcp_common_ms(now) and TSecr = TS.Recent (none from
 * TIME_WAIT, where the union holds the wait's end). */
void tcp_common_send (TcpCommon *self, const TcpEndpoint *ep, guint16 flags,
                      guint32 seq, guint32 ack, guint32 len_bytes,
                      guint retrans);
/* The same with the TCP Fast Open option @fastopen (SynackSegment.fastopen). */
void tcp_common_send_tfo (TcpCommon *self, const TcpEndpoint *ep, guint16 flags,
                          guint32 seq, guint32 ack, guint32 len_bytes,
                          guint retrans, guint32 fastopen);
/* The same labelled @conn, from a listener with no connection (a SYN
 * cookie's SYN,ACK), echoing @peer's TSval. */
void tcp_common_send_stateless (TcpCommon *self, const TcpEndpoint *ep,
                                SynackConnId conn, guint16 flags, guint32 seq,
                                guint32 ack, const SynackSegment *peer);
/* <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>: the reply to an unacceptable
 * segment, the challenge ACK (RFC 5961) and the ACK of data or a FIN. */
void         tcp_common_send_ack (TcpCommon *self, const TcpEndpoint *ep);
/* The reset that answers @seg where no connection takes it, RFC 9293
 * §3.10.7.1: if ACK is set <SEQ=SEG.ACK><CTL=RST>, else
 * <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; nothing if @seg is a RST.
 * Labelled @conn. */
void tcp_common_send_rst_reply (TcpCommon *self, const SynackSegment *seg,
                                SynackConnId conn);

/* ---- ISN, RTO, timer ----------------------------------------------------- */

/* The ISN @ep uses now, per tcp->isn (see tcp-common.c). */
guint32 tcp_common_isn (TcpCommon *self, const TcpEndpoint *ep, SynackTime now);
/* The simulated clock in ms + 1 (never 0): TSval and the rate limit's clock. */
static inline guint32
tcp_common_ms (SynackTime now)
{
  return (guint32) (now / SYNACK_MSECOND) + 1;
}

/* Our SYN (or SYN,ACK) leaves at @now: remembers what the handshake's RTT
 * sample needs: the send time, or with timestamps TS.Recent from @peer_syn
 * (nullable: the peer's SYN we answer). */
void tcp_common_syn_start (TcpCommon *self, TcpEndpoint *ep,
                           const SynackSegment *peer_syn, SynackTime now);
/* Our SYN was acknowledged at @now by @seg (nullable): takes the
 * handshake's RTT sample: with timestamps from @seg's TSecr (RFC 7323 §4.1,
 * Linux tcp_ack_update_rtt(): valid after retransmissions too), else only
 * if the SYN was never retransmitted (RFC 6298 2.2, Karn); without one, if
 * the SYN timed out and rto_initial is below 3 s, the RFC 6298 5.7
 * fallback.  A larger RTT in the metrics cache sets the RTO until the first
 * ACK of data (Linux tcp_init_metrics()).  Resets the backoff (progress). */
void tcp_common_syn_acked (TcpCommon *self, TcpEndpoint *ep,
                           const SynackSegment *seg, SynackTime now);
/* An ACK of data or of a FIN at @ep: progress (the backoff and the tail
 * loss probe reset) and, with the cache's RTO in use, the end of it (Linux:
 * the first data RTT sample sets the RTO). */
void         tcp_common_data_acked (TcpCommon *self, TcpEndpoint *ep);
/* Updates TS.Recent from an acceptable in-order @seg (RFC 7323 §4.3). */
void tcp_common_ts_update (TcpCommon *self, TcpEndpoint *ep,
                           const SynackSegment *seg);
/* The base RTO now: from the metrics cache (TCP_EP_RTO_CACHED), the 3 s
 * fallback, the sample per tcp->rto_estimator, else rto_initial; at most
 * rto_max. */
SynackTime   tcp_common_rto_base (const TcpCommon *self, const TcpEndpoint *ep);
/* SRTT, us, 0 = none: ep->rtt_us, or with the rfc6298 estimator the RTO it
 * came from / 3 (R + max (G, 4 R/2) = 3 R; an upper bound when rto_min
 * raised it). */
guint32      tcp_common_srtt_us (const TcpCommon *self, const TcpEndpoint *ep);
/* Whether a peer is proven (Linux tcp_peer_is_proven()): the server's
 * metrics cache has an RTT for client host @client. */
gboolean     tcp_common_peer_proven (const TcpCommon *self, guint32 client);
/* Invalid-segment ACK rate limit (Linux tcp_oow_rate_limited(),
 * tcp_invalid_ratelimit).  Returns: TRUE if an ACK answering @seg at @ep
 * may leave now (and counts it); FALSE if one left less than
 * invalid_ratelimit ago.  Segments with data or a FIN and no SYN are never
 * limited ("not likely part of an ACK loop"), nor are states where the
 * clock has no room (TIME_WAIT; SYN_SENT and SYN_RECEIVED without
 * timestamps). */
gboolean tcp_common_oow_ack_ok (TcpCommon *self, TcpEndpoint *ep,
                                const SynackSegment *seg);
/* The host-wide challenge-ACK limit (RFC 5961 §7, Linux
 * tcp_send_challenge_ack(), tcp_challenge_ack_limit): @ep's host may send
 * challenge_ack_limit of them per second of simulated time (Linux draws
 * the budget at random around the limit: not modelled).  Returns: TRUE if
 * one may leave now (and counts it); always TRUE with limit 0. */
gboolean     tcp_common_challenge_ok (TcpCommon *self, const TcpEndpoint *ep);
/* SYN cookies (RFC 4987 §3.6, Linux cookie_v4_init_sequence() and
 * cookie_v4_check()): the ISS that encodes (@ep's 4-tuple, @irs, the minute
 * @now falls in) in a keyed hash, the minute counter in the top 8 bits. */
guint32 tcp_common_cookie (const TcpCommon *self, const TcpEndpoint *ep,
                           guint32 irs, SynackTime now);
/* Returns: whether @cookie is one tcp_common_cookie() gave for (@ep, @irs)
 * in this minute or the one before (MAX_SYNCOOKIE_AGE 2 of 60 s). */
gboolean tcp_common_cookie_ok (const TcpCommon *self, const TcpEndpoint *ep,
                               guint32 irs, guint32 cookie, SynackTime now);
/* The time budget Linux gives @boundary retransmissions backed off from
 * rto_min up to rto_max (tcp_model_timeout(), used by
 * retransmits_timed_out()): 8 retries, 200 ms, 120 s -> 102.2 s. */
SynackTime   tcp_common_retry_budget (const TcpCommon *self, guint boundary);
/* The time since the first transmission of what is outstanding when the
 * timer fires after ep->timeouts expiries: the sum of the timeouts so far. */
SynackTime tcp_common_backoff_elapsed (const TcpCommon *self,
                                       const TcpEndpoint *ep);
/* The timeout to arm after the current transmission: the base RTO (the
 * sample's, else rto_initial) times rto_backoff^k capped at rto_max, k =
 * ep->timeouts, or max(0, timeouts - syn_linear_timeouts) when
 * @syn_linear (an active open's SYN, Linux tcp_syn_linear_timeouts). */
SynackTime tcp_common_rto (const TcpCommon *self, const TcpEndpoint *ep,
                           gboolean syn_linear);
/* Starts (or restarts) @ep's 2 MSL wait: it leaves TIME_WAIT for CLOSED
 * tcp->time_wait_ns from now, unless it has left TIME_WAIT before. */
void         tcp_common_time_wait_start (TcpCommon *self, TcpEndpoint *ep);

/* A retransmission timeout at @ep that @limit retransmissions may follow.
 * Returns: FALSE if @ep has made them all: it is closed without a word
 * (CLOSED, cause TIMEOUT; RFC 9293 §3.8.3 "close the connection", and
 * Linux tcp_write_err() / reqsk_timer_handler() send no RST either), so
 * the peer learns of it only from a RST to its next segment; TRUE, the
 * timeout and the retransmission counted, if one more is due. */
gboolean     tcp_common_retry (TcpCommon *self, TcpEndpoint *ep, guint limit);
/* The retransmissions an active open's SYN gets: syn_retries plus the
 * linear ones (Linux tcp_write_timeout() adds tcp_syn_linear_timeouts to
 * tcp_syn_retries in SYN_SENT). */
static inline guint
tcp_common_syn_limit (const TcpCommon *self)
{
  return self->tcp->syn_retries + self->tcp->syn_linear_timeouts;
}

/* Whether @ep holds a connection (neither CLOSED nor the listener's). */
static inline gboolean
tcp_common_has_connection (const TcpEndpoint *ep)
{
  return ep->state != SYNACK_TCP_CLOSED && ep->state != SYNACK_TCP_LISTEN;
}

/* Clears @ep's timer, then arms it @delay from now. */
void tcp_common_timer_start (TcpCommon *self, TcpEndpoint *ep,
                             SynackTime delay);
void         tcp_common_timer_stop  (TcpCommon *self, TcpEndpoint *ep);

/* ---- tests --------------------------------------------------------------- */

/* @self: a tcp3way or tcp2way instance: both are a TcpCommon.
 * Returns: the state of the @role end of (@client, @port), without
 * allocating: an untouched server slot is LISTEN (the listener covers every
 * 4-tuple), an untouched client slot CLOSED.  For tests. */
SynackTcpState tcp_common_state_of (TcpCommon *self, SynackRole role,
                                    guint32 client, guint16 port);
/* Returns: (transfer none) (nullable) the endpoint, without allocating. */
const TcpEndpoint *tcp_common_peek (TcpCommon *self, SynackRole role,
                                    guint32 client, guint16 port);

G_END_DECLS
