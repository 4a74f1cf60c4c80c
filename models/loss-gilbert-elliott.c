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
 * bad = 1 and good = 0 losses come in bursts of mean length 1/r. */
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
  { NULL }
};

static gpointer
gilbert_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  GilbertLoss *l = g_new0 (GilbertLoss, 1);

  l->p = synack_params_get_double (params, "p");
  l->r = synack_params_get_double (params, "r");
  l->loss_good = synack_params_get_double (params, "good");
  l->loss_bad = synack_params_get_double (params, "bad");
  l->in_bad = FALSE;
  l->rng = rng;
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
