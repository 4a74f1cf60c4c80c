/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-plot.c - `synack plot` and `synack ladder`: every figure kind
 * drawn from the fixtures in tests/data/plot/ in every format, checked as
 * a real PNG (signature, IHDR size), SVG (well-formed XML, size, text) or
 * PDF (header, MediaBox, %%EOF); text that tries to run gnuplot or shell
 * commands drawn literally, in every gnuplot context (a table per escaping
 * helper, gnuplot round trips, and `synack plot` / `synack ladder` run
 * with hostile names, titles, sweep keys and values); 10^5 sweep points
 * and 10^6 samples in linear time; and every error: a missing or
 * malformed CSV (naming file and line), a table of damaged results and
 * traces (exit status, never a crash, and the words of the message), a
 * missing gnuplot (scripts and data still written), gnuplot failing, a
 * missing template, bad names.
 *
 * Fixtures are copied to a temporary directory first: `synack plot` writes
 * into DIR/plots, and the source tree may be read-only (distcheck).
 * Drawing rows are skipped when gnuplot is not installed. */
#include "plot.h"
#include "ladder.h"
#include "csv.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <glib/gstdio.h>

static char *fixtures;     /* tests/data/plot */
static char *synack_bin;   /* experiments/synack of the build tree */

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
  { "/plot/ccdf/png",             "sweep",  "ccdf",      "png", "latency_s,ccdf" },
  { "/plot/ccdf/svg",             "sweep",  "ccdf",      "svg", "latency_s,ccdf" },
  { "/plot/ccdf/pdf",             "sweep",  "ccdf",      "pdf", "latency_s,ccdf" },
  { "/plot/ccdf/single-point",    "single", "ccdf",      "png", "latency_s,ccdf" },
  { "/plot/counts/png",           "sweep",  "counts",    "png", "x,stale_accepted_mean" },
  { "/plot/counts/svg",           "sweep",  "counts",    "svg", "x,stale_accepted_mean" },
  { "/plot/counts/pdf",           "sweep",  "counts",    "pdf", "x,stale_accepted_mean" },
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
  static const char *const names[] = { "latency", "failures", "cdf", "ccdf", "occupancy",
                                       "teardown", "counts" };
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
  g_assert_cmpuint (written->len, ==, 9);
  g_assert_true (written_has (written, "/plots/cdf.svg"));
  g_assert_true (written_has (written, "/plots/ccdf.svg"));
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
  { "/plot/escape/newline-system", "x\nsystem(\"touch X\")", "x\\nsystem(\\\"touch X\\\")" },
  { "/plot/escape/bang",        "\n!touch X",         "\\n!touch X" },
  /* the terminals are noenhanced: markup needs no escape, and the
   * hostile-title tests check it prints as itself */
  { "/plot/escape/enhanced",    "{a}^b_c&d~e",        "{a}^b_c&d~e" },
};

/* A gnuplot comment runs to the end of its line, and a backslash there
 * carries it onto the next (gnuplot 5.4 "help comments"). */
static const EscapeCase comment_cases[] = {
  { "/plot/escape-comment/plain",     "latency.gp - from x",   "latency.gp - from x" },
  { "/plot/escape-comment/newline-system", "a\nsystem(\"touch X\")",
    "a\\012system(\"touch X\")" },
  { "/plot/escape-comment/cr",        "a\rprint 1",           "a\\015print 1" },
  { "/plot/escape-comment/backquote", "`touch X`",             "\\140touch X\\140" },
  { "/plot/escape-comment/backslash-end", "x.png\\",         "x.png\\134" },
  { "/plot/escape-comment/macro",     "@m",                    "\\100m" },
  { "/plot/escape-comment/quotes",    "\"a\" 'b'",           "\"a\" 'b'" },
  { "/plot/escape-comment/enhanced",  "{^_}",                  "{^_}" },
  { "/plot/escape-comment/tab-del",   "a\tb\x7f",             "a\\011b\\177" },
  { "/plot/escape-comment/bad-utf8",  "a\xff" "b",            "a\xef\xbf\xbd" "b" },
};

/* gnuplot runs "|cmd" in `set output` and "<cmd" in `plot`; "-" is
 * stdin, "+" and "++" pseudo-files ("help special-filenames"). */
static const EscapeCase file_cases[] = {
  { "/plot/file-name/plain",     "latency.png",      "./latency.png" },
  { "/plot/file-name/pipe-out",  "|touch X;.png",    "./|touch X;.png" },
  { "/plot/file-name/pipe-in",   "<touch X;.tsv",    "./<touch X;.tsv" },
  { "/plot/file-name/stdin",     "-",                "./-" },
  { "/plot/file-name/plus",      "+",                "./+" },
  { "/plot/file-name/plus-plus", "++",               "./++" },
  { "/plot/file-name/empty",     "",                 "./" },
  { "/plot/file-name/option",    "-V.gp",            "./-V.gp" },
  { "/plot/file-name/absolute",  "/tmp/x.png",       "/tmp/x.png" },
};

static void
test_escape (gconstpointer data)
{
  const EscapeCase *tc = data;
  g_autofree char *got = synack_plot_escape (tc->text);

  g_assert_cmpstr (got, ==, tc->escaped);
}

static void
test_escape_comment (gconstpointer data)
{
  const EscapeCase *tc = data;
  g_autofree char *got = synack_plot_escape_comment (tc->text);

  g_assert_cmpstr (got, ==, tc->escaped);
  g_assert_null (strpbrk (got, "\n\r`@"));
  g_assert_false (g_str_has_suffix (got, "\\"));
}

static void
test_file_name (gconstpointer data)
{
  const EscapeCase *tc = data;
  g_autofree char *got = synack_plot_file_name (tc->text);

  g_assert_cmpstr (got, ==, tc->escaped);
}

/* The strings that try to run something, for the gnuplot round trips. */
static const char *const hostile_texts[] = {
  "plain",
  "a\nsystem(\"touch PWNED\")",
  "a\n!touch PWNED",
  "`touch PWNED`",
  "ends in a backslash\\",
  "cr\rprint \"INJECTED\"",
  "@PWNED_MACRO and @@",
  "quote \" and 'single'",
  "{^_&~}",
};

/* Comments hold the text and nothing else: each comment is followed by a
 * print that must run (a comment swallowing the next line would skip it),
 * and nothing else may (a comment ending early would run the rest). */
