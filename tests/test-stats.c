/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-stats.c - the intervals summary.csv reports.
 *
 * The order-statistic interval of a quantile is checked against the table
 * values of Conover, "Practical Nonparametric Statistics" (3rd ed., 1999,
 * section 3.2 and Table A3: for n = 100 the 95 % interval of the median is
 * [x(40), x(61)]), computed by hand from the Binomial law for the other
 * rows, and by its coverage on samples of a known distribution. */
#include <glib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <math.h>

#include "stats.h"

typedef struct {
  const char *path;
  gsize       n;
  double      q;
  int         lo, hi;   /* 1-based order statistics; 0: no bound (NAN) */
} OrderCase;

/* With x(i) = i, the interval's ends are the order statistics' indices. */
static const OrderCase order_cases[] = {
  /* Conover Table A3: n = 100, median, 95 % */
  { "/stats/quantile-ci/median-n100",   100,  0.5,   40, 61 },
  /* Binomial(20, 0.5): P(B <= 5) = 0.0207, P(B <= 14) = 0.9793 */
  { "/stats/quantile-ci/median-n20",    20,   0.5,   6,  15 },
  /* too few samples for a two-sided 95 % interval of the median */
  { "/stats/quantile-ci/median-n5",     5,    0.5,   0,  0 },
  { "/stats/quantile-ci/median-n1",     1,    0.5,   0,  0 },
  { "/stats/quantile-ci/empty",         0,    0.5,   0,  0 },
  /* p99.9 from 100 samples: a lower bound only (P(B <= 99) = 0.095, so
   * even x(100) is not above the quantile with 97.5 % confidence) */
  { "/stats/quantile-ci/p999-n100",     100,  0.999, 99, 0 },
  /* Binomial(1000, 0.99): P(B <= 982) = 0.0138, P(B <= 983) = 0.0264,
   * P(B <= 995) = 0.9713, P(B <= 996) = 0.9899 */
  { "/stats/quantile-ci/p99-n1000",     1000, 0.99,  983, 997 },
};

static void
test_order_ci (gconstpointer data)
{
  const OrderCase *tc = data;
  g_autofree double *x = g_new (double, MAX (tc->n, 1));
  double lo, hi;

  for (gsize i = 0; i < tc->n; i++)
    x[i] = (double) (i + 1);
  synack_stats_quantile_ci_sorted (x, tc->n, tc->q, 0.95, &lo, &hi);
  if (tc->lo == 0)
    g_assert_true (isnan (lo));
  else
    g_assert_cmpfloat (lo, ==, tc->lo);
  if (tc->hi == 0)
    g_assert_true (isnan (hi));
  else
    g_assert_cmpfloat (hi, ==, tc->hi);
}

/* On exponential samples (true p-quantile -ln(1-p)), the 95 % interval
 * covers the truth in at least 95 % of trials (it is conservative), and
 * not in all of them. */
static void
test_coverage (gconstpointer data)
{
  double q = *(const double *) data;
  double truth = -log (1 - q);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_taus2);
  const guint trials = 2000, n = 400;
  g_autofree double *x = g_new (double, n);
  guint covered = 0;

  gsl_rng_set (rng, 12345);
  for (guint t = 0; t < trials; t++) {
    double lo, hi;

    for (guint i = 0; i < n; i++)
      x[i] = gsl_ran_exponential (rng, 1.0);
    gsl_sort (x, 1, n);
    synack_stats_quantile_ci_sorted (x, n, q, 0.95, &lo, &hi);
    covered += lo <= truth && truth <= hi;
  }
  gsl_rng_free (rng);
  g_test_message ("q %.2f: covered %u of %u", q, covered, trials);
  /* binomial sd of the count at 0.95 is ~10: allow 3 sd below 95 % */
  g_assert_cmpuint (covered, >=, trials * 95 / 100 - 30);
  g_assert_cmpuint (covered, <, trials);
}

int
main (int argc, char **argv)
{
  static const double qs[] = { 0.5, 0.9, 0.99 };

  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (order_cases); i++)
    g_test_add_data_func (order_cases[i].path, &order_cases[i], test_order_ci);
  g_test_add_data_func ("/stats/quantile-ci/coverage-p50", &qs[0], test_coverage);
  g_test_add_data_func ("/stats/quantile-ci/coverage-p90", &qs[1], test_coverage);
  g_test_add_data_func ("/stats/quantile-ci/coverage-p99", &qs[2], test_coverage);
  return g_test_run ();
}
