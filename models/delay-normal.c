/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-normal.c - base plus a normal jitter N(mean, sd), truncated
 * so that the total delay is never negative.
 *
 * Truncation: a draw with base + x < 0 is redrawn, up to MAX_REDRAWS times;
 * if every draw is still negative (only when mean + base is many sd below
 * 0) the delay is clamped to 0.  Redrawing keeps the shape of the
 * distribution (a true truncated normal) where clamping would pile
 * probability at 0; the bound keeps drop() time bounded.  With the
 * defaults (base 10ms, sd 2ms) a redraw happens with probability 3e-7.
 * Because the truncation only cuts below -base, the sample mean is
 * base + mean as long as base + mean is a few sd above 0.
 *
 * The random part can be negative, so the delay can be below base, and
 * consecutive segments can be reordered.  A total beyond LIMIT_NS (1e18 ns,
 * about 31 years: only for absurd parameters) is cut there so it cannot
 * overflow a SynackTime. */
#include "plugin.h"

#include <math.h>
#include <gsl/gsl_randist.h>

#define MAX_REDRAWS 16
#define LIMIT_NS    1e18

typedef struct {
  SynackTime base_ns;
  double     mean_ns;
  double     sd_ns;
  SynackRng *rng;       /* (transfer none) */
} NormalDelay;

static const SynackParamSpec normal_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay, added to the random part", 0, 0, NULL },
  { "mean", SYNACK_PARAM_DURATION, "0s", "s",
    "mean of the normal random part", 0, 0, NULL },
  { "sd", SYNACK_PARAM_DURATION, "2ms", "s",
    "standard deviation of the random part (total truncated at 0)",
    0, 0, NULL },
  { NULL }
};

static gpointer
normal_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  NormalDelay *d = g_new0 (NormalDelay, 1);

  d->base_ns = synack_params_get_duration (params, "base");
  d->mean_ns = (double) synack_params_get_duration (params, "mean");
  d->sd_ns = (double) synack_params_get_duration (params, "sd");
  d->rng = rng;
  return d;
}

static SynackTime
normal_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const NormalDelay *d = self;
  gsl_rng *r = synack_rng_gsl (d->rng);
  double total = -1.0;

  for (guint i = 0; i < MAX_REDRAWS && total < 0.0; i++)
    total = (double) d->base_ns + d->mean_ns + gsl_ran_gaussian (r, d->sd_ns);
  return total < 0.0 ? 0 : llround (MIN (total, LIMIT_NS));
}

static void
normal_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable normal_vtable = {
  .create = normal_create,
  .sample = normal_sample,
  .destroy = normal_destroy,
};

static const SynackPluginDesc normal_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "normal",
  .summary = "base + normal jitter N(mean, sd), total truncated at 0",
  .params = normal_params,
  .vt.delay = &normal_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_normal, normal_desc)