static void
test_comment_roundtrip (void)
{
  g_autofree char *dir = NULL, *gp = NULL, *got = NULL, *pwned = NULL, *printed = NULL;
  g_autoptr (GString) script = g_string_new ("PWNED_MACRO = \"print 'MACRO'\"\n"
                                             "set print \"roundtrip.txt\"\n");
  g_autoptr (GString) expected = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (NULL);
  gp = g_build_filename (dir, "comments.gp", NULL);
  pwned = g_build_filename (dir, "PWNED", NULL);
  printed = g_build_filename (dir, "roundtrip.txt", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (hostile_texts); i++) {
    g_autofree char *c = synack_plot_escape_comment (hostile_texts[i]);

    g_string_append_printf (script, "# %s\nprint \"line %u\"\n", c, i);
    g_string_append_printf (expected, "line %u\n", i);
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

/* A figure and a data file whose names would be pipes: gnuplot writes and
 * reads the files of those names, and runs nothing. */
static void
test_file_roundtrip (void)
{
  g_autofree char *dir = NULL, *gp = NULL, *in = NULL, *figure = NULL;
  g_autofree char *pwned1 = NULL, *pwned2 = NULL;
  g_autoptr (GString) script = g_string_new (NULL);
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (NULL);
  gp = g_build_filename (dir, "<touch PWNED1;.gp", NULL);
  in = g_build_filename (dir, "<touch PWNED2;.tsv", NULL);
  figure = g_build_filename (dir, "|touch PWNED1;.svg", NULL);
  pwned1 = g_build_filename (dir, "PWNED1", NULL);
  pwned2 = g_build_filename (dir, "PWNED2", NULL);
  g_assert_true (g_file_set_contents (in, "1 1\n2 4\n", -1, NULL));
  synack_plot_script_set_file (script, "out", "|touch PWNED1;.svg");
  synack_plot_script_set_file (script, "in", "<touch PWNED2;.tsv");
  g_string_append (script, "set terminal svg size 200,100\nset output out\n"
                           "plot in using 1:2 with lines\nset output\n");
  g_assert_true (g_file_set_contents (gp, script->str, -1, NULL));
  g_assert_true (synack_plot_run_gnuplot (gp, &error));
  g_assert_no_error (error);
  g_free (check_figure (figure, "svg", 200, 100));
  g_assert_false (g_file_test (pwned1, G_FILE_TEST_EXISTS));
  g_assert_false (g_file_test (pwned2, G_FILE_TEST_EXISTS));
  remove_tree (dir);
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

/* ---- end to end: hostile names through the synack program ------------------------- */

/* Runs synack with @args (NULL-terminated) in @cwd; returns its exit status,
 * 128 + the signal for a crash. */
static int
run_synack (const char *cwd, const char *const *args, char **out, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int status;

  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, out, err,
                &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128 + WTERMSIG (status);
}

/* Asserts no file of @dir starts with "PWNED". */
static void
assert_nothing_ran (const char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_prefix (name, "PWNED"))
      g_error ("%s/%s exists: a hostile name ran a command", dir, name);
}

/* Replaces the first @old in file @path by @new. */
static void
file_replace (const char *path, const char *old, const char *new_text)
{
  g_autofree char *text = NULL;
  g_autoptr (GString) s = NULL;
  const char *at;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  at = strstr (text, old);
  if (at == NULL)
    g_error ("%s holds no \"%s\"", path, old);
  s = g_string_new_len (text, at - text);
  g_string_append (s, new_text);
  g_string_append (s, at + strlen (old));
  g_assert_true (g_file_set_contents (path, s->str, (gssize) s->len, NULL));
}

/* Replaces every @old in file @path by @new. */
static void
file_replace_all (const char *path, const char *old, const char *new_text)
{
  g_autofree char *text = NULL;
  g_auto (GStrv) parts = NULL;
  g_autofree char *joined = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  parts = g_strsplit (text, old, -1);
  g_assert_cmpuint (g_strv_length (parts), >, 1);
  joined = g_strjoinv (new_text, parts);
  g_assert_true (g_file_set_contents (path, joined, -1, NULL));
}

/* @text as one CSV cell, quoted (RFC 4180). */
static char *
csv_quoted (const char *text)
{
  g_autofree char *body = NULL;
  g_auto (GStrv) parts = g_strsplit (text, "\"", -1);

  body = g_strjoinv ("\"\"", parts);
  return g_strdup_printf ("\"%s\"", body);
}

/* The height the ladder script of figure @out sets. */
static int
script_int_of_ladder (const char *out)
{
  g_autofree char *base = g_strndup (out, strlen (out) - strlen (".svg"));
  g_autofree char *gp = g_strconcat (base, ".gp", NULL);

  return script_int (gp, "height");
}

/* Output names of `synack ladder -o` that try every gnuplot context: the
 * comment line, the `set output` and data file names (pipes), the script
 * name gnuplot is given (a pipe, an option), quotes and macros. */
static const char *const hostile_outputs[] = {
  "a\nsystem(\"touch PWNED1\")\nb.svg",
  "c\n!touch PWNED2\n.svg",
  "`touch PWNED3`.svg",
  "|touch PWNED4;.svg",
  "<touch PWNED5;.svg",
  "-V.svg",
  "q\"uote'\\@x{^_}\\.svg",
  "cr\rprint \"X\"\r.svg",
};

static void
test_hostile_ladder_cli (void)
{
  g_autofree char *dir = NULL, *results = NULL, *traces = NULL, *out_dir = NULL;
  g_autofree char *config = NULL, *trace = NULL, *name = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  /* a trace inside a results directory: its title comes from config.ini */
  dir = scratch_new (NULL);
  results = g_build_filename (dir, "results", NULL);
  traces = g_build_filename (results, "traces", NULL);
  out_dir = g_build_filename (dir, "out", NULL);
  copy_tree (fixtures, dir);
  g_assert_cmpint (g_mkdir_with_parents (traces, 0755), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0755), ==, 0);
  {
    g_autofree char *from = g_build_filename (dir, "ladder", "clean-segments.csv", NULL);
    g_autofree char *from_st = g_build_filename (dir, "ladder", "clean-states.csv", NULL);
    g_autofree char *text = NULL, *st = NULL;
    g_autofree char *to_st = g_build_filename (traces, "0-0-states.csv", NULL);

    trace = g_build_filename (traces, "0-0-segments.csv", NULL);
    g_assert_true (g_file_get_contents (from, &text, NULL, NULL));
    g_assert_true (g_file_set_contents (trace, text, -1, NULL));
    g_assert_true (g_file_get_contents (from_st, &st, NULL, NULL));
    g_assert_true (g_file_set_contents (to_st, st, -1, NULL));
  }
  name = g_strdup ("evil `touch PWNED6` \\\" system(\"touch PWNED7\") @x {^_} ; # end");
  config = g_build_filename (results, "config.ini", NULL);
  {
    g_autoptr (GKeyFile) kf = g_key_file_new ();

    g_key_file_set_string (kf, "experiment", "name", name);
    g_assert_true (g_key_file_save_to_file (kf, config, NULL));
  }
  for (guint i = 0; i < G_N_ELEMENTS (hostile_outputs); i++) {
    g_autofree char *out = g_build_filename (out_dir, hostile_outputs[i], NULL);
    const char *args[] = { "ladder", trace, "--conn", "1", "-o", out, NULL };
    g_autofree char *so = NULL, *se = NULL, *svg = NULL;
    int status = run_synack (out_dir, args, &so, &se);

    if (status != 0)
      g_error ("synack ladder -o \"%s\" exited %d: %s", hostile_outputs[i], status, se);
    svg = check_figure (out, "svg", 960, script_int_of_ladder (out));
    /* the title, literally: the name came through unchanged */
    g_assert_nonnull (strstr (svg, name));
    g_assert_nonnull (strstr (svg, "SYN,ACK seq=0 ack=1"));
    assert_nothing_ran (out_dir);
    assert_nothing_ran (dir);
  }
  remove_tree (dir);
}

/* Every string of a results directory that reaches a figure, made hostile:
 * the experiment name (titles), a sweep key (axis label, legends), the
 * values of the series key (legends, panel titles).  `synack plot` draws
 * every figure, shows the text as it is, and runs nothing. */
static void
test_hostile_plot_cli (void)
{
  static const char *const names[] = { "latency", "failures", "cdf", "ccdf", "occupancy",
                                       "teardown", "counts" };
  const char *series = "`touch PWNED1` \"q\" 'q' @m @@ {^_&~} \\ ; # x";
  const char *series2 = "two\nsystem(\"touch PWNED2\")\n!touch PWNED3";
  const char *key = "link.`touch PWNED4`@m\"\\.loss.p";
  const char *name = "evil\nsystem(\"touch PWNED5\") `touch PWNED6` @m {^_}";
  g_autofree char *dir = NULL, *plots = NULL, *config = NULL;
  g_autofree char *q_series = csv_quoted (series), *q_series2 = csv_quoted (series2);
  g_autofree char *q_key = csv_quoted (key);
  g_autofree char *c2 = NULL, *c3 = NULL, *so = NULL, *se = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  const char *args[] = { "plot", NULL, "--format", "svg", NULL };
  int status;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new ("sweep");
  plots = g_build_filename (dir, "plots", NULL);
  c2 = g_strdup_printf (",%s,", q_series);
  c3 = g_strdup_printf (",%s,", q_series2);
  for (guint f = 0; f < 2; f++) {
    g_autofree char *path = g_build_filename (dir, f == 0 ? "summary.csv" : "runs.csv", NULL);

    file_replace (path, "link.loss.p", q_key);
    file_replace_all (path, ",tcp2way,", c2);
    file_replace_all (path, ",tcp3way,", c3);
  }
  config = g_build_filename (dir, "config.ini", NULL);
  g_assert_true (g_key_file_load_from_file (kf, config, G_KEY_FILE_KEEP_COMMENTS, NULL));
  g_key_file_set_string (kf, "experiment", "name", name);
  g_assert_true (g_key_file_save_to_file (kf, config, NULL));

  args[1] = dir;
  status = run_synack (dir, args, &so, &se);
  if (status != 0)
    g_error ("synack plot exited %d: %s", status, se);
  assert_nothing_ran (dir);
  assert_nothing_ran (plots);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++) {
    g_autofree char *svg = g_strdup_printf ("%s/%s.svg", plots, names[i]);
    g_autofree char *text = check_figure (svg, "svg", SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT);

    /* the title's second line, literally */
    g_assert_nonnull (strstr (text, "system(\"touch PWNED5\") `touch PWNED6` @m {^_}"));
    /* a legend entry or panel title of each series */
    if (strcmp (names[i], "teardown") != 0 || TRUE) {
      if (strstr (text, series) == NULL)
        g_error ("%s lacks the series name \"%s\":\n%s", svg, series, text);
      g_assert_nonnull (strstr (text, "system(\"touch PWNED2\")"));
    }
  }
  {
    g_autofree char *svg = g_build_filename (plots, "latency.svg", NULL);
    g_autofree char *text = check_figure (svg, "svg", SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT);

    g_assert_nonnull (strstr (text, key));   /* the x axis label */
  }
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

/* ---- scale: work linear in the points and samples ------------------------------ */

typedef struct {
  const char *path;
  guint       points;
  gboolean    series_per_point;   /* each point a series of its own */
} ScaleCase;

/* 10^5 sweep points, x descending: a search per point for its series or
 * its x value, or an insertion sort of a series, makes these take minutes
 * (152 s were measured for 10^5 points); linear or n log n work takes a
 * second.  Drawn without gnuplot: the cost measured is synack's. */
static const ScaleCase scale_cases[] = {
  { "/plot/scale/points-one-series", 100000, FALSE },
  { "/plot/scale/points-series-each", 100000, TRUE },
};

static void
test_scale_points (gconstpointer data)
{
  const ScaleCase *tc = data;
  g_autofree char *dir = scratch_new (NULL);
  g_autofree char *summary = g_build_filename (dir, "summary.csv", NULL);
  g_autofree char *runs = g_build_filename (dir, "runs.csv", NULL);
  g_autofree char *latency = g_build_filename (dir, "plots", "latency.csv", NULL);
  g_autofree char *text = NULL;
  g_autofree char *old = g_strdup (g_getenv ("GNUPLOT"));
  g_autoptr (GString) s = g_string_new ("link.loss.p,tcp.x,runs,handshake_mean_s_mean,"
                                        "handshake_mean_s_ci95_lo,handshake_mean_s_ci95_hi\n");
  g_autoptr (GString) r = g_string_new ("point,replication,link.loss.p,tcp.x\n");
  g_autoptr (GError) error = NULL;
  guint rows = 0;

  for (guint i = 0; i < tc->points; i++) {
    double x = (double) (tc->points - 1 - i) / tc->points;
    g_autofree char *series = tc->series_per_point ? g_strdup_printf ("s%u", i)
                                                   : g_strdup ("a");

    g_string_append_printf (s, "%.9f,%s,1,0.05,0.04,0.06\n", x, series);
    g_string_append_printf (r, "%u,0,%.9f,%s\n", i, x, series);
  }
  g_assert_true (g_file_set_contents (summary, s->str, (gssize) s->len, NULL));
  g_assert_true (g_file_set_contents (runs, r->str, (gssize) r->len, NULL));
  g_setenv ("GNUPLOT", "/nonexistent", TRUE);
  g_assert_false (synack_plot_dir (dir, "png", NULL, NULL, &error));
  if (old != NULL)
    g_setenv ("GNUPLOT", old, TRUE);
  else
    g_unsetenv ("GNUPLOT");
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
  /* every point is in the data, in x order within its series */
  g_assert_true (g_file_get_contents (latency, &text, NULL, NULL));
  for (const char *p = text; (p = strchr (p, '\n')) != NULL; p++)
    rows += g_ascii_isdigit (p[1]);
  g_assert_cmpuint (rows, ==, tc->points);
  if (!tc->series_per_point)   /* sorted: the last row of summary.csv first */
    g_assert_true (g_str_has_prefix (strchr (text, '\n'), "\n0,0.05,0.04,0.06,"
                                     "NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,NaN,1\n"
                                     "1e-05,0.05,"));
  remove_tree (dir);
}

/* ---- one value, two spellings ----------------------------------------------------- */

/* Writes a two-point rate sweep whose values are @a and @b into a new
 * directory, draws it without gnuplot and returns plots/@figure.csv. */
static char *
plot_rate_sweep (const char *a, const char *b, const char *figure)
{
  g_autofree char *dir = scratch_new (NULL);
  g_autofree char *summary = g_build_filename (dir, "summary.csv", NULL);
  g_autofree char *runs = g_build_filename (dir, "runs.csv", NULL);
  g_autofree char *name = g_strdup_printf ("%s.csv", figure);
  g_autofree char *data = g_build_filename (dir, "plots", name, NULL);
  g_autofree char *s = g_strdup_printf ("workload.rate,runs,handshake_mean_s_mean,"
                                        "handshake_mean_s_ci95_lo,handshake_mean_s_ci95_hi\n"
                                        "%s,1,0.05,0.04,0.06\n%s,1,0.07,0.06,0.08\n", a, b);
  g_autofree char *r = g_strdup_printf ("point,replication,workload.rate\n0,0,%s\n1,0,%s\n",
                                        a, b);
  g_autofree char *old = g_strdup (g_getenv ("GNUPLOT"));
  g_autoptr (GError) error = NULL;
  char *text = NULL;

  g_assert_true (g_file_set_contents (summary, s, -1, NULL));
  g_assert_true (g_file_set_contents (runs, r, -1, NULL));
  g_setenv ("GNUPLOT", "/nonexistent", TRUE);
  g_assert_false (synack_plot_dir (dir, "png", figure, NULL, &error));
  if (old != NULL)
    g_setenv ("GNUPLOT", old, TRUE);
  else
    g_unsetenv ("GNUPLOT");
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
  g_assert_true (g_file_get_contents (data, &text, NULL, NULL));
  remove_tree (dir);
  return text;
}

/* A rate sweep written in 1/ms is plotted as the same sweep written in
 * 1000/s: the x axis reads both through the config's unit table
 * (synack_time_units()), not a list of its own that knew only /s (issue 8:
 * `1/ms` ran but could not be plotted).  Rates are per second on the axis,
 * the unit of RFC 6349-style throughput plots. */
static void
test_rate_spellings (void)
{
  g_autofree char *per_ms = plot_rate_sweep ("1/ms", "2/ms", "latency");
  g_autofree char *per_s = plot_rate_sweep ("1000/s", "2000/s", "latency");
  g_autofree char *per_m = plot_rate_sweep ("60000/m", "120000/m", "latency");
  const char *row = strchr (per_s, '\n');

  g_assert_cmpstr (per_ms, ==, per_s);
  g_assert_cmpstr (per_m, ==, per_s);
  /* the rate is the x axis, in per second */
  g_assert_nonnull (row);
  g_assert_true (g_str_has_prefix (row, "\n1000,0.05,"));
  g_assert_nonnull (strstr (row, "\n2000,0.07,"));
}

/* 10^6 latency samples of one run: the CDF is drawn, thinned to about
 * CDF_MAX_ROWS steps, and its legend counts every sample. */
static void
test_scale_samples (void)
{
  const guint n = 1000000;
  g_autofree char *dir = scratch_new (NULL);
  g_autofree char *samples = g_build_filename (dir, "samples", NULL);
  g_autofree char *bin = g_build_filename (samples, "0-0.bin", NULL);
  g_autofree char *summary = g_build_filename (dir, "summary.csv", NULL);
  g_autofree char *runs = g_build_filename (dir, "runs.csv", NULL);
  g_autofree char *gp = g_build_filename (dir, "plots", "cdf.gp", NULL);
  g_autofree char *csv = g_build_filename (dir, "plots", "cdf.csv", NULL);
  g_autofree char *summary_text = g_strdup_printf ("runs,handshake_s_samples\n1,%u\n", n);
  g_autofree char *gp_text = NULL, *csv_text = NULL;
  g_autofree guint64 *v = g_new (guint64, n);
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  g_autoptr (GError) error = NULL;
  gboolean drawn = have_gnuplot ();
  guint rows = 0;

  g_assert_cmpint (g_mkdir (samples, 0755), ==, 0);
  for (guint i = 0; i < n; i++) {
    /* 40 ms, plus a retransmission timeout for one in ten */
    double x = 0.04 + g_rand_double (rand) * 0.01 + (i % 10 == 0 ? 1.0 : 0.0);

    memcpy (&v[i], &x, sizeof x);
    v[i] = GUINT64_TO_LE (v[i]);
  }
  g_assert_true (g_file_set_contents (bin, (const char *) v, (gssize) (n * sizeof *v), NULL));
  g_assert_true (g_file_set_contents (summary, summary_text, -1, NULL));
  g_assert_true (g_file_set_contents (runs, "point,replication\n0,0\n", -1, NULL));
  if (!drawn)
    g_setenv ("GNUPLOT", "/nonexistent", TRUE);
  g_assert_true (synack_plot_dir (dir, "png", "cdf", NULL, &error) || !drawn);
  if (!drawn)
    g_unsetenv ("GNUPLOT");
  else
    g_assert_no_error (error);
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\"all runs (n=1000000)\""));
  g_assert_true (g_file_get_contents (csv, &csv_text, NULL, NULL));
  for (const char *p = csv_text; (p = strchr (p, '\n')) != NULL; p++)
    rows++;
  g_assert_cmpuint (rows, >, 1000);
  g_assert_cmpuint (rows, <=, 2 + 2000 + 1);
  remove_tree (dir);
}

