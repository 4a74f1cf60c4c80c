/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-readme.c - what README.md shows works as shown.
 *
 * Takes the code blocks out of README.md.  The plugin example and the
 * library example are compiled as the README says, with the flags of
 * `pkg-config --cflags --libs synack` from an installed synack.pc: core/
 * is installed with `make install DESTDIR=TMP`, and pkg-config reads that
 * synack.pc with PKG_CONFIG_SYSROOT_DIR=TMP, its way of using a staged
 * install.  The plugin is loaded through the registry and run; the
 * library program runs against the installed libsynack and must print the
 * metrics `synack run` writes for the same run.  The configuration
 * example, as printed, passes `synack check`.  A README edit that breaks
 * an example breaks this test. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <string.h>
#include <sys/wait.h>

#include "plugin.h"
#include "registry.h"

static char *readme;
static char *top_srcdir;
static char *builddir;

/* Returns: (transfer full) the first ```LANG block that contains @marker. */
static char *
code_block (const char *lang, const char *marker)
{
  g_autofree char *fence = g_strdup_printf ("```%s\n", lang);
  const char *p = readme;

  while ((p = strstr (p, fence)) != NULL) {
    const char *start = p + strlen (fence);
    const char *end = strstr (start, "```");

    g_assert_nonnull (end);
    if (g_strstr_len (start, end - start, marker))
      return g_strndup (start, end - start);
    p = end + 3;
  }
  g_error ("README.md has no ```%s block with \"%s\"", lang, marker);
}

/* Runs @argv in @envp (NULL: ours).  @out (nullable) gets its standard
 * output, which is otherwise dropped: it must stay off the TAP stream. */
static int
run_env (const char *const *argv, char **envp, char **out, char **err)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dropped = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, envp, G_SPAWN_SEARCH_PATH, NULL, NULL,
                out ? out : &dropped, err, &status, &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

static int
run (const char *const *argv, char **err)
{
  return run_env (argv, NULL, NULL, err);
}

/* A new temporary directory, removed when the tests end. */
static GPtrArray *scratch;

static const char *
scratch_dir (void)
{
  char *dir = g_dir_make_tmp ("synack-readme-XXXXXX", NULL);

  g_assert_nonnull (dir);
  g_ptr_array_add (scratch, dir);
  return dir;
}

/* ---- an installed synack ---------------------------------------------------- */

static char *stage;          /* DESTDIR of the install */
static char **pc_env;        /* PKG_CONFIG_PATH and _SYSROOT_DIR for it */
static char **synack_flags;  /* pkg-config --cflags --libs synack */
static char *plugindir_flag; /* -DPLUGINDIR="..." from its plugindir */

/* Runs pkg-config @args (NULL-terminated) in @envp; returns its output
 * split at blanks, without empty words. */
static GStrv
pkg_config (char **envp, const char *args[])
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GStrvBuilder) words = g_strv_builder_new ();
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) split = NULL;

  g_ptr_array_add (argv, "pkg-config");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  if (run_env ((const char *const *) argv->pdata, envp, &out, &err) != 0)
    g_error ("pkg-config %s failed:\n%s", args[0], err);
  split = g_strsplit_set (g_strstrip (out), " \t\n", -1);
  for (guint i = 0; split[i] != NULL; i++)
    if (split[i][0] != '\0')
      g_strv_builder_add (words, split[i]);
  return g_strv_builder_end (words);
}

/* `make install DESTDIR=TMP` of core/ (the library, its headers and
 * synack.pc; the plugins stay in the build tree, $SYNACK_PLUGIN_PATH), once
 * per process.  A staged install is a sysroot to pkg-config: flags of the
 * installed synack.pc get TMP in front, and so do those of the packages it
 * requires, which are not in TMP.  Those (glib's) are linked into TMP
 * where they are, as a real sysroot would have them. */
