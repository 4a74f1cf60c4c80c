/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/protocol-tcpfastopen.c - TCP Fast Open (RFC 7413) as Linux 6.x
 * implements it (net/ipv4/tcp_fastopen.c, tcp_output.c, tcp_input.c), on
 * top of tcp3way.
 *
 * Everything of tcp3way applies (RFC 9293 states, checks, RSTs, TIME_WAIT,
 * retransmission, profiles): this plugin is tcp3way's instance with four
 * places replaced, and it hands every other segment, close and timeout to
 * tcp3way's own code (protocol-tcp3way.c is linked in; its vtable is
 * called).  The TFO option travels in SynackSegment.fastopen (kind 34 of
 * RFC 7413 §4.1.1: absent, empty = a cookie request, or a cookie).
 *
 * Behaviour, precisely (L = tcp->request_bytes):
 *  - The client's cookie cache holds one cookie per client host (the
 *    server is one address; Linux keeps it in the tcp_metrics entry of the
 *    destination, tcp_fastopen_cache_get()).  connect() asks
 *    tcp_fastopen_cookie_check(): with a cookie cached it sends SYN-data,
 *    <SEQ=ISS><CTL=SYN> with the cookie and the request (len L), SND.NXT =
 *    ISS+1+L (tcp_send_syn_data()); without one it sends a plain SYN with
 *    an empty option, a cookie request, and the request goes in the third
 *    segment as in tcp3way ("fallback: Send a regular SYN with Fast Open
 *    cookie request option").  Linux's blackhole detection
 *    (tcp_fastopen_active_should_disable()) is off by default since 5.14
 *    (tcp_fastopen_blackhole_timeout_sec = 0): not modelled.
 *  - A SYN timeout retransmits a plain SYN, without data and without the
 *    option: tcp_send_syn_data() keeps the data in a separate segment
 *    behind "the SYN packet (with no data)", and sets fo->cookie.len = -1
 *    ("Exclude Fast Open option for SYN retries").  That is tcp3way's SYN
 *    retransmission, unchanged.
 *  - The client's SYN_SENT on an acceptable SYN,ACK
 *    (tcp_rcv_fastopen_synack()): a cookie in it replaces the cached one
 *    (tcp_fastopen_cache_set(); Linux also counts a SYN-data presumed lost,
 *    syn_loss, which no code reads since the per-destination backoff was
 *    removed: not modelled).  If our SYN carried data: ESTABLISHED; if the
 *    SYN,ACK acks ISS+1+L the data is in and a bare ACK completes the
 *    handshake; if it acks ISS+1 only (the server refused the cookie, or
 *    only a retransmitted plain SYN got through) the data is retransmitted
 *    at once with the ACK, <SEQ=ISS+1><ACK=RCV.NXT>, len L ("Retransmit
 *    unacked data in SYN": tcp_mark_skb_lost() and
 *    tcp_xmit_retransmit_queue()), and the RTO runs on it.  If our SYN was
 *    a cookie request: tcp3way's SYN_SENT processing (the request rides in
 *    the ACK).  Unacceptable SYN,ACKs and everything else: tcp3way's.
 *  - The server, on a SYN with the option at a slot with no connection
 *    (or reopening a TIME_WAIT as tcp3way does), tcp_try_fastopen():
 *      an empty option: a normal SYN_RECEIVED whose SYN,ACK carries a
 *        fresh cookie (tcp_fastopen_cookie_gen());
 *      a valid cookie (tcp_fastopen_cookie_gen_check() against the primary
 *        key, or the backup key, which also sends a fresh cookie):
 *        tcp_fastopen_create_child(): SYN_RECEIVED with RCV.NXT =
 *        SEG.SEQ+1+L (tcp_fastopen_add_skb() queues the data), the data
 *        handed to the application at once, reported as a
 *        SYNACK_CAUSE_DELIVER change (the execution, oracle.h), and a
 *        SYN,ACK that acknowledges the data, <SEQ=ISS><ACK=SEG.SEQ+1+L>;
 *      an invalid cookie: the data is dropped, a normal SYN_RECEIVED whose
 *        SYN,ACK acks SEG.SEQ+1 only and carries a fresh cookie, and the
 *        request is executed when the client's retransmitted data
 *        completes the handshake, as in tcp3way.
 *    A SYN without the option (a retransmitted SYN) is tcp3way's.  A
 *    Fast Open child retransmits its SYN,ACK synack_retries + 1 times
 *    (tcp_fastopen_synack_timer(): "add one more retry for fastopen");
 *    retransmitted SYN,ACKs carry no cookie (tcp_rtx_synack() passes no
 *    foc).  A retransmitted SYN or a copy of the SYN-data reaching the
 *    child is tcp3way's SYN_RECEIVED processing (Linux tcp_check_req():
 *    "even if there is new data in the SYN packet they will be thrown
 *    away"): never executed twice while the child lives.  So is a
 *    SYN-data that reaches a SYN_RECEIVED opened by its own plain
 *    retransmission (it was delayed past the client's RTO): its data is
 *    dropped as Linux does, where RFC 9293 would see data in the window
 *    and return to LISTEN.
 *  - Cookies: the cookie of client host c under key k is a keyed hash of
 *    (c, k), never 0 or 1.  With key_rotation = 0 (the default, as Linux,
 *    whose key is set once: tcp_fastopen_init_key_once()) cookies never
 *    expire.  With key_rotation = T the server's key is replaced every T
 *    (an operator writing net.ipv4.tcp_fastopen_key), the previous key
 *    kept as the backup (TCP_FASTOPEN_KEY_MAX = 2), so a cookie is valid
 *    for between T and 2T after it was issued (RFC 7413 leaves cookie
 *    expiry to the server).
 *
 * What it saves and what it risks: with a cookie cached the request is
 * executed 0.5 RTT after the open instead of 1.5 RTT; but the server
 * executes a SYN's data before it knows the SYN is current (RFC 7413,
 * "Applicability": the data may be replayed): an old SYN-data that arrives
 * after the server's side closed, while its cookie is valid, is executed
 * again (a ghost), exactly as in the 2-way handshakes.  Only key rotation
 * bounds how old a replayed SYN can be. */
