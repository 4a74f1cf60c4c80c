/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/cmd-results.c - the commands over results directories: `synack
 * plot`, `synack ladder`, `synack merge` and `synack compare`. */
#include <string.h>

#include "commands.h"
#include "text.h"
#include "plot.h"
#include "ladder.h"
#include "merge.h"
#include "compare.h"
#include "campaign.h"
#include "provenance.h"

/* ---- synack plot / ladder ------------------------------------------------ */

int
cmd_plot (int argc, char **argv, const Command *self)
{
  g_autofree char *format = NULL;
  g_autofree char *only = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format,
      "png (default), svg or pdf", "FORMAT" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      "Draw only the figure NAME: latency, failures, cdf, ccdf, occupancy, "
      "teardown, counts or request", "NAME" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gboolean ok;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2) {
    g_printerr ("synack plot: expected one results DIR\n"
                "Try 'synack plot --help'.\n");
    return EXIT_USAGE;
  }
  ok =
      synack_plot_dir (argv[1], format ? format : "png", only, written, &error);
  /* what was written is listed even on failure: without gnuplot the
   * scripts and data are there to draw later */
  for (guint i = 0; i < written->len; i++)
    g_print ("%s\n", (char *) written->pdata[i]);
  return ok ? EXIT_OK : command_fail (error);
}

int
cmd_ladder (int argc, char **argv, const Command *self)
{
  gint64 conn = 0;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "conn", 'c', 0, G_OPTION_ARG_INT64, &conn,
      "The connection attempt to draw (default: the first in the trace)",
      "ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "The figure to write (.png, .svg or .pdf)", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  GError *error = NULL;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || out == NULL || conn < 0 || conn > G_MAXUINT32) {
    g_printerr ("synack ladder: expected TRACE (a -segments.csv file), -o FILE "
                "and maybe --conn ID\n"
                "Try 'synack ladder --help'.\n");
    return EXIT_USAGE;
  }
  if (!synack_ladder_draw (argv[1], (SynackConnId) conn, out, &error))
    return command_fail (error);
  g_print ("%s\n", out);
  return EXIT_OK;
}

/* ---- synack merge -------------------------------------------------------- */

int
cmd_merge (int argc, char **argv, const Command *self)
{
  g_autofree char *out = NULL;
  gboolean check = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Merge the results directories SRC... into OUT", "OUT" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check,
      "Only check and report what is there and what is missing; write nothing",
      NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (SynackRegistry) reg = NULL;
  g_auto (GStrv) sources = NULL;
  SynackMergeOptions opt = { 0 };
  SynackBuild build;
  GString *report = g_string_new (NULL);
  GError *error = NULL;
  gboolean ok;

  if (!parse_command (ctx, self, &argc, &argv)) {
    g_string_free (report, TRUE);
    return EXIT_USAGE;
  }
  if (argc < 2 || (out == NULL && argc > 2 && !check)) {
    g_printerr ("synack merge: expected DIR (with DIR/shards/), "
                "or -o OUT SRC...\nTry 'synack merge --help'.\n");
    g_string_free (report, TRUE);
    return EXIT_USAGE;
  }
  if (out == NULL && argc == 2) {
    sources = synack_merge_shard_sources (argv[1]);
    opt.out_dir = argv[1];
    opt.shards_of = argv[1];
  } else {
    sources = g_strdupv (argv + 1);
    opt.out_dir = out != NULL ? out : "OUT";
  }
  opt.sources = (const char *const *) sources;
  opt.check_only = check;
  opt.command = synack_campaign_command ();
  reg = command_load_registry ();
  synack_build_init (&build, reg);
  ok = synack_merge (reg, &build, &opt, report, &error);
  synack_build_clear (&build);
  g_print ("%s", report->str);
  g_string_free (report, TRUE);
  if (!ok) {
    g_printerr ("synack: %s\n", error->message);
    g_error_free (error);
    return EXIT_FAILURE_OTHER;
  }
  return EXIT_OK;
}

/* ---- synack compare ------------------------------------------------------ */

int
cmd_compare (int argc, char **argv, const Command *self)
{
  g_autofree char *out = NULL;
  g_autofree char *where_a = NULL;
  g_autofree char *where_b = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out,
      "Write the CSV to FILE (default: standard output)", "FILE" },
    { "a", 0, 0, G_OPTION_ARG_STRING, &where_a,
      "Take from A only the points where KEY=VALUE (KEY is then not matched)",
      "KEY=VALUE" },
    { "b", 0, 0, G_OPTION_ARG_STRING, &where_b,
      "Take from B only the points where KEY=VALUE", "KEY=VALUE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  GString *csv = g_string_new (NULL);
  GError *error = NULL;
  gboolean ok;

  if (!parse_command (ctx, self, &argc, &argv)) {
    g_string_free (csv, TRUE);
    return EXIT_USAGE;
  }
  if (argc != 3) {
    g_printerr ("synack compare: expected two results directories A B\n"
                "Try 'synack compare --help'.\n");
    g_string_free (csv, TRUE);
    return EXIT_USAGE;
  }
  ok = synack_compare_dirs (argv[1], argv[2], where_a, where_b, csv, &error);
  if (ok && out != NULL)
    ok = synack_text_write_atomic (out, csv->str, (gssize) csv->len, &error);
  else if (ok)
    fwrite (csv->str, 1, csv->len, stdout);
  g_string_free (csv, TRUE);
  if (!ok) {
    int code = error->domain == SYNACK_COMPARE_ERROR &&
                       error->code != SYNACK_COMPARE_ERROR_IO
                   ? EXIT_USAGE
                   : EXIT_FAILURE_OTHER;

    g_printerr ("synack: %s\n", error->message);
    g_error_free (error);
    return code;
  }
  return EXIT_OK;
}