/* ---- bad result inputs: an error naming the file, never a crash ----------------- */

typedef enum {
  BAD_REPLACE,     /* the first @old becomes @text */
  BAD_APPEND,      /* @text added at the end */
  BAD_WRITE,       /* the file is @text */
  BAD_CUT,         /* the last atoi (@text) bytes removed */
  BAD_DELETE,
  BAD_DIR,         /* a directory in its place */
  BAD_NAN,         /* its first double becomes a NaN */
  BAD_DUP_LINE,    /* line atoi (@text) once more at the end */
  BAD_NUL,         /* a NUL byte appended */
  BAD_HUGE,        /* 3 GiB long (sparse): more than memory may hold */
} BadHow;

typedef struct {
  const char *path;
  const char *fixture;     /* "sweep" (synack plot) or "ladder" (synack ladder) */
  const char *file;        /* the file spoiled, in the fixture */
  BadHow      how;
  const char *old;
  const char *text;
  const char *arg;         /* plot: --only FIGURE; ladder: the trace */
  const char *conn;        /* ladder: --conn */
  int         status;
  const char *err_has[3];  /* words the message must hold */
} BadInputCase;

static const BadInputCase bad_inputs[] = {
  /* samples: the CDF */
  { "/plot/bad-input/samples-truncated", "sweep", "samples/0-1.bin", BAD_CUT, NULL, "3",
    "cdf", NULL, 1, { "samples/0-1.bin", "1197 bytes is not a whole number of doubles" } },
  { "/plot/bad-input/samples-one-short", "sweep", "samples/0-1.bin", BAD_CUT, NULL, "8",
    "cdf", NULL, 1, { "samples/0-*.bin: 299 samples", "summary.csv:2 says 300" } },
  { "/plot/bad-input/samples-missing", "sweep", "samples/0-1.bin", BAD_DELETE, NULL, NULL,
    "cdf", NULL, 1, { "samples/0-1.bin: missing" } },
  { "/plot/bad-input/samples-directory", "sweep", "samples/0-1.bin", BAD_DIR, NULL, NULL,
    "cdf", NULL, 1, { "samples/0-1.bin: not a regular file" } },
  { "/plot/bad-input/samples-nan", "sweep", "samples/0-0.bin", BAD_NAN, NULL, NULL,
    "cdf", NULL, 1, { "samples/0-0.bin: sample 0 (byte 0)", "not a latency" } },
  { "/plot/bad-input/samples-huge", "sweep", "samples/0-0.bin", BAD_HUGE, NULL, NULL,
    "cdf", NULL, 1, { "samples/0-0.bin: 3221225472 bytes, more than synack reads" } },
  { "/plot/bad-input/samples-empty", "sweep", "samples/0-0.bin", BAD_WRITE, NULL, "",
    "cdf", NULL, 1, { "150 samples", "summary.csv:2 says 300" } },
  /* runs.csv */
  { "/plot/bad-input/runs-duplicate-row", "sweep", "runs.csv", BAD_DUP_LINE, NULL, "2",
    "cdf", NULL, 1, { "runs.csv:18: run 0-0 (point 0, replication 0) again, as on line 2" } },
  { "/plot/bad-input/runs-garbage", "sweep", "runs.csv", BAD_APPEND, NULL, "garbage\n",
    "latency", NULL, 1, { "runs.csv:18: 1 cells, the header has 33" } },
  { "/plot/bad-input/runs-point", "sweep", "runs.csv", BAD_REPLACE, "\n0,0,1000,", "\nx,0,1000,",
    "latency", NULL, 1, { "runs.csv:2: column point: \"x\" is not a point number" } },
  { "/plot/bad-input/runs-point-huge", "sweep", "runs.csv", BAD_REPLACE, "\n0,0,1000,",
    "\n99999999999999999999,0,1000,", "latency", NULL, 1, { "runs.csv:2: column point" } },
  { "/plot/bad-input/runs-other-values", "sweep", "runs.csv", BAD_REPLACE, "\n0,1,1001,0,",
    "\n0,1,1001,0.5,", "latency", NULL, 1,
    { "runs.csv:3: point 0 with other sweep values than on line 2" } },
  { "/plot/bad-input/runs-nul", "sweep", "runs.csv", BAD_NUL, NULL, NULL, "latency", NULL, 1,
    { "runs.csv:18: a NUL byte" } },
  { "/plot/bad-input/runs-empty", "sweep", "runs.csv", BAD_WRITE, NULL, "", "latency", NULL,
    1, { "runs.csv:1: empty file, no header" } },
  { "/plot/bad-input/runs-header-only", "sweep", "runs.csv", BAD_WRITE, NULL,
    "point,replication,seed,link.loss.p,experiment.protocol\n", "latency", NULL, 1,
    { "summary.csv:2: a sweep point without any run in", "runs.csv" } },
  { "/plot/bad-input/runs-column-twice", "sweep", "runs.csv", BAD_REPLACE, "point,replication",
    "point,point", "latency", NULL, 1, { "runs.csv:1: column \"point\" twice" } },
  /* summary.csv */
  { "/plot/bad-input/summary-huge", "sweep", "summary.csv", BAD_REPLACE, "0.040581131",
    "1e400", "latency", NULL, 1,
    { "summary.csv:2: column handshake_mean_s_mean: \"1e400\" is out of range" } },
  { "/plot/bad-input/summary-infinity", "sweep", "summary.csv", BAD_REPLACE, "0.040581131",
    "-inf", "latency", NULL, 1, { "summary.csv:2: column handshake_mean_s_mean" } },
  { "/plot/bad-input/summary-duplicate-row", "sweep", "summary.csv", BAD_DUP_LINE, NULL, "2",
    "latency", NULL, 1, { "summary.csv:10: the same sweep point as line 2" } },
  { "/plot/bad-input/summary-empty", "sweep", "summary.csv", BAD_WRITE, NULL, "", "latency",
    NULL, 1, { "summary.csv:1: empty file, no header" } },
  { "/plot/bad-input/summary-directory", "sweep", "summary.csv", BAD_DIR, NULL, NULL,
    "latency", NULL, 1, { "summary.csv: a directory" } },
  { "/plot/bad-input/summary-unterminated", "sweep", "summary.csv", BAD_APPEND, NULL,
    "\"0.3,tcp2way", "latency", NULL, 1, { "summary.csv:10: unterminated quoted cell" } },
  /* occupancy traces */
  { "/plot/bad-input/occupancy-state", "sweep", "traces/0-0-occupancy.csv", BAD_REPLACE,
    ",SYN_SENT,", ",\"SYN\tSENT\",", "occupancy", NULL, 1,
    { "0-0-occupancy.csv:2: column state", "is not a TCP state" } },
  { "/plot/bad-input/occupancy-count", "sweep", "traces/0-0-occupancy.csv", BAD_REPLACE,
    ",SYN_SENT,0\n", ",SYN_SENT,nan\n", "occupancy", NULL, 1,
    { "0-0-occupancy.csv:2: column count", "not a number of connections" } },
  { "/plot/bad-input/occupancy-time", "sweep", "traces/0-0-occupancy.csv", BAD_REPLACE,
    "0.000000000,SYN_SENT", "1e999,SYN_SENT", "occupancy", NULL, 1,
    { "0-0-occupancy.csv:2: column time_s", "is not a time" } },
  /* ladder traces */
  { "/ladder/bad-input/bad-line", "ladder", "clean-segments.csv", BAD_APPEND, NULL,
    "0.5,1,1:40000,0:80,send\n", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:22: 5 cells, the header has 11" } },
  { "/ladder/bad-input/huge-seq", "ladder", "clean-segments.csv", BAD_REPLACE, "2835923210",
    "99999999999999999999", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:2: column seq", "is not a number from 0 to 4294967295" } },
  { "/ladder/bad-input/nan-time", "ladder", "clean-segments.csv", BAD_REPLACE,
    "0.000000000,1,", "nan,1,", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:2: column time_s: \"nan\" is not a time from 0 to" } },
  { "/ladder/bad-input/huge-time", "ladder", "clean-segments.csv", BAD_REPLACE,
    "0.000000000,1,", "1e300,1,", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:2: column time_s: \"1e300\" is not a time from 0 to" } },
  { "/ladder/bad-input/flags-tab", "ladder", "clean-segments.csv", BAD_REPLACE, "send,SYN,",
    "send,\"SYN\tx\n1\",", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:2: column flags", "is not a list of TCP flags" } },
  { "/ladder/bad-input/endpoint", "ladder", "clean-segments.csv", BAD_REPLACE, "1:40000,0:80",
    "1:4x,0:80", "clean-segments.csv", "1", 1,
    { "clean-segments.csv:2: column src: \"1:4x\" is not HOST:PORT" } },
  { "/ladder/bad-input/event", "ladder", "clean-segments.csv", BAD_REPLACE, "send", "sned",
    "clean-segments.csv", "1", 1, { "clean-segments.csv:2: column event: \"sned\"" } },
  { "/ladder/bad-input/empty", "ladder", "clean-segments.csv", BAD_WRITE, NULL, "",
    "clean-segments.csv", "1", 1, { "clean-segments.csv:1: empty file, no header" } },
  { "/ladder/bad-input/zero-rows", "ladder", "clean-segments.csv", BAD_WRITE, NULL,
    "time_s,conn,src,dst,event,flags,seq,ack,len,id,retrans\n", "clean-segments.csv", "1", 1,
    { "clean-segments.csv: no segments in this trace" } },
  { "/ladder/bad-input/no-such-conn", "ladder", "clean-segments.csv", BAD_APPEND, NULL, "",
    "clean-segments.csv", "7", 1,
    { "no segment of connection 7 (this trace has connections 1 to 2)" } },
  { "/ladder/bad-input/nul", "ladder", "clean-segments.csv", BAD_NUL, NULL, NULL,
    "clean-segments.csv", "1", 1, { "clean-segments.csv:22: a NUL byte" } },
  { "/ladder/bad-input/huge", "ladder", "clean-segments.csv", BAD_HUGE, NULL, NULL,
    "clean-segments.csv", "1", 1, { "clean-segments.csv: larger than 2048 MiB" } },
  { "/ladder/bad-input/directory", "ladder", "clean-segments.csv", BAD_DIR, NULL, NULL,
    "clean-segments.csv", "1", 1, { "clean-segments.csv: a directory" } },
  { "/ladder/bad-input/state-name", "ladder", "clean-states.csv", BAD_REPLACE, ",SYN_SENT,",
    ",\"SYN\nSENT\",", "clean-segments.csv", "1", 1,
    { "clean-states.csv:2: column to", "is not a state name" } },
  { "/ladder/bad-input/role", "ladder", "clean-states.csv", BAD_REPLACE, "client", "clinet",
    "clean-segments.csv", "1", 1, { "clean-states.csv:2: column role: \"clinet\"" } },
  /* an unfinished last line (a killed run) is left out, and said so */
  { "/ladder/bad-input/partial-last-line", "ladder", "clean-segments.csv", BAD_APPEND, NULL,
    "0.9,1,1:40000,0:80,se", "clean-segments.csv", "1", 0,
    { "clean-segments.csv:22: an unfinished last line" } },
};

static void
test_bad_input (gconstpointer data)
{
  const BadInputCase *tc = data;
  g_autofree char *dir = scratch_new (tc->fixture);
  g_autofree char *file = g_build_filename (dir, tc->file, NULL);
  g_autofree char *out = g_build_filename (dir, "out.png", NULL);
  g_autofree char *trace = NULL, *so = NULL, *se = NULL, *text = NULL;
  const char *args[8] = { NULL };
  gsize len = 0;
  int status;

  if (tc->how != BAD_DELETE && tc->how != BAD_DIR)
    g_assert_true (g_file_get_contents (file, &text, &len, NULL));
  switch (tc->how) {
  case BAD_REPLACE:
    file_replace (file, tc->old, tc->text);
    break;
  case BAD_APPEND:
  case BAD_NUL:
    {
      g_autoptr (GString) s = g_string_new_len (text, (gssize) len);

      if (tc->how == BAD_NUL)
        g_string_append_c (s, '\0');
      else
        g_string_append (s, tc->text);
      g_assert_true (g_file_set_contents (file, s->str, (gssize) s->len, NULL));
    }
    break;
  case BAD_WRITE:
    g_assert_true (g_file_set_contents (file, tc->text, -1, NULL));
    break;
  case BAD_CUT:
    g_assert_true (g_file_set_contents (file, text, (gssize) len - atoi (tc->text), NULL));
    break;
  case BAD_DELETE:
    g_assert_cmpint (g_unlink (file), ==, 0);
    break;
  case BAD_DIR:
    g_assert_cmpint (g_unlink (file), ==, 0);
    g_assert_cmpint (g_mkdir (file, 0755), ==, 0);
    break;
  case BAD_NAN:
    {
      guint64 bits = GUINT64_TO_LE (G_GUINT64_CONSTANT (0x7ff8000000000000));

      g_assert_cmpuint (len, >=, 8);
      memcpy (text, &bits, 8);
      g_assert_true (g_file_set_contents (file, text, (gssize) len, NULL));
    }
    break;
  case BAD_HUGE:
    g_assert_cmpint (truncate (file, G_GINT64_CONSTANT (3) << 30), ==, 0);
    break;
  case BAD_DUP_LINE:
    {
      g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
      g_autofree char *more = g_strdup_printf ("%s%s\n", text,
                                               lines[atoi (tc->text) - 1]);

      g_assert_true (g_file_set_contents (file, more, -1, NULL));
    }
    break;
  }

  if (strcmp (tc->fixture, "ladder") == 0) {
    trace = g_build_filename (dir, tc->arg, NULL);
    args[0] = "ladder";
    args[1] = trace;
    args[2] = "--conn";
    args[3] = tc->conn;
    args[4] = "-o";
    args[5] = out;
  } else {
    args[0] = "plot";
    args[1] = dir;
    args[2] = "--only";
    args[3] = tc->arg;
  }
  if (tc->status == 0 && !have_gnuplot ())
    g_setenv ("GNUPLOT", "/nonexistent", TRUE);
  status = run_synack (dir, args, &so, &se);
  g_unsetenv ("GNUPLOT");
  if (tc->status == 0 && !have_gnuplot ())
    g_assert_cmpint (status, ==, 1);
  else if (status != tc->status)
    g_error ("exit status %d, not %d: %s", status, tc->status, se);
  for (guint i = 0; i < G_N_ELEMENTS (tc->err_has) && tc->err_has[i] != NULL; i++)
    if (strstr (se, tc->err_has[i]) == NULL)
      g_error ("stderr lacks \"%s\": %s", tc->err_has[i], se);
  remove_tree (dir);
}

/* DIR/plots is where every figure goes: a symbolic link planted there
 * would send the files elsewhere, so it is refused. */
static void
test_plots_symlink (void)
{
  g_autofree char *dir = scratch_new ("sweep");
  g_autofree char *elsewhere = scratch_new (NULL);
  g_autofree char *plots = g_build_filename (dir, "plots", NULL);
  g_autoptr (GDir) d = NULL;
  g_autoptr (GError) error = NULL;

  g_assert_cmpint (symlink (elsewhere, plots), ==, 0);
  g_assert_false (synack_plot_dir (dir, "png", NULL, NULL, &error));
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "plots: a symbolic link"));
  d = g_dir_open (elsewhere, 0, NULL);
  g_assert_null (g_dir_read_name (d));   /* nothing written there */
  g_unlink (plots);
  remove_tree (elsewhere);
  remove_tree (dir);
}

