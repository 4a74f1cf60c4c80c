/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-values.c - the value parsers of the fixed sections.
 *
 * Each takes one value as a sweep point sees it (a Val) and says what is
 * wrong with config_val_error(), which adds file, line and key. */
#include "config-private.h"

#include <math.h>
#include <string.h>

#include "text.h"

/* ---- values ------------------------------------------------------------------- */

gboolean
config_parse_uint (const SynackConfig *cfg, const Val *v, guint64 min, guint64 max, guint64 *out,
                   GError **error)
{
  guint64 n;

  if (v->value[0] == '\0' || strspn (v->value, "0123456789") != strlen (v->value)) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "\"%s\" is not a whole number",
                      v->value);
    return FALSE;
  }
  if (!g_ascii_string_to_unsigned (v->value, 10, 0, G_MAXUINT64, &n, NULL) || n > max) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%s is out of range (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT ")",
                      v->value, min, max);
    return FALSE;
  }
  if (n < min) {
    if (max == G_MAXUINT64 || max == G_MAXUINT)
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                        "must be at least %" G_GUINT64_FORMAT, min);
    else
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                        "%s is out of range (%" G_GUINT64_FORMAT "..%" G_GUINT64_FORMAT ")",
                        v->value, min, max);
    return FALSE;
  }
  *out = n;
  return TRUE;
}

gboolean
config_parse_duration (const SynackConfig *cfg, const Val *v, gboolean positive, SynackTime *out,
                       GError **error)
{
  g_autoptr (GError) sub = NULL;

  if (!synack_time_parse (v->value, out, &sub)) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
    return FALSE;
  }
  if (positive && *out <= 0) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "must be more than 0");
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

gboolean
config_parse_probability (const SynackConfig *cfg, const Val *v, double *out, GError **error)
{
  if (!parse_number (v->value, out, NULL) || *out < 0.0 || *out > 1.0) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "%s is not a probability (0..1)",
                      v->value);
    return FALSE;
  }
  return TRUE;
}

/* "true"/"false", "yes"/"no", "1"/"0". */
gboolean
config_parse_boolean (const SynackConfig *cfg, const Val *v, gboolean *out, GError **error)
{
  static const char *const yes[] = { "true", "yes", "1" }, *const no[] = { "false", "no", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
    if (g_ascii_strcasecmp (v->value, yes[i]) == 0)
      return *out = TRUE, TRUE;
    if (g_ascii_strcasecmp (v->value, no[i]) == 0)
      return *out = FALSE, TRUE;
  }
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "\"%s\" is not true or false",
                    v->value);
  return FALSE;
}

/* "100/s", "2/ms", "30/m", "5/h" in attempts per second; 0 only if
 * @allow_zero. */
gboolean
config_parse_rate_full (const SynackConfig *cfg, const Val *v, gboolean allow_zero, double *out,
                        GError **error)
{
  static const struct { const char *unit; double per_s; } units[] = {
    { "/s", 1.0 }, { "/ms", 1000.0 }, { "/m", 1.0 / 60 }, { "/h", 1.0 / 3600 },
  };
  const char *rest;
  double x;

  if (!parse_number (v->value, &x, &rest)) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "\"%s\" is not a rate (e.g. 100/s)", v->value);
    return FALSE;
  }
  while (g_ascii_isspace (*rest))
    rest++;
  if (*rest == '\0') {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "\"%s\" has no unit: write %s/s",
                      v->value, v->value);
    return FALSE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (rest, units[i].unit) == 0) {
      if (!(x > 0) && !(allow_zero && x == 0)) {
        config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                          allow_zero ? "must be 0 or more" : "must be more than 0");
        return FALSE;
      }
      *out = x * units[i].per_s;
      return TRUE;
    }
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                    "\"%s\" in \"%s\" is not a rate unit (/s, /ms, /m, /h)", rest, v->value);
  return FALSE;
}

gboolean
config_parse_rate (const SynackConfig *cfg, const Val *v, double *out, GError **error)
{
  return config_parse_rate_full (cfg, v, FALSE, out, error);
}

/* One of @names; @what names the thing in messages ("closer"). */
gboolean
config_parse_choice (const SynackConfig *cfg, const Val *v, const char *what,
                     const char *const *names, guint *index, GError **error)
{
  g_autofree char *hint = NULL;
  g_autofree char *list = NULL;

  if (synack_text_index (names, v->value, index))
    return TRUE;
  hint = config_did_you_mean (v->value, names);
  list = g_strjoinv (", ", (char **) names);
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "unknown %s \"%s\"%s (%s)",
                    what, v->value, hint, list);
  return FALSE;
}

gboolean
config_parse_trace (const SynackConfig *cfg, const Val *v, guint *mask, GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (v->value, ", \t", -1);
  guint index;

  *mask = 0;
  for (guint i = 0; words[i] != NULL; i++) {
    Val w = *v;

    if (words[i][0] == '\0')
      continue;
    w.value = words[i];
    if (!config_parse_choice (cfg, &w, "trace", config_trace_names, &index, error))
      return FALSE;
    *mask |= 1u << index;   /* config_trace_names is in SynackTraceMask bit order */
  }
  return TRUE;
}

gboolean
config_parse_only_flags (const SynackConfig *cfg, const Val *v, SynackLinkSpec *link,
                         GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (v->value, " \t", -1);

  link->n_only = 0;
  for (guint i = 0; words[i] != NULL; i++) {
    g_autoptr (GError) sub = NULL;
    guint16 flags;

    if (words[i][0] == '\0')
      continue;
    if (link->n_only == SYNACK_MAX_ONLY_FLAGS) {
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                        "more than %u flag sets", (guint) SYNACK_MAX_ONLY_FLAGS);
      return FALSE;
    }
    if (!synack_flags_parse (words[i], &flags, &sub)) {
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s", sub->message);
      return FALSE;
    }
    link->only_flags[link->n_only++] = flags;
  }
  return TRUE;
}

/* "[experiment] name" names the output directory. */
gboolean
config_parse_name (const SynackConfig *cfg, const Val *v, GError **error)
{
  if (v->value[0] == '\0') {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "must not be empty (it names the output directory)");
    return FALSE;
  }
  if (!config_is_name_chars (v->value) || strcmp (v->value, ".") == 0
      || strcmp (v->value, "..") == 0) {
    config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE,
                      "\"%s\" is not a valid name: use letters, digits, '-', '_' and '.' "
                      "(it names the output directory)", v->value);
    return FALSE;
  }
  return TRUE;
}

/* A run budget: "auto" (0: synack_net_run() picks it) or a count >= 1. */
gboolean
config_parse_budget (const SynackConfig *cfg, const Val *v, guint64 *out, GError **error)
{
  if (strcmp (v->value, "auto") == 0) {
    *out = 0;
    return TRUE;
  }
  return config_parse_uint (cfg, v, 1, G_MAXUINT64, out, error);
}
