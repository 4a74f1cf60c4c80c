/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/histogram.c - log-linear histogram (see histogram.h).
 *
 * Why this layout: HdrHistogram's (Gil Tene, "HdrHistogram: A High Dynamic
 * Range Histogram", hdrhistogram.org): the bucket of a value is two shifts
 * and an add (the octave from its leading zero count, the position in the
 * octave from its top SUB_BITS + 1 bits), so adding costs what an array
 * append did, and the relative error is the same at 1 ms as at 100 s,
 * which equal-width buckets cannot give over five decades of latency.
 * One dense array rather than pages per octave: 440 KB is small beside a
 * run's other state, a run keeps two (handshake, request), and the scans
 * (quantiles, encoding) are 56 320 counters, microseconds.
 *
 * The sum is 128 bits (two guint64): 10^9 values of 100 s in nanoseconds
 * (10^20) overflow 64 bits, and an integer sum is exact and independent of
 * the order of the adds, so a merged histogram equals one built directly. */
#include "histogram.h"

#include <math.h>
#include <string.h>

G_DEFINE_QUARK (synack-histogram-error-quark, synack_histogram_error)

#define SUB (1u << SYNACK_HISTOGRAM_SUB_BITS)

struct _SynackHistogram {
  guint64 count, min, max;
  guint64 sum_hi, sum_lo;
  guint64 counts[SYNACK_HISTOGRAM_BUCKETS];
};

SynackHistogram *
synack_histogram_new (void)
{
  return g_new0 (SynackHistogram, 1);
}

SynackHistogram *
synack_histogram_copy (const SynackHistogram *h)
{
  g_return_val_if_fail (h != NULL, NULL);

  return g_memdup2 (h, sizeof *h);
}

void
synack_histogram_free (SynackHistogram *h)
{
  g_free (h);
}

void
synack_histogram_clear (SynackHistogram *h)
{
  g_return_if_fail (h != NULL);

  memset (h, 0, sizeof *h);
}

guint
synack_histogram_bucket_of (guint64 value)
{
  guint shift;

  if (value < 2 * SUB)
    return (guint) value;
  /* the top SUB_BITS + 1 bits of @value, whose first is 1: [SUB, 2 SUB) */
  shift = (guint) (63 - __builtin_clzll (value)) - SYNACK_HISTOGRAM_SUB_BITS;
  return shift * SUB + (guint) (value >> shift);
}

void
synack_histogram_bucket_range (guint bucket, guint64 *lo, guint64 *hi)
{
  guint shift;
  guint64 top;

  g_return_if_fail (bucket < SYNACK_HISTOGRAM_BUCKETS);

  if (bucket < 2 * SUB) {
    *lo = *hi = bucket;
    return;
  }
  shift = bucket / SUB - 1;
  top = bucket - shift * SUB;
  *lo = top << shift;
  *hi = *lo + ((G_GUINT64_CONSTANT (1) << shift) - 1);
}

static void
sum_add (SynackHistogram *h, guint64 hi, guint64 lo)
{
  h->sum_lo += lo;
  h->sum_hi += hi + (h->sum_lo < lo);
}

void
synack_histogram_add_n (SynackHistogram *h, guint64 value, guint64 count)
{
  guint64 hi, lo;

  g_return_if_fail (h != NULL);

  if (count == 0)
    return;
  if (h->count == 0 || value < h->min)
    h->min = value;
  if (h->count == 0 || value > h->max)
    h->max = value;
  h->count += count;
  h->counts[synack_histogram_bucket_of (value)] += count;
  /* value * count in 128 bits, from 32-bit halves */
  {
    guint64 v0 = value & 0xffffffffu, v1 = value >> 32;
    guint64 c0 = count & 0xffffffffu, c1 = count >> 32;
    guint64 p00 = v0 * c0, p01 = v0 * c1, p10 = v1 * c0, p11 = v1 * c1;
    guint64 mid = (p00 >> 32) + (p01 & 0xffffffffu) + (p10 & 0xffffffffu);

    lo = (p00 & 0xffffffffu) | (mid << 32);
    hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
  }
  sum_add (h, hi, lo);
}

void
synack_histogram_add (SynackHistogram *h, guint64 value)
{
  g_return_if_fail (h != NULL);

  if (h->count == 0 || value < h->min)
    h->min = value;
  if (h->count == 0 || value > h->max)
    h->max = value;
  h->count++;
  h->counts[synack_histogram_bucket_of (value)]++;
  sum_add (h, 0, value);
}

