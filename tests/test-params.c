/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-params.c - core/engine/params.c: typed model parameters.
 *
 * Covers parsing of every type (a row per accepted text with the value and
 * the normalised text it gives, a row per refused text with the error code
 * and message), defaults and is_set, the to_string round trip, copies,
 * checking of foreign spec tables, a bad default stopping the program, and
 * getters of the wrong type giving a critical. */
#include <string.h>

#include "params.h"

/* One row of each type; "ur" and "dr" have ranges. */
static const SynackParamSpec specs[] = {
  { "d", SYNACK_PARAM_DOUBLE, "0.5", "", "a double", 0, 0, NULL },
  { "dr", SYNACK_PARAM_DOUBLE, "0.5", "", "a double in 0..1", 0, 1, NULL },
  { "p", SYNACK_PARAM_PROBABILITY, "0.1", "", "a probability", 0, 0, NULL },
  { "t", SYNACK_PARAM_DURATION, "10ms", "s", "a duration", 0, 0, NULL },
  { "u", SYNACK_PARAM_UINT, "7", "", "an integer", 0, 0, NULL },
  { "ur", SYNACK_PARAM_UINT, "80", "", "an integer in 1..65535", 1, 65535, NULL },
  { "s", SYNACK_PARAM_STRING, "hello", "", "free text", 0, 0, NULL },
  { "b", SYNACK_PARAM_BOOLEAN, "false", "", "a boolean", 0, 0, NULL },
  { "c", SYNACK_PARAM_CHOICE, "random", "", "a choice", 0, 0, "random|rfc6528|zero" },
  /* the ranges the config's key tables use (experiments/config-keys.c) */
  { "r", SYNACK_PARAM_RATE, "100/s", "1/s", "a rate", 0, 0, NULL },
  { "rp", SYNACK_PARAM_RATE, "1/s", "1/s", "a rate > 0", SYNACK_PARAM_MORE_THAN_0, INFINITY, NULL },
  { "tp", SYNACK_PARAM_DURATION, "1h", "s", "a duration > 0", SYNACK_PARAM_MORE_THAN_0, INFINITY, NULL },
  { "ua", SYNACK_PARAM_UINT, "1", "", "an integer >= 1", 1, INFINITY, NULL },
  { "uw", SYNACK_PARAM_UINT, "auto", "", "an integer >= 1 or auto", 1, INFINITY, "auto" },
  { NULL }
};

/* ---- accepted values ------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *name;
  const char *text;
  double      d;          /* expected, by the row's type */
  SynackTime  t;
  guint64     u;
  const char *s;
  gboolean    b;
  const char *normal;     /* synack_params_to_string() afterwards */
} GoodCase;

