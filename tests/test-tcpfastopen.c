/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-tcpfastopen.c - the tcpfastopen protocol model (TCP Fast
 * Open, RFC 7413, as Linux 6.x implements it in net/ipv4/tcp_fastopen.c,
 * tcp_output.c and tcp_input.c).
 *
 * Covers: one table row per TFO transition and per SYN / SYN,ACK / data
 * case, on the end that makes it, with the test playing the peer: the
 * server's tcp_try_fastopen() verdicts (cookie request, valid cookie with
 * the primary or the backup key, expired or bogus cookie, no option,
 * cookie without data, a TIME_WAIT reopened by SYN-data, the SYN-data
 * again in SYN_RECEIVED), the client's tcp_send_syn_data() and
 * tcp_rcv_fastopen_synack() (data acked or not, the cookie cached, the
 * plain SYN retransmission).  Then whole runs over a loopback link: the
 * first connection asks for a cookie in a full handshake and the second
 * is 0-RTT; a lost SYN-data recovered as Linux does; an invalid cookie
 * falling back to the 3-way handshake without executing the data early;
 * an old SYN-data after the server closed executed again, and not once
 * its key has rotated out; the Fast Open child's extra SYN,ACK retry.  The
 * rest of the model is tcp3way's (tests/test-tcp3way.c); a few of its rows
 * are run here too, to show the delegation. */
#include "tcp-harness.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_protocol_tcpfastopen_describe (void);

#define CLIENT SYNACK_ROLE_CLIENT
#define SERVER SYNACK_ROLE_SERVER

#define SYN     SYNACK_FLAG_SYN
#define ACK     SYNACK_FLAG_ACK
#define FIN     SYNACK_FLAG_FIN
#define RST     SYNACK_FLAG_RST
#define SYNACK  (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)
#define FINACK  (SYNACK_FLAG_FIN | SYNACK_FLAG_ACK)

#define S_CLOSED       SYNACK_TCP_CLOSED
#define S_LISTEN       SYNACK_TCP_LISTEN
#define S_SYN_SENT     SYNACK_TCP_SYN_SENT
#define S_SYN_RECEIVED SYNACK_TCP_SYN_RECEIVED
#define S_ESTABLISHED  SYNACK_TCP_ESTABLISHED
#define S_TIME_WAIT    SYNACK_TCP_TIME_WAIT

#define KEY_ROTATION (10 * SYNACK_SECOND)
#define LEN 100      /* the rfc9293 profile's request_bytes */

static const SynackPluginDesc *
desc (void)
{
  return synack_plugin_protocol_tcpfastopen_describe ();
}

/* ---- fixtures ------------------------------------------------------------- */

/* A harness on @profile, nothing looped back; @rotation > 0 recreates the
 * instance with protocol.key_rotation = @rotation. */
static TcpHarness *
harness (const char *profile, SynackTime rotation)
{
  SynackTcpConfig cfg;
  TcpHarness *h;

  tcp_harness_config (profile, &cfg);
  h = tcp_harness_new (desc (), &cfg);
  if (rotation > 0) {
    g_autoptr (SynackParams) params = synack_params_new (desc ()->params);
    g_autoptr (GError) error = NULL;
    g_autofree char *text = g_strdup_printf ("%" G_GINT64_FORMAT "ms",
                                             (gint64) (rotation / SYNACK_MSECOND));

    g_assert_true (synack_params_set (params, "key_rotation", text, &error));
    g_assert_no_error (error);
    h->vt->destroy (h->proto);
    h->proto = h->vt->create (&h->env, params, &error);
    g_assert_no_error (error);
  }
  return h;
}

/* Both ends run, 10 ms apart: after the fixtures, which play the peer. */
static void
loop (TcpHarness *h)
{
  g_assert_cmpuint (synack_sched_pending (h->sched), ==, 0);
  tcp_harness_set_loopback (h, 10 * SYNACK_MSECOND);
  tcp_harness_mark (h);
}

/* The cookie the server gives client 1 now: a cookie request from a port
 * of client 1 other than the connection under test, whose SYN_RECEIVED a
 * RST then sends back to LISTEN. */
