/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/counts.c - the counts figure (plots/counts.gp): the per-run
 * counts that vary over the sweep, a panel each, mean with 95 % CI. */
#include "figure.h"

#include <math.h>

#include "gnuplot.h"
#include "results.h"

/* The per-run counts behind the findings the README states (TIME_WAIT
 * holding ports, stale segments, a SYN flood filling the backlog), in the
 * order the figure draws them, with what each counts. */
static const struct {
  const char *column;
  const char *title;
} count_columns[] = {
  { "ports_exhausted", "attempts without a free client port / run" },
  { "stale_accepted", "stale segments accepted / run" },
  { "backlog_drops", "SYNs dropped on a full backlog / run" },
  { "time_wait_peak", "peak connections in TIME_WAIT" },
  { "syn_retransmits", "SYN retransmissions / run" },
  { "fin_retransmits", "FIN retransmissions / run" },
};
#define MAX_COUNT_PANELS 4

/* The counts that vary over the sweep, against the x key: a panel each
 * (mean over runs, 95 % CI), a line per series.  Which panels there are
 * follows from the data, not from the experiment's name. */
gboolean
plot_figure_counts (Figure *f, GError **error)
{
  const Results *r = f->r;
  int cols[MAX_COUNT_PANELS][3];
  const char *titles[MAX_COUNT_PANELS], *names[MAX_COUNT_PANELS];
  double ymax[MAX_COUNT_PANELS];
  guint n = 0;

  plot_figure_begin (f, "what the runs counted");
  if (r->x_key < 0) {
    f->skip = g_strdup (r->n_keys ? "no numeric sweep key to plot against"
                                  : "no sweep");
    return TRUE;
  }
  for (guint c = 0; c < G_N_ELEMENTS (count_columns) && n < MAX_COUNT_PANELS;
       c++) {
    g_autofree char *cm = synack_summary_column (count_columns[c].column,
                                                 SYNACK_SUMMARY_MEAN);
    g_autofree char *clo = synack_summary_column (count_columns[c].column,
                                                  SYNACK_SUMMARY_CI_LO);
    g_autofree char *chi = synack_summary_column (count_columns[c].column,
                                                  SYNACK_SUMMARY_CI_HI);
    int col = synack_csv_column (r->summary, cm);
    double lo = INFINITY, hi = -INFINITY;

    if (col < 0)
      continue;
    for (guint i = 0; i < r->n_points; i++) {
      double v;

      if (!plot_cell_number (r, i, col, &v, error))
        return FALSE;
      if (isfinite (v)) {
        lo = MIN (lo, v);
        hi = MAX (hi, v);
      }
    }
    /* a count that is the same everywhere (often 0) tells nothing here */
    if (!(hi > lo) || !(hi > 0))
      continue;
    cols[n][0] = col;
    cols[n][1] = synack_csv_column (r->summary, clo);
    cols[n][2] = synack_csv_column (r->summary, chi);
    titles[n] = count_columns[c].title;
    names[n] = count_columns[c].column;
    ymax[n] = hi;
    n++;
  }
  if (n == 0) {
    f->skip = g_strdup ("no count varies over the sweep (ports_exhausted, "
                        "stale_accepted, time_wait_peak, backlog_drops, "
                        "syn_retransmits, fin_retransmits)");
    return TRUE;
  }
  for (guint s = 0; s < r->series->len; s++) {
    g_autoptr (GArray) pts = plot_series_points (r, s);

    if (s > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "x");
    for (guint k = 0; k < n; k++)
      g_string_append_printf (f->data, ",%s_mean,%s_ci95_lo,%s_ci95_hi",
                              names[k], names[k], names[k]);
    g_string_append (f->data, "\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];

      synack_plot_append_number (f->data, pt->x);
      for (guint k = 0; k < n; k++)
        for (guint c = 0; c < 3; c++) {
          double v;

          if (!plot_cell_number (r, pt->row, cols[k][c], &v, error))
            return FALSE;
          if (c > 0 && isfinite (v))   /* a count is never below 0 */
            v = MAX (v, 0.0);
          if (isfinite (v))
            ymax[k] = MAX (ymax[k], v);
          plot_csv_number (f->data, v);
        }
      g_string_append_c (f->data, '\n');
    }
  }
  plot_set_series (f);
  synack_plot_script_set_string (f->script, "xlabel", r->x_label);
  synack_plot_script_set_number (f->script, "npanels", n);
  synack_plot_script_set_strings (f->script, "panel_column", names, n);
  synack_plot_script_set_strings (f->script, "panel_title", titles, n);
  synack_plot_script_set_numbers (f->script, "panel_ymax", ymax, n);
  synack_plot_script_set_number (f->script, "dodge",
                                 r->series->len > 1 ? 0.008 * plot_x_span (r)
                                                    : 0);
  return TRUE;
}
