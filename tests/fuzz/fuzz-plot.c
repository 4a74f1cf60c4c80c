/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-plot.c - `synack plot DIR` on a fuzzed results
 * directory (synack_plot_dir()): summary.csv and runs.csv read with the
 * CSV reader, then every figure's data and script written.
 *
 * Input: files separated by "\n%%\n" lines, in this order: summary.csv,
 * runs.csv, config.ini, samples/0-0.bin, traces/0-0-occupancy.csv (a file
 * left out is absent).  GNUPLOT names a program that does not exist, so
 * everything but gnuplot itself runs; the data files go to DIR/plots. */
#include "fuzz-common.h"

#include "plot.h"

static const char *const names[] = {
  "summary.csv", "runs.csv", "config.ini", "samples/0-0.bin",
  "traces/0-0-occupancy.csv",
};

static char *dir;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  g_setenv ("GNUPLOT", "/nonexistent/gnuplot", TRUE);
  g_setenv ("SYNACK_PLOTS_DIR", FUZZ_TOP_SRCDIR "/plots", TRUE);
  dir = g_build_filename (fuzz_tmpdir (), "results", NULL);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *parts[G_N_ELEMENTS (names)];
  size_t sizes[G_N_ELEMENTS (names)];
  guint n = fuzz_split (data, size, G_N_ELEMENTS (names), parts, sizes);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  gboolean ok;

  fuzz_remove_tree (dir);
  for (guint i = 0; i < n; i++) {
    g_autofree char *path = g_build_filename (dir, names[i], NULL);
    g_autofree char *parent = g_path_get_dirname (path);
    FILE *f;

    g_mkdir_with_parents (parent, 0700);
    f = fopen (path, "wb");
    if (f == NULL || (sizes[i] && fwrite (parts[i], 1, sizes[i], f) != sizes[i])
        || fclose (f) != 0)
      FUZZ_FAIL ("cannot write %s", path);
  }
  ok = synack_plot_dir (dir, data[0] & 1 ? "svg" : "png", NULL, written,
                        &error);
  FUZZ_CHECK_ERROR (ok, error, "synack_plot_dir");
  return 0;
}
