/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-config.c - the config loader, sweeps, --set and config.ini.
 *
 * Everything is table-driven: a row per good config with the fields it must
 * give, a row per bad input with its error code and message prefix, a row
 * per sweep text.  Every good row is also written back with
 * synack_config_to_ini(), reloaded, and compared point by point, field by
 * field.  The registry holds the real loss and delay models (their .c files
 * are linked in) and two fake protocols, so the test does not depend on the
 * protocol plugins. */
#include <string.h>

#include <glib/gstdio.h>

#include "config.h"
#include "sweep.h"
#include "text.h"

/* ---- the registry --------------------------------------------------------- */

extern const SynackPluginDesc *synack_plugin_loss_none_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_bernoulli_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_gilbert_elliott_describe (void);
extern const SynackPluginDesc *synack_plugin_loss_list_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_constant_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_uniform_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_normal_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_exponential_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_pareto_describe (void);
extern const SynackPluginDesc *synack_plugin_delay_lognormal_describe (void);

static gpointer
fake_create (const SynackProtocolEnv *env, const SynackParams *params, GError **error)
{
  return g_new0 (int, 1);
}

static gboolean
fake_connect (gpointer self, guint32 client, guint16 port, SynackConnId conn, SynackTime now)
{
  return TRUE;
}

static void
fake_close (gpointer self, SynackRole role, guint32 client, guint16 port, SynackConnId conn,
            SynackTime now)
{
}

static void
fake_receive (gpointer self, const SynackSegment *seg, SynackTime now)
{
}

static const SynackProtocolVtable fake_vtable = {
  .create = fake_create,
  .connect = fake_connect,
  .close = fake_close,
  .receive = fake_receive,
  .destroy = g_free,
};

static const SynackParamSpec no_params[] = { { NULL } };

/* a protocol parameter, to test protocol.X keys */
static const SynackParamSpec tcp2way_params[] = {
  { "mode", SYNACK_PARAM_CHOICE, "a", "", "a fake choice", 0, 0, "a|b" },
  { NULL }
};

static const SynackPluginDesc fake_tcp3way = {
  SYNACK_PLUGIN_ABI_VERSION, SYNACK_PLUGIN_PROTOCOL, "tcp3way", "fake 3-way handshake",
  no_params, { .protocol = &fake_vtable }
};

static const SynackPluginDesc fake_tcp2way = {
  SYNACK_PLUGIN_ABI_VERSION, SYNACK_PLUGIN_PROTOCOL, "tcp2way", "fake 2-way handshake",
  tcp2way_params, { .protocol = &fake_vtable }
};

/* a loss model that counts its create() calls: building a point creates
 * each link model once, so the count says how often points were built */
static guint counting_creates;

static gpointer
counting_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  counting_creates++;
  return g_new0 (int, 1);
}

static gboolean
counting_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return FALSE;
}

static const SynackLossVtable counting_vtable = {
  .create = counting_create,
  .drop = counting_drop,
  .destroy = g_free,
};

static const SynackPluginDesc fake_counting = {
  SYNACK_PLUGIN_ABI_VERSION, SYNACK_PLUGIN_LOSS, "counting", "counts its create() calls",
  no_params, { .loss = &counting_vtable }
};

static SynackRegistry *registry;

static void
registry_init (void)
{
  const SynackPluginDesc *descs[] = {
    synack_plugin_loss_none_describe (), synack_plugin_loss_bernoulli_describe (),
    synack_plugin_loss_gilbert_elliott_describe (), synack_plugin_loss_list_describe (),
    synack_plugin_delay_constant_describe (), synack_plugin_delay_uniform_describe (),
    synack_plugin_delay_normal_describe (), synack_plugin_delay_exponential_describe (),
    synack_plugin_delay_pareto_describe (), synack_plugin_delay_lognormal_describe (),
    &fake_tcp3way, &fake_tcp2way, &fake_counting,
  };

  registry = synack_registry_new ();
  for (guint i = 0; i < G_N_ELEMENTS (descs); i++) {
    g_autoptr (GError) error = NULL;

    synack_registry_add (registry, descs[i], "test", &error);
    g_assert_no_error (error);
  }
}

/* ---- a run spec as text, field by field ------------------------------------ */

static void
put (GHashTable *fields, const char *name, char *value)
{
  g_hash_table_insert (fields, g_strdup (name), value);
}

static char *
fmt_double (double x)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  return g_strdup (g_ascii_formatd (buf, sizeof buf, "%.17g", x));
}

static char *
fmt_int (gint64 x)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT, x);
}

static void
put_params (GHashTable *fields, const char *prefix, const SynackParams *params)
{
  const SynackParamSpec *specs = synack_params_specs (params);

  for (guint i = 0; specs[i].name != NULL; i++) {
    g_autofree char *name = g_strconcat (prefix, ".", specs[i].name, NULL);

    put (fields, name, synack_params_to_string (params, specs[i].name));
  }
}

static void
put_link (GHashTable *fields, const char *dir, const SynackLinkSpec *link)
{
  g_autofree char *loss = g_strconcat (dir, ".loss", NULL);
  g_autofree char *delay = g_strconcat (dir, ".delay", NULL);
  g_autofree char *dup = g_strconcat (dir, ".duplicate", NULL);
  g_autofree char *lag = g_strconcat (dir, ".duplicate_lag_ns", NULL);
  g_autofree char *only = g_strconcat (dir, ".only", NULL);
  GString *flags = g_string_new (NULL);

  put (fields, loss, g_strdup (link->loss->name));
  put_params (fields, loss, link->loss_params);
  put (fields, delay, g_strdup (link->delay->name));
  put_params (fields, delay, link->delay_params);
  put (fields, dup, fmt_double (link->duplicate));
  put (fields, lag, fmt_int (link->duplicate_lag_ns));
  for (guint i = 0; i < link->n_only; i++) {
    char buf[SYNACK_FLAGS_FORMAT_SIZE];

    g_string_append_printf (flags, "%s%s", i ? " " : "",
                            synack_flags_format (link->only_flags[i], buf));
  }
  put (fields, only, g_string_free (flags, FALSE));
}

/* Every field of @spec by name: "until_ns", "tcp.time_wait_ns",
 * "forward.loss.p"...  (transfer full) */
static GHashTable *
spec_fields (const SynackRunSpec *spec)
{
  GHashTable *f = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  const SynackTcpConfig *t = &spec->tcp;

  put (f, "seed", fmt_int ((gint64) spec->seed));
  put (f, "until_ns", fmt_int (spec->until_ns));
  put (f, "protocol", g_strdup (spec->protocol->name));
  put_params (f, "protocol", spec->protocol_params);
  put (f, "tcp.rto_initial_ns", fmt_int (t->rto_initial_ns));
  put (f, "tcp.rto_min_ns", fmt_int (t->rto_min_ns));
  put (f, "tcp.rto_max_ns", fmt_int (t->rto_max_ns));
  put (f, "tcp.rto_backoff", fmt_double (t->rto_backoff));
  put (f, "tcp.syn_retries", fmt_int (t->syn_retries));
  put (f, "tcp.syn_linear_timeouts", fmt_int (t->syn_linear_timeouts));
  put (f, "tcp.synack_retries", fmt_int (t->synack_retries));
  put (f, "tcp.fin_retries", fmt_int (t->fin_retries));
  put (f, "tcp.msl_ns", fmt_int (t->msl_ns));
  put (f, "tcp.time_wait_ns", fmt_int (t->time_wait_ns));
  put (f, "tcp.fin_wait2_timeout_ns", fmt_int (t->fin_wait2_timeout_ns));
  put (f, "tcp.isn", g_strdup (synack_isn_mode_name (t->isn)));
  put (f, "tcp.backlog", fmt_int (t->backlog));
  put (f, "tcp.synack_on_dup_syn", g_strdup (t->synack_on_dup_syn ? "true" : "false"));
  put (f, "tcp.request_bytes", fmt_int (t->request_bytes));
  put (f, "tcp.window", fmt_int (t->window));
  put (f, "tcp.server_port", fmt_int (t->server_port));
  put (f, "connections", fmt_int ((gint64) spec->connections));
  put (f, "clients", fmt_int (spec->clients));
  put (f, "arrival", g_strdup (synack_arrival_name (spec->arrival)));
  put (f, "rate_per_s", fmt_double (spec->rate_per_s));
  put (f, "ports", fmt_int (spec->ports));
  put (f, "hold_ns", fmt_int (spec->hold_ns));
  put (f, "closer", g_strdup (synack_closer_name (spec->closer)));
  put_link (f, "forward", &spec->forward);
  put_link (f, "reverse", &spec->reverse);
  put (f, "trace_mask", fmt_int (spec->trace_mask));
  put (f, "sample_ns", fmt_int (spec->sample_ns));
  put (f, "trace_prefix", g_strdup (spec->trace_prefix ? spec->trace_prefix : "(null)"));
  return f;
}

