/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-segment.c - TCP flags as text (format order, parsing in any
 * order and case, bad names), sequence-space comparison across the 2^32
 * wrap, and a segment's length in sequence space. */
#include "segment.h"

#include <string.h>

#define F(x) SYNACK_FLAG_##x

typedef struct {
  const char *path;
  guint16     flags;
  const char *text;
} FormatCase;

static const FormatCase format_cases[] = {
  /* path                          flags                      text */
  { "/segment/format/none",        0,                         "" },
  { "/segment/format/syn",         F (SYN),                   "SYN" },
  { "/segment/format/syn-ack",     F (SYN) | F (ACK),         "SYN,ACK" },
  { "/segment/format/fin-ack",     F (FIN) | F (ACK),         "FIN,ACK" },
  { "/segment/format/rst-ack",     F (RST) | F (ACK),         "RST,ACK" },
  { "/segment/format/psh-ack",     F (ACK) | F (PSH),         "PSH,ACK" },
  { "/segment/format/syn-ece-cwr", F (CWR) | F (ECE) | F (SYN), "SYN,ECE,CWR" },
  { "/segment/format/ns",          F (NS),                    "NS" },
  { "/segment/format/all",         SYNACK_FLAG_ALL,           "SYN,FIN,RST,PSH,ACK,URG,ECE,CWR,NS" },
  { "/segment/format/beyond-ns",   0xfe00 | F (ACK),          "ACK" },   /* bits past NS ignored */
};

typedef struct {
  const char *path;
  const char *text;
  guint16     flags;
} ParseCase;

static const ParseCase parse_cases[] = {
  /* path                             text                        flags */
  { "/segment/parse/syn",             "SYN",                      F (SYN) },
  { "/segment/parse/syn-ack",         "SYN,ACK",                  F (SYN) | F (ACK) },
  { "/segment/parse/reversed",        "ACK,SYN",                  F (SYN) | F (ACK) },
  { "/segment/parse/lower",           "ack,syn",                  F (SYN) | F (ACK) },
  { "/segment/parse/mixed-case",      "Fin,aCk",                  F (FIN) | F (ACK) },
  { "/segment/parse/spaces",          " SYN , ACK ",              F (SYN) | F (ACK) },
  { "/segment/parse/repeated",        "SYN,SYN",                  F (SYN) },
  { "/segment/parse/ns",              "ns",                       F (NS) },
  { "/segment/parse/all",             "NS,CWR,ECE,URG,ACK,PSH,RST,SYN,FIN", SYNACK_FLAG_ALL },
};

typedef struct {
  const char *path;
  const char *text;
  const char *message;             /* substring of the error message */
} BadCase;

static const BadCase bad_cases[] = {
  /* path                             text            message */
  { "/segment/parse-bad/misspelt",    "SYNN",
    "\"SYNN\" is not a TCP flag (NS CWR ECE URG ACK PSH RST SYN FIN)" },
  { "/segment/parse-bad/unknown",     "SYN,XMAS",     "\"XMAS\" is not a TCP flag" },
  { "/segment/parse-bad/empty",       "",             "no TCP flag given" },
  { "/segment/parse-bad/blank",       "  ",           "no TCP flag given" },
  { "/segment/parse-bad/empty-item",  "SYN,,ACK",     "empty flag name" },
  { "/segment/parse-bad/trailing",    "SYN,",         "empty flag name" },
  { "/segment/parse-bad/space-sep",   "SYN ACK",      "\"SYN ACK\" is not a TCP flag" },
  { "/segment/parse-bad/plus-sep",    "SYN+ACK",      "is not a TCP flag" },
};

typedef struct {
  const char *path;
  guint32     a, b;
  gboolean    lt, le, gt, ge;
} SeqCase;

static const SeqCase seq_cases[] = {
  /* path                             a           b           lt     le     gt     ge */
  { "/segment/seq/equal",             5,          5,          FALSE, TRUE,  FALSE, TRUE },
  { "/segment/seq/less",              5,          6,          TRUE,  TRUE,  FALSE, FALSE },
  { "/segment/seq/greater",           6,          5,          FALSE, FALSE, TRUE,  TRUE },
  { "/segment/seq/wrap-less",         0xfffffff0, 0x10,       TRUE,  TRUE,  FALSE, FALSE },
  { "/segment/seq/wrap-greater",      0x10,       0xfffffff0, FALSE, FALSE, TRUE,  TRUE },
  { "/segment/seq/max-to-zero",       0xffffffff, 0,          TRUE,  TRUE,  FALSE, FALSE },
  { "/segment/seq/half-minus-one",    0,          0x7fffffff, TRUE,  TRUE,  FALSE, FALSE },
  { "/segment/seq/half",              0,          0x80000000, TRUE,  TRUE,  FALSE, FALSE }, /* ambiguous: both ways "less" */
};

