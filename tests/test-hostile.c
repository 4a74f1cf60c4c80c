/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-hostile.c - synack against files it did not make and plugins
 * that misbehave.
 *
 * Covers (issue 9): a symlink planted at each file a batch writes into its
 * results directory (traces and their .part files, runs.csv, summary.csv,
 * samples, config.ini, the traces/ and samples/ directories) pointing
 * outside it, and a dangling one: the target
 * is never written, and the run either replaces the link with a regular
 * file or fails naming it (open(2), O_NOFOLLOW and O_EXCL: "If pathname is
 * a symbolic link, then the open fails"; rename(2): "If newpath is a
 * symbolic link, the link will be overwritten").  A truncated plugin on
 * SYNACK_PLUGIN_PATH: reported by name, every command still works (it used
 * to die with SIGBUS inside dlopen()).  And plugins whose create() fails in
 * a run, with an error or (a plugin bug) without one: the run fails with a
 * message naming the key and the plugin, never FALSE without an error
 * (issue 9, item 1), and the batch goes on with the other runs (item 5). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "config.h"
#include "net.h"
#include "registry.h"
#include "runner.h"

static char *synack_bin;

static const char ini_text[] =
  "[experiment]\n"
  "name = hostile\n"
  "replications = 2\n"
  "seed = 7\n"
  "until = 10m\n"
  "trace = states, segments, occupancy, pcap\n"
  "[workload]\n"
  "connections = 40\n"
  "clients = 2\n"
  "rate = 100/s\n"
  "hold = 200ms\n"
  "[link]\n"
  "delay = constant\n"
  "delay.base = 5ms\n"
  "loss = bernoulli\n"
  "loss.p = 0.1\n"
  "[sweep]\n"
  "link.loss.p = 0, 0.2\n";

#define SENTINEL "sentinel: must never change\n"

/* Runs synack with the NULL-terminated @args and @envp (nullable: ours);
 * returns the exit status, 128 + signal if it was killed. */
static int
run_synack (const char *const *args, char **envp, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  int wait_status;

  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, envp, G_SPAWN_DEFAULT, NULL, NULL,
                &out, err, &wait_status, &error);
  g_assert_no_error (error);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status)
    : 128 + WTERMSIG (wait_status);
}

static char *
write_file (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

/* Removes @path and everything under it (links are removed, not followed). */
static void
remove_tree (const char *path)
{
  struct stat st;

  if (g_lstat (path, &st) != 0)
    return;
  if (S_ISDIR (st.st_mode)) {
    g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
    const char *name;

    while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
      g_autofree char *sub = g_build_filename (path, name, NULL);

      remove_tree (sub);
    }
  }
  g_remove (path);
}

/* ---- symlinks planted in a results directory -------------------------------- */

typedef enum {
  PLANT_LINK,             /* a symlink to the sentinel (or, for a directory
                           * name, to a directory outside) */
  PLANT_DANGLING,         /* a symlink to a file that does not exist */
  PLANT_DIRECTORY,        /* a directory where a file goes */
} Plant;

typedef struct {
  const char *path;
  const char *file;       /* relative to the results directory */
  Plant       plant;
  const char *option;     /* (nullable) one more option for `run` */
  gboolean    refused;    /* the run fails, naming @file */
} PlantCase;

