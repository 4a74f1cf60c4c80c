/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/observe.h - what a run reports (private to libsynack).
 *
 * The trace files (states, segments, pcap, occupancy), the occupancy count
 * per state and the segment and state counters of SynackMetrics.  They
 * watch; nothing here changes what the run does. */
#pragma once

#include "world.h"

G_BEGIN_DECLS

/* Opens the trace files @net->spec asks for.  Returns: FALSE with @error if
 * one cannot be written; synack_observe_close() closes what was opened. */
G_GNUC_INTERNAL
gboolean synack_observe_open (Net *net, GError **error);
/* Closes the trace files: flushed if @ok, removed otherwise.  Returns: @ok,
 * or FALSE with @error if a file could not be written. */
G_GNUC_INTERNAL
gboolean synack_observe_close (Net *net, gboolean ok, GError **error);
/* Schedules the first occupancy sample (at time 0) if it is traced. */
G_GNUC_INTERNAL
void synack_observe_start (Net *net);

/* A segment an endpoint put on the wire: counted, written to the pcap and
 * the segments trace ("send"). */
G_GNUC_INTERNAL
void synack_observe_send (Net *net, SynackTime now, const SynackSegment *seg,
                          guint32 id);
/* One row of the segments trace; only when @net->segments is open. */
G_GNUC_INTERNAL
void synack_observe_segment (Net *net, SynackTime now, const char *event,
                             const SynackSegment *seg, guint32 id);
/* A state change: the states trace, the occupancy and the counters. */
G_GNUC_INTERNAL
void synack_observe_state (Net *net, const SynackStateChange *chg,
                           SynackTime now);

G_END_DECLS
