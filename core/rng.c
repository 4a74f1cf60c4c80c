/* core/rng.c - named random streams: gsl_rng_taus2 seeded per name.
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
 * GSL's taus2 seeding (gsl/rng/taus.c): gsl_rng_set() maps 0 to 1, then
 * fills the three 32-bit state words with the LCG x -> 69069 x mod 2^32,
 * lifting each above its minimum (2, 8, 16), and discards 6 outputs.  Only
 * the low 32 bits of the seed reach the state.  The derived seed is passed
 * as is: SplitMix64's low 32 bits are as well mixed as its high ones.  The
 * cost is that two streams share a sequence when their derived seeds agree
 * in the low 32 bits: one chance in 2^32 per pair, so about n^2 / 2^33 for
 * n streams in one run (1% at 10^4 streams, likely at 10^5).
 *
 * gsl_rng_env_setup() is never called: GSL_RNG_TYPE / GSL_RNG_SEED in the
 * environment must not change a run. */
#include "rng.h"

struct _SynackRng {
  gsl_rng *gsl;
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

static guint64
splitmix64 (guint64 x)
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

  return splitmix64 (seed ^ fnv1a64 (name));
}

SynackRng *
synack_rng_new (guint64 seed, const char *name)
{
  g_return_val_if_fail (name != NULL, NULL);

  SynackRng *rng = g_new0 (SynackRng, 1);

  rng->gsl = gsl_rng_alloc (gsl_rng_taus2);
  if (rng->gsl == NULL)            /* out of memory, with GSL's handler off */
    g_error ("gsl_rng_alloc: out of memory");
  gsl_rng_set (rng->gsl, (unsigned long) synack_rng_derive_seed (seed, name));
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

double
synack_rng_uniform (SynackRng *rng)
{
  return gsl_rng_uniform (rng->gsl);
}

double
synack_rng_uniform_pos (SynackRng *rng)
{
  return gsl_rng_uniform_pos (rng->gsl);
}

guint32
synack_rng_u32 (SynackRng *rng)
{
  /* taus2's range is [0, 2^32 - 1]: every bit is random. */
  return (guint32) gsl_rng_get (rng->gsl);
}

gsl_rng *
synack_rng_gsl (SynackRng *rng)
{
  return rng->gsl;
}
