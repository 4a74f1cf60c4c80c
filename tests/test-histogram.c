/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-histogram.c - the log-linear latency histogram.
 *
 * Bucket edges follow HdrHistogram's layout (G. Tene, HdrHistogram,
 * "sub-bucket" scheme, hdrhistogram.org; src/main/java/org/HdrHistogram/
 * AbstractHistogram.java getBucketIndex/getSubBucketIndex) with 2^10
 * sub-buckets per octave and unit buckets below 2^11.  Quantiles are
 * checked against GSL's gsl_stats_quantile_from_sorted_data() (Hyndman and
 * Fan's definition 7) on the same values sorted by gsl_sort(): computed
 * independently of the histogram, each must agree within the stated
 * relative error 2^-11. */
#include <glib.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#include "histogram.h"

/* ---- bucket edges ------------------------------------------------------- */

typedef struct {
  const char *path;
  guint64     value;
  guint       bucket;
  guint64     lo, hi;
} EdgeCase;

#define TOP G_MAXUINT64
static const EdgeCase edge_cases[] = {
  /* path                                 value                bucket  lo                  hi */
  { "/histogram/edge/zero",               0,                   0,      0,                  0 },
  { "/histogram/edge/one",                1,                   1,      1,                  1 },
  { "/histogram/edge/last-unit",          2047,                2047,   2047,               2047 },
  { "/histogram/edge/first-wide",         2048,                2048,   2048,               2049 },
  { "/histogram/edge/first-wide-top",     2049,                2048,   2048,               2049 },
  { "/histogram/edge/second-wide",        2050,                2049,   2050,               2051 },
  { "/histogram/edge/octave-12-last",     4095,                3071,   4094,               4095 },
  { "/histogram/edge/octave-13-first",    4096,                3072,   4096,               4099 },
  /* 1 ms and 1 s in nanoseconds: 2^19 <= 10^6 < 2^20, so buckets of
   * 2^(19-10) ns; 2^29 <= 10^9 < 2^30, buckets of 2^19 ns */
  { "/histogram/edge/1ms",                1000000,             9*1024 + 1953, 999936,       1000447 },
  { "/histogram/edge/1s",                 1000000000,          19*1024 + 1907, 999817216,   1000341503 },
  { "/histogram/edge/2^63",               G_GUINT64_CONSTANT (1) << 63, 53*1024 + 1024,
    G_GUINT64_CONSTANT (1) << 63, (G_GUINT64_CONSTANT (1) << 63) + (G_GUINT64_CONSTANT (1) << 53) - 1 },
  { "/histogram/edge/max",                TOP,                 SYNACK_HISTOGRAM_BUCKETS - 1,
    TOP - ((G_GUINT64_CONSTANT (1) << 53) - 1), TOP },
};

static void
test_edge (gconstpointer data)
{
  const EdgeCase *tc = data;
  guint64 lo, hi;

  g_assert_cmpuint (synack_histogram_bucket_of (tc->value), ==, tc->bucket);
  synack_histogram_bucket_range (tc->bucket, &lo, &hi);
  g_assert_cmpuint (lo, ==, tc->lo);
  g_assert_cmpuint (hi, ==, tc->hi);
}

/* Invariants over every bucket: the buckets tile 0 .. 2^64 - 1 without a
 * gap or an overlap; below 2048 each holds one value, above each is at
 * most 2^-10 of its values wide. */
static void
test_tiling (void)
{
  guint64 next = 0, lo, hi;

  for (guint b = 0; b < SYNACK_HISTOGRAM_BUCKETS; b++) {
    synack_histogram_bucket_range (b, &lo, &hi);
    g_assert_cmpuint (lo, ==, next);
    g_assert_cmpuint (hi, >=, lo);
    g_assert_cmpuint (synack_histogram_bucket_of (lo), ==, b);
    g_assert_cmpuint (synack_histogram_bucket_of (hi), ==, b);
    if (b < 2048)
      g_assert_cmpuint (hi, ==, lo);          /* unit buckets: exact */
    else
      g_assert_cmpfloat ((double) (hi - lo + 1) / (double) lo, <=, 1.0 / 1024);
    next = hi + 1;     /* wraps to 0 after the last bucket */
  }
  g_assert_cmpuint (next, ==, 0);
  g_assert_cmpuint (SYNACK_HISTOGRAM_BUCKETS, ==, 56320);
}

