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
 * The trace is read by ladder-read.c; synack_ladder_draw() then lays the
 * connection out (ladder_layout: the time axis, the frame, the data
 * blocks, the ticks) and writes the data file and the script
 * (ladder_write).  The data file is tab-separated: labels hold commas
 * ("SYN,ACK"), and gnuplot does not honour CSV quotes. */
#include "ladder.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gnuplot.h"
#include "ladder-trace.h"
#include "results.h"
#include "text.h"

#define LADDER_WIDTH   960
#define MARGIN_LEFT    110      /* px: the time tick labels */
#define MARGIN_RIGHT   20
#define MARGIN_TOP     120      /* px: title, the note, the host names */
#define MARGIN_BOTTOM  60       /* px: the key */
/* room beyond each time line, in line spacings */
#define LINE_PAD       0.24
#define PX_PER_DELAY   78.0     /* height of one typical one-way delay */
#define MIN_PLOT_PX    360
#define MAX_PLOT_PX    2600
#define LABEL_PX       17.0     /* one line of text */

/* ---- frame, labels and titles -------------------------------------------- */

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
arrow_label (const Arrow *a, const gboolean have_isn[2], const guint32 isn[2])
{
  GString *s = g_string_new (a->flags[0] ? a->flags : "(no flags)");
  guint own = a->from_client ? 0 : 1, peer = 1 - own;

  g_string_append_printf (s, " seq=%u",
                          have_isn[own] ? a->seq - isn[own] : a->seq);
  if (strstr (a->flags, "ACK") != NULL)
    g_string_append_printf (s, " ack=%u",
                            have_isn[peer] ? a->ack - isn[peer] : a->ack);
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
  return g_strdup_printf ("%s (host %.*s, port %s)", role,
                          (int) (colon - endpoint), endpoint, colon + 1);
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

/* ---- the layout ---------------------------------------------------------- */

/* The figure as laid out: where everything goes, as the data file says it. */
typedef struct {
  TimeMap    map;
  Frame      fr;
  double     delay;        /* the unit: the typical one-way delay */
  double     plot_px;      /* height of the plot area */
  int        decimals;     /* of the time labels */
  gboolean   has_kind[4];  /* Kind: which arrows the key lists */
  gboolean   has_loss;
  GArray    *tick_t;       /* double: every event time, for the ticks */
  GString   *data;         /* the .ladder.tsv text, blocks 0 to 3 */
  GArray    *tick_y;       /* double: the ticks kept, where they go */
  GPtrArray *tick_labels;  /* char*: and their text */
} Layout;

static void
layout_clear (Layout *lay)
{
  if (lay->map.t != NULL)
    ladder_time_map_clear (&lay->map);
  if (lay->tick_t)
    g_array_unref (lay->tick_t);
  if (lay->data)
    g_string_free (lay->data, TRUE);
  if (lay->tick_y)
    g_array_unref (lay->tick_y);
  if (lay->tick_labels)
    g_ptr_array_unref (lay->tick_labels);
}

/* The time axis (a knot per event) and the frame: fixed margins, a height
 * that follows the drawing. */
static void
layout_frame (Layout *lay, const Ladder *l)
{
  g_autoptr (GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  Frame *fr = &lay->fr;
  double delay;

  /* traces are written to the ns: a smaller unit (5e-324 s) is noise,
   * and 0 would divide by zero */
  delay = lay->delay = MAX (ladder_typical_delay (l), 1e-9);
  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);
    double mid = a->t_send + delay / 2;

    g_array_append_val (times, a->t_send);
    g_array_append_val (lay->tick_t, a->t_send);
    if (a->fate == FATE_DELIVERED) {
      g_array_append_val (times, a->t_end);
      g_array_append_val (lay->tick_t, a->t_end);
    } else {
      g_array_append_val (times, mid);    /* where the cross goes: no tick */
    }
    lay->has_kind[a->kind] = TRUE;
    lay->has_loss |= a->fate == FATE_LOST;
  }
  for (guint i = 0; i < l->marks->len; i++)
    if (!g_array_index (l->marks, Mark, i).initial) {
      g_array_append_val (times, g_array_index (l->marks, Mark, i).t);
      g_array_append_val (lay->tick_t, g_array_index (l->marks, Mark, i).t);
    }
  ladder_time_map_build (&lay->map, times, delay);

  fr->xmin = -LINE_PAD;
  fr->xmax = 1 + LINE_PAD;
  fr->ytop = -0.9 * delay;
  fr->ybot =
    g_array_index (lay->map.y, double, lay->map.y->len - 1) + 0.6 * delay;
  fr->px_per_x =
    (LADDER_WIDTH - MARGIN_LEFT - MARGIN_RIGHT) / (fr->xmax - fr->xmin);
  lay->plot_px = (fr->ybot - fr->ytop) * PX_PER_DELAY / delay;
  lay->plot_px = CLAMP (lay->plot_px, MIN_PLOT_PX, MAX_PLOT_PX);
  fr->px_per_y = lay->plot_px / (fr->ybot - fr->ytop);
  fr->height = (int) ceil (lay->plot_px) + MARGIN_TOP + MARGIN_BOTTOM;
  lay->decimals = decimals_for (delay);
}

