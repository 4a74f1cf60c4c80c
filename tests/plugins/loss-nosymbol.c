/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/plugins/loss-nosymbol.c - a loadable module that is no plugin.
 *
 * It exports a function, but not synack_plugin_loss_nosymbol_describe, so
 * the registry must refuse it with SYNACK_REGISTRY_ERROR_NO_SYMBOL. */
#include <gmodule.h>

G_MODULE_EXPORT int loss_nosymbol_answer (void);

G_MODULE_EXPORT int
loss_nosymbol_answer (void)
{
  return 42;
}
