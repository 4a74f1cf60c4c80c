/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-build.c - a SynackRunSpec for one sweep point.
 *
 * Building a point types every value it sees, looks its models up in the
 * registry and creates each loss and delay model once.  At load every point
 * is built and kept (config_finish_all()); when one fails, the failing key
 * is dropped from a copy and the copy built again, so every problem is
 * reported. */
#include "config-private.h"

#include <string.h>

#include "sweep.h"
#include "text.h"

/* ---- models -------------------------------------------------------------- */

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
lookup_model (const SynackConfig *cfg, const Val *v, SynackPluginKind kind,
              GError **error)
{
  const SynackPluginDesc *desc
      = synack_registry_lookup (cfg->reg, kind, v->value);
  g_autofree char *hint = NULL;
  g_autoptr (GPtrArray) descs = NULL;
  g_autoptr (GString) list = NULL;

  if (desc != NULL)
    return desc;
  hint = synack_registry_suggest (cfg->reg, kind, v->value);
  if (hint != NULL) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
                      "unknown %s \"%s\"; did you mean \"%s\"?",
                      kind_label (kind), v->value, hint);
    return NULL;
  }
  descs = synack_registry_list (cfg->reg);
  list = g_string_new (NULL);
  for (guint i = 0; i < descs->len; i++) {
    const SynackPluginDesc *d = descs->pdata[i];

    if (d->kind == kind)
      g_string_append_printf (list, "%s%s", list->len ? ", " : "", d->name);
  }
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
                    "unknown %s \"%s\" (%s)", kind_label (kind), v->value,
                    list->len ? list->str : "none is loaded");
  return NULL;
}

/* @v is "loss.prob" and @desc has no parameter "prob". */
static void
unknown_param_error (const SynackConfig *cfg, const Val *v,
                     const SynackPluginDesc *desc, const char *prefix,
                     GError **error)
{
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *hint = NULL;
  g_autofree char *list = NULL;

  for (guint i = 0; desc->params[i].name != NULL; i++)
    g_ptr_array_add (names,
                     g_strconcat (prefix, ".", desc->params[i].name, NULL));
  g_ptr_array_add (names, NULL);
  list = names->len > 1 ? g_strjoinv (", ", (char **) names->pdata) : NULL;
  g_ptr_array_remove_index (names, names->len - 1);
  if (desc->kind == SYNACK_PLUGIN_LOSS)
    g_ptr_array_add (names, g_strdup ("loss.only"));
  g_ptr_array_add (names, NULL);
  hint = config_did_you_mean (v->key, (const char *const *) names->pdata);
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
                    "%s \"%s\" has no parameter \"%s\"%s (%s takes %s)",
                    kind_label (desc->kind), desc->name,
                    config_model_param_name (v->key, prefix), hint, desc->name,
                    list != NULL ? list : "no parameters");
}

/* The parameters of model @desc from the "PREFIX.X" values of @secs, later
 * sections overriding earlier ones.  *@string_val: the last STRING value set,
 * which a create() error is most likely about.  (transfer full) */
SynackParams *
config_model_params (const View *view, const SynackPluginDesc *desc,
                     const char *prefix, const guint *secs, guint n_secs,
                     const Val **string_val, GError **error)
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
        config_val_error (view->cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                          "%s", sub->message);
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
try_create (const View *view, const SynackPluginDesc *desc,
            const SynackParams *params, const Val *model_val,
            const Val *string_val, GError **error)
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
  config_val_error (view->cfg, string_val != NULL ? string_val : model_val,
                    error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s",
                    sub != NULL ? sub->message
                                : "the model refused its parameters");
  return FALSE;
}

/* The model @prefix ("loss") of link direction @dir with its parameters.
 * A direction that names its own model takes none of [link]'s parameters
 * for it: they were written for another model. */
static gboolean
link_model (const View *view, guint dir, SynackPluginKind kind,
            const char *prefix, const SynackPluginDesc **desc,
            SynackParams **params, gboolean *own, GError **error)
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
  *params = config_model_params (view, *desc, prefix, secs, n_secs, &string_val,
                                 error);
  if (*params == NULL)
    return FALSE;
  return try_create (view, *desc, *params, mv, string_val, error);
}

/* ---- typed values -------------------------------------------------------- */

/* The value sweep point @view has for @key of @sec, typed into @params,
 * which holds the key's default when the point has none; a link direction
 * without the key takes [link]'s.  Returns: the value (*@tmp for a default)
 * or NULL with @error. */
static const Val *
take (const View *view, guint sec, const char *key, SynackParams *params,
      Val *tmp, GError **error)
{
  const Val *v = config_view_find (view, sec, key);

  if (v == NULL && config_is_link_section (sec))
    v = config_view_find (view, SEC_LINK, key);
  if (v == NULL)
    return config_view_get (view, sec, key, tmp);
  return config_take (view->cfg, params, v, error) ? v : NULL;
}

