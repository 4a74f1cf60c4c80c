/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/main.c - the `synack` program: subcommands over the library.
 *
 * Each subcommand has its own GOptionContext, so `synack run --help` and
 * `synack help run` print the same text.  Only this file turns errors into
 * exit codes: 2 for bad usage or a bad config, 1 for anything else, 130
 * for an interrupted batch (what a shell reports for SIGINT). */
#include <gsl/gsl_errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config.h"
#include "registry.h"
#include "text.h"
#include "runner.h"
#include "plot.h"
#include "ladder.h"
#include "campaign.h"
#include "merge.h"
#include "compare.h"
#include "shard.h"
#include "provenance.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

enum { EXIT_OK = 0, EXIT_FAILURE_OTHER = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

typedef struct Command Command;
struct Command {
  const char *name;
  const char *params;
  const char *summary;
  const char *description;
  int (*main) (int argc, char **argv, const Command *self);
};

/* ---- shared ------------------------------------------------------------------- */

static gboolean
running_uninstalled (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);

  return exe != NULL && g_str_has_prefix (exe, SYNACK_BUILD_DIR "/");
}

/* Loads the plugins; a bad plugin is a warning and loading goes on. */
static SynackRegistry *
load_registry (void)
{
  SynackRegistry *reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  const char *builtin = running_uninstalled () ? SYNACK_BUILD_PLUGINDIR : SYNACK_PLUGINDIR;

  synack_registry_load_path (reg, builtin, errors);
  for (guint i = 0; i < errors->len; i++)
    g_printerr ("synack: warning: %s\n", ((GError *) errors->pdata[i])->message);
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
  if (error->domain == SYNACK_PLOT_ERROR && error->code == SYNACK_PLOT_ERROR_BAD_FORMAT)
    return EXIT_USAGE;
  return EXIT_FAILURE_OTHER;
}

static int
fail (GError *error)
{
  int code = exit_code_for (error);

  g_printerr ("synack: %s\n", error->message);
  g_error_free (error);
  return code;
}

static GOptionContext *
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
static gboolean
parse_command (GOptionContext *ctx, const Command *cmd, int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;

  if (!g_option_context_parse (ctx, argc, argv, &error)) {
    g_printerr ("synack %s: %s\nTry 'synack %s --help'.\n", cmd->name, error->message,
                cmd->name);
    return FALSE;
  }
  return TRUE;
}

static SynackConfig *
load_config (const char *path, SynackRegistry *reg, char **sets, GError **error)
{
  g_autoptr (SynackConfig) cfg = synack_config_load_file (path, reg, error);

  if (cfg == NULL)
    return NULL;
  if (sets != NULL && !synack_config_set_all (cfg, (const char *const *) sets, error))
    return NULL;
  {
    g_autofree char *warning = synack_config_warnings (cfg);

    if (warning != NULL)
      g_printerr ("synack: warning: %s: %s\n", path, warning);
  }
  return g_steal_pointer (&cfg);
}

/* ---- synack run ----------------------------------------------------------------- */

