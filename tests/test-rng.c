/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-rng.c - named random streams: the derived seeds are pinned
 * (they must never change between versions), equal seed and name repeat a
 * sequence, other names or seeds do not, and the draws have their ranges
 * and, roughly, their mean. */
#include "rng.h"

typedef struct {
  const char *path;
  guint64     seed;
  const char *name;
  guint64     derived;
} DeriveCase;

static const DeriveCase derive_cases[] = {
  /* path                              seed                   name                 derived */
  { "/rng/derive/zero-empty",          0,                     "",                  0xc3817c016ba4ff30ull },
  { "/rng/derive/one-empty",           1,                     "",                  0xadd59ec795ad7f61ull },
  { "/rng/derive/zero-a",              0,                     "a",                 0x5f29c2aadd9b8527ull },
  { "/rng/derive/one-loss",            1,                     "link.forward.loss", 0x36e71637b48a924bull },
  { "/rng/derive/42-forward",          42,                    "link.forward.loss", 0x3cbafa23c164b0b1ull },
  { "/rng/derive/42-reverse",          42,                    "link.reverse.loss", 0x23eacacde317e37eull },
  { "/rng/derive/max-seed",            G_MAXUINT64,           "x",                 0xac9867bf22f6b11full },
  /* seed = FNV-1a-64 offset basis, name "": SplitMix64 of 0, whose value
   * 0xe220a8397b1dcdaf is the published first output of splitmix64.c */
  { "/rng/derive/splitmix-of-zero",    0xcbf29ce484222325ull, "",                  0xe220a8397b1dcdafull },
};

/* synack_rng_splitmix64(x) is the output of SplitMix64 from state x: the
 * published sequence of splitmix64.c (Vigna) seeded with 0 is its value at
 * 0, gamma, 2 gamma, ... with gamma = 0x9e3779b97f4a7c15.  It also keys
 * the RFC 6528 ISNs and the TFO cookies of the models. */
typedef struct {
  const char *path;
  guint64     x;
  guint64     out;
} MixCase;

static const MixCase mix_cases[] = {
  /* path                              x                        out */
  { "/rng/splitmix64/first",           0,                       0xe220a8397b1dcdafull },
  { "/rng/splitmix64/second",          0x9e3779b97f4a7c15ull,   0x6e789e6aa1b965f4ull },
  { "/rng/splitmix64/third",           0x3c6ef372fe94f82aull,   0x06c45d188009454full },
  { "/rng/splitmix64/fourth",          0xdaa66d2c7ddf743full,   0xf88bb8a8724c81ecull },
  /* the sum with gamma wraps */
  { "/rng/splitmix64/max",             G_MAXUINT64,             0xe4d971771b652c20ull },
};

typedef struct {
  const char *path;
  guint64     seed_a;
  const char *name_a;
  guint64     seed_b;
  const char *name_b;
  gboolean    same;
} PairCase;

static const PairCase pair_cases[] = {
  /* path                          seed a  name a               seed b  name b               same */
  { "/rng/stream/same",            7,      "link.forward.loss", 7,      "link.forward.loss", TRUE },
  { "/rng/stream/other-name",      7,      "link.forward.loss", 7,      "link.reverse.loss", FALSE },
  { "/rng/stream/next-name",       7,      "client.1",          7,      "client.2",          FALSE },
  { "/rng/stream/other-seed",      7,      "link.forward.loss", 8,      "link.forward.loss", FALSE },
  { "/rng/stream/empty-name",      7,      "",                  7,      "",                  TRUE },
};

/* The first draws of one stream, pinned: they fix GSL's taus2 and our
 * seeding together, so a change to either shows here. */
