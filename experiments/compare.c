/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/compare.c - see compare.h. */
#include "compare.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <string.h>

#include "csv.h"
#include "results.h"
#include "stats.h"
#include "text.h"

G_DEFINE_QUARK (synack-compare-error-quark, synack_compare_error)

/* One side: runs.csv, its sweep columns, its metric columns, and the
 * rows of each point (by the text of its matched sweep values). */
typedef struct {
  SynackCsv  *csv;
  GPtrArray *keys; /* sweep keys, runs.csv order (char *, owned by csv) */
  GArray     *key_cols;    /* int */
  guint       first_metric;
  int         where_col;   /* -1: none */
  char       *where_value;
  GHashTable *points;      /* "v1\x1fv2" -> GArray of row indices */
  GPtrArray  *order;       /* the point labels in file order */
} Side;

static void
side_clear (Side *s)
{
  g_clear_pointer (&s->csv, synack_csv_free);
  g_clear_pointer (&s->keys, g_ptr_array_unref);
  g_clear_pointer (&s->key_cols, g_array_unref);
  g_clear_pointer (&s->points, g_hash_table_unref);
  g_clear_pointer (&s->order, g_ptr_array_unref);
  g_clear_pointer (&s->where_value, g_free);
}

static gboolean
side_load (Side *s, const char *dir, const char *where, GError **error)
{
  g_autofree char *path = synack_results_path (dir, SYNACK_RESULTS_RUNS);
  int cseed;
  g_autofree char *where_key = NULL;

  s->csv = synack_csv_read (path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
  if (s->csv == NULL)
    return FALSE;
  cseed = synack_csv_column (s->csv, "seed");
  if (cseed != 2 || synack_csv_column (s->csv, "attempts") < 0) {
    g_set_error (error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_IO,
                 "%s:1: not a runs.csv of synack (point,replication,seed,...)",
                 path);
    return FALSE;
  }
  s->keys = g_ptr_array_new ();
  s->key_cols = g_array_new (FALSE, FALSE, sizeof (int));
  s->where_col = -1;
  s->first_metric = (guint) synack_csv_column (s->csv, "attempts");
  if (where != NULL) {
    const char *eq = strchr (where, '=');

    if (eq == NULL || eq == where) {
      g_set_error (
        error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_BAD_WHERE,
        "%s: expected KEY=VALUE (a swept key and one of its values)", where);
      return FALSE;
    }
    where_key = g_strndup (where, (gsize) (eq - where));
    s->where_value = g_strdup (eq + 1);
  }
  for (guint c = 3; c < s->first_metric; c++) {
    const char *key = s->csv->header->pdata[c];

    if (where_key != NULL && strcmp (key, where_key) == 0) {
      s->where_col = (int) c;
      continue;
    }
    g_ptr_array_add (s->keys, (gpointer) key);
    g_array_append_val (s->key_cols, c);
  }
  if (where_key != NULL && s->where_col < 0) {
    g_set_error (error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_BAD_WHERE,
                 "%s: %s does not sweep %s", where, dir, where_key);
    return FALSE;
  }
  s->points = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                     (GDestroyNotify) g_array_unref);
  s->order = g_ptr_array_new ();
  for (guint row = 0; row < s->csv->rows->len; row++) {
    GString *label = g_string_new (NULL);
    GArray *rows;

    if (s->where_col >= 0 &&
        strcmp (synack_csv_cell (s->csv, row, (guint) s->where_col),
                s->where_value) != 0) {
      g_string_free (label, TRUE);
      continue;
    }
    for (guint k = 0; k < s->key_cols->len; k++) {
      if (k)
        g_string_append_c (label, '\x1f');
      g_string_append (
        label, synack_csv_cell (s->csv, row,
                                (guint) g_array_index (s->key_cols, int, k)));
    }
    rows = g_hash_table_lookup (s->points, label->str);
    if (rows == NULL) {
      rows = g_array_new (FALSE, FALSE, sizeof (guint));
      g_ptr_array_add (s->order, label->str);
      g_hash_table_insert (s->points, g_string_free (label, FALSE), rows);
    } else {
      g_string_free (label, TRUE);
    }
    g_array_append_val (rows, row);
  }
  if (s->where_col >= 0 && s->order->len == 0) {
    g_set_error (error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_BAD_WHERE,
                 "%s: no run of %s has that value", where, dir);
    return FALSE;
  }
  return TRUE;
}

static void
put (GString *s, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  g_string_append_c (s, ',');
  if (!isnan (v))
    g_string_append (s, g_ascii_formatd (buf, sizeof buf, "%.9g", v));
}

/* Welch's interval for mean(b) - mean(a). */
static SynackInterval
welch (const double *a, guint na, const double *b, guint nb, double level)
{
  SynackInterval ia = synack_stats_mean_ci (a, na, level);
  SynackInterval ib = synack_stats_mean_ci (b, nb, level);
  SynackInterval d = { ib.mean - ia.mean, NAN, NAN };
  double va = 0, vb = 0, se2, df, t;

  if (na < 2 || nb < 2)
    return d;
  for (guint i = 0; i < na; i++)
    va += (a[i] - ia.mean) * (a[i] - ia.mean);
  for (guint i = 0; i < nb; i++)
    vb += (b[i] - ib.mean) * (b[i] - ib.mean);
  va /= na - 1;
  vb /= nb - 1;
  se2 = va / na + vb / nb;
  if (se2 == 0) {
    d.lo = d.hi = d.mean;
    return d;
  }
  df = se2 * se2 /
       ((va / na) * (va / na) / (na - 1) + (vb / nb) * (vb / nb) / (nb - 1));
  t = gsl_cdf_tdist_Pinv (0.5 + level / 2, df);
  d.lo = d.mean - t * sqrt (se2);
  d.hi = d.mean + t * sqrt (se2);
  return d;
}