/* Samples of a replication runs.csv does not list (left by an earlier
 * batch) are not drawn: the legend counts the listed runs only. */
static void
test_stale_samples (void)
{
  g_autofree char *dir = scratch_new ("sweep");
  g_autofree char *stale = g_build_filename (dir, "samples", "0-7.bin", NULL);
  g_autofree char *gp = g_build_filename (dir, "plots", "cdf.gp", NULL);
  g_autofree guint64 *halves = g_new (guint64, 600);
  g_autofree char *text = NULL;
  g_autofree char *old = g_strdup (g_getenv ("GNUPLOT"));
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < 600; i++) {
    double half = 0.5;

    memcpy (&halves[i], &half, sizeof half);
    halves[i] = GUINT64_TO_LE (halves[i]);
  }
  g_assert_true (g_file_set_contents (stale, (const char *) halves, 600 * sizeof (double),
                                      NULL));
  g_setenv ("GNUPLOT", "/nonexistent", TRUE);   /* the script is what is checked */
  g_assert_false (synack_plot_dir (dir, "png", "cdf", NULL, &error));
  if (old != NULL)
    g_setenv ("GNUPLOT", old, TRUE);
  else
    g_unsetenv ("GNUPLOT");
  g_assert_error (error, SYNACK_PLOT_ERROR, SYNACK_PLOT_ERROR_NO_GNUPLOT);
  g_assert_true (g_file_get_contents (gp, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\"tcp2way, loss.p=0 (n=300)\""));
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
  static const char *const names[] = { "latency", "failures", "cdf", "ccdf", "occupancy",
                                       "teardown", "counts" };
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