static void
install_core (void)
{
  g_autofree char *core = g_build_filename (builddir, "core", NULL);
  g_autofree char *destdir = NULL, *err = NULL, *pcdir = NULL;
  g_autofree char *sysroot = NULL, *pcpath = NULL, *plugindir = NULL;
  const char *make = g_getenv ("SYNACK_TEST_MAKE");
  const char *libdir = g_getenv ("SYNACK_TEST_LIBDIR");
  const char *cflags_libs[] = { "--cflags", "--libs", "synack", NULL };
  const char *var_plugindir[] = { "--variable=plugindir", "synack", NULL };
  g_auto (GStrv) host_flags = NULL;
  g_auto (GStrv) make_env = g_get_environ ();
  g_auto (GStrv) pd = NULL;

  if (stage != NULL)
    return;
  g_assert_nonnull (make);
  g_assert_nonnull (libdir);
  stage = g_strdup (scratch_dir ());
  destdir = g_strdup_printf ("DESTDIR=%s", stage);
  /* not the jobserver of the make running the tests */
  make_env = g_environ_unsetenv (make_env, "MAKEFLAGS");
  make_env = g_environ_unsetenv (make_env, "MFLAGS");
  make_env = g_environ_unsetenv (make_env, "MAKELEVEL");
  {
    const char *argv[] = { make, "-C", core, "install", destdir, NULL };

    if (run_env (argv, make_env, NULL, &err) != 0)
      g_error ("make install DESTDIR=%s failed:\n%s", stage, err);
  }
  pcdir = g_build_filename (stage, libdir, "pkgconfig", NULL);
  pcpath = g_build_filename (pcdir, "synack.pc", NULL);
  g_assert_true (g_file_test (pcpath, G_FILE_TEST_IS_REGULAR));

  pc_env = g_environ_setenv (g_get_environ (), "PKG_CONFIG_PATH", pcdir, TRUE);
  host_flags = pkg_config (pc_env, cflags_libs);
  for (guint i = 0; host_flags[i] != NULL; i++) {
    const char *dir = host_flags[i] + 2;
    g_autofree char *in_stage = NULL, *parent = NULL;

    if ((!g_str_has_prefix (host_flags[i], "-I") && !g_str_has_prefix (host_flags[i], "-L")) ||
        !g_path_is_absolute (dir))
      continue;
    in_stage = g_build_filename (stage, dir, NULL);
    if (g_file_test (in_stage, G_FILE_TEST_EXISTS) || !g_file_test (dir, G_FILE_TEST_IS_DIR))
      continue;
    parent = g_path_get_dirname (in_stage);
    g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
    g_assert_cmpint (symlink (dir, in_stage), ==, 0);
  }
  pc_env = g_environ_setenv (pc_env, "PKG_CONFIG_SYSROOT_DIR", stage, TRUE);
  synack_flags = pkg_config (pc_env, cflags_libs);
  pd = pkg_config (pc_env, var_plugindir);
  g_assert_cmpuint (g_strv_length (pd), ==, 1);
  plugindir_flag = g_strdup_printf ("-DPLUGINDIR=\"%s\"", pd[0]);
  /* the headers come from the stage, not from the source tree */
  g_assert_true (g_strv_contains ((const char *const *) synack_flags, "-lsynack"));
  {
    g_autofree char *inc = g_strdup_printf ("-I%s", stage);
    gboolean staged = FALSE;

    for (guint i = 0; synack_flags[i] != NULL; i++)
      staged |= g_str_has_prefix (synack_flags[i], inc);
    g_assert_true (staged);
  }
}

/* cc @extra... -o @out @src with the installed synack's flags.  The
 * compiler and its flags are the build's ($(CC), $(CFLAGS) $(LDFLAGS)), as
 * a program linking a sanitizer build of libsynack needs the same ones. */
static void
compile (const char *src, const char *out, const char *const *extra, const char *what)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *err = NULL;
  g_auto (GStrv) cc = NULL, cflags = NULL;
  const char *cc_env = g_getenv ("SYNACK_TEST_CC");
  g_autofree char *cflags_text = g_strstrip (g_strdup (g_getenv ("SYNACK_TEST_CFLAGS")
                                                       ? g_getenv ("SYNACK_TEST_CFLAGS") : ""));

  install_core ();
  g_assert_true (g_shell_parse_argv (cc_env && cc_env[0] ? cc_env : "cc", NULL, &cc, NULL));
  if (cflags_text[0] != '\0')
    g_assert_true (g_shell_parse_argv (cflags_text, NULL, &cflags, NULL));
  for (guint i = 0; cc[i] != NULL; i++)
    g_ptr_array_add (argv, cc[i]);
  for (guint i = 0; cflags != NULL && cflags[i] != NULL; i++)
    g_ptr_array_add (argv, cflags[i]);
  for (guint i = 0; extra[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) extra[i]);
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, (gpointer) out);
  g_ptr_array_add (argv, (gpointer) src);
  for (guint i = 0; synack_flags[i] != NULL; i++)
    g_ptr_array_add (argv, synack_flags[i]);
  g_ptr_array_add (argv, NULL);
  if (run ((const char *const *) argv->pdata, &err) != 0)
    g_error ("the README's %s does not compile:\n%s", what, err);
}

