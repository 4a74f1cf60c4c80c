/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-campaign.c - a batch spread over shards, MPI processes and
 * machines gives the bytes of one machine (issue 12).
 *
 * The reference is always `synack run CFG -j 2`, compared with `diff -r`
 * (provenance.ini and run-times.csv aside: where and how long, by design).
 * Every run's seed derives from the batch seed, point and replication only
 * (runner.c, synack_runner_run_seed), which is what makes this possible;
 * the merge checks are those a campaign tool must make before trusting
 * pieces computed elsewhere (ns-3 sem's and OMNeT++'s result merging:
 * same config, same build, each run once).  The scheduler environments are
 * those documented by Slurm (sbatch(1), "OUTPUT ENVIRONMENT VARIABLES":
 * SLURM_ARRAY_TASK_ID/_MIN/_MAX/_COUNT/_STEP, srun's SLURM_PROCID), Open MPI
 * (mpirun(1): OMPI_COMM_WORLD_RANK/_SIZE), MPICH's PMI (PMI_RANK/PMI_SIZE),
 * Grid Engine (qsub(1): SGE_TASK_ID/_FIRST/_LAST/_STEPSIZE, 1-based,
 * "undefined" outside array jobs) and LSF (LSB_JOBINDEX, _END, _STEP). */
#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static char *synack_bin;

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

/* Runs @argv (NULL-terminated) with environment @envp (NULL: ours). */
static int
run_argv (Result *r, const char *const *argv, const char *const *envp)
{
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_spawn_sync (NULL, (char **) argv, (char **) envp, G_SPAWN_SEARCH_PATH, NULL, NULL, &r->out,
                &r->err, &wait_status, &error);
  g_assert_no_error (error);
  r->status = WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : 128 + WTERMSIG (wait_status);
  return r->status;
}

/* Runs synack with @args; a NULL in @args ends them. */
static int
synack (Result *r, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();

  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  return run_argv (r, (const char *const *) argv->pdata, NULL);
}

/* synack @args must succeed. */
static void
synack_ok (const char *const *args)
{
  Result r = { 0 };

  if (synack (&r, args) != 0)
    g_error ("synack %s ... failed (%d): %s", args[0], r.status, r.err);
  result_clear (&r);
}

/* 2 points x 3 replications = 6 runs, with every kind of trace but pcap. */
static const char small_ini[] =
  "[experiment]\n"
  "name = small\n"
  "replications = 3\n"
  "seed = 11\n"
  "until = 10m\n"
  "trace = states, segments, occupancy\n"
  "[workload]\n"
  "connections = 120\n"
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

typedef struct {
  char *dir;
  char *ini;
} Fixture;

static void
fixture_init (Fixture *f)
{
  f->dir = g_dir_make_tmp ("synack-campaign-XXXXXX", NULL);
  g_assert_nonnull (f->dir);
  f->ini = g_build_filename (f->dir, "small.ini", NULL);
  g_assert_true (g_file_set_contents (f->ini, small_ini, -1, NULL));
}

static void
fixture_clear (Fixture *f)
{
  const char *rm[] = { "rm", "-rf", f->dir, NULL };
  Result r = { 0 };

  run_argv (&r, rm, NULL);
  result_clear (&r);
  g_free (f->dir);
  g_free (f->ini);
}

static char *
path (const Fixture *f, const char *rel)
{
  return g_build_filename (f->dir, rel, NULL);
}

/* `diff -r` of two results directories, without what differs by design. */
static void
assert_diff_r (const char *a, const char *b)
{
  const char *argv[] = { "diff", "-r", "-x", "shards", "-x", "provenance.ini", "-x",
                         "run-times.csv", a, b, NULL };
  Result r = { 0 };

  if (run_argv (&r, argv, NULL) != 0)
    g_error ("diff -r %s %s:\n%s%s", a, b, r.out, r.err);
  result_clear (&r);
}

/* The reference: one machine, two threads. */
static char *
reference (const Fixture *f)
{
  char *ref = path (f, "ref");
  const char *args[] = { "run", f->ini, "-o", ref, "-j", "2", "-q", NULL };

  synack_ok (args);
  return ref;
}

static void
run_shard (const Fixture *f, const char *out, const char *shard, const char *const *extra)
{
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  const char *base[] = { "run", f->ini, "--shard", shard, "-o", out, "-j", "1", "-q" };

  for (guint i = 0; i < G_N_ELEMENTS (base); i++)
    g_ptr_array_add (args, (gpointer) base[i]);
  for (guint i = 0; extra && extra[i]; i++)
    g_ptr_array_add (args, (gpointer) extra[i]);
  g_ptr_array_add (args, NULL);
  synack_ok ((const char *const *) args->pdata);
}

/* Number of rows of DIR/runs.csv, and whether each row's run index
 * (point x 3 + replication) is K mod N. */
static guint
shard_rows (const char *dir, guint k, guint n)
{
  g_autofree char *p = g_build_filename (dir, "runs.csv", NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  guint rows = 0;

  g_assert_true (g_file_get_contents (p, &text, NULL, NULL));
  lines = g_strsplit (text, "\n", -1);
  for (guint l = 1; lines[l] && lines[l][0]; l++) {
    guint point = (guint) g_ascii_strtoull (lines[l], NULL, 10);
    guint rep = (guint) g_ascii_strtoull (strchr (lines[l], ',') + 1, NULL, 10);

    g_assert_cmpuint ((point * 3 + rep) % n, ==, k);
    rows++;
  }
  return rows;
}

/* ---- shards and merge against -j 2 ---- */

static void
test_three_shards_merge (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *top = NULL, *s1 = NULL;

  fixture_init (&f);
  ref = reference (&f);
  top = path (&f, "sharded");
  for (guint k = 0; k < 3; k++) {
    g_autofree char *shard = g_strdup_printf ("%u/3", k);
    g_autofree char *sdir = g_strdup_printf ("%s/shards/%u-of-3", top, k);

    run_shard (&f, top, shard, NULL);
    /* strided: 6 runs, 2 per shard, each i mod 3 = k */
    g_assert_cmpuint (shard_rows (sdir, k, 3), ==, 2);
  }
  {
    const char *args[] = { "merge", top, NULL };

    synack_ok (args);
  }
  assert_diff_r (ref, top);
  /* merged once more: the same bytes (a merge is repeatable) */
  {
    const char *args[] = { "merge", top, NULL };

    synack_ok (args);
  }
  assert_diff_r (ref, top);
  s1 = g_strdup_printf ("%s/shards/1-of-3/provenance.ini", top);
  g_assert_true (g_file_test (s1, G_FILE_TEST_EXISTS));
  fixture_clear (&f);
}

/* Shards copied back from elsewhere: merge -o OUT SRC... */
static void
test_merge_copied_sources (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *a = NULL, *b = NULL, *out = NULL;
  g_autofree char *sa = NULL, *sb = NULL, *ca = NULL, *cb = NULL;

  fixture_init (&f);
  ref = reference (&f);
  a = path (&f, "node-a");
  b = path (&f, "node-b");
  out = path (&f, "out");
  run_shard (&f, a, "0/2", NULL);
  run_shard (&f, b, "1/2", NULL);
  sa = g_strdup_printf ("%s/shards/0-of-2", a);
  sb = g_strdup_printf ("%s/shards/1-of-2", b);
  /* as scp -r would bring them back: other paths, other parents */
  ca = path (&f, "back/0-of-2");
  cb = path (&f, "back/1-of-2");
  g_assert_cmpint (g_mkdir_with_parents (ca, 0755), ==, 0);
  {
    const char *cp1[] = { "cp", "-r", sa, ca, NULL }, *cp2[] = { "cp", "-r", sb, cb, NULL };
    Result r = { 0 };

    g_assert_cmpint (g_rmdir (ca), ==, 0);
    g_assert_cmpint (run_argv (&r, cp1, NULL), ==, 0);
    result_clear (&r);
    g_assert_cmpint (run_argv (&r, cp2, NULL), ==, 0);
    result_clear (&r);
  }
  {
    const char *args[] = { "merge", "-o", out, ca, cb, NULL };

    synack_ok (args);
  }
  assert_diff_r (ref, out);
  fixture_clear (&f);
}

/* The same --shard command again runs only what is missing: the run
 * already done keeps its file (same inode: not written again). */
static void
test_shard_rerun_finishes (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *top = NULL, *done = NULL;
  const char *point0[] = { "--point", "0", NULL };
  GStatBuf before, after;

  fixture_init (&f);
  ref = reference (&f);
  top = path (&f, "t");
  for (guint k = 0; k < 2; k++) {
    g_autofree char *shard = g_strdup_printf ("%u/2", k);

    run_shard (&f, top, shard, k == 1 ? point0 : NULL);
  }
  done = g_strdup_printf ("%s/shards/1-of-2/samples/0-1.bin", top);
  g_assert_cmpint (g_stat (done, &before), ==, 0);
  {
    const char *check[] = { "merge", "--check", top, NULL };
    Result r = { 0 };

    /* 1-of-2 holds runs 1 (0-1) and, later, 3 and 5 (point 1) */
    g_assert_cmpint (synack (&r, check), ==, 1);
    g_assert_nonnull (strstr (r.out, "shard 1/2: 2 of 3 runs missing; finish with: synack run "));
    g_assert_nonnull (strstr (r.out, "--shard 1/2 -o "));
    result_clear (&r);
  }
  run_shard (&f, top, "1/2", NULL);
  g_assert_cmpint (g_stat (done, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  {
    const char *args[] = { "merge", top, NULL };

    synack_ok (args);
  }
  assert_diff_r (ref, top);
  fixture_clear (&f);
}

/* provenance.ini: the build and the run, apart from the results.  Every
 * loaded plugin has a line with the SHA-256 of its file; the git commit
 * is there when the tree it was built from is a git checkout. */
static void
test_provenance (void)
{
  Fixture f;
  g_autofree char *top = NULL, *prov = NULL, *merged = NULL;
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) keys = NULL;
  g_autofree char *fp = NULL, *cmd = NULL, *date = NULL, *git = NULL;
  g_autofree char *dotgit = g_build_filename (g_getenv ("SYNACK_TEST_TOP_SRCDIR"), ".git", NULL);
  guint plugins = 0;

  fixture_init (&f);
  top = path (&f, "t");
  run_shard (&f, top, "0/2", NULL);
  run_shard (&f, top, "1/2", NULL);
  prov = g_strdup_printf ("%s/shards/1-of-2/provenance.ini", top);
  g_assert_true (g_key_file_load_from_file (kf, prov, G_KEY_FILE_NONE, &error));
  g_assert_no_error (error);
  keys = g_key_file_get_keys (kf, "build", NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; keys[i]; i++)
    if (g_str_has_prefix (keys[i], "plugin.")) {
      g_autofree char *v = g_key_file_get_string (kf, "build", keys[i], NULL);

      g_assert_true (g_str_has_prefix (v, "sha256:"));
      g_assert_cmpuint (strlen (v), ==, 7 + 64);
      plugins++;
    }
  /* loss none, bernoulli; delay uniform; protocol tcp3way at least */
  g_assert_cmpuint (plugins, >=, 4);
  fp = g_key_file_get_string (kf, "build", "fingerprint", NULL);
  g_assert_cmpuint (strlen (fp), ==, 64);
  g_assert_cmpuint (g_key_file_get_uint64 (kf, "build", "plugin_abi", NULL), >, 0);
  git = g_key_file_get_string (kf, "build", "git_commit", NULL);
  g_assert_cmpint (git != NULL, ==, g_file_test (dotgit, G_FILE_TEST_EXISTS));
  cmd = g_key_file_get_string (kf, "run", "command", NULL);
  g_assert_nonnull (strstr (cmd, "synack run "));
  g_assert_nonnull (strstr (cmd, "--shard 1/2"));
  date = g_key_file_get_string (kf, "run", "date", NULL);
  g_assert_true (g_regex_match_simple ("^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:", date, 0, 0));
  g_assert_true (g_key_file_has_key (kf, "run", "host", NULL));
  g_assert_true (g_key_file_get_double (kf, "run", "wall_s", NULL) >= 0);
  g_assert_cmpuint (g_key_file_get_uint64 (kf, "run", "jobs", NULL), ==, 1);
  {
    /* run-times.csv: a row per run of the shard (runs 1, 3, 5) */
    g_autofree char *times = g_strdup_printf ("%s/shards/1-of-2/run-times.csv", top);
    g_autofree char *text = NULL;
    g_auto (GStrv) lines = NULL;
    guint rows = 0;

    g_assert_true (g_file_get_contents (times, &text, NULL, NULL));
    lines = g_strsplit (text, "\n", -1);
    g_assert_cmpstr (lines[0], ==, "point,replication,wall_s");
    for (guint l = 1; lines[l] && lines[l][0]; l++, rows++) {
      guint p = (guint) g_ascii_strtoull (lines[l], NULL, 10);
      guint r = (guint) g_ascii_strtoull (strchr (lines[l], ',') + 1, NULL, 10);

      g_assert_cmpuint ((p * 3 + r) % 2, ==, 1);
      g_assert_true (g_ascii_strtod (strrchr (lines[l], ',') + 1, NULL) >= 0);
    }
    g_assert_cmpuint (rows, ==, 3);
  }
  {
    g_autofree char *shard = g_key_file_get_string (kf, "run", "shard", NULL);
    const char *args[] = { "merge", top, NULL };

    g_assert_cmpstr (shard, ==, "1/2");
    synack_ok (args);
  }
  merged = g_build_filename (top, "provenance.ini", NULL);
  {
    g_autoptr (GKeyFile) mk = g_key_file_new ();
    g_autofree char *from = NULL, *mfp = NULL;

    g_assert_true (g_key_file_load_from_file (mk, merged, G_KEY_FILE_NONE, NULL));
    from = g_key_file_get_string (mk, "run", "merged_from", NULL);
    g_assert_nonnull (strstr (from, "shards/0-of-2"));
    g_assert_nonnull (strstr (from, "shards/1-of-2"));
    mfp = g_key_file_get_string (mk, "build", "fingerprint", NULL);
    g_assert_cmpstr (mfp, ==, fp);
  }
  fixture_clear (&f);
}

/* ---- merge refuses ---- */

typedef enum {
  BREAK_MISSING_SHARD,
  BREAK_OTHER_CONFIG,
  BREAK_OTHER_BUILD,
  BREAK_CONFLICTING_DUPLICATE,
  BREAK_BAD_SEED,
  BREAK_MISSING_SAMPLES,
  BREAK_MISSING_TRACE,
  BREAK_NO_PROVENANCE,
} Break;

typedef struct {
  const char *path;
  Break       what;
  const char *err_has;
  const char *out_has;   /* nullable */
} RefuseCase;

static const RefuseCase refuse_cases[] = {
  { "/campaign/merge/refuses/missing-shard", BREAK_MISSING_SHARD,
    "2 of 6 runs are missing", "shard 2/3: missing (2 runs); run: synack run " },
  { "/campaign/merge/refuses/other-config", BREAK_OTHER_CONFIG,
    "differs from", NULL },
  { "/campaign/merge/refuses/other-build", BREAK_OTHER_BUILD,
    "computed by another synack build", NULL },
  { "/campaign/merge/refuses/conflicting-duplicate", BREAK_CONFLICTING_DUPLICATE,
    "with different attempts", NULL },
  { "/campaign/merge/refuses/bad-seed", BREAK_BAD_SEED,
    "not a run of this batch", NULL },
  { "/campaign/merge/refuses/missing-samples", BREAK_MISSING_SAMPLES,
    "1 of 6 runs are missing", "samples or traces are missing" },
  { "/campaign/merge/refuses/missing-trace", BREAK_MISSING_TRACE,
    "1 of 6 runs are missing", "shard 0/3: 1 of 2 runs missing" },
  { "/campaign/merge/refuses/no-provenance", BREAK_NO_PROVENANCE,
    "which synack computed it is not known", NULL },
};

/* Replaces the first occurrence of @from in FILE by @to. */
static void
edit_file (const char *file, const char *from, const char *to)
{
  g_autofree char *text = NULL;
  GString *s;
  char *at;

  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  at = strstr (text, from);
  g_assert_nonnull (at);
  s = g_string_new_len (text, at - text);
  g_string_append (s, to);
  g_string_append (s, at + strlen (from));
  g_assert_true (g_file_set_contents (file, s->str, -1, NULL));
  g_string_free (s, TRUE);
}

static void
test_merge_refuses (gconstpointer data)
{
  const RefuseCase *c = data;
  Fixture f;
  g_autofree char *top = NULL, *s0 = NULL, *runs0 = NULL;
  Result r = { 0 };

  fixture_init (&f);
  top = path (&f, "t");
  s0 = g_strdup_printf ("%s/shards/0-of-3", top);
  runs0 = g_strdup_printf ("%s/runs.csv", s0);
  for (guint k = 0; k < 3; k++) {
    g_autofree char *shard = g_strdup_printf ("%u/3", k);

    if (k == 2 && c->what == BREAK_MISSING_SHARD)
      continue;
    if (k == 2 && c->what == BREAK_OTHER_CONFIG) {
      const char *more[] = { "--set", "workload.connections=121", NULL };

      run_shard (&f, top, shard, more);
    } else if (k == 2 && c->what == BREAK_OTHER_BUILD) {
      /* one more plugin loaded is another build: it could change what
       * a config means */
      const char *plugins = g_getenv ("SYNACK_TEST_PLUGINS");
      g_autofree char *so = g_build_filename (plugins, "protocol-failcreate.so", NULL);
      g_autofree char *pdir = path (&f, "plugins");
      g_autofree char *copy = g_build_filename (pdir, "protocol-failcreate.so", NULL);
      g_autofree char *bytes = NULL;
      gsize len;
      g_autofree char *env_path = NULL;

      g_assert_cmpint (g_mkdir_with_parents (pdir, 0755), ==, 0);
      g_assert_true (g_file_get_contents (so, &bytes, &len, NULL));
      g_assert_true (g_file_set_contents (copy, bytes, (gssize) len, NULL));
      env_path = g_strdup_printf ("%s:%s", g_getenv ("SYNACK_PLUGIN_PATH"), pdir);
      g_setenv ("SYNACK_PLUGIN_PATH", env_path, TRUE);
      run_shard (&f, top, shard, NULL);
      *strrchr (env_path, ':') = '\0';
      g_setenv ("SYNACK_PLUGIN_PATH", env_path, TRUE);
    } else {
      run_shard (&f, top, shard, NULL);
    }
  }
  switch (c->what) {
    case BREAK_CONFLICTING_DUPLICATE: {
      /* a 0-of-1 shard has every run; its row of run 0 says otherwise */
      g_autofree char *all = g_strdup_printf ("%s/shards/0-of-1/runs.csv", top);

      run_shard (&f, top, "0/1", NULL);
      edit_file (all, ",120,", ",119,");
      break;
    }
    case BREAK_BAD_SEED:
      edit_file (runs0, "\n0,0,", "\n0,0,1");
      break;
    case BREAK_MISSING_SAMPLES: {
      g_autofree char *s = g_strdup_printf ("%s/samples/0-0.bin", s0);

      g_assert_cmpint (g_unlink (s), ==, 0);
      break;
    }
    case BREAK_MISSING_TRACE: {
      g_autofree char *s = g_strdup_printf ("%s/traces/1-0-segments.csv", s0);

      g_assert_cmpint (g_unlink (s), ==, 0);
      break;
    }
    case BREAK_NO_PROVENANCE: {
      g_autofree char *s = g_strdup_printf ("%s/provenance.ini", s0);

      g_assert_cmpint (g_unlink (s), ==, 0);
      break;
    }
    default:
      break;
  }
  {
    const char *args[] = { "merge", top, NULL };
    g_autofree char *merged = g_build_filename (top, "runs.csv", NULL);

    g_assert_cmpint (synack (&r, args), ==, 1);
    if (strstr (r.err, c->err_has) == NULL)
      g_error ("stderr lacks \"%s\":\n%s", c->err_has, r.err);
    if (c->out_has != NULL && strstr (r.out, c->out_has) == NULL)
      g_error ("stdout lacks \"%s\":\n%s", c->out_has, r.out);
    /* refused: nothing written */
    g_assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));
    result_clear (&r);
  }
  fixture_clear (&f);
}

/* merge --check reports and writes nothing. */
static void
test_merge_check_writes_nothing (void)
{
  Fixture f;
  g_autofree char *top = NULL, *merged = NULL;
  const char *args[] = { "merge", "--check", NULL, NULL };
  Result r = { 0 };

  fixture_init (&f);
  top = path (&f, "t");
  run_shard (&f, top, "0/2", NULL);
  run_shard (&f, top, "1/2", NULL);
  args[2] = top;
  g_assert_cmpint (synack (&r, args), ==, 0);
  g_assert_nonnull (strstr (r.out, "6 of 6 runs present, consistent"));
  merged = g_build_filename (top, "runs.csv", NULL);
  g_assert_false (g_file_test (merged, G_FILE_TEST_EXISTS));
  result_clear (&r);
  fixture_clear (&f);
}

/* Resuming a directory computed by another build is refused. */
static void
test_resume_other_build_refused (void)
{
  Fixture f;
  g_autofree char *top = NULL, *prov = NULL;
  Result r = { 0 };
  const char *args[] = { "run", NULL, "--shard", "0/2", "-o", NULL, "-q", NULL };

  fixture_init (&f);
  top = path (&f, "t");
  run_shard (&f, top, "0/2", (const char *const[]) { "--point", "0", NULL });
  prov = g_strdup_printf ("%s/shards/0-of-2/provenance.ini", top);
  edit_file (prov, "fingerprint = ", "fingerprint = 0");
  args[1] = f.ini;
  args[5] = top;
  g_assert_cmpint (synack (&r, args), ==, 2);
  g_assert_nonnull (strstr (r.err, "holds runs computed by another synack build"));
  result_clear (&r);
  fixture_clear (&f);
}

/* --resume --set experiment.replications=5 on a 3-replication directory
 * adds replications 3 and 4 and keeps the runs done (their seeds depend
 * on point and replication only): the same bytes as a fresh 5-replication
 * batch.  Fewer replications than done are refused. */
static void
test_resume_more_replications (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *five = NULL;
  g_autofree char *done = NULL;
  GStatBuf before, after;
  Result r = { 0 };

  fixture_init (&f);
  ref = reference (&f);
  five = path (&f, "five");
  done = g_build_filename (ref, "samples", "1-2.bin", NULL);
  g_assert_cmpint (g_stat (done, &before), ==, 0);
  {
    const char *more[] = { "run", "--resume", ref, "--set", "experiment.replications=5", "-q",
                           NULL };
    const char *fresh[] = { "run", f.ini, "-o", five, "-q", "-j", "2", "--set",
                            "experiment.replications=5", NULL };

    synack_ok (more);
    synack_ok (fresh);
  }
  g_assert_cmpint (g_stat (done, &after), ==, 0);
  g_assert_cmpuint (before.st_ino, ==, after.st_ino);
  assert_diff_r (five, ref);
  /* the same with shards: each shard gets its new runs, and merging
   * again replaces the 3-replication merge */
  {
    g_autofree char *top = path (&f, "sh");
    const char *more[] = { "--set", "experiment.replications=5", NULL };
    const char *merge[] = { "merge", NULL, NULL };

    merge[1] = top;
    run_shard (&f, top, "0/2", NULL);
    run_shard (&f, top, "1/2", NULL);
    synack_ok (merge);
    run_shard (&f, top, "0/2", more);
    run_shard (&f, top, "1/2", more);
    synack_ok (merge);
    assert_diff_r (five, top);
  }
  {
    const char *fewer[] = { "run", "--resume", ref, "--set", "experiment.replications=4", "-q",
                            NULL };

    g_assert_cmpint (synack (&r, fewer), ==, 2);
    g_assert_nonnull (strstr (r.err, "holds the results of a different experiment"));
    result_clear (&r);
  }
  fixture_clear (&f);
}

/* ---- --shard K/N and --shard auto ---- */

typedef struct {
  const char *path;
  const char *shard;
  const char *env[8];    /* besides PATH and SYNACK_PLUGIN_PATH */
  int         status;
  const char *err_has;
  guint       k, n;       /* when status is 0 */
} ShardCase;

static const ShardCase shard_cases[] = {
  { "/campaign/shard/explicit", "1/4", { NULL }, 0, NULL, 1, 4 },
  { "/campaign/shard/explicit-one-of-one", "0/1", { NULL }, 0, NULL, 0, 1 },
  { "/campaign/shard/k-equals-n", "3/3", { NULL }, 2, "expected K/N with 0 <= K < N", 0, 0 },
  { "/campaign/shard/zero-shards", "0/0", { NULL }, 2, "expected K/N", 0, 0 },
  { "/campaign/shard/negative", "-1/2", { NULL }, 2, "expected K/N", 0, 0 },
  { "/campaign/shard/no-slash", "1", { NULL }, 2, "expected K/N", 0, 0 },
  { "/campaign/shard/words", "a/b", { NULL }, 2, "expected K/N", 0, 0 },
  { "/campaign/shard/auto-slurm-array", "auto",
    { "SLURM_ARRAY_TASK_ID=2", "SLURM_ARRAY_TASK_MIN=0", "SLURM_ARRAY_TASK_MAX=2",
      "SLURM_ARRAY_TASK_COUNT=3", "SLURM_ARRAY_TASK_STEP=1", "SLURM_PROCID=0",
      "SLURM_NTASKS=1", NULL }, 0, "from Slurm job array (SLURM_ARRAY_TASK_ID=2", 2, 3 },
  { "/campaign/shard/auto-slurm-array-from-1-step-2", "auto",
    { "SLURM_ARRAY_TASK_ID=5", "SLURM_ARRAY_TASK_MIN=1", "SLURM_ARRAY_TASK_MAX=7",
      "SLURM_ARRAY_TASK_STEP=2", NULL }, 0, "Slurm job array", 2, 4 },
  { "/campaign/shard/auto-slurm-srun", "auto",
    { "SLURM_PROCID=3", "SLURM_STEP_NUM_TASKS=4", "SLURM_NTASKS=8", NULL }, 0,
    "from Slurm step (srun) (SLURM_PROCID=3 of SLURM_STEP_NUM_TASKS=4)", 3, 4 },
  /* mpirun inside a Slurm allocation: Open MPI's rank wins over SLURM_PROCID */
  { "/campaign/shard/auto-openmpi", "auto",
    { "OMPI_COMM_WORLD_RANK=1", "OMPI_COMM_WORLD_SIZE=4", "SLURM_PROCID=0", "SLURM_NTASKS=1",
      NULL }, 0, "from Open MPI (OMPI_COMM_WORLD_RANK=1 of OMPI_COMM_WORLD_SIZE=4)", 1, 4 },
  { "/campaign/shard/auto-pmi", "auto", { "PMI_RANK=0", "PMI_SIZE=2", NULL }, 0, "from PMI",
    0, 2 },
  { "/campaign/shard/auto-sge", "auto",
    { "SGE_TASK_ID=3", "SGE_TASK_FIRST=1", "SGE_TASK_LAST=3", "SGE_TASK_STEPSIZE=1", NULL }, 0,
    "from SGE array job (SGE_TASK_ID=3 of SGE_TASK_LAST=3)", 2, 3 },
  { "/campaign/shard/auto-sge-not-array", "auto", { "SGE_TASK_ID=undefined", NULL }, 2,
    "no scheduler's variables found", 0, 0 },
  { "/campaign/shard/auto-lsf", "auto", { "LSB_JOBINDEX=1", "LSB_JOBINDEX_END=5", NULL }, 0,
    "from LSF job array", 0, 5 },
  { "/campaign/shard/auto-lsf-not-array", "auto", { "LSB_JOBINDEX=0", NULL }, 2,
    "no scheduler's variables found", 0, 0 },
  { "/campaign/shard/auto-nothing", "auto", { NULL }, 2, "give --shard K/N", 0, 0 },
  { "/campaign/shard/auto-not-a-number", "auto",
    { "OMPI_COMM_WORLD_RANK=x", "OMPI_COMM_WORLD_SIZE=4", NULL }, 2,
    "OMPI_COMM_WORLD_RANK=x is not a whole number", 0, 0 },
  { "/campaign/shard/auto-rank-beyond-size", "auto",
    { "OMPI_COMM_WORLD_RANK=4", "OMPI_COMM_WORLD_SIZE=4", NULL }, 2, "is not one of 4 tasks", 0, 0 },
};

static void
test_shard (gconstpointer data)
{
  const ShardCase *c = data;
  Fixture f;
  g_autoptr (GPtrArray) env = g_ptr_array_new_with_free_func (g_free);
  const char *argv[] = { synack_bin, "run", NULL, "--list-runs", "--shard", c->shard, NULL };
  Result r = { 0 };

  fixture_init (&f);
  argv[2] = f.ini;
  g_ptr_array_add (env, g_strdup_printf ("PATH=%s", g_getenv ("PATH")));
  g_ptr_array_add (env, g_strdup_printf ("SYNACK_PLUGIN_PATH=%s",
                                         g_getenv ("SYNACK_PLUGIN_PATH")));
  for (guint i = 0; c->env[i]; i++)
    g_ptr_array_add (env, g_strdup (c->env[i]));
  g_ptr_array_add (env, NULL);
  run_argv (&r, argv, (const char *const *) env->pdata);
  g_assert_cmpint (r.status, ==, c->status);
  if (c->err_has != NULL && strstr (r.err, c->err_has) == NULL)
    g_error ("stderr lacks \"%s\":\n%s", c->err_has, r.err);
  if (c->status == 0) {
    g_auto (GStrv) lines = g_strsplit (r.out, "\n", -1);
    guint rows = 0;

    g_assert_true (g_str_has_prefix (lines[0], "index\tpoint\treplication\tseed\tlink.loss.p"));
    for (guint l = 1; lines[l] && lines[l][0]; l++, rows++)
      g_assert_cmpuint (g_ascii_strtoull (lines[l], NULL, 10) % c->n, ==, c->k);
    /* shard k of n of 6 runs has ceil((6 - k) / n) of them */
    g_assert_cmpuint (rows, ==, (6 - c->k + c->n - 1) / c->n);
  }
  result_clear (&r);
  fixture_clear (&f);
}

/* --list-runs: every run once, with the seed runs.csv shows. */
static void
test_list_runs_matches_runs_csv (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *runs_path = NULL, *runs = NULL;
  g_auto (GStrv) lines = NULL;
  const char *args[] = { "run", NULL, "--list-runs", NULL };
  Result r = { 0 };
  guint n = 0;

  fixture_init (&f);
  ref = reference (&f);
  args[1] = f.ini;
  g_assert_cmpint (synack (&r, args), ==, 0);
  runs_path = g_build_filename (ref, "runs.csv", NULL);
  g_assert_true (g_file_get_contents (runs_path, &runs, NULL, NULL));
  lines = g_strsplit (r.out, "\n", -1);
  for (guint l = 1; lines[l] && lines[l][0]; l++, n++) {
    g_auto (GStrv) cells = g_strsplit (lines[l], "\t", -1);
    g_autofree char *row = g_strdup_printf ("\n%s,%s,%s,%s,", cells[1], cells[2], cells[3],
                                            cells[4]);

    g_assert_cmpuint (g_ascii_strtoull (cells[0], NULL, 10), ==, l - 1);
    if (strstr (runs, row) == NULL)
      g_error ("runs.csv has no row starting %s", row + 1);
  }
  g_assert_cmpuint (n, ==, 6);
  result_clear (&r);
  fixture_clear (&f);
}

/* ---- compare ---- */

/* The cells of the compare row of @metric at sweep value @value (the first
 * column), or NULL. */
static GStrv
compare_row (const char *csv, const char *value, const char *metric)
{
  g_autofree char *head = g_strdup_printf ("%s%s", value ? value : "", value ? "," : "");
  g_auto (GStrv) lines = g_strsplit (csv, "\n", -1);

  for (guint l = 1; lines[l]; l++) {
    g_autofree char *want = g_strdup_printf ("%s%s,", head, metric);

    if (g_str_has_prefix (lines[l], want))
      return g_strsplit (lines[l], ",", -1);
  }
  return NULL;
}

/* Two configs that differ only in the protocol, same seed and points: each
 * replication ran on the same seed, so the difference is paired (common
 * random numbers; Law, "Simulation Modeling and Analysis", 5th ed., 11.2);
 * with another seed for B it is Welch's two-sample interval.  diff is
 * mean_b - mean_a, and lies inside its interval. */
static void
test_compare_paired_or_welch (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *two = NULL, *other = NULL;
  Result r = { 0 };

  fixture_init (&f);
  ref = reference (&f);
  two = path (&f, "tcp2way");
  other = path (&f, "tcp2way-seed12");
  {
    const char *a1[] = { "run", f.ini, "-o", two, "-q", "--set", "experiment.protocol=tcp2way",
                         NULL };
    const char *a2[] = { "run", f.ini, "-o", other, "-q", "--set",
                         "experiment.protocol=tcp2way", "--seed", "12", NULL };

    synack_ok (a1);
    synack_ok (a2);
  }
  for (guint k = 0; k < 2; k++) {
    const char *args[] = { "compare", ref, k == 0 ? two : other, NULL };
    g_auto (GStrv) row = NULL;
    double ma, mb, d, lo, hi;

    g_assert_cmpint (synack (&r, args), ==, 0);
    g_assert_true (g_str_has_prefix (r.out, "link.loss.p,metric,runs_a,runs_b,mean_a,mean_b,"
                                             "diff,diff_ci95_lo,diff_ci95_hi,paired\n"));
    row = compare_row (r.out, "0.2", "handshake_mean_s");
    g_assert_nonnull (row);
    g_assert_cmpstr (row[2], ==, "3");
    g_assert_cmpstr (row[3], ==, "3");
    ma = g_ascii_strtod (row[4], NULL);
    mb = g_ascii_strtod (row[5], NULL);
    d = g_ascii_strtod (row[6], NULL);
    lo = g_ascii_strtod (row[7], NULL);
    hi = g_ascii_strtod (row[8], NULL);
    g_assert_cmpfloat_with_epsilon (d, mb - ma, 1e-8);
    g_assert_cmpfloat (lo, <=, d);
    g_assert_cmpfloat (d, <=, hi);
    g_assert_cmpstr (row[9], ==, k == 0 ? "1" : "0");
    result_clear (&r);
  }
  fixture_clear (&f);
}

typedef struct {
  const char *path;
  const char *a_where, *b_where;
  int         status;
  const char *err_has;
} CompareCase;

static const CompareCase compare_cases[] = {
  /* one directory, two of its points: per-run seeds differ by point */
  { "/campaign/compare/within-one-sweep", "link.loss.p=0", "link.loss.p=0.2", 0, NULL },
  { "/campaign/compare/where-not-key-value", "link.loss.p", NULL, 2, "expected KEY=VALUE" },
  { "/campaign/compare/where-key-not-swept", "link.delay.base=5ms", NULL, 2,
    "does not sweep link.delay.base" },
  { "/campaign/compare/where-value-absent", "link.loss.p=0.5", NULL, 2,
    "no run of" },
  /* A narrowed, B not: other sweep keys, nothing to match by */
  { "/campaign/compare/other-keys", "link.loss.p=0", NULL, 2, "sweep other keys" },
};

static void
test_compare_cases (gconstpointer data)
{
  const CompareCase *c = data;
  Fixture f;
  g_autofree char *ref = NULL, *wa = NULL, *wb = NULL;
  g_autoptr (GPtrArray) args = g_ptr_array_new ();
  Result r = { 0 };

  fixture_init (&f);
  ref = reference (&f);
  g_ptr_array_add (args, "compare");
  g_ptr_array_add (args, ref);
  g_ptr_array_add (args, ref);
  if (c->a_where) {
    g_ptr_array_add (args, "--a");
    g_ptr_array_add (args, (gpointer) c->a_where);
  }
  if (c->b_where) {
    g_ptr_array_add (args, "--b");
    g_ptr_array_add (args, (gpointer) c->b_where);
  }
  g_ptr_array_add (args, NULL);
  g_assert_cmpint (synack (&r, (const char *const *) args->pdata), ==, c->status);
  if (c->err_has != NULL && strstr (r.err, c->err_has) == NULL)
    g_error ("stderr lacks \"%s\":\n%s", c->err_has, r.err);
  if (c->status == 0) {
    g_auto (GStrv) row = compare_row (r.out, NULL, "attempts");

    /* no sweep key left to match by: one row per metric */
    g_assert_true (g_str_has_prefix (r.out, "metric,runs_a"));
    g_assert_nonnull (row);
    /* 120 attempts in every run: no difference, and no doubt about it */
    g_assert_cmpstr (row[5], ==, "0");
    g_assert_cmpstr (row[6], ==, "0");
    g_assert_cmpstr (row[7], ==, "0");
    g_assert_cmpstr (row[8], ==, "0");
  }
  result_clear (&r);
  fixture_clear (&f);
}

/* ---- [experiment] seeds, [sweep] zip and constraint ---- */

typedef struct {
  const char *path;
  const char *ini;       /* the [sweep] and what else differs from the base */
  const char *set;       /* (nullable) a --set */
  int         status;
  const char *has;       /* in stdout (status 0) or stderr */
} SweepCase;

#define SWEEP_BASE "[experiment]\nname = s\nreplications = 2\n[workload]\nconnections = 20\n" \
  "[link]\nloss = bernoulli\n"

static const SweepCase sweep_cases[] = {
  /* the example of experiments/points.h: 3 x 4 candidates, one dropped */
  { "/campaign/sweep/zip-and-constraint",
    SWEEP_BASE "[sweep]\nlink.delay.base = 10ms, 50ms, 200ms\ntcp.rto_initial = 200ms, 1s, 3s\n"
    "link.loss.p = 0:0.1:0.3\nzip = link.delay.base, tcp.rto_initial\n"
    "constraint = link.loss.p <= 0.2 || link.delay.base < 100ms\n", NULL, 0,
    "22 runs (11 sweep points x 2 replications)" },
  { "/campaign/sweep/zip-points-advance-together",
    SWEEP_BASE "[sweep]\nlink.delay.base = 10ms, 50ms\ntcp.rto_initial = 200ms, 1s\n"
    "zip = link.delay.base, tcp.rto_initial\n", NULL, 0,
    "  point 1: link.delay.base=50ms tcp.rto_initial=1s\n" },
  { "/campaign/sweep/zip-lengths-differ",
    SWEEP_BASE "[sweep]\nlink.delay.base = 10ms, 50ms\ntcp.rto_initial = 200ms, 1s, 3s\n"
    "zip = link.delay.base, tcp.rto_initial\n", NULL, 2,
    "s.ini:11: [sweep] zip: link.delay.base has 2 values and tcp.rto_initial 3" },
  { "/campaign/sweep/constraint-type-error",
    SWEEP_BASE "[sweep]\nlink.loss.p = 0, 0.1\nconstraint = link.loss.p < 1ms\n", NULL, 2,
    "s.ini:10: [sweep] constraint: at link.loss.p=0: < of a number and a duration" },
  { "/campaign/sweep/constraint-misspelt-key",
    SWEEP_BASE "[sweep]\nlink.loss.p = 0, 0.1\nconstraint = link.loss.q < 1\n", NULL, 2,
    "link.loss.q is not a swept key; did you mean \"link.loss.p\"?" },
  { "/campaign/sweep/constraint-by-set-keeps-none",
    SWEEP_BASE "[sweep]\nlink.loss.p = 0, 0.1\n", "sweep.constraint=link.loss.p > 5", 2,
    "--set sweep.constraint=link.loss.p > 5: the constraint keeps none of the 2 points" },
  { "/campaign/sweep/seeds-bad-value",
    "[experiment]\nseeds = per-point\n", NULL, 2, "s.ini:2: [experiment] seeds:" },
  { "/campaign/sweep/seeds-cannot-be-swept",
    "[sweep]\nexperiment.seeds = per-run, per-replication\n", NULL, 2, "cannot be swept" },
};

static void
test_sweep_case (gconstpointer data)
{
  const SweepCase *c = data;
  Fixture f;
  g_autofree char *ini = NULL;
  Result r = { 0 };
  const char *args[] = { "check", NULL, c->set ? "--set" : NULL, c->set, NULL };

  fixture_init (&f);
  ini = path (&f, "s.ini");
  g_assert_true (g_file_set_contents (ini, c->ini, -1, NULL));
  args[1] = ini;
  g_assert_cmpint (synack (&r, args), ==, c->status);
  if (strstr (c->status == 0 ? r.out : r.err, c->has) == NULL)
    g_error ("lacks \"%s\":\n%s%s", c->has, r.out, r.err);
  result_clear (&r);
  fixture_clear (&f);
}

/* A zipped and constrained sweep runs, is written to config.ini as given,
 * and that config.ini reproduces it (--resume finds nothing to do and the
 * same bytes come out of it again). */
static void
test_zip_constraint_roundtrip (void)
{
  Fixture f;
  g_autofree char *ini = NULL, *a = NULL, *b = NULL, *config = NULL, *text = NULL;

  fixture_init (&f);
  ini = path (&f, "zc.ini");
  g_assert_true (g_file_set_contents (ini, SWEEP_BASE "[sweep]\nlink.delay.base = 10ms, 50ms\n"
                                      "tcp.rto_initial = 200ms, 1s\nlink.loss.p = 0, 0.2\n"
                                      "zip = link.delay.base, tcp.rto_initial\n"
                                      "constraint = !(link.loss.p > 0 && link.delay.base > 20ms)\n",
                                      -1, NULL));
  a = path (&f, "a");
  b = path (&f, "b");
  {
    const char *run_a[] = { "run", ini, "-o", a, "-q", "-j", "2", NULL };

    synack_ok (run_a);
  }
  config = g_build_filename (a, "config.ini", NULL);
  g_assert_true (g_file_get_contents (config, &text, NULL, NULL));
  g_assert_nonnull (strstr (text, "\nzip = link.delay.base, tcp.rto_initial\n"));
  g_assert_nonnull (strstr (text, "\nconstraint = !(link.loss.p > 0 && link.delay.base > 20ms)\n"));
  g_assert_cmpuint (shard_rows (a, 0, 1), ==, 3 * 2);   /* 4 candidates, 1 dropped */
  {
    const char *run_b[] = { "run", config, "-o", b, "-q", NULL };

    synack_ok (run_b);
  }
  assert_diff_r (a, b);
  fixture_clear (&f);
}

/* [experiment] seeds = per-replication: every point of replication r runs
 * on one seed, so compare pairs points of one sweep (paired = 1); with the
 * default per-run seeds it cannot (paired = 0).  Runs of other
 * replications keep seeds of their own. */
static void
test_seeds_per_replication (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *crn = NULL, *runs_path = NULL, *runs = NULL;
  Result r = { 0 };

  fixture_init (&f);
  ref = reference (&f);
  crn = path (&f, "crn");
  {
    const char *args[] = { "run", f.ini, "-o", crn, "-q", "--set",
                           "experiment.seeds=per-replication", NULL };

    synack_ok (args);
  }
  runs_path = g_build_filename (crn, "runs.csv", NULL);
  g_assert_true (g_file_get_contents (runs_path, &runs, NULL, NULL));
  {
    g_auto (GStrv) lines = g_strsplit (runs, "\n", -1);
    g_autoptr (GHashTable) seed_of_rep = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                                 g_free);

    for (guint l = 1; lines[l] && lines[l][0]; l++) {
      g_auto (GStrv) cells = g_strsplit (lines[l], ",", 4);
      const char *seen = g_hash_table_lookup (seed_of_rep, cells[1]);

      if (seen != NULL)
        g_assert_cmpstr (seen, ==, cells[2]);   /* the same seed at every point */
      else
        g_hash_table_insert (seed_of_rep, g_strdup (cells[1]), g_strdup (cells[2]));
    }
    g_assert_cmpuint (g_hash_table_size (seed_of_rep), ==, 3);
  }
  for (guint k = 0; k < 2; k++) {
    const char *dir = k == 0 ? ref : crn;
    const char *args[] = { "compare", dir, dir, "--a", "link.loss.p=0", "--b", "link.loss.p=0.2",
                           NULL };
    g_auto (GStrv) row = NULL;

    g_assert_cmpint (synack (&r, args), ==, 0);
    row = compare_row (r.out, NULL, "handshake_mean_s");
    g_assert_nonnull (row);
    g_assert_cmpstr (row[8], ==, k == 0 ? "0" : "1");
    result_clear (&r);
  }
  /* merge checks the seeds by the same rule */
  {
    g_autofree char *top = path (&f, "sh");
    const char *crn_set[] = { "--set", "experiment.seeds=per-replication", NULL };
    const char *args[] = { "merge", NULL, NULL };

    run_shard (&f, top, "0/2", crn_set);
    run_shard (&f, top, "1/2", crn_set);
    args[1] = top;
    synack_ok (args);
    assert_diff_r (crn, top);
  }
  fixture_clear (&f);
}