#include "tcp-common.h"

#define F_FIN SYNACK_FLAG_FIN
#define F_SYN SYNACK_FLAG_SYN
#define F_RST SYNACK_FLAG_RST
#define F_ACK SYNACK_FLAG_ACK

const SynackPluginDesc *synack_plugin_protocol_tcp3way_describe (void);

typedef struct {
  const SynackProtocolVtable *base;      /* tcp3way's operations */
  TcpRetransmitFunc           base_retransmit;
  SynackTime                  key_rotation_ns;   /* 0: never */
  guint64                     key_secret;
  guint32                    *cache;     /* [client]: cached cookie, 0 = none */
} Tfo;

typedef enum {
  COOKIE_REQUEST,
  COOKIE_VALID,          /* primary key */
  COOKIE_VALID_BACKUP,   /* backup key: valid, and a fresh cookie is sent */
  COOKIE_INVALID,
} CookieVerdict;

static Tfo *
tfo_of (const TcpCommon *self)
{
  return self->model;
}

/* ---- cookies ------------------------------------------------------------- */

static guint64
key_epoch (const Tfo *tfo, SynackTime now)
{
  return tfo->key_rotation_ns > 0 ? (guint64) (now / tfo->key_rotation_ns) : 0;
}

/* The cookie of @client under key number @epoch: never NONE or REQUEST. */
static guint32
cookie_of (const Tfo *tfo, guint32 client, guint64 epoch)
{
  /* a keyed hash is all a cookie needs here (RFC 7413 suggests AES-128 of
   * the client's address; Linux uses SipHash) */
  guint64 key = synack_rng_splitmix64 (tfo->key_secret ^ epoch);
  guint32 c = (guint32) (synack_rng_splitmix64 (key ^ client) >> 32);

  return c > SYNACK_TFO_REQUEST ? c : c + 2;
}