/* Block 0: the arrows and their labels. */
static void
layout_arrows (Layout *lay, const Ladder *l)
{
  g_autoptr (GHashTable) client_sent =
    g_hash_table_new (g_double_hash, g_double_equal);
  g_autoptr (GHashTable) server_sent =
    g_hash_table_new (g_double_hash, g_double_equal);
  GHashTable *same_instant[2] = { client_sent, server_sent };
  const Frame *fr = &lay->fr;
  GString *data = lay->data;

  g_string_append (data, "x0\ty0\tdx\tdy\tkind\tfate\t"
                         "label\tlx\tly\tangle\tsent_s\tarrived_s\n");
  for (guint i = 0; i < l->arrows->len; i++) {
    const Arrow *a = &g_array_index (l->arrows, Arrow, i);
    g_autofree char *label = arrow_label (a, l->have_isn, l->isn);
    double x0 = a->from_client ? 0 : 1,
           y0 = ladder_time_map (&lay->map, a->t_send), x1, y1;
    double px0, py0, px1, py1, ang, lpx, lpy, lx, ly, shift = 0, side;

    if (a->fate == FATE_DELIVERED) {
      x1 = 1 - x0;
      y1 = ladder_time_map (&lay->map, a->t_end);
    } else {
      x1 = 0.5;
      y1 = ladder_time_map (&lay->map, a->t_send + lay->delay / 2);
    }
    /* earlier segments sent by this side at the same instant (counted in
     * a hash: a flood of ACKs can make one connection 10^5 segments) */
    {
      GHashTable *h = same_instant[a->from_client ? 0 : 1];
      guint before = GPOINTER_TO_UINT (g_hash_table_lookup (h, &a->t_send));

      shift = before * 1.2 * LABEL_PX / fr->px_per_y;
      g_hash_table_replace (h, (gpointer) &a->t_send,
                            GUINT_TO_POINTER (before + 1));
    }
    y0 =
      MIN (y0 + shift, y0 + MAX (0, (y1 - y0) - 2 * LABEL_PX / fr->px_per_y));
    to_px (fr, x0, y0, &px0, &py0);
    to_px (fr, x1, y1, &px1, &py1);
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
    from_px (fr, lpx, lpy, &lx, &ly);
    {
      double fate = a->fate == FATE_DELIVERED ? 1
                    : a->fate == FATE_LOST    ? 2 : 3;
      double v[] = { x0, y0, x1 - x0, y1 - y0, a->kind, fate };
      double w[] = { lx, ly, ang, a->t_send,
                     a->fate == FATE_DELIVERED ? a->t_end : NAN };

      tsv_row (data, G_N_ELEMENTS (v), v);
      g_string_append_printf (data, "\t%s\t", label);
      tsv_row (data, G_N_ELEMENTS (w), w);
      g_string_append_c (data, '\n');
    }
  }
}

/* Block 1: state names, pushed down so none overlaps the one above; the
 * frame grows to hold the pushed-down ones. */
static void
layout_marks (Layout *lay, const Ladder *l)
{
  g_autoptr (GArray) placed = g_array_new (FALSE, FALSE, sizeof (PlacedMark));
  Frame *fr = &lay->fr;
  GString *data = lay->data;

  for (guint i = 0; i < l->marks->len; i++) {
    const Mark *m = &g_array_index (l->marks, Mark, i);
    PlacedMark p = { 0, m->initial ? fr->ytop + 0.35 * lay->delay
                                   : ladder_time_map (&lay->map, m->t), m };

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
        p->y = MAX (p->y, prev->y + LABEL_PX / fr->px_per_y);
    }
    {
      double v[] = { p->m->client ? 0 : 1, p->m->client ? -0.025 : 1.025, p->y,
                     p->y_true };

      tsv_row (data, G_N_ELEMENTS (v), v);
      g_string_append_printf (data, "\t%s\t", p->m->state);
      tsv_number (data, p->m->t);
      g_string_append_printf (data, "\t%d\n", p->m->initial);
    }
  }
  /* pushed-down names may need more room at the bottom */
  for (guint i = 0; i < placed->len; i++)
    fr->ybot = MAX (fr->ybot,
                    g_array_index (placed, PlacedMark, i).y + 0.4 * lay->delay);
  lay->plot_px = (fr->ybot - fr->ytop) * fr->px_per_y;
  fr->height = (int) ceil (lay->plot_px) + MARGIN_TOP + MARGIN_BOTTOM;
}

