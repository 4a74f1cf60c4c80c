/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/stats.c - intervals and quantiles (see stats.h). */
#include "stats.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>

SynackInterval
synack_stats_mean_ci (const double *x, gsize n, double level)
{
  SynackInterval r = { NAN, NAN, NAN };
  g_autofree double *v = g_new (double, MAX (n, 1));
  gsize m = 0;
  double sd, t;

  for (gsize i = 0; i < n; i++)
    if (!isnan (x[i]))
      v[m++] = x[i];
  if (m == 0)
    return r;
  r.mean = gsl_stats_mean (v, 1, m);
  if (m < 2)
    return r;
  sd = gsl_stats_sd_m (v, 1, m, r.mean);
  t = gsl_cdf_tdist_Pinv (1.0 - (1.0 - level) / 2.0, (double) (m - 1));
  r.lo = r.mean - t * sd / sqrt ((double) m);
  r.hi = r.mean + t * sd / sqrt ((double) m);
  return r;
}

SynackInterval
synack_stats_wilson (guint64 k, guint64 n, double level)
{
  SynackInterval r = { NAN, NAN, NAN };
  double z, p, z2n, center, half;

  if (n == 0)
    return r;
  z = gsl_cdf_ugaussian_Pinv (1.0 - (1.0 - level) / 2.0);
  p = (double) k / (double) n;
  z2n = z * z / (double) n;
  center = (p + z2n / 2.0) / (1.0 + z2n);
  half = z / (1.0 + z2n) *
         sqrt (p * (1.0 - p) / (double) n + z2n / (4.0 * (double) n));
  r.mean = p;
  r.lo = MAX (0.0, center - half);
  r.hi = MIN (1.0, center + half);
  return r;
}

double
synack_stats_quantile_sorted (const double *x, gsize n, double q)
{
  if (n == 0)
    return NAN;
  return gsl_stats_quantile_from_sorted_data (x, 1, n, q);
}

/* P(B <= k - 1) for B ~ Binomial(n, q): the chance that fewer than k
 * samples fall below the q-quantile. */
static double
below (guint64 k, double q, guint64 n)
{
  return k == 0
             ? 0.0
             : gsl_cdf_binomial_P ((unsigned int) (k - 1), q, (unsigned int) n);
}

void
synack_stats_quantile_ci_ranks (guint64 n, double q, double level, guint64 *lo,
                                guint64 *hi)
{
  double tail = (1 - level) / 2;
  guint64 a, b;

  *lo = *hi = 0;
  if (n == 0 || n > G_MAXUINT || q <= 0 || q >= 1)
    return;
  /* l: the largest k with P(B <= k - 1) <= tail; below() grows with k */
  a = 0, b = n + 1;
  while (b - a > 1) {
    guint64 m = a + (b - a) / 2;

    if (below (m, q, n) <= tail)
      a = m;
    else
      b = m;
  }
  *lo = a;
  /* u: the smallest k with P(B <= k - 1) >= 1 - tail */
  a = 0, b = n + 1;
  while (b - a > 1) {
    guint64 m = a + (b - a) / 2;

    if (below (m, q, n) >= 1 - tail)
      b = m;
    else
      a = m;
  }
  if (b <= n && below (b, q, n) >= 1 - tail)
    *hi = b;
}

void
synack_stats_quantile_ci_sorted (const double *x, gsize n, double q,
                                 double level, double *lo, double *hi)
{
  guint64 l, u;

  synack_stats_quantile_ci_ranks (n, q, level, &l, &u);
  *lo = l >= 1 ? x[l - 1] : NAN;
  *hi = u >= 1 ? x[u - 1] : NAN;
}
