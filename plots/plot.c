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
 * Nothing from the results (experiment names, sweep values) or from the
 * command line (ladder's output name) is ever spliced into gnuplot code:
 * it goes into double-quoted strings through synack_plot_escape()
 * (backquotes would run a shell even there), into comments through
 * synack_plot_escape_comment() (a newline would end them), into file names
 * through synack_plot_file_name() ("|cmd" and "<cmd" are pipes to
 * gnuplot), or into the data files, which gnuplot never executes, after
 * a check that it is a word or a number.  gnuplot itself runs from
 * g_spawn_sync() with an argument vector.
 *
 * Results are user data: every file read is checked (see
 * synack_results_read_samples(), assign_point_numbers()), and a damaged
 * one is an error naming it, never a figure of other data than the
 * user's.
 *
 * Sweep points: summary.csv has one row per point that produced results;
 * the point number P that names samples/P-R.bin and traces/P-R-* comes
 * from runs.csv (rows carry the point and its sweep values), and is the
 * row number when runs.csv is missing.  The x axis is the first sweep key
 * whose values are all numbers (durations in seconds); the other keys'
 * values name the series. */
#include "plot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

#include "csv.h"
#include "results.h"
#include "stats.h"
#include "text.h"

#ifndef SYNACK_PLOTSDIR
#define SYNACK_PLOTSDIR ""
#endif
#ifndef SYNACK_BUILD_PLOTSDIR
#define SYNACK_BUILD_PLOTSDIR ""
#endif
#ifndef SYNACK_BUILD_DIR
#define SYNACK_BUILD_DIR ""
#endif
#ifndef GNUPLOT_PATH
#define GNUPLOT_PATH ""
#endif

G_DEFINE_QUARK (synack-plot-error-quark, synack_plot_error)

#define NO_GNUPLOT_HINT \
  "install the Debian package gnuplot-nox (apt install gnuplot-nox), or set GNUPLOT to its path"

/* Most panels (failures) and curves (cdf, occupancy) in one figure. */
#define MAX_PANELS 6
#define MAX_CURVES 16
/* x values drawn when a sweep has too many points for a curve each. */
#define MAX_X_VALUES 5
/* Rows per CDF curve: enough for the eye, small enough for the file. */
#define CDF_MAX_ROWS 2000

/* ---- escaping and script text ---------------------------------------------------- */

char *
synack_plot_escape (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *s = g_string_sized_new (strlen (valid) + 16);

  for (const unsigned char *p = (const unsigned char *) valid; *p != '\0'; p++) {
    switch (*p) {
    case '\\':
      g_string_append (s, "\\\\");
      break;
    case '"':
      g_string_append (s, "\\\"");
      break;
    case '`':           /* gnuplot substitutes `cmd` even inside "..." */
      g_string_append (s, "\\140");
      break;
    case '@':           /* macro expansion */
      g_string_append (s, "\\100");
      break;
    case '\n':
      g_string_append (s, "\\n");
      break;
    case '\t':
      g_string_append (s, "\\t");
      break;
    default:
      if (*p < 0x20 || *p == 0x7f)
        g_string_append_printf (s, "\\%03o", *p);
      else
        g_string_append_c (s, (char) *p);
    }
  }
  return g_string_free (s, FALSE);
}

char *
synack_plot_escape_comment (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *s = g_string_sized_new (strlen (valid) + 16);

  /* a comment ends at a newline or CR, and a backslash at its end carries
   * it onto the next line: the one that would then run.  Backquotes and
   * '@' are inert in comments (gnuplot 5.4), but stay out all the same. */
  for (const unsigned char *p = (const unsigned char *) valid; *p != '\0'; p++) {
    if (*p < 0x20 || *p == 0x7f || *p == '\\' || *p == '`' || *p == '@')
      g_string_append_printf (s, "\\%03o", *p);
    else
      g_string_append_c (s, (char) *p);
  }
  return g_string_free (s, FALSE);
}

char *
synack_plot_file_name (const char *name)
{
  /* `set output "|cmd"` and `plot "<cmd"` run a shell; "-", "+", "++"
   * and "" are special files too.  "./" before a relative name makes each
   * of them an ordinary file of the script's directory. */
  if (name != NULL && name[0] == G_DIR_SEPARATOR)
    return g_strdup (name);
  return g_strconcat (".", G_DIR_SEPARATOR_S, name != NULL ? name : "", NULL);
}

void
synack_plot_script_set_file (GString *script, const char *name, const char *file)
{
  g_autofree char *safe = synack_plot_file_name (file);

  synack_plot_script_set_string (script, name, safe);
}

void
synack_plot_script_set_string (GString *script, const char *name, const char *value)
{
  g_autofree char *escaped = synack_plot_escape (value);

  g_string_append_printf (script, "%s = \"%s\"\n", name, escaped);
}

/* Appends @v as gnuplot reads it: "NaN" when it is not finite. */
static void
append_number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    g_string_append (s, "NaN");
  else   /* 10 digits: exact for what is plotted, and readable */
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

void
synack_plot_script_set_number (GString *script, const char *name, double value)
{
  g_string_append_printf (script, "%s = ", name);
  append_number (script, value);
  g_string_append_c (script, '\n');
}

void
synack_plot_script_set_strings (GString *script, const char *name,
                                const char *const *values, guint n)
{
  g_string_append_printf (script, "array %s[%u] = [", name, MAX (n, 1u));
  for (guint i = 0; i < n; i++) {
    g_autofree char *escaped = synack_plot_escape (values[i]);

    g_string_append_printf (script, "%s\"%s\"", i ? ", " : "", escaped);
  }
  if (n == 0)
    g_string_append (script, "\"\"");
  g_string_append (script, "]\n");
}

static void
script_set_numbers (GString *script, const char *name, const double *values, guint n)
{
  g_string_append_printf (script, "array %s[%u] = [", name, MAX (n, 1u));
  for (guint i = 0; i < n; i++) {
    if (i)
      g_string_append (script, ", ");
    append_number (script, values[i]);
  }
  if (n == 0)
    g_string_append (script, "NaN");
  g_string_append (script, "]\n");
}

/* ---- finding gnuplot and the templates ------------------------------------------- */

static gboolean
is_executable_file (const char *path)
{
  return g_file_test (path, G_FILE_TEST_IS_EXECUTABLE) &&
         !g_file_test (path, G_FILE_TEST_IS_DIR);
}

char *
synack_plot_find_gnuplot (void)
{
  const char *env = g_getenv ("GNUPLOT");

  if (env != NULL && env[0] != '\0') {
    /* set but wrong is reported, not replaced: the tests rely on it */
    if (strchr (env, G_DIR_SEPARATOR) != NULL)
      return is_executable_file (env) ? g_strdup (env) : NULL;
    return g_find_program_in_path (env);
  }
  if (GNUPLOT_PATH[0] != '\0' && is_executable_file (GNUPLOT_PATH))
    return g_strdup (GNUPLOT_PATH);
  return g_find_program_in_path ("gnuplot");
}

static char *
no_gnuplot_message (void)
{
  const char *env = g_getenv ("GNUPLOT");

  if (env != NULL && env[0] != '\0')
    return g_strdup_printf ("gnuplot not found: GNUPLOT=%s is not an executable program; "
                            NO_GNUPLOT_HINT, env);
  return g_strdup ("gnuplot not found: " NO_GNUPLOT_HINT);
}

/* TRUE when this program runs from the build tree (tests, or `make
 * figures`), where the source tree's templates are the current ones. */
static gboolean
running_from_build_tree (void)
{
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *prefix = NULL;

  if (exe == NULL || SYNACK_BUILD_DIR[0] == '\0')
    return FALSE;
  prefix = g_strconcat (SYNACK_BUILD_DIR, G_DIR_SEPARATOR_S, NULL);
  return g_str_has_prefix (exe, prefix);
}

char *
synack_plot_template_path (const char *name, GError **error)
{
  const char *env = g_getenv ("SYNACK_PLOTS_DIR");
  const char *dirs[2];
  guint n = 0;
  g_autoptr (GString) tried = g_string_new (NULL);

  if (env != NULL && env[0] != '\0') {
    dirs[n++] = env;
  } else if (running_from_build_tree ()) {
    dirs[n++] = SYNACK_BUILD_PLOTSDIR;
    dirs[n++] = SYNACK_PLOTSDIR;
  } else {
    dirs[n++] = SYNACK_PLOTSDIR;
    dirs[n++] = SYNACK_BUILD_PLOTSDIR;
  }
  for (guint i = 0; i < n; i++) {
    g_autofree char *path = NULL;

    if (dirs[i][0] == '\0')
      continue;
    path = g_build_filename (dirs[i], name, NULL);
    if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
      return g_steal_pointer (&path);
    g_string_append_printf (tried, "%s%s", tried->len ? ", " : "", dirs[i]);
  }
  g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
               "gnuplot template %s not found (looked in %s); set SYNACK_PLOTS_DIR to the "
               "directory holding synack's plots/*.gp", name,
               tried->len ? tried->str : "no directory: none configured");
  return NULL;
}

