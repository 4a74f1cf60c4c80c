/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-loss.c - the loss models in models/loss-*.c.
 *
 * The models' .c files are linked into this binary; their descriptors come
 * from the exported synack_plugin_loss_*_describe() functions and go
 * through synack_registry_add(), the path the loader takes.  Covers: none
 * never drops; bernoulli's extremes and its rate within 3 standard errors;
 * gilbert-elliott's rate against the stationary formula and its mean burst
 * length against 1/r; list's counting (a row per drop text, segment
 * sequence and expected dropped indices) and its refused items; and that
 * the same seed gives the same drops. */
#include <math.h>
#include <string.h>

#include "plugin.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_loss_none_describe (void);
const SynackPluginDesc *synack_plugin_loss_bernoulli_describe (void);
const SynackPluginDesc *synack_plugin_loss_gilbert_elliott_describe (void);
const SynackPluginDesc *synack_plugin_loss_list_describe (void);

#define MAX_SET 10   /* 4 key, value pairs and the NULL */

/* A loss model instance with its parameters and stream. */
typedef struct {
  const SynackPluginDesc *desc;
  SynackParams           *params;
  SynackRng              *rng;
  gpointer                self;
} TestLoss;

static void
test_loss_free (TestLoss *t)
{
  if (t == NULL)
    return;
  if (t->self != NULL)
    t->desc->vt.loss->destroy (t->self);
  synack_params_free (t->params);
  synack_rng_free (t->rng);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestLoss, test_loss_free)

/* @set: "key", "value", ..., NULL.  Returns: the instance, or NULL with
 * @error from create(). */
static TestLoss *
test_loss_new (SynackPluginDescribeFunc describe, const char *const *set, guint64 seed,
               GError **error)
{
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  TestLoss *t = g_new0 (TestLoss, 1);

  t->desc = describe ();
  g_assert_true (synack_registry_add (reg, t->desc, "test", NULL));
  t->params = synack_params_new (t->desc->params);
  for (guint i = 0; set != NULL && set[i] != NULL; i += 2) {
    g_autoptr (GError) set_error = NULL;

    synack_params_set (t->params, set[i], set[i + 1], &set_error);
    g_assert_no_error (set_error);
  }
  t->rng = synack_rng_new (seed, "test.loss");
  t->self = t->desc->vt.loss->create (t->params, t->rng, error);
  if (t->self == NULL) {
    test_loss_free (t);
    return NULL;
  }
  return t;
}

static gboolean
test_loss_drop (TestLoss *t, guint16 flags)
{
  SynackSegment seg = { .flags = flags, .src_host = 1, .dst_host = 0 };

  return t->desc->vt.loss->drop (t->self, &seg, 0);
}

/* ---- loss rates --------------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *set[MAX_SET];
  guint64                  n;        /* segments */
  double                   rate;     /* expected loss rate */
  double                   lambda;   /* correlation of successive segments (0: independent) */
} RateCase;