static guint32
server_cookie (TcpHarness *h)
{
  SynackSegment syn = tcp_harness_template (h, SERVER);
  const SynackSegment *reply;
  guint32 cookie;

  syn.src_port = h->port + 3;
  syn.conn = 99;
  syn.flags = SYN;
  syn.seq = 5000;
  syn.fastopen = SYNACK_TFO_REQUEST;
  tcp_harness_mark (h);
  tcp_harness_deliver (h, &syn);
  reply = tcp_harness_last_tx (h);
  g_assert_nonnull (reply);
  g_assert_cmphex (reply->flags, ==, SYNACK);
  g_assert_cmpuint (reply->fastopen, >, SYNACK_TFO_REQUEST);
  cookie = reply->fastopen;
  syn.flags = RST;
  syn.seq = 5001;
  syn.fastopen = SYNACK_TFO_NONE;
  tcp_harness_deliver (h, &syn);
  g_assert_cmpint (tcp_common_state_of (h->proto, SERVER, h->client, syn.src_port), ==,
                   S_LISTEN);
  tcp_harness_mark (h);
  return cookie;
}

/* Puts @cookie in client 1's cache: a connection from another port gets a
 * SYN,ACK carrying it. */
static void
client_learns (TcpHarness *h, guint32 cookie)
{
  guint16 port = h->port;
  SynackConnId conn = h->conn;
  SynackSegment synack;
  const TcpEndpoint *ep;

  h->port = port + 2;
  h->conn = 98;
  g_assert_true (tcp_harness_connect (h));
  synack = tcp_harness_template (h, CLIENT);
  synack.flags = SYNACK;
  synack.seq = TCP_HARNESS_PEER_ISS;
  synack.ack = tcp_harness_endpoint (h, CLIENT)->snd_nxt;
  synack.fastopen = cookie;
  tcp_harness_deliver (h, &synack);
  g_assert_cmpint (tcp_harness_state (h, CLIENT), ==, S_ESTABLISHED);
  /* the request it sent is acked: no timer left behind */
  ep = tcp_harness_endpoint (h, CLIENT);
  tcp_harness_inject (h, CLIENT, ACK, ep->rcv_nxt, ep->snd_nxt, 0);
  g_assert_cmpint (ep->timer, ==, 0);
  h->port = port;
  h->conn = conn;
  tcp_harness_mark (h);
}

/* Server SYN_RECEIVED -> ... DELIVER reports and ESTABLISHED entries for
 * @conn: what the oracle counts as executions. */
static guint
deliveries (const TcpHarness *h, SynackConnId conn)
{
  guint n = 0;

  for (guint i = 0; i < h->changes->len; i++) {
    const SynackStateChange *c = &g_array_index (h->changes, TcpHarnessChange, i).change;

    if (c->role == SERVER && c->conn == conn && c->cause == SYNACK_CAUSE_DELIVER)
      n++;
  }
  return n;
}

/* ---- table rows: the server's tcp_try_fastopen() --------------------------- */

typedef enum {
  OPT_NONE,        /* no option (a retransmitted SYN) */
  OPT_REQUEST,     /* empty option: a cookie request */
  OPT_VALID,       /* the cookie of the current key */
  OPT_BACKUP,      /* the cookie of the previous key (rotation 10 s, now 15 s) */
  OPT_EXPIRED,     /* the cookie of the key before it (now 25 s) */
  OPT_BOGUS,       /* a cookie the server never made */
} OptChoice;

typedef enum {
  FROM_LISTEN,
  FROM_TIME_WAIT,      /* a server TIME_WAIT (the server closed first) */
  FROM_TFO_CHILD,      /* SYN_RECEIVED made by a valid SYN-data */
  FROM_PLAIN_SYN,      /* SYN_RECEIVED made by a plain SYN (a retransmission) */
} ServerFrom;

typedef enum {
  REPLY_NONE,          /* no cookie in the SYN,ACK */
  REPLY_FRESH,         /* the cookie of the current key */
} ReplyCookie;

typedef struct {
  const char    *path;
  ServerFrom     from;
  guint16        flags;
  OptChoice      opt;
  guint32        len;
  gboolean       dup_synack;  /* synack_on_dup_syn (Linux) */
  SynackTcpState to;
  guint16        tx_flags;
  gint32         tx_ack_off;  /* SEG.ACK of the reply - the SYN's SEG.SEQ; < 0: not checked */
  ReplyCookie    reply;
  guint          delivered;   /* DELIVER reports the input caused */
} ServerRow;

