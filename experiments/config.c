/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config.c - loading, checking and expanding an experiment config.
 *
 * Loading goes in four passes, each reporting the first problem it meets:
 *
 *  1. A line scan of the text indexes every [section] and key with its line
 *     and catches what GKeyFile would accept silently or report without a
 *     line: syntax errors, duplicate sections and keys (GKeyFile merges
 *     them), unknown sections and keys.
 *  2. GKeyFile then parses the same text (';' comment lines turned into '#'
 *     ones, its only comment character) and gives each value unescaped.  The
 *     values are kept as text, per section, with where each came from: a
 *     file line, a [sweep] line, or a --set assignment.
 *  3. [sweep] keys are split at their section and expanded (sweep.c).
 *  4. Every sweep point is built into a SynackRunSpec once, which types and
 *     range-checks every value of every point (and creates each loss and
 *     delay model once, for what only the model can check: loss.drop).
 *
 * Keeping text rather than typed values makes a point cheap to describe (a
 * "view": the section values with the point's sweep values laid over them)
 * and makes --set and config.ini simple: both work on the text.  Building a
 * point is a few microseconds, so validating 10^5 points stays under a
 * second; the sweep is capped there (SYNACK_SWEEP_MAX_VALUES points).
 *
 * For now this file also holds the small SynackRunSpec and enum helpers
 * declared in core/network/net.h. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "sweep.h"
#include "text.h"

#ifdef PACKAGE_VERSION
#define CONFIG_VERSION PACKAGE_VERSION
#else
#define CONFIG_VERSION "dev"
#endif

G_DEFINE_QUARK (synack-config-error-quark, synack_config_error)

/* ---- helpers -------------------------------------------------------------------- */

/* TRUE if @s has only letters, digits, '-', '_' and '.'. */
static gboolean
is_name_chars (const char *s)
{
  return strspn (s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
         == strlen (s);
}

/* ---- sections and keys -------------------------------------------------------- */

enum {
  SEC_EXPERIMENT,
  SEC_WORKLOAD,
  SEC_LINK,
  SEC_LINK_FORWARD,
  SEC_LINK_REVERSE,
  SEC_TCP,
  N_SECTIONS,
  SEC_SWEEP = N_SECTIONS,   /* not a section of values: handled apart */
};

static const char *const section_names[] = {
  "experiment", "workload", "link", "link.forward", "link.reverse", "tcp", "sweep", NULL
};

/* The keys of the fixed sections with their defaults, as a user would write
 * them.  [link.forward] and [link.reverse] take link_keys; [tcp] takes
 * synack_tcp_param_specs(). */
typedef struct {
  const char *key;
  const char *default_value;
  gboolean    per_experiment;   /* set once for all runs: cannot be swept */
} KeyDef;

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

static const char *const trace_names[] = { "states", "segments", "pcap", "occupancy", NULL };

static const KeyDef *
section_keys (guint sec)
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

static const KeyDef *
find_keydef (guint sec, const char *key)
{
  const KeyDef *defs = section_keys (sec);

  for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
    if (strcmp (defs[i].key, key) == 0)
      return &defs[i];
  return NULL;
}

static const SynackParamSpec *
find_spec (const SynackParamSpec *specs, const char *name)
{
  for (guint i = 0; specs != NULL && specs[i].name != NULL; i++)
    if (strcmp (specs[i].name, name) == 0)
      return &specs[i];
  return NULL;
}

static gboolean
is_link_section (guint sec)
{
  return sec == SEC_LINK || sec == SEC_LINK_FORWARD || sec == SEC_LINK_REVERSE;
}

/* "loss.p" -> "p" when @key is a parameter key of @prefix ("loss").
 * "loss.only" is not: it belongs to the link, whatever the model. */
static const char *
model_param_name (const char *key, const char *prefix)
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
static gboolean
key_is_known (guint sec, const char *key)
{
  if (find_keydef (sec, key) != NULL)
    return TRUE;
  if (sec == SEC_TCP)
    return find_spec (synack_tcp_param_specs (), key) != NULL;
  if (sec == SEC_EXPERIMENT)
    return model_param_name (key, "protocol") != NULL;
  if (is_link_section (sec))
    return model_param_name (key, "loss") != NULL || model_param_name (key, "delay") != NULL;
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
static GPtrArray *
key_candidates (const SynackRegistry *reg, guint sec, gboolean qualified)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  const char *q = qualified ? section_names[sec] : "";
  const char *dot = qualified ? "." : "";
  const KeyDef *defs = section_keys (sec);

  for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
    add_unique (names, g_strconcat (q, dot, defs[i].key, NULL));
  if (sec == SEC_TCP) {
    const SynackParamSpec *specs = synack_tcp_param_specs ();

    for (guint i = 0; specs[i].name != NULL; i++)
      add_unique (names, g_strconcat (q, dot, specs[i].name, NULL));
  }
  if (sec == SEC_EXPERIMENT || is_link_section (sec)) {
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
static char *
did_you_mean (const char *word, const char *const *candidates)
{
  const char *s = synack_text_suggest (word, candidates);

  return s != NULL ? g_strdup_printf ("; did you mean \"%s\"?", s) : g_strdup ("");
}

/* Splits "link.forward.loss.p" at the longest section name followed by a
 * dot: *@sec = SEC_LINK_FORWARD, *@key = "loss.p". */
static gboolean
split_full_key (const char *full, guint *sec, const char **key)
{
  gsize best_len = 0;

  for (guint s = 0; s < N_SECTIONS; s++) {
    gsize len = strlen (section_names[s]);

    if (len > best_len && strncmp (full, section_names[s], len) == 0
        && full[len] == '.' && full[len + 1] != '\0') {
      best_len = len;
      *sec = s;
      *key = full + len + 1;
    }
  }
  return best_len > 0;
}

/* ---- the config --------------------------------------------------------------- */

/* One key of a section as text, with where it came from. */
typedef struct {
  char *key;
  char *value;      /* unescaped and trimmed */
  guint line;       /* in the file; 0 when set by --set */
  char *set_text;   /* (nullable) the --set assignment it came from */
} Entry;

typedef struct {
  char      *full;       /* "link.loss.p" */
  guint      sec;
  char      *key;        /* "loss.p" */
  char      *text;       /* normalised, for config.ini */
  GPtrArray *values;     /* char*, expanded */
  guint      line;
  char      *set_text;   /* (nullable) from --set sweep.KEY=... */
} SweepKey;

struct _SynackConfig {
  char           *path;        /* as given: the file name in every message */
  SynackRegistry *reg;         /* (transfer none) */
  GPtrArray      *sections[N_SECTIONS];   /* Entry, in file order */
  GPtrArray      *sweep;       /* SweepKey, in file order */
  char           *default_name;
  /* the first value that failed to build (for reporting every error):
   * "link" or "sweep", and its key */
  char           *fail_sec;
  char           *fail_key;
  /* derived by config_finish() */
  char           *name;
  guint64         seed;
  guint           replications;
  guint           n_points;
};

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

static void
sweep_key_free (gpointer data)
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
    g_string_append_c (name, g_ascii_isalnum (*p) || strchr ("-_.", *p) ? *p : '_');
  if (name->len == 0 || strcmp (name->str, ".") == 0 || strcmp (name->str, "..") == 0)
    g_string_assign (name, "experiment");
  return g_string_free (name, FALSE);
}

static SynackConfig *
config_new (const char *path, SynackRegistry *reg)
{
  SynackConfig *cfg = g_new0 (SynackConfig, 1);

  cfg->path = g_strdup (path);
  cfg->reg = reg;
  for (guint s = 0; s < N_SECTIONS; s++)
    cfg->sections[s] = g_ptr_array_new_with_free_func (entry_free);
  cfg->sweep = g_ptr_array_new_with_free_func (sweep_key_free);
  cfg->default_name = name_from_path (path);
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
  g_free (cfg->fail_sec);
  g_free (cfg->fail_key);
  g_free (cfg->name);
  g_free (cfg);
}

static SynackConfig *
config_clone (const SynackConfig *src)
{
  SynackConfig *cfg = config_new (src->path, src->reg);

  for (guint s = 0; s < N_SECTIONS; s++)
    for (guint i = 0; i < src->sections[s]->len; i++)
      g_ptr_array_add (cfg->sections[s], entry_copy (src->sections[s]->pdata[i]));
  for (guint i = 0; i < src->sweep->len; i++)
    g_ptr_array_add (cfg->sweep, sweep_key_copy (src->sweep->pdata[i]));
  cfg->name = g_strdup (src->name);
  cfg->seed = src->seed;
  cfg->replications = src->replications;
  cfg->n_points = src->n_points;
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

static gint
find_sweep_key (const SynackConfig *cfg, const char *full)
{
  for (guint i = 0; i < cfg->sweep->len; i++)
    if (strcmp (((SweepKey *) cfg->sweep->pdata[i])->full, full) == 0)
      return (gint) i;
  return -1;
}

static gboolean
is_swept (const SynackConfig *cfg, guint sec, const char *key)
{
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    if (k->sec == sec && strcmp (k->key, key) == 0)
      return TRUE;
  }
  return FALSE;
}

/* Sets @key of @sec to @value (replacing any earlier value). */
static void
put_entry (SynackConfig *cfg, guint sec, const char *key, const char *value, guint line,
           const char *set_text)
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

/* ---- values and their errors -------------------------------------------------- */

/* A value as one sweep point sees it. */
typedef struct {
  const char *key;          /* the key within its section: "loss.p" */
  const char *value;
  const char *where_sec;    /* for messages: "link", or "sweep" */
  const char *where_key;    /* for messages: "loss.p", or "link.loss.p" */
  guint       line;         /* 0: a default or a --set value */
  const char *set_text;     /* (nullable) the --set assignment */
  gboolean    swept;
} Val;

/* Sets @error for value @v: "FILE:LINE: [section] key: MESSAGE".  A [sweep]
 * value says which value of the list is wrong, and an unknown key there is
 * a bad sweep. */
G_GNUC_PRINTF (5, 6) static void
val_error (const SynackConfig *cfg, const Val *v, GError **error, SynackConfigError code,
           const char *format, ...)
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
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "--set %s: %s", v->set_text, msg);
  } else if (v->swept && code == SYNACK_CONFIG_ERROR_BAD_VALUE) {
    g_autofree char *quoted = g_strdup_printf ("\"%s\"", v->value);
    gboolean leads = g_str_has_prefix (msg, v->value) || g_str_has_prefix (msg, quoted);

    g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s:%u: [%s] %s: value %s%s%s",
                 cfg->path, v->line, v->where_sec, v->where_key,
                 leads ? "" : v->value, leads ? "" : ": ", msg);
  } else if (v->line > 0) {
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s:%u: [%s] %s: %s",
                 cfg->path, v->line, v->where_sec, v->where_key, msg);
  } else {
    g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s: [%s] %s: %s",
                 cfg->path, v->where_sec, v->where_key, msg);
  }
}

