/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-explore.c - the invariant explorer (issue 9, item 2).
 *
 * A seeded generator writes random valid configs over the whole key space,
 * weighted toward the edges (loss 0, 1, 0.999999 and 0.000001 in either
 * direction, every loss and delay model, delay 0, one connection, one
 * client, one port, a 1 ms `until`, both protocols, every profile, floods,
 * list losses, duplicates with long lags, TIME_WAIT 0, small sweeps).  Each
 * config is run by the `synack` program with -j 1 and with -j 2, and
 * every result is checked against invariants that hold whatever the
 * config:
 *  - synack exits 0, with no sanitizer report, GLib critical or GError
 *    set twice on stderr (a run over its budget may fail with exit 1 and
 *    "run failed": counted and listed, not a failure);
 *  - -j 1 and -j 2 write byte-identical results directories;
 *  - in every runs.csv row the outcome classes sum to the attempts (each
 *    attempt is classified once, core/network/oracle.c synack_oracle_finish());
 *  - the latency samples of a run (samples/P-R.bin) are the attempts
 *    whose client reached ESTABLISHED from its own segment (the oracle's
 *    client_est_ns): at least `established`, at most the attempts not
 *    `failed`, exactly `established` when no attempt is in another
 *    non-failed class; summary.csv's handshake_s_samples is their sum
 *    over the point, and the handshake cells are empty exactly when a run
 *    has no sample;
 *  - every metric cell is a finite number, or empty where it does not
 *    apply (latency with no sample, teardown with no close);
 *  - every line of the states trace is an edge of RFC 9293's state
 *    diagram (section 3.3.2, Figure 5, and the edges its text adds), or of
 *    the 2-way model's (the design comment of models/protocol-tcp2way.c);
 *    each end leaves the state it last entered, no state is left by more
 *    ends than entered it, and the most in TIME_WAIT is time_wait_peak;
 *  - metrics agree with each other and with the traces: success_rate,
 *    percentiles in order, sim_time_s <= until, sends and drops of the
 *    segments trace and pcap records against segments_sent and _lost;
 *  - summary.csv is the mean, CI and pooled rate of its runs;
 *  - one config in three: its last run alone (--point, --replication)
 *    gives the batch's row; another one in three: its keys given as
 *    --set options give the same results directory.
 *
 * SYNACK_EXPLORE_SEED (default 9) and SYNACK_EXPLORE_N (default 150) choose
 * the configs; SYNACK_EXPLORE_INDEX=I runs config I alone.  Every failure
 * prints its seed, index and config text; a minimised failing config
 * becomes a row of regression_cases.  `make check-long` runs 20 000. */
#include <glib.h>
#include <glib/gstdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#define DEFAULT_SEED 9
#define DEFAULT_N 150
/* a run of a config this small takes milliseconds; one that takes this
 * long is runaway (see the timeout class below) */
#define RUN_TIMEOUT_S "120"

static char *synack_bin;

/* ---- the generator ----------------------------------------------------------- */

/* One of the NULL-terminated @choices, uniformly: lists repeat the edge
 * values they want weighted. */
static const char *
pick (GRand *r, const char *const *choices)
{
  guint n = g_strv_length ((char **) choices);

  return choices[g_rand_int_range (r, 0, (gint32) n)];
}

static gboolean
chance (GRand *r, double p)
{
  return g_rand_double (r) < p;
}

#define PICK(r, ...) pick ((r), (const char *const[]) { __VA_ARGS__, NULL })

/* A probability: the edges 0, 1, 1 - 1e-6, 1e-6 half the time. */
static char *
probability (GRand *r)
{
  if (chance (r, 0.5))
    return g_strdup (PICK (r, "0", "1", "0.999999", "0.000001"));
  return g_strdup_printf ("%.4f", g_rand_double (r));
}

static void
gen_loss (GRand *r, GString *s)
{
  const char *model = PICK (r, "none", "bernoulli", "bernoulli", "gilbert-elliott", "list");
  g_autofree char *p = NULL;

  g_string_append_printf (s, "loss = %s\n", model);
  if (strcmp (model, "bernoulli") == 0) {
    p = probability (r);
    g_string_append_printf (s, "loss.p = %s\n", p);
  } else if (strcmp (model, "gilbert-elliott") == 0) {
    const char *keys[] = { "p", "r", "good", "bad" };

    for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
      if (chance (r, 0.7)) {
        g_autofree char *v = probability (r);

        g_string_append_printf (s, "loss.%s = %s\n", keys[i], v);
      }
  } else if (strcmp (model, "list") == 0) {
    g_string_append (s, "loss.drop =");
    for (guint i = 0, n = g_rand_int_range (r, 1, 5); i < n; i++)
      g_string_append_printf (s, " %s#%d",
                              PICK (r, "SYN", "SYN,ACK", "ACK", "FIN,ACK", "RST", "RST,ACK",
                                    "", ""),
                              g_rand_int_range (r, 1, 8));
    g_string_append_c (s, '\n');
  }
  if (strcmp (model, "none") != 0 && chance (r, 0.2))
    g_string_append_printf (s, "loss.only = %s\n",
                            PICK (r, "SYN", "SYN SYN,ACK", "ACK", "FIN,ACK", "FIN,ACK ACK"));
}

static void
gen_delay (GRand *r, GString *s)
{
  const char *model = PICK (r, "constant", "constant", "uniform", "normal", "exponential",
                            "pareto", "lognormal");

  g_string_append_printf (s, "delay = %s\n", model);
  if (chance (r, 0.8))
    g_string_append_printf (s, "delay.base = %s\n",
                            PICK (r, "0s", "0s", "1ns", "1ms", "10ms", "25ms", "2s"));
  if (strcmp (model, "uniform") == 0) {
    /* min <= max: create() refuses the other order */
    const char *const steps[] = { "0s", "1ns", "1ms", "10ms", "1s" };
    guint a = g_rand_int_range (r, 0, 5), b = g_rand_int_range (r, 0, 5);

    g_string_append_printf (s, "delay.min = %s\ndelay.max = %s\n", steps[MIN (a, b)],
                            steps[MAX (a, b)]);
  } else if (strcmp (model, "normal") == 0 || strcmp (model, "lognormal") == 0) {
    /* a lognormal needs mean > 0 when sd > 0 */
    g_string_append_printf (s, "delay.mean = %s\n",
                            model[0] == 'l' ? PICK (r, "1ns", "1ms", "5ms", "1s")
                                            : PICK (r, "0s", "1ns", "5ms", "1s"));
    g_string_append_printf (s, "delay.sd = %s\n", PICK (r, "0s", "1ns", "3ms", "1s"));
  } else if (strcmp (model, "exponential") == 0) {
    g_string_append_printf (s, "delay.mean = %s\n", PICK (r, "0s", "1ns", "5ms", "1s"));
  } else if (strcmp (model, "pareto") == 0) {
    g_string_append_printf (s, "delay.shape = %s\n", PICK (r, "0.01", "0.5", "1", "1.5", "100"));
    g_string_append_printf (s, "delay.scale = %s\n", PICK (r, "0s", "1ns", "1ms", "100ms"));
  }
}

static void
gen_link_section (GRand *r, GString *s, const char *section, gboolean all)
{
  g_string_append_printf (s, "[%s]\n", section);
  if (all || chance (r, 0.6))
    gen_loss (r, s);
  if (all || chance (r, 0.5))
    gen_delay (r, s);
  if (chance (r, all ? 0.3 : 0.15)) {
    g_autofree char *d = chance (r, 0.5) ? g_strdup (PICK (r, "0", "1", "0.5", "0.000001"))
                                         : probability (r);

    g_string_append_printf (s, "duplicate = %s\n", d);
    g_string_append_printf (s, "duplicate.lag = %s\n",
                            PICK (r, "0s", "1ms", "100ms", "10s", "90s", "5m", "1h"));
  }
  if (chance (r, 0.2))
    g_string_append_printf (s, "reorder = %s\n", PICK (r, "true", "false"));
}

