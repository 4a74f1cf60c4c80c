/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-build.c - a SynackRunSpec for one sweep point.
 *
 * Building a point types every value it sees, looks its models up in the
 * registry and creates each loss and delay model once.  At load every point
 * is built (config_finish_all()); when one fails, the failing key is dropped
 * from a copy and the copy built again, so every problem is reported. */
#include "config-private.h"

#include <string.h>

#include "sweep.h"
#include "text.h"

/* ---- models ------------------------------------------------------------------- */

static const char *
kind_label (SynackPluginKind kind)
{
  switch (kind) {
  case SYNACK_PLUGIN_LOSS:
    return "loss model";
  case SYNACK_PLUGIN_DELAY:
    return "delay model";
  default:
    return "protocol";
  }
}

static const SynackPluginDesc *
lookup_model (const SynackConfig *cfg, const Val *v, SynackPluginKind kind, GError **error)
{
  const SynackPluginDesc *desc = synack_registry_lookup (cfg->reg, kind, v->value);
  g_autofree char *hint = NULL;
  g_autoptr (GPtrArray) descs = NULL;
  g_autoptr (GString) list = NULL;

  if (desc != NULL)
    return desc;
  hint = synack_registry_suggest (cfg->reg, kind, v->value);
  if (hint != NULL) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
                      "unknown %s \"%s\"; did you mean \"%s\"?", kind_label (kind), v->value, hint);
    return NULL;
  }
  descs = synack_registry_list (cfg->reg);
  list = g_string_new (NULL);
  for (guint i = 0; i < descs->len; i++) {
    const SynackPluginDesc *d = descs->pdata[i];

    if (d->kind == kind)
      g_string_append_printf (list, "%s%s", list->len ? ", " : "", d->name);
  }
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL, "unknown %s \"%s\" (%s)",
                    kind_label (kind), v->value, list->len ? list->str : "none is loaded");
  return NULL;
}

/* @v is "loss.prob" and @desc has no parameter "prob". */
static void
unknown_param_error (const SynackConfig *cfg, const Val *v, const SynackPluginDesc *desc,
                     const char *prefix, GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *hint = NULL;
  g_autofree char *list = NULL;

  for (guint i = 0; desc->params[i].name != NULL; i++)
    g_ptr_array_add (names, g_strconcat (prefix, ".", desc->params[i].name, NULL));
  g_ptr_array_add (names, NULL);
  list = names->len > 1 ? g_strjoinv (", ", (char **) names->pdata) : NULL;
  g_ptr_array_remove_index (names, names->len - 1);
  if (desc->kind == SYNACK_PLUGIN_LOSS)
    g_ptr_array_add (names, g_strdup ("loss.only"));
  g_ptr_array_add (names, NULL);
  hint = config_did_you_mean (v->key, (const char *const *) names->pdata);
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
                    "%s \"%s\" has no parameter \"%s\"%s (%s takes %s)", kind_label (desc->kind),
                    desc->name, config_model_param_name (v->key, prefix), hint, desc->name,
                    list != NULL ? list : "no parameters");
}

/* The parameters of model @desc from the "PREFIX.X" values of @secs, later
 * sections overriding earlier ones.  *@string_val: the last STRING value set,
 * which a create() error is most likely about.  (transfer full) */