/* ---- what each figure says ----------------------------------------------------- */

/* Small real batches (synack run, well under a second each): */
/* one client with 10 ports, TIME_WAIT 0 s or 30 s: at 10 connections/s a
 * 30 s TIME_WAIT holds every port, so most attempts find none free */
static const char says_ports_ini[] =
  "[experiment]\nname = says-ports\nprotocol = tcp3way\nprofile = rfc9293\n"
  "replications = 2\nseed = 7\nuntil = 10m\n"
  "[workload]\nconnections = 300\nclients = 1\nports = 10\narrival = uniform\n"
  "rate = 10/s\nhold = 500ms\ncloser = client\n"
  "[link]\ndelay = uniform\ndelay.base = 10ms\ndelay.max = 20ms\nloss = bernoulli\n"
  "loss.p = 0.02\n"
  "[sweep]\ntcp.isn = zero, rfc6528\ntcp.time_wait = 0s, 30s\n";
/* no loss, 2 points x 2 runs x 200 attempts: nothing can fail */
static const char says_nofail_ini[] =
  "[experiment]\nname = says-nofail\nprotocol = tcp3way\nprofile = linux\n"
  "replications = 2\nseed = 3\nuntil = 10m\n"
  "[workload]\nconnections = 200\nclients = 10\narrival = poisson\nrate = 100/s\n"
  "hold = 100ms\ncloser = client\n"
  "[link]\ndelay = uniform\ndelay.base = 10ms\ndelay.max = 30ms\nloss = none\n"
  "[sweep]\nlink.delay.base = 10ms, 20ms\n";

