/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-cli.c - the `synack` program end to end, as a user runs it.
 *
 * Covers: exit codes and messages of bad usage and bad configs (one row per
 * bad input, checking FILE:LINE: [section] key), `check` counts, byte-
 * identical results for the same seed and for -j 1 / -j 2, --resume after a
 * truncated runs.csv and after a real SIGINT, refusing a directory of
 * another experiment, --point/--replication reproducing a batch row, every
 * shipped experiment passing `check` and running briefly, and the man page
 * naming every INTERFACE.md config key. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static char *synack_bin;
static char *top_srcdir;

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs synack with the NULL-terminated @args; returns its exit status. */
static int
run_synack (Result *r, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r->out, &r->err,
                &wait_status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
  return r->status;
}

static char *
write_temp (const char *dir, const char *name, const char *text)
{
  char *path = g_build_filename (dir, name, NULL);

  g_assert_true (g_file_set_contents (path, text, -1, NULL));
  return path;
}

static const char small_ini[] =
  "[experiment]\n"
  "name = small\n"
  "replications = 2\n"
  "seed = 7\n"
  "until = 10m\n"
  "trace = states, segments, occupancy\n"
  "[workload]\n"
  "connections = 150\n"
  "clients = 3\n"
  "rate = 100/s\n"
  "hold = 200ms\n"
  "[link]\n"
  "delay = uniform\n"
  "delay.base = 5ms\n"
  "delay.max = 10ms\n"
  "loss = bernoulli\n"
  "loss.p = 0.1\n"
  "[tcp]\n"
  "time_wait = 2s\n"
  "[sweep]\n"
  "link.loss.p = 0, 0.2\n";

/* ---- helpers over result directories ---------------------------------------- */

static void
collect_files (const char *root, const char *rel, GPtrArray *into)
{
  g_autofree char *dir = g_build_filename (root, rel, NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d))) {
    g_autofree char *sub = rel[0] ? g_build_filename (rel, name, NULL) : g_strdup (name);
    g_autofree char *full = g_build_filename (root, sub, NULL);

    /* where and how long (issue 12): by design not the same twice */
    if (strcmp (name, "provenance.ini") == 0 || strcmp (name, "run-times.csv") == 0)
      continue;
    if (g_file_test (full, G_FILE_TEST_IS_DIR))
      collect_files (root, sub, into);
    else
      g_ptr_array_add (into, g_steal_pointer (&sub));
  }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* Asserts that the two directories hold the same files, byte for byte. */