void
synack_histogram_merge (SynackHistogram *dst, const SynackHistogram *src)
{
  g_return_if_fail (dst != NULL && src != NULL);

  if (src->count == 0)
    return;
  if (dst->count == 0 || src->min < dst->min)
    dst->min = src->min;
  if (dst->count == 0 || src->max > dst->max)
    dst->max = src->max;
  dst->count += src->count;
  sum_add (dst, src->sum_hi, src->sum_lo);
  for (guint i = 0; i < SYNACK_HISTOGRAM_BUCKETS; i++)
    dst->counts[i] += src->counts[i];
}

guint64
synack_histogram_count (const SynackHistogram *h)
{
  return h->count;
}

guint64
synack_histogram_min (const SynackHistogram *h)
{
  return h->min;
}

guint64
synack_histogram_max (const SynackHistogram *h)
{
  return h->max;
}

double
synack_histogram_mean (const SynackHistogram *h)
{
  if (h->count == 0)
    return NAN;
  return (ldexp ((double) h->sum_hi, 64) + (double) h->sum_lo) /
         (double) h->count;
}

double
synack_histogram_value_at_rank (const SynackHistogram *h, guint64 rank)
{
  guint64 seen = 0, lo, hi;
  double mid;

  g_return_val_if_fail (h != NULL && rank < h->count, NAN);

  if (rank == 0)
    return (double) h->min;
  if (rank == h->count - 1)
    return (double) h->max;
  for (guint i = 0; i < SYNACK_HISTOGRAM_BUCKETS; i++) {
    seen += h->counts[i];
    if (seen > rank) {
      synack_histogram_bucket_range (i, &lo, &hi);
      /* the bucket's values that were added lie within [min, max] too */
      lo = MAX (lo, h->min);
      hi = MIN (hi, h->max);
      mid = (double) lo + (double) (hi - lo) / 2.0;
      return mid;
    }
  }
  g_return_val_if_reached (NAN);
}

double
synack_histogram_quantile (const SynackHistogram *h, double q)
{
  double index, delta;
  guint64 lhs;

  g_return_val_if_fail (h != NULL && q >= 0.0 && q <= 1.0, NAN);

  if (h->count == 0)
    return NAN;
  /* gsl_stats_quantile_from_sorted_data(), GSL 2.7
   * statistics/quantiles_source.c */
  index = q * (double) (h->count - 1);
  lhs = (guint64) index;
  delta = index - (double) lhs;
  if (lhs >= h->count - 1)
    return synack_histogram_value_at_rank (h, h->count - 1);
  return (1 - delta) * synack_histogram_value_at_rank (h, lhs) +
         delta * synack_histogram_value_at_rank (h, lhs + 1);
}

gboolean
synack_histogram_next (const SynackHistogram *h, guint *bucket, guint64 *lo,
                       guint64 *hi, guint64 *count)
{
  for (guint i = *bucket; i < SYNACK_HISTOGRAM_BUCKETS; i++) {
    if (h->counts[i] == 0)
      continue;
    synack_histogram_bucket_range (i, lo, hi);
    *count = h->counts[i];
    *bucket = i + 1;
    return TRUE;
  }
  *bucket = SYNACK_HISTOGRAM_BUCKETS;
  return FALSE;
}

/* ---- encoding ---------------------------------------------------------- */

static const char magic[8] = { 'S', 'Y', 'N', 'H', 'I', 'S', 'T', '1' };
#define HEADER_BYTES (8 + 4 + 4 + 5 * 8)
#define ROW_BYTES (4 + 8)

static void
put_u32 (GByteArray *out, guint32 v)
{
  guint8 b[4];

  for (guint i = 0; i < 4; i++)
    b[i] = (guint8) (v >> (8 * i));
  g_byte_array_append (out, b, 4);
}

static void
put_u64 (GByteArray *out, guint64 v)
{
  guint8 b[8];

  for (guint i = 0; i < 8; i++)
    b[i] = (guint8) (v >> (8 * i));
  g_byte_array_append (out, b, 8);
}

static guint32
get_u32 (const guint8 *p)
{
  return (guint32) p[0] | (guint32) p[1] << 8 | (guint32) p[2] << 16 |
         (guint32) p[3] << 24;
}

static guint64
get_u64 (const guint8 *p)
{
  return (guint64) get_u32 (p) | (guint64) get_u32 (p + 4) << 32;
}