static const PlantCase plant_cases[] = {
  { "/hostile/symlink/states-part",    "traces/0-0-states.csv.part",     PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/segments-part",  "traces/1-1-segments.csv.part",   PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/occupancy-part", "traces/0-1-occupancy.csv.part",  PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/pcap-part",      "traces/1-0.pcap.part",           PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/part-dangling",  "traces/0-0-states.csv.part",     PLANT_DANGLING, NULL, FALSE },
  { "/hostile/symlink/states",         "traces/0-0-states.csv",          PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/pcap",           "traces/1-1.pcap",                PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/pcap-dangling",  "traces/1-1.pcap",                PLANT_DANGLING, NULL, FALSE },
  { "/hostile/symlink/runs",           "runs.csv",                       PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/runs-dangling",  "runs.csv",                       PLANT_DANGLING, NULL, FALSE },
  { "/hostile/symlink/summary",        "summary.csv",                    PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/samples",        "samples/0-0.bin",                PLANT_LINK, NULL, FALSE },
  { "/hostile/symlink/samples-last",   "samples/1-1.bin",                PLANT_LINK, NULL, FALSE },
  /* not a link: the run that writes there fails, naming it */
  { "/hostile/plant/part-directory",   "traces/0-0-states.csv.part",     PLANT_DIRECTORY, NULL, TRUE },
  { "/hostile/plant/trace-directory",  "traces/1-0-segments.csv",        PLANT_DIRECTORY, NULL, TRUE },
  { "/hostile/plant/samples-directory", "samples/0-1.bin",               PLANT_DIRECTORY, NULL, TRUE },
  { "/hostile/plant/summary-directory", "summary.csv",                   PLANT_DIRECTORY, NULL, TRUE },
  { "/hostile/plant/runs-directory",   "runs.csv",                       PLANT_DIRECTORY, NULL, TRUE },
  /* a directory link would take every file in it outside */
  { "/hostile/symlink/traces-dir",     "traces",                         PLANT_LINK, NULL, TRUE },
  { "/hostile/symlink/samples-dir",    "samples",                        PLANT_LINK, NULL, TRUE },
  /* read first, and it differs: another experiment's directory */
  { "/hostile/symlink/config",         "config.ini",                     PLANT_LINK, NULL, TRUE },
  { "/hostile/symlink/config-force",   "config.ini",                     PLANT_LINK, "--force", FALSE },
};

static void
test_plant (gconstpointer data)
{
  const PlantCase *pc = data;
  g_autofree char *tmp = g_dir_make_tmp ("synack-hostile-XXXXXX", NULL);
  g_autofree char *ini = write_file (tmp, "hostile.ini", ini_text);
  g_autofree char *sentinel = write_file (tmp, "sentinel", SENTINEL);
  g_autofree char *missing = g_build_filename (tmp, "missing", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *link = g_build_filename (out, pc->file, NULL);
  g_autofree char *link_dir = g_path_get_dirname (link);
  g_autofree char *err = NULL;
  g_autofree char *after = NULL;
  const char *args[] = { "run", ini, "-o", out, "--quiet", "-j", "2", pc->option, NULL };
  g_autofree char *outside = g_build_filename (tmp, "outside", NULL);
  gboolean is_dir = strchr (pc->file, '.') == NULL;
  struct stat st;
  int status;

  g_assert_cmpint (g_mkdir_with_parents (link_dir, 0755), ==, 0);
  g_assert_cmpint (g_mkdir (outside, 0755), ==, 0);
  if (pc->plant == PLANT_DIRECTORY)
    g_assert_cmpint (g_mkdir (link, 0755), ==, 0);
  else
    g_assert_cmpint (symlink (pc->plant == PLANT_DANGLING ? missing
                              : is_dir ? outside : sentinel, link), ==, 0);

  status = run_synack (args, NULL, &err);

  g_assert_true (g_file_get_contents (sentinel, &after, NULL, NULL));
  if (strcmp (after, SENTINEL) != 0)
    g_error ("%s: the link's target was written through", pc->file);
  g_assert_false (g_file_test (missing, G_FILE_TEST_EXISTS));
  g_assert_cmpint (g_rmdir (outside), ==, 0);                /* still empty */
  if (pc->refused) {
    g_assert_cmpint (status, !=, 0);
    g_assert_nonnull (strstr (err, pc->file));
  } else {
    if (status != 0)
      g_error ("synack run failed (%d): %s", status, err);
    if (g_str_has_suffix (pc->file, ".part")) {
      g_assert_cmpint (g_lstat (link, &st), !=, 0);      /* renamed away */
    } else {
      g_assert_cmpint (g_lstat (link, &st), ==, 0);
      g_assert_true (S_ISREG (st.st_mode));
    }
  }
  remove_tree (tmp);
}

/* ---- a damaged plugin ----------------------------------------------------------- */

/* The plugins of the build tree, loss-bernoulli.so cut in half, on the
 * path: `synack models` and `synack check` still work and say which file
 * is bad. */
static void
test_truncated_plugin (void)
{
  const char *path_env = g_getenv ("SYNACK_PLUGIN_PATH");
  g_autofree char *tmp = g_dir_make_tmp ("synack-hostile-XXXXXX", NULL);
  g_autofree char *ini = write_file (tmp, "hostile.ini", ini_text);
  g_autofree char *plugins = g_build_filename (tmp, "plugins", NULL);
  g_autofree char *bad = g_build_filename (plugins, "loss-bernoulli.so", NULL);
  g_autofree char *want = g_strconcat (bad, ": not a plugin: truncated (file is ", NULL);
  g_autoptr (GDir) d = NULL;
  g_auto (GStrv) dirs = NULL;
  g_auto (GStrv) envp = g_get_environ ();
  const char *models[] = { "models", NULL };
  const char *check[] = { "check", ini, NULL };
  const char *name;

  if (path_env == NULL || path_env[0] == '\0') {
    g_test_skip ("SYNACK_PLUGIN_PATH is not set (make check sets it to models/.libs)");
    return;
  }
  dirs = g_strsplit (path_env, G_SEARCHPATH_SEPARATOR_S, 2);
  g_assert_cmpint (g_mkdir (plugins, 0755), ==, 0);
  d = g_dir_open (dirs[0], 0, NULL);
  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, ".so")) {
      g_autofree char *from = g_build_filename (dirs[0], name, NULL);
      g_autofree char *to = g_build_filename (plugins, name, NULL);
      g_autofree char *contents = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (from, &contents, &len, NULL));
      if (strcmp (name, "loss-bernoulli.so") == 0)
        len /= 2;
      g_assert_true (g_file_set_contents (to, contents, (gssize) len, NULL));
    }
  envp = g_environ_setenv (envp, "SYNACK_PLUGIN_PATH", plugins, TRUE);

  for (guint i = 0; i < 2; i++) {
    g_autofree char *err = NULL;
    int status = run_synack (i == 0 ? models : check, envp, &err);

    if (status != 0)
      g_error ("synack %s failed (%d): %s", i == 0 ? "models" : "check", status, err);
    g_assert_nonnull (strstr (err, want));
  }
  remove_tree (tmp);
}