SynackParams *
config_model_params (const View *view, const SynackPluginDesc *desc, const char *prefix,
                     const guint *secs, guint n_secs, const Val **string_val, GError **error)
{
  g_autoptr (SynackParams) params = synack_params_new (desc->params);

  for (guint s = 0; s < n_secs; s++) {
    GArray *vals = view->vals[secs[s]];

    for (guint i = 0; i < vals->len; i++) {
      const Val *v = &g_array_index (vals, Val, i);
      const char *name = config_model_param_name (v->key, prefix);
      const SynackParamSpec *spec;
      g_autoptr (GError) sub = NULL;

      if (name == NULL)
        continue;
      spec = config_find_spec (desc->params, name);
      if (spec == NULL) {
        unknown_param_error (view->cfg, v, desc, prefix, error);
        return NULL;
      }
      if (!synack_params_set (params, name, v->value, &sub)) {
        config_val_error (view->cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
        return NULL;
      }
      if (spec->type == SYNACK_PARAM_STRING && string_val != NULL)
        *string_val = v;
    }
  }
  return g_steal_pointer (&params);
}

/* Creates a loss or delay model once, for what only the model checks. */
static gboolean
try_create (const View *view, const SynackPluginDesc *desc, const SynackParams *params,
            const Val *model_val, const Val *string_val, GError **error)
{
  g_autoptr (SynackRng) rng = synack_rng_new (1, "config");
  g_autoptr (GError) sub = NULL;
  gpointer self;

  if (desc->kind == SYNACK_PLUGIN_LOSS) {
    self = desc->vt.loss->create (params, rng, &sub);
    if (self != NULL)
      desc->vt.loss->destroy (self);
  } else {
    self = desc->vt.delay->create (params, rng, &sub);
    if (self != NULL)
      desc->vt.delay->destroy (self);
  }
  if (self != NULL)
    return TRUE;
  config_val_error (view->cfg, string_val != NULL ? string_val : model_val, error,
                    SYNACK_CONFIG_ERROR_BAD_VALUE, "%s",
                    sub != NULL ? sub->message : "the model refused its parameters");
  return FALSE;
}

/* The model @prefix ("loss") of link direction @dir with its parameters.
 * A direction that names its own model takes none of [link]'s parameters
 * for it: they were written for another model. */
static gboolean
link_model (const View *view, guint dir, SynackPluginKind kind, const char *prefix,
            const SynackPluginDesc **desc, SynackParams **params, gboolean *own,
            GError **error)
{
  const Val *mv = config_view_find (view, dir, prefix);
  const Val *string_val = NULL;
  Val tmp;
  guint secs[2];
  guint n_secs = 0;

  *own = mv != NULL || dir == SEC_LINK;
  if (mv == NULL)
    mv = config_view_get (view, SEC_LINK, prefix, &tmp);
  *desc = lookup_model (view->cfg, mv, kind, error);
  if (*desc == NULL)
    return FALSE;
  if (!*own)
    secs[n_secs++] = SEC_LINK;
  secs[n_secs++] = dir;
  *params = config_model_params (view, *desc, prefix, secs, n_secs, &string_val, error);
  if (*params == NULL)
    return FALSE;
  return try_create (view, *desc, *params, mv, string_val, error);
}

/* Link direction @dir: [link] overridden by @dir (SEC_LINK: [link] alone). */
static gboolean
build_link (const View *view, guint dir, SynackLinkSpec *link, GError **error)
{
  const SynackConfig *cfg = view->cfg;
  gboolean own_loss, own_delay;
  const Val *v;
  Val tmp;

  memset (link, 0, sizeof *link);
  if (!link_model (view, dir, SYNACK_PLUGIN_DELAY, "delay", &link->delay, &link->delay_params,
                   &own_delay, error)
      || !link_model (view, dir, SYNACK_PLUGIN_LOSS, "loss", &link->loss, &link->loss_params,
                      &own_loss, error))
    goto fail;

  v = config_view_find (view, dir, "loss.only");
  if (v == NULL && !own_loss)
    v = config_view_find (view, SEC_LINK, "loss.only");
  if (v != NULL && !config_parse_only_flags (cfg, v, link, error))
    goto fail;

  v = config_view_find (view, dir, "duplicate");
  if (v == NULL)
    v = config_view_get (view, SEC_LINK, "duplicate", &tmp);
  if (!config_parse_probability (cfg, v, &link->duplicate, error))
    goto fail;
  v = config_view_find (view, dir, "duplicate.lag");
  if (v == NULL)
    v = config_view_get (view, SEC_LINK, "duplicate.lag", &tmp);
  if (!config_parse_duration (cfg, v, FALSE, &link->duplicate_lag_ns, error))
    goto fail;
  v = config_view_find (view, dir, "reorder");
  if (!config_parse_boolean (cfg, v != NULL ? v : config_view_get (view, SEC_LINK, "reorder", &tmp),
                             &link->reorder, error))
    goto fail;
  return TRUE;

fail:
  synack_link_spec_clear (link);
  return FALSE;
}

/* ---- building a point ------------------------------------------------------- */

static gboolean
build_tcp (const View *view, SynackRunSpec *spec, GError **error)
{
  const SynackConfig *cfg = view->cfg;
  g_autoptr (SynackParams) params = NULL;
  const Val *v;
  Val tmp;
  guint index;
  guint64 request;
  GArray *vals = view->vals[SEC_TCP];

  v = config_view_get (view, SEC_EXPERIMENT, "profile", &tmp);
  if (!config_parse_choice (cfg, v, "profile", synack_tcp_profile_names (), &index, error))
    return FALSE;
  params = synack_tcp_profile_params (v->value);
  for (guint i = 0; i < vals->len; i++) {
    g_autoptr (GError) sub = NULL;

    v = &g_array_index (vals, Val, i);
    if (!synack_params_set (params, v->key, v->value, &sub)) {
      config_val_error (cfg, v, error, sub->code == SYNACK_PARAMS_ERROR_UNKNOWN
                        ? SYNACK_CONFIG_ERROR_UNKNOWN_KEY : SYNACK_CONFIG_ERROR_BAD_VALUE,
                        "%s", sub->message);
      return FALSE;
    }
  }
  synack_tcp_config_from_params (&spec->tcp, params);
  if (!config_parse_uint (cfg, config_view_get (view, SEC_WORKLOAD, "request", &tmp), 0, 65535,
                          &request, error))
    return FALSE;
  spec->tcp.request_bytes = (guint32) request;
  return TRUE;
}

static gboolean
build_workload (const View *view, SynackRunSpec *spec, GError **error)
{
  const SynackConfig *cfg = view->cfg;
  const Val *v;
  guint64 n;
  guint index;
  Val tmp;

  v = config_view_get (view, SEC_WORKLOAD, "connections", &tmp);
  if (!config_parse_uint (cfg, v, 1, G_MAXUINT64, &spec->connections, error))
    return FALSE;
  /* checked before anything is allocated: attempt ids are 32 bits */
  if (spec->connections > synack_net_max_attempts ()) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%s attempts in one run is more than synack can number "
                      "(at most %" G_GUINT64_FORMAT " per run); split them into "
                      "replications", v->value, synack_net_max_attempts ());
    return FALSE;
  }
  if (!config_parse_uint (cfg, config_view_get (view, SEC_WORKLOAD, "clients", &tmp), 1, 65535,
                          &n, error))
    return FALSE;
  spec->clients = (guint32) n;
  if (!config_parse_choice (cfg, config_view_get (view, SEC_WORKLOAD, "arrival", &tmp), "arrival",
                            synack_arrival_names (), &index, error))
    return FALSE;
  spec->arrival = (SynackArrival) index;
  if (!config_parse_rate (cfg, config_view_get (view, SEC_WORKLOAD, "rate", &tmp),
                          &spec->rate_per_s, error))
    return FALSE;
  if (!config_parse_uint (cfg, config_view_get (view, SEC_WORKLOAD, "ports", &tmp), 1,
                          SYNACK_MAX_PORTS, &n, error))
    return FALSE;
  spec->ports = (guint32) n;
  if (!config_parse_duration (cfg, config_view_get (view, SEC_WORKLOAD, "hold", &tmp), FALSE,
                              &spec->hold_ns, error))
    return FALSE;
  if (!config_parse_choice (cfg, config_view_get (view, SEC_WORKLOAD, "closer", &tmp), "closer",
                            synack_closer_names (), &index, error))
    return FALSE;
  spec->closer = (SynackCloser) index;
  if (!config_parse_rate_full (cfg, config_view_get (view, SEC_WORKLOAD, "flood_rate", &tmp), TRUE,
                               &spec->flood_rate_per_s, error))
    return FALSE;
  if (!config_parse_uint (cfg, config_view_get (view, SEC_WORKLOAD, "flood_hosts", &tmp), 1,
                          65535, &n, error))
    return FALSE;
  spec->flood_hosts = (guint32) n;
  return TRUE;
}


