/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/data.c - the results directory as the figures see it.
 *
 * Sweep points: summary.csv has one row per point that produced results;
 * the point number P that names samples/P-R.bin and traces/P-R-* comes
 * from runs.csv (rows carry the point and its sweep values), and is the
 * row number when runs.csv is missing.  The x axis is the first sweep key
 * whose values are all numbers (durations in seconds); the other keys'
 * values name the series.  Every file is read through experiments/
 * results.h and checked: a damaged one is an error naming it, never a
 * figure of other data than the user's. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "clock.h"
#include "gnuplot.h"
#include "results.h"

void
plot_results_clear (Results *r)
{
  for (guint i = 0; i < r->n_points; i++) {
    g_free (r->points[i].x_text);
    g_free (r->points[i].label);
  }
  g_free (r->points);
  g_free (r->dir);
  g_free (r->plots);
  g_free (r->name);
  g_free (r->x_label);
  synack_csv_free (r->summary);
  synack_csv_free (r->runs);
  if (r->series)
    g_ptr_array_unref (r->series);
  if (r->series_pts)
    g_ptr_array_unref (r->series_pts);
  if (r->runs_of)
    g_hash_table_unref (r->runs_of);
}

/* Parses a sweep value as a number: "0.05", "1e-3", a duration with a
 * unit ("250ms", "1.5s": in seconds; *@unit set to "s"), a rate ("100/s",
 * "1/ms": per second, *@unit "1/s"), by the units the config reads
 * (synack_time_units()), so "1/ms" and "1000/s" are one x.
 * Returns: FALSE for anything else ("tcp3way"). */
static gboolean
parse_sweep_number (const char *text, double *value, const char **unit)
{
  return synack_unit_value_parse (text, value, unit);
}

/* An axis label for sweep key @key whose values have @unit (nullable). */
static char *
sweep_axis_label (const char *key, const char *unit)
{
  static const struct { const char *suffix; const char *what; } known[] = {
    { "loss.p", "loss probability" },
    { "duplicate", "duplication probability" },
    { "duplicate.lag", "duplicate lag" },
    { "delay.base", "one-way propagation delay" },
    { "rate", "arrival rate" },
    { "flood_rate", "SYN flood rate" },
    { "backlog", "SYN backlog" },
    { "ports", "client ports" },
    { "hold", "hold time" },
    { "time_wait", "TIME_WAIT length" },
    { "msl", "MSL" },
    { "rto_initial", "initial RTO" },
    { "syn_retries", "SYN retries" },
    { "connections", "connections" },
  };
  const char *dot = strchr (key, '.');
  const char *rest = dot != NULL ? dot + 1 : key;
  const char *what = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_str_has_suffix (rest, known[i].suffix) &&
        (strcmp (rest, known[i].suffix) == 0 ||
         rest[strlen (rest) - strlen (known[i].suffix) - 1] == '.'))
      what = known[i].what;
  if (what != NULL && unit != NULL)
    return g_strdup_printf ("%s (%s, %s)", what, key, unit);
  if (what != NULL)
    return g_strdup_printf ("%s (%s)", what, key);
  if (unit != NULL)
    return g_strdup_printf ("%s (%s)", key, unit);
  return g_strdup (key);
}

/* "link.loss.p" -> "loss.p": the section is clear from the key's name. */
const char *
plot_short_key (const char *key)
{
  const char *dot = strchr (key, '.');

  return dot != NULL && dot[1] != '\0' ? dot + 1 : key;
}

/* The [experiment] name of config.ini, else the directory's name. */
static char *
experiment_name (const char *dir)
{
  char *name = synack_results_experiment_name (dir);

  if (name == NULL || name[0] == '\0') {
    g_autofree char *abs = g_canonicalize_filename (dir, NULL);

    g_free (name);
    name = g_path_get_basename (abs);
  }
  return name;
}

/* "2:v13:v2..." of the first @n cells of @row: a point's identity.  The
 * lengths keep values holding the separator from meeting. */