/* The values sweep point @point sees: each section's own entries, a
 * swept key's value of the point in place of its entry. */
typedef struct {
  const SynackConfig *cfg;
  GArray             *vals[N_SECTIONS];   /* Val */
} View;

/* @with_sweep FALSE: swept keys are left out altogether (for config.ini). */
static void
view_init (View *view, const SynackConfig *cfg, guint point, gboolean with_sweep)
{
  guint rest = point;

  view->cfg = cfg;
  for (guint s = 0; s < N_SECTIONS; s++) {
    view->vals[s] = g_array_new (FALSE, TRUE, sizeof (Val));
    for (guint i = 0; i < cfg->sections[s]->len; i++) {
      const Entry *e = cfg->sections[s]->pdata[i];
      Val v = { e->key, e->value, section_names[s], e->key, e->line, e->set_text, FALSE };

      if (!is_swept (cfg, s, e->key))
        g_array_append_val (view->vals[s], v);
    }
  }
  if (!with_sweep)
    return;
  /* the last key varies fastest */
  for (guint i = cfg->sweep->len; i-- > 0;) {
    const SweepKey *k = cfg->sweep->pdata[i];
    guint n = k->values->len;
    Val v = { k->key, k->values->pdata[rest % n], "sweep", k->full, k->line, k->set_text, TRUE };

    g_array_append_val (view->vals[k->sec], v);
    rest /= n;
  }
}

static void
view_clear (View *view)
{
  for (guint s = 0; s < N_SECTIONS; s++)
    g_clear_pointer (&view->vals[s], g_array_unref);
}

static const Val *
view_find (const View *view, guint sec, const char *key)
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
static const Val *
view_get (const View *view, guint sec, const char *key, Val *tmp)
{
  const Val *v = view_find (view, sec, key);
  const KeyDef *def;

  if (v != NULL)
    return v;
  def = find_keydef (sec, key);
  g_assert (def != NULL);
  *tmp = (Val) { key, def->default_value, section_names[sec], key, 0, NULL, FALSE };
  return tmp;
}

static gboolean
parse_uint (const SynackConfig *cfg, const Val *v, guint64 min, guint64 max, guint64 *out,
            GError **error)
{
  guint64 n;

  if (v->value[0] == '\0' || strspn (v->value, "0123456789") != strlen (v->value)) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "\"%s\" is not a whole number",
               v->value);
    return FALSE;
  }
  if (!g_ascii_string_to_unsigned (v->value, 10, 0, G_MAXUINT64, &n, NULL) || n > max) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
               "%s is out of range (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT ")",
               v->value, min, max);
    return FALSE;
  }
  if (n < min) {
    if (max == G_MAXUINT64 || max == G_MAXUINT)
      val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                 "must be at least %" G_GUINT64_FORMAT, min);
    else
      val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                 "%s is out of range (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT ")",
                 v->value, min, max);
    return FALSE;
  }
  *out = n;
  return TRUE;
}

