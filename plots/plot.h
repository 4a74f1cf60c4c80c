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

#include "gnuplot.h"

G_BEGIN_DECLS

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

G_END_DECLS