static int
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
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out_dir, "Write results to DIR (default results/NAME)", "DIR" },
    { "jobs", 'j', 0, G_OPTION_ARG_INT, &jobs, "Run N simulations in parallel (default: the number of cores)", "N" },
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a config key (repeatable), e.g. --set link.loss.p=0.2", "SECTION.KEY=VALUE" },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed_text, "Override [experiment] seed (0 to 18446744073709551615)", "N" },
    { "quiet", 'q', 0, G_OPTION_ARG_NONE, &quiet, "Print nothing but errors", NULL },
    { "resume", 0, 0, G_OPTION_ARG_FILENAME, &resume_dir, "Finish an interrupted batch in DIR (its config.ini is the config)", "DIR" },
    { "force", 0, 0, G_OPTION_ARG_NONE, &force, "Replace the results of a different experiment in the output directory", NULL },
    { "point", 0, 0, G_OPTION_ARG_INT, &point, "Run only sweep point P (from 0)", "P" },
    { "replication", 0, 0, G_OPTION_ARG_INT, &replication, "Run only replication R (from 0)", "R" },
    { "shard", 0, 0, G_OPTION_ARG_STRING, &shard_text, "Run only shard K of N (runs i with i mod N = K) into DIR/shards/K-of-N; auto: K and N from Slurm, Open MPI, PMI, SGE or LSF", "K/N|auto" },
    { "list-runs", 0, 0, G_OPTION_ARG_NONE, &list_runs, "Print one line per run (index, point, replication, seed, swept values) and exit", NULL },
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
    g_printerr ("synack run: expected one CONFIG.ini (or --resume DIR)\nTry 'synack run --help'.\n");
    return EXIT_USAGE;
  }
  if (jobs < 0 || point < -1 || replication < -1) {
    g_printerr ("synack run: -j, --point and --replication take numbers >= 0\n");
    return EXIT_USAGE;
  }
  /* digits only: strtoull would take "-1" as 2^64 - 1 */
  if (seed_text != NULL
      && (seed_text[0] == '\0' || strspn (seed_text, "0123456789") != strlen (seed_text)
          || !g_ascii_string_to_unsigned (seed_text, 10, 0, G_MAXUINT64, &seed, NULL))) {
    g_printerr ("synack run: --seed %s: expected a whole number from 0 to "
                "18446744073709551615\nTry 'synack run --help'.\n", seed_text);
    return EXIT_USAGE;
  }
  if (resume_dir != NULL && force) {
    g_printerr ("synack run: --resume finishes the batch in its directory and --force "
                "replaces one: give one of them\nTry 'synack run --help'.\n");
    return EXIT_USAGE;
  }
  if (resume_dir != NULL && out_dir != NULL && strcmp (resume_dir, out_dir) != 0) {
    g_printerr ("synack run: --resume %s writes into %s, not -o %s: give one of them\n"
                "Try 'synack run --help'.\n", resume_dir, resume_dir, out_dir);
    return EXIT_USAGE;
  }
  reg = load_registry ();
  cfg = load_config (config_path, reg, sets, &error);
  if (cfg == NULL)
    return fail (error);
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
      return fail (error);
    return EXIT_OK;
  }
  synack_runner_install_signal_handlers ();
  if (!synack_campaign_run (cfg, reg, &opt, shard_text, &dir_used, &error))
    return fail (error);
  if (!quiet && dir_used != NULL)   /* NULL: an MPI worker, rank 0 writes */
    g_print ("results: %s/ (config.ini, runs.csv, summary.csv%s)\n", dir_used,
             g_file_test (dir_used, G_FILE_TEST_IS_DIR) ? ", traces/, samples/" : "");
  return EXIT_OK;
}

/* ---- synack check --------------------------------------------------------------- */

/* One line per sweep point (the first 20), so a user sees what a sweep
 * expands to before running it. */
static void
print_points (const SynackConfig *cfg)
{
  guint points = synack_config_n_points (cfg), keys = synack_config_n_sweep_keys (cfg);
  const guint shown = 20;

  if (keys == 0)
    return;
  for (guint p = 0; p < points && p < shown; p++) {
    g_print ("  point %u:", p);
    for (guint k = 0; k < keys; k++)
      g_print (" %s=%s", synack_config_sweep_key (cfg, k), synack_config_point_value (cfg, p, k));
    g_print ("\n");
  }
  if (points > shown)
    g_print ("  ... and %u more points\n", points - shown);
}

static void
human_bytes (char *buf, gsize size, double bytes)
{
  static const char *const units[] = { "B", "kB", "MB", "GB", "TB", "PB" };
  guint u = 0;

  while (bytes >= 1000 && u + 1 < G_N_ELEMENTS (units))
    bytes /= 1000, u++;
  g_snprintf (buf, size, u == 0 ? "%.0f %s" : "%.3g %s", bytes, units[u]);
}

/* What the traces of a batch will take, from bytes per attempt measured on
 * experiments/quickstart.ini (0-10 % loss: states 710, segments 1260,
 * pcap 590) and the occupancy rows (9 states, ~22 bytes a row, sampled
 * while attempts arrive plus a few minutes of tail); warns above 1 GB. */