static gboolean
parse_duration (const SynackConfig *cfg, const Val *v, gboolean positive, SynackTime *out,
                GError **error)
{
  g_autoptr (GError) sub = NULL;

  if (!synack_time_parse (v->value, out, &sub)) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
    return FALSE;
  }
  if (positive && *out <= 0) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "must be more than 0");
    return FALSE;
  }
  return TRUE;
}

/* Parses all of @text as a finite double. */
static gboolean
parse_number (const char *text, double *out, const char **rest)
{
  char *end = NULL;

  *out = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (*out))
    return FALSE;
  if (rest != NULL)
    *rest = end;
  return rest != NULL || *end == '\0';
}

static gboolean
parse_probability (const SynackConfig *cfg, const Val *v, double *out, GError **error)
{
  if (!parse_number (v->value, out, NULL) || *out < 0.0 || *out > 1.0) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s is not a probability (0..1)",
               v->value);
    return FALSE;
  }
  return TRUE;
}

/* "true"/"false", "yes"/"no", "1"/"0". */
static gboolean
parse_boolean (const SynackConfig *cfg, const Val *v, gboolean *out, GError **error)
{
  static const char *const yes[] = { "true", "yes", "1" }, *const no[] = { "false", "no", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
    if (g_ascii_strcasecmp (v->value, yes[i]) == 0)
      return *out = TRUE, TRUE;
    if (g_ascii_strcasecmp (v->value, no[i]) == 0)
      return *out = FALSE, TRUE;
  }
  val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "\"%s\" is not true or false",
             v->value);
  return FALSE;
}

/* "100/s", "2/ms", "30/m", "5/h" in attempts per second; 0 only if
 * @allow_zero. */
static gboolean
parse_rate_full (const SynackConfig *cfg, const Val *v, gboolean allow_zero, double *out,
                 GError **error)
{
  static const struct { const char *unit; double per_s; } units[] = {
    { "/s", 1.0 }, { "/ms", 1000.0 }, { "/m", 1.0 / 60 }, { "/h", 1.0 / 3600 },
  };
  const char *rest;
  double x;

  if (!parse_number (v->value, &x, &rest)) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
               "\"%s\" is not a rate (e.g. 100/s)", v->value);
    return FALSE;
  }
  while (g_ascii_isspace (*rest))
    rest++;
  if (*rest == '\0') {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "\"%s\" has no unit: write %s/s",
               v->value, v->value);
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (rest, units[i].unit) == 0) {
      if (!(x > 0) && !(allow_zero && x == 0)) {
        val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                   allow_zero ? "must be 0 or more" : "must be more than 0");
        return FALSE;
      }
      *out = x * units[i].per_s;
      return TRUE;
    }
  val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
             "\"%s\" in \"%s\" is not a rate unit (/s, /ms, /m, /h)", rest, v->value);
  return FALSE;
}

static gboolean
parse_rate (const SynackConfig *cfg, const Val *v, double *out, GError **error)
{
  return parse_rate_full (cfg, v, FALSE, out, error);
}

/* One of @names; @what names the thing in messages ("closer"). */
static gboolean
parse_choice (const SynackConfig *cfg, const Val *v, const char *what,
              const char *const *names, guint *index, GError **error)
{
  g_autofree char *hint = NULL;
  g_autofree char *list = NULL;

  if (synack_text_index (names, v->value, index))
    return TRUE;
  hint = did_you_mean (v->value, names);
  list = g_strjoinv (", ", (char **) names);
  val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "unknown %s \"%s\"%s (%s)",
             what, v->value, hint, list);
  return FALSE;
}

static gboolean
parse_trace (const SynackConfig *cfg, const Val *v, guint *mask, GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (v->value, ", \t", -1);
  guint index;

  *mask = 0;
  for (guint i = 0; words[i] != NULL; i++) {
    Val w = *v;

    if (words[i][0] == '\0')
      continue;
    w.value = words[i];
    if (!parse_choice (cfg, &w, "trace", trace_names, &index, error))
      return FALSE;
    *mask |= 1u << index;   /* trace_names is in SynackTraceMask bit order */
  }
  return TRUE;
}

static gboolean
parse_only_flags (const SynackConfig *cfg, const Val *v, SynackLinkSpec *link, GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (v->value, " \t", -1);

  link->n_only = 0;
  for (guint i = 0; words[i] != NULL; i++) {
    g_autoptr (GError) sub = NULL;
    guint16 flags;

    if (words[i][0] == '\0')
      continue;
    if (link->n_only == SYNACK_MAX_ONLY_FLAGS) {
      val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                 "more than %u flag sets", (guint) SYNACK_MAX_ONLY_FLAGS);
      return FALSE;
    }
    if (!synack_flags_parse (words[i], &flags, &sub)) {
      val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
      return FALSE;
    }
    link->only_flags[link->n_only++] = flags;
  }
  return TRUE;
}

/* "[experiment] name" names the output directory. */
static gboolean
parse_name (const SynackConfig *cfg, const Val *v, GError **error)
{
  if (v->value[0] == '\0') {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
               "must not be empty (it names the output directory)");
    return FALSE;
  }
  if (!is_name_chars (v->value) || strcmp (v->value, ".") == 0
      || strcmp (v->value, "..") == 0) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
               "\"%s\" is not a valid name: use letters, digits, '-', '_' and '.' "
               "(it names the output directory)", v->value);
    return FALSE;
  }
  return TRUE;
}

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
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
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
  val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL, "unknown %s \"%s\" (%s)",
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
  hint = did_you_mean (v->key, (const char *const *) names->pdata);
  val_error (cfg, v, error, SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
             "%s \"%s\" has no parameter \"%s\"%s (%s takes %s)", kind_label (desc->kind),
             desc->name, model_param_name (v->key, prefix), hint, desc->name,
             list != NULL ? list : "no parameters");
}

/* The parameters of model @desc from the "PREFIX.X" values of @secs, later
 * sections overriding earlier ones.  *@string_val: the last STRING value set,
 * which a create() error is most likely about.  (transfer full) */