static char *
point_key (const SynackCsv *csv, guint row, const int *cols, guint n)
{
  GString *s = g_string_new (NULL);

  for (guint k = 0; k < n; k++) {
    const char *cell = synack_csv_cell (csv, row, (guint) cols[k]);

    g_string_append_printf (s, "%" G_GSIZE_FORMAT ":%s", strlen (cell), cell);
  }
  return g_string_free (s, FALSE);
}

/* Parses cell (@row, @col) of @csv as a number below G_MAXUINT. */
static gboolean
csv_index (const SynackCsv *csv, guint row, int col, guint *out, GError **error)
{
  const char *cell = synack_csv_cell (csv, row, (guint) col);
  char *end;
  guint64 v = g_ascii_strtoull (cell, &end, 10);

  if (!g_ascii_isdigit (cell[0]) || *end != '\0' || v >= G_MAXUINT) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not a %s number", csv->path,
                 g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col], cell,
                 (const char *) csv->header->pdata[col]);
    return FALSE;
  }
  *out = (guint) v;
  return TRUE;
}

/* Maps each summary row to its point number through runs.csv, and lists
 * the runs of each point.  A run listed twice, a point number with two
 * sets of sweep values, a summary row without runs or twice the same
 * sweep point: each would draw a figure of other data than the user's,
 * so each is an error naming the file and line. */
static gboolean
assign_point_numbers (Results *r, GError **error)
{
  g_autofree int *scols = g_new0 (int, r->n_keys + 1);
  g_autofree int *rcols = g_new0 (int, r->n_keys + 1);
  g_autoptr (GHashTable) index = NULL;      /* sweep values -> point + 1 */
  g_autoptr (GHashTable) key_of = NULL;     /* point -> runs.csv row + 1 */
  g_autoptr (GHashTable) run_at = NULL;     /* "P-R" -> line */
  g_autoptr (GHashTable) summary_at = NULL; /* sweep values -> line */
  int cpoint, crep;

  for (guint i = 0; i < r->n_points; i++)
    r->points[i].index = i;
  for (guint k = 0; k < r->n_keys; k++)
    scols[k] = (int) k;
  summary_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < r->n_points; i++) {
    char *key = point_key (r->summary, i, scols, r->n_keys);
    guint line = g_array_index (r->summary->lines, guint, i);
    gpointer seen = g_hash_table_lookup (summary_at, key);

    if (seen != NULL) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: the same sweep point as line %u", r->summary->path,
                   line, GPOINTER_TO_UINT (seen));
      g_free (key);
      return FALSE;
    }
    g_hash_table_insert (summary_at, key, GUINT_TO_POINTER (line));
  }
  if (r->runs == NULL)
    return TRUE;
  if ((cpoint = synack_csv_require (r->runs, SYNACK_RUNS_POINT, error)) < 0 ||
      (crep = synack_csv_require (r->runs, SYNACK_RUNS_REPLICATION, error)) < 0)
    return FALSE;
  for (guint k = 0; k < r->n_keys; k++) {
    rcols[k] =
      synack_csv_require (r->runs, r->summary->header->pdata[k], error);
    if (rcols[k] < 0)
      return FALSE;
  }
  index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  key_of = g_hash_table_new (g_direct_hash, g_direct_equal);
  run_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  r->runs_of = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                      (GDestroyNotify) g_array_unref);
  for (guint row = 0; row < r->runs->rows->len; row++) {
    guint line = g_array_index (r->runs->lines, guint, row), p, rep;
    g_autofree char *key = NULL, *run = NULL;
    gpointer other;
    GArray *reps;
    Run one;

    if (!csv_index (r->runs, row, cpoint, &p, error) ||
        !csv_index (r->runs, row, crep, &rep, error))
      return FALSE;
    run = g_strdup_printf ("%u-%u", p, rep);
    if ((other = g_hash_table_lookup (run_at, run)) != NULL) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: run %s (point %u, replication %u) again, "
                   "as on line %u", r->runs->path, line, run, p, rep,
                   GPOINTER_TO_UINT (other));
      return FALSE;
    }
    g_hash_table_insert (run_at, g_steal_pointer (&run),
                         GUINT_TO_POINTER (line));
    key = point_key (r->runs, row, rcols, r->n_keys);
    other = g_hash_table_lookup (key_of, GUINT_TO_POINTER (p + 1));
    if (other != NULL) {
      guint first = GPOINTER_TO_UINT (other) - 1;
      g_autofree char *first_key = point_key (r->runs, first, rcols, r->n_keys);

      if (strcmp (first_key, key) != 0) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: point %u with other sweep values than on line %u",
                     r->runs->path, line, p,
                     g_array_index (r->runs->lines, guint, first));
        return FALSE;
      }
    } else {
      gpointer q = g_hash_table_lookup (index, key);

      if (q != NULL) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: point %u with the sweep values of point %u",
                     r->runs->path, line, p, GPOINTER_TO_UINT (q) - 1);
        return FALSE;
      }
      g_hash_table_insert (key_of, GUINT_TO_POINTER (p + 1),
                           GUINT_TO_POINTER (row + 1));
      g_hash_table_insert (index, g_steal_pointer (&key),
                           GUINT_TO_POINTER (p + 1));
      g_hash_table_insert (r->runs_of, GUINT_TO_POINTER (p + 1),
                           g_array_new (FALSE, FALSE, sizeof (Run)));
    }
    reps = g_hash_table_lookup (r->runs_of, GUINT_TO_POINTER (p + 1));
    one.rep = rep;
    one.line = line;
    g_array_append_val (reps, one);
  }
  for (guint i = 0; i < r->n_points; i++) {
    g_autofree char *key = point_key (r->summary, i, scols, r->n_keys);
    gpointer p = g_hash_table_lookup (index, key);

    if (p == NULL) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: a sweep point without any run in %s",
                   r->summary->path,
                   g_array_index (r->summary->lines, guint, i), r->runs->path);
      return FALSE;
    }
    r->points[i].index = GPOINTER_TO_UINT (p) - 1;
  }
  return TRUE;
}

