/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-readme.c - what README.md shows works as shown.
 *
 * Takes the code blocks out of README.md: the plugin example is compiled
 * as the README says (cc -shared -fPIC against the headers), loaded through
 * the registry and run; the configuration example, as printed, passes
 * `synack check`.  A README edit that breaks an
 * example breaks this test. */
#include <glib.h>
#include <glib/gstdio.h>
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

static int
run (const char *const *argv, char **err)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;   /* kept off the TAP stream */
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, err, &status,
                &error);
  g_assert_no_error (error);
  return WIFEXITED (status) ? WEXITSTATUS (status) : 128;
}

/* Links every header of core/LAYER into @dir, as `make install` would
 * copy them into <synack/...>. */
static void
link_headers (const char *dir, const char *layer)
{
  g_autofree char *from = g_build_filename (top_srcdir, "core", layer, NULL);
  g_autoptr (GDir) d = g_dir_open (from, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *target = NULL;
    g_autofree char *path = NULL;

    if (!g_str_has_suffix (name, ".h"))
      continue;
    target = g_build_filename (from, name, NULL);
    path = g_build_filename (dir, name, NULL);
    g_assert_cmpint (symlink (target, path), ==, 0);
  }
}

static void
test_plugin_example (void)
{
  g_autofree char *code = code_block ("c", "SYNACK_PLUGIN_DEFINE");
  g_autofree char *dir = g_dir_make_tmp ("synack-readme-XXXXXX", NULL);
  g_autofree char *inc = g_build_filename (dir, "include", NULL);
  g_autofree char *link = g_build_filename (inc, "synack", NULL);
  g_autofree char *src = g_build_filename (dir, "loss-periodic.c", NULL);
  g_autofree char *so = g_build_filename (dir, "loss-periodic.so", NULL);
  g_autofree char *inc_flag = g_strdup_printf ("-I%s", inc);
  g_autofree char *err = NULL;
  g_autofree char *pkg_flags = NULL;
  g_auto (GStrv) flags = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackParams) params = NULL;
  const SynackPluginDesc *desc;
  SynackSegment seg = { 0 };
  gpointer loss;
  guint dropped = 0;

  /* the README compiles against the installed headers: <synack/plugin.h>,
   * which `make install` puts flat in one directory */
  g_assert_cmpint (g_mkdir_with_parents (link, 0755), ==, 0);
  link_headers (link, "engine");
  link_headers (link, "network");
  g_assert_true (g_file_set_contents (src, code, -1, NULL));
  g_assert_true (g_spawn_command_line_sync ("pkg-config --cflags glib-2.0 gmodule-2.0 gsl",
                                            &pkg_flags, NULL, NULL, NULL));
  flags = g_strsplit_set (g_strstrip (pkg_flags), " ", -1);
  g_ptr_array_add (argv, "cc");
  g_ptr_array_add (argv, "-shared");
  g_ptr_array_add (argv, "-fPIC");
  g_ptr_array_add (argv, "-o");
  g_ptr_array_add (argv, so);
  g_ptr_array_add (argv, src);
  g_ptr_array_add (argv, inc_flag);
  for (guint i = 0; flags[i]; i++)
    if (flags[i][0])
      g_ptr_array_add (argv, flags[i]);
  g_ptr_array_add (argv, NULL);
  if (run ((const char *const *) argv->pdata, &err) != 0)
    g_error ("the README's plugin does not compile:\n%s", err);

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

static void
test_config_example (void)
{
  g_autofree char *ini = code_block ("ini", "[sweep]");
  g_autofree char *dir = g_dir_make_tmp ("synack-readme-XXXXXX", NULL);
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

  g_test_init (&argc, &argv, NULL);
  top_srcdir = g_strdup (g_getenv ("SYNACK_TEST_TOP_SRCDIR"));
  builddir = g_strdup (g_getenv ("SYNACK_TEST_BUILDDIR"));
  g_assert_nonnull (top_srcdir);
  path = g_build_filename (top_srcdir, "README.md", NULL);
  g_assert_true (g_file_get_contents (path, &readme, NULL, NULL));
  g_test_add_func ("/readme/plugin-example", test_plugin_example);
  g_test_add_func ("/readme/config-example", test_config_example);
  return g_test_run ();
}