static const GoodCase good_cases[] = {
  /* path                              name  text                    d, t, u, s, b                     normal */
  { "/params/double/plain",            "d",  "2.5",                  2.5, 0, 0, NULL, 0,               "2.5" },
  { "/params/double/exponent",         "d",  "1e3",                  1000, 0, 0, NULL, 0,              "1000" },
  { "/params/double/negative",         "d",  "-0.25",                -0.25, 0, 0, NULL, 0,             "-0.25" },
  { "/params/double/blanks",           "d",  " 3 ",                  3, 0, 0, NULL, 0,                 "3" },
  { "/params/double/tenth",            "d",  "0.1",                  0.1, 0, 0, NULL, 0,               "0.1" },
  { "/params/double/sixteen-digits",   "d",  "0.3333333333333333",   0.3333333333333333, 0, 0, NULL, 0, "0.3333333333333333" },
  { "/params/double/range-low",        "dr", "0",                    0, 0, 0, NULL, 0,                 "0" },
  { "/params/double/range-high",       "dr", "1",                    1, 0, 0, NULL, 0,                 "1" },
  { "/params/probability/zero",        "p",  "0",                    0, 0, 0, NULL, 0,                 "0" },
  { "/params/probability/one",         "p",  "1",                    1, 0, 0, NULL, 0,                 "1" },
  { "/params/probability/quarter",     "p",  "0.25",                 0.25, 0, 0, NULL, 0,              "0.25" },
  { "/params/duration/ms",             "t",  "50ms",                 0, 50 * SYNACK_MSECOND, 0, NULL, 0, "50ms" },
  { "/params/duration/fraction",       "t",  "1.5s",                 0, 1500 * SYNACK_MSECOND, 0, NULL, 0, "1500ms" },
  { "/params/duration/minutes",        "t",  "2m",                   0, 2 * SYNACK_MINUTE, 0, NULL, 0, "2m" },
  { "/params/duration/zero",           "t",  "0s",                   0, 0, 0, NULL, 0,                 "0s" },
  { "/params/uint/plain",              "u",  "42",                   0, 0, 42, NULL, 0,                "42" },
  { "/params/uint/zero",               "u",  "0",                    0, 0, 0, NULL, 0,                 "0" },
  { "/params/uint/largest",            "u",  "18446744073709551615", 0, 0, G_MAXUINT64, NULL, 0,       "18446744073709551615" },
  { "/params/uint/range-high",         "ur", "65535",                0, 0, 65535, NULL, 0,             "65535" },
  { "/params/uint/range-low",          "ur", "1",                    0, 0, 1, NULL, 0,                 "1" },
  { "/params/string/text",             "s",  "SYN#1 #2",             0, 0, 0, "SYN#1 #2", 0,           "SYN#1 #2" },
  { "/params/string/empty",            "s",  "",                     0, 0, 0, "", 0,                   "" },
  { "/params/string/blanks-kept",      "s",  " a ",                  0, 0, 0, " a ", 0,                " a " },
  { "/params/boolean/true",            "b",  "true",                 0, 0, 0, NULL, TRUE,              "true" },
  { "/params/boolean/yes-upper",       "b",  "YES",                  0, 0, 0, NULL, TRUE,              "true" },
  { "/params/boolean/one",             "b",  "1",                    0, 0, 0, NULL, TRUE,              "true" },
  { "/params/boolean/false-mixed",     "b",  "False",                0, 0, 0, NULL, FALSE,             "false" },
  { "/params/boolean/no",              "b",  "no",                   0, 0, 0, NULL, FALSE,             "false" },
  { "/params/boolean/zero",            "b",  "0",                    0, 0, 0, NULL, FALSE,             "false" },
  { "/params/choice/zero",             "c",  "zero",                 0, 0, 0, "zero", 0,               "zero" },
  { "/params/choice/rfc6528",          "c",  "rfc6528",              0, 0, 0, "rfc6528", 0,            "rfc6528" },
  /* rates: a count per unit of synack_time_units(), in per second */
  { "/params/rate/per-s",              "r",  "100/s",                100, 0, 0, NULL, 0,               "100/s" },
  { "/params/rate/per-ms",             "r",  "1/ms",                 1000, 0, 0, NULL, 0,              "1000/s" },
  { "/params/rate/per-m",              "r",  "30/m",                 0.5, 0, 0, NULL, 0,               "0.5/s" },
  { "/params/rate/per-h",              "r",  "7200/h",               2, 0, 0, NULL, 0,                 "2/s" },
  { "/params/rate/blank-before-unit",  "r",  "5 /s",                 5, 0, 0, NULL, 0,                 "5/s" },
  { "/params/rate/zero",               "r",  "0/s",                  0, 0, 0, NULL, 0,                 "0/s" },
  { "/params/rate/fraction",           "r",  "0.5/s",                0.5, 0, 0, NULL, 0,               "0.5/s" },
  { "/params/rate/more-than-0",        "rp", "1e-300/s",             1e-300, 0, 0, NULL, 0,            "1e-300/s" },
  { "/params/duration/more-than-0",    "tp", "1ns",                  0, 1, 0, NULL, 0,                 "1ns" },
  { "/params/uint/at-least",           "ua", "1",                    0, 0, 1, NULL, 0,                 "1" },
  { "/params/uint/at-least-largest",   "ua", "18446744073709551615", 0, 0, G_MAXUINT64, NULL, 0,       "18446744073709551615" },
  { "/params/uint/word",               "uw", "auto",                 0, 0, 0, NULL, 0,                 "auto" },
  { "/params/uint/word-or-number",     "uw", "5",                    0, 0, 5, NULL, 0,                 "5" },
};

static const SynackParamSpec *
spec_of (const char *name)
{
  for (guint i = 0; specs[i].name != NULL; i++)
    if (strcmp (specs[i].name, name) == 0)
      return &specs[i];
  g_assert_not_reached ();
}