static SynackParams *
model_params (const View *view, const SynackPluginDesc *desc, const char *prefix,
              const guint *secs, guint n_secs, const Val **string_val, GError **error)
{
  g_autoptr (SynackParams) params = synack_params_new (desc->params);

  for (guint s = 0; s < n_secs; s++) {
    GArray *vals = view->vals[secs[s]];

    for (guint i = 0; i < vals->len; i++) {
      const Val *v = &g_array_index (vals, Val, i);
      const char *name = model_param_name (v->key, prefix);
      const SynackParamSpec *spec;
      g_autoptr (GError) sub = NULL;

      if (name == NULL)
        continue;
      spec = find_spec (desc->params, name);
      if (spec == NULL) {
        unknown_param_error (view->cfg, v, desc, prefix, error);
        return NULL;
      }
      if (!synack_params_set (params, name, v->value, &sub)) {
        val_error (view->cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
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
  val_error (view->cfg, string_val != NULL ? string_val : model_val, error,
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
  const Val *mv = view_find (view, dir, prefix);
  const Val *string_val = NULL;
  Val tmp;
  guint secs[2];
  guint n_secs = 0;

  *own = mv != NULL || dir == SEC_LINK;
  if (mv == NULL)
    mv = view_get (view, SEC_LINK, prefix, &tmp);
  *desc = lookup_model (view->cfg, mv, kind, error);
  if (*desc == NULL)
    return FALSE;
  if (!*own)
    secs[n_secs++] = SEC_LINK;
  secs[n_secs++] = dir;
  *params = model_params (view, *desc, prefix, secs, n_secs, &string_val, error);
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

  v = view_find (view, dir, "loss.only");
  if (v == NULL && !own_loss)
    v = view_find (view, SEC_LINK, "loss.only");
  if (v != NULL && !parse_only_flags (cfg, v, link, error))
    goto fail;

  v = view_find (view, dir, "duplicate");
  if (!parse_probability (cfg, v != NULL ? v : view_get (view, SEC_LINK, "duplicate", &tmp),
                          &link->duplicate, error))
    goto fail;
  v = view_find (view, dir, "duplicate.lag");
  if (!parse_duration (cfg, v != NULL ? v : view_get (view, SEC_LINK, "duplicate.lag", &tmp),
                       FALSE, &link->duplicate_lag_ns, error))
    goto fail;
  v = view_find (view, dir, "reorder");
  if (!parse_boolean (cfg, v != NULL ? v : view_get (view, SEC_LINK, "reorder", &tmp),
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

  v = view_get (view, SEC_EXPERIMENT, "profile", &tmp);
  if (!parse_choice (cfg, v, "profile", synack_tcp_profile_names (), &index, error))
    return FALSE;
  params = synack_tcp_profile_params (v->value);
  for (guint i = 0; i < vals->len; i++) {
    g_autoptr (GError) sub = NULL;

    v = &g_array_index (vals, Val, i);
    if (!synack_params_set (params, v->key, v->value, &sub)) {
      val_error (cfg, v, error, sub->code == SYNACK_PARAMS_ERROR_UNKNOWN
                 ? SYNACK_CONFIG_ERROR_UNKNOWN_KEY : SYNACK_CONFIG_ERROR_BAD_VALUE,
                 "%s", sub->message);
      return FALSE;
    }
  }
  synack_tcp_config_from_params (&spec->tcp, params);
  if (!parse_uint (cfg, view_get (view, SEC_WORKLOAD, "request", &tmp), 0, 65535, &request,
                   error))
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

  v = view_get (view, SEC_WORKLOAD, "connections", &tmp);
  if (!parse_uint (cfg, v, 1, G_MAXUINT64, &spec->connections, error))
    return FALSE;
  /* checked before anything is allocated: attempt ids are 32 bits */
  if (spec->connections > synack_net_max_attempts ()) {
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
               "%s attempts in one run is more than synack can number "
               "(at most %" G_GUINT64_FORMAT " per run); split them into "
               "replications", v->value, synack_net_max_attempts ());
    return FALSE;
  }
  if (!parse_uint (cfg, view_get (view, SEC_WORKLOAD, "clients", &tmp), 1, 65535, &n, error))
    return FALSE;
  spec->clients = (guint32) n;
  if (!parse_choice (cfg, view_get (view, SEC_WORKLOAD, "arrival", &tmp), "arrival",
                     synack_arrival_names (), &index, error))
    return FALSE;
  spec->arrival = (SynackArrival) index;
  if (!parse_rate (cfg, view_get (view, SEC_WORKLOAD, "rate", &tmp), &spec->rate_per_s, error))
    return FALSE;
  if (!parse_uint (cfg, view_get (view, SEC_WORKLOAD, "ports", &tmp), 1,
                   SYNACK_MAX_PORTS, &n, error))
    return FALSE;
  spec->ports = (guint32) n;
  if (!parse_duration (cfg, view_get (view, SEC_WORKLOAD, "hold", &tmp), FALSE, &spec->hold_ns,
                       error))
    return FALSE;
  if (!parse_choice (cfg, view_get (view, SEC_WORKLOAD, "closer", &tmp), "closer",
                     synack_closer_names (), &index, error))
    return FALSE;
  spec->closer = (SynackCloser) index;
  if (!parse_rate_full (cfg, view_get (view, SEC_WORKLOAD, "flood_rate", &tmp), TRUE,
                        &spec->flood_rate_per_s, error))
    return FALSE;
  if (!parse_uint (cfg, view_get (view, SEC_WORKLOAD, "flood_hosts", &tmp), 1, 65535, &n, error))
    return FALSE;
  spec->flood_hosts = (guint32) n;
  return TRUE;
}

/* A run budget: "auto" (0: synack_net_run() picks it) or a count >= 1. */
static gboolean
parse_budget (const SynackConfig *cfg, const Val *v, guint64 *out, GError **error)
{
  if (strcmp (v->value, "auto") == 0) {
    *out = 0;
    return TRUE;
  }
  return parse_uint (cfg, v, 1, G_MAXUINT64, out, error);
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
  view_init (&view, cfg, point, TRUE);

  v = view_get (&view, SEC_EXPERIMENT, "protocol", &tmp);
  spec->protocol = lookup_model (cfg, v, SYNACK_PLUGIN_PROTOCOL, error);
  if (spec->protocol == NULL)
    goto out;
  spec->protocol_params = model_params (&view, spec->protocol, "protocol", exp_sec, 1, NULL,
                                        error);
  if (spec->protocol_params == NULL || !build_tcp (&view, spec, error))
    goto out;
  if (!parse_duration (cfg, view_get (&view, SEC_EXPERIMENT, "until", &tmp), TRUE,
                       &spec->until_ns, error)
      || !parse_trace (cfg, view_get (&view, SEC_EXPERIMENT, "trace", &tmp), &spec->trace_mask,
                       error)
      || !parse_duration (cfg, view_get (&view, SEC_EXPERIMENT, "sample", &tmp), TRUE,
                          &spec->sample_ns, error)
      || !parse_budget (cfg, view_get (&view, SEC_EXPERIMENT, "max_events", &tmp),
                        &spec->max_events, error)
      || !parse_budget (cfg, view_get (&view, SEC_EXPERIMENT, "max_in_flight", &tmp),
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
  view_clear (&view);
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

  view_init (&view, cfg, 0, FALSE);
  v = view_find (&view, SEC_EXPERIMENT, "name");
  if (v != NULL && !parse_name (cfg, v, error))
    goto out;
  g_free (cfg->name);
  cfg->name = g_strdup (v != NULL ? v->value : cfg->default_name);
  if (!parse_uint (cfg, view_get (&view, SEC_EXPERIMENT, "replications", &tmp), 1, G_MAXUINT,
                   &n, error))
    goto out;
  cfg->replications = (guint) n;
  if (!parse_uint (cfg, view_get (&view, SEC_EXPERIMENT, "seed", &tmp), 0, G_MAXUINT64,
                   &cfg->seed, error))
    goto out;

  n = 1;
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    n *= k->values->len;
    if (n > SYNACK_SWEEP_MAX_VALUES) {
      Val sv = { k->key, k->text, "sweep", k->full, k->line, k->set_text, FALSE };

      val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
                 "the sweep has more than %u points", SYNACK_SWEEP_MAX_VALUES);
      goto out;
    }
  }
  cfg->n_points = (guint) n;
  if ((guint64) cfg->n_points * cfg->replications > SYNACK_CONFIG_MAX_RUNS) {
    v = view_get (&view, SEC_EXPERIMENT, "replications", &tmp);
    val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
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
  view_clear (&view);
  return ok;
}

/* ---- every error at once -------------------------------------------------------- */

/* One problem of a config, with the file line it is on (G_MAXUINT for a
 * --set, which comes after the file). */
typedef struct {
  guint   line;
  GError *error;
} Problem;

static void
problem_clear (gpointer data)
{
  g_clear_error (&((Problem *) data)->error);
}

static GArray *
problems_new (void)
{
  GArray *p = g_array_new (FALSE, FALSE, sizeof (Problem));

  g_array_set_clear_func (p, problem_clear);
  return p;
}

/* Takes @error (transfer full); the same message twice is kept once. */
static void
problems_add (GArray *problems, const SynackConfig *cfg, GError *error)
{
  const char *m = error->message;
  gsize n = strlen (cfg->path);
  Problem pb = { G_MAXUINT, error };

  for (guint i = 0; i < problems->len; i++)
    if (strcmp (g_array_index (problems, Problem, i).error->message, m) == 0) {
      g_error_free (error);
      return;
    }
  if (strncmp (m, cfg->path, n) == 0 && m[n] == ':' && g_ascii_isdigit (m[n + 1]))
    pb.line = (guint) g_ascii_strtoull (m + n + 1, NULL, 10);
  else if (!g_str_has_prefix (m, "--set "))
    pb.line = 0;   /* about the whole file */
  g_array_append_val (problems, pb);
}

static gint
compare_problems (gconstpointer a, gconstpointer b)
{
  guint la = ((const Problem *) a)->line, lb = ((const Problem *) b)->line;

  return la < lb ? -1 : la > lb;
}

/* Sets @error to every problem, one a line, in file order (the first one's
 * code); FALSE if there were any. */
static gboolean
problems_report (GArray *problems, GError **error)
{
  GString *all;
  GError *first;

  if (problems->len == 0)
    return TRUE;
  /* stable (GLib >= 2.32): one line's problems keep their order */
  g_array_sort (problems, compare_problems);
  first = g_array_index (problems, Problem, 0).error;
  all = g_string_new (first->message);
  for (guint i = 1; i < problems->len; i++)
    g_string_append_printf (all, "\n%s", g_array_index (problems, Problem, i).error->message);
  g_set_error_literal (error, first->domain, first->code, all->str);
  g_string_free (all, TRUE);
  return FALSE;
}

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
    gint k = find_sweep_key (cfg, cfg->fail_key);

    if (k < 0)
      return FALSE;
    g_ptr_array_remove_index (cfg->sweep, (guint) k);
  } else {
    GPtrArray *entries;
    gboolean dropped = FALSE;

    if (!synack_text_index (section_names, cfg->fail_sec, &sec) || sec >= N_SECTIONS)
      return FALSE;
    entries = cfg->sections[sec];
    for (guint i = entries->len; i-- > 0;) {
      const Entry *e = entries->pdata[i];
      const char *param = NULL;

      if (strcmp (e->key, cfg->fail_key) == 0 ||
          ((strcmp (cfg->fail_key, "loss") == 0 || strcmp (cfg->fail_key, "delay") == 0 ||
            strcmp (cfg->fail_key, "protocol") == 0) &&
           (param = model_param_name (e->key, cfg->fail_key)) != NULL)) {
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
static gboolean
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
    problems_add (problems, cfg, error);
    copy->fail_sec = g_strdup (cfg->fail_sec);
    copy->fail_key = g_strdup (cfg->fail_key);
    if (!drop_failed_key (copy))
      return FALSE;
  }
  for (guint tries = 0; tries < 100; tries++) {
    error = NULL;
    if (config_finish (copy, &error))
      break;
    problems_add (problems, cfg, error);
    if (!drop_failed_key (copy))
      break;
  }
  return FALSE;
}

/* ---- loading ---------------------------------------------------------------- */

/* Adds or replaces sweep key @full ("link.loss.p") with the values of @text.
 * @line (in the file) or @set_text (a --set) say where it came from. */
static gboolean
put_sweep_key (SynackConfig *cfg, const char *full, const char *text, guint line,
               const char *set_text, GError **error)
{
  Val sv = { full, text, "sweep", full, line, set_text, FALSE };
  g_autoptr (GError) sub = NULL;
  const KeyDef *def;
  SweepKey *k;
  guint sec;
  const char *key;
  gint old;

  if (!split_full_key (full, &sec, &key) || !key_is_known (sec, key)) {
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *hint = NULL;

    for (guint s = 0; s < N_SECTIONS; s++) {
      g_autoptr (GPtrArray) names = key_candidates (cfg->reg, s, TRUE);

      for (guint i = 0; names->pdata[i] != NULL; i++)
        g_ptr_array_add (all, g_strdup (names->pdata[i]));
    }
    g_ptr_array_add (all, NULL);
    hint = did_you_mean (full, (const char *const *) all->pdata);
    val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
               "no such key to sweep (write SECTION.KEY, e.g. link.loss.p)%s", hint);
    return FALSE;
  }
  def = find_keydef (sec, key);
  if (def != NULL && def->per_experiment) {
    val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
               "%s is set once per experiment; it cannot be swept", full);
    return FALSE;
  }
  k = g_new0 (SweepKey, 1);
  k->values = synack_sweep_expand (text, &k->text, &sub);
  if (k->values == NULL) {
    sweep_key_free (k);
    val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP, "%s", sub->message);
    return FALSE;
  }
  k->full = g_strdup (full);
  k->sec = sec;
  k->key = g_strdup (key);
  k->line = line;
  k->set_text = g_strdup (set_text);
  old = find_sweep_key (cfg, full);
  if (old >= 0) {
    sweep_key_free (cfg->sweep->pdata[old]);
    cfg->sweep->pdata[old] = k;
  } else {
    g_ptr_array_add (cfg->sweep, k);
  }
  return TRUE;
}

/* "FILE:LINE: [SEC] KEY: MESSAGE", "FILE:LINE: [SEC]: MESSAGE" without a
 * key, "FILE:LINE: KEY: MESSAGE" outside any section. */
G_GNUC_PRINTF (7, 8) static void
line_error (const SynackConfig *cfg, GError **error, SynackConfigError code, guint line,
            const char *sec, const char *key, const char *format, ...)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (sec != NULL)
    g_string_append_printf (where, " [%s]%s", sec, key != NULL ? "" : ":");
  if (key != NULL)
    g_string_append_printf (where, " %s:", key);
  g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s:%u:%s %s", cfg->path, line, where->str, msg);
}

typedef struct {
  guint sec;
  char *key;
  guint line;
} KeyLine;

static void
key_line_clear (gpointer data)
{
  g_free (((KeyLine *) data)->key);
}

/* Pass 1: checks every line and records where each key is; writes the text
 * GKeyFile will read into @clean (same lines, ';' comments made '#'). */
static gboolean
scan_lines (SynackConfig *cfg, const char *text, GString *clean, GArray *keys,
            GArray *problems)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint section_line[N_SECTIONS + 1] = { 0 };
  const char *sec_name = NULL;
  guint sec = 0;
  gboolean skip_section = FALSE;   /* keys of a bad [section] line */
  GError *error = NULL;

  for (guint i = 0; lines[i] != NULL; i++) {
    guint lineno = i + 1;
    char *line = lines[i];
    gsize len = strlen (line);
    g_autofree char *key = NULL;
    g_autofree char *id = NULL;
    char *s, *eq;
    guint first;

    if (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    if (i == 0 && g_str_has_prefix (line, "\xef\xbb\xbf"))   /* a UTF-8 byte order mark */
      line += 3;
    if (!g_utf8_validate (line, -1, NULL)) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, sec_name, NULL,
                  "the line is not valid UTF-8");
      problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    for (s = line; g_ascii_isspace (*s); s++)
      ;
    if (*s == '\0' || *s == '#' || *s == ';') {
      g_string_append (clean, *s == '\0' ? "\n" : "#\n");
      continue;
    }
    if (*s == '[') {
      char *end = strchr (s, ']');
      g_autofree char *name = NULL;

      if (end == NULL || end[1 + strspn (end + 1, " \t")] != '\0') {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, NULL, NULL,
                    "\"%s\" is not a [section] line", s);
        problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      name = g_strndup (s + 1, end - s - 1);
      if (!synack_text_index (section_names, name, &sec)) {
        g_autofree char *hint = did_you_mean (name, section_names);
        g_autofree char *list = g_strjoinv (", ", (char **) section_names);

        line_error (cfg, &error, SYNACK_CONFIG_ERROR_UNKNOWN_SECTION, lineno, name, NULL,
                    "unknown section%s (sections: %s)", hint, list);
        problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      if (section_line[sec] != 0) {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_DUPLICATE_KEY, lineno, name, NULL,
                    "section given twice (first at line %u)", section_line[sec]);
        problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      section_line[sec] = lineno;
      skip_section = FALSE;
      sec_name = section_names[sec];
      g_string_append_printf (clean, "[%s]\n", name);
      continue;
    }
    if (skip_section) {
      g_string_append (clean, "#\n");
      continue;
    }
    eq = strchr (s, '=');
    if (eq == NULL || eq == s) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, sec_name, NULL,
                  "\"%s\" is not \"key = value\", a [section] or a comment", s);
      problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    key = g_strstrip (g_strndup (s, eq - s));
    if (sec_name == NULL) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, NULL, key,
                  "a key before any [section]");
      problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    id = g_strdup_printf ("%u\n%s", sec, key);
    first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, id));
    if (first != 0) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_DUPLICATE_KEY, lineno, sec_name, key,
                  "key given twice in this section (first at line %u)", first);
      problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    g_hash_table_insert (seen, g_steal_pointer (&id), GUINT_TO_POINTER (lineno));
    if (sec == SEC_SWEEP) {
      /* checked in pass 3, but GKeyFile must never meet a key it refuses */
      if (!is_name_chars (key)) {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_BAD_SWEEP, lineno, sec_name, key,
                    "no such key to sweep (write SECTION.KEY, e.g. link.loss.p)");
        problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        continue;
      }
    } else if (!key_is_known (sec, key)) {
      g_autoptr (GPtrArray) names = key_candidates (cfg->reg, sec, FALSE);
      g_autofree char *hint = did_you_mean (key, (const char *const *) names->pdata);

      line_error (cfg, &error, SYNACK_CONFIG_ERROR_UNKNOWN_KEY, lineno, sec_name, key,
                  "unknown key%s", hint);
      problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    g_array_append_val (keys, ((KeyLine) { sec, g_steal_pointer (&key), lineno }));
    g_string_append_printf (clean, "%s\n", s);
  }
  return TRUE;
}

