/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-delay.c - the delay models in models/delay-*.c.
 *
 * The models' .c files are linked into this binary; their descriptors come
 * from the exported synack_plugin_delay_*_describe() functions and go
 * through synack_registry_add(), the path the loader takes.  Covers: each
 * model's samples stay within their bounds (>= 0 always, >= base where the
 * random part is non-negative), the constant model is exact, the sample
 * mean is within a few standard errors of the analytic mean (uniform,
 * normal, normal truncated at 0, exponential, lognormal, pareto with shape
 * 3), parameters create() refuses, and that the same seed gives the same
 * samples. */
#include <math.h>
#include <string.h>

#include "plugin.h"
#include "registry.h"

const SynackPluginDesc *synack_plugin_delay_constant_describe (void);
const SynackPluginDesc *synack_plugin_delay_uniform_describe (void);
const SynackPluginDesc *synack_plugin_delay_normal_describe (void);
const SynackPluginDesc *synack_plugin_delay_exponential_describe (void);
const SynackPluginDesc *synack_plugin_delay_pareto_describe (void);
const SynackPluginDesc *synack_plugin_delay_lognormal_describe (void);

#define MAX_SET 10   /* 4 key, value pairs and the NULL */
#define MS      1e6  /* ns */

/* A delay model instance with its parameters and stream. */
typedef struct {
  const SynackPluginDesc *desc;
  SynackParams           *params;
  SynackRng              *rng;
  gpointer                self;
} TestDelay;

static void
test_delay_free (TestDelay *t)
{
  if (t == NULL)
    return;
  if (t->self != NULL)
    t->desc->vt.delay->destroy (t->self);
  synack_params_free (t->params);
  synack_rng_free (t->rng);
  g_free (t);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDelay, test_delay_free)

/* @set: "key", "value", ..., NULL.  Returns: the instance, or NULL with
 * @error from create(). */
static TestDelay *
test_delay_new (SynackPluginDescribeFunc describe, const char *const *set, guint64 seed,
                GError **error)
{
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  TestDelay *t = g_new0 (TestDelay, 1);

  t->desc = describe ();
  g_assert_true (synack_registry_add (reg, t->desc, "test", NULL));
  t->params = synack_params_new (t->desc->params);
  for (guint i = 0; set != NULL && set[i] != NULL; i += 2) {
    g_autoptr (GError) set_error = NULL;

    synack_params_set (t->params, set[i], set[i + 1], &set_error);
    g_assert_no_error (set_error);
  }
  t->rng = synack_rng_new (seed, "test.delay");
  t->self = t->desc->vt.delay->create (t->params, t->rng, error);
  if (t->self == NULL) {
    test_delay_free (t);
    return NULL;
  }
  return t;
}

static SynackTime
test_delay_sample (TestDelay *t)
{
  SynackSegment seg = { .flags = SYNACK_FLAG_SYN, .src_host = 1, .dst_host = 0 };

  return t->desc->vt.delay->sample (t->self, &seg, 0);
}

/* ---- bounds and means --------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *set[MAX_SET];
  guint                    n;         /* samples */
  double                   lo_ms;     /* every sample >= lo */
  double                   hi_ms;     /* every sample <= hi; < 0: no bound */
  double                   mean_ms;   /* analytic mean of the total */
  double                   sd_ms;     /* analytic sd; 0: every sample is exactly the mean */
} MeanCase;