static gboolean
append_template (GString *script, const char *name, GError **error)
{
  g_autofree char *path = synack_plot_template_path (name, error);
  g_autofree char *text = NULL;
  g_autoptr (GError) io_error = NULL;

  if (path == NULL)
    return FALSE;
  if (!g_file_get_contents (path, &text, NULL, &io_error)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO, "gnuplot template %s: %s",
                 name, io_error->message);
    return FALSE;
  }
  g_string_append_printf (script, "\n# ---- plots/%s ----\n", name);
  g_string_append (script, text);
  if (script->len > 0 && script->str[script->len - 1] != '\n')
    g_string_append_c (script, '\n');
  return TRUE;
}

gboolean
synack_plot_script_append_templates (GString *script, const char *name, GError **error)
{
  g_autofree char *file = g_strconcat (name, ".gp", NULL);

  return append_template (script, "common.gp", error) && append_template (script, file, error);
}

/* ---- running gnuplot --------------------------------------------------------------- */

gboolean
synack_plot_run_gnuplot (const char *script_path, GError **error)
{
  g_autofree char *gnuplot = synack_plot_find_gnuplot ();
  g_autofree char *dir = g_path_get_dirname (script_path);
  g_autofree char *name = g_path_get_basename (script_path);
  /* gnuplot reads a script named "<cmd" from a pipe, and "-x" is an option */
  g_autofree char *base = synack_plot_file_name (name);
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) spawn_error = NULL;
  char *argv[] = { gnuplot, base, NULL };
  int status;

  if (gnuplot == NULL) {
    g_autofree char *msg = no_gnuplot_message ();

    g_set_error_literal (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT, msg);
    return FALSE;
  }
  if (!g_spawn_sync (dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &spawn_error)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: cannot run %s: %s", script_path, gnuplot, spawn_error->message);
    return FALSE;
  }
  g_strchomp (err);
  if (!g_spawn_check_wait_status (status, &spawn_error)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: gnuplot failed (%s)%s%s", script_path, spawn_error->message,
                 err[0] ? ":\n" : "", err);
    return FALSE;
  }
  if (err[0] != '\0')   /* warnings: worth seeing, not fatal */
    g_printerr ("%s: gnuplot: %s\n", script_path, err);
  return TRUE;
}

static void
add_written (GPtrArray *written, const char *path)
{
  if (written != NULL)
    g_ptr_array_add (written, g_strdup (path));
}

/* Writes @contents to @path, recording it in @written. */
static gboolean
write_file (const char *path, const GString *contents, GPtrArray *written, GError **error)
{
  if (!synack_text_write_atomic (path, contents->str, (gssize) contents->len, error))
    return FALSE;
  add_written (written, path);
  return TRUE;
}

/* Runs @gp_path, which draws @out_path; checks the figure is there. */
static gboolean
run_and_check (const char *gp_path, const char *out_path, GPtrArray *written, GError **error)
{
  GStatBuf st;

  g_unlink (out_path);    /* a stale figure must not pass for a new one */
  if (!synack_plot_run_gnuplot (gp_path, error))
    return FALSE;
  if (g_stat (out_path, &st) != 0 || st.st_size == 0) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: gnuplot exited normally but wrote no %s", gp_path, out_path);
    return FALSE;
  }
  add_written (written, out_path);
  return TRUE;
}

gboolean
synack_plot_write_and_run (const char *gp_path, const GString *script, const char *out_path,
                           GPtrArray *written, GError **error)
{
  return write_file (gp_path, script, written, error) &&
         run_and_check (gp_path, out_path, written, error);
}

/* ---- the results directory ---------------------------------------------------------- */

typedef struct {
  guint  row;       /* summary.csv row */
  guint  index;     /* sweep point P of samples/P-R.bin, traces/P-R-* */
  double x;         /* the x key's value (durations in s); NAN without an x key */
  char  *x_text;    /* as written; "" without an x key */
  guint  series;    /* index into Results.series */
  char  *label;     /* the point in legends: "tcp3way, loss.p=0.05"; "all runs" */
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
  GHashTable *runs_of;      /* point + 1 -> GArray of Run; NULL without runs.csv */
} Results;

static void
results_clear (Results *r)
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

/* Parses a sweep value as a number: "0.05", "1e-3", a duration with a unit
 * ("250ms", "1.5s": in seconds; *@unit set to "s"), a rate ("100/s").
 * Returns: FALSE for anything else ("tcp3way"). */
