/* tests/test-plot.c - `synack plot` and `synack ladder`: every figure kind
 * drawn from the fixtures in tests/data/plot/ in every format, checked as
 * a real PNG (signature, IHDR size), SVG (well-formed XML, size, text) or
 * PDF (header, MediaBox, %%EOF); text that tries to run gnuplot or shell
 * commands drawn literally; and every error: a missing or malformed CSV
 * (naming file and line), a missing gnuplot (scripts and data still
 * written), gnuplot failing, a missing template, bad names.
 *
 * Fixtures are copied to a temporary directory first: `synack plot` writes
 * into DIR/plots, and the source tree may be read-only (distcheck).
 * Drawing rows are skipped when gnuplot is not installed. */
#include "plot.h"
#include "ladder.h"
#include "csv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <glib/gstdio.h>

static char *fixtures;     /* tests/data/plot */

/* ---- helpers -------------------------------------------------------------------- */

static void
copy_tree (const char *from, const char *to)
{
  g_autoptr (GDir) d = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  g_assert_cmpint (g_mkdir_with_parents (to, 0755), ==, 0);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *src = g_build_filename (from, name, NULL);
    g_autofree char *dst = g_build_filename (to, name, NULL);

    if (g_file_test (src, G_FILE_TEST_IS_DIR)) {
      copy_tree (src, dst);
    } else {
      g_autofree char *data = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (src, &data, &len, NULL));
      g_assert_true (g_file_set_contents (dst, data, (gssize) len, NULL));
    }
  }
}

static void
remove_tree (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR)) {
    g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *child = g_build_filename (path, name, NULL);

      remove_tree (child);
    }
    g_rmdir (path);
  } else {
    g_unlink (path);
  }
}

/* A scratch directory holding a copy of fixture @name (NULL: empty). */
static char *
scratch_new (const char *name)
{
  g_autoptr (GError) error = NULL;
  char *tmp = g_dir_make_tmp ("synack-plot-XXXXXX", &error);

  g_assert_no_error (error);
  if (name != NULL) {
    g_autofree char *src = g_build_filename (fixtures, name, NULL);

    copy_tree (src, tmp);
  }
  return tmp;
}

static gboolean
have_gnuplot (void)
{
  g_autofree char *g = synack_plot_find_gnuplot ();

  return g != NULL;
}

static gboolean
written_has (GPtrArray *written, const char *suffix)
{
  for (guint i = 0; i < written->len; i++)
    if (g_str_has_suffix (written->pdata[i], suffix))
      return TRUE;
  return FALSE;
}

/* The value of `NAME = N` in a generated script's preamble. */
static int
script_int (const char *gp_path, const char *name)
{
  g_autofree char *text = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s = ", name);
  const char *p;

  g_assert_true (g_file_get_contents (gp_path, &text, NULL, NULL));
  p = strstr (text, needle);
  g_assert_nonnull (p);
  return atoi (p + strlen (needle));
}

static guint32
be32 (const guchar *p)
{
  return (guint32) p[0] << 24 | (guint32) p[1] << 16 | (guint32) p[2] << 8 | p[3];
}