static void
test_plugin_example (void)
{
  g_autofree char *code = code_block ("c", "SYNACK_PLUGIN_DEFINE");
  const char *dir = scratch_dir ();
  g_autofree char *src = g_build_filename (dir, "loss-periodic.c", NULL);
  g_autofree char *so = g_build_filename (dir, "loss-periodic.so", NULL);
  const char *const shared[] = { "-shared", "-fPIC", NULL };
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackParams) params = NULL;
  const SynackPluginDesc *desc;
  SynackSegment seg = { 0 };
  gpointer loss;
  guint dropped = 0;

  /* cc -shared -fPIC -o loss-periodic.so loss-periodic.c $(pkg-config
   * --cflags --libs synack), against the installed <synack/plugin.h> */
  g_assert_true (g_file_set_contents (src, code, -1, NULL));
  compile (src, so, shared, "plugin");

  g_assert_true (synack_registry_load_file (reg, so, &error));
  g_assert_no_error (error);
  desc = synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "periodic");
  g_assert_nonnull (desc);
  params = synack_params_new (desc->params);
  g_assert_true (synack_params_set (params, "every", "5", &error));
  loss = desc->vt.loss->create (params, NULL, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= 20; i++)
    if (desc->vt.loss->drop (loss, &seg, 0)) {
      g_assert_cmpuint (i % 5, ==, 0);
      dropped++;
    }
  g_assert_cmpuint (dropped, ==, 4);
  desc->vt.loss->destroy (loss);
}

/* The config `synack run` needs for the run the README's library example
 * builds by hand (the same keys, in the same units). */
static const char library_ini[] =
  "[experiment]\n"
  "name = library\n"
  "protocol = tcp3way\n"
  "profile = linux\n"
  "replications = 1\n"
  "seed = 7\n"
  "until = 600s\n"
  "[workload]\n"
  "connections = 1000\n"
  "clients = 10\n"
  "arrival = poisson\n"
  "rate = 100/s\n"
  "hold = 1s\n"
  "closer = client\n"
  "[link]\n"
  "loss = bernoulli\n"
  "loss.p = 0.1\n"
  "delay = constant\n"
  "delay.base = 25ms\n";

/* NAN for an empty cell or "nan", as runs.csv and printf write it. */
static double
number (const char *text)
{
  return text[0] == '\0' || g_ascii_strcasecmp (text, "nan") == 0
         ? NAN : g_ascii_strtod (text, NULL);
}

