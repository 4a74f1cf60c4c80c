/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/protocol.h - what a protocol plugin implements and is given.
 *
 * A protocol plugin (models/protocol-NAME.c) includes <synack/protocol.h>
 * instead of <synack/plugin.h> (which it includes): it models the endpoints
 * of every host, so it gets the [tcp] configuration (tcp.h), the run's
 * scheduler and a send() into the links, and it reports every state change.
 * Loss and delay plugins see none of this.  Every struct here is read by
 * layout across the plugin boundary: see SYNACK_PLUGIN_ABI_VERSION. */
#pragma once

#include <glib.h>
#include "clock.h"
#include "params.h"
#include "plugin.h"
#include "rng.h"
#include "sched.h"
#include "segment.h"
#include "tcp.h"

G_BEGIN_DECLS

typedef struct {
  SynackConnId   conn;        /* the endpoint's incarnation label */
  guint32        client;      /* client host of the 4-tuple (1..n_clients) */
  guint16        port;        /* client port of the 4-tuple */
  SynackRole     role;        /* which end changed */
  SynackTcpState from, to;
  SynackCause    cause;
  const SynackSegment *seg;   /* (nullable) the segment that caused it */
} SynackStateChange;

/* The world a protocol instance runs in.  The server is host 0, clients are
 * hosts 1..n_clients; client ports are first_port .. first_port + n_ports - 1,
 * the server listens on tcp->server_port.  A server connection slot with no
 * connection is in LISTEN (the listener's) whether its last report ended in
 * CLOSED or LISTEN: reports chain per attempt, not per slot. */
typedef struct {
  SynackSched           *sched;
  const SynackTcpConfig *tcp;
  guint32                n_clients;
  guint32                n_ports;
  guint16                first_port;
  /* the run's seed, e.g. for an RFC 6528 secret */
  guint64                seed;
  SynackRng             *rng;         /* the protocol's own stream (ISNs) */
  gpointer               net;         /* first argument of the callbacks */
  /* Puts a copy of @seg on the link src_host -> dst_host. */
  void (*send)          (gpointer net, const SynackSegment *seg);
  /* Every state change and every ignored segment, as it happens. */
  void (*state_changed) (gpointer net, const SynackStateChange *change);
} SynackProtocolEnv;

struct _SynackProtocolVtable {
  /* @env: (transfer none) outlives the instance. */
  gpointer (*create)  (const SynackProtocolEnv *env,
                       const SynackParams *params, GError **error);
  /* Active open from (@client, @port) as attempt @conn.  Returns: FALSE,
   * doing nothing, if that client port still has a connection (not CLOSED). */
  gboolean (*connect) (gpointer self, guint32 client, guint16 port,
                       SynackConnId conn, SynackTime now);
  /* The application at @role's end of (@client, @port) closes, if that end
   * is still incarnation @conn; otherwise a no-op. */
  void     (*close)   (gpointer self, SynackRole role, guint32 client,
                       guint16 port, SynackConnId conn, SynackTime now);
  /* @seg arrived at @seg->dst_host.  (transfer none) */
  void     (*receive) (gpointer self, const SynackSegment *seg, SynackTime now);
  /* Called after the run's scheduler is freed (its pending events, which
   * point into the instance, are gone first): must not touch env->sched. */
  void     (*destroy) (gpointer self);
};

G_END_DECLS