static void
check_png (const char *data, gsize len, int width, int height)
{
  static const guchar signature[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
  const guchar *p = (const guchar *) data;

  g_assert_cmpuint (len, >, 8 + 8 + 13);
  g_assert_cmpmem (p, 8, signature, 8);
  g_assert_cmpuint (be32 (p + 8), ==, 13);          /* IHDR comes first */
  g_assert_cmpmem (p + 12, 4, "IHDR", 4);
  g_assert_cmpuint (be32 (p + 16), ==, (guint32) width);
  g_assert_cmpuint (be32 (p + 20), ==, (guint32) height);
}

typedef struct {
  int      depth;
  gboolean root_ok;
  char    *width, *height;
  GString *text;
} SvgScan;

static void
svg_start (GMarkupParseContext *ctx, const char *element, const char **names,
           const char **values, gpointer user_data, GError **error)
{
  SvgScan *s = user_data;

  if (s->depth++ == 0) {
    s->root_ok = strcmp (element, "svg") == 0;
    for (guint i = 0; names[i] != NULL; i++) {
      if (strcmp (names[i], "width") == 0)
        s->width = g_strdup (values[i]);
      if (strcmp (names[i], "height") == 0)
        s->height = g_strdup (values[i]);
    }
  }
}

static void
svg_end (GMarkupParseContext *ctx, const char *element, gpointer user_data, GError **error)
{
  ((SvgScan *) user_data)->depth--;
}

static void
svg_text (GMarkupParseContext *ctx, const char *text, gsize len, gpointer user_data,
          GError **error)
{
  g_string_append_len (((SvgScan *) user_data)->text, text, (gssize) len);
  g_string_append_c (((SvgScan *) user_data)->text, '\n');
}

/* Parses @data as XML; returns its text content (transfer full). */
static char *
check_svg (const char *data, gsize len, int width, int height)
{
  static const GMarkupParser parser = { svg_start, svg_end, svg_text, NULL, NULL };
  SvgScan s = { 0, FALSE, NULL, NULL, g_string_new (NULL) };
  g_autoptr (GMarkupParseContext) ctx = g_markup_parse_context_new (&parser, 0, &s, NULL);
  g_autoptr (GError) error = NULL;
  g_autofree char *w = g_strdup_printf ("%d", width), *h = g_strdup_printf ("%d", height);

  g_assert_true (g_markup_parse_context_parse (ctx, data, (gssize) len, &error) &&
                 g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_assert_true (s.root_ok);
  g_assert_cmpstr (s.width, ==, w);
  g_assert_cmpstr (s.height, ==, h);
  g_free (s.width);
  g_free (s.height);
  return g_string_free (s.text, FALSE);
}

/* strstr over binary data (PDF streams hold NUL bytes). */
static const char *
find_bytes (const char *data, gsize len, const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= len; i++)
    if (memcmp (data + i, needle, n) == 0)
      return data + i;
  return NULL;
}

static void
check_pdf (const char *data, gsize len, int width, int height)
{
  const char *box;
  double w, h;

  g_assert_cmpuint (len, >, 64);
  g_assert_true (g_str_has_prefix (data, "%PDF-"));
  g_assert_nonnull (find_bytes (data + len - 32, 32, "%%EOF"));
  /* 96 px per inch, 72 pt per inch */
  box = find_bytes (data, len, "/MediaBox [");
  g_assert_nonnull (box);
  g_assert_cmpint (sscanf (box, "/MediaBox [ 0 0 %lf %lf", &w, &h), ==, 2);
  g_assert_cmpfloat_with_epsilon (w, width * 0.75, 1.0);
  g_assert_cmpfloat_with_epsilon (h, height * 0.75, 1.0);
}

/* Checks @path is a valid figure of @format; returns the SVG text or NULL. */
static char *
check_figure (const char *path, const char *format, int width, int height)
{
  g_autofree char *data = NULL;
  gsize len;

  g_assert_true (g_file_get_contents (path, &data, &len, NULL));
  if (strcmp (format, "png") == 0)
    check_png (data, len, width, height);
  else if (strcmp (format, "svg") == 0)
    return check_svg (data, len, width, height);
  else
    check_pdf (data, len, width, height);
  return NULL;
}

/* ---- every figure kind in every format --------------------------------------------- */

typedef struct {
  const char *path;
  const char *fixture;     /* directory under tests/data/plot */
  const char *figure;      /* figure name, or the conn to ladder ("ladder") */
  const char *format;
  const char *data_head;   /* how the data file starts */
} FigureCase;

static const FigureCase figure_cases[] = {
  /* path                         fixture   figure       format data starts with */
  { "/plot/latency/png",          "sweep",  "latency",   "png", "x,mean_s,ci95_lo_s" },
  { "/plot/latency/svg",          "sweep",  "latency",   "svg", "x,mean_s,ci95_lo_s" },
  { "/plot/latency/pdf",          "sweep",  "latency",   "pdf", "x,mean_s,ci95_lo_s" },
  { "/plot/failures/png",         "sweep",  "failures",  "png", "x,x_label,failed_pct" },
  { "/plot/failures/svg",         "sweep",  "failures",  "svg", "x,x_label,failed_pct" },
  { "/plot/failures/pdf",         "sweep",  "failures",  "pdf", "x,x_label,failed_pct" },
  { "/plot/cdf/png",              "sweep",  "cdf",       "png", "latency_s,fraction" },
  { "/plot/cdf/svg",              "sweep",  "cdf",       "svg", "latency_s,fraction" },
  { "/plot/cdf/pdf",              "sweep",  "cdf",       "pdf", "latency_s,fraction" },
  { "/plot/cdf/single-point",     "single", "cdf",       "png", "latency_s,fraction" },
  { "/plot/occupancy/png",        "sweep",  "occupancy", "png", "time_s,SYN_SENT" },
  { "/plot/occupancy/svg",        "sweep",  "occupancy", "svg", "time_s,SYN_SENT" },
  { "/plot/occupancy/pdf",        "sweep",  "occupancy", "pdf", "time_s,SYN_SENT" },
  { "/plot/occupancy/single-point", "single", "occupancy", "png", "time_s,SYN_SENT" },
  { "/plot/teardown/png",         "sweep",  "teardown",  "png", "x,mean_s,ci95_lo_s" },
  { "/plot/teardown/svg",         "sweep",  "teardown",  "svg", "x,mean_s,ci95_lo_s" },
  { "/plot/teardown/pdf",         "sweep",  "teardown",  "pdf", "x,mean_s,ci95_lo_s" },
};

static void
test_figure (gconstpointer data)
{
  const FigureCase *tc = data;
  g_autofree char *dir = NULL, *out = NULL, *gp = NULL, *csv = NULL, *head = NULL;
  g_autofree char *svg_text = NULL, *gp_text = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (tc->fixture);
  g_assert_true (synack_plot_dir (dir, tc->format, tc->figure, written, &error));
  g_assert_no_error (error);

  out = g_strdup_printf ("%s/plots/%s.%s", dir, tc->figure, tc->format);
  gp = g_strdup_printf ("%s/plots/%s.gp", dir, tc->figure);
  csv = g_strdup_printf ("%s/plots/%s.csv", dir, tc->figure);
  g_assert_cmpuint (written->len, ==, 3);
  for (guint i = 0; i < written->len; i++)
    g_assert_true (g_file_test (written->pdata[i], G_FILE_TEST_IS_REGULAR));
  g_assert_true (written_has (written, out) && written_has (written, gp) &&
                 written_has (written, csv));

  /* the figure has the size the script sets, and that is the standard one */
  g_assert_cmpint (script_int (gp, "width"), ==, SYNACK_PLOT_WIDTH);
  g_assert_cmpint (script_int (gp, "height"), ==, SYNACK_PLOT_HEIGHT);
  svg_text = check_figure (out, tc->format, SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT);
  if (svg_text != NULL)
    g_assert_nonnull (strstr (svg_text, tc->fixture[1] == 'w' ? "two-way-vs-three-way: "
                                                              : "single: "));
  /* the data file is the one the script reads */
  g_assert_true (g_file_get_contents (csv, &head, NULL, NULL));
  g_assert_true (g_str_has_prefix (head, tc->data_head));
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\n# ---- plots/common.gp ----\n"));
  remove_tree (dir);
}

/* All figures at once: what `synack plot DIR` does. */
static void
test_plot_all (void)
{
  static const char *const names[] = { "latency", "failures", "cdf", "occupancy", "teardown" };
  g_autofree char *dir = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new ("sweep");
  g_assert_true (synack_plot_dir (dir, NULL, NULL, written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 3 * G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *png = g_strdup_printf ("%s/plots/%s.png", dir, names[i]);

    g_assert_true (written_has (written, png));
    g_free (check_figure (png, "png", SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT));
  }
  remove_tree (dir);
}

/* A results directory without a sweep: only the CDF and occupancy make
 * sense; the others are skipped, not errors. */
static void
test_plot_single (void)
{
  g_autofree char *dir = NULL;
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new ("single");
  g_assert_true (synack_plot_dir (dir, "svg", NULL, written, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (written->len, ==, 6);
  g_assert_true (written_has (written, "/plots/cdf.svg"));
  g_assert_true (written_has (written, "/plots/occupancy.svg"));
  g_assert_false (written_has (written, "/plots/latency.svg"));
  remove_tree (dir);
}

/* ---- ladders ----------------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *trace;      /* under tests/data/plot/ladder */
  guint32     conn;
  const char *format;
  const char *label;      /* a segment label the figure must show */
} LadderCase;

static const LadderCase ladder_cases[] = {
  /* path                          trace                      conn format label */
  { "/ladder/clean/png",           "clean-segments.csv",       1, "png", NULL },
  { "/ladder/clean/svg",           "clean-segments.csv",       1, "svg", "SYN,ACK seq=0 ack=1" },
  { "/ladder/clean/pdf",           "clean-segments.csv",       1, "pdf", NULL },
  { "/ladder/clean/first-conn",    "clean-segments.csv",       0, "svg",
    "FIN,ACK seq=101 ack=1" },
  { "/ladder/lost-synack/png",     "lost-synack-segments.csv", 1, "png", NULL },
  { "/ladder/lost-synack/svg",     "lost-synack-segments.csv", 1, "svg",
    "SYN,ACK seq=0 ack=1 (retransmission)" },
  { "/ladder/lost-synack/pdf",     "lost-synack-segments.csv", 1, "pdf", NULL },
};

static void
test_ladder (gconstpointer data)
{
  const LadderCase *tc = data;
  g_autofree char *dir = NULL, *trace = NULL, *out = NULL, *gp = NULL, *tsv = NULL;
  g_autofree char *svg_text = NULL, *tsv_text = NULL, *figures = NULL;
  g_autoptr (GError) error = NULL;
  int width, height;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new ("ladder");
  trace = g_build_filename (dir, tc->trace, NULL);
  figures = g_build_filename (dir, "figures", NULL);
  out = g_strdup_printf ("%s/ladder.%s", figures, tc->format);
  gp = g_strdup_printf ("%s/ladder.gp", figures);
  tsv = g_strdup_printf ("%s/ladder.ladder.tsv", figures);
  g_assert_cmpint (g_mkdir_with_parents (figures, 0755), ==, 0);
  g_assert_true (synack_ladder_draw (trace, tc->conn, out, &error));
  g_assert_no_error (error);

  width = script_int (gp, "width");
  height = script_int (gp, "height");
  g_assert_cmpint (width, ==, 960);
  g_assert_cmpint (height, >=, 400);
  svg_text = check_figure (out, tc->format, width, height);
  /* the state names beside the lines, and only connection 1's segments */
  g_assert_true (g_file_get_contents (tsv, &tsv_text, NULL, NULL));
  g_assert_nonnull (strstr (tsv_text, "\tSYN_SENT\t"));
  g_assert_nonnull (strstr (tsv_text, "\tTIME_WAIT\t"));
  g_assert_nonnull (strstr (tsv_text, "\tLAST_ACK\t"));
  g_assert_null (strstr (tsv_text, "40001"));
  if (strstr (tc->trace, "lost") != NULL)
    g_assert_nonnull (strstr (tsv_text, "\t1\t2\tSYN,ACK seq=0 ack=1\t"));  /* first, lost */
  if (svg_text != NULL) {
    g_assert_nonnull (strstr (svg_text, "SYN seq=0"));
    g_assert_nonnull (strstr (svg_text, "ESTABLISHED"));
    g_assert_nonnull (strstr (svg_text, "client (host 1, port 40000)"));
    g_assert_nonnull (strstr (svg_text, "s later"));             /* a shortened gap */
    if (tc->label != NULL)
      g_assert_nonnull (strstr (svg_text, tc->label));
  }
  remove_tree (dir);
}

/* ---- escaping: text is drawn literally, never run ----------------------------------- */

typedef struct {
  const char *path;
  const char *text;
  const char *escaped;
} EscapeCase;

static const EscapeCase escape_cases[] = {
  { "/plot/escape/plain",       "tcp3way at 5 %",     "tcp3way at 5 %" },
  { "/plot/escape/quote",       "say \"hi\"",         "say \\\"hi\\\"" },
  { "/plot/escape/backslash",   "a\\b\\",             "a\\\\b\\\\" },
  { "/plot/escape/backquote",   "`touch x`",          "\\140touch x\\140" },
  { "/plot/escape/macro",       "@title @@",          "\\100title \\100\\100" },
  { "/plot/escape/newline",     "two\nlines",         "two\\nlines" },
  { "/plot/escape/tab-cr",      "a\tb\rc",            "a\\tb\\015c" },
  { "/plot/escape/utf8",        "état ≤ 1 s",         "état ≤ 1 s" },
  { "/plot/escape/bad-utf8",    "a\xff" "b",          "a\xef\xbf\xbd" "b" },
  { "/plot/escape/end-string",  "\"; system(\"id\"); x=\"", "\\\"; system(\\\"id\\\"); x=\\\"" },
};

static void
test_escape (gconstpointer data)
{
  const EscapeCase *tc = data;
  g_autofree char *got = synack_plot_escape (tc->text);

  g_assert_cmpstr (got, ==, tc->escaped);
}

/* gnuplot itself reads the escaped strings back as the original text and
 * runs nothing. */
static void
test_escape_roundtrip (void)
{
  static const char *const hostile[] = {
    "plain",
    "quote \" and 'single'",
    "`touch PWNED`",
    "$(touch PWNED) system(\"touch PWNED\")",
    "@PWNED_MACRO and @@",
    "back\\slash at end\\",
    "semi; print \"INJECTED\" # hash",
    "two\nlines",
  };
  g_autofree char *dir = NULL, *gp = NULL, *got = NULL, *pwned = NULL, *printed = NULL;
  g_autoptr (GString) script = g_string_new ("PWNED_MACRO = \"expanded\"\n"
                                             "set print \"roundtrip.txt\"\n");
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (NULL);
  gp = g_build_filename (dir, "roundtrip.gp", NULL);
  pwned = g_build_filename (dir, "PWNED", NULL);
  printed = g_build_filename (dir, "roundtrip.txt", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hostile); i++) {
    synack_plot_script_set_string (script, "v", hostile[i]);
    g_string_append (script, "print v\n");
    g_string_append_printf (expected, "%s\n", hostile[i]);
  }
  g_string_append (script, "set print\n");
  g_assert_true (g_file_set_contents (gp, script->str, -1, NULL));
  g_assert_true (synack_plot_run_gnuplot (gp, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (printed, &got, NULL, NULL));
  g_assert_cmpstr (got, ==, expected->str);
  g_assert_false (g_file_test (pwned, G_FILE_TEST_EXISTS));
  remove_tree (dir);
}

/* An experiment name full of gnuplot syntax becomes the figure's title,
 * literally, and nothing runs. */
static void
test_hostile_title (void)
{
  g_autofree char *dir = NULL, *config = NULL, *name = NULL, *pwned1 = NULL, *pwned2 = NULL;
  g_autofree char *svg = NULL, *text = NULL, *gp_text = NULL, *expected = NULL, *gp = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  gsize len;
  const char *pre;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new ("sweep");
  pwned1 = g_build_filename (dir, "pwned1", NULL);
  pwned2 = g_build_filename (dir, "pwned2", NULL);
  name = g_strdup_printf ("evil \"quoted\" 'single' `touch %s` system(\"touch %s\") "
                          "@title @@ \\\" {^_&~} ; # end", pwned1, pwned2);
  config = g_build_filename (dir, "config.ini", NULL);
  g_assert_true (g_key_file_load_from_file (kf, config, G_KEY_FILE_KEEP_COMMENTS, NULL));
  g_key_file_set_string (kf, "experiment", "name", name);
  g_assert_true (g_key_file_save_to_file (kf, config, NULL));

  g_assert_true (synack_plot_dir (dir, "svg", "latency", written, &error));
  g_assert_no_error (error);
  g_assert_false (g_file_test (pwned1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (pwned2, G_FILE_TEST_EXISTS));
  svg = g_build_filename (dir, "plots", "latency.svg", NULL);
  text = check_figure (svg, "svg", SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT);
  expected = g_strdup_printf ("%s: handshake latency", name);
  g_assert_nonnull (strstr (text, expected));
  /* the script holds no raw backquote at all */
  gp = g_build_filename (dir, "plots", "latency.gp", NULL);
  g_assert_true (g_file_get_contents (gp, &gp_text, &len, NULL));
  g_assert_null (memchr (gp_text, '`', len));
  pre = strstr (gp_text, "\ntitle = \"");
  g_assert_nonnull (pre);
  remove_tree (dir);
}

/* ---- errors ------------------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *fixture;    /* NULL: an empty directory */
  const char *only;
  const char *format;
  GQuark    (*domain) (void);
  int         code;
  const char *message;    /* a part of the message, after DIR/ */
} ErrorCase;

static const ErrorCase error_cases[] = {
  { "/plot/error/missing-summary", NULL, NULL, "png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_IO, "summary.csv" },
  { "/plot/error/summary-cells", "bad-cells", NULL, "png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_SYNTAX, "summary.csv:3: 3 cells, the header has 5" },
  { "/plot/error/summary-number", "bad-number", NULL, "png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_VALUE,
    "summary.csv:3: column handshake_mean_s_mean: \"abc\" is not a number" },
  { "/plot/error/unknown-figure", "sweep", "latncy", "png", synack_plot_error_quark,
    SYNACK_PLOT_ERROR_BAD_FORMAT, "unknown figure \"latncy\"" },
  { "/plot/error/unknown-format", "sweep", NULL, "jpg", synack_plot_error_quark,
    SYNACK_PLOT_ERROR_BAD_FORMAT, "unknown format \"jpg\"" },
  { "/plot/error/figure-without-data", "single", "latency", "png", synack_plot_error_quark,
    SYNACK_PLOT_ERROR_NO_DATA, "cannot draw latency: no sweep" },
};

static void
test_error (gconstpointer data)
{
  const ErrorCase *tc = data;
  g_autofree char *dir = scratch_new (tc->fixture);
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_plot_dir (dir, tc->format, tc->only, written, &error));
  g_assert_error (error, tc->domain (), tc->code);
  g_assert_nonnull (strstr (error->message, tc->message));
  if (tc->code != SYNACK_PLOT_ERROR_BAD_FORMAT)
    g_assert_nonnull (strstr (error->message, dir));   /* the file is named in full */
  g_assert_cmpuint (written->len, ==, 0);
  remove_tree (dir);
}

static void
test_error_suggestion (void)
{
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_plot_dir ("/nonexistent", "png", "occupncy", NULL, &error));
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_BAD_FORMAT);
  g_assert_nonnull (strstr (error->message, "did you mean \"occupancy\"?"));
}

/* GNUPLOT=/nonexistent: the error says which package to install, and the
 * scripts and data are written all the same. */
static void
test_no_gnuplot (void)
{
  static const char *const names[] = { "latency", "failures", "cdf", "occupancy", "teardown" };
  g_autofree char *dir = scratch_new ("sweep");
  g_autoptr (GPtrArray) written = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GError) error = NULL;
  g_autofree char *old = g_strdup (g_getenv ("GNUPLOT"));

  g_setenv ("GNUPLOT", "/nonexistent", TRUE);
  g_assert_false (synack_plot_dir (dir, "png", NULL, written, &error));
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
  g_assert_nonnull (strstr (error->message, "gnuplot-nox"));
  g_assert_nonnull (strstr (error->message, "/nonexistent"));
  g_assert_cmpuint (written->len, ==, 2 * G_N_ELEMENTS (names));
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *gp = g_strdup_printf ("%s/plots/%s.gp", dir, names[i]);
    g_autofree char *csv = g_strdup_printf ("%s/plots/%s.csv", dir, names[i]);
    g_autofree char *png = g_strdup_printf ("%s/plots/%s.png", dir, names[i]);

    g_assert_true (g_file_test (gp, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (csv, G_FILE_TEST_IS_REGULAR));
    g_assert_false (g_file_test (png, G_FILE_TEST_EXISTS));
  }

  /* the ladder too */
  {
    g_autofree char *ldir = scratch_new ("ladder");
    g_autofree char *trace = g_build_filename (ldir, "clean-segments.csv", NULL);
    g_autofree char *out = g_build_filename (ldir, "clean.png", NULL);
    g_autofree char *gp = g_build_filename (ldir, "clean.gp", NULL);
    g_autofree char *tsv = g_build_filename (ldir, "clean.ladder.tsv", NULL);
    g_autoptr (GError) lerror = NULL;

    g_assert_false (synack_ladder_draw (trace, 1, out, &lerror));
    g_assert_error (lerror, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
    g_assert_nonnull (strstr (lerror->message, "gnuplot-nox"));
    g_assert_true (g_file_test (gp, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_test (tsv, G_FILE_TEST_IS_REGULAR));
    remove_tree (ldir);
  }
  if (old != NULL)
    g_setenv ("GNUPLOT", old, TRUE);
  else
    g_unsetenv ("GNUPLOT");
  remove_tree (dir);
}

/* A script gnuplot rejects: the error carries gnuplot's own message. */
static void
test_gnuplot_failed (void)
{
  g_autofree char *dir = NULL, *gp = NULL;
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (NULL);
  gp = g_build_filename (dir, "broken.gp", NULL);
  g_assert_true (g_file_set_contents (gp, "set nosuchoption 42\n", -1, NULL));
  g_assert_false (synack_plot_run_gnuplot (gp, &error));
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_GNUPLOT_FAILED);
  g_assert_nonnull (strstr (error->message, "broken.gp"));
  g_assert_nonnull (strstr (error->message, "line 1"));
  remove_tree (dir);
}

static void
test_template_missing (void)
{
  g_autofree char *dir = scratch_new ("sweep");
  g_autofree char *old = g_strdup (g_getenv ("SYNACK_PLOTS_DIR"));
  g_autoptr (GError) error = NULL;

  g_setenv ("SYNACK_PLOTS_DIR", "/nonexistent/plots", TRUE);
  g_assert_false (synack_plot_dir (dir, "png", "latency", NULL, &error));
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "common.gp"));
  g_assert_nonnull (strstr (error->message, "/nonexistent/plots"));
  if (old != NULL)
    g_setenv ("SYNACK_PLOTS_DIR", old, TRUE);
  else
    g_unsetenv ("SYNACK_PLOTS_DIR");
  remove_tree (dir);
}

