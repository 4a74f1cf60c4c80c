/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/gnuplot.c - running gnuplot, and the escaping that keeps user
 * text literal in the scripts (see gnuplot.h).
 *
 * Nothing from the results (experiment names, sweep values) or from the
 * command line (ladder's output name) is ever spliced into gnuplot code:
 * it goes into double-quoted strings through synack_plot_escape()
 * (backquotes would run a shell even there), into comments through
 * synack_plot_escape_comment() (a newline would end them), into file names
 * through synack_plot_file_name() ("|cmd" and "<cmd" are pipes to
 * gnuplot), or into the data files, which gnuplot never executes, after
 * a check that it is a word or a number.  gnuplot itself runs from
 * g_spawn_sync() with an argument vector. */
#include "gnuplot.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

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
  "install the Debian package gnuplot-nox (apt install gnuplot-nox), " \
  "or set GNUPLOT to its path"

/* ---- escaping and script text ------------------------------------------ */

char *
synack_plot_escape (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *s = g_string_sized_new (strlen (valid) + 16);

  for (const unsigned char *p = (const unsigned char *) valid; *p != '\0';
       p++) {
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
  for (const unsigned char *p = (const unsigned char *) valid; *p != '\0';
       p++) {
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
synack_plot_script_set_file (GString *script, const char *name,
                             const char *file)
{
  g_autofree char *safe = synack_plot_file_name (file);

  synack_plot_script_set_string (script, name, safe);
}

void
synack_plot_script_set_string (GString *script, const char *name,
                               const char *value)
{
  g_autofree char *escaped = synack_plot_escape (value);

  g_string_append_printf (script, "%s = \"%s\"\n", name, escaped);
}

/* Appends @v as gnuplot reads it: "NaN" when it is not finite. */
void
synack_plot_append_number (GString *s, double v)
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
  synack_plot_append_number (script, value);
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

void
synack_plot_script_set_numbers (GString *script, const char *name,
                                const double *values, guint n)
{
  g_string_append_printf (script, "array %s[%u] = [", name, MAX (n, 1u));
  for (guint i = 0; i < n; i++) {
    if (i)
      g_string_append (script, ", ");
    synack_plot_append_number (script, values[i]);
  }
  if (n == 0)
    g_string_append (script, "NaN");
  g_string_append (script, "]\n");
}

/* ---- finding gnuplot and the templates ----------------------------------- */

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

char *
synack_plot_no_gnuplot_message (void)
{
  const char *env = g_getenv ("GNUPLOT");

  if (env != NULL && env[0] != '\0')
    return g_strdup_printf ("gnuplot not found: GNUPLOT=%s is not an "
                            "executable program; " NO_GNUPLOT_HINT,
                            env);
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
               "gnuplot template %s not found (looked in %s); "
               "set SYNACK_PLOTS_DIR to the directory holding synack's "
               "plots/*.gp",
               name, tried->len ? tried->str : "no directory: none configured");
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
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO,
                 "gnuplot template %s: %s", name, io_error->message);
    return FALSE;
  }
  g_string_append_printf (script, "\n# ---- plots/%s ----\n", name);
  g_string_append (script, text);
  if (script->len > 0 && script->str[script->len - 1] != '\n')
    g_string_append_c (script, '\n');
  return TRUE;
}

gboolean
synack_plot_script_append_templates (GString *script, const char *name,
                                     GError **error)
{
  g_autofree char *file = g_strconcat (name, ".gp", NULL);

  return append_template (script, "common.gp", error) &&
         append_template (script, file, error);
}

/* ---- running gnuplot ----------------------------------------------------- */

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
    g_autofree char *msg = synack_plot_no_gnuplot_message ();

    g_set_error_literal (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT,
                         msg);
    return FALSE;
  }
  if (!g_spawn_sync (dir, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &spawn_error)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: cannot run %s: %s", script_path, gnuplot,
                 spawn_error->message);
    return FALSE;
  }
  g_strchomp (err);
  if (!g_spawn_check_wait_status (status, &spawn_error)) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: gnuplot failed (%s)%s%s", script_path,
                 spawn_error->message, err[0] ? ":\n" : "", err);
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
gboolean
synack_plot_write_file (const char *path, const GString *contents,
                        GPtrArray *written, GError **error)
{
  if (!synack_text_write_atomic (path, contents->str, (gssize) contents->len,
                                 error))
    return FALSE;
  add_written (written, path);
  return TRUE;
}

/* Runs @gp_path, which draws @out_path; checks the figure is there. */
gboolean
synack_plot_run_and_check (const char *gp_path, const char *out_path,
                           GPtrArray *written, GError **error)
{
  GStatBuf st;

  g_unlink (out_path);    /* a stale figure must not pass for a new one */
  if (!synack_plot_run_gnuplot (gp_path, error))
    return FALSE;
  if (g_stat (out_path, &st) != 0 || st.st_size == 0) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
                 "%s: gnuplot exited normally but wrote no %s", gp_path,
                 out_path);
    return FALSE;
  }
  add_written (written, out_path);
  return TRUE;
}

gboolean
synack_plot_write_and_run (const char *gp_path, const GString *script,
                           const char *out_path, GPtrArray *written,
                           GError **error)
{
  return synack_plot_write_file (gp_path, script, written, error) &&
         synack_plot_run_and_check (gp_path, out_path, written, error);
}