/* Writes one config; the seed of the generator decides everything. */
static char *
gen_config (GRand *r)
{
  GString *s = g_string_new ("# generated by tests/test-explore.c\n[experiment]\nname = explore\n");
  const char *until = PICK (r, "1ms", "1ms", "50ms", "1s", "30s", "5m", "10m", "1h");
  gboolean bernoulli_link;
  guint n_sweeps, reps = g_rand_int_range (r, 1, 4);

  /* text that must reach figure titles and config.ini unharmed */
  if (chance (r, 0.1))
    g_string_append_printf (s, "description = %s\n",
                            PICK (r, "a \"quoted\" `tick` @var 100 %", "\xce\xb4 = 0.5",
                                  "semi; colon, comma"));
  /* tcp2way-isn follows tcp2way's state diagram, tcpfastopen tcp3way's */
  g_string_append_printf (s, "protocol = %s\n",
                          PICK (r, "tcp3way", "tcp3way", "tcp2way", "tcpfastopen",
                                "tcp2way-isn"));
  g_string_append_printf (s, "profile = %s\n", PICK (r, "rfc9293", "linux", "rfc2988"));
  g_string_append_printf (s, "replications = %u\n", reps);
  g_string_append_printf (s, "seed = %u\n", g_rand_int (r));
  g_string_append_printf (s, "until = %s\n", until);
  {
    g_autoptr (GPtrArray) t = g_ptr_array_new ();

    if (chance (r, 0.85))
      g_ptr_array_add (t, "states");
    if (chance (r, 0.4))
      g_ptr_array_add (t, "segments");
    if (chance (r, 0.3))
      g_ptr_array_add (t, "occupancy");
    if (chance (r, 0.1))
      g_ptr_array_add (t, "pcap");
    g_ptr_array_add (t, NULL);
    if (t->len > 1) {
      g_autofree char *list = g_strjoinv (", ", (char **) t->pdata);

      g_string_append_printf (s, "trace = %s\n", list);
    }
    /* a short sample interval only with a short run: the occupancy trace
     * has until / sample rows */
    if (chance (r, 0.3))
      g_string_append_printf (s, "sample = %s\n",
                              strcmp (until, "1h") == 0 || strcmp (until, "10m") == 0
                              || strcmp (until, "5m") == 0 ? PICK (r, "1s", "10s")
                                                           : PICK (r, "1ms", "100ms", "1s"));
  }

  g_string_append (s, "[workload]\n");
  g_string_append_printf (s, "connections = %s\n",
                          PICK (r, "1", "1", "2", "3", "7", "20", "60"));
  /* 65535 clients cost 0.2 s a run (every client's links are made up
   * front): rarely */
  if (chance (r, 0.02))
    g_string_append (s, "clients = 65535\n");
  else if (chance (r, 0.8))
    g_string_append_printf (s, "clients = %s\n", PICK (r, "1", "1", "2", "5", "1000"));
  if (chance (r, 0.7))
    g_string_append_printf (s, "arrival = %s\n", PICK (r, "poisson", "uniform", "burst"));
  if (chance (r, 0.7))
    g_string_append_printf (s, "rate = %s\n", PICK (r, "1/s", "10/s", "100/s", "100000/s",
                                                    "5/m"));
  if (chance (r, 0.4))
    g_string_append_printf (s, "ports = %s\n", PICK (r, "1", "1", "2", "28232"));
  if (chance (r, 0.6))
    g_string_append_printf (s, "hold = %s\n", PICK (r, "0s", "0s", "1ms", "1s", "30s", "1h"));
  if (chance (r, 0.6))
    g_string_append_printf (s, "closer = %s\n",
                            PICK (r, "client", "server", "simultaneous", "none"));
  if (chance (r, 0.2))
    g_string_append_printf (s, "request = %s\n", PICK (r, "0", "1", "65535"));
  if (chance (r, 0.15)) {
    g_string_append_printf (s, "flood_rate = %s\n", PICK (r, "0/s", "5/s", "100/s"));
    g_string_append_printf (s, "flood_hosts = %s\n", PICK (r, "1", "100", "65535"));
  }

  gen_link_section (r, s, "link", TRUE);
  bernoulli_link = strstr (s->str, "[link]\nloss = bernoulli\n") != NULL;
  if (chance (r, 0.3))
    gen_link_section (r, s, "link.forward", FALSE);
  if (chance (r, 0.3))
    gen_link_section (r, s, "link.reverse", FALSE);

  g_string_append (s, "[tcp]\n");
  if (chance (r, 0.3))
    g_string_append_printf (s, "time_wait = %s\n",
                            PICK (r, "0s", "0s", "1ms", "1s", "60s", "1h"));
  if (chance (r, 0.4))
    g_string_append_printf (s, "isn = %s\n", PICK (r, "random", "rfc6528", "zero"));
  if (chance (r, 0.2))
    g_string_append_printf (s, "backlog = %s\n", PICK (r, "0", "1", "2", "16"));
  if (chance (r, 0.15))
    g_string_append_printf (s, "syn_retries = %s\n", PICK (r, "0", "1", "3"));
  if (chance (r, 0.15))
    g_string_append_printf (s, "synack_retries = %s\n", PICK (r, "0", "1", "3"));
  if (chance (r, 0.15))
    g_string_append_printf (s, "fin_retries = %s\n", PICK (r, "0", "1", "3"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "syn_linear_timeouts = %s\n", PICK (r, "0", "2"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "rto_initial = %s\n", PICK (r, "1ms", "200ms", "3s"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "rto_backoff = %s\n", PICK (r, "1", "16"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "fin_wait2_timeout = %s\n", PICK (r, "0s", "1ms", "5s"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "msl = %s\n", PICK (r, "0s", "1s", "30s"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "synack_on_dup_syn = %s\n", PICK (r, "true", "false"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "rto_min = %s\n", PICK (r, "1ms", "200ms", "1s"));
  if (chance (r, 0.1))
    g_string_append_printf (s, "rto_max = %s\n", PICK (r, "1ms", "1s", "120s"));
  if (chance (r, 0.05))
    g_string_append_printf (s, "window = %s\n", PICK (r, "1", "65535"));
  if (chance (r, 0.05))
    g_string_append_printf (s, "server_port = %s\n", PICK (r, "1", "32768", "65535"));

  /* a small sweep: at most 2 keys of at most 3 values, always valid
   * whatever the models chosen above */
  n_sweeps = chance (r, 0.35) ? g_rand_int_range (r, 1, 3) : 0;
  if (n_sweeps > 0) {
    const char *const keys[] = {
      "experiment.protocol = tcp2way, tcp3way, tcp2way-isn, tcpfastopen",
      "experiment.profile = rfc9293, linux, rfc2988",
      "tcp.isn = random, rfc6528, zero",
      "workload.closer = client, server, simultaneous",
      "tcp.time_wait = 0s, 1s",
      "link.duplicate = 0, 1",
      "workload.connections = 1, 2",
      "workload.rate = 1/s, 1000/s",
      "link.loss.p = 0:0.5:1",
      "link.loss.p = 0, 0.999999, 1",
      "link.reverse.duplicate = 0, 0.5",
      "workload.ports = 1, 2",
      "tcp.backlog = 1, 0",
      "workload.arrival = burst, uniform",
      "tcp.fin_retries = 0, 1",
    };
    guint first = g_rand_int_range (r, 0, G_N_ELEMENTS (keys));

    g_string_append (s, "[sweep]\n");
    for (guint i = 0; i < n_sweeps; i++) {
      guint k = (first + i * 3) % G_N_ELEMENTS (keys);

      if (g_str_has_prefix (keys[k], "link.loss.p") && !bernoulli_link)
        continue;
      g_string_append_printf (s, "%s\n", keys[k]);
    }
  }
  return g_string_free (s, FALSE);
}

/* ---- running ----------------------------------------------------------------- */

typedef enum {
  F_EXIT,            /* exit status other than 0 (and 1 "run failed") */
  F_CRASH,           /* killed by a signal, or exit >= 128 */
  F_TIMEOUT,         /* still running after RUN_TIMEOUT_S */
  F_STDERR,          /* a sanitizer report or a GLib critical/warning */
  F_NONDETERMINISTIC,
  F_FORMAT,          /* a missing file, a row of the wrong width */
  F_SUM,             /* outcome classes do not sum to the attempts */
  F_SAMPLES,
  F_NONFINITE,
  F_EDGE,            /* a states-trace line that is no edge of the diagram */
  F_METRIC,          /* metrics that contradict each other */
  F_N
} FailClass;

static const char *const fail_names[F_N] = {
  "exit", "crash", "timeout", "stderr", "nondeterministic", "format", "sum", "samples",
  "nonfinite", "edge", "metric",
};

typedef struct {
  guint    counts[F_N];
  guint    run_failed;   /* exit 1 "run failed": a breached run budget */
  guint    configs;
} Tally;

/* Runs synack under timeout(1); returns its exit status, 128 + N for a
 * signal N, 124 on timeout. */
static int
run_synack (const char *const *args, char **err)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, "timeout");
  g_ptr_array_add (argv, "-k");
  g_ptr_array_add (argv, "5");
  g_ptr_array_add (argv, RUN_TIMEOUT_S);
  g_ptr_array_add (argv, synack_bin);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL,
                G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, err,
                &wait_status, &error);
  g_assert_no_error (error);
  if (WIFSIGNALED (wait_status))
    return 128 + WTERMSIG (wait_status);
  return WEXITSTATUS (wait_status);
}

static void
remove_tree (const char *path)
{
  g_autoptr (GDir) d = NULL;
  const char *name;

  if (!g_file_test (path, G_FILE_TEST_IS_DIR) || g_file_test (path, G_FILE_TEST_IS_SYMLINK)) {
    g_unlink (path);
    return;
  }
  d = g_dir_open (path, 0, NULL);
  while (d && (name = g_dir_read_name (d))) {
    g_autofree char *sub = g_build_filename (path, name, NULL);

    remove_tree (sub);
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
    else
      g_ptr_array_add (into, g_steal_pointer (&sub));
  }
}

static gint
compare_strings (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *) a, *(char *const *) b);
}

/* TRUE if file @rel differs between the trees @a and @b (or is missing). */
static gboolean
tree_file_differs (const char *a, const char *b, const char *rel)
{
  g_autofree char *pa = g_build_filename (a, rel, NULL);
  g_autofree char *pb = g_build_filename (b, rel, NULL);
  g_autofree char *ca = NULL, *cb = NULL;
  gsize la, lb;

  return !g_file_get_contents (pa, &ca, &la, NULL) || !g_file_get_contents (pb, &cb, &lb, NULL)
         || la != lb || memcmp (ca, cb, la) != 0;
}

/* NULL if @a and @b hold the same files byte for byte, else what differs. */
static char *
tree_difference (const char *a, const char *b)
{
  g_autoptr (GPtrArray) fa = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) fb = g_ptr_array_new_with_free_func (g_free);

  collect_files (a, "", fa);
  collect_files (b, "", fb);
  g_ptr_array_sort (fa, compare_strings);
  g_ptr_array_sort (fb, compare_strings);
  for (guint i = 0; i < MAX (fa->len, fb->len); i++) {
    g_autofree char *pa = NULL, *pb = NULL, *ca = NULL, *cb = NULL;
    gsize la = 0, lb = 0;

    if (i >= fa->len || i >= fb->len || strcmp (fa->pdata[i], fb->pdata[i]) != 0)
      return g_strdup_printf ("%s and %s hold different files (%s)", a, b,
                              (char *) (i < fa->len ? fa->pdata[i] : fb->pdata[i]));
    pa = g_build_filename (a, fa->pdata[i], NULL);
    pb = g_build_filename (b, fb->pdata[i], NULL);
    g_file_get_contents (pa, &ca, &la, NULL);
    g_file_get_contents (pb, &cb, &lb, NULL);
    if (la != lb || (la > 0 && memcmp (ca, cb, la) != 0))
      return g_strdup_printf ("%s differs between %s and %s", (char *) fa->pdata[i], a, b);
  }
  return NULL;
}

/* ---- checking ---------------------------------------------------------------- */

/* The checks of one config collect their failures here. */
typedef struct {
  GString *why;
  guint    classes;    /* bit per FailClass */
} Verdict;

static void G_GNUC_PRINTF (3, 4)
fail (Verdict *v, FailClass c, const char *fmt, ...)
{
  va_list ap;

  v->classes |= 1u << c;
  if (v->why->len > 4000)   /* one bug tends to fail every row */
    return;
  g_string_append_printf (v->why, "  [%s] ", fail_names[c]);
  va_start (ap, fmt);
  g_string_append_vprintf (v->why, fmt, ap);
  va_end (ap);
  g_string_append_c (v->why, '\n');
}

/* A CSV file as rows of cells.  The files checked here quote only the
 * last cell of a states trace, which is read apart. */
static GPtrArray *
read_csv (const char *dir, const char *name)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  GPtrArray *rows;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_ptr_array_add (rows, g_strsplit (lines[i], ",", -1));
  return rows;
}

