/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/failures.c - the failures figure (plots/failures.gp): outcome
 * rates in % of attempts with Wilson 95 % CIs, a panel per series. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "gnuplot.h"
#include "results.h"
#include "stats.h"
#include "text.h"

/* The outcome kinds of the failure figure, in drawing order.  "failed"
 * has two causes that call for different remedies, so it is drawn split:
 * no_port (the attempt found every client port busy: runs.csv's
 * ports_exhausted, e.g. ports held in TIME_WAIT) and gave_up (the rest of
 * "failed": the client gave up, or a RST refused it).  The total stays in
 * the data file as failed_pct. */
static const char *const failure_kinds[] = {
  "failed", "half_open", "duplicate", "ghost", "reset",
};
static const char *const failure_causes[] = { "no_port", "gave_up" };

/* Writes 100 x the Wilson 95 % interval of @k in @n: K_pct,K_lo,K_hi. */
static void
append_wilson_pct (GString *data, double k, double n, double *ymax)
{
  SynackInterval ci;

  if (!(n >= 1) || !(k >= 0)) {
    for (guint c = 0; c < 3; c++)
      plot_csv_number (data, NAN);
    return;
  }
  ci = synack_stats_wilson ((guint64) llround (MIN (k, n)),
                            (guint64) llround (n), 0.95);
  plot_csv_number (data, 100.0 * ci.mean);
  plot_csv_number (data, 100.0 * ci.lo);
  plot_csv_number (data, 100.0 * ci.hi);
  if (isfinite (ci.mean))
    *ymax = MAX (*ymax, 100.0 * ci.hi);
}

/* "0.043" for a % near 0: two significant digits, no exponent. */
static char *
format_pct (double pct)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[16];
  int decimals;

  if (!(pct > 0) || !isfinite (pct))
    return g_strdup ("0");
  decimals = pct >= 10 ? 0 : pct >= 1 ? 1 : (int) ceil (-log10 (pct)) + 1;
  g_snprintf (fmt, sizeof fmt, "%%.%df", MIN (decimals, 9));
  return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, pct));
}

