/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ladder.h - `synack ladder`: the time-sequence ("ladder")
 * diagram of one connection, from the segment and state traces of a run.
 *
 * Two vertical time lines, client left and server right, time running
 * down; an arrow per segment from its send time to its arrival, labelled
 * with flags, seq, ack and len (seq and ack relative to each side's ISN,
 * as Wireshark shows them); lost segments end in a cross half-way;
 * retransmissions and link-made duplicates have their own colour and dash;
 * the state names are written beside each line where the state changes.
 * Idle stretches longer than a few one-way delays (a retransmission
 * timeout, the hold time, TIME_WAIT) are shortened and marked, so one
 * diagram shows both a 10 ms exchange and a 240 s TIME_WAIT. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Draws connection @conn of @segments_trace (a traces/P-R-segments.csv)
 * into @out_file, whose extension (.png, .svg, .pdf) sets the format.
 * @conn: the conn column's value; 0 means the first connection in the trace.
 * Also reads the states trace beside it (-segments.csv replaced by
 * -states.csv) when it exists.  Writes next to @out_file, whatever
 * gnuplot does: OUT.ladder.tsv (the arrows, labels and marks it draws) and
 * OUT.gp (the script; `gnuplot OUT.gp` in that directory redraws it),
 * where OUT is @out_file without its extension.
 * Returns: FALSE with @error: SYNACK_CSV_ERROR naming file and line for a
 * missing or malformed trace, SYNACK_PLOT_ERROR_NO_DATA when the trace has
 * no segment of @conn, SYNACK_PLOT_ERROR_BAD_FORMAT for another extension,
 * and the errors of synack_plot_run_gnuplot(). */
gboolean synack_ladder_draw (const char *segments_trace, guint32 conn,
                             const char *out_file, GError **error);

G_END_DECLS
