/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/occupancy.c - the occupancy figure (plots/occupancy.gp):
 * connections per state over time (replication 0), from
 * traces/P-R-occupancy.csv. */
#include "figure.h"

#include <math.h>
#include <string.h>

#include "gnuplot.h"
#include "results.h"
#include "text.h"

/* RFC 9293 order, for the columns of the occupancy figure. */
static const char *const tcp_states[] = {
  "CLOSED",      "LISTEN",     "SYN_SENT",   "SYN_RECEIVED",
  "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT",
  "CLOSING",     "LAST_ACK",   "TIME_WAIT",
};
/* The states of a connection being opened, and being closed (before TIME_WAIT).
 */
static const char *const opening_states[] = { "SYN_SENT", "SYN_RECEIVED",
                                              NULL };
static const char *const closing_states[] = {
  "FIN_WAIT_1", "FIN_WAIT_2", "CLOSE_WAIT", "CLOSING", "LAST_ACK", NULL
};

/* Finds traces/P-R-occupancy.csv for point @pt: replication 0, else the
 * lowest one there is.  Returns: (transfer full) (nullable) its path. */
static char *
occupancy_path (const Results *r, const Point *pt, guint *rep)
{
  g_autofree char *dir = synack_results_path (r->dir, SYNACK_RESULTS_TRACES);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;
  char *best = NULL;
  guint best_rep = G_MAXUINT;

  if (d == NULL)
    return NULL;
  while ((name = g_dir_read_name (d)) != NULL) {
    guint k;

    if (!synack_results_parse_trace_name (name, pt->index, "occupancy", &k) ||
        k >= best_rep)
      continue;
    best_rep = k;
    g_free (best);
    best = g_build_filename (dir, name, NULL);
  }
  *rep = best_rep;
  return best;
}

static int
state_order (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (tcp_states); i++)
    if (strcmp (tcp_states[i], name) == 0)
      return (int) i;
  return (int) G_N_ELEMENTS (tcp_states);
}

static gint
compare_states (gconstpointer a, gconstpointer b)
{
  const char *x = *(const char *const *) a, *y = *(const char *const *) b;
  int d = state_order (x) - state_order (y);

  return d != 0 ? d : strcmp (x, y);
}

static void
add_state (GPtrArray *states, const char *state)
{
  for (guint s = 0; s < states->len; s++)
    if (strcmp (states->pdata[s], state) == 0)
      return;
  g_ptr_array_add (states, g_strdup (state));
}

/* Appends one block of @csv (long rows time_s,state,count) as wide rows:
 * time_s, a column per @states, then the opening and closing sums when
 * @sums.  Returns: FALSE with @error for a bad number. */
static gboolean
occupancy_block (GString *data, SynackCsv *csv, GPtrArray *states,
                 gboolean sums, GError **error)
{
  int ct = synack_csv_column (csv, "time_s");
  int cs = synack_csv_column (csv, "state");
  int cc = synack_csv_column (csv, "count");
  guint ns = states->len;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) counts = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr (GHashTable) slot_of =
    g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint row = 0; row < csv->rows->len; row++) {
    const char *time_text = synack_csv_cell (csv, row, (guint) ct);
    const char *state = synack_csv_cell (csv, row, (guint) cs);
    gpointer found = g_hash_table_lookup (slot_of, time_text);
    guint slot;
    double tv, cv;

    if (!synack_csv_double (csv, row, (guint) ct, &tv, error) ||
        !synack_csv_double (csv, row, (guint) cc, &cv, error))
      return FALSE;
    if (!(fabs (tv) <= 1e300)) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: column time_s: \"%s\" is not a time", csv->path,
                   g_array_index (csv->lines, guint, row), time_text);
      return FALSE;
    }
    if (found == NULL) {
      slot = times->len;
      g_array_append_val (times, tv);
      g_array_set_size (counts, times->len * ns);
      g_hash_table_insert (slot_of, g_strdup (time_text),
                           GUINT_TO_POINTER (slot + 1));
    } else {
      slot = GPOINTER_TO_UINT (found) - 1;
    }
    for (guint s = 0; s < ns; s++)
      if (strcmp (states->pdata[s], state) == 0)
        g_array_index (counts, double, slot * ns + s) = cv;
  }
  g_string_append (data, "time_s");
  for (guint s = 0; s < ns; s++)
    g_string_append_printf (data, ",%s", (const char *) states->pdata[s]);
  g_string_append (data, sums ? ",opening,closing\n" : "\n");
  for (guint k = 0; k < times->len; k++) {
    double opening = 0, closing = 0;

    synack_plot_append_number (data, g_array_index (times, double, k));
    for (guint s = 0; s < ns; s++) {
      double v = g_array_index (counts, double, k * ns + s);

      plot_csv_number (data, v);
      if (g_strv_contains (opening_states, states->pdata[s]))
        opening += v;
      if (g_strv_contains (closing_states, states->pdata[s]))
        closing += v;
    }
    if (sums) {
      plot_csv_number (data, opening);
      plot_csv_number (data, closing);
    }
    g_string_append_c (data, '\n');
  }
  return TRUE;
}

/* One point: a curve per occupied state.  Several points: four panels
 * (ESTABLISHED, TIME_WAIT, opening, closing), a curve per point, so the
 * points compare directly. */
