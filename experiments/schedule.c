/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/schedule.c - longest-first order and run-times.csv (see
 * schedule.h). */
#include "schedule.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "provenance.h"

FILE *
synack_schedule_open_times (const char *dir, gboolean truncate)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RUN_TIMES_FILE, NULL);
  int fd = g_open (path,
                   O_WRONLY | O_APPEND | O_CREAT | O_NOFOLLOW | O_CLOEXEC |
                     (truncate ? O_TRUNC : 0),
                   0644);
  struct stat st;
  FILE *f;

  if (fd < 0 || (f = fdopen (fd, "a")) == NULL) {
    g_printerr (
      "synack: warning: %s: %s; the runs' wall times are not recorded\n", path,
      g_strerror (errno));
    if (fd >= 0)
      close (fd);
    return NULL;
  }
  if (fstat (fd, &st) == 0 && st.st_size == 0)
    fputs ("point,replication,wall_s\n", f);
  fflush (f);
  return f;
}

void
synack_schedule_append_time (FILE *times, guint point, guint replication,
                             double wall_s)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  fprintf (times, "%u,%u,%s\n", point, replication,
           g_ascii_formatd (buf, sizeof buf, "%.3f", wall_s));
  fflush (times);
}

double
synack_schedule_estimate (const SynackRunSpec *spec)
{
  double attempts = (double) spec->connections;
  double flood = 0;
  guint kinds = (guint) __builtin_popcount (spec->trace_mask);

  if (spec->flood_rate_per_s > 0 && spec->rate_per_s > 0)
    flood = spec->flood_rate_per_s * attempts / spec->rate_per_s;
  /* a trace row costs about as much as the event that writes it */
  return (attempts + flood) * (1.0 + 0.5 * kinds) + 1.0;
}

typedef struct {
  guint  run;
  double cost;
} Job;

static gint
longer_first (gconstpointer a, gconstpointer b)
{
  const Job *x = a, *y = b;

  if (x->cost != y->cost)
    return x->cost > y->cost ? -1 : 1;
  return x->run < y->run ? -1 : (x->run > y->run);
}

/* Mean measured wall time of each point from DIR/run-times.csv (0: none). */
static void
read_times (const char *dir, guint n_points, double *mean)
{
  g_autofree char *path = g_build_filename (dir, SYNACK_RUN_TIMES_FILE, NULL);
  g_autofree char *text = NULL;
  g_autofree guint *count = g_new0 (guint, n_points);
  g_auto (GStrv) lines = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 1; lines[l]; l++) {
    g_auto (GStrv) f = g_strsplit (lines[l], ",", -1);
    guint64 p;
    double t;
    char *end;

    if (g_strv_length (f) != 3 ||
        !g_ascii_string_to_unsigned (f[0], 10, 0, n_points - 1, &p, NULL))
      continue;
    t = g_ascii_strtod (f[2], &end);
    if (*end != '\0' || !(t >= 0))
      continue;
    mean[p] += t;
    count[p]++;
  }
  for (guint p = 0; p < n_points; p++)
    if (count[p])
      mean[p] /= count[p];
}

void
synack_schedule_longest_first (const char *dir,
                               const SynackRunSpec *point_specs,
                               guint n_points, guint reps, GArray *order)
{
  g_autofree double *measured = g_new0 (double, n_points);
  g_autofree double *estimate = g_new (double, n_points);
  g_autoptr (GArray) jobs =
    g_array_sized_new (FALSE, FALSE, sizeof (Job), order->len);
  double sum_measured = 0, sum_estimate = 0, scale = 1;

  read_times (dir, n_points, measured);
  for (guint p = 0; p < n_points; p++) {
    estimate[p] = synack_schedule_estimate (&point_specs[p]);
    if (measured[p] > 0)
      sum_measured += measured[p], sum_estimate += estimate[p];
  }
  if (sum_measured > 0)
    scale = sum_measured / sum_estimate;
  for (guint j = 0; j < order->len; j++) {
    guint i = g_array_index (order, guint, j), p = i / reps;
    Job job = { i, measured[p] > 0 ? measured[p] : estimate[p] * scale };

    g_array_append_val (jobs, job);
  }
  g_array_sort (jobs, longer_first);
  for (guint j = 0; j < jobs->len; j++)
    g_array_index (order, guint, j) = g_array_index (jobs, Job, j).run;
}
