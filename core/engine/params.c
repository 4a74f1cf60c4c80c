/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/params.c - typed model parameters.
 *
 * A SynackParams is the spec table it was made from (borrowed: plugin tables
 * are static) plus one slot per row: a union holding the parsed value and a
 * flag saying whether it was set explicitly.  Defaults go through the very
 * parser that config values go through, so a default can never hold a value
 * a user could not write; a default that does not parse is a bug in the
 * table and stops the program (g_error), which is why the registry checks
 * foreign tables first with synack_params_check_specs().
 *
 * Lookup by name is a linear scan: tables have a handful of rows and values
 * are read once, in a model's create(), never per event. */
#include "params.h"

#include <math.h>
#include <string.h>

#include "text.h"

G_DEFINE_QUARK (synack-params-error-quark, synack_params_error)

typedef union {
  double      d;     /* DOUBLE, PROBABILITY, RATE (per second) */
  SynackTime  t;     /* DURATION */
  guint64     u;     /* UINT */
  char       *s;     /* STRING, CHOICE (owned) */
  gboolean    b;     /* BOOLEAN */
} Value;

typedef struct {
  Value    value;
  gboolean is_set;
} Slot;

struct _SynackParams {
  const SynackParamSpec *specs;   /* (transfer none) ends with a NULL name */
  guint                  n;
  Slot                  *slots;   /* n of them, in table order */
};

static const char *const type_names[] = {
  [SYNACK_PARAM_DOUBLE] = "double",
  [SYNACK_PARAM_PROBABILITY] = "probability",
  [SYNACK_PARAM_DURATION] = "duration",
  [SYNACK_PARAM_UINT] = "uint",
  [SYNACK_PARAM_STRING] = "string",
  [SYNACK_PARAM_BOOLEAN] = "boolean",
  [SYNACK_PARAM_CHOICE] = "choice",
  [SYNACK_PARAM_RATE] = "rate",
};

const char *
synack_param_type_name (SynackParamType type)
{
  if ((guint) type >= G_N_ELEMENTS (type_names))
    return "?";
  return type_names[type];
}

static gboolean
type_is_string (SynackParamType type)
{
  return type == SYNACK_PARAM_STRING || type == SYNACK_PARAM_CHOICE;
}

/* Range bounds as they read in messages: "0..1", "1..65535". */
static void
format_bound (char *buf, gsize size, double x)
{
  g_ascii_formatd (buf, size, "%.15g", x);
}

/* Checks @x (@text as written; seconds for DURATION, per second for RATE)
 * against the range of @spec. */
static gboolean
check_range (const SynackParamSpec *spec, const char *text, double x,
             GError **error)
{
  gboolean more_than_0 = spec->min == SYNACK_PARAM_MORE_THAN_0;
  const char *unit = spec->type == SYNACK_PARAM_DURATION ? "s"
                     : spec->type == SYNACK_PARAM_RATE ? "/s" : "";
  char lo[G_ASCII_DTOSTR_BUF_SIZE], hi[G_ASCII_DTOSTR_BUF_SIZE];

  if (!(spec->max > spec->min)
      || ((more_than_0 ? x > 0 : x >= spec->min) && x <= spec->max))
    return TRUE;
  format_bound (lo, sizeof lo, spec->min);
  format_bound (hi, sizeof hi, spec->max);
  if (more_than_0 && isinf (spec->max))
    g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                         SYNACK_PARAMS_ERROR_BAD_VALUE, "must be more than 0");
  else if (more_than_0)
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "%s is not more than 0 and at most %s%s", text, hi, unit);
  else if (isinf (spec->max))
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "must be at least %s%s", lo, unit);
  else
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "%s is outside %s%s..%s%s", text, lo, unit, hi, unit);
  return FALSE;
}

static gboolean
parse_double (const char *text, double *out, GError **error)
{
  char *end = NULL;
  double x;

  if (*text == '\0') {
    g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                         SYNACK_PARAMS_ERROR_BAD_VALUE,
                         "empty value, expected a number");
    return FALSE;
  }
  x = g_ascii_strtod (text, &end);
  if (end == text || *end != '\0') {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "\"%s\" is not a number", text);
    return FALSE;
  }
  /* also catches overflow: strtod gives +-HUGE_VAL, which is infinite */
  if (!isfinite (x)) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "\"%s\" is not a finite number", text);
    return FALSE;
  }
  *out = x;
  return TRUE;
}

