/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/plot.c - `synack plot`: the standard figures of a results
 * directory (see plot.h for the list).
 *
 * The C side computes and writes each figure's data (one CSV per figure,
 * in gnuplot "index" blocks: a block per series or panel, each starting
 * with its header so columns are addressed by name), then a script made of
 * variable assignments followed by the text of plots/common.gp and
 * plots/NAME.gp; gnuplot runs that script.  The look lives in the
 * templates, the choice of what to plot lives here.  Inlining the templates
 * rather than `load`ing them makes DIR/plots self-contained: it can be
 * moved, restyled and redrawn without synack.
 *
 * This file is the driver: it loads the results directory (data.c), asks
 * each figure (one file per figure, beside its template) for its data and
 * script, and writes and runs them (gnuplot.c). */
#include "plot.h"

#include <errno.h>
#include <string.h>

#include "figure.h"
#include "gnuplot.h"
#include "text.h"

typedef gboolean (*FigureFunc) (Figure *f, GError **error);

static const struct {
  const char *name;
  FigureFunc  make;
} figures[] = {
  { "latency", plot_figure_latency },
  { "failures", plot_figure_failures },
  { "cdf", plot_figure_cdf },
  { "ccdf", plot_figure_ccdf },
  { "occupancy", plot_figure_occupancy },
  { "teardown", plot_figure_teardown },
  { "counts", plot_figure_counts },
  { "request", plot_figure_request },
};

static gboolean
check_arguments (const char *format, const char *only, GError **error)
{
  static const char *const formats[] = { "png", "svg", "pdf", NULL };
  const char *names[G_N_ELEMENTS (figures) + 1];
  const char *near;

  if (!g_strv_contains (formats, format)) {
    near = synack_text_suggest (format, formats);
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_BAD_FORMAT,
                 "unknown format \"%s\" (png, svg or pdf)%s%s%s", format,
                 near ? "; did you mean \"" : "", near ? near : "",
                 near ? "\"?" : "");
    return FALSE;
  }
  if (only == NULL)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (figures); i++)
    names[i] = figures[i].name;
  names[G_N_ELEMENTS (figures)] = NULL;
  if (g_strv_contains (names, only))
    return TRUE;
  near = synack_text_suggest (only, names);
  g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_BAD_FORMAT,
               "unknown figure \"%s\" (latency, failures, cdf, ccdf, "
               "occupancy, teardown, counts)%s%s%s",
               only, near ? "; did you mean \"" : "", near ? near : "",
               near ? "\"?" : "");
  return FALSE;
}

gboolean
synack_plot_dir (const char *dir, const char *format, const char *only,
                 GPtrArray *written, GError **error)
{
  Results r = { 0 };
  g_autofree char *gnuplot = NULL;
  g_autoptr (GString) skipped = g_string_new (NULL);
  g_autoptr (GError) first_failure = NULL;
  guint scripts = 0;
  gboolean ok = FALSE;

  g_return_val_if_fail (dir != NULL, FALSE);
  if (format == NULL)
    format = "png";
  if (!check_arguments (format, only, error))
    return FALSE;
  if (!plot_results_load (&r, dir, error))
    goto out;
  /* everything is written inside DIR/plots (fixed names, never from the
   * results): a symbolic link planted there would send it elsewhere */
  if (g_file_test (r.plots, G_FILE_TEST_IS_SYMLINK)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "%s: a symbolic link; synack plot writes only into a "
                 "real directory (remove the link)",
                 r.plots);
    goto out;
  }
  if (g_mkdir_with_parents (r.plots, 0755) != 0) {
    int e = errno;

    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "%s: cannot create: %s", r.plots, g_strerror (e));
    goto out;
  }
  gnuplot = synack_plot_find_gnuplot ();

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++) {
    Figure f = {
      &r, format, figures[i].name, NULL, NULL, NULL, NULL, NULL, NULL
    };
    gboolean fig_ok;
    g_autoptr (GError) fig_error = NULL;

    if (only != NULL && strcmp (only, figures[i].name) != 0)
      continue;
    fig_ok = figures[i].make (&f, error);
    if (fig_ok && f.skip != NULL) {
      if (only != NULL) {
        g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_DATA,
                     "%s: cannot draw %s: %s", dir, f.name, f.skip);
        fig_ok = FALSE;
      } else {
        g_printerr ("synack plot: skipping %s: %s\n", f.name, f.skip);
        g_string_append_printf (skipped, "; %s: %s", f.name, f.skip);
      }
    } else if (fig_ok) {
      fig_ok = synack_plot_script_append_templates (f.script, f.name, error) &&
               synack_plot_write_file (f.data_path, f.data, written, error) &&
               synack_plot_write_file (f.gp_path, f.script, written, error);
      if (fig_ok)
        scripts++;
      if (fig_ok && gnuplot != NULL &&
          !synack_plot_run_and_check (f.gp_path, f.out_path, written,
                                      &fig_error)) {
        /* draw the others, report the first failure at the end */
        g_printerr ("synack plot: %s\n", fig_error->message);
        if (first_failure == NULL)
          first_failure = g_steal_pointer (&fig_error);
      }
    }
    plot_figure_clear (&f);
    if (!fig_ok)
      goto out;
  }
  if (scripts == 0) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_DATA,
                 "%s: nothing to plot%s", dir, skipped->str);
    goto out;
  }
  if (gnuplot == NULL) {
    g_autofree char *msg = synack_plot_no_gnuplot_message ();

    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT,
                 "%s; the scripts and their data are written in %s: "
                 "draw them there with `gnuplot NAME.gp`",
                 msg, r.plots);
    goto out;
  }
  if (first_failure != NULL) {
    g_propagate_error (error, g_steal_pointer (&first_failure));
    goto out;
  }
  ok = TRUE;
out:
  plot_results_clear (&r);
  return ok;
}