/* Link direction @dir: [link] overridden by @dir (SEC_LINK: [link] alone). */
static gboolean
build_link (const View *view, guint dir, SynackLinkSpec *link, GError **error)
{
  const SynackConfig *cfg = view->cfg;
  g_autoptr (SynackParams) p = synack_params_copy (cfg->defaults[SEC_LINK]);
  gboolean own_loss, own_delay;
  const Val *v;
  Val tmp;

  memset (link, 0, sizeof *link);
  if (!link_model (view, dir, SYNACK_PLUGIN_DELAY, "delay", &link->delay,
                   &link->delay_params, &own_delay, error)
      || !link_model (view, dir, SYNACK_PLUGIN_LOSS, "loss", &link->loss,
                      &link->loss_params, &own_loss, error))
    goto fail;

  /* a direction with its own loss model takes none of [link]'s flags */
  v = config_view_find (view, dir, "loss.only");
  if (v == NULL && !own_loss)
    v = config_view_find (view, SEC_LINK, "loss.only");
  if (v != NULL && !config_parse_only_flags (cfg, v, link, error))
    goto fail;

  if (!take (view, dir, "duplicate", p, &tmp, error)
      || !take (view, dir, "duplicate.lag", p, &tmp, error)
      || !take (view, dir, "reorder", p, &tmp, error))
    goto fail;
  link->duplicate = synack_params_get_double (p, "duplicate");
  link->duplicate_lag_ns = synack_params_get_duration (p, "duplicate.lag");
  link->reorder = synack_params_get_boolean (p, "reorder");
  return TRUE;

fail:
  synack_link_spec_clear (link);
  return FALSE;
}

/* ---- building a point ---------------------------------------------------- */

static gboolean
build_tcp (const View *view, SynackParams *exp, SynackParams *work,
           SynackRunSpec *spec, GError **error)
{
  const SynackConfig *cfg = view->cfg;
  g_autoptr (SynackParams) params = NULL;
  const Val *v;
  Val tmp;
  GArray *vals = view->vals[SEC_TCP];

  if (!take (view, SEC_EXPERIMENT, "profile", exp, &tmp, error))
    return FALSE;
  params
      = synack_tcp_profile_params (synack_params_get_string (exp, "profile"));
  for (guint i = 0; i < vals->len; i++) {
    g_autoptr (GError) sub = NULL;

    v = &g_array_index (vals, Val, i);
    if (!synack_params_set (params, v->key, v->value, &sub)) {
      config_val_error (cfg, v, error,
                        sub->code == SYNACK_PARAMS_ERROR_UNKNOWN
                            ? SYNACK_CONFIG_ERROR_UNKNOWN_KEY
                            : SYNACK_CONFIG_ERROR_BAD_VALUE,
                        "%s", sub->message);
      return FALSE;
    }
  }
  synack_tcp_config_from_params (&spec->tcp, params);
  if (!take (view, SEC_WORKLOAD, "request", work, &tmp, error))
    return FALSE;
  spec->tcp.request_bytes = (guint32) synack_params_get_uint (work, "request");
  return TRUE;
}

static gboolean
build_workload (const View *view, SynackParams *p, SynackRunSpec *spec,
                GError **error)
{
  const char *const keys[]
      = { "clients", "arrival",    "rate",        "ports", "hold",
          "closer",  "flood_rate", "flood_hosts", NULL };
  const Val *v;
  Val tmp;

  v = take (view, SEC_WORKLOAD, "connections", p, &tmp, error);
  if (v == NULL)
    return FALSE;
  spec->connections = synack_params_get_uint (p, "connections");
  /* checked before anything is allocated: attempt ids are 32 bits */
  if (spec->connections > synack_net_max_attempts ()) {
    config_val_error (view->cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%s attempts in one run is more than synack can "
                      "number (at most %" G_GUINT64_FORMAT " per run); split "
                      "them into replications", v->value,
                      synack_net_max_attempts ());
    return FALSE;
  }
  for (guint i = 0; keys[i] != NULL; i++)
    if (!take (view, SEC_WORKLOAD, keys[i], p, &tmp, error))
      return FALSE;
  spec->clients = (guint32) synack_params_get_uint (p, "clients");
  synack_arrival_parse (synack_params_get_string (p, "arrival"),
                        &spec->arrival);
  spec->rate_per_s = synack_params_get_rate (p, "rate");
  spec->ports = (guint32) synack_params_get_uint (p, "ports");
  spec->hold_ns = synack_params_get_duration (p, "hold");
  synack_closer_parse (synack_params_get_string (p, "closer"), &spec->closer);
  spec->flood_rate_per_s = synack_params_get_rate (p, "flood_rate");
  spec->flood_hosts = (guint32) synack_params_get_uint (p, "flood_hosts");
  return TRUE;
}