static void
assert_same_tree (const char *a, const char *b)
{
  g_autoptr (GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

  collect_files (a, "", fa);
  collect_files (b, "", fb);
  g_ptr_array_sort (fa, compare_strings);
  g_ptr_array_sort (fb, compare_strings);
  g_assert_cmpuint (fa->len, ==, fb->len);
  g_assert_cmpuint (fa->len, >, 4);
  for (guint i = 0; i < fa->len; i++) {
    g_autofree char *pa = g_build_filename (a, fa->pdata[i], NULL);
    g_autofree char *pb = g_build_filename (b, fb->pdata[i], NULL);
    g_autofree char *ca = NULL, *cb = NULL;
    gsize la, lb;

    g_assert_cmpstr (fa->pdata[i], ==, fb->pdata[i]);
    g_assert_true (g_file_get_contents (pa, &ca, &la, NULL));
    g_assert_true (g_file_get_contents (pb, &cb, &lb, NULL));
    if (la != lb || memcmp (ca, cb, la) != 0)
      g_error ("%s differs between %s and %s", (char *) fa->pdata[i], a, b);
  }
}

static char *
read_file (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  char *text = NULL;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

/* ---- usage -------------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *args[6];
  int         status;
  const char *out_has;   /* nullable */
  const char *err_has;   /* nullable */
} UsageCase;

static const UsageCase usage_cases[] = {
  { "/cli/usage/version", { "--version" }, 0, "synack ", NULL },
  { "/cli/usage/help", { "--help" }, 0, "Commands:", NULL },
  { "/cli/usage/no-command", { NULL }, 2, NULL, "Usage:" },
  { "/cli/usage/unknown-command", { "rnu" }, 2, NULL, "did you mean \"run\"?" },
  { "/cli/usage/help-run", { "help", "run" }, 0, "Examples:", NULL },
  { "/cli/usage/run-help", { "run", "--help" }, 0, "Exit status:", NULL },
  { "/cli/usage/help-unknown", { "help", "nothing" }, 2, NULL, "no command" },
  { "/cli/usage/run-no-config", { "run" }, 2, NULL, "expected one CONFIG.ini" },
  { "/cli/usage/run-bad-option", { "run", "--frobnicate", "x.ini" }, 2, NULL, "Unknown option" },
  { "/cli/usage/check-missing-file", { "check", "/nonexistent/x.ini" }, 2, NULL, "/nonexistent/x.ini" },
  { "/cli/usage/models", { "models" }, 0, "loss bernoulli", NULL },
  /* a seed is any of the 2^64 values, and nothing else */
  { "/cli/usage/seed-negative", { "run", "x.ini", "--seed", "-1" }, 2, NULL,
    "--seed -1: expected a whole number from 0 to 18446744073709551615" },
  { "/cli/usage/seed-2^64", { "run", "x.ini", "--seed", "18446744073709551616" }, 2, NULL,
    "expected a whole number" },
  { "/cli/usage/seed-word", { "run", "x.ini", "--seed", "abc" }, 2, NULL,
    "expected a whole number" },
  /* synack(1): bad usage of plot and ladder exits 2, a failure 1 */
  { "/cli/usage/plot-no-dir", { "plot" }, 2, NULL, "expected one results DIR" },
  { "/cli/usage/plot-two-dirs", { "plot", "a", "b" }, 2, NULL, "expected one results DIR" },
  { "/cli/usage/plot-bad-option", { "plot", "--frobnicate", "d" }, 2, NULL, "Unknown option" },
  { "/cli/usage/plot-bad-format", { "plot", "/nonexistent", "--format", "bmp" }, 2, NULL,
    "unknown format \"bmp\"" },
  { "/cli/usage/plot-unknown-figure", { "plot", "/nonexistent", "--only", "cdff" }, 2, NULL,
    "did you mean \"cdf\"?" },
  { "/cli/usage/plot-missing-dir", { "plot", "/nonexistent" }, 1, NULL,
    "/nonexistent/summary.csv" },
  { "/cli/usage/ladder-no-output", { "ladder", "x-segments.csv" }, 2, NULL, "-o FILE" },
  { "/cli/usage/ladder-no-trace", { "ladder", "-o", "x.png" }, 2, NULL, "expected TRACE" },
  { "/cli/usage/ladder-conn-not-number", { "ladder", "x-segments.csv", "-o", "x.png",
    "--conn=abc" }, 2, NULL, "--conn" },
  { "/cli/usage/ladder-conn-negative", { "ladder", "x-segments.csv", "-o", "x.png",
    "--conn=-1" }, 2, NULL, "expected TRACE" },
  { "/cli/usage/ladder-extension", { "ladder", "x-segments.csv", "-o", "x.jpg" }, 2, NULL,
    "must end in .png, .svg or .pdf" },
  { "/cli/usage/ladder-missing-trace", { "ladder", "/nonexistent-segments.csv", "-o",
    "x.png" }, 1, NULL, "/nonexistent-segments.csv" },
};

static void
test_usage (gconstpointer data)
{
  const UsageCase *tc = data;
  Result r = { 0 };

  run_synack (&r, tc->args);
  g_assert_cmpint (r.status, ==, tc->status);
  if (tc->out_has)
    g_assert_nonnull (strstr (r.out, tc->out_has));
  if (tc->err_has && strstr (r.err, tc->err_has) == NULL)
    g_error ("stderr lacks \"%s\": %s", tc->err_has, r.err);
  result_clear (&r);
}

/* ---- bad configs: exit 2 and FILE:LINE: [section] key -------------------------- */

typedef struct {
  const char *path;
  const char *ini;
  const char *err_has;
} BadConfigCase;

static const BadConfigCase bad_configs[] = {
  { "/cli/bad-config/unknown-section", "[experiment]\nname = x\n[lnk]\ndelay = constant\n",
    "bad.ini:3: [lnk]" },
  { "/cli/bad-config/misspelt-key", "[link]\nloss = bernoulli\nloss.pp = 0.1\n",
    "bad.ini:3: [link] loss.pp" },
  { "/cli/bad-config/probability", "[link]\nloss = bernoulli\nloss.p = 1.5\n",
    "bad.ini:3: [link] loss.p: " },
  { "/cli/bad-config/duration-without-unit", "[workload]\nhold = 50\n",
    "bad.ini:2: [workload] hold: " },
  { "/cli/bad-config/zero-replications", "[experiment]\nreplications = 0\n",
    "bad.ini:2: [experiment] replications: " },
  { "/cli/bad-config/unknown-model", "[link]\nloss = bernouli\n",
    "did you mean \"bernoulli\"?" },
  { "/cli/bad-config/empty-range", "[sweep]\nlink.loss.p = 0.5:0.1:0.1\n",
    "bad.ini:2: [sweep] link.loss.p: " },
  { "/cli/bad-config/sweep-unknown-key", "[sweep]\nlink.los.p = 0, 0.1\n",
    "bad.ini:2: [sweep] link.los.p" },
};

static void
test_bad_config (gconstpointer data)
{
  const BadConfigCase *tc = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *path = write_temp (dir, "bad.ini", tc->ini);
  const char *args[] = { "check", path, NULL };
  Result r = { 0 };

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 2);
  if (strstr (r.err, tc->err_has) == NULL)
    g_error ("stderr lacks \"%s\": %s", tc->err_has, r.err);
  result_clear (&r);
}

/* ---- runs ----------------------------------------------------------------------- */

static void
test_check_counts (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  const char *args[] = { "check", ini, "--set", "experiment.replications=5", NULL };
  Result r = { 0 };

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "10 runs (2 sweep points x 5 replications)"));
  result_clear (&r);
}

static void
run_small (const char *ini, const char *out, const char *jobs)
{
  const char *args[] = { "run", ini, "-o", out, "-j", jobs, "--quiet", NULL };
  Result r = { 0 };

  run_synack (&r, args);
  if (r.status != 0)
    g_error ("synack run failed (%d): %s", r.status, r.err);
  result_clear (&r);
}

static void
test_deterministic (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *a = g_build_filename (dir, "a", NULL);
  g_autofree char *b = g_build_filename (dir, "b", NULL);
  g_autofree char *c = g_build_filename (dir, "c", NULL);
  g_autofree char *runs = NULL;

  run_small (ini, a, "1");
  run_small (ini, b, "1");
  run_small (ini, c, "2");
  assert_same_tree (a, b);   /* same seed, twice */
  assert_same_tree (a, c);   /* -j 1 and -j 2 */
  runs = read_file (a, "runs.csv");
  g_assert_true (g_str_has_prefix (runs, "point,replication,seed,link.loss.p,attempts,"));
}

