/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/clock.h - simulated time: a gint64 count of nanoseconds, and
 * the units durations and rates are written in.
 *
 * Time is never a double inside the core, so event order and trace output are
 * exact and identical on every machine.  Durations in config files carry a
 * unit (ns us ms s m h); a bare number is refused so "50" can never mean
 * 50 seconds to one reader and 50 ms to another.  Rates carry one too
 * ("100/s", "2/ms"), for the same reason.  synack_time_units() is the one
 * table of those units: the duration and rate parsers, the sweep ranges
 * and the plots' axes all read it. */
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

/* A unit of time: a duration "50ms" is 50 of them, a rate "2/ms" is 2 per
 * one of them (only for units with @rate). */
typedef struct {
  const char *name;      /* "ms" */
  guint64     c;         /* the unit is c * 10^e ns, exactly */
  guint       e;
  double      seconds;   /* the unit in seconds: 0.001 */
  double      per_s;     /* "/ms" in per second: 1000 (0 if not a rate unit) */
} SynackTimeUnit;

/* Returns: (transfer none) the units from the smallest (ns) to the largest
 * (h), ending with a row whose name is NULL. */
const SynackTimeUnit *synack_time_units (void);
/* The unit named by the @len bytes at @name ("ms"), or NULL. */
const SynackTimeUnit *synack_time_unit_lookup (const char *name, gsize len);

/* Parses a rate "100/s", "2/ms", "30 /m", "0/s" into events per second
 * (>= 0, finite).  Returns: FALSE with @error (SYNACK_TIME_ERROR) whose
 * message says only what is wrong ("\"100\" has no unit: write 100/s"). */
gboolean    synack_rate_parse      (const char *text, double *per_s,
                                    GError **error);

/* Reads @text as a number with an optional unit of the table: "0.05" (a
 * plain number), "250ms" (0.25, *@unit "s"), "1/ms" (1000, *@unit "1/s"),
 * so one value written two ways reads the same.  *@unit is "" for a plain
 * number.  Returns: FALSE for anything else ("tcp3way", "5/d"). */
gboolean    synack_unit_value_parse (const char *text, double *value,
                                     const char **unit);

/* Parses "50ms", "1.5s", "2 m", "0s" into nanoseconds (rounded to nearest).
 * Returns: FALSE with @error set (message says only what is wrong, e.g.
 * "\"50\" has no unit (ns, us, ms, s, m, h)"; callers prefix file:line). */
gboolean    synack_time_parse      (const char *text, SynackTime *out,
                                    GError **error);

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
