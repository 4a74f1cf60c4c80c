/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/histogram.h - a fixed-size log-linear histogram of non-negative
 * integers (latencies in nanoseconds), HdrHistogram-style.
 *
 * Values below 2^(SUB_BITS+1) = 2048 have a bucket each (exact); above,
 * every octave [2^k, 2^(k+1)) is cut into 2^SUB_BITS = 1024 equal buckets,
 * so a bucket is at most 1/1024 of the values in it wide.  A value read
 * back is the middle of its bucket: within SYNACK_HISTOGRAM_REL_ERROR
 * (2^-11, 0.049 %) of the value that was added, whatever its size, from
 * 1 ns to 2^64 - 1 ns.  Count, min, max and the sum (128 bits) are kept
 * exactly, so the mean, the smallest and the largest value are exact.
 *
 * 56 320 counters of 8 bytes: 440 KB whatever the number of values, which
 * is what lets a run of 10^9 attempts keep its latency distribution. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_HISTOGRAM_SUB_BITS 10
/* buckets: 2^(SUB_BITS+1) unit ones, then 2^SUB_BITS per octave up to 2^64 */
#define SYNACK_HISTOGRAM_BUCKETS \
  ((64 - SYNACK_HISTOGRAM_SUB_BITS + 1) << SYNACK_HISTOGRAM_SUB_BITS)
/* the largest |read back - added| / added: half a bucket of relative width
 * 2^-SUB_BITS */
#define SYNACK_HISTOGRAM_REL_ERROR \
  (1.0 / (double) (2u << SYNACK_HISTOGRAM_SUB_BITS))

#define SYNACK_HISTOGRAM_ERROR (synack_histogram_error_quark ())
GQuark synack_histogram_error_quark (void);
typedef enum {
  SYNACK_HISTOGRAM_ERROR_FORMAT,   /* not an encoded histogram, or damaged */
} SynackHistogramError;

typedef struct _SynackHistogram SynackHistogram;   /* opaque */

/* Returns: (transfer full) an empty histogram; free with
 * synack_histogram_free(). */
SynackHistogram *synack_histogram_new   (void);
SynackHistogram *synack_histogram_copy  (const SynackHistogram *h);
void             synack_histogram_free  (SynackHistogram *h);  /* NULL: fine */
void             synack_histogram_clear (SynackHistogram *h);  /* empty */

/* Adds @value (@count times). */
void     synack_histogram_add   (SynackHistogram *h, guint64 value);
void     synack_histogram_add_n (SynackHistogram *h, guint64 value,
                                 guint64 count);
/* Adds every value of @src to @dst: the same as adding them one by one. */
void     synack_histogram_merge (SynackHistogram *dst,
                                 const SynackHistogram *src);

guint64  synack_histogram_count (const SynackHistogram *h);
/* Exact smallest and largest value added; 0 when empty. */
guint64  synack_histogram_min   (const SynackHistogram *h);
guint64  synack_histogram_max   (const SynackHistogram *h);
/* Exact sum / count, rounded once to a double; NAN when empty. */
double   synack_histogram_mean  (const SynackHistogram *h);

/* The bucket @value falls in, and the values [*@lo, *@hi] a bucket holds. */
guint    synack_histogram_bucket_of    (guint64 value);
void     synack_histogram_bucket_range (guint bucket, guint64 *lo,
                                        guint64 *hi);

/* The @rank-th smallest value added (from 0, < count): the middle of its
 * bucket, kept within [min, max]; rank 0 is min and rank count-1 is max,
 * exactly.  Within SYNACK_HISTOGRAM_REL_ERROR of the exact order statistic. */
double   synack_histogram_value_at_rank (const SynackHistogram *h,
                                         guint64 rank);
/* Quantile @q (0..1) as gsl_stats_quantile_from_sorted_data() computes it
 * on the sorted values (linear between the order statistics at
 * floor and ceil of q (n - 1)), on value_at_rank(): so within
 * SYNACK_HISTOGRAM_REL_ERROR of the exact sample quantile.  NAN when empty. */
double   synack_histogram_quantile (const SynackHistogram *h, double q);

/* Iterates the non-empty buckets in increasing order: start with *@bucket
 * = 0; each call fills the next one's range and count and returns TRUE,
 * then FALSE at the end. */
gboolean synack_histogram_next (const SynackHistogram *h, guint *bucket,
                                guint64 *lo, guint64 *hi, guint64 *count);

/* The histogram as bytes (little-endian, versioned, only non-empty buckets:
 * 56 bytes + 12 per non-empty bucket), appended to @out. */
void     synack_histogram_encode (const SynackHistogram *h, GByteArray *out);
/* Whether @data starts like an encoded histogram (its magic). */
gboolean synack_histogram_is_encoded (const guint8 *data, gsize len);
/* Returns: (transfer full) the histogram @data encodes, or NULL with
 * SYNACK_HISTOGRAM_ERROR_FORMAT (the message says what is wrong). */
SynackHistogram *synack_histogram_decode (const guint8 *data, gsize len,
                                          GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackHistogram, synack_histogram_free)

/* Latencies as a run or a sweep point keeps them: every value (small
 * runs) or a histogram (large ones); see SYNACK_EXACT_SAMPLES_MAX. */
typedef struct {
  GArray          *exact;   /* (element-type double) seconds, or NULL */
  SynackHistogram *hist;    /* nanoseconds, or NULL */
} SynackSamples;

/* Frees what @samples holds and sets both to NULL. */
void     synack_samples_clear (SynackSamples *samples);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SynackSamples, synack_samples_clear)
/* Turns @samples into a histogram: its exact values (whole nanoseconds
 * divided by 10^9, as runs write them) are added to it. */
void     synack_samples_to_histogram (SynackSamples *samples);
/* Number of latencies in @samples. */
guint64  synack_samples_count (const SynackSamples *samples);

G_END_DECLS