/* 11 loss rates x 2 protocols, 30 attempts each: x labels that collide */
static const char says_eleven_ini[] =
  "[experiment]\nname = says-eleven\nprofile = linux\nreplications = 1\nseed = 5\n"
  "until = 10m\n"
  "[workload]\nconnections = 30\nclients = 5\narrival = poisson\nrate = 100/s\n"
  "hold = 100ms\ncloser = client\n"
  "[link]\ndelay = constant\ndelay.base = 10ms\nloss = bernoulli\n"
  "[sweep]\nexperiment.protocol = tcp2way, tcp3way\nlink.loss.p = 0:0.01:0.1\n";

/* The blocks of a figure's data file: each a GPtrArray of rows (GStrv),
 * the header first.  (transfer full) */
static GPtrArray *
read_blocks (const char *path)
{
  g_autofree char *text = NULL;
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  g_auto (GStrv) lines = NULL;
  GPtrArray *block = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++) {
    if (lines[i][0] == '\0') {
      block = NULL;
      continue;
    }
    if (block == NULL) {
      block = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
      g_ptr_array_add (blocks, block);
    }
    g_ptr_array_add (block, g_strsplit (lines[i], ",", -1));
  }
  return blocks;
}

static guint
block_col (GPtrArray *block, const char *name)
{
  char **header = block->pdata[0];

  for (guint c = 0; header[c] != NULL; c++)
    if (strcmp (header[c], name) == 0)
      return c;
  g_error ("no column %s in the data file", name);
  return 0;
}

static double
block_num (GPtrArray *block, guint row, const char *name)
{
  char **cells = block->pdata[row];

  return g_ascii_strtod (cells[block_col (block, name)], NULL);
}

static gboolean
block_has (GPtrArray *block, const char *name)
{
  char **header = block->pdata[0];

  return g_strv_contains ((const char *const *) header, name);
}

/* summary.csv's column @name at @row as a number (empty: NAN) */
static double
summary_num (const char *dir, guint row, const char *name)
{
  g_autofree char *path = g_build_filename (dir, "summary.csv", NULL);
  g_autoptr (GError) error = NULL;
  SynackCsv *csv = synack_csv_read (path, SYNACK_CSV_STRICT, &error);
  int col;
  const char *cell;
  double v;

  g_assert_no_error (error);
  col = synack_csv_column (csv, name);
  g_assert_cmpint (col, >=, 0);
  cell = synack_csv_cell (csv, row, (guint) col);
  v = cell[0] != '\0' ? g_ascii_strtod (cell, NULL) : NAN;
  synack_csv_free (csv);
  return v;
}

static char *
figure_file (const char *dir, const char *figure, const char *ext)
{
  return g_strdup_printf ("%s/plots/%s.%s", dir, figure, ext);
}

/* Nothing failed: the figure is a note with the number of attempts and
 * the Wilson upper bound (Wilson 1927; for k = 0 it is z^2 / (n + z^2),
 * Brown, Cai & DasGupta, Statist. Sci. 16 (2001) 101), not empty bars. */
static void
says_failures_none (const char *dir)
{
  const double z = 1.959963984540054, n = 400;   /* 2 runs x 200 attempts */
  double hi = 100.0 * z * z / (n + z * z);
  g_autofree char *gp = figure_file (dir, "failures", "gp");
  g_autofree char *csv = figure_file (dir, "failures", "csv");
  g_autofree char *gp_text = NULL;
  g_autoptr (GPtrArray) blocks = read_blocks (csv);
  GPtrArray *b = blocks->pdata[0];

  g_assert_cmpfloat_with_epsilon (hi, 0.9512, 1e-4);
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  if (strstr (gp_text, "no failures in 800 attempts\\n(95 % upper bound 0.95 %\\n"
                       "at each of the 2 points, Wilson)") == NULL)
    g_error ("%s lacks the no-failure note:\n%s", gp, gp_text);
  g_assert_nonnull (strstr (gp_text, "\nnnotes = 1\n"));
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpuint (b->len, ==, 3);
  for (guint row = 1; row < b->len; row++) {
    g_assert_cmpfloat (block_num (b, row, "attempts"), ==, n);
    g_assert_cmpfloat (block_num (b, row, "failed_pct"), ==, 0);
    g_assert_cmpfloat_with_epsilon (block_num (b, row, "failed_hi_pct"), hi, 1e-6);
  }
}

/* "failed" split by cause: attempts without a free port (runs.csv's
 * ports_exhausted) and the rest; the two add up to failed. */