/* ---- plugins whose create() fails in a run ------------------------------------ */

/* The config loader creates every loss and delay model once to check its
 * parameters; the models below succeed then, and fail once fail_now is set
 * (before the run).  The protocols wrap tcp3way and fail when their
 * parameter "fail" is true too, so a sweep over it fails some points. */
static gboolean fail_now;
static SynackRegistry *registry;
static const SynackProtocolVtable *tcp3way_vt;

static GQuark
hostile_quark (void)
{
  return g_quark_from_static_string ("synack-test-hostile");
}

static gpointer
refusing_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  if (fail_now) {
    g_set_error_literal (error, hostile_quark (), 1, "told to fail");
    return NULL;
  }
  return g_new0 (char, 1);
}

static gpointer
silent_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  return fail_now ? NULL : g_new0 (char, 1);   /* the bug: no error set */
}

static gboolean
never_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return FALSE;
}

static SynackTime
one_ms (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return SYNACK_MSECOND;
}

static gpointer
refusing_protocol_create (const SynackProtocolEnv *env, const SynackParams *params, GError **error)
{
  if (fail_now && synack_params_get_boolean (params, "fail"))
    return refusing_create (NULL, NULL, error);
  return tcp3way_vt->create (env, params, error);
}

static gpointer
silent_protocol_create (const SynackProtocolEnv *env, const SynackParams *params, GError **error)
{
  if (fail_now && synack_params_get_boolean (params, "fail"))
    return NULL;
  return tcp3way_vt->create (env, params, error);
}

