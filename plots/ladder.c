/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ladder.c - the time-sequence (ladder) diagram of one
 * connection (see ladder.h).
 *
 * The layout is computed here, gnuplot only draws it: the data file holds
 * every arrow with its end points, every label with its position and
 * angle, every state name, and the time lines.  Three things need C:
 *
 *  - Time runs down, but not to scale everywhere: sorted event times are
 *    knots of a piecewise-linear map, and a gap between knots longer than
 *    GAP_DELAYS one-way delays (a retransmission timeout, the hold time,
 *    TIME_WAIT) is drawn GAP_DRAWN delays long, dotted, and labelled with
 *    its true length.  The typical one-way delay (the median over
 *    delivered segments) sets the scale: PX_PER_DELAY pixels, so the
 *    image height follows the number of exchanges, within bounds.
 *  - Labels lie along their arrow, a few pixels above it.  Their angle
 *    depends on the arrow's slope in pixels, which is why the driver fixes
 *    the margins and the image size itself rather than letting gnuplot.
 *  - Segments sent at the same instant by one side (an ACK and a FIN,ACK)
 *    would draw as one arrow: the k-th starts LABEL_PX * k lower and still
 *    ends at its true arrival; state names beside a line are pushed down
 *    so they never overlap.
 *
 * Segments pair up by id: a send row, then a deliver (arrival time) or a
 * drop (same time) row with the same id; a duplicate row opens a link-made
 * copy under a new id.  A trace without ids pairs rows first in, first out
 * per (src, dst, flags, seq, ack, len).  The data file is tab-separated:
 * labels hold commas ("SYN,ACK"), and gnuplot does not honour CSV quotes. */
#include "ladder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "plot.h"
#include "results.h"
#include "text.h"

#define LADDER_WIDTH   960
#define MARGIN_LEFT    110      /* px: the time tick labels */
#define MARGIN_RIGHT   20
#define MARGIN_TOP     120      /* px: title, the note, the host names */
#define MARGIN_BOTTOM  60       /* px: the key */
#define LINE_PAD       0.24     /* room beyond each time line, in line spacings */
#define PX_PER_DELAY   78.0     /* height of one typical one-way delay */
#define MIN_PLOT_PX    360
#define MAX_PLOT_PX    2600
#define LABEL_PX       17.0     /* one line of text */
#define GAP_DELAYS     3.0      /* longer idle stretches are shortened... */
#define GAP_DRAWN      1.6      /* ...to this many delays */

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
} Ladder;

static void
ladder_clear (Ladder *l)
{
  for (guint i = 0; l->arrows && i < l->arrows->len; i++)
    g_free (g_array_index (l->arrows, Arrow, i).flags);
  for (guint i = 0; l->marks && i < l->marks->len; i++)
    g_free (g_array_index (l->marks, Mark, i).state);
  if (l->arrows)
    g_array_unref (l->arrows);
  if (l->marks)
    g_array_unref (l->marks);
  g_free (l->client_end);
  g_free (l->server_end);
}

/* ---- reading the traces ---------------------------------------------------------- */

/* Parses cell (@row, @col) as an unsigned integer <= @max. */
static gboolean
cell_uint (const SynackCsv *csv, guint row, int col, guint64 max, guint64 *out, GError **error)
{
  const char *text = synack_csv_cell (csv, row, (guint) col);
  char *end;

  *out = g_ascii_strtoull (text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || !g_ascii_isdigit (text[0]) || *out > max) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not a number from 0 to %" G_GUINT64_FORMAT,
                 csv->path, g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col], text, max);
    return FALSE;
  }
  return TRUE;
}

/* TRUE when @text is @min or more characters of [A-Za-z0-9_] and of
 * @also: what state names and flag lists are.  Those cells reach the data
 * file gnuplot reads, where a tab, newline or quote would shift columns. */
static gboolean
is_word (const char *text, const char *also, gsize min)
{
  gsize n = 0;

  for (const char *p = text; *p != '\0'; p++, n++)
    if (!g_ascii_isalnum (*p) && *p != '_' && strchr (also, *p) == NULL)
      return FALSE;
  return n >= min && n <= 64;
}

static gboolean
cell_word (const SynackCsv *csv, guint row, int col, const char *also, gsize min,
           const char *what, GError **error)
{
  const char *text = synack_csv_cell (csv, row, (guint) col);

  if (is_word (text, also, min))
    return TRUE;
  g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
               "%s:%u: column %s: \"%s\" is not %s", csv->path,
               g_array_index (csv->lines, guint, row),
               (const char *) csv->header->pdata[col], text, what);
  return FALSE;
}