static int
column (char **header, const char *name)
{
  for (int i = 0; header[i] != NULL; i++)
    if (strcmp (header[i], name) == 0)
      return i;
  return -1;
}

static gboolean
parse_number (const char *cell, double *out)
{
  char *end;

  if (cell[0] == '\0')
    return FALSE;
  *out = g_ascii_strtod (cell, &end);
  return *end == '\0';
}

/* The outcome classes of core/network/metrics.c (kind OUTCOME); `unfinished` is
 * being added by another part of issue 9: whichever the header has. */
static const char *const outcome_classes[] = {
  "established", "failed", "half_open", "duplicate", "ghost", "reset", "unfinished", NULL
};

/* Cells that may be empty (NAN): the handshake statistics of a run with no
 * latency sample, the teardown of a run where no close completed, the
 * success rate of a run with no finished attempt (check_consistency()
 * says when). */
static gboolean
may_be_empty (const char *name)
{
  return g_str_has_prefix (name, "handshake_") || g_str_has_prefix (name, "teardown_")
         || strcmp (name, "success_rate") == 0
         /* columns main gained meanwhile: the request latency of a run
          * where the server executed nothing, the loss rate of a
          * direction nothing was sent on */
         || g_str_has_prefix (name, "request_") || g_str_has_prefix (name, "loss_");
}

/* ---- the state diagrams -------------------------------------------------------- */

enum { P3 = 1, P2 = 2 };   /* tcp3way, tcp2way */
enum { TRACE_SEGMENTS = 1, TRACE_PCAP = 2 };

typedef struct {
  const char *from, *to;
  guint       protocols;
  const char *why;
} Edge;

/* RFC 9293 section 3.3.2, Figure 5, and the transitions its text adds.
 * CLOSED -> LISTEN and LISTEN -> SYN_SENT never show: a server slot starts
 * in LISTEN and the listener never sends. */
static const Edge edges[] = {
  /* Figure 5 */
  { "CLOSED", "SYN_SENT", P3 | P2, "active OPEN, snd SYN" },
  { "LISTEN", "SYN_RECEIVED", P3, "rcv SYN, snd SYN,ACK" },
  { "SYN_SENT", "SYN_RECEIVED", P3, "rcv SYN: simultaneous open" },
  { "SYN_SENT", "ESTABLISHED", P3 | P2, "rcv SYN,ACK (2-way: any ACK)" },
  { "SYN_SENT", "CLOSED", P3 | P2, "CLOSE; 3.10.7.3 acceptable RST; R2 timeout" },
  { "SYN_RECEIVED", "ESTABLISHED", P3, "rcv ACK of SYN" },
  { "SYN_RECEIVED", "FIN_WAIT_1", P3, "CLOSE, snd FIN" },
  { "ESTABLISHED", "FIN_WAIT_1", P3 | P2, "CLOSE, snd FIN" },
  { "ESTABLISHED", "CLOSE_WAIT", P3 | P2, "rcv FIN, snd ACK" },
  { "FIN_WAIT_1", "FIN_WAIT_2", P3 | P2, "rcv ACK of FIN" },
  { "FIN_WAIT_1", "CLOSING", P3 | P2, "rcv FIN, snd ACK" },
  { "FIN_WAIT_2", "TIME_WAIT", P3 | P2, "rcv FIN, snd ACK" },
  { "CLOSE_WAIT", "LAST_ACK", P3 | P2, "CLOSE, snd FIN" },
  { "CLOSING", "TIME_WAIT", P3 | P2, "rcv ACK of FIN" },
  { "LAST_ACK", "CLOSED", P3 | P2, "rcv ACK of FIN; also RST, fin_retries out" },
  { "TIME_WAIT", "CLOSED", P3 | P2, "timeout = 2 MSL" },
  /* 3.10.7.4, eighth step: FIN_WAIT_1 whose FIN is acked by the FIN */
  { "FIN_WAIT_1", "TIME_WAIT", P3 | P2, "rcv FIN,ACK acking our FIN" },
  /* 3.10.7.4, second step: RST in SYN_RECEIVED of a passive open */
  { "SYN_RECEIVED", "LISTEN", P3, "rcv RST: back to LISTEN" },
  /* 3.10.7.4 RST (all synchronized states), 3.8.3 R2 timeout, 3.10.4
   * CLOSE/ABORT: any state -> CLOSED */
  { "SYN_RECEIVED", "CLOSED", P3, "RST, synack_retries exhausted" },
  { "ESTABLISHED", "CLOSED", P3 | P2, "rcv RST; abort" },
  { "FIN_WAIT_1", "CLOSED", P3 | P2, "rcv RST; fin_retries exhausted" },
  { "FIN_WAIT_2", "CLOSED", P3 | P2, "rcv RST; fin_wait2_timeout (Linux tcp_fin_timeout)" },
  { "CLOSE_WAIT", "CLOSED", P3 | P2, "rcv RST" },
  { "CLOSING", "CLOSED", P3 | P2, "rcv RST; fin_retries exhausted" },
  /* RFC 1122 4.2.2.13 (RFC 9293 3.6.1 keeps it): a new SYN reopens TIME_WAIT */
  { "TIME_WAIT", "SYN_RECEIVED", P3, "rcv SYN with a higher seq" },
  /* RFC 4987 3.6, Linux cookie_v4_check(): an ACK with a valid SYN cookie */
  { "LISTEN", "ESTABLISHED", P3, "rcv ACK of a SYN cookie" },
  /* the 2-way model: every SYN at the server (re)opens the connection,
   * from whatever state its slot is in, and executes the request */
  { "LISTEN", "ESTABLISHED", P2, "rcv SYN" },
  { "ESTABLISHED", "ESTABLISHED", P2, "rcv SYN again: executes it again" },
  { "FIN_WAIT_1", "ESTABLISHED", P2, "rcv SYN" },
  { "FIN_WAIT_2", "ESTABLISHED", P2, "rcv SYN" },
  { "CLOSE_WAIT", "ESTABLISHED", P2, "rcv SYN" },
  { "CLOSING", "ESTABLISHED", P2, "rcv SYN" },
  { "LAST_ACK", "ESTABLISHED", P2, "rcv SYN" },
  { "TIME_WAIT", "ESTABLISHED", P2, "rcv SYN" },
};

/* "ignored rcv X", "backlog full" and "syncookie sent" lines record a
 * segment that changed nothing: from == to.  "deliver SYN data" (tcpfastopen) records the
 * server application getting a SYN's data in SYN_RECEIVED (RFC 7413
 * section 4.2.2): an event, not a transition. */
