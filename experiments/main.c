/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/main.c - the `synack` program: subcommands over the library.
 *
 * Each subcommand has its own GOptionContext, so `synack run --help` and
 * `synack help run` print the same text.  This file holds the table of
 * commands, the dispatch and what the commands share; the commands are in
 * cmd-run.c, cmd-inspect.c and cmd-results.c (commands.h).  Only
 * command_fail() turns errors into exit codes: 2 for bad usage or a bad
 * config, 1 for anything else, 130 for an interrupted batch (what a shell
 * reports for SIGINT). */
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "text.h"
#include "runner.h"
#include "plot.h"
#include "campaign.h"
#include "shard.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

/* ---- shared -------------------------------------------------------------- */

static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, SYNACK_BUILD_DIR "/");
}

/* Loads the plugins; a bad plugin is a warning and loading goes on. */
SynackRegistry *
command_load_registry (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors =
      g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  const char *builtin =
      running_uninstalled () ? SYNACK_BUILD_PLUGINDIR : SYNACK_PLUGINDIR;

  synack_registry_load_path (reg, builtin, errors);
  for (guint i = 0; i < errors->len; i++)
    g_printerr ("synack: warning: %s\n",
                ((GError *) errors->pdata[i])->message);
  return reg;
}

static int
exit_code_for (const GError *error)
{
  if (error->domain == SYNACK_CONFIG_ERROR)
    return EXIT_USAGE;
  if (error->domain == SYNACK_RUNNER_ERROR) {
    switch (error->code) {
      case SYNACK_RUNNER_ERROR_INTERRUPTED:
        return EXIT_INTERRUPTED;
      case SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT:
      case SYNACK_RUNNER_ERROR_NOTHING_TO_RESUME:
      case SYNACK_RUNNER_ERROR_BAD_SELECTION:
        return EXIT_USAGE;
      default:
        return EXIT_FAILURE_OTHER;
    }
  }
  if (error->domain == G_OPTION_ERROR || error->domain == SYNACK_SHARD_ERROR)
    return EXIT_USAGE;
  /* plot --format/--only and ladder -o name what cannot be drawn */
  if (error->domain == SYNACK_PLOT_ERROR &&
      error->code == SYNACK_PLOT_ERROR_BAD_FORMAT)
    return EXIT_USAGE;
  return EXIT_FAILURE_OTHER;
}

int
command_fail (GError *error)
{
  int code = exit_code_for (error);

  g_printerr ("synack: %s\n", error->message);
  g_error_free (error);
  return code;
}

GOptionContext *
command_context (const Command *cmd, const GOptionEntry *entries)
{
  /* with the program name "synack NAME" (set in main), GLib prints
   * "Usage: synack NAME [OPTION…] PARAMS" */
  GOptionContext *ctx = g_option_context_new (cmd->params);

  g_option_context_set_summary (ctx, cmd->summary);
  g_option_context_set_description (ctx, cmd->description);
  if (entries)
    g_option_context_add_main_entries (ctx, entries, NULL);
  return ctx;
}

/* Parses @argv (argv[0] is the command name).  On a usage error prints it
 * with a hint and returns FALSE. */
gboolean
parse_command (GOptionContext *ctx, const Command *cmd, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (ctx, argc, argv, &error)) {
    g_printerr ("synack %s: %s\nTry 'synack %s --help'.\n", cmd->name,
                error->message, cmd->name);
    return FALSE;
  }
  return TRUE;
}

SynackConfig *
command_load_config (const char *path, SynackRegistry *reg, char **sets,
                     GError **error)
{
  g_autoptr (SynackConfig) cfg = synack_config_load_file (path, reg, error);

  if (cfg == NULL)
    return NULL;
  if (sets != NULL &&
      !synack_config_set_all (cfg, (const char *const *) sets, error))
    return NULL;
  {
    g_autofree char *warning = synack_config_warnings (cfg);

    if (warning != NULL)
      g_printerr ("synack: warning: %s: %s\n", path, warning);
  }
  return g_steal_pointer (&cfg);
}

