/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/rng.c - named random streams: gsl_rng_taus2 seeded per name.
 *
 * Seed derivation: x = seed XOR FNV-1a-64(name), then one SplitMix64 step
 * on x (Steele, Lea, Flood 2014, with the constants of Vigna's
 * splitmix64.c and Java's SplittableRandom).
 * FNV-1a spreads every byte of the name over 64 bits; SplitMix64 is a
 * bijection with full avalanche, so neighbouring run seeds (1, 2, 3) and
 * similar names ("link.forward.1", "link.forward.2") give unrelated seeds.
 * Both are a few lines of integer arithmetic with published constants, so
 * the derived seed is the same on every platform and in every version.
 *
 * Filling taus2's state.  GSL's own seeding (gsl/rng/taus.c) takes only the
 * low 32 bits of a seed: two of n streams would then share one sequence
 * with probability about n^2 / 2^33, and a run with 10^4 client hosts has
 * 6 x 10^4 streams (one loss, delay and duplication stream per link): a
 * collision would be likely.  So after gsl_rng_set() the three 32-bit state
 * words are overwritten with three more SplitMix64 outputs, each lifted
 * above its minimum as GSL does (2, 8, 16), and six outputs are discarded
 * as GSL does: 2^96 starting points instead of 2^32.  This writes GSL's
 * taus_state_t {s1, s2, s3} (unchanged since GSL 1.0); should its size
 * ever differ, GSL's own seeding is used as is.
 *
 * Drawing.  GSL draws through two function pointers per number
 * (gsl_rng_uniform -> r->type->get_double -> taus_get), 4 % of a handshake
 * run.  The generator stays GSL's taus2, seeded and stored by GSL; the
 * three draws synack makes itself (uniform, uniform_pos, u32) step its
 * state here with taus2's own recurrence (L'Ecuyer 1996, as gsl/rng/taus.c
 * writes it) and GSL's scaling, so every number is the one GSL would give
 * (tests/test-rng.c checks them against gsl_rng_get on a twin), and
 * gsl_ran_* on synack_rng_gsl() continue the same sequence.  If GSL's
 * state ever had another layout, GSL's own functions are used.
 *
 * gsl_rng_env_setup() is never called: GSL_RNG_TYPE / GSL_RNG_SEED in the
 * environment must not change a run. */
#include "rng.h"

struct _SynackRng {
  gsl_rng       *gsl;
  unsigned long *taus;    /* GSL's taus_state_t {s1, s2, s3}, or NULL */
};

#define FNV1A64_OFFSET 0xcbf29ce484222325ull
#define FNV1A64_PRIME  0x100000001b3ull

static guint64
fnv1a64 (const char *s)
{
  guint64 h = FNV1A64_OFFSET;

  for (; *s != '\0'; s++) {
    h ^= (guint8) *s;
    h *= FNV1A64_PRIME;
  }
  return h;
}

guint64
synack_rng_splitmix64 (guint64 x)
{
  guint64 z = x + 0x9e3779b97f4a7c15ull;

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

guint64
synack_rng_derive_seed (guint64 seed, const char *name)
{
  g_return_val_if_fail (name != NULL, 0);

  return synack_rng_splitmix64 (seed ^ fnv1a64 (name));
}

SynackRng *
synack_rng_new (guint64 seed, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  SynackRng *rng = g_new0 (SynackRng, 1);
  guint64 x;

  rng->gsl = gsl_rng_alloc (gsl_rng_taus2);
  if (rng->gsl == NULL)            /* out of memory, with GSL's handler off */
    g_error ("gsl_rng_alloc: out of memory");
  x = synack_rng_derive_seed (seed, name);
  gsl_rng_set (rng->gsl, (unsigned long) x);
  if (gsl_rng_size (rng->gsl) == 3 * sizeof (unsigned long)) {
    unsigned long *state = gsl_rng_state (rng->gsl);
    static const unsigned long min[3] = { 2, 8, 16 };

    /* the SplitMix64 sequence that continues from x */
    for (guint i = 0; i < 3; i++) {
      state[i] = (unsigned long) (synack_rng_splitmix64 (
                                      x + (i + 1) * 0x9e3779b97f4a7c15ull) >>
                                  32);
      if (state[i] < min[i])
        state[i] += min[i];
    }
    for (guint i = 0; i < 6; i++)
      gsl_rng_get (rng->gsl);
    rng->taus = state;
  }
  return rng;
}

void
synack_rng_free (SynackRng *rng)
{
  if (rng == NULL)
    return;
  gsl_rng_free (rng->gsl);
  g_free (rng);
}

/* taus_get() of gsl/rng/taus.c: the three Tausworthe components, 32 bits
 * each in unsigned longs. */
#define TAUS_MASK 0xffffffffUL
#define TAUSWORTHE(s, a, b, c, d)                     \
  ((((s) & (c)) << (d)) & TAUS_MASK)                  \
  ^ (((((s) << (a)) & TAUS_MASK) ^ (s)) >> (b))

static inline unsigned long
taus_get (unsigned long *st)
{
  st[0] = TAUSWORTHE (st[0], 13, 19, 4294967294UL, 12);
  st[1] = TAUSWORTHE (st[1], 2, 25, 4294967288UL, 4);
  st[2] = TAUSWORTHE (st[2], 3, 11, 4294967280UL, 17);
  return st[0] ^ st[1] ^ st[2];
}

double
synack_rng_uniform (SynackRng *rng)
{
  if (G_LIKELY (rng->taus != NULL))
    return (double) taus_get (rng->taus) / 4294967296.0;   /* taus_get_double */
  return gsl_rng_uniform (rng->gsl);
}

double
synack_rng_uniform_pos (SynackRng *rng)
{
  if (G_LIKELY (rng->taus != NULL)) {
    double x;
    do                                       /* gsl_rng_uniform_pos */
      x = (double) taus_get (rng->taus) / 4294967296.0;
    while (x == 0);
    return x;
  }
  return gsl_rng_uniform_pos (rng->gsl);
}

guint32
synack_rng_u32 (SynackRng *rng)
{
  /* taus2's range is [0, 2^32 - 1]: every bit is random. */
  if (G_LIKELY (rng->taus != NULL))
    return (guint32) taus_get (rng->taus);
  return (guint32) gsl_rng_get (rng->gsl);
}

gsl_rng *
synack_rng_gsl (SynackRng *rng)
{
  return rng->gsl;
}
