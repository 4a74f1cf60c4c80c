/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/shard.c - shards of a batch (see shard.h). */
#include "shard.h"

#include <string.h>

#include "runner.h"

G_DEFINE_QUARK (synack-shard-error-quark, synack_shard_error)

gboolean
synack_shard_parse (const char *text, guint *k, guint *n, GError **error)
{
  g_auto (GStrv) parts = g_strsplit (text, "/", -1);
  guint64 kk, nn;

  if (g_strv_length (parts) != 2 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, SYNACK_SHARD_MAX, &kk,
                                   NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 1, SYNACK_SHARD_MAX, &nn,
                                   NULL) ||
      kk >= nn) {
    g_set_error (
      error, SYNACK_SHARD_ERROR, SYNACK_SHARD_ERROR_SYNTAX,
      "--shard %s: expected K/N with 0 <= K < N <= %u (shard K of N, from 0), "
      "or auto",
      text, SYNACK_SHARD_MAX);
    return FALSE;
  }
  *k = (guint) kk;
  *n = (guint) nn;
  return TRUE;
}

/* The number in variable @name of @env; FALSE (no error) when unset,
 * FALSE with @error when set but not a whole number. */
static gboolean
env_number (const char *const *env, const char *name, gint64 *value,
            gboolean *set, GError **error)
{
  const char *text = g_environ_getenv ((char **) env, name);

  *set = text != NULL && text[0] != '\0';
  if (!*set)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, 0, G_MAXINT32, value, NULL)) {
    g_set_error (error, SYNACK_SHARD_ERROR, SYNACK_SHARD_ERROR_BAD_ENV,
                 "--shard auto: %s=%s is not a whole number >= 0", name, text);
    return FALSE;
  }
  return TRUE;
}

/* One scheduler's variables: the task's index, the first index (or NULL:
 * @first_default), the count (or NULL) or the last index, the step (or NULL:
 * 1). */
typedef struct {
  const char *scheduler;
  const char *index, *first, *count, *last, *step;
  gint64      first_default;
} EnvScheme;

static const EnvScheme schemes[] = {
  { "Slurm job array", "SLURM_ARRAY_TASK_ID", "SLURM_ARRAY_TASK_MIN",
    "SLURM_ARRAY_TASK_COUNT", "SLURM_ARRAY_TASK_MAX", "SLURM_ARRAY_TASK_STEP",
    0 },
  { "Open MPI", "OMPI_COMM_WORLD_RANK", NULL, "OMPI_COMM_WORLD_SIZE", NULL,
    NULL, 0 },
  { "PMI", "PMI_RANK", NULL, "PMI_SIZE", NULL, NULL, 0 },
  { "Slurm step (srun)", "SLURM_PROCID", NULL, "SLURM_STEP_NUM_TASKS", NULL,
    NULL, 0 },
  { "Slurm step (srun)", "SLURM_PROCID", NULL, "SLURM_NTASKS", NULL, NULL, 0 },
  { "SGE array job", "SGE_TASK_ID", "SGE_TASK_FIRST", NULL, "SGE_TASK_LAST",
    "SGE_TASK_STEPSIZE", 1 },
  { "LSF job array", "LSB_JOBINDEX", NULL, NULL, "LSB_JOBINDEX_END",
    "LSB_JOBINDEX_STEP", 1 },
};