static const RateCase rate_cases[] = {
  /* path                                  model                                          parameters                                              n       rate  lambda */
  { "/loss/none/never",                    synack_plugin_loss_none_describe,              { NULL },                                                10000,  0,    0 },
  { "/loss/bernoulli/p0-never",            synack_plugin_loss_bernoulli_describe,         { "p", "0", NULL },                                      10000,  0,    0 },
  { "/loss/bernoulli/p1-always",           synack_plugin_loss_bernoulli_describe,         { "p", "1", NULL },                                      10000,  1,    0 },
  { "/loss/bernoulli/default-never",       synack_plugin_loss_bernoulli_describe,         { NULL },                                                10000,  0,    0 },
  { "/loss/bernoulli/p0.1",                synack_plugin_loss_bernoulli_describe,         { "p", "0.1", NULL },                                    200000, 0.1,  0 },
  { "/loss/bernoulli/p0.5",                synack_plugin_loss_bernoulli_describe,         { "p", "0.5", NULL },                                    200000, 0.5,  0 },
  /* stationary rate p/(p+r)*bad + r/(p+r)*good; lambda = 1 - p - r */
  { "/loss/gilbert-elliott/default",       synack_plugin_loss_gilbert_elliott_describe,   { NULL },                                                500000, 0.01 / 0.31, 0.69 },
  { "/loss/gilbert-elliott/mixed",         synack_plugin_loss_gilbert_elliott_describe,   { "p", "0.05", "r", "0.2", "good", "0.01", "bad", "0.5", NULL }, 500000, 0.2 * 0.5 + 0.8 * 0.01, 0.75 },
  { "/loss/gilbert-elliott/never-bad",     synack_plugin_loss_gilbert_elliott_describe,   { "p", "0", NULL },                                      10000,  0,    1 },
  { "/loss/gilbert-elliott/always-bad",    synack_plugin_loss_gilbert_elliott_describe,   { "p", "1", "r", "0", NULL },                            10000,  1,    1 },
  { "/loss/gilbert-elliott/independent",   synack_plugin_loss_gilbert_elliott_describe,   { "p", "0.5", "r", "0.5", "good", "0.2", "bad", "0.4", NULL }, 200000, 0.3, 0 },
  /* rate and burst (issue 14): r = 1/burst, p = rate r / (1 - rate) */
  { "/loss/gilbert-elliott/rate0.05-burst4", synack_plugin_loss_gilbert_elliott_describe, { "rate", "0.05", "burst", "4", NULL },       500000, 0.05, 1 - 0.25 - 0.05 * 0.25 / 0.95 },
  { "/loss/gilbert-elliott/rate0.2-burst2",  synack_plugin_loss_gilbert_elliott_describe, { "rate", "0.2", "burst", "2", NULL },        500000, 0.2,  1 - 0.5 - 0.125 },
  { "/loss/gilbert-elliott/rate0.5-burst1",  synack_plugin_loss_gilbert_elliott_describe, { "rate", "0.5", "burst", "1", NULL },        200000, 0.5,  0 },
  { "/loss/gilbert-elliott/rate0-burst3",    synack_plugin_loss_gilbert_elliott_describe, { "rate", "0", "burst", "3", NULL },          10000,  0,    1 },
  { "/loss/gilbert-elliott/rate1-burst5",    synack_plugin_loss_gilbert_elliott_describe, { "rate", "1", "burst", "5", NULL },          10000,  1,    1 },
  { "/loss/list/empty-never",              synack_plugin_loss_list_describe,              { NULL },                                                10000,  0,    0 },
};

static void
test_rate (gconstpointer data)
{
  const RateCase *rc = data;
  g_autoptr (TestLoss) t = test_loss_new (rc->describe, rc->set, 42, NULL);
  guint64 drops = 0;
  double rate, se;

  for (guint64 i = 0; i < rc->n; i++)
    drops += test_loss_drop (t, SYNACK_FLAG_SYN);
  rate = (double) drops / (double) rc->n;
  g_test_message ("loss rate %.5f, expected %.5f", rate, rc->rate);

  if (rc->rate == 0.0 || rc->rate == 1.0) {
    g_assert_cmpfloat (rate, ==, rc->rate);
    return;
  }
  /* Standard error of a mean of n Bernoulli(rate) draws, inflated by the
   * Markov chain's correlation: var * (1 + lambda) / (1 - lambda).  It
   * bounds the Gilbert-Elliott case from above (its per-state loss draws
   * are independent). */
  se = sqrt (rc->rate * (1 - rc->rate) / (double) rc->n * (1 + rc->lambda) / (1 - rc->lambda));
  if (fabs (rate - rc->rate) > 3 * se)
    g_test_fail_printf ("loss rate %.5f, expected %.5f +- %.5f (3 SE)", rate, rc->rate, 3 * se);
}

/* ---- gilbert-elliott bursts ---------------------------------------------------- */

typedef struct {
  const char *path;
  const char *p, *r;    /* with good = 0, bad = 1: a burst is a bad stay */
  guint64     n;
} BurstCase;

