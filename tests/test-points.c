/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-points.c - sweep points: the product, zip groups and the
 * constraint expression (experiments/points.h).
 *
 * The behaviour follows OMNeT++'s parameter studies (OMNeT++ Simulation
 * Manual, section 10.4 "Parameter Studies": parallel iteration with "!"
 * variables, "constraint =" filtering the product) and C's operator
 * precedence (ISO C11 6.5: ! before * / before + - before < <= > >= before
 * == != before && before ||).  One row per point set, expression or bad
 * input. */
#include <glib.h>
#include <string.h>

#include "points.h"

static GPtrArray *
list (const char *csv)
{
  GPtrArray *a = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) v = g_strsplit (csv, ",", -1);

  for (guint i = 0; v[i]; i++)
    g_ptr_array_add (a, g_strdup (g_strstrip (v[i])));
  return a;
}

typedef struct {
  const char *path;
  const char *keys[4];
  const char *values[4];   /* comma-separated, per key */
  const char *zip;
  const char *constraint;
  guint       n_points;    /* 0: an error */
  const char *points;      /* "v,v;v,v;..." every point's values in order, or the error */
} PointsCase;

static const PointsCase points_cases[] = {
  /* the product, the last key fastest: as without zip and constraint */
  { "/points/product", { "a.x", "a.y" }, { "1, 2", "10, 20, 30" }, NULL, NULL, 6,
    "1,10;1,20;1,30;2,10;2,20;2,30" },
  { "/points/one-key", { "a.x" }, { "1, 2, 3" }, NULL, NULL, 3, "1;2;3" },
  { "/points/no-key", { NULL }, { NULL }, NULL, NULL, 1, "" },
  { "/points/zip-two", { "a.x", "a.y" }, { "1, 2, 3", "10, 20, 30" }, "a.x, a.y", NULL, 3,
    "1,10;2,20;3,30" },
  { "/points/zip-and-product", { "a.x", "a.y", "a.z" }, { "1, 2", "p, q", "7, 8, 9" },
    "a.x, a.z", NULL, 0, "a.x has 2 values and a.z 3" },
  /* the group takes the place of its first key, a.x: a.y varies fastest */
  { "/points/zip-group-in-place-of-first", { "a.x", "a.y", "a.z" }, { "1, 2", "p, q", "7, 8" },
    "a.z, a.x", NULL, 4, "1,p,7;1,q,7;2,p,8;2,q,8" },
  { "/points/zip-two-groups", { "a.w", "a.x", "a.y", "a.z" }, { "1, 2", "3, 4", "5, 6", "7, 8" },
    "a.w, a.x; a.y, a.z", NULL, 4, "1,3,5,7;1,3,6,8;2,4,5,7;2,4,6,8" },
  { "/points/zip-unknown-key", { "a.x", "a.y" }, { "1, 2", "3, 4" }, "a.x, a.yy", NULL, 0,
    "a.yy is not a swept key; did you mean \"a.y\"?" },
  { "/points/zip-twice", { "a.x", "a.y", "a.z" }, { "1, 2", "3, 4", "5, 6" },
    "a.x, a.y; a.y, a.z", NULL, 0, "a.y is zipped twice" },
  { "/points/zip-one-key", { "a.x", "a.y" }, { "1, 2", "3, 4" }, "a.x", NULL, 0,
    "needs two keys or more" },
  /* the example of points.h: 12 candidates, one dropped */
  { "/points/constraint-header-example", { "link.delay.base", "tcp.rto_initial", "link.loss.p" },
    { "10ms, 50ms, 200ms", "200ms, 1s, 3s", "0, 0.1, 0.2, 0.3" },
    "link.delay.base, tcp.rto_initial", "link.loss.p <= 0.2 || link.delay.base < 100ms", 11,
    "10ms,200ms,0;10ms,200ms,0.1;10ms,200ms,0.2;10ms,200ms,0.3;"
    "50ms,1s,0;50ms,1s,0.1;50ms,1s,0.2;50ms,1s,0.3;200ms,3s,0;200ms,3s,0.1;200ms,3s,0.2" },
  { "/points/constraint-keeps-none", { "a.x" }, { "1, 2" }, NULL, "a.x > 5", 0,
    "the constraint keeps none of the 2 points" },
  { "/points/constraint-unknown-key", { "link.loss.p" }, { "0, 1" }, NULL, "link.los.p < 1", 0,
    "link.los.p is not a swept key; did you mean \"link.loss.p\"?" },
  { "/points/constraint-type-error-names-point", { "a.x" }, { "1ms, 2ms" }, NULL, "a.x < 0.1", 0,
    "at a.x=1ms: < of a duration and a number" },
  /* two keys compared: the upper triangle */
  { "/points/constraint-triangle", { "a.x", "a.y" }, { "1, 2, 3", "1, 2, 3" }, NULL,
    "$a.x < $a.y", 3, "1,2;1,3;2,3" },
};

