/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-keys.c - the sections of a config and their keys.
 *
 * [experiment], [workload] and [link] (which [link.forward] and
 * [link.reverse] override) have fixed keys with defaults; [tcp] takes
 * synack_tcp_param_specs(); model parameters ("loss.p", "protocol.X") are
 * whatever the chosen model declares.  The same tables give "did you mean"
 * and `synack keys`. */
#include "config-private.h"

#include <string.h>

#include "text.h"

/* ---- helpers -------------------------------------------------------------------- */

/* TRUE if @s has only letters, digits, '-', '_' and '.'. */
gboolean
config_is_name_chars (const char *s)
{
  return strspn (s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
         == strlen (s);
}

/* ---- sections and keys -------------------------------------------------------- */

const char *const config_section_names[] = {
  "experiment", "workload", "link", "link.forward", "link.reverse", "tcp", "sweep", NULL
};

/* The keys of the fixed sections with their defaults, as a user would write
 * them.  [link.forward] and [link.reverse] take link_keys; [tcp] takes
 * synack_tcp_param_specs(). */
static const KeyDef experiment_keys[] = {
  { "name", NULL, TRUE },         /* default: the file's base name */
  { "description", "", TRUE },
  { "protocol", "tcp3way", FALSE },
  { "profile", "rfc9293", FALSE },
  { "replications", "1", TRUE },
  { "seed", "1", TRUE },
  { "until", "1h", FALSE },
  { "trace", "", TRUE },
  { "sample", "1s", TRUE },
  { "max_events", "auto", FALSE },
  { "max_in_flight", "auto", FALSE },
  { NULL }
};

static const KeyDef workload_keys[] = {
  { "connections", "1000", FALSE },
  { "clients", "10", FALSE },
  { "arrival", "poisson", FALSE },
  { "rate", "100/s", FALSE },
  { "ports", G_STRINGIFY (SYNACK_MAX_PORTS), FALSE },
  { "hold", "1s", FALSE },
  { "closer", "client", FALSE },
  { "request", "100", FALSE },
  { "flood_rate", "0/s", FALSE },
  { "flood_hosts", "100", FALSE },
  { NULL }
};

static const KeyDef link_keys[] = {
  { "delay", "constant", FALSE },
  { "loss", "none", FALSE },
  { "loss.only", "", FALSE },
  { "duplicate", "0", FALSE },
  { "duplicate.lag", "0s", FALSE },
  { "reorder", "true", FALSE },
  { NULL }
};

const char *const config_trace_names[] = { "states", "segments", "pcap", "occupancy", NULL };

const KeyDef *
config_section_keys (guint sec)
{
  switch (sec) {
  case SEC_EXPERIMENT:
    return experiment_keys;
  case SEC_WORKLOAD:
    return workload_keys;
  case SEC_LINK:
  case SEC_LINK_FORWARD:
  case SEC_LINK_REVERSE:
    return link_keys;
  default:
    return NULL;
  }
}

const KeyDef *
config_find_keydef (guint sec, const char *key)
{
  const KeyDef *defs = config_section_keys (sec);

  for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
    if (strcmp (defs[i].key, key) == 0)
      return &defs[i];
  return NULL;
}

const SynackParamSpec *
config_find_spec (const SynackParamSpec *specs, const char *name)
{
  for (guint i = 0; specs != NULL && specs[i].name != NULL; i++)
    if (strcmp (specs[i].name, name) == 0)
      return &specs[i];
  return NULL;
}

gboolean
config_is_link_section (guint sec)
{
  return sec == SEC_LINK || sec == SEC_LINK_FORWARD || sec == SEC_LINK_REVERSE;
}

/* "loss.p" -> "p" when @key is a parameter key of @prefix ("loss").
 * "loss.only" is not: it belongs to the link, whatever the model. */
const char *
config_model_param_name (const char *key, const char *prefix)
{
  gsize n = strlen (prefix);

  if (strncmp (key, prefix, n) != 0 || key[n] != '.' || key[n + 1] == '\0'
      || strcmp (key, "loss.only") == 0)
    return NULL;
  return key + n + 1;
}

/* TRUE if @key may appear in section @sec.  Model parameter keys (loss.X,
 * delay.X, protocol.X) are accepted here and checked against the chosen
 * model when a point is built, because the model may itself be swept. */
gboolean
config_key_is_known (guint sec, const char *key)
{
  if (config_find_keydef (sec, key) != NULL)
    return TRUE;
  if (sec == SEC_TCP)
    return config_find_spec (synack_tcp_param_specs (), key) != NULL;
  if (sec == SEC_EXPERIMENT)
    return config_model_param_name (key, "protocol") != NULL;
  if (config_is_link_section (sec))
    return config_model_param_name (key, "loss") != NULL
           || config_model_param_name (key, "delay") != NULL;
  return FALSE;
}

/* Adds @name (transfer full) to @names unless it is there already. */
static void
add_unique (GPtrArray *names, char *name)
{
  for (guint i = 0; i < names->len; i++)
    if (strcmp (names->pdata[i], name) == 0) {
      g_free (name);
      return;
    }
  g_ptr_array_add (names, name);
}

/* Every key a user could mean in @sec, for "did you mean": the fixed keys
 * and the parameters of every registered model of the kinds the section
 * takes.  With @qualified, as "SECTION.KEY".  (transfer full), NULL-ended. */
GPtrArray *
config_key_candidates (const SynackRegistry *reg, guint sec, gboolean qualified)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *q = qualified ? config_section_names[sec] : "";
  const char *dot = qualified ? "." : "";
  const KeyDef *defs = config_section_keys (sec);

  for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
    add_unique (names, g_strconcat (q, dot, defs[i].key, NULL));
  if (sec == SEC_TCP) {
    const SynackParamSpec *specs = synack_tcp_param_specs ();

    for (guint i = 0; specs[i].name != NULL; i++)
      add_unique (names, g_strconcat (q, dot, specs[i].name, NULL));
  }
  if (sec == SEC_EXPERIMENT || config_is_link_section (sec)) {
    g_autoptr (GPtrArray) descs = synack_registry_list (reg);

    for (guint i = 0; i < descs->len; i++) {
      const SynackPluginDesc *d = descs->pdata[i];
      const char *prefix = d->kind == SYNACK_PLUGIN_LOSS ? "loss"
                         : d->kind == SYNACK_PLUGIN_DELAY ? "delay" : "protocol";

      if ((sec == SEC_EXPERIMENT) != (d->kind == SYNACK_PLUGIN_PROTOCOL))
        continue;
      for (guint j = 0; d->params != NULL && d->params[j].name != NULL; j++)
        add_unique (names, g_strconcat (q, dot, prefix, ".", d->params[j].name, NULL));
    }
  }
  g_ptr_array_add (names, NULL);
  return names;
}