/* Issue 9: a run in which nothing establishes (loss 1) has no latency
 * samples; it must still be written, and the batch must finish.  The last
 * point of a 0:0.25:1 loss sweep fails every attempt. */
static void
test_zero_established (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *summary = NULL;
  g_auto (GStrv) lines = NULL;
  const char *args[] = { "run", ini, "-o", out, "--quiet",
                         "--set", "sweep.link.loss.p=0:0.25:1", NULL };
  Result r = { 0 };

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  summary = read_file (out, "summary.csv");
  lines = g_strsplit (summary, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 5 + 1);  /* header, 5 points, "" */
  /* loss 1: every attempt failed, nothing established */
  g_assert_true (g_str_has_prefix (lines[5], "1,2,150,150,150,0,0,0,0,"));
}

static void
test_resume_truncated (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autofree char *part = g_build_filename (dir, "part", NULL);
  g_autofree char *runs = NULL;
  g_auto (GStrv) lines = NULL;
  g_autofree char *cut = NULL;
  g_autofree char *summary = g_build_filename (part, "summary.csv", NULL);
  const char *args[] = { "run", "--resume", part, "--quiet", NULL };
  Result r = { 0 };

  run_small (ini, full, "2");
  run_small (ini, part, "2");
  /* keep the header, two rows and half of the third, as a killed batch would */
  runs = read_file (part, "runs.csv");
  lines = g_strsplit (runs, "\n", -1);
  cut = g_strdup_printf ("%s\n%s\n%s\n%.*s", lines[0], lines[1], lines[2], 9, lines[3]);
  g_free (write_temp (part, "runs.csv", cut));
  g_unlink (summary);
  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  assert_same_tree (full, part);
}

static void
test_resume_after_sigint (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *text = g_strdup_printf ("%s", small_ini);
  g_autofree char *ini = NULL;
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autofree char *part = g_build_filename (dir, "part", NULL);
  g_autofree char *runs_path = g_build_filename (part, "runs.csv", NULL);
  const char *argv[] = { synack_bin, "run", NULL, "-o", part, "-j", "1", "--quiet",
                         "--set", "experiment.replications=6", "--set", "workload.connections=3000",
                         NULL };
  const char *resume[] = { "run", "--resume", part, "--quiet", NULL };
  g_autoptr (GError) error = NULL;
  GPid pid;
  int wait_status;
  Result r = { 0 };

  ini = write_temp (dir, "small.ini", text);
  argv[2] = ini;
  g_assert_true (g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                                &pid, &error));
  /* wait (bounded) until at least one run is in runs.csv, then interrupt */
  for (guint tries = 0; tries < 600; tries++) {
    g_autofree char *runs = NULL;
    g_auto (GStrv) lines = NULL;

    if (g_file_get_contents (runs_path, &runs, NULL, NULL) &&
        g_strv_length (lines = g_strsplit (runs, "\n", -1)) >= 3)
      break;
    g_usleep (50000);
  }
  kill (pid, SIGINT);
  waitpid (pid, &wait_status, 0);
  g_spawn_close_pid (pid);
  /* either it was interrupted (130) or it had already finished (0) */
  g_assert_true (WIFEXITED (wait_status));
  g_assert_true (WEXITSTATUS (wait_status) == 130 || WEXITSTATUS (wait_status) == 0);

  run_synack (&r, resume);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  {
    const char *args[] = { "run", ini, "-o", full, "-j", "2", "--quiet",
                           "--set", "experiment.replications=6", "--set",
                           "workload.connections=3000", NULL };

    run_synack (&r, args);
    g_assert_cmpint (r.status, ==, 0);
    result_clear (&r);
  }
  assert_same_tree (full, part);
}

/* ---- damaged or reused results directories (issue 9) ------------------------- */

typedef enum {
  DAMAGE_SAMPLES_TRUNCATED,   /* a crash or a full disk cut a samples file */
  DAMAGE_SAMPLES_MISSING,
  DAMAGE_ROW_TWICE,           /* the same row appended twice */
  DAMAGE_ROW_CONFLICT,        /* one run, two different rows */
  DAMAGE_CONFIG_COMMENT,      /* a user annotated config.ini */
  DAMAGE_ROW_CUT,             /* runs.csv cut after two rows */
  DAMAGE_NONE,
} Damage;

typedef enum { SAME_TREE, SAME_RESULTS, NO_COMPARE } Compare;

typedef struct {
  const char *path;
  Damage      damage;
  const char *args[8];        /* after "run"; "INI" and "DIR" are replaced */
  int         status;
  const char *err;            /* substring of stderr, or NULL */
  Compare     compare;        /* with an undamaged batch, afterwards */
} DamageCase;