static gboolean
parse_uint (const SynackParamSpec *spec, const char *text, guint64 *out,
            GError **error)
{
  g_auto (GStrv) words = g_strsplit (spec->choices ? spec->choices : "", "|",
                                     -1);
  guint64 u;

  /* a word of choices ("auto") stands for 0, whatever the range */
  for (guint i = 0; spec->choices != NULL && words[i] != NULL; i++)
    if (strcmp (text, words[i]) == 0) {
      *out = 0;
      return TRUE;
    }
  /* g_ascii_string_to_unsigned() would take a sign or spaces in some
   * versions; digits only is what we document */
  for (const char *p = text; *p != '\0'; p++)
    if (!g_ascii_isdigit (*p)) {
      g_autofree char *alt = g_strjoinv (" or ", words);

      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "\"%s\" is not a non-negative integer%s%s", text,
                   spec->choices != NULL ? " or " : "",
                   spec->choices != NULL ? alt : "");
      return FALSE;
    }
  if (*text == '\0') {
    g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                         SYNACK_PARAMS_ERROR_BAD_VALUE,
                         "empty value, expected a non-negative integer");
    return FALSE;
  }
  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, &u, NULL)) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "%s is too large", text);
    return FALSE;
  }
  if (!check_range (spec, text, (double) u, error))
    return FALSE;
  *out = u;
  return TRUE;
}

static gboolean
parse_boolean (const char *text, gboolean *out, GError **error)
{
  static const char *const yes[] = { "true", "yes", "1" };
  static const char *const no[] = { "false", "no", "0" };

  for (guint i = 0; i < G_N_ELEMENTS (yes); i++) {
    if (g_ascii_strcasecmp (text, yes[i]) == 0) {
      *out = TRUE;
      return TRUE;
    }
    if (g_ascii_strcasecmp (text, no[i]) == 0) {
      *out = FALSE;
      return TRUE;
    }
  }
  g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
               "\"%s\" is not a boolean (true, false, yes, no, 1, 0)", text);
  return FALSE;
}

static gboolean
parse_choice (const SynackParamSpec *spec, const char *text, GError **error)
{
  g_auto (GStrv) words = g_strsplit (spec->choices ? spec->choices : "",
                                     "|", -1);
  g_autofree char *list = NULL;
  const char *hint;

  for (guint i = 0; words[i] != NULL; i++)
    if (strcmp (text, words[i]) == 0)
      return TRUE;
  list = g_strjoinv (", ", words);
  hint = synack_text_suggest (text, (const char *const *) words);
  if (hint != NULL)
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "\"%s\" is not one of %s; did you mean \"%s\"?", text, list,
                 hint);
  else
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "\"%s\" is not one of %s", text, list);
  return FALSE;
}

/* Parses @raw under @spec into @out.  Surrounding blanks are ignored for
 * every type except STRING, which is kept as written.  On success a string
 * value is a new copy the caller owns. */
static gboolean
parse_value (const SynackParamSpec *spec, const char *raw, Value *out,
             GError **error)
{
  g_autofree char *text = NULL;
  GError *sub = NULL;

  if (raw == NULL)
    raw = "";
  if (spec->type == SYNACK_PARAM_STRING) {
    out->s = g_strdup (raw);
    return TRUE;
  }
  text = g_strstrip (g_strdup (raw));

  switch (spec->type) {
  case SYNACK_PARAM_DOUBLE:
    if (!parse_double (text, &out->d, error))
      return FALSE;
    return check_range (spec, text, out->d, error);
  case SYNACK_PARAM_PROBABILITY:
    if (!parse_double (text, &out->d, error))
      return FALSE;
    if (out->d < 0.0 || out->d > 1.0) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "%s is not a probability (0..1)", text);
      return FALSE;
    }
    return TRUE;
  case SYNACK_PARAM_DURATION:
    /* same message, one domain for everything synack_params_set() says */
    if (!synack_time_parse (text, &out->t, &sub)) {
      g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                           SYNACK_PARAMS_ERROR_BAD_VALUE, sub->message);
      g_error_free (sub);
      return FALSE;
    }
    return check_range (spec, text, synack_time_to_seconds (out->t), error);
  case SYNACK_PARAM_RATE:
    if (!synack_rate_parse (text, &out->d, &sub)) {
      g_set_error_literal (error, SYNACK_PARAMS_ERROR,
                           SYNACK_PARAMS_ERROR_BAD_VALUE, sub->message);
      g_error_free (sub);
      return FALSE;
    }
    return check_range (spec, text, out->d, error);
  case SYNACK_PARAM_UINT:
    return parse_uint (spec, text, &out->u, error);
  case SYNACK_PARAM_BOOLEAN:
    return parse_boolean (text, &out->b, error);
  case SYNACK_PARAM_CHOICE:
    if (!parse_choice (spec, text, error))
      return FALSE;
    out->s = g_steal_pointer (&text);
    return TRUE;
  case SYNACK_PARAM_STRING:
  default:
    break;
  }
  g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
               "parameter type %d is unknown", (int) spec->type);
  return FALSE;
}

