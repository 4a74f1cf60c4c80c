/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/plugins/loss-badabi.c - a plugin built for another plugin ABI.
 *
 * Its descriptor claims ABI 999; the registry must refuse it with
 * SYNACK_REGISTRY_ERROR_ABI before reading any other field. */
#include "plugin.h"

static const SynackParamSpec badabi_params[] = {
  { NULL }
};

static const SynackPluginDesc badabi_desc = {
  .abi_version = 999,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "badabi",
  .summary = "test plugin with a wrong ABI version",
  .params = badabi_params,
  .vt.loss = NULL,
};

SYNACK_PLUGIN_DEFINE (loss_badabi, badabi_desc)