static void
says_failures_causes (const char *dir)
{
  g_autofree char *gp = figure_file (dir, "failures", "gp");
  g_autofree char *csv = figure_file (dir, "failures", "csv");
  g_autofree char *gp_text = NULL;
  g_autoptr (GPtrArray) blocks = read_blocks (csv);

  g_assert_cmpuint (blocks->len, ==, 2);         /* zero, rfc6528 */
  for (guint s = 0; s < blocks->len; s++) {
    GPtrArray *b = blocks->pdata[s];

    g_assert_cmpuint (b->len, ==, 3);            /* 0 s, 30 s */
    for (guint row = 1; row < b->len; row++) {
      guint srow = s * 2 + row - 1;
      double ports = summary_num (dir, srow, "ports_exhausted_mean");
      double attempts = summary_num (dir, srow, "attempts_mean");

      g_assert_cmpfloat_with_epsilon (block_num (b, row, "no_port_pct") +
                                      block_num (b, row, "gave_up_pct"),
                                      block_num (b, row, "failed_pct"), 1e-6);
      g_assert_cmpfloat_with_epsilon (block_num (b, row, "no_port_pct"),
                                      100.0 * ports / attempts, 1e-6);
      g_assert_cmpfloat (block_num (b, row, "no_port_lo_pct"), <=,
                         block_num (b, row, "no_port_pct"));
      g_assert_cmpfloat (block_num (b, row, "no_port_hi_pct"), >=,
                         block_num (b, row, "no_port_pct"));
    }
    /* a 30 s TIME_WAIT holds the 10 ports: most attempts find none */
    g_assert_cmpfloat (block_num (b, 2, "no_port_pct"), >, 50);
  }
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\narray kind_seen[6] = [1, "));
  g_assert_nonnull (strstr (gp_text, "\"failed: no free client port\""));
}

/* The CCDF: per curve P(latency > x) from 1 down to 0, never rising, and
 * at each row exactly the fraction of point 0's samples above x. */
static void
says_ccdf (const char *dir)
{
  g_autofree char *csv = figure_file (dir, "ccdf", "csv");
  g_autoptr (GPtrArray) blocks = read_blocks (csv);
  g_autoptr (GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  GPtrArray *b0;

  g_assert_cmpuint (blocks->len, ==, 8);
  for (guint s = 0; s < blocks->len; s++) {
    GPtrArray *b = blocks->pdata[s];

    g_assert_cmpstr (((char **) b->pdata[0])[0], ==, "latency_s");
    g_assert_cmpstr (((char **) b->pdata[0])[1], ==, "ccdf");
    g_assert_cmpuint (b->len, >=, 3);
    g_assert_cmpfloat (block_num (b, 1, "ccdf"), ==, 1);
    g_assert_cmpfloat (block_num (b, b->len - 1, "ccdf"), ==, 0);
    for (guint row = 2; row < b->len; row++) {
      g_assert_cmpfloat (block_num (b, row, "ccdf"), <, block_num (b, row - 1, "ccdf"));
      g_assert_cmpfloat (block_num (b, row, "latency_s"), >=,
                         block_num (b, row - 1, "latency_s"));
    }
  }
  for (guint rep = 0; rep < 2; rep++) {
    g_autofree char *name = g_strdup_printf ("%s/samples/0-%u.bin", dir, rep);
    g_autofree char *bytes = NULL;
    gsize len;

    g_assert_true (g_file_get_contents (name, &bytes, &len, NULL));
    g_array_append_vals (samples, bytes, len / sizeof (double));
  }
  b0 = blocks->pdata[0];
  for (guint row = 2; row < b0->len; row++) {
    double x = block_num (b0, row, "latency_s");
    guint above = 0;

    /* x is written with 10 digits: a sample within that of x is x */
    for (guint i = 0; i < samples->len; i++)
      above += g_array_index (samples, double, i) > x * (1 + 1e-9);
    g_assert_cmpfloat_with_epsilon (block_num (b0, row, "ccdf"),
                                    (double) above / samples->len, 1e-9);
  }
}

/* The counts that vary (ports, TIME_WAIT) are drawn, as summary.csv has
 * them; one that is 0 everywhere (backlog drops) is not. */
static void
says_counts (const char *dir)
{
  g_autofree char *csv = figure_file (dir, "counts", "csv");
  g_autofree char *gp = figure_file (dir, "counts", "gp");
  g_autofree char *gp_text = NULL;
  g_autoptr (GPtrArray) blocks = read_blocks (csv);

  g_assert_cmpuint (blocks->len, ==, 2);
  for (guint s = 0; s < blocks->len; s++) {
    GPtrArray *b = blocks->pdata[s];

    g_assert_false (block_has (b, "backlog_drops_mean"));
    for (guint row = 1; row < b->len; row++) {
      guint srow = s * 2 + row - 1;

      g_assert_cmpfloat_with_epsilon (block_num (b, row, "ports_exhausted_mean"),
                                      summary_num (dir, srow, "ports_exhausted_mean"), 1e-6);
      g_assert_cmpfloat_with_epsilon (block_num (b, row, "time_wait_peak_mean"),
                                      summary_num (dir, srow, "time_wait_peak_mean"), 1e-6);
    }
  }
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "array panel_column[") );
  g_assert_nonnull (strstr (gp_text, "\"ports_exhausted\""));
}

/* Pooled percentiles come with their order-statistic intervals from
 * summary.csv; a bound the samples cannot give stays empty (NaN), here the
 * upper bound of p99.9 from 400 samples. */
static void
says_latency (const char *dir)
{
  static const char *const stat[] = { "p50", "p95", "p99", "p999" };
  g_autofree char *csv = figure_file (dir, "latency", "csv");
  g_autoptr (GPtrArray) blocks = read_blocks (csv);
  GPtrArray *b = blocks->pdata[0];

  g_assert_cmpuint (blocks->len, ==, 1);
  for (guint row = 1; row < b->len; row++)
    for (guint k = 0; k < G_N_ELEMENTS (stat); k++) {
      g_autofree char *v = g_strdup_printf ("%s_s", stat[k]);
      g_autofree char *lo = g_strdup_printf ("%s_lo_s", stat[k]);
      g_autofree char *hi = g_strdup_printf ("%s_hi_s", stat[k]);
      g_autofree char *sv = g_strdup_printf ("handshake_pooled_%s_s", stat[k]);
      g_autofree char *slo = g_strdup_printf ("handshake_pooled_%s_s_ci95_lo", stat[k]);
      g_autofree char *shi = g_strdup_printf ("handshake_pooled_%s_s_ci95_hi", stat[k]);
      double want_hi = summary_num (dir, row - 1, shi);

      g_assert_cmpfloat_with_epsilon (block_num (b, row, v), summary_num (dir, row - 1, sv),
                                      1e-9);
      g_assert_cmpfloat_with_epsilon (block_num (b, row, lo), summary_num (dir, row - 1, slo),
                                      1e-9);
      if (isnan (want_hi))
        g_assert_true (isnan (block_num (b, row, hi)));
      else
        g_assert_cmpfloat_with_epsilon (block_num (b, row, hi), want_hi, 1e-9);
      g_assert_cmpfloat (block_num (b, row, lo), <=, block_num (b, row, v));
    }
  g_assert_true (isnan (summary_num (dir, 0, "handshake_pooled_p999_s_ci95_hi")));
  {
    g_autofree char *gp = figure_file (dir, "latency", "gp");
    g_autofree char *gp_text = NULL;

    g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
    g_assert_nonnull (strstr (gp_text, "\npct_ci = 1\n"));
  }
}

/* Results from before the pooled intervals (the fixture): the percentiles
 * are the old pooled columns, without bounds, and the figure knows it
 * (pct_ci = 0: points alone, not bars "not bounded by the samples"). */
static void
says_latency_old (const char *dir)
{
  g_autofree char *csv = figure_file (dir, "latency", "csv");
  g_autofree char *gp = figure_file (dir, "latency", "gp");
  g_autofree char *gp_text = NULL;
  g_autoptr (GPtrArray) blocks = read_blocks (csv);
  GPtrArray *b = blocks->pdata[0];

  g_assert_cmpfloat_with_epsilon (block_num (b, 1, "p95_s"),
                                  summary_num (dir, 0, "handshake_s_p95"), 1e-9);
  g_assert_true (isnan (block_num (b, 1, "p95_lo_s")));
  g_assert_true (isnan (block_num (b, 1, "p999_s")));
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\npct_ci = 0\n"));
}

/* An 11-point sweep in panels side by side: every point keeps its row and
 * label in the data, the figure labels every second one. */