static const DamageCase damage_cases[] = {
  { "/cli/results/samples-truncated", DAMAGE_SAMPLES_TRUNCATED,
    { "--resume", "DIR" }, 0, "truncated", SAME_TREE },
  { "/cli/results/samples-missing", DAMAGE_SAMPLES_MISSING,
    { "--resume", "DIR" }, 0, "running point 0 replication 1 again", SAME_TREE },
  { "/cli/results/row-twice", DAMAGE_ROW_TWICE, { "--resume", "DIR" }, 0, NULL, SAME_TREE },
  { "/cli/results/row-conflict", DAMAGE_ROW_CONFLICT,
    { "--resume", "DIR" }, 1, "is also at line", NO_COMPARE },
  { "/cli/results/config-comment", DAMAGE_CONFIG_COMMENT,
    { "--resume", "DIR" }, 0, NULL, SAME_RESULTS },
  /* --resume DIR CONFIG resumes DIR, not results/NAME */
  { "/cli/results/resume-dir-and-config", DAMAGE_ROW_CUT,
    { "--resume", "DIR", "INI" }, 0, NULL, SAME_TREE },
  /* one run again into a finished batch keeps the other rows */
  { "/cli/results/point-into-batch", DAMAGE_NONE,
    { "INI", "-o", "DIR", "--point", "0", "--replication", "1" }, 0, NULL, SAME_TREE },
  { "/cli/results/resume-and-force", DAMAGE_NONE,
    { "--resume", "DIR", "--force" }, 2, "give one of them", NO_COMPARE },
  { "/cli/results/resume-other-output", DAMAGE_NONE,
    { "--resume", "DIR", "-o", "INI" }, 2, "give one of them", NO_COMPARE },
};

static void
damage (const char *dir, Damage d)
{
  g_autofree char *samples = g_build_filename (dir, "samples", "0-1.bin", NULL);
  g_autofree char *runs = read_file (dir, "runs.csv");
  g_auto (GStrv) lines = g_strsplit (runs, "\n", -1);
  g_autofree char *text = NULL;

  switch (d) {
  case DAMAGE_SAMPLES_TRUNCATED:
    g_assert_cmpint (truncate (samples, 12), ==, 0);
    break;
  case DAMAGE_SAMPLES_MISSING:
    g_assert_cmpint (g_unlink (samples), ==, 0);
    break;
  case DAMAGE_ROW_TWICE:
    text = g_strdup_printf ("%s%s\n", runs, lines[2]);
    g_free (write_temp (dir, "runs.csv", text));
    break;
  case DAMAGE_ROW_CONFLICT:
    /* run 0-1 again, with another attempts count */
    text = g_strdup_printf ("%s%.*s9%s\n", runs, (int) (strchr (strchr (strchr (
                              lines[2], ',') + 1, ',') + 1, ',') - lines[2] + 1), lines[2],
                            strchr (strchr (strchr (strchr (lines[2], ',') + 1, ',') + 1,
                                            ',') + 1, ','));
    g_free (write_temp (dir, "runs.csv", text));
    break;
  case DAMAGE_CONFIG_COMMENT: {
    g_autofree char *ini = read_file (dir, "config.ini");

    text = g_strdup_printf ("%s\n# my note: run on the lab machine\n", ini);
    g_free (write_temp (dir, "config.ini", text));
    break;
  }
  case DAMAGE_ROW_CUT:
    text = g_strdup_printf ("%s\n%s\n%s\n", lines[0], lines[1], lines[2]);
    g_free (write_temp (dir, "runs.csv", text));
    break;
  case DAMAGE_NONE:
    break;
  }
}

static void
test_damaged_results (gconstpointer data)
{
  const DamageCase *tc = data;
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *full = g_build_filename (dir, "full", NULL);
  g_autofree char *part = g_build_filename (dir, "part", NULL);
  const char *args[12] = { "run" };
  Result r = { 0 };
  guint n = 1;

  run_small (ini, full, "2");
  run_small (ini, part, "2");
  damage (part, tc->damage);
  for (guint i = 0; i < G_N_ELEMENTS (tc->args) && tc->args[i]; i++)
    args[n++] = strcmp (tc->args[i], "INI") == 0 ? ini
              : strcmp (tc->args[i], "DIR") == 0 ? part : tc->args[i];
  args[n++] = "--quiet";
  run_synack (&r, args);
  if (r.status != tc->status)
    g_error ("exit %d, expected %d: %s", r.status, tc->status, r.err);
  if (tc->err != NULL && strstr (r.err, tc->err) == NULL)
    g_error ("stderr has no \"%s\": %s", tc->err, r.err);
  result_clear (&r);
  if (tc->compare == SAME_TREE) {
    assert_same_tree (full, part);
  } else if (tc->compare == SAME_RESULTS) {
    g_autofree char *a = read_file (full, "runs.csv"), *b = read_file (part, "runs.csv");
    g_autofree char *c = read_file (full, "summary.csv"), *d = read_file (part, "summary.csv");

    g_assert_cmpstr (a, ==, b);
    g_assert_cmpstr (c, ==, d);
  }
}

/* --force over another experiment leaves nothing of it behind: no traces,
 * samples or plots that `synack plot` would draw as the new batch's. */
static void
test_force_clears_old_results (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *traces = g_build_filename (out, "traces", NULL);
  g_autofree char *stale = g_build_filename (out, "samples", "9-9.bin", NULL);
  const char *forced[] = { "run", ini, "-o", out, "--quiet", "--force",
                           "--set", "experiment.trace=states",
                           "--set", "experiment.replications=1", NULL };
  g_autoptr (GDir) d = NULL;
  const char *name;
  Result r = { 0 };
  guint n = 0;

  run_small (ini, out, "2");
  g_assert_true (g_file_set_contents (stale, "12345678", -1, NULL));
  run_synack (&r, forced);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  d = g_dir_open (traces, 0, NULL);
  while ((name = g_dir_read_name (d)) != NULL) {
    g_assert_true (g_str_has_suffix (name, "-0-states.csv"));
    n++;
  }
  g_assert_cmpuint (n, ==, 2);   /* 2 points x 1 replication, states only */
}

/* Attempts cut by `until` are unfinished, not failed, and the batch says
 * so; with a limit long enough, none is. */
