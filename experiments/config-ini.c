/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-ini.c - config.ini: the config as run.
 *
 * Every section and key with its value, defaults filled in, so that the
 * file reproduces the same runs when loaded again (--resume trusts it). */
#include "config-private.h"

#include <string.h>

#ifdef PACKAGE_VERSION
#define CONFIG_VERSION PACKAGE_VERSION
#else
#define CONFIG_VERSION "dev"
#endif

/* ---- config.ini ---------------------------------------------------------- */

/* Appends @value escaped as GKeyFile reads it back (g_key_file_get_string). */
static void
ini_key (GString *out, const char *key, const char *value)
{
  g_string_append_printf (out, "%s =%s", key, value[0] != '\0' ? " " : "");
  for (const char *p = value; *p != '\0'; p++)
    switch (*p) {
    case '\n':
      g_string_append (out, "\\n");
      break;
    case '\r':
      g_string_append (out, "\\r");
      break;
    case '\t':
      g_string_append (out, "\\t");
      break;
    case '\\':
      g_string_append (out, "\\\\");
      break;
    case ' ':
      g_string_append (out, p == value ? "\\s" : " ");
      break;
    default:
      g_string_append_c (out, *p);
      break;
    }
  g_string_append_c (out, '\n');
}

/* Writes the keys of @sec that are not swept, as given, in file order;
 * with @prefix only the "PREFIX.X" ones. */
static gint
compare_val_keys (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(const Val *const *) a)->key,
                 (*(const Val *const *) b)->key);
}

static void
write_given (GString *out, const View *view, guint sec, const char *prefix)
{
  GArray *vals = view->vals[sec];
  g_autoptr (GPtrArray) given = g_ptr_array_new ();

  for (guint i = 0; i < vals->len; i++) {
    const Val *v = &g_array_index (vals, Val, i);

    if (prefix == NULL || config_model_param_name (v->key, prefix) != NULL)
      g_ptr_array_add (given, (gpointer) v);
  }
  /* in key order, not as given: the same keys from a file or from --set
   * options in any order make the same config.ini ("loss" sorts before
   * "loss.drop") */
  g_ptr_array_sort (given, compare_val_keys);
  for (guint i = 0; i < given->len; i++) {
    const Val *v = given->pdata[i];

    ini_key (out, v->key, v->value);
  }
}

/* Writes every parameter of @params (as "PREFIX.NAME" with a prefix)
 * except the swept ones. */
static void
write_params (GString *out, const SynackConfig *cfg, guint sec,
              const char *prefix, const SynackParams *params)
{
  const SynackParamSpec *specs = synack_params_specs (params);

  for (guint i = 0; specs[i].name != NULL; i++) {
    g_autofree char *key = prefix
                               ? g_strconcat (prefix, ".", specs[i].name, NULL)
                               : g_strdup (specs[i].name);
    g_autofree char *value = NULL;

    if (config_is_swept (cfg, sec, key))
      continue;
    value = synack_params_to_string (params, specs[i].name);
    ini_key (out, key, value);
  }
}

/* "loss = bernoulli" and every parameter of the model, defaults written
 * out; if the model itself is swept, only the parameters given. */
static void
write_model (GString *out, const View *view, guint sec, SynackPluginKind kind,
             const char *prefix)
{
  const SynackConfig *cfg = view->cfg;
  const guint secs[] = { sec };
  const SynackPluginDesc *desc;
  g_autoptr (SynackParams) params = NULL;
  Val tmp;
  const Val *mv;

  if (config_is_swept (cfg, sec, prefix)) {
    write_given (out, view, sec, prefix);
    return;
  }
  mv = config_view_get (view, sec, prefix, &tmp);
  ini_key (out, prefix, mv->value);
  desc = synack_registry_lookup (cfg->reg, kind, mv->value);
  if (desc != NULL)
    params = config_model_params (view, desc, prefix, secs, 1, NULL, NULL);
  if (params != NULL)
    write_params (out, cfg, sec, prefix, params);
  else
    write_given (out, view, sec, prefix);   /* only if the registry changed */
}

static void
write_fixed (GString *out, const View *view, guint sec, const char *key)
{
  Val tmp;

  if (!config_is_swept (view->cfg, sec, key))
    ini_key (out, key, config_view_get (view, sec, key, &tmp)->value);
}