static const ServerRow server_rows[] = {
  /* path                                                from            flags opt          len  dup    to              tx      ack  reply        delivered */
  { "/tcpfastopen/listen/rcv-syn-cookie-request",        FROM_LISTEN,    SYN,  OPT_REQUEST, 0,   FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_FRESH, 0 },
  { "/tcpfastopen/listen/rcv-syn-data-valid-cookie",     FROM_LISTEN,    SYN,  OPT_VALID,   LEN, FALSE, S_SYN_RECEIVED, SYNACK, 101, REPLY_NONE,  1 },
  { "/tcpfastopen/listen/rcv-syn-data-backup-key",       FROM_LISTEN,    SYN,  OPT_BACKUP,  LEN, FALSE, S_SYN_RECEIVED, SYNACK, 101, REPLY_FRESH, 1 },
  { "/tcpfastopen/listen/rcv-syn-data-expired-cookie",   FROM_LISTEN,    SYN,  OPT_EXPIRED, LEN, FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_FRESH, 0 },
  { "/tcpfastopen/listen/rcv-syn-data-bogus-cookie",     FROM_LISTEN,    SYN,  OPT_BOGUS,   LEN, FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_FRESH, 0 },
  { "/tcpfastopen/listen/rcv-syn-data-no-option",        FROM_LISTEN,    SYN,  OPT_NONE,    LEN, FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_NONE,  0 },
  { "/tcpfastopen/listen/rcv-syn-valid-cookie-no-data",  FROM_LISTEN,    SYN,  OPT_VALID,   0,   FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_NONE,  0 },
  { "/tcpfastopen/listen/rcv-plain-syn",                 FROM_LISTEN,    SYN,  OPT_NONE,    0,   FALSE, S_SYN_RECEIVED, SYNACK, 1,   REPLY_NONE,  0 },
  { "/tcpfastopen/listen/rcv-ack-with-option",           FROM_LISTEN,    ACK,  OPT_VALID,   LEN, FALSE, S_LISTEN,       RST,    -1,  REPLY_NONE,  0 },
  { "/tcpfastopen/time-wait/rcv-syn-data-valid-cookie",  FROM_TIME_WAIT, SYN,  OPT_VALID,   LEN, FALSE, S_SYN_RECEIVED, SYNACK, 101, REPLY_NONE,  1 },
  /* the SYN-data again while its child lives: never executed twice */
  { "/tcpfastopen/syn-received/rcv-syn-data-again",      FROM_TFO_CHILD, SYN,  OPT_VALID,   LEN, FALSE, S_SYN_RECEIVED, ACK,    101, REPLY_NONE,  0 },
  { "/tcpfastopen/syn-received/rcv-syn-again-linux",     FROM_TFO_CHILD, SYN,  OPT_NONE,    0,   TRUE,  S_SYN_RECEIVED, SYNACK, 101, REPLY_NONE,  0 },
  { "/tcpfastopen/syn-received/rcv-ack",                 FROM_TFO_CHILD, ACK,  OPT_NONE,    0,   FALSE, S_ESTABLISHED,  0,      -1,  REPLY_NONE,  0 },
  /* the SYN-data overtaken by its plain retransmission: a retransmitted
   * SYN to Linux (tcp_check_req()), its data dropped; not a return to
   * LISTEN (RFC 9293 §3.10.7.4 fourth, data in the window) */
  { "/tcpfastopen/syn-received/rcv-late-syn-data",       FROM_PLAIN_SYN, SYN,  OPT_VALID,   LEN, FALSE, S_SYN_RECEIVED, ACK,    1,   REPLY_NONE,  0 },
  { "/tcpfastopen/syn-received/rcv-late-syn-data-linux", FROM_PLAIN_SYN, SYN,  OPT_VALID,   LEN, TRUE,  S_SYN_RECEIVED, SYNACK, 1,   REPLY_NONE,  0 },
};

