/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-faults.c - synack under faults (issue 9, item 5).
 *
 * Covers: a batch killed (SIGKILL, SIGINT) at 20 seeded random moments and
 * finished with --resume gives the bytes of an uninterrupted batch, with no
 * temporary file of an interrupted atomic write left over; SIGINT
 * and SIGTERM stop a long run promptly and say what was kept; a failed
 * append to runs.csv (a file size limit) and a full disk (a small tmpfs,
 * root only) stop or fail with a message naming the file, leave no half
 * row or truncated samples file, and --resume completes once space is back;
 * a second synack into a directory in use is refused (its lock file), even
 * for --resume; a plugin whose create() fails is reported with the run's
 * point, replication and seed while the batch goes on.
 *
 * Waits are bounded polls with generous bounds (seconds), never timed
 * assertions: the outputs compared are bytes, which no scheduling changes. */
#include <glib.h>
#include <glib/gstdio.h>
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "runner.h"

static char *synack_bin;

/* ---- helpers -------------------------------------------------------------------- */

typedef struct {
  int   status;   /* exit status, or 256 + signal */
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_clear_pointer (&r->out, g_free);
  g_clear_pointer (&r->err, g_free);
}

static int
decode_status (int wait_status)
{
  /* not 128 + signal: synack itself exits 130 when interrupted */
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 256 + WTERMSIG (wait_status);
}

static GPtrArray *
make_argv (const char *const *args)
{
  GPtrArray *argv = g_ptr_array_new ();

  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return argv;
}

static void
run_synack_full (Result *r, const char *const *args, GSpawnChildSetupFunc setup)
{
  g_autoptr (GPtrArray) argv = make_argv (args);
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, setup, NULL, &r->out,
                &r->err, &wait_status, &error);
  g_assert_no_error (error);
  r->status = decode_status (wait_status);
}

static int
run_synack (Result *r, const char *const *args)
{
  run_synack_full (r, args, NULL);
  return r->status;
}

/* Starts synack; its stderr is readable from *@err_fd. */
static GPid
spawn_synack (const char *const *args, int *err_fd)
{
  g_autoptr (GPtrArray) argv = make_argv (args);
  g_autoptr (GError) error = NULL;
  GPid pid;

  g_assert_true (g_spawn_async_with_pipes (NULL, (char **) argv->pdata, NULL,
                                           G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL,
                                           NULL, err_fd, &error));
  g_assert_no_error (error);
  return pid;
}

/* Waits at most @bound_s for @pid; returns its status, or -1 (then it is
 * killed). */
static int
wait_exit (GPid pid, double bound_s)
{
  gint64 end = g_get_monotonic_time () + (gint64) (bound_s * G_USEC_PER_SEC);
  int wait_status;

  for (;;) {
    pid_t got = waitpid (pid, &wait_status, WNOHANG);

    if (got == pid)
      return decode_status (wait_status);
    g_assert_cmpint (got, ==, 0);
    if (g_get_monotonic_time () > end) {
      kill (pid, SIGKILL);
      waitpid (pid, &wait_status, 0);
      return -1;
    }
    g_usleep (10000);
  }
}

static char *
read_fd (int fd)
{
  GString *s = g_string_new (NULL);
  char buf[4096];
  ssize_t n;

  while ((n = read (fd, buf, sizeof buf)) > 0 || (n < 0 && errno == EINTR))
    if (n > 0)
      g_string_append_len (s, buf, n);
  close (fd);
  return g_string_free (s, FALSE);
}

/* Waits (bounded) until @path exists. */
static void
wait_for_file (const char *path)
{
  for (guint tries = 0; tries < 1000 && !g_file_test (path, G_FILE_TEST_EXISTS); tries++)
    g_usleep (10000);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static char *
write_temp (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static char *
read_file (const char *dir, const char *name, gsize *len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, len, NULL))
    g_error ("cannot read %s", path);
  return text;
}

