/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-schedule.c - the order runs start in (experiments/schedule.h).
 *
 * Longest processing time first (Graham, "Bounds on multiprocessing timing
 * anomalies", SIAM J. Appl. Math. 17(2), 1969: LPT is within 4/3 of the
 * best makespan) needs each run's length: measured wall times of earlier
 * runs of the same point (run-times.csv) when there are some, else the
 * work estimate scaled by the measured points.  One row per situation. */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

#include "schedule.h"

typedef struct {
  const char *path;
  guint64     connections[4];   /* of points 0..3 */
  guint       trace_mask[4];
  const char *times;            /* run-times.csv, or NULL */
  guint       reps;
  const char *order;            /* the run indices expected, longest first */
} OrderCase;

static const OrderCase order_cases[] = {
  /* by attempts; runs of one point in run order */
  { "/schedule/by-attempts", { 100, 400, 200, 300 }, { 0 }, NULL, 2, "2 3 6 7 4 5 0 1" },
  { "/schedule/ties-in-run-order", { 100, 100, 100, 100 }, { 0 }, NULL, 1, "0 1 2 3" },
  /* traces cost: 100 attempts with three kinds of trace outweigh 200 without */
  { "/schedule/traces-weigh", { 200, 100, 0, 0 }, { 0, 7, 0, 0 }, NULL, 1, "1 0 2 3" },
  /* measured: point 0 took longest whatever its attempts */
  { "/schedule/measured-wins", { 100, 400, 200, 300 }, { 0 },
    "point,replication,wall_s\n0,0,9.0\n1,0,1.0\n2,0,2.0\n3,0,3.0\n", 1, "0 3 2 1" },
  /* points 0 and 1 measured: 4 s and 1 s for estimates of 101 and 401
   * units, 5 s / 502 units in all; points 3 and 2 scale to about 3.0 s
   * and 2.0 s: between them */
  { "/schedule/unmeasured-scaled", { 100, 400, 200, 300 }, { 0 },
    "point,replication,wall_s\n0,0,4.0\n1,0,1.0\n", 1, "0 3 2 1" },
  /* a damaged file is ignored row by row */
  { "/schedule/bad-rows-ignored", { 100, 400, 200, 300 }, { 0 },
    "point,replication,wall_s\nx,0,1\n9,0,1\n0,0,-1\n0,0\n", 1, "1 3 2 0" },
};

static void
test_order (gconstpointer data)
{
  const OrderCase *c = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-schedule-XXXXXX", NULL);
  g_autofree char *times = g_build_filename (dir, "run-times.csv", NULL);
  SynackRunSpec specs[4];
  g_autoptr (GArray) order = g_array_new (FALSE, FALSE, sizeof (guint));
  GString *got = g_string_new (NULL);

  memset (specs, 0, sizeof specs);
  for (guint p = 0; p < 4; p++) {
    specs[p].connections = c->connections[p];
    specs[p].trace_mask = c->trace_mask[p];
  }
  if (c->times != NULL)
    g_assert_true (g_file_set_contents (times, c->times, -1, NULL));
  for (guint i = 0; i < 4 * c->reps; i++)
    g_array_append_val (order, i);
  synack_schedule_longest_first (dir, specs, 4, c->reps, order);
  for (guint j = 0; j < order->len; j++)
    g_string_append_printf (got, "%s%u", j ? " " : "", g_array_index (order, guint, j));
  g_assert_cmpstr (got->str, ==, c->order);
  g_string_free (got, TRUE);
  g_unlink (times);
  g_rmdir (dir);
}

/* run-times.csv: a header once, then a row per run appended. */
static void
test_times_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-schedule-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "run-times.csv", NULL);
  g_autofree char *text = NULL;
  FILE *f;

  for (guint k = 0; k < 2; k++) {
    f = synack_schedule_open_times (dir, FALSE);
    g_assert_nonnull (f);
    synack_schedule_append_time (f, k, 1, 0.25 + k);
    fclose (f);
  }
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "point,replication,wall_s\n0,1,0.250\n1,1,1.250\n");
  g_clear_pointer (&text, g_free);
  f = synack_schedule_open_times (dir, TRUE);   /* a fresh batch empties it */
  fclose (f);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "point,replication,wall_s\n");
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (order_cases); i++)
    g_test_add_data_func (order_cases[i].path, &order_cases[i], test_order);
  g_test_add_func ("/schedule/times-file", test_times_file);
  return g_test_run ();
}