static gboolean
parse_sweep_number (const char *text, double *value, const char **unit)
{
  static const struct { const char *suffix; double scale; const char *unit; } units[] = {
    { "ns", 1e-9, "s" }, { "us", 1e-6, "s" }, { "ms", 1e-3, "s" },
    { "s", 1.0, "s" }, { "m", 60.0, "s" }, { "h", 3600.0, "s" }, { "/s", 1.0, "1/s" },
  };
  char *end;
  double v;

  while (g_ascii_isspace (*text))
    text++;
  if (*text == '\0')
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return FALSE;
  while (g_ascii_isspace (*end))
    end++;
  if (*end == '\0') {
    *value = v;
    return TRUE;
  }
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strcmp (end, units[i].suffix) == 0) {
      *value = v * units[i].scale;
      *unit = units[i].unit;
      return TRUE;
    }
  return FALSE;
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
static const char *
short_key (const char *key)
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
                   "%s:%u: the same sweep point as line %u", r->summary->path, line,
                   GPOINTER_TO_UINT (seen));
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
    rcols[k] = synack_csv_require (r->runs, r->summary->header->pdata[k], error);
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
                   "%s:%u: run %s (point %u, replication %u) again, as on line %u",
                   r->runs->path, line, run, p, rep, GPOINTER_TO_UINT (other));
      return FALSE;
    }
    g_hash_table_insert (run_at, g_steal_pointer (&run), GUINT_TO_POINTER (line));
    key = point_key (r->runs, row, rcols, r->n_keys);
    other = g_hash_table_lookup (key_of, GUINT_TO_POINTER (p + 1));
    if (other != NULL) {
      guint first = GPOINTER_TO_UINT (other) - 1;
      g_autofree char *first_key = point_key (r->runs, first, rcols, r->n_keys);

      if (strcmp (first_key, key) != 0) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: point %u with other sweep values than on line %u",
                     r->runs->path, line, p, g_array_index (r->runs->lines, guint, first));
        return FALSE;
      }
    } else {
      gpointer q = g_hash_table_lookup (index, key);

      if (q != NULL) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: point %u with the sweep values of point %u", r->runs->path,
                     line, p, GPOINTER_TO_UINT (q) - 1);
        return FALSE;
      }
      g_hash_table_insert (key_of, GUINT_TO_POINTER (p + 1), GUINT_TO_POINTER (row + 1));
      g_hash_table_insert (index, g_steal_pointer (&key), GUINT_TO_POINTER (p + 1));
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
                   "%s:%u: a sweep point without any run in %s", r->summary->path,
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

static gboolean
results_load (Results *r, const char *dir, GError **error)
{
  g_autofree char *summary = synack_results_path (dir, SYNACK_RESULTS_SUMMARY);
  g_autofree char *runs = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  const char *x_unit = NULL;
  int cruns;
  g_autoptr (GHashTable) series_index = g_hash_table_new (g_str_hash, g_str_equal);

  r->dir = g_strdup (dir);
  r->plots = synack_results_path (dir, SYNACK_RESULTS_PLOTS);
  r->name = experiment_name (dir);
  r->x_key = -1;
  r->series = g_ptr_array_new_with_free_func (g_free);
  r->series_pts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
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

      numeric = parse_sweep_number (synack_csv_cell (r->summary, i, k), &v, &x_unit);
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
        g_string_append_printf (series, "%s%s=%s", series->len ? ", " : "", short_key (key),
                                value);
      }
    }
    /* legends: "tcp3way, loss.p=0.05" */
    if (r->x_key >= 0)
      pt->label = g_strdup_printf ("%s%s%s=%s", series->str, series->len ? ", " : "",
                                   short_key (r->summary->header->pdata[r->x_key]),
                                   pt->x_text);
    else
      pt->label = g_strdup (series->len ? series->str : "all runs");
    /* a hash, not a search: a sweep may have 10^5 points */
    s = GPOINTER_TO_UINT (g_hash_table_lookup (series_index, series->str));
    if (s == 0) {
      char *name = g_strdup (series->str);

      g_ptr_array_add (r->series, name);
      g_ptr_array_add (r->series_pts, g_array_new (FALSE, FALSE, sizeof (guint)));
      s = r->series->len;
      g_hash_table_insert (series_index, name, GUINT_TO_POINTER (s));
    }
    pt->series = s - 1;
    g_array_append_val (r->series_pts->pdata[s - 1], i);
  }
  /* stable: points of equal x stay in summary order */
  for (guint s = 0; s < r->series_pts->len; s++)
    g_array_sort_with_data (r->series_pts->pdata[s], compare_point_x, r->points);
  return assign_point_numbers (r, error);
}

/* Value of summary column @col at @row; NAN when absent.  Returns FALSE
 * with @error for a cell that is not a number. */
static gboolean
cell_number (const Results *r, guint row, int col, double *v, GError **error)
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
                 r->summary->path, g_array_index (r->summary->lines, guint, row),
                 (const char *) r->summary->header->pdata[col],
                 synack_csv_cell (r->summary, row, (guint) col));
    return FALSE;
  }
  return TRUE;
}

/* Point indices of series @s sorted by x.  Returns: (transfer full). */
static GArray *
series_points (const Results *r, guint s)
{
  return g_array_ref (r->series_pts->pdata[s]);
}

static void
csv_number (GString *s, double v)
{
  g_string_append_c (s, ',');
  append_number (s, v);
}

/* ---- figures ----------------------------------------------------------------------- */

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