typedef struct {
  const char *path;
  guint16     flags;
  guint32     len_bytes;
  guint32     seq_len;
} SeqLenCase;

static const SeqLenCase seq_len_cases[] = {
  /* path                            flags                        len   seq_len */
  { "/segment/seq-len/ack",          F (ACK),                     0,    0 },
  { "/segment/seq-len/syn",          F (SYN),                     0,    1 },
  { "/segment/seq-len/syn-ack",      F (SYN) | F (ACK),           0,    1 },
  { "/segment/seq-len/fin-ack",      F (FIN) | F (ACK),           0,    1 },
  { "/segment/seq-len/data",         F (ACK) | F (PSH),           100,  100 },
  { "/segment/seq-len/syn-data",     F (SYN),                     40,   41 },
  { "/segment/seq-len/syn-fin-data", F (SYN) | F (FIN) | F (ACK), 10,   12 },
  { "/segment/seq-len/rst",          F (RST),                     0,    0 },
};

static void
test_format (gconstpointer data)
{
  const FormatCase *tc = data;
  char buf[SYNACK_FLAGS_FORMAT_SIZE];

  g_assert_true (synack_flags_format (tc->flags, buf) == buf);
  g_assert_cmpstr (buf, ==, tc->text);
  g_assert_cmpuint (strlen (buf), <, SYNACK_FLAGS_FORMAT_SIZE);
}

static void
test_parse (gconstpointer data)
{
  const ParseCase *tc = data;
  g_autoptr (GError) error = NULL;
  guint16 flags = 0xdead;

  g_assert_true (synack_flags_parse (tc->text, &flags, &error));
  g_assert_no_error (error);
  g_assert_cmphex (flags, ==, tc->flags);
}

/* What format writes, parse reads back. */
static void
test_round_trip (gconstpointer data)
{
  const FormatCase *tc = data;
  char buf[SYNACK_FLAGS_FORMAT_SIZE];
  guint16 flags;

  if ((tc->flags & SYNACK_FLAG_ALL) == 0)
    return;
  g_assert_true (synack_flags_parse (synack_flags_format (tc->flags, buf), &flags, NULL));
  g_assert_cmphex (flags, ==, tc->flags & SYNACK_FLAG_ALL);
}

static void
test_parse_bad (gconstpointer data)
{
  const BadCase *tc = data;
  g_autoptr (GError) error = NULL;
  guint16 flags = 0xdead;

  g_assert_false (synack_flags_parse (tc->text, &flags, &error));
  g_assert_error (error, SYNACK_SEGMENT_ERROR, SYNACK_SEGMENT_ERROR_BAD_FLAGS);
  g_assert_nonnull (strstr (error->message, tc->message));
  g_assert_cmphex (flags, ==, 0xdead);
}

static void
test_seq (gconstpointer data)
{
  const SeqCase *tc = data;

  g_assert_cmpint (synack_seq_lt (tc->a, tc->b), ==, tc->lt);
  g_assert_cmpint (synack_seq_le (tc->a, tc->b), ==, tc->le);
  g_assert_cmpint (synack_seq_gt (tc->a, tc->b), ==, tc->gt);
  g_assert_cmpint (synack_seq_ge (tc->a, tc->b), ==, tc->ge);
}

static void
test_seq_len (gconstpointer data)
{
  const SeqLenCase *tc = data;
  SynackSegment seg = { .flags = tc->flags, .len_bytes = tc->len_bytes };

  g_assert_cmpuint (synack_segment_seq_len (&seg), ==, tc->seq_len);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (format_cases); i++) {
    g_test_add_data_func (format_cases[i].path, &format_cases[i], test_format);
    g_autofree char *path = g_strconcat ("/segment/round-trip/",
                                         format_cases[i].path + strlen ("/segment/format/"), NULL);
    g_test_add_data_func (path, &format_cases[i], test_round_trip);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (parse_cases); i++)
    g_test_add_data_func (parse_cases[i].path, &parse_cases[i], test_parse);
  for (gsize i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_parse_bad);
  for (gsize i = 0; i < G_N_ELEMENTS (seq_cases); i++)
    g_test_add_data_func (seq_cases[i].path, &seq_cases[i], test_seq);
  for (gsize i = 0; i < G_N_ELEMENTS (seq_len_cases); i++)
    g_test_add_data_func (seq_len_cases[i].path, &seq_len_cases[i], test_seq_len);
  return g_test_run ();
}