static void
assert_same_fields (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (g_hash_table_size (a), ==, g_hash_table_size (b));
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value)) {
    const char *other = g_hash_table_lookup (b, key);

    if (g_strcmp0 (value, other) != 0)
      g_error ("field %s: %s != %s", (char *) key, (char *) value, other);
  }
}

static GHashTable *
point_fields (const SynackConfig *cfg, guint point)
{
  g_autoptr (GError) error = NULL;
  SynackRunSpec spec;
  GHashTable *f;

  g_assert_true (synack_config_build_run (cfg, point, &spec, &error));
  g_assert_no_error (error);
  f = spec_fields (&spec);
  synack_run_spec_clear (&spec);
  return f;
}

/* "v00,v01|v10,v11|...": the sweep values of every point. */
static char *
sweep_table (const SynackConfig *cfg)
{
  GString *s = g_string_new (NULL);

  for (guint p = 0; p < synack_config_n_points (cfg); p++) {
    if (p > 0)
      g_string_append_c (s, '|');
    for (guint k = 0; k < synack_config_n_sweep_keys (cfg); k++)
      g_string_append_printf (s, "%s%s", k ? "," : "", synack_config_point_value (cfg, p, k));
  }
  return g_string_free (s, FALSE);
}

/* ---- good configs ----------------------------------------------------------- */

typedef struct {
  guint       point;
  const char *field;
  const char *value;
} Check;

typedef struct {
  const char *path;
  const char *text;
  const char *sets[4];     /* --set assignments applied after loading */
  const char *name;        /* synack_config_name() */
  guint       replications;
  const char *sweep_keys;  /* "link.loss.p,workload.clients" or "" */
  const char *sweep;       /* sweep_table(), NULL: do not check */
  Check       checks[16];
} GoodCase;

#define S (1000000000LL)

