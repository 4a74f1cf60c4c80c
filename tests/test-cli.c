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
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

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
  g_autofree char *out = NULL, *err = NULL, *segments = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GError) error = NULL;
  guint packets = 0, sends = 0, syns = 0, data = 0;
  int status;
  Result r = { 0 };

  if (tshark == NULL) {
    g_test_skip ("tshark is not installed (Debian package tshark)");
    return;
  }
  argv[0] = tshark;
  run_synack (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out,
                               &err, &status, &error));
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++) {
    g_auto (GStrv) f = NULL;

    if (lines[i][0] == '\0')
      continue;
    f = g_strsplit (lines[i], "\t", -1);
    g_assert_cmpuint (g_strv_length (f), ==, 6);
    g_assert_cmpstr (f[4], ==, "1");   /* IPv4 checksum: good */
    g_assert_cmpstr (f[5], ==, "1");   /* TCP checksum: good */
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

/* Every config key INTERFACE.md names appears in the man page. */
static void
test_man_page_keys (void)
{
  static const char *const keys[] = {
    "name", "protocol", "profile", "replications", "seed", "until", "trace", "sample",
    "connections", "clients", "arrival", "rate", "ports", "hold", "closer",
    "delay", "loss", "duplicate", "duplicate.lag", "loss.only", "loss.p", "loss.r", "loss.good",
    "loss.bad", "loss.drop", "delay.base", "delay.mean", "delay.sd", "delay.min", "delay.max",
    "delay.shape", "delay.scale",
    "rto_initial", "rto_max", "rto_backoff", "syn_retries", "syn_linear_timeouts",
    "synack_retries", "fin_retries", "msl", "time_wait", "fin_wait2_timeout", "isn", "backlog",
    "[sweep]", "[link.forward]", "[link.reverse]", "SYNACK_PLUGIN_PATH",
  };
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
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    if (strstr (plain, keys[i]) == NULL)
      g_error ("doc/synack.1 does not mention %s", keys[i]);
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
  g_test_add_func ("/cli/run/resume-truncated", test_resume_truncated);
  g_test_add_func ("/cli/run/resume-after-sigint", test_resume_after_sigint);
  g_test_add_func ("/cli/run/other-experiment-refused", test_other_experiment_refused);
  g_test_add_func ("/cli/run/single-run-matches-batch", test_single_run_matches_batch);
  g_test_add_func ("/cli/run/pcap-tshark", test_pcap_tshark);
  g_test_add_func ("/cli/doc/man-page-keys", test_man_page_keys);

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