/* Starts the preamble every figure shares. */
static void
figure_begin (Figure *f, const char *what)
{
  g_autofree char *base = g_strdup_printf ("%s.csv", f->name);
  g_autofree char *out = g_strdup_printf ("%s.%s", f->name, f->format);
  g_autofree char *title = g_strdup_printf ("%s: %s", f->r->name, what);
  g_autofree char *name = synack_plot_escape_comment (f->name);

  f->data_path = g_build_filename (f->r->plots, base, NULL);
  f->out_path = g_build_filename (f->r->plots, out, NULL);
  f->gp_path = g_strdup_printf ("%s%c%s.gp", f->r->plots, G_DIR_SEPARATOR, f->name);
  f->data = g_string_new (NULL);
  f->script = g_string_new (NULL);
  g_string_append_printf (f->script,
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

static void
figure_clear (Figure *f)
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
static void
set_series (Figure *f)
{
  synack_plot_script_set_number (f->script, "nseries", f->r->series->len);
  synack_plot_script_set_strings (f->script, "series",
                                  (const char *const *) f->r->series->pdata,
                                  f->r->series->len);
}

/* Width of the x range of the sweep (0 for a single value). */
static double
x_span (const Results *r)
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
static gboolean
figure_mean_vs_x (Figure *f, const char *metric, const char *const *extra,
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
    f->skip = g_strdup (r->n_keys ? "no numeric sweep key to plot against" : "no sweep");
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
    g_autoptr (GArray) pts = series_points (r, s);

    if (s > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "x,mean_s,ci95_lo_s,ci95_hi_s");
    for (guint e = 0; e < n_extra; e++)
      g_string_append_printf (f->data, ",%s", extra_as[e]);
    g_string_append (f->data, ",runs\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];
      double v[3 + 16], runs;

      if (!cell_number (r, pt->row, col_mean, &v[0], error) ||
          !cell_number (r, pt->row, col_lo, &v[1], error) ||
          !cell_number (r, pt->row, col_hi, &v[2], error) ||
          !cell_number (r, pt->row, col_runs, &runs, error))
        return FALSE;
      for (guint e = 0; e < n_extra; e++)
        if (!cell_number (r, pt->row, col_extra[e], &v[3 + e], error))
          return FALSE;
      append_number (f->data, pt->x);
      for (guint e = 0; e < 3 + n_extra; e++) {
        double shown = v[e];

        /* an interval bound: the mean's, or an extra named *_lo_s, *_hi_s */
        gboolean bound = e == 1 || e == 2 ||
                         (e >= 3 && (g_str_has_suffix (extra_as[e - 3], "_lo_s") ||
                                     g_str_has_suffix (extra_as[e - 3], "_hi_s")));

        /* a t interval over few runs can cross 0: a duration cannot */
        if (bound && isfinite (shown))
          shown = MAX (shown, 0.0);
        csv_number (f->data, shown);
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
      csv_number (f->data, runs);
      g_string_append_c (f->data, '\n');
    }
  }
  if (n_values == 0) {
    f->skip = g_strdup_printf ("%s is empty at every sweep point", cm);
    return TRUE;
  }
  set_series (f);
  synack_plot_script_set_string (f->script, "xlabel", r->x_label);
  /* latencies span decades once retransmissions start (0.04 s -> 3 s) */
  synack_plot_script_set_number (f->script, "logy", vmax / vmin > 30.0);
  synack_plot_script_set_number (f->script, "ymin", ymin);
  synack_plot_script_set_number (f->script, "ymax", ymax);
  /* series side by side at each x, so their error bars do not hide each other */
  synack_plot_script_set_number (f->script, "dodge", r->series->len > 1 ? 0.008 * x_span (r) : 0);
  return TRUE;
}

static gboolean
figure_latency (Figure *f, GError **error)
{
  /* the pooled percentiles with their order-statistic intervals; results
   * written before those had only the pooled values, without intervals */
  static const char *const extra_as[] = {
    "p50_s", "p50_lo_s", "p50_hi_s", "p95_s", "p95_lo_s", "p95_hi_s",
    "p99_s", "p99_lo_s", "p99_hi_s", "p999_s", "p999_lo_s", "p999_hi_s", NULL
  };
  static const char *const quantiles[] = { "p50", "p95", "p99", "p999" };
  g_autoptr (GPtrArray) extra = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *p50_lo = synack_summary_pooled_column ("p50", SYNACK_SUMMARY_CI_LO);

  /* the pooled percentiles with their order-statistic intervals; results
   * written before those had only the pooled values, without intervals,
   * under their plain names ("new|old": the first column there is) */
  for (guint q = 0; q < G_N_ELEMENTS (quantiles); q++) {
    g_autofree char *pooled = synack_summary_pooled_column (quantiles[q],
                                                            SYNACK_SUMMARY_MEAN);
    g_autofree char *plain = synack_summary_plain_quantile_column (quantiles[q]);

    g_ptr_array_add (extra, strcmp (quantiles[q], "p999") != 0
                            ? g_strconcat (pooled, "|", plain, NULL) : g_strdup (pooled));
    g_ptr_array_add (extra, synack_summary_pooled_column (quantiles[q],
                                                          SYNACK_SUMMARY_CI_LO));
    g_ptr_array_add (extra, synack_summary_pooled_column (quantiles[q],
                                                          SYNACK_SUMMARY_CI_HI));
  }
  g_ptr_array_add (extra, NULL);
  figure_begin (f, "handshake latency");
  /* results written before the pooled intervals have no such columns: their
   * percentiles are drawn as points alone, not as "not bounded" */
  synack_plot_script_set_number (f->script, "pct_ci",
                                 synack_csv_column (f->r->summary, p50_lo) >= 0);
  return figure_mean_vs_x (f, "handshake_mean_s", (const char *const *) extra->pdata,
                           extra_as, error);
}

/* When the server executes the request (issue 11): the mean with its CI
 * and the mean of the runs' p99, against the swept value, per design. */
static gboolean
figure_request (Figure *f, GError **error)
{
  static const char *const extra_as[] = { "p99_s", "p99_lo_s", "p99_hi_s", NULL };
  g_autofree char *mean = synack_summary_column ("request_p99_s", SYNACK_SUMMARY_MEAN);
  g_autofree char *lo = synack_summary_column ("request_p99_s", SYNACK_SUMMARY_CI_LO);
  g_autofree char *hi = synack_summary_column ("request_p99_s", SYNACK_SUMMARY_CI_HI);
  const char *const extra[] = { mean, lo, hi, NULL };

  figure_begin (f, "request latency (open to the server executing the request)");
  if (synack_csv_column (f->r->summary, mean) < 0) {
    f->skip = g_strdup_printf ("%s has no request latency (written by an older synack)",
                               f->r->summary->path);
    return TRUE;
  }
  return figure_mean_vs_x (f, "request_mean_s", extra, extra_as, error);
}

static gboolean
figure_teardown (Figure *f, GError **error)
{
  figure_begin (f, "teardown duration");
  return figure_mean_vs_x (f, "teardown_mean_s", NULL, NULL, error);
}

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
      csv_number (data, NAN);
    return;
  }
  ci = synack_stats_wilson ((guint64) llround (MIN (k, n)), (guint64) llround (n), 0.95);
  csv_number (data, 100.0 * ci.mean);
  csv_number (data, 100.0 * ci.lo);
  csv_number (data, 100.0 * ci.hi);
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

static gboolean
figure_failures (Figure *f, GError **error)
{
  const Results *r = f->r;
  int cols[G_N_ELEMENTS (failure_kinds)][3];
  g_autofree char *attempts_mean = synack_summary_column ("attempts", SYNACK_SUMMARY_MEAN);
  g_autofree char *ports_mean = synack_summary_column ("ports_exhausted",
                                                       SYNACK_SUMMARY_MEAN);
  g_autofree char *failed_mean = synack_summary_column ("failed", SYNACK_SUMMARY_MEAN);
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

  figure_begin (f, "failed and broken handshakes");
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
        f->skip = g_strdup_printf ("%s has no column %s", r->summary->path, name);
        return TRUE;
      }
    }
  }
  if (r->series->len > n_series)
    g_printerr ("synack plot: failures: drawing the first %u of %u series\n", n_series,
                r->series->len);

  for (guint s = 0; s < n_series; s++) {
    g_autoptr (GArray) pts = series_points (r, s);
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
      g_string_append_printf (f->data, ",%s_pct,%s_lo_pct,%s_hi_pct", failure_kinds[k],
                              failure_kinds[k], failure_kinds[k]);
    for (guint k = 0; k < G_N_ELEMENTS (failure_causes); k++)
      g_string_append_printf (f->data, ",%s_pct,%s_lo_pct,%s_hi_pct", failure_causes[k],
                              failure_causes[k], failure_causes[k]);
    g_string_append (f->data, ",attempts\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];
      double attempts, runs, ports, failed, n;

      append_number (f->data, pt->x);
      g_string_append_c (f->data, ',');
      synack_text_csv_append (f->data, r->x_key >= 0 ? pt->x_text : "all");
      for (guint k = 0; k < G_N_ELEMENTS (failure_kinds); k++) {
        double v[3];

        for (guint c = 0; c < 3; c++)
          if (!cell_number (r, pt->row, cols[k][c], &v[c], error))
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
          csv_number (f->data, 100.0 * v[c]);
          /* an interval of a bar at 0 is not drawn (see failures.gp) */
          if (isfinite (v[c]) && (v[0] > 0 || c == 0))
            ymax = MAX (ymax, 100.0 * v[c]);
        }
      }
      /* the causes of "failed", from the pooled counts (means x runs) */
      if (!cell_number (r, pt->row, col_attempts, &attempts, error) ||
          !cell_number (r, pt->row, col_runs, &runs, error) ||
          !cell_number (r, pt->row, col_ports, &ports, error) ||
          !cell_number (r, pt->row, col_failed_mean, &failed, error))
        return FALSE;
      n = round (attempts * runs);
      ports = round (ports * runs);
      failed = round (failed * runs);
      if (isnan (ports))      /* results from before ports_exhausted: all "gave up" */
        ports = isfinite (failed) ? 0 : NAN;
      append_wilson_pct (f->data, ports, n, &ymax);
      append_wilson_pct (f->data, MAX (failed - ports, 0), n, &ymax);
      if (ports > 0)
        seen[0] = 1;
      if (failed - ports > 0)
        seen[1] = 1;
      csv_number (f->data, n);
      g_string_append_c (f->data, '\n');
      if (isfinite (n))
        attempts_total += n;
      else
        known = FALSE;
    }
    /* nothing went wrong at any point: a note, not a row of empty bars */
    if (!any && known && attempts_total > 0) {
      g_autofree char *bound = format_pct (hi_max);

      /* short lines: the note may sit in one of three panels side by side */
      if (pts->len == 1)
        g_ptr_array_add (notes, g_strdup_printf ("no failures in %.0f attempts\n"
                                                 "(95 %% upper bound %s %%, Wilson)\n\n"
                                                 "none failed, half-open,\n"
                                                 "duplicate, ghost or reset",
                                                 attempts_total, bound));
      else
        g_ptr_array_add (notes, g_strdup_printf ("no failures in %.0f attempts\n"
                                                 "(95 %% upper bound %s %%\n"
                                                 "at each of the %u points, Wilson)\n\n"
                                                 "none failed, half-open,\n"
                                                 "duplicate, ghost or reset",
                                                 attempts_total, bound, pts->len));
      n_notes++;
    } else {
      g_ptr_array_add (notes, g_strdup (""));
    }
  }
  set_series (f);
  synack_plot_script_set_number (f->script, "nseries", n_series);
  script_set_numbers (f->script, "npoints", npoints, n_series);
  script_set_numbers (f->script, "label_step", step, n_series);
  script_set_numbers (f->script, "kind_seen", seen, G_N_ELEMENTS (seen));
  synack_plot_script_set_strings (f->script, "note", (const char *const *) notes->pdata,
                                  notes->len);
  synack_plot_script_set_number (f->script, "nnotes", n_notes);
  synack_plot_script_set_string (f->script, "xlabel",
                                 r->x_key >= 0 ? r->x_label : "");
  synack_plot_script_set_number (f->script, "ymax", ymax > 0 ? ymax * 1.12 : 1.0);
  return TRUE;
}

