/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-analysis.c - README's "Reading results in Python and R".
 *
 * Runs a small quickstart batch into a fresh directory, takes the
 * ```python and ```r blocks of that README section and runs each with the
 * directory as its working directory.  Python needs pandas and numpy
 * (Debian python3-pandas), R needs Rscript; without them the test says so
 * and skips. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

static char *readme;
static char *synack_bin;
static char *top_srcdir;
static char *workdir;

/* Returns: (transfer full) the first ```LANG block of the README section
 * "Reading results in Python and R". */
static char *
section_block (const char *lang)
{
  g_autofree char *fence = g_strdup_printf ("```%s\n", lang);
  const char *section = strstr (readme, "### Reading results in Python and R");
  const char *start, *end;

  g_assert_nonnull (section);
  start = strstr (section, fence);
  g_assert_nonnull (start);
  start += strlen (fence);
  end = strstr (start, "```");
  g_assert_nonnull (end);
  return g_strndup (start, end - start);
}

static gboolean
spawn (const char *const *argv, char **out, char **err, int *status)
{
  g_autoptr (GError) error = NULL;

  if (!g_spawn_sync (workdir, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, out, err,
                     status, &error))
    return FALSE;
  return TRUE;
}

static void
run_block (const char *const *probe, const char *const *interpreter, const char *lang,
           const char *missing)
{
  g_autofree char *code = section_block (lang);
  g_autofree char *path = g_build_filename (workdir, lang[0] == 'p' ? "snippet.py" : "snippet.R",
                                            NULL);
  g_autofree char *out = NULL, *err = NULL;
  const char *argv[4] = { interpreter[0], interpreter[1], path, NULL };
  int status;

  if (!spawn (probe, NULL, NULL, &status) || !g_spawn_check_wait_status (status, NULL)) {
    g_test_skip (missing);
    return;
  }
  g_assert_true (g_file_set_contents (path, code, -1, NULL));
  if (interpreter[1] == NULL)
    argv[1] = path, argv[2] = NULL;
  g_assert_true (spawn (argv, &out, &err, &status));
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("the README's %s snippet failed:\n%s%s", lang, out, err);
  /* it printed the summary and the percentiles */
  g_assert_nonnull (strstr (out, "0.05"));
}

static void
test_python (void)
{
  const char *probe[] = { "/usr/bin/python3", "-c", "import pandas, numpy", NULL };
  const char *python[] = { "/usr/bin/python3", NULL };

  run_block (probe, python, "python", "pandas and numpy are not installed (python3-pandas)");
}

static void
test_r (void)
{
  const char *probe[] = { "Rscript", "-e", "invisible(0)", NULL };
  const char *r[] = { "Rscript", "--vanilla" };

  run_block (probe, r, "r", "Rscript is not installed (r-base-core)");
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");
  g_autofree char *readme_path = NULL, *ini = NULL, *out = NULL;
  int status;

  g_test_init (&argc, &argv, NULL);
  top_srcdir = g_strdup (g_getenv ("SYNACK_TEST_TOP_SRCDIR"));
  g_assert_nonnull (builddir);
  g_assert_nonnull (top_srcdir);
  readme_path = g_build_filename (top_srcdir, "README.md", NULL);
  g_assert_true (g_file_get_contents (readme_path, &readme, NULL, NULL));
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);
  workdir = g_dir_make_tmp ("synack-analysis-XXXXXX", NULL);
  ini = g_build_filename (top_srcdir, "experiments", "quickstart.ini", NULL);
  out = g_build_filename (workdir, "results", "quickstart", NULL);
  {
    const char *run[] = { synack_bin, "run", ini, "-o", out, "--quiet",
                          "--set", "workload.connections=300", NULL };

    g_assert_true (spawn (run, NULL, NULL, &status));
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  g_test_add_func ("/analysis/readme-python", test_python);
  g_test_add_func ("/analysis/readme-r", test_r);
  return g_test_run ();
}
