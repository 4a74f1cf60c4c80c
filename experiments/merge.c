/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/merge.c - joining results directories (see merge.h). */
#include "merge.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config.h"
#include "csv.h"
#include "results.h"
#include "runner.h"
#include "shard.h"
#include "text.h"

G_DEFINE_QUARK (synack-merge-error-quark, synack_merge_error)

/* The files of one run's traces, by the bit of [experiment] trace. */
static const struct { guint mask; const char *suffix; } trace_files[] = {
  { SYNACK_TRACE_STATES, "-states.csv" },
  { SYNACK_TRACE_SEGMENTS, "-segments.csv" },
  { SYNACK_TRACE_PCAP, ".pcap" },
  { SYNACK_TRACE_OCCUPANCY, "-occupancy.csv" },
};

typedef struct {
  char       *dir;
  char       *config_text;
  SynackBuild build;
  gboolean    have_build;
  SynackCsv  *csv;
  gboolean    is_shard;
  guint       k, n;        /* when is_shard */
  guint       missing;     /* runs of this shard not (whole) here */
} Source;

typedef struct {
  guint source;     /* index into the sources, G_MAXUINT: none */
  guint row;
} Found;

static void
source_clear (Source *s)
{
  g_free (s->dir);
  g_free (s->config_text);
  if (s->have_build)
    synack_build_clear (&s->build);
  g_clear_pointer (&s->csv, synack_csv_free);
}

GStrv
synack_merge_shard_sources (const char *dir)
{
  g_autofree char *shards = g_build_filename (dir, "shards", NULL);
  g_autoptr (GDir) d = g_dir_open (shards, 0, NULL);
  g_autoptr (GPtrArray) list = g_ptr_array_new ();
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (shards, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR))
      g_ptr_array_add (list, g_steal_pointer (&path));
  }
  g_ptr_array_sort (list, (GCompareFunc) g_strcmp0);
  /* by shard number, not by name: 10-of-12 after 9-of-12 */
  for (guint i = 1; i < list->len; i++)
    for (guint j = i; j > 0; j--) {
      g_autofree char *a = g_path_get_basename (list->pdata[j - 1]);
      g_autofree char *b = g_path_get_basename (list->pdata[j]);
      guint ka, na, kb, nb;

      if (!synack_shard_parse_dir_name (a, &ka, &na) ||
          !synack_shard_parse_dir_name (b, &kb, &nb) || na != nb || ka < kb)
        break;
      {
        gpointer t = list->pdata[j - 1];

        list->pdata[j - 1] = list->pdata[j];
        list->pdata[j] = t;
      }
    }
  g_ptr_array_add (list, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&list), FALSE);
}

/* config.ini lines that count: not blank, not a comment, except synack's
 * own "# written by synack" line (as the runner compares them). */
static gboolean
line_counts (const char *line)
{
  while (g_ascii_isspace (*line))
    line++;
  if (g_str_has_prefix (line, "# written by synack"))
    return TRUE;
  return *line != '\0' && *line != '#' && *line != ';';
}

/* 0 when the two configs are the same experiment, else the line of @b
 * where they first differ (the line after its last when @b is shorter). */
static guint
config_differs_at (const char *a, const char *b)
{
  g_auto (GStrv) la = g_strsplit (a, "\n", -1);
  g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
  guint i = 0, j = 0;

  for (;;) {
    while (la[i] != NULL && !line_counts (la[i]))
      i++;
    while (lb[j] != NULL && !line_counts (lb[j]))
      j++;
    if (la[i] == NULL || lb[j] == NULL)
      return la[i] == NULL && lb[j] == NULL ? 0 : j + 1;
    if (strcmp (g_strstrip (la[i]), g_strstrip (lb[j])) != 0)
      return j + 1;
    i++, j++;
  }
}

/* The counting lines of @ini without [experiment] replications, whose
 * value goes to *@reps (0 when absent). */