static const BurstCase burst_cases[] = {
  { "/loss/gilbert-elliott/burst/r0.3", "0.01", "0.3", 1000000 },
  { "/loss/gilbert-elliott/burst/r0.5", "0.02", "0.5", 500000 },
  { "/loss/gilbert-elliott/burst/r0.1", "0.01", "0.1", 1000000 },
  { "/loss/gilbert-elliott/burst/r1",   "0.05", "1",   100000 },
};

static void
test_burst (gconstpointer data)
{
  const BurstCase *bc = data;
  const char *const set[] = { "p", bc->p, "r", bc->r, "good", "0", "bad", "1", NULL };
  g_autoptr (TestLoss) t = test_loss_new (synack_plugin_loss_gilbert_elliott_describe, set, 7, NULL);
  double r = g_ascii_strtod (bc->r, NULL);
  guint64 drops = 0, bursts = 0;
  gboolean prev = FALSE;
  double mean, se;

  for (guint64 i = 0; i < bc->n; i++) {
    gboolean d = test_loss_drop (t, SYNACK_FLAG_ACK);

    drops += d;
    bursts += d && !prev;
    prev = d;
  }
  g_assert_cmpuint (bursts, >, 100);
  mean = (double) drops / (double) bursts;
  /* a bad stay is geometric: mean 1/r, sd sqrt(1-r)/r */
  se = sqrt (1 - r) / r / sqrt ((double) bursts);
  g_test_message ("%" G_GUINT64_FORMAT " bursts of mean %.4f, expected %.4f", bursts, mean, 1 / r);
  if (r == 1.0)
    g_assert_cmpfloat (mean, ==, 1.0);
  else if (fabs (mean - 1 / r) > 4 * se)
    g_test_fail_printf ("mean burst %.4f, expected %.4f +- %.4f (4 SE)", mean, 1 / r, 4 * se);
}

/* ---- determinism ---------------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *set[MAX_SET];
} SeedCase;

static const SeedCase seed_cases[] = {
  { "/loss/bernoulli/same-seed",       synack_plugin_loss_bernoulli_describe,       { "p", "0.3", NULL } },
  { "/loss/gilbert-elliott/same-seed", synack_plugin_loss_gilbert_elliott_describe, { "p", "0.1", "r", "0.3", "good", "0.05", NULL } },
};

static void
test_same_seed (gconstpointer data)
{
  const SeedCase *sc = data;
  g_autoptr (TestLoss) a = test_loss_new (sc->describe, sc->set, 1234, NULL);
  g_autoptr (TestLoss) b = test_loss_new (sc->describe, sc->set, 1234, NULL);
  g_autoptr (TestLoss) c = test_loss_new (sc->describe, sc->set, 1235, NULL);
  guint differ = 0;

  for (guint i = 0; i < 10000; i++) {
    gboolean da = test_loss_drop (a, SYNACK_FLAG_SYN);

    g_assert_cmpint (da, ==, test_loss_drop (b, SYNACK_FLAG_SYN));
    differ += da != test_loss_drop (c, SYNACK_FLAG_SYN);
  }
  g_assert_cmpuint (differ, >, 0);
}

/* ---- list ----------------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *drop;       /* the loss.drop text */
  const char *segments;   /* flag sets of the segments in order; "-" is no flag */
  const char *dropped;    /* 1-based indices of the segments lost */
} ListCase;

