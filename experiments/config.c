/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config.c - the SynackConfig object.
 *
 * A config is its sections' values as text (Entry: key, value, where it
 * came from) and its sweep keys (SweepKey: the expanded values), in file
 * order.  A "view" lays one sweep point's values over the sections: that is
 * what config-build.c types into a run spec and config-ini.c writes out.
 * How a config is read and checked: config-private.h. */
#include "config-private.h"

#include <string.h>

G_DEFINE_QUARK (synack-config-error-quark, synack_config_error)

/* ---- the config ---------------------------------------------------------- */

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->key);
  g_free (e->value);
  g_free (e->set_text);
  g_free (e);
}

static Entry *
entry_copy (const Entry *src)
{
  Entry *e = g_new0 (Entry, 1);

  e->key = g_strdup (src->key);
  e->value = g_strdup (src->value);
  e->line = src->line;
  e->set_text = g_strdup (src->set_text);
  return e;
}

void
config_sweep_key_free (gpointer data)
{
  SweepKey *k = data;

  g_free (k->full);
  g_free (k->key);
  g_free (k->text);
  g_clear_pointer (&k->values, g_ptr_array_unref);
  g_free (k->set_text);
  g_free (k);
}

static SweepKey *
sweep_key_copy (const SweepKey *src)
{
  SweepKey *k = g_new0 (SweepKey, 1);

  k->full = g_strdup (src->full);
  k->sec = src->sec;
  k->key = g_strdup (src->key);
  k->text = g_strdup (src->text);
  k->values = g_ptr_array_ref (src->values);   /* never changed once expanded */
  k->line = src->line;
  k->set_text = g_strdup (src->set_text);
  return k;
}

/* A name for the output directory made from the file name: "lossy.ini" ->
 * "lossy", with anything but letters, digits, '-', '_', '.' made '_'. */
static char *
name_from_path (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  GString *name;

  if (g_str_has_suffix (base, ".ini"))
    base[strlen (base) - 4] = '\0';
  name = g_string_new (NULL);
  for (const char *p = base; *p != '\0'; p++)
    g_string_append_c (name,
                       g_ascii_isalnum (*p) || strchr ("-_.", *p) ? *p : '_');
  if (name->len == 0 || strcmp (name->str, ".") == 0
      || strcmp (name->str, "..") == 0)
    g_string_assign (name, "experiment");
  return g_string_free (name, FALSE);
}

SynackConfig *
config_new (const char *path, SynackRegistry *reg)
{
  SynackConfig *cfg = g_new0 (SynackConfig, 1);

  cfg->path = g_strdup (path);
  cfg->reg = reg;
  for (guint s = 0; s < N_SECTIONS; s++)
    cfg->sections[s] = g_ptr_array_new_with_free_func (entry_free);
  cfg->sweep = g_ptr_array_new_with_free_func (config_sweep_key_free);
  cfg->default_name = name_from_path (path);
  cfg->defaults[SEC_EXPERIMENT]
      = synack_params_new (config_section_specs (SEC_EXPERIMENT));
  cfg->defaults[SEC_WORKLOAD]
      = synack_params_new (config_section_specs (SEC_WORKLOAD));
  cfg->defaults[SEC_LINK] = synack_params_new (config_section_specs (SEC_LINK));
  return cfg;
}

void
synack_config_free (SynackConfig *cfg)
{
  if (cfg == NULL)
    return;
  g_free (cfg->path);
  for (guint s = 0; s < N_SECTIONS; s++)
    g_ptr_array_unref (cfg->sections[s]);
  g_ptr_array_unref (cfg->sweep);
  g_free (cfg->default_name);
  for (guint s = 0; s < N_SECTIONS; s++)
    synack_params_free (cfg->defaults[s]);
  config_clear_specs (cfg);
  g_free (cfg->fail_sec);
  g_free (cfg->fail_key);
  g_free (cfg->name);
  g_free (cfg->zip);
  g_free (cfg->constraint);
  g_free (cfg->zip_set);
  g_free (cfg->constraint_set);
  synack_points_free (cfg->points);
  g_free (cfg);
}

