/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/figure.c - what the figures share (see figure.h): the preamble
 * of every script, series, and the mean-against-x figure latency,
 * request and teardown are made of. */
#include "figure.h"

#include <math.h>

#include "gnuplot.h"
#include "plot.h"
#include "results.h"

/* Starts the preamble every figure shares. */
void
plot_figure_begin (Figure *f, const char *what)
{
  g_autofree char *base = g_strdup_printf ("%s.csv", f->name);
  g_autofree char *out = g_strdup_printf ("%s.%s", f->name, f->format);
  g_autofree char *title = g_strdup_printf ("%s: %s", f->r->name, what);
  g_autofree char *name = synack_plot_escape_comment (f->name);

  f->data_path = g_build_filename (f->r->plots, base, NULL);
  f->out_path = g_build_filename (f->r->plots, out, NULL);
  f->gp_path =
    g_strdup_printf ("%s%c%s.gp", f->r->plots, G_DIR_SEPARATOR, f->name);
  f->data = g_string_new (NULL);
  f->script = g_string_new (NULL);
  g_string_append_printf (
    f->script,
    "# %s.gp - written by \"synack plot\".  Redraw with: gnuplot %s.gp\n"
    "# (from this directory: file names are relative to it).  The\n"
    "# variables come first, then the templates plots/common.gp and\n"
    "# plots/%s.gp; edit them here to restyle this figure.\n",
    name, name, name);
  synack_plot_script_set_string (f->script, "term", f->format);
  synack_plot_script_set_file (f->script, "out", out);
  synack_plot_script_set_file (f->script, "in", base);
  synack_plot_script_set_string (f->script, "title", title);
  synack_plot_script_set_number (f->script, "width", SYNACK_PLOT_WIDTH);
  synack_plot_script_set_number (f->script, "height", SYNACK_PLOT_HEIGHT);
}

void
plot_figure_clear (Figure *f)
{
  g_free (f->data_path);
  g_free (f->gp_path);
  g_free (f->out_path);
  g_free (f->skip);
  if (f->data)
    g_string_free (f->data, TRUE);
  if (f->script)
    g_string_free (f->script, TRUE);
}

/* The series names as a gnuplot array, with the block of each. */
void
plot_set_series (Figure *f)
{
  synack_plot_script_set_number (f->script, "nseries", f->r->series->len);
  synack_plot_script_set_strings (f->script, "series",
                                  (const char *const *) f->r->series->pdata,
                                  f->r->series->len);
}

/* Width of the x range of the sweep (0 for a single value). */
double
plot_x_span (const Results *r)
{
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < r->n_points; i++)
    if (isfinite (r->points[i].x)) {
      lo = MIN (lo, r->points[i].x);
      hi = MAX (hi, r->points[i].x);
    }
  return hi > lo ? hi - lo : 0;
}

/* Latency and teardown: mean with CI per series against x, plus columns
 * @extra (NULL-terminated summary names written as @extra_as). */
gboolean
plot_figure_mean_vs_x (Figure *f, const char *metric, const char *const *extra,
                  const char *const *extra_as, GError **error)
{
  const Results *r = f->r;
  g_autofree char *cm = synack_summary_column (metric, SYNACK_SUMMARY_MEAN);
  g_autofree char *clo = synack_summary_column (metric, SYNACK_SUMMARY_CI_LO);
  g_autofree char *chi = synack_summary_column (metric, SYNACK_SUMMARY_CI_HI);
  int col_mean = synack_csv_column (r->summary, cm);
  int col_lo = synack_csv_column (r->summary, clo);
  int col_hi = synack_csv_column (r->summary, chi);
  int col_runs = synack_csv_column (r->summary, SYNACK_SUMMARY_RUNS);
  guint n_extra = extra ? g_strv_length ((char **) extra) : 0;
  int col_extra[16];
  double vmin = INFINITY, vmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
  guint n_values = 0;

  if (r->x_key < 0) {
    f->skip = g_strdup (r->n_keys ? "no numeric sweep key to plot against"
                                  : "no sweep");
    return TRUE;
  }
  if (col_mean < 0) {
    f->skip = g_strdup_printf ("%s has no column %s", r->summary->path, cm);
    return TRUE;
  }
  g_assert (n_extra <= G_N_ELEMENTS (col_extra));
  for (guint e = 0; e < n_extra; e++) {
    g_auto (GStrv) names = g_strsplit (extra[e], "|", 0);

    /* "new|old": the first column there is */
    col_extra[e] = -1;
    for (guint k = 0; names[k] != NULL && col_extra[e] < 0; k++)
      col_extra[e] = synack_csv_column (r->summary, names[k]);
  }

  for (guint s = 0; s < r->series->len; s++) {
    g_autoptr (GArray) pts = plot_series_points (r, s);

    if (s > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "x,mean_s,ci95_lo_s,ci95_hi_s");
    for (guint e = 0; e < n_extra; e++)
      g_string_append_printf (f->data, ",%s", extra_as[e]);
    g_string_append (f->data, ",runs\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];
      double v[3 + 16], runs;

      if (!plot_cell_number (r, pt->row, col_mean, &v[0], error) ||
          !plot_cell_number (r, pt->row, col_lo, &v[1], error) ||
          !plot_cell_number (r, pt->row, col_hi, &v[2], error) ||
          !plot_cell_number (r, pt->row, col_runs, &runs, error))
        return FALSE;
      for (guint e = 0; e < n_extra; e++)
        if (!plot_cell_number (r, pt->row, col_extra[e], &v[3 + e], error))
          return FALSE;
      synack_plot_append_number (f->data, pt->x);
      for (guint e = 0; e < 3 + n_extra; e++) {
        double shown = v[e];

        /* an interval bound: the mean's, or an extra named *_lo_s, *_hi_s */
        const char *as = e >= 3 ? extra_as[e - 3] : "";
        gboolean bound = e == 1 || e == 2 || g_str_has_suffix (as, "_lo_s") ||
                         g_str_has_suffix (as, "_hi_s");

        /* a t interval over few runs can cross 0: a duration cannot */
        if (bound && isfinite (shown))
          shown = MAX (shown, 0.0);
        plot_csv_number (f->data, shown);
        if (isfinite (shown) && shown > 0) {
          ymin = MIN (ymin, shown);
          ymax = MAX (ymax, shown);
          if (!bound) {   /* the scale follows the estimates, not the CIs */
            vmin = MIN (vmin, shown);
            vmax = MAX (vmax, shown);
          }
        }
        if (e == 0 && isfinite (shown))
          n_values++;
      }
      plot_csv_number (f->data, runs);
      g_string_append_c (f->data, '\n');
    }
  }
  if (n_values == 0) {
    f->skip = g_strdup_printf ("%s is empty at every sweep point", cm);
    return TRUE;
  }
  plot_set_series (f);
  synack_plot_script_set_string (f->script, "xlabel", r->x_label);
  /* latencies span decades once retransmissions start (0.04 s -> 3 s) */
  synack_plot_script_set_number (f->script, "logy", vmax / vmin > 30.0);
  synack_plot_script_set_number (f->script, "ymin", ymin);
  synack_plot_script_set_number (f->script, "ymax", ymax);
  /* series side by side at each x: their error bars do not hide each other */
  synack_plot_script_set_number (f->script, "dodge",
                                 r->series->len > 1 ? 0.008 * plot_x_span (r)
                                                    : 0);
  return TRUE;
}