static gboolean
build_spec (const SynackConfig *cfg, guint point, SynackRunSpec *spec, GError **error)
{
  View view;
  SynackLinkSpec base;
  const Val *v;
  Val tmp;
  const guint exp_sec[] = { SEC_EXPERIMENT };
  gboolean ok = FALSE;

  memset (spec, 0, sizeof *spec);
  config_view_init (&view, cfg, point, TRUE);

  v = config_view_get (&view, SEC_EXPERIMENT, "protocol", &tmp);
  spec->protocol = lookup_model (cfg, v, SYNACK_PLUGIN_PROTOCOL, error);
  if (spec->protocol == NULL)
    goto out;
  spec->protocol_params = config_model_params (&view, spec->protocol, "protocol", exp_sec, 1, NULL,
                                               error);
  if (spec->protocol_params == NULL || !build_tcp (&view, spec, error))
    goto out;
  if (!config_parse_duration (cfg, config_view_get (&view, SEC_EXPERIMENT, "until", &tmp), TRUE,
                              &spec->until_ns, error)
      || !config_parse_trace (cfg, config_view_get (&view, SEC_EXPERIMENT, "trace", &tmp),
                              &spec->trace_mask, error)
      || !config_parse_duration (cfg, config_view_get (&view, SEC_EXPERIMENT, "sample", &tmp), TRUE,
                                 &spec->sample_ns, error)
      || !config_parse_budget (cfg, config_view_get (&view, SEC_EXPERIMENT, "max_events", &tmp),
                               &spec->max_events, error)
      || !config_parse_budget (cfg, config_view_get (&view, SEC_EXPERIMENT, "max_in_flight", &tmp),
                               &spec->max_in_flight, error))
    goto out;
  if (!build_workload (&view, spec, error))
    goto out;
  /* [link] alone first: its model keys are checked even when both
   * directions name their own models */
  if (!build_link (&view, SEC_LINK, &base, error))
    goto out;
  synack_link_spec_clear (&base);
  if (!build_link (&view, SEC_LINK_FORWARD, &spec->forward, error)
      || !build_link (&view, SEC_LINK_REVERSE, &spec->reverse, error))
    goto out;
  ok = TRUE;

out:
  config_view_clear (&view);
  if (!ok)
    synack_run_spec_clear (spec);
  return ok;
}

