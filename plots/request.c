/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/request.c - the request figure (plots/request.gp): the open to
 * the server executing the request, mean and p99, per design. */
#include "figure.h"

#include "results.h"

/* When the server executes the request (issue 11): the mean with its CI
 * and the mean of the runs' p99, against the swept value, per design. */
gboolean
plot_figure_request (Figure *f, GError **error)
{
  static const char *const extra_as[] = { "p99_s", "p99_lo_s", "p99_hi_s",
                                          NULL };
  g_autofree char *mean =
    synack_summary_column ("request_p99_s", SYNACK_SUMMARY_MEAN);
  g_autofree char *lo =
    synack_summary_column ("request_p99_s", SYNACK_SUMMARY_CI_LO);
  g_autofree char *hi =
    synack_summary_column ("request_p99_s", SYNACK_SUMMARY_CI_HI);
  const char *const extra[] = { mean, lo, hi, NULL };

  plot_figure_begin (f, "request latency "
                        "(open to the server executing the request)");
  if (synack_csv_column (f->r->summary, mean) < 0) {
    f->skip = g_strdup_printf ("%s has no request latency "
                               "(written by an older synack)",
                               f->r->summary->path);
    return TRUE;
  }
  return plot_figure_mean_vs_x (f, "request_mean_s", extra, extra_as, error);
}