/* Checks that @params holds @gc's expected value for @gc->name. */
static void
assert_value (const SynackParams *params, const GoodCase *gc)
{
  switch (spec_of (gc->name)->type) {
  case SYNACK_PARAM_DOUBLE:
  case SYNACK_PARAM_PROBABILITY:
    g_assert_cmpfloat (synack_params_get_double (params, gc->name), ==, gc->d);
    break;
  case SYNACK_PARAM_DURATION:
    g_assert_cmpint (synack_params_get_duration (params, gc->name), ==, gc->t);
    break;
  case SYNACK_PARAM_UINT:
    g_assert_cmpuint (synack_params_get_uint (params, gc->name), ==, gc->u);
    break;
  case SYNACK_PARAM_STRING:
  case SYNACK_PARAM_CHOICE:
    g_assert_cmpstr (synack_params_get_string (params, gc->name), ==, gc->s);
    break;
  case SYNACK_PARAM_BOOLEAN:
    g_assert_cmpint (synack_params_get_boolean (params, gc->name), ==, gc->b);
    break;
  case SYNACK_PARAM_RATE:
    g_assert_cmpfloat (synack_params_get_rate (params, gc->name), ==, gc->d);
    break;
  }
}

static void
test_good (gconstpointer data)
{
  const GoodCase *gc = data;
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autoptr (GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_false (synack_params_is_set (params, gc->name));
  g_assert_true (synack_params_check_value (spec_of (gc->name), gc->text, NULL));
  g_assert_true (synack_params_set (params, gc->name, gc->text, &error));
  g_assert_no_error (error);
  g_assert_true (synack_params_is_set (params, gc->name));
  assert_value (params, gc);
  text = synack_params_to_string (params, gc->name);
  g_assert_cmpstr (text, ==, gc->normal);
}

/* The normalised text parses back to the same value and the same text. */
static void
test_round_trip (gconstpointer data)
{
  const GoodCase *gc = data;
  g_autoptr (SynackParams) first = synack_params_new (specs);
  g_autoptr (SynackParams) second = synack_params_new (specs);
  g_autofree char *text1 = NULL;
  g_autofree char *text2 = NULL;

  g_assert_true (synack_params_set (first, gc->name, gc->text, NULL));
  text1 = synack_params_to_string (first, gc->name);
  g_assert_true (synack_params_set (second, gc->name, text1, NULL));
  assert_value (second, gc);
  text2 = synack_params_to_string (second, gc->name);
  g_assert_cmpstr (text1, ==, text2);
}

/* ---- refused values --------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *name;
  const char *text;
  gint        code;       /* SynackParamsError */
  const char *message;    /* the whole message, or its start when it ends with '*' */
} BadCase;