static const SynackLossVtable refusing_loss_vt = { refusing_create, never_drop, g_free };
static const SynackLossVtable silent_loss_vt = { silent_create, never_drop, g_free };
static const SynackDelayVtable refusing_delay_vt = { refusing_create, one_ms, g_free };
static const SynackDelayVtable silent_delay_vt = { silent_create, one_ms, g_free };
static SynackProtocolVtable refusing_protocol_vt, silent_protocol_vt;
static const SynackParamSpec no_params[] = { { NULL } };
static SynackParamSpec *protocol_params;   /* tcp3way's and "fail" */

#define TEST_DESC(k, n, vtf, v) \
  { SYNACK_PLUGIN_ABI_VERSION, k, n, "test: create() fails in a run", no_params, .vt.vtf = v }
static SynackPluginDesc failing_descs[] = {
  TEST_DESC (SYNACK_PLUGIN_LOSS, "refusing", loss, &refusing_loss_vt),
  TEST_DESC (SYNACK_PLUGIN_LOSS, "silent", loss, &silent_loss_vt),
  TEST_DESC (SYNACK_PLUGIN_DELAY, "refusing", delay, &refusing_delay_vt),
  TEST_DESC (SYNACK_PLUGIN_DELAY, "silent", delay, &silent_delay_vt),
  TEST_DESC (SYNACK_PLUGIN_PROTOCOL, "refusing", protocol, &refusing_protocol_vt),
  TEST_DESC (SYNACK_PLUGIN_PROTOCOL, "silent", protocol, &silent_protocol_vt),
};

/* Loads the built-in plugins and registers the failing ones; FALSE (the
 * test is skipped) without SYNACK_PLUGIN_PATH. */
static gboolean
registry_ready (void)
{
  const SynackPluginDesc *tcp3way;
  guint n = 0;

  if (registry != NULL)
    return TRUE;
  if (g_getenv ("SYNACK_PLUGIN_PATH") == NULL) {
    g_test_skip ("SYNACK_PLUGIN_PATH is not set (make check sets it to models/.libs)");
    return FALSE;
  }
  registry = synack_registry_new ();
  synack_registry_load_path (registry, NULL, NULL);
  tcp3way = synack_registry_lookup (registry, SYNACK_PLUGIN_PROTOCOL, "tcp3way");
  g_assert_nonnull (tcp3way);
  tcp3way_vt = tcp3way->vt.protocol;
  refusing_protocol_vt = *tcp3way_vt;
  refusing_protocol_vt.create = refusing_protocol_create;
  silent_protocol_vt = *tcp3way_vt;
  silent_protocol_vt.create = silent_protocol_create;
  while (tcp3way->params[n].name != NULL)
    n++;
  protocol_params = g_new0 (SynackParamSpec, n + 2);
  memcpy (protocol_params, tcp3way->params, n * sizeof *protocol_params);
  protocol_params[n] = (SynackParamSpec) {
    "fail", SYNACK_PARAM_BOOLEAN, "false", "", "create() fails in a run", 0, 0, NULL
  };
  for (guint i = 0; i < G_N_ELEMENTS (failing_descs); i++) {
    g_autoptr (GError) error = NULL;

    if (failing_descs[i].kind == SYNACK_PLUGIN_PROTOCOL)
      failing_descs[i].params = protocol_params;
    synack_registry_add (registry, &failing_descs[i], "test-hostile.c", &error);
    g_assert_no_error (error);
  }
  return TRUE;
}

static SynackConfig *
load_config (const char *experiment, const char *link, const char *sweep)
{
  g_autofree char *text = g_strconcat (
    "[experiment]\nname = create\nuntil = 10s\nreplications = 2\nseed = 3\n", experiment,
    "[workload]\nconnections = 5\nclients = 2\nrate = 100/s\nhold = 10ms\n"
    "[link]\ndelay = constant\ndelay.base = 1ms\n", link,
    sweep != NULL ? "[sweep]\n" : "", sweep, NULL);
  g_autoptr (GError) error = NULL;
  SynackConfig *cfg;

  fail_now = FALSE;
  cfg = synack_config_load_data (text, "create.ini", registry, &error);
  g_assert_no_error (error);
  return cfg;
}