/* @text with every run of white space made one space, none at the ends:
 * sweep values reach the failure figure's data file, a line per point. */
static char *
squeeze_space (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p++) {
    if (!g_ascii_isspace (*p))
      g_string_append_c (s, *p);
    else if (s->len > 0 && s->str[s->len - 1] != ' ')
      g_string_append_c (s, ' ');
  }
  if (s->len > 0 && s->str[s->len - 1] == ' ')
    g_string_truncate (s, s->len - 1);
  return g_string_free (s, FALSE);
}

static int
compare_point_x (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const Point *pts = user_data;
  double x = pts[*(const guint *) a].x, y = pts[*(const guint *) b].x;

  return (x > y) - (x < y);
}

gboolean
plot_results_load (Results *r, const char *dir, GError **error)
{
  g_autofree char *summary = synack_results_path (dir, SYNACK_RESULTS_SUMMARY);
  g_autofree char *runs = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  const char *x_unit = NULL;
  int cruns;
  g_autoptr (GHashTable) series_index =
    g_hash_table_new (g_str_hash, g_str_equal);

  r->dir = g_strdup (dir);
  r->plots = synack_results_path (dir, SYNACK_RESULTS_PLOTS);
  r->name = experiment_name (dir);
  r->x_key = -1;
  r->series = g_ptr_array_new_with_free_func (g_free);
  r->series_pts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  r->summary = synack_csv_read (summary, SYNACK_CSV_STRICT, error);
  if (r->summary == NULL)
    return FALSE;
  if ((cruns = synack_csv_require (r->summary, SYNACK_SUMMARY_RUNS, error)) < 0)
    return FALSE;
  r->n_keys = (guint) cruns;
  if (g_file_test (runs, G_FILE_TEST_EXISTS)) {
    r->runs = synack_csv_read (runs, SYNACK_CSV_STRICT, error);
    if (r->runs == NULL)
      return FALSE;
  }
  r->n_points = r->summary->rows->len;
  r->points = g_new0 (Point, MAX (r->n_points, 1u));

  /* the x key: the first whose every value is a number */
  for (guint k = 0; k < r->n_keys && r->x_key < 0; k++) {
    gboolean numeric = r->n_points > 0;

    x_unit = NULL;
    for (guint i = 0; i < r->n_points && numeric; i++) {
      double v;

      numeric =
        parse_sweep_number (synack_csv_cell (r->summary, i, k), &v, &x_unit);
    }
    if (numeric)
      r->x_key = (int) k;
  }
  if (r->x_key >= 0)
    r->x_label = sweep_axis_label (r->summary->header->pdata[r->x_key], x_unit);

  for (guint i = 0; i < r->n_points; i++) {
    Point *pt = &r->points[i];
    g_autoptr (GString) series = g_string_new (NULL);
    guint n_other = r->n_keys - (r->x_key >= 0);
    guint s;

    pt->row = i;
    pt->x = NAN;
    pt->x_text = g_strdup ("");
    for (guint k = 0; k < r->n_keys; k++) {
      const char *key = r->summary->header->pdata[k];
      const char *value = synack_csv_cell (r->summary, i, k);

      if ((int) k == r->x_key) {
        const char *unit;

        parse_sweep_number (value, &pt->x, &unit);
        g_free (pt->x_text);
        pt->x_text = squeeze_space (value);
      } else if (n_other == 1) {
        g_string_append (series, value);
      } else {
        g_string_append_printf (series, "%s%s=%s", series->len ? ", " : "",
                                plot_short_key (key), value);
      }
    }
    /* legends: "tcp3way, loss.p=0.05" */
    if (r->x_key >= 0)
      pt->label =
        g_strdup_printf ("%s%s%s=%s", series->str, series->len ? ", " : "",
                         plot_short_key (r->summary->header->pdata[r->x_key]),
                         pt->x_text);
    else
      pt->label = g_strdup (series->len ? series->str : "all runs");
    /* a hash, not a search: a sweep may have 10^5 points */
    s = GPOINTER_TO_UINT (g_hash_table_lookup (series_index, series->str));
    if (s == 0) {
      char *name = g_strdup (series->str);

      g_ptr_array_add (r->series, name);
      g_ptr_array_add (r->series_pts,
                       g_array_new (FALSE, FALSE, sizeof (guint)));
      s = r->series->len;
      g_hash_table_insert (series_index, name, GUINT_TO_POINTER (s));
    }
    pt->series = s - 1;
    g_array_append_val (r->series_pts->pdata[s - 1], i);
  }
  /* stable: points of equal x stay in summary order */
  for (guint s = 0; s < r->series_pts->len; s++)
    g_array_sort_with_data (r->series_pts->pdata[s], compare_point_x,
                            r->points);
  return assign_point_numbers (r, error);
}