SynackConfig *
config_clone (const SynackConfig *src)
{
  SynackConfig *cfg = config_new (src->path, src->reg);

  for (guint s = 0; s < N_SECTIONS; s++)
    for (guint i = 0; i < src->sections[s]->len; i++)
      g_ptr_array_add (cfg->sections[s],
                       entry_copy (src->sections[s]->pdata[i]));
  for (guint i = 0; i < src->sweep->len; i++)
    g_ptr_array_add (cfg->sweep, sweep_key_copy (src->sweep->pdata[i]));
  cfg->name = g_strdup (src->name);
  cfg->seed = src->seed;
  cfg->replications = src->replications;
  cfg->n_points = src->n_points;
  cfg->seeds_per_replication = src->seeds_per_replication;
  cfg->zip = g_strdup (src->zip);
  cfg->constraint = g_strdup (src->constraint);
  cfg->zip_line = src->zip_line;
  cfg->constraint_line = src->constraint_line;
  cfg->zip_set = g_strdup (src->zip_set);
  cfg->constraint_set = g_strdup (src->constraint_set);
  /* the points are derived again by config_finish() */
  return cfg;
}

static Entry *
find_entry (const SynackConfig *cfg, guint sec, const char *key)
{
  GPtrArray *entries = cfg->sections[sec];

  for (guint i = 0; i < entries->len; i++) {
    Entry *e = entries->pdata[i];

    if (strcmp (e->key, key) == 0)
      return e;
  }
  return NULL;
}

gint
config_find_sweep_key (const SynackConfig *cfg, const char *full)
{
  for (guint i = 0; i < cfg->sweep->len; i++)
    if (strcmp (((SweepKey *) cfg->sweep->pdata[i])->full, full) == 0)
      return (gint) i;
  return -1;
}

gboolean
config_is_swept (const SynackConfig *cfg, guint sec, const char *key)
{
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    if (k->sec == sec && strcmp (k->key, key) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Sets @key of @sec to @value (replacing any earlier value). */
void
config_put_entry (SynackConfig *cfg, guint sec, const char *key,
                  const char *value, guint line, const char *set_text)
{
  Entry *e = find_entry (cfg, sec, key);

  if (e == NULL) {
    e = g_new0 (Entry, 1);
    e->key = g_strdup (key);
    g_ptr_array_add (cfg->sections[sec], e);
  }
  g_free (e->value);
  e->value = g_strdup (value);
  e->line = line;
  g_free (e->set_text);
  e->set_text = g_strdup (set_text);
}

/* ---- values and their errors --------------------------------------------- */

/* Sets @error for value @v: "FILE:LINE: [section] key: MESSAGE".  A [sweep]
 * value says which value of the list is wrong, and an unknown key there is
 * a bad sweep. */
void
config_val_error (const SynackConfig *cfg, const Val *v, GError **error,
                  SynackConfigError code, const char *format, ...)
{
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);

  if (v->swept && code == SYNACK_CONFIG_ERROR_UNKNOWN_KEY)
    code = SYNACK_CONFIG_ERROR_BAD_SWEEP;
  if (cfg->fail_key == NULL) {
    SynackConfig *mut = (SynackConfig *) cfg;   /* bookkeeping only */

    mut->fail_sec = g_strdup (v->where_sec);
    mut->fail_key = g_strdup (v->where_key);
  }
  if (v->set_text != NULL) {
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "--set %s: %s", v->set_text,
                 msg);
  } else if (v->swept && code == SYNACK_CONFIG_ERROR_BAD_VALUE) {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", v->value);
    gboolean leads
        = g_str_has_prefix (msg, v->value) || g_str_has_prefix (msg, quoted);

    g_set_error (error, SYNACK_CONFIG_ERROR, code,
                 "%s:%u: [%s] %s: value %s%s%s", cfg->path, v->line,
                 v->where_sec, v->where_key, leads ? "" : v->value,
                 leads ? "" : ": ", msg);
  } else if (v->line > 0) {
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s:%u: [%s] %s: %s",
                 cfg->path, v->line, v->where_sec, v->where_key, msg);
  } else {
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s: [%s] %s: %s",
                 cfg->path, v->where_sec, v->where_key, msg);
  }
}