/* "1:40000" -> 1.  Returns: FALSE with @error naming file and line. */
static gboolean
cell_host (const SynackCsv *csv, guint row, int col, guint *host, GError **error)
{
  const char *text = synack_csv_cell (csv, row, (guint) col);
  char *end, *port_end = NULL;
  guint64 v = g_ascii_strtoull (text, &end, 10);

  if (*end == ':' && g_ascii_isdigit (end[1]) && g_ascii_strtoull (end + 1, &port_end, 10) <= 65535)
    end = port_end;
  if (!g_ascii_isdigit (text[0]) || *end != '\0' || v > G_MAXUINT32) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not HOST:PORT", csv->path,
                 g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col], text);
    return FALSE;
  }
  *host = (guint) v;
  return TRUE;
}

static gboolean
cell_time (const SynackCsv *csv, guint row, int col, double *t, GError **error)
{
  if (!synack_csv_double (csv, row, (guint) col, t, error))
    return FALSE;
  /* a run's times are 0 to 2^63 ns (9.2e9 s): beyond, or NaN, the file is
   * damaged, and 1e308 would overflow the layout (found by tests/fuzz) */
  if (!(*t >= 0 && *t <= (double) G_MAXINT64 / 1e9)) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not a time from 0 to "
                 "9223372036.854775807 s", csv->path, g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col], synack_csv_cell (csv, row, (guint) col));
    return FALSE;
  }
  return TRUE;
}

/* The key that pairs rows of a trace without ids. */
static char *
fifo_key (const SynackCsv *csv, guint row, const int *cols)
{
  return g_strjoin ("|", synack_csv_cell (csv, row, (guint) cols[0]),
                    synack_csv_cell (csv, row, (guint) cols[1]),
                    synack_csv_cell (csv, row, (guint) cols[2]),
                    synack_csv_cell (csv, row, (guint) cols[3]),
                    synack_csv_cell (csv, row, (guint) cols[4]),
                    synack_csv_cell (csv, row, (guint) cols[5]), NULL);
}

static void
free_queue (gpointer q)
{
  g_queue_free (q);
}

enum { C_TIME, C_CONN, C_SRC, C_DST, C_EVENT, C_FLAGS, C_SEQ, C_ACK, C_LEN, N_REQUIRED };

