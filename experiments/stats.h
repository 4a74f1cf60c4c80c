/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/stats.h - the statistics summary.csv reports, on GSL.
 *
 * Means get a Student-t interval over the runs of a sweep point (runs are
 * independent replications, so the t interval is the textbook choice even
 * for few runs); proportions get the Wilson score interval over the pooled
 * attempts, which stays inside 0..1 and behaves at rates near 0 (where the
 * Wald interval collapses to a point). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  double mean;   /* the estimate */
  double lo, hi; /* the interval; NAN when it is undefined (fewer than 2
                  * runs) */
} SynackInterval;

/* Mean of @x[0..@n) (NANs skipped) with a two-sided @level (0.95) Student-t
 * interval.  n = 0: all NAN; n = 1: lo = hi = NAN. */
SynackInterval synack_stats_mean_ci (const double *x, gsize n, double level);

/* @k successes in @n trials: k/n with the Wilson score interval at @level.
 * n = 0: all NAN. */
SynackInterval synack_stats_wilson  (guint64 k, guint64 n, double level);

/* Quantile @q (0..1) of sorted @x[0..@n) (gsl_stats_quantile_from_sorted_data);
 * NAN when n = 0. */
double         synack_stats_quantile_sorted (const double *x, gsize n,
                                             double q);

/* A distribution-free @level interval for quantile @q of the population
 * sorted @x[0..@n) was drawn from: [x(l), x(u)] with the order statistics
 * l, u picked from the Binomial(n, q) law of how many samples fall below
 * the quantile (the classical order-statistic interval: Conover,
 * "Practical Nonparametric Statistics", 3rd ed., section 3.2).  It assumes
 * the samples are independent.  *@lo or *@hi is NAN when n is too small
 * for that side (e.g. an upper bound of p99.9 from 100 samples). */
void           synack_stats_quantile_ci_sorted (const double *x, gsize n,
                                                double q, double level,
                                                double *lo, double *hi);

/* The same interval as ranks: the 1-based order statistics l and u of a
 * sample of @n, 0 for a side that does not exist (also when n = 0, n >
 * G_MAXUINT, or q outside (0, 1)).  Summaries from a histogram read the
 * value of each rank from it. */
void synack_stats_quantile_ci_ranks (guint64 n, double q, double level,
                                     guint64 *lo, guint64 *hi);

G_END_DECLS