static void
print_trace_estimate (const SynackConfig *cfg)
{
  static const struct { guint mask; const char *name; double per_attempt; } kinds[] = {
    { SYNACK_TRACE_STATES, "states", 710 },
    { SYNACK_TRACE_SEGMENTS, "segments", 1260 },
    { SYNACK_TRACE_PCAP, "pcap", 590 },
    { SYNACK_TRACE_OCCUPANCY, "occupancy", 0 },
  };
  double bytes[G_N_ELEMENTS (kinds)] = { 0 }, total = 0;
  guint reps = synack_config_replications (cfg);
  GString *parts = g_string_new (NULL);
  char buf[32];

  for (guint p = 0; p < synack_config_n_points (cfg); p++) {
    const SynackRunSpec *spec = synack_config_run_spec (cfg, p);

    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
      double sim_s = MIN (synack_time_to_seconds (spec->until_ns),
                          (double) spec->connections / spec->rate_per_s + 300);

      if (!(spec->trace_mask & kinds[k].mask))
        continue;
      if (kinds[k].mask == SYNACK_TRACE_OCCUPANCY)
        bytes[k] += reps * sim_s / synack_time_to_seconds (spec->sample_ns) * 9 * 22;
      else
        bytes[k] += reps * (double) spec->connections * kinds[k].per_attempt;
    }
  }
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    if (bytes[k] == 0)
      continue;
    human_bytes (buf, sizeof buf, bytes[k]);
    g_string_append_printf (parts, "%s%s %s", parts->len ? ", " : "", kinds[k].name, buf);
    total += bytes[k];
  }
  if (total > 0) {
    human_bytes (buf, sizeof buf, total);
    g_print ("traces: about %s (%s)\n", buf, parts->str);
    if (total > 1e9)
      g_printerr ("synack: warning: the traces would take about %s; trace fewer kinds "
                  "([experiment] trace), fewer runs or fewer attempts\n", buf);
  }
  g_string_free (parts, TRUE);
}

static int
cmd_check (int argc, char **argv, const Command *self)
{
  g_auto (GStrv) sets = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override a config key (repeatable)", "SECTION.KEY=VALUE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (SynackRegistry) reg = NULL;
  g_autoptr (SynackConfig) cfg = NULL;
  GError *error = NULL;
  guint points, reps;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2) {
    g_printerr ("synack check: expected one CONFIG.ini\nTry 'synack check --help'.\n");
    return EXIT_USAGE;
  }
  reg = load_registry ();
  cfg = load_config (argv[1], reg, sets, &error);
  if (cfg == NULL)
    return fail (error);
  points = synack_config_n_points (cfg);
  reps = synack_config_replications (cfg);
  g_print ("%s: ok, %u runs (%u sweep point%s x %u replication%s)\n", argv[1], points * reps,
           points, points == 1 ? "" : "s", reps, reps == 1 ? "" : "s");
  print_points (cfg);
  print_trace_estimate (cfg);
  return EXIT_OK;
}

/* ---- synack keys ---------------------------------------------------------------- */

static int
cmd_keys (int argc, char **argv, const Command *self)
{
  gboolean names_only = FALSE;
  const GOptionEntry entries[] = {
    { "names", 0, 0, G_OPTION_ARG_NONE, &names_only, "Print the key names only, one a line", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (SynackRegistry) reg = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1) {
    g_printerr ("synack keys: takes no arguments\nTry 'synack keys --help'.\n");
    return EXIT_USAGE;
  }
  reg = load_registry ();
  keys = synack_config_list_keys (reg);
  for (guint i = 0; i < keys->len; i++) {
    g_auto (GStrv) f = g_strsplit (keys->pdata[i], "\t", 3);

    if (names_only) {
      /* a parameter several models share is one key */
      if (g_hash_table_add (seen, g_strdup (f[0])))
        g_print ("%s\n", f[0]);
    } else {
      g_print ("%-32s default %-12s %s\n", f[0], f[1], f[2]);
    }
  }
  return EXIT_OK;
}

/* ---- synack models -------------------------------------------------------------- */

static int
cmd_models (int argc, char **argv, const Command *self)
{
  g_autoptr (GOptionContext) ctx = command_context (self, NULL);
  g_autoptr (SynackRegistry) reg = NULL;
  g_autoptr (GPtrArray) list = NULL;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1) {
    g_printerr ("synack models: takes no arguments\n");
    return EXIT_USAGE;
  }
  reg = load_registry ();
  list = synack_registry_list (reg);
  for (guint i = 0; i < list->len; i++) {
    const SynackPluginDesc *d = list->pdata[i];
    const char *prefix = d->kind == SYNACK_PLUGIN_PROTOCOL ? "protocol."
                       : d->kind == SYNACK_PLUGIN_LOSS ? "loss." : "delay.";

    g_print ("%s %s - %s\n  from %s\n", synack_plugin_kind_name (d->kind), d->name, d->summary,
             synack_registry_origin (reg, d));
    for (const SynackParamSpec *p = d->params; p && p->name; p++)
      g_print ("  %s%-14s %-11s default %-8s %s%s%s%s\n", prefix, p->name,
               synack_param_type_name (p->type), p->default_value[0] ? p->default_value : "\"\"",
               p->help, p->unit && p->unit[0] ? " [" : "", p->unit && p->unit[0] ? p->unit : "",
               p->unit && p->unit[0] ? "]" : "");
    g_print ("\n");
  }
  return EXIT_OK;
}