static void
test_golden_stream (void)
{
  /* checked against an independent Python SplitMix64 + taus2 */
  static const guint32 expected[] = { 2153846256u, 1443632730u, 493599749u, 3439170005u };
  g_autoptr (SynackRng) rng = synack_rng_new (42, "link.forward.loss");

  for (gsize i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpuint (synack_rng_u32 (rng), ==, expected[i]);
}

static void
test_derive (gconstpointer data)
{
  const DeriveCase *tc = data;

  g_assert_cmphex (synack_rng_derive_seed (tc->seed, tc->name), ==, tc->derived);
}

static void
test_mix (gconstpointer data)
{
  const MixCase *tc = data;

  g_assert_cmphex (synack_rng_splitmix64 (tc->x), ==, tc->out);
}

static void
test_pair (gconstpointer data)
{
  const PairCase *tc = data;
  g_autoptr (SynackRng) a = synack_rng_new (tc->seed_a, tc->name_a);
  g_autoptr (SynackRng) b = synack_rng_new (tc->seed_b, tc->name_b);
  guint equal = 0;
  const guint n = 1000;

  for (guint i = 0; i < n; i++) {
    guint32 x = synack_rng_u32 (a), y = synack_rng_u32 (b);
    double u = synack_rng_uniform (a), v = synack_rng_uniform (b);
    equal += x == y && u == v;
  }
  if (tc->same)
    g_assert_cmpuint (equal, ==, n);
  else
    g_assert_cmpuint (equal, <, 2);
}

/* Another stream's draws never shift this one's. */
static void
test_independent (void)
{
  g_autoptr (SynackRng) alone = synack_rng_new (3, "a");
  g_autoptr (SynackRng) a = synack_rng_new (3, "a");
  g_autoptr (SynackRng) other = synack_rng_new (3, "b");

  for (guint i = 0; i < 100; i++) {
    synack_rng_u32 (other);
    g_assert_cmpuint (synack_rng_u32 (a), ==, synack_rng_u32 (alone));
  }
}

static void
test_ranges (void)
{
  g_autoptr (SynackRng) rng = synack_rng_new (1, "ranges");
  const guint n = 100000;
  double sum = 0.0;
  guint32 or_bits = 0, and_bits = G_MAXUINT32;

  for (guint i = 0; i < n; i++) {
    double u = synack_rng_uniform (rng);
    double p = synack_rng_uniform_pos (rng);
    guint32 x = synack_rng_u32 (rng);

    g_assert_cmpfloat (u, >=, 0.0);
    g_assert_cmpfloat (u, <, 1.0);
    g_assert_cmpfloat (p, >, 0.0);
    g_assert_cmpfloat (p, <, 1.0);
    sum += u;
    or_bits |= x;
    and_bits &= x;
  }
  g_assert_cmpfloat_with_epsilon (sum / n, 0.5, 0.01);
  g_assert_cmphex (or_bits, ==, G_MAXUINT32);   /* all 32 bits vary */
  g_assert_cmphex (and_bits, ==, 0);
}

static void
test_gsl_handle (void)
{
  g_autoptr (SynackRng) rng = synack_rng_new (1, "gsl");

  g_assert_nonnull (synack_rng_gsl (rng));
  g_assert_cmpstr (gsl_rng_name (synack_rng_gsl (rng)), ==, "taus2");
  synack_rng_free (NULL);
}

/* synack draws step taus2 itself (core/engine/rng.c): every number must
 * be the one GSL gives on a twin generator (gsl_rng_clone) from the same
 * state, for each draw, and gsl_ran_* on synack_rng_gsl() must continue
 * the same sequence.  One row per draw; 10^5 draws each, interleaved with
 * GSL's own use of the handle. */
typedef enum { DRAW_UNIFORM, DRAW_UNIFORM_POS, DRAW_U32, DRAW_MIXED } DrawKind;

typedef struct {
  const char *path;
  DrawKind    kind;
} GslDrawCase;

static const GslDrawCase gsl_draw_cases[] = {
  { "/rng/gsl/same-as-gsl/uniform",     DRAW_UNIFORM },
  { "/rng/gsl/same-as-gsl/uniform-pos", DRAW_UNIFORM_POS },
  { "/rng/gsl/same-as-gsl/u32",         DRAW_U32 },
  { "/rng/gsl/same-as-gsl/mixed",       DRAW_MIXED },
};

static void
test_same_as_gsl (gconstpointer data)
{
  const GslDrawCase *tc = data;
  g_autoptr (SynackRng) rng = synack_rng_new (42, tc->path);
  gsl_rng *twin = gsl_rng_clone (synack_rng_gsl (rng));

  for (guint i = 0; i < 100000; i++) {
    DrawKind k = tc->kind == DRAW_MIXED ? (DrawKind) (i % 3) : tc->kind;
    switch (k) {
      case DRAW_UNIFORM:
        g_assert_cmpfloat (synack_rng_uniform (rng), ==, gsl_rng_uniform (twin));
        break;
      case DRAW_UNIFORM_POS:
        g_assert_cmpfloat (synack_rng_uniform_pos (rng), ==, gsl_rng_uniform_pos (twin));
        break;
      default:
        g_assert_cmpuint (synack_rng_u32 (rng), ==, gsl_rng_get (twin));
        break;
    }
    if (tc->kind == DRAW_MIXED && i % 7 == 0)   /* GSL's own draws, on the handle */
      g_assert_cmpuint (gsl_rng_get (synack_rng_gsl (rng)), ==, gsl_rng_get (twin));
  }
  gsl_rng_free (twin);
}

/* Two names whose derived seeds agree in their low 32 bits (found by a
 * birthday search): GSL's taus2 seeding alone keeps only those bits and
 * would give both streams one sequence; the full state fill must not. */
static void
test_low_bits_collision (void)
{
  const char *a = "link.forward.89965.loss", *b = "link.forward.91840.loss";
  g_autoptr (SynackRng) ra = synack_rng_new (1, a);
  g_autoptr (SynackRng) rb = synack_rng_new (1, b);
  guint same = 0;

  g_assert_cmphex (synack_rng_derive_seed (1, a) & 0xffffffffu, ==,
                   synack_rng_derive_seed (1, b) & 0xffffffffu);
  g_assert_cmphex (synack_rng_derive_seed (1, a), !=, synack_rng_derive_seed (1, b));
  for (guint i = 0; i < 100; i++)
    same += synack_rng_u32 (ra) == synack_rng_u32 (rb);
  g_assert_cmpuint (same, <, 3);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (gsize i = 0; i < G_N_ELEMENTS (derive_cases); i++)
    g_test_add_data_func (derive_cases[i].path, &derive_cases[i], test_derive);
  for (gsize i = 0; i < G_N_ELEMENTS (pair_cases); i++)
    g_test_add_data_func (pair_cases[i].path, &pair_cases[i], test_pair);
  for (gsize i = 0; i < G_N_ELEMENTS (mix_cases); i++)
    g_test_add_data_func (mix_cases[i].path, &mix_cases[i], test_mix);
  g_test_add_func ("/rng/stream/golden", test_golden_stream);
  g_test_add_func ("/rng/stream/independent", test_independent);
  g_test_add_func ("/rng/stream/low-bits-collision", test_low_bits_collision);
  g_test_add_func ("/rng/draw/ranges", test_ranges);
  g_test_add_func ("/rng/gsl/handle", test_gsl_handle);
  for (gsize i = 0; i < G_N_ELEMENTS (gsl_draw_cases); i++)
    g_test_add_data_func (gsl_draw_cases[i].path, &gsl_draw_cases[i], test_same_as_gsl);
  return g_test_run ();
}