/* ---- values at the ends ------------------------------------------------- */

static void
test_empty (void)
{
  g_autoptr (SynackHistogram) h = synack_histogram_new ();
  guint b = 0;
  guint64 lo, hi, c;

  g_assert_cmpuint (synack_histogram_count (h), ==, 0);
  g_assert_true (isnan (synack_histogram_mean (h)));
  g_assert_true (isnan (synack_histogram_quantile (h, 0.5)));
  g_assert_false (synack_histogram_next (h, &b, &lo, &hi, &c));
}

static void
test_zero_and_max (void)
{
  g_autoptr (SynackHistogram) h = synack_histogram_new ();

  synack_histogram_add (h, 0);
  synack_histogram_add (h, TOP);
  g_assert_cmpuint (synack_histogram_count (h), ==, 2);
  g_assert_cmpuint (synack_histogram_min (h), ==, 0);
  g_assert_cmpuint (synack_histogram_max (h), ==, TOP);
  /* the 128-bit sum: (2^64 - 1) / 2 */
  g_assert_cmpfloat (synack_histogram_mean (h), ==, ldexp (1, 63));
  g_assert_cmpfloat (synack_histogram_quantile (h, 0.0), ==, 0.0);
  g_assert_cmpfloat (synack_histogram_quantile (h, 1.0), ==, (double) TOP);
  g_assert_cmpfloat (synack_histogram_quantile (h, 0.5), ==, (double) TOP / 2);
}

/* add_n (v, k) is k adds, including a product above 2^64 in the sum. */
static void
test_add_n (void)
{
  g_autoptr (SynackHistogram) a = synack_histogram_new ();
  g_autoptr (SynackHistogram) b = synack_histogram_new ();
  g_autoptr (GByteArray) ea = g_byte_array_new ();
  g_autoptr (GByteArray) eb = g_byte_array_new ();

  synack_histogram_add_n (a, G_GUINT64_CONSTANT (3) << 62, 5);
  for (guint i = 0; i < 5; i++)
    synack_histogram_add (b, G_GUINT64_CONSTANT (3) << 62);
  synack_histogram_add_n (a, 7, 0);     /* adds nothing */
  synack_histogram_encode (a, ea);
  synack_histogram_encode (b, eb);
  g_assert_cmpmem (ea->data, ea->len, eb->data, eb->len);
  g_assert_cmpfloat (synack_histogram_mean (a), ==, 3 * ldexp (1, 62));
}

/* ---- quantiles against exact ones ---------------------------------------- */

typedef struct {
  const char *path;
  guint       n;
  double      mu, sigma;   /* lognormal of the value in ns */
} QuantileCase;

static const QuantileCase quantile_cases[] = {
  /* path                                  n       mu                 sigma */
  { "/histogram/quantile/one",             1,      log (30e6),        0.5 },
  { "/histogram/quantile/two",             2,      log (30e6),        0.5 },
  { "/histogram/quantile/small-values",    1000,   log (900),         1.0 },   /* unit buckets */
  { "/histogram/quantile/handshake-like",  100000, log (30e6),        0.8 },
  { "/histogram/quantile/wide",            100000, log (1e9),         4.0 },
};

static const double qs[] = { 0.0, 0.001, 0.25, 0.5, 0.9, 0.95, 0.99, 0.999, 0.9999, 1.0 };