static void
test_server_row (gconstpointer data)
{
  const ServerRow *row = data;
  g_autoptr (TcpHarness) h = NULL;
  SynackTcpConfig cfg;
  SynackSegment syn;
  guint32 cookie0, seq = TCP_HARNESS_PEER_ISS;
  const SynackSegment *reply;
  gboolean rotates = row->opt == OPT_BACKUP || row->opt == OPT_EXPIRED;

  tcp_harness_config ("rfc9293", &cfg);
  cfg.synack_on_dup_syn = row->dup_synack;
  h = tcp_harness_new (desc (), &cfg);
  if (rotates) {
    g_autoptr (SynackParams) params = synack_params_new (desc ()->params);
    g_autoptr (GError) error = NULL;

    g_assert_true (synack_params_set (params, "key_rotation", "10s", &error));
    h->vt->destroy (h->proto);
    h->proto = h->vt->create (&h->env, params, &error);
    g_assert_no_error (error);
  }
  cookie0 = server_cookie (h);
  if (row->opt == OPT_BACKUP)
    tcp_harness_run_until (h, 15 * SYNACK_SECOND);
  if (row->opt == OPT_EXPIRED)
    tcp_harness_run_until (h, 25 * SYNACK_SECOND);

  syn = tcp_harness_template (h, SERVER);
  syn.flags = SYN;
  syn.seq = seq;
  syn.fastopen = cookie0;
  syn.len_bytes = LEN;
  switch (row->from) {
    case FROM_LISTEN:
      tcp_harness_mark (h);
      break;
    case FROM_TIME_WAIT:
      tcp_harness_bring_to (h, SERVER, S_TIME_WAIT, FALSE);
      seq = syn.seq = tcp_harness_endpoint (h, SERVER)->rcv_nxt + 1000000;
      break;
    case FROM_PLAIN_SYN:
      syn.fastopen = SYNACK_TFO_NONE;
      syn.len_bytes = 0;
      tcp_harness_deliver (h, &syn);
      g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_SYN_RECEIVED);
      tcp_harness_mark (h);
      break;
    case FROM_TFO_CHILD:
      tcp_harness_deliver (h, &syn);
      g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_SYN_RECEIVED);
      g_assert_cmpuint (deliveries (h, h->conn), ==, 1);
      tcp_harness_mark (h);
      break;
  }

  syn.flags = row->flags;
  syn.len_bytes = row->len;
  switch (row->opt) {
    case OPT_NONE:    syn.fastopen = SYNACK_TFO_NONE; break;
    case OPT_REQUEST: syn.fastopen = SYNACK_TFO_REQUEST; break;
    case OPT_BOGUS:   syn.fastopen = cookie0 ^ 0x5a5a5a5au; break;
    default:          syn.fastopen = cookie0; break;
  }
  if (row->flags & ACK) {
    const TcpEndpoint *ep = tcp_harness_endpoint (h, SERVER);

    syn.seq = ep->rcv_nxt;
    syn.ack = ep->snd_nxt;
  }
  tcp_harness_deliver (h, &syn);

  g_assert_cmpstr (synack_tcp_state_name (tcp_harness_state (h, SERVER)), ==,
                   synack_tcp_state_name (row->to));
  g_assert_cmpuint (deliveries (h, h->conn), ==,
                    row->delivered + (row->from == FROM_TFO_CHILD ? 1 : 0));
  /* a delivery is reported at once after SYN_RECEIVED, with the SYN */
  if (row->delivered) {
    const TcpHarnessChange *d = tcp_harness_last_change (h);

    g_assert_nonnull (d);
    g_assert_cmpint (d->change.cause, ==, SYNACK_CAUSE_DELIVER);
    g_assert_cmpint (d->change.from, ==, S_SYN_RECEIVED);
    g_assert_cmpint (d->change.to, ==, S_SYN_RECEIVED);
    g_assert_true (d->has_seg);
    g_assert_cmpuint (d->seg.len_bytes, ==, LEN);
  }
  reply = tcp_harness_last_tx (h);
  if (row->tx_flags == 0) {
    g_assert_null (reply);
  } else {
    g_assert_nonnull (reply);
    g_assert_cmphex (reply->flags, ==, row->tx_flags);
    g_assert_cmpuint (reply->src_host, ==, 0);
    if (row->tx_ack_off >= 0)
      g_assert_cmpuint (reply->ack - seq, ==, (guint32) row->tx_ack_off);
    if (row->reply == REPLY_NONE) {
      g_assert_cmpuint (reply->fastopen, ==, SYNACK_TFO_NONE);
    } else {
      /* the current key's cookie: what a new request gets now */
      guint32 got = reply->fastopen;

      g_assert_cmpuint (got, ==, rotates ? server_cookie (h) : cookie0);
      if (rotates)
        g_assert_cmpuint (got, !=, cookie0);
    }
  }
}

/* ---- table rows: the client ------------------------------------------------- */

typedef enum {
  CACHE_EMPTY,
  CACHE_COOKIE,
} CacheChoice;

typedef enum {
  CIN_OPEN,
  CIN_TIMEOUT,
  CIN_SYNACK_DATA_ACKED,   /* SYN,ACK, SEG.ACK = ISS+1+L */
  CIN_SYNACK_SYN_ONLY,     /* SYN,ACK, SEG.ACK = ISS+1 */
  CIN_SYNACK_BAD_ACK,      /* SYN,ACK, SEG.ACK = ISS+1+L+1000 */
  CIN_SYNACK_COOKIE,       /* SYN,ACK, SEG.ACK = SND.NXT, with a new cookie */
} ClientInput;

