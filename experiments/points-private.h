/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/points-private.h - what points.c (the points) uses of
 * points-expr.c (the constraint expression).  Private to
 * libexperiments. */
#ifndef SYNACK_POINTS_PRIVATE_H
#define SYNACK_POINTS_PRIVATE_H

#include "points.h"

/* Returns: (transfer full) the tokens of @text (T_KEY: an index into
 * @keys), or NULL with @error set. */
G_GNUC_INTERNAL GArray  *points_tokenize (const char *text, guint n_keys,
                                          const char *const *keys,
                                          GError **error);
/* Evaluates tokenized @toks at @values. */
G_GNUC_INTERNAL gboolean points_eval_toks (GArray *toks,
                                           const char *const *keys,
                                           const char *const *values,
                                           gboolean *result, GError **error);

#endif /* SYNACK_POINTS_PRIVATE_H */