static void
test_quantile (gconstpointer data)
{
  const QuantileCase *tc = data;
  g_autoptr (SynackHistogram) h = synack_histogram_new ();
  g_autofree double *x = g_new (double, tc->n);
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);
  double sum = 0;

  gsl_rng_set (rng, 7);
  for (guint i = 0; i < tc->n; i++) {
    guint64 v = (guint64) llround (gsl_ran_lognormal (rng, tc->mu, tc->sigma));

    synack_histogram_add (h, v);
    x[i] = (double) v;
    sum += x[i];
  }
  gsl_rng_free (rng);
  gsl_sort (x, 1, tc->n);
  for (guint k = 0; k < G_N_ELEMENTS (qs); k++) {
    double exact = gsl_stats_quantile_from_sorted_data (x, 1, tc->n, qs[k]);
    double got = synack_histogram_quantile (h, qs[k]);

    g_assert_cmpfloat (fabs (got - exact), <=, SYNACK_HISTOGRAM_REL_ERROR * exact);
  }
  /* every order statistic, and the exact ends */
  for (guint i = 0; i < tc->n; i++)
    g_assert_cmpfloat (fabs (synack_histogram_value_at_rank (h, i) - x[i]), <=,
                       SYNACK_HISTOGRAM_REL_ERROR * x[i]);
  g_assert_cmpfloat (synack_histogram_quantile (h, 0.0), ==, x[0]);
  g_assert_cmpfloat (synack_histogram_quantile (h, 1.0), ==, x[tc->n - 1]);
  g_assert_cmpfloat (fabs (synack_histogram_mean (h) - sum / tc->n), <=, 1e-12 * sum / tc->n);
}

/* ---- merge and encoding ------------------------------------------------- */

static SynackHistogram *
filled (guint seed, guint n)
{
  SynackHistogram *h = synack_histogram_new ();
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  gsl_rng_set (rng, seed);
  for (guint i = 0; i < n; i++)
    synack_histogram_add (h, (guint64) llround (gsl_ran_lognormal (rng, log (30e6), 1.0)));
  gsl_rng_free (rng);
  return h;
}

/* Merging two histograms gives the one built from all their values: the
 * same bytes, so the same quantiles, mean, min and max. */
static void
test_merge (void)
{
  g_autoptr (SynackHistogram) a = filled (1, 5000);
  g_autoptr (SynackHistogram) b = filled (2, 3000);
  g_autoptr (SynackHistogram) all = synack_histogram_new ();
  g_autoptr (SynackHistogram) empty = synack_histogram_new ();
  g_autoptr (GByteArray) em = g_byte_array_new ();
  g_autoptr (GByteArray) ea = g_byte_array_new ();
  gsl_rng *rng = gsl_rng_alloc (gsl_rng_mt19937);

  for (guint seed = 1; seed <= 2; seed++) {
    gsl_rng_set (rng, seed);
    for (guint i = 0; i < (seed == 1 ? 5000u : 3000u); i++)
      synack_histogram_add (all, (guint64) llround (gsl_ran_lognormal (rng, log (30e6), 1.0)));
  }
  gsl_rng_free (rng);
  /* b first: merging is order-independent; an empty one changes nothing */
  synack_histogram_merge (b, a);
  synack_histogram_merge (b, empty);
  synack_histogram_merge (empty, b);
  synack_histogram_encode (empty, em);
  synack_histogram_encode (all, ea);
  g_assert_cmpmem (em->data, em->len, ea->data, ea->len);
  g_assert_cmpuint (synack_histogram_count (empty), ==, 8000);
}

static void
test_round_trip (void)
{
  g_autoptr (SynackHistogram) a = filled (3, 10000);
  g_autoptr (SynackHistogram) e = synack_histogram_new ();
  g_autoptr (GByteArray) ba = g_byte_array_new ();
  g_autoptr (GByteArray) bb = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackHistogram) b = NULL;
  g_autoptr (SynackHistogram) f = NULL;

  synack_histogram_encode (a, ba);
  b = synack_histogram_decode (ba->data, ba->len, &error);
  g_assert_no_error (error);
  synack_histogram_encode (b, bb);
  g_assert_cmpmem (ba->data, ba->len, bb->data, bb->len);
  g_assert_cmpfloat (synack_histogram_quantile (a, 0.99), ==, synack_histogram_quantile (b, 0.99));
  /* the empty histogram: header only */
  g_byte_array_set_size (ba, 0);
  synack_histogram_encode (e, ba);
  g_assert_cmpuint (ba->len, ==, 56);
  f = synack_histogram_decode (ba->data, ba->len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (synack_histogram_count (f), ==, 0);
}