static char *
without_replications (const char *ini, guint64 *reps)
{
  g_auto (GStrv) lines = g_strsplit (ini, "\n", -1);
  GString *s = g_string_new (NULL);
  gboolean in_experiment = FALSE;

  *reps = 0;
  for (guint i = 0; lines[i] != NULL; i++) {
    char *line = g_strstrip (lines[i]);

    if (!line_counts (line))
      continue;
    if (line[0] == '[')
      in_experiment = strcmp (line, "[experiment]") == 0;
    if (in_experiment && g_str_has_prefix (line, "replications")) {
      const char *eq = strchr (line, '=');
      g_autofree char *v = eq ? g_strstrip (g_strdup (eq + 1)) : NULL;

      if (v != NULL &&
          g_ascii_string_to_unsigned (v, 10, 1, G_MAXUINT, reps, NULL))
        continue;
    }
    g_string_append (s, line);
    g_string_append_c (s, '\n');
  }
  return g_string_free (s, FALSE);
}

gboolean
synack_merge_only_more_replications (const char *old_ini, const char *new_ini)
{
  guint64 old_reps, new_reps;
  g_autofree char *a = without_replications (old_ini, &old_reps);
  g_autofree char *b = without_replications (new_ini, &new_reps);

  return old_reps > 0 && new_reps > old_reps && strcmp (a, b) == 0;
}

/* What differs between two builds, for the refusal. */
static char *
build_difference (const SynackBuild *a, const SynackBuild *b)
{
  g_auto (GStrv) pa = g_strsplit (a->plugins, "\n", -1);
  g_auto (GStrv) pb = g_strsplit (b->plugins, "\n", -1);

  if (strcmp (a->version, b->version) != 0)
    return g_strdup_printf ("synack %s against %s", a->version, b->version);
  if (strcmp (a->git_commit, b->git_commit) != 0)
    return g_strdup_printf ("git commit %s against %s",
                            a->git_commit[0] ? a->git_commit : "(none)",
                            b->git_commit[0] ? b->git_commit : "(none)");
  if (a->plugin_abi != b->plugin_abi)
    return g_strdup_printf ("plugin ABI %u against %u", a->plugin_abi,
                            b->plugin_abi);
  for (guint i = 0; pa[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) pb, pa[i]))
      return g_strdup_printf ("plugin %s, not in the other", pa[i]);
  for (guint i = 0; pb[i] != NULL; i++)
    if (!g_strv_contains ((const char *const *) pa, pb[i]))
      return g_strdup_printf ("plugin %s, not in the other", pb[i]);
  return g_strdup ("another fingerprint");
}

/* Whether file @path has exactly @bytes bytes. */
static gboolean
has_size (const char *path, guint64 bytes)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
         (guint64) st.st_size == bytes;
}

static gboolean
same_file_contents (const char *a, const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize la, lb;

  return g_file_get_contents (a, &da, &la, NULL) &&
         g_file_get_contents (b, &db, &lb, NULL) && la == lb &&
         memcmp (da, db, la) == 0;
}

/* Makes @to a hard link to @from, or a copy where links cannot be made
 * (another file system). */
static gboolean
link_or_copy (const char *from, const char *to, GError **error)
{
  g_autofree char *data = NULL;
  gsize len;

  if (g_unlink (to) != 0 && errno != ENOENT) {
    int e = errno;

    g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_IO,
                 "%s: cannot replace: %s", to, g_strerror (e));
    return FALSE;
  }
  if (link (from, to) == 0)
    return TRUE;
  if (!g_file_get_contents (from, &data, &len, error))
    return FALSE;
  return synack_text_write_atomic (to, data, (gssize) len, error);
}

/* The command that computes the runs of @src (or of shard @k/@n when
 * @src is NULL) again: finishes what is missing, keeps what is done. */
static char *
finish_command (const SynackMergeOptions *opt, const Source *any,
                const Source *src, guint k, guint n)
{
  g_autofree char *config = synack_provenance_read_run (any->dir, "config");
  g_autofree char *cfg = NULL;
  g_autofree char *top = NULL;

  if (config != NULL && g_file_test (config, G_FILE_TEST_IS_REGULAR))
    cfg = g_steal_pointer (&config);
  else
    cfg = synack_results_path (any->dir, SYNACK_RESULTS_CONFIG);
  if (opt->shards_of != NULL)
    top = g_strdup (opt->shards_of);
  else {
    /* SRC = TOP/shards/K-of-N */
    g_autofree char *parent = g_path_get_dirname (any->dir);
    g_autofree char *pname = g_path_get_basename (parent);

    top = strcmp (pname, "shards") == 0 ? g_path_get_dirname (parent)
                                        : g_strdup (opt->out_dir);
  }
  if (src != NULL && !src->is_shard)
    return g_strdup_printf ("synack run --resume %s", src->dir);
  return g_strdup_printf ("synack run %s --shard %u/%u -o %s", cfg, k, n, top);
}