static void
rm_rf (const char *path)
{
  g_autoptr (GDir) d = g_dir_open (path, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *sub = g_build_filename (path, name, NULL);

    if (g_file_test (sub, G_FILE_TEST_IS_DIR) && !g_file_test (sub, G_FILE_TEST_IS_SYMLINK))
      rm_rf (sub);
    else
      g_unlink (sub);
  }
  g_rmdir (path);
}

static void
collect_files (const char *root, const char *rel, GPtrArray *into)
{
  g_autofree char *dir = g_build_filename (root, rel, NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *sub = rel[0] ? g_build_filename (rel, name, NULL) : g_strdup (name);
    g_autofree char *full = g_build_filename (root, sub, NULL);

    /* where and how long (issue 12): by design not the same twice */
    if (strcmp (name, "provenance.ini") == 0 || strcmp (name, "run-times.csv") == 0)
      continue;
    if (g_file_test (full, G_FILE_TEST_IS_DIR))
      collect_files (root, sub, into);
    else if (strcmp (sub, ".lock") == 0)
      continue;   /* the lock file, not a result */
    else
      g_ptr_array_add (into, g_steal_pointer (&sub));
  }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* Asserts that two results directories hold the same files (runs.csv,
 * summary.csv, samples/, traces/, config.ini), byte for byte. */
static void
assert_same_results (const char *a, const char *b)
{
  g_autoptr (GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

  collect_files (a, "", fa);
  collect_files (b, "", fb);
  g_ptr_array_sort (fa, compare_strings);
  g_ptr_array_sort (fb, compare_strings);
  for (guint i = 0; i < MIN (fa->len, fb->len); i++)
    if (strcmp (fa->pdata[i], fb->pdata[i]) != 0)
      g_error ("%s has %s where %s has %s", a, (char *) fa->pdata[i], b,
               (char *) fb->pdata[i]);
  g_assert_cmpuint (fa->len, ==, fb->len);
  g_assert_cmpuint (fa->len, >, 4);
  for (guint i = 0; i < fa->len; i++) {
    gsize la, lb;
    g_autofree char *ca = read_file (a, fa->pdata[i], &la);
    g_autofree char *cb = read_file (b, fb->pdata[i], &lb);

    if (la != lb || memcmp (ca, cb, la) != 0)
      g_error ("%s differs between %s and %s", (char *) fa->pdata[i], a, b);
  }
}

/* Asserts what --resume trusts in @dir: every runs.csv line is whole (as
 * many cells as the header) and every row's samples file holds exactly its
 * `established` latencies.  If synack @exited by itself (not SIGKILL), no
 * half-written trace (.part) is left either. */
static void
assert_trustworthy (const char *dir, gboolean exited)
{
  g_autofree char *runs_path = g_build_filename (dir, "runs.csv", NULL);
  g_autofree char *runs = NULL;
  g_auto (GStrv) lines = NULL;
  g_auto (GStrv) header = NULL;
  guint n_cols, c_est = 0;
  g_autofree char *traces = g_build_filename (dir, "traces", NULL);
  g_autoptr (GDir) d = g_dir_open (traces, 0, NULL);
  const char *name;

  if (!g_file_test (runs_path, G_FILE_TEST_EXISTS))
    return;   /* killed before it was written: nothing to trust */
  runs = read_file (dir, "runs.csv", NULL);
  lines = g_strsplit (runs, "\n", -1);
  header = g_strsplit (lines[0], ",", -1);
  n_cols = g_strv_length (header);
  g_assert_true (g_str_has_suffix (runs, "\n"));
  while (header[c_est] && strcmp (header[c_est], "established") != 0)
    c_est++;
  g_assert_cmpuint (c_est, <, n_cols);
  for (guint i = 1; lines[i] && lines[i][0]; i++) {
    g_auto (GStrv) cells = g_strsplit (lines[i], ",", -1);
    g_autofree char *samples = NULL;
    gsize len;

    g_assert_cmpuint (g_strv_length (cells), ==, n_cols);
    samples = g_strdup_printf ("samples/%s-%s.bin", cells[0], cells[1]);
    g_free (read_file (dir, samples, &len));
    g_assert_cmpuint (len, ==, 8 * g_ascii_strtoull (cells[c_est], NULL, 10));
  }
  while (exited && d && (name = g_dir_read_name (d)))
    if (g_str_has_suffix (name, ".part"))
      g_error ("%s/traces/%s left behind", dir, name);
}

/* ---- configs -------------------------------------------------------------------- */

/* 6 short runs with traces: a batch of a fraction of a second */
static const char small_ini[] =
  "[experiment]\n"
  "name = faults\n"
  "replications = 2\n"
  "seed = 11\n"
  "until = 10m\n"
  "trace = states\n"
  "[workload]\n"
  "connections = 150\n"
  "clients = 4\n"
  "rate = 200/s\n"
  "hold = 100ms\n"
  "[link]\n"
  "delay = uniform\n"
  "delay.base = 5ms\n"
  "delay.max = 10ms\n"
  "loss = bernoulli\n"
  "[sweep]\n"
  "link.loss.p = 0, 0.1, 0.2\n";

/* One run of minutes: a SYN flood of 10^6/s for the 200 s the legitimate
 * arrivals last (about 10^9 events).  Every event falls in the first few of
 * the 100 progress slices of `until`, so only a check every few thousand
 * events (not every slice) lets a signal stop it promptly. */
static const char long_ini[] =
  "[experiment]\n"
  "name = long\n"
  "until = 1h\n"
  "[workload]\n"
  "connections = 200\n"
  "clients = 1\n"
  "rate = 1/s\n"
  "flood_rate = 1000000/s\n"
  "flood_hosts = 100\n"
  "[link]\n"
  "delay = constant\n"
  "delay.base = 1ms\n";

/* ---- killed at random moments, then resumed ----------------------------------- */

typedef struct {
  const char *path;
  int         sig;
} KillCase;

static const KillCase kill_cases[] = {
  { "/faults/kill/sigkill-resume", SIGKILL },
  { "/faults/kill/sigint-resume", SIGINT },
};

/* Kills a batch at 20 moments drawn (seeded) from its whole duration, from
 * before it has written anything to after it has finished, resumes each,
 * and compares the results with an uninterrupted batch. */
static void
test_kill_resume (gconstpointer data)
{
  const KillCase *kc = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *ref = g_build_filename (dir, "ref", NULL);
  const char *ref_args[] = { "run", ini, "-o", ref, "-j", "2", "--quiet", NULL };
  g_autoptr (GRand) rand = g_rand_new_with_seed (9);
  Result r = { 0 };
  gint64 t0 = g_get_monotonic_time ();
  double full_s;

  g_assert_cmpint (run_synack (&r, ref_args), ==, 0);
  result_clear (&r);
  full_s = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
  for (guint k = 0; k < 20; k++) {
    g_autofree char *out = g_strdup_printf ("%s/k%u", dir, k);
    g_autofree char *config = g_build_filename (out, "config.ini", NULL);
    const char *args[] = { "run", ini, "-o", out, "-j", "2", "--quiet", NULL };
    const char *resume[] = { "run", "--resume", out, "--quiet", NULL };
    double at = g_rand_double_range (rand, 0, 1.2 * full_s);
    int err_fd, status;
    GPid pid = spawn_synack (args, &err_fd);
    g_autofree char *err = NULL;

    g_usleep ((gulong) (at * G_USEC_PER_SEC));
    kill (pid, kc->sig);
    status = wait_exit (pid, 60);
    err = read_fd (err_fd);
    g_spawn_close_pid (pid);
    g_test_message ("moment %u: %.3f s of %.3f s, status %d", k, at, full_s, status);
    if (kc->sig == SIGINT) {
      /* interrupted (130) saying what it kept, finished (0), or killed
       * before its handler was installed */
      g_assert_true (status == 130 || status == 0 || status == 256 + SIGINT);
      if (status == 130 && strstr (err, "runs finished and kept in") == NULL)
        g_error ("moment %u: interrupted, but says: %s", k, err);
    }
    if (g_file_test (config, G_FILE_TEST_EXISTS)) {
      assert_trustworthy (out, status == 130 || status == 0);
      run_synack (&r, resume);
    } else {
      run_synack (&r, args);   /* killed before it wrote anything */
    }
    if (r.status != 0)
      g_error ("moment %u (%.3f s): finishing failed (%d): %s", k, at, r.status, r.err);
    result_clear (&r);
    assert_same_results (ref, out);
    rm_rf (out);
  }
  rm_rf (dir);
}

/* ---- a signal stops a long run promptly ------------------------------------------ */

typedef struct {
  const char *path;
  int         sig;
} StopCase;

static const StopCase stop_cases[] = {
  { "/faults/stop/sigterm", SIGTERM },
  { "/faults/stop/sigint", SIGINT },
};

static void
test_stop_long_run (gconstpointer data)
{
  const StopCase *sc = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "long.ini", long_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *config = g_build_filename (out, "config.ini", NULL);
  const char *args[] = { "run", ini, "-o", out, "--quiet", NULL };
  int err_fd, status;
  GPid pid = spawn_synack (args, &err_fd);
  g_autofree char *err = NULL;
  g_autofree char *kept = NULL;

  wait_for_file (config);   /* its handlers are installed by then */
  g_usleep (200000);        /* and it is inside the run */
  kill (pid, sc->sig);
  /* about 10 ms on an idle machine; the run would take minutes */
  status = wait_exit (pid, 5);
  err = read_fd (err_fd);
  g_spawn_close_pid (pid);
  if (status == -1)
    g_error ("synack ran on for 5 s after the signal");
  g_assert_cmpint (status, ==, 130);
  kept = g_strdup_printf ("interrupted: 0 of 1 runs finished and kept in %s/runs.csv", out);
  g_assert_nonnull (strstr (err, kept));
  g_assert_nonnull (strstr (err, "synack run --resume"));
  rm_rf (dir);
}

/* ---- a failed append to runs.csv ------------------------------------------------- */

static rlim_t fsize_limit;

static void
limit_file_size (gpointer data)
{
  struct rlimit rl = { fsize_limit, fsize_limit };

  signal (SIGXFSZ, SIG_IGN);   /* then write() fails with EFBIG */
  setrlimit (RLIMIT_FSIZE, &rl);
}

/* runs.csv may not grow past its header, K whole rows and half of the next
 * (RLIMIT_FSIZE, which makes write() fail as a full disk does): the batch
 * must stop with an error naming runs.csv, keep exactly the K rows, no half
 * row, and --resume must then finish it. */
static void
test_runs_csv_append_fails (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *ref = g_build_filename (dir, "ref", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *ref_args[] = { "run", NULL, "-o", ref, "--quiet", "--set", "experiment.trace=",
                             "--set", "experiment.replications=6", NULL };
  const char *args[] = { "run", NULL, "-o", out, "--quiet", "--set", "experiment.trace=",
                         "--set", "experiment.replications=6", NULL };
  const char *resume[] = { "run", "--resume", out, "--quiet", NULL };
  g_autofree char *runs = NULL, *config = NULL, *got = NULL;
  gsize config_len, prefix = 0;
  guint k = 0;
  Result r = { 0 };

  ref_args[1] = args[1] = ini;
  g_assert_cmpint (run_synack (&r, ref_args), ==, 0);
  result_clear (&r);
  runs = read_file (ref, "runs.csv", NULL);
  config = read_file (ref, "config.ini", &config_len);
  /* the smallest K whose limit lets config.ini and every samples file
   * (at most 150 latencies) through */
  prefix = (gsize) (strchr (runs, '\n') + 1 - runs);
  while (prefix <= MAX (config_len, 150 * 8) + 100) {
    prefix = (gsize) (strchr (runs + prefix, '\n') + 1 - runs);
    k++;
  }
  g_assert_cmpuint (k, <, 12);   /* of 18 rows */
  fsize_limit = prefix + (strchr (runs + prefix, '\n') - (runs + prefix)) / 2;

  run_synack_full (&r, args, limit_file_size);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "runs.csv: cannot append a row: File too large"));
  g_assert_nonnull (strstr (r.err, "synack run --resume"));
  result_clear (&r);
  got = read_file (out, "runs.csv", NULL);
  g_assert_cmpuint (strlen (got), ==, prefix);   /* header and K whole rows */
  g_assert_true (strncmp (got, runs, prefix) == 0);
  assert_trustworthy (out, TRUE);

  g_assert_cmpint (run_synack (&r, resume), ==, 0);
  result_clear (&r);
  assert_same_results (ref, out);
  rm_rf (dir);
}

/* ---- a full disk ------------------------------------------------------------------ */

static gboolean
run_cmd (const char *cmd)
{
  int status;

  return g_spawn_command_line_sync (cmd, NULL, NULL, &status, NULL) &&
         g_spawn_check_wait_status (status, NULL);
}

/* Traces overflow a 2 MB tmpfs: the batch stops with an error that names the
 * file and says "No space left on device" (ENOSPC, write(2)) and that the
 * disk is full, nothing half-written is left for --resume to trust, and
 * once the tmpfs is remounted bigger --resume completes the batch with the
 * bytes of a batch that had room. */
static void
test_disk_full (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *ref = g_build_filename (dir, "ref", NULL);
  g_autofree char *mnt = g_build_filename (dir, "mnt", NULL);
  g_autofree char *out = g_build_filename (mnt, "out", NULL);
  g_autofree char *mount = NULL, *remount = NULL, *umount = NULL;
  const char *set[] = { "--set", "workload.connections=1500", NULL };
  const char *ref_args[] = { "run", ini, "-o", ref, "--quiet", set[0], set[1], NULL };
  const char *args[] = { "run", ini, "-o", out, "--quiet", set[0], set[1], NULL };
  const char *resume[] = { "run", "--resume", out, "--quiet", NULL };
  Result r = { 0 };

  if (geteuid () != 0) {
    g_test_skip ("mounting a small tmpfs needs root");
    rm_rf (dir);
    return;
  }
  g_assert_cmpint (g_mkdir (mnt, 0755), ==, 0);
  mount = g_strdup_printf ("mount -t tmpfs -o size=2m synack-test %s", mnt);
  remount = g_strdup_printf ("mount -o remount,size=64m %s", mnt);
  umount = g_strdup_printf ("umount %s", mnt);
  if (!run_cmd (mount)) {
    g_test_skip ("cannot mount a tmpfs here (a container without CAP_SYS_ADMIN?)");
    rm_rf (dir);
    return;
  }
  g_assert_cmpint (run_synack (&r, ref_args), ==, 0);
  result_clear (&r);

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  if (strstr (r.err, "No space left on device (the disk is full") == NULL ||
      strstr (r.err, out) == NULL)   /* the file is named */
    g_error ("a full disk, but synack says: %s", r.err);
  g_assert_nonnull (strstr (r.err, "synack run --resume"));
  g_assert_null (strstr (r.err, "run failed"));    /* not the runs' fault */
  result_clear (&r);
  assert_trustworthy (out, TRUE);

  g_assert_true (run_cmd (remount));
  run_synack (&r, resume);
  if (r.status != 0)
    g_error ("--resume with room failed (%d): %s", r.status, r.err);
  result_clear (&r);
  assert_same_results (ref, out);
  g_assert_true (run_cmd (umount));
  rm_rf (dir);
}

/* ---- two synacks, one directory ------------------------------------------------- */

typedef struct {
  const char *path;
  gboolean    resume;   /* the second one is a --resume */
} LockCase;

static const LockCase lock_cases[] = {
  { "/faults/lock/second-run-refused", FALSE },
  { "/faults/lock/second-resume-refused", TRUE },
};

static void
test_lock_refused (gconstpointer data)
{
  const LockCase *lc = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "long.ini", long_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *config = g_build_filename (out, "config.ini", NULL);
  const char *args[] = { "run", ini, "-o", out, "--quiet", NULL };
  const char *resume[] = { "run", "--resume", out, "--quiet", NULL };
  g_autofree char *in_use = NULL, *err = NULL;
  int err_fd;
  GPid pid = spawn_synack (args, &err_fd);
  Result r = { 0 };

  wait_for_file (config);
  run_synack (&r, lc->resume ? resume : args);
  kill (pid, SIGTERM);
  g_assert_cmpint (wait_exit (pid, 60), ==, 130);
  err = read_fd (err_fd);
  g_spawn_close_pid (pid);
  g_assert_cmpint (r.status, ==, 1);
  in_use = g_strdup_printf ("%s is in use by another synack (pid %d)", out, (int) pid);
  g_assert_nonnull (strstr (r.err, in_use));
  result_clear (&r);
  rm_rf (dir);
}

/* Two batches started together into one directory: one is refused, or the
 * second started after the first finished; never interleaved rows. */
static void
test_lock_simultaneous (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *ref = g_build_filename (dir, "ref", NULL);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *ref_args[] = { "run", ini, "-o", ref, "--quiet", NULL };
  const char *args[] = { "run", ini, "-o", out, "--quiet", NULL };
  Result r = { 0 };

  g_assert_cmpint (run_synack (&r, ref_args), ==, 0);
  result_clear (&r);
  for (guint trial = 0; trial < 4; trial++) {
    int fa, fb, sa, sb;
    GPid a = spawn_synack (args, &fa), b = spawn_synack (args, &fb);
    g_autofree char *ea = NULL, *eb = NULL;

    sa = wait_exit (a, 60);
    sb = wait_exit (b, 60);
    ea = read_fd (fa);
    eb = read_fd (fb);
    g_spawn_close_pid (a);
    g_spawn_close_pid (b);
    g_test_message ("trial %u: exit %d and %d", trial, sa, sb);
    g_assert_true ((sa == 0 && sb == 0) || (sa == 0 && sb == 1) || (sa == 1 && sb == 0));
    if (sa == 1)
      g_assert_nonnull (strstr (ea, "is in use by another synack"));
    if (sb == 1)
      g_assert_nonnull (strstr (eb, "is in use by another synack"));
    assert_same_results (ref, out);
  }
  rm_rf (dir);
}

/* ---- a plugin whose create() fails ---------------------------------------------- */

/* tests/plugins/protocol-failcreate.c (tcp3way, whose create() fails at
 * run time for fail > 0.5 with an error, for fail > 0.8 without one).
 * Points 1 (0.6) and 2 (0.9) fail, each run reported with its point,
 * replication and seed; points 0 and 3 are written and summarised. */
static void
test_plugin_create_fails (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-faults-XXXXXX", NULL);
  g_autofree char *plugins = g_build_filename (dir, "plugins", NULL);
  g_autofree char *so = g_build_filename (g_getenv ("SYNACK_TEST_PLUGINS"),
                                          "protocol-failcreate.so", NULL);
  g_autofree char *link = g_build_filename (plugins, "protocol-failcreate.so", NULL);
  g_autofree char *path = g_strdup_printf ("%s:%s", g_getenv ("SYNACK_PLUGIN_PATH"), plugins);
  g_autofree char *old_path = g_strdup (g_getenv ("SYNACK_PLUGIN_PATH"));
  g_autofree char *ini = NULL, *out = g_build_filename (dir, "out", NULL);
  g_autofree char *runs = NULL, *summary = NULL;
  g_auto (GStrv) rows = NULL, sum_rows = NULL;
  const char *args[] = { "run", NULL, "-o", out, "--quiet", NULL };
  Result r = { 0 };

  ini = write_temp (dir, "fail.ini",
                    "[experiment]\nname = failcreate\nprotocol = failcreate\n"
                    "replications = 2\nseed = 5\n"
                    "[workload]\nconnections = 20\n"
                    "[sweep]\nexperiment.protocol.fail = 0, 0.6, 0.9, 0.3\n");
  args[1] = ini;
  g_assert_cmpint (g_mkdir (plugins, 0755), ==, 0);
  g_assert_cmpint (symlink (so, link), ==, 0);
  g_setenv ("SYNACK_PLUGIN_PATH", path, TRUE);
  run_synack (&r, args);
  g_setenv ("SYNACK_PLUGIN_PATH", old_path, TRUE);
  g_assert_cmpint (r.status, ==, 1);   /* "a run failed" (synack(1)) */
  for (guint p = 1; p <= 2; p++)
    for (guint rep = 0; rep < 2; rep++) {
      g_autofree char *line = g_strdup_printf (
        "run failed: point %u replication %u seed %" G_GUINT64_FORMAT ": protocol "
        "failcreate: ", p, rep, synack_runner_run_seed (5, p, rep));
      const char *at = strstr (r.err, line);

      g_assert_nonnull (at);
      at += strlen (line);
      if (p == 1)
        g_assert_true (g_str_has_prefix (at, "fail = 0.6: refused at run time"));
      else
        g_assert_true (g_str_has_prefix (at, "create() failed without saying why"));
    }
  g_assert_nonnull (strstr (r.err, "4 of 8 runs failed"));
  result_clear (&r);
  runs = read_file (out, "runs.csv", NULL);
  rows = g_strsplit (runs, "\n", -1);
  g_assert_cmpuint (g_strv_length (rows), ==, 1 + 4 + 1);
  g_assert_true (g_str_has_prefix (rows[1], "0,0,"));
  g_assert_true (g_str_has_prefix (rows[2], "0,1,"));
  g_assert_true (g_str_has_prefix (rows[3], "3,0,"));
  g_assert_true (g_str_has_prefix (rows[4], "3,1,"));
  summary = read_file (out, "summary.csv", NULL);
  sum_rows = g_strsplit (summary, "\n", -1);
  g_assert_cmpuint (g_strv_length (sum_rows), ==, 1 + 2 + 1);
  g_assert_true (g_str_has_prefix (sum_rows[1], "0,2,"));
  g_assert_true (g_str_has_prefix (sum_rows[2], "0.3,2,"));
  rm_rf (dir);
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  g_assert_nonnull (g_getenv ("SYNACK_PLUGIN_PATH"));
  g_assert_nonnull (g_getenv ("SYNACK_TEST_PLUGINS"));
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (kill_cases); i++)
    g_test_add_data_func (kill_cases[i].path, &kill_cases[i], test_kill_resume);
  for (guint i = 0; i < G_N_ELEMENTS (stop_cases); i++)
    g_test_add_data_func (stop_cases[i].path, &stop_cases[i], test_stop_long_run);
  g_test_add_func ("/faults/write/runs-csv-append-fails", test_runs_csv_append_fails);
  g_test_add_func ("/faults/write/disk-full", test_disk_full);
  for (guint i = 0; i < G_N_ELEMENTS (lock_cases); i++)
    g_test_add_data_func (lock_cases[i].path, &lock_cases[i], test_lock_refused);
  g_test_add_func ("/faults/lock/simultaneous", test_lock_simultaneous);
  g_test_add_func ("/faults/plugin/create-fails", test_plugin_create_fails);
  return g_test_run ();
}