/* @with_sweep FALSE: swept keys are left out altogether (for config.ini). */
void
config_view_init (View *view, const SynackConfig *cfg, guint point,
                  gboolean with_sweep)
{
  guint rest = point;

  view->cfg = cfg;
  for (guint s = 0; s < N_SECTIONS; s++) {
    view->vals[s] = g_array_new (FALSE, TRUE, sizeof (Val));
    for (guint i = 0; i < cfg->sections[s]->len; i++) {
      const Entry *e = cfg->sections[s]->pdata[i];
      Val v = { e->key,      e->value, config_section_names[s], e->key, e->line,
                e->set_text, FALSE };

      if (!config_is_swept (cfg, s, e->key))
        g_array_append_val (view->vals[s], v);
    }
  }
  if (!with_sweep)
    return;
  /* the last key varies fastest */
  for (guint i = cfg->sweep->len; i-- > 0;) {
    const SweepKey *k = cfg->sweep->pdata[i];
    guint n = k->values->len;
    /* zip and constraint need the point table of config_finish() */
    guint at
        = cfg->points ? synack_points_value (cfg->points, point, i) : rest % n;
    Val v = { k->key,  k->values->pdata[at], "sweep", k->full,
              k->line, k->set_text,          TRUE };

    g_array_append_val (view->vals[k->sec], v);
    rest /= n;
  }
}

void
config_view_clear (View *view)
{
  for (guint s = 0; s < N_SECTIONS; s++)
    g_clear_pointer (&view->vals[s], g_array_unref);
}

const Val *
config_view_find (const View *view, guint sec, const char *key)
{
  GArray *vals = view->vals[sec];

  for (guint i = 0; i < vals->len; i++) {
    const Val *v = &g_array_index (vals, Val, i);

    if (strcmp (v->key, key) == 0)
      return v;
  }
  return NULL;
}

/* The value of @key in @sec, or its default in *@tmp. */
const Val *
config_view_get (const View *view, guint sec, const char *key, Val *tmp)
{
  const Val *v = config_view_find (view, sec, key);
  const SynackParamSpec *def;

  if (v != NULL)
    return v;
  def = config_find_key (sec, key);
  g_assert (def != NULL);
  *tmp = (Val){
    key, def->default_value, config_section_names[sec], key, 0, NULL, FALSE
  };
  return tmp;
}

/* ---- accessors ----------------------------------------------------------- */

const char *
synack_config_path (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, NULL);
  return cfg->path;
}

const char *
synack_config_name (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, NULL);
  return cfg->name;
}

guint64
synack_config_seed (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 0);
  return cfg->seed;
}

void
synack_config_set_seed (SynackConfig *cfg, guint64 seed)
{
  g_autofree char *value = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
  g_autofree char *text = g_strdup_printf ("experiment.seed=%s", value);

  g_return_if_fail (cfg != NULL);
  cfg->seed = seed;
  /* kept as a value too, so a later --set (which re-derives) keeps it */
  config_put_entry (cfg, SEC_EXPERIMENT, "seed", value, 0, text);
}

gboolean
synack_config_seeds_per_replication (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, FALSE);
  return cfg->seeds_per_replication;
}

guint
synack_config_replications (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 0);
  return cfg->replications;
}

guint
synack_config_n_sweep_keys (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 0);
  return cfg->sweep->len;
}

const char *
synack_config_sweep_key (const SynackConfig *cfg, guint key)
{
  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (key < cfg->sweep->len, NULL);
  return ((const SweepKey *) cfg->sweep->pdata[key])->full;
}

guint
synack_config_n_points (const SynackConfig *cfg)
{
  g_return_val_if_fail (cfg != NULL, 0);
  return cfg->n_points;
}

const char *
synack_config_point_value (const SynackConfig *cfg, guint point, guint key)
{
  guint rest = point;

  g_return_val_if_fail (cfg != NULL, NULL);
  g_return_val_if_fail (point < cfg->n_points, NULL);
  g_return_val_if_fail (key < cfg->sweep->len, NULL);

  if (cfg->points != NULL)
    return ((const SweepKey *) cfg->sweep->pdata[key])->values->pdata[
      synack_points_value (cfg->points, point, key)];
  for (guint i = cfg->sweep->len - 1;; i--) {
    const SweepKey *k = cfg->sweep->pdata[i];
    guint n = k->values->len;

    if (i == key)
      return k->values->pdata[rest % n];
    rest /= n;
  }
}