typedef struct {
  const char *path;
  const char *trace;      /* under tests/data/plot/ladder */
  guint32     conn;
  const char *out;
  GQuark    (*domain) (void);
  int         code;
  const char *message;
} LadderErrorCase;

static const LadderErrorCase ladder_error_cases[] = {
  { "/ladder/error/missing-trace", "nosuch-segments.csv", 1, "x.png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_IO, "nosuch-segments.csv" },
  { "/ladder/error/bad-value", "bad-segments.csv", 1, "x.png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_VALUE, "bad-segments.csv:3: column seq: \"1000x\"" },
  { "/ladder/error/no-such-conn", "clean-segments.csv", 99, "x.png", synack_plot_error_quark,
    SYNACK_PLOT_ERROR_NO_DATA,
    "no segment of connection 99 (this trace has connections 1 to 2)" },
  { "/ladder/error/extension", "clean-segments.csv", 1, "x.jpg", synack_plot_error_quark,
    SYNACK_PLOT_ERROR_BAD_FORMAT, "must end in .png, .svg or .pdf" },
  /* found by tests/fuzz (regressions/ladder): 1e308 s made the height NaN */
  { "/ladder/error/huge-time", "huge-time-segments.csv", 1, "x.png", synack_csv_error_quark,
    SYNACK_CSV_ERROR_VALUE,
    "huge-time-segments.csv:3: column time_s: \"1e308\" is not a time from 0 to" },
};

static void
test_ladder_error (gconstpointer data)
{
  const LadderErrorCase *tc = data;
  g_autofree char *dir = scratch_new ("ladder");
  g_autofree char *trace = g_build_filename (dir, tc->trace, NULL);
  g_autofree char *out = g_build_filename (dir, tc->out, NULL);
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_ladder_draw (trace, tc->conn, out, &error));
  g_assert_error (error, tc->domain (), tc->code);
  g_assert_nonnull (strstr (error->message, tc->message));
  remove_tree (dir);
}