/* Blocks 2 and 3: the time lines, dotted across shortened gaps, and what
 * each shortened gap stands for. */
static void
layout_time_lines (Layout *lay)
{
  const GArray *gaps = lay->map.gaps;
  GString *data = lay->data;

  g_string_append (data, "\n\nx\ty0\tdy\tdotted\n");
  for (guint side = 0; side < 2; side++) {
    double y = lay->fr.ytop + 0.6 * lay->delay;

    for (guint g = 0; g <= gaps->len; g++) {
      double y_end =
        g < gaps->len ? g_array_index (gaps, Gap, g).y0 : lay->fr.ybot;
      double v[] = { side, y, y_end - y, 0 };

      tsv_row (data, 4, v);
      g_string_append_c (data, '\n');
      if (g < gaps->len) {
        const Gap *gap = &g_array_index (gaps, Gap, g);
        double w[] = { side, gap->y0, gap->y1 - gap->y0, 1 };

        tsv_row (data, 4, w);
        g_string_append_c (data, '\n');
        y = gap->y1;
      }
    }
  }
  g_string_append (data, "\n\nx\ty\tlabel\n");
  for (guint g = 0; g < gaps->len; g++) {
    const Gap *gap = &g_array_index (gaps, Gap, g);
    double v[] = { 0.5, (gap->y0 + gap->y1) / 2 };

    tsv_row (data, 2, v);
    g_string_append_printf (data, "\t%.*f s later\n", MIN (lay->decimals, 6),
                            gap->seconds);
  }
}

/* Time tick labels: every event time, unless too close to the last one. */
static void
layout_ticks (Layout *lay)
{
  double last_tick_px = -INFINITY;

  g_array_sort (lay->tick_t, ladder_compare_double);
  for (guint i = 0; i < lay->tick_t->len; i++) {
    double t = g_array_index (lay->tick_t, double, i),
           y = ladder_time_map (&lay->map, t), px, py;

    to_px (&lay->fr, 0, y, &px, &py);
    if (py - last_tick_px < LABEL_PX)
      continue;
    last_tick_px = py;
    g_array_append_val (lay->tick_y, y);
    g_ptr_array_add (lay->tick_labels,
                     g_strdup_printf ("%.*f", lay->decimals, t));
  }
}

/* Lays out @l into @lay (zeroed); free with layout_clear(). */
static void
ladder_layout (Layout *lay, const Ladder *l)
{
  lay->tick_t = g_array_new (FALSE, FALSE, sizeof (double));
  lay->data = g_string_new (NULL);
  lay->tick_y = g_array_new (FALSE, FALSE, sizeof (double));
  lay->tick_labels = g_ptr_array_new_with_free_func (g_free);
  layout_frame (lay, l);
  layout_arrows (lay, l);
  layout_marks (lay, l);
  layout_time_lines (lay);
  layout_ticks (lay);
}

/* ---- writing the figure -------------------------------------------------- */

