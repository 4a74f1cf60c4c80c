/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/link.c - loss, delay, duplicates and FIFO order (see link.h).
 *
 * A segment in flight lives in a pool slot; its delivery is one scheduler
 * event whose user data is the slot index, so a link does no malloc per
 * segment.  The per-segment path copies a segment once, into its slot: the
 * protocol's segment is read where it lies when sent, and a delivered one
 * is handed to the protocol in its slot (pages never move, and the slot
 * goes back to the free list only after the protocol returns).  The loss
 * and delay models' functions are looked up once, when the link is made. */
#include "link.h"

#include "observe.h"

void
synack_link_spec_clear (SynackLinkSpec *link)
{
  g_clear_pointer (&link->loss_params, synack_params_free);
  g_clear_pointer (&link->delay_params, synack_params_free);
}

static inline InFlight *
pool_slot (Net *net, guint32 i)
{
  return &net->pool[i >> POOL_PAGE_BITS][i & (POOL_PAGE - 1)];
}

static guint32
pool_take (Net *net)
{
  guint32 i;

  net->in_flight++;
  if (net->pool_free != 0) {
    i = net->pool_free - 1;
    net->pool_free = pool_slot (net, i)->next_free;
    return i;
  }
  if (net->pool_len == net->pool_pages * POOL_PAGE) {
    if (net->pool_pages == G_MAXUINT32 >> POOL_PAGE_BITS)
      g_error ("%s: more than 2^32 segments in flight", G_STRLOC);
    net->pool = g_renew (InFlight *, net->pool, net->pool_pages + 1);
    net->pool[net->pool_pages++] = g_new (InFlight, POOL_PAGE);
  }
  return net->pool_len++;
}

/* Puts slot @i back on the free list; the caller has counted it out of
 * in_flight already. */
static void
pool_give (Net *net, guint32 i)
{
  pool_slot (net, i)->next_free = net->pool_free;
  net->pool_free = i + 1;
}

static void
deliver (SynackSched *sched, SynackTime now, gpointer user_data)
{
  Net *net = synack_sched_get_owner (sched);
  guint32 i = GPOINTER_TO_UINT (user_data);
  InFlight *f = pool_slot (net, i);

  net->in_flight--;                    /* arrived: out of flight already */
  if (net->segments)
    synack_observe_segment (net, now, "deliver", &f->seg, f->id);
  /* in place: what the protocol sends meanwhile takes other slots, on
   * pages that do not move */
  net->receive (net->proto, &f->seg, now);
  synack_oracle_release (net->oracle, f->seg.conn);
  pool_give (net, i);
}

static gboolean
loss_eligible (const SynackLinkSpec *ls, guint16 flags)
{
  if (ls->n_only == 0)
    return TRUE;
  for (guint i = 0; i < ls->n_only; i++)
    if (ls->only_flags[i] == flags)
      return TRUE;
  return FALSE;
}

/* A FIFO link holds a segment back until the one sent before it has
 * arrived; with equal times the scheduler keeps their order. */
static void
schedule_delivery (Net *net, Link *link, gboolean reorder,
                   const SynackSegment *seg, SynackTime delay, guint32 id)
{
  guint32 i;
  SynackTime at;

  if (!synack_net_within_budget (net))
    return;
  /* models clamp their random part; this keeps a sum of them in range */
  at =
      synack_sched_now (net->sched) + MIN (delay, 2 * SYNACK_TIME_MAX_DURATION);
  i = pool_take (net);

  if (!reorder) {
    at = MAX (at, link->last_arrival);
    link->last_arrival = at;
  }
  InFlight *f = pool_slot (net, i);
  f->seg = *seg;
  f->id = id;
  /* the attempt may hear of it still: its record stays until delivery */
  synack_oracle_hold (net->oracle, seg->conn);
  synack_sched_at (net->sched, at, deliver, GUINT_TO_POINTER (i), NULL);
}