static void
test_library_example (void)
{
  g_autofree char *code = code_block ("c", "synack_net_run");
  const char *dir = scratch_dir ();
  g_autofree char *src = g_build_filename (dir, "handshakes.c", NULL);
  g_autofree char *prog = g_build_filename (dir, "handshakes", NULL);
  g_autofree char *ini = g_build_filename (dir, "library.ini", NULL);
  g_autofree char *out_dir = g_build_filename (dir, "results", NULL);
  g_autofree char *runs_path = g_build_filename (out_dir, "runs.csv", NULL);
  g_autofree char *synack = g_build_filename (builddir, "experiments", "synack", NULL);
  g_autofree char *libpath = NULL, *runs = NULL, *out = NULL, *err = NULL;
  g_auto (GStrv) env = NULL, lines = NULL, head = NULL, row = NULL, printed = NULL;
  guint compared = 0;

  g_assert_true (g_file_set_contents (src, code, -1, NULL));
  install_core ();
  {
    const char *const flags[] = { "-Wall", "-Werror", plugindir_flag, NULL };

    compile (src, prog, flags, "library example");
  }

  /* the same run, made by the program from a config */
  g_assert_true (g_file_set_contents (ini, library_ini, -1, NULL));
  {
    const char *argv[] = { synack, "run", "-q", "-j", "1", "-o", out_dir, ini, NULL };

    if (run (argv, &err) != 0)
      g_error ("synack run of the library example's config failed:\n%s", err);
    g_clear_pointer (&err, g_free);
  }
  g_assert_true (g_file_get_contents (runs_path, &runs, NULL, NULL));
  lines = g_strsplit (runs, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 2);
  head = g_strsplit (lines[0], ",", -1);
  row = g_strsplit (lines[1], ",", -1);
  g_assert_cmpuint (g_strv_length (head), ==, g_strv_length (row));
  g_assert_cmpstr (head[2], ==, "seed");

  /* the example against the installed libsynack, with the run's seed */
  libpath = g_build_filename (stage, g_getenv ("SYNACK_TEST_LIBDIR"), NULL);
  env = g_environ_setenv (g_get_environ (), "LD_LIBRARY_PATH", libpath, TRUE);
  {
    const char *argv[] = { prog, row[2], NULL };

    if (run_env (argv, env, &out, &err) != 0)
      g_error ("the README's library example failed:\n%s", err);
  }

  /* every metric it prints is the one runs.csv has */
  printed = g_strsplit (g_strstrip (out), "\n", -1);
  for (guint i = 0; printed[i] != NULL; i++) {
    g_auto (GStrv) kv = g_strsplit (printed[i], " ", 2);
    guint col;
    double mine, theirs;

    g_assert_cmpuint (g_strv_length (kv), ==, 2);
    for (col = 0; head[col] != NULL && strcmp (head[col], kv[0]) != 0; col++)
      ;
    if (head[col] == NULL)
      g_error ("the library example prints \"%s\", which runs.csv has not", kv[0]);
    mine = number (kv[1]);
    theirs = number (row[col]);
    if (isnan (theirs) ? !isnan (mine) : !(fabs (mine - theirs) <= 1e-8 * MAX (1.0, fabs (theirs))))
      g_error ("the library example prints %s %s; synack run wrote %s", kv[0], kv[1], row[col]);
    compared++;
  }
  /* all of them (point, replication, seed and the swept keys aside) */
  g_assert_cmpuint (compared, ==, g_strv_length (head) - 3);
  g_assert_cmpstr (head[3], ==, "attempts");
  g_assert_cmpstr (row[3], ==, "1000");
}

static void
test_config_example (void)
{
  g_autofree char *ini = code_block ("ini", "[sweep]");
  const char *dir = scratch_dir ();
  g_autofree char *path = g_build_filename (dir, "lossy.ini", NULL);
  g_autofree char *synack = g_build_filename (builddir, "experiments", "synack", NULL);
  g_autofree char *err = NULL;
  const char *check[] = { synack, "check", path, NULL };

  g_assert_true (g_file_set_contents (path, ini, -1, NULL));
  if (run (check, &err) != 0)
    g_error ("the README's config example fails synack check:\n%s", err);
}

int
main (int argc, char **argv)
{
  g_autofree char *path = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  scratch = g_ptr_array_new_with_free_func (g_free);
  top_srcdir = g_strdup (g_getenv ("SYNACK_TEST_TOP_SRCDIR"));
  builddir = g_strdup (g_getenv ("SYNACK_TEST_BUILDDIR"));
  g_assert_nonnull (top_srcdir);
  path = g_build_filename (top_srcdir, "README.md", NULL);
  g_assert_true (g_file_get_contents (path, &readme, NULL, NULL));
  g_test_add_func ("/readme/plugin-example", test_plugin_example);
  g_test_add_func ("/readme/library-example", test_library_example);
  g_test_add_func ("/readme/config-example", test_config_example);
  status = g_test_run ();
  for (guint i = 0; i < scratch->len; i++) {
    const char *argv[] = { "rm", "-rf", g_ptr_array_index (scratch, i), NULL };

    run (argv, NULL);
  }
  g_ptr_array_unref (scratch);
  return status;
}
