/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ladder-trace.h - one connection as the traces tell it, for
 * `synack ladder` (internal to plots/): its segments as arrows, its state
 * changes as marks.  ladder-read.c reads them, ladder.c lays them out and
 * writes the figure. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum { FATE_IN_FLIGHT, FATE_DELIVERED, FATE_LOST } Fate;
typedef enum { KIND_FIRST = 1, KIND_RETRANS, KIND_COPY } Kind;

typedef struct {
  double   t_send;
  double   t_end;          /* arrival; for a loss, the drop time */
  gboolean from_client;
  Fate     fate;
  Kind     kind;
  guint    retrans;
  char    *flags;          /* "SYN,ACK" */
  guint32  seq, ack, len;
} Arrow;

typedef struct {
  double   t;
  gboolean client;
  gboolean initial;        /* the state before the first change */
  char    *state;
} Mark;

typedef struct {
  GArray     *arrows;      /* Arrow */
  GArray     *marks;       /* Mark */
  guint32     conn;
  char       *client_end;  /* "1:40000" */
  char       *server_end;  /* "0:80" */
  gboolean    have_isn[2]; /* client, server: whether a segment gave it */
  guint32     isn[2];      /* the first SYN's seq (else the first segment's) */
} Ladder;

/* Reads connection @conn (0: the first in the trace) of segments trace
 * @path into @l (zeroed), with the states trace beside it when there is
 * one (P-R-states.csv beside P-R-segments.csv), and each side's ISN.
 * Returns: FALSE with @error naming the file and line (SYNACK_CSV_ERROR),
 * or SYNACK_PLOT_ERROR_NO_DATA when the connection has no segment. */
gboolean ladder_read (Ladder *l, const char *path, guint32 conn,
                      GError **error);
/* Frees what @l holds (not @l). */
void     ladder_clear (Ladder *l);

/* ---- the time axis (ladder-time.c) ---- */

#define GAP_DELAYS     3.0      /* longer idle stretches are shortened... */
#define GAP_DRAWN      1.6      /* ...to this many delays */

typedef struct {
  GArray *t;        /* double: knot times, increasing */
  GArray *y;        /* double: where they are drawn */
  GArray *gaps;     /* Gap */
} TimeMap;

typedef struct {
  double y0, y1;    /* drawn from, to */
  double seconds;   /* its true length */
} Gap;

/* Builds @m from the event times @times (sorted here) with unit @delay;
 * free with ladder_time_map_clear(). */
void   ladder_time_map_build (TimeMap *m, GArray *times, double delay);
/* Where time @t is drawn: linear between knots. */
double ladder_time_map (const TimeMap *m, double t);
void   ladder_time_map_clear (TimeMap *m);
/* The median one-way delay of the delivered segments: the diagram's unit. */
double ladder_typical_delay (const Ladder *l);
int    ladder_compare_double (gconstpointer a, gconstpointer b);

G_END_DECLS