/* ---- synack plot / ladder ------------------------------------------------------- */

static int
cmd_plot (int argc, char **argv, const Command *self)
{
  g_autofree char *format = NULL;
  g_autofree char *only = NULL;
  const GOptionEntry entries[] = {
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format, "png (default), svg or pdf", "FORMAT" },
    { "only", 0, 0, G_OPTION_ARG_STRING, &only,
      "Draw only the figure NAME: latency, failures, cdf, ccdf, occupancy, teardown, counts or request",
      "NAME" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  gboolean ok;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2) {
    g_printerr ("synack plot: expected one results DIR\nTry 'synack plot --help'.\n");
    return EXIT_USAGE;
  }
  ok = synack_plot_dir (argv[1], format ? format : "png", only, written, &error);
  /* what was written is listed even on failure: without gnuplot the
   * scripts and data are there to draw later */
  for (guint i = 0; i < written->len; i++)
    g_print ("%s\n", (char *) written->pdata[i]);
  return ok ? EXIT_OK : fail (error);
}

static int
cmd_ladder (int argc, char **argv, const Command *self)
{
  gint64 conn = 0;
  g_autofree char *out = NULL;
  const GOptionEntry entries[] = {
    { "conn", 'c', 0, G_OPTION_ARG_INT64, &conn, "The connection attempt to draw (default: the first in the trace)", "ID" },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "The figure to write (.png, .svg or .pdf)", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  GError *error = NULL;

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 2 || out == NULL || conn < 0 || conn > G_MAXUINT32) {
    g_printerr ("synack ladder: expected TRACE (a -segments.csv file), -o FILE and maybe --conn ID\n"
                "Try 'synack ladder --help'.\n");
    return EXIT_USAGE;
  }
  if (!synack_ladder_draw (argv[1], (SynackConnId) conn, out, &error))
    return fail (error);
  g_print ("%s\n", out);
  return EXIT_OK;
}

/* ---- synack merge ---------------------------------------------------------------- */

static int
cmd_merge (int argc, char **argv, const Command *self)
{
  g_autofree char *out = NULL;
  gboolean check = FALSE;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Merge the results directories SRC... into OUT", "OUT" },
    { "check", 0, 0, G_OPTION_ARG_NONE, &check, "Only check and report what is there and what is missing; write nothing", NULL },
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
    g_printerr ("synack merge: expected DIR (with DIR/shards/), or -o OUT SRC...\n"
                "Try 'synack merge --help'.\n");
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
  reg = load_registry ();
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

/* ---- synack compare -------------------------------------------------------------- */

static int
cmd_compare (int argc, char **argv, const Command *self)
{
  g_autofree char *out = NULL;
  g_autofree char *where_a = NULL;
  g_autofree char *where_b = NULL;
  const GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &out, "Write the CSV to FILE (default: standard output)", "FILE" },
    { "a", 0, 0, G_OPTION_ARG_STRING, &where_a, "Take from A only the points where KEY=VALUE (KEY is then not matched)", "KEY=VALUE" },
    { "b", 0, 0, G_OPTION_ARG_STRING, &where_b, "Take from B only the points where KEY=VALUE", "KEY=VALUE" },
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
               error->code != SYNACK_COMPARE_ERROR_IO ? EXIT_USAGE : EXIT_FAILURE_OTHER;

    g_printerr ("synack: %s\n", error->message);
    g_error_free (error);
    return code;
  }
  return EXIT_OK;
}

/* ---- the table of commands ------------------------------------------------------ */

static int cmd_help (int argc, char **argv, const Command *self);