static const BadCase bad_cases[] = {
  /* path                              name   text        code                           message */
  { "/params/bad/double/word",         "d",   "abc",      SYNACK_PARAMS_ERROR_BAD_VALUE, "\"abc\" is not a number" },
  { "/params/bad/double/empty",        "d",   "",         SYNACK_PARAMS_ERROR_BAD_VALUE, "empty value, expected a number" },
  { "/params/bad/double/trailing",     "d",   "1.5x",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"1.5x\" is not a number" },
  { "/params/bad/double/nan",          "d",   "nan",      SYNACK_PARAMS_ERROR_BAD_VALUE, "\"nan\" is not a finite number" },
  { "/params/bad/double/overflow",     "d",   "1e999",    SYNACK_PARAMS_ERROR_BAD_VALUE, "\"1e999\" is not a finite number" },
  { "/params/bad/double/range",        "dr",  "2.5",      SYNACK_PARAMS_ERROR_BAD_VALUE, "2.5 is outside 0..1" },
  { "/params/bad/double/range-low",    "dr",  "-0.5",     SYNACK_PARAMS_ERROR_BAD_VALUE, "-0.5 is outside 0..1" },
  { "/params/bad/probability/high",    "p",   "1.5",      SYNACK_PARAMS_ERROR_BAD_VALUE, "1.5 is not a probability (0..1)" },
  { "/params/bad/probability/low",     "p",   "-0.1",     SYNACK_PARAMS_ERROR_BAD_VALUE, "-0.1 is not a probability (0..1)" },
  { "/params/bad/probability/word",    "p",   "half",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"half\" is not a number" },
  { "/params/bad/duration/no-unit",    "t",   "50",       SYNACK_PARAMS_ERROR_BAD_VALUE, "\"50\" has no unit*" },
  { "/params/bad/duration/negative",   "t",   "-5ms",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"-5ms\" is negative" },
  { "/params/bad/duration/bad-unit",   "t",   "5parsecs", SYNACK_PARAMS_ERROR_BAD_VALUE, "\"parsecs\" in \"5parsecs\" is not a unit*" },
  { "/params/bad/uint/negative",       "u",   "-1",       SYNACK_PARAMS_ERROR_BAD_VALUE, "\"-1\" is not a non-negative integer" },
  { "/params/bad/uint/plus",           "u",   "+3",       SYNACK_PARAMS_ERROR_BAD_VALUE, "\"+3\" is not a non-negative integer" },
  { "/params/bad/uint/fraction",       "u",   "1.5",      SYNACK_PARAMS_ERROR_BAD_VALUE, "\"1.5\" is not a non-negative integer" },
  { "/params/bad/uint/empty",          "u",   "",         SYNACK_PARAMS_ERROR_BAD_VALUE, "empty value, expected a non-negative integer" },
  { "/params/bad/uint/too-large",      "u",   "18446744073709551616", SYNACK_PARAMS_ERROR_BAD_VALUE, "18446744073709551616 is too large" },
  { "/params/bad/uint/range-low",      "ur",  "0",        SYNACK_PARAMS_ERROR_BAD_VALUE, "0 is outside 1..65535" },
  { "/params/bad/uint/range-high",     "ur",  "70000",    SYNACK_PARAMS_ERROR_BAD_VALUE, "70000 is outside 1..65535" },
  { "/params/bad/boolean/maybe",       "b",   "maybe",    SYNACK_PARAMS_ERROR_BAD_VALUE, "\"maybe\" is not a boolean (true, false, yes, no, 1, 0)" },
  { "/params/bad/boolean/empty",       "b",   "",         SYNACK_PARAMS_ERROR_BAD_VALUE, "\"\" is not a boolean (true, false, yes, no, 1, 0)" },
  { "/params/bad/choice/unknown",      "c",   "fast",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"fast\" is not one of random, rfc6528, zero" },
  { "/params/bad/choice/case",         "c",   "Zero",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"Zero\" is not one of random, rfc6528, zero; did you mean \"zero\"?" },
  { "/params/bad/rate/no-unit",        "r",   "100",      SYNACK_PARAMS_ERROR_BAD_VALUE, "\"100\" has no unit: write 100/s" },
  { "/params/bad/rate/word",           "r",   "fast",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"fast\" is not a rate (e.g. 100/s)" },
  { "/params/bad/rate/empty",          "r",   "",         SYNACK_PARAMS_ERROR_BAD_VALUE, "\"\" is not a rate (e.g. 100/s)" },
  { "/params/bad/rate/nan",            "r",   "nan/s",    SYNACK_PARAMS_ERROR_BAD_VALUE, "\"nan/s\" is not a rate (e.g. 100/s)" },
  { "/params/bad/rate/unit",           "r",   "5/d",      SYNACK_PARAMS_ERROR_BAD_VALUE, "\"/d\" in \"5/d\" is not a rate unit (/ms, /s, /m, /h)" },
  { "/params/bad/rate/duration-unit",  "r",   "5s",       SYNACK_PARAMS_ERROR_BAD_VALUE, "\"s\" in \"5s\" is not a rate unit*" },
  { "/params/bad/rate/per-us",         "r",   "5/us",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"/us\" in \"5/us\" is not a rate unit*" },
  { "/params/bad/rate/negative",       "r",   "-1/s",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"-1/s\" is negative" },
  { "/params/bad/rate/too-large",      "r",   "1e308/ms", SYNACK_PARAMS_ERROR_BAD_VALUE, "\"1e308/ms\" is too large" },
  { "/params/bad/rate/zero",           "rp",  "0/s",      SYNACK_PARAMS_ERROR_BAD_VALUE, "must be more than 0" },
  { "/params/bad/duration/zero",       "tp",  "0s",       SYNACK_PARAMS_ERROR_BAD_VALUE, "must be more than 0" },
  { "/params/bad/uint/at-least",       "ua",  "0",        SYNACK_PARAMS_ERROR_BAD_VALUE, "must be at least 1" },
  { "/params/bad/uint/word-zero",      "uw",  "0",        SYNACK_PARAMS_ERROR_BAD_VALUE, "must be at least 1" },
  { "/params/bad/uint/not-the-word",   "uw",  "lots",     SYNACK_PARAMS_ERROR_BAD_VALUE, "\"lots\" is not a non-negative integer or auto" },
  { "/params/bad/unknown-name",        "nope", "1",       SYNACK_PARAMS_ERROR_UNKNOWN,   "no parameter \"nope\"" },
};