typedef struct {
  const char *path;
  const char *experiment;   /* lines for [experiment] */
  const char *link;         /* sections after [link]'s first lines */
  const char *message;      /* the run's error, whole */
} CreateCase;

#define WITHOUT_WHY "create() failed without saying why (a bug in the plugin)"

static const CreateCase create_cases[] = {
  { "/hostile/create/loss-error", "", "[link.forward]\nloss = refusing\n",
    "[link.forward] loss refusing: told to fail" },
  { "/hostile/create/loss-no-error", "", "loss = silent\n",
    "[link.forward] loss silent: " WITHOUT_WHY },
  { "/hostile/create/delay-error", "", "[link.reverse]\ndelay = refusing\n",
    "[link.reverse] delay refusing: told to fail" },
  { "/hostile/create/delay-no-error", "", "[link.reverse]\ndelay = silent\n",
    "[link.reverse] delay silent: " WITHOUT_WHY },
  { "/hostile/create/protocol-error", "protocol = refusing\nprotocol.fail = true\n", "",
    "protocol refusing: told to fail" },
  { "/hostile/create/protocol-no-error", "protocol = silent\nprotocol.fail = true\n", "",
    "protocol silent: " WITHOUT_WHY },
};

static void
test_create_fails (gconstpointer data)
{
  const CreateCase *cc = data;
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (GError) error = NULL;
  SynackRunSpec spec;
  SynackMetrics m;

  if (!registry_ready ())
    return;
  cfg = load_config (cc->experiment, cc->link, NULL);
  g_assert_true (synack_config_build_run (cfg, 0, &spec, &error));
  g_assert_no_error (error);
  fail_now = TRUE;
  g_assert_false (synack_net_run (&spec, &m, NULL, NULL, NULL, &error));
  fail_now = FALSE;
  synack_run_spec_clear (&spec);
  g_assert_nonnull (error);
  g_assert_cmpstr (error->message, ==, cc->message);
}

/* A sweep whose second point's protocol fails: those runs are reported and
 * the first point's are still run and written. */
static void
test_create_fails_batch (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("synack-hostile-XXXXXX", NULL);
  g_autofree char *out = g_build_filename (tmp, "out", NULL);
  g_autofree char *runs = g_build_filename (out, "runs.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) lines = NULL;
  SynackRunnerOptions opt = { .out_dir = out, .jobs = 1, .point = -1, .replication = -1,
                              .progress = SYNACK_PROGRESS_QUIET };

  if (!registry_ready ())
    return;
  cfg = load_config ("protocol = refusing\n", "", "experiment.protocol.fail = false, true\n");
  fail_now = TRUE;
  g_assert_false (synack_runner_run (cfg, &opt, NULL, &error));
  fail_now = FALSE;
  g_assert_error (error, SYNACK_RUNNER_ERROR, SYNACK_RUNNER_ERROR_RUNS_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "2 of 4 runs failed"));
  g_assert_true (g_file_get_contents (runs, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  /* the header, point 0's two runs, "" */
  g_assert_cmpuint (g_strv_length (lines), ==, 4);
  g_assert_true (g_str_has_prefix (lines[1], "0,0,"));
  g_assert_true (g_str_has_prefix (lines[2], "0,1,"));
  remove_tree (tmp);
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");
  int ret;

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plant_cases); i++)
    g_test_add_data_func (plant_cases[i].path, &plant_cases[i], test_plant);
  g_test_add_func ("/hostile/plugin/truncated", test_truncated_plugin);
  for (guint i = 0; i < G_N_ELEMENTS (create_cases); i++)
    g_test_add_data_func (create_cases[i].path, &create_cases[i], test_create_fails);
  g_test_add_func ("/hostile/create/batch-goes-on", test_create_fails_batch);
  ret = g_test_run ();
  synack_registry_free (registry);
  g_free (protocol_params);
  g_free (synack_bin);
  return ret;
}
