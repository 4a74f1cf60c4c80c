/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/trace.h - streaming trace files: CSV rows and pcap records.
 *
 * A writer fills a 256 KiB buffer and hands it to the kernel only when full,
 * so writing a row is a few stores and never a system call.  Numbers are
 * formatted by hand (no printf, no locale).  The file is written under a
 * temporary name and renamed on synack_trace_close(), so an interrupted run
 * never leaves a trace that looks complete. */
#pragma once

#include <glib.h>
#include "clock.h"

G_BEGIN_DECLS

#define SYNACK_TRACE_ERROR (synack_trace_error_quark ())
typedef enum {
  SYNACK_TRACE_ERROR_IO,
} SynackTraceError;
GQuark synack_trace_error_quark (void);

typedef struct _SynackTrace SynackTrace;   /* opaque */

/* Opens @path for writing (as "@path.part" until closed; a symlink at
 * either name is replaced, never written through) and writes @header
 * (nullable; a CSV header line without the newline, written with one).
 * Returns: (transfer full) or NULL with @error naming the path. */
SynackTrace *synack_trace_open  (const char *path, const char *header,
                                 GError **error);
/* Flushes, closes and renames into place.  Frees @trace in every case.
 * Returns: FALSE with @error if any write failed. */
gboolean     synack_trace_close (SynackTrace *trace, GError **error);
/* Closes and deletes the partial file (on a failed run).  NULL is fine. */
void         synack_trace_abort (SynackTrace *trace);

/* Row building: cells are appended with their separating commas by the
 * caller's order; synack_trace_end_row() ends the line. */
/* "12.000500000" */
void synack_trace_put_time  (SynackTrace *t, SynackTime time);
void synack_trace_put_uint  (SynackTrace *t, guint64 v);
/* as is: no quoting */
void synack_trace_put_str   (SynackTrace *t, const char *s);
void synack_trace_put_char  (SynackTrace *t, char c);
void synack_trace_put_bytes (SynackTrace *t, const void *data, gsize len);
static inline void
synack_trace_comma (SynackTrace *t) { synack_trace_put_char (t, ','); }
static inline void
synack_trace_end_row (SynackTrace *t) { synack_trace_put_char (t, '\n'); }

G_END_DECLS
