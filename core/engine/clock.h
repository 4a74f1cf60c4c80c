/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/clock.h - simulated time: a gint64 count of nanoseconds.
 *
 * Time is never a double inside the core, so event order and trace output are
 * exact and identical on every machine.  Durations in config files carry a
 * unit (ns us ms s m h); a bare number is refused so "50" can never mean
 * 50 seconds to one reader and 50 ms to another. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef gint64 SynackTime;

#define SYNACK_NSECOND ((SynackTime) 1)
#define SYNACK_USECOND ((SynackTime) 1000)
#define SYNACK_MSECOND ((SynackTime) 1000000)
#define SYNACK_SECOND  ((SynackTime) 1000000000)
#define SYNACK_MINUTE  (60 * SYNACK_SECOND)
#define SYNACK_HOUR    (60 * SYNACK_MINUTE)
#define SYNACK_TIME_NONE ((SynackTime) -1)   /* "never" / "not yet" */
/* The longest duration synack takes anywhere (10^18 ns, about 31.7
 * years): a time limit plus a few such durations (a delay, a lag, a
 * TIME_WAIT) stays far below 2^63 ns, so `now + delay` never overflows. */
#define SYNACK_TIME_MAX_DURATION ((SynackTime) 1000000000000000000)

/* Longest text synack_time_format() writes, with the NUL. */
#define SYNACK_TIME_FORMAT_SIZE 32

#define SYNACK_TIME_ERROR (synack_time_error_quark ())
typedef enum {
  SYNACK_TIME_ERROR_EMPTY,
  SYNACK_TIME_ERROR_NO_UNIT,
  SYNACK_TIME_ERROR_BAD_UNIT,
  SYNACK_TIME_ERROR_BAD_NUMBER,
  SYNACK_TIME_ERROR_NEGATIVE,
  SYNACK_TIME_ERROR_RANGE,
} SynackTimeError;
GQuark synack_time_error_quark (void);

/* Parses "50ms", "1.5s", "2 m", "0s" into nanoseconds (rounded to nearest).
 * Returns: FALSE with @error set (message says only what is wrong, e.g.
 * "\"50\" has no unit (ns, us, ms, s, m, h)"; callers prefix file:line). */
gboolean    synack_time_parse      (const char *text, SynackTime *out, GError **error);

/* Writes @t as seconds with 9 decimals ("12.000500000") into @buf, which
 * holds SYNACK_TIME_FORMAT_SIZE bytes.  Returns: @buf. */
char       *synack_time_format     (SynackTime t, char *buf);

/* Writes @t in the shortest exact unit form ("1s", "200ms", "1500us").
 * Returns: @buf. */
char       *synack_time_format_unit (SynackTime t, char *buf);

static inline double
synack_time_to_seconds (SynackTime t)
{
  return (double) t / (double) SYNACK_SECOND;
}

G_END_DECLS