static gboolean
read_segments (Ladder *l, const char *path, guint32 conn, GError **error)
{
  static const char *const required[N_REQUIRED] = {
    "time_s", "conn", "src", "dst", "event", "flags", "seq", "ack", "len",
  };
  g_autoptr (SynackCsv) csv = synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  g_autoptr (GHashTable) open = NULL;   /* id or fifo key -> arrow index (+1) or queue */
  int col[N_REQUIRED], cid, cretrans;
  guint64 first_conn = 0, conn_min = G_MAXUINT64, conn_max = 0;
  gboolean have_first = FALSE;

  if (csv == NULL)
    return FALSE;
  for (guint c = 0; c < N_REQUIRED; c++)
    if ((col[c] = synack_csv_require (csv, required[c], error)) < 0)
      return FALSE;
  cid = synack_csv_column (csv, "id");
  cretrans = synack_csv_column (csv, "retrans");
  open = cid >= 0 ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL)
                  : g_hash_table_new_full (g_str_hash, g_str_equal, g_free, free_queue);

  for (guint row = 0; row < csv->rows->len; row++) {
    const char *event = synack_csv_cell (csv, row, (guint) col[C_EVENT]);
    guint64 c, seq, ack, len, retrans = 0;
    guint src_host, dst_host;
    double t;
    g_autofree char *key = NULL;

    if (!cell_uint (csv, row, col[C_CONN], G_MAXUINT32, &c, error))
      return FALSE;
    conn_min = MIN (conn_min, c);
    conn_max = MAX (conn_max, c);
    if (!have_first)
      first_conn = c, have_first = TRUE;
    if (conn == 0)
      conn = (guint32) first_conn;
    if (c != conn)
      continue;
    if (!cell_time (csv, row, col[C_TIME], &t, error) ||
        !cell_host (csv, row, col[C_SRC], &src_host, error) ||
        !cell_host (csv, row, col[C_DST], &dst_host, error) ||
        !cell_uint (csv, row, col[C_SEQ], G_MAXUINT32, &seq, error) ||
        !cell_uint (csv, row, col[C_ACK], G_MAXUINT32, &ack, error) ||
        !cell_uint (csv, row, col[C_LEN], G_MAXUINT32, &len, error) ||
        (cretrans >= 0 && !cell_uint (csv, row, cretrans, G_MAXUINT16, &retrans, error)) ||
        !cell_word (csv, row, col[C_FLAGS], ",", 0, "a list of TCP flags (e.g. SYN,ACK)",
                    error))
      return FALSE;
    key = cid >= 0 ? g_strdup (synack_csv_cell (csv, row, (guint) cid))
                   : fifo_key (csv, row, &col[C_SRC]);

    if (strcmp (event, "send") == 0 || strcmp (event, "duplicate") == 0) {
      Arrow a = { 0 };
      guint index = l->arrows->len;

      a.t_send = a.t_end = t;
      a.from_client = src_host != 0;
      a.fate = FATE_IN_FLIGHT;
      a.retrans = (guint) retrans;
      a.kind = strcmp (event, "duplicate") == 0 ? KIND_COPY
             : retrans > 0 ? KIND_RETRANS : KIND_FIRST;
      a.flags = g_strdup (synack_csv_cell (csv, row, (guint) col[C_FLAGS]));
      a.seq = (guint32) seq;
      a.ack = (guint32) ack;
      a.len = (guint32) len;
      g_array_append_val (l->arrows, a);
      if (a.from_client && l->client_end == NULL)
        l->client_end = g_strdup (synack_csv_cell (csv, row, (guint) col[C_SRC]));
      if (!a.from_client && l->server_end == NULL)
        l->server_end = g_strdup (synack_csv_cell (csv, row, (guint) col[C_SRC]));
      if (a.from_client && l->server_end == NULL)
        l->server_end = g_strdup (synack_csv_cell (csv, row, (guint) col[C_DST]));
      if (cid >= 0) {
        g_hash_table_replace (open, g_steal_pointer (&key), GUINT_TO_POINTER (index + 1));
      } else {
        GQueue *q = g_hash_table_lookup (open, key);

        if (q == NULL) {
          q = g_queue_new ();
          g_hash_table_insert (open, g_strdup (key), q);
        }
        g_queue_push_tail (q, GUINT_TO_POINTER (index + 1));
      }
    } else if (strcmp (event, "deliver") == 0 || strcmp (event, "drop") == 0) {
      guint found;

      if (cid >= 0) {
        found = GPOINTER_TO_UINT (g_hash_table_lookup (open, key));
        g_hash_table_remove (open, key);
      } else {
        GQueue *q = g_hash_table_lookup (open, key);

        found = q != NULL ? GPOINTER_TO_UINT (g_queue_pop_head (q)) : 0;
      }
      if (found == 0)
        continue;   /* sent before the trace began: nothing to draw from */
      Arrow *a = &g_array_index (l->arrows, Arrow, found - 1);

      a->t_end = t;
      a->fate = event[1] == 'e' ? FATE_DELIVERED : FATE_LOST;
    } else {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: column event: \"%s\" is not send, drop, deliver or duplicate",
                   path, g_array_index (csv->lines, guint, row), event);
      return FALSE;
    }
  }
  if (l->arrows->len == 0) {
    if (!have_first)
      g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_DATA,
                   "%s: no segments in this trace", path);
    else
      g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_DATA,
                   "%s: no segment of connection %u (this trace has connections %"
                   G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT ")", path, conn, conn_min,
                   conn_max);
    return FALSE;
  }
  l->conn = conn;
  return TRUE;
}

static gboolean
read_states (Ladder *l, const char *path, GError **error)
{
  static const char *const required[] = { "time_s", "conn", "role", "from", "to" };
  g_autoptr (SynackCsv) csv = synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  int col[G_N_ELEMENTS (required)];
  gboolean seen[2] = { FALSE, FALSE };

  if (csv == NULL)
    return FALSE;
  for (guint c = 0; c < G_N_ELEMENTS (required); c++)
    if ((col[c] = synack_csv_require (csv, required[c], error)) < 0)
      return FALSE;
  for (guint row = 0; row < csv->rows->len; row++) {
    const char *from = synack_csv_cell (csv, row, (guint) col[3]);
    const char *to = synack_csv_cell (csv, row, (guint) col[4]);
    const char *role = synack_csv_cell (csv, row, (guint) col[2]);
    gboolean client = strcmp (role, "server") != 0;
    guint64 c;
    double t;

    if (!cell_uint (csv, row, col[1], G_MAXUINT32, &c, error))
      return FALSE;
    if (c != l->conn)
      continue;
    if (client && strcmp (role, "client") != 0) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                   "%s:%u: column role: \"%s\" is not client or server", path,
                   g_array_index (csv->lines, guint, row), role);
      return FALSE;
    }
    if (!cell_time (csv, row, col[0], &t, error) ||
        !cell_word (csv, row, col[3], "", 1, "a state name", error) ||
        !cell_word (csv, row, col[4], "", 1, "a state name", error))
      return FALSE;
    if (strcmp (from, to) == 0)   /* from == to: an ignored input */
      continue;
    if (!seen[client]) {
      Mark m0 = { t, client, TRUE, g_strdup (from) };

      g_array_append_val (l->marks, m0);
      seen[client] = TRUE;
    }
    Mark m = { t, client, FALSE, g_strdup (to) };

    g_array_append_val (l->marks, m);
  }
  return TRUE;
}