static const MeanCase mean_cases[] = {
  /* path                                model                                      parameters                                    n       lo    hi    mean   sd */
  { "/delay/constant/default",           synack_plugin_delay_constant_describe,     { NULL },                                     1000,   10,   10,   10,    0 },
  { "/delay/constant/zero",              synack_plugin_delay_constant_describe,     { "base", "0s", NULL },                       1000,   0,    0,    0,     0 },
  { "/delay/constant/odd-ns",            synack_plugin_delay_constant_describe,     { "base", "1234567ns", NULL },                1000,   1.234567, 1.234567, 1.234567, 0 },
  /* U(min, max): mean (min + max) / 2, sd (max - min) / sqrt(12) */
  { "/delay/uniform/default",            synack_plugin_delay_uniform_describe,      { NULL },                                     100000, 10,   20,   15,    10 / 3.4641016151377544 },
  { "/delay/uniform/shifted",            synack_plugin_delay_uniform_describe,      { "base", "1ms", "min", "2ms", "max", "6ms", NULL }, 100000, 3, 7, 5,  4 / 3.4641016151377544 },
  { "/delay/uniform/degenerate",         synack_plugin_delay_uniform_describe,      { "min", "2ms", "max", "2ms", NULL },         1000,   12,   12,   12,    0 },
  /* N(mean, sd) far from 0: no truncation to speak of */
  { "/delay/normal/small-sd",            synack_plugin_delay_normal_describe,       { "mean", "1ms", "sd", "100us", NULL },       100000, 0,    -1,   11,    0.1 },
  { "/delay/normal/default",             synack_plugin_delay_normal_describe,       { NULL },                                     100000, 0,    -1,   10,    2 },
  { "/delay/normal/sd-zero",             synack_plugin_delay_normal_describe,       { "mean", "3ms", "sd", "0s", NULL },          1000,   13,   13,   13,    0 },
  /* base + mean = 0: truncation by redrawing gives a half-normal, mean
   * sd*sqrt(2/pi) and sd sd*sqrt(1-2/pi); clamping would give sd/sqrt(2pi) */
  { "/delay/normal/truncated",           synack_plugin_delay_normal_describe,       { "base", "0s", "sd", "1ms", NULL },          100000, 0,    -1,   0.7978845608028654, 0.6028102749890869 },
  /* Exp(mean): sd = mean */
  { "/delay/exponential/default",        synack_plugin_delay_exponential_describe,  { NULL },                                     100000, 10,   -1,   15,    5 },
  { "/delay/exponential/no-base",        synack_plugin_delay_exponential_describe,  { "base", "0s", "mean", "1ms", NULL },        100000, 0,    -1,   1,     1 },
  { "/delay/exponential/mean-zero",      synack_plugin_delay_exponential_describe,  { "mean", "0s", NULL },                       1000,   10,   10,   10,    0 },
  /* lognormal given by the mean and sd of its random part */
  { "/delay/lognormal/default",          synack_plugin_delay_lognormal_describe,    { NULL },                                     100000, 10,   -1,   15,    5 },
  { "/delay/lognormal/narrow",           synack_plugin_delay_lognormal_describe,    { "mean", "5ms", "sd", "500us", NULL },       100000, 10,   -1,   15,    0.5 },
  { "/delay/lognormal/zero",             synack_plugin_delay_lognormal_describe,    { "mean", "0s", "sd", "0s", NULL },           1000,   10,   10,   10,    0 },
  /* Pareto(shape 3, scale): mean scale*shape/(shape-1), variance
   * scale^2*shape/((shape-1)^2 (shape-2)) */
  { "/delay/pareto/shape3",              synack_plugin_delay_pareto_describe,       { "shape", "3", "scale", "1ms", NULL },       200000, 11,   -1,   11.5,  0.8660254037844386 },
  /* default shape 1.5: finite mean 3*scale, infinite variance: bounds only */
  { "/delay/pareto/default-bounds",      synack_plugin_delay_pareto_describe,       { NULL },                                     100000, 11,   -1,   -1,    -1 },
  { "/delay/pareto/heavy-bounds",        synack_plugin_delay_pareto_describe,       { "shape", "0.01", NULL },                    100000, 11,   -1,   -1,    -1 },
};

static void
test_mean (gconstpointer data)
{
  const MeanCase *mc = data;
  g_autoptr (TestDelay) t = test_delay_new (mc->describe, mc->set, 99, NULL);
  SynackTime lo = llround (mc->lo_ms * MS);
  SynackTime hi = llround (mc->hi_ms * MS);
  double sum = 0, mean_ms, se_ms;

  for (guint i = 0; i < mc->n; i++) {
    SynackTime d = test_delay_sample (t);

    g_assert_cmpint (d, >=, 0);
    g_assert_cmpint (d, >=, lo);
    if (mc->hi_ms >= 0)
      g_assert_cmpint (d, <=, hi);
    sum += (double) d;
  }
  if (mc->sd_ms < 0)     /* no finite variance: bounds only */
    return;
  mean_ms = sum / mc->n / MS;
  g_test_message ("sample mean %.6f ms, expected %.6f ms", mean_ms, mc->mean_ms);
  if (mc->sd_ms == 0) {
    g_assert_cmpfloat (mean_ms, ==, mc->mean_ms);
    return;
  }
  se_ms = mc->sd_ms / sqrt (mc->n);
  /* 1 ns of rounding per sample is far below the tolerance */
  if (fabs (mean_ms - mc->mean_ms) > 4 * se_ms)
    g_test_fail_printf ("sample mean %.6f ms, expected %.6f +- %.6f ms (4 SE)",
                        mean_ms, mc->mean_ms, 4 * se_ms);
}

/* ---- refused parameters -------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *set[MAX_SET];
  const char              *message;
} BadCase;

static const BadCase bad_cases[] = {
  { "/delay/uniform/bad/min-above-max", synack_plugin_delay_uniform_describe,
    { "min", "20ms", "max", "10ms", NULL }, "min (20ms) is greater than max (10ms)" },
  { "/delay/lognormal/bad/mean-zero",   synack_plugin_delay_lognormal_describe,
    { "mean", "0s", "sd", "1ms", NULL },    "mean must be above 0s when sd is (a lognormal is positive)" },
};

static void
test_bad (gconstpointer data)
{
  const BadCase *bc = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (TestDelay) t = test_delay_new (bc->describe, bc->set, 1, &error);

  g_assert_null (t);
  g_assert_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, bc->message);
}

/* Pareto's shape range comes from the spec table, not from create(). */
typedef struct {
  const char *path;
  const char *shape;
  const char *message;
} ShapeCase;

