/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-uniform.c - base plus a jitter uniform in [min, max].
 *
 * One uniform draw u in [0, 1) per segment; the random part is
 * min + u * (max - min) nanoseconds, rounded to the nearest ns (so max
 * itself can come out after rounding).  Mean base + (min + max) / 2.
 * min > max is refused in create(): the spec table checks each value, not
 * the pair. */
#include "plugin.h"

#include <math.h>

typedef struct {
  SynackTime base_ns;
  SynackTime min_ns;
  double     span_ns;   /* max - min */
  SynackRng *rng;       /* (transfer none) */
} UniformDelay;

static const SynackParamSpec uniform_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay, added to the random part", 0, 0, NULL },
  { "min", SYNACK_PARAM_DURATION, "0s", "s",
    "smallest random part", 0, 0, NULL },
  { "max", SYNACK_PARAM_DURATION, "10ms", "s",
    "largest random part (>= min)", 0, 0, NULL },
  { NULL }
};

static gpointer
uniform_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  SynackTime min_ns = synack_params_get_duration (params, "min");
  SynackTime max_ns = synack_params_get_duration (params, "max");
  UniformDelay *d;

  if (min_ns > max_ns) {
    char lo[SYNACK_TIME_FORMAT_SIZE], hi[SYNACK_TIME_FORMAT_SIZE];

    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "min (%s) is greater than max (%s)",
                 synack_time_format_unit (min_ns, lo),
                 synack_time_format_unit (max_ns, hi));
    return NULL;
  }
  d = g_new0 (UniformDelay, 1);
  d->base_ns = synack_params_get_duration (params, "base");
  d->min_ns = min_ns;
  d->span_ns = (double) (max_ns - min_ns);
  d->rng = rng;
  return d;
}

static SynackTime
uniform_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const UniformDelay *d = self;

  double u = synack_rng_uniform (d->rng);

  return d->base_ns + d->min_ns + llround (u * d->span_ns);
}

static void
uniform_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable uniform_vtable = {
  .create = uniform_create,
  .sample = uniform_sample,
  .destroy = uniform_destroy,
};

static const SynackPluginDesc uniform_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "uniform",
  .summary = "base + uniform jitter in [min, max]",
  .params = uniform_params,
  .vt.delay = &uniform_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_uniform, uniform_desc)
