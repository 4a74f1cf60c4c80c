/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/sweep.c - expanding a [sweep] value into its list of values.
 *
 * The list is split at commas outside double quotes (so a loss.only set
 * "SYN,ACK" can be swept), then each item is either one value or a range.
 * A range is computed in doubles, but its count is computed once with a
 * small tolerance and every value is printed with ten significant digits,
 * so 0:0.1:0.3 has four values and the last one reads "0.3", not
 * "0.30000000000000004" (which would name another value in a CSV column). */
#include "sweep.h"

#include <math.h>
#include <string.h>

#include "clock.h"

G_DEFINE_QUARK (synack-sweep-error-quark, synack_sweep_error)

/* The units a range may carry: none, or a duration or rate unit of
 * synack_time_units(). */
static gboolean
known_unit (const char *unit)
{
  gboolean rate = unit[0] == '/';
  const SynackTimeUnit *u = synack_time_unit_lookup (unit + rate,
                                                     strlen (unit + rate));

  return unit[0] == '\0' || (u != NULL && (!rate || u->per_s > 0));
}

/* Splits "12.5 ms" into 12.5 and "ms".  @range is the whole item, for messages.
 */
static gboolean
parse_bound (const char *part, const char *range, double *value,
             const char **unit, GError **error)
{
  char *end = NULL;

  *value = g_ascii_strtod (part, &end);
  if (end == part || !isfinite (*value)) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_BAD_RANGE,
                 "\"%s\" in range %s is not a number", part, range);
    return FALSE;
  }
  while (g_ascii_isspace (*end))
    end++;
  if (!known_unit (end)) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_BAD_RANGE,
                 "\"%s\" in range %s has an unknown unit (a range takes "
                 "numbers, "
                 "durations such as 50ms or rates such as 100/s)",
                 part, range);
    return FALSE;
  }
  *unit = end;
  return TRUE;
}

static char *
format_value (double v, const char *unit)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* whole numbers in full, so an integer key never receives "1e+10" */
  if (v == floor (v) && fabs (v) < 1e15)
    g_ascii_formatd (buf, sizeof buf, "%.0f", v);
  else
    g_ascii_formatd (buf, sizeof buf, "%.10g", v);
  return g_strconcat (buf, unit, NULL);
}

/* Appends the values of range @item ("0s:30s:240s") to @values. */
static gboolean
expand_range (const char *item, GPtrArray *values, GString *norm,
              GError **error)
{
  g_auto (GStrv) parts = g_strsplit (item, ":", -1);
  double bound[3];
  const char *unit[3];
  double q;
  guint64 n;

  if (g_strv_length (parts) != 3) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_BAD_RANGE,
                 "\"%s\" is not a range start:step:stop", item);
    return FALSE;
  }
  for (guint i = 0; i < 3; i++) {
    g_strstrip (parts[i]);
    if (!parse_bound (parts[i], item, &bound[i], &unit[i], error))
      return FALSE;
  }
  if (strcmp (unit[0], unit[1]) != 0 || strcmp (unit[0], unit[2]) != 0) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_MIXED_UNITS,
                 "range %s mixes units: write start, step and stop in the same "
                 "unit",
                 item);
    return FALSE;
  }
  if (!(bound[1] > 0)) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_BAD_RANGE,
                 "empty range %s: the step must be more than 0", item);
    return FALSE;
  }
  if (bound[2] < bound[0]) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_BAD_RANGE,
                 "empty range %s: stop %s is below start %s", item, parts[2],
                 parts[0]);
    return FALSE;
  }
  q = (bound[2] - bound[0]) / bound[1];
  if (!(q + 1 <= SYNACK_SWEEP_MAX_VALUES - values->len)) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_TOO_MANY,
                 "range %s has more than %u values", item,
                 SYNACK_SWEEP_MAX_VALUES);
    return FALSE;
  }
  n = (guint64) floor (q + 1e-9) + 1;
  for (guint64 i = 0; i < n; i++) {
    double v = bound[0] + (double) i * bound[1];

    /* -0.2 + 2 * 0.1 is 2.8e-17, which must read "0" */
    if (fabs (v) < bound[1] * 1e-9)
      v = 0.0;
    g_ptr_array_add (values, format_value (v, unit[0]));
  }
  g_string_append_printf (norm, "%s:%s:%s", parts[0], parts[1], parts[2]);
  return TRUE;
}

static gboolean
expand_item (const char *item, GPtrArray *values, GString *norm, GError **error)
{
  gsize len = strlen (item);

  if (len == 0) {
    g_set_error_literal (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_EMPTY,
                         "empty value in the list");
    return FALSE;
  }
  if (values->len >= SYNACK_SWEEP_MAX_VALUES) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_TOO_MANY,
                 "more than %u values", SYNACK_SWEEP_MAX_VALUES);
    return FALSE;
  }
  if (item[0] == '"') {
    if (len < 2 || item[len - 1] != '"' ||
        memchr (item + 1, '"', len - 2) != NULL) {
      g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_SYNTAX,
                   "%s: a quoted value must be one \"...\" with no quote "
                   "inside",
                   item);
      return FALSE;
    }
    g_ptr_array_add (values, g_strndup (item + 1, len - 2));
    g_string_append (norm, item);
    return TRUE;
  }
  if (strchr (item, '"') != NULL) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_SYNTAX,
                 "%s: stray '\"' (quote a whole value: \"SYN,ACK\")", item);
    return FALSE;
  }
  if (strchr (item, ':') != NULL)
    return expand_range (item, values, norm, error);
  g_ptr_array_add (values, g_strdup (item));
  g_string_append (norm, item);
  return TRUE;
}

GPtrArray *
synack_sweep_expand (const char *text, char **normalised, GError **error)
{
  g_autoptr (GPtrArray) values = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) norm = g_string_new (NULL);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  const char *start = text;
  gboolean quoted = FALSE;

  g_return_val_if_fail (text != NULL, NULL);

  for (const char *p = text;; p++) {
    if (*p == '"')
      quoted = !quoted;
    else if ((*p == ',' && !quoted) || *p == '\0') {
      g_ptr_array_add (items, g_strstrip (g_strndup (start, p - start)));
      start = p + 1;
    }
    if (*p == '\0')
      break;
  }
  if (quoted) {
    g_set_error (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_SYNTAX,
                 "unterminated '\"' in %s", text);
    return NULL;
  }
  /* a GKeyFile-style list may end with its separator: "a, b," */
  if (items->len > 1 && *(char *) items->pdata[items->len - 1] == '\0')
    g_ptr_array_set_size (items, items->len - 1);
  if (items->len == 1 && *(char *) items->pdata[0] == '\0') {
    g_set_error_literal (error, SYNACK_SWEEP_ERROR, SYNACK_SWEEP_ERROR_EMPTY,
                         "no values (write v1, v2, ... or start:step:stop)");
    return NULL;
  }
  for (guint i = 0; i < items->len; i++) {
    if (i > 0)
      g_string_append (norm, ", ");
    if (!expand_item (items->pdata[i], values, norm, error))
      return NULL;
  }
  if (normalised != NULL)
    *normalised = g_string_free (g_steal_pointer (&norm), FALSE);
  return g_steal_pointer (&values);
}
