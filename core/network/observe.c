/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/observe.c - trace rows, occupancy and counters (see
 * observe.h). */
#include "observe.h"

#include <string.h>

#include "pcap.h"

/* ---- trace rows ---------------------------------------------------------- */

static void
put_flags (SynackTrace *t, guint16 flags, const char *prefix)
{
  char buf[SYNACK_FLAGS_FORMAT_SIZE];
  gboolean quote;

  synack_flags_format (flags, buf);
  quote = strchr (buf, ',') != NULL;
  if (quote)
    synack_trace_put_char (t, '"');
  if (prefix != NULL)
    synack_trace_put_str (t, prefix);
  synack_trace_put_str (t, buf);
  if (quote)
    synack_trace_put_char (t, '"');
}

static void
trace_state (Net *net, const SynackStateChange *chg, SynackTime now)
{
  SynackTrace *t = net->states;

  synack_trace_put_time (t, now);
  synack_trace_comma (t);
  synack_trace_put_uint (t, chg->conn);
  synack_trace_comma (t);
  synack_trace_put_uint (t, chg->role == SYNACK_ROLE_CLIENT ? chg->client : 0);
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_role_name (chg->role));
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_tcp_state_name (chg->from));
  synack_trace_comma (t);
  synack_trace_put_str (t, synack_tcp_state_name (chg->to));
  synack_trace_comma (t);
  if ((chg->cause == SYNACK_CAUSE_RCV || chg->cause == SYNACK_CAUSE_IGNORED) &&
      chg->seg) {
    const char *prefix =
        chg->cause == SYNACK_CAUSE_RCV ? "rcv " : "ignored rcv ";

    put_flags (t, chg->seg->flags, prefix);
  } else {
    synack_trace_put_str (t, synack_cause_name (chg->cause));
  }
  synack_trace_end_row (t);
}

static void
put_endpoint (SynackTrace *t, guint32 host, guint16 port)
{
  synack_trace_put_uint (t, host);
  synack_trace_put_char (t, ':');
  synack_trace_put_uint (t, port);
}

void
synack_observe_segment (Net *net, SynackTime now, const char *event,
                        const SynackSegment *seg, guint32 id)
{
  SynackTrace *t = net->segments;

  synack_trace_put_time (t, now);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->conn);
  synack_trace_comma (t);
  put_endpoint (t, seg->src_host, seg->src_port);
  synack_trace_comma (t);
  put_endpoint (t, seg->dst_host, seg->dst_port);
  synack_trace_comma (t);
  synack_trace_put_str (t, event);
  synack_trace_comma (t);
  put_flags (t, seg->flags, NULL);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->seq);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->ack);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->len_bytes);
  synack_trace_comma (t);
  synack_trace_put_uint (t, id);
  synack_trace_comma (t);
  synack_trace_put_uint (t, seg->retrans);
  synack_trace_end_row (t);
}

/* ---- counters ------------------------------------------------------------ */

