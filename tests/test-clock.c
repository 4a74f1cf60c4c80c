/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-clock.c - durations: parsing every unit, decimals exactly,
 * each error code with its message, and both printed forms. */
#include "clock.h"

#include <math.h>
#include <string.h>

typedef struct {
  const char *path;
  const char *text;
  SynackTime  ns;
} GoodCase;

static const GoodCase good_cases[] = {
  /* path                               text                ns */
  { "/clock/parse/ns",                  "7ns",              7 },
  { "/clock/parse/us",                  "250us",            250000 },
  { "/clock/parse/ms",                  "50ms",             50000000 },
  { "/clock/parse/s",                   "3s",               3000000000 },
  { "/clock/parse/m",                   "2m",               120000000000 },
  { "/clock/parse/h",                   "1h",               3600000000000 },
  { "/clock/parse/zero",                "0s",               0 },
  { "/clock/parse/zero-ns",             "0ns",              0 },
  { "/clock/parse/decimal-s",           "1.5s",             1500000000 },
  { "/clock/parse/decimal-exact",       "0.1s",             100000000 },
  { "/clock/parse/decimal-exact-ms",    "0.3ms",            300000 },
  { "/clock/parse/decimal-m",           "1.5m",             90000000000 },
  { "/clock/parse/decimal-h",           "0.001h",           3600000000 },
  { "/clock/parse/decimal-long",        "0.123456789s",     123456789 },
  { "/clock/parse/round-down",          "1.4ns",            1 },
  { "/clock/parse/round-half-up",       "1.5ns",            2 },
  { "/clock/parse/round-sub-ns",        "0.0000000004s",    0 },
  { "/clock/parse/round-sub-ns-up",     "0.0000000015s",    2 },
  { "/clock/parse/tiny-h",              "0.00000000001h",   36 },
  { "/clock/parse/round-h",             "0.000000000001h",  4 },
  { "/clock/parse/space",               "50 ms",            50000000 },
  { "/clock/parse/tab",                 "50\tms",           50000000 },
  { "/clock/parse/outer-space",         "  2s  ",           2000000000 },
  { "/clock/parse/leading-zeros",       "007ms",            7000000 },
  /* SYNACK_TIME_MAX_DURATION: 10^18 ns, so now + delay cannot overflow */
  { "/clock/parse/max",                 "1000000000000000000ns", 1000000000000000000 },
  { "/clock/parse/max-s",               "1000000000s",      1000000000000000000 },
  { "/clock/parse/max-h",               "277777.7777h",     999999999720000000 },
};

typedef struct {
  const char     *path;
  const char     *text;
  SynackTimeError code;
  const char     *message;          /* substring of the message */
} BadCase;

static const BadCase bad_cases[] = {
  /* path                            text            code                             message */
  { "/clock/parse-bad/empty",        "",             SYNACK_TIME_ERROR_EMPTY,      "empty duration" },
  { "/clock/parse-bad/blank",        "   ",          SYNACK_TIME_ERROR_EMPTY,      "empty duration" },
  { "/clock/parse-bad/no-unit",      "50",           SYNACK_TIME_ERROR_NO_UNIT,
    "\"50\" has no unit (ns, us, ms, s, m, h)" },
  { "/clock/parse-bad/no-unit-dec",  "1.5",          SYNACK_TIME_ERROR_NO_UNIT,    "has no unit" },
  { "/clock/parse-bad/bad-unit",     "50sec",        SYNACK_TIME_ERROR_BAD_UNIT,
    "\"sec\" in \"50sec\" is not a unit (ns, us, ms, s, m, h)" },
  { "/clock/parse-bad/upper-unit",   "50MS",         SYNACK_TIME_ERROR_BAD_UNIT,   "\"MS\"" },
  { "/clock/parse-bad/exponent",     "1e3ms",        SYNACK_TIME_ERROR_BAD_UNIT,   "\"e3ms\"" },
  { "/clock/parse-bad/two-numbers",  "1s 2s",        SYNACK_TIME_ERROR_BAD_UNIT,   "is not a unit" },
  { "/clock/parse-bad/no-number",    "ms",           SYNACK_TIME_ERROR_BAD_NUMBER, "is not a number" },
  { "/clock/parse-bad/lone-dot",     ".5s",          SYNACK_TIME_ERROR_BAD_NUMBER, "is not a number" },
  { "/clock/parse-bad/trailing-dot", "5.s",          SYNACK_TIME_ERROR_BAD_NUMBER, "is not a number" },
  { "/clock/parse-bad/plus",         "+5s",          SYNACK_TIME_ERROR_BAD_NUMBER, "is not a number" },
  { "/clock/parse-bad/negative",     "-5ms",         SYNACK_TIME_ERROR_NEGATIVE,   "\"-5ms\" is negative" },
  { "/clock/parse-bad/overflow",     "9223372036854775808ns", SYNACK_TIME_ERROR_RANGE, "too long" },
  { "/clock/parse-bad/overflow-h",   "2562048h",     SYNACK_TIME_ERROR_RANGE,      "too long" },
  { "/clock/parse-bad/overflow-frac", "9223372036.854775808s", SYNACK_TIME_ERROR_RANGE, "too long" },
  { "/clock/parse-bad/max-plus-1ns",  "1000000000000000001ns", SYNACK_TIME_ERROR_RANGE, "at most 1000000000s" },
  { "/clock/parse-bad/max-plus-frac", "1000000000.000000001s", SYNACK_TIME_ERROR_RANGE, "too long" },
  { "/clock/parse-bad/int64-max",    "9223372036854775807ns", SYNACK_TIME_ERROR_RANGE, "too long" },
  { "/clock/parse-bad/huge",         "99999999999999999999999s", SYNACK_TIME_ERROR_RANGE, "too long" },
};

