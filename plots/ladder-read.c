/* SPDX-License-Identifier: GPL-3.0-or-later */
/* plots/ladder-read.c - reading one connection out of a segments trace
 * and the states trace beside it (see ladder-trace.h).
 *
 * Segments pair up by id: a send row, then a deliver (arrival time) or a
 * drop (same time) row with the same id; a duplicate row opens a link-made
 * copy under a new id.  A trace without ids pairs rows first in, first out
 * per (src, dst, flags, seq, ack, len).  Every cell is checked: traces are
 * user data, and a damaged one is an error naming its file and line. */
#include "ladder-trace.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "gnuplot.h"

void
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

/* ---- reading the traces -------------------------------------------------- */

/* Parses cell (@row, @col) as an unsigned integer <= @max. */
static gboolean
cell_uint (const SynackCsv *csv, guint row, int col, guint64 max, guint64 *out,
           GError **error)
{
  const char *text = synack_csv_cell (csv, row, (guint) col);
  char *end;

  *out = g_ascii_strtoull (text, &end, 10);
  if (text[0] == '\0' || *end != '\0' || !g_ascii_isdigit (text[0]) ||
      *out > max) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not a number from 0 to "
                 "%" G_GUINT64_FORMAT,
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
cell_word (const SynackCsv *csv, guint row, int col, const char *also,
           gsize min, const char *what, GError **error)
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
cell_host (const SynackCsv *csv, guint row, int col, guint *host,
           GError **error)
{
  const char *text = synack_csv_cell (csv, row, (guint) col);
  char *end, *port_end = NULL;
  guint64 v = g_ascii_strtoull (text, &end, 10);

  if (*end == ':' && g_ascii_isdigit (end[1]) &&
      g_ascii_strtoull (end + 1, &port_end, 10) <= 65535)
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
                 "9223372036.854775807 s",
                 csv->path, g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col],
                 synack_csv_cell (csv, row, (guint) col));
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

enum {
  C_TIME, C_CONN, C_SRC, C_DST, C_EVENT, C_FLAGS, C_SEQ, C_ACK, C_LEN,
  N_REQUIRED
};

static gboolean
read_segments (Ladder *l, const char *path, guint32 conn, GError **error)
{
  static const char *const required[N_REQUIRED] = {
    "time_s", "conn", "src", "dst", "event", "flags", "seq", "ack", "len",
  };
  g_autoptr (SynackCsv) csv =
    synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  /* id or fifo key -> arrow index (+1) or queue */
  g_autoptr (GHashTable) open = NULL;
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
  open =
    cid >= 0
      ? g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL)
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
        (cretrans >= 0 &&
         !cell_uint (csv, row, cretrans, G_MAXUINT16, &retrans, error)) ||
        !cell_word (csv, row, col[C_FLAGS], ",", 0,
                    "a list of TCP flags (e.g. SYN,ACK)", error))
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
        l->client_end =
          g_strdup (synack_csv_cell (csv, row, (guint) col[C_SRC]));
      if (!a.from_client && l->server_end == NULL)
        l->server_end =
          g_strdup (synack_csv_cell (csv, row, (guint) col[C_SRC]));
      if (a.from_client && l->server_end == NULL)
        l->server_end =
          g_strdup (synack_csv_cell (csv, row, (guint) col[C_DST]));
      if (cid >= 0) {
        g_hash_table_replace (open, g_steal_pointer (&key),
                              GUINT_TO_POINTER (index + 1));
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
                   "%s:%u: column event: \"%s\" is not send, drop, "
                   "deliver or duplicate",
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
                   "%s: no segment of connection %u (this trace has "
                   "connections %" G_GUINT64_FORMAT " to %"
                   G_GUINT64_FORMAT ")", path, conn, conn_min, conn_max);
    return FALSE;
  }
  l->conn = conn;
  return TRUE;
}

static gboolean
read_states (Ladder *l, const char *path, GError **error)
{
  static const char *const required[] = { "time_s", "conn", "role", "from",
                                          "to" };
  g_autoptr (SynackCsv) csv =
    synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
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

/* ISNs: the first SYN of each side (else its first segment). */
static void
find_isns (Ladder *l)
{
  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);
    guint side = a->from_client ? 0 : 1;

    if (!l->have_isn[side] && strstr (a->flags, "SYN") != NULL) {
      l->isn[side] = a->seq;
      l->have_isn[side] = TRUE;
    }
  }
  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);
    guint side = a->from_client ? 0 : 1;

    if (!l->have_isn[side]) {
      l->isn[side] = a->seq;
      l->have_isn[side] = TRUE;
    }
  }
}

gboolean
ladder_read (Ladder *l, const char *path, guint32 conn, GError **error)
{
  l->arrows = g_array_new (FALSE, FALSE, sizeof (Arrow));
  l->marks = g_array_new (FALSE, FALSE, sizeof (Mark));
  if (!read_segments (l, path, conn, error))
    return FALSE;
  if (g_str_has_suffix (path, "-segments.csv")) {
    gsize stem_len = strlen (path) - strlen ("-segments.csv");
    g_autofree char *stem = g_strndup (path, stem_len);
    g_autofree char *states_path = g_strconcat (stem, "-states.csv", NULL);

    if (g_file_test (states_path, G_FILE_TEST_EXISTS) &&
        !read_states (l, states_path, error))
      return FALSE;
  }
  find_isns (l);
  return TRUE;
}
