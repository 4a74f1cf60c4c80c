/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/loss-bernoulli.c - independent loss: each segment is lost with
 * probability p, whatever happened to the ones before.
 *
 * One uniform draw per segment from the link's own stream; p = 0 never
 * drops (a draw is never < 0) and p = 1 always does (a draw is < 1), with
 * no special case.  Losses are memoryless, so bursts are as rare as chance
 * makes them: p^k for k in a row.  Use gilbert-elliott for bursty loss. */
#include "plugin.h"

typedef struct {
  double     p;       /* loss probability */
  SynackRng *rng;     /* (transfer none) */
} BernoulliLoss;

static const SynackParamSpec bernoulli_params[] = {
  { "p", SYNACK_PARAM_PROBABILITY, "0", "",
    "probability that a segment is lost, independently of the others",
    0, 0, NULL },
  { NULL }
};

static gpointer
bernoulli_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  BernoulliLoss *l = g_new0 (BernoulliLoss, 1);

  l->p = synack_params_get_double (params, "p");
  l->rng = rng;
  return l;
}

static gboolean
bernoulli_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  BernoulliLoss *l = self;

  return synack_rng_uniform (l->rng) < l->p;
}

static void
bernoulli_destroy (gpointer self)
{
  g_free (self);
}

static const SynackLossVtable bernoulli_vtable = {
  .create = bernoulli_create,
  .drop = bernoulli_drop,
  .destroy = bernoulli_destroy,
};

static const SynackPluginDesc bernoulli_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "bernoulli",
  .summary = "independent loss with probability p per segment",
  .params = bernoulli_params,
  .vt.loss = &bernoulli_vtable,
};

SYNACK_PLUGIN_DEFINE (loss_bernoulli, bernoulli_desc)