/* Value of summary column @col at @row; NAN when absent.  Returns FALSE
 * with @error for a cell that is not a number. */
gboolean
plot_cell_number (const Results *r, guint row, int col, double *v,
                  GError **error)
{
  if (col < 0) {
    *v = NAN;
    return TRUE;
  }
  if (!synack_csv_double (r->summary, row, (guint) col, v, error))
    return FALSE;
  /* empty or nan: not applicable.  Past 1e300 the axis ranges overflow */
  if (!isnan (*v) && !(fabs (*v) <= 1e300)) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is out of range (a damaged file?)",
                 r->summary->path,
                 g_array_index (r->summary->lines, guint, row),
                 (const char *) r->summary->header->pdata[col],
                 synack_csv_cell (r->summary, row, (guint) col));
    return FALSE;
  }
  return TRUE;
}

/* Point indices of series @s sorted by x.  Returns: (transfer full). */
GArray *
plot_series_points (const Results *r, guint s)
{
  return g_array_ref (r->series_pts->pdata[s]);
}

void
plot_csv_number (GString *s, double v)
{
  g_string_append_c (s, ',');
  synack_plot_append_number (s, v);
}

/* Reads the samples of point @pt into @pool: samples/P-R.bin of each run
 * of P that runs.csv lists (stale files of other runs are not drawn), or
 * every samples/P-R.bin without runs.csv; then checks their number against
 * summary.csv's handshake_s_samples, which was computed from them.
 * Returns: FALSE with @error naming the file: a missing, truncated or
 * damaged file, or a count that disagrees. */
