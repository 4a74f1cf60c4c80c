/* tests/test-hostile.c - the `synack` program against files it did not make.
 *
 * Covers (issue 9): a symlink planted at each file a batch writes into its
 * results directory (traces and their .part files, runs.csv, summary.csv,
 * samples, config.ini, the traces/ and samples/ directories) pointing
 * outside it, and a dangling one: the target
 * is never written, and the run either replaces the link with a regular
 * file or fails naming it (open(2), O_NOFOLLOW and O_EXCL: "If pathname is
 * a symbolic link, then the open fails"; rename(2): "If newpath is a
 * symbolic link, the link will be overwritten").  And a truncated plugin on
 * SYNACK_PLUGIN_PATH: reported by name, every command still works (it used
 * to die with SIGBUS inside dlopen()). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

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

typedef struct {
  const char *path;
  const char *file;       /* relative to the results directory */
  gboolean    dangling;   /* the link names a file that does not exist */
  const char *option;     /* (nullable) one more option for `run` */
  gboolean    refused;    /* the run fails, naming @file */
} PlantCase;

static const PlantCase plant_cases[] = {
  { "/hostile/symlink/states-part",    "traces/0-0-states.csv.part",     FALSE, NULL, FALSE },
  { "/hostile/symlink/segments-part",  "traces/1-1-segments.csv.part",   FALSE, NULL, FALSE },
  { "/hostile/symlink/occupancy-part", "traces/0-1-occupancy.csv.part",  FALSE, NULL, FALSE },
  { "/hostile/symlink/pcap-part",      "traces/1-0.pcap.part",           FALSE, NULL, FALSE },
  { "/hostile/symlink/part-dangling",  "traces/0-0-states.csv.part",     TRUE,  NULL, FALSE },
  { "/hostile/symlink/states",         "traces/0-0-states.csv",          FALSE, NULL, FALSE },
  { "/hostile/symlink/pcap",           "traces/1-1.pcap",                FALSE, NULL, FALSE },
  { "/hostile/symlink/pcap-dangling",  "traces/1-1.pcap",                TRUE,  NULL, FALSE },
  { "/hostile/symlink/runs",           "runs.csv",                       FALSE, NULL, FALSE },
  { "/hostile/symlink/runs-dangling",  "runs.csv",                       TRUE,  NULL, FALSE },
  { "/hostile/symlink/summary",        "summary.csv",                    FALSE, NULL, FALSE },
  { "/hostile/symlink/samples",        "samples/0-0.bin",                FALSE, NULL, FALSE },
  { "/hostile/symlink/samples-last",   "samples/1-1.bin",                FALSE, NULL, FALSE },
  /* a directory link would take every file in it outside */
  { "/hostile/symlink/traces-dir",     "traces",                         FALSE, NULL, TRUE },
  { "/hostile/symlink/samples-dir",    "samples",                        FALSE, NULL, TRUE },
  /* read first, and it differs: another experiment's directory */
  { "/hostile/symlink/config",         "config.ini",                     FALSE, NULL, TRUE },
  { "/hostile/symlink/config-force",   "config.ini",                     FALSE, "--force", FALSE },
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
  g_assert_cmpint (symlink (pc->dangling ? missing : is_dir ? outside : sentinel, link), ==, 0);

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

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (plant_cases); i++)
    g_test_add_data_func (plant_cases[i].path, &plant_cases[i], test_plant);
  g_test_add_func ("/hostile/plugin/truncated", test_truncated_plugin);
  return g_test_run ();
}
