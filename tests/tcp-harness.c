/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/tcp-harness.c - the fake world of tcp-harness.h.
 *
 * Test code: it allocates freely (a copy per looped-back segment). */
#include "tcp-harness.h"

#include <string.h>

void
tcp_harness_config (const char *profile, SynackTcpConfig *cfg)
{
  g_autoptr (SynackParams) params = synack_tcp_profile_params (profile);

  g_assert_nonnull (params);
  synack_tcp_config_from_params (cfg, params);
}

/* ---- the fake env ---------------------------------------------------------- */

typedef struct {
  TcpHarness   *h;
  SynackSegment seg;
} InFlight;

static void
deliver_fired (SynackSched *sched, SynackTime now, gpointer user_data)
{
  InFlight *f = user_data;

  f->h->vt->receive (f->h->proto, &f->seg, now);
}

static void
harness_send (gpointer net, const SynackSegment *seg)
{
  TcpHarness *h = net;
  TcpHarnessTx tx = { synack_sched_now (h->sched), *seg };
  SynackRole from = seg->src_host == 0 ? SYNACK_ROLE_SERVER : SYNACK_ROLE_CLIENT;

  g_array_append_val (h->tx, tx);
  if (h->loop_delay_ns >= 0 && !h->drop_from[from]) {
    InFlight *f = g_new (InFlight, 1);

    f->h = h;
    f->seg = *seg;
    synack_sched_after (h->sched, h->loop_delay_ns, deliver_fired, f, g_free);
  }
}

static void
harness_state_changed (gpointer net, const SynackStateChange *change)
{
  TcpHarness *h = net;
  TcpHarnessChange rec = { synack_sched_now (h->sched), *change, change->seg != NULL, { 0 } };

  if (change->seg != NULL)
    rec.seg = *change->seg;
  rec.change.seg = NULL;
  g_array_append_val (h->changes, rec);
}