/* ---- the table of commands ----------------------------------------------- */

static int cmd_help (int argc, char **argv, const Command *self);

static const Command commands[] = {
  { "run", "CONFIG.ini",
    "Run every sweep point x replication of an experiment.",
    "Writes DIR/config.ini, runs.csv (one row per run), summary.csv (per sweep "
    "point:\n"
    "means with 95% confidence intervals, pooled latency quantiles), samples/ "
    "and the\n"
    "traces the config asks for.  Finished runs are kept if the batch is "
    "interrupted.\n\n"
    "Examples:\n"
    "  synack run experiments/quickstart.ini\n"
    "  synack run experiments/two-way-vs-three-way.ini -j 2 --set "
    "experiment.replications=5\n\n"
    "Exit status: 0 success, 2 bad usage or bad config, 1 a run failed, 130 "
    "interrupted.",
    cmd_run },
  { "check", "CONFIG.ini",
    "Validate a config and print how many runs it expands to.",
    "Examples:\n"
    "  synack check experiments/quickstart.ini\n"
    "  synack check my.ini --set link.loss.p=0.2\n\n"
    "Exit status: 0 valid, 2 invalid (FILE:LINE: [section] key: what is "
    "wrong).",
    cmd_check },
  { "keys", "", "List every config key with its default.",
    "One line per key: SECTION.KEY, its default, and what it is (model "
    "parameters\n"
    "once per model that takes them).  --names prints the names alone, for "
    "scripts\n"
    "and shell completion.\n\n"
    "Examples:\n"
    "  synack keys\n"
    "  synack keys --names | grep ^tcp.\n\n"
    "Exit status: 0.",
    cmd_keys },
  { "models", "", "List every loaded plugin with its parameters.",
    "Plugins come from $SYNACK_PLUGIN_PATH (':'-separated directories), then\n"
    "the built-in plugin directory.\n\n"
    "Examples:\n"
    "  synack models\n"
    "  SYNACK_PLUGIN_PATH=$HOME/synack-plugins synack models\n\n"
    "Exit status: 0.",
    cmd_models },
  { "plot", "DIR",
    "Draw the standard figures of a results directory into DIR/plots/.",
    "Each figure comes with the gnuplot script and the data file that made "
    "it.\n\n"
    "Examples:\n"
    "  synack plot results/quickstart\n"
    "  synack plot results/two-way-vs-three-way --format pdf\n\n"
    "Exit status: 0 success, 2 bad usage, 1 failure (e.g. gnuplot missing).",
    cmd_plot },
  { "ladder", "TRACE",
    "Draw the time-sequence (ladder) diagram of one connection.",
    "TRACE is a segments trace (DIR/traces/P-R-segments.csv); the states trace "
    "beside\n"
    "it, when present, adds the state names.\n\n"
    "Examples:\n"
    "  synack ladder results/quickstart/traces/0-0-segments.csv --conn 1 -o "
    "conn1.png\n"
    "  synack ladder run/traces/0-0-segments.csv --conn 7 -o conn7.svg\n\n"
    "Exit status: 0 success, 2 bad usage, 1 failure.",
    cmd_ladder },
  { "merge", "DIR | -o OUT SRC...",
    "Check and join the shards of a batch into one results directory.",
    "`synack merge DIR` joins DIR/shards/K-of-N/ (from `synack run CFG --shard "
    "K/N\n"
    "-o DIR`) into DIR; `synack merge -o OUT SRC...` joins results directories "
    "copied\n"
    "back from elsewhere.  Refuses sources of another config.ini or another "
    "synack\n"
    "build, a seed that is not its derivation and a run present twice with "
    "other\n"
    "bytes; lists what is missing with the command that finishes it.  The "
    "merged\n"
    "directory is byte-identical to one `synack run` (provenance.ini and\n"
    "run-times.csv aside).\n\n"
    "Examples:\n"
    "  synack merge results/quickstart\n"
    "  synack merge --check results/quickstart\n"
    "  synack merge -o results/all node1/shards/0-of-2 node2/shards/1-of-2\n\n"
    "Exit status: 0 merged (or --check: complete), 2 bad usage, 1 refused or "
    "incomplete.",
    cmd_merge },
  { "compare", "A B",
    "Per sweep point, the difference of each metric's mean between two "
    "results, with its CI.",
    "Writes CSV: the sweep values, metric, runs_a, runs_b, mean_a, mean_b, "
    "diff (B - A),\n"
    "diff_ci95_lo, diff_ci95_hi, paired.  Points are matched by their sweep "
    "values.  The\n"
    "difference is paired (Student t over the replications' differences) when "
    "every\n"
    "replication ran with the same seed on both sides: common random numbers, "
    "from\n"
    "[experiment] seeds = per-replication or from two configs of one seed; "
    "otherwise\n"
    "Welch's interval.  A and B may be one directory narrowed by --a and "
    "--b.\n\n"
    "Examples:\n"
    "  synack compare results/tcp3way results/tcp2way\n"
    "  synack compare results/h results/h --a experiment.profile=rfc9293 --b "
    "experiment.profile=linux\n\n"
    "Exit status: 0 success, 2 bad usage or nothing to match, 1 failure.",
    cmd_compare },
  { "help", "COMMAND", "Show the help of a command.",
    "Example:\n  synack help run", cmd_help },
};