static void
test_points (gconstpointer data)
{
  const PointsCase *c = data;
  g_autoptr (GPtrArray) vals = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackPoints) pts = NULL;
  guint n = 0;

  while (n < 4 && c->keys[n])
    g_ptr_array_add (vals, list (c->values[n])), n++;
  pts = synack_points_new (n, c->keys, (GPtrArray *const *) vals->pdata, c->zip, c->constraint,
                           &error);
  if (c->n_points == 0) {
    g_assert_null (pts);
    g_assert_nonnull (error);
    if (strstr (error->message, c->points) == NULL)
      g_error ("\"%s\" lacks \"%s\"", error->message, c->points);
    return;
  }
  g_assert_no_error (error);
  g_assert_cmpuint (synack_points_count (pts), ==, c->n_points);
  {
    GString *s = g_string_new (NULL);

    for (guint p = 0; p < synack_points_count (pts); p++) {
      if (p)
        g_string_append_c (s, ';');
      for (guint k = 0; k < n; k++) {
        GPtrArray *v = vals->pdata[k];

        g_string_append_printf (s, "%s%s", k ? "," : "",
                                (char *) v->pdata[synack_points_value (pts, p, k)]);
      }
    }
    g_assert_cmpstr (s->str, ==, c->points);
    g_string_free (s, TRUE);
  }
}

typedef struct {
  const char *path;
  const char *expr;
  const char *x, *y;   /* the values of keys a.x and a.y */
  int         result;  /* 1 true, 0 false, -1 an error */
  const char *error_has;
} ExprCase;

static const ExprCase expr_cases[] = {
  { "/points/expr/number-lt", "a.x < 0.5", "0.2", "", 1, NULL },
  { "/points/expr/number-eq-exact", "a.x == 0.1", "0.1", "", 1, NULL },
  { "/points/expr/durations-units", "a.x < 0.1s", "50ms", "", 1, NULL },
  { "/points/expr/durations-equal", "a.x == 1000ms", "1s", "", 1, NULL },
  { "/points/expr/minutes", "a.x > 59s", "1m", "", 1, NULL },
  { "/points/expr/rates", "a.x >= 1/ms", "1000/s", "", 1, NULL },
  { "/points/expr/text-eq", "a.x == \"linux\"", "linux", "", 1, NULL },
  { "/points/expr/text-single-quotes", "a.x != 'linux'", "rfc9293", "", 1, NULL },
  { "/points/expr/not", "!(a.x == 1)", "1", "", 0, NULL },
  { "/points/expr/and-before-or", "a.x == 1 || a.x == 2 && a.y == 3", "1", "4", 1, NULL },
  { "/points/expr/parens", "(a.x == 1 || a.x == 2) && a.y == 3", "1", "4", 0, NULL },
  { "/points/expr/arith-precedence", "a.x + a.y * 2 == 7", "1", "3", 1, NULL },
  { "/points/expr/arith-duration", "2 * a.x <= a.y", "100ms", "200ms", 1, NULL },
  { "/points/expr/divide-durations", "a.y / a.x == 4", "50ms", "200ms", 1, NULL },
  { "/points/expr/unary-minus", "-a.x < 0", "3", "", 1, NULL },
  { "/points/expr/dollar-key", "$a.x > $a.y", "2", "1", 1, NULL },
  { "/points/expr/bool-literal", "true && a.x == 1", "1", "", 1, NULL },
  { "/points/expr/bool-value", "a.x == true", "true", "", 1, NULL },
  { "/points/expr/exponent", "a.x < 1e-3", "0.0001", "", 1, NULL },
  /* bad input: every one an error that says what is wrong */
  { "/points/expr/duration-vs-number", "a.x < 0.1", "50ms", "", -1, "< of a duration and a number" },
  { "/points/expr/text-vs-number", "a.x < 3", "linux", "", -1, "< of text and a number" },
  { "/points/expr/not-bool", "a.x + 1", "1", "", -1, "is a number, not true or false" },
  { "/points/expr/unclosed-paren", "(a.x < 1", "0", "", -1, "expected \")\" before the end" },
  { "/points/expr/trailing", "a.x < 1 2", "0", "", -1, "unexpected 2" },
  { "/points/expr/bad-unit", "a.x < 5xs", "0", "", -1, "\"5xs\" is not a number" },
  { "/points/expr/unclosed-text", "a.x == \"linux", "0", "", -1, "is not closed" },
  { "/points/expr/bad-operator", "a.x ~ 1", "0", "", -1, "unexpected \"~\"" },
  { "/points/expr/empty", "", "0", "", -1, "expected a key, a number or a text before the end" },
  { "/points/expr/bool-order", "true < false", "0", "", -1, "< of true/false and true/false" },
  { "/points/expr/and-of-numbers", "a.x && a.y", "1", "2", -1, "&& of a number and a number" },
  { "/points/expr/add-durations-and-rates", "a.x + a.y > 0", "1s", "1/s", -1,
    "+ of a duration and a rate" },
};

static void
test_expr (gconstpointer data)
{
  const ExprCase *c = data;
  const char *keys[] = { "a.x", "a.y", NULL };
  const char *values[] = { c->x, c->y, NULL };
  g_autoptr (GError) error = NULL;
  gboolean result = FALSE;
  gboolean ok = synack_points_eval (c->expr, 2, keys, values, &result, &error);

  if (c->result < 0) {
    g_assert_false (ok);
    g_assert_nonnull (error);
    if (strstr (error->message, c->error_has) == NULL)
      g_error ("\"%s\" lacks \"%s\"", error->message, c->error_has);
    return;
  }
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (result, ==, c->result);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (points_cases); i++)
    g_test_add_data_func (points_cases[i].path, &points_cases[i], test_points);
  for (guint i = 0; i < G_N_ELEMENTS (expr_cases); i++)
    g_test_add_data_func (expr_cases[i].path, &expr_cases[i], test_expr);
  return g_test_run ();
}
