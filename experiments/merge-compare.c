/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/merge-compare.c - what `synack merge` compares and copies:
 * the shard directories of a results directory, config.ini texts (their
 * counting lines, and replications aside), builds, file sizes and
 * contents; a run's file linked or copied; and the command that finishes
 * what is missing.  The checks and the join are in merge.c. */
#include "merge-private.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "results.h"
#include "shard.h"
#include "text.h"

void
merge_source_clear (Source *s)
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
guint
merge_config_differs_at (const char *a, const char *b)
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
char *
merge_build_difference (const SynackBuild *a, const SynackBuild *b)
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
gboolean
merge_has_size (const char *path, guint64 bytes)
{
  GStatBuf st;

  return g_stat (path, &st) == 0 && S_ISREG (st.st_mode) &&
         (guint64) st.st_size == bytes;
}

gboolean
merge_same_file_contents (const char *a, const char *b)
{
  g_autofree char *da = NULL, *db = NULL;
  gsize la, lb;

  return g_file_get_contents (a, &da, &la, NULL) &&
         g_file_get_contents (b, &db, &lb, NULL) && la == lb &&
         memcmp (da, db, la) == 0;
}

/* Makes @to a hard link to @from, or a copy where links cannot be made
 * (another file system). */
gboolean
merge_link_or_copy (const char *from, const char *to, GError **error)
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
char *
merge_finish_command (const SynackMergeOptions *opt, const Source *any,
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