static const Command *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (strcmp (commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

static void
print_usage (FILE *out)
{
  fprintf (out, "Usage: synack COMMAND [OPTIONS...]\n\n"
                "Simulate TCP connection set-up and tear-down under loss "
                "and delay.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nOptions:\n"
                "  --version  Print the version\n"
                "  --help     Print this help\n\n"
                "Run 'synack help COMMAND' for a command's options; "
                "see synack(1).\n");
}

static int
cmd_help (int argc, char **argv, const Command *self)
{
  const Command *cmd;
  g_autoptr (GOptionContext) ctx = NULL;
  g_autofree char *text = NULL;

  if (argc != 2) {
    print_usage (stdout);
    return EXIT_OK;
  }
  cmd = find_command (argv[1]);
  if (cmd == NULL) {
    g_printerr ("synack help: no command \"%s\"\n", argv[1]);
    return EXIT_USAGE;
  }
  {
    char *fake_argv[] = { (char *) cmd->name, (char *) "--help", NULL };
    g_autofree char *prgname = g_strdup_printf ("synack %s", cmd->name);

    g_set_prgname (prgname);
    /* the command prints its own --help and exits 0 */
    return cmd->main (2, fake_argv, cmd);
  }
}

int
main (int argc, char **argv)
{
  const Command *cmd;

  setlocale (LC_ALL, "");
  /* GSL must never abort the program: library code checks return values */
  gsl_set_error_handler_off ();
  if (argc < 2) {
    print_usage (stderr);
    return EXIT_USAGE;
  }
  if (strcmp (argv[1], "--version") == 0 || strcmp (argv[1], "-V") == 0) {
    g_print ("synack %s\n", PACKAGE_VERSION);
    return EXIT_OK;
  }
  if (strcmp (argv[1], "--help") == 0 || strcmp (argv[1], "-h") == 0) {
    print_usage (stdout);
    return EXIT_OK;
  }
  cmd = find_command (argv[1]);
  if (cmd == NULL) {
    const char *names[G_N_ELEMENTS (commands) + 1];

    for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
      names[i] = commands[i].name;
    names[G_N_ELEMENTS (commands)] = NULL;
    g_printerr ("synack: no command \"%s\"", argv[1]);
    if (synack_text_suggest (argv[1], names))
      g_printerr ("; did you mean \"%s\"?",
                  synack_text_suggest (argv[1], names));
    g_printerr ("\nTry 'synack --help'.\n");
    return EXIT_USAGE;
  }
  {
    g_autofree char *prgname = g_strdup_printf ("synack %s", cmd->name);

    g_set_prgname (prgname);
  }
  synack_campaign_set_command (argc - 1, argv + 1);
  return cmd->main (argc - 1, argv + 1, cmd);
}