static void
assert_message (const char *got, const char *want)
{
  gsize n = strlen (want);

  if (n > 0 && want[n - 1] == '*') {
    if (strncmp (got, want, n - 1) != 0)
      g_error ("message \"%s\" does not start with \"%.*s\"", got, (int) (n - 1), want);
  } else {
    g_assert_cmpstr (got, ==, want);
  }
}

static void
test_bad (gconstpointer data)
{
  const BadCase *bc = data;
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_params_set (params, bc->name, bc->text, &error));
  g_assert_error (error, SYNACK_PARAMS_ERROR, bc->code);
  assert_message (error->message, bc->message);
  /* a refused value leaves the old one in place, and the row alone
   * refuses it with the same words */
  if (bc->code != SYNACK_PARAMS_ERROR_UNKNOWN) {
    g_autoptr (GError) alone = NULL;

    g_assert_false (synack_params_check_value (spec_of (bc->name), bc->text, &alone));
    g_assert_error (alone, SYNACK_PARAMS_ERROR, bc->code);
    g_assert_cmpstr (alone->message, ==, error->message);
  }
  if (bc->code != SYNACK_PARAMS_ERROR_UNKNOWN) {
    g_autoptr (SynackParams) fresh = synack_params_new (specs);
    g_autofree char *now = synack_params_to_string (params, bc->name);
    g_autofree char *before = synack_params_to_string (fresh, bc->name);

    g_assert_false (synack_params_is_set (params, bc->name));
    g_assert_cmpstr (now, ==, before);
  }
}

/* ---- defaults, is_set, copies ----------------------------------------------- */

typedef struct {
  const char *path;
  const char *name;
  const char *normal;     /* the default as synack_params_to_string() gives it */
} DefaultCase;

static const DefaultCase default_cases[] = {
  { "/params/default/double",      "d",  "0.5" },
  { "/params/default/ranged",      "dr", "0.5" },
  { "/params/default/probability", "p",  "0.1" },
  { "/params/default/duration",    "t",  "10ms" },
  { "/params/default/uint",        "u",  "7" },
  { "/params/default/ranged-uint", "ur", "80" },
  { "/params/default/string",      "s",  "hello" },
  { "/params/default/boolean",     "b",  "false" },
  { "/params/default/choice",      "c",  "random" },
};

static void
test_default (gconstpointer data)
{
  const DefaultCase *dc = data;
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autofree char *text = synack_params_to_string (params, dc->name);

  g_assert_true (synack_params_specs (params) == specs);
  g_assert_false (synack_params_is_set (params, dc->name));
  g_assert_cmpstr (text, ==, dc->normal);
}

static void
test_default_values (void)
{
  g_autoptr (SynackParams) params = synack_params_new (specs);

  g_assert_cmpfloat (synack_params_get_double (params, "d"), ==, 0.5);
  g_assert_cmpfloat (synack_params_get_double (params, "p"), ==, 0.1);
  g_assert_cmpint (synack_params_get_duration (params, "t"), ==, 10 * SYNACK_MSECOND);
  g_assert_cmpuint (synack_params_get_uint (params, "ur"), ==, 80);
  g_assert_cmpstr (synack_params_get_string (params, "s"), ==, "hello");
  g_assert_false (synack_params_get_boolean (params, "b"));
  g_assert_cmpstr (synack_params_get_string (params, "c"), ==, "random");
}

/* Setting one parameter marks that one only, also when set to its default. */
static void
test_is_set (void)
{
  g_autoptr (SynackParams) params = synack_params_new (specs);

  g_assert_true (synack_params_set (params, "t", "10ms", NULL));
  for (guint i = 0; specs[i].name != NULL; i++)
    g_assert_cmpint (synack_params_is_set (params, specs[i].name), ==,
                     strcmp (specs[i].name, "t") == 0);
}

