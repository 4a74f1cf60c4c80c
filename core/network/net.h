/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/net.h - one simulation run: hosts, links, workload,
 * protocol, oracle.
 *
 * A SynackRunSpec is everything a run needs, already typed and validated by
 * the config loader; synack_net_run() builds the world from it, runs the
 * scheduler to the time limit (or until nothing is pending), classifies every
 * attempt and returns the metrics.  A run owns its scheduler, its RNG streams
 * and its trace files, so runs can go on in parallel threads. */
#pragma once

#include <glib.h>
#include "metrics.h"
#include "protocol.h"

G_BEGIN_DECLS

#define SYNACK_NET_ERROR (synack_net_error_quark ())
typedef enum {
  SYNACK_NET_ERROR_MODEL,     /* a model's create() refused its parameters */
  SYNACK_NET_ERROR_TRACE,     /* a trace file could not be written */
  SYNACK_NET_ERROR_LIMIT,     /* a size limit (host x port space) was
                               * exceeded */
  SYNACK_NET_ERROR_CANCELLED, /* the progress function asked to stop */
  SYNACK_NET_ERROR_BUDGET,    /* the run used more events or memory than its
                               * budget ([experiment] max_events,
                               * max_in_flight) */
} SynackNetError;
GQuark synack_net_error_quark (void);

#define SYNACK_MAX_ONLY_FLAGS 16

/* Client ephemeral ports start here, as Linux's ip_local_port_range
 * (32768-60999), so [workload] ports is at most 28232. */
#define SYNACK_FIRST_PORT 32768
#define SYNACK_MAX_PORTS  28232

/* One direction of every client<->server pair. */
typedef struct {
  const SynackPluginDesc *loss;          /* (transfer none) from the registry */
  SynackParams           *loss_params;   /* (owned) */
  const SynackPluginDesc *delay;
  SynackParams           *delay_params;  /* (owned) */
  /* probability a segment is delivered twice */
  double                  duplicate;
  /* extra delay of the copy */
  SynackTime              duplicate_lag_ns;
  /* FALSE: FIFO, nothing overtakes a segment sent before it on the same
   * link */
  gboolean                reorder;
  /* loss.only: 0 = every segment may be lost */
  guint                   n_only;
  guint16                 only_flags[SYNACK_MAX_ONLY_FLAGS];
} SynackLinkSpec;

typedef enum {
  SYNACK_ARRIVAL_POISSON,   /* exponential gaps of mean 1/rate */
  SYNACK_ARRIVAL_UNIFORM,   /* evenly spaced, 1/rate apart */
  SYNACK_ARRIVAL_BURST,     /* all at time 0 */
} SynackArrival;
const char *synack_arrival_name  (SynackArrival a);
gboolean    synack_arrival_parse (const char *name, SynackArrival *a);
const char *synack_closer_name   (SynackCloser c);
gboolean    synack_closer_parse  (const char *name, SynackCloser *c);
/* NULL-terminated names, in enum order. */
const char * const *synack_arrival_names (void);
const char * const *synack_closer_names  (void);

typedef enum {
  SYNACK_TRACE_STATES    = 1 << 0,
  SYNACK_TRACE_SEGMENTS  = 1 << 1,
  SYNACK_TRACE_PCAP      = 1 << 2,
  SYNACK_TRACE_OCCUPANCY = 1 << 3,
} SynackTraceMask;

typedef struct {
  guint64                 seed;
  SynackTime              until_ns;       /* simulated-time limit */
  /* budget: a run that needs more fails (0: automatic, see run.c) */
  guint64                 max_events;
  guint64                 max_in_flight;  /* segments on links at once */
  const SynackPluginDesc *protocol;
  SynackParams           *protocol_params;/* (owned) */
  SynackTcpConfig         tcp;
  /* workload */
  guint64                 connections;
  guint32                 clients;
  SynackArrival           arrival;
  double                  rate_per_s;
  guint32                 ports;
  SynackTime              hold_ns;
  SynackCloser            closer;
  /* SYN flood: spoofed SYNs from flood_hosts hosts that never answer,
   * Poisson at flood_rate_per_s while the workload opens attempts (0: off) */
  double                  flood_rate_per_s;
  guint32                 flood_hosts;
  /* links */
  SynackLinkSpec          forward;        /* client -> server */
  SynackLinkSpec          reverse;        /* server -> client */
  /* traces */
  guint                   trace_mask;     /* SynackTraceMask */
  SynackTime              sample_ns;      /* occupancy sampling interval */
  /* "DIR/traces/3-1": files get -states.csv, ... */
  char                   *trace_prefix;
} SynackRunSpec;

/* Frees the owned members (not @spec itself), and zeroes them. */
void     synack_link_spec_clear (SynackLinkSpec *link);
/* Frees the owned members (not @spec itself), and zeroes @spec. */
void     synack_run_spec_clear (SynackRunSpec *spec);
/* Deep copy into @dst. */
void     synack_run_spec_copy  (SynackRunSpec *dst, const SynackRunSpec *src);

/* The most attempts one run can number (attempt ids are 32 bits).  What
 * the oracle keeps grows with the attempts alive at once, plus 24 bytes an
 * attempt in runs of at most SYNACK_EXACT_SAMPLES_MAX attempts. */
guint64  synack_net_max_attempts (void);

/* Called now and then from the running thread with the fraction of
 * simulated time done (0..1); may be NULL.  Returns: FALSE to cancel the run
 * (it then fails with SYNACK_NET_ERROR_CANCELLED and leaves no trace files). */
typedef gboolean (*SynackProgressFunc) (double fraction, gpointer user_data);

/* Runs @spec.  @samples (nullable, out): one member set, (transfer full),
 * to the handshake latencies of the run, for pooled quantiles: every one
 * in seconds if spec->connections <= SYNACK_EXACT_SAMPLES_MAX, else a
 * histogram of nanoseconds (see metrics.h); free with
 * synack_samples_clear().  Returns: FALSE with @error if the run could not
 * be set up or a trace could not be written (@samples then untouched). */
gboolean synack_net_run (const SynackRunSpec *spec, SynackMetrics *metrics,
                         SynackSamples *samples, SynackProgressFunc progress,
                         gpointer progress_data, GError **error);

G_END_DECLS