static void
value_clear (const SynackParamSpec *spec, Value *v)
{
  if (type_is_string (spec->type))
    g_clear_pointer (&v->s, g_free);
}

static gint
find (const SynackParams *params, const char *name)
{
  if (name == NULL)
    return -1;
  for (guint i = 0; i < params->n; i++)
    if (strcmp (params->specs[i].name, name) == 0)
      return (gint) i;
  return -1;
}

gboolean
synack_params_check_specs (const SynackParamSpec *specs, GError **error)
{
  g_return_val_if_fail (specs != NULL, FALSE);

  for (guint i = 0; specs[i].name != NULL; i++) {
    const SynackParamSpec *spec = &specs[i];
    Value v = { 0 };
    GError *sub = NULL;

    if (spec->name[0] == '\0') {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "parameter %u has an empty name", i + 1);
      return FALSE;
    }
    for (guint j = 0; j < i; j++)
      if (strcmp (specs[j].name, spec->name) == 0) {
        g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                     "parameter \"%s\" is declared twice", spec->name);
        return FALSE;
      }
    if ((guint) spec->type >= G_N_ELEMENTS (type_names)) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "parameter \"%s\" has unknown type %d", spec->name,
                   (int) spec->type);
      return FALSE;
    }
    if (spec->type == SYNACK_PARAM_CHOICE
        && (spec->choices == NULL || spec->choices[0] == '\0')) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "parameter \"%s\" is a choice without choices", spec->name);
      return FALSE;
    }
    if (!parse_value (spec, spec->default_value, &v, &sub)) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "parameter \"%s\": default: %s", spec->name, sub->message);
      g_error_free (sub);
      return FALSE;
    }
    value_clear (spec, &v);
  }
  return TRUE;
}

SynackParams *
synack_params_new (const SynackParamSpec *specs)
{
  SynackParams *params;

  g_return_val_if_fail (specs != NULL, NULL);

  params = g_new0 (SynackParams, 1);
  params->specs = specs;
  while (specs[params->n].name != NULL)
    params->n++;
  params->slots = g_new0 (Slot, params->n);
  for (guint i = 0; i < params->n; i++) {
    GError *error = NULL;

    /* a default that does not parse is a bug in the table, not user input */
    if (!parse_value (&specs[i], specs[i].default_value,
                      &params->slots[i].value, &error))
      g_error ("parameter \"%s\": default \"%s\": %s", specs[i].name,
               specs[i].default_value ? specs[i].default_value : "(null)",
               error->message);
  }
  return params;
}

SynackParams *
synack_params_copy (const SynackParams *params)
{
  SynackParams *copy;

  g_return_val_if_fail (params != NULL, NULL);

  copy = g_new0 (SynackParams, 1);
  copy->specs = params->specs;
  copy->n = params->n;
  copy->slots = g_memdup2 (params->slots, sizeof (Slot) * params->n);
  for (guint i = 0; i < copy->n; i++)
    if (type_is_string (copy->specs[i].type))
      copy->slots[i].value.s = g_strdup (params->slots[i].value.s);
  return copy;
}

void
synack_params_free (SynackParams *params)
{
  if (params == NULL)
    return;
  for (guint i = 0; i < params->n; i++)
    value_clear (&params->specs[i], &params->slots[i].value);
  g_free (params->slots);
  g_free (params);
}

gboolean
synack_params_set (SynackParams *params, const char *name, const char *text,
                   GError **error)
{
  Value v = { 0 };
  gint i;

  g_return_val_if_fail (params != NULL, FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  i = find (params, name);
  if (i < 0) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_UNKNOWN,
                 "no parameter \"%s\"", name);
    return FALSE;
  }
  if (!parse_value (&params->specs[i], text, &v, error))
    return FALSE;
  value_clear (&params->specs[i], &params->slots[i].value);
  params->slots[i].value = v;
  params->slots[i].is_set = TRUE;
  return TRUE;
}