static void
count_sent (SynackMetrics *m, const SynackSegment *seg)
{
  guint16 f = seg->flags;

  m->segments_sent++;
  if ((f & (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) == SYNACK_FLAG_SYN) {
    m->syn_sent++;
    m->syn_retransmits += seg->retrans > 0;
  } else if ((f & (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) ==
             (SYNACK_FLAG_SYN | SYNACK_FLAG_ACK)) {
    m->synack_sent++;
  }
  if (f & SYNACK_FLAG_RST)
    m->rst_sent++;
  if (f & SYNACK_FLAG_FIN) {
    m->fin_sent++;
    m->fin_retransmits += seg->retrans > 0;
  }
}

void
synack_observe_send (Net *net, SynackTime now, const SynackSegment *seg,
                     guint32 id)
{
  count_sent (net->m, seg);
  if (net->pcap)
    synack_pcap_write_segment (net->pcap, now, seg);
  if (net->segments)
    synack_observe_segment (net, now, "send", seg, id);
}

void
synack_observe_state (Net *net, const SynackStateChange *chg, SynackTime now)
{
  if (net->states)
    trace_state (net, chg, now);
  if (chg->cause == SYNACK_CAUSE_BACKLOG)
    net->m->backlog_drops++;
  net->m->syncookies_sent += chg->cause == SYNACK_CAUSE_SYNCOOKIE;
  net->m->syncookies_accepted += chg->cause == SYNACK_CAUSE_SYNCOOKIE_ACK;
  if (chg->from == chg->to)
    return;
  /* CLOSED and LISTEN are where free slots are: not counted */
  if (chg->from > SYNACK_TCP_LISTEN)
    net->occupancy[chg->from]--;
  if (chg->to > SYNACK_TCP_LISTEN)
    net->occupancy[chg->to]++;
  if (chg->to == SYNACK_TCP_TIME_WAIT &&
      (guint64) net->occupancy[SYNACK_TCP_TIME_WAIT] > net->m->time_wait_peak)
    net->m->time_wait_peak = (guint64) net->occupancy[SYNACK_TCP_TIME_WAIT];
  /* stale: a segment of an older incarnation (attempt ids grow with
   * time) moved this one; a SYN asks for a new connection by nature and
   * is left to the oracle */
  if (chg->cause == SYNACK_CAUSE_RCV && chg->seg && chg->seg->conn != 0 &&
      chg->seg->conn < chg->conn && chg->seg->flags != SYNACK_FLAG_SYN)
    net->m->stale_accepted++;
}

/* ---- occupancy sampling -------------------------------------------------- */

static void
sample_occupancy (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);

  for (guint s = SYNACK_TCP_SYN_SENT; s < SYNACK_TCP_N_STATES; s++) {
    synack_trace_put_time (net->occ, now);
    synack_trace_comma (net->occ);
    synack_trace_put_str (net->occ, synack_tcp_state_name (s));
    synack_trace_comma (net->occ);
    synack_trace_put_uint (net->occ, (guint64) MAX (net->occupancy[s], 0));
    synack_trace_end_row (net->occ);
  }
  /* keep sampling while anything else can still happen */
  if (synack_sched_pending (sched) > 0)
    synack_sched_after (sched, net->spec->sample_ns, sample_occupancy, NULL,
                        NULL);
}

void
synack_observe_start (Net *net)
{
  if (net->occ)
    synack_sched_at (net->sched, 0, sample_occupancy, NULL, NULL);
}

/* ---- trace files --------------------------------------------------------- */

gboolean
synack_observe_open (Net *net, GError **error)
{
  const SynackRunSpec *spec = net->spec;
  g_autofree char *path = NULL;

  if (spec->trace_mask == 0)
    return TRUE;
  if (spec->trace_prefix == NULL) {
    /* not g_return_val_if_fail(): that would fail without an error */
    g_set_error_literal (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_TRACE,
                         "traces were asked for, but no trace file name was "
                         "given");
    return FALSE;
  }
  if (spec->trace_mask & SYNACK_TRACE_STATES) {
    path = g_strconcat (spec->trace_prefix, "-states.csv", NULL);
    net->states =
        synack_trace_open (path, "time_s,conn,host,role,from,to,cause", error);
    if (!net->states)
      return FALSE;
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_SEGMENTS) {
    path = g_strconcat (spec->trace_prefix, "-segments.csv", NULL);
    net->segments = synack_trace_open (
        path, "time_s,conn,src,dst,event,flags,seq,ack,len,id,retrans", error);
    if (!net->segments)
      return FALSE;
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_PCAP) {
    path = g_strconcat (spec->trace_prefix, ".pcap", NULL);
    net->pcap = synack_trace_open (path, NULL, error);
    if (!net->pcap)
      return FALSE;
    synack_pcap_write_header (net->pcap);
    g_clear_pointer (&path, g_free);
  }
  if (spec->trace_mask & SYNACK_TRACE_OCCUPANCY) {
    path = g_strconcat (spec->trace_prefix, "-occupancy.csv", NULL);
    net->occ = synack_trace_open (path, "time_s,state,count", error);
    if (!net->occ)
      return FALSE;
  }
  return TRUE;
}

gboolean
synack_observe_close (Net *net, gboolean ok, GError **error)
{
  SynackTrace **all[] = { &net->states, &net->segments, &net->pcap, &net->occ };

  for (guint i = 0; i < G_N_ELEMENTS (all); i++) {
    SynackTrace *t = g_steal_pointer (all[i]);

    if (t == NULL)
      continue;
    if (ok)
      ok = synack_trace_close (t, error);
    else
      synack_trace_abort (t);
  }
  return ok;
}
