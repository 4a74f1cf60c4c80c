/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/points.c - sweep points: product, zip, constraint (see
 * points.h).  The constraint expression is in points-expr.c. */
#include "points.h"
#include "points-private.h"

#include <string.h>

#include "text.h"

G_DEFINE_QUARK (synack-points-error-quark, synack_points_error)

struct _SynackPoints {
  guint  n_keys;
  guint  n_points;
  guint *index;     /* [n_points * n_keys]: value index of each key */
};

/* ---- the points ---------------------------------------------------------- */

SynackPoints *
synack_points_new (guint n_keys, const char *const *keys,
                   GPtrArray *const *values, const char *zip,
                   const char *constraint, GError **error)
{
  g_autofree guint *group = g_new (guint, MAX (n_keys, 1));
  g_autofree gboolean *zipped = g_new0 (gboolean, MAX (n_keys, 1));
  g_autoptr (GArray) dims =
    g_array_new (FALSE, FALSE, sizeof (guint)); /* first key of each */
  g_autoptr (GArray) toks = NULL;
  g_autofree guint *digit = NULL;
  g_autofree const char **vals = g_new0 (const char *, n_keys + 1);
  g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));
  SynackPoints *pts;
  guint64 candidates = 1;

  for (guint k = 0; k < n_keys; k++)
    group[k] = k;   /* alone */
  if (zip != NULL) {
    g_auto (GStrv) groups = g_strsplit (zip, ";", -1);

    for (guint g = 0; groups[g]; g++) {
      g_auto (GStrv) names = g_strsplit (groups[g], ",", -1);
      g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
      guint first = G_MAXUINT;

      if (g_strv_length (names) < 2) {
        g_set_error (
          error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
          "\"%s\": a zip group needs two keys or more, separated by commas",
          g_strstrip (groups[g]));
        return NULL;
      }
      for (guint i = 0; names[i]; i++) {
        const char *name = g_strstrip (names[i]);
        guint k;

        for (k = 0; k < n_keys && strcmp (keys[k], name) != 0; k++)
          ;
        if (k == n_keys) {
          const char *hint = synack_text_suggest (name, keys);

          g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
                       "%s is not a swept key%s%s%s", name,
                       hint ? "; did you mean \"" : "", hint ? hint : "",
                       hint ? "\"?" : "");
          return NULL;
        }
        if (zipped[k]) {
          g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
                       "%s is zipped twice", name);
          return NULL;
        }
        zipped[k] = TRUE;
        if (first == G_MAXUINT) {
          first = k;
          continue;
        }
        if (values[k]->len != values[first]->len) {
          g_set_error (
            error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
            "%s has %u values and %s %u: zipped keys advance together, so "
            "they need as many",
            keys[first], values[first]->len, name, values[k]->len);
          return NULL;
        }
        g_array_append_val (members, k);
      }
      /* the group takes the place of its key written first in [sweep] */
      g_array_append_val (members, first);
      {
        guint leader = G_MAXUINT;

        for (guint m = 0; m < members->len; m++)
          leader = MIN (leader, g_array_index (members, guint, m));
        for (guint m = 0; m < members->len; m++)
          group[g_array_index (members, guint, m)] = leader;
      }
    }
  }
  for (guint k = 0; k < n_keys; k++)
    if (group[k] == k) {
      g_array_append_val (dims, k);
      candidates *= values[k]->len;
      if (candidates > SYNACK_POINTS_MAX) {
        g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_TOO_MANY,
                     "the sweep has more than %u points", SYNACK_POINTS_MAX);
        return NULL;
      }
    }
  if (constraint != NULL &&
      (toks = points_tokenize (constraint, n_keys, keys, error)) == NULL)
    return NULL;
  digit = g_new0 (guint, dims->len + 1);
  for (guint64 c = 0; c < candidates; c++) {
    gboolean keep = TRUE;

    /* mixed radix, the last dimension fastest */
    guint64 rest = c;

    for (guint d = dims->len; d-- > 0;) {
      guint n = values[g_array_index (dims, guint, d)]->len;

      digit[d] = (guint) (rest % n);
      rest /= n;
    }
    if (toks != NULL) {
      for (guint k = 0; k < n_keys; k++) {
        guint d;

        for (d = 0; g_array_index (dims, guint, d) != group[k]; d++)
          ;
        vals[k] = values[k]->pdata[digit[d]];
      }
      if (!points_eval_toks (toks, keys, vals, &keep, error)) {
        GString *at = g_string_new (NULL);

        for (guint k = 0; k < n_keys; k++)
          g_string_append_printf (at, "%s%s=%s", k ? " " : "", keys[k],
                                  vals[k]);
        g_prefix_error (error, "at %s: ", at->str);
        g_string_free (at, TRUE);
        return NULL;
      }
    }
    if (keep) {
      guint cc = (guint) c;

      g_array_append_val (kept, cc);
    }
  }
  if (kept->len == 0) {
    g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_EMPTY,
                 "the constraint keeps none of the %" G_GUINT64_FORMAT
                 " points",
                 candidates);
    return NULL;
  }
  pts = g_new0 (SynackPoints, 1);
  pts->n_keys = n_keys;
  pts->n_points = kept->len;
  pts->index = g_new (guint, (gsize) kept->len * MAX (n_keys, 1));
  for (guint p = 0; p < kept->len; p++) {
    guint64 rest = g_array_index (kept, guint, p);

    for (guint d = dims->len; d-- > 0;) {
      guint n = values[g_array_index (dims, guint, d)]->len;

      digit[d] = (guint) (rest % n);
      rest /= n;
    }
    for (guint k = 0; k < n_keys; k++) {
      guint d;

      for (d = 0; g_array_index (dims, guint, d) != group[k]; d++)
        ;
      pts->index[(gsize) p * n_keys + k] = digit[d];
    }
  }
  return pts;
}

void
synack_points_free (SynackPoints *pts)
{
  if (pts == NULL)
    return;
  g_free (pts->index);
  g_free (pts);
}

guint
synack_points_count (const SynackPoints *pts)
{
  return pts->n_points;
}

guint
synack_points_value (const SynackPoints *pts, guint point, guint key)
{
  g_return_val_if_fail (point < pts->n_points && key < pts->n_keys, 0);
  return pts->index[(gsize) point * pts->n_keys + key];
}
