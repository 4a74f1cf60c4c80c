/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-lognormal.c - base plus a lognormal delay.
 *
 * The random part X = exp(N(zeta, sigma)), drawn by gsl_ran_lognormal(),
 * is given by its own mean m and standard deviation s, which is how delay
 * measurements are reported, and converted once in create():
 *     sigma^2 = ln(1 + s^2/m^2)
 *     zeta    = ln(m) - sigma^2/2
 * (from E[X] = exp(zeta + sigma^2/2), Var[X] = (exp(sigma^2) - 1) E[X]^2).
 * X is in nanoseconds, so zeta is the log of a number of ns.  m = 0 with
 * s = 0 means no random part; m = 0 with s > 0 is no lognormal and is
 * refused.  Mean base + m.
 *
 * Rounded to the nearest ns.  A random part beyond LIMIT_NS (1e18 ns,
 * about 31 years, reachable with s >> m) is cut there so the sum cannot
 * overflow a SynackTime. */
#include "plugin.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#define LIMIT_NS 1e18

typedef struct {
  SynackTime base_ns;
  gboolean   zero;      /* m = 0: no random part */
  double     zeta;      /* location, ln ns */
  double     sigma;     /* shape */
  SynackRng *rng;       /* (transfer none) */
} LognormalDelay;

static const SynackParamSpec lognormal_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay, added to the random part", 0, 0, NULL },
  { "mean", SYNACK_PARAM_DURATION, "5ms", "s",
    "mean of the lognormal random part", 0, 0, NULL },
  { "sd", SYNACK_PARAM_DURATION, "5ms", "s",
    "standard deviation of the lognormal random part", 0, 0, NULL },
  { NULL }
};

static gpointer
lognormal_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  double m = (double) synack_params_get_duration (params, "mean");
  double s = (double) synack_params_get_duration (params, "sd");
  LognormalDelay *d;

  if (m == 0.0 && s > 0.0) {
    g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                         SYNACK_PARAMS_ERROR_BAD_VALUE,
                         "mean must be above 0s when sd is "
                         "(a lognormal is positive)");
    return NULL;
  }
  d = g_new0 (LognormalDelay, 1);
  d->base_ns = synack_params_get_duration (params, "base");
  d->zero = m == 0.0;
  if (!d->zero) {
    double var = log1p ((s / m) * (s / m));

    d->sigma = sqrt (var);
    d->zeta = log (m) - var / 2.0;
  }
  d->rng = rng;
  return d;
}

static SynackTime
lognormal_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const LognormalDelay *d = self;
  double x;

  if (d->zero)
    return d->base_ns;
  x = gsl_ran_lognormal (synack_rng_gsl (d->rng), d->zeta, d->sigma);
  return d->base_ns + (x < LIMIT_NS ? llround (x) : (SynackTime) LIMIT_NS);
}

static void
lognormal_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable lognormal_vtable = {
  .create = lognormal_create,
  .sample = lognormal_sample,
  .destroy = lognormal_destroy,
};

static const SynackPluginDesc lognormal_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "lognormal",
  .summary = "base + lognormal delay given by its mean and sd",
  .params = lognormal_params,
  .vt.delay = &lognormal_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_lognormal, lognormal_desc)