/* lines seen per edge and protocol, for the coverage report */
static guint64 edge_seen[G_N_ELEMENTS (edges)][2];

static gboolean
legal_edge (const char *from, const char *to, const char *cause, guint protocol)
{
  if ((g_str_has_prefix (cause, "ignored") || g_str_has_prefix (cause, "backlog")
       || strcmp (cause, "deliver SYN data") == 0 || strcmp (cause, "syncookie sent") == 0)
      && strcmp (from, to) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    if ((edges[i].protocols & protocol) && strcmp (edges[i].from, from) == 0
        && strcmp (edges[i].to, to) == 0) {
      edge_seen[i][protocol == P2]++;
      return TRUE;
    }
  return FALSE;
}

/* The edges of the table no trace has taken yet: what the generator has
 * not reached. */
static void
report_edges (void)
{
  g_autoptr (GString) s = g_string_new ("edges never seen:");

  for (guint i = 0; i < G_N_ELEMENTS (edges); i++)
    for (guint p = 0; p < 2; p++)
      if ((edges[i].protocols & (p ? P2 : P3)) && edge_seen[i][p] == 0)
        g_string_append_printf (s, " %s->%s(%s)", edges[i].from, edges[i].to,
                                p ? "2way" : "3way");
  g_test_message ("%s", s->str);
  g_printerr ("%s\n", s->str);
}

/* A server slot with no connection is CLOSED or LISTEN alike. */
static gboolean
no_connection (const char *state)
{
  return strcmp (state, "CLOSED") == 0 || strcmp (state, "LISTEN") == 0;
}

static void
check_states_trace (Verdict *v, const char *dir, const char *name, guint protocol,
                    double time_wait_peak)
{
  g_autofree char *path = g_build_filename (dir, "traces", name, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) last_to = NULL;   /* "conn,role" -> its state */
  /* endpoints in each state but LISTEN and CLOSED, which are not counted:
   * a server slot enters LISTEN untraced */
  g_autoptr (GHashTable) in_state = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                           NULL);
  guint bad = 0, tw_peak = 0;
  double last_time = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL)) {
    fail (v, F_FORMAT, "%s missing", name);
    return;
  }
  last_to = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  lines = g_strsplit (text, "\n", -1);
  if (g_strcmp0 (lines[0], "time_s,conn,host,role,from,to,cause") != 0)
    fail (v, F_FORMAT, "%s: header %s", name, lines[0]);
  for (guint i = 1; lines[i] != NULL && bad < 3; i++) {
    g_auto (GStrv) f = NULL;
    const char *cause;

    if (lines[i][0] == '\0')
      continue;
    f = g_strsplit (lines[i], ",", 7);
    if (g_strv_length (f) != 7) {
      fail (v, F_FORMAT, "%s:%u: %s", name, i + 1, lines[i]);
      bad++;
      continue;
    }
    if (g_ascii_strtod (f[0], NULL) < last_time) {
      fail (v, F_FORMAT, "%s:%u: time goes back to %s", name, i + 1, f[0]);
      bad++;
    }
    last_time = g_ascii_strtod (f[0], NULL);
    cause = f[6][0] == '"' ? f[6] + 1 : f[6];
    if (!legal_edge (f[4], f[5], cause, protocol)) {
      fail (v, F_EDGE, "%s:%u: %s -> %s (%s) is no edge of the %s diagram", name, i + 1,
            f[4], f[5], f[6], protocol == P3 ? "RFC 9293" : "2-way");
      bad++;
    }
    /* each attempt's end leaves the state it last entered, unless a SYN
     * gave its slot to another incarnation meanwhile: the listener takes
     * a slot with no connection (CLOSED -> LISTEN untraced; a SYN it
     * refuses on a full backlog reads LISTEN -> LISTEN, the slot staying
     * CLOSED), and a 2-way server re-opens any slot.  Conn 0 is the
     * flood's spoofed SYNs. */
    if (strcmp (f[1], "0") != 0) {
      g_autofree char *key = g_strdup_printf ("%s,%s", f[1], f[3]);
      const char *prev = g_hash_table_lookup (last_to, key);

      if (prev != NULL && strcmp (prev, f[4]) != 0
          && !(no_connection (prev) && no_connection (f[4]))
          && !(protocol == P2 && strcmp (f[5], "ESTABLISHED") == 0
               && g_str_has_prefix (cause, "rcv SYN"))) {
        fail (v, F_EDGE, "%s:%u: conn %s %s leaves %s, but its last state was %s", name,
              i + 1, f[1], f[3], f[4], prev);
        bad++;
      }
      g_hash_table_replace (last_to, g_steal_pointer (&key), g_strdup (f[5]));
    }
    if (strcmp (f[4], f[5]) != 0) {
      gint from_n = GPOINTER_TO_INT (g_hash_table_lookup (in_state, f[4]));
      gint to_n = GPOINTER_TO_INT (g_hash_table_lookup (in_state, f[5]));

      if (strcmp (f[4], "LISTEN") != 0 && strcmp (f[4], "CLOSED") != 0) {
        if (from_n <= 0) {
          fail (v, F_EDGE, "%s:%u: leaves %s, where no endpoint is", name, i + 1, f[4]);
          bad++;
        }
        g_hash_table_replace (in_state, g_strdup (f[4]), GINT_TO_POINTER (from_n - 1));
      }
      if (strcmp (f[5], "LISTEN") != 0 && strcmp (f[5], "CLOSED") != 0)
        g_hash_table_replace (in_state, g_strdup (f[5]), GINT_TO_POINTER (to_n + 1));
      if (strcmp (f[5], "TIME_WAIT") == 0)
        tw_peak = MAX (tw_peak, (guint) to_n + 1);
    }
  }
  /* time_wait_peak: most connections in TIME_WAIT at once */
  if (bad == 0 && tw_peak != time_wait_peak)
    fail (v, F_METRIC, "%s: %u in TIME_WAIT at most, time_wait_peak %g", name, tw_peak,
          time_wait_peak);
}

/* The value of metric @name in @row; NAN when empty or absent. */
static double
cell (char **h, char **row, const char *name)
{
  int c = column (h, name);
  double x;

  return c >= 0 && parse_number (row[c], &x) ? x : NAN;
}

/* Splits one line of a trace at its commas, a quoted cell ("SYN,ACK")
 * kept whole without its quotes.  (transfer full) */
static GStrv
split_cells (const char *line)
{
  GPtrArray *cells = g_ptr_array_new ();
  GString *cell = g_string_new (NULL);
  gboolean quoted = FALSE;

  for (const char *p = line;; p++) {
    if (*p == '"')
      quoted = !quoted;
    else if ((*p == ',' && !quoted) || *p == '\0') {
      g_ptr_array_add (cells, g_strdup (cell->str));
      g_string_truncate (cell, 0);
      if (*p == '\0')
        break;
    } else
      g_string_append_c (cell, *p);
  }
  g_string_free (cell, TRUE);
  g_ptr_array_add (cells, NULL);
  return (GStrv) g_ptr_array_free (cells, FALSE);
}

/* The segments trace against the run's metrics (core/network/link.c,
 * synack_link_send(): every segment an endpoint sends is counted and traced
 * "send", every loss counted and traced "drop"): the counts agree, time never goes
 * back, and a segment id is delivered at most once, never before it was
 * sent or duplicated. */
static void
check_segments_trace (Verdict *v, const char *dir, char **h, char **row)
{
  g_autofree char *name = g_strdup_printf ("%s-%s-segments.csv", row[0], row[1]);
  g_autofree char *path = g_build_filename (dir, "traces", name, NULL);
  g_autofree char *text = NULL;
  g_auto (GStrv) lines = NULL;
  g_autoptr (GHashTable) born = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr (GHashTable) delivered = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                            NULL);
  double sends = 0, drops = 0, syns = 0, synacks = 0, last_time = 0;
  guint bad = 0;

  if (!g_file_get_contents (path, &text, NULL, NULL)) {
    fail (v, F_FORMAT, "%s missing", name);
    return;
  }
  lines = g_strsplit (text, "\n", -1);
  if (g_strcmp0 (lines[0], "time_s,conn,src,dst,event,flags,seq,ack,len,id,retrans") != 0)
    fail (v, F_FORMAT, "%s: header %s", name, lines[0]);
  for (guint i = 1; lines[i] != NULL && bad < 3; i++) {
    g_auto (GStrv) f = NULL;
    double t;

    if (lines[i][0] == '\0')
      continue;
    f = split_cells (lines[i]);
    if (g_strv_length (f) != 11) {
      fail (v, F_FORMAT, "%s:%u: %s", name, i + 1, lines[i]);
      bad++;
      continue;
    }
    t = g_ascii_strtod (f[0], NULL);
    if (t < last_time) {
      fail (v, F_FORMAT, "%s:%u: time goes back to %s", name, i + 1, f[0]);
      bad++;
    }
    last_time = t;
    if (strcmp (f[4], "send") == 0 || strcmp (f[4], "duplicate") == 0) {
      sends += f[4][0] == 's';
      syns += f[4][0] == 's' && strcmp (f[5], "SYN") == 0;
      synacks += f[4][0] == 's' && strcmp (f[5], "SYN,ACK") == 0;
      g_hash_table_replace (born, g_strdup (f[9]), g_strdup (f[0]));
    } else if (strcmp (f[4], "drop") == 0) {
      drops++;
    } else if (strcmp (f[4], "deliver") == 0) {
      if (!g_hash_table_contains (born, f[9]) || g_hash_table_contains (delivered, f[9])) {
        fail (v, F_METRIC, "%s:%u: segment %s delivered %s", name, i + 1, f[9],
              g_hash_table_contains (delivered, f[9]) ? "twice" : "but never sent");
        bad++;
      }
      g_hash_table_add (delivered, g_strdup (f[9]));
    } else {
      fail (v, F_FORMAT, "%s:%u: event %s", name, i + 1, f[4]);
      bad++;
    }
  }
  if (sends != cell (h, row, "segments_sent") || drops != cell (h, row, "segments_lost")
      || syns > cell (h, row, "syn_sent") || synacks > cell (h, row, "synack_sent"))
    fail (v, F_METRIC, "%s: %g sent, %g dropped, %g SYN, %g SYN,ACK; runs.csv %g, %g, %g, %g",
          name, sends, drops, syns, synacks, cell (h, row, "segments_sent"),
          cell (h, row, "segments_lost"), cell (h, row, "syn_sent"),
          cell (h, row, "synack_sent"));
}

