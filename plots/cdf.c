/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/cdf.c - the cdf figure (plots/cdf.gp): the empirical CDF of
 * handshake latency per sweep point, log x. */
#include "figure.h"

#include <math.h>

#include "gnuplot.h"

gboolean
plot_figure_cdf (Figure *f, GError **error)
{
  const Results *r = f->r;
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) sel = NULL;
  guint curves[MAX_CURVES];
  double colour[MAX_CURVES], dash[MAX_CURVES];
  guint n = 0;
  double xmin = INFINITY, xmax = -INFINITY;

  plot_figure_begin (f, "handshake latency CDF");
  sel = plot_select_points (r, f->name);
  for (guint s = 0; s < sel->len; s++) {
    guint i = g_array_index (sel, guint, s);
    const Point *pt = &r->points[i];
    g_auto (SynackSamples) pool = { NULL, NULL };
    g_autoptr (GArray) v = NULL;
    double last_f = 0;
    guint64 total;

    if (!plot_read_point_samples (r, pt, &pool, error))
      return FALSE;
    v = plot_distribution_steps (pt, &pool, &total);
    if (v->len == 0)
      continue;
    xmin = MIN (xmin, g_array_index (v, PlotStep, 0).x);
    xmax = MAX (xmax, g_array_index (v, PlotStep, v->len - 1).x);
    if (n > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "latency_s,fraction\n");
    synack_plot_append_number (f->data, g_array_index (v, PlotStep, 0).x);
    g_string_append (f->data, ",0\n");
    /* the top of each step: one row per distinct value, thinned so that
     * the fraction rises at least 1/CDF_MAX_ROWS between rows (an error
     * the eye cannot see); the largest value is always kept */
    for (guint j = 0; j < v->len; j++) {
      const PlotStep *st = &g_array_index (v, PlotStep, j);
      double frac = (double) st->cum / (double) total;

      if (j + 1 < v->len && frac - last_f < 1.0 / CDF_MAX_ROWS)
        continue;
      synack_plot_append_number (f->data, st->x);
      plot_csv_number (f->data, frac);
      g_string_append_c (f->data, '\n');
      last_f = frac;
    }
    curves[n] = i;
    g_ptr_array_add (titles, g_strdup_printf ("%s (n=%" G_GUINT64_FORMAT ")",
                                              pt->label, total));
    n++;
  }
  if (n == 0) {
    f->skip = g_strdup ("no handshake latency samples (samples/*.bin)");
    return TRUE;
  }
  plot_cdf_styles (r, curves, n, colour, dash);
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title",
                                  (const char *const *) titles->pdata, n);
  {
    glong chars = 0;

    for (guint t = 0; t < titles->len; t++)
      chars = MAX (chars, g_utf8_strlen (titles->pdata[t], -1));
    synack_plot_script_set_number (f->script, "curve_chars", (double) chars);
  }
  synack_plot_script_set_numbers (f->script, "curve_colour", colour, n);
  synack_plot_script_set_numbers (f->script, "curve_dash", dash, n);
  synack_plot_script_set_number (f->script, "xmin", xmin);
  synack_plot_script_set_number (f->script, "xmax", xmax);
  return TRUE;
}