static guint64
seed_of (const Side *s, guint row)
{
  return g_ascii_strtoull (synack_csv_cell (s->csv, row, 2), NULL, 10);
}

static guint64
rep_of (const Side *s, guint row)
{
  return g_ascii_strtoull (synack_csv_cell (s->csv, row, 1), NULL, 10);
}

gboolean
synack_compare_dirs (const char *a, const char *b, const char *where_a,
                     const char *where_b, GString *out, GError **error)
{
  Side sa = { 0 }, sb = { 0 };
  gboolean ok = FALSE;
  guint matched = 0;

  if (!side_load (&sa, a, where_a, error) ||
      !side_load (&sb, b, where_b, error))
    goto out;
  if (sa.keys->len != sb.keys->len) {
    g_set_error (error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_MISMATCH,
                 "%s and %s sweep other keys (%u and %u of them): nothing to "
                 "match points by",
                 a, b, sa.keys->len, sb.keys->len);
    goto out;
  }
  for (guint k = 0; k < sa.keys->len; k++)
    if (strcmp (sa.keys->pdata[k], sb.keys->pdata[k]) != 0) {
      g_set_error (
        error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_MISMATCH,
        "%s sweeps %s where %s sweeps %s: nothing to match points by", a,
        (char *) sa.keys->pdata[k], b, (char *) sb.keys->pdata[k]);
      goto out;
    }
  /* the metrics: the columns of A's runs.csv from attempts on that B has too */
  for (guint k = 0; k < sa.keys->len; k++) {
    synack_text_csv_append (out, sa.keys->pdata[k]);
    g_string_append_c (out, ',');
  }
  g_string_append (
    out, "metric,runs_a,runs_b,mean_a,mean_b,diff,diff_ci95_lo,diff_ci95_hi,"
         "paired\n");
  for (guint p = 0; p < sa.order->len; p++) {
    const char *label = sa.order->pdata[p];
    GArray *ra = g_hash_table_lookup (sa.points, label);
    GArray *rb = g_hash_table_lookup (sb.points, label);
    g_auto (GStrv) values = g_strsplit (label, "\x1f", -1);
    g_autoptr (GArray) pairs = g_array_new (FALSE, FALSE, sizeof (guint) * 2);
    gboolean paired;

    if (rb == NULL)
      continue;
    matched++;
    /* paired when each replication ran with the same seed on both sides */
    for (guint i = 0; i < ra->len; i++)
      for (guint j = 0; j < rb->len; j++) {
        guint x = g_array_index (ra, guint, i),
              y = g_array_index (rb, guint, j);

        if (rep_of (&sa, x) == rep_of (&sb, y)) {
          guint pr[2] = { x, y };

          if (seed_of (&sa, x) == seed_of (&sb, y))
            g_array_append_val (pairs, pr);
        }
      }
    paired = pairs->len >= 2 && pairs->len == MIN (ra->len, rb->len) &&
             ra->len == rb->len;
    for (guint c = sa.first_metric; c < sa.csv->header->len; c++) {
      const char *metric = sa.csv->header->pdata[c];
      int cb = synack_csv_column (sb.csv, metric);
      g_autofree double *xa = NULL, *xb = NULL, *d = NULL;
      guint na = 0, nb = 0, nd = 0;
      SynackInterval iv, ia, ib;

      if (cb < 0)
        continue;
      xa = g_new (double, ra->len);
      xb = g_new (double, rb->len);
      d = g_new (double, pairs->len + 1);
      for (guint i = 0; i < ra->len; i++) {
        double v = g_ascii_strtod (
          synack_csv_cell (sa.csv, g_array_index (ra, guint, i), c), NULL);

        if (synack_csv_cell (sa.csv, g_array_index (ra, guint, i), c)[0] !=
            '\0')
          xa[na++] = v;
      }
      for (guint i = 0; i < rb->len; i++) {
        const char *cell =
          synack_csv_cell (sb.csv, g_array_index (rb, guint, i), (guint) cb);

        if (cell[0] != '\0')
          xb[nb++] = g_ascii_strtod (cell, NULL);
      }
      if (paired)
        for (guint i = 0; i < pairs->len; i++) {
          const guint *pr = &g_array_index (pairs, guint, 2 * i);
          const char *x = synack_csv_cell (sa.csv, pr[0], c);
          const char *y = synack_csv_cell (sb.csv, pr[1], (guint) cb);

          if (x[0] != '\0' && y[0] != '\0')
            d[nd++] = g_ascii_strtod (y, NULL) - g_ascii_strtod (x, NULL);
        }
      ia = synack_stats_mean_ci (xa, na, 0.95);
      ib = synack_stats_mean_ci (xb, nb, 0.95);
      iv = paired ? synack_stats_mean_ci (d, nd, 0.95)
                  : welch (xa, na, xb, nb, 0.95);
      for (guint k = 0; values[k] && k < sa.keys->len; k++) {
        synack_text_csv_append (out, values[k]);
        g_string_append_c (out, ',');
      }
      synack_text_csv_append (out, metric);
      g_string_append_printf (out, ",%u,%u", na, nb);
      put (out, ia.mean);
      put (out, ib.mean);
      put (out, iv.mean);
      put (out, iv.lo);
      put (out, iv.hi);
      g_string_append_printf (out, ",%d\n", paired ? 1 : 0);
    }
  }
  if (matched == 0) {
    g_set_error (error, SYNACK_COMPARE_ERROR, SYNACK_COMPARE_ERROR_MISMATCH,
                 "%s and %s have no sweep point in common", a, b);
    goto out;
  }
  ok = TRUE;
out:
  side_clear (&sa);
  side_clear (&sb);
  return ok;
}