typedef struct {
  const char    *path;
  CacheChoice    cache;
  ClientInput    input;
  SynackTcpState to;
  guint16        tx_flags;
  gint32         tx_seq_off;  /* SEG.SEQ of the last segment sent - ISS */
  guint32        tx_len;
  guint32        tx_option;   /* 0 none, 1 request, 2 the cached cookie */
} ClientRow;

static const ClientRow client_rows[] = {
  /* path                                                  cache         input                  to             tx      seq  len  option */
  { "/tcpfastopen/closed/app-open-no-cookie",              CACHE_EMPTY,  CIN_OPEN,              S_SYN_SENT,    SYN,    0,   0,   1 },
  { "/tcpfastopen/closed/app-open-cookie",                 CACHE_COOKIE, CIN_OPEN,              S_SYN_SENT,    SYN,    0,   LEN, 2 },
  /* a SYN timeout retransmits a plain SYN: no data, no option */
  { "/tcpfastopen/syn-sent/timeout-syn-data",              CACHE_COOKIE, CIN_TIMEOUT,           S_SYN_SENT,    SYN,    0,   0,   0 },
  { "/tcpfastopen/syn-sent/timeout-cookie-request",        CACHE_EMPTY,  CIN_TIMEOUT,           S_SYN_SENT,    SYN,    0,   0,   0 },
  { "/tcpfastopen/syn-sent/rcv-syn-ack-data-acked",        CACHE_COOKIE, CIN_SYNACK_DATA_ACKED, S_ESTABLISHED, ACK,    101, 0,   0 },
  { "/tcpfastopen/syn-sent/rcv-syn-ack-syn-only",          CACHE_COOKIE, CIN_SYNACK_SYN_ONLY,   S_ESTABLISHED, ACK,    1,   LEN, 0 },
  { "/tcpfastopen/syn-sent/rcv-syn-ack-bad-ack",           CACHE_COOKIE, CIN_SYNACK_BAD_ACK,    S_SYN_SENT,    RST,    -1,  0,   0 },
  /* a cookie request answered: the request rides in the third segment */
  { "/tcpfastopen/syn-sent/rcv-syn-ack-cookie",            CACHE_EMPTY,  CIN_SYNACK_COOKIE,     S_ESTABLISHED, ACK,    1,   LEN, 0 },
};

static void
test_client_row (gconstpointer data)
{
  const ClientRow *row = data;
  g_autoptr (TcpHarness) h = harness ("rfc9293", 0);
  guint32 cookie = 0, iss;
  const SynackSegment *last;
  SynackSegment synack;

  if (row->cache == CACHE_COOKIE) {
    cookie = server_cookie (h);
    client_learns (h, cookie);
  }
  if (row->input != CIN_OPEN)
    g_assert_true (tcp_harness_connect (h));
  tcp_harness_mark (h);
  synack = tcp_harness_template (h, CLIENT);
  synack.flags = SYNACK;
  synack.seq = TCP_HARNESS_PEER_ISS;
  switch (row->input) {
    case CIN_OPEN:
      g_assert_true (tcp_harness_connect (h));
      break;
    case CIN_TIMEOUT:
      g_assert_true (tcp_harness_step (h));
      break;
    case CIN_SYNACK_DATA_ACKED:
      synack.ack = tcp_harness_endpoint (h, CLIENT)->iss + 1 + LEN;
      tcp_harness_deliver (h, &synack);
      break;
    case CIN_SYNACK_SYN_ONLY:
      synack.ack = tcp_harness_endpoint (h, CLIENT)->iss + 1;
      tcp_harness_deliver (h, &synack);
      break;
    case CIN_SYNACK_BAD_ACK:
      synack.ack = tcp_harness_endpoint (h, CLIENT)->iss + 1 + LEN + 1000;
      tcp_harness_deliver (h, &synack);
      break;
    case CIN_SYNACK_COOKIE:
      synack.ack = tcp_harness_endpoint (h, CLIENT)->snd_nxt;
      synack.fastopen = 0x12345678u;
      tcp_harness_deliver (h, &synack);
      break;
  }
  g_assert_cmpstr (synack_tcp_state_name (tcp_harness_state (h, CLIENT)), ==,
                   synack_tcp_state_name (row->to));
  iss = tcp_harness_endpoint (h, CLIENT)->iss;
  last = tcp_harness_last_tx (h);
  g_assert_nonnull (last);
  g_assert_cmphex (last->flags, ==, row->tx_flags);
  if (row->tx_seq_off >= 0)
    g_assert_cmpuint (last->seq - iss, ==, (guint32) row->tx_seq_off);
  g_assert_cmpuint (last->len_bytes, ==, row->tx_len);
  g_assert_cmpuint (last->fastopen, ==, row->tx_option == 2 ? cookie : row->tx_option);
  if (row->input == CIN_SYNACK_COOKIE) {
    /* cached: the next connection sends it with its SYN-data */
    h->port++;
    h->conn++;
    g_assert_true (tcp_harness_connect (h));
    g_assert_cmpuint (tcp_harness_last_tx (h)->fastopen, ==, 0x12345678u);
    g_assert_cmpuint (tcp_harness_last_tx (h)->len_bytes, ==, LEN);
  }
}