/* Derives name, replications and seed, counts the points and builds every
 * one of them. */
static gboolean
config_finish (SynackConfig *cfg, GError **error)
{
  View view;
  const Val *v;
  Val tmp;
  guint64 n;
  gboolean ok = FALSE;

  config_view_init (&view, cfg, 0, FALSE);
  v = config_view_find (&view, SEC_EXPERIMENT, "name");
  if (v != NULL && !config_parse_name (cfg, v, error))
    goto out;
  g_free (cfg->name);
  cfg->name = g_strdup (v != NULL ? v->value : cfg->default_name);
  if (!config_parse_uint (cfg, config_view_get (&view, SEC_EXPERIMENT, "replications", &tmp), 1,
                          G_MAXUINT,
                          &n, error))
    goto out;
  cfg->replications = (guint) n;
  if (!config_parse_uint (cfg, config_view_get (&view, SEC_EXPERIMENT, "seed", &tmp), 0,
                          G_MAXUINT64,
                          &cfg->seed, error))
    goto out;

  n = 1;
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    n *= k->values->len;
    if (n > SYNACK_SWEEP_MAX_VALUES) {
      Val sv = { k->key, k->text, "sweep", k->full, k->line, k->set_text, FALSE };

      config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
                        "the sweep has more than %u points", SYNACK_SWEEP_MAX_VALUES);
      goto out;
    }
  }
  cfg->n_points = (guint) n;
  if ((guint64) cfg->n_points * cfg->replications > SYNACK_CONFIG_MAX_RUNS) {
    v = config_view_get (&view, SEC_EXPERIMENT, "replications", &tmp);
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%u sweep points x %u replications is more than %u runs in one "
                      "batch", cfg->n_points, cfg->replications, SYNACK_CONFIG_MAX_RUNS);
    goto out;
  }
  for (guint p = 0; p < cfg->n_points; p++) {
    SynackRunSpec spec;

    if (!build_spec (cfg, p, &spec, error))
      goto out;
    synack_run_spec_clear (&spec);
  }
  ok = TRUE;

out:
  config_view_clear (&view);
  return ok;
}

