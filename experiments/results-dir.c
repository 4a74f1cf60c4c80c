/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/results-dir.c - a results directory as a batch holds it
 * (see results.h): its lock, the stale temporary files of a killed run,
 * clearing it for --force, its subdirectories, and whether two config.ini
 * texts are the same experiment.  Paths, runs.csv and samples are in
 * results.c, summary.csv in results-summary.c. */
#include "results.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "text.h"

/* ---- the directory, for a batch ------------------------------------------ */

/* flock() locks go away with the process, so a killed synack leaves no
 * stale lock; the file itself is left in place (unlinking it would race
 * with the next synack opening it), holding the pid of the last holder for
 * the message. */
gboolean
synack_results_lock (const char *dir, int *fd, GError **error)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RESULTS_LOCK, NULL);
  char pid[32] = "";
  int e;

  *fd = -1;
  if (g_mkdir_with_parents (dir, 0755) != 0 ||
      (*fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644)) <
          0) {
    e = errno;
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s: cannot create: %s", path, g_strerror (e));
    return FALSE;
  }
  if (flock (*fd, LOCK_EX | LOCK_NB) != 0) {
    ssize_t n;

    e = errno;
    if (e != EWOULDBLOCK) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                   "%s: cannot lock: %s", path, g_strerror (e));
      close (*fd);
      *fd = -1;
      return FALSE;
    }
    n = pread (*fd, pid, sizeof pid - 1, 0);
    pid[MAX (n, 0)] = '\0';
    g_strchomp (pid);
    /* not ours: closed untouched, the holder's pid stays for the next */
    close (*fd);
    *fd = -1;
    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s is in use by another synack%s%s%s; wait for it to finish, "
                 "or write elsewhere with -o", dir, pid[0] ? " (pid " : "", pid,
                 pid[0] ? ")" : "");
    return FALSE;
  }
  g_snprintf (pid, sizeof pid, "%ld\n", (long) getpid ());
  /* the pid is only for the message: failing to write it is harmless */
  if (ftruncate (*fd, 0) != 0 || pwrite (*fd, pid, strlen (pid), 0) < 0)
    g_debug ("%s: cannot write the pid: %s", path, g_strerror (errno));
  return TRUE;
}

void
synack_results_unlock (const char *dir, int fd)
{
  if (fd < 0)
    return;
  /* empty again, so that two finished batches leave identical files */
  if (ftruncate (fd, 0) != 0)
    g_debug ("%s/" SYNACK_RESULTS_LOCK ": %s", dir, g_strerror (errno));
  close (fd);   /* releases the lock */
}

/* GLib's temporary for an atomic write of NAME is "NAME.XXXXXX". */
static gboolean
is_stale_temp (const char *name)
{
  static const char *const exts[] = { ".csv", ".bin", ".ini" };
  gsize len = strlen (name);

  if (len < 11 || name[len - 7] != '.')
    return FALSE;
  for (gsize i = len - 6; i < len; i++)
    if (!g_ascii_isalnum (name[i]))
      return FALSE;
  for (guint k = 0; k < G_N_ELEMENTS (exts); k++)
    if (strncmp (name + len - 11, exts[k], 4) == 0)
      return TRUE;
  return FALSE;
}

/* Nothing reads the temporaries; with the lock held, no one is writing
 * them. */
void
synack_results_remove_stale_temps (const char *dir)
{
  const char *subdirs[] = { "", SYNACK_RESULTS_SAMPLES };

  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);
    g_autoptr (GDir) d = g_dir_open (sub, 0, NULL);
    const char *name;

    while (d && (name = g_dir_read_name (d))) {
      g_autofree char *path = g_build_filename (sub, name, NULL);
      GStatBuf st;

      if (is_stale_temp (name) && g_lstat (path, &st) == 0 &&
          S_ISREG (st.st_mode))
        g_unlink (path);
    }
  }
}

static gboolean
remove_file (const char *path, GError **error)
{
  if (g_unlink (path) != 0 && errno != ENOENT) {
    int e = errno;

    g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                 "%s: cannot remove: %s", path, g_strerror (e));
    return FALSE;
  }
  return TRUE;
}

/* Removes the regular files and symlinks in @dir (not what links point
 * to), so a replaced batch leaves none of its traces, samples or plots. */
static gboolean
empty_dir (const char *dir, GError **error)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return TRUE;
  while ((name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    if (g_file_test (path, G_FILE_TEST_IS_DIR) &&
        !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
      continue;
    if (!remove_file (path, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
synack_results_clear (const char *dir, GError **error)
{
  const char *files[] = { SYNACK_RESULTS_RUNS, SYNACK_RESULTS_SUMMARY };
  const char *subdirs[] = { SYNACK_RESULTS_TRACES, SYNACK_RESULTS_SAMPLES,
                            SYNACK_RESULTS_PLOTS };

  for (guint k = 0; k < G_N_ELEMENTS (files); k++) {
    g_autofree char *path = g_build_filename (dir, files[k], NULL);

    if (!remove_file (path, error))
      return FALSE;
  }
  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);

    if (!empty_dir (sub, error))
      return FALSE;
  }
  return TRUE;
}

gboolean
synack_results_make_subdirs (const char *dir, GError **error)
{
  const char *subdirs[] = { SYNACK_RESULTS_TRACES, SYNACK_RESULTS_SAMPLES };

  for (guint k = 0; k < G_N_ELEMENTS (subdirs); k++) {
    g_autofree char *sub = g_build_filename (dir, subdirs[k], NULL);
    GStatBuf st;

    if (g_mkdir_with_parents (sub, 0755) != 0) {
      int e = errno;

      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                   "%s: cannot create: %s", sub, g_strerror (e));
      return FALSE;
    }
    /* a link planted here would send every trace or sample outside */
    if (g_lstat (sub, &st) != 0)
      st.st_mode = 0;
    if (!S_ISDIR (st.st_mode)) {
      g_set_error (error, SYNACK_RESULTS_ERROR, SYNACK_RESULTS_ERROR_IO,
                   "%s: %s", sub,
                   S_ISLNK (st.st_mode)
                       ? "is a symbolic link; not written through"
                       : "not a directory");
      return FALSE;
    }
  }
  return TRUE;
}

static gboolean
config_line_counts (const char *line)
{
  while (g_ascii_isspace (*line))
    line++;
  if (g_str_has_prefix (line, "# written by synack"))
    return TRUE;
  return *line != '\0' && *line != '#' && *line != ';';
}

/* A user may annotate config.ini: comments and blank lines do not count. */
gboolean
synack_results_same_config (const char *a, const char *b)
{
  g_auto (GStrv) la = g_strsplit (a, "\n", -1);
  g_auto (GStrv) lb = g_strsplit (b, "\n", -1);
  guint i = 0, j = 0;

  for (;;) {
    const char *x, *y;

    while (la[i] != NULL && !config_line_counts (la[i]))
      i++;
    while (lb[j] != NULL && !config_line_counts (lb[j]))
      j++;
    if (la[i] == NULL || lb[j] == NULL)
      return la[i] == NULL && lb[j] == NULL;
    x = la[i++];
    y = lb[j++];
    while (g_ascii_isspace (*x))
      x++;
    while (g_ascii_isspace (*y))
      y++;
    if (strcmp (g_strchomp ((char *) x), g_strchomp ((char *) y)) != 0)
      return FALSE;
  }
}