/* ---- whole runs over the loopback ------------------------------------------ */

/* The segments sent since the mark, "c:FLAGS/len" or "s:FLAGS/len",
 * with "+c" when it carries a cookie and "+r" a cookie request. */
static char *
wire (const TcpHarness *h)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < tcp_harness_n_tx (h); i++) {
    const SynackSegment *seg = &tcp_harness_tx (h, i)->seg;
    g_autofree char *flags = tcp_harness_flags_text (seg->flags);

    g_string_append_printf (s, "%s%s:%s/%u%s", s->len ? " " : "", seg->src_host ? "c" : "s",
                            flags, seg->len_bytes,
                            seg->fastopen == SYNACK_TFO_REQUEST ? "+r"
                            : seg->fastopen ? "+c" : "");
  }
  return g_string_free (s, FALSE);
}

/* When the server's end of @conn entered ESTABLISHED or had a SYN's data
 * delivered (the execution the oracle counts), first. */
static SynackTime
executed_at (const TcpHarness *h, SynackConnId conn)
{
  for (guint i = 0; i < h->changes->len; i++) {
    const TcpHarnessChange *c = &g_array_index (h->changes, TcpHarnessChange, i);

    if (c->change.role == SERVER && c->change.conn == conn &&
        (c->change.cause == SYNACK_CAUSE_DELIVER ||
         (c->change.to == S_ESTABLISHED && c->change.cause == SYNACK_CAUSE_RCV)))
      return c->time_ns;
  }
  return -1;
}

/* RFC 7413 §3: the first connection asks for a cookie in a full
 * handshake (the request executed 1.5 RTT after the open), the second
 * sends SYN + cookie + request and has it executed 0.5 RTT after. */
static void
test_first_then_0rtt (void)
{
  g_autoptr (TcpHarness) h = harness ("rfc9293", 0);
  g_autofree char *first = NULL, *second = NULL;

  loop (h);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  first = wire (h);
  g_assert_cmpstr (first, ==, "c:SYN/0+r s:SYN,ACK/0+c c:ACK/100 s:ACK/0");
  g_assert_cmpint (executed_at (h, 1), ==, 30 * SYNACK_MSECOND);
  g_assert_cmpuint (deliveries (h, 1), ==, 0);

  h->port++;
  h->conn = 2;
  tcp_harness_mark (h);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND);
  second = wire (h);
  g_assert_cmpstr (second, ==, "c:SYN/100+c s:SYN,ACK/0 c:ACK/0");
  g_assert_cmpint (executed_at (h, 2), ==, SYNACK_SECOND / 2 + 10 * SYNACK_MSECOND);
  g_assert_cmpuint (deliveries (h, 2), ==, 1);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, CLIENT), ==, S_ESTABLISHED);
}

/* The SYN-data is lost: the client's SYN timeout sends a plain SYN, the
 * server answers with a SYN,ACK that acks the SYN only, and the client
 * sends the data at once with its ACK (tcp_send_syn_data(),
 * tcp_rcv_fastopen_synack()).  Executed once, from the data segment. */
static void
test_lost_syn_data (void)
{
  g_autoptr (TcpHarness) h = harness ("rfc9293", 0);
  g_autofree char *w = NULL;

  client_learns (h, server_cookie (h));
  loop (h);
  h->drop_from[CLIENT] = TRUE;
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  h->drop_from[CLIENT] = FALSE;
  tcp_harness_run_until (h, 2 * SYNACK_SECOND);
  w = wire (h);
  g_assert_cmpstr (w, ==, "c:SYN/100+c c:SYN/0 s:SYN,ACK/0 c:ACK/100 s:ACK/0");
  g_assert_cmpuint (tcp_harness_tx (h, 3)->seg.retrans, ==, 1);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 0);
  g_assert_cmpint (executed_at (h, h->conn), ==, SYNACK_SECOND + 30 * SYNACK_MSECOND);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_ESTABLISHED);
}

