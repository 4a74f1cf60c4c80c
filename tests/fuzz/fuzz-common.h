/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-common.h - what every libFuzzer harness shares.
 *
 * The harnesses are built by tests/fuzz/fuzz.sh with clang and
 * -fsanitize=fuzzer,address,undefined, from the sources of core/,
 * experiments/ and models/ compiled straight into each binary.  The models
 * are linked in and registered with synack_registry_add() (as
 * tests/test-config.c does) rather than loaded from models/.libs: that way
 * they are instrumented too, and a harness does not depend on the normal
 * gcc build.
 *
 * Every GLib warning or critical is made fatal: "GError set over the top
 * of a previous GError" and g_return_if_fail() reports are bugs the fuzzer
 * must see as crashes.  A function that fails without setting its GError
 * is one too (FUZZ_CHECK_ERROR). */
#pragma once

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "registry.h"
#include "sweep.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

extern const SynackPluginDesc *synack_plugin_loss_none_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_bernoulli_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_gilbert_elliott_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_list_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_constant_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_uniform_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_normal_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_exponential_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_pareto_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_lognormal_describe (void);
extern const SynackPluginDesc *synack_plugin_protocol_tcp3way_describe (void);
extern const SynackPluginDesc *synack_plugin_protocol_tcp2way_describe (void);
extern const SynackPluginDesc *synack_plugin_protocol_tcp2way_isn_describe (void);
extern const SynackPluginDesc *synack_plugin_protocol_tcpfastopen_describe (void);

/* abort() with a message: libFuzzer saves the input as a crash */
#define FUZZ_FAIL(...)                                                        \
  do {                                                                        \
    fprintf (stderr, "fuzz: " __VA_ARGS__);                                   \
    fputc ('\n', stderr);                                                     \
    abort ();                                                                 \
  } while (0)

/* a FALSE/NULL result must come with its GError */
#define FUZZ_CHECK_ERROR(ok, error, what)                                     \
  do {                                                                        \
    if (!(ok) && (error) == NULL)                                             \
      FUZZ_FAIL ("%s failed without setting its GError", what);               \
    if ((ok) && (error) != NULL)                                              \
      FUZZ_FAIL ("%s succeeded but set a GError: %s", what,                   \
                 (error)->message);                                           \
  } while (0)

static void
fuzz_quiet (const char *string)
{
}

/* Fatal warnings, quiet g_print/g_printerr (plot prints skipped figures). */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL
                          | G_LOG_LEVEL_WARNING);
  g_set_print_handler (fuzz_quiet);
  g_set_printerr_handler (fuzz_quiet);
}

/* Every model, linked in.  (transfer none) built once. */
static inline SynackRegistry *
fuzz_registry (void)
{
  static SynackRegistry *reg;

  if (reg == NULL) {
    const SynackPluginDesc *descs[] = {
      synack_plugin_loss_none_describe (),
      synack_plugin_loss_bernoulli_describe (),
      synack_plugin_loss_gilbert_elliott_describe (),
      synack_plugin_loss_list_describe (),
      synack_plugin_delay_constant_describe (),
      synack_plugin_delay_uniform_describe (),
      synack_plugin_delay_normal_describe (),
      synack_plugin_delay_exponential_describe (),
      synack_plugin_delay_pareto_describe (),
      synack_plugin_delay_lognormal_describe (),
      synack_plugin_protocol_tcp3way_describe (),
      synack_plugin_protocol_tcp2way_describe (),
      synack_plugin_protocol_tcp2way_isn_describe (),
      synack_plugin_protocol_tcpfastopen_describe (),
    };

    reg = synack_registry_new ();
    for (guint i = 0; i < G_N_ELEMENTS (descs); i++) {
      g_autoptr (GError) error = NULL;

      if (!synack_registry_add (reg, descs[i], "built-in", &error))
        FUZZ_FAIL ("registry: %s", error->message);
    }
  }
  return reg;
}

/* Removes @path and everything under it (symlinks are not followed). */
static inline void
fuzz_remove_tree (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *child = g_build_filename (path, name, NULL);

    if (g_file_test (child, G_FILE_TEST_IS_DIR)
        && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
      fuzz_remove_tree (child);
    else
      g_unlink (child);
  }
  g_rmdir (path);
}

static char *fuzz_dir;

static void
fuzz_tmpdir_remove (void)
{
  fuzz_remove_tree (fuzz_dir);
}

/* A private scratch directory under $TMPDIR, made once and removed at
 * exit (tests/fuzz/fuzz.sh points TMPDIR at /dev/shm when it can: the
 * harnesses write their input to a file for each run). */
static inline const char *
fuzz_tmpdir (void)
{
  if (fuzz_dir == NULL) {
    g_autofree char *tmpl = g_build_filename (g_get_tmp_dir (),
                                              "synack-fuzz-XXXXXX", NULL);

    fuzz_dir = g_mkdtemp (g_steal_pointer (&tmpl));
    if (fuzz_dir == NULL)
      FUZZ_FAIL ("cannot make a scratch directory: %s", g_strerror (errno));
    atexit (fuzz_tmpdir_remove);
  }
  return fuzz_dir;
}

/* Writes @size bytes to @name in the scratch directory.
 * Returns: (transfer full) its path. */
static inline char *
fuzz_write (const char *name, const void *data, size_t size)
{
  char *path = g_build_filename (fuzz_tmpdir (), name, NULL);
  FILE *f = fopen (path, "wb");

  if (f == NULL || (size > 0 && fwrite (data, 1, size, f) != size)
      || fclose (f) != 0)
    FUZZ_FAIL ("cannot write %s", path);
  return path;
}

/* Splits @data at each "\n%%\n" line into at most @max parts (the last
 * part keeps any further separators).  Returns: the number of parts;
 * @parts and @sizes point into @data. */
static inline guint
fuzz_split (const uint8_t *data, size_t size, guint max,
            const uint8_t **parts, size_t *sizes)
{
  static const char sep[] = "\n%%\n";
  const size_t n = sizeof sep - 1;
  guint k = 0;
  size_t start = 0;

  for (size_t i = 0; k + 1 < max && i + n <= size; i++)
    if (memcmp (data + i, sep, n) == 0) {
      parts[k] = data + start;
      sizes[k++] = i + 1 - start;   /* keep the newline */
      start = i + n;
      i = start - 1;
    }
  parts[k] = data + start;
  sizes[k++] = size - start;
  return k;
}

/* Sweeps of up to SYNACK_SWEEP_MAX_VALUES points are valid, and loading
 * one builds every point: a second in a normal build, ten under the
 * sanitizers, times the round trips the harnesses add.  So a --set of a
 * sweep with more than this many values is skipped, not timed out. */
#define FUZZ_MAX_SWEEP 2000

static inline gboolean
fuzz_sweep_too_big (const char *assignment)
{
  const char *eq = strchr (assignment, '=');
  g_autoptr (GPtrArray) values = NULL;

  while (g_ascii_isspace (*assignment))
    assignment++;
  if (eq == NULL || !g_str_has_prefix (assignment, "sweep."))
    return FALSE;
  values = synack_sweep_expand (eq + 1, NULL, NULL);
  return values != NULL && values->len > FUZZ_MAX_SWEEP;
}
