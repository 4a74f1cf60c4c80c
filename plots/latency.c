/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/latency.c - the latency figure (plots/latency.gp): handshake
 * latency against the x key, the mean with its 95 % CI and the pooled
 * p50, p95, p99, p99.9 with their order-statistic intervals. */
#include "figure.h"

#include <string.h>

#include "gnuplot.h"
#include "results.h"

gboolean
plot_figure_latency (Figure *f, GError **error)
{
  /* the pooled percentiles with their order-statistic intervals; results
   * written before those had only the pooled values, without intervals */
  static const char *const extra_as[] = {
    "p50_s", "p50_lo_s", "p50_hi_s", "p95_s", "p95_lo_s", "p95_hi_s",
    "p99_s", "p99_lo_s", "p99_hi_s", "p999_s", "p999_lo_s", "p999_hi_s", NULL
  };
  static const char *const quantiles[] = { "p50", "p95", "p99", "p999" };
  g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *p50_lo =
    synack_summary_pooled_column ("p50", SYNACK_SUMMARY_CI_LO);

  /* the pooled percentiles with their order-statistic intervals; results
   * written before those had only the pooled values, without intervals,
   * under their plain names ("new|old": the first column there is) */
  for (guint q = 0; q < G_N_ELEMENTS (quantiles); q++) {
    g_autofree char *pooled =
      synack_summary_pooled_column (quantiles[q], SYNACK_SUMMARY_MEAN);
    g_autofree char *plain =
      synack_summary_plain_quantile_column (quantiles[q]);

    g_ptr_array_add (extra, strcmp (quantiles[q], "p999") != 0
                              ? g_strconcat (pooled, "|", plain, NULL)
                              : g_strdup (pooled));
    g_ptr_array_add (extra,
                     synack_summary_pooled_column (quantiles[q],
                                                   SYNACK_SUMMARY_CI_LO));
    g_ptr_array_add (extra,
                     synack_summary_pooled_column (quantiles[q],
                                                   SYNACK_SUMMARY_CI_HI));
  }
  g_ptr_array_add (extra, NULL);
  plot_figure_begin (f, "handshake latency");
  /* results written before the pooled intervals have no such columns: their
   * percentiles are drawn as points alone, not as "not bounded" */
  synack_plot_script_set_number (f->script, "pct_ci",
                                 synack_csv_column (f->r->summary, p50_lo) >=
                                   0);
  return plot_figure_mean_vs_x (f, "handshake_mean_s",
                                (const char *const *) extra->pdata, extra_as,
                                error);
}