static void
test_until_cut_unfinished (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *runs = NULL;
  g_auto (GStrv) lines = NULL, head = NULL, row = NULL;
  const char *args[] = { "run", ini, "-o", out, "--set", "experiment.until=700ms",
                         "--set", "experiment.replications=1", NULL };
  Result r = { 0 };
  guint64 sum = 0, unfinished = 0, attempts = 0;

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "counted as unfinished"));
  result_clear (&r);
  runs = read_file (out, "runs.csv");
  lines = g_strsplit (runs, "\n", -1);
  head = g_strsplit (lines[0], ",", -1);
  row = g_strsplit (lines[1], ",", -1);
  for (guint c = 0; head[c]; c++) {
    guint64 v = g_ascii_strtoull (row[c], NULL, 10);

    if (strcmp (head[c], "attempts") == 0)
      attempts = v;
    if (strcmp (head[c], "unfinished") == 0)
      unfinished = v;
    if (g_strv_contains ((const char *const[]) { "established", "failed", "half_open",
                                                 "duplicate", "ghost", "reset",
                                                 "unfinished", NULL }, head[c]))
      sum += v;
  }
  /* 150 attempts at 100/s take 1.5 s to open: at 0.7 s about half wait */
  g_assert_cmpuint (attempts, ==, 150);
  g_assert_cmpuint (sum, ==, attempts);
  g_assert_cmpuint (unfinished, >, 50);
}

/* A run whose budget runs out fails alone: the batch reports it with its
 * point, replication and seed and writes the others. */
static void
test_budget_fails_one_run (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  g_autofree char *runs = NULL;
  g_auto (GStrv) lines = NULL;
  /* point 1 (loss 0.2) sends more segments than point 0 */
  const char *args[] = { "run", ini, "-o", out, "--quiet",
                         "--set", "sweep.experiment.max_events=100000,1000", NULL };
  Result r = { 0 };

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "run failed: point 1 replication 0 seed "));
  g_assert_nonnull (strstr (r.err, "budget of 1000 events"));
  result_clear (&r);
  runs = read_file (out, "runs.csv");
  lines = g_strsplit (runs, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), >=, 3);
}

/* A valid config that would write gigabytes of trace is checked with a
 * warning that names the key. */
static void
test_check_warns_tiny_sample (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  const char *tiny[] = { "check", ini, "--set", "experiment.sample=1ns", NULL };
  const char *fine[] = { "check", ini, NULL };
  Result r = { 0 };

  run_synack (&r, tiny);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "warning: "));
  g_assert_nonnull (strstr (r.err, "[experiment] sample: the occupancy trace may get up to "));
  result_clear (&r);
  run_synack (&r, fine);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "warning"));
  /* the points it expands to, and what its traces will take */
  g_assert_nonnull (strstr (r.out, "  point 1: link.loss.p=0.2\n"));
  g_assert_nonnull (strstr (r.out, "traces: about "));
  result_clear (&r);
  {
    const char *huge[] = { "check", ini, "--set", "workload.connections=2000000", NULL };

    run_synack (&r, huge);
    g_assert_cmpint (r.status, ==, 0);
    g_assert_nonnull (strstr (r.err, "warning: the traces would take about "));
    result_clear (&r);
  }
}

static void
test_other_experiment_refused (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *out = g_build_filename (dir, "out", NULL);
  const char *other[] = { "run", ini, "-o", out, "--quiet", "--seed", "8", NULL };
  const char *forced[] = { "run", ini, "-o", out, "--quiet", "--seed", "8", "--force", NULL };
  Result r = { 0 };

  run_small (ini, out, "2");
  run_synack (&r, other);
  g_assert_cmpint (r.status, ==, 2);
  g_assert_nonnull (strstr (r.err, "different experiment"));
  result_clear (&r);
  run_synack (&r, forced);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
}

static void
test_single_run_matches_batch (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *ini = write_temp (dir, "small.ini", small_ini);
  g_autofree char *batch = g_build_filename (dir, "batch", NULL);
  g_autofree char *one = g_build_filename (dir, "one", NULL);
  const char *args[] = { "run", ini, "-o", one, "--quiet", "--point", "1", "--replication", "1",
                         NULL };
  g_autofree char *batch_runs = NULL, *one_runs = NULL;
  g_auto (GStrv) bl = NULL, ol = NULL;
  Result r = { 0 };

  run_small (ini, batch, "2");
  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  batch_runs = read_file (batch, "runs.csv");
  one_runs = read_file (one, "runs.csv");
  bl = g_strsplit (batch_runs, "\n", -1);
  ol = g_strsplit (one_runs, "\n", -1);
  g_assert_cmpstr (ol[0], ==, bl[0]);
  g_assert_true (g_str_has_prefix (ol[1], "1,1,"));
  g_assert_cmpstr (ol[1], ==, bl[4]);   /* rows: 0-0 0-1 1-0 1-1 */
}

static void
test_shipped_experiment (gconstpointer data)
{
  const char *name = data;
  g_autofree char *ini = g_build_filename (top_srcdir, "experiments", name, NULL);
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  const char *check[] = { "check", ini, NULL };
  const char *run[] = { "run", ini, "-o", dir, "--quiet", "--force",
                        "--set", "experiment.replications=1",
                        "--set", "workload.connections=20",
                        "--set", "experiment.until=30s", NULL };
  Result r = { 0 };

  run_synack (&r, check);
  if (r.status != 0)
    g_error ("%s: %s", name, r.err);
  g_assert_nonnull (strstr (r.out, " runs ("));
  result_clear (&r);
  run_synack (&r, run);
  if (r.status != 0)
    g_error ("%s: %s", name, r.err);
  result_clear (&r);
}

