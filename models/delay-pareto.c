/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-pareto.c - base plus a heavy-tailed Pareto delay.
 *
 * The random part X has density (shape/scale) (x/scale)^-(shape+1) for
 * x >= scale (gsl_ran_pareto(r, shape, scale)), so it is never below scale:
 * the delay is at least base + scale.  P(X > x) = (scale/x)^shape: a few
 * segments are delayed enormously, the long-range-dependent traffic picture
 * of Internet measurements.  The mean is scale*shape/(shape-1) for
 * shape > 1 and infinite for shape <= 1 (the sample mean then never
 * settles); the variance is finite only for shape > 2.
 *
 * Computed in nanoseconds as a double and rounded to the nearest ns.  A
 * random part beyond LIMIT_NS (1e18 ns, about 31 years, reachable with a
 * small shape) is cut there so the sum cannot overflow a SynackTime. */
#include "plugin.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#define LIMIT_NS 1e18

typedef struct {
  SynackTime base_ns;
  double     shape;
  double     scale_ns;
  SynackRng *rng;       /* (transfer none) */
} ParetoDelay;

static const SynackParamSpec pareto_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay, added to the random part", 0, 0, NULL },
  { "shape", SYNACK_PARAM_DOUBLE, "1.5", "",
    "tail index: smaller is heavier; mean infinite for shape <= 1",
    0.01, 100, NULL },
  { "scale", SYNACK_PARAM_DURATION, "1ms", "s",
    "smallest random part (the Pareto minimum)", 0, 0, NULL },
  { NULL }
};

static gpointer
pareto_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  ParetoDelay *d = g_new0 (ParetoDelay, 1);

  d->base_ns = synack_params_get_duration (params, "base");
  d->shape = synack_params_get_double (params, "shape");
  d->scale_ns = (double) synack_params_get_duration (params, "scale");
  d->rng = rng;
  return d;
}

static SynackTime
pareto_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const ParetoDelay *d = self;
  double x = gsl_ran_pareto (synack_rng_gsl (d->rng), d->shape, d->scale_ns);

  /* !(x < LIMIT_NS) also catches +inf from pow() with a tiny shape */
  return d->base_ns + (x < LIMIT_NS ? llround (x) : (SynackTime) LIMIT_NS);
}

static void
pareto_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable pareto_vtable = {
  .create = pareto_create,
  .sample = pareto_sample,
  .destroy = pareto_destroy,
};

static const SynackPluginDesc pareto_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "pareto",
  .summary = "base + heavy-tailed Pareto delay (>= scale)",
  .params = pareto_params,
  .vt.delay = &pareto_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_pareto, pareto_desc)
