/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/clock.c - parsing and printing simulated time.
 *
 * A duration is "NUMBER[ ]UNIT": decimal digits, an optional fraction, an
 * optional run of blanks, and one of ns us ms s m h.  The number is never
 * read through a double: "0.1s" must be exactly 100000000 ns, and a double
 * gives 100000000.00000001 or 99999999.99999999 depending on the path.  So
 * the integer and fraction digits are kept as text and converted with integer
 * arithmetic, each unit written as c * 10^e ns (h = 36 * 10^11).  The
 * fraction's first e digits are exact ns; up to 17 digits after those give
 * the rounding (half up), and any digit beyond that is ignored (an error
 * under 10^-15 ns).
 *
 * A rate ("100/s") is read through a double, as it is used: a count per
 * unit of time, times the unit's per_s.  Its units are the same table's.
 *
 * Errors say only what is wrong with the text; the config loader prefixes
 * file, line and key. */
#include "clock.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (synack-time-error-quark, synack_time_error)

typedef SynackTimeUnit Unit;

/* Smallest first: synack_time_format_unit() looks for the largest unit that
 * divides a duration from the end.  per_s is what a rate "N/unit" is
 * multiplied by; it is 0 for ns and us, which no rate is written in. */
static const Unit units[] = {
  { "ns", 1, 0, 1e-9, 0 },
  { "us", 1, 3, 1e-6, 0 },
  { "ms", 1, 6, 1e-3, 1000.0 },
  { "s", 1, 9, 1.0, 1.0 },
  { "m", 6, 10, 60.0, 1.0 / 60 },
  { "h", 36, 11, 3600.0, 1.0 / 3600 },
  { NULL }
};
#define N_UNITS (G_N_ELEMENTS (units) - 1)

const SynackTimeUnit *
synack_time_units (void)
{
  return units;
}

/* "(ns, us, ms, s, m, h)", or "(/ms, /s, /m, /h)" with @rates.
 * (transfer full) */
static char *
unit_list (gboolean rates)
{
  GString *s = g_string_new ("(");

  for (guint i = 0; i < N_UNITS; i++)
    if (!rates || units[i].per_s > 0)
      g_string_append_printf (s, "%s%s%s", s->len > 1 ? ", " : "",
                              rates ? "/" : "", units[i].name);
  g_string_append_c (s, ')');
  return g_string_free (s, FALSE);
}

static const guint64 pow10_u64[] = {
  1ull, 10ull, 100ull, 1000ull, 10000ull, 100000ull, 1000000ull, 10000000ull,
  100000000ull, 1000000000ull, 10000000000ull, 100000000000ull,
  1000000000000ull, 10000000000000ull, 100000000000000ull,
  1000000000000000ull, 10000000000000000ull, 100000000000000000ull,
  1000000000000000000ull,
};

const SynackTimeUnit *
synack_time_unit_lookup (const char *name, gsize len)
{
  for (guint i = 0; i < N_UNITS; i++)
    if (strlen (units[i].name) == len && memcmp (units[i].name, name, len) == 0)
      return &units[i];
  return NULL;
}

/* *@acc += @v, FALSE on passing G_MAXINT64. */
static inline gboolean
add_checked (guint64 *acc, guint64 v)
{
  if (v > (guint64) G_MAXINT64 - *acc)
    return FALSE;
  *acc += v;
  return TRUE;
}

gboolean
synack_time_parse (const char *text, SynackTime *out, GError **error)
{
  const char *p, *int_start, *frac_start = NULL, *unit_start, *end;
  gsize n_int, n_frac = 0;

  g_return_val_if_fail (out != NULL, FALSE);

  if (text == NULL)
    text = "";
  p = text;
  while (g_ascii_isspace (*p))
    p++;
  end = p + strlen (p);
  while (end > p && g_ascii_isspace (end[-1]))
    end--;
  if (p == end) {
    g_autofree char *list = unit_list (FALSE);

    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_EMPTY,
                 "empty duration (a number and a unit %s)", list);
    return FALSE;
  }
  if (*p == '-') {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_NEGATIVE,
                 "\"%s\" is negative", text);
    return FALSE;
  }

  int_start = p;
  while (p < end && g_ascii_isdigit (*p))
    p++;
  n_int = p - int_start;
  if (p < end && *p == '.') {
    frac_start = ++p;
    while (p < end && g_ascii_isdigit (*p))
      p++;
    n_frac = p - frac_start;
  }
  if (n_int == 0 || (frac_start != NULL && n_frac == 0)) {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_BAD_NUMBER,
                 "\"%s\" is not a number with a unit (e.g. 50ms, 1.5s)", text);
    return FALSE;
  }
  while (p < end && (*p == ' ' || *p == '\t'))
    p++;
  unit_start = p;
  if (unit_start == end) {
    g_autofree char *list = unit_list (FALSE);

    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_NO_UNIT,
                 "\"%s\" has no unit %s", text, list);
    return FALSE;
  }

  const Unit *u = synack_time_unit_lookup (unit_start, end - unit_start);
  if (u == NULL) {
    g_autofree char *list = unit_list (FALSE);

    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_BAD_UNIT,
                 "\"%.*s\" in \"%s\" is not a unit %s",
                 (int) (end - unit_start), unit_start, text, list);
    return FALSE;
  }

  /* Integer part, in units, then in ns. */
  guint64 ns = 0, whole = 0;
  gboolean ok = TRUE;
  const guint64 unit_ns = u->c * pow10_u64[u->e];
  for (gsize i = 0; i < n_int && ok; i++) {
    guint d = int_start[i] - '0';
    if (whole > ((guint64) G_MAXINT64 - d) / 10)
      ok = FALSE;
    else
      whole = whole * 10 + d;
  }
  if (ok && whole > (guint64) G_MAXINT64 / unit_ns)
    ok = FALSE;
  ns = whole * unit_ns;

  /* Fraction: digits 1..e are whole ns (times c); the next ones round. */
  if (ok && n_frac > 0) {
    guint64 exact = 0, rest = 0;
    guint n_rest = 0;
    for (guint i = 0; i < u->e; i++)
      exact = exact * 10 + (i < n_frac ? (guint64) (frac_start[i] - '0') : 0);
    for (gsize i = u->e; i < n_frac && n_rest < 17; i++, n_rest++)
      rest = rest * 10 + (guint64) (frac_start[i] - '0');
    /* c <= 36 and rest < 10^17, so c * rest fits. */
    guint64 scaled = u->c * rest;
    guint64 rounded = scaled / pow10_u64[n_rest];
    if (2 * (scaled % pow10_u64[n_rest]) >= pow10_u64[n_rest])
      rounded++;
    ok = add_checked (&ns, u->c * exact) && add_checked (&ns, rounded);
  }
  if (!ok || ns > (guint64) SYNACK_TIME_MAX_DURATION) {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_RANGE,
                 "\"%s\" is too long (at most 1000000000s, about 31 years)",
                 text);
    return FALSE;
  }
  *out = (SynackTime) ns;
  return TRUE;
}