/* Runs synack with @args, then tshark (@argv, whose last two fields must be
 * ip.checksum.status and tcp.checksum.status) over the pcap it wrote.
 * Returns: (transfer full) each packet's fields, @n_fields of them, with
 * both checksums checked good. */
static GPtrArray *
tshark_packets (const char *const *args, const char *const *argv, guint n_fields)
{
  GPtrArray *packets = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autofree char *out = NULL, *err = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  int status;
  Result r = { 0 };

  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    char **f;

    if (lines[i][0] == '\0')
      continue;
    f = g_strsplit (lines[i], "\t", -1);
    g_assert_cmpuint (g_strv_length (f), ==, n_fields);
    g_assert_cmpstr (f[n_fields - 2], ==, "1");   /* IPv4 checksum: good */
    g_assert_cmpstr (f[n_fields - 1], ==, "1");   /* TCP checksum: good */
    g_ptr_array_add (packets, f);
  }
  return packets;
}

/* The pcap trace decodes in tshark with valid IPv4 and TCP checksums, one
 * packet per segment sent, with the flags and relative numbers of the
 * segments trace. */
static void
test_pcap_tshark (void)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *ini = g_build_filename (top_srcdir, "experiments", "ladder-lost-synack.ini",
                                           NULL);
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "traces", "0-0.pcap", NULL);
  const char *args[] = { "run", ini, "-o", dir, "--quiet", "--force",
                         "--set", "experiment.trace=pcap,segments", NULL };
  const char *argv[] = { tshark, "-r", pcap, "-o", "tcp.check_checksum:TRUE",
                         "-o", "ip.check_checksum:TRUE", "-T", "fields",
                         "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.flags.fin",
                         "-e", "tcp.len", "-e", "ip.checksum.status", "-e", "tcp.checksum.status",
                         NULL };
  g_autofree char *segments = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint packets = 0, sends = 0, syns = 0, data = 0;

  if (tshark == NULL) {
    g_test_skip ("tshark is not installed (Debian package tshark)");
    return;
  }
  argv[0] = tshark;
  rows = tshark_packets (args, argv, 6);
  for (guint i = 0; i < rows->len; i++) {
    char **f = rows->pdata[i];

    syns += strcmp (f[0], "1") == 0;
    data += strcmp (f[3], "100") == 0;
    packets++;
  }
  /* one packet per "send" row of the segments trace */
  segments = read_file (dir, "traces/0-0-segments.csv");
  for (const char *p = segments; (p = strstr (p, ",send,")) != NULL; p++)
    sends++;
  g_assert_cmpuint (packets, ==, sends);
  g_assert_cmpuint (syns, ==, 4);   /* SYN, SYN,ACK lost, SYN again, SYN,ACK again */
  g_assert_cmpuint (data, ==, 1);   /* the request in the final ACK */
}

/* tcpfastopen's option is in the pcap as TCP option 34 (RFC 7413
 * §4.1.1), which tshark decodes, with valid checksums: the cookie request
 * of the first connection's SYN, the cookie in its SYN,ACK, and the same
 * cookie with the second connection's SYN-data (its replay is a copy made
 * by the link: the pcap holds what endpoints send). */
static void
test_pcap_tshark_tfo (void)
{
  g_autofree char *tshark = g_find_program_in_path ("tshark");
  g_autofree char *ini = g_build_filename (top_srcdir, "experiments", "ladder-tfo-replay.ini",
                                           NULL);
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *pcap = g_build_filename (dir, "traces", "0-0.pcap", NULL);
  const char *args[] = { "run", ini, "-o", dir, "--quiet", "--force",
                         "--set", "experiment.trace=pcap", NULL };
  const char *argv[] = { tshark, "-r", pcap, "-o", "tcp.check_checksum:TRUE",
                         "-o", "ip.check_checksum:TRUE", "-T", "fields",
                         "-e", "tcp.flags.syn", "-e", "tcp.flags.ack", "-e", "tcp.len",
                         "-e", "tcp.options.tfo.request", "-e", "tcp.options.tfo.cookie",
                         "-e", "ip.checksum.status", "-e", "tcp.checksum.status", NULL };
  g_autofree char *cookie = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  guint requests = 0, cookies = 0, syn_data = 0;

  if (tshark == NULL) {
    g_test_skip ("tshark is not installed (Debian package tshark)");
    return;
  }
  argv[0] = tshark;
  rows = tshark_packets (args, argv, 7);
  for (guint i = 0; i < rows->len; i++) {
    char **f = rows->pdata[i];

    if (f[3][0] != '\0') {
      /* the first SYN: a cookie request, no data */
      g_assert_cmpstr (f[0], ==, "1");
      g_assert_cmpstr (f[1], ==, "0");
      g_assert_cmpstr (f[2], ==, "0");
      requests++;
    }
    if (f[4][0] != '\0') {
      if (cookie == NULL)
        cookie = g_strdup (f[4]);
      g_assert_cmpstr (f[4], ==, cookie);   /* one client host, one cookie */
      g_assert_cmpstr (f[0], ==, "1");
      cookies++;
      syn_data += strcmp (f[1], "0") == 0 && strcmp (f[2], "100") == 0;
    }
  }
  g_assert_cmpuint (requests, ==, 1);
  /* the first SYN,ACK brings it, the second SYN carries it with the
   * request, and the SYN,ACK that answers the late copy of the first
   * SYN (a cookie request again) brings it again; the ghost's SYN,ACK
   * carries none (its cookie was valid: tcp_try_fastopen()) */
  g_assert_cmpuint (cookies, ==, 3);
  g_assert_cmpuint (syn_data, ==, 1);
}