gboolean
synack_params_check_value (const SynackParamSpec *spec, const char *text,
                           GError **error)
{
  Value v = { 0 };

  g_return_val_if_fail (spec != NULL, FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!parse_value (spec, text, &v, error))
    return FALSE;
  value_clear (spec, &v);
  return TRUE;
}

gboolean
synack_params_is_set (const SynackParams *params, const char *name)
{
  gint i;

  g_return_val_if_fail (params != NULL, FALSE);
  i = find (params, name);
  g_return_val_if_fail (i >= 0, FALSE);
  return params->slots[i].is_set;
}

const SynackParamSpec *
synack_params_specs (const SynackParams *params)
{
  g_return_val_if_fail (params != NULL, NULL);
  return params->specs;
}

/* The slot of key @name, if @params has it and its type is @type or
 * @also (the two kinds that share a value field; pass @type twice when
 * only one does); otherwise NULL, with a critical warning (a caller's
 * bug, as in g_return_val_if_fail()). */
static const Slot *
typed_slot (const SynackParams *params, const char *name,
            SynackParamType type, SynackParamType also)
{
  gint i;

  g_return_val_if_fail (params != NULL, NULL);
  i = find (params, name);
  g_return_val_if_fail (i >= 0, NULL);
  g_return_val_if_fail (params->specs[i].type == type
                        || params->specs[i].type == also, NULL);
  return &params->slots[i];
}

double
synack_params_get_double (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name, SYNACK_PARAM_DOUBLE,
                                  SYNACK_PARAM_PROBABILITY);

  return slot ? slot->value.d : 0.0;
}

SynackTime
synack_params_get_duration (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name,
                                  SYNACK_PARAM_DURATION, SYNACK_PARAM_DURATION);

  return slot ? slot->value.t : 0;
}

double
synack_params_get_rate (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name,
                                  SYNACK_PARAM_RATE, SYNACK_PARAM_RATE);

  return slot ? slot->value.d : 0.0;
}

guint64
synack_params_get_uint (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name,
                                  SYNACK_PARAM_UINT, SYNACK_PARAM_UINT);

  return slot ? slot->value.u : 0;
}

const char *
synack_params_get_string (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name,
                                  SYNACK_PARAM_STRING, SYNACK_PARAM_CHOICE);

  return slot ? slot->value.s : NULL;
}

gboolean
synack_params_get_boolean (const SynackParams *params, const char *name)
{
  const Slot *slot = typed_slot (params, name,
                                  SYNACK_PARAM_BOOLEAN, SYNACK_PARAM_BOOLEAN);

  return slot ? slot->value.b : FALSE;
}

/* The shortest "%.Ng" text that reads back as exactly @x: "0.1", not
 * g_ascii_dtostr()'s "0.10000000000000001". */
static char *
format_double (double x)
{
  static const char *const formats[] = { "%.15g", "%.16g", "%.17g" };
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  /* 17 significant digits always round-trip a double, so the loop ends */
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++) {
    g_ascii_formatd (buf, sizeof buf, formats[i], x);
    if (g_ascii_strtod (buf, NULL) == x)
      break;
  }
  return g_strdup (buf);
}

char *
synack_params_to_string (const SynackParams *params, const char *name)
{
  const Value *v;
  char buf[SYNACK_TIME_FORMAT_SIZE];
  gint i;

  g_return_val_if_fail (params != NULL, NULL);
  i = find (params, name);
  g_return_val_if_fail (i >= 0, NULL);

  v = &params->slots[i].value;
  switch (params->specs[i].type) {
  case SYNACK_PARAM_DOUBLE:
  case SYNACK_PARAM_PROBABILITY:
    return format_double (v->d);
  case SYNACK_PARAM_DURATION:
    return g_strdup (synack_time_format_unit (v->t, buf));
  case SYNACK_PARAM_RATE: {
    g_autofree char *n = format_double (v->d);

    return g_strconcat (n, "/s", NULL);
  }
  case SYNACK_PARAM_UINT:
    /* 0 of a UINT with words is its first word: "auto" */
    if (v->u == 0 && params->specs[i].choices != NULL)
      return g_strndup (params->specs[i].choices,
                        strcspn (params->specs[i].choices, "|"));
    return g_strdup_printf ("%" G_GUINT64_FORMAT, v->u);
  case SYNACK_PARAM_STRING:
  case SYNACK_PARAM_CHOICE:
    return g_strdup (v->s);
  case SYNACK_PARAM_BOOLEAN:
    return g_strdup (v->b ? "true" : "false");
  default:
    break;
  }
  g_return_val_if_reached (NULL);
}