TcpHarness *
tcp_harness_new (const SynackPluginDesc *desc, const SynackTcpConfig *cfg)
{
  TcpHarness *h = g_new0 (TcpHarness, 1);
  g_autoptr (GError) error = NULL;

  g_assert_nonnull (desc);
  g_assert_cmpint (desc->kind, ==, SYNACK_PLUGIN_PROTOCOL);
  h->sched = synack_sched_new ();
  h->rng = synack_rng_new (1, "protocol");
  h->tcp = *cfg;
  h->desc = desc;
  h->vt = desc->vt.protocol;
  h->two_way = g_strcmp0 (desc->name, "tcp2way") == 0;
  h->two_way_isn = g_strcmp0 (desc->name, "tcp2way-isn") == 0;
  h->tx = g_array_new (FALSE, TRUE, sizeof (TcpHarnessTx));
  h->changes = g_array_new (FALSE, TRUE, sizeof (TcpHarnessChange));
  h->loop_delay_ns = -1;
  h->client = 1;
  h->port = TCP_HARNESS_FIRST_PORT;
  h->conn = 1;
  h->env = (SynackProtocolEnv) {
    .sched = h->sched,
    .tcp = &h->tcp,
    .n_clients = TCP_HARNESS_CLIENTS,
    .n_ports = TCP_HARNESS_PORTS,
    .first_port = TCP_HARNESS_FIRST_PORT,
    .seed = 1,
    .rng = h->rng,
    .net = h,
    .send = harness_send,
    .state_changed = harness_state_changed,
  };
  h->proto = h->vt->create (&h->env, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (h->proto);
  return h;
}

void
tcp_harness_free (TcpHarness *h)
{
  if (h == NULL)
    return;
  /* as the core does: the scheduler (and the pending timers) first */
  synack_sched_free (h->sched);
  h->vt->destroy (h->proto);
  synack_rng_free (h->rng);
  g_array_free (h->tx, TRUE);
  g_array_free (h->changes, TRUE);
  g_free (h);
}

void
tcp_harness_set_loopback (TcpHarness *h, SynackTime delay_ns)
{
  g_assert_cmpint (delay_ns, >=, 0);
  h->loop_delay_ns = delay_ns;
}

/* ---- driving ------------------------------------------------------------- */

gboolean
tcp_harness_connect (TcpHarness *h)
{
  return h->vt->connect (h->proto, h->client, h->port, h->conn, tcp_harness_now (h));
}

void
tcp_harness_close (TcpHarness *h, SynackRole role)
{
  h->vt->close (h->proto, role, h->client, h->port, h->conn, tcp_harness_now (h));
}

SynackSegment
tcp_harness_template (const TcpHarness *h, SynackRole to)
{
  SynackSegment seg = { 0 };

  seg.window = h->tcp.window;
  seg.conn = h->conn;
  if (to == SYNACK_ROLE_SERVER) {
    seg.src_host = h->client;
    seg.src_port = h->port;
    seg.dst_host = 0;
    seg.dst_port = h->tcp.server_port;
  } else {
    seg.src_host = 0;
    seg.src_port = h->tcp.server_port;
    seg.dst_host = h->client;
    seg.dst_port = h->port;
  }
  return seg;
}

void
tcp_harness_deliver (TcpHarness *h, const SynackSegment *seg)
{
  h->vt->receive (h->proto, seg, tcp_harness_now (h));
}

void
tcp_harness_inject (TcpHarness *h, SynackRole to, guint16 flags, guint32 seq, guint32 ack,
                    guint32 len_bytes)
{
  SynackSegment seg = tcp_harness_template (h, to);

  seg.flags = flags;
  seg.seq = seq;
  seg.ack = ack;
  seg.len_bytes = len_bytes;
  tcp_harness_deliver (h, &seg);
}

SynackTime
tcp_harness_now (const TcpHarness *h)
{
  return synack_sched_now (h->sched);
}

static void
noop_fired (SynackSched *sched, SynackTime now, gpointer user_data)
{
}

void
tcp_harness_run_until (TcpHarness *h, SynackTime t)
{
  if (t > tcp_harness_now (h))
    synack_sched_at (h->sched, t, noop_fired, NULL, NULL);   /* so the clock reaches t */
  synack_sched_run (h->sched, t);
}

gboolean
tcp_harness_step (TcpHarness *h)
{
  return synack_sched_step (h->sched);
}

void
tcp_harness_run_all (TcpHarness *h)
{
  synack_sched_run (h->sched, SYNACK_TIME_NONE);
}

/* ---- reading ------------------------------------------------------------- */

void
tcp_harness_mark (TcpHarness *h)
{
  h->tx_mark = h->tx->len;
  h->changes_mark = h->changes->len;
}

const TcpEndpoint *
tcp_harness_endpoint (const TcpHarness *h, SynackRole role)
{
  return tcp_common_peek (h->proto, role, h->client, h->port);
}

SynackTcpState
tcp_harness_state (const TcpHarness *h, SynackRole role)
{
  return tcp_common_state_of (h->proto, role, h->client, h->port);
}

guint
tcp_harness_n_tx (const TcpHarness *h)
{
  return h->tx->len - h->tx_mark;
}

const TcpHarnessTx *
tcp_harness_tx (const TcpHarness *h, guint i)
{
  g_assert_cmpuint (i, <, tcp_harness_n_tx (h));
  return &g_array_index (h->tx, TcpHarnessTx, h->tx_mark + i);
}

const SynackSegment *
tcp_harness_last_tx (const TcpHarness *h)
{
  guint n = tcp_harness_n_tx (h);

  return n ? &tcp_harness_tx (h, n - 1)->seg : NULL;
}

guint16
tcp_harness_last_tx_flags (const TcpHarness *h)
{
  const SynackSegment *seg = tcp_harness_last_tx (h);

  return seg ? seg->flags : 0;
}

guint
tcp_harness_n_changes (const TcpHarness *h)
{
  return h->changes->len - h->changes_mark;
}

const TcpHarnessChange *
tcp_harness_change (const TcpHarness *h, guint i)
{
  g_assert_cmpuint (i, <, tcp_harness_n_changes (h));
  return &g_array_index (h->changes, TcpHarnessChange, h->changes_mark + i);
}

const TcpHarnessChange *
tcp_harness_last_change (const TcpHarness *h)
{
  guint n = tcp_harness_n_changes (h);

  return n ? tcp_harness_change (h, n - 1) : NULL;
}

char *
tcp_harness_flags_text (guint16 flags)
{
  char buf[SYNACK_FLAGS_FORMAT_SIZE];

  return g_strdup (flags ? synack_flags_format (flags, buf) : "none");
}

/* ---- fixtures ------------------------------------------------------------ */

#define F_FIN SYNACK_FLAG_FIN
#define F_SYN SYNACK_FLAG_SYN
#define F_RST SYNACK_FLAG_RST
#define F_ACK SYNACK_FLAG_ACK

/* The peer acks everything @role's end has sent. */
static void
peer_ack (TcpHarness *h, SynackRole role, guint16 extra)
{
  const TcpEndpoint *ep = tcp_harness_endpoint (h, role);

  tcp_harness_inject (h, role, F_ACK | extra, ep->rcv_nxt, ep->snd_nxt, 0);
}

static void
expect_state (TcpHarness *h, SynackRole role, SynackTcpState state)
{
  SynackTcpState got = tcp_harness_state (h, role);

  if (got != state)
    g_error ("fixture: %s end reached %s, not %s", synack_role_name (role),
             synack_tcp_state_name (got), synack_tcp_state_name (state));
}

/* ESTABLISHED, the request acknowledged unless @data_unacked. */
static void
to_established (TcpHarness *h, SynackRole role, gboolean data_unacked)
{
  if (role == SYNACK_ROLE_CLIENT) {
    const TcpEndpoint *ep;

    g_assert_true (tcp_harness_connect (h));
    ep = tcp_harness_endpoint (h, role);
    if (h->two_way_isn) {
      /* ACK <peer ISS, x+1+L>: established, nothing outstanding */
      tcp_harness_inject (h, role, F_ACK, TCP_HARNESS_PEER_ISS, ep->snd_nxt, 0);
      expect_state (h, role, SYNACK_TCP_ESTABLISHED);
      return;
    }
    if (h->two_way)
      tcp_harness_inject (h, role, F_ACK, 0, 0, 0);
    else
      tcp_harness_inject (h, role, F_SYN | F_ACK, TCP_HARNESS_PEER_ISS, ep->snd_nxt, 0);
    if (!data_unacked && !h->two_way)
      peer_ack (h, role, 0);
  } else if (h->two_way_isn) {
    tcp_harness_inject (h, role, F_SYN, TCP_HARNESS_PEER_ISS, 0, h->tcp.request_bytes);
  } else {
    const TcpEndpoint *ep;

    tcp_harness_inject (h, role, F_SYN, h->two_way ? 0 : TCP_HARNESS_PEER_ISS, 0,
                        h->two_way ? h->tcp.request_bytes : 0);
    if (!h->two_way) {
      ep = tcp_harness_endpoint (h, role);
      tcp_harness_inject (h, role, F_ACK, ep->rcv_nxt, ep->snd_nxt, h->tcp.request_bytes);
    }
  }
  expect_state (h, role, SYNACK_TCP_ESTABLISHED);
}

static void
bring_to (TcpHarness *h, SynackRole role, SynackTcpState state, gboolean data_unacked)
{
  const TcpEndpoint *ep;

  switch (state) {
    case SYNACK_TCP_CLOSED:
      if (role == SYNACK_ROLE_SERVER) {
        /* a server slot whose connection ended */
        if (h->two_way) {
          bring_to (h, role, SYNACK_TCP_ESTABLISHED, FALSE);
          tcp_harness_inject (h, role, F_RST, 0, 0, 0);
        } else if (h->two_way_isn) {
          bring_to (h, role, SYNACK_TCP_ESTABLISHED, FALSE);
          ep = tcp_harness_endpoint (h, role);
          tcp_harness_inject (h, role, F_RST, ep->rcv_nxt, 0, 0);
        } else {
          bring_to (h, role, SYNACK_TCP_SYN_RECEIVED, FALSE);
          tcp_harness_run_all (h);   /* SYN,ACK retries exhausted */
        }
      }
      break;
    case SYNACK_TCP_LISTEN:
      if (role == SYNACK_ROLE_CLIENT)
        g_error ("fixture: a client end is never in LISTEN");
      break;
    case SYNACK_TCP_SYN_SENT:
      if (role == SYNACK_ROLE_SERVER)
        g_error ("fixture: a server end is never in SYN_SENT");
      g_assert_true (tcp_harness_connect (h));
      break;
    case SYNACK_TCP_SYN_RECEIVED:
      if (h->two_way || h->two_way_isn)
        g_error ("fixture: a 2-way handshake has no SYN_RECEIVED");
      if (role == SYNACK_ROLE_CLIENT) {
        /* simultaneous open: the peer's SYN crosses ours */
        g_assert_true (tcp_harness_connect (h));
        tcp_harness_inject (h, role, F_SYN, TCP_HARNESS_PEER_ISS, 0, 0);
      } else {
        tcp_harness_inject (h, role, F_SYN, TCP_HARNESS_PEER_ISS, 0, 0);
      }
      break;
    case SYNACK_TCP_ESTABLISHED:
      to_established (h, role, data_unacked);
      break;
    case SYNACK_TCP_FIN_WAIT_1:
      to_established (h, role, FALSE);
      tcp_harness_close (h, role);
      break;
    case SYNACK_TCP_FIN_WAIT_2:
      bring_to (h, role, SYNACK_TCP_FIN_WAIT_1, FALSE);
      peer_ack (h, role, 0);
      break;
    case SYNACK_TCP_CLOSING:
      /* the peer's FIN crosses ours: it does not ack our FIN */
      bring_to (h, role, SYNACK_TCP_FIN_WAIT_1, FALSE);
      ep = tcp_harness_endpoint (h, role);
      if (h->two_way)
        tcp_harness_inject (h, role, F_FIN, 0, 0, 0);
      else
        tcp_harness_inject (h, role, F_FIN | F_ACK, ep->rcv_nxt, ep->snd_una, 0);
      break;
    case SYNACK_TCP_TIME_WAIT:
      bring_to (h, role, SYNACK_TCP_FIN_WAIT_2, FALSE);
      peer_ack (h, role, F_FIN);
      break;
    case SYNACK_TCP_CLOSE_WAIT:
      to_established (h, role, FALSE);
      peer_ack (h, role, F_FIN);
      break;
    case SYNACK_TCP_LAST_ACK:
      bring_to (h, role, SYNACK_TCP_CLOSE_WAIT, FALSE);
      tcp_harness_close (h, role);
      break;
    default:
      g_error ("fixture: no state %d", state);
  }
  expect_state (h, role, state);
}

void
tcp_harness_bring_to (TcpHarness *h, SynackRole role, SynackTcpState state,
                      gboolean data_unacked)
{
  bring_to (h, role, state, data_unacked);
  tcp_harness_mark (h);
}

/* ---- table rows ---------------------------------------------------------- */

static guint32
pick_seq (const TcpHarness *h, const TcpEndpoint *ep, TcpSeqChoice c)
{
  guint32 nxt = ep ? ep->rcv_nxt : 0;

  switch (c) {
    case TCP_SEQ_OLD:    return nxt - 1;
    case TCP_SEQ_INWIN:  return nxt + 10;
    case TCP_SEQ_OUTWIN: return nxt + h->tcp.window + 1000;
    case TCP_SEQ_PEER:   return TCP_HARNESS_PEER_ISS;
    case TCP_SEQ_NEWER:  return nxt + 1000000;
    case TCP_SEQ_NXT:
    default:             return nxt;
  }
}

static guint32
pick_ack (const TcpEndpoint *ep, TcpAckChoice c)
{
  if (ep == NULL)
    return c == TCP_ACK_FUTURE ? 1000 : 0;
  switch (c) {
    case TCP_ACK_UNA:    return ep->snd_una;
    case TCP_ACK_ISS:    return ep->iss;
    case TCP_ACK_ISS1:   return ep->iss + 1;
    case TCP_ACK_FUTURE: return ep->snd_nxt + 1000;
    case TCP_ACK_ZERO:   return 0;
    case TCP_ACK_NXT:
    default:             return ep->snd_nxt;
  }
}

void
tcp_harness_check_row (const SynackPluginDesc *desc, const TcpRow *row)
{
  SynackTcpConfig cfg;
  g_autoptr (TcpHarness) h = NULL;
  const TcpHarnessChange *last;
  g_autofree char *want_tx = NULL, *got_tx = NULL;

  tcp_harness_config ((row->cfg & TCP_CFG_LINUX) ? "linux" : "rfc9293", &cfg);
  if (!(row->cfg & TCP_CFG_LINUX))
    cfg.synack_on_dup_syn = (row->cfg & TCP_CFG_DUP_SYNACK) != 0;
  if (row->cfg & TCP_CFG_SYNCOOKIES)
    cfg.syncookies = SYNACK_SYNCOOKIES_OVERFLOW;
  if (row->cfg & TCP_CFG_FIN_WAIT2)
    cfg.fin_wait2_timeout_ns = 60 * SYNACK_SECOND;
  if (row->cfg & TCP_CFG_TIME_WAIT_0)
    cfg.time_wait_ns = 0;
  if (row->cfg & TCP_CFG_BACKLOG_1)
    cfg.backlog = 1;
  h = tcp_harness_new (desc, &cfg);

  if (row->cfg & TCP_CFG_BACKLOG_1) {
    /* another 4-tuple holds the only SYN_RECEIVED place */
    h->port++;
    h->conn = 2;
    bring_to (h, SYNACK_ROLE_SERVER, SYNACK_TCP_SYN_RECEIVED, FALSE);
    h->port--;
    h->conn = 1;
  }
  tcp_harness_bring_to (h, row->side, row->from, (row->cfg & TCP_CFG_DATA_UNACKED) != 0);

  switch (row->input) {
    case TCP_IN_APP_OPEN:
      g_assert_true (tcp_harness_connect (h));
      break;
    case TCP_IN_APP_CLOSE:
      tcp_harness_close (h, row->side);
      break;
    case TCP_IN_TIMEOUT:
      g_assert_true (tcp_harness_step (h));
      break;
    case TCP_IN_TIMEOUT_ALL:
      g_assert_true (tcp_harness_step (h));
      tcp_harness_run_all (h);
      break;
    case TCP_IN_RCV: {
      const TcpEndpoint *ep = tcp_harness_endpoint (h, row->side);

      tcp_harness_inject (h, row->side, row->flags, pick_seq (h, ep, row->seq),
                          pick_ack (ep, row->ack), row->len);
      break;
    }
    default:
      g_assert_not_reached ();
  }

  g_assert_cmpstr (synack_tcp_state_name (tcp_harness_state (h, row->side)), ==,
                   synack_tcp_state_name (row->to));
  want_tx = tcp_harness_flags_text (row->tx_flags);
  got_tx = tcp_harness_flags_text (tcp_harness_last_tx_flags (h));
  g_assert_cmpstr (got_tx, ==, want_tx);
  if (row->tx_flags == 0)
    g_assert_cmpuint (tcp_harness_n_tx (h), ==, 0);
  else   /* only the end under test sends: the peer is the test */
    g_assert_cmpuint (tcp_harness_last_tx (h)->src_host == 0 ? SYNACK_ROLE_SERVER
                                                             : SYNACK_ROLE_CLIENT, ==, row->side);

  last = tcp_harness_last_change (h);
  if (row->cause == TCP_NO_CAUSE) {
    g_assert_null (last);
    return;
  }
  g_assert_nonnull (last);
  g_assert_cmpstr (synack_cause_name (last->change.cause), ==, synack_cause_name (row->cause));
  g_assert_cmpint (last->change.role, ==, row->side);
  if (row->cause == SYNACK_CAUSE_IGNORED) {
    g_assert_cmpint (last->change.from, ==, last->change.to);
    g_assert_true (last->has_seg);
  }
  if (row->input == TCP_IN_RCV && row->cause != SYNACK_CAUSE_TIME_WAIT) {
    g_assert_true (last->has_seg);
    g_assert_cmphex (last->seg.flags, ==, row->flags);
  }
  /* the peer is the test: every change reported is the end under test's */
  for (guint i = 0; i < tcp_harness_n_changes (h); i++) {
    const TcpHarnessChange *c = tcp_harness_change (h, i);

    g_assert_cmpint (c->change.role, ==, row->side);
  }
}