/* TRUE if every '\' in @raw starts an escape g_key_file_get_string()
 * takes: \s \n \t \r \\. */
static gboolean
has_good_escapes (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    if (*p == '\\') {
      p++;
      if (*p == '\0' || strchr ("sntr\\", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

SynackConfig *
synack_config_load_data (const char *text, const char *name, SynackRegistry *reg,
                         GError **error)
{
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (GString) clean = g_string_new (NULL);
  g_autoptr (GArray) keys = g_array_new (FALSE, TRUE, sizeof (KeyLine));
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GArray) problems = problems_new ();
  GError *sub = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (reg != NULL, NULL);

  /* every pass goes on past a problem, so the user gets all of them, in
   * line order, at once */
  cfg = config_new (name, reg);
  g_array_set_clear_func (keys, key_line_clear);
  scan_lines (cfg, text, clean, keys, problems);

  g_key_file_set_list_separator (kf, ',');
  if (!g_key_file_load_from_data (kf, clean->str, clean->len, G_KEY_FILE_NONE, &sub)) {
    /* the scan should have caught whatever GKeyFile refuses */
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX, "%s: %s",
                 cfg->path, sub->message);
    g_error_free (sub);
    return NULL;
  }
  for (guint i = 0; i < keys->len; i++) {
    const KeyLine *kl = &g_array_index (keys, KeyLine, i);
    g_autofree char *raw = g_key_file_get_value (kf, section_names[kl->sec], kl->key, NULL);
    g_autofree char *value = NULL;

    /* GKeyFile returns the raw text *and* an error for a bad escape; and
     * for a bad one followed by a trailing '\' it sets its GError twice
     * (GLib warns), so bad escapes are caught here before it sees them */
    if (raw == NULL || !has_good_escapes (raw)
        || (value = g_key_file_get_string (kf, section_names[kl->sec], kl->key, &sub)) == NULL
        || sub != NULL) {
      GError *bad = NULL;

      g_clear_error (&sub);
      line_error (cfg, &bad, SYNACK_CONFIG_ERROR_BAD_VALUE, kl->line, section_names[kl->sec],
                  kl->key, "\"%s\" has a bad escape sequence (GKeyFile takes \\s \\n \\t "
                  "\\r and \\\\ for one backslash)", raw != NULL ? g_strstrip (raw) : "");
      problems_add (problems, cfg, bad);
      continue;
    }
    g_strstrip (value);
    if (kl->sec == SEC_SWEEP) {
      if (!put_sweep_key (cfg, kl->key, value, kl->line, NULL, &sub))
        problems_add (problems, cfg, g_steal_pointer (&sub));
    } else {
      put_entry (cfg, kl->sec, kl->key, value, kl->line, NULL);
    }
  }
  if (!config_finish_all (cfg, problems)) {
    problems_report (problems, error);
    return NULL;
  }
  return g_steal_pointer (&cfg);
}

SynackConfig *
synack_config_load_file (const char *path, SynackRegistry *reg, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  FILE *f;
  int saved;

  g_return_val_if_fail (path != NULL, NULL);

  /* stdio rather than g_file_get_contents() for the plain
   * "FILE: No such file or directory" message */
  f = fopen (path, "rb");
  if (f != NULL) {
    GString *buf = g_string_new (NULL);
    char chunk[8192];
    size_t n;

    /* a config is a page or two; stop at a bound so that /dev/zero or a
     * huge file is an error, not all of memory */
    while ((n = fread (chunk, 1, sizeof chunk, f)) > 0
           && buf->len <= SYNACK_CONFIG_MAX_BYTES)
      g_string_append_len (buf, chunk, n);
    saved = ferror (f) ? errno : 0;
    fclose (f);
    if (saved == 0 && buf->len > SYNACK_CONFIG_MAX_BYTES) {
      g_string_free (buf, TRUE);
      g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_IO,
                   "%s: longer than %u bytes: not a config file", path,
                   SYNACK_CONFIG_MAX_BYTES);
      return NULL;
    }
    len = buf->len;
    text = g_string_free (buf, FALSE);
  } else {
    saved = errno;
  }
  if (saved != 0) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_IO, "%s: %s", path,
                 g_strerror (saved));
    return NULL;
  }
  if (memchr (text, '\0', len) != NULL) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "%s: contains a NUL byte: not a text file", path);
    return NULL;
  }
  return synack_config_load_data (text, path, reg, error);
}

