/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-config.c - whole config files, as `synack check` loads
 * them (synack_config_load_file()).
 *
 * Besides "no crash, no sanitizer report", a loaded config must hold its
 * promises: every point builds, and config.ini (synack_config_to_ini())
 * loads again and writes the same text, since --resume trusts it. */
#include "fuzz-common.h"

#include "fuzz-config-check.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  fuzz_registry ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = fuzz_write ("fuzz.ini", data, size);
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg =
    synack_config_load_file (path, fuzz_registry (), &error);

  FUZZ_CHECK_ERROR (cfg != NULL, error, "synack_config_load_file");
  if (cfg != NULL)
    fuzz_check_config (cfg);
  return 0;
}
