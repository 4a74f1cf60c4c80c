/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-values.c - typing the values of a sweep point.
 *
 * Every value goes through core/engine/params with its key's row of the
 * section's table (config-keys.c), the same parser [tcp] and every model's
 * parameters go through, so a mistake reads the same in every section; what
 * is wrong is said by config_val_error(), which adds file, line and key.
 * The few values made of words (trace, loss.only, name) are STRINGs to
 * params, and their words are checked here. */
#include "config-private.h"

#include <string.h>

#include "text.h"

/* ---- values -------------------------------------------------------------- */

gboolean
config_take (const SynackConfig *cfg, SynackParams *params, const Val *v,
             GError **error)
{
  g_autoptr (GError) sub = NULL;

  if (synack_params_set (params, v->key, v->value, &sub))
    return TRUE;
  config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s",
                    sub->message);
  return FALSE;
}

gboolean
config_parse_trace (const SynackConfig *cfg, const Val *v, guint *mask,
                    GError **error)
{
  g_auto (GStrv) words = g_strsplit_set (v->value, ", \t", -1);
  g_autofree char *choices = g_strjoinv ("|", (char **) config_trace_names);
  /* each word is a choice of config_trace_names (in SynackTraceMask bit
   * order) */
  const SynackParamSpec word = {
    "trace", SYNACK_PARAM_CHOICE, "states", "", "", 0, 0, choices
  };
  guint index;

  *mask = 0;
  for (guint i = 0; words[i] != NULL; i++) {
    g_autoptr (GError) sub = NULL;

    if (words[i][0] == '\0')
      continue;
    if (!synack_params_check_value (&word, words[i], &sub)) {
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s",
                        sub->message);
      return FALSE;
    }
    synack_text_index (config_trace_names, words[i], &index);
    *mask |= 1u << index;
  }
  return TRUE;
}

gboolean
config_parse_only_flags (const SynackConfig *cfg, const Val *v,
                         SynackLinkSpec *link, GError **error)
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
                        "more than %u flag sets", (guint)SYNACK_MAX_ONLY_FLAGS);
      return FALSE;
    }
    if (!synack_flags_parse (words[i], &flags, &sub)) {
      config_val_error (cfg, v, error, SYNACK_CONFIG_ERROR_BAD_VALUE, "%s",
                        sub->message);
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
                      "\"%s\" is not a valid name: use letters, digits, "
                      "'-', '_' and '.' (it names the output directory)",
                      v->value);
    return FALSE;
  }
  return TRUE;
}
