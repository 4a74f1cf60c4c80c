/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/run.c - one simulation run (see net.h and world.h).
 *
 * Builds the world from the run spec (links, protocol, oracle, traces),
 * runs the scheduler in slices of simulated time, and tears it down.
 * Everything a run does is reported through state_changed() here and
 * synack_link_send(): the traces, the occupancy counts, the outcome oracle
 * and the workload's closes all hang off those two functions. */
#include "net.h"

#include <math.h>
#include <string.h>

#include "link.h"
#include "observe.h"
#include "workload.h"

G_DEFINE_QUARK (synack-net-error-quark, synack_net_error)

/* ---- the run spec -------------------------------------------------------- */

void
synack_run_spec_clear (SynackRunSpec *spec)
{
  g_return_if_fail (spec != NULL);

  g_clear_pointer (&spec->protocol_params, synack_params_free);
  synack_link_spec_clear (&spec->forward);
  synack_link_spec_clear (&spec->reverse);
  g_clear_pointer (&spec->trace_prefix, g_free);
  memset (spec, 0, sizeof *spec);
}

static SynackParams *
params_copy_or_null (const SynackParams *params)
{
  return params != NULL ? synack_params_copy (params) : NULL;
}

void
synack_run_spec_copy (SynackRunSpec *dst, const SynackRunSpec *src)
{
  g_return_if_fail (dst != NULL && src != NULL && dst != src);

  *dst = *src;
  dst->protocol_params = params_copy_or_null (src->protocol_params);
  dst->forward.loss_params = params_copy_or_null (src->forward.loss_params);
  dst->forward.delay_params = params_copy_or_null (src->forward.delay_params);
  dst->reverse.loss_params = params_copy_or_null (src->reverse.loss_params);
  dst->reverse.delay_params = params_copy_or_null (src->reverse.delay_params);
  dst->trace_prefix = g_strdup (src->trace_prefix);
}

/* ---- state changes ------------------------------------------------------- */

/* The protocol's SynackProtocolEnv.state_changed: the observers first, then
 * the oracle, then the workload (which may schedule a close). */
static void
state_changed (gpointer data, const SynackStateChange *chg)
{
  Net *net = data;
  SynackTime now = synack_sched_now (net->sched);

  synack_observe_state (net, chg, now);
  synack_oracle_state (net->oracle, chg, now);
  synack_workload_on_state (net, chg);
}

/* ---- the run ------------------------------------------------------------- */

void
synack_net_create_failed (GError **error, GError *sub, const char *where)
{
  if (sub != NULL)
    g_propagate_prefixed_error (error, sub, "%s: ", where);
  else
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_MODEL,
                 "%s: create() failed without saying why (a bug in the plugin)",
                 where);
}

guint64
synack_net_max_attempts (void)
{
  /* attempt ids (SynackConnId) are 32 bits, 0 is none; memory is no limit
   * any more: beyond SYNACK_EXACT_SAMPLES_MAX attempts the oracle keeps
   * nothing per attempt once it is classified */
  return G_MAXUINT32;
}

/* The automatic event budget: far above what any attempt needs (13 events
 * without loss, a few hundred with every retry), far below a runaway. */
static guint64
auto_max_events (const SynackRunSpec *spec)
{
  double attempts = (double) spec->connections;
  double budget;

  if (spec->flood_rate_per_s > 0 && spec->arrival != SYNACK_ARRIVAL_BURST)
    attempts +=
        spec->flood_rate_per_s * (double) spec->connections / spec->rate_per_s;
  budget = 1e7 + 1e4 * attempts;
  return budget < 1.8e19 ? (guint64) budget : G_MAXUINT64;
}

static gboolean
net_setup (Net *net, GError **error)
{
  const SynackRunSpec *spec = net->spec;
  guint64 max_attempts = synack_net_max_attempts ();

  if (spec->connections > max_attempts) {
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_LIMIT,
                 "%" G_GUINT64_FORMAT " attempts in one run is more than "
                                      "synack can number "
                 "(at most %" G_GUINT64_FORMAT " per run)",
                 spec->connections, max_attempts);
    return FALSE;
  }
  net->max_events =
      spec->max_events ? spec->max_events : auto_max_events (spec);
  /* automatic: room for every attempt's segments at once, within 2^20 ..
   * 2^24 segments (about 100 MB .. 1.6 GB) */
  net->max_in_flight = spec->max_in_flight
                           ? spec->max_in_flight
                           : CLAMP (spec->connections, 1u << 20, 1u << 24);

  net->n_hosts =
      spec->clients + (spec->flood_rate_per_s > 0 ? spec->flood_hosts : 0);
  if ((guint64) net->n_hosts * spec->ports > G_MAXUINT32) {
    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_LIMIT,
                 "%u hosts x %u ports is more connection slots than synack "
                 "supports (2^32)",
                 net->n_hosts, spec->ports);
    return FALSE;
  }
  /* flood hosts send on forward links like clients; nothing comes back */
  net->forward = g_new0 (Link, net->n_hosts);
  net->reverse = g_new0 (Link, spec->clients);
  for (guint32 c = 1; c <= net->n_hosts; c++)
    if (!synack_link_init (net, &net->forward[c - 1], &spec->forward, "forward",
                           c, error) ||
        (c <= spec->clients &&
         !synack_link_init (net, &net->reverse[c - 1], &spec->reverse,
                            "reverse", c, error)))
      return FALSE;

  net->proto_rng = synack_rng_new (spec->seed, "protocol");
  net->arrival_rng = synack_rng_new (spec->seed, "workload.arrival");
  net->flood_rng = synack_rng_new (spec->seed, "workload.flood");
  net->env = (SynackProtocolEnv) {
    .sched = net->sched,
    .tcp = &spec->tcp,
    .n_clients = net->n_hosts,
    .n_ports = spec->ports,
    .first_port = SYNACK_FIRST_PORT,
    .seed = spec->seed,
    .rng = net->proto_rng,
    .net = net,
    .send = synack_link_send,
    .state_changed = state_changed,
  };
  net->pvt = spec->protocol->vt.protocol;
  net->receive = net->pvt->receive;
  GError *sub = NULL;
  net->proto = net->pvt->create (&net->env, spec->protocol_params, &sub);
  if (net->proto == NULL) {
    g_autofree char *where =
        g_strdup_printf ("protocol %s", spec->protocol->name);

    synack_net_create_failed (error, sub, where);
    return FALSE;
  }
  net->port_cursor = g_new0 (guint16, spec->clients);
  net->ports_busy = g_new0 (guint32, spec->clients);
  net->oracle = synack_oracle_new (spec->connections);
  return synack_observe_open (net, error);
}