/* ---- --set -------------------------------------------------------------------- */

/* The full key ("link.loss.p") an assignment sets, sweep or not, and where
 * its value starts. (transfer full) */
static char *
assignment_key (const char *text, const char **value)
{
  const char *eq = strchr (text, '=');
  char *full;

  if (eq == NULL)
    return NULL;
  full = g_strstrip (g_strndup (text, eq - text));
  *value = eq + 1;
  while (g_ascii_isspace (**value))
    (*value)++;
  return full;
}

/* Applies one --set to @cfg without checking the whole config. */
static gboolean
apply_set (SynackConfig *cfg, const char *text, GError **error)
{
  g_autofree char *full = NULL;
  const char *value = NULL, *key;
  guint sec;

  /* a file is checked line by line (scan_lines); a --set value goes into
   * config.ini as well, which must load again (found by tests/fuzz) */
  if (!g_utf8_validate (text, -1, NULL)) {
    g_autofree char *shown = g_utf8_make_valid (text, -1);

    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "--set %s: not valid UTF-8", shown);
    return FALSE;
  }
  full = assignment_key (text, &value);
  if (full == NULL) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "--set %s: expected SECTION.KEY=VALUE", text);
    return FALSE;
  }
  if (g_str_has_prefix (full, "sweep."))
    return put_sweep_key (cfg, full + strlen ("sweep."), value, 0, text, error);
  if (!split_full_key (full, &sec, &key)) {
    g_autofree char *first = g_strndup (full, strcspn (full, "."));
    g_autofree char *hint = did_you_mean (first, section_names);

    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_UNKNOWN_SECTION,
                 "--set %s: no section \"%s\"%s (write SECTION.KEY=VALUE)", text, first, hint);
    return FALSE;
  }
  if (!key_is_known (sec, key)) {
    g_autoptr (GPtrArray) names = key_candidates (cfg->reg, sec, TRUE);
    g_autofree char *hint = did_you_mean (full, (const char *const *) names->pdata);

    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
                 "--set %s: unknown key \"%s\"%s", text, full, hint);
    return FALSE;
  }
  {
    gint old = find_sweep_key (cfg, full);

    /* a single value replaces the sweep of that key */
    if (old >= 0)
      g_ptr_array_remove_index (cfg->sweep, old);
  }
  put_entry (cfg, sec, key, value, 0, text);
  return TRUE;
}

