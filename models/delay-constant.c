/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/delay-constant.c - every segment takes exactly base.
 *
 * The propagation delay alone: no queueing, no jitter, so a link never
 * reorders.  Every other delay model adds its random part to the same
 * base. */
#include "plugin.h"

typedef struct {
  SynackTime base_ns;
} ConstantDelay;

static const SynackParamSpec constant_params[] = {
  { "base", SYNACK_PARAM_DURATION, "10ms", "s",
    "propagation delay of every segment", 0, 0, NULL },
  { NULL }
};

static gpointer
constant_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  ConstantDelay *d = g_new0 (ConstantDelay, 1);

  d->base_ns = synack_params_get_duration (params, "base");
  return d;
}

static SynackTime
constant_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  const ConstantDelay *d = self;

  return d->base_ns;
}

static void
constant_destroy (gpointer self)
{
  g_free (self);
}

static const SynackDelayVtable constant_vtable = {
  .create = constant_create,
  .sample = constant_sample,
  .destroy = constant_destroy,
};

static const SynackPluginDesc constant_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_DELAY,
  .name = "constant",
  .summary = "fixed delay: base",
  .params = constant_params,
  .vt.delay = &constant_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_constant, constant_desc)