/* tcp_fastopen_cookie_gen_check(): the primary key, then the backup. */
static CookieVerdict
cookie_check (const Tfo *tfo, guint32 client, guint32 cookie, SynackTime now)
{
  guint64 epoch = key_epoch (tfo, now);

  if (cookie == SYNACK_TFO_REQUEST)
    return COOKIE_REQUEST;
  if (cookie == cookie_of (tfo, client, epoch))
    return COOKIE_VALID;
  if (epoch > 0 && cookie == cookie_of (tfo, client, epoch - 1))
    return COOKIE_VALID_BACKUP;
  return COOKIE_INVALID;
}

/* ---- the server: tcp_try_fastopen() -------------------------------------- */

/* A SYN with the option at a slot with no connection (RFC 9293 §3.10.7.2,
 * as tcp3way's listener, with tcp_try_fastopen() in the middle). */
static void
server_syn (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
            SynackTime now)
{
  const SynackTcpConfig *tcp = self->tcp;
  Tfo *tfo = tfo_of (self);
  guint32 client = tcp_common_client (self, ep);
  CookieVerdict v = cookie_check (tfo, client, seg->fastopen, now);
  guint32 reply = SYNACK_TFO_NONE;

  if (tcp->backlog > 0 && self->syn_received >= tcp->backlog) {
    tcp_common_report (self, seg->conn, SYNACK_ROLE_SERVER, client,
                       tcp_common_port (self, ep), SYNACK_TCP_LISTEN,
                       SYNACK_TCP_LISTEN, SYNACK_CAUSE_BACKLOG, seg);
    return;
  }
  tcp_common_passive_open (self, ep, seg, now);
  if (v == COOKIE_VALID || v == COOKIE_VALID_BACKUP) {
    /* tcp_fastopen_create_child() + tcp_fastopen_add_skb() */
    ep->bits |= TCP_EP_FASTOPEN;
    ep->rcv_nxt += seg->len_bytes;
  }
  if (v != COOKIE_VALID)
    reply = cookie_of (tfo, client, key_epoch (tfo, now));
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_RECEIVED, SYNACK_CAUSE_RCV,
                        seg);
  if ((ep->bits & TCP_EP_FASTOPEN) && seg->len_bytes > 0)
    /* the child is in the accept queue with its data: executed now */
    tcp_common_report (self, ep->conn, SYNACK_ROLE_SERVER, client,
                       tcp_common_port (self, ep), SYNACK_TCP_SYN_RECEIVED,
                       SYNACK_TCP_SYN_RECEIVED, SYNACK_CAUSE_DELIVER, seg);
  tcp_common_send_tfo (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0, 0,
                       reply);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* Whether tcp3way's listener would take @seg at @ep: no connection, or a
 * TIME_WAIT that a new SYN reopens (tcp_timewait_state_process()). */
static gboolean
listener_takes (const TcpEndpoint *ep, const SynackSegment *seg)
{
  switch (ep->state) {
    case SYNACK_TCP_LISTEN:
    case SYNACK_TCP_CLOSED:
      return TRUE;
    case SYNACK_TCP_TIME_WAIT:
      return synack_seq_gt (seg->seq, ep->rcv_nxt);
    default:
      return FALSE;
  }
}

/* ---- the client: tcp_rcv_fastopen_synack() ------------------------------- */