/* traces/P-R.pcap has one record per segment an endpoint sent
 * (core/network/observe.c synack_observe_send() writes it where it counts
 * segments_sent). */
static void
check_pcap (Verdict *v, const char *dir, char **h, char **row)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.pcap", row[0], row[1]);
  g_autofree char *path = g_build_filename (dir, "traces", name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0, at = 24;
  guint32 magic = 0;
  double records = 0;

  if (!g_file_get_contents (path, &data, &len, NULL) || len < 24) {
    fail (v, F_FORMAT, "%s missing or without its header", name);
    return;
  }
  memcpy (&magic, data, 4);
  if (magic != 0xa1b23c4du) {
    fail (v, F_FORMAT, "%s: magic %08x", name, magic);
    return;
  }
  while (at + 16 <= len) {
    guint32 incl;

    memcpy (&incl, data + at + 8, 4);
    at += 16 + incl;
    records++;
  }
  if (at != len || records != cell (h, row, "segments_sent"))
    fail (v, F_METRIC, "%s: %g records (%" G_GSIZE_FORMAT " of %" G_GSIZE_FORMAT
          " bytes), segments_sent %g", name, records, at, len, cell (h, row, "segments_sent"));
}

/* ---- one config ---------------------------------------------------------------- */

/* Reads samples/P-R.bin: returns the number of samples, *@max and *@mean
 * set (0 when there is none). */
static gsize
count_samples (Verdict *v, const char *dir, const char *point, const char *rep, double *max,
               double *mean)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.bin", point, rep);
  g_autofree char *path = g_build_filename (dir, "samples", name, NULL);
  g_autofree char *data = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &data, &len, NULL)) {
    fail (v, F_FORMAT, "samples/%s missing", name);
    return 0;
  }
  if (len % sizeof (double) != 0)
    fail (v, F_FORMAT, "samples/%s: %" G_GSIZE_FORMAT " bytes", name, len);
  *max = *mean = 0;
  for (gsize i = 0; i + sizeof (double) <= len; i += sizeof (double)) {
    double d;

    memcpy (&d, data + i, sizeof d);
    if (!isfinite (d) || d < 0) {
      fail (v, F_NONFINITE, "samples/%s: sample %g", name, d);
      break;
    }
    *max = MAX (*max, d);
    *mean += d;
  }
  if (len >= sizeof (double))
    *mean /= (double) (len / sizeof (double));
  return len / sizeof (double);
}

/* |a - b| within the 9 significant digits runs.csv prints */
static gboolean
near (double a, double b)
{
  return fabs (a - b) <= 1e-8 * MAX (fabs (a), fabs (b)) + 1e-12;
}

/* Metrics that follow from each other (core/network/oracle.c, core/network/metrics.c). */
static void
check_consistency (Verdict *v, char **h, char **row, gsize n, double max, double mean,
                   double until_s)
{
  double attempts = cell (h, row, "attempts"), est = cell (h, row, "established");
  double p50 = cell (h, row, "handshake_p50_s"), p95 = cell (h, row, "handshake_p95_s");
  double p99 = cell (h, row, "handshake_p99_s"), hmax = cell (h, row, "handshake_max_s");
  double hmean = cell (h, row, "handshake_mean_s");
  double sent = cell (h, row, "segments_sent");
  const char *const parts[] = { "syn_sent", "synack_sent", "rst_sent", "fin_sent" };

  double unfinished = column (h, "unfinished") >= 0 ? cell (h, row, "unfinished") : 0;

  /* established / attempts (core/network/metrics.c); once attempts cut by until
   * are a class of their own, perhaps over the finished ones */
  if (!near (cell (h, row, "success_rate"), est / attempts)
      && !near (cell (h, row, "success_rate"), est / (attempts - unfinished))
      && !(isnan (cell (h, row, "success_rate")) && attempts == unfinished))
    fail (v, F_METRIC, "run %s-%s: success_rate %g, established/attempts %g", row[0], row[1],
          cell (h, row, "success_rate"), est / attempts);
  /* an attempt without a port is classified failed */
  if (cell (h, row, "ports_exhausted") > cell (h, row, "failed"))
    fail (v, F_METRIC, "run %s-%s: ports_exhausted %g > failed %g", row[0], row[1],
          cell (h, row, "ports_exhausted"), cell (h, row, "failed"));
  if (cell (h, row, "syn_retransmits") > cell (h, row, "syn_sent")
      || cell (h, row, "fin_retransmits") > cell (h, row, "fin_sent"))
    fail (v, F_METRIC, "run %s-%s: more retransmissions than segments sent", row[0], row[1]);
  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (cell (h, row, parts[i]) > sent)
      fail (v, F_METRIC, "run %s-%s: %s %g > segments_sent %g", row[0], row[1], parts[i],
            cell (h, row, parts[i]), sent);
  if (cell (h, row, "sim_time_s") > until_s * (1 + 1e-9))
    fail (v, F_METRIC, "run %s-%s: sim_time_s %g beyond until %g s", row[0], row[1],
          cell (h, row, "sim_time_s"), until_s);
  /* when runs.csv counts them itself */
  if (column (h, "handshake_samples") >= 0 && cell (h, row, "handshake_samples") != (double) n)
    fail (v, F_SAMPLES, "run %s-%s: handshake_samples %g, samples file %" G_GSIZE_FORMAT,
          row[0], row[1], cell (h, row, "handshake_samples"), n);
  if (column (h, "request_samples") >= 0
      && (cell (h, row, "request_samples") == 0) != isnan (cell (h, row, "request_mean_s")))
    fail (v, F_SAMPLES, "run %s-%s: request_samples %g, request_mean_s %g", row[0], row[1],
          cell (h, row, "request_samples"), cell (h, row, "request_mean_s"));
  if (n == 0)
    return;
  if (!(p50 <= p95 && p95 <= p99 && p99 <= hmax && hmean <= hmax * (1 + 1e-8)))
    fail (v, F_METRIC, "run %s-%s: handshake mean %g p50 %g p95 %g p99 %g max %g out of order",
          row[0], row[1], hmean, p50, p95, p99, hmax);
  if (!near (hmax, max) || fabs (hmean - mean) > 1e-8 * hmax + 1e-12)
    fail (v, F_METRIC, "run %s-%s: handshake_max_s %g mean %g, samples' %g %g", row[0], row[1],
          hmax, hmean, max, mean);
}

/* Summary row of @point against the runs.csv rows it summarises
 * (experiments/runner.c write_summary()): `runs` counts them; every
 * M_mean is the mean of the runs' non-empty M, inside [M_ci95_lo,
 * M_ci95_hi]; every class rate is pooled (sum of the class over sum of
 * attempts), inside its Wilson interval, itself inside [0, 1]. */