gboolean
plot_figure_occupancy (Figure *f, GError **error)
{
  const Results *r = f->r;
  SynackCsv *traces[MAX_CURVES];
  guint curves[MAX_CURVES], reps[MAX_CURVES];
  double colour[MAX_CURVES], dash[MAX_CURVES];
  guint n = 0;
  g_autoptr (GArray) sel = NULL;
  g_autoptr (GPtrArray) states = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  gboolean ok = TRUE;

  plot_figure_begin (f, "connections per state");
  sel = plot_select_points (r, f->name);
  for (guint s = 0; s < sel->len && ok; s++) {
    guint i = g_array_index (sel, guint, s), rep = 0;
    g_autofree char *path = occupancy_path (r, &r->points[i], &rep);
    SynackCsv *csv;
    int cs, cc;

    if (path == NULL)
      continue;
    csv = synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
    if (csv == NULL) {
      ok = FALSE;
      break;
    }
    traces[n] = csv;
    curves[n] = i;
    reps[n] = rep;
    n++;
    if (synack_csv_require (csv, "time_s", error) < 0 ||
        (cs = synack_csv_require (csv, "state", error)) < 0 ||
        (cc = synack_csv_require (csv, "count", error)) < 0) {
      ok = FALSE;
      break;
    }
    /* a state gets a column when it is ever occupied */
    for (guint row = 0; row < csv->rows->len && ok; row++) {
      const char *state = synack_csv_cell (csv, row, (guint) cs);
      double count;

      /* a state name becomes a column of the data file gnuplot reads */
      if (state_order (state) == (int) G_N_ELEMENTS (tcp_states)) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: column state: \"%s\" is not a TCP state "
                     "(RFC 9293 names, e.g. TIME_WAIT)",
                     path, g_array_index (csv->lines, guint, row), state);
        ok = FALSE;
        break;
      }
      ok = synack_csv_double (csv, row, (guint) cc, &count, error);
      if (ok && !(count >= 0 && count < 1e15)) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: column count: \"%s\" is not a number "
                     "of connections",
                     path, g_array_index (csv->lines, guint, row),
                     synack_csv_cell (csv, row, (guint) cc));
        ok = FALSE;
      }
      if (ok && count > 0)
        add_state (states, state);
    }
  }
  if (ok && n == 0)
    f->skip = g_strdup ("no occupancy traces (traces/P-R-occupancy.csv; "
                        "set trace = occupancy)");
  else if (ok && states->len == 0)
    f->skip = g_strdup ("the occupancy traces hold no connection");
  if (ok && f->skip == NULL) {
    if (n > 1)   /* the panels need these columns even when they stay at 0 */
      for (guint i = 2; i < G_N_ELEMENTS (tcp_states); i++)
        add_state (states, tcp_states[i]);
    g_ptr_array_sort (states, compare_states);
  }
  for (guint t = 0; t < n && ok && f->skip == NULL; t++) {
    const Point *pt = &r->points[curves[t]];

    if (t > 0)
      g_string_append (f->data, "\n\n");
    ok = occupancy_block (f->data, traces[t], states, n > 1, error);
    g_ptr_array_add (titles, reps[t] == 0
                               ? g_strdup (pt->label)
                               : g_strdup_printf ("%s (replication %u)",
                                                  pt->label, reps[t]));
  }
  for (guint t = 0; t < n; t++)
    synack_csv_free (traces[t]);
  if (!ok || f->skip != NULL)
    return ok;
  plot_cdf_styles (r, curves, n, colour, dash);
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title",
                                  (const char *const *) titles->pdata, n);
  {
    glong chars = 0;
    guint lines = 1;

    for (guint t = 0; t < titles->len; t++) {
      g_auto (GStrv) parts = g_strsplit (titles->pdata[t], "\n", -1);

      lines = MAX (lines, g_strv_length (parts));
      for (guint k = 0; parts[k] != NULL; k++)
        chars = MAX (chars, g_utf8_strlen (parts[k], -1));
    }
    synack_plot_script_set_number (f->script, "curve_chars", (double) chars);
    synack_plot_script_set_number (f->script, "curve_lines", lines);
  }
  {
    /* curves per series when every series has as many: the key's rows,
     * so each column of the key is one series */
    guint per[MAX_CURVES] = { 0 }, same = 0;

    for (guint t = 0; t < n; t++)
      per[MIN (r->points[curves[t]].series, (guint) MAX_CURVES - 1)]++;
    for (guint t = 0; t < n; t++) {
      guint k = per[MIN (r->points[curves[t]].series, (guint) MAX_CURVES - 1)];

      same = t == 0 || k == same ? k : G_MAXUINT;
    }
    synack_plot_script_set_number (f->script, "key_rows_hint",
                                   r->series->len > 1 && same != G_MAXUINT
                                     ? same
                                     : 0);
  }
  {
    double marker[MAX_CURVES];

    for (guint t = 0; t < n; t++)
      marker[t] =
        1 + (r->series->len > 1 ? r->points[curves[t]].series : t) % 8;
    synack_plot_script_set_numbers (f->script, "curve_marker", marker, n);
  }
  synack_plot_script_set_numbers (f->script, "curve_colour", colour, n);
  synack_plot_script_set_numbers (f->script, "curve_dash", dash, n);
  synack_plot_script_set_strings (f->script, "states",
                                  (const char *const *) states->pdata,
                                  states->len);
  return TRUE;
}