gboolean
synack_merge (SynackRegistry *reg, const SynackBuild *build,
              const SynackMergeOptions *opt, GString *report, GError **error)
{
  g_autoptr (GArray) sources = g_array_new (FALSE, TRUE, sizeof (Source));
  g_autoptr (SynackConfig) cfg = NULL;
  g_autofree Found *found = NULL;
  g_autofree char *first_config = NULL;
  g_autoptr (GPtrArray) missing_lines = g_ptr_array_new_with_free_func (g_free);
  guint n_points, reps, n_runs, n_missing = 0, shard_n = 0, trace_mask = 0;
  gboolean all_shards = TRUE, ok = FALSE;
  GString *header = NULL;
  guint n_src = g_strv_length ((GStrv) opt->sources);

  g_array_set_clear_func (sources, (GDestroyNotify) source_clear);
  if (n_src == 0) {
    g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_NO_SOURCES,
                 "%s%s: no shards to merge (run synack run CONFIG --shard K/N "
                 "-o %s first)",
                 opt->shards_of ? opt->shards_of : "",
                 opt->shards_of ? "/shards" : "merge",
                 opt->shards_of ? opt->shards_of : "DIR");
    return FALSE;
  }
  /* ---- every source: the same config.ini and build ---- */
  for (guint s = 0; s < n_src; s++) {
    Source src = { 0 };
    g_autofree char *config_path =
      synack_results_path (opt->sources[s], SYNACK_RESULTS_CONFIG);
    g_autofree char *base = g_path_get_basename (opt->sources[s]);
    GError *e = NULL;

    src.dir = g_strdup (opt->sources[s]);
    g_array_append_val (sources, src);
    {
      Source *sp = &g_array_index (sources, Source, s);

      if (!g_file_get_contents (config_path, &sp->config_text, NULL, NULL)) {
        g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_NO_SOURCES,
                     "%s: no config.ini: not a results directory of synack",
                     sp->dir);
        return FALSE;
      }
      sp->is_shard = synack_shard_parse_dir_name (base, &sp->k, &sp->n);
      if (!sp->is_shard)
        all_shards = FALSE;
      else if (shard_n == 0)
        shard_n = sp->n;
      else if (shard_n != sp->n)
        all_shards = FALSE;   /* shards of two splits: merged run by run */
      if (s > 0) {
        Source *s0 = &g_array_index (sources, Source, 0);
        guint line = config_differs_at (s0->config_text, sp->config_text);

        if (line != 0) {
          g_set_error (
            error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_OTHER_CONFIG,
            "%s/config.ini:%u differs from %s/config.ini: they ran different "
            "experiments; merge refuses (merge only directories of one "
            "config)",
            sp->dir, line, s0->dir);
          return FALSE;
        }
      }
      if (!synack_provenance_read_build (sp->dir, &sp->build, &e)) {
        g_set_error (
          error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_OTHER_BUILD,
          "%s: which synack computed it is not known (%s); merge refuses, "
          "since "
          "another build may compute other bytes; run its command again to "
          "finish it (it writes provenance.ini)",
          sp->dir, e->message);
        g_error_free (e);
        return FALSE;
      }
      sp->have_build = TRUE;
      if (s > 0) {
        Source *s0 = &g_array_index (sources, Source, 0);

        if (strcmp (s0->build.fingerprint, sp->build.fingerprint) != 0) {
          g_autofree char *why = build_difference (&sp->build, &s0->build);

          g_set_error (error, SYNACK_MERGE_ERROR,
                       SYNACK_MERGE_ERROR_OTHER_BUILD,
                       "%s was computed by another synack build than %s (%s): "
                       "merge refuses; "
                       "compute every shard with one build",
                       sp->dir, s0->dir, why);
          return FALSE;
        }
      }
    }
  }
  {
    Source *s0 = &g_array_index (sources, Source, 0);
    g_autofree char *config_path =
      synack_results_path (s0->dir, SYNACK_RESULTS_CONFIG);

    if (build != NULL &&
        strcmp (build->fingerprint, s0->build.fingerprint) != 0) {
      g_autofree char *why = build_difference (build, &s0->build);

      g_string_append_printf (
        report,
        "warning: this synack is another build than the "
        "shards' (%s): summary.csv is computed by this one\n",
        why);
    }
    cfg = synack_config_load_file (config_path, reg, error);
    if (cfg == NULL)
      return FALSE;
    first_config = g_strdup (config_path);
  }
  n_points = synack_config_n_points (cfg);
  reps = synack_config_replications (cfg);
  n_runs = n_points * reps;
  found = g_new (Found, n_runs);
  for (guint i = 0; i < n_runs; i++)
    found[i].source = G_MAXUINT;
  for (guint p = 0; p < n_points; p++) {
    SynackRunSpec spec;

    if (synack_config_build_run (cfg, p, &spec, NULL)) {
      trace_mask |= spec.trace_mask;
      synack_run_spec_clear (&spec);
    }
  }

  /* ---- every row: a run of this batch, its seed, samples, traces ---- */
  for (guint s = 0; s < n_src; s++) {
    Source *sp = &g_array_index (sources, Source, s);
    g_autofree char *runs_path =
      synack_results_path (sp->dir, SYNACK_RESULTS_RUNS);
    int cp, cr, cs, cn;

    if (!g_file_test (runs_path, G_FILE_TEST_EXISTS))
      continue;   /* a shard that never got to its first run: all missing */
    sp->csv = synack_csv_read (runs_path, SYNACK_CSV_DROP_PARTIAL_LAST, error);
    if (sp->csv == NULL)
      return FALSE;
    {
      GString *h = g_string_new (NULL);

      for (guint c = 0; c < sp->csv->header->len; c++) {
        if (c)
          g_string_append_c (h, ',');
        synack_text_csv_append (h, sp->csv->header->pdata[c]);
      }
      if (header == NULL) {
        header = h;
      } else {
        gboolean same = strcmp (header->str, h->str) == 0;

        g_string_free (h, TRUE);
        if (!same) {
          g_set_error (
            error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_OTHER_BUILD,
            "%s:1: other columns than the other sources' runs.csv", runs_path);
          goto out;
        }
      }
    }
    cp = synack_csv_column (sp->csv, SYNACK_RUNS_POINT);
    cr = synack_csv_column (sp->csv, SYNACK_RUNS_REPLICATION);
    cs = synack_csv_column (sp->csv, SYNACK_RUNS_SEED);
    cn = synack_csv_column (sp->csv, SYNACK_RUNS_SAMPLES);
    if (cp < 0 || cr < 0 || cs < 0 || cn < 0) {
      g_set_error (
        error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_BAD_RUN,
        "%s:1: not a runs.csv of synack (no point, replication, seed or "
        "handshake_samples column)",
        runs_path);
      goto out;
    }
    for (guint row = 0; row < sp->csv->rows->len; row++) {
      guint line = g_array_index (sp->csv->lines, guint, row);
      guint64 p, r, seed, n;
      guint i;
      gboolean whole = TRUE;
      g_autofree char *samples = NULL;

      if (!g_ascii_string_to_unsigned (synack_csv_cell (sp->csv, row, cp), 10,
                                       0, n_points - 1, &p, NULL) ||
          !g_ascii_string_to_unsigned (synack_csv_cell (sp->csv, row, cr), 10,
                                       0, reps - 1, &r, NULL) ||
          !g_ascii_string_to_unsigned (synack_csv_cell (sp->csv, row, cn), 10,
                                       0, G_MAXUINT64, &n, NULL)) {
        g_set_error (
          error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_BAD_RUN,
          "%s:%u: not a run of this experiment (it has %u points x %u "
          "replications)",
          runs_path, line, n_points, reps);
        goto out;
      }
      if (!g_ascii_string_to_unsigned (synack_csv_cell (sp->csv, row, cs), 10,
                                       0, G_MAXUINT64, &seed, NULL) ||
          seed != synack_runner_seed (cfg, (guint) p, (guint) r)) {
        g_set_error (
          error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_BAD_RUN,
          "%s:%u: point %u replication %u has seed %s, but its seed is "
          "%" G_GUINT64_FORMAT
          " (derived from [experiment] seed %" G_GUINT64_FORMAT
          "): not a run of this batch; remove the row or the directory",
          runs_path, line, (guint) p, (guint) r,
          synack_csv_cell (sp->csv, row, cs),
          synack_runner_seed (cfg, (guint) p, (guint) r),
          synack_config_seed (cfg));
        goto out;
      }
      i = (guint) (p * reps + r);
      samples = synack_results_samples_path (sp->dir, (guint) p, (guint) r);
      whole = has_size (samples, n * sizeof (double));
      for (guint t = 0; t < G_N_ELEMENTS (trace_files) && whole; t++)
        if (trace_mask & trace_files[t].mask) {
          g_autofree char *prefix =
            synack_results_trace_prefix (sp->dir, (guint) p, (guint) r);
          g_autofree char *tp =
            g_strconcat (prefix, trace_files[t].suffix, NULL);

          whole = g_file_test (tp, G_FILE_TEST_IS_REGULAR);
        }
      if (!whole) {
        g_string_append_printf (
          report,
          "%s:%u: point %u replication %u: its samples or "
          "traces are missing or cut short; counted as missing\n",
          runs_path, line, (guint) p, (guint) r);
        continue;
      }
      if (found[i].source != G_MAXUINT) {
        Source *fp = &g_array_index (sources, Source, found[i].source);
        GPtrArray *a = fp->csv->rows->pdata[found[i].row],
                  *b = sp->csv->rows->pdata[row];
        g_autofree char *other =
          synack_results_samples_path (fp->dir, (guint) p, (guint) r);

        for (guint c = 0; c < a->len; c++)
          if (strcmp (a->pdata[c], b->pdata[c]) != 0) {
            g_set_error (
              error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_CONFLICT,
              "point %u replication %u is in %s/runs.csv:%u and %s:%u with "
              "different %s (%s and %s): the same run must give the same "
              "bytes; "
              "merge refuses; remove the wrong one",
              (guint) p, (guint) r, fp->dir,
              g_array_index (fp->csv->lines, guint, found[i].row), runs_path,
              line, (char *) sp->csv->header->pdata[c], (char *) a->pdata[c],
              (char *) b->pdata[c]);
            goto out;
          }
        if (!same_file_contents (other, samples)) {
          g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_CONFLICT,
                       "point %u replication %u: %s and %s differ: the same "
                       "run must give "
                       "the same bytes; merge refuses; remove the wrong one",
                       (guint) p, (guint) r, other, samples);
          goto out;
        }
        continue;
      }
      found[i].source = s;
      found[i].row = row;
    }
  }

  /* ---- what is missing, and the commands that finish it ---- */
  if (all_shards && shard_n > 0) {
    g_autofree gboolean *present = g_new0 (gboolean, shard_n);
    g_autofree guint *short_by = g_new0 (guint, shard_n);

    for (guint s = 0; s < n_src; s++)
      present[g_array_index (sources, Source, s).k] = TRUE;
    for (guint i = 0; i < n_runs; i++)
      if (found[i].source == G_MAXUINT)
        short_by[i % shard_n]++, n_missing++;
    for (guint k = 0; k < shard_n; k++) {
      const Source *any = &g_array_index (sources, Source, 0);
      g_autofree char *cmd = NULL;
      guint in_shard = n_runs / shard_n + (k < n_runs % shard_n);

      if (present[k] && short_by[k] == 0)
        continue;
      cmd = finish_command (opt, any, NULL, k, shard_n);
      if (!present[k])
        g_ptr_array_add (missing_lines,
                         g_strdup_printf ("shard %u/%u: missing (%u runs); "
                                          "run: %s",
                                          k, shard_n, in_shard, cmd));
      else
        g_ptr_array_add (
          missing_lines,
          g_strdup_printf ("shard %u/%u: %u of %u runs missing; "
                           "finish with: %s",
                           k, shard_n, short_by[k], in_shard, cmd));
    }
  } else {
    for (guint i = 0; i < n_runs; i++)
      if (found[i].source == G_MAXUINT) {
        n_missing++;
        if (missing_lines->len < 20)
          g_ptr_array_add (
            missing_lines,
            g_strdup_printf (
              "point %u replication %u: missing; run: synack run "
              "%s --point %u --replication %u -o %s-p%u-r%u",
              i / reps, i % reps, first_config, i / reps, i % reps,
              opt->out_dir, i / reps, i % reps));
      }
    if (n_missing > missing_lines->len)
      g_ptr_array_add (missing_lines,
                       g_strdup_printf ("... and %u more runs",
                                        n_missing - missing_lines->len));
  }
  g_string_append_printf (report, "%u source%s, %u of %u runs present%s\n",
                          n_src, n_src == 1 ? "" : "s", n_runs - n_missing,
                          n_runs,
                          n_missing ? ""
                                    : ", consistent: same config, same build, "
                                      "seeds as derived");
  for (guint l = 0; l < missing_lines->len; l++)
    g_string_append_printf (report, "%s\n", (char *) missing_lines->pdata[l]);
  if (n_missing > 0) {
    g_set_error (
      error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_INCOMPLETE,
      "%u of %u runs are missing%s; nothing merged", n_missing, n_runs,
      missing_lines->len ? " (the commands above finish them)" : "");
    goto out;
  }
  if (opt->check_only) {
    ok = TRUE;
    goto out;
  }

  /* ---- write OUT: config.ini, samples, traces, runs.csv; then the runner */
  {
    const Source *s0 = &g_array_index (sources, Source, 0);
    g_autofree char *out_config =
      synack_results_path (opt->out_dir, SYNACK_RESULTS_CONFIG);
    g_autofree char *old = NULL;
    g_autofree char *runs_path =
      synack_results_path (opt->out_dir, SYNACK_RESULTS_RUNS);
    g_autofree char *summary_path =
      synack_results_path (opt->out_dir, SYNACK_RESULTS_SUMMARY);
    g_autofree char *times_path =
      g_build_filename (opt->out_dir, SYNACK_RUN_TIMES_FILE, NULL);
    GString *rows = g_string_new (header->str);
    GString *times = g_string_new ("point,replication,wall_s\n");
    const char *subdirs[] = { SYNACK_RESULTS_SAMPLES, SYNACK_RESULTS_TRACES };
    SynackRunnerOptions ropt = { 0 };
    double wall = 0;
    GString *hosts = g_string_new (NULL);
    char *extra[3] = { NULL, NULL, NULL };
    gboolean written;

    g_string_append_c (rows, '\n');
    for (guint s = 0; s < n_src; s++) {
      g_autofree char *a = g_canonicalize_filename (opt->sources[s], NULL);
      g_autofree char *b = g_canonicalize_filename (opt->out_dir, NULL);

      if (strcmp (a, b) == 0) {
        g_set_error (
          error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_NO_SOURCES,
          "-o %s is one of the sources: merge into another directory",
          opt->out_dir);
        g_string_free (rows, TRUE);
        g_string_free (times, TRUE);
        g_string_free (hosts, TRUE);
        goto out;
      }
    }
    written = g_mkdir_with_parents (opt->out_dir, 0755) == 0;
    if (written && g_file_get_contents (out_config, &old, NULL, NULL) &&
        config_differs_at (old, s0->config_text) != 0 &&
        /* a merge before replications were added is replaced */
        !synack_merge_only_more_replications (old, s0->config_text)) {
      g_set_error (
        error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_OTHER_CONFIG,
        "%s holds the results of a different experiment (its config.ini "
        "differs from the shards'); merge into another directory",
        opt->out_dir);
      written = FALSE;
    } else if (!written) {
      g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_IO,
                   "%s: cannot create: %s", opt->out_dir, g_strerror (errno));
    }
    if (written)
      written =
        synack_text_write_atomic (out_config, s0->config_text, -1, error);
    for (guint k = 0; k < G_N_ELEMENTS (subdirs) && written; k++) {
      g_autofree char *sub = g_build_filename (opt->out_dir, subdirs[k], NULL);

      if (g_mkdir_with_parents (sub, 0755) != 0) {
        g_set_error (error, SYNACK_MERGE_ERROR, SYNACK_MERGE_ERROR_IO,
                     "%s: cannot create: %s", sub, g_strerror (errno));
        written = FALSE;
      }
    }
    for (guint i = 0; i < n_runs && written; i++) {
      const Source *sp = &g_array_index (sources, Source, found[i].source);
      GPtrArray *cells = sp->csv->rows->pdata[found[i].row];
      guint p = i / reps, r = i % reps;
      g_autofree char *from = synack_results_samples_path (sp->dir, p, r);
      g_autofree char *to = synack_results_samples_path (opt->out_dir, p, r);
      g_autofree char *from_prefix =
        synack_results_trace_prefix (sp->dir, p, r);
      g_autofree char *to_prefix =
        synack_results_trace_prefix (opt->out_dir, p, r);

      written = link_or_copy (from, to, error);
      for (guint t = 0; t < G_N_ELEMENTS (trace_files) && written; t++)
        if (trace_mask & trace_files[t].mask) {
          g_free (from);
          g_free (to);
          from = g_strconcat (from_prefix, trace_files[t].suffix, NULL);
          to = g_strconcat (to_prefix, trace_files[t].suffix, NULL);
          written = link_or_copy (from, to, error);
        }
      synack_results_runs_append_row (rows, cells);
    }
    for (guint s = 0; s < n_src; s++) {
      const Source *sp = &g_array_index (sources, Source, s);
      g_autofree char *t =
        g_build_filename (sp->dir, SYNACK_RUN_TIMES_FILE, NULL);
      g_autofree char *text = NULL;
      g_autofree char *w = synack_provenance_read_run (sp->dir, "wall_s");
      g_autofree char *h = synack_provenance_read_run (sp->dir, "host");
      const char *nl;

      if (g_file_get_contents (t, &text, NULL, NULL) &&
          (nl = strchr (text, '\n')) != NULL)
        g_string_append (times, nl + 1);
      if (w != NULL)
        wall += g_ascii_strtod (w, NULL);
      if (h != NULL && !strstr (hosts->str, h))
        g_string_append_printf (hosts, "%s%s", hosts->len ? " " : "", h);
    }
    if (written)
      written = synack_text_write_atomic (runs_path, rows->str,
                                          (gssize) rows->len, error) &&
                synack_text_write_atomic (times_path, times->str,
                                          (gssize) times->len, error);
    g_string_free (rows, TRUE);
    g_string_free (times, TRUE);
    g_unlink (summary_path);
    if (written) {
      /* a --resume with every run done: checks runs.csv against the samples,
       * sorts it and writes summary.csv exactly as `synack run` does */
      ropt.out_dir = opt->out_dir;
      ropt.jobs = 1;
      ropt.resume = TRUE;
      ropt.point = -1;
      ropt.replication = -1;
      ropt.progress = SYNACK_PROGRESS_QUIET;
      written = synack_runner_run (cfg, &ropt, NULL, error);
    }
    if (written) {
      GString *from = g_string_new (NULL);
      g_autofree char *config = synack_provenance_read_run (s0->dir, "config");

      for (guint s = 0; s < n_src; s++)
        g_string_append_printf (from, "%s%s", s ? " " : "", opt->sources[s]);
      extra[0] = g_strdup_printf ("merged_from=%s", from->str);
      extra[1] = g_strdup_printf ("hosts=%s", hosts->str);
      g_string_free (from, TRUE);
      written = synack_provenance_write (opt->out_dir, &s0->build, opt->command,
                                         config, wall,
                                         (const char *const *) extra, error);
      g_free (extra[0]);
      g_free (extra[1]);
    }
    g_string_free (hosts, TRUE);
    if (!written)
      goto out;
    g_string_append_printf (
      report,
      "merged into %s/ (config.ini, runs.csv, summary.csv, "
      "samples/, traces/, provenance.ini)\n",
      opt->out_dir);
  }
  ok = TRUE;
out:
  if (header != NULL)
    g_string_free (header, TRUE);
  return ok;
}
