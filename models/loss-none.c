/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/loss-none.c - a perfect link: no segment is ever lost.
 *
 * The default loss model.  It keeps a count of the segments it has seen
 * only so that an instance has some state to allocate (create() must not
 * return NULL on success). */
#include "plugin.h"

typedef struct {
  guint64 segments;   /* seen so far */
} NoneLoss;

static const SynackParamSpec none_params[] = {
  { NULL }
};

static gpointer
none_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  return g_new0 (NoneLoss, 1);
}

static gboolean
none_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  NoneLoss *l = self;

  l->segments++;
  return FALSE;
}

static void
none_destroy (gpointer self)
{
  g_free (self);
}

static const SynackLossVtable none_vtable = {
  .create = none_create,
  .drop = none_drop,
  .destroy = none_destroy,
};

static const SynackPluginDesc none_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "none",
  .summary = "no loss: every segment arrives",
  .params = none_params,
  .vt.loss = &none_vtable,
};

SYNACK_PLUGIN_DEFINE (loss_none, none_desc)