/* Reads the samples of point @pt into @pool: samples/P-R.bin of each run
 * of P that runs.csv lists (stale files of other runs are not drawn), or
 * every samples/P-R.bin without runs.csv; then checks their number against
 * summary.csv's handshake_s_samples, which was computed from them.  A list
 * stays a list; one histogram among them makes @pool a histogram.
 * Returns: FALSE with @error naming the file: a missing, truncated or
 * damaged file, or a count that disagrees. */
static gboolean
read_point_samples (const Results *r, const Point *pt, SynackSamples *pool,
                    GError **error)
{
  g_autofree char *dir = synack_results_path (r->dir, SYNACK_RESULTS_SAMPLES);
  int cn = synack_csv_column (r->summary, SYNACK_SUMMARY_SAMPLES);
  double expected;

  if (!g_file_test (dir, G_FILE_TEST_IS_DIR))
    return TRUE;    /* no samples at all: the figure is skipped */
  if (r->runs_of != NULL) {
    GArray *runs = g_hash_table_lookup (r->runs_of, GUINT_TO_POINTER (pt->index + 1));

    for (guint j = 0; runs != NULL && j < runs->len; j++) {
      g_autofree char *path = synack_results_samples_path (r->dir, pt->index,
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
  if (cn >= 0 && synack_csv_double (r->summary, pt->row, (guint) cn, &expected, NULL) &&
      isfinite (expected) && expected != (double) synack_samples_count (pool)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "%s/%u-*.bin: %" G_GUINT64_FORMAT " samples, but %s:%u says %s (files "
                 "changed since the summary was written?)", dir, pt->index,
                 synack_samples_count (pool), r->summary->path,
                 g_array_index (r->summary->lines, guint, pt->row),
                 synack_csv_cell (r->summary, pt->row, (guint) cn));
    return FALSE;
  }
  return TRUE;
}

/* One step of an empirical distribution: @cum of the samples are <= @x. */
typedef struct {
  double  x;      /* seconds, > 0 */
  guint64 cum;
} Step;

static int compare_double (gconstpointer a, gconstpointer b);

/* The distinct values of @pool with their cumulative counts, increasing,
 * latencies of 0 s left out (a log axis cannot show them); *@n: the
 * samples drawn.  From a histogram, a value is the middle of its bucket
 * (within 2^-11 of the latencies in it). */
static GArray *
distribution_steps (const Point *pt, SynackSamples *pool, guint64 *n)
{
  GArray *steps = g_array_new (FALSE, FALSE, sizeof (Step));
  guint64 zeros = 0, cum = 0;

  if (pool->hist != NULL) {
    guint b = 0;
    guint64 lo, hi, count, min = synack_histogram_min (pool->hist);
    guint64 max = synack_histogram_max (pool->hist);

    while (synack_histogram_next (pool->hist, &b, &lo, &hi, &count)) {
      Step st;

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

    g_array_sort (v, compare_double);
    for (guint j = 0; j < v->len; j++) {
      double x = g_array_index (v, double, j);
      Step st = { x, 0 };

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
    g_printerr ("synack plot: cdf: %s: %" G_GUINT64_FORMAT " latencies of 0 s left out "
                "(log axis)\n", pt->label, zeros);
  *n = cum;
  return steps;
}

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

/* Colour and dash of each curve of the CDF and occupancy figures: by x
 * value and series when both vary, so tcp2way and tcp3way at one loss rate
 * share a colour. */
static void
cdf_styles (const Results *r, const guint *pts, guint n, double *colour, double *dash)
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
static GArray *
select_points (const Results *r, const char *figure)
{
  GArray *sel = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GArray) xs = g_array_new (FALSE, FALSE, sizeof (double));
  guint k;

  if (r->n_points <= MAX_CURVES || r->x_key < 0) {
    for (guint i = 0; i < MIN (r->n_points, (guint) MAX_CURVES); i++)
      g_array_append_val (sel, i);
    if (r->n_points > MAX_CURVES)
      g_printerr ("synack plot: %s: drawing the first %u of %u sweep points\n", figure,
                  MAX_CURVES, r->n_points);
    return sel;
  }
  /* the distinct x values: sorted, then the repeats dropped (a search per
   * point made 10^5 points take minutes) */
  for (guint i = 0; i < r->n_points; i++)
    g_array_append_val (xs, r->points[i].x);
  g_array_sort (xs, compare_double);
  k = 0;
  for (guint i = 0; i < xs->len; i++)
    if (k == 0 || g_array_index (xs, double, i) != g_array_index (xs, double, k - 1))
      g_array_index (xs, double, k++) = g_array_index (xs, double, i);
  g_array_set_size (xs, k);
  k = MAX_CURVES / MAX (r->series->len, 1u);
  k = CLAMP (k, 2u, (guint) MAX_X_VALUES);
  k = MIN (k, xs->len);
  for (guint i = 0; i < r->n_points && sel->len < MAX_CURVES; i++)
    for (guint j = 0; j < k; j++) {
      guint at = k > 1 ? (guint) ((double) j * (xs->len - 1) / (k - 1) + 0.5) : 0;

      if (g_array_index (xs, double, at) == r->points[i].x) {
        g_array_append_val (sel, i);
        break;
      }
    }
  g_printerr ("synack plot: %s: drawing %u of %u sweep points (%u values of %s)\n", figure,
              sel->len, r->n_points, k, (const char *) r->summary->header->pdata[r->x_key]);
  return sel;
}

static gboolean
figure_cdf (Figure *f, GError **error)
{
  const Results *r = f->r;
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) sel = NULL;
  guint curves[MAX_CURVES];
  double colour[MAX_CURVES], dash[MAX_CURVES];
  guint n = 0;
  double xmin = INFINITY, xmax = -INFINITY;

  figure_begin (f, "handshake latency CDF");
  sel = select_points (r, f->name);
  for (guint s = 0; s < sel->len; s++) {
    guint i = g_array_index (sel, guint, s);
    const Point *pt = &r->points[i];
    g_auto (SynackSamples) pool = { NULL, NULL };
    g_autoptr (GArray) v = NULL;
    double last_f = 0;
    guint64 total;

    if (!read_point_samples (r, pt, &pool, error))
      return FALSE;
    v = distribution_steps (pt, &pool, &total);
    if (v->len == 0)
      continue;
    xmin = MIN (xmin, g_array_index (v, Step, 0).x);
    xmax = MAX (xmax, g_array_index (v, Step, v->len - 1).x);
    if (n > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "latency_s,fraction\n");
    append_number (f->data, g_array_index (v, Step, 0).x);
    g_string_append (f->data, ",0\n");
    /* the top of each step: one row per distinct value, thinned so that
     * the fraction rises at least 1/CDF_MAX_ROWS between rows (an error
     * the eye cannot see); the largest value is always kept */
    for (guint j = 0; j < v->len; j++) {
      const Step *st = &g_array_index (v, Step, j);
      double frac = (double) st->cum / (double) total;

      if (j + 1 < v->len && frac - last_f < 1.0 / CDF_MAX_ROWS)
        continue;
      append_number (f->data, st->x);
      csv_number (f->data, frac);
      g_string_append_c (f->data, '\n');
      last_f = frac;
    }
    curves[n] = i;
    g_ptr_array_add (titles, g_strdup_printf ("%s (n=%" G_GUINT64_FORMAT ")", pt->label,
                                              total));
    n++;
  }
  if (n == 0) {
    f->skip = g_strdup ("no handshake latency samples (samples/*.bin)");
    return TRUE;
  }
  cdf_styles (r, curves, n, colour, dash);
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title", (const char *const *) titles->pdata,
                                  n);
  {
    glong chars = 0;

    for (guint t = 0; t < titles->len; t++)
      chars = MAX (chars, g_utf8_strlen (titles->pdata[t], -1));
    synack_plot_script_set_number (f->script, "curve_chars", (double) chars);
  }
  script_set_numbers (f->script, "curve_colour", colour, n);
  script_set_numbers (f->script, "curve_dash", dash, n);
  synack_plot_script_set_number (f->script, "xmin", xmin);
  synack_plot_script_set_number (f->script, "xmax", xmax);
  return TRUE;
}

/* Rows per CCDF curve stay near a few thousand: a row is kept when the
 * probability fell by this factor, or the latency grew by it, since the
 * last row kept (a log-log figure needs relative, not absolute, steps). */
#define CCDF_STEP 1.01

/* The tail: P(latency > x) per sweep point on log-log axes, from the same
 * samples as the CDF; a panel per series, since curves of 2-way and 3-way
 * at one loss rate would lie on top of each other. */
static gboolean
figure_ccdf (Figure *f, GError **error)
{
  const Results *r = f->r;
  g_autoptr (GPtrArray) titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) key_titles = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) sel = NULL;
  guint curves[MAX_CURVES];
  double colour[MAX_CURVES], dash[MAX_CURVES], panel[MAX_CURVES], every[MAX_CURVES];
  double key_colour[MAX_CURVES], panel_of_series[MAX_CURVES];
  g_autoptr (GPtrArray) panel_titles = g_ptr_array_new ();
  guint n = 0, n_panels = 0, n_keys = 0;
  double xmin = INFINITY, xmax = -INFINITY, pmin = 1;
  /* with an x key, colour tells the x value and a panel the series */
  gboolean panels = r->x_key >= 0 && r->series->len > 1;

  figure_begin (f, "handshake latency tail (CCDF)");
  for (guint s = 0; s < MAX_CURVES; s++)
    panel_of_series[s] = 0;
  sel = select_points (r, f->name);
  for (guint s = 0; s < sel->len; s++) {
    guint i = g_array_index (sel, guint, s), rows = 0, ser;
    const Point *pt = &r->points[i];
    g_auto (SynackSamples) pool = { NULL, NULL };
    g_autoptr (GArray) v = NULL;
    double last_p = 1, last_x;
    guint64 total;

    if (!read_point_samples (r, pt, &pool, error))
      return FALSE;
    v = distribution_steps (pt, &pool, &total);
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
    xmin = MIN (xmin, g_array_index (v, Step, 0).x);
    xmax = MAX (xmax, g_array_index (v, Step, v->len - 1).x);
    if (n > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "latency_s,ccdf\n");
    /* P(L > x) = 1 below the smallest sample */
    last_x = g_array_index (v, Step, 0).x;
    append_number (f->data, last_x);
    g_string_append (f->data, ",1\n");
    /* at each distinct value x, P(L > x) = (samples above x) / n, down to
     * 0 after the largest (a log axis draws that row at its bottom) */
    for (guint j = 0; j < v->len; j++) {
      double x = g_array_index (v, Step, j).x;
      double p = (double) (total - g_array_index (v, Step, j).cum) / (double) total;

      if (p > 0 && j + 1 < v->len && p * CCDF_STEP > last_p && x < last_x * CCDF_STEP)
        continue;
      append_number (f->data, x);
      csv_number (f->data, p);
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
    g_ptr_array_add (titles, g_strdup_printf ("%s (n=%" G_GUINT64_FORMAT ")", pt->label,
                                              total));
    n++;
  }
  if (n == 0) {
    f->skip = g_strdup ("no handshake latency samples (samples/*.bin)");
    return TRUE;
  }
  cdf_styles (r, curves, n, colour, dash);
  /* the key: one entry per colour (the x value) when there are panels */
  for (guint t = 0; t < n; t++) {
    gboolean seen = FALSE;
    const Point *pt = &r->points[curves[t]];

    for (guint k = 0; k < n_keys && !seen; k++)
      seen = key_colour[k] == colour[t];
    if (seen && panels)
      continue;
    key_colour[n_keys++] = colour[t];
    if (panels)
      g_ptr_array_add (key_titles, g_strdup_printf ("%s=%s",
                       short_key (r->summary->header->pdata[r->x_key]), pt->x_text));
    else
      g_ptr_array_add (key_titles, g_strdup (titles->pdata[t]));
  }
  if (!panels)
    g_ptr_array_add (panel_titles, "");
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title", (const char *const *) titles->pdata,
                                  n);
  script_set_numbers (f->script, "curve_colour", colour, n);
  script_set_numbers (f->script, "curve_panel", panel, n);
  script_set_numbers (f->script, "curve_every", every, n);
  synack_plot_script_set_number (f->script, "npanels", MAX (n_panels, 1u));
  synack_plot_script_set_strings (f->script, "panel_title",
                                  (const char *const *) panel_titles->pdata,
                                  panel_titles->len);
  synack_plot_script_set_number (f->script, "nkeys", n_keys);
  synack_plot_script_set_strings (f->script, "key_title",
                                  (const char *const *) key_titles->pdata, n_keys);
  script_set_numbers (f->script, "key_colour", key_colour, n_keys);
  synack_plot_script_set_number (f->script, "xmin", xmin);
  synack_plot_script_set_number (f->script, "xmax", xmax);
  synack_plot_script_set_number (f->script, "pmin", pmin);
  return TRUE;
}

