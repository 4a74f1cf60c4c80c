/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/loss-gilbert-elliott.c - bursty loss: a two-state Markov chain.
 *
 * The link is either good or bad, and loses a segment with probability
 * `good` or `bad` according to its state (Gilbert 1960, Elliott 1963).
 * It starts good.  For each segment, in this order:
 *   1. the state moves: good -> bad with probability p, bad -> good with
 *      probability r (one uniform draw);
 *   2. the segment is lost with the new state's loss probability (a second
 *      draw).
 * So the chain steps once per segment, not per unit of time: an idle link
 * does not recover.  Moving first means the very first segment may already
 * see the bad state.
 *
 * Stationary probabilities: P(bad) = p/(p+r), P(good) = r/(p+r), so the
 * long-run loss rate is
 *     p/(p+r)*bad + r/(p+r)*good
 * (undefined for p = r = 0, where the link simply stays good).  A stay in
 * the bad state lasts a geometric number of segments of mean 1/r, so with
 * bad = 1 and good = 0 losses come in bursts of mean length 1/r.
 *
 * Most users know a loss rate and a burst length, not p and r (and p is
 * bernoulli's loss probability but a transition probability here: one
 * `loss.p` swept over both models gives two different loss rates).  So
 * `rate` and `burst` may be given instead: bad = 1, good = 0, r = 1/burst
 * and p = rate r / (1 - rate), which makes the stationary loss rate `rate`
 * and the mean burst `burst` segments (Gilbert's model as Hasslinger and
 * Hohlfeld, "The Gilbert-Elliott model for packet loss in real time
 * services on the Internet", MMB 2008, parametrise it).  Not every pair
 * exists: p <= 1 needs rate <= burst / (burst + 1)... exactly when
 * rate r <= 1 - rate. */
#include "plugin.h"

typedef struct {
  double     p, r;          /* transition probabilities per segment */
  double     loss_good;     /* loss probability in each state */
  double     loss_bad;
  gboolean   in_bad;        /* current state */
  SynackRng *rng;           /* (transfer none) */
} GilbertLoss;

static const SynackParamSpec gilbert_params[] = {
  { "p", SYNACK_PARAM_PROBABILITY, "0.01", "",
    "good -> bad transition probability per segment", 0, 0, NULL },
  { "r", SYNACK_PARAM_PROBABILITY, "0.3", "",
    "bad -> good transition probability per segment (mean burst 1/r)",
    0, 0, NULL },
  { "good", SYNACK_PARAM_PROBABILITY, "0", "",
    "loss probability in the good state", 0, 0, NULL },
  { "bad", SYNACK_PARAM_PROBABILITY, "1", "",
    "loss probability in the bad state", 0, 0, NULL },
  { "rate", SYNACK_PARAM_PROBABILITY, "0", "",
    "instead of p, r, good, bad: the mean loss rate (with burst)", 0, 0, NULL },
  { "burst", SYNACK_PARAM_DOUBLE, "0", "segments",
    "instead of p, r, good, bad: the mean burst length (>= 1; 0: use p, r)",
    0, 1e9, NULL },
  { NULL }
};

/* Whether p, r, good and bad are all at their defaults (config.ini writes
 * every parameter out, so "given" cannot be told from "default"). */
static gboolean
four_at_defaults (const SynackParams *params)
{
  for (guint i = 0; i < 4; i++)
    if (synack_params_get_double (params, gilbert_params[i].name)
        != g_ascii_strtod (gilbert_params[i].default_value, NULL))
      return FALSE;
  return TRUE;
}

/* rate and burst -> the chain; FALSE with @error if they do not make one */
static gboolean
from_rate_and_burst (GilbertLoss *l, double rate, double burst, GError **error)
{
  if (burst < 1) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "loss.burst %g: a burst is at least 1 segment", burst);
    return FALSE;
  }
  l->loss_good = 0;
  l->loss_bad = 1;
  l->r = 1 / burst;
  if (rate >= 1) {
    l->p = 1;
    l->r = 0;   /* always bad */
    return TRUE;
  }
  l->p = rate * l->r / (1 - rate);
  if (l->p > 1) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "loss.rate %g with loss.burst %g: bursts of %g segments "
                 "cannot "
                 "lose more than %.4g of the segments; give a longer burst",
                 rate, burst, burst, burst / (burst + 1));
    return FALSE;
  }
  return TRUE;
}

static gpointer
gilbert_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  GilbertLoss *l = g_new0 (GilbertLoss, 1);
  double rate = synack_params_get_double (params, "rate");
  double burst = synack_params_get_double (params, "burst");

  l->in_bad = FALSE;
  l->rng = rng;
  if (burst > 0 || rate > 0) {
    if (burst == 0) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "loss.rate needs loss.burst (the mean burst length, >= 1 "
                   "segment)");
    } else if (!four_at_defaults (params)) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "give either loss.rate and loss.burst, or loss.p, loss.r, "
                   "loss.good and loss.bad, not both");
    } else if (from_rate_and_burst (l, rate, burst, error)) {
      return l;
    }
    g_free (l);
    return NULL;
  }
  l->p = synack_params_get_double (params, "p");
  l->r = synack_params_get_double (params, "r");
  l->loss_good = synack_params_get_double (params, "good");
  l->loss_bad = synack_params_get_double (params, "bad");
  return l;
}

static gboolean
gilbert_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  GilbertLoss *l = self;
  double u = synack_rng_uniform (l->rng);

  /* 1. transition, then 2. loss in the new state */
  if (l->in_bad)
    l->in_bad = !(u < l->r);
  else
    l->in_bad = u < l->p;
  u = synack_rng_uniform (l->rng);
  return u < (l->in_bad ? l->loss_bad : l->loss_good);
}

static void
gilbert_destroy (gpointer self)
{
  g_free (self);
}

static const SynackLossVtable gilbert_vtable = {
  .create = gilbert_create,
  .drop = gilbert_drop,
  .destroy = gilbert_destroy,
};

static const SynackPluginDesc gilbert_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "gilbert-elliott",
  .summary = "bursty loss: a good/bad Markov chain stepped once a segment",
  .params = gilbert_params,
  .vt.loss = &gilbert_vtable,
};

SYNACK_PLUGIN_DEFINE (loss_gilbert_elliott, gilbert_desc)