/* The SYN,ACK of a SYN-data is lost: the data was delivered already; the
 * client's plain SYN meets the child (RFC 9293: an ACK), the child's
 * SYN,ACK retransmission completes the handshake: executed once. */
static void
test_lost_synack (void)
{
  g_autoptr (TcpHarness) h = harness ("rfc9293", 0);
  g_autofree char *w = NULL;

  client_learns (h, server_cookie (h));
  loop (h);
  h->drop_from[SERVER] = TRUE;
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  h->drop_from[SERVER] = FALSE;
  tcp_harness_run_until (h, 3 * SYNACK_SECOND);
  w = wire (h);
  g_assert_cmpstr (w, ==, "c:SYN/100+c s:SYN,ACK/0 c:SYN/0 s:SYN,ACK/0 s:ACK/0 c:ACK/0");
  g_assert_cmpuint (deliveries (h, h->conn), ==, 1);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_ESTABLISHED);
  g_assert_cmpint (tcp_harness_state (h, CLIENT), ==, S_ESTABLISHED);
  /* the child's ESTABLISHED is no second delivery */
  g_assert_cmpint (executed_at (h, h->conn), ==, 10 * SYNACK_MSECOND);
}

/* An invalid cookie: the server drops the SYN's data, acks the SYN only
 * and sends a fresh cookie; the client retransmits the data with its ACK,
 * which executes it, 1.5 RTT after the open (RFC 7413 §4.2; Linux
 * tcp_try_fastopen()).  The next connection uses the fresh cookie. */
static void
test_invalid_cookie (void)
{
  g_autoptr (TcpHarness) h = harness ("rfc9293", 0);
  g_autofree char *w = NULL, *w2 = NULL;
  guint32 good = server_cookie (h);

  client_learns (h, good ^ 0x5a5a5a5au);
  loop (h);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND / 2);
  w = wire (h);
  g_assert_cmpstr (w, ==, "c:SYN/100+c s:SYN,ACK/0+c c:ACK/100 s:ACK/0");
  g_assert_cmpuint (tcp_harness_tx (h, 1)->seg.fastopen, ==, good);
  g_assert_cmpuint (tcp_harness_tx (h, 1)->seg.ack, ==, tcp_harness_tx (h, 0)->seg.seq + 1);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 0);
  g_assert_cmpint (executed_at (h, h->conn), ==, 30 * SYNACK_MSECOND);

  h->port++;
  h->conn = 2;
  tcp_harness_mark (h);
  g_assert_true (tcp_harness_connect (h));
  tcp_harness_run_until (h, SYNACK_SECOND);
  w2 = wire (h);
  g_assert_cmpstr (w2, ==, "c:SYN/100+c s:SYN,ACK/0 c:ACK/0");
  g_assert_cmpuint (deliveries (h, 2), ==, 1);
}

/* A complete 0-RTT connection, both sides closed; then an old copy of its
 * SYN-data arrives: the server holds nothing for it and the cookie is
 * still valid, so the data is delivered again (RFC 7413's Abstract and
 * Applicability section: the data in the SYN may be replayed to the
 * application).  With key rotation every 10 s the same copy 25 s later
 * carries an expired cookie and is not executed. */
static void
old_syn_data (SynackTime rotation, SynackTime late, guint want_deliveries)
{
  g_autoptr (TcpHarness) h = harness ("rfc9293", rotation);
  SynackSegment old;

  client_learns (h, server_cookie (h));
  loop (h);
  g_assert_true (tcp_harness_connect (h));
  old = tcp_harness_tx (h, 0)->seg;
  g_assert_cmpuint (old.len_bytes, ==, LEN);
  tcp_harness_run_until (h, SYNACK_SECOND);
  tcp_harness_close (h, CLIENT);
  tcp_harness_run_until (h, SYNACK_SECOND + 15 * SYNACK_MSECOND);
  tcp_harness_close (h, SERVER);
  tcp_harness_run_until (h, late);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_CLOSED);
  g_assert_cmpint (tcp_harness_state (h, CLIENT), ==, S_TIME_WAIT);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 1);

  tcp_harness_deliver (h, &old);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_SYN_RECEIVED);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 1 + want_deliveries);
  /* whatever follows (the client's TIME_WAIT ACKs the SYN,ACK, the child
   * RSTs that ACK), the data is not delivered a third time */
  tcp_harness_run_until (h, late + SYNACK_SECOND / 2);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 1 + want_deliveries);
}

static void
test_old_syn_data_replayed (void)
{
  old_syn_data (0, 5 * SYNACK_SECOND, 1);
}