static const ListCase list_cases[] = {
  /* path                           drop                       segments                                                 dropped */
  { "/loss/list/empty",             "",                        "SYN SYN,ACK ACK",                                       "" },
  { "/loss/list/syn-ack-2",         "SYN,ACK#2",               "SYN SYN,ACK SYN SYN,ACK ACK",                           "4" },
  { "/loss/list/any-3",             "#3",                      "SYN SYN,ACK ACK FIN,ACK",                               "3" },
  { "/loss/list/any-counts-no-flags", "#2",                    "- SYN SYN",                                             "2" },
  { "/loss/list/multiple",          "SYN#1 SYN#2 FIN,ACK#1",   "SYN SYN SYN SYN,ACK ACK FIN,ACK ACK FIN,ACK ACK",       "1 2 6" },
  { "/loss/list/exact-flags",       "ACK#1",                   "SYN,ACK PSH,ACK ACK",                                   "3" },
  { "/loss/list/order-and-case",    "ack,syn#1",               "SYN SYN,ACK",                                           "2" },
  { "/loss/list/fin-ack-2",         "FIN,ACK#2",               "FIN,ACK ACK FIN,ACK ACK",                               "3" },
  { "/loss/list/same-segment-twice", "#2 SYN#2",               "SYN SYN SYN",                                           "2" },
  { "/loss/list/any-and-flags",     "#2 ACK#2",                "ACK SYN ACK ACK",                                       "2 3" },
  { "/loss/list/blanks",            "  SYN#1 \t #3 ",          "SYN ACK ACK",                                           "1 3" },
  { "/loss/list/never-reached",     "SYN#5",                   "SYN SYN",                                               "" },
  { "/loss/list/only-once",         "SYN#1",                   "SYN SYN SYN",                                           "1" },
};

static void
test_list (gconstpointer data)
{
  const ListCase *lc = data;
  const char *const set[] = { "drop", lc->drop, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TestLoss) t = test_loss_new (synack_plugin_loss_list_describe, set, 1, &error);
  g_auto (GStrv) segs = g_strsplit (lc->segments, " ", -1);
  g_autoptr (GString) got = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; segs[i] != NULL; i++) {
    guint16 flags = 0;

    if (strcmp (segs[i], "-") != 0)
      g_assert_true (synack_flags_parse (segs[i], &flags, NULL));
    if (test_loss_drop (t, flags))
      g_string_append_printf (got, "%s%u", got->len ? " " : "", i + 1);
  }
  g_assert_cmpstr (got->str, ==, lc->dropped);
}

typedef struct {
  const char *path;
  const char *drop;
  const char *message;    /* the whole message, or its start when it ends with '*' */
} ListBadCase;

static const ListBadCase list_bad_cases[] = {
  { "/loss/list/bad/zero",        "SYN#0",        "item \"SYN#0\": counts start at 1" },
  { "/loss/list/bad/any-zero",    "#0",           "item \"#0\": counts start at 1" },
  { "/loss/list/bad/flag",        "SYNN#1",       "item \"SYNN#1\": \"SYNN\" is not a TCP flag*" },
  { "/loss/list/bad/empty-flag",  "SYN,,ACK#1",   "item \"SYN,,ACK#1\": *" },
  { "/loss/list/bad/no-hash",     "SYN",          "item \"SYN\": expected FLAGS#N or #N (e.g. SYN,ACK#1 or #3)" },
  { "/loss/list/bad/count-word",  "SYN#x",        "item \"SYN#x\": \"x\" is not a count (1, 2, ...)" },
  { "/loss/list/bad/count-empty", "#",            "item \"#\": \"\" is not a count (1, 2, ...)" },
  { "/loss/list/bad/count-sign",  "SYN#1 ACK#-1", "item \"ACK#-1\": \"-1\" is not a count (1, 2, ...)" },
  { "/loss/list/bad/too-large",   "#99999999999999999999", "item \"#99999999999999999999\": *" },
};

static void
test_list_bad (gconstpointer data)
{
  const ListBadCase *lc = data;
  const char *const set[] = { "drop", lc->drop, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (TestLoss) t = test_loss_new (synack_plugin_loss_list_describe, set, 1, &error);
  gsize n = strlen (lc->message);

  g_assert_null (t);
  g_assert_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE);
  if (lc->message[n - 1] == '*')
    g_assert_true (strncmp (error->message, lc->message, n - 1) == 0);
  else
    g_assert_cmpstr (error->message, ==, lc->message);
}

/* gilbert-elliott's two forms do not mix, and not every rate has a burst */
typedef struct {
  const char *path;
  const char *set[MAX_SET];
  const char *message;    /* start of the message */
} GeBadCase;