/* RFC 9293 order, for the columns of the occupancy figure. */
static const char *const tcp_states[] = {
  "CLOSED", "LISTEN", "SYN_SENT", "SYN_RECEIVED", "ESTABLISHED", "FIN_WAIT_1", "FIN_WAIT_2",
  "CLOSE_WAIT", "CLOSING", "LAST_ACK", "TIME_WAIT",
};
/* The states of a connection being opened, and being closed (before TIME_WAIT). */
static const char *const opening_states[] = { "SYN_SENT", "SYN_RECEIVED", NULL };
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

    if (!synack_results_parse_trace_name (name, pt->index, "occupancy", &k) || k >= best_rep)
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
occupancy_block (GString *data, SynackCsv *csv, GPtrArray *states, gboolean sums,
                 GError **error)
{
  int ct = synack_csv_column (csv, "time_s"), cs = synack_csv_column (csv, "state");
  int cc = synack_csv_column (csv, "count");
  guint ns = states->len;
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) counts = g_array_new (FALSE, TRUE, sizeof (double));
  g_autoptr (GHashTable) slot_of = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

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
      g_hash_table_insert (slot_of, g_strdup (time_text), GUINT_TO_POINTER (slot + 1));
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

    append_number (data, g_array_index (times, double, k));
    for (guint s = 0; s < ns; s++) {
      double v = g_array_index (counts, double, k * ns + s);

      csv_number (data, v);
      if (g_strv_contains (opening_states, states->pdata[s]))
        opening += v;
      if (g_strv_contains (closing_states, states->pdata[s]))
        closing += v;
    }
    if (sums) {
      csv_number (data, opening);
      csv_number (data, closing);
    }
    g_string_append_c (data, '\n');
  }
  return TRUE;
}

