/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/rng.h - named, independent random streams on top of GSL.
 *
 * Each model instance owns one stream, seeded from the run seed and the
 * stream's name ("link.forward.3.loss"), so adding or removing a stream never
 * shifts another's draws and the same seed gives the same run.  The generator
 * is gsl_rng_taus2: 24 bytes of state and fast, which matters with one stream
 * per link on thousands of client hosts. */
#pragma once

#include <glib.h>
#include <gsl/gsl_rng.h>

G_BEGIN_DECLS

typedef struct _SynackRng SynackRng;     /* opaque */

/* A 64-bit seed derived from @seed and @name (SplitMix64 over FNV-1a of the
 * name): stable across versions and platforms. */
guint64     synack_rng_derive_seed (guint64 seed, const char *name);
/* One step of SplitMix64 from state @x (Steele, Lea, Flood 2014; Vigna's
 * splitmix64.c): a bijection of 64-bit words with full avalanche, for
 * seeds and keyed hashes.  Not a cryptographic PRF. */
guint64     synack_rng_splitmix64  (guint64 x);

/* Returns: (transfer full) a stream seeded from @seed and @name. */
SynackRng  *synack_rng_new         (guint64 seed, const char *name);
void        synack_rng_free        (SynackRng *rng);          /* NULL is fine */

/* Uniform in [0, 1). */
double      synack_rng_uniform     (SynackRng *rng);
/* Uniform in (0, 1): never 0, safe under log(). */
double      synack_rng_uniform_pos (SynackRng *rng);
/* Uniform 32-bit integer. */
guint32     synack_rng_u32         (SynackRng *rng);
/* The GSL generator, for gsl_ran_* distributions. (transfer none) */
gsl_rng    *synack_rng_gsl         (SynackRng *rng);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackRng, synack_rng_free)

G_END_DECLS
