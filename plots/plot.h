/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/plot.h - `synack plot`: the standard figures of a results
 * directory, drawn by gnuplot from the templates in plots/.
 *
 * Every figure NAME is three files in DIR/plots/: NAME.csv (the data it
 * plots), NAME.gp (a script that sets the variables, then holds the text of
 * plots/common.gp and plots/NAME.gp: `cd DIR/plots && gnuplot NAME.gp`
 * redraws it, so users can restyle it) and NAME.png / .svg / .pdf.
 *
 * Figures (names for --only):
 *   latency    handshake latency against the first numeric sweep key, five
 *              panels on one y scale: the mean with its 95 % CI (Student t
 *              over runs), then the pooled p50, p95, p99, p99.9 as points
 *              with their order-statistic 95 % CIs (no lines between sweep
 *              points: see plots/latency.gp); a series per value of the
 *              other sweep keys (protocol, profile...)
 *   failures   outcome rates in % of attempts with Wilson 95 % CIs, a panel
 *              per series: "failed" split into "no free client port"
 *              (ports_exhausted) and "gave up or refused"; half_open,
 *              duplicate, ghost, reset.  A panel where nothing went wrong
 *              is a note "no failures in N attempts (95 % upper bound x %)"
 *   cdf        empirical CDF of handshake latency per sweep point, log x
 *   ccdf       P(latency > x) per sweep point, log-log, a panel per series
 *   occupancy  connections per state over time (replication 0), four
 *              panels (ESTABLISHED, TIME_WAIT, opening, closing) for a sweep
 *   teardown   mean teardown duration with 95 % CI against the sweep key
 *   counts     the per-run counts that vary over the sweep (ports_exhausted,
 *              stale_accepted, backlog_drops, time_wait_peak, SYN and FIN
 *              retransmissions: up to four), a panel each, mean with 95 % CI
 * A figure whose data the directory lacks is skipped with a note on stderr. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_PLOT_ERROR (synack_plot_error_quark ())
typedef enum {
  SYNACK_PLOT_ERROR_NO_GNUPLOT,     /* gnuplot not found; scripts and data are written */
  SYNACK_PLOT_ERROR_GNUPLOT_FAILED, /* gnuplot exited non-zero or wrote no output */
  SYNACK_PLOT_ERROR_NO_DATA,        /* nothing to draw (or --only names a figure without data) */
  SYNACK_PLOT_ERROR_BAD_FORMAT,     /* unknown format, figure name or output extension */
  SYNACK_PLOT_ERROR_IO,             /* a file could not be read or written */
} SynackPlotError;
GQuark synack_plot_error_quark (void);

/* Figure size in pixels (pdf: the same at 96 px per inch), as the
 * generated scripts set it for every standard figure. */
#define SYNACK_PLOT_WIDTH  960
#define SYNACK_PLOT_HEIGHT 600

/* Draws the standard figures of results directory @dir into @dir/plots/.
 * @format: "png", "svg" or "pdf" (NULL: "png").  @only: (nullable) one
 * figure name; then a missing figure is an error, not a note.
 * @written: (nullable) (element-type char*) receives the path of every file
 * written (data, scripts, figures), also when the call fails.
 * Reads @dir/summary.csv (required), runs.csv, config.ini, samples/ and
 * traces/.  When gnuplot is missing, every script and data file is still
 * written, then it fails with SYNACK_PLOT_ERROR_NO_GNUPLOT.  When gnuplot
 * fails on one figure the others are still drawn.
 * Returns: FALSE with @error: SYNACK_CSV_ERROR for a missing or malformed
 * CSV (naming file and line), or SYNACK_PLOT_ERROR. */
gboolean synack_plot_dir (const char *dir, const char *format, const char *only,
                          GPtrArray *written, GError **error);

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

/* ---- building scripts (used by ladder.c too) ---- */

/* Appends `NAME = "VALUE"` with VALUE escaped.  @name must be an identifier. */
void     synack_plot_script_set_string (GString *script, const char *name, const char *value);
/* Appends `NAME = "./FILE"`: @file through synack_plot_file_name(), then
 * escaped. */
void     synack_plot_script_set_file (GString *script, const char *name, const char *file);
/* Appends `NAME = VALUE` (locale-independent; NaN as NaN). */
void     synack_plot_script_set_number (GString *script, const char *name, double value);
/* Appends `array NAME[N] = ["v1", ...]` with every value escaped. */
void     synack_plot_script_set_strings (GString *script, const char *name,
                                         const char *const *values, guint n);

/* Returns: (transfer full) the path of template @name ("ladder.gp"):
 * $SYNACK_PLOTS_DIR/NAME when that is set, else the installed plots
 * directory, else the source tree's; or NULL with SYNACK_PLOT_ERROR_IO
 * naming the template and where it was looked for. */
char    *synack_plot_template_path (const char *name, GError **error);

/* Appends plots/common.gp and then plots/@name.gp ("ladder") to @script, each under a
 * comment saying where it came from.  Returns: FALSE with @error naming
 * the template when one is missing. */
gboolean synack_plot_script_append_templates (GString *script, const char *name,
                                              GError **error);

/* Writes @script to @gp_path and, if gnuplot exists, runs it.  @out_path is
 * the figure it makes: removed first, checked to exist afterwards.  Every
 * file written is added to @written (nullable).  Returns: FALSE with
 * SYNACK_PLOT_ERROR (NO_GNUPLOT after writing the script). */
gboolean synack_plot_write_and_run (const char *gp_path, const GString *script,
                                    const char *out_path, GPtrArray *written, GError **error);

G_END_DECLS