static const Command commands[] = {
  { "run", "CONFIG.ini", "Run every sweep point x replication of an experiment.",
    "Writes DIR/config.ini, runs.csv (one row per run), summary.csv (per sweep point:\n"
    "means with 95% confidence intervals, pooled latency quantiles), samples/ and the\n"
    "traces the config asks for.  Finished runs are kept if the batch is interrupted.\n\n"
    "Examples:\n"
    "  synack run experiments/quickstart.ini\n"
    "  synack run experiments/two-way-vs-three-way.ini -j 2 --set experiment.replications=5\n\n"
    "Exit status: 0 success, 2 bad usage or bad config, 1 a run failed, 130 interrupted.",
    cmd_run },
  { "check", "CONFIG.ini", "Validate a config and print how many runs it expands to.",
    "Examples:\n"
    "  synack check experiments/quickstart.ini\n"
    "  synack check my.ini --set link.loss.p=0.2\n\n"
    "Exit status: 0 valid, 2 invalid (FILE:LINE: [section] key: what is wrong).",
    cmd_check },
  { "keys", "", "List every config key with its default.",
    "One line per key: SECTION.KEY, its default, and what it is (model parameters\n"
    "once per model that takes them).  --names prints the names alone, for scripts\n"
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
  { "plot", "DIR", "Draw the standard figures of a results directory into DIR/plots/.",
    "Each figure comes with the gnuplot script and the data file that made it.\n\n"
    "Examples:\n"
    "  synack plot results/quickstart\n"
    "  synack plot results/two-way-vs-three-way --format pdf\n\n"
    "Exit status: 0 success, 2 bad usage, 1 failure (e.g. gnuplot missing).",
    cmd_plot },
  { "ladder", "TRACE", "Draw the time-sequence (ladder) diagram of one connection.",
    "TRACE is a segments trace (DIR/traces/P-R-segments.csv); the states trace beside\n"
    "it, when present, adds the state names.\n\n"
    "Examples:\n"
    "  synack ladder results/quickstart/traces/0-0-segments.csv --conn 1 -o conn1.png\n"
    "  synack ladder run/traces/0-0-segments.csv --conn 7 -o conn7.svg\n\n"
    "Exit status: 0 success, 2 bad usage, 1 failure.",
    cmd_ladder },
  { "merge", "DIR | -o OUT SRC...", "Check and join the shards of a batch into one results directory.",
    "`synack merge DIR` joins DIR/shards/K-of-N/ (from `synack run CFG --shard K/N\n"
    "-o DIR`) into DIR; `synack merge -o OUT SRC...` joins results directories copied\n"
    "back from elsewhere.  Refuses sources of another config.ini or another synack\n"
    "build, a seed that is not its derivation and a run present twice with other\n"
    "bytes; lists what is missing with the command that finishes it.  The merged\n"
    "directory is byte-identical to one `synack run` (provenance.ini and\n"
    "run-times.csv aside).\n\n"
    "Examples:\n"
    "  synack merge results/quickstart\n"
    "  synack merge --check results/quickstart\n"
    "  synack merge -o results/all node1/shards/0-of-2 node2/shards/1-of-2\n\n"
    "Exit status: 0 merged (or --check: complete), 2 bad usage, 1 refused or incomplete.",
    cmd_merge },
  { "compare", "A B", "Per sweep point, the difference of each metric's mean between two results, with its CI.",
    "Writes CSV: the sweep values, metric, runs_a, runs_b, mean_a, mean_b, diff (B - A),\n"
    "diff_ci95_lo, diff_ci95_hi, paired.  Points are matched by their sweep values.  The\n"
    "difference is paired (Student t over the replications' differences) when every\n"
    "replication ran with the same seed on both sides: common random numbers, from\n"
    "[experiment] seeds = per-replication or from two configs of one seed; otherwise\n"
    "Welch's interval.  A and B may be one directory narrowed by --a and --b.\n\n"
    "Examples:\n"
    "  synack compare results/tcp3way results/tcp2way\n"
    "  synack compare results/h results/h --a experiment.profile=rfc9293 --b experiment.profile=linux\n\n"
    "Exit status: 0 success, 2 bad usage or nothing to match, 1 failure.",
    cmd_compare },
  { "help", "COMMAND", "Show the help of a command.", "Example:\n  synack help run", cmd_help },
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
                "Simulate TCP connection set-up and tear-down under loss and delay.\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    fprintf (out, "  %-8s %s\n", commands[i].name, commands[i].summary);
  fprintf (out, "\nOptions:\n  --version  Print the version\n  --help     Print this help\n\n"
                "Run 'synack help COMMAND' for a command's options; see synack(1).\n");
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
      g_printerr ("; did you mean \"%s\"?", synack_text_suggest (argv[1], names));
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