/* Traces that draw, at the edges of the time axis: the script's height
 * must be a real size, whether or not gnuplot is there to draw it. */
typedef struct {
  const char *path;
  const char *trace;      /* under tests/data/plot/ladder */
} LadderEdgeCase;

static const LadderEdgeCase ladder_edge_cases[] = {
  /* found by tests/fuzz (regressions/ladder): a delay of 5e-324 s gave an
   * infinite height (the int conversion is undefined) */
  { "/ladder/edge/tiny-time", "tiny-time-segments.csv" },
};

static void
test_ladder_edge (gconstpointer data)
{
  const LadderEdgeCase *tc = data;
  g_autofree char *dir = scratch_new ("ladder");
  g_autofree char *trace = g_build_filename (dir, tc->trace, NULL);
  g_autofree char *out = g_build_filename (dir, "x.svg", NULL);
  g_autofree char *gp = g_build_filename (dir, "x.gp", NULL);
  g_autoptr (GError) error = NULL;

  if (!synack_ladder_draw (trace, 1, out, &error))
    g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
  g_assert_cmpint (script_int (gp, "height"), >=, 400);
  g_assert_cmpint (script_int (gp, "height"), <=, 4000);
  remove_tree (dir);
}

int
main (int argc, char **argv)
{
  const char *srcdir = g_getenv ("SYNACK_TEST_SRCDIR");
  const char *top = g_getenv ("SYNACK_TEST_TOP_SRCDIR");
  int status;

  g_test_init (&argc, &argv, NULL);
  fixtures = g_build_filename (srcdir != NULL ? srcdir : ".", "data", "plot", NULL);
  if (g_getenv ("SYNACK_PLOTS_DIR") == NULL && top != NULL) {
    g_autofree char *plots = g_build_filename (top, "plots", NULL);

    g_setenv ("SYNACK_PLOTS_DIR", plots, TRUE);
  }

  for (guint i = 0; i < G_N_ELEMENTS (figure_cases); i++)
    g_test_add_data_func (figure_cases[i].path, &figure_cases[i], test_figure);
  g_test_add_func ("/plot/all/png", test_plot_all);
  g_test_add_func ("/plot/all/single-point", test_plot_single);
  for (guint i = 0; i < G_N_ELEMENTS (ladder_cases); i++)
    g_test_add_data_func (ladder_cases[i].path, &ladder_cases[i], test_ladder);
  for (guint i = 0; i < G_N_ELEMENTS (escape_cases); i++)
    g_test_add_data_func (escape_cases[i].path, &escape_cases[i], test_escape);
  g_test_add_func ("/plot/escape/gnuplot-roundtrip", test_escape_roundtrip);
  g_test_add_func ("/plot/escape/hostile-title", test_hostile_title);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    g_test_add_data_func (error_cases[i].path, &error_cases[i], test_error);
  g_test_add_func ("/plot/error/suggestion", test_error_suggestion);
  g_test_add_func ("/plot/error/no-gnuplot", test_no_gnuplot);
  g_test_add_func ("/plot/error/gnuplot-failed", test_gnuplot_failed);
  g_test_add_func ("/plot/error/template-missing", test_template_missing);
  for (guint i = 0; i < G_N_ELEMENTS (ladder_error_cases); i++)
    g_test_add_data_func (ladder_error_cases[i].path, &ladder_error_cases[i], test_ladder_error);
  for (guint i = 0; i < G_N_ELEMENTS (ladder_edge_cases); i++)
    g_test_add_data_func (ladder_edge_cases[i].path, &ladder_edge_cases[i], test_ladder_edge);

  status = g_test_run ();
  g_free (fixtures);
  return status;
}
