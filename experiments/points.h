/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/points.h - the sweep points of a [sweep]: the product of the
 * swept keys' values, with zipped keys advancing together and the points a
 * constraint rejects left out (OMNeT++'s parallel iteration "${...!i}" and
 * "constraint =", ns-3 sem's parameter lists).
 *
 *   [sweep]
 *   link.delay.base = 10ms, 50ms, 200ms
 *   tcp.rto_initial = 200ms, 1s, 3s
 *   link.loss.p     = 0:0.1:0.3
 *   zip             = link.delay.base, tcp.rto_initial
 *   constraint      = link.loss.p <= 0.2 || link.delay.base < 100ms
 *
 * gives 3 x 4 = 12 candidate points ((10ms, 200ms), (50ms, 1s), (200ms,
 * 3s) each with every loss rate), of which the constraint keeps 11.  Keys
 * are dimensions in the order they are written, the last varying fastest,
 * a zip group taking the place of its first key; without zip and
 * constraint the points are the plain product in that order, so point
 * numbers (and the seeds derived from them) are those of a sweep without
 * these keys. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_POINTS_ERROR (synack_points_error_quark ())
typedef enum {
  SYNACK_POINTS_ERROR_ZIP, /* a zipped key not swept, twice, or lists of other
                              lengths */
  SYNACK_POINTS_ERROR_SYNTAX, /* the constraint does not parse */
  SYNACK_POINTS_ERROR_UNKNOWN_KEY, /* the constraint names a key that is not
                                      swept */
  SYNACK_POINTS_ERROR_TYPE, /* "50ms < 0.1", "\"linux\" > 3", not true/false */
  SYNACK_POINTS_ERROR_EMPTY, /* the constraint keeps no point */
  SYNACK_POINTS_ERROR_TOO_MANY, /* more candidates than SYNACK_POINTS_MAX */
} SynackPointsError;
GQuark synack_points_error_quark (void);

/* Most candidate points (before the constraint). */
#define SYNACK_POINTS_MAX 100000u

typedef struct _SynackPoints SynackPoints;

/* The points of @n_keys swept keys @keys ("SECTION.KEY"), key k having
 * values @values[k] (element-type utf8).  @zip: (nullable) groups of keys
 * that advance together, "a, b; c, d" (a group per ';').  @constraint:
 * (nullable) an expression over the swept keys; see synack_points_new's
 * grammar in points.c.  Errors say only what is wrong; the caller adds
 * file, line and key.  Returns: (transfer full) or NULL with @error. */
SynackPoints *synack_points_new   (guint n_keys, const char *const *keys,
                                   GPtrArray *const *values, const char *zip,
                                   const char *constraint, GError **error);
void          synack_points_free  (SynackPoints *pts);   /* NULL is fine */
guint         synack_points_count (const SynackPoints *pts);
/* The index into @values[@key] of point @point's value of @key. */
guint synack_points_value (const SynackPoints *pts, guint point, guint key);

/* Evaluates @constraint with key k = @values[k] (for tests and `synack
 * check`).  Returns: FALSE with @error. */
gboolean synack_points_eval (const char *constraint, guint n_keys,
                             const char *const *keys,
                             const char *const *values, gboolean *result,
                             GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackPoints, synack_points_free)

G_END_DECLS