/* Every config key appears in the man page: the keys are read from the
 * tables themselves (`synack keys --names`: each section's SynackParamSpec
 * table, [tcp]'s and every loaded model's), so a key added to a table and
 * not to doc/synack.1 fails here (curl's rule: a page for every option). */
static void
test_man_page_keys (void)
{
  static const char *const others[] = {
    "[experiment]", "[workload]", "[link]", "[tcp]", "[sweep]", "[link.forward]",
    "[link.reverse]", "SYNACK_PLUGIN_PATH",
  };
  const char *const args[] = { "keys", "--names", NULL };
  g_auto (GStrv) keys = NULL;
  Result r = { 0 };
  guint n = 0;
  g_autofree char *man_path = g_build_filename (top_srcdir, "doc", "synack.1", NULL);
  g_autofree char *man = NULL;
  g_autofree char *plain = NULL;
  GString *s;

  g_assert_true (g_file_get_contents (man_path, &man, NULL, NULL));
  /* roff escapes dashes; compare on the text a reader sees */
  s = g_string_new (man);
  g_string_replace (s, "\\-", "-", 0);
  g_string_replace (s, "\\fR", "", 0);
  g_string_replace (s, "\\fP", "", 0);
  plain = g_string_free (s, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS (others); i++)
    if (strstr (plain, others[i]) == NULL)
      g_error ("doc/synack.1 does not mention %s", others[i]);
  g_assert_cmpint (run_synack (&r, args), ==, 0);
  keys = g_strsplit (r.out, "\n", -1);
  for (guint i = 0; keys[i] != NULL; i++) {
    /* the key as the man page lists it under its section: "loss.p" of
     * "link.forward.loss.p" */
    const char *key = keys[i];

    if (key[0] == '\0')
      continue;
    for (const char *sec = "link.forward.\0link.reverse.\0experiment.\0workload.\0"
                           "link.\0tcp.\0"; *sec != '\0'; sec += strlen (sec) + 1)
      if (g_str_has_prefix (keys[i], sec)) {
        key = keys[i] + strlen (sec);
        break;
      }
    g_assert_true (key != keys[i]);
    if (strstr (plain, key) == NULL)
      g_error ("doc/synack.1 does not mention %s (synack keys)", keys[i]);
    n++;
  }
  /* the tables' keys, not an empty list: 40 of ours, the models' on top */
  g_assert_cmpuint (n, >, 40);
  result_clear (&r);
}

/* ---- large runs: latency histograms (issue 13) --------------------------------- */

/* 10^6 + 1 attempts in 2 ms each, mostly refused for want of a port: a
 * run just above SYNACK_EXACT_SAMPLES_MAX, fast enough for make check */
static const char big_ini[] =
  "[experiment]\n"
  "name = big\n"
  "replications = 2\n"
  "seed = 3\n"
  "until = 1h\n"
  "[workload]\n"
  "connections = 1000001\n"
  "clients = 4\n"
  "ports = 2000\n"
  "arrival = uniform\n"
  "rate = 1000000/s\n"
  "hold = 0s\n"
  "[link]\n"
  "delay = constant\n"
  "delay.base = 1ms\n"
  "loss = bernoulli\n"
  "loss.p = 0.1\n"
  "[tcp]\n"
  "time_wait = 0s\n";

/* The value of column @name in the first data row of CSV file DIR/@file. */
static double
csv_value (const char *dir, const char *file, const char *name)
{
  g_autofree char *text = read_file (dir, file);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 3);
  g_auto (GStrv) head = g_strsplit (lines[0], ",", -1);
  g_auto (GStrv) row = g_strsplit (lines[1], ",", -1);

  for (guint i = 0; head[i] != NULL; i++)
    if (strcmp (head[i], name) == 0)
      return g_ascii_strtod (row[i], NULL);
  g_error ("%s/%s has no column %s", dir, file, name);
}

/* The same batch at 10^6 attempts a run (exact samples) and at 10^6 + 1
 * (histograms, README "Exact latencies or a histogram"): the first 10^6
 * attempts are the same, so the pooled percentiles and their intervals
 * agree within the histogram's 2^-11; the samples files say which they
 * are; a damaged histogram is run again by --resume; the CDF is drawn. */