gboolean
plot_read_point_samples (const Results *r, const Point *pt, SynackSamples *pool,
                         GError **error)
{
  g_autofree char *dir = synack_results_path (r->dir, SYNACK_RESULTS_SAMPLES);
  int cn = synack_csv_column (r->summary, SYNACK_SUMMARY_SAMPLES);
  double expected;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;    /* no samples at all: the figure is skipped */
  if (r->runs_of != NULL) {
    GArray *runs =
      g_hash_table_lookup (r->runs_of, GUINT_TO_POINTER (pt->index + 1));

    for (guint j = 0; runs != NULL && j < runs->len; j++) {
      g_autofree char *path =
        synack_results_samples_path (r->dir, pt->index,
                                     g_array_index (runs, Run, j).rep);

      if (!synack_results_pool_samples (path, pool, error))
        return FALSE;
    }
  } else {
    g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *path = NULL;
      guint rep;

      if (!synack_results_parse_samples_name (name, pt->index, &rep))
        continue;
      path = g_build_filename (dir, name, NULL);
      if (!synack_results_pool_samples (path, pool, error))
        return FALSE;
    }
  }
  if (cn >= 0 &&
      synack_csv_double (r->summary, pt->row, (guint) cn, &expected, NULL) &&
      isfinite (expected) &&
      expected != (double) synack_samples_count (pool)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "%s/%u-*.bin: %" G_GUINT64_FORMAT " samples, but %s:%u "
                 "says %s "
                 "(files changed since the summary was written?)", dir,
                 pt->index, synack_samples_count (pool), r->summary->path,
                 g_array_index (r->summary->lines, guint, pt->row),
                 synack_csv_cell (r->summary, pt->row, (guint) cn));
    return FALSE;
  }
  return TRUE;
}

GArray *
plot_distribution_steps (const Point *pt, SynackSamples *pool, guint64 *n)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (PlotStep));
  guint64 zeros = 0, cum = 0;

  if (pool->hist != NULL) {
    guint b = 0;
    guint64 lo, hi, count, min = synack_histogram_min (pool->hist);
    guint64 max = synack_histogram_max (pool->hist);

    while (synack_histogram_next (pool->hist, &b, &lo, &hi, &count)) {
      PlotStep st;

      /* the latencies in a bucket lie within [min, max] too */
      lo = MAX (lo, min);
      hi = MIN (hi, max);
      if (hi == 0) {
        zeros += count;
        continue;
      }
      cum += count;
      st.x = ((double) lo + (double) (hi - lo) / 2.0) / 1e9;
      st.cum = cum;
      g_array_append_val (steps, st);
    }
  } else if (pool->exact != NULL) {
    GArray *v = pool->exact;

    g_array_sort (v, plot_compare_double);
    for (guint j = 0; j < v->len; j++) {
      double x = g_array_index (v, double, j);
      PlotStep st = { x, 0 };

      if (x == 0) {
        zeros++;
        continue;
      }
      cum++;
      if (j + 1 < v->len && g_array_index (v, double, j + 1) == x)
        continue;
      st.cum = cum;
      g_array_append_val (steps, st);
    }
  }
  if (zeros > 0)
    g_printerr ("synack plot: cdf: %s: %" G_GUINT64_FORMAT " latencies of 0 s "
                "left out (log axis)\n", pt->label, zeros);
  *n = cum;
  return steps;
}
