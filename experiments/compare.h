/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/compare.h - `synack compare A B`: per sweep point, the
 * difference of each metric's mean between two results directories, with
 * its 95 % confidence interval.
 *
 * Points are matched by the values of the sweep keys both directories
 * sweep (all of them must be the same keys), after each side is narrowed
 * to the points where KEY=VALUE (--a, --b; KEY then is not matched): so
 * `compare D D --a experiment.profile=rfc9293 --b experiment.profile=linux`
 * compares two profiles of one sweep.  When every replication of a matched
 * pair of points ran with the same seed on both sides (common random
 * numbers: [experiment] seeds = per-replication within one sweep, or two
 * configs with the same seed and points), the difference is paired: the
 * Student-t interval of the per-replication differences, which the shared
 * randomness makes far narrower.  Otherwise it is Welch's interval for two
 * independent means. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_COMPARE_ERROR (synack_compare_error_quark ())
typedef enum {
  SYNACK_COMPARE_ERROR_IO, /* a runs.csv that cannot be read */
  SYNACK_COMPARE_ERROR_MISMATCH, /* other sweep keys, or no point in common */
  SYNACK_COMPARE_ERROR_BAD_WHERE, /* --a/--b not KEY=VALUE, or a key not swept
                                   */
} SynackCompareError;
GQuark synack_compare_error_quark (void);

/* Writes the comparison of @a and @b as CSV to @out: the matched sweep
 * keys, metric, runs_a, runs_b, mean_a, mean_b, diff (b - a),
 * diff_ci95_lo, diff_ci95_hi, paired (1 or 0), one row per point and
 * metric.  @where_a, @where_b: (nullable) "KEY=VALUE".
 * Returns: FALSE with @error. */
gboolean synack_compare_dirs (const char *a, const char *b,
                              const char *where_a, const char *where_b,
                              GString *out, GError **error);

G_END_DECLS