static const GoodCase good_cases[] = {
  { "/config/good/full",
    "# a complete config\n"
    "[experiment]\n"
    "name = full-1.0\n"
    "description = every key set\n"
    "protocol = tcp2way\n"
    "protocol.mode = b\n"
    "profile = linux\n"
    "replications = 5\n"
    "seed = 18446744073709551615\n"
    "until = 2h\n"
    "trace = states, pcap\n"
    "sample = 100ms\n"
    "[workload]\n"
    "connections = 500\n"
    "clients = 65535\n"
    "arrival = burst\n"
    "rate = 2/ms\n"
    "ports = 100\n"
    "hold = 0s\n"
    "closer = simultaneous\n"
    "request = 1460\n"
    "[link]\n"
    "delay = uniform\n"
    "delay.base = 20ms\n"
    "delay.min = 1ms\n"
    "delay.max = 3ms\n"
    "loss = bernoulli\n"
    "loss.p = 0.25\n"
    "loss.only = SYN SYN,ACK\n"
    "duplicate = 0.5\n"
    "duplicate.lag = 2m\n"
    "[tcp]\n"
    "time_wait = 30s\n"
    "isn = zero\n",
    { NULL }, "full-1.0", 5, "", "",
    { { 0, "protocol", "tcp2way" }, { 0, "protocol.mode", "b" },
      { 0, "until_ns", "7200000000000" }, { 0, "trace_mask", "5" },
      { 0, "sample_ns", "100000000" }, { 0, "connections", "500" },
      { 0, "clients", "65535" }, { 0, "arrival", "burst" }, { 0, "rate_per_s", "2000" },
      { 0, "closer", "simultaneous" }, { 0, "tcp.request_bytes", "1460" },
      { 0, "forward.delay.max", "3ms" }, { 0, "reverse.loss.p", "0.25" },
      { 0, "reverse.only", "SYN SYN,ACK" }, { 0, "forward.duplicate_lag_ns", "120000000000" },
      { 0, "tcp.isn", "zero" } } },
  { "/config/good/defaults", "",
    { NULL }, "good", 1, "", "",
    { { 0, "protocol", "tcp3way" }, { 0, "until_ns", "3600000000000" },
      { 0, "connections", "1000" }, { 0, "clients", "10" }, { 0, "arrival", "poisson" },
      { 0, "rate_per_s", "100" }, { 0, "ports", "28232" }, { 0, "hold_ns", "1000000000" },
      { 0, "closer", "client" }, { 0, "tcp.request_bytes", "100" },
      { 0, "forward.loss", "none" }, { 0, "reverse.delay", "constant" },
      { 0, "forward.delay.base", "10ms" }, { 0, "trace_mask", "0" },
      { 0, "tcp.time_wait_ns", "240000000000" }, { 0, "seed", "0" } } },
  { "/config/good/profile-linux",
    "[experiment]\nprofile = linux\n",
    { NULL }, "good", 1, "", "",
    { { 0, "tcp.time_wait_ns", "60000000000" }, { 0, "tcp.syn_retries", "6" },
      { 0, "tcp.syn_linear_timeouts", "4" }, { 0, "tcp.rto_min_ns", "200000000" },
      { 0, "tcp.synack_on_dup_syn", "true" } } },
  { "/config/good/profile-linux-override",
    "[experiment]\nprofile = linux\n[tcp]\ntime_wait = 30s\nsyn_retries = 2\n",
    { NULL }, "good", 1, "", "",
    { { 0, "tcp.time_wait_ns", "30000000000" }, { 0, "tcp.syn_retries", "2" },
      { 0, "tcp.synack_retries", "5" }, { 0, "tcp.rto_min_ns", "200000000" } } },
  { "/config/good/profile-rfc2988",
    "[experiment]\nprofile = rfc2988\n",
    { NULL }, "good", 1, "", "",
    { { 0, "tcp.rto_initial_ns", "3000000000" }, { 0, "tcp.isn", "random" } } },
  { "/config/good/link-override",
    "[link]\n"
    "loss = bernoulli\nloss.p = 0.1\nloss.only = SYN\ndelay.base = 20ms\nduplicate = 0.01\n"
    "[link.forward]\n"
    "loss.p = 0.2\n"
    "[link.reverse]\n"
    "loss = gilbert-elliott\nloss.r = 0.5\ndelay = normal\nduplicate = 0.02\n",
    { NULL }, "good", 1, "", "",
    { { 0, "forward.loss", "bernoulli" }, { 0, "forward.loss.p", "0.2" },
      { 0, "forward.only", "SYN" }, { 0, "forward.delay.base", "20ms" },
      { 0, "forward.duplicate", "0.01" },
      /* [link.reverse] names its own models: none of [link]'s parameters */
      { 0, "reverse.loss", "gilbert-elliott" }, { 0, "reverse.loss.p", "0.01" },
      { 0, "reverse.loss.r", "0.5" }, { 0, "reverse.only", "" },
      { 0, "reverse.delay", "normal" }, { 0, "reverse.delay.base", "10ms" },
      { 0, "reverse.duplicate", "0.02" } } },
  { "/config/good/direction-param-only",
    "[link]\nloss = list\n[link.reverse]\nloss.drop = SYN,ACK#1 #3\nloss.only = SYN,ACK\n",
    { NULL }, "good", 1, "", "",
    { { 0, "forward.loss.drop", "" }, { 0, "reverse.loss", "list" },
      { 0, "reverse.loss.drop", "SYN,ACK#1 #3" }, { 0, "reverse.only", "SYN,ACK" } } },
  { "/config/good/syntax",
    "\xef\xbb\xbf; a byte order mark, then a semicolon comment\r\n"
    "  # indented comment\r\n"
    "\r\n"
    "[workload]   \r\n"
    "  clients=3\r\n"
    "rate   =   30/m   \r\n"
    "[experiment]\n"
    "description = tab\\there\n",
    { NULL }, "good", 1, "", "",
    { { 0, "clients", "3" }, { 0, "rate_per_s", "0.5" } } },
  { "/config/good/sweep-list",
    "[sweep]\nlink.loss = none, bernoulli, gilbert-elliott\n",
    { NULL }, "good", 1, "link.loss", "none|bernoulli|gilbert-elliott",
    { { 0, "forward.loss", "none" }, { 2, "reverse.loss", "gilbert-elliott" } } },
  { "/config/good/sweep-range",
    "[link]\nloss = bernoulli\n[sweep]\nlink.loss.p = 0:0.1:0.5\n",
    { NULL }, "good", 1, "link.loss.p", "0|0.1|0.2|0.3|0.4|0.5",
    { { 3, "forward.loss.p", "0.3" }, { 5, "reverse.loss.p", "0.5" } } },
  { "/config/good/sweep-duration-range",
    "[sweep]\ntcp.time_wait = 0s:30s:240s\n",
    { NULL }, "good", 1, "tcp.time_wait", "0s|30s|60s|90s|120s|150s|180s|210s|240s",
    { { 0, "tcp.time_wait_ns", "0" }, { 2, "tcp.time_wait_ns", "60000000000" },
      { 8, "tcp.time_wait_ns", "240000000000" } } },
  { "/config/good/sweep-product",
    "[link]\nloss = bernoulli\n"
    "[workload]\nclients = 9\n"   /* the sweep wins */
    "[sweep]\nlink.forward.loss.p = 0.1, 0.2\nworkload.clients = 1, 2, 3\n",
    { NULL }, "good", 1, "link.forward.loss.p,workload.clients",
    "0.1,1|0.1,2|0.1,3|0.2,1|0.2,2|0.2,3",
    { { 0, "clients", "1" }, { 2, "clients", "3" }, { 2, "forward.loss.p", "0.1" },
      { 4, "forward.loss.p", "0.2" }, { 4, "clients", "2" }, { 4, "reverse.loss.p", "0" } } },
  { "/config/good/sweep-model-and-params",
    "[link]\nloss.p = 0.2\n[sweep]\nlink.loss = bernoulli, gilbert-elliott\n",
    { NULL }, "good", 1, "link.loss", "bernoulli|gilbert-elliott",
    { { 0, "forward.loss.p", "0.2" }, { 1, "forward.loss.p", "0.2" },
      { 1, "forward.loss.r", "0.3" } } },
  { "/config/good/sweep-profile",
    "[tcp]\ntime_wait = 10s\n[sweep]\nexperiment.profile = rfc9293, linux\n",
    { NULL }, "good", 1, "experiment.profile", "rfc9293|linux",
    { { 0, "tcp.syn_retries", "7" }, { 1, "tcp.syn_retries", "6" },
      { 0, "tcp.time_wait_ns", "10000000000" }, { 1, "tcp.time_wait_ns", "10000000000" } } },
  { "/config/good/sweep-quoted",
    "[link]\nloss = bernoulli\n[sweep]\nlink.loss.only = \"SYN,ACK\", SYN, \"\"\n",
    { NULL }, "good", 1, "link.loss.only", "SYN,ACK|SYN|",
    { { 0, "forward.only", "SYN,ACK" }, { 1, "forward.only", "SYN" },
      { 2, "forward.only", "" } } },
  { "/config/good/sweep-rate-range",
    "[sweep]\nworkload.rate = 100/s:100/s:300/s\nworkload.arrival = uniform\n",
    { NULL }, "good", 1, "workload.rate,workload.arrival", "100/s,uniform|200/s,uniform|300/s,uniform",
    { { 1, "rate_per_s", "200" }, { 2, "arrival", "uniform" } } },
  { "/config/good/set-key",
    "[workload]\nclients = 5\n",
    { "workload.clients=7", " tcp.time_wait = 10s ", "link.reverse.loss=bernoulli",
      "link.reverse.loss.p=0.5" },
    "good", 1, "", "",
    { { 0, "clients", "7" }, { 0, "tcp.time_wait_ns", "10000000000" },
      { 0, "reverse.loss.p", "0.5" }, { 0, "forward.loss", "none" } } },
  { "/config/good/set-replaces-sweep",
    "[link]\nloss = bernoulli\n[sweep]\nlink.loss.p = 0.1, 0.2, 0.3\nworkload.clients = 1, 2\n",
    { "link.loss.p=0.5" },
    "good", 1, "workload.clients", "1|2",
    { { 0, "forward.loss.p", "0.5" }, { 1, "forward.loss.p", "0.5" }, { 1, "clients", "2" } } },
  { "/config/good/set-sweep",
    "[link]\nloss = bernoulli\n",
    { "sweep.link.loss.p=0.1, 0.2", "experiment.replications=3", "experiment.name=other" },
    "other", 3, "link.loss.p", "0.1|0.2",
    { { 1, "forward.loss.p", "0.2" } } },
};

static SynackConfig *
load_good (const GoodCase *tc)
{
  g_autoptr (GError) error = NULL;
  SynackConfig *cfg = synack_config_load_data (tc->text, "good.ini", registry, &error);

  g_assert_no_error (error);
  g_assert_nonnull (cfg);
  for (guint i = 0; i < G_N_ELEMENTS (tc->sets) && tc->sets[i] != NULL; i++) {
    g_assert_true (synack_config_set (cfg, tc->sets[i], &error));
    g_assert_no_error (error);
  }
  return cfg;
}

static void
test_good (gconstpointer data)
{
  const GoodCase *tc = data;
  g_autoptr (SynackConfig) cfg = load_good (tc);
  g_autoptr (GString) keys = g_string_new (NULL);

  g_assert_cmpstr (synack_config_name (cfg), ==, tc->name);
  g_assert_cmpuint (synack_config_replications (cfg), ==, tc->replications);
  for (guint k = 0; k < synack_config_n_sweep_keys (cfg); k++)
    g_string_append_printf (keys, "%s%s", k ? "," : "", synack_config_sweep_key (cfg, k));
  g_assert_cmpstr (keys->str, ==, tc->sweep_keys);
  if (tc->sweep != NULL) {
    g_autofree char *table = sweep_table (cfg);

    g_assert_cmpstr (table, ==, tc->sweep);
  }
  for (guint i = 0; i < G_N_ELEMENTS (tc->checks) && tc->checks[i].field != NULL; i++) {
    const Check *c = &tc->checks[i];
    g_autoptr (GHashTable) f = point_fields (cfg, c->point);
    const char *value = g_hash_table_lookup (f, c->field);

    if (value == NULL)
      g_error ("no field %s", c->field);
    if (g_strcmp0 (value, c->value) != 0)
      g_error ("point %u field %s: got %s, want %s", c->point, c->field, value, c->value);
  }
}