/* An acceptable SYN,ACK (SND.UNA < SEG.ACK =< SND.NXT) for a SYN-data. */
static void
client_synack (TcpCommon *self, TcpEndpoint *ep, const SynackSegment *seg,
               SynackTime now)
{
  ep->irs = seg->seq;
  ep->rcv_nxt = seg->seq + 1;
  ep->snd_una = seg->ack;
  if (self->opts & TCP_OPT_TIMESTAMPS)
    ep->ts_recent = seg->tsval;
  tcp_common_syn_acked (self, ep, seg, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_ESTABLISHED, SYNACK_CAUSE_RCV,
                        seg);
  if (ep->snd_una == ep->snd_nxt) {
    /* the data is in: the ACK completes the handshake */
    tcp_common_timer_stop (self, ep);
    tcp_common_send_ack (self, ep);
    return;
  }
  /* only the SYN is acked: retransmit the data now, with the ACK */
  ep->rexmits++;
  tcp_common_send (self, ep, F_ACK, ep->snd_una, ep->rcv_nxt,
                   ep->snd_nxt - ep->snd_una, ep->rexmits);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
}

/* ---- timeouts ------------------------------------------------------------ */

static void
tfo_retransmit (TcpCommon *self, TcpEndpoint *ep, SynackTime now)
{
  Tfo *tfo = tfo_of (self);

  /* tcp_fastopen_synack_timer(): a Fast Open child's SYN,ACK gets one more
   * retry than a request's; the rest is tcp3way's */
  if ((ep->bits & TCP_EP_SERVER) && (ep->bits & TCP_EP_FASTOPEN) &&
      ep->state != SYNACK_TCP_TIME_WAIT && ep->snd_una == ep->iss &&
      ep->timeouts == self->tcp->synack_retries) {
    ep->timeouts++;
    ep->rexmits++;
    ep->bits |= TCP_EP_SYN_REXMIT;
    tcp_common_send (self, ep, F_SYN | F_ACK, ep->iss, ep->rcv_nxt, 0,
                     ep->rexmits);
    tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, FALSE));
    return;
  }
  tfo->base_retransmit (self, ep, now);
}

/* ---- the vtable ---------------------------------------------------------- */

static gpointer
tfo_create (const SynackProtocolEnv *env, const SynackParams *params,
            GError **error)
{
  const SynackProtocolVtable *base =
      synack_plugin_protocol_tcp3way_describe ()->vt.protocol;
  TcpCommon *self = base->create (env, NULL, error);
  Tfo *tfo;

  if (self == NULL)
    return NULL;
  tfo = g_new0 (Tfo, 1);
  tfo->base = base;
  tfo->base_retransmit = self->retransmit;
  tfo->key_rotation_ns =
      params ? synack_params_get_duration (params, "key_rotation") : 0;
  tfo->key_secret = synack_rng_derive_seed (env->seed, "protocol.tfo.key");
  tfo->cache = g_new0 (guint32, (gsize) env->n_clients + 1);
  self->model = tfo;
  self->retransmit = tfo_retransmit;
  return self;
}

/* tcp_connect() -> tcp_send_syn_data(). */
static gboolean
tfo_connect (gpointer data, guint32 client, guint16 port, SynackConnId conn,
             SynackTime now)
{
  TcpCommon *self = data;
  Tfo *tfo = tfo_of (self);
  TcpEndpoint *ep = tcp_common_open_endpoint (self, client, port, conn);
  guint32 cookie, len = 0;

  if (ep == NULL)
    return FALSE;
  /* tcp_fastopen_cookie_check(): a cached cookie, or a cookie request */
  cookie = tfo->cache[client];
  if (cookie != SYNACK_TFO_NONE) {
    len = self->tcp->request_bytes;
    if (len > 0)
      ep->bits |= TCP_EP_FASTOPEN;
  } else {
    cookie = SYNACK_TFO_REQUEST;
  }
  ep->iss = tcp_common_isn (self, ep, now);
  ep->snd_una = ep->iss;
  ep->snd_nxt = ep->iss + 1 + len;
  tcp_common_syn_start (self, ep, NULL, now);
  tcp_common_set_state (self, ep, SYNACK_TCP_SYN_SENT, SYNACK_CAUSE_APP_OPEN,
                        NULL);
  tcp_common_send_tfo (self, ep, F_SYN, ep->iss, 0, len, 0, cookie);
  tcp_common_timer_start (self, ep, tcp_common_rto (self, ep, TRUE));
  return TRUE;
}

