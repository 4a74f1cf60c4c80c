/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-completion.c - tools/synack.bash, the bash completion.
 *
 * Each row is a command line being typed (the last word is the one being
 * completed); bash sources the script, calls its completion function as
 * bash's programmable completion would (COMP_WORDS, COMP_CWORD; see the
 * "Programmable Completion" section of bash(1)) and prints COMPREPLY. */
#include <glib.h>
#include <string.h>

static char *synack_bin;
static char *script;

typedef struct {
  const char *path;
  const char *words;     /* space-separated; the last one is completed */
  const char *expected;  /* COMPREPLY, space-joined, in order */
} CompletionCase;

static const CompletionCase cases[] = {
  { "/completion/command",         "synack ch",                           "check" },
  { "/completion/commands",        "synack ",                             "run check keys models plot ladder merge compare help --help --version" },
  { "/completion/help-command",    "synack help la",                      "ladder" },
  { "/completion/run-options",     "synack run --se",                     "--set --seed" },
  { "/completion/plot-format",     "synack plot --format p",              "png pdf" },
  { "/completion/set-key",         "synack run x.ini --set workload.con", "workload.connections=" },
  { "/completion/set-sweep-key",   "synack run x.ini --set sweep.tcp.rto_i", "sweep.tcp.rto_initial=" },
  { "/completion/set-loss-model",  "synack run x.ini --set link.loss=gil", "link.loss=gilbert-elliott" },
  { "/completion/set-protocol",    "synack check x.ini --set experiment.protocol=tcp3", "experiment.protocol=tcp3way" },
  { "/completion/merge-command",   "synack me",                           "merge" },
  { "/completion/shard-auto",      "synack run x.ini --shard a",          "auto" },
  { "/completion/merge-options",   "synack merge --ch",                   "--check" },
  { "/completion/set-value",       "synack run x.ini --set link.loss.p=0", "" },
};

static void
test_completion (gconstpointer data)
{
  const CompletionCase *tc = data;
  g_autofree char *words_q = g_shell_quote (tc->words);
  g_autofree char *prog_q = g_shell_quote (synack_bin);
  g_autofree char *script_q = g_shell_quote (script);
  g_autofree char *cmd = g_strdup_printf (
    "source %s; read -r -a COMP_WORDS <<< %s; "
    "case %s in *' ') COMP_WORDS+=('');; esac; "
    "COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); COMP_WORDS[0]=%s; _synack; "
    "echo \"${COMPREPLY[*]}\"", script_q, words_q, words_q, prog_q);
  const char *argv[] = { "bash", "-c", cmd, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr (GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err,
                     &status, &error)) {
    g_test_skip ("no bash");
    return;
  }
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_strchomp (out);
  g_assert_cmpstr (out, ==, tc->expected);
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");
  const char *srcdir = g_getenv ("SYNACK_TEST_TOP_SRCDIR");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  g_assert_nonnull (srcdir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);
  script = g_build_filename (srcdir, "tools", "synack.bash", NULL);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_test_add_data_func (cases[i].path, &cases[i], test_completion);
  return g_test_run ();
}