/* ---- the time axis ----------------------------------------------------------------- */

typedef struct {
  GArray *t;        /* double: knot times, increasing */
  GArray *y;        /* double: where they are drawn */
  GArray *gaps;     /* Gap */
} TimeMap;

typedef struct {
  double y0, y1;    /* drawn from, to */
  double seconds;   /* its true length */
} Gap;

static int
compare_double (gconstpointer a, gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
time_map_build (TimeMap *m, GArray *times, double delay)
{
  m->t = g_array_new (FALSE, FALSE, sizeof (double));
  m->y = g_array_new (FALSE, FALSE, sizeof (double));
  m->gaps = g_array_new (FALSE, FALSE, sizeof (Gap));
  g_array_sort (times, compare_double);
  for (guint i = 0; i < times->len; i++) {
    double t = g_array_index (times, double, i), y;

    if (m->t->len == 0) {
      y = 0;
    } else {
      double last_t = g_array_index (m->t, double, m->t->len - 1);
      double last_y = g_array_index (m->y, double, m->y->len - 1);
      double dt = t - last_t;

      if (dt <= delay * 1e-9)
        continue;
      if (dt > GAP_DELAYS * delay) {
        Gap g = { last_y, last_y + GAP_DRAWN * delay, dt };

        g_array_append_val (m->gaps, g);
        y = g.y1;
      } else {
        y = last_y + dt;
      }
    }
    g_array_append_val (m->t, t);
    g_array_append_val (m->y, y);
  }
}

/* Where time @t is drawn: linear between knots. */
static double
time_map (const TimeMap *m, double t)
{
  const double *kt = (const double *) m->t->data, *ky = (const double *) m->y->data;
  guint lo = 0, hi = m->t->len - 1;

  if (t <= kt[0])
    return ky[0] - (kt[0] - t);
  if (t >= kt[hi])
    return ky[hi] + (t - kt[hi]);
  while (hi - lo > 1) {
    guint mid = (lo + hi) / 2;

    if (kt[mid] <= t)
      lo = mid;
    else
      hi = mid;
  }
  return ky[lo] + (ky[hi] - ky[lo]) * (t - kt[lo]) / (kt[hi] - kt[lo]);
}

static void
time_map_clear (TimeMap *m)
{
  g_array_unref (m->t);
  g_array_unref (m->y);
  g_array_unref (m->gaps);
}

/* The median one-way delay of the delivered segments: the diagram's unit. */
static double
typical_delay (const Ladder *l)
{
  g_autoptr (GArray) d = g_array_new (FALSE, FALSE, sizeof (double));
  double lo = INFINITY, hi = -INFINITY;

  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);

    lo = MIN (lo, a->t_send);
    hi = MAX (hi, a->t_end);
    if (a->fate == FATE_DELIVERED && a->t_end > a->t_send) {
      double v = a->t_end - a->t_send;

      g_array_append_val (d, v);
    }
  }
  if (d->len > 0) {
    g_array_sort (d, compare_double);
    return g_array_index (d, double, d->len / 2);
  }
  return hi > lo ? (hi - lo) / 8 : 0.01;
}

/* ---- layout and output -------------------------------------------------------------- */

typedef struct {
  double xmin, xmax, ytop, ybot;
  double px_per_x, px_per_y;      /* pixels per unit */
  int    height;
} Frame;

/* Data coordinates -> pixels from the plot area's top left (y down). */
static void
to_px (const Frame *f, double x, double y, double *px, double *py)
{
  *px = (x - f->xmin) * f->px_per_x;
  *py = (y - f->ytop) * f->px_per_y;
}

static void
from_px (const Frame *f, double px, double py, double *x, double *y)
{
  *x = f->xmin + px / f->px_per_x;
  *y = f->ytop + py / f->px_per_y;
}

static void
tsv_number (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    g_string_append (s, "NaN");
  else
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.10g", v));
}

/* Appends tab-separated @n values, then a newline. */
static void
tsv_row (GString *s, guint n, const double *v)
{
  for (guint i = 0; i < n; i++) {
    if (i)
      g_string_append_c (s, '\t');
    tsv_number (s, v[i]);
  }
}

