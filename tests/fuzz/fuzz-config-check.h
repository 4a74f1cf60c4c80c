/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-config-check.h - what a loaded config must hold, for
 * the config and --set harnesses. */
#pragma once

#include "fuzz-common.h"

#include "config.h"

/* The config.ini round trip and the points of a loaded config. */
static void
fuzz_check_config (SynackConfig *cfg)
{
  g_autofree char *ini = synack_config_to_ini (cfg);
  g_autofree char *ini2 = NULL;
  g_autoptr (SynackConfig) again = NULL;
  g_autoptr (GError) error = NULL;
  guint n = synack_config_n_points (cfg);

  if (synack_config_name (cfg) == NULL || n == 0)
    FUZZ_FAIL ("a loaded config has no name or no point");
  for (guint p = 0; p < n; p += MAX (1u, n / 4)) {
    SynackRunSpec spec;
    gboolean ok = synack_config_build_run (cfg, p, &spec, &error);

    FUZZ_CHECK_ERROR (ok, error, "synack_config_build_run");
    if (!ok)
      FUZZ_FAIL ("point %u of a loaded config does not build: %s", p,
                 error->message);
    for (guint k = 0; k < synack_config_n_sweep_keys (cfg); k++)
      if (synack_config_point_value (cfg, p, k) == NULL)
        FUZZ_FAIL ("point %u has no value for sweep key %u", p, k);
    synack_run_spec_clear (&spec);
  }
  if (n > FUZZ_MAX_SWEEP)
    return;   /* loading it again would take seconds under the sanitizers */
  again = synack_config_load_data (ini, "config.ini", fuzz_registry (),
                                   &error);
  FUZZ_CHECK_ERROR (again != NULL, error, "reloading config.ini");
  if (again == NULL)
    FUZZ_FAIL ("config.ini does not load again: %s\n%s", error->message,
               ini);
  ini2 = synack_config_to_ini (again);
  if (strcmp (ini, ini2) != 0)
    FUZZ_FAIL ("config.ini changes when reloaded:\n%s\n----\n%s", ini, ini2);
  if (synack_config_n_points (again) != n)
    FUZZ_FAIL ("config.ini has %u points, the config %u",
               synack_config_n_points (again), n);
}
