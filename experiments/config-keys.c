/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-keys.c - the sections of a config and their keys.
 *
 * Every section is a SynackParamSpec table, as a model's parameters are:
 * [experiment], [workload] and [link] (which [link.forward] and
 * [link.reverse] override) here, [tcp] in core/network/tcp.c
 * (synack_tcp_param_specs()); model parameters ("loss.p", "protocol.X") are
 * whatever the chosen model declares.  The same tables type every value
 * (config-values.c), give "did you mean", `synack keys` and the man page
 * test. */
#include "config-private.h"

#include <string.h>

#include "text.h"

/* ---- helpers ------------------------------------------------------------- */

/* TRUE if @s has only letters, digits, '-', '_' and '.'. */
gboolean
config_is_name_chars (const char *s)
{
  return strspn (s, "abcdefghijklmnopqrstuvwxyz"
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.") == strlen (s);
}

/* ---- sections and keys --------------------------------------------------- */

const char *const config_section_names[] = {
  "experiment", "workload", "link", "link.forward", "link.reverse", "tcp",
  "sweep", NULL
};

/* The keys of [experiment], [workload] and [link] (which [link.forward]
 * and [link.reverse] take too): type, default as a user would write it,
 * unit, help and range, parsed by core/engine/params like [tcp]'s
 * (synack_tcp_param_specs()) and every model's.  A model name is a STRING
 * here: the registry checks it.  Compound values (name, trace, loss.only)
 * are STRINGs whose words config-values.c checks. */
static const SynackParamSpec experiment_specs[] = {
  { "name", SYNACK_PARAM_STRING, NULL, "",
    "names the results directory: letters, digits, '-', '_', '.'", 0, 0, NULL },
  { "description", SYNACK_PARAM_STRING, "", "",
    "free text, shown in figure titles", 0, 0, NULL },
  { "protocol", SYNACK_PARAM_STRING, "tcp3way", "",
    "the protocol plugin (synack models)", 0, 0, NULL },
  { "profile", SYNACK_PARAM_CHOICE, "rfc9293", "", "defaults of [tcp]", 0, 0,
    "rfc9293|linux|rfc2988" },
  { "replications", SYNACK_PARAM_UINT, "1", "", "runs per sweep point", 1,
    INFINITY, NULL },
  { "seed", SYNACK_PARAM_UINT, "1", "",
    "experiment seed; each run's seed is derived from it", 0, 0, NULL },
  { "until", SYNACK_PARAM_DURATION, "1h", "s", "simulated-time limit of a run",
    SYNACK_PARAM_MORE_THAN_0, INFINITY, NULL },
  { "trace", SYNACK_PARAM_STRING, "", "",
    "traces to write: comma-separated states, segments, pcap, occupancy", 0, 0,
    NULL },
  { "sample", SYNACK_PARAM_DURATION, "1s", "s", "occupancy sampling interval",
    SYNACK_PARAM_MORE_THAN_0, INFINITY, NULL },
  { "max_events", SYNACK_PARAM_UINT, "auto", "",
    "budget of a run in scheduler events, or auto", 1, INFINITY, "auto" },
  { "max_in_flight", SYNACK_PARAM_UINT, "auto", "",
    "budget of a run in segments on links at once, or auto", 1, INFINITY,
    "auto" },
  { "seeds", SYNACK_PARAM_CHOICE, "per-run", "",
    "a seed per run, or one per replication for all points (common random "
    "numbers)", 0, 0, "per-run|per-replication" },
  { NULL }
};

static const SynackParamSpec workload_specs[] = {
  { "connections", SYNACK_PARAM_UINT, "1000", "", "attempts per run", 1,
    INFINITY, NULL },
  { "clients", SYNACK_PARAM_UINT, "10", "", "client hosts", 1, 65535, NULL },
  { "arrival", SYNACK_PARAM_CHOICE, "poisson", "",
    "attempt times: exponential gaps, evenly spaced, or all at 0", 0, 0,
    "poisson|uniform|burst" },
  { "rate", SYNACK_PARAM_RATE, "100/s", "1/s",
    "attempts per second over all clients", SYNACK_PARAM_MORE_THAN_0, INFINITY,
    NULL },
  { "ports", SYNACK_PARAM_UINT, G_STRINGIFY (SYNACK_MAX_PORTS), "",
    "ephemeral ports per client host, from 32768", 1, SYNACK_MAX_PORTS, NULL },
  { "hold", SYNACK_PARAM_DURATION, "1s", "s",
    "time the closing side stays ESTABLISHED before it closes", 0, 0, NULL },
  { "closer", SYNACK_PARAM_CHOICE, "client", "", "the side that closes first",
    0, 0, "client|server|simultaneous|none" },
  { "request", SYNACK_PARAM_UINT, "100", "bytes",
    "request carried by the handshake's last segment", 0, 65535, NULL },
  { "flood_rate", SYNACK_PARAM_RATE, "0/s", "1/s",
    "spoofed SYNs per second (a SYN flood), 0/s for none", 0, 0, NULL },
  { "flood_hosts", SYNACK_PARAM_UINT, "100", "",
    "spoofed source hosts of the flood", 1, 65535, NULL },
  { NULL }
};

static const SynackParamSpec link_specs[] = {
  { "delay", SYNACK_PARAM_STRING, "constant", "",
    "the delay plugin (synack models)", 0, 0, NULL },
  { "loss", SYNACK_PARAM_STRING, "none", "",
    "the loss plugin (synack models)", 0, 0, NULL },
  { "loss.only", SYNACK_PARAM_STRING, "", "",
    "space-separated flag sets (SYN SYN,ACK): only those can be lost",
    0, 0, NULL },
  { "duplicate", SYNACK_PARAM_PROBABILITY, "0", "",
    "probability that a segment is delivered twice", 0, 0, NULL },
  { "duplicate.lag", SYNACK_PARAM_DURATION, "0s", "s",
    "extra delay of the copy", 0, 0, NULL },
  { "reorder", SYNACK_PARAM_BOOLEAN, "true", "",
    "segments may overtake each other (false: first in, first out)",
    0, 0, NULL },
  { NULL }
};

/* Keys set once for all runs of an experiment: they cannot be swept. */
static const char *const experiment_set_once[] = {
  "name", "description", "replications", "seed", "trace", "sample", "seeds",
  NULL
};

const char *const config_trace_names[] = {
  "states", "segments", "pcap", "occupancy", NULL
};

const SynackParamSpec *
config_section_specs (guint sec)
{
  switch (sec) {
  case SEC_EXPERIMENT:
    return experiment_specs;
  case SEC_WORKLOAD:
    return workload_specs;
  case SEC_LINK:
  case SEC_LINK_FORWARD:
  case SEC_LINK_REVERSE:
    return link_specs;
  case SEC_TCP:
    return synack_tcp_param_specs ();
  default:
    return NULL;
  }
}

const SynackParamSpec *
config_find_key (guint sec, const char *key)
{
  return config_find_spec (config_section_specs (sec), key);
}

gboolean
config_key_is_set_once (guint sec, const char *key)
{
  guint i;

  return sec == SEC_EXPERIMENT
         && synack_text_index (experiment_set_once, key, &i);
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
  if (config_find_key (sec, key) != NULL)
    return TRUE;
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
  const SynackParamSpec *specs = config_section_specs (sec);

  for (guint i = 0; specs != NULL && specs[i].name != NULL; i++)
    add_unique (names, g_strconcat (q, dot, specs[i].name, NULL));
  if (sec == SEC_EXPERIMENT || config_is_link_section (sec)) {
    g_autoptr (GPtrArray) descs = synack_registry_list (reg);

    for (guint i = 0; i < descs->len; i++) {
      const SynackPluginDesc *d = descs->pdata[i];
      const char *prefix = d->kind == SYNACK_PLUGIN_LOSS ? "loss"
                         : d->kind == SYNACK_PLUGIN_DELAY ? "delay"
                         : "protocol";

      if ((sec == SEC_EXPERIMENT) != (d->kind == SYNACK_PLUGIN_PROTOCOL))
        continue;
      for (guint j = 0; d->params != NULL && d->params[j].name != NULL; j++)
        add_unique (names,
                    g_strconcat (q, dot, prefix, ".", d->params[j].name, NULL));
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

  return s != NULL ? g_strdup_printf ("; did you mean \"%s\"?", s)
                   : g_strdup ("");
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
    const SynackParamSpec *specs = config_section_specs (sec);
    const char *name = config_section_names[sec];

    for (guint i = 0; specs != NULL && specs[i].name != NULL; i++) {
      const SynackParamSpec *s = &specs[i];
      gboolean once = config_key_is_set_once (sec, s->name);

      g_ptr_array_add (out, g_strdup_printf ("%s.%s\t%s\t%s%s", name, s->name,
                                             s->default_value ? s->default_value
                                             : "(the file name)", s->help,
                                             once ? " (set once per experiment)"
                                             : ""));
    }
    if (sec == SEC_EXPERIMENT || config_is_link_section (sec)) {
      g_autoptr (GPtrArray) descs = synack_registry_list (reg);

      for (guint i = 0; i < descs->len; i++) {
        const SynackPluginDesc *d = descs->pdata[i];
        const char *prefix = d->kind == SYNACK_PLUGIN_LOSS ? "loss"
                           : d->kind == SYNACK_PLUGIN_DELAY ? "delay"
                           : "protocol";

        if ((sec == SEC_EXPERIMENT) != (d->kind == SYNACK_PLUGIN_PROTOCOL))
          continue;
        for (guint j = 0; d->params != NULL && d->params[j].name; j++) {
          const SynackParamSpec *p = &d->params[j];

          g_ptr_array_add (out, g_strdup_printf ("%s.%s.%s\t%s\t%s %s: %s",
                                                 name, prefix, p->name,
                                                 p->default_value, prefix,
                                                 d->name, p->help));
        }
      }
    }
  }
  return out;
}