static void
says_failures_labels (const char *dir)
{
  g_autofree char *gp = figure_file (dir, "failures", "gp");
  g_autofree char *csv = figure_file (dir, "failures", "csv");
  g_autofree char *gp_text = NULL;
  g_autoptr (GPtrArray) blocks = read_blocks (csv);

  g_assert_cmpuint (blocks->len, ==, 2);
  for (guint s = 0; s < blocks->len; s++) {
    GPtrArray *b = blocks->pdata[s];

    g_assert_cmpuint (b->len, ==, 12);
    g_assert_cmpstr (((char **) b->pdata[1])[block_col (b, "x_label")], ==, "0");
    g_assert_cmpstr (((char **) b->pdata[11])[block_col (b, "x_label")], ==, "0.1");
  }
  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\narray label_step[2] = [2, 2]\n"));
}

/* Occupancy of a sweep: a marker per series and the key's rows set so
 * that each column of the key is one series (4 points each). */
static void
says_occupancy_key (const char *dir)
{
  g_autofree char *gp = figure_file (dir, "occupancy", "gp");
  g_autofree char *gp_text = NULL;

  g_assert_true (g_file_get_contents (gp, &gp_text, NULL, NULL));
  g_assert_nonnull (strstr (gp_text, "\nkey_rows_hint = 4\n"));
  g_assert_nonnull (strstr (gp_text, "\narray curve_marker[8] = [1, 1, 1, 1, 2, 2, 2, 2]\n"));
}

/* Two designs on a 10 ms link without loss: the 2-way handshake carries
 * the request in its SYN, the 3-way one in its third segment (issue 11) */
static const char says_request_ini[] =
  "[experiment]\nname = says-request\nreplications = 2\nseed = 9\nuntil = 10m\n"
  "[workload]\nconnections = 50\nclients = 5\nrate = 100/s\nhold = 100ms\n"
  "[link]\ndelay = constant\ndelay.base = 10ms\n"
  "[sweep]\nexperiment.protocol = tcp2way, tcp3way\nworkload.clients = 5, 10\n";

/* The request figure: 0.5 RTT (10 ms) for the 2-way design, 1.5 RTT
 * (30 ms) for the 3-way one, as summary.csv says; p99 beside the mean. */
static void
says_request (const char *dir)
{
  g_autofree char *csv = figure_file (dir, "request", "csv");
  g_autoptr (GPtrArray) blocks = read_blocks (csv);
  static const double expected[] = { 0.010, 0.030 };

  g_assert_cmpuint (blocks->len, ==, 2);
  for (guint s = 0; s < blocks->len; s++) {
    GPtrArray *b = blocks->pdata[s];

    g_assert_true (block_has (b, "p99_s"));
    g_assert_cmpuint (b->len, ==, 3);   /* header and the two client counts */
    for (guint row = 1; row < b->len; row++) {
      g_assert_cmpfloat_with_epsilon (block_num (b, row, "mean_s"), expected[s], 1e-9);
      g_assert_cmpfloat_with_epsilon (block_num (b, row, "p99_s"), expected[s], 1e-9);
      g_assert_cmpfloat_with_epsilon (block_num (b, row, "mean_s"),
                                      summary_num (dir, s * 2 + row - 1, "request_mean_s_mean"),
                                      1e-9);
    }
  }
}

typedef struct {
  const char *path;
  const char *config;      /* a batch to run first, or NULL */
  const char *fixture;     /* else a fixture of tests/data/plot */
  const char *figure;
  void      (*says) (const char *dir);
} SaysCase;

static const SaysCase says_cases[] = {
  { "/plot/says/failures-none-note", says_nofail_ini, NULL, "failures", says_failures_none },
  { "/plot/says/failures-causes", says_ports_ini, NULL, "failures", says_failures_causes },
  { "/plot/says/ccdf-monotone", NULL, "sweep", "ccdf", says_ccdf },
  { "/plot/says/counts-time-wait", says_ports_ini, NULL, "counts", says_counts },
  { "/plot/says/latency-pooled-ci", says_nofail_ini, NULL, "latency", says_latency },
  { "/plot/says/latency-old-results", NULL, "sweep", "latency", says_latency_old },
  { "/plot/says/failures-eleven-labels", says_eleven_ini, NULL, "failures",
    says_failures_labels },
  { "/plot/says/occupancy-key", NULL, "sweep", "occupancy", says_occupancy_key },
  { "/plot/says/request-latency", says_request_ini, NULL, "request", says_request },
};

static void
test_says (gconstpointer data)
{
  const SaysCase *tc = data;
  g_autofree char *dir = NULL, *results = NULL, *png = NULL;
  g_autoptr (GError) error = NULL;

  if (!have_gnuplot ()) {
    g_test_skip ("gnuplot is not installed (Debian: gnuplot-nox)");
    return;
  }
  dir = scratch_new (tc->fixture);
  if (tc->config != NULL) {
    g_autofree char *ini = g_build_filename (dir, "batch.ini", NULL);
    g_autofree char *so = NULL, *se = NULL;
    const char *args[] = { "run", ini, "-o", NULL, "--quiet", NULL };
    int status;

    results = g_build_filename (dir, "results", NULL);
    args[3] = results;
    g_assert_true (g_file_set_contents (ini, tc->config, -1, NULL));
    status = run_synack (dir, args, &so, &se);
    if (status != 0)
      g_error ("synack run exited %d: %s", status, se);
  } else {
    results = g_strdup (dir);
  }
  g_assert_true (synack_plot_dir (results, "png", tc->figure, NULL, &error));
  g_assert_no_error (error);
  png = figure_file (results, tc->figure, "png");
  g_free (check_figure (png, "png", SYNACK_PLOT_WIDTH, SYNACK_PLOT_HEIGHT));
  tc->says (results);
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
  synack_bin = g_build_filename (g_getenv ("SYNACK_TEST_BUILDDIR") != NULL
                                 ? g_getenv ("SYNACK_TEST_BUILDDIR") : "..",
                                 "experiments", "synack", NULL);
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
  for (guint i = 0; i < G_N_ELEMENTS (comment_cases); i++)
    g_test_add_data_func (comment_cases[i].path, &comment_cases[i], test_escape_comment);
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    g_test_add_data_func (file_cases[i].path, &file_cases[i], test_file_name);
  g_test_add_func ("/plot/escape/comment-roundtrip", test_comment_roundtrip);
  g_test_add_func ("/plot/escape/file-roundtrip", test_file_roundtrip);
  g_test_add_func ("/plot/escape/hostile-ladder-cli", test_hostile_ladder_cli);
  g_test_add_func ("/plot/escape/hostile-plot-cli", test_hostile_plot_cli);
  for (guint i = 0; i < G_N_ELEMENTS (error_cases); i++)
    g_test_add_data_func (error_cases[i].path, &error_cases[i], test_error);
  g_test_add_func ("/plot/error/suggestion", test_error_suggestion);
  g_test_add_func ("/plot/error/no-gnuplot", test_no_gnuplot);
  g_test_add_func ("/plot/error/gnuplot-failed", test_gnuplot_failed);
  g_test_add_func ("/plot/error/template-missing", test_template_missing);
  for (guint i = 0; i < G_N_ELEMENTS (ladder_error_cases); i++)
    g_test_add_data_func (ladder_error_cases[i].path, &ladder_error_cases[i], test_ladder_error);
  for (guint i = 0; i < G_N_ELEMENTS (scale_cases); i++)
    g_test_add_data_func (scale_cases[i].path, &scale_cases[i], test_scale_points);
  g_test_add_func ("/plot/scale/million-samples", test_scale_samples);
  g_test_add_func ("/plot/x/rate-spellings", test_rate_spellings);
  g_test_add_func ("/plot/error/plots-symlink", test_plots_symlink);
  g_test_add_func ("/plot/bad-input/stale-samples", test_stale_samples);
  for (guint i = 0; i < G_N_ELEMENTS (bad_inputs); i++)
    g_test_add_data_func (bad_inputs[i].path, &bad_inputs[i], test_bad_input);
  for (guint i = 0; i < G_N_ELEMENTS (ladder_edge_cases); i++)
    g_test_add_data_func (ladder_edge_cases[i].path, &ladder_edge_cases[i], test_ladder_edge);
  for (guint i = 0; i < G_N_ELEMENTS (says_cases); i++)
    g_test_add_data_func (says_cases[i].path, &says_cases[i], test_says);

  status = g_test_run ();
  g_free (fixtures);
  g_free (synack_bin);
  return status;
}