/* The script's variables: names, the frame, what the key lists, ticks. */
static void
script_variables (GString *script, const Ladder *l, const Layout *lay,
                  const char *trace, const char *format, const char *out_name,
                  const char *data_name)
{
  g_autofree char *title = ladder_title (trace, l->conn);
  g_autofree char *client_title = endpoint_title ("client", l->client_end);
  g_autofree char *server_title = endpoint_title ("server", l->server_end);
  g_autofree char *c = l->have_isn[0] ? g_strdup_printf ("%u", l->isn[0])
                                      : g_strdup ("none sent");
  g_autofree char *sv = l->have_isn[1] ? g_strdup_printf ("%u", l->isn[1])
                                       : g_strdup ("none sent");
  g_autofree char *note = g_strdup_printf ("seq and ack relative to each "
                                           "side's ISN (client %s, server %s)",
                                           c, sv);
  const Frame *fr = &lay->fr;

  synack_plot_script_set_string (script, "term", format);
  synack_plot_script_set_file (script, "out", out_name);
  synack_plot_script_set_file (script, "in", data_name);
  synack_plot_script_set_string (script, "title", title);
  synack_plot_script_set_string (script, "note", note);
  synack_plot_script_set_string (script, "client_title", client_title);
  synack_plot_script_set_string (script, "server_title", server_title);
  synack_plot_script_set_number (script, "width", LADDER_WIDTH);
  synack_plot_script_set_number (script, "height", fr->height);
  synack_plot_script_set_number (script, "xmin", fr->xmin);
  synack_plot_script_set_number (script, "xmax", fr->xmax);
  synack_plot_script_set_number (script, "ytop", fr->ytop);
  synack_plot_script_set_number (script, "ybot", fr->ybot);
  synack_plot_script_set_number (script, "lmargin_px", MARGIN_LEFT);
  synack_plot_script_set_number (script, "rmargin_px", MARGIN_RIGHT);
  synack_plot_script_set_number (script, "tmargin_px", MARGIN_TOP);
  synack_plot_script_set_number (script, "bmargin_px",
                                 fr->height - MARGIN_TOP - lay->plot_px);
  synack_plot_script_set_number (script, "has_retrans",
                                 lay->has_kind[KIND_RETRANS]);
  synack_plot_script_set_number (script, "has_copy", lay->has_kind[KIND_COPY]);
  synack_plot_script_set_number (script, "has_loss", lay->has_loss);
  synack_plot_script_set_strings (script, "tick_label",
                                  (const char *const *) lay->tick_labels->pdata,
                                  lay->tick_labels->len);
  g_string_append_printf (script, "array tick_y[%u] = [",
                          MAX (lay->tick_y->len, 1u));
  for (guint i = 0; i < lay->tick_y->len; i++) {
    if (i)
      g_string_append (script, ", ");
    tsv_number (script, g_array_index (lay->tick_y, double, i));
  }
  g_string_append (script, lay->tick_y->len ? "]\n" : "0]\n");
}

/* Writes BASE.ladder.tsv and BASE.gp beside @out_file (BASE.EXT), then
 * runs gnuplot to draw @out_file. */
static gboolean
ladder_write (const Ladder *l, const Layout *lay, const char *trace,
              const char *out_file, const char *format, GError **error)
{
  const char *dot = strrchr (out_file, '.');
  g_autofree char *base = g_strndup (out_file, (gsize) (dot - out_file));
  g_autofree char *data_path = g_strconcat (base, ".ladder.tsv", NULL);
  g_autofree char *gp_path = g_strconcat (base, ".gp", NULL);
  g_autofree char *data_name = g_path_get_basename (data_path);
  g_autofree char *out_name = g_path_get_basename (out_file);
  g_autofree char *gp_name = g_path_get_basename (gp_path);
  /* user-chosen names: a newline in them would end the comment */
  g_autofree char *out_c = synack_plot_escape_comment (out_name);
  g_autofree char *gp_c = synack_plot_escape_comment (gp_name);
  g_autoptr (GString) script = g_string_new (NULL);

  g_string_append_printf (
    script,
    "# %s - written by \"synack ladder\".  Redraw with: gnuplot %s\n"
    "# (from this directory).  The variables come first, then the\n"
    "# templates plots/common.gp and plots/ladder.gp.\n",
    out_c, gp_c);
  script_variables (script, l, lay, trace, format, out_name, data_name);
  if (!synack_plot_script_append_templates (script, "ladder", error) ||
      !synack_text_write_atomic (data_path, lay->data->str,
                                 (gssize) lay->data->len, error))
    return FALSE;
  return synack_plot_write_and_run (gp_path, script, out_file, NULL, error);
}

/* ---- drawing ------------------------------------------------------------- */

gboolean
synack_ladder_draw (const char *segments_trace, guint32 conn,
                    const char *out_file, GError **error)
{
  Ladder l = { 0 };
  Layout lay = { 0 };
  const char *dot, *format;
  gboolean ok = FALSE;

  g_return_val_if_fail (segments_trace != NULL && out_file != NULL, FALSE);
  dot = strrchr (out_file, '.');
  format = dot == NULL ? NULL : g_ascii_strcasecmp (dot, ".png") == 0 ? "png"
         : g_ascii_strcasecmp (dot, ".svg") == 0 ? "svg"
         : g_ascii_strcasecmp (dot, ".pdf") == 0 ? "pdf" : NULL;
  if (format == NULL || strchr (dot, G_DIR_SEPARATOR) != NULL) {
    g_set_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_BAD_FORMAT,
                 "%s: the output file must end in .png, .svg or .pdf",
                 out_file);
    return FALSE;
  }
  if (ladder_read (&l, segments_trace, conn, error)) {
    ladder_layout (&lay, &l);
    ok = ladder_write (&l, &lay, segments_trace, out_file, format, error);
  }
  layout_clear (&lay);
  ladder_clear (&l);
  return ok;
}
