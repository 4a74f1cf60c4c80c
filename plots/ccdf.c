/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ccdf.c - the ccdf figure (plots/ccdf.gp): P(latency > x) per
 * sweep point, log-log, a panel per series. */
#include "figure.h"

#include <math.h>

#include "gnuplot.h"

/* Rows per CCDF curve stay near a few thousand: a row is kept when the
 * probability fell by this factor, or the latency grew by it, since the
 * last row kept (a log-log figure needs relative, not absolute, steps). */
#define CCDF_STEP 1.01

/* The tail: P(latency > x) per sweep point on log-log axes, from the same
 * samples as the CDF; a panel per series, since curves of 2-way and 3-way
 * at one loss rate would lie on top of each other. */
gboolean
plot_figure_ccdf (Figure *f, GError **error)
{
  const Results *r = f->r;
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) key_titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) sel = NULL;
  guint curves[MAX_CURVES];
  double colour[MAX_CURVES], dash[MAX_CURVES];
  double panel[MAX_CURVES], every[MAX_CURVES];
  double key_colour[MAX_CURVES], panel_of_series[MAX_CURVES];
  g_autoptr (GPtrArray) panel_titles = g_ptr_array_new ();
  guint n = 0, n_panels = 0, n_keys = 0;
  double xmin = INFINITY, xmax = -INFINITY, pmin = 1;
  /* with an x key, colour tells the x value and a panel the series */
  gboolean panels = r->x_key >= 0 && r->series->len > 1;

  plot_figure_begin (f, "handshake latency tail (CCDF)");
  for (guint s = 0; s < MAX_CURVES; s++)
    panel_of_series[s] = 0;
  sel = plot_select_points (r, f->name);
  for (guint s = 0; s < sel->len; s++) {
    guint i = g_array_index (sel, guint, s), rows = 0, ser;
    const Point *pt = &r->points[i];
    g_auto (SynackSamples) pool = { NULL, NULL };
    g_autoptr (GArray) v = NULL;
    double last_p = 1, last_x;
    guint64 total;

    if (!plot_read_point_samples (r, pt, &pool, error))
      return FALSE;
    v = plot_distribution_steps (pt, &pool, &total);
    if (v->len == 0)
      continue;
    ser = MIN (pt->series, (guint) MAX_CURVES - 1);
    if (panels && pt->series >= MAX_CURVES)
      continue;
    if (panels && panel_of_series[ser] == 0) {
      if (n_panels == MAX_PANELS)
        continue;
      panel_of_series[ser] = ++n_panels;
      g_ptr_array_add (panel_titles, r->series->pdata[pt->series]);
    }
    xmin = MIN (xmin, g_array_index (v, PlotStep, 0).x);
    xmax = MAX (xmax, g_array_index (v, PlotStep, v->len - 1).x);
    if (n > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "latency_s,ccdf\n");
    /* P(L > x) = 1 below the smallest sample */
    last_x = g_array_index (v, PlotStep, 0).x;
    synack_plot_append_number (f->data, last_x);
    g_string_append (f->data, ",1\n");
    /* at each distinct value x, P(L > x) = (samples above x) / n, down to
     * 0 after the largest (a log axis draws that row at its bottom) */
    for (guint j = 0; j < v->len; j++) {
      double x = g_array_index (v, PlotStep, j).x;
      double p = (double) (total - g_array_index (v, PlotStep, j).cum) /
                 (double) total;

      if (p > 0 && j + 1 < v->len && p * CCDF_STEP > last_p &&
          x < last_x * CCDF_STEP)
        continue;
      synack_plot_append_number (f->data, x);
      plot_csv_number (f->data, p);
      g_string_append_c (f->data, '\n');
      last_p = p;
      last_x = x;
      rows++;
      if (p > 0)
        pmin = MIN (pmin, p);
    }
    curves[n] = i;
    panel[n] = panels ? panel_of_series[ser] : 1;
    every[n] = MAX (1, rows / 8);
    g_ptr_array_add (titles, g_strdup_printf ("%s (n=%" G_GUINT64_FORMAT ")",
                                              pt->label, total));
    n++;
  }
  if (n == 0) {
    f->skip = g_strdup ("no handshake latency samples (samples/*.bin)");
    return TRUE;
  }
  plot_cdf_styles (r, curves, n, colour, dash);
  /* the key: one entry per colour (the x value) when there are panels */
  for (guint t = 0; t < n; t++) {
    gboolean seen = FALSE;
    const Point *pt = &r->points[curves[t]];
    const char *x_name = r->x_key >= 0
                         ? plot_short_key (r->summary->header->pdata[r->x_key])
                         : "";

    for (guint k = 0; k < n_keys && !seen; k++)
      seen = key_colour[k] == colour[t];
    if (seen && panels)
      continue;
    key_colour[n_keys++] = colour[t];
    if (panels)
      g_ptr_array_add (key_titles, g_strdup_printf ("%s=%s", x_name,
                                                    pt->x_text));
    else
      g_ptr_array_add (key_titles, g_strdup (titles->pdata[t]));
  }
  if (!panels)
    g_ptr_array_add (panel_titles, "");
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title",
                                  (const char *const *) titles->pdata, n);
  synack_plot_script_set_numbers (f->script, "curve_colour", colour, n);
  synack_plot_script_set_numbers (f->script, "curve_panel", panel, n);
  synack_plot_script_set_numbers (f->script, "curve_every", every, n);
  synack_plot_script_set_number (f->script, "npanels", MAX (n_panels, 1u));
  synack_plot_script_set_strings (f->script, "panel_title",
                                  (const char *const *) panel_titles->pdata,
                                  panel_titles->len);
  synack_plot_script_set_number (f->script, "nkeys", n_keys);
  synack_plot_script_set_strings (f->script, "key_title",
                                  (const char *const *) key_titles->pdata,
                                  n_keys);
  synack_plot_script_set_numbers (f->script, "key_colour", key_colour, n_keys);
  synack_plot_script_set_number (f->script, "xmin", xmin);
  synack_plot_script_set_number (f->script, "xmax", xmax);
  synack_plot_script_set_number (f->script, "pmin", pmin);
  return TRUE;
}