static void
check_summary_row (Verdict *v, GPtrArray *runs, char **sh, char **srow, guint point)
{
  char **h = runs->pdata[0];
  int c_att = column (h, "attempts");
  guint n_runs = 0;
  double attempts = 0;

  for (guint i = 1; i < runs->len; i++)
    if (g_ascii_strtoull (((char **) runs->pdata[i])[0], NULL, 10) == point) {
      n_runs++;
      attempts += g_ascii_strtod (((char **) runs->pdata[i])[c_att], NULL);
    }
  if (n_runs != cell (sh, srow, "runs"))
    fail (v, F_METRIC, "summary point %u: runs %s, runs.csv has %u", point,
          srow[column (sh, "runs")], n_runs);
  for (int c = c_att; c >= 0 && h[c] != NULL; c++) {
    g_autofree char *mean_name = g_strconcat (h[c], "_mean", NULL);
    g_autofree char *lo_name = g_strconcat (h[c], "_ci95_lo", NULL);
    g_autofree char *hi_name = g_strconcat (h[c], "_ci95_hi", NULL);
    g_autofree char *rate_name = g_strconcat (h[c], "_rate", NULL);
    g_autofree char *rlo_name = g_strconcat (h[c], "_rate_ci95_lo", NULL);
    g_autofree char *rhi_name = g_strconcat (h[c], "_rate_ci95_hi", NULL);
    double sum = 0, mean = cell (sh, srow, mean_name), rate = cell (sh, srow, rate_name);
    double lo = cell (sh, srow, lo_name), hi = cell (sh, srow, hi_name);
    guint n = 0;

    if (column (sh, mean_name) < 0)
      continue;
    for (guint i = 1; i < runs->len; i++) {
      char **row = runs->pdata[i];
      double x;

      if (g_ascii_strtoull (row[0], NULL, 10) == point && parse_number (row[c], &x))
        sum += x, n++;
    }
    if (n == 0 ? !isnan (mean) : !(fabs (mean - sum / n) <= 1e-7 * fabs (mean) + 1e-12))
      fail (v, F_METRIC, "summary point %u: %s %g, mean of %u runs %g", point, mean_name,
            mean, n, sum / n);
    if (!isnan (lo) && !(lo <= mean * (1 + 1e-8) + 1e-12 && mean <= hi * (1 + 1e-8) + 1e-12))
      fail (v, F_METRIC, "summary point %u: %s %g outside [%g, %g]", point, mean_name, mean,
            lo, hi);
    if (column (sh, rate_name) >= 0) {
      double rlo = cell (sh, srow, rlo_name), rhi = cell (sh, srow, rhi_name);

      if (!near (rate, sum / attempts) || !(0 <= rlo && rlo <= rate * (1 + 1e-8) + 1e-12
                                            && rate <= rhi * (1 + 1e-8) + 1e-12 && rhi <= 1))
        fail (v, F_METRIC, "summary point %u: %s %g [%g, %g], pooled %g / %g", point,
              rate_name, rate, rlo, rhi, sum, attempts);
    }
  }
}

static void
check_runs (Verdict *v, const char *dir, guint default_protocol, double until_s, guint traces)
{
  g_autoptr (GPtrArray) runs = read_csv (dir, "runs.csv");
  g_autoptr (GPtrArray) summary = read_csv (dir, "summary.csv");
  g_autoptr (GArray) point_samples = g_array_new (FALSE, TRUE, sizeof (guint64));
  char **h;
  int c_attempts, c_failed, c_established, c_success, c_protocol, c_hmean;

  if (runs == NULL || runs->len < 2 || summary == NULL || summary->len < 2) {
    fail (v, F_FORMAT, "runs.csv or summary.csv missing or empty");
    return;
  }
  h = runs->pdata[0];
  c_attempts = column (h, "attempts");
  c_failed = column (h, "failed");
  c_established = column (h, "established");
  c_success = column (h, "success_rate");
  c_protocol = column (h, "experiment.protocol");
  c_hmean = column (h, "handshake_mean_s");
  if (c_attempts < 0 || c_failed < 0 || c_established < 0 || c_success < 0 || c_hmean < 0) {
    fail (v, F_FORMAT, "runs.csv header lacks a metric: %s", (char *) runs->pdata[0]);
    return;
  }
  for (guint i = 1; i < runs->len; i++) {
    char **row = runs->pdata[i];
    guint64 sum = 0, attempts, established, failed, others = 0;
    guint point;
    gsize n;
    guint protocol = default_protocol;
    double x, max = 0, mean = 0;

    if (g_strv_length (row) != g_strv_length (h)) {
      fail (v, F_FORMAT, "runs.csv row %u has %u cells, header %u", i, g_strv_length (row),
            g_strv_length (h));
      continue;
    }
    /* finite metrics; empty only where not applicable */
    for (int c = c_attempts; h[c] != NULL; c++)
      if (!parse_number (row[c], &x) ? row[c][0] != '\0' || !may_be_empty (h[c])
                                     : !isfinite (x) || x < 0)
        fail (v, F_NONFINITE, "runs.csv row %u: %s = \"%s\"", i, h[c], row[c]);
    for (guint k = 0; outcome_classes[k] != NULL; k++) {
      int c = column (h, outcome_classes[k]);

      if (c >= 0) {
        guint64 n_class = g_ascii_strtoull (row[c], NULL, 10);

        sum += n_class;
        if (c != c_established && c != c_failed)
          others += n_class;
      }
    }
    attempts = g_ascii_strtoull (row[c_attempts], NULL, 10);
    established = g_ascii_strtoull (row[c_established], NULL, 10);
    failed = g_ascii_strtoull (row[c_failed], NULL, 10);
    if (sum != attempts)
      fail (v, F_SUM, "runs.csv row %u (point %s rep %s): classes sum to %" G_GUINT64_FORMAT
            ", attempts %" G_GUINT64_FORMAT, i, row[0], row[1], sum, attempts);

    /* the samples are the attempts whose client established from its own
     * segment (synack_oracle_finish: client_est_ns), in any class but
     * failed */
    n = count_samples (v, dir, row[0], row[1], &max, &mean);
    point = (guint) g_ascii_strtoull (row[0], NULL, 10);
    if (point >= point_samples->len)
      g_array_set_size (point_samples, point + 1);
    g_array_index (point_samples, guint64, point) += n;
    if (n < established || n > attempts - failed || (others == 0 && n != established))
      fail (v, F_SAMPLES, "run %s-%s: %" G_GSIZE_FORMAT " samples, established %"
            G_GUINT64_FORMAT ", failed %" G_GUINT64_FORMAT ", other classes %"
            G_GUINT64_FORMAT ", attempts %" G_GUINT64_FORMAT,
            row[0], row[1], n, established, failed, others, attempts);
    if ((n == 0) != (row[c_hmean][0] == '\0'))
      fail (v, F_SAMPLES, "run %s-%s: %" G_GSIZE_FORMAT " samples, handshake_mean_s \"%s\"",
            row[0], row[1], n, row[c_hmean]);

    check_consistency (v, h, row, n, max, mean, until_s);
    if (c_protocol >= 0)
      protocol = g_str_has_prefix (row[c_protocol], "tcp2way") ? P2 : P3;
    if (g_file_test (dir, G_FILE_TEST_IS_DIR)) {
      g_autofree char *name = g_strdup_printf ("%s-%s-states.csv", row[0], row[1]);
      g_autofree char *path = g_build_filename (dir, "traces", name, NULL);

      if (g_file_test (path, G_FILE_TEST_EXISTS))
        check_states_trace (v, dir, name, protocol, cell (h, row, "time_wait_peak"));
    }
    if (traces & TRACE_SEGMENTS)
      check_segments_trace (v, dir, h, row);
    if (traces & TRACE_PCAP)
      check_pcap (v, dir, h, row);
  }

  /* summary.csv: one row per point, in order; no nan or inf anywhere */
  {
    char **sh = summary->pdata[0];
    int c_samples = column (sh, "handshake_s_samples");

    if (c_samples < 0)
      fail (v, F_FORMAT, "summary.csv has no handshake_s_samples");
    if (summary->len - 1 != point_samples->len)
      fail (v, F_FORMAT, "summary.csv has %u rows for %u points", summary->len - 1,
            point_samples->len);
    for (guint i = 1; i < summary->len; i++) {
      char **row = summary->pdata[i];

      if (g_strv_length (row) != g_strv_length (sh)) {
        fail (v, F_FORMAT, "summary.csv row %u has %u cells, header %u", i,
              g_strv_length (row), g_strv_length (sh));
        continue;
      }
      for (guint c = 0; row[c] != NULL; c++) {
        g_autofree char *lower = g_ascii_strdown (row[c], -1);
        double x;

        if (strstr (lower, "nan") || strstr (lower, "inf")
            || (parse_number (row[c], &x) && !isfinite (x)))
          fail (v, F_NONFINITE, "summary.csv row %u: %s = \"%s\"", i, sh[c], row[c]);
      }
      if (c_samples >= 0 && i - 1 < point_samples->len
          && g_ascii_strtoull (row[c_samples], NULL, 10)
             != g_array_index (point_samples, guint64, i - 1))
        fail (v, F_SAMPLES, "summary.csv row %u: handshake_s_samples %s, samples files %"
              G_GUINT64_FORMAT, i, row[c_samples], g_array_index (point_samples, guint64, i - 1));
      check_summary_row (v, runs, sh, row, i - 1);
    }
  }
}

/* Is stderr clean?  A sanitizer report, a GLib critical (a
 * g_return_if_fail hit) or GLib's warning of a GError set twice is a bug
 * whatever the exit.  Other warnings may be meant for the user. */
static gboolean
stderr_clean (const char *err)
{
  return strstr (err, "Sanitizer") == NULL && strstr (err, "runtime error:") == NULL
         && strstr (err, "-CRITICAL **") == NULL && strstr (err, "GError set over") == NULL;
}