/* ---- every error at once -------------------------------------------------------- */

/* Drops what made the last build fail from @cfg (a copy), so that building
 * again finds the next problem instead of the same one.  A failing model
 * name takes its parameters with it (they were written for that model). */
static gboolean
drop_failed_key (SynackConfig *cfg)
{
  guint sec;

  if (cfg->fail_key == NULL)
    return FALSE;
  if (strcmp (cfg->fail_sec, "sweep") == 0) {
    gint k = config_find_sweep_key (cfg, cfg->fail_key);

    if (k < 0)
      return FALSE;
    g_ptr_array_remove_index (cfg->sweep, (guint) k);
  } else {
    GPtrArray *entries;
    gboolean dropped = FALSE;

    if (!synack_text_index (config_section_names, cfg->fail_sec, &sec) || sec >= N_SECTIONS)
      return FALSE;
    entries = cfg->sections[sec];
    for (guint i = entries->len; i-- > 0;) {
      const Entry *e = entries->pdata[i];
      const char *param = NULL;

      if (strcmp (e->key, cfg->fail_key) == 0 ||
          ((strcmp (cfg->fail_key, "loss") == 0 || strcmp (cfg->fail_key, "delay") == 0 ||
            strcmp (cfg->fail_key, "protocol") == 0) &&
           (param = config_model_param_name (e->key, cfg->fail_key)) != NULL)) {
        g_ptr_array_remove_index (entries, i);
        dropped = TRUE;
      }
    }
    if (!dropped)
      return FALSE;
  }
  g_clear_pointer (&cfg->fail_sec, g_free);
  g_clear_pointer (&cfg->fail_key, g_free);
  return TRUE;
}

/* config_finish(), and when it fails, the other problems too: each found
 * one is dropped from a copy and the copy built again, up to a bound. */
gboolean
config_finish_all (SynackConfig *cfg, GArray *problems)
{
  g_autoptr (SynackConfig) copy = NULL;
  GError *error = NULL;

  g_clear_pointer (&cfg->fail_sec, g_free);
  g_clear_pointer (&cfg->fail_key, g_free);
  if (problems->len == 0 && config_finish (cfg, &error))
    return TRUE;
  copy = config_clone (cfg);
  if (error != NULL) {
    config_problems_add (problems, cfg, error);
    copy->fail_sec = g_strdup (cfg->fail_sec);
    copy->fail_key = g_strdup (cfg->fail_key);
    if (!drop_failed_key (copy))
      return FALSE;
  }
  for (guint tries = 0; tries < 100; tries++) {
    error = NULL;
    if (config_finish (copy, &error))
      break;
    config_problems_add (problems, cfg, error);
    if (!drop_failed_key (copy))
      break;
  }
  return FALSE;
}

/* ---- the public side ---------------------------------------------------------- */

gboolean
synack_config_build_run (const SynackConfig *cfg, guint point, SynackRunSpec *spec,
                         GError **error)
{
  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (point < cfg->n_points, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  return build_spec (cfg, point, spec, error);
}

char *
synack_config_warnings (const SynackConfig *cfg)
{
  GString *out = g_string_new (NULL);
  double worst_rows = 0;

  g_return_val_if_fail (cfg != NULL, NULL);

  for (guint p = 0; p < cfg->n_points; p++) {
    SynackRunSpec spec;

    if (!build_spec (cfg, p, &spec, NULL))
      continue;   /* cannot happen: every point was built at load */
    if (spec.trace_mask & SYNACK_TRACE_OCCUPANCY)
      worst_rows = MAX (worst_rows, (double) spec.until_ns / (double) spec.sample_ns
                                    * (SYNACK_TCP_N_STATES - 2));
    synack_run_spec_clear (&spec);
  }
  /* every sample is one event and a row per state: a tiny interval makes
   * gigabytes and eats the run's event budget */
  if (worst_rows > SYNACK_CONFIG_WARN_TRACE_ROWS)
    g_string_append_printf (out, "[experiment] sample: the occupancy trace may get up to "
                            "%.3g rows per run (one row per state every sample until "
                            "`until`); sample it less often", worst_rows);
  return g_string_free (out, out->len == 0);
}