/* config.ini, loaded back, gives the same runs, field by field. */
static void
test_round_trip (gconstpointer data)
{
  const GoodCase *tc = data;
  g_autoptr (SynackConfig) cfg = load_good (tc);
  g_autoptr (SynackConfig) again = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *ini = NULL;
  g_autofree char *ini2 = NULL;

  synack_config_set_seed (cfg, 4242);
  ini = synack_config_to_ini (cfg);
  if (g_test_verbose ())
    g_printerr ("%s", ini);
  g_assert_true (g_str_has_prefix (ini, "# written by synack "));
  g_assert_nonnull (strstr (ini, "\nseed = 4242\n"));
  again = synack_config_load_data (ini, "config.ini", registry, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (synack_config_name (again), ==, synack_config_name (cfg));
  g_assert_cmpuint (synack_config_seed (again), ==, 4242);
  g_assert_cmpuint (synack_config_replications (again), ==, synack_config_replications (cfg));
  g_assert_cmpuint (synack_config_n_points (again), ==, synack_config_n_points (cfg));
  g_assert_cmpuint (synack_config_n_sweep_keys (again), ==, synack_config_n_sweep_keys (cfg));
  for (guint k = 0; k < synack_config_n_sweep_keys (cfg); k++)
    g_assert_cmpstr (synack_config_sweep_key (again, k), ==, synack_config_sweep_key (cfg, k));
  for (guint p = 0; p < synack_config_n_points (cfg); p++) {
    g_autoptr (GHashTable) a = point_fields (cfg, p);
    g_autoptr (GHashTable) b = point_fields (again, p);

    for (guint k = 0; k < synack_config_n_sweep_keys (cfg); k++)
      g_assert_cmpstr (synack_config_point_value (again, p, k), ==,
                       synack_config_point_value (cfg, p, k));
    assert_same_fields (a, b);
  }
  /* and writing it again is a fixed point */
  ini2 = synack_config_to_ini (again);
  g_assert_cmpstr (ini2, ==, ini);
}

/* ---- bad configs ------------------------------------------------------------ */

typedef struct {
  const char       *path;
  const char       *text;     /* NULL: load the file "missing.ini" */
  const char       *set;      /* (nullable) applied after a good load: it must fail */
  SynackConfigError code;
  const char       *prefix;   /* the message starts with this */
} BadCase;

static const BadCase bad_cases[] = {
  { "/config/bad/unknown-section", "[experiment]\nname = x\n[lnik]\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_SECTION, "bad.ini:3: [lnik]: unknown section; did you mean \"link\"?" },
  { "/config/bad/unknown-key", "[workload]\nconections = 5\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
    "bad.ini:2: [workload] conections: unknown key; did you mean \"connections\"?" },
  { "/config/bad/unknown-tcp-key", "[tcp]\ntime_wiat = 1s\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY, "bad.ini:2: [tcp] time_wiat: unknown key; did you mean \"time_wait\"?" },
  { "/config/bad/unknown-link-key", "[link.forward]\nlos.p = 0.1\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY, "bad.ini:2: [link.forward] los.p: unknown key; did you mean \"loss.p\"?" },
  { "/config/bad/misspelt-model", "[link]\nloss = bernouli\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
    "bad.ini:2: [link] loss: unknown loss model \"bernouli\"; did you mean \"bernoulli\"?" },
  { "/config/bad/unknown-model", "[link]\ndelay = zzzzzzzz\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
    "bad.ini:2: [link] delay: unknown delay model \"zzzzzzzz\" (constant, exponential, " },
  { "/config/bad/misspelt-protocol", "[experiment]\nprotocol = tcp3wya\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,
    "bad.ini:2: [experiment] protocol: unknown protocol \"tcp3wya\"; did you mean \"tcp3way\"?" },
  { "/config/bad/not-a-param", "[link]\nloss = bernoulli\nloss.prob = 0.1\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
    "bad.ini:3: [link] loss.prob: loss model \"bernoulli\" has no parameter \"prob\"; "
    "did you mean \"loss.p\"? (bernoulli takes loss.p)" },
  { "/config/bad/param-of-default-model", "[link]\nloss.p = 0.1\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
    "bad.ini:2: [link] loss.p: loss model \"none\" has no parameter \"p\" (none takes no parameters)" },
  { "/config/bad/param-not-inherited",
    "[link]\nloss = list\n[link.forward]\nloss = bernoulli\nloss.drop = SYN#1\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
    "bad.ini:5: [link.forward] loss.drop: loss model \"bernoulli\" has no parameter \"drop\"" },
  { "/config/bad/protocol-param", "[experiment]\nprotocol.mode = a\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
    "bad.ini:2: [experiment] protocol.mode: protocol \"tcp3way\" has no parameter \"mode\"" },
  { "/config/bad/probability", "[link]\nloss = bernoulli\nloss.p = 1.5\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:3: [link] loss.p: 1.5 is not a probability (0..1)" },
  { "/config/bad/duplicate-probability", "[link.reverse]\nduplicate = 2\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [link.reverse] duplicate: 2 is not a probability (0..1)" },
  { "/config/bad/model-create", "[link]\nloss = list\nloss.drop = SYN#0\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:3: [link] loss.drop: item \"SYN#0\": counts start at 1" },
  { "/config/bad/duration-no-unit", "[tcp]\ntime_wait = 60\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [tcp] time_wait: \"60\" has no unit" },
  { "/config/bad/hold-no-unit", "[workload]\nhold = 5\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] hold: \"5\" has no unit" },
  { "/config/bad/until-zero", "[experiment]\nuntil = 0s\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] until: must be more than 0" },
  { "/config/bad/rate-no-unit", "[workload]\nrate = 100\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] rate: \"100\" has no unit: write 100/s" },
  { "/config/bad/rate-zero", "[workload]\nrate = 0/s\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] rate: must be more than 0" },
  { "/config/bad/rate-unit", "[workload]\nrate = 5/d\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] rate: \"/d\" in \"5/d\" is not a rate unit" },
  { "/config/bad/zero-replications", "[experiment]\nreplications = 0\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] replications: must be at least 1" },
  { "/config/bad/zero-connections", "[workload]\nconnections = 0\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] connections: must be at least 1" },
  { "/config/bad/clients", "[workload]\nclients = 65536\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] clients: 65536 is outside 1..65535" },
  { "/config/bad/ports", "[workload]\nports = 30000\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] ports: 30000 is outside 1..28232" },
  { "/config/bad/request", "[workload]\nrequest = -1\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] request: \"-1\" is not a non-negative integer" },
  { "/config/bad/seed", "[experiment]\nseed = 18446744073709551616\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] seed: 18446744073709551616 is too large" },
  { "/config/bad/closer", "[workload]\ncloser = clinet\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [workload] closer: \"clinet\" is not one of client, server, simultaneous, "
    "none; did you mean \"client\"?" },
  { "/config/bad/arrival", "[workload]\narrival = poison\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] arrival: \"poison\" is not one of poisson, uniform, burst; "
    "did you mean \"poisson\"?" },
  { "/config/bad/profile", "[experiment]\nprofile = linx\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] profile: \"linx\" is not one of rfc9293, linux, rfc2988; "
    "did you mean \"linux\"?" },
  { "/config/bad/trace", "[experiment]\ntrace = states, segmnts\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [experiment] trace: \"segmnts\" is not one of states, segments, pcap, "
    "occupancy; did you mean \"segments\"?" },
  { "/config/bad/name", "[experiment]\nname = a/b\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] name: \"a/b\" is not a valid name" },
  { "/config/bad/name-empty", "[experiment]\nname =\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] name: must not be empty" },
  { "/config/bad/escape", "[experiment]\ndescription = a\\qb\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] description: " },
  /* GKeyFile sets its GError twice for a bad escape then a trailing
   * backslash (GLib warns); found by tests/fuzz (regressions/config) */
  { "/config/bad/escape-then-backslash", "[experiment]\ndescription = \\q\\\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [experiment] description: \"\\q\\\" has a bad escape sequence" },
  { "/config/bad/trailing-backslash", "[experiment]\ndescription = a\\\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [experiment] description: \"a\\\" has a bad escape sequence" },
  { "/config/bad/loss-only-flag", "[link]\nloss = bernoulli\nloss.only = SYN SYM,ACK\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:3: [link] loss.only: \"SYM\" is not a TCP flag" },
  { "/config/bad/loss-only-too-many",
    "[link]\nloss.only = SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN SYN\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [link] loss.only: more than 16 flag sets" },
  { "/config/bad/duplicate-key", "[link]\nloss = none\nloss = bernoulli\n", NULL,
    SYNACK_CONFIG_ERROR_DUPLICATE_KEY, "bad.ini:3: [link] loss: key given twice in this section (first at line 2)" },
  { "/config/bad/duplicate-section", "[link]\n[workload]\n[link]\n", NULL,
    SYNACK_CONFIG_ERROR_DUPLICATE_KEY, "bad.ini:3: [link]: section given twice (first at line 1)" },
  { "/config/bad/syntax", "[link]\n\nloss none\n", NULL,
    SYNACK_CONFIG_ERROR_SYNTAX, "bad.ini:3: [link]: \"loss none\" is not \"key = value\"" },
  { "/config/bad/syntax-group", "[link\n", NULL,
    SYNACK_CONFIG_ERROR_SYNTAX, "bad.ini:1: \"[link\" is not a [section] line" },
  { "/config/bad/key-before-section", "loss = none\n", NULL,
    SYNACK_CONFIG_ERROR_SYNTAX, "bad.ini:1: loss: a key before any [section]" },
  { "/config/bad/not-utf8", "[link]\nloss = \xff\n", NULL,
    SYNACK_CONFIG_ERROR_SYNTAX, "bad.ini:2: [link]: the line is not valid UTF-8" },
  { "/config/bad/sweep-empty-range", "[link]\nloss = bernoulli\n[sweep]\nlink.loss.p = 0.5:0.1:0.2\n",
    NULL, SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:4: [sweep] link.loss.p: empty range" },
  { "/config/bad/sweep-zero-step", "[sweep]\nworkload.clients = 1:0:5\n",
    NULL, SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] workload.clients: empty range" },
  { "/config/bad/sweep-mixed-units", "[sweep]\ntcp.time_wait = 0s:500ms:2s\n",
    NULL, SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] tcp.time_wait: range 0s:500ms:2s mixes units" },
  { "/config/bad/sweep-too-many", "[sweep]\nworkload.clients = 1:1:100001\n",
    NULL, SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] workload.clients: range 1:1:100001 has more than 100000 values" },
  { "/config/bad/sweep-too-many-points",
    "[sweep]\nworkload.clients = 1:1:1000\nworkload.connections = 1:1:1000\n",
    NULL, SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:3: [sweep] workload.connections: the sweep has more than 100000 points" },
  { "/config/bad/sweep-unknown-key", "[sweep]\nlink.los = none\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] link.los: no such key to sweep" },
  { "/config/bad/sweep-unknown-section", "[sweep]\nlnk.loss = none\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] lnk.loss: no such key to sweep (write SECTION.KEY, e.g. link.loss.p); did you mean \"link.loss\"?" },
  { "/config/bad/sweep-seed", "[sweep]\nexperiment.seed = 1, 2\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] experiment.seed: experiment.seed is set once per experiment" },
  { "/config/bad/sweep-bad-value", "[link]\nloss = bernoulli\n[sweep]\nlink.loss.p = 0.1, 1.5\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:4: [sweep] link.loss.p: value 1.5 is not a probability (0..1)" },
  { "/config/bad/sweep-bad-uint", "[sweep]\ntcp.syn_retries = 1, x\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [sweep] tcp.syn_retries: value \"x\" is not" },
  { "/config/bad/sweep-bad-model", "[sweep]\nlink.loss = none, bernouli\n", NULL,
    SYNACK_CONFIG_ERROR_UNKNOWN_MODEL, "bad.ini:2: [sweep] link.loss: unknown loss model \"bernouli\"; did you mean \"bernoulli\"?" },
  { "/config/bad/sweep-not-a-param", "[link]\nloss = bernoulli\n[sweep]\nlink.loss.r = 0.1, 0.2\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:4: [sweep] link.loss.r: loss model \"bernoulli\" has no parameter \"r\"" },
  { "/config/bad/sweep-quote", "[sweep]\nlink.loss.only = \"SYN,ACK\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] link.loss.only: unterminated '\"'" },
  { "/config/bad/sweep-empty", "[sweep]\nlink.loss =\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "bad.ini:2: [sweep] link.loss: no values" },
  { "/config/bad/missing-file", NULL, NULL,
    SYNACK_CONFIG_ERROR_IO, "missing.ini: No such file or directory" },
  { "/config/bad/set-value", "[link]\nloss = bernoulli\n", "link.loss.p=2",
    SYNACK_CONFIG_ERROR_BAD_VALUE, "--set link.loss.p=2: 2 is not a probability (0..1)" },
  { "/config/bad/set-section", "", "lnk.loss.p=1",
    SYNACK_CONFIG_ERROR_UNKNOWN_SECTION, "--set lnk.loss.p=1: no section \"lnk\"; did you mean \"link\"?" },
  { "/config/bad/set-key", "", "link.los=none",
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY, "--set link.los=none: unknown key \"link.los\"; did you mean \"link.loss\"?" },
  { "/config/bad/set-syntax", "", "link.loss",
    SYNACK_CONFIG_ERROR_SYNTAX, "--set link.loss: expected SECTION.KEY=VALUE" },
  { "/config/bad/set-sweep-seed", "", "sweep.experiment.seed=1,2",
    SYNACK_CONFIG_ERROR_BAD_SWEEP, "--set sweep.experiment.seed=1,2: experiment.seed is set once" },
  /* issue 9: sizes checked before anything is allocated (issue 13: the
   * oracle keeps no memory per attempt, so the limit is the 32-bit attempt
   * ids), and durations kept where now + delay cannot overflow */
  { "/config/bad/connections-2^64-1", "[workload]\nconnections = 18446744073709551615\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [workload] connections: 18446744073709551615 attempts in one run is more "
    "than synack can number (at most 4294967295 per run)" },
  /* one above the 32-bit attempt ids, and the largest run there is */
  { "/config/bad/connections-2^32", "[workload]\nconnections = 4294967296\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] connections: 4294967296 attempts" },
  { "/config/bad/connections-10^12", "[workload]\nconnections = 1000000000000\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [workload] connections: 1000000000000 attempts" },
  { "/config/bad/runs-overflow", "[experiment]\nreplications = 4294967295\n"
    "[sweep]\nworkload.clients = 1, 2\n", NULL, SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [experiment] replications: 2 sweep points x 4294967295 replications is more "
    "than 1000000 runs" },
  { "/config/bad/lag-too-long", "[link]\nduplicate.lag = 1000000001s\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE,
    "bad.ini:2: [link] duplicate.lag: \"1000000001s\" is too long (at most 1000000000s" },
  { "/config/bad/time-wait-2^63ns", "[tcp]\ntime_wait = 9223372036854775807ns\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [tcp] time_wait: " },
  { "/config/bad/until-too-long", "[experiment]\nuntil = 300000h\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] until: \"300000h\" is too long" },
  { "/config/bad/max-events-zero", "[experiment]\nmax_events = 0\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] max_events: must be at least 1" },
  { "/config/bad/max-in-flight-word", "[experiment]\nmax_in_flight = lots\n", NULL,
    SYNACK_CONFIG_ERROR_BAD_VALUE, "bad.ini:2: [experiment] max_in_flight: \"lots\" is not" },
  /* found by tests/fuzz (regressions/values): config.ini did not reload */
  { "/config/bad/set-not-utf8", "", "experiment.description=a\\\xff",
    SYNACK_CONFIG_ERROR_SYNTAX, "--set experiment.description=a\\\xef\xbf\xbd: not valid UTF-8" },
  { "/config/bad/set-model-breaks-file", "[link]\nloss = bernoulli\nloss.p = 0.5\n", "link.loss=list",
    SYNACK_CONFIG_ERROR_UNKNOWN_KEY, "bad.ini:3: [link] loss.p: loss model \"list\" has no parameter \"p\"" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *tc = data;
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (GError) error = NULL;

  if (tc->text == NULL) {
    cfg = synack_config_load_file ("missing.ini", registry, &error);
  } else if (tc->set == NULL) {
    cfg = synack_config_load_data (tc->text, "bad.ini", registry, &error);
  } else {
    g_autofree char *before = NULL;
    g_autofree char *after = NULL;

    cfg = synack_config_load_data (tc->text, "bad.ini", registry, &error);
    g_assert_no_error (error);
    before = synack_config_to_ini (cfg);
    g_assert_false (synack_config_set (cfg, tc->set, &error));
    /* a failed --set leaves the config as it was */
    after = synack_config_to_ini (cfg);
    g_assert_cmpstr (before, ==, after);
  }
  if (error == NULL)
    g_error ("no error; expected %s", tc->prefix);
  if (g_test_verbose ())
    g_printerr ("%s\n", error->message);
  g_assert_error (error, SYNACK_CONFIG_ERROR, (gint) tc->code);
  if (!g_str_has_prefix (error->message, tc->prefix))
    g_error ("message \"%s\" does not start with \"%s\"", error->message, tc->prefix);
  if (tc->set == NULL)
    g_assert_null (cfg);
}

/* The same mistake in any section gets the same words (issue 8): every key
 * is a row of a typed table read by core/engine/params, [tcp]'s and the
 * models' as much as [experiment]'s, [workload]'s and [link]'s.  Each row is
 * tried in the file, in [sweep] and as a --set; @words is the
 * message after "KEY: " (after "value V: " in a sweep). */
typedef struct {
  const char *path;
  const char *key;       /* SECTION.KEY */
  const char *value;
  const char *words;
} SameWordsCase;

static const SameWordsCase same_words_cases[] = {
  /* path                                   key                         value    words */
  { "/config/same-words/integer/workload",  "workload.clients",         "-1",    "\"-1\" is not a non-negative integer" },
  { "/config/same-words/integer/request",   "workload.request",         "1.5",   "\"1.5\" is not a non-negative integer" },
  { "/config/same-words/integer/tcp",       "tcp.syn_retries",          "-1",    "\"-1\" is not a non-negative integer" },
  { "/config/same-words/integer/budget",    "experiment.max_events",    "-1",    "\"-1\" is not a non-negative integer or auto" },
  { "/config/same-words/range/workload",    "workload.clients",         "70000", "70000 is outside 1..65535" },
  { "/config/same-words/range/tcp",         "tcp.window",               "70000", "70000 is outside 1..65535" },
  { "/config/same-words/at-least/conns",    "workload.connections",     "0",     "must be at least 1" },
  { "/config/same-words/at-least/budget",   "experiment.max_in_flight", "0",     "must be at least 1" },
  { "/config/same-words/more-than-0/until", "experiment.until",         "0s",    "must be more than 0" },
  { "/config/same-words/more-than-0/rate",  "workload.rate",            "0/s",   "must be more than 0" },
  { "/config/same-words/boolean/link",      "link.reorder",             "maybe", "\"maybe\" is not a boolean (true, false, yes, no, 1, 0)" },
  { "/config/same-words/boolean/tcp",       "tcp.synack_on_dup_syn",    "maybe", "\"maybe\" is not a boolean (true, false, yes, no, 1, 0)" },
  { "/config/same-words/choice/workload",   "workload.closer",          "sever", "\"sever\" is not one of client, server, simultaneous, none; did you mean \"server\"?" },
  { "/config/same-words/choice/tcp",        "tcp.isn",                  "zer0",  "\"zer0\" is not one of random, rfc6528, zero; did you mean \"zero\"?" },
  { "/config/same-words/probability/link",  "link.duplicate",           "2",     "2 is not a probability (0..1)" },
  { "/config/same-words/number/link",       "link.duplicate",           "half",  "\"half\" is not a number" },
  { "/config/same-words/duration/workload", "workload.hold",            "5",     "\"5\" has no unit (ns, us, ms, s, m, h)" },
  { "/config/same-words/duration/link",     "link.duplicate.lag",       "5",     "\"5\" has no unit (ns, us, ms, s, m, h)" },
  { "/config/same-words/duration/tcp",      "tcp.msl",                  "5",     "\"5\" has no unit (ns, us, ms, s, m, h)" },
  { "/config/same-words/negative/duration", "tcp.msl",                  "-5s",   "\"-5s\" is negative" },
  { "/config/same-words/negative/rate",     "workload.flood_rate",      "-5/s",  "\"-5/s\" is negative" },
  { "/config/same-words/rate/no-unit",      "workload.flood_rate",      "5",     "\"5\" has no unit: write 5/s" },
};

static void
test_same_words (gconstpointer data)
{
  const SameWordsCase *tc = data;
  const char *dot = strchr (tc->key, '.');
  g_autofree char *section = g_strndup (tc->key, dot - tc->key);
  g_autofree char *file = g_strdup_printf ("[%s]\n%s = %s\n", section, dot + 1, tc->value);
  g_autofree char *swept = g_strdup_printf ("[sweep]\n%s = %s\n", tc->key, tc->value);
  g_autofree char *set = g_strdup_printf ("%s=%s", tc->key, tc->value);
  g_autofree char *want_file = g_strdup_printf ("bad.ini:2: [%s] %s: %s", section, dot + 1,
                                                tc->words);
  g_autofree char *want_set = g_strdup_printf ("--set %s: %s", set, tc->words);
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (SynackConfig) ok = synack_config_load_data ("", "bad.ini", registry, NULL);
  g_autoptr (GError) error = NULL;

  cfg = synack_config_load_data (file, "bad.ini", registry, &error);
  g_assert_null (cfg);
  g_assert_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, want_file);
  g_clear_error (&error);

  /* in a sweep the value is named before the same words */
  cfg = synack_config_load_data (swept, "bad.ini", registry, &error);
  g_assert_null (cfg);
  g_assert_nonnull (error);
  if (strstr (error->message, tc->words) == NULL)
    g_error ("[sweep] %s: \"%s\" does not say \"%s\"", tc->key, error->message, tc->words);
  g_clear_error (&error);

  g_assert_false (synack_config_set (ok, set, &error));
  g_assert_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, want_set);
}

/* Several --set: applied together, so their order cannot change the
 * result, and a key given twice (or given and swept) is refused.  Each row
 * is tried in both orders. */
typedef struct {
  const char *path;
  const char *text;
  const char *sets[3];
  const char *error;       /* NULL: both orders succeed with one config */
} SetAllCase;

static const SetAllCase set_all_cases[] = {
  { "/config/set-all/model-then-param", "[link]\nloss = none\n",
    { "link.loss=bernoulli", "link.loss.p=0.3" }, NULL },
  { "/config/set-all/param-of-dropped-model", "[link]\nloss = bernoulli\nloss.p = 0.1\n",
    { "link.loss=none", "link.loss.p=0.3" }, "loss model \"none\" has no parameter \"p\"" },
  { "/config/set-all/value-and-sweep", "[link]\nloss = bernoulli\n",
    { "link.loss.p=0.2", "sweep.link.loss.p=0,1" }, "is already set by --set" },
  { "/config/set-all/twice", "",
    { "workload.clients=2", "workload.clients=3" }, "is already set by --set" },
};

static void
test_set_all (gconstpointer data)
{
  const SetAllCase *tc = data;
  g_autofree char *ini[2] = { NULL, NULL };

  for (guint order = 0; order < 2; order++) {
    g_autoptr (GError) error = NULL;
    g_autoptr (SynackConfig) cfg = synack_config_load_data (tc->text, "t.ini", registry,
                                                            &error);
    const char *sets[3] = { tc->sets[order], tc->sets[1 - order], NULL };
    gboolean ok;

    g_assert_no_error (error);
    ok = synack_config_set_all (cfg, sets, &error);
    if (tc->error == NULL) {
      g_assert_no_error (error);
      g_assert_true (ok);
      ini[order] = synack_config_to_ini (cfg);
    } else {
      g_assert_false (ok);
      g_assert_nonnull (error);
      if (strstr (error->message, tc->error) == NULL)
        g_error ("order %u: \"%s\" lacks \"%s\"", order, error->message, tc->error);
    }
  }
  g_assert_cmpstr (ini[0], ==, ini[1]);
  g_free (ini[0]);
  g_free (ini[1]);
  ini[0] = ini[1] = NULL;
}

/* Every problem of a file, in line order, in one message: a user fixes
 * them all in one go (issue 14).  A model name that is wrong takes its
 * parameters with it: they were written for that model. */
static void
test_every_error (void)
{
  static const char text[] =
    "[experiment]\n"
    "replications = 0\n"                 /* 2 */
    "until = 5\n"                        /* 3 */
    "[workload]\n"
    "conections = 5\n"                   /* 5 */
    "rate = fast\n"                      /* 6 */
    "[lnk]\n"                            /* 7 */
    "delay = constant\n"
    "[link]\n"
    "loss = bernouli\n"                  /* 10 */
    "loss.p = 2\n"
    "duplicate = 1.5\n"                  /* 12 */
    "[sweep]\n"
    "link.delay.base = 1ms, 2\n";        /* 14 */
  static const char *const expected[] = {
    "bad.ini:2: [experiment] replications: must be at least 1",
    "bad.ini:3: [experiment] until: \"5\" has no unit",
    "bad.ini:5: [workload] conections: unknown key; did you mean \"connections\"?",
    "bad.ini:6: [workload] rate: \"fast\" is not a rate",
    "bad.ini:7: [lnk]: unknown section; did you mean \"link\"?",
    "bad.ini:10: [link] loss: unknown loss model \"bernouli\"; did you mean \"bernoulli\"?",
    "bad.ini:12: [link] duplicate: 1.5 is not a probability (0..1)",
    "bad.ini:14: [sweep] link.delay.base: value \"2\" has no unit",
    NULL
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = synack_config_load_data (text, "bad.ini", registry, &error);
  g_auto (GStrv) lines = NULL;

  g_assert_null (cfg);
  g_assert_nonnull (error);
  lines = g_strsplit (error->message, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i] != NULL; i++)
    if (!g_str_has_prefix (lines[i], expected[i]))
      g_error ("line %u: \"%s\" does not start with \"%s\"", i, lines[i], expected[i]);
  /* the first problem decides the code */
  g_assert_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_BAD_VALUE);
}

/* /dev/zero (or any huge file) is refused after a bounded read. */
static void
test_endless_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = NULL;

  if (!g_file_test ("/dev/zero", G_FILE_TEST_EXISTS)) {
    g_test_skip ("no /dev/zero");
    return;
  }
  cfg = synack_config_load_file ("/dev/zero", registry, &error);
  g_assert_null (cfg);
  g_assert_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_IO);
  g_assert_nonnull (strstr (error->message, "/dev/zero: longer than"));
}

