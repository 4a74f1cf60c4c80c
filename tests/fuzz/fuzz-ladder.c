/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-ladder.c - `synack ladder` on fuzzed traces
 * (synack_ladder_draw()): the segments and states trace readers of
 * plots/ladder-read.c and the layout plots/ladder.c computes from what
 * they read.
 *
 * Input: the segments trace, then optionally a "\n%%\n" line and the
 * states trace beside it.  The first connection is drawn.  GNUPLOT names
 * a program that does not exist, so everything but gnuplot itself runs
 * (the .ladder.tsv data and the .gp script are written). */
#include "fuzz-common.h"

#include "ladder.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  g_setenv ("GNUPLOT", "/nonexistent/gnuplot", TRUE);
  g_setenv ("SYNACK_PLOTS_DIR", FUZZ_TOP_SRCDIR "/plots", TRUE);
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  const uint8_t *parts[2];
  size_t sizes[2];
  guint n = fuzz_split (data, size, 2, parts, sizes);
  g_autofree char *segments = fuzz_write ("t-segments.csv", parts[0], sizes[0]);
  g_autofree char *states = g_build_filename (fuzz_tmpdir (), "t-states.csv",
                                              NULL);
  g_autofree char *out = g_build_filename (fuzz_tmpdir (), "out.svg", NULL);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (n > 1)
    g_free (fuzz_write ("t-states.csv", parts[1], sizes[1]));
  else
    g_unlink (states);
  ok = synack_ladder_draw (segments, 0, out, &error);
  FUZZ_CHECK_ERROR (ok, error, "synack_ladder_draw");
  return 0;
}
