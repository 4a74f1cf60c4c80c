/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-exponential.c - base plus an exponential queueing delay.
 *
 * The random part is Exp with the given mean (gsl_ran_exponential), the
 * waiting time of an M/M/1-like queue: most segments wait little, a few
 * wait several means.  Mean base + mean, sd mean.  Computed in
 * nanoseconds as a double (exact to 2^53 ns, 104 days) and rounded to the
 * nearest ns.  A random part beyond LIMIT_NS (1e18 ns, about 31 years:
 * only for absurd means) is cut there so that the sum cannot overflow a
 * SynackTime. */
#include "plugin.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#define LIMIT_NS 1e18

typedef struct {
  SynackTime base_ns;
  double     mean_ns;
  SynackRng *rng;       /* (transfer none) */
} ExponentialDelay;

static const SynackParamSpec exponential_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay, added to the random part", 0, 0, NULL },
  { "mean", SYNACK_PARAM_DURATION, "5ms", "s",
    "mean of the exponential random part", 0, 0, NULL },
  { NULL }
};

static gpointer
exponential_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  ExponentialDelay *d = g_new0 (ExponentialDelay, 1);

  d->base_ns = synack_params_get_duration (params, "base");
  d->mean_ns = (double) synack_params_get_duration (params, "mean");
  d->rng = rng;
  return d;
}

static SynackTime
exponential_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const ExponentialDelay *d = self;

  double x = gsl_ran_exponential (synack_rng_gsl (d->rng), d->mean_ns);

  return d->base_ns + llround (MIN (x, LIMIT_NS));
}

static void
exponential_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable exponential_vtable = {
  .create = exponential_create,
  .sample = exponential_sample,
  .destroy = exponential_destroy,
};

static const SynackPluginDesc exponential_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "exponential",
  .summary = "base + exponential queueing delay of the given mean",
  .params = exponential_params,
  .vt.delay = &exponential_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_exponential, exponential_desc)