/* "; did you mean \"x\"?" or "" (transfer full). */
char *
config_did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = synack_text_suggest (word, candidates);

  return s != NULL ? g_strdup_printf ("; did you mean \"%s\"?", s) : g_strdup ("");
}

/* Splits "link.forward.loss.p" at the longest section name followed by a
 * dot: *@sec = SEC_LINK_FORWARD, *@key = "loss.p". */
gboolean
config_split_full_key (const char *full, guint *sec, const char **key)
{
  gsize best_len = 0;

  for (guint s = 0; s < N_SECTIONS; s++) {
    gsize len = strlen (config_section_names[s]);

    if (len > best_len && strncmp (full, config_section_names[s], len) == 0
        && full[len] == '.' && full[len + 1] != '\0') {
      best_len = len;
      *sec = s;
      *key = full + len + 1;
    }
  }
  return best_len > 0;
}

GPtrArray *
synack_config_list_keys (const SynackRegistry *reg)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint sec = 0; sec < N_SECTIONS; sec++) {
    const KeyDef *defs = config_section_keys (sec);
    const SynackParamSpec *tcp = synack_tcp_param_specs ();

    for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
      g_ptr_array_add (out, g_strdup_printf ("%s.%s\t%s\t%s", config_section_names[sec],
                                             defs[i].key,
                                             defs[i].default_value ? defs[i].default_value
                                                                   : "(the file name)",
                                             defs[i].per_experiment ? "set once" : "sweepable"));
    for (guint i = 0; sec == SEC_TCP && tcp[i].name != NULL; i++)
      g_ptr_array_add (out, g_strdup_printf ("tcp.%s\t%s\t%s", tcp[i].name,
                                             tcp[i].default_value, tcp[i].help));
    if (sec == SEC_EXPERIMENT || config_is_link_section (sec)) {
      g_autoptr (GPtrArray) descs = synack_registry_list (reg);

      for (guint i = 0; i < descs->len; i++) {
        const SynackPluginDesc *d = descs->pdata[i];
        const char *prefix = d->kind == SYNACK_PLUGIN_LOSS ? "loss"
                           : d->kind == SYNACK_PLUGIN_DELAY ? "delay" : "protocol";

        if ((sec == SEC_EXPERIMENT) != (d->kind == SYNACK_PLUGIN_PROTOCOL))
          continue;
        for (guint j = 0; d->params != NULL && d->params[j].name != NULL; j++)
          g_ptr_array_add (out, g_strdup_printf ("%s.%s.%s\t%s\t%s %s: %s",
                                                 config_section_names[sec], prefix,
                                                 d->params[j].name,
                                                 d->params[j].default_value, prefix, d->name,
                                                 d->params[j].help));
      }
    }
  }
  return out;
}
