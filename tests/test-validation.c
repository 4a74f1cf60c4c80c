/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-validation.c - synack against theory.
 *
 * 1. Cardwell, Savage and Anderson, "Modeling TCP Latency" (INFOCOM 2000),
 *    eq. for the expected 3-way handshake latency with independent loss
 *    pf of SYNs and pr of SYN,ACKs, initial timeout Ts doubling without
 *    bound and no limit on retries:
 *        E[L] = RTT + Ts ((1 - pr)/(1 - 2 pr) + (1 - pf)/(1 - 2 pf) - 2),  p < 1/2.
 *    The model's assumptions, and how the runs are configured to meet them:
 *    - only SYNs (forward) and SYN,ACKs (reverse) are lost: loss.only;
 *    - a lost SYN is recovered by the client's timer (Ts, 2Ts, ...), a lost
 *      SYN,ACK by the server's own timer started when the SYN arrived:
 *      the rfc9293 answer to a retransmitted SYN in SYN_RECEIVED is an ACK
 *      (synack_on_dup_syn = false), which a client in SYN_SENT drops, so
 *      the client's retransmitted SYNs do not speed the SYN,ACK up;
 *    - Ts = 3 s (rfc2988), the backoff never capped (rto_max = 10h) and
 *      retries unlimited in practice (40);
 *    - constant delay, RTT = 2 x 50 ms.
 *    The model's mean must lie inside the 95 % Student-t interval of the
 *    simulated mean over the replications, at loss rates below 1/4 (where
 *    the latency's variance is finite).
 * 2. The Wilson interval of the failure rate narrows as replications grow.
 */
#include <glib.h>
#include <math.h>

#include "config.h"
#include "registry.h"
#include "runner.h"
#include "stats.h"

static SynackRegistry *registry;

static const char cardwell_ini[] =
  "[experiment]\n"
  "name = cardwell\n"
  "profile = rfc2988\n"
  "until = 10h\n"
  "[workload]\n"
  "connections = 2000\n"
  "clients = 20\n"
  "rate = 100/s\n"
  "hold = 100ms\n"
  "[link]\n"
  "delay = constant\n"
  "delay.base = 50ms\n"
  "loss = bernoulli\n"
  "[link.forward]\n"
  "loss.only = SYN\n"
  "[link.reverse]\n"
  "loss.only = SYN,ACK\n"
  "[tcp]\n"
  "rto_max = 10h\n"
  "syn_retries = 40\n"
  "synack_retries = 40\n"
  "synack_on_dup_syn = false\n";

typedef struct {
  const char *path;
  double      p;          /* pf = pr */
  guint       replications;
} CardwellCase;

static const CardwellCase cardwell_cases[] = {
  { "/validation/cardwell/p-0.05", 0.05, 12 },
  { "/validation/cardwell/p-0.10", 0.10, 12 },
  { "/validation/cardwell/p-0.15", 0.15, 16 },
  { "/validation/cardwell/p-0.20", 0.20, 16 },
  /* not beyond: for p >= 1/4 the latency (Ts 2^K with K geometric) has an
   * infinite variance, E[4^K] diverges, and no interval on a sample mean
   * means anything */
};

static double
cardwell_mean (double rtt, double ts, double pf, double pr)
{
  return rtt + ts * ((1 - pr) / (1 - 2 * pr) + (1 - pf) / (1 - 2 * pf) - 2);
}

/* Runs point 0 of @cfg @reps times with the runner's seeds; fills per-run
 * handshake means and the pooled attempt / established counts. */
static void
run_replications (SynackConfig *cfg, guint reps, double *means, guint64 *attempts,
                  guint64 *established)
{
  g_autoptr (GError) error = NULL;
  SynackRunSpec base;

  g_assert_true (synack_config_build_run (cfg, 0, &base, &error));
  *attempts = *established = 0;
  for (guint r = 0; r < reps; r++) {
    SynackRunSpec spec;
    SynackMetrics m;

    synack_run_spec_copy (&spec, &base);
    spec.seed = synack_runner_run_seed (synack_config_seed (cfg), 0, r);
    g_assert_true (synack_net_run (&spec, &m, NULL, NULL, NULL, &error));
    g_assert_no_error (error);
    means[r] = m.handshake_mean_s;
    *attempts += m.attempts;
    *established += m.established;
    synack_run_spec_clear (&spec);
  }
  synack_run_spec_clear (&base);
}

static void
test_cardwell (gconstpointer data)
{
  const CardwellCase *tc = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = synack_config_load_data (cardwell_ini, "cardwell.ini",
                                                          registry, &error);
  g_autofree char *set = g_strdup_printf ("link.loss.p=%g", tc->p);
  g_autofree double *means = g_new (double, tc->replications);
  guint64 attempts, established;
  SynackInterval ci;
  double model = cardwell_mean (0.100, 3.0, tc->p, tc->p);

  g_assert_no_error (error);
  g_assert_true (synack_config_set (cfg, set, &error));
  run_replications (cfg, tc->replications, means, &attempts, &established);
  ci = synack_stats_mean_ci (means, tc->replications, 0.95);
  g_test_message ("p = %.2f: model %.4f s, simulated %.4f s [%.4f, %.4f], %" G_GUINT64_FORMAT
                  "/%" G_GUINT64_FORMAT " established", tc->p, model, ci.mean, ci.lo, ci.hi,
                  established, attempts);
  /* the model assumes every handshake completes */
  g_assert_cmpuint (established, ==, attempts);
  g_assert_cmpfloat (ci.lo, <=, model);
  g_assert_cmpfloat (model, <=, ci.hi);
}

/* Same experiment at 10 % loss of every segment: more replications give
 * a narrower interval on the failure rate. */
static void
test_ci_shrinks (void)
{
  static const char ini[] =
    "[experiment]\nname = shrink\nprotocol = tcp2way\nuntil = 1h\n"
    "[workload]\nconnections = 500\nclients = 5\nrate = 100/s\n"
    "[link]\ndelay = constant\ndelay.base = 20ms\nloss = bernoulli\nloss.p = 0.1\n";
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackConfig) cfg = synack_config_load_data (ini, "shrink.ini", registry, &error);
  double means[16];
  guint64 att4, est4, att16, est16;
  SynackInterval few, many;

  g_assert_no_error (error);
  run_replications (cfg, 4, means, &att4, &est4);
  run_replications (cfg, 16, means, &att16, &est16);
  few = synack_stats_wilson (att4 - est4, att4, 0.95);
  many = synack_stats_wilson (att16 - est16, att16, 0.95);
  g_test_message ("failure rate: 4 runs %.4f [%.4f, %.4f], 16 runs %.4f [%.4f, %.4f]", few.mean,
                  few.lo, few.hi, many.mean, many.lo, many.hi);
  g_assert_cmpfloat (few.mean, >, 0);   /* 2-way fails under loss */
  /* the width goes as 1/sqrt(n): four times the runs, about half the width */
  g_assert_cmpfloat (many.hi - many.lo, <, 0.7 * (few.hi - few.lo));
}

int
main (int argc, char **argv)
{
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  int status;

  g_test_init (&argc, &argv, NULL);
  registry = synack_registry_new ();
  synack_registry_load_path (registry, NULL, errors);
  g_assert_cmpuint (errors->len, ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (cardwell_cases); i++)
    g_test_add_data_func (cardwell_cases[i].path, &cardwell_cases[i], test_cardwell);
  g_test_add_func ("/validation/failure-ci-shrinks", test_ci_shrinks);
  status = g_test_run ();
  synack_registry_free (registry);
  return status;
}
