/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/cmd-run.c - `synack run`: its options, checked, then one batch
 * (campaign.c) or its list of runs (--list-runs). */
#include <string.h>

#include "commands.h"
#include "campaign.h"
#include "runner.h"

/* ---- synack run ---------------------------------------------------------- */

int
cmd_run (int argc, char **argv, const Command *self)
{
  g_autofree char *out_dir = NULL;
  g_autofree char *resume_dir = NULL;
  g_auto (GStrv) sets = NULL;
  gint jobs = 0, point = -1, replication = -1;
  g_autofree char *seed_text = NULL;
  guint64 seed = 0;
  gboolean quiet = FALSE, force = FALSE;
  g_autofree char *shard_text = NULL;
  gboolean list_runs = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir,
      "Write results to DIR (default results/NAME)", "DIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs,
      "Run N simulations in parallel (default: the number of cores)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a config key (repeatable), e.g. --set link.loss.p=0.2",
      "SECTION.KEY=VALUE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text,
      "Override [experiment] seed (0 to 18446744073709551615)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors",
      NULL },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &resume_dir,
      "Finish an interrupted batch in DIR (its config.ini is the config)",
      "DIR" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force,
      "Replace the results of a different experiment in the output directory",
      NULL },
    { "point", 0, 0, G_OPTION_ARG_INT, &point,
      "Run only sweep point P (from 0)", "P" },
    { "replication", 0, 0, G_OPTION_ARG_INT, &replication,
      "Run only replication R (from 0)", "R" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text,
      "Run only shard K of N (runs i with i mod N = K) into DIR/shards/K-of-N; "
      "auto: K and N from Slurm, Open MPI, PMI, SGE or LSF",
      "K/N|auto" },
    { "list-runs", 0, 0, G_OPTION_ARG_NONE, &list_runs,
      "Print one line per run (index, point, replication, seed, swept values) "
      "and exit", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (SynackRegistry) reg = NULL;
  g_autoptr (SynackConfig) cfg = NULL;
  g_autofree char *config_path = NULL;
  g_autofree char *dir_used = NULL;
  SynackRunnerOptions opt = { 0 };
  GError *error = NULL;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (resume_dir != NULL && argc == 1) {
    config_path = g_build_filename (resume_dir, "config.ini", NULL);
  } else if (argc == 2) {
    /* --resume DIR CONFIG: CONFIG must be the one DIR ran (checked when
     * the directory is opened) */
    config_path = g_strdup (argv[1]);
  } else {
    g_printerr ("synack run: expected one CONFIG.ini (or --resume DIR)\n"
                "Try 'synack run --help'.\n");
    return EXIT_USAGE;
  }
  if (jobs < 0 || point < -1 || replication < -1) {
    g_printerr ("synack run: -j, --point and --replication take numbers "
                ">= 0\n");
    return EXIT_USAGE;
  }
  /* digits only: strtoull would take "-1" as 2^64 - 1 */
  if (seed_text != NULL &&
      (seed_text[0] == '\0' ||
       strspn (seed_text, "0123456789") != strlen (seed_text) ||
       !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed,
                                    NULL))) {
    g_printerr ("synack run: --seed %s: expected a whole number from 0 to "
                "18446744073709551615\nTry 'synack run --help'.\n", seed_text);
    return EXIT_USAGE;
  }
  if (resume_dir != NULL && force) {
    g_printerr ("synack run: --resume finishes the batch in its directory "
                "and --force replaces one: give one of them\n"
                "Try 'synack run --help'.\n");
    return EXIT_USAGE;
  }
  if (resume_dir != NULL && out_dir != NULL &&
      strcmp (resume_dir, out_dir) != 0) {
    g_printerr ("synack run: --resume %s writes into %s, not -o %s: "
                "give one of them\nTry 'synack run --help'.\n",
                resume_dir, resume_dir, out_dir);
    return EXIT_USAGE;
  }
  reg = command_load_registry ();
  cfg = command_load_config (config_path, reg, sets, &error);
  if (cfg == NULL)
    return command_fail (error);
  if (seed_text != NULL)
    synack_config_set_seed (cfg, seed);

  opt.out_dir = out_dir != NULL ? out_dir : resume_dir;
  opt.jobs = (guint) jobs;
  opt.resume = resume_dir != NULL;
  opt.force = force;
  opt.point = point;
  opt.replication = replication;
  opt.progress = quiet ? SYNACK_PROGRESS_QUIET : SYNACK_PROGRESS_AUTO;
  if (list_runs) {
    if (!synack_campaign_list_runs (cfg, shard_text, &error))
      return command_fail (error);
    return EXIT_OK;
  }
  synack_runner_install_signal_handlers ();
  if (!synack_campaign_run (cfg, reg, &opt, shard_text, &dir_used, &error))
    return command_fail (error);
  if (!quiet && dir_used != NULL)   /* NULL: an MPI worker, rank 0 writes */
    g_print ("results: %s/ (config.ini, runs.csv, summary.csv%s)\n", dir_used,
             g_file_test (dir_used, G_FILE_TEST_IS_DIR) ? ", traces/, samples/"
                                                        : "");
  return EXIT_OK;
}