/* [experiment] until of @ini in seconds (default 1h); never swept here. */
static double
until_seconds (const char *ini)
{
  static const struct { const char *unit; double s; } units[] = {
    { "ns", 1e-9 }, { "us", 1e-6 }, { "ms", 1e-3 }, { "s", 1 }, { "m", 60 }, { "h", 3600 },
  };
  const char *p = strstr (ini, "\nuntil = ");
  char *end;
  double x;

  if (p == NULL)
    return 3600;
  x = g_ascii_strtod (p + strlen ("\nuntil = "), &end);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (strncmp (end, units[i].unit, strlen (units[i].unit)) == 0
        && end[strlen (units[i].unit)] == '\n')
      return x * units[i].s;
  g_error ("cannot read until in %s", ini);
}

/* The traces @ini's [experiment] trace asks for, TRACE_* bits. */
static guint
traces_asked (const char *ini)
{
  const char *p = strstr (ini, "\ntrace = ");
  g_autofree char *line = p ? g_strndup (p, strcspn (p + 1, "\n") + 1) : NULL;

  return (line && strstr (line, "segments") ? TRACE_SEGMENTS : 0)
         | (line && strstr (line, "pcap") ? TRACE_PCAP : 0);
}

typedef enum { CONFIG_OK, CONFIG_RUN_FAILED, CONFIG_FAILED } ConfigResult;
/* Which keys a rerun gives as --set options: none; all but the loss and
 * delay models and their parameters; all, in the file's order; all, last
 * first. */
typedef enum { SET_NONE, SET_PLAIN, SET_IN_ORDER, SET_REVERSED } SetMode;

/* The last run of the batch in @batch, run alone with --point and
 * --replication (README: "re-runs one run alone (same seed as in the
 * batch)"), gives the same runs.csv row and the same samples. */
static void
check_single_run (Verdict *v, const char *ini, const char *batch, const char *dir)
{
  g_autoptr (GPtrArray) runs = read_csv (batch, "runs.csv");
  g_autofree char *one = g_build_filename (dir, "one", NULL);
  g_autofree char *err = NULL, *row_batch = NULL, *row_one = NULL;
  g_autofree char *bin = NULL, *bin_batch = NULL, *bin_one = NULL;
  g_autoptr (GPtrArray) one_runs = NULL;
  char **last;
  int status;

  if (runs == NULL || runs->len < 2)
    return;   /* check_runs() said so */
  last = runs->pdata[runs->len - 1];
  {
    const char *args[] = { "run", ini, "-o", one, "--quiet", "--point", last[0],
                           "--replication", last[1], NULL };

    status = run_synack (args, &err);
  }
  if (status != 0) {
    fail (v, status >= 128 ? F_CRASH : F_EXIT, "--point %s --replication %s: exit %d: %.2000s",
          last[0], last[1], status, err);
    return;
  }
  one_runs = read_csv (one, "runs.csv");
  if (one_runs == NULL || one_runs->len != 2) {
    fail (v, F_FORMAT, "--point %s --replication %s: runs.csv without its one row", last[0],
          last[1]);
    return;
  }
  row_batch = g_strjoinv (",", last);
  row_one = g_strjoinv (",", one_runs->pdata[1]);
  if (strcmp (row_batch, row_one) != 0)
    fail (v, F_NONDETERMINISTIC, "run %s-%s alone differs from the batch:\n    %s\n    %s",
          last[0], last[1], row_one, row_batch);
  bin = g_strdup_printf ("samples/%s-%s.bin", last[0], last[1]);
  if (tree_file_differs (batch, one, bin))
    fail (v, F_NONDETERMINISTIC, "%s alone differs from the batch's", bin);
}

/* @ini with the keys of [workload], [link*] and [tcp] given as --set
 * options instead gives the same results directory: a --set is the same
 * key in the file.  Swept keys stay in the file (a --set value replaces
 * the sweep of its key, experiments/config-load.c synack_config_set()), and so
 * do the models of swept parameters, since the file is checked alone
 * before any --set is applied.  With SET_PLAIN the loss and delay keys
 * stay in the file too.  The --set options are checked together
 * (synack_config_set_all), so SET_IN_ORDER and SET_REVERSED give every
 * key as a --set, parameters before their model included. */
static void
check_set_options (Verdict *v, const char *ini, const char *batch, const char *dir,
                   SetMode mode)
{
  const char *sweep = strstr (ini, "\n[sweep]\n");
  g_auto (GStrv) lines = g_strsplit (ini, "\n", -1);
  g_autoptr (GString) file = g_string_new (NULL);
  g_autoptr (GPtrArray) args = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) sets = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *path = g_build_filename (dir, "set.ini", NULL);
  g_autofree char *out = g_build_filename (dir, "set", NULL);
  g_autofree char *err = NULL, *diff = NULL;
  const char *section = "";
  int status;

  for (guint i = 0; lines[i] != NULL; i++) {
    const char *eq = strstr (lines[i], " = ");

    if (lines[i][0] == '[') {
      section = lines[i];
      g_string_append_printf (file, "%s\n", lines[i]);
    } else if (eq != NULL && (g_str_has_prefix (section, "[link") || strcmp (section, "[tcp]") == 0
                              || strcmp (section, "[workload]") == 0)) {
      g_autofree char *full = g_strdup_printf ("%.*s.%.*s", (int) strlen (section) - 2,
                                               section + 1, (int) (eq - lines[i]), lines[i]);
      g_autofree char *swept = g_strdup_printf ("\n%s = ", full);
      g_autofree char *model = g_strdup_printf ("\n%s.", full);

      /* the file alone must stay valid: a swept parameter's model stays */
      if ((sweep != NULL && (strstr (sweep, swept) != NULL || strstr (sweep, model) != NULL))
          || (mode == SET_PLAIN && (g_str_has_prefix (lines[i], "loss")
                                    || g_str_has_prefix (lines[i], "delay"))))
        g_string_append_printf (file, "%s\n", lines[i]);
      else
        g_ptr_array_add (sets, g_strdup_printf ("%s=%s", full, eq + 3));
    } else if (lines[i][0] != '\0') {
      g_string_append_printf (file, "%s\n", lines[i]);
    }
  }
  g_assert_true (g_file_set_contents (path, file->str, -1, NULL));
  g_ptr_array_add (args, g_strdup ("run"));
  g_ptr_array_add (args, g_strdup (path));
  g_ptr_array_add (args, g_strdup ("-o"));
  g_ptr_array_add (args, g_strdup (out));
  g_ptr_array_add (args, g_strdup ("--quiet"));
  for (guint i = 0; i < sets->len; i++) {
    g_ptr_array_add (args, g_strdup ("--set"));
    g_ptr_array_add (args, g_strdup (sets->pdata[mode == SET_REVERSED ? sets->len - 1 - i : i]));
  }
  g_ptr_array_add (args, NULL);
  status = run_synack ((const char *const *) args->pdata, &err);
  if (status != 0) {
    fail (v, status >= 128 ? F_CRASH : F_EXIT, "with --set: exit %d: %.2000s", status, err);
    return;
  }
  diff = tree_difference (batch, out);
  if (diff != NULL)
    fail (v, F_NONDETERMINISTIC, "with --set instead of the file's keys: %s", diff);
}

/* Runs @ini with -j 1 and -j 2 (and, with @single, its last run alone) and
 * checks every invariant; *@why gets the failures (transfer full), NULL
 * when it passed. */