/* A copy has the same values and is_set bits, and owns its strings. */
static void
test_copy (void)
{
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autoptr (SynackParams) copy = NULL;

  g_assert_true (synack_params_set (params, "s", "first", NULL));
  g_assert_true (synack_params_set (params, "u", "9", NULL));
  copy = synack_params_copy (params);
  g_assert_true (synack_params_specs (copy) == specs);
  g_assert_cmpstr (synack_params_get_string (copy, "s"), ==, "first");
  g_assert_cmpuint (synack_params_get_uint (copy, "u"), ==, 9);
  g_assert_true (synack_params_is_set (copy, "u"));
  g_assert_false (synack_params_is_set (copy, "d"));

  g_assert_true (synack_params_set (copy, "s", "second", NULL));
  g_assert_cmpstr (synack_params_get_string (params, "s"), ==, "first");
  g_clear_pointer (&params, synack_params_free);
  g_assert_cmpstr (synack_params_get_string (copy, "s"), ==, "second");
  g_assert_cmpstr (synack_params_get_string (copy, "c"), ==, "random");
}

static void
test_free_null (void)
{
  synack_params_free (NULL);
}

/* ---- type names ------------------------------------------------------------- */

typedef struct {
  const char     *path;
  SynackParamType type;
  const char     *name;
} TypeNameCase;

static const TypeNameCase type_name_cases[] = {
  { "/params/type-name/double",      SYNACK_PARAM_DOUBLE,      "double" },
  { "/params/type-name/probability", SYNACK_PARAM_PROBABILITY, "probability" },
  { "/params/type-name/duration",    SYNACK_PARAM_DURATION,    "duration" },
  { "/params/type-name/uint",        SYNACK_PARAM_UINT,        "uint" },
  { "/params/type-name/string",      SYNACK_PARAM_STRING,      "string" },
  { "/params/type-name/boolean",     SYNACK_PARAM_BOOLEAN,     "boolean" },
  { "/params/type-name/choice",      SYNACK_PARAM_CHOICE,      "choice" },
  { "/params/type-name/rate",        SYNACK_PARAM_RATE,        "rate" },
  { "/params/type-name/out-of-range", (SynackParamType) 99,    "?" },
};

static void
test_type_name (gconstpointer data)
{
  const TypeNameCase *tc = data;

  g_assert_cmpstr (synack_param_type_name (tc->type), ==, tc->name);
}

/* ---- checking foreign spec tables ------------------------------------------- */