/* ---- sweep values ----------------------------------------------------------- */

typedef struct {
  const char      *path;
  const char      *text;
  const char      *values;       /* joined with '|'; NULL: an error */
  const char      *normalised;
  SynackSweepError code;
} SweepCase;

static const SweepCase sweep_cases[] = {
  { "/sweep/list", "a, b ,c", "a|b|c", "a, b, c", 0 },
  { "/sweep/list-trailing-comma", "a, b,", "a|b", "a, b", 0 },
  { "/sweep/single", "42", "42", "42", 0 },
  { "/sweep/quoted", "\"SYN,ACK\", SYN", "SYN,ACK|SYN", "\"SYN,ACK\", SYN", 0 },
  { "/sweep/range", "0:0.1:0.5", "0|0.1|0.2|0.3|0.4|0.5", "0:0.1:0.5", 0 },
  { "/sweep/range-spaces", " 0 : 0.1 : 0.3 ", "0|0.1|0.2|0.3", "0:0.1:0.3", 0 },
  { "/sweep/range-inexact-stop", "0:0.3:1", "0|0.3|0.6|0.9", "0:0.3:1", 0 },
  { "/sweep/range-negative", "-0.2:0.1:0.2", "-0.2|-0.1|0|0.1|0.2", "-0.2:0.1:0.2", 0 },
  { "/sweep/range-one", "5:1:5", "5", "5:1:5", 0 },
  { "/sweep/range-duration", "0s:30s:240s", "0s|30s|60s|90s|120s|150s|180s|210s|240s",
    "0s:30s:240s", 0 },
  { "/sweep/range-ms", "0.5ms:0.25ms:1ms", "0.5ms|0.75ms|1ms", "0.5ms:0.25ms:1ms", 0 },
  { "/sweep/range-rate", "100/s:50/s:200/s", "100/s|150/s|200/s", "100/s:50/s:200/s", 0 },
  { "/sweep/range-large", "0:1000000000000:2000000000000", "0|1000000000000|2000000000000",
    "0:1000000000000:2000000000000", 0 },
  { "/sweep/list-and-range", "1, 10:10:30, 100", "1|10|20|30|100", "1, 10:10:30, 100", 0 },
  { "/sweep/error/empty", "", NULL, NULL, SYNACK_SWEEP_ERROR_EMPTY },
  { "/sweep/error/empty-item", "a,,b", NULL, NULL, SYNACK_SWEEP_ERROR_EMPTY },
  { "/sweep/error/stop-below-start", "5:1:4", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/zero-step", "0:0:1", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/negative-step", "1:-1:0", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/two-parts", "0:1", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/not-a-number", "0:x:1", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/bad-unit", "0kg:1kg:2kg", NULL, NULL, SYNACK_SWEEP_ERROR_BAD_RANGE },
  { "/sweep/error/mixed-units", "0s:500ms:2s", NULL, NULL, SYNACK_SWEEP_ERROR_MIXED_UNITS },
  { "/sweep/error/unit-and-none", "0:1s:2s", NULL, NULL, SYNACK_SWEEP_ERROR_MIXED_UNITS },
  { "/sweep/error/too-many", "0:1:100000", NULL, NULL, SYNACK_SWEEP_ERROR_TOO_MANY },
  { "/sweep/error/too-many-items", "1:1:99999, 1, 2", NULL, NULL, SYNACK_SWEEP_ERROR_TOO_MANY },
  { "/sweep/error/huge", "0:1e-300:1e300", NULL, NULL, SYNACK_SWEEP_ERROR_TOO_MANY },
  { "/sweep/error/unterminated", "\"a, b", NULL, NULL, SYNACK_SWEEP_ERROR_SYNTAX },
  { "/sweep/error/stray-quote", "a\"b\"", NULL, NULL, SYNACK_SWEEP_ERROR_SYNTAX },
};

static void
test_sweep (gconstpointer data)
{
  const SweepCase *tc = data;
  g_autoptr (GError) error = NULL;
  g_autofree char *norm = NULL;
  g_autoptr (GPtrArray) values = synack_sweep_expand (tc->text, &norm, &error);

  if (tc->values == NULL) {
    g_assert_null (values);
    g_assert_error (error, SYNACK_SWEEP_ERROR, (gint) tc->code);
    return;
  }
  g_assert_no_error (error);
  g_ptr_array_add (values, NULL);
  {
    g_autofree char *joined = g_strjoinv ("|", (char **) values->pdata);

    g_assert_cmpstr (joined, ==, tc->values);
  }
  g_assert_cmpstr (norm, ==, tc->normalised);
}

/* ---- the rest ------------------------------------------------------------------ */

static void
test_spec_copy (void)
{
  g_autoptr (SynackConfig) cfg = load_good (&good_cases[0]);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) a = NULL;
  g_autoptr (GHashTable) b = NULL;
  SynackRunSpec spec, copy;

  g_assert_true (synack_config_build_run (cfg, 0, &spec, &error));
  spec.trace_prefix = g_strdup ("out/traces/0-1");
  synack_run_spec_copy (&copy, &spec);
  g_assert_true (copy.forward.loss_params != spec.forward.loss_params);
  a = spec_fields (&spec);
  synack_run_spec_clear (&spec);
  b = spec_fields (&copy);
  assert_same_fields (a, b);
  synack_run_spec_clear (&copy);
  g_assert_null (copy.trace_prefix);
  synack_run_spec_clear (&copy);   /* twice is fine */
}