gboolean
synack_config_set (SynackConfig *cfg, const char *assignment, GError **error)
{
  const char *one[] = { assignment, NULL };

  return synack_config_set_all (cfg, one, error);
}

gboolean
synack_config_set_all (SynackConfig *cfg, const char *const *assignments,
                       GError **error)
{
  g_autoptr (SynackConfig) next = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                       g_free, g_free);
  g_autoptr (GArray) problems = problems_new ();
  SynackConfig swap;

  g_return_val_if_fail (cfg != NULL, FALSE);

  /* all of them, then one check: so their order cannot matter, and a key
   * set twice (or set and swept) is an error rather than "last wins";
   * every problem is reported, not only the first */
  next = config_clone (cfg);
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++) {
    g_autofree char *text = g_strstrip (g_strdup (assignments[i]));
    const char *value = NULL;
    g_autofree char *full = assignment_key (text, &value);
    const char *bare = full;
    const char *first;
    GError *sub = NULL;

    if (bare != NULL && g_str_has_prefix (bare, "sweep."))
      bare += strlen ("sweep.");
    first = bare != NULL ? g_hash_table_lookup (seen, bare) : NULL;
    if (first != NULL) {
      g_set_error (&sub, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                   "--set %s: %s is already set by --set %s; give it once",
                   text, bare, first);
      problems_add (problems, next, sub);
      continue;
    }
    if (bare != NULL)
      g_hash_table_insert (seen, g_strdup (bare), g_strdup (text));
    if (!apply_set (next, text, &sub))
      problems_add (problems, next, sub);
  }
  if (!config_finish_all (next, problems))
    return problems_report (problems, error);
  swap = *cfg;
  *cfg = *next;
  *next = swap;
  return TRUE;
}