static void
test_histogram_samples (void)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-cli-XXXXXX", NULL);
  g_autofree char *gnuplot = NULL;
  g_autofree char *ini = write_temp (dir, "big.ini", big_ini);
  g_autofree char *exact = g_build_filename (dir, "exact", NULL);
  g_autofree char *hist = g_build_filename (dir, "hist", NULL);
  g_autofree char *copy = g_build_filename (dir, "copy", NULL);
  g_autofree char *bin = g_build_filename (hist, "samples", "0-1.bin", NULL);
  g_autofree char *text = NULL;
  static const char *const cols[] = {
    "handshake_pooled_p50_s", "handshake_pooled_p95_s", "handshake_pooled_p99_s",
    "handshake_pooled_p999_s", "handshake_pooled_p99_s_ci95_lo",
    "handshake_pooled_p99_s_ci95_hi", "handshake_mean_s_mean", "handshake_max_s_mean",
  };
  const char *run_exact[] = { "run", ini, "-o", exact, "--quiet", "--set",
                              "workload.connections=1000000", NULL };
  const char *run_hist[] = { "run", ini, "-o", hist, "--quiet", NULL };
  const char *run_copy[] = { "run", ini, "-o", copy, "--quiet", NULL };
  const char *resume[] = { "run", "--resume", copy, "--quiet", NULL };
  const char *plot[] = { "plot", hist, "--only", "cdf", NULL };
  Result r = { 0 };
  gsize len;
  double n_exact, n_hist;

  g_assert_cmpint (run_synack (&r, run_exact), ==, 0);
  result_clear (&r);
  g_assert_cmpint (run_synack (&r, run_hist), ==, 0);
  result_clear (&r);
  g_assert_true (g_file_get_contents (bin, &text, &len, NULL));
  g_assert_true (len > 56 && memcmp (text, "SYNHIST1", 8) == 0);
  g_clear_pointer (&text, g_free);
  text = read_file (exact, "samples/0-1.bin");
  g_assert_false (memcmp (text, "SYNHIST1", 8) == 0);

  n_exact = csv_value (exact, "summary.csv", "handshake_s_samples");
  n_hist = csv_value (hist, "summary.csv", "handshake_s_samples");
  g_assert_cmpfloat (n_exact, >, 30000);
  g_assert_cmpfloat (n_hist, >=, n_exact);
  g_assert_cmpfloat (n_hist, <=, n_exact + 2);   /* the one more attempt a run */
  for (guint i = 0; i < G_N_ELEMENTS (cols); i++) {
    double e = csv_value (exact, "summary.csv", cols[i]);
    double h = csv_value (hist, "summary.csv", cols[i]);

    if (!(fabs (h - e) <= e / 2048))
      g_error ("%s: %.9g from histograms, %.9g exact", cols[i], h, e);
  }

  /* a histogram cut short is no run's result: --resume runs it again */
  g_assert_cmpint (run_synack (&r, run_copy), ==, 0);
  result_clear (&r);
  {
    g_autofree char *cut = g_build_filename (copy, "samples", "0-1.bin", NULL);

    g_assert_cmpint (truncate (cut, 60), ==, 0);
  }
  run_synack (&r, resume);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "running point 0 replication 1 again"));
  result_clear (&r);
  assert_same_tree (hist, copy);

  gnuplot = g_find_program_in_path ("gnuplot");
  if (gnuplot == NULL) {
    g_test_skip ("gnuplot is not installed: the CDF is not drawn");
    return;
  }
  g_assert_cmpint (run_synack (&r, plot), ==, 0);
  result_clear (&r);
  g_clear_pointer (&text, g_free);
  text = read_file (hist, "plots/cdf.csv");
  g_assert_true (g_str_has_prefix (text, "latency_s,fraction\n"));
  g_assert_nonnull (strstr (text, ",1\n"));    /* the curve reaches 1 */
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");
  g_autoptr (GDir) d = NULL;
  const char *name;
  g_autoptr (GPtrArray) shipped = g_ptr_array_new_with_free_func (g_free);

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);
  top_srcdir = g_strdup (g_getenv ("SYNACK_TEST_TOP_SRCDIR"));
  g_assert_nonnull (top_srcdir);

  for (guint i = 0; i < G_N_ELEMENTS (usage_cases); i++)
    g_test_add_data_func (usage_cases[i].path, &usage_cases[i], test_usage);
  for (guint i = 0; i < G_N_ELEMENTS (bad_configs); i++)
    g_test_add_data_func (bad_configs[i].path, &bad_configs[i], test_bad_config);
  g_test_add_func ("/cli/check/counts", test_check_counts);
  g_test_add_func ("/cli/run/deterministic", test_deterministic);
  g_test_add_func ("/cli/run/zero-established", test_zero_established);
  for (guint i = 0; i < G_N_ELEMENTS (damage_cases); i++)
    g_test_add_data_func (damage_cases[i].path, &damage_cases[i], test_damaged_results);
  g_test_add_func ("/cli/results/force-clears-old", test_force_clears_old_results);
  g_test_add_func ("/cli/check/warns-tiny-sample", test_check_warns_tiny_sample);
  g_test_add_func ("/cli/run/until-cut-unfinished", test_until_cut_unfinished);
  g_test_add_func ("/cli/run/budget-fails-one-run", test_budget_fails_one_run);
  g_test_add_func ("/cli/run/resume-truncated", test_resume_truncated);
  g_test_add_func ("/cli/run/resume-after-sigint", test_resume_after_sigint);
  g_test_add_func ("/cli/run/other-experiment-refused", test_other_experiment_refused);
  g_test_add_func ("/cli/run/single-run-matches-batch", test_single_run_matches_batch);
  g_test_add_func ("/cli/run/pcap-tshark", test_pcap_tshark);
  g_test_add_func ("/cli/run/pcap-tshark-tfo", test_pcap_tshark_tfo);
  g_test_add_func ("/cli/doc/man-page-keys", test_man_page_keys);
  g_test_add_func ("/cli/run/histogram-samples", test_histogram_samples);

  {
    g_autofree char *exp_dir = g_build_filename (top_srcdir, "experiments", NULL);

    d = g_dir_open (exp_dir, 0, NULL);
    while (d && (name = g_dir_read_name (d)))
      if (g_str_has_suffix (name, ".ini"))
        g_ptr_array_add (shipped, g_strdup (name));
    g_ptr_array_sort (shipped, compare_strings);
    for (guint i = 0; i < shipped->len; i++) {
      g_autofree char *path = g_strdup_printf ("/cli/shipped/%s", (char *) shipped->pdata[i]);

      g_test_add_data_func (path, shipped->pdata[i], test_shipped_experiment);
    }
  }
  return g_test_run ();
}
