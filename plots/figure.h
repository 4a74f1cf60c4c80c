/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/figure.h - what the figure files of `synack plot` share (internal
 * to plots/): the results directory as the figures see it (data.c), the
 * figure being made and its helpers (figure.c), and one function per
 * figure, each in the file named after it, beside its .gp template.
 *
 * A figure function fills f->data (the NAME.csv it plots) and f->script
 * (the variables before the templates), or sets f->skip to say why the
 * directory cannot give that figure; plot.c writes and runs the result. */
#pragma once

#include <glib.h>

#include "csv.h"
#include "histogram.h"

G_BEGIN_DECLS

/* Most panels (failures) and curves (cdf, occupancy) in one figure. */
#define MAX_PANELS 6
#define MAX_CURVES 16
/* x values drawn when a sweep has too many points for a curve each. */
#define MAX_X_VALUES 5
/* Rows per CDF curve: enough for the eye, small enough for the file. */
#define CDF_MAX_ROWS 2000

/* ---- the results directory (data.c) -------------------------------------- */

typedef struct {
  guint  row;       /* summary.csv row */
  guint  index;     /* sweep point P of samples/P-R.bin, traces/P-R-* */
  double x;         /* the x key's value (durations in s); NAN: no x key */
  char  *x_text;    /* as written; "" without an x key */
  guint  series;    /* index into Results.series */
  char  *label;     /* in legends: "tcp3way, loss.p=0.05"; "all runs" */
} Point;

typedef struct {
  guint rep;        /* replication R of samples/P-R.bin */
  guint line;       /* its runs.csv line */
} Run;

typedef struct {
  char       *dir;
  char       *plots;        /* DIR/plots */
  char       *name;         /* experiment name */
  SynackCsv  *summary;
  SynackCsv  *runs;         /* nullable */
  guint       n_keys;       /* sweep keys: the summary columns before "runs" */
  int         x_key;        /* the first numeric sweep key, -1 if none */
  char       *x_label;      /* axis label for it */
  Point      *points;       /* one per summary row */
  guint       n_points;
  GPtrArray  *series;       /* char*: series names, first-seen order */
  GPtrArray  *series_pts;   /* GArray of guint per series: its points by x */
  GHashTable *runs_of;      /* point + 1 -> GArray of Run; NULL: no runs.csv */
} Results;

/* Reads DIR/summary.csv (required), runs.csv and config.ini into @r:
 * sweep points, their x values and series.  Returns: FALSE with @error
 * (SYNACK_CSV_ERROR) naming the file and line of a damaged file. */
gboolean plot_results_load (Results *r, const char *dir, GError **error);
void     plot_results_clear (Results *r);
/* Value of summary column @col at @row; NAN when absent (@col < 0) or
 * empty.  Returns: FALSE with @error for a cell that is not a number. */
gboolean plot_cell_number (const Results *r, guint row, int col, double *v,
                           GError **error);
/* Returns: (transfer full) point indices of series @s sorted by x. */
GArray  *plot_series_points (const Results *r, guint s);
/* Appends ",VALUE" to a data row. */
void     plot_csv_number (GString *s, double v);
/* "link.loss.p" -> "loss.p": the section is clear from the key's name. */
const char *plot_short_key (const char *key);
/* Adds the handshake latencies of point @pt to @pool: exact values, or
 * a histogram once one run has one (see data.c).
 * Returns: FALSE with @error naming a missing, truncated or damaged
 * samples file, or a count that disagrees with summary.csv. */
gboolean plot_read_point_samples (const Results *r, const Point *pt,
                                  SynackSamples *pool, GError **error);
/* One step of an empirical distribution: @cum of the samples are <= @x. */
typedef struct {
  double  x;      /* seconds, > 0 */
  guint64 cum;
} PlotStep;
/* Returns: (transfer full) (element-type PlotStep) the distinct values of
 * @pool, increasing, with their cumulative counts; latencies of 0 s are
 * left out (a log axis cannot show them).  *@n: the samples counted.  From
 * a histogram, a value is the middle of its bucket, within 2^-11 of the
 * latencies in it. */
GArray  *plot_distribution_steps (const Point *pt, SynackSamples *pool,
                                  guint64 *n);

/* ---- the figure being made (figure.c) ------------------------------------ */

typedef struct {
  const Results *r;
  const char    *format;     /* png svg pdf */
  const char    *name;       /* figure name */
  char          *data_path;  /* DIR/plots/NAME.csv */
  char          *gp_path;
  char          *out_path;
  GString       *data;       /* the data file's text */
  GString       *script;     /* preamble; the templates are appended last */
  char          *skip;       /* why the figure cannot be drawn, or NULL */
} Figure;

/* Starts the preamble every figure shares; @what is the title's end. */
void     plot_figure_begin (Figure *f, const char *what);
void     plot_figure_clear (Figure *f);
/* The series names as a gnuplot array, with the block of each. */
void     plot_set_series (Figure *f);
/* Width of the x range of the sweep (0 for a single value). */
double   plot_x_span (const Results *r);
/* Latency, request and teardown: mean with CI per series against x, plus
 * the summary columns @extra ("new|old": the first there is) written as
 * @extra_as (both NULL-terminated, or NULL). */
gboolean plot_figure_mean_vs_x (Figure *f, const char *metric,
                                const char *const *extra,
                                const char *const *extra_as, GError **error);
int      plot_compare_double (gconstpointer a, gconstpointer b);
/* Colour and dash of each of the @n curves of points @pts. */
void     plot_cdf_styles (const Results *r, const guint *pts, guint n,
                          double *colour, double *dash);
/* Returns: (transfer full) the points a figure with a curve per point
 * draws (at most MAX_CURVES); notes on stderr what is left out. */
GArray  *plot_select_points (const Results *r, const char *figure);

/* ---- the figures: one file each, beside plots/NAME.gp -------------------- */

gboolean plot_figure_latency   (Figure *f, GError **error);
gboolean plot_figure_failures  (Figure *f, GError **error);
gboolean plot_figure_cdf       (Figure *f, GError **error);
gboolean plot_figure_ccdf      (Figure *f, GError **error);
gboolean plot_figure_occupancy (Figure *f, GError **error);
gboolean plot_figure_teardown  (Figure *f, GError **error);
gboolean plot_figure_counts    (Figure *f, GError **error);
gboolean plot_figure_request   (Figure *f, GError **error);

G_END_DECLS