/* ---- accessors ---------------------------------------------------------------- */

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
  put_entry (cfg, SEC_EXPERIMENT, "seed", value, 0, text);
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

  for (guint i = cfg->sweep->len - 1;; i--) {
    const SweepKey *k = cfg->sweep->pdata[i];
    guint n = k->values->len;

    if (i == key)
      return k->values->pdata[rest % n];
    rest /= n;
  }
}

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

GPtrArray *
synack_config_list_keys (const SynackRegistry *reg)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_free);

  for (guint sec = 0; sec < N_SECTIONS; sec++) {
    const KeyDef *defs = section_keys (sec);
    const SynackParamSpec *tcp = synack_tcp_param_specs ();

    for (guint i = 0; defs != NULL && defs[i].key != NULL; i++)
      g_ptr_array_add (out, g_strdup_printf ("%s.%s\t%s\t%s", section_names[sec],
                                             defs[i].key,
                                             defs[i].default_value ? defs[i].default_value
                                                                   : "(the file name)",
                                             defs[i].per_experiment ? "set once" : "sweepable"));
    for (guint i = 0; sec == SEC_TCP && tcp[i].name != NULL; i++)
      g_ptr_array_add (out, g_strdup_printf ("tcp.%s\t%s\t%s", tcp[i].name,
                                             tcp[i].default_value, tcp[i].help));
    if (sec == SEC_EXPERIMENT || is_link_section (sec)) {
      g_autoptr (GPtrArray) descs = synack_registry_list (reg);

      for (guint i = 0; i < descs->len; i++) {
        const SynackPluginDesc *d = descs->pdata[i];
        const char *prefix = d->kind == SYNACK_PLUGIN_LOSS ? "loss"
                           : d->kind == SYNACK_PLUGIN_DELAY ? "delay" : "protocol";

        if ((sec == SEC_EXPERIMENT) != (d->kind == SYNACK_PLUGIN_PROTOCOL))
          continue;
        for (guint j = 0; d->params != NULL && d->params[j].name != NULL; j++)
          g_ptr_array_add (out, g_strdup_printf ("%s.%s.%s\t%s\t%s %s: %s",
                                                 section_names[sec], prefix,
                                                 d->params[j].name,
                                                 d->params[j].default_value, prefix, d->name,
                                                 d->params[j].help));
      }
    }
  }
  return out;
}

/* ---- config.ini --------------------------------------------------------------- */

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
  return strcmp ((*(const Val *const *) a)->key, (*(const Val *const *) b)->key);
}

static void
write_given (GString *out, const View *view, guint sec, const char *prefix)
{
  GArray *vals = view->vals[sec];
  g_autoptr (GPtrArray) given = g_ptr_array_new ();

  for (guint i = 0; i < vals->len; i++) {
    const Val *v = &g_array_index (vals, Val, i);

    if (prefix == NULL || model_param_name (v->key, prefix) != NULL)
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
write_params (GString *out, const SynackConfig *cfg, guint sec, const char *prefix,
              const SynackParams *params)
{
  const SynackParamSpec *specs = synack_params_specs (params);

  for (guint i = 0; specs[i].name != NULL; i++) {
    g_autofree char *key = prefix ? g_strconcat (prefix, ".", specs[i].name, NULL)
                                  : g_strdup (specs[i].name);
    g_autofree char *value = NULL;

    if (is_swept (cfg, sec, key))
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

  if (is_swept (cfg, sec, prefix)) {
    write_given (out, view, sec, prefix);
    return;
  }
  mv = view_get (view, sec, prefix, &tmp);
  ini_key (out, prefix, mv->value);
  desc = synack_registry_lookup (cfg->reg, kind, mv->value);
  if (desc != NULL)
    params = model_params (view, desc, prefix, secs, 1, NULL, NULL);
  if (params != NULL)
    write_params (out, cfg, sec, prefix, params);
  else
    write_given (out, view, sec, prefix);   /* only if the registry changed */
}

static void
write_fixed (GString *out, const View *view, guint sec, const char *key)
{
  Val tmp;

  if (!is_swept (view->cfg, sec, key))
    ini_key (out, key, view_get (view, sec, key, &tmp)->value);
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
  view_init (&view, cfg, 0, FALSE);

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
  if (view_find (&view, SEC_EXPERIMENT, "max_events") != NULL)
    write_fixed (out, &view, SEC_EXPERIMENT, "max_events");
  if (view_find (&view, SEC_EXPERIMENT, "max_in_flight") != NULL)
    write_fixed (out, &view, SEC_EXPERIMENT, "max_in_flight");

  g_string_append (out, "\n[workload]\n");
  for (guint i = 0; workload_keys[i].key != NULL; i++)
    write_fixed (out, &view, SEC_WORKLOAD, workload_keys[i].key);

  g_string_append (out, "\n[link]\n");
  write_model (out, &view, SEC_LINK, SYNACK_PLUGIN_DELAY, "delay");
  write_model (out, &view, SEC_LINK, SYNACK_PLUGIN_LOSS, "loss");
  write_fixed (out, &view, SEC_LINK, "loss.only");
  write_fixed (out, &view, SEC_LINK, "duplicate");
  write_fixed (out, &view, SEC_LINK, "duplicate.lag");
  write_fixed (out, &view, SEC_LINK, "reorder");
  /* only what they override: [link]'s values written into them would
   * hide a sweep of [link] */
  g_string_append (out, "\n# client -> server: overrides [link]\n[link.forward]\n");
  write_given (out, &view, SEC_LINK_FORWARD, NULL);
  g_string_append (out, "\n# server -> client: overrides [link]\n[link.reverse]\n");
  write_given (out, &view, SEC_LINK_REVERSE, NULL);

  g_string_append (out, "\n[tcp]\n");
  if (is_swept (cfg, SEC_EXPERIMENT, "profile")) {
    /* the defaults differ from point to point */
    write_given (out, &view, SEC_TCP, NULL);
  } else {
    g_autoptr (SynackParams) params =
      synack_tcp_profile_params (view_get (&view, SEC_EXPERIMENT, "profile", &tmp)->value);
    GArray *vals = view.vals[SEC_TCP];

    for (guint i = 0; i < vals->len; i++) {
      const Val *v = &g_array_index (vals, Val, i);

      synack_params_set (params, v->key, v->value, NULL);   /* checked at load */
    }
    write_params (out, cfg, SEC_TCP, NULL, params);
  }

  g_string_append (out, "\n[sweep]\n");
  for (guint i = 0; i < cfg->sweep->len; i++) {
    const SweepKey *k = cfg->sweep->pdata[i];

    ini_key (out, k->full, k->text);
  }
  view_clear (&view);
  return g_string_free (out, FALSE);
}