gboolean
plot_figure_failures (Figure *f, GError **error)
{
  const Results *r = f->r;
  int cols[G_N_ELEMENTS (failure_kinds)][3];
  g_autofree char *attempts_mean =
    synack_summary_column ("attempts", SYNACK_SUMMARY_MEAN);
  g_autofree char *ports_mean = synack_summary_column ("ports_exhausted",
                                                       SYNACK_SUMMARY_MEAN);
  g_autofree char *failed_mean =
    synack_summary_column ("failed", SYNACK_SUMMARY_MEAN);
  int col_attempts = synack_csv_column (r->summary, attempts_mean);
  int col_runs = synack_csv_column (r->summary, SYNACK_SUMMARY_RUNS);
  int col_ports = synack_csv_column (r->summary, ports_mean);
  int col_failed_mean = synack_csv_column (r->summary, failed_mean);
  double ymax = 0, npoints[MAX_PANELS] = { 0 }, step[MAX_PANELS] = { 0 };
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  guint n_series = MIN (r->series->len, (guint) MAX_PANELS), n_notes = 0;
  /* drawn kinds, in failures.gp's order: no_port gave_up half_open
   * duplicate ghost reset; one never seen gets no bar, only a mention */
  double seen[6] = { 0 };

  plot_figure_begin (f, "failed and broken handshakes");
  if (r->n_keys == 0) {
    f->skip = g_strdup ("no sweep");
    return TRUE;
  }
  for (guint k = 0; k < G_N_ELEMENTS (failure_kinds); k++) {
    static const SynackSummaryStat stat[] = {
      SYNACK_SUMMARY_RATE, SYNACK_SUMMARY_RATE_LO, SYNACK_SUMMARY_RATE_HI,
    };

    for (guint j = 0; j < 3; j++) {
      g_autofree char *name = synack_summary_column (failure_kinds[k], stat[j]);

      cols[k][j] = synack_csv_column (r->summary, name);
      if (j == 0 && cols[k][j] < 0) {
        f->skip =
          g_strdup_printf ("%s has no column %s", r->summary->path, name);
        return TRUE;
      }
    }
  }
  if (r->series->len > n_series)
    g_printerr ("synack plot: failures: drawing the first %u of %u series\n",
                n_series, r->series->len);

  for (guint s = 0; s < n_series; s++) {
    g_autoptr (GArray) pts = plot_series_points (r, s);
    double attempts_total = 0, hi_max = 0;
    gboolean any = FALSE, known = TRUE;

    npoints[s] = pts->len;
    /* a label per point until they would collide: about 6 fit a panel of
     * a 3-column row (labels like "0.15" or "rfc6528") */
    step[s] = MAX (1.0, ceil (pts->len / (n_series > 1 ? 6.0 : 12.0)));
    if (s > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "x,x_label");
    for (guint k = 0; k < G_N_ELEMENTS (failure_kinds); k++)
      g_string_append_printf (f->data, ",%s_pct,%s_lo_pct,%s_hi_pct",
                              failure_kinds[k], failure_kinds[k],
                              failure_kinds[k]);
    for (guint k = 0; k < G_N_ELEMENTS (failure_causes); k++)
      g_string_append_printf (f->data, ",%s_pct,%s_lo_pct,%s_hi_pct",
                              failure_causes[k], failure_causes[k],
                              failure_causes[k]);
    g_string_append (f->data, ",attempts\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];
      double attempts, runs, ports, failed, n;

      synack_plot_append_number (f->data, pt->x);
      g_string_append_c (f->data, ',');
      synack_text_csv_append (f->data, r->x_key >= 0 ? pt->x_text : "all");
      for (guint k = 0; k < G_N_ELEMENTS (failure_kinds); k++) {
        double v[3];

        for (guint c = 0; c < 3; c++)
          if (!plot_cell_number (r, pt->row, cols[k][c], &v[c], error))
            return FALSE;
        if (v[0] > 0) {
          any = TRUE;
          if (k > 0)
            seen[k + 1] = 1;
        }
        if (isfinite (v[2]))
          hi_max = MAX (hi_max, 100.0 * v[2]);
        else
          known = FALSE;
        /* one run has no interval in runs.csv terms: draw a bar without one */
        if (!isfinite (v[1]) || !isfinite (v[2]))
          v[1] = v[2] = v[0];
        for (guint c = 0; c < 3; c++) {
          plot_csv_number (f->data, 100.0 * v[c]);
          /* an interval of a bar at 0 is not drawn (see failures.gp) */
          if (isfinite (v[c]) && (v[0] > 0 || c == 0))
            ymax = MAX (ymax, 100.0 * v[c]);
        }
      }
      /* the causes of "failed", from the pooled counts (means x runs) */
      if (!plot_cell_number (r, pt->row, col_attempts, &attempts, error) ||
          !plot_cell_number (r, pt->row, col_runs, &runs, error) ||
          !plot_cell_number (r, pt->row, col_ports, &ports, error) ||
          !plot_cell_number (r, pt->row, col_failed_mean, &failed, error))
        return FALSE;
      n = round (attempts * runs);
      ports = round (ports * runs);
      failed = round (failed * runs);
      /* results from before ports_exhausted: all "gave up" */
      if (isnan (ports))
        ports = isfinite (failed) ? 0 : NAN;
      append_wilson_pct (f->data, ports, n, &ymax);
      append_wilson_pct (f->data, MAX (failed - ports, 0), n, &ymax);
      if (ports > 0)
        seen[0] = 1;
      if (failed - ports > 0)
        seen[1] = 1;
      plot_csv_number (f->data, n);
      g_string_append_c (f->data, '\n');
      if (isfinite (n))
        attempts_total += n;
      else
        known = FALSE;
    }
    /* nothing went wrong at any point: a note, not a row of empty bars */
    if (!any && known && attempts_total > 0) {
      g_autofree char *bound = format_pct (hi_max);
      char *note;

      /* short lines: the note may sit in one of three panels side by side */
      if (pts->len == 1)
        note = g_strdup_printf ("no failures in %.0f attempts\n"
                                "(95 %% upper bound %s %%, Wilson)\n\n"
                                "none failed, half-open,\n"
                                "duplicate, ghost or reset",
                                attempts_total, bound);
      else
        note = g_strdup_printf ("no failures in %.0f attempts\n"
                                "(95 %% upper bound %s %%\n"
                                "at each of the %u points, Wilson)\n\n"
                                "none failed, half-open,\n"
                                "duplicate, ghost or reset",
                                attempts_total, bound, pts->len);
      g_ptr_array_add (notes, note);
      n_notes++;
    } else {
      g_ptr_array_add (notes, g_strdup (""));
    }
  }
  plot_set_series (f);
  synack_plot_script_set_number (f->script, "nseries", n_series);
  synack_plot_script_set_numbers (f->script, "npoints", npoints, n_series);
  synack_plot_script_set_numbers (f->script, "label_step", step, n_series);
  synack_plot_script_set_numbers (f->script, "kind_seen", seen,
                                  G_N_ELEMENTS (seen));
  synack_plot_script_set_strings (f->script, "note",
                                  (const char *const *) notes->pdata,
                                  notes->len);
  synack_plot_script_set_number (f->script, "nnotes", n_notes);
  synack_plot_script_set_string (f->script, "xlabel",
                                 r->x_key >= 0 ? r->x_label : "");
  synack_plot_script_set_number (f->script, "ymax",
                                 ymax > 0 ? ymax * 1.12 : 1.0);
  return TRUE;
}