void
synack_histogram_encode (const SynackHistogram *h, GByteArray *out)
{
  guint32 n = 0;

  g_return_if_fail (h != NULL && out != NULL);

  for (guint i = 0; i < SYNACK_HISTOGRAM_BUCKETS; i++)
    n += h->counts[i] != 0;
  g_byte_array_append (out, (const guint8 *) magic, sizeof magic);
  put_u32 (out, SYNACK_HISTOGRAM_SUB_BITS);
  put_u32 (out, n);
  put_u64 (out, h->count);
  put_u64 (out, h->min);
  put_u64 (out, h->max);
  put_u64 (out, h->sum_hi);
  put_u64 (out, h->sum_lo);
  for (guint i = 0; i < SYNACK_HISTOGRAM_BUCKETS; i++) {
    if (h->counts[i] == 0)
      continue;
    put_u32 (out, i);
    put_u64 (out, h->counts[i]);
  }
}

gboolean
synack_histogram_is_encoded (const guint8 *data, gsize len)
{
  return len >= sizeof magic && memcmp (data, magic, sizeof magic) == 0;
}

static SynackHistogram *
bad (GError **error, SynackHistogram *h, const char *what)
{
  synack_histogram_free (h);
  g_set_error (error, SYNACK_HISTOGRAM_ERROR, SYNACK_HISTOGRAM_ERROR_FORMAT,
               "not a latency histogram: %s", what);
  return NULL;
}

SynackHistogram *
synack_histogram_decode (const guint8 *data, gsize len, GError **error)
{
  SynackHistogram *h;
  guint32 n;
  guint64 total = 0, lo, hi;
  guint first = SYNACK_HISTOGRAM_BUCKETS, last = 0;

  if (!synack_histogram_is_encoded (data, len) || len < HEADER_BYTES)
    return bad (error, NULL, "no SYNHIST1 header");
  if (get_u32 (data + 8) != SYNACK_HISTOGRAM_SUB_BITS)
    return bad (error, NULL, "another bucket resolution than this synack's");
  n = get_u32 (data + 12);
  if (n > SYNACK_HISTOGRAM_BUCKETS ||
      len != HEADER_BYTES + (gsize) n * ROW_BYTES)
    return bad (error, NULL,
                "its length does not match its bucket count (truncated?)");
  h = synack_histogram_new ();
  h->count = get_u64 (data + 16);
  h->min = get_u64 (data + 24);
  h->max = get_u64 (data + 32);
  h->sum_hi = get_u64 (data + 40);
  h->sum_lo = get_u64 (data + 48);
  for (guint32 k = 0; k < n; k++) {
    const guint8 *row = data + HEADER_BYTES + (gsize) k * ROW_BYTES;
    guint32 i = get_u32 (row);
    guint64 c = get_u64 (row + 4);

    if (i >= SYNACK_HISTOGRAM_BUCKETS || (k > 0 && i <= last))
      return bad (error, h, "bucket numbers out of range or out of order");
    if (c == 0 || total + c < total)
      return bad (error, h, "a bucket count is 0 or the counts overflow");
    h->counts[i] = c;
    total += c;
    if (k == 0)
      first = i;
    last = i;
  }
  if (total != h->count)
    return bad (error, h, "the bucket counts do not add up to its count");
  if (h->count == 0) {
    if (h->min != 0 || h->max != 0 || h->sum_hi != 0 || h->sum_lo != 0)
      return bad (error, h, "an empty histogram with a min, max or sum");
    return h;
  }
  synack_histogram_bucket_range (first, &lo, &hi);
  if (h->min < lo || h->min > hi)
    return bad (error, h, "its min is not in its first bucket");
  synack_histogram_bucket_range (last, &lo, &hi);
  if (h->max < lo || h->max > hi)
    return bad (error, h, "its max is not in its last bucket");
  return h;
}

/* ---- exact or histogram ------------------------------------------------ */

void
synack_samples_clear (SynackSamples *samples)
{
  g_return_if_fail (samples != NULL);

  g_clear_pointer (&samples->exact, g_array_unref);
  g_clear_pointer (&samples->hist, synack_histogram_free);
}

void
synack_samples_to_histogram (SynackSamples *samples)
{
  g_return_if_fail (samples != NULL);

  if (samples->hist == NULL)
    samples->hist = synack_histogram_new ();
  if (samples->exact == NULL)
    return;
  for (guint i = 0; i < samples->exact->len; i++) {
    double s = g_array_index (samples->exact, double, i);

    /* back to the whole nanoseconds they were computed from */
    synack_histogram_add (samples->hist,
                          (guint64) llround (MAX (s, 0.0) * 1e9));
  }
  g_array_set_size (samples->exact, 0);
}

guint64
synack_samples_count (const SynackSamples *samples)
{
  return (samples->exact != NULL ? samples->exact->len : 0) +
         (samples->hist != NULL ? synack_histogram_count (samples->hist) : 0);
}
