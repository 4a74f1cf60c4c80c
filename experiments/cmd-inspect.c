/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/cmd-inspect.c - the commands that look at a config or the plugins
 * without running anything: `synack check` (the points, runs and trace sizes a
 * config expands to), `synack keys` and `synack models`. */
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "clock.h"
#include "params.h"

/* ---- synack check -------------------------------------------------------- */

/* One line per sweep point (the first 20), so a user sees what a sweep
 * expands to before running it. */
static void
print_points (const SynackConfig *cfg)
{
  guint points = synack_config_n_points (cfg),
        keys = synack_config_n_sweep_keys (cfg);
  const guint shown = 20;

  if (keys == 0)
    return;
  for (guint p = 0; p < points && p < shown; p++) {
    g_print ("  point %u:", p);
    for (guint k = 0; k < keys; k++)
      g_print (" %s=%s", synack_config_sweep_key (cfg, k),
               synack_config_point_value (cfg, p, k));
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
  static const struct {
    guint mask;
    const char *name;
    double per_attempt;
  } kinds[] = {
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
        bytes[k] +=
            reps * sim_s / synack_time_to_seconds (spec->sample_ns) * 9 * 22;
      else
        bytes[k] += reps * (double) spec->connections * kinds[k].per_attempt;
    }
  }
  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++) {
    if (bytes[k] == 0)
      continue;
    human_bytes (buf, sizeof buf, bytes[k]);
    g_string_append_printf (parts, "%s%s %s", parts->len ? ", " : "",
                            kinds[k].name, buf);
    total += bytes[k];
  }
  if (total > 0) {
    human_bytes (buf, sizeof buf, total);
    g_print ("traces: about %s (%s)\n", buf, parts->str);
    if (total > 1e9)
      g_printerr ("synack: warning: the traces would take about %s; "
                  "trace fewer kinds ([experiment] trace), fewer runs or "
                  "fewer attempts\n", buf);
  }
  g_string_free (parts, TRUE);
}

int
cmd_check (int argc, char **argv, const Command *self)
{
  g_auto (GStrv) sets = NULL;
  const GOptionEntry entries[] = {
    { "set", 0, 0, G_OPTION_ARG_STRING_ARRAY, &sets,
      "Override a config key (repeatable)", "SECTION.KEY=VALUE" },
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
    g_printerr ("synack check: expected one CONFIG.ini\n"
                "Try 'synack check --help'.\n");
    return EXIT_USAGE;
  }
  reg = command_load_registry ();
  cfg = command_load_config (argv[1], reg, sets, &error);
  if (cfg == NULL)
    return command_fail (error);
  points = synack_config_n_points (cfg);
  reps = synack_config_replications (cfg);
  g_print ("%s: ok, %u runs (%u sweep point%s x %u replication%s)\n", argv[1],
           points * reps, points, points == 1 ? "" : "s", reps,
           reps == 1 ? "" : "s");
  print_points (cfg);
  print_trace_estimate (cfg);
  return EXIT_OK;
}

/* ---- synack keys --------------------------------------------------------- */

int
cmd_keys (int argc, char **argv, const Command *self)
{
  gboolean names_only = FALSE;
  const GOptionEntry entries[] = {
    { "names", 0, 0, G_OPTION_ARG_NONE, &names_only,
      "Print the key names only, one a line", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = command_context (self, entries);
  g_autoptr (SynackRegistry) reg = NULL;
  g_autoptr (GPtrArray) keys = NULL;
  g_autoptr (GHashTable) seen =
      g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  if (!parse_command (ctx, self, &argc, &argv))
    return EXIT_USAGE;
  if (argc != 1) {
    g_printerr ("synack keys: takes no arguments\nTry 'synack keys --help'.\n");
    return EXIT_USAGE;
  }
  reg = command_load_registry ();
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

/* ---- synack models ------------------------------------------------------- */

int
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
  reg = command_load_registry ();
  list = synack_registry_list (reg);
  for (guint i = 0; i < list->len; i++) {
    const SynackPluginDesc *d = list->pdata[i];
    const char *prefix = d->kind == SYNACK_PLUGIN_PROTOCOL ? "protocol."
                       : d->kind == SYNACK_PLUGIN_LOSS ? "loss." : "delay.";

    g_print ("%s %s - %s\n  from %s\n", synack_plugin_kind_name (d->kind),
             d->name, d->summary, synack_registry_origin (reg, d));
    for (const SynackParamSpec *p = d->params; p && p->name; p++)
      g_print ("  %s%-14s %-11s default %-8s %s%s%s%s\n", prefix, p->name,
               synack_param_type_name (p->type),
               p->default_value[0] ? p->default_value : "\"\"", p->help,
               p->unit && p->unit[0] ? " [" : "",
               p->unit && p->unit[0] ? p->unit : "",
               p->unit && p->unit[0] ? "]" : "");
    g_print ("\n");
  }
  return EXIT_OK;
}
