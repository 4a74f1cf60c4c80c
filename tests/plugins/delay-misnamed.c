/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/plugins/delay-misnamed.c - a plugin whose descriptor does not
 * match its file name.
 *
 * The file and symbol say delay "misnamed", the descriptor says loss
 * "other": the registry must refuse it with SYNACK_REGISTRY_ERROR_MISMATCH
 * (a loader that trusted the descriptor would register a name no file
 * promises). */
#include "plugin.h"

static gpointer
other_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  return g_new0 (guint64, 1);
}

static gboolean
other_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return FALSE;
}

static void
other_destroy (gpointer self)
{
  g_free (self);
}

static const SynackLossVtable other_vtable = {
  .create = other_create,
  .drop = other_drop,
  .destroy = other_destroy,
};

static const SynackParamSpec other_params[] = {
  { NULL }
};

static const SynackPluginDesc other_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "other",
  .summary = "test plugin named delay-misnamed that describes loss \"other\"",
  .params = other_params,
  .vt.loss = &other_vtable,
};

SYNACK_PLUGIN_DEFINE (delay_misnamed, other_desc)