char *
synack_config_to_ini (const SynackConfig *cfg)
{
  GString *out;
  g_autofree char *seed = NULL;
  View view;
  Val tmp;

  g_return_val_if_fail (cfg != NULL, NULL);

  out = g_string_new ("# written by synack " CONFIG_VERSION "\n");
  config_view_init (&view, cfg, 0, FALSE);

  g_string_append (out, "\n[experiment]\n");
  ini_key (out, "name", cfg->name);
  write_fixed (out, &view, SEC_EXPERIMENT, "description");
  write_model (out, &view, SEC_EXPERIMENT, SYNACK_PLUGIN_PROTOCOL, "protocol");
  write_fixed (out, &view, SEC_EXPERIMENT, "profile");
  write_fixed (out, &view, SEC_EXPERIMENT, "replications");
  seed = g_strdup_printf ("%" G_GUINT64_FORMAT, cfg->seed);
  ini_key (out, "seed", seed);
  write_fixed (out, &view, SEC_EXPERIMENT, "until");
  write_fixed (out, &view, SEC_EXPERIMENT, "trace");
  write_fixed (out, &view, SEC_EXPERIMENT, "sample");
  /* the budgets only when given: most configs never need them */
  if (config_view_find (&view, SEC_EXPERIMENT, "max_events") != NULL)
    write_fixed (out, &view, SEC_EXPERIMENT, "max_events");
  if (config_view_find (&view, SEC_EXPERIMENT, "max_in_flight") != NULL)
    write_fixed (out, &view, SEC_EXPERIMENT, "max_in_flight");
  /* as given only: config.ini of the configs before it stays as it was */
  if (config_view_find (&view, SEC_EXPERIMENT, "seeds") != NULL)
    write_fixed (out, &view, SEC_EXPERIMENT, "seeds");

  g_string_append (out, "\n[workload]\n");
  for (const SynackParamSpec *s = config_section_specs (SEC_WORKLOAD); s->name;
       s++)
    write_fixed (out, &view, SEC_WORKLOAD, s->name);

  g_string_append (out, "\n[link]\n");
  write_model (out, &view, SEC_LINK, SYNACK_PLUGIN_DELAY, "delay");
  write_model (out, &view, SEC_LINK, SYNACK_PLUGIN_LOSS, "loss");
  write_fixed (out, &view, SEC_LINK, "loss.only");
  write_fixed (out, &view, SEC_LINK, "duplicate");
  write_fixed (out, &view, SEC_LINK, "duplicate.lag");
  write_fixed (out, &view, SEC_LINK, "reorder");
  /* only what they override: [link]'s values written into them would
   * hide a sweep of [link] */
  g_string_append (out,
                   "\n# client -> server: overrides [link]\n[link.forward]\n");
  write_given (out, &view, SEC_LINK_FORWARD, NULL);
  g_string_append (out,
                   "\n# server -> client: overrides [link]\n[link.reverse]\n");
  write_given (out, &view, SEC_LINK_REVERSE, NULL);

  g_string_append (out, "\n[tcp]\n");
  if (config_is_swept (cfg, SEC_EXPERIMENT, "profile")) {
    /* the defaults differ from point to point */
    write_given (out, &view, SEC_TCP, NULL);
  } else {
    const Val *profile = config_view_get (&view, SEC_EXPERIMENT, "profile",
                                          &tmp);
    g_autoptr (SynackParams) params =
      synack_tcp_profile_params (profile->value);
    GArray *vals = view.vals[SEC_TCP];

    for (guint i = 0; i < vals->len; i++) {
      const Val *v = &g_array_index (vals, Val, i);

      synack_params_set (params, v->key, v->value, NULL); /* checked at load */
    }
    write_params (out, cfg, SEC_TCP, NULL, params);
  }

  g_string_append (out, "\n[sweep]\n");
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    ini_key (out, k->full, k->text);
  }
  if (cfg->zip != NULL)
    ini_key (out, "zip", cfg->zip);
  if (cfg->constraint != NULL)
    ini_key (out, "constraint", cfg->constraint);
  config_view_clear (&view);
  return g_string_free (out, FALSE);
}