int
plot_compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Colour and dash of each curve of the CDF and occupancy figures: by x
 * value and series when both vary, so tcp2way and tcp3way at one loss rate
 * share a colour. */
void
plot_cdf_styles (const Results *r, const guint *pts, guint n, double *colour,
                 double *dash)
{
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));

  for (guint i = 0; i < n; i++) {
    const Point *pt = &r->points[pts[i]];
    guint c;

    for (c = 0; c < xs->len; c++)
      if (g_array_index (xs, double, c) == pt->x)
        break;
    if (c == xs->len)
      g_array_append_val (xs, pt->x);
    if (r->x_key >= 0 && r->series->len > 1) {
      colour[i] = c + 1;
      dash[i] = pt->series + 1;
    } else {
      colour[i] = i + 1;
      dash[i] = 1 + i / 8;
    }
  }
}

/* The points a figure with a curve per point draws: all of them when they
 * are few, else every series at up to MAX_X_VALUES x values spread over the
 * sweep (the first and the last among them), so colours stay apart.
 * Returns: (transfer full) point indices; notes what is left out. */
GArray *
plot_select_points (const Results *r, const char *figure)
{
  GArray *sel = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  guint k;

  if (r->n_points <= MAX_CURVES || r->x_key < 0) {
    for (guint i = 0; i < MIN (r->n_points, (guint) MAX_CURVES); i++)
      g_array_append_val (sel, i);
    if (r->n_points > MAX_CURVES)
      g_printerr ("synack plot: %s: drawing the first %u of %u sweep points\n",
                  figure, MAX_CURVES, r->n_points);
    return sel;
  }
  /* the distinct x values: sorted, then the repeats dropped (a search per
   * point made 10^5 points take minutes) */
  for (guint i = 0; i < r->n_points; i++)
    g_array_append_val (xs, r->points[i].x);
  g_array_sort (xs, plot_compare_double);
  k = 0;
  for (guint i = 0; i < xs->len; i++)
    if (k == 0 ||
        g_array_index (xs, double, i) != g_array_index (xs, double, k - 1))
      g_array_index (xs, double, k++) = g_array_index (xs, double, i);
  g_array_set_size (xs, k);
  k = MAX_CURVES / MAX (r->series->len, 1u);
  k = CLAMP (k, 2u, (guint) MAX_X_VALUES);
  k = MIN (k, xs->len);
  for (guint i = 0; i < r->n_points && sel->len < MAX_CURVES; i++)
    for (guint j = 0; j < k; j++) {
      guint at =
        k > 1 ? (guint) ((double) j * (xs->len - 1) / (k - 1) + 0.5) : 0;

      if (g_array_index (xs, double, at) == r->points[i].x) {
        g_array_append_val (sel, i);
        break;
      }
    }
  g_printerr ("synack plot: %s: drawing %u of %u sweep points "
              "(%u values of %s)\n", figure, sel->len, r->n_points, k,
              (const char *) r->summary->header->pdata[r->x_key]);
  return sel;
}