/* The label of @a: flags, then seq and ack relative to the ISNs. */
static char *
arrow_label (const Arrow *a, gboolean have_isn[2], const guint32 isn[2])
{
  GString *s = g_string_new (a->flags[0] ? a->flags : "(no flags)");
  guint own = a->from_client ? 0 : 1, peer = 1 - own;

  g_string_append_printf (s, " seq=%u", have_isn[own] ? a->seq - isn[own] : a->seq);
  if (strstr (a->flags, "ACK") != NULL)
    g_string_append_printf (s, " ack=%u", have_isn[peer] ? a->ack - isn[peer] : a->ack);
  if (a->len > 0)
    g_string_append_printf (s, " len=%u", a->len);
  if (a->kind == KIND_COPY)
    g_string_append (s, " (link copy)");
  else if (a->retrans == 1)
    g_string_append (s, " (retransmission)");
  else if (a->retrans > 1)
    g_string_append_printf (s, " (retransmission %u)", a->retrans);
  return g_string_free (s, FALSE);
}

/* "ladder-clean, run 0-0: connection 1" when the trace lies in a results
 * directory (DIR/traces/P-R-segments.csv beside DIR/config.ini), else
 * "FILE: connection 1". */
static char *
ladder_title (const char *trace, guint32 conn)
{
  g_autofree char *base = g_path_get_basename (trace);
  g_autofree char *traces = g_path_get_dirname (trace);
  g_autofree char *results = g_path_get_dirname (traces);
  g_autofree char *name = NULL;

  if (g_str_has_suffix (base, "-segments.csv"))
    name = synack_results_experiment_name (results);
  if (name == NULL)
    return g_strdup_printf ("%s: connection %u", base, conn);
  base[strlen (base) - strlen ("-segments.csv")] = '\0';
  return g_strdup_printf ("%s, run %s: connection %u", name, base, conn);
}

/* "client (host 1, port 40000)" from "1:40000". */
static char *
endpoint_title (const char *role, const char *endpoint)
{
  const char *colon = endpoint != NULL ? strchr (endpoint, ':') : NULL;

  if (endpoint == NULL)
    return g_strdup (role);
  if (colon == NULL)
    return g_strdup_printf ("%s (host %s)", role, endpoint);
  return g_strdup_printf ("%s (host %.*s, port %s)", role, (int) (colon - endpoint), endpoint,
                          colon + 1);
}

static int
decimals_for (double delay)
{
  int d = (int) ceil (-log10 (delay)) + 1;

  return CLAMP (d, 3, 9);
}

typedef struct {
  double y;       /* drawn at */
  double y_true;  /* where the state changed */
  const Mark *m;
} PlacedMark;

static int
compare_placed (gconstpointer a, gconstpointer b)
{
  const PlacedMark *x = a, *y = b;

  if (x->m->client != y->m->client)
    return x->m->client ? -1 : 1;
  if (x->y_true != y->y_true)
    return x->y_true < y->y_true ? -1 : 1;
  return (x->m > y->m) - (x->m < y->m);   /* trace order */
}