static void
test_old_syn_data_key_rotated (void)
{
  old_syn_data (KEY_ROTATION, 25 * SYNACK_SECOND, 0);
}

/* tcp_fastopen_synack_timer(): a Fast Open child resends its SYN,ACK
 * synack_retries + 1 times before giving up; a request synack_retries. */
static void
test_child_synack_retries (void)
{
  g_autoptr (TcpHarness) h = harness ("linux", 0);
  SynackSegment syn = tcp_harness_template (h, SERVER);
  guint n = 0;

  syn.flags = SYN;
  syn.seq = TCP_HARNESS_PEER_ISS;
  syn.len_bytes = LEN;
  syn.fastopen = server_cookie (h);
  tcp_harness_deliver (h, &syn);
  g_assert_cmpuint (deliveries (h, h->conn), ==, 1);
  tcp_harness_run_all (h);
  for (guint i = 0; i < tcp_harness_n_tx (h); i++)
    n += tcp_harness_tx (h, i)->seg.flags == SYNACK;
  g_assert_cmpuint (n, ==, 1 + h->tcp.synack_retries + 1);
  g_assert_cmpint (tcp_harness_state (h, SERVER), ==, S_CLOSED);
  g_assert_cmpint (tcp_harness_last_change (h)->change.cause, ==, SYNACK_CAUSE_TIMEOUT);
}

/* tcp3way's behaviour is kept: a few of its rows, run on tcpfastopen. */
static const TcpRow tcp3way_rows[] = {
  { "/tcpfastopen/tcp3way/syn-sent/rcv-syn-ack", CLIENT, S_SYN_SENT, TCP_IN_RCV, SYNACK,
    TCP_SEQ_PEER, TCP_ACK_NXT, 0, S_ESTABLISHED, ACK, SYNACK_CAUSE_RCV, 0 },
  { "/tcpfastopen/tcp3way/established/rcv-fin", CLIENT, S_ESTABLISHED, TCP_IN_RCV, FINACK,
    TCP_SEQ_NXT, TCP_ACK_NXT, 0, SYNACK_TCP_CLOSE_WAIT, ACK, SYNACK_CAUSE_RCV, 0 },
  { "/tcpfastopen/tcp3way/syn-received/rcv-rst", SERVER, S_SYN_RECEIVED, TCP_IN_RCV, RST,
    TCP_SEQ_NXT, TCP_ACK_ZERO, 0, S_LISTEN, 0, SYNACK_CAUSE_RCV, 0 },
  { "/tcpfastopen/tcp3way/time-wait/timeout", CLIENT, S_TIME_WAIT, TCP_IN_TIMEOUT, 0, 0, 0, 0,
    S_CLOSED, 0, SYNACK_CAUSE_TIME_WAIT, 0 },
};

static void
test_tcp3way_row (gconstpointer data)
{
  tcp_harness_check_row (desc (), data);
}

static void
test_register (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;

  g_assert_true (synack_registry_add (reg, desc (), "built-in", &error));
  g_assert_no_error (error);
  g_assert_true (synack_registry_lookup (reg, SYNACK_PLUGIN_PROTOCOL, "tcpfastopen") == desc ());
  synack_registry_free (reg);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (server_rows); i++)
    g_test_add_data_func (server_rows[i].path, &server_rows[i], test_server_row);
  for (guint i = 0; i < G_N_ELEMENTS (client_rows); i++)
    g_test_add_data_func (client_rows[i].path, &client_rows[i], test_client_row);
  for (guint i = 0; i < G_N_ELEMENTS (tcp3way_rows); i++)
    g_test_add_data_func (tcp3way_rows[i].path, &tcp3way_rows[i], test_tcp3way_row);
  g_test_add_func ("/tcpfastopen/loopback/first-full-then-0rtt", test_first_then_0rtt);
  g_test_add_func ("/tcpfastopen/loopback/lost-syn-data", test_lost_syn_data);
  g_test_add_func ("/tcpfastopen/loopback/lost-syn-ack", test_lost_synack);
  g_test_add_func ("/tcpfastopen/loopback/invalid-cookie-falls-back", test_invalid_cookie);
  g_test_add_func ("/tcpfastopen/loopback/old-syn-data-replayed", test_old_syn_data_replayed);
  g_test_add_func ("/tcpfastopen/loopback/old-syn-data-key-rotated",
                   test_old_syn_data_key_rotated);
  g_test_add_func ("/tcpfastopen/backoff/child-synack-retries", test_child_synack_retries);
  g_test_add_func ("/tcpfastopen/plugin/register", test_register);
  return g_test_run ();
}