static const ShapeCase shape_cases[] = {
  { "/delay/pareto/bad/shape-zero", "0",   "0 is outside 0.01..100" },
  { "/delay/pareto/bad/shape-big",  "101", "101 is outside 0.01..100" },
};

static void
test_shape (gconstpointer data)
{
  const ShapeCase *sc = data;
  g_autoptr (SynackParams) params = synack_params_new (synack_plugin_delay_pareto_describe ()->params);
  g_autoptr (GError) error = NULL;

  g_assert_false (synack_params_set (params, "shape", sc->shape, &error));
  g_assert_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE);
  g_assert_cmpstr (error->message, ==, sc->message);
}

/* ---- determinism ---------------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
} SeedCase;

static const SeedCase seed_cases[] = {
  { "/delay/uniform/same-seed",     synack_plugin_delay_uniform_describe },
  { "/delay/normal/same-seed",      synack_plugin_delay_normal_describe },
  { "/delay/exponential/same-seed", synack_plugin_delay_exponential_describe },
  { "/delay/pareto/same-seed",      synack_plugin_delay_pareto_describe },
  { "/delay/lognormal/same-seed",   synack_plugin_delay_lognormal_describe },
};

static void
test_same_seed (gconstpointer data)
{
  const SeedCase *sc = data;
  g_autoptr (TestDelay) a = test_delay_new (sc->describe, NULL, 2024, NULL);
  g_autoptr (TestDelay) b = test_delay_new (sc->describe, NULL, 2024, NULL);
  g_autoptr (TestDelay) c = test_delay_new (sc->describe, NULL, 2025, NULL);
  guint differ = 0;

  for (guint i = 0; i < 1000; i++) {
    SynackTime da = test_delay_sample (a);

    g_assert_cmpint (da, ==, test_delay_sample (b));
    differ += da != test_delay_sample (c);
  }
  g_assert_cmpuint (differ, >, 900);
}

/* ---- descriptors ---------------------------------------------------------------- */

typedef struct {
  const char              *path;
  SynackPluginDescribeFunc describe;
  const char              *name;
  const char              *params;   /* names, space-separated */
} DescCase;

static const DescCase desc_cases[] = {
  { "/delay/describe/constant",    synack_plugin_delay_constant_describe,    "constant",    "base" },
  { "/delay/describe/uniform",     synack_plugin_delay_uniform_describe,     "uniform",     "base min max" },
  { "/delay/describe/normal",      synack_plugin_delay_normal_describe,      "normal",      "base mean sd" },
  { "/delay/describe/exponential", synack_plugin_delay_exponential_describe, "exponential", "base mean" },
  { "/delay/describe/pareto",      synack_plugin_delay_pareto_describe,      "pareto",      "base shape scale" },
  { "/delay/describe/lognormal",   synack_plugin_delay_lognormal_describe,   "lognormal",   "base mean sd" },
};

static void
test_describe (gconstpointer data)
{
  const DescCase *dc = data;
  const SynackPluginDesc *desc = dc->describe ();
  g_autoptr (GString) names = g_string_new (NULL);
  g_autoptr (SynackParams) params = synack_params_new (desc->params);

  g_assert_cmpuint (desc->abi_version, ==, SYNACK_PLUGIN_ABI_VERSION);
  g_assert_cmpint (desc->kind, ==, SYNACK_PLUGIN_DELAY);
  g_assert_cmpstr (desc->name, ==, dc->name);
  g_assert_nonnull (desc->summary);
  for (guint i = 0; desc->params[i].name != NULL; i++) {
    g_string_append_printf (names, "%s%s", names->len ? " " : "", desc->params[i].name);
    g_assert_nonnull (desc->params[i].help);
  }
  g_assert_cmpstr (names->str, ==, dc->params);
  /* every model: base is the propagation delay, 10ms by default */
  g_assert_cmpint (synack_params_get_duration (params, "base"), ==, 10 * SYNACK_MSECOND);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (desc_cases); i++)
    g_test_add_data_func (desc_cases[i].path, &desc_cases[i], test_describe);
  for (guint i = 0; i < G_N_ELEMENTS (mean_cases); i++)
    g_test_add_data_func (mean_cases[i].path, &mean_cases[i], test_mean);
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    g_test_add_data_func (bad_cases[i].path, &bad_cases[i], test_bad);
  for (guint i = 0; i < G_N_ELEMENTS (shape_cases); i++)
    g_test_add_data_func (shape_cases[i].path, &shape_cases[i], test_shape);
  for (guint i = 0; i < G_N_ELEMENTS (seed_cases); i++)
    g_test_add_data_func (seed_cases[i].path, &seed_cases[i], test_same_seed);

  return g_test_run ();
}