/* |@t| without overflow at G_MININT64. */
static inline guint64
magnitude (SynackTime t)
{
  return t < 0 ? (guint64) -(t + 1) + 1 : (guint64) t;
}

char *
synack_time_format (SynackTime t, char *buf)
{
  guint64 m = magnitude (t);

  g_snprintf (buf, SYNACK_TIME_FORMAT_SIZE, "%s%" G_GUINT64_FORMAT ".%09u",
              t < 0 ? "-" : "", m / (guint64) SYNACK_SECOND,
              (guint) (m % (guint64) SYNACK_SECOND));
  return buf;
}

char *
synack_time_format_unit (SynackTime t, char *buf)
{
  guint64 m = magnitude (t);
  guint i = N_UNITS - 1;

  if (m == 0) {
    g_strlcpy (buf, "0s", SYNACK_TIME_FORMAT_SIZE);
    return buf;
  }
  /* The largest unit that divides exactly gives the fewest digits. */
  while (i > 0 && m % (units[i].c * pow10_u64[units[i].e]) != 0)
    i--;
  g_snprintf (buf, SYNACK_TIME_FORMAT_SIZE, "%s%" G_GUINT64_FORMAT "%s",
              t < 0 ? "-" : "", m / (units[i].c * pow10_u64[units[i].e]),
              units[i].name);
  return buf;
}

gboolean
synack_rate_parse (const char *text, double *per_s, GError **error)
{
  const Unit *u;
  char *rest = NULL;
  double x;

  g_return_val_if_fail (text != NULL, FALSE);
  g_return_val_if_fail (per_s != NULL, FALSE);

  x = g_ascii_strtod (text, &rest);
  if (rest == text || !isfinite (x)) {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_BAD_NUMBER,
                 "\"%s\" is not a rate (e.g. 100/s)", text);
    return FALSE;
  }
  while (g_ascii_isspace (*rest))
    rest++;
  if (*rest == '\0') {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_NO_UNIT,
                 "\"%s\" has no unit: write %s/s", text, text);
    return FALSE;
  }
  u = rest[0] == '/' ? synack_time_unit_lookup (rest + 1, strlen (rest + 1))
                     : NULL;
  if (u == NULL || u->per_s == 0) {
    g_autofree char *list = unit_list (TRUE);

    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_BAD_UNIT,
                 "\"%s\" in \"%s\" is not a rate unit %s", rest, text, list);
    return FALSE;
  }
  if (x < 0) {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_NEGATIVE,
                 "\"%s\" is negative", text);
    return FALSE;
  }
  if (!isfinite (x * u->per_s)) {
    g_set_error (error, SYNACK_TIME_ERROR, SYNACK_TIME_ERROR_RANGE,
                 "\"%s\" is too large", text);
    return FALSE;
  }
  *per_s = x * u->per_s;
  return TRUE;
}

gboolean
synack_unit_value_parse (const char *text, double *value, const char **unit)
{
  const Unit *u;
  gboolean rate;
  char *end = NULL;
  double v;

  g_return_val_if_fail (text != NULL, FALSE);

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end == '\0') {
    *value = v;
    *unit = NULL;
    return TRUE;
  }
  rate = *end == '/';
  u = synack_time_unit_lookup (end + rate, strlen (end + rate));
  if (u == NULL || (rate && u->per_s == 0))
    return FALSE;
  *value = rate ? v * u->per_s : v * u->seconds;
  *unit = rate ? "1/s" : "s";
  return TRUE;
}
