/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/provenance.c - DIR/provenance.ini (see provenance.h). */
#include "provenance.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build-commit.h"
#include "text.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "dev"
#endif

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static char *
file_sha256 (const char *path)
{
  g_autofree char *data = NULL;
  gsize len;

  if (!g_file_get_contents (path, &data, &len, NULL))
    return g_strdup ("unreadable");
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                      len);
}

void
synack_build_init (SynackBuild *build, const SynackRegistry *reg)
{
  g_autoptr (GPtrArray) list = synack_registry_list (reg);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *plugins = g_string_new (NULL);
  g_autofree char *all = NULL;

  memset (build, 0, sizeof *build);
  build->version = g_strdup (PACKAGE_VERSION);
  build->git_commit = g_strdup (SYNACK_GIT_COMMIT);
  build->plugin_abi = SYNACK_PLUGIN_ABI_VERSION;
  for (guint i = 0; i < list->len; i++) {
    const SynackPluginDesc *d = list->pdata[i];
    const char *origin = synack_registry_origin (reg, d);
    g_autofree char *hash = g_file_test (origin, G_FILE_TEST_IS_REGULAR)
                            ? file_sha256 (origin) : g_strdup (origin);

    g_ptr_array_add (lines, g_strdup_printf ("%s.%s sha256:%s",
                                             synack_plugin_kind_name (d->kind),
                                             d->name, hash));
  }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (plugins, "%s%s", i ? "\n" : "",
                            (char *) lines->pdata[i]);
  build->plugins = g_string_free (plugins, FALSE);
  all = g_strdup_printf ("%s\n%s\n%u\n%s\n", build->version, build->git_commit,
                         build->plugin_abi, build->plugins);
  build->fingerprint =
    g_compute_checksum_for_string (G_CHECKSUM_SHA256, all, -1);
}

void
synack_build_clear (SynackBuild *build)
{
  g_free (build->version);
  g_free (build->git_commit);
  g_free (build->plugins);
  g_free (build->fingerprint);
  memset (build, 0, sizeof *build);
}

gboolean
synack_provenance_write (const char *dir, const SynackBuild *build,
                         const char *command, const char *config_path,
                         double wall_s, const char *const *extra,
                         GError **error)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_PROVENANCE_FILE, NULL);
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date = g_date_time_format_iso8601 (now);
  g_auto (GStrv) plugins = g_strsplit (build->plugins, "\n", -1);
  char host[256] = "";
  GString *s = g_string_new (NULL);
  char wall[G_ASCII_DTOSTR_BUF_SIZE];
  g_autofree char *one_line_command = g_strdup (command);
  g_autofree char *one_line_config = g_strdup (config_path);
  gboolean ok;

  if (gethostname (host, sizeof host - 1) != 0)
    g_strlcpy (host, "unknown", sizeof host);
  g_string_append (
    s, "# written by synack: what computed the results beside it.  Not\n"
       "# part of the results: config.ini, runs.csv and summary.csv do not\n"
       "# depend on anything here but [build].\n"
       "[build]\n");
  g_string_append_printf (s, "version = %s\n", build->version);
  if (build->git_commit[0])
    g_string_append_printf (s, "git_commit = %s\n", build->git_commit);
  g_string_append_printf (s, "plugin_abi = %u\n", build->plugin_abi);
  for (guint i = 0; plugins[i] && plugins[i][0]; i++) {
    char *sp = strchr (plugins[i], ' ');

    if (sp != NULL) {
      *sp = '\0';
      g_string_append_printf (s, "plugin.%s = %s\n", plugins[i], sp + 1);
    }
  }
  g_string_append_printf (s, "fingerprint = %s\n\n[run]\n", build->fingerprint);
  /* GKeyFile values are single lines: a newline in a path becomes a space */
  g_string_append_printf (s, "command = %s\n",
                          g_strdelimit (one_line_command, "\n", ' '));
  if (config_path != NULL)
    g_string_append_printf (s, "config = %s\n",
                            g_strdelimit (one_line_config, "\n", ' '));
  g_string_append_printf (s, "date = %s\nhost = %s\nwall_s = %s\n", date, host,
                          g_ascii_formatd (wall, sizeof wall, "%.3f", wall_s));
  for (guint i = 0; extra && extra[i]; i++) {
    const char *eq = strchr (extra[i], '=');

    if (eq != NULL)
      g_string_append_printf (s, "%.*s = %s\n", (int) (eq - extra[i]),
                              extra[i], eq + 1);
  }
  ok = synack_text_write_atomic (path, s->str, (gssize) s->len, error);
  g_string_free (s, TRUE);
  return ok;
}

gboolean
synack_provenance_read_build (const char *dir, SynackBuild *build,
                              GError **error)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_PROVENANCE_FILE, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_auto (GStrv) keys = NULL;
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  GString *plugins = g_string_new (NULL);

  memset (build, 0, sizeof *build);
  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, error) ||
      (build->fingerprint =
         g_key_file_get_string (kf, "build", "fingerprint", error)) == NULL) {
    g_prefix_error (error, "%s: ", path);
    g_string_free (plugins, TRUE);
    return FALSE;
  }
  build->version = g_key_file_get_string (kf, "build", "version", NULL);
  build->git_commit = g_key_file_get_string (kf, "build", "git_commit", NULL);
  if (build->version == NULL)
    build->version = g_strdup ("");
  if (build->git_commit == NULL)
    build->git_commit = g_strdup ("");
  build->plugin_abi =
    (guint) g_key_file_get_uint64 (kf, "build", "plugin_abi", NULL);
  keys = g_key_file_get_keys (kf, "build", NULL, NULL);
  for (guint i = 0; keys && keys[i]; i++)
    if (g_str_has_prefix (keys[i], "plugin.")) {
      g_autofree char *v = g_key_file_get_string (kf, "build", keys[i], NULL);

      g_ptr_array_add (lines,
                       g_strdup_printf ("%s %s", keys[i] + 7, v ? v : ""));
    }
  g_ptr_array_sort (lines, compare_strings);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (plugins, "%s%s", i ? "\n" : "",
                            (char *) lines->pdata[i]);
  build->plugins = g_string_free (plugins, FALSE);
  return TRUE;
}

char *
synack_provenance_read_run (const char *dir, const char *key)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_PROVENANCE_FILE, NULL);
  g_autoptr (GKeyFile) kf = g_key_file_new ();

  if (!g_key_file_load_from_file (kf, path, G_KEY_FILE_NONE, NULL))
    return NULL;
  return g_key_file_get_string (kf, "run", key, NULL);
}
