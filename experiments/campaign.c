/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/campaign.c - see campaign.h. */
#include "campaign.h"

#include <string.h>

#include "mpi-runner.h"
#include "provenance.h"
#include "results.h"
#include "shard.h"

static char *command_line;

void
synack_campaign_set_command (int argc, char **argv)
{
  GString *s = g_string_new ("synack");

  for (int i = 0; i < argc; i++) {
    g_autofree char *q = g_shell_quote (argv[i]);

    g_string_append_c (s, ' ');
    /* quote only what needs it, so the line reads as typed */
    g_string_append (s, argv[i][0] &&
                            strspn (argv[i],
                                    "abcdefghijklmnopqrstuvwxyz"
                                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                    "0123456789-_=./,:+@%") == strlen (argv[i])
                          ? argv[i]
                          : q);
  }
  g_free (command_line);
  command_line = g_string_free (s, FALSE);
}

const char *
synack_campaign_command (void)
{
  return command_line ? command_line : "synack";
}

/* --shard TEXT: K and N; "auto" from the environment, said on stderr. */
static gboolean
resolve_shard (const char *text, gboolean quiet, guint *k, guint *n,
               GError **error)
{
  g_autofree char *source = NULL;

  if (strcmp (text, "auto") != 0)
    return synack_shard_parse (text, k, n, error);
  if (!synack_shard_from_env (NULL, k, n, &source, error))
    return FALSE;
  if (!quiet)
    g_printerr ("synack: --shard auto: shard %u/%u from %s\n", *k, *n, source);
  return TRUE;
}

gboolean
synack_campaign_list_runs (const SynackConfig *cfg, const char *shard,
                           GError **error)
{
  guint k = 0, n = 0;
  GString *out = g_string_new (NULL);

  if (shard != NULL && !resolve_shard (shard, FALSE, &k, &n, error)) {
    g_string_free (out, TRUE);
    return FALSE;
  }
  synack_shard_list_runs (cfg, k, n, out);
  fwrite (out->str, 1, out->len, stdout);
  g_string_free (out, TRUE);
  return TRUE;
}

gboolean
synack_campaign_run (SynackConfig *cfg, SynackRegistry *reg,
                     SynackRunnerOptions *opt, const char *shard,
                     char **out_dir_used, GError **error)
{
  g_autofree char *top =
    opt->out_dir
      ? g_strdup (opt->out_dir)
      : g_build_filename ("results", synack_config_name (cfg), NULL);
  g_autofree char *dir = NULL;
  g_autofree char *shard_extra = NULL;
  g_autofree char *jobs_extra = NULL;
  g_autofree char *old_shard = NULL;
  const char *extra[4] = { NULL };
  guint n_extra = 0;
  SynackBuild build, old;
  gboolean quiet = opt->progress == SYNACK_PROGRESS_QUIET;
  gboolean ok;

  if (shard != NULL) {
    g_autofree char *config = NULL;

    if (opt->resume) {
      g_set_error (error, SYNACK_RUNNER_ERROR,
                   SYNACK_RUNNER_ERROR_BAD_SELECTION,
                   "--shard finishes its shard directory by itself: give the "
                   "same command "
                   "again, without --resume");
      return FALSE;
    }
    if (!resolve_shard (shard, quiet, &opt->shard_k, &opt->shard_n, error))
      return FALSE;
    dir = synack_shard_dir (top, opt->shard_k, opt->shard_n);
    config = synack_results_path (dir, SYNACK_RESULTS_CONFIG);
    /* the same command again finishes only what is missing */
    opt->resume = g_file_test (config, G_FILE_TEST_EXISTS) && !opt->force;
  } else {
    dir = g_steal_pointer (&top);
    /* --resume of a shard directory stays within its shard */
    if (opt->resume &&
        (old_shard = synack_provenance_read_run (dir, "shard")) != NULL &&
        !synack_shard_parse (old_shard, &opt->shard_k, &opt->shard_n, NULL))
      opt->shard_n = 0;
  }
  opt->out_dir = dir;
  if (opt->shard_n > 0)
    extra[n_extra++] = shard_extra =
      g_strdup_printf ("shard=%u/%u", opt->shard_k, opt->shard_n);
  extra[n_extra++] = jobs_extra = g_strdup_printf (
    "jobs=%u", opt->jobs ? opt->jobs : g_get_num_processors ());

  synack_build_init (&build, reg);
  /* runs kept from before must come from this build, or the directory
   * would mix the bytes of two */
  if ((opt->resume || opt->point >= 0 || opt->replication >= 0) &&
      synack_provenance_read_build (dir, &old, NULL)) {
    gboolean same = strcmp (old.fingerprint, build.fingerprint) == 0;

    if (!same)
      g_set_error (
        error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_OTHER_EXPERIMENT,
        "%s holds runs computed by another synack build (version %s%s%s, "
        "fingerprint %.12s, this one %.12s): finish it with that build, or "
        "start "
        "over with --force",
        dir, old.version, old.git_commit[0] ? " commit " : "", old.git_commit,
        old.fingerprint, build.fingerprint);
    synack_build_clear (&old);
    if (!same) {
      synack_build_clear (&build);
      return FALSE;
    }
  }
  if (opt->shard_n == 0 && !synack_mpi_available ()) {
    const char *size = g_getenv ("OMPI_COMM_WORLD_SIZE");

    if (size == NULL)
      size = g_getenv ("PMI_SIZE");
    if (size != NULL && g_ascii_strtoull (size, NULL, 10) > 1) {
      /* every process would run the whole batch into one directory */
      g_set_error (
        error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_BAD_SELECTION,
        "started by an MPI launcher as one of %s processes, but this synack "
        "was built without MPI (./configure --with-mpi); to split the batch "
        "among them give --shard auto, then synack merge",
        size);
      synack_build_clear (&build);
      return FALSE;
    }
  }
  opt->build = &build;
  opt->command = synack_campaign_command ();
  opt->provenance_extra = extra;
  if (opt->shard_n == 0 && synack_mpi_world_size () > 1)
    ok = synack_mpi_run (cfg, opt, out_dir_used, error);
  else
    ok = synack_runner_run (cfg, opt, out_dir_used, error);
  opt->build = NULL;
  synack_build_clear (&build);
  return ok;
}
