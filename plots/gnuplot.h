/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/gnuplot.h - running gnuplot on the scripts synack writes, and
 * building those scripts so that no text from the results or the command
 * line can ever run as gnuplot code.  Used by `synack plot` (plot.c and
 * the figure files) and `synack ladder` (ladder.c). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_PLOT_ERROR (synack_plot_error_quark ())
typedef enum {
  /* gnuplot not found; scripts and data are written */
  SYNACK_PLOT_ERROR_NO_GNUPLOT,
  /* gnuplot exited non-zero or wrote no output */
  SYNACK_PLOT_ERROR_GNUPLOT_FAILED,
  /* nothing to draw (or --only names a figure without data) */
  SYNACK_PLOT_ERROR_NO_DATA,
  /* unknown format, figure name or output extension */
  SYNACK_PLOT_ERROR_BAD_FORMAT,
  SYNACK_PLOT_ERROR_IO,             /* a file could not be read or written */
} SynackPlotError;
GQuark synack_plot_error_quark (void);

/* Runs gnuplot on @script_path with the script's directory as working
 * directory (the scripts name their files relative to it), through an
 * argument vector, never a shell.  gnuplot is $GNUPLOT when set, else the
 * configured GNUPLOT_PATH when executable, else "gnuplot" on $PATH.
 * Returns: FALSE with SYNACK_PLOT_ERROR_NO_GNUPLOT (the message names the
 * Debian package gnuplot-nox) or _GNUPLOT_FAILED (with gnuplot's stderr). */
gboolean synack_plot_run_gnuplot (const char *script_path, GError **error);

/* Returns: (transfer full) (nullable) the gnuplot program synack would run,
 * or NULL when there is none. */
char    *synack_plot_find_gnuplot (void);

/* Returns: (transfer full) @text made safe as the body of a gnuplot
 * double-quoted string: it prints literally and can never run as gnuplot
 * commands.  Backslash and double quote are escaped; backquote (command
 * substitution, done even inside double quotes) becomes \140 and '@'
 * (macros) \100; a newline becomes \n, a tab \t, other control bytes an
 * octal escape; invalid UTF-8 is replaced.  Use it with noenhanced text
 * (the templates set it) so ^ _ { } print as themselves too. */
char    *synack_plot_escape (const char *text);

/* Returns: (transfer full) @text made safe for the rest of a gnuplot
 * comment line: control bytes (newline, CR, ...), backslash (which at the
 * end of a comment continues it onto the next line), backquote and '@'
 * become visible octal escapes ("\012"), so the comment cannot end early
 * nor swallow the next line. */
char    *synack_plot_escape_comment (const char *text);

/* Returns: (transfer full) @name as a file name gnuplot opens as a plain
 * file: a relative name gets "./" in front, so "|cmd" (a pipe in `set
 * output`), "<cmd" (a pipe in `plot`), "-" (stdin), "+", "++" and ""
 * (special files) are ordinary file names.  The result still goes through
 * synack_plot_escape() (synack_plot_script_set_file() does both).
 *
 * The contexts user text reaches, and how each is kept literal: comments
 * (synack_plot_escape_comment), double-quoted strings (synack_plot_escape;
 * every title, label, legend entry and axis label is a string variable set
 * in the preamble), file names (synack_plot_file_name), data files (cells
 * are checked when read: state names and flags are words, sweep values
 * numbers), and enhanced text, which never happens: common.gp sets every
 * terminal noenhanced, so { } ^ _ & ~ print as themselves. */
char    *synack_plot_file_name (const char *name);

/* ---- building scripts (the figures and ladder.c) ---- */

/* Appends `NAME = "VALUE"` with VALUE escaped.  @name must be an identifier. */
void     synack_plot_script_set_string (GString *script, const char *name,
                                        const char *value);
/* Appends `NAME = "./FILE"`: @file through synack_plot_file_name(), then
 * escaped. */
void     synack_plot_script_set_file (GString *script, const char *name,
                                      const char *file);
/* Appends `NAME = VALUE` (locale-independent; NaN as NaN). */
void     synack_plot_script_set_number (GString *script, const char *name,
                                        double value);
/* Appends `array NAME[N] = ["v1", ...]` with every value escaped. */
void     synack_plot_script_set_strings (GString *script, const char *name,
                                         const char *const *values, guint n);

/* Returns: (transfer full) the path of template @name ("ladder.gp"):
 * $SYNACK_PLOTS_DIR/NAME when that is set, else the installed plots
 * directory, else the source tree's; or NULL with SYNACK_PLOT_ERROR_IO
 * naming the template and where it was looked for. */
char    *synack_plot_template_path (const char *name, GError **error);

/* Appends plots/common.gp and then plots/@name.gp ("ladder") to @script, each
 * under a comment saying where it came from.  Returns: FALSE with @error naming
 * the template when one is missing. */
gboolean synack_plot_script_append_templates (GString *script, const char *name,
                                              GError **error);

/* Appends @v to @s, locale-independent, with 10 significant digits; NaN
 * and infinities as "NaN" (gnuplot's missing value). */
void     synack_plot_append_number (GString *s, double v);
/* Appends `array NAME[N] = [v1, ...]` (N >= 1: an empty one holds NaN). */
void     synack_plot_script_set_numbers (GString *script, const char *name,
                                         const double *values, guint n);

/* ---- writing and running ---- */

/* Writes @contents to @path atomically and adds @path to @written
 * (nullable).  Returns: FALSE with SYNACK_PLOT_ERROR_IO. */
gboolean synack_plot_write_file (const char *path, const GString *contents,
                                 GPtrArray *written, GError **error);
/* Runs gnuplot on @gp_path, then checks that it wrote @out_path (removed
 * first), which is added to @written (nullable). */
gboolean synack_plot_run_and_check (const char *gp_path, const char *out_path,
                                    GPtrArray *written, GError **error);
/* Returns: (transfer full) why there is no gnuplot, and how to get one. */
char    *synack_plot_no_gnuplot_message (void);

/* Writes @script to @gp_path and, if gnuplot exists, runs it.  @out_path is
 * the figure it makes: removed first, checked to exist afterwards.  Every
 * file written is added to @written (nullable).  Returns: FALSE with
 * SYNACK_PLOT_ERROR (NO_GNUPLOT after writing the script). */
gboolean synack_plot_write_and_run (const char *gp_path, const GString *script,
                                    const char *out_path, GPtrArray *written,
                                    GError **error);

G_END_DECLS