static const GeBadCase ge_bad_cases[] = {
  { "/loss/gilbert-elliott/bad/rate-without-burst", { "rate", "0.1", NULL },
    "loss.rate needs loss.burst" },
  { "/loss/gilbert-elliott/bad/both-forms", { "rate", "0.1", "burst", "3", "p", "0.2", NULL },
    "give either loss.rate and loss.burst, or loss.p" },
  { "/loss/gilbert-elliott/bad/burst-below-1", { "rate", "0.1", "burst", "0.5", NULL },
    "loss.burst 0.5: a burst is at least 1 segment" },
  { "/loss/gilbert-elliott/bad/rate-too-high", { "rate", "0.6", "burst", "1", NULL },
    "loss.rate 0.6 with loss.burst 1: bursts of 1 segments cannot lose more than 0.5" },
};

static void
test_ge_bad (gconstpointer data)
{
  const GeBadCase *gc = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TestLoss) t = test_loss_new (synack_plugin_loss_gilbert_elliott_describe, gc->set,
                                          1, &error);

  g_assert_null (t);
  g_assert_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE);
  if (!g_str_has_prefix (error->message, gc->message))
    g_error ("\"%s\" does not start with \"%s\"", error->message, gc->message);
}

/* ---- descriptors ---------------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *name;
  const char              *params;   /* names, space-separated */
} DescCase;

static const DescCase desc_cases[] = {
  { "/loss/describe/none",            synack_plugin_loss_none_describe,            "none",            "" },
  { "/loss/describe/bernoulli",       synack_plugin_loss_bernoulli_describe,       "bernoulli",       "p" },
  { "/loss/describe/gilbert-elliott", synack_plugin_loss_gilbert_elliott_describe, "gilbert-elliott", "p r good bad rate burst" },
  { "/loss/describe/list",            synack_plugin_loss_list_describe,            "list",            "drop" },
};

static void
test_describe (gconstpointer data)
{
  const DescCase *dc = data;
  const SynackPluginDesc *desc = dc->describe ();
  g_autoptr (GString) names = g_string_new (NULL);

  g_assert_cmpuint (desc->abi_version, ==, SYNACK_PLUGIN_ABI_VERSION);
  g_assert_cmpint (desc->kind, ==, SYNACK_PLUGIN_LOSS);
  g_assert_cmpstr (desc->name, ==, dc->name);
  g_assert_nonnull (desc->summary);
  for (guint i = 0; desc->params[i].name != NULL; i++) {
    g_string_append_printf (names, "%s%s", names->len ? " " : "", desc->params[i].name);
    g_assert_nonnull (desc->params[i].help);
  }
  g_assert_cmpstr (names->str, ==, dc->params);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (desc_cases); i++)
    g_test_add_data_func (desc_cases[i].path, &desc_cases[i], test_describe);
  for (guint i = 0; i < G_N_ELEMENTS (rate_cases); i++)
    g_test_add_data_func (rate_cases[i].path, &rate_cases[i], test_rate);
  for (guint i = 0; i < G_N_ELEMENTS (burst_cases); i++)
    g_test_add_data_func (burst_cases[i].path, &burst_cases[i], test_burst);
  for (guint i = 0; i < G_N_ELEMENTS (seed_cases); i++)
    g_test_add_data_func (seed_cases[i].path, &seed_cases[i], test_same_seed);
  for (guint i = 0; i < G_N_ELEMENTS (list_cases); i++)
    g_test_add_data_func (list_cases[i].path, &list_cases[i], test_list);
  for (guint i = 0; i < G_N_ELEMENTS (ge_bad_cases); i++)
    g_test_add_data_func (ge_bad_cases[i].path, &ge_bad_cases[i], test_ge_bad);
  for (guint i = 0; i < G_N_ELEMENTS (list_bad_cases); i++)
    g_test_add_data_func (list_bad_cases[i].path, &list_bad_cases[i], test_list_bad);

  return g_test_run ();
}