gboolean
synack_ladder_draw (const char *segments_trace, guint32 conn, const char *out_file,
                    GError **error)
{
  Ladder l = { 0 };
  TimeMap map = { 0 };
  Frame fr;
  g_autofree char *states_path = NULL;
  g_autofree char *base = NULL, *data_path = NULL, *gp_path = NULL;
  g_autofree char *data_name = NULL, *out_name = NULL, *gp_name = NULL;
  g_autofree char *title = NULL, *note = NULL;
  g_autofree char *client_title = NULL, *server_title = NULL;
  g_autoptr (GString) data = g_string_new (NULL);
  g_autoptr (GString) script = g_string_new (NULL);
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) placed = g_array_new (FALSE, FALSE, sizeof (PlacedMark));
  g_autoptr (GPtrArray) tick_labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) tick_y = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) tick_t = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GHashTable) client_sent = g_hash_table_new (g_double_hash, g_double_equal);
  g_autoptr (GHashTable) server_sent = g_hash_table_new (g_double_hash, g_double_equal);
  GHashTable *same_instant[2] = { client_sent, server_sent };
  const char *dot, *format;
  double delay, plot_px, last_tick_px = -INFINITY;
  gboolean have_isn[2] = { FALSE, FALSE }, has_kind[4] = { FALSE }, has_loss = FALSE;
  guint32 isn[2] = { 0, 0 };
  int decimals;
  gboolean ok = FALSE;

  g_return_val_if_fail (segments_trace != NULL && out_file != NULL, FALSE);
  dot = strrchr (out_file, '.');
  format = dot == NULL ? NULL : g_ascii_strcasecmp (dot, ".png") == 0 ? "png"
         : g_ascii_strcasecmp (dot, ".svg") == 0 ? "svg"
         : g_ascii_strcasecmp (dot, ".pdf") == 0 ? "pdf" : NULL;
  if (format == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_BAD_FORMAT,
                 "%s: the output file must end in .png, .svg or .pdf", out_file);
    return FALSE;
  }
  l.arrows = g_array_new (FALSE, FALSE, sizeof (Arrow));
  l.marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  if (!read_segments (&l, segments_trace, conn, error))
    goto out;
  if (g_str_has_suffix (segments_trace, "-segments.csv")) {
    g_autofree char *stem = g_strndup (segments_trace,
                                       strlen (segments_trace) - strlen ("-segments.csv"));

    states_path = g_strconcat (stem, "-states.csv", NULL);
    if (g_file_test (states_path, G_FILE_TEST_EXISTS) && !read_states (&l, states_path, error))
      goto out;
  }

  /* ISNs: the first SYN of each side (else its first segment) */
  for (guint i = 0; i < l.arrows->len; i++) {
    const Arrow *a = &g_array_index (l.arrows, Arrow, i);
    guint side = a->from_client ? 0 : 1;

    if (!have_isn[side] && strstr (a->flags, "SYN") != NULL) {
      isn[side] = a->seq;
      have_isn[side] = TRUE;
    }
  }
  for (guint i = 0; i < l.arrows->len; i++) {
    const Arrow *a = &g_array_index (l.arrows, Arrow, i);
    guint side = a->from_client ? 0 : 1;

    if (!have_isn[side]) {
      isn[side] = a->seq;
      have_isn[side] = TRUE;
    }
  }

  /* the time axis */
  /* traces are written to the ns: a smaller unit (5e-324 s) is noise,
   * and 0 would divide by zero */
  delay = MAX (typical_delay (&l), 1e-9);
  for (guint i = 0; i < l.arrows->len; i++) {
    Arrow *a = &g_array_index (l.arrows, Arrow, i);
    double mid = a->t_send + delay / 2;

    g_array_append_val (times, a->t_send);
    g_array_append_val (tick_t, a->t_send);
    if (a->fate == FATE_DELIVERED) {
      g_array_append_val (times, a->t_end);
      g_array_append_val (tick_t, a->t_end);
    } else {
      g_array_append_val (times, mid);    /* where the cross goes: no tick */
    }
    has_kind[a->kind] = TRUE;
    has_loss |= a->fate == FATE_LOST;
  }
  for (guint i = 0; i < l.marks->len; i++)
    if (!g_array_index (l.marks, Mark, i).initial) {
      g_array_append_val (times, g_array_index (l.marks, Mark, i).t);
      g_array_append_val (tick_t, g_array_index (l.marks, Mark, i).t);
    }
  time_map_build (&map, times, delay);

  /* the frame: fixed margins, a height that follows the drawing */
  fr.xmin = -LINE_PAD;
  fr.xmax = 1 + LINE_PAD;
  fr.ytop = -0.9 * delay;
  fr.ybot = g_array_index (map.y, double, map.y->len - 1) + 0.6 * delay;
  fr.px_per_x = (LADDER_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / (fr.xmax - fr.xmin);
  plot_px = (fr.ybot - fr.ytop) * PX_PER_DELAY / delay;
  plot_px = CLAMP (plot_px, MIN_PLOT_PX, MAX_PLOT_PX);
  fr.px_per_y = plot_px / (fr.ybot - fr.ytop);
  fr.height = (int) ceil (plot_px) + MARGIN_TOP + MARGIN_BOTTOM;
  decimals = decimals_for (delay);

  /* block 0: the arrows and their labels */
  g_string_append (data, "x0\ty0\tdx\tdy\tkind\tfate\tlabel\tlx\tly\tangle\tsent_s\tarrived_s\n");
  for (guint i = 0; i < l.arrows->len; i++) {
    const Arrow *a = &g_array_index (l.arrows, Arrow, i);
    g_autofree char *label = arrow_label (a, have_isn, isn);
    double x0 = a->from_client ? 0 : 1, y0 = time_map (&map, a->t_send), x1, y1;
    double px0, py0, px1, py1, ang, lpx, lpy, lx, ly, shift = 0, side;

    if (a->fate == FATE_DELIVERED) {
      x1 = 1 - x0;
      y1 = time_map (&map, a->t_end);
    } else {
      x1 = 0.5;
      y1 = time_map (&map, a->t_send + delay / 2);
    }
    /* earlier segments sent by this side at the same instant (counted in
     * a hash: a flood of ACKs can make one connection 10^5 segments) */
    {
      GHashTable *h = same_instant[a->from_client ? 0 : 1];
      guint before = GPOINTER_TO_UINT (g_hash_table_lookup (h, &a->t_send));

      shift = before * 1.2 * LABEL_PX / fr.px_per_y;
      g_hash_table_replace (h, (gpointer) &a->t_send, GUINT_TO_POINTER (before + 1));
    }
    y0 = MIN (y0 + shift, y0 + MAX (0, (y1 - y0) - 2 * LABEL_PX / fr.px_per_y));
    to_px (&fr, x0, y0, &px0, &py0);
    to_px (&fr, x1, y1, &px1, &py1);
    /* along the arrow, reading left to right, 8 px above it; below it for
     * a shifted arrow, whose label would meet its twin's near the middle */
    ang = atan2 (-(py1 - py0), px1 - px0) * 180 / G_PI;
    if (ang > 90)
      ang -= 180;
    else if (ang <= -90)
      ang += 180;
    side = shift > 0 ? -1 : 1;
    lpx = (px0 + px1) / 2 - side * 8 * sin (ang * G_PI / 180);
    lpy = (py0 + py1) / 2 - side * 8 * cos (ang * G_PI / 180);
    from_px (&fr, lpx, lpy, &lx, &ly);
    {
      double v[] = { x0, y0, x1 - x0, y1 - y0, a->kind,
                     a->fate == FATE_DELIVERED ? 1 : a->fate == FATE_LOST ? 2 : 3 };
      double w[] = { lx, ly, ang, a->t_send, a->fate == FATE_DELIVERED ? a->t_end : NAN };

      tsv_row (data, G_N_ELEMENTS (v), v);
      g_string_append_printf (data, "\t%s\t", label);
      tsv_row (data, G_N_ELEMENTS (w), w);
      g_string_append_c (data, '\n');
    }
  }

  /* block 1: state names, pushed down so none overlaps the one above */
  for (guint i = 0; i < l.marks->len; i++) {
    const Mark *m = &g_array_index (l.marks, Mark, i);
    PlacedMark p = { 0, m->initial ? fr.ytop + 0.35 * delay : time_map (&map, m->t), m };

    p.y = p.y_true;
    g_array_append_val (placed, p);
  }
  g_array_sort (placed, compare_placed);
  g_string_append (data, "\n\nside\tx\ty\ty_line\tstate\ttime_s\tinitial\n");
  for (guint i = 0; i < placed->len; i++) {
    PlacedMark *p = &g_array_index (placed, PlacedMark, i);

    if (i > 0 && placed->len > 0) {
      const PlacedMark *prev = &g_array_index (placed, PlacedMark, i - 1);

      if (prev->m->client == p->m->client)
        p->y = MAX (p->y, prev->y + LABEL_PX / fr.px_per_y);
    }
    {
      double v[] = { p->m->client ? 0 : 1, p->m->client ? -0.025 : 1.025, p->y, p->y_true };

      tsv_row (data, G_N_ELEMENTS (v), v);
      g_string_append_printf (data, "\t%s\t", p->m->state);
      tsv_number (data, p->m->t);
      g_string_append_printf (data, "\t%d\n", p->m->initial);
    }
  }
  /* pushed-down names may need more room at the bottom */
  for (guint i = 0; i < placed->len; i++)
    fr.ybot = MAX (fr.ybot, g_array_index (placed, PlacedMark, i).y + 0.4 * delay);
  plot_px = (fr.ybot - fr.ytop) * fr.px_per_y;
  fr.height = (int) ceil (plot_px) + MARGIN_TOP + MARGIN_BOTTOM;

  /* block 2: the time lines, dotted across shortened gaps */
  g_string_append (data, "\n\nx\ty0\tdy\tdotted\n");
  for (guint side = 0; side < 2; side++) {
    double y = fr.ytop + 0.6 * delay;

    for (guint g = 0; g <= map.gaps->len; g++) {
      double y_end = g < map.gaps->len ? g_array_index (map.gaps, Gap, g).y0 : fr.ybot;
      double v[] = { side, y, y_end - y, 0 };

      tsv_row (data, 4, v);
      g_string_append_c (data, '\n');
      if (g < map.gaps->len) {
        const Gap *gap = &g_array_index (map.gaps, Gap, g);
        double w[] = { side, gap->y0, gap->y1 - gap->y0, 1 };

        tsv_row (data, 4, w);
        g_string_append_c (data, '\n');
        y = gap->y1;
      }
    }
  }

  /* block 3: what each shortened gap stands for */
  g_string_append (data, "\n\nx\ty\tlabel\n");
  for (guint g = 0; g < map.gaps->len; g++) {
    const Gap *gap = &g_array_index (map.gaps, Gap, g);
    double v[] = { 0.5, (gap->y0 + gap->y1) / 2 };

    tsv_row (data, 2, v);
    g_string_append_printf (data, "\t%.*f s later\n", MIN (decimals, 6), gap->seconds);
  }

  /* time tick labels: every event time, unless too close to the last one */
  g_array_sort (tick_t, compare_double);
  for (guint i = 0; i < tick_t->len; i++) {
    double t = g_array_index (tick_t, double, i), y = time_map (&map, t), px, py;

    to_px (&fr, 0, y, &px, &py);
    if (py - last_tick_px < LABEL_PX)
      continue;
    last_tick_px = py;
    g_array_append_val (tick_y, y);
    g_ptr_array_add (tick_labels, g_strdup_printf ("%.*f", decimals, t));
  }

  /* the files */
  base = g_strndup (out_file, (gsize) (dot - out_file));
  data_path = g_strconcat (base, ".ladder.tsv", NULL);
  gp_path = g_strconcat (base, ".gp", NULL);
  data_name = g_path_get_basename (data_path);
  out_name = g_path_get_basename (out_file);
  gp_name = g_path_get_basename (gp_path);
  title = ladder_title (segments_trace, l.conn);
  {
    g_autofree char *c = have_isn[0] ? g_strdup_printf ("%u", isn[0]) : g_strdup ("none sent");
    g_autofree char *sv = have_isn[1] ? g_strdup_printf ("%u", isn[1]) : g_strdup ("none sent");

    note = g_strdup_printf ("seq and ack relative to each side's ISN (client %s, server %s)",
                            c, sv);
  }
  client_title = endpoint_title ("client", l.client_end);
  server_title = endpoint_title ("server", l.server_end);

  {
    /* user-chosen names: a newline in them would end the comment */
    g_autofree char *out_c = synack_plot_escape_comment (out_name);
    g_autofree char *gp_c = synack_plot_escape_comment (gp_name);

    g_string_append_printf (script,
                            "# %s - written by \"synack ladder\".  Redraw with: gnuplot %s\n"
                            "# (from this directory).  The variables come first, then the\n"
                            "# templates plots/common.gp and plots/ladder.gp.\n",
                            out_c, gp_c);
  }
  synack_plot_script_set_string (script, "term", format);
  synack_plot_script_set_file (script, "out", out_name);
  synack_plot_script_set_file (script, "in", data_name);
  synack_plot_script_set_string (script, "title", title);
  synack_plot_script_set_string (script, "note", note);
  synack_plot_script_set_string (script, "client_title", client_title);
  synack_plot_script_set_string (script, "server_title", server_title);
  synack_plot_script_set_number (script, "width", LADDER_WIDTH);
  synack_plot_script_set_number (script, "height", fr.height);
  synack_plot_script_set_number (script, "xmin", fr.xmin);
  synack_plot_script_set_number (script, "xmax", fr.xmax);
  synack_plot_script_set_number (script, "ytop", fr.ytop);
  synack_plot_script_set_number (script, "ybot", fr.ybot);
  synack_plot_script_set_number (script, "lmargin_px", MARGIN_LEFT);
  synack_plot_script_set_number (script, "rmargin_px", MARGIN_RIGHT);
  synack_plot_script_set_number (script, "tmargin_px", MARGIN_TOP);
  synack_plot_script_set_number (script, "bmargin_px", fr.height - MARGIN_TOP - plot_px);
  synack_plot_script_set_number (script, "has_retrans", has_kind[KIND_RETRANS]);
  synack_plot_script_set_number (script, "has_copy", has_kind[KIND_COPY]);
  synack_plot_script_set_number (script, "has_loss", has_loss);
  synack_plot_script_set_strings (script, "tick_label",
                                  (const char *const *) tick_labels->pdata, tick_labels->len);
  g_string_append_printf (script, "array tick_y[%u] = [", MAX (tick_y->len, 1u));
  for (guint i = 0; i < tick_y->len; i++) {
    if (i)
      g_string_append (script, ", ");
    tsv_number (script, g_array_index (tick_y, double, i));
  }
  g_string_append (script, tick_y->len ? "]\n" : "0]\n");
  if (!synack_plot_script_append_templates (script, "ladder", error))
    goto out;
  if (!synack_text_write_atomic (data_path, data->str, (gssize) data->len, error))
    goto out;
  ok = synack_plot_write_and_run (gp_path, script, out_file, NULL, error);
out:
  if (map.t != NULL)
    time_map_clear (&map);
  ladder_clear (&l);
  return ok;
}