static ConfigResult
explore_one (const char *ini, gboolean single, SetMode set_mode, guint *classes, char **why)
{
  g_autofree char *dir = g_dir_make_tmp ("synack-explore-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "explore.ini", NULL);
  g_autofree char *a = g_build_filename (dir, "j1", NULL);
  g_autofree char *b = g_build_filename (dir, "j2", NULL);
  g_autofree char *err_a = NULL, *err_b = NULL;
  const char *args_a[] = { "run", path, "-o", a, "-j", "1", "--quiet", NULL };
  const char *args_b[] = { "run", path, "-o", b, "-j", "2", "--quiet", NULL };
  Verdict v = { g_string_new (NULL), 0 };
  ConfigResult result = CONFIG_OK;
  int sa, sb;
  guint protocol = strstr (ini, "protocol = tcp2way") ? P2 : P3;   /* -isn too */

  g_assert_true (g_file_set_contents (path, ini, -1, NULL));
  sa = run_synack (args_a, &err_a);
  sb = sa == 124 ? 124 : run_synack (args_b, &err_b);
  for (guint k = 0; k < 2; k++) {
    int s = k == 0 ? sa : sb;
    const char *err = k == 0 ? err_a : err_b;
    const char *j = k == 0 ? "-j 1" : "-j 2";

    if (err != NULL && !stderr_clean (err))
      fail (&v, F_STDERR, "%s: stderr: %.2000s", j, err);
    if (s == 124)
      fail (&v, F_TIMEOUT, "%s: still running after %s s", j, RUN_TIMEOUT_S);
    else if (s >= 128)
      fail (&v, F_CRASH, "%s: exit %d (signal %d): %.2000s", j, s, s - 128, err ? err : "");
    else if (s == 1 && err != NULL && strstr (err, "run failed") != NULL)
      result = CONFIG_RUN_FAILED;
    else if (s != 0)
      fail (&v, F_EXIT, "%s: exit %d: %.2000s", j, s, err ? err : "");
  }
  if (sa == sb && (sa == 0 || result == CONFIG_RUN_FAILED)) {
    g_autofree char *diff = tree_difference (a, b);

    if (diff != NULL)
      fail (&v, F_NONDETERMINISTIC, "%s", diff);
  }
  if (sa == 0)
    check_runs (&v, a, protocol, until_seconds (ini), traces_asked (ini));
  if (sa == 0 && single)
    check_single_run (&v, path, a, dir);
  if (sa == 0 && set_mode != SET_NONE)
    check_set_options (&v, ini, a, dir, set_mode);
  if (result == CONFIG_RUN_FAILED && v.classes == 0)
    g_string_append_printf (v.why, "  [run failed] %s", err_a);
  remove_tree (dir);
  *classes = v.classes;
  *why = g_string_free (v.why, v.why->len == 0);
  return v.classes ? CONFIG_FAILED : result;
}

static void
tally_config (Tally *t, const char *label, const char *ini, gboolean single, SetMode set_mode)
{
  guint classes;
  g_autofree char *why = NULL;
  ConfigResult res = explore_one (ini, single, set_mode, &classes, &why);

  t->configs++;
  if (res == CONFIG_OK)
    return;
  if (res == CONFIG_RUN_FAILED)
    t->run_failed++;
  for (guint c = 0; c < F_N; c++)
    if (classes & (1u << c))
      t->counts[c]++;
  /* at once: a long exploration shows its failures as it finds them */
  g_printerr ("%s %s:\n%s--- config ---\n%s--- end ---\n",
              res == CONFIG_RUN_FAILED ? "RUN FAILED (budget?)" : "FAILED", label, why, ini);
}

/* ---- the tests ------------------------------------------------------------------ */

static guint64
env_u64 (const char *name, guint64 fallback)
{
  const char *s = g_getenv (name);

  return s != NULL && s[0] != '\0' ? g_ascii_strtoull (s, NULL, 10) : fallback;
}

/* Prints the figures of @t; returns the number of failed configs' classes. */
static guint
report (Tally *t, const char *what)
{
  g_autoptr (GString) line = g_string_new (NULL);
  guint failed = 0;

  g_string_append_printf (line, "%s: %u configs explored, %u run failed (budget)", what,
                          t->configs, t->run_failed);
  for (guint c = 0; c < F_N; c++) {
    g_string_append_printf (line, ", %s %u", fail_names[c], t->counts[c]);
    failed += t->counts[c];
  }
  g_test_message ("%s", line->str);
  if (failed > 0 || t->run_failed > 0 || t->configs > 1)
    g_printerr ("%s\n", line->str);
  return failed;
}

static void
test_random (void)
{
  guint64 seed = env_u64 ("SYNACK_EXPLORE_SEED", DEFAULT_SEED);
  guint64 n = env_u64 ("SYNACK_EXPLORE_N", DEFAULT_N);
  const char *only = g_getenv ("SYNACK_EXPLORE_INDEX");
  guint64 first = only ? g_ascii_strtoull (only, NULL, 10) : 0;
  guint64 last = only ? first + 1 : n;
  Tally t = { { 0 }, 0, 0 };

  for (guint64 i = first; i < last; i++) {
    guint32 key[3] = { (guint32) seed, (guint32) (seed >> 32), (guint32) i };
    g_autoptr (GRand) r = g_rand_new_with_seed_array (key, 3);
    g_autofree char *ini = gen_config (r);
    g_autofree char *label = g_strdup_printf (
      "SYNACK_EXPLORE_SEED=%" G_GUINT64_FORMAT " SYNACK_EXPLORE_INDEX=%" G_GUINT64_FORMAT,
      seed, i);

    if (only != NULL || g_getenv ("SYNACK_EXPLORE_SHOW"))
      g_printerr ("--- %s ---\n%s", label, ini);
    /* one config in 3 also reruns its last run alone, another one in 3
     * runs again with its keys as --set options */
    tally_config (&t, label, ini, i % 3 == 0,
                  i % 3 == 1 ? (i % 2 ? SET_REVERSED : SET_IN_ORDER) : SET_NONE);
  }
  if (report (&t, "random") > 0)
    g_test_fail_printf ("the explorer found failures: see stderr");
  report_edges ();
}

/* Configs the explorer found failing, minimised: one row each.  A row
 * with @known is a bug not fixed yet, named there: skipped while it
 * fails, so make check stays green; drop @known once it is fixed. */
typedef struct {
  const char *path;
  const char *ini;
  SetMode     set_mode;   /* also run with its keys as --set options */
  const char *known;      /* (nullable) */
} RegressionCase;

static const RegressionCase regression_cases[] = {
  /* the issue's own: nothing establishes (loss 1) */
  { "/explore/regression/loss-1",
    "[experiment]\nname = r\nuntil = 1h\ntrace = states\n[workload]\nconnections = 3\n"
    "[link]\nloss = bernoulli\nloss.p = 1\n", SET_IN_ORDER, NULL },
  /* the 2-way run whose ACKs are all lost */
  { "/explore/regression/tcp2way-acks-lost",
    "[experiment]\nname = r\nprotocol = tcp2way\ntrace = states\n[workload]\n"
    "connections = 3\n[link.reverse]\nloss = bernoulli\nloss.p = 1\n", SET_IN_ORDER, NULL },
  /* until shorter than the first round trip */
  { "/explore/regression/until-1ms",
    "[experiment]\nname = r\nuntil = 1ms\ntrace = states\n[workload]\nconnections = 3\n",
    SET_IN_ORDER, NULL },
  /* found by the explorer (seed 2026, index 1328): an old duplicate SYN
   * refused on a full backlog at a CLOSED slot reads LISTEN -> LISTEN,
   * and the slot goes on CLOSED: no connection either way */
  { "/explore/regression/backlog-full-at-closed-slot",
    "[experiment]\nname = r\nseed = 636373920\nuntil = 10m\ntrace = states\n"
    "[workload]\nconnections = 7\nclients = 1\narrival = uniform\nrate = 100/s\n"
    "[link]\nloss = list\nloss.drop = #6 ACK#3 ACK#7\ndelay.base = 2s\n"
    "duplicate = 0.5\nduplicate.lag = 5m\n[tcp]\nbacklog = 2\nrto_initial = 3s\n"
    "rto_min = 1ms\n",
    SET_IN_ORDER, NULL },
  /* found by the explorer under ASan (seed 33, index 490): attempt 53's
   * client is made ESTABLISHED 2 ns after its SYN by a late ACK of an
   * earlier incarnation on its port; the server then establishes it from
   * its SYN.  Counted `established` (core/network/oracle.c: CLIENT_EST by any
   * segment), though core/network/metrics.c defines it as "established at both
   * ends from their own segments", and without a latency sample (the
   * oracle's client_est_ns takes only its own segment): 2 established,
   * 1 sample.  Fixed: the oracle counts it half_open (its own handshake
   * never completed at the client). */
  { "/explore/regression/established-by-stale-ack",
    "[experiment]\nname = r\nprotocol = tcp2way\nseed = 608943097\n[workload]\n"
    "connections = 60\nclients = 1\nrate = 1000/s\nports = 1\nhold = 1ms\n"
    "closer = simultaneous\n[link]\ndelay = pareto\n[tcp]\ntime_wait = 0s\n",
    SET_IN_ORDER, NULL },
  /* found by the explorer (seed 8, index 1): a model's parameter given by
   * --set before the model itself is refused */
  { "/explore/regression/set-order",
    "[experiment]\nname = r\n[workload]\nconnections = 3\n[link]\ndelay = uniform\n"
    "delay.max = 1ms\n",
    SET_REVERSED, NULL },
  /* found by the explorer (seed 31, index 79): in the file's order too,
   * --set link.delay=uniform is checked with the default delay.max 10ms,
   * before --set link.delay.min=1s and link.delay.max=1s follow */
  { "/explore/regression/set-model-then-parameters",
    "[experiment]\nname = r\n[workload]\nconnections = 3\n[link]\ndelay = uniform\n"
    "delay.min = 1s\ndelay.max = 1s\n",
    SET_IN_ORDER, NULL },
};

static void
test_regression (gconstpointer data)
{
  const RegressionCase *tc = data;
  Tally t = { { 0 }, 0, 0 };

  tally_config (&t, tc->path, tc->ini, TRUE, tc->set_mode);
  if (report (&t, tc->path) == 0) {
    if (tc->known != NULL)
      g_test_message ("passes now: drop \"known\" from its row (%s)", tc->known);
  } else if (tc->known != NULL) {
    g_test_skip (tc->known);
  } else {
    g_test_fail_printf ("%s fails: see stderr", tc->path);
  }
}

int
main (int argc, char **argv)
{
  const char *builddir = g_getenv ("SYNACK_TEST_BUILDDIR");

  g_test_init (&argc, &argv, NULL);
  g_assert_nonnull (builddir);
  synack_bin = g_build_filename (builddir, "experiments", "synack", NULL);

  for (guint i = 0; i < G_N_ELEMENTS (regression_cases); i++)
    g_test_add_data_func (regression_cases[i].path, &regression_cases[i], test_regression);
  g_test_add_func ("/explore/random", test_random);
  return g_test_run ();
}