static void
net_teardown (Net *net)
{
  const SynackRunSpec *spec = net->spec;

  /* the scheduler goes first: pending events refer to the protocol's memory */
  g_clear_pointer (&net->sched, synack_sched_free);
  if (net->proto)
    net->pvt->destroy (net->proto);
  if (net->forward)
    for (guint32 c = 0; c < net->n_hosts; c++)
      synack_link_clear (&net->forward[c], &spec->forward);
  if (net->reverse)
    for (guint32 c = 0; c < spec->clients; c++)
      synack_link_clear (&net->reverse[c], &spec->reverse);
  g_free (net->forward);
  g_free (net->reverse);
  synack_rng_free (net->proto_rng);
  synack_rng_free (net->arrival_rng);
  synack_rng_free (net->flood_rng);
  g_free (net->port_cursor);
  g_free (net->ports_busy);
  for (guint32 i = 0; i < net->pool_pages; i++)
    g_free (net->pool[i]);
  g_free (net->pool);
  synack_oracle_free (net->oracle);
}

/* events between two calls of the progress callback (a few ms of work) */
#define POLL_EVENTS 4096

gboolean
synack_net_run (const SynackRunSpec *spec, SynackMetrics *metrics,
                SynackSamples *samples, SynackProgressFunc progress,
                gpointer progress_data, GError **error)
{
  Net net = { 0 };
  gboolean ok;

  g_return_val_if_fail (spec != NULL && metrics != NULL, FALSE);
  g_return_val_if_fail (
      spec->protocol && spec->protocol->kind == SYNACK_PLUGIN_PROTOCOL, FALSE);

  memset (metrics, 0, sizeof *metrics);
  net.spec = spec;
  net.m = metrics;
  net.next_conn = 1;
  net.sched = synack_sched_new ();
  synack_sched_set_owner (net.sched, &net);

  ok = net_setup (&net, error);
  if (ok) {
    /* run in slices of simulated time so long runs can report progress */
    SynackTime slice = MAX (spec->until_ns / 100, SYNACK_MSECOND);

    synack_workload_start (&net);
    synack_observe_start (&net);
    /* and ask @progress every POLL_EVENTS events too, so SIGINT stops even a
     * slice of millions of events within a fraction of a second */
    for (SynackTime t = 0;
         synack_sched_pending (net.sched) > 0 && t < spec->until_ns;) {
      SynackTime end = MIN (t + slice, spec->until_ns);

      if (synack_sched_run_max (net.sched, end, POLL_EVENTS) < POLL_EVENTS)
        t = end;
      if (!synack_net_within_budget (&net))
        break;
      if (progress &&
          !progress ((double) t / (double) spec->until_ns, progress_data)) {
        g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_CANCELLED,
                     "run cancelled");
        ok = FALSE;
        break;
      }
    }
  }
  if (ok && net.over_budget != NULL) {
    gboolean events = strcmp (net.over_budget, "max_events") == 0;

    g_set_error (error, SYNACK_NET_ERROR, SYNACK_NET_ERROR_BUDGET,
                 "the run exceeded its budget of %" G_GUINT64_FORMAT " %s at "
                                                                     "%.9f s "
                 "simulated (%" G_GUINT64_FORMAT " segments sent for "
                                                 "%" G_GUINT64_FORMAT
                 " attempts): a runaway exchange; raise [experiment] %s if it "
                 "is not",
                 events ? net.max_events : net.max_in_flight,
                 events ? "events" : "segments in flight",
                 synack_time_to_seconds (synack_sched_now (net.sched)),
                 metrics->segments_sent, net.next_conn - 1, net.over_budget);
    ok = FALSE;
  }
  if (ok) {
    /* stopped by the time limit with something still to happen */
    gboolean cut = synack_sched_pending (net.sched) > 0;

    metrics->events = synack_sched_events_run (net.sched);
    metrics->sim_time_s = synack_time_to_seconds (synack_sched_now (net.sched));
    metrics->loss_forward =
        net.sent[0] ? (double) net.lost[0] / (double) net.sent[0] : NAN;
    metrics->loss_reverse =
        net.sent[1] ? (double) net.lost[1] / (double) net.sent[1] : NAN;
    synack_oracle_finish (net.oracle, cut, metrics, samples);
  }
  ok = synack_observe_close (&net, ok, error);
  net_teardown (&net);
  return ok;
}