static void
test_enums (void)
{
  SynackArrival a;
  SynackCloser c;

  for (guint i = 0; i <= SYNACK_ARRIVAL_BURST; i++) {
    g_assert_true (synack_arrival_parse (synack_arrival_name (i), &a));
    g_assert_cmpuint (a, ==, i);
  }
  for (guint i = 0; i <= SYNACK_CLOSER_NONE; i++) {
    g_assert_true (synack_closer_parse (synack_closer_name (i), &c));
    g_assert_cmpuint (c, ==, i);
  }
  g_assert_false (synack_arrival_parse ("Poisson", &a));
  g_assert_false (synack_closer_parse (NULL, &c));
  g_assert_cmpstr (synack_closer_name (99), ==, "?");
}

/* load_file reads the same as load_data and names the file. */
static void
test_load_file (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("synack-config-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "my exp.ini", NULL);
  g_autofree char *bad = g_build_filename (dir, "bad.ini", NULL);
  g_autoptr (SynackConfig) cfg = NULL;

  g_assert_no_error (error);
  g_assert_true (g_file_set_contents (path, "[workload]\nclients = 4\n", -1, &error));
  cfg = synack_config_load_file (path, registry, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (synack_config_path (cfg), ==, path);
  g_assert_cmpstr (synack_config_name (cfg), ==, "my_exp");   /* a directory name */
  g_assert_cmpuint (synack_config_seed (cfg), ==, 1);
  g_assert_cmpuint (synack_config_n_points (cfg), ==, 1);

  g_assert_true (g_file_set_contents (bad, "[link]\nloss = x\n", -1, &error));
  g_assert_null (synack_config_load_file (bad, registry, &error));
  g_assert_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_UNKNOWN_MODEL);
  g_assert_true (g_str_has_prefix (error->message, bad));
  g_remove (path);
  g_remove (bad);
  g_rmdir (dir);
}

/* Issue 8 item 5: each sweep point is built once, at load, and kept; the
 * runner, `check` and the warnings read or copy it and never build it
 * again.  A point's build creates the loss model of [link], [link.forward]
 * and [link.reverse] once each; a --set builds the changed config once. */
static void
test_built_once (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = NULL;
  g_autofree char *warnings = NULL;
  const guint points = 4;

  counting_creates = 0;
  cfg = synack_config_load_data ("[link]\nloss = counting\n"
                                 "[sweep]\nlink.duplicate = 0, 0.25, 0.5, 1\n",
                                 "once.ini", registry, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (synack_config_n_points (cfg), ==, points);
  g_assert_cmpuint (counting_creates, ==, 3 * points);
  for (guint p = 0; p < points; p++) {
    const SynackRunSpec *kept = synack_config_run_spec (cfg, p);
    SynackRunSpec copy;

    g_assert_true (synack_config_run_spec (cfg, p) == kept);
    g_assert_cmpfloat (kept->forward.duplicate, ==, p == 3 ? 1.0 : p * 0.25);
    g_assert_true (synack_config_build_run (cfg, p, &copy, &error));
    g_assert_true (copy.forward.loss_params != kept->forward.loss_params);   /* a deep copy */
    g_assert_cmpfloat (copy.forward.duplicate, ==, kept->forward.duplicate);
    synack_run_spec_clear (&copy);
  }
  warnings = synack_config_warnings (cfg);
  g_assert_cmpuint (counting_creates, ==, 3 * points);

  /* a --set builds the new config's points once, and keeps them */
  g_assert_true (synack_config_set (cfg, "link.reverse.duplicate=0.5", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counting_creates, ==, 2 * 3 * points);
  g_assert_cmpfloat (synack_config_run_spec (cfg, 0)->reverse.duplicate, ==, 0.5);
  g_assert_cmpfloat (synack_config_run_spec (cfg, 0)->forward.duplicate, ==, 0.0);
}

/* --seed then --set: the seed stays. */
static void
test_seed (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = synack_config_load_data ("[experiment]\nseed = 7\n", "s.ini",
                                                          registry, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (synack_config_seed (cfg), ==, 7);
  synack_config_set_seed (cfg, 99);
  g_assert_true (synack_config_set (cfg, "workload.clients=2", &error));
  g_assert_cmpuint (synack_config_seed (cfg), ==, 99);
  g_assert_true (synack_config_set (cfg, "experiment.seed=5", &error));
  g_assert_cmpuint (synack_config_seed (cfg), ==, 5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  registry_init ();

  for (guint i = 0; i < G_N_ELEMENTS (good_cases); i++) {
    g_autofree char *rt = g_strconcat ("/config/round-trip/",
                                       good_cases[i].path + strlen ("/config/good/"), NULL);

    g_test_add_data_func (good_cases[i].path, &good_cases[i], test_good);
    g_test_add_data_func (rt, &good_cases[i], test_round_trip);
  }
  for (gsize i = 0; i < G_N_ELEMENTS (set_all_cases); i++)
    g_test_add_data_func (set_all_cases[i].path, &set_all_cases[i], test_set_all);
  g_test_add_func ("/config/bad/endless-file", test_endless_file);
  for (guint i = 0; i < G_N_ELEMENTS (same_words_cases); i++)
    g_test_add_data_func (same_words_cases[i].path, &same_words_cases[i], test_same_words);
  g_test_add_func ("/config/bad/every-error", test_every_error);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  for (guint i = 0; i < G_N_ELEMENTS (sweep_cases); i++)
    g_test_add_data_func (sweep_cases[i].path, &sweep_cases[i], test_sweep);
  g_test_add_func ("/config/spec-copy", test_spec_copy);
  g_test_add_func ("/config/enums", test_enums);
  g_test_add_func ("/config/load-file", test_load_file);
  g_test_add_func ("/config/seed", test_seed);
  g_test_add_func ("/config/built-once", test_built_once);

  {
    int status = g_test_run ();

    synack_registry_free (registry);
    return status;
  }
}
