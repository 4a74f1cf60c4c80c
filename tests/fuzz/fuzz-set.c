/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-set.c - `--set SECTION.KEY=VALUE` on a loaded config
 * (synack_config_set()), as `synack run/check --set` apply them.
 *
 * Input: the first byte picks a base config (the examples in experiments/
 * and a few small ones made here); each following line is one assignment,
 * applied in order.  A refused assignment must set its GError and leave
 * the config as it was; the config after all of them must hold what
 * fuzz_check_config() checks. */
#include "fuzz-common.h"

#include "fuzz-config-check.h"

#define MAX_SETS 6

static const char *const small_bases[] = {
  "[experiment]\n",
  "[experiment]\nname = l\n[workload]\nconnections = 3\n"
  "[link]\nloss = list\nloss.drop = SYN#1\ndelay = uniform\n"
  "delay.base = 1ms\n[sweep]\nlink.delay.base = 1ms, 2ms\n",
  "[experiment]\nprotocol = tcp2way\nprofile = linux\n[link.forward]\n"
  "loss = gilbert-elliott\n[link.reverse]\nloss = bernoulli\nloss.p = 0.5\n"
  "[sweep]\nworkload.rate = 1/s:1/s:3/s\n",
};

static GPtrArray *bases;   /* SynackConfig */

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autofree char *dir = g_build_filename (FUZZ_TOP_SRCDIR, "experiments", NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  fuzz_init ();
  bases = g_ptr_array_new_with_free_func ((GDestroyNotify) synack_config_free);
  for (guint i = 0; i < G_N_ELEMENTS (small_bases); i++) {
    g_autoptr (GError) error = NULL;
    SynackConfig *cfg = synack_config_load_data (small_bases[i], "base.ini",
                                                 fuzz_registry (), &error);

    if (cfg == NULL)
      FUZZ_FAIL ("base %u: %s", i, error->message);
    g_ptr_array_add (bases, cfg);
  }
  /* in name order, so that a byte picks the same base on every machine */
  while (d != NULL && (name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".ini"))
      g_ptr_array_add (names, g_build_filename (dir, name, NULL));
  g_ptr_array_sort (names, (GCompareFunc) g_strcmp0);
  for (guint i = 0; i < names->len; i++) {
    g_autoptr (GError) error = NULL;
    SynackConfig *cfg = synack_config_load_file (names->pdata[i],
                                                 fuzz_registry (), &error);

    if (cfg == NULL)
      FUZZ_FAIL ("%s", error->message);
    g_ptr_array_add (bases, cfg);
  }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *ini = NULL;
  g_autoptr (SynackConfig) cfg = NULL;

  if (size < 1)
    return 0;
  /* a copy of the base: synack_config_set() changes it */
  ini = synack_config_to_ini (bases->pdata[data[0] % bases->len]);
  cfg = synack_config_load_data (ini, "base.ini", fuzz_registry (), NULL);
  if (cfg == NULL)
    FUZZ_FAIL ("a base config does not reload:\n%s", ini);
  text = g_strndup ((const char *) data + 1, size - 1);
  if (strlen (text) != size - 1)
    return 0;   /* a NUL: argv never holds one */
  lines = g_strsplit (text, "\n", MAX_SETS + 1);
  for (guint i = 0; lines[i] != NULL && i < MAX_SETS; i++) {
    g_autoptr (GError) error = NULL;
    g_autofree char *before = NULL;
    gboolean ok;

    if (fuzz_sweep_too_big (lines[i]))
      continue;
    before = synack_config_to_ini (cfg);
    ok = synack_config_set (cfg, lines[i], &error);

    FUZZ_CHECK_ERROR (ok, error, "synack_config_set");
    if (!ok) {
      g_autofree char *after = synack_config_to_ini (cfg);

      if (strcmp (before, after) != 0)
        FUZZ_FAIL ("a refused --set %s changed the config", lines[i]);
    }
  }
  fuzz_check_config (cfg);
  return 0;
}