/* One point: a curve per occupied state.  Several points: four panels
 * (ESTABLISHED, TIME_WAIT, opening, closing), a curve per point, so the
 * points compare directly. */
static gboolean
figure_occupancy (Figure *f, GError **error)
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

  figure_begin (f, "connections per state");
  sel = select_points (r, f->name);
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
                     "%s:%u: column state: \"%s\" is not a TCP state (RFC 9293 names, "
                     "e.g. TIME_WAIT)", path, g_array_index (csv->lines, guint, row), state);
        ok = FALSE;
        break;
      }
      ok = synack_csv_double (csv, row, (guint) cc, &count, error);
      if (ok && !(count >= 0 && count < 1e15)) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                     "%s:%u: column count: \"%s\" is not a number of connections", path,
                     g_array_index (csv->lines, guint, row),
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
    g_ptr_array_add (titles, reps[t] == 0 ? g_strdup (pt->label)
                     : g_strdup_printf ("%s (replication %u)", pt->label, reps[t]));
  }
  for (guint t = 0; t < n; t++)
    synack_csv_free (traces[t]);
  if (!ok || f->skip != NULL)
    return ok;
  cdf_styles (r, curves, n, colour, dash);
  synack_plot_script_set_number (f->script, "ncurves", n);
  synack_plot_script_set_strings (f->script, "curve_title", (const char *const *) titles->pdata,
                                  n);
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
                                   r->series->len > 1 && same != G_MAXUINT ? same : 0);
  }
  {
    double marker[MAX_CURVES];

    for (guint t = 0; t < n; t++)
      marker[t] = 1 + (r->series->len > 1 ? r->points[curves[t]].series : t) % 8;
    script_set_numbers (f->script, "curve_marker", marker, n);
  }
  script_set_numbers (f->script, "curve_colour", colour, n);
  script_set_numbers (f->script, "curve_dash", dash, n);
  synack_plot_script_set_strings (f->script, "states", (const char *const *) states->pdata,
                                  states->len);
  return TRUE;
}

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
static gboolean
figure_counts (Figure *f, GError **error)
{
  const Results *r = f->r;
  int cols[MAX_COUNT_PANELS][3];
  const char *titles[MAX_COUNT_PANELS], *names[MAX_COUNT_PANELS];
  double ymax[MAX_COUNT_PANELS];
  guint n = 0;

  figure_begin (f, "what the runs counted");
  if (r->x_key < 0) {
    f->skip = g_strdup (r->n_keys ? "no numeric sweep key to plot against" : "no sweep");
    return TRUE;
  }
  for (guint c = 0; c < G_N_ELEMENTS (count_columns) && n < MAX_COUNT_PANELS; c++) {
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

      if (!cell_number (r, i, col, &v, error))
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
    f->skip = g_strdup ("no count varies over the sweep (ports_exhausted, stale_accepted, "
                        "time_wait_peak, backlog_drops, syn_retransmits, fin_retransmits)");
    return TRUE;
  }
  for (guint s = 0; s < r->series->len; s++) {
    g_autoptr (GArray) pts = series_points (r, s);

    if (s > 0)
      g_string_append (f->data, "\n\n");
    g_string_append (f->data, "x");
    for (guint k = 0; k < n; k++)
      g_string_append_printf (f->data, ",%s_mean,%s_ci95_lo,%s_ci95_hi", names[k], names[k],
                              names[k]);
    g_string_append (f->data, "\n");
    for (guint j = 0; j < pts->len; j++) {
      const Point *pt = &r->points[g_array_index (pts, guint, j)];

      append_number (f->data, pt->x);
      for (guint k = 0; k < n; k++)
        for (guint c = 0; c < 3; c++) {
          double v;

          if (!cell_number (r, pt->row, cols[k][c], &v, error))
            return FALSE;
          if (c > 0 && isfinite (v))   /* a count is never below 0 */
            v = MAX (v, 0.0);
          if (isfinite (v))
            ymax[k] = MAX (ymax[k], v);
          csv_number (f->data, v);
        }
      g_string_append_c (f->data, '\n');
    }
  }
  set_series (f);
  synack_plot_script_set_string (f->script, "xlabel", r->x_label);
  synack_plot_script_set_number (f->script, "npanels", n);
  synack_plot_script_set_strings (f->script, "panel_column", names, n);
  synack_plot_script_set_strings (f->script, "panel_title", titles, n);
  script_set_numbers (f->script, "panel_ymax", ymax, n);
  synack_plot_script_set_number (f->script, "dodge", r->series->len > 1 ? 0.008 * x_span (r) : 0);
  return TRUE;
}