typedef struct {
  const char *path;
  SynackTime  ns;
  const char *seconds;              /* synack_time_format */
  const char *unit;                 /* synack_time_format_unit */
} FormatCase;

static const FormatCase format_cases[] = {
  /* path                       ns               seconds                 unit */
  { "/clock/format/zero",       0,               "0.000000000",          "0s" },
  { "/clock/format/1s",         SYNACK_SECOND,   "1.000000000",          "1s" },
  { "/clock/format/200ms",      200000000,       "0.200000000",          "200ms" },
  { "/clock/format/1500us",     1500000,         "0.001500000",          "1500us" },
  { "/clock/format/ns",         12000500001,     "12.000500001",         "12000500001ns" },
  { "/clock/format/90s",        90000000000,     "90.000000000",         "90s" },
  { "/clock/format/2m",         120000000000,    "120.000000000",        "2m" },
  { "/clock/format/1h",         3600000000000,   "3600.000000000",       "1h" },
  { "/clock/format/61m",        3660000000000,   "3660.000000000",       "61m" },
  { "/clock/format/negative",   -1500000000,     "-1.500000000",         "-1500ms" },
  { "/clock/format/none",       SYNACK_TIME_NONE, "-0.000000001",        "-1ns" },
  { "/clock/format/max",        G_MAXINT64,      "9223372036.854775807", "9223372036854775807ns" },
  { "/clock/format/min",        G_MININT64,      "-9223372036.854775808", "-9223372036854775808ns" },
};

static void
test_parse_good (gconstpointer data)
{
  const GoodCase *tc = data;
  g_autoptr (GError) error = NULL;
  SynackTime t = -42;

  g_assert_true (synack_time_parse (tc->text, &t, &error));
  g_assert_no_error (error);
  g_assert_cmpint (t, ==, tc->ns);
}

static void
test_parse_bad (gconstpointer data)
{
  const BadCase *tc = data;
  g_autoptr (GError) error = NULL;
  SynackTime t = -42;

  g_assert_false (synack_time_parse (tc->text, &t, &error));
  g_assert_error (error, SYNACK_TIME_ERROR, (gint) tc->code);
  g_assert_nonnull (strstr (error->message, tc->message));
  g_assert_cmpint (t, ==, -42);     /* untouched on failure */
}

static void
test_format (gconstpointer data)
{
  const FormatCase *tc = data;
  char buf[SYNACK_TIME_FORMAT_SIZE];

  g_assert_true (synack_time_format (tc->ns, buf) == buf);
  g_assert_cmpstr (buf, ==, tc->seconds);
  g_assert_true (synack_time_format_unit (tc->ns, buf) == buf);
  g_assert_cmpstr (buf, ==, tc->unit);
}

/* format_unit then parse gives the value back, for every row in the range
 * a duration may take (0..SYNACK_TIME_MAX_DURATION). */
static void
test_round_trip (gconstpointer data)
{
  const FormatCase *tc = data;
  char buf[SYNACK_TIME_FORMAT_SIZE];
  SynackTime t;

  if (tc->ns < 0 || tc->ns > SYNACK_TIME_MAX_DURATION)
    return;
  g_assert_true (synack_time_parse (synack_time_format_unit (tc->ns, buf), &t, NULL));
  g_assert_cmpint (t, ==, tc->ns);
}

/* ---- the unit table: rates and plotted values --------------------------------- */