static const SynackParamSpec specs_empty_name[] = {
  { "a", SYNACK_PARAM_UINT, "1", "", "", 0, 0, NULL },
  { "", SYNACK_PARAM_UINT, "1", "", "", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec specs_twice[] = {
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "", 0, 0, NULL },
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec specs_bad_default[] = {
  { "t", SYNACK_PARAM_DURATION, "10", "s", "", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec specs_no_choices[] = {
  { "c", SYNACK_PARAM_CHOICE, "a", "", "", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec specs_bad_type[] = {
  { "x", (SynackParamType) 42, "1", "", "", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec specs_none[] = {
  { NULL }
};

typedef struct {
  const char            *path;
  const SynackParamSpec *specs;
  const char            *message;   /* NULL: the table is fine */
} CheckCase;

static const CheckCase check_cases[] = {
  { "/params/check/good",        specs,             NULL },
  { "/params/check/empty-table", specs_none,        NULL },
  { "/params/check/empty-name",  specs_empty_name,  "parameter 2 has an empty name" },
  { "/params/check/twice",       specs_twice,       "parameter \"p\" is declared twice" },
  { "/params/check/bad-default", specs_bad_default, "parameter \"t\": default: \"10\" has no unit*" },
  { "/params/check/no-choices",  specs_no_choices,  "parameter \"c\" is a choice without choices" },
  { "/params/check/bad-type",    specs_bad_type,    "parameter \"x\" has unknown type 42" },
};

static void
test_check (gconstpointer data)
{
  const CheckCase *cc = data;
  g_autoptr (GError) error = NULL;
  gboolean ok = synack_params_check_specs (cc->specs, &error);

  if (cc->message == NULL) {
    g_assert_no_error (error);
    g_assert_true (ok);
  } else {
    g_assert_false (ok);
    g_assert_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE);
    assert_message (error->message, cc->message);
  }
}

/* A default that does not parse is a bug in the table: g_error, naming it. */
static void
test_new_bad_default (void)
{
  if (g_test_subprocess ()) {
    synack_params_new (specs_bad_default);
    return;
  }
  g_test_trap_subprocess (NULL, 0, 0);
  g_test_trap_assert_failed ();
  g_test_trap_assert_stderr ("*parameter \"t\": default \"10\": \"10\" has no unit*");
}

/* ---- getters of the wrong type ---------------------------------------------- */

typedef enum { GET_DOUBLE, GET_DURATION, GET_UINT, GET_STRING, GET_BOOLEAN, GET_IS_SET, GET_TEXT } Getter;

typedef struct {
  const char *path;
  Getter      getter;
  const char *name;
} WrongCase;

static const WrongCase wrong_cases[] = {
  { "/params/wrong-type/double-of-duration", GET_DOUBLE,   "t" },
  { "/params/wrong-type/double-of-uint",     GET_DOUBLE,   "u" },
  { "/params/wrong-type/duration-of-double", GET_DURATION, "d" },
  { "/params/wrong-type/uint-of-string",     GET_UINT,     "s" },
  { "/params/wrong-type/string-of-boolean",  GET_STRING,   "b" },
  { "/params/wrong-type/boolean-of-choice",  GET_BOOLEAN,  "c" },
  { "/params/wrong-type/double-unknown",     GET_DOUBLE,   "nope" },
  { "/params/wrong-type/is-set-unknown",     GET_IS_SET,   "nope" },
  { "/params/wrong-type/to-string-unknown",  GET_TEXT,     "nope" },
};

static void
test_wrong_type (gconstpointer data)
{
  const WrongCase *wc = data;
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autofree char *text = NULL;

  /* params.c logs in libsynack's domain, "synack" */
  g_test_expect_message ("synack", G_LOG_LEVEL_CRITICAL, "*assertion*failed*");
  switch (wc->getter) {
  case GET_DOUBLE:
    g_assert_cmpfloat (synack_params_get_double (params, wc->name), ==, 0.0);
    break;
  case GET_DURATION:
    g_assert_cmpint (synack_params_get_duration (params, wc->name), ==, 0);
    break;
  case GET_UINT:
    g_assert_cmpuint (synack_params_get_uint (params, wc->name), ==, 0);
    break;
  case GET_STRING:
    g_assert_null (synack_params_get_string (params, wc->name));
    break;
  case GET_BOOLEAN:
    g_assert_false (synack_params_get_boolean (params, wc->name));
    break;
  case GET_IS_SET:
    g_assert_false (synack_params_is_set (params, wc->name));
    break;
  case GET_TEXT:
    text = synack_params_to_string (params, wc->name);
    g_assert_null (text);
    break;
  }
  g_test_assert_expected_messages ();
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++) {
    g_autofree char *path = g_strconcat (good_cases[i].path, "/round-trip", NULL);

    g_test_add_data_func (good_cases[i].path, &good_cases[i], test_good);
    g_test_add_data_func (path, &good_cases[i], test_round_trip);
  }
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  for (guint i = 0; i < G_N_ELEMENTS (default_cases); i++)
    g_test_add_data_func (default_cases[i].path, &default_cases[i], test_default);
  g_test_add_func ("/params/default/values", test_default_values);
  g_test_add_func ("/params/is-set/only-the-one-set", test_is_set);
  g_test_add_func ("/params/copy/independent", test_copy);
  g_test_add_func ("/params/free/null", test_free_null);
  for (guint i = 0; i < G_N_ELEMENTS (type_name_cases); i++)
    g_test_add_data_func (type_name_cases[i].path, &type_name_cases[i], test_type_name);
  for (guint i = 0; i < G_N_ELEMENTS (check_cases); i++)
    g_test_add_data_func (check_cases[i].path, &check_cases[i], test_check);
  g_test_add_func ("/params/new/bad-default", test_new_bad_default);
  for (guint i = 0; i < G_N_ELEMENTS (wrong_cases); i++)
    g_test_add_data_func (wrong_cases[i].path, &wrong_cases[i], test_wrong_type);

  return g_test_run ();
}
