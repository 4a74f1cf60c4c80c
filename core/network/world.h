/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/world.h - what one run holds (private to libsynack).
 *
 * The world: host 0 is the server, hosts 1..clients are client hosts; each
 * client host has a forward link (to the server) and a reverse link (from
 * it), each with its own loss and delay model instances and RNG streams, so
 * segments of different pairs never share randomness.  A segment in flight
 * lives in a pool slot; its delivery is one scheduler event whose user data
 * is the slot index.  The pool and the scheduler only grow to the peak
 * population, so a run does no malloc per segment or per event.
 *
 * Four files share this state, one job each: link.c (loss, delay,
 * duplicates, FIFO order), workload.c (arrivals, port choice, closes, SYN
 * flood), observe.c (trace rows, occupancy, counters) and run.c (setup, the
 * event loop, teardown, and the fan-out of every state change). */
#pragma once

#include <glib.h>

#include "net.h"
#include "oracle.h"
#include "sched.h"
#include "trace.h"

G_BEGIN_DECLS

#define POOL_PAGE_BITS 10u
#define POOL_PAGE (1u << POOL_PAGE_BITS)

typedef gboolean   (*LinkDropFunc)   (gpointer self, const SynackSegment *seg,
                                      SynackTime now);
typedef SynackTime (*LinkSampleFunc) (gpointer self, const SynackSegment *seg,
                                      SynackTime now);

typedef struct {
  gpointer loss;
  gpointer delay;
  LinkDropFunc   drop;       /* the loss model's, looked up once at set-up */
  LinkSampleFunc sample;     /* the delay model's */
  SynackTime last_arrival;   /* for FIFO links: latest arrival scheduled */
  SynackRng *loss_rng;
  SynackRng *delay_rng;
  SynackRng *dup_rng;
} Link;

typedef struct {
  SynackSegment seg;
  guint32       id;         /* segment number in the traces */
  guint32       next_free;  /* free-list link, index + 1 */
} InFlight;

typedef struct {
  const SynackRunSpec *spec;
  SynackSched   *sched;
  SynackProtocolEnv env;
  gpointer       proto;
  const SynackProtocolVtable *pvt;
  void         (*receive) (gpointer self, const SynackSegment *seg,
                           SynackTime now);
  SynackRng     *proto_rng;
  Link          *forward;   /* [client - 1] */
  Link          *reverse;
  SynackRng     *arrival_rng;
  SynackRng     *flood_rng;
  /* clients + flood hosts: the protocol's n_clients */
  guint32        n_hosts;
  /* segments in flight: pages of POOL_PAGE slots that never move, so a
   * delivered segment is handed to the protocol in place while it sends */
  InFlight     **pool;      /* [pool_pages] */
  guint32        pool_len, pool_pages, pool_free;
  guint64        in_flight;
  guint32        next_segment_id;
  guint64        sent[2], lost[2];  /* by direction: 0 forward, 1 reverse */
  /* budget */
  guint64        max_events, max_in_flight;
  const char    *over_budget;      /* what ran out, or NULL */
  /* workload */
  guint64        next_conn;        /* next attempt id to open */
  guint16       *port_cursor;      /* [client - 1]: next port index to try */
  guint32       *ports_busy;       /* [client - 1]: its ports not CLOSED */
  /* bookkeeping */
  SynackOracle  *oracle;
  SynackMetrics *m;
  gint64         occupancy[SYNACK_TCP_N_STATES];
  /* traces (NULL when off) */
  SynackTrace   *states;
  SynackTrace   *segments;
  SynackTrace   *pcap;
  SynackTrace   *occ;
} Net;

/* Stops the run when it has used its budget: a runaway exchange (two ends
 * answering each other's unacceptable segments, multiplied by link
 * duplication) must fail its run, never eat the machine. */
static inline gboolean
synack_net_within_budget (Net *net)
{
  if (G_UNLIKELY (net->over_budget != NULL))
    return FALSE;
  if (G_UNLIKELY (net->in_flight >= net->max_in_flight))
    net->over_budget = "max_in_flight";
  else if (G_UNLIKELY (synack_sched_events_run (net->sched) >= net->max_events))
    net->over_budget = "max_events";
  else
    return TRUE;
  synack_sched_stop (net->sched);
  return FALSE;
}

/* A model's create() returned NULL: pass its error on, prefixed with
 * @where (the config key and the plugin's name).  A plugin that fails
 * without saying why still gets a message: never FALSE without an error.
 * (run.c) */
G_GNUC_INTERNAL
void synack_net_create_failed (GError **error, GError *sub, const char *where);

G_END_DECLS
