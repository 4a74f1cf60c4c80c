/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/sched.h - the discrete-event scheduler.
 *
 * Events run in (time, scheduling sequence) order, so events at equal times
 * run in the order they were scheduled and equal seeds give byte-identical
 * runs.  Pending events sit in a ladder queue (core/engine/sched.c): O(1)
 * amortised per event and per cancel, cancel being lazy through the id.
 * Slots and buckets only grow: no malloc per event once the pending
 * population has peaked. */
#pragma once

#include <glib.h>
#include "clock.h"

G_BEGIN_DECLS

typedef struct _SynackSched SynackSched;   /* opaque */

/* Identifies one scheduled event; 0 is never a live event. */
typedef guint64 SynackEventId;

typedef void (*SynackEventFunc) (SynackSched *sched, SynackTime now, gpointer user_data);

/* Returns: (transfer full) an empty scheduler at time 0. */
SynackSched  *synack_sched_new    (void);
/* Runs the destroy notify of every pending event, then frees. NULL is fine. */
void          synack_sched_free   (SynackSched *sched);

/* Runs @func at @when (>= now). Events at equal times run in the order they
 * were scheduled.  @destroy (nullable) runs once on @user_data: after @func,
 * on cancel, or at synack_sched_free().  Returns: the event's id. */
SynackEventId synack_sched_at     (SynackSched *sched, SynackTime when, SynackEventFunc func,
                                   gpointer user_data, GDestroyNotify destroy);
/* Same, at now + @delay (@delay >= 0). */
SynackEventId synack_sched_after  (SynackSched *sched, SynackTime delay, SynackEventFunc func,
                                   gpointer user_data, GDestroyNotify destroy);
/* Returns: TRUE if the event was pending.  Unknown, fired or cancelled ids
 * are a no-op, also from inside a handler (even the event's own). */
gboolean      synack_sched_cancel (SynackSched *sched, SynackEventId id);
/* Cancels *@id if non-zero and sets it to 0. */
void          synack_sched_clear  (SynackSched *sched, SynackEventId *id);

/* Time of the event being run, or of the last one run. */
SynackTime    synack_sched_now    (const SynackSched *sched);
/* Time of the earliest pending event, or SYNACK_TIME_NONE. */
SynackTime    synack_sched_next_time (const SynackSched *sched);
gsize         synack_sched_pending (const SynackSched *sched);
/* Events run so far. */
guint64       synack_sched_events_run (const SynackSched *sched);

/* Runs the earliest event. Returns: FALSE if none was pending. */
gboolean      synack_sched_step   (SynackSched *sched);
/* Runs events with time <= @until (SYNACK_TIME_NONE: no limit) until none is
 * left or synack_sched_stop() is called; then now = @until if events remain
 * beyond it.  Returns: the number of events run. */
guint64       synack_sched_run    (SynackSched *sched, SynackTime until);
/* Like synack_sched_run(), but returns after at most @max_events events (then
 * now is left at the last event's time), so a caller can poll for
 * cancellation between batches of events at a bounded cost. */
guint64       synack_sched_run_max (SynackSched *sched, SynackTime until,
                                    guint64 max_events);
/* One pointer the owner of the scheduler attaches (the run it belongs to),
 * so handlers reach their world through @sched without globals. */
void          synack_sched_set_owner (SynackSched *sched, gpointer owner);
gpointer      synack_sched_get_owner (const SynackSched *sched);

/* Makes synack_sched_run() return after the current event. */
void          synack_sched_stop   (SynackSched *sched);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackSched, synack_sched_free)

G_END_DECLS