gboolean
synack_shard_from_env (const char *const *env, guint *k, guint *n,
                       char **source, GError **error)
{
  g_auto (GStrv) own = env == NULL ? g_get_environ () : NULL;

  if (env == NULL)
    env = (const char *const *) own;
  for (guint s = 0; s < G_N_ELEMENTS (schemes); s++) {
    const EnvScheme *e = &schemes[s];
    const char *index_text = g_environ_getenv ((char **) env, e->index);
    gint64 index = 0, first = e->first_default, count = 0, last = 0, step = 1;
    gboolean set, have_first = FALSE, have_count = FALSE, have_last = FALSE;

    /* SGE sets SGE_TASK_ID=undefined outside array jobs, LSF LSB_JOBINDEX=0 */
    if (index_text == NULL || index_text[0] == '\0' ||
        strcmp (index_text, "undefined") == 0)
      continue;
    if (!env_number (env, e->index, &index, &set, error))
      return FALSE;
    if (e->first && !env_number (env, e->first, &first, &have_first, error))
      return FALSE;
    if (!have_first)
      first = e->first_default;
    if (e->count && !env_number (env, e->count, &count, &have_count, error))
      return FALSE;
    if (e->last && !env_number (env, e->last, &last, &have_last, error))
      return FALSE;
    if (e->step && !env_number (env, e->step, &step, &set, error))
      return FALSE;
    if (!have_count && !have_last)
      continue; /* e.g. LSB_JOBINDEX=0 of a job that is no array: try the next
                 */
    if (e->first_default == 1 && index == 0)
      continue;
    if (step < 1)
      step = 1;
    if (!have_count)
      count = last < first ? 0 : (last - first) / step + 1;
    if (index < first || (index - first) % step != 0 ||
        (index - first) / step >= count || count > SYNACK_SHARD_MAX) {
      g_set_error (error, SYNACK_SHARD_ERROR, SYNACK_SHARD_ERROR_BAD_ENV,
                   "--shard auto: %s: %s=%" G_GINT64_FORMAT
                   " is not one of %" G_GINT64_FORMAT
                   " tasks from %" G_GINT64_FORMAT
                   " in steps of %" G_GINT64_FORMAT,
                   e->scheduler, e->index, index, count, first, step);
      return FALSE;
    }
    *k = (guint) ((index - first) / step);
    *n = (guint) count;
    if (source != NULL)
      *source = g_strdup_printf (
        "%s (%s=%" G_GINT64_FORMAT " of %s=%" G_GINT64_FORMAT ")",
        e->scheduler, e->index, index, have_count ? e->count : e->last,
        have_count ? count : last);
    return TRUE;
  }
  g_set_error (error, SYNACK_SHARD_ERROR, SYNACK_SHARD_ERROR_NO_ENV,
               "--shard auto: no scheduler's variables found (Slurm "
               "SLURM_ARRAY_TASK_ID or "
               "SLURM_PROCID, Open MPI OMPI_COMM_WORLD_RANK, PMI_RANK, SGE "
               "SGE_TASK_ID, LSF "
               "LSB_JOBINDEX); give --shard K/N");
  return FALSE;
}

char *
synack_shard_dir (const char *dir, guint k, guint n)
{
  g_autofree char *name = g_strdup_printf ("%u-of-%u", k, n);

  return g_build_filename (dir, "shards", name, NULL);
}

gboolean
synack_shard_parse_dir_name (const char *name, guint *k, guint *n)
{
  const char *of = strstr (name, "-of-");
  g_autofree char *head = NULL;
  guint64 kk, nn;

  if (of == NULL)
    return FALSE;
  head = g_strndup (name, (gsize) (of - name));
  if (!g_ascii_string_to_unsigned (head, 10, 0, SYNACK_SHARD_MAX, &kk, NULL) ||
      !g_ascii_string_to_unsigned (of + 4, 10, 1, SYNACK_SHARD_MAX, &nn,
                                   NULL) ||
      kk >= nn)
    return FALSE;
  *k = (guint) kk;
  *n = (guint) nn;
  return TRUE;
}

void
synack_shard_list_runs (const SynackConfig *cfg, guint k, guint n, GString *out)
{
  guint points = synack_config_n_points (cfg),
        reps = synack_config_replications (cfg);
  guint keys = synack_config_n_sweep_keys (cfg);

  g_string_append (out, "index\tpoint\treplication\tseed");
  for (guint key = 0; key < keys; key++)
    g_string_append_printf (out, "\t%s", synack_config_sweep_key (cfg, key));
  g_string_append_c (out, '\n');
  for (guint i = 0; i < points * reps; i++) {
    guint p = i / reps, r = i % reps;

    if (n > 0 && i % n != k)
      continue;
    g_string_append_printf (out, "%u\t%u\t%u\t%" G_GUINT64_FORMAT, i, p, r,
                            synack_runner_seed (cfg, p, r));
    for (guint key = 0; key < keys; key++)
      g_string_append_printf (out, "\t%s",
                              synack_config_point_value (cfg, p, key));
    g_string_append_c (out, '\n');
  }
}