/* A value written with any unit of synack_time_units() reads as the same
 * number of seconds (durations) or per second (rates): the sweep that says
 * 1/ms is the sweep that says 1000/s (issue 8), in the config and in the
 * plots.  Units as ISO 80000-3 defines them (min written m, as GNU sleep).  */
typedef struct {
  const char *path;
  const char *text;
  gboolean    ok;
  double      value;
  const char *unit;      /* NULL for a plain number */
} UnitValueCase;

static const UnitValueCase unit_value_cases[] = {
  { "/clock/unit-value/plain",        "0.05",    TRUE,  0.05, NULL },
  { "/clock/unit-value/ms",           "250ms",   TRUE,  0.25, "s" },
  { "/clock/unit-value/blank-unit",   " 2 m",     TRUE,  120,  "s" },
  { "/clock/unit-value/h",            "1h",      TRUE,  3600, "s" },
  { "/clock/unit-value/rate-s",       "1000/s",  TRUE,  1000, "1/s" },
  { "/clock/unit-value/rate-ms",      "1/ms",    TRUE,  1000, "1/s" },
  { "/clock/unit-value/rate-m",       "60/m",    TRUE,  1,    "1/s" },
  { "/clock/unit-value/rate-h",       "3600/h",  TRUE,  1,    "1/s" },
  { "/clock/unit-value/word",         "tcp3way", FALSE, 0,    NULL },
  { "/clock/unit-value/bad-unit",     "5/d",     FALSE, 0,    NULL },
  { "/clock/unit-value/rate-us",      "5/us",    FALSE, 0,    NULL },
  { "/clock/unit-value/empty",        "",        FALSE, 0,    NULL },
  { "/clock/unit-value/nan",          "nan",     FALSE, 0,    NULL },
};

static void
test_unit_value (gconstpointer data)
{
  const UnitValueCase *tc = data;
  const char *unit = "untouched";
  double v = -1;

  g_assert_cmpint (synack_unit_value_parse (tc->text, &v, &unit), ==, tc->ok);
  if (!tc->ok)
    return;
  g_assert_cmpfloat (v, ==, tc->value);
  g_assert_cmpstr (unit, ==, tc->unit);
}

/* synack_rate_parse() reads what synack_unit_value_parse() reads, to the bit. */
static void
test_rate_agrees (void)
{
  static const char *const rates[] = { "1/ms", "1000/s", "60/m", "3600/h", "0.5/s", "7/ms" };

  for (guint i = 0; i < G_N_ELEMENTS (rates); i++) {
    double a = -1, b = -2;
    const char *unit = NULL;

    g_assert_true (synack_rate_parse (rates[i], &a, NULL));
    g_assert_true (synack_unit_value_parse (rates[i], &b, &unit));
    g_assert_cmpfloat (a, ==, b);
  }
}

/* The table: every unit is c * 10^e ns, seconds says the same, and the rate
 * units are the ones the messages list. */
static void
test_unit_table (void)
{
  const SynackTimeUnit *u = synack_time_units ();
  guint n = 0, n_rate = 0;

  for (; u[n].name != NULL; n++) {
    double ns = (double) u[n].c;

    for (guint e = 0; e < u[n].e; e++)
      ns *= 10;
    g_assert_cmpfloat (fabs (u[n].seconds * 1e9 - ns), <=, ns * 1e-15);
    if (u[n].per_s > 0) {
      g_assert_cmpfloat (fabs (u[n].per_s * u[n].seconds - 1), <=, 1e-15);
      n_rate++;
    }
    g_assert_true (synack_time_unit_lookup (u[n].name, strlen (u[n].name)) == &u[n]);
  }
  g_assert_cmpuint (n, ==, 6);
  g_assert_cmpuint (n_rate, ==, 4);
  g_assert_null (synack_time_unit_lookup ("d", 1));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (unit_value_cases); i++)
    g_test_add_data_func (unit_value_cases[i].path, &unit_value_cases[i], test_unit_value);
  g_test_add_func ("/clock/rate/agrees-with-plots", test_rate_agrees);
  g_test_add_func ("/clock/unit-table", test_unit_table);

  for (gsize i = 0; i < G_N_ELEMENTS (good_cases); i++)
    g_test_add_data_func (good_cases[i].path, &good_cases[i], test_parse_good);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_parse_bad);
  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++) {
    g_test_add_data_func (format_cases[i].path, &format_cases[i], test_format);
    g_autofree char *path = g_strconcat ("/clock/round-trip/",
                                         format_cases[i].path + strlen ("/clock/format/"), NULL);
    g_test_add_data_func (path, &format_cases[i], test_round_trip);
  }
  return g_test_run ();
}