typedef gboolean (*FigureFunc) (Figure *f, GError **error);

static const struct {
  const char *name;
  FigureFunc  make;
} figures[] = {
  { "latency", figure_latency },
  { "failures", figure_failures },
  { "cdf", figure_cdf },
  { "ccdf", figure_ccdf },
  { "occupancy", figure_occupancy },
  { "teardown", figure_teardown },
  { "counts", figure_counts },
  { "request", figure_request },
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
                 near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
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
               "unknown figure \"%s\" (latency, failures, cdf, ccdf, occupancy, "
               "teardown, counts)%s%s%s", only,
               near ? "; did you mean \"" : "", near ? near : "", near ? "\"?" : "");
  return FALSE;
}

gboolean
synack_plot_dir (const char *dir, const char *format, const char *only, GPtrArray *written,
                 GError **error)
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
  if (!results_load (&r, dir, error))
    goto out;
  /* everything is written inside DIR/plots (fixed names, never from the
   * results): a symbolic link planted there would send it elsewhere */
  if (g_file_test (r.plots, G_FILE_TEST_IS_SYMLINK)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "%s: a symbolic link; synack plot writes only into a real directory "
                 "(remove the link)", r.plots);
    goto out;
  }
  if (g_mkdir_with_parents (r.plots, 0755) != 0) {
    int e = errno;

    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO, "%s: cannot create: %s",
                 r.plots, g_strerror (e));
    goto out;
  }
  gnuplot = synack_plot_find_gnuplot ();

  for (guint i = 0; i < G_N_ELEMENTS (figures); i++) {
    Figure f = { &r, format, figures[i].name, NULL, NULL, NULL, NULL, NULL, NULL };
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
               write_file (f.data_path, f.data, written, error) &&
               write_file (f.gp_path, f.script, written, error);
      if (fig_ok)
        scripts++;
      if (fig_ok && gnuplot != NULL &&
          !run_and_check (f.gp_path, f.out_path, written, &fig_error)) {
        /* draw the others, report the first failure at the end */
        g_printerr ("synack plot: %s\n", fig_error->message);
        if (first_failure == NULL)
          first_failure = g_steal_pointer (&fig_error);
      }
    }
    figure_clear (&f);
    if (!fig_ok)
      goto out;
  }
  if (scripts == 0) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_DATA,
                 "%s: nothing to plot%s", dir, skipped->str);
    goto out;
  }
  if (gnuplot == NULL) {
    g_autofree char *msg = no_gnuplot_message ();

    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT,
                 "%s; the scripts and their data are written in %s: draw them there with "
                 "`gnuplot NAME.gp`", msg, r.plots);
    goto out;
  }
  if (first_failure != NULL) {
    g_propagate_error (error, g_steal_pointer (&first_failure));
    goto out;
  }
  ok = TRUE;
out:
  results_clear (&r);
  return ok;
}