static gboolean
build_spec (const SynackConfig *cfg, guint point, SynackRunSpec *spec,
            GError **error)
{
  g_autoptr (SynackParams) exp
      = synack_params_copy (cfg->defaults[SEC_EXPERIMENT]);
  g_autoptr (SynackParams) work
      = synack_params_copy (cfg->defaults[SEC_WORKLOAD]);
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
  spec->protocol_params = config_model_params (&view, spec->protocol,
                                               "protocol", exp_sec, 1, NULL,
                                               error);
  if (spec->protocol_params == NULL
      || !build_tcp (&view, exp, work, spec, error))
    goto out;
  if (!take (&view, SEC_EXPERIMENT, "until", exp, &tmp, error))
    goto out;
  v = take (&view, SEC_EXPERIMENT, "trace", exp, &tmp, error);
  if (v == NULL || !config_parse_trace (cfg, v, &spec->trace_mask, error)
      || !take (&view, SEC_EXPERIMENT, "sample", exp, &tmp, error)
      || !take (&view, SEC_EXPERIMENT, "max_events", exp, &tmp, error)
      || !take (&view, SEC_EXPERIMENT, "max_in_flight", exp, &tmp, error))
    goto out;
  spec->until_ns = synack_params_get_duration (exp, "until");
  spec->sample_ns = synack_params_get_duration (exp, "sample");
  /* "auto" is 0: synack_net_run() picks the budget */
  spec->max_events = synack_params_get_uint (exp, "max_events");
  spec->max_in_flight = synack_params_get_uint (exp, "max_in_flight");
  if (!build_workload (&view, work, spec, error))
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
  g_autoptr (SynackParams) exp
      = synack_params_copy (cfg->defaults[SEC_EXPERIMENT]);
  View view;
  const Val *v;
  Val tmp;
  guint64 n, replications;
  gboolean ok = FALSE;

  /* first, while n_points still counts them */
  config_clear_specs (cfg);
  config_view_init (&view, cfg, 0, FALSE);
  v = config_view_find (&view, SEC_EXPERIMENT, "name");
  if (v != NULL && !config_parse_name (cfg, v, error))
    goto out;
  g_free (cfg->name);
  cfg->name = g_strdup (v != NULL ? v->value : cfg->default_name);
  if (!take (&view, SEC_EXPERIMENT, "replications", exp, &tmp, error)
      || !take (&view, SEC_EXPERIMENT, "seed", exp, &tmp, error))
    goto out;
  replications = synack_params_get_uint (exp, "replications");
  cfg->seed = synack_params_get_uint (exp, "seed");
  if (!take (&view, SEC_EXPERIMENT, "seeds", exp, &tmp, error))
    goto out;
  cfg->seeds_per_replication =
    strcmp (synack_params_get_string (exp, "seeds"), "per-replication") == 0;

  n = 1;
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    n *= k->values->len;
    /* zipped: points.c counts */
    if (n > SYNACK_SWEEP_MAX_VALUES && cfg->zip == NULL) {
      Val sv = { k->key, k->text, "sweep", k->full, k->line, k->set_text,
                 FALSE };

      config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
                        "the sweep has more than %u points",
                        SYNACK_SWEEP_MAX_VALUES);
      goto out;
    }
  }
  g_clear_pointer (&cfg->points, synack_points_free);
  if (cfg->zip != NULL || cfg->constraint != NULL) {
    g_autofree const char **keys = g_new0 (const char *, cfg->sweep->len + 1);
    g_autofree GPtrArray **values = g_new0 (GPtrArray *, cfg->sweep->len + 1);
    g_autoptr (GError) sub = NULL;

    for (guint i = 0; i < cfg->sweep->len; i++) {
      const SweepKey *k = cfg->sweep->pdata[i];

      keys[i] = k->full;
      values[i] = k->values;
    }
    cfg->points = synack_points_new (cfg->sweep->len, keys, values, cfg->zip,
                                     cfg->constraint, &sub);
    if (cfg->points == NULL) {
      gboolean in_zip
          = sub->code == SYNACK_POINTS_ERROR_ZIP || cfg->constraint == NULL;
      Val sv = { in_zip ? "zip" : "constraint",
                 in_zip ? cfg->zip : cfg->constraint,
                 "sweep",
                 in_zip ? "zip" : "constraint",
                 in_zip ? cfg->zip_line : cfg->constraint_line,
                 in_zip ? cfg->zip_set : cfg->constraint_set,
                 FALSE };

      config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP, "%s",
                        sub->message);
      goto out;
    }
    n = synack_points_count (cfg->points);
  }
  cfg->n_points = (guint) n;
  /* in 64 bits: replications may be anything up to 2^64 - 1 here */
  if (replications > SYNACK_CONFIG_MAX_RUNS
      || (guint64) cfg->n_points * replications > SYNACK_CONFIG_MAX_RUNS) {
    v = config_view_get (&view, SEC_EXPERIMENT, "replications", &tmp);
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%u sweep points x %" G_GUINT64_FORMAT " replications "
                      "is more than %u runs in one batch", cfg->n_points,
                      replications, SYNACK_CONFIG_MAX_RUNS);
    goto out;
  }
  cfg->replications = (guint) replications;
  /* each point is built here once and kept: the runner copies it */
  cfg->specs = g_new0 (SynackRunSpec, cfg->n_points);
  for (guint p = 0; p < cfg->n_points; p++)
    if (!build_spec (cfg, p, &cfg->specs[p], error))
      goto out;
  ok = TRUE;