/* ---- MPI ---- */

/* Without MPI, mpirun would start N whole batches into one directory:
 * refused with the way out. */
static void
test_mpirun_without_mpi_refused (void)
{
  Fixture f;
  g_autofree char *plugins = g_strdup_printf ("SYNACK_PLUGIN_PATH=%s",
                                              g_getenv ("SYNACK_PLUGIN_PATH"));
  g_autofree char *out = NULL;
  const char *env[] = { "OMPI_COMM_WORLD_RANK=0", "OMPI_COMM_WORLD_SIZE=4", plugins, NULL };
  const char *argv[] = { synack_bin, "run", NULL, "-o", NULL, "-q", NULL };
  Result r = { 0 };

  if (g_strcmp0 (g_getenv ("SYNACK_TEST_MPI"), "1") == 0) {
    g_test_skip ("built with MPI: mpirun is the transport");
    return;
  }
  fixture_init (&f);
  out = path (&f, "x");
  argv[2] = f.ini;
  argv[4] = out;
  g_assert_cmpint (run_argv (&r, argv, env), ==, 2);
  g_assert_nonnull (strstr (r.err, "built without MPI (./configure --with-mpi)"));
  g_assert_nonnull (strstr (r.err, "--shard auto"));
  g_assert_false (g_file_test (out, G_FILE_TEST_EXISTS));
  result_clear (&r);
  fixture_clear (&f);
}