/* ---- damaged files ------------------------------------------------------ */

typedef enum { CUT_LAST, MAGIC, SUB_BITS, SWAP_ROWS, COUNT, ZERO_ROW, MIN_OUT,
               MAX_OUT, DOUBLES } Damage;

typedef struct {
  const char *path;
  Damage      damage;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "/histogram/bad/truncated",     CUT_LAST,  "its length does not match its bucket count" },
  { "/histogram/bad/magic",         MAGIC,     "no SYNHIST1 header" },
  { "/histogram/bad/sub-bits",      SUB_BITS,  "another bucket resolution" },
  { "/histogram/bad/order",         SWAP_ROWS, "out of range or out of order" },
  { "/histogram/bad/count",         COUNT,     "do not add up to its count" },
  { "/histogram/bad/zero-row",      ZERO_ROW,  "a bucket count is 0" },
  { "/histogram/bad/min",           MIN_OUT,   "its min is not in its first bucket" },
  { "/histogram/bad/max",           MAX_OUT,   "its max is not in its last bucket" },
  /* a file of raw latencies (8-byte doubles) is not a histogram */
  { "/histogram/bad/raw-doubles",   DOUBLES,   "no SYNHIST1 header" },
};

static void
put64 (guint8 *p, guint64 v)
{
  for (guint i = 0; i < 8; i++)
    p[i] = (guint8) (v >> (8 * i));
}

static void
test_bad (gconstpointer data)
{
  const BadCase *tc = data;
  g_autoptr (SynackHistogram) a = synack_histogram_new ();
  g_autoptr (GByteArray) e = g_byte_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackHistogram) b = NULL;
  guint8 row[12];
  double d[4] = { 0.03, 0.031, 0.06, 0.09 };

  synack_histogram_add (a, 1000);
  synack_histogram_add (a, 30000000);
  synack_histogram_add (a, 60000000);
  synack_histogram_encode (a, e);
  /* header 56 bytes, then rows of 12 */
  switch (tc->damage) {
    case CUT_LAST:  g_byte_array_set_size (e, e->len - 1); break;
    case MAGIC:     e->data[0] = 'X'; break;
    case SUB_BITS:  e->data[8] = 9; break;
    case SWAP_ROWS:
      memcpy (row, e->data + 56, 12);
      memcpy (e->data + 56, e->data + 68, 12);
      memcpy (e->data + 68, row, 12);
      break;
    case COUNT:     put64 (e->data + 16, 4); break;
    case ZERO_ROW:  put64 (e->data + 56 + 4, 0); break;
    case MIN_OUT:   put64 (e->data + 24, 999); break;
    case MAX_OUT:   put64 (e->data + 32, 70000000); break;
    case DOUBLES:
      g_byte_array_set_size (e, 0);
      g_byte_array_append (e, (const guint8 *) d, sizeof d);
      break;
  }
  b = synack_histogram_decode (e->data, e->len, &error);
  g_assert_null (b);
  g_assert_error (error, SYNACK_HISTOGRAM_ERROR, SYNACK_HISTOGRAM_ERROR_FORMAT);
  g_assert_nonnull (strstr (error->message, tc->message));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (edge_cases); i++)
    g_test_add_data_func (edge_cases[i].path, &edge_cases[i], test_edge);
  g_test_add_func ("/histogram/edge/tiling", test_tiling);
  g_test_add_func ("/histogram/ends/empty", test_empty);
  g_test_add_func ("/histogram/ends/zero-and-max", test_zero_and_max);
  g_test_add_func ("/histogram/ends/add-n", test_add_n);
  for (guint i = 0; i < G_N_ELEMENTS (quantile_cases); i++)
    g_test_add_data_func (quantile_cases[i].path, &quantile_cases[i], test_quantile);
  g_test_add_func ("/histogram/merge", test_merge);
  g_test_add_func ("/histogram/encoding/round-trip", test_round_trip);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  return g_test_run ();
}