out:
  config_view_clear (&view);
  if (!ok)
    config_clear_specs (cfg);
  return ok;
}

void
config_clear_specs (SynackConfig *cfg)
{
  /* a failed build leaves the points after it zeroed: clearing is fine */
  for (guint p = 0; cfg->specs != NULL && p < cfg->n_points; p++)
    synack_run_spec_clear (&cfg->specs[p]);
  g_clear_pointer (&cfg->specs, g_free);
}

/* ---- every error at once ------------------------------------------------- */

/* Drops what made the last build fail from @cfg (a copy), so that building
 * again finds the next problem instead of the same one.  A failing model
 * name takes its parameters with it (they were written for that model). */
static gboolean
drop_failed_key (SynackConfig *cfg)
{
  guint sec;

  if (cfg->fail_key == NULL)
    return FALSE;
  if (strcmp (cfg->fail_sec, "sweep") == 0
      && strcmp (cfg->fail_key, "zip") == 0) {
    g_clear_pointer (&cfg->zip, g_free);
  } else if (strcmp (cfg->fail_sec, "sweep") == 0
             && strcmp (cfg->fail_key, "constraint") == 0) {
    g_clear_pointer (&cfg->constraint, g_free);
  } else if (strcmp (cfg->fail_sec, "sweep") == 0) {
    gint k = config_find_sweep_key (cfg, cfg->fail_key);

    if (k < 0)
      return FALSE;
    g_ptr_array_remove_index (cfg->sweep, (guint) k);
  } else {
    GPtrArray *entries;
    gboolean dropped = FALSE;

    if (!synack_text_index (config_section_names, cfg->fail_sec, &sec)
        || sec >= N_SECTIONS)
      return FALSE;
    entries = cfg->sections[sec];
    for (guint i = entries->len; i-- > 0;) {
      const Entry *e = entries->pdata[i];
      const char *param = NULL;

      if (strcmp (e->key, cfg->fail_key) == 0
          || ((strcmp (cfg->fail_key, "loss") == 0
               || strcmp (cfg->fail_key, "delay") == 0
               || strcmp (cfg->fail_key, "protocol") == 0)
              && (param = config_model_param_name (e->key, cfg->fail_key))
                     != NULL)) {
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

/* ---- the public side ----------------------------------------------------- */

const SynackRunSpec *
synack_config_run_spec (const SynackConfig *cfg, guint point)
{
  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (point < cfg->n_points, NULL);
  g_return_val_if_fail (cfg->specs != NULL, NULL);

  return &cfg->specs[point];
}

gboolean
synack_config_build_run (const SynackConfig *cfg, guint point,
                         SynackRunSpec *spec, GError **error)
{
  g_return_val_if_fail (cfg != NULL, FALSE);
  g_return_val_if_fail (point < cfg->n_points, FALSE);
  g_return_val_if_fail (spec != NULL, FALSE);

  synack_run_spec_copy (spec, synack_config_run_spec (cfg, point));
  return TRUE;
}

char *
synack_config_warnings (const SynackConfig *cfg)
{
  GString *out = g_string_new (NULL);
  double worst_rows = 0;

  g_return_val_if_fail (cfg != NULL, NULL);

  for (guint p = 0; p < cfg->n_points; p++) {
    const SynackRunSpec *spec = &cfg->specs[p];

    if (spec->trace_mask & SYNACK_TRACE_OCCUPANCY)
      worst_rows = MAX (worst_rows, (double) spec->until_ns
                                    / (double) spec->sample_ns
                                    * (SYNACK_TCP_N_STATES - 2));
  }
  /* every sample is one event and a row per state: a tiny interval makes
   * gigabytes and eats the run's event budget */
  if (worst_rows > SYNACK_CONFIG_WARN_TRACE_ROWS)
    g_string_append_printf (out, "[experiment] sample: the occupancy trace "
                            "may get up to %.3g rows per run (one row per "
                            "state every sample until `until`); sample it "
                            "less often", worst_rows);
  return g_string_free (out, out->len == 0);
}