void
synack_link_send (gpointer data, const SynackSegment *in)
{
  Net *net = data;
  SynackTime now = synack_sched_now (net->sched);
  gboolean to_server = in->dst_host == 0;
  guint32 client = to_server ? in->src_host : in->dst_host;
  const SynackLinkSpec *ls =
      to_server ? &net->spec->forward : &net->spec->reverse;
  Link *link;
  const SynackSegment *seg = in;
  SynackSegment original;
  guint32 id = ++net->next_segment_id;

  g_return_if_fail (client >= 1 && client <= net->n_hosts);
  if (G_UNLIKELY (in->copy != 0)) {    /* the link alone makes copies */
    original = *in;
    original.copy = 0;
    seg = &original;
  }
  synack_observe_send (net, now, seg, id);
  /* flood hosts are spoofed addresses: what is sent to them goes nowhere */
  if (client > net->spec->clients && !to_server)
    return;
  link = to_server ? &net->forward[client - 1] : &net->reverse[client - 1];
  net->sent[!to_server]++;

  /* the loss model sees every segment, so counting and bursty models keep
   * their state; loss.only decides which of its verdicts apply */
  if (link->drop (link->loss, seg, now) && loss_eligible (ls, seg->flags)) {
    net->m->segments_lost++;
    net->lost[!to_server]++;
    if (net->segments)
      synack_observe_segment (net, now, "drop", seg, id);
    return;
  }
  schedule_delivery (net, link, ls->reorder, seg,
                     link->sample (link->delay, seg, now), id);

  if (ls->duplicate > 0 && synack_rng_uniform (link->dup_rng) < ls->duplicate) {
    guint32 copy_id = ++net->next_segment_id;
    SynackTime lag = link->sample (link->delay, seg, now)
                     + ls->duplicate_lag_ns;
    SynackSegment dup = *seg;

    dup.copy = 1;
    if (net->segments)
      synack_observe_segment (net, now, "duplicate", &dup, copy_id);
    /* the copy is a stray: it never holds the link's order back */
    schedule_delivery (net, link, TRUE, &dup, lag, copy_id);
  }
}

gboolean
synack_link_init (Net *net, Link *link, const SynackLinkSpec *ls,
                  const char *dir, guint32 client, GError **error)
{
  char name[64];
  GError *sub = NULL;

  g_snprintf (name, sizeof name, "link.%s.%u.loss", dir, client);
  link->loss_rng = synack_rng_new (net->spec->seed, name);
  g_snprintf (name, sizeof name, "link.%s.%u.delay", dir, client);
  link->delay_rng = synack_rng_new (net->spec->seed, name);
  g_snprintf (name, sizeof name, "link.%s.%u.duplicate", dir, client);
  link->dup_rng = synack_rng_new (net->spec->seed, name);
  link->drop = ls->loss->vt.loss->drop;
  link->sample = ls->delay->vt.delay->sample;
  link->loss =
      ls->loss->vt.loss->create (ls->loss_params, link->loss_rng, &sub);
  if (link->loss == NULL) {
    g_autofree char *where =
        g_strdup_printf ("[link.%s] loss %s", dir, ls->loss->name);

    synack_net_create_failed (error, sub, where);
    return FALSE;
  }
  link->delay =
      ls->delay->vt.delay->create (ls->delay_params, link->delay_rng, &sub);
  if (link->delay == NULL) {
    g_autofree char *where =
        g_strdup_printf ("[link.%s] delay %s", dir, ls->delay->name);

    synack_net_create_failed (error, sub, where);
    return FALSE;
  }
  return TRUE;
}

void
synack_link_clear (Link *link, const SynackLinkSpec *ls)
{
  if (link->loss)
    ls->loss->vt.loss->destroy (link->loss);
  if (link->delay)
    ls->delay->vt.delay->destroy (link->delay);
  synack_rng_free (link->loss_rng);
  synack_rng_free (link->delay_rng);
  synack_rng_free (link->dup_rng);
}