static void
tfo_close (gpointer data, SynackRole role, guint32 client, guint16 port,
           SynackConnId conn, SynackTime now)
{
  TcpCommon *self = data;

  tfo_of (self)->base->close (data, role, client, port, conn, now);
}

static void
tfo_receive (gpointer data, const SynackSegment *seg, SynackTime now)
{
  TcpCommon *self = data;
  Tfo *tfo = tfo_of (self);
  TcpEndpoint *ep = tcp_common_endpoint_for (self, seg);
  guint16 ctl = seg->flags & (F_SYN | F_ACK | F_RST);

  if (ep != NULL && (ep->bits & TCP_EP_SERVER) && ctl == F_SYN &&
      seg->fastopen != SYNACK_TFO_NONE && listener_takes (ep, seg)) {
    if (ep->state == SYNACK_TCP_TIME_WAIT)
      tcp_common_set_state (self, ep, SYNACK_TCP_CLOSED, SYNACK_CAUSE_RCV, seg);
    server_syn (self, ep, seg, now);
    return;
  }
  if (ep != NULL && (ep->bits & TCP_EP_SERVER) &&
      ep->state == SYNACK_TCP_SYN_RECEIVED && ctl == F_SYN &&
      seg->seq == ep->irs && seg->len_bytes > 0) {
    /* The SYN-data overtaken by its plain retransmission, which made this
     * SYN_RECEIVED.  RFC 9293 would find its data in the window and send
     * the connection back to LISTEN; Linux tcp_check_req() takes any SYN
     * at the request's ISN for a retransmitted SYN ("even if there is new
     * data in the SYN packet they will be thrown away too"): tcp3way's
     * answer to a retransmitted SYN, without the data. */
    SynackSegment syn = *seg;

    syn.len_bytes = 0;
    syn.fastopen = SYNACK_TFO_NONE;
    tfo->base->receive (data, &syn, now);
    return;
  }
  if (ep != NULL && !(ep->bits & TCP_EP_SERVER) &&
      ep->state == SYNACK_TCP_SYN_SENT && ctl == (F_SYN | F_ACK) &&
      synack_seq_gt (seg->ack, ep->iss) &&
      synack_seq_le (seg->ack, ep->snd_nxt)) {
    /* tcp_rcv_fastopen_synack() -> tcp_fastopen_cache_set() */
    if (seg->fastopen > SYNACK_TFO_REQUEST)
      tfo->cache[tcp_common_client (self, ep)] = seg->fastopen;
    if (ep->bits & TCP_EP_FASTOPEN) {
      client_synack (self, ep, seg, now);
      return;
    }
  }
  tfo->base->receive (data, seg, now);
}

static void
tfo_destroy (gpointer data)
{
  TcpCommon *self = data;
  Tfo *tfo;

  if (self == NULL)
    return;
  tfo = tfo_of (self);
  g_free (tfo->cache);
  tfo->base->destroy (data);
  g_free (tfo);
}

static const SynackProtocolVtable tfo_vtable = {
  .create = tfo_create,
  .connect = tfo_connect,
  .close = tfo_close,
  .receive = tfo_receive,
  .destroy = tfo_destroy,
};

static const SynackParamSpec tfo_params[] = {
  { "key_rotation", SYNACK_PARAM_DURATION, "0s", "s",
    "period of the server's cookie key rotation (the previous key stays valid "
    "as the "
    "backup, so a cookie lives 1-2 periods); 0 never rotates, as Linux",
    0, 0, NULL },
  { NULL },
};

static const SynackPluginDesc tfo_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_PROTOCOL,
  .name = "tcpfastopen",
  .summary = "TCP Fast Open (RFC 7413, as Linux): the request in the SYN, with "
             "a cookie",
  .params = tfo_params,
  .vt = { .protocol = &tfo_vtable },
};

SYNACK_PLUGIN_DEFINE (protocol_tcpfastopen, tfo_desc)