static void
test_mpi_against_j2 (void)
{
  Fixture f;
  g_autofree char *ref = NULL, *out = NULL, *mpirun = g_find_program_in_path ("mpirun");
  Result r = { 0 };

  if (g_strcmp0 (g_getenv ("SYNACK_TEST_MPI"), "1") != 0 || mpirun == NULL) {
    g_test_skip ("synack built without MPI (./configure --with-mpi) or no mpirun");
    return;
  }
  fixture_init (&f);
  ref = reference (&f);
  out = path (&f, "mpi");
  {
    const char *argv[] = { mpirun, "--allow-run-as-root", "--oversubscribe", "-n", "4",
                           synack_bin, "run", f.ini, "-o", out, "-q", NULL };

    if (run_argv (&r, argv, NULL) != 0)
      g_error ("mpirun failed (%d): %s%s", r.status, r.out, r.err);
  }
  assert_diff_r (ref, out);
  result_clear (&r);
  fixture_clear (&f);
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);

  g_test_add_func ("/campaign/shards/three-shards-merge-equals-j2", test_three_shards_merge);
  g_test_add_func ("/campaign/shards/merge-copied-sources", test_merge_copied_sources);
  g_test_add_func ("/campaign/shards/rerun-finishes-missing", test_shard_rerun_finishes);
  for (guint i = 0; i < G_N_ELEMENTS (refuse_cases); i++)
    g_test_add_data_func (refuse_cases[i].path, &refuse_cases[i], test_merge_refuses);
  g_test_add_func ("/campaign/merge/check-writes-nothing", test_merge_check_writes_nothing);
  g_test_add_func ("/campaign/provenance/build-and-run", test_provenance);
  g_test_add_func ("/campaign/run/resume-other-build-refused", test_resume_other_build_refused);
  g_test_add_func ("/campaign/run/resume-more-replications", test_resume_more_replications);
  for (guint i = 0; i < G_N_ELEMENTS (shard_cases); i++)
    g_test_add_data_func (shard_cases[i].path, &shard_cases[i], test_shard);
  g_test_add_func ("/campaign/list-runs/matches-runs-csv", test_list_runs_matches_runs_csv);
  g_test_add_func ("/campaign/compare/paired-or-welch", test_compare_paired_or_welch);
  for (guint i = 0; i < G_N_ELEMENTS (compare_cases); i++)
    g_test_add_data_func (compare_cases[i].path, &compare_cases[i], test_compare_cases);
  for (guint i = 0; i < G_N_ELEMENTS (sweep_cases); i++)
    g_test_add_data_func (sweep_cases[i].path, &sweep_cases[i], test_sweep_case);
  g_test_add_func ("/campaign/sweep/zip-constraint-roundtrip", test_zip_constraint_roundtrip);
  g_test_add_func ("/campaign/seeds/per-replication", test_seeds_per_replication);
  g_test_add_func ("/campaign/mpi/against-j2", test_mpi_against_j2);
  g_test_add_func ("/campaign/mpi/mpirun-without-mpi-refused", test_mpirun_without_mpi_refused);
  return g_test_run ();
}
