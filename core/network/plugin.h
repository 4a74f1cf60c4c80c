/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/plugin.h - what a plugin is: one exported descriptor per shared object.
 *
 * A plugin file models/KIND-NAME.c ends with SYNACK_PLUGIN_DEFINE, which
 * exports synack_plugin_KIND_NAME_describe() (dashes become underscores).
 * The registry opens the module, derives that symbol from the file name,
 * checks the ABI version and that kind and name match the file name, and
 * registers the descriptor.  Tests link a model's .c and register the same
 * descriptor with synack_registry_add(): one path for both. */
#pragma once

#include <glib.h>
#include <gmodule.h>   /* G_MODULE_EXPORT in SYNACK_PLUGIN_DEFINE */
#include "clock.h"
#include "params.h"
#include "rng.h"
#include "sched.h"
#include "segment.h"
#include "tcp.h"

G_BEGIN_DECLS

#define SYNACK_PLUGIN_ABI_VERSION 2u   /* bump when any struct below changes layout
                                        * (2: SynackSegment.fastopen) */

typedef enum {
  SYNACK_PLUGIN_DELAY = 1,
  SYNACK_PLUGIN_LOSS,
  SYNACK_PLUGIN_PROTOCOL,
} SynackPluginKind;
const char *synack_plugin_kind_name  (SynackPluginKind kind);   /* "delay", "loss", "protocol" */
gboolean    synack_plugin_kind_parse (const char *name, SynackPluginKind *kind);

/* ---- delay: how long a segment takes on a link ---------------------------- */
typedef struct {
  /* @params: (transfer none) typed and range-checked; @rng: (transfer none)
   * the instance's own stream, outlives it.  Returns: the instance or NULL
   * with @error set (only for what the spec table cannot check). */
  gpointer   (*create)  (const SynackParams *params, SynackRng *rng, GError **error);
  /* Returns: the one-way delay of @seg sent at @now, >= 0. */
  SynackTime (*sample)  (gpointer self, const SynackSegment *seg, SynackTime now);
  void       (*destroy) (gpointer self);
} SynackDelayVtable;

/* ---- loss: whether a segment is lost on a link ----------------------------- */
typedef struct {
  gpointer   (*create)  (const SynackParams *params, SynackRng *rng, GError **error);
  /* Called for every segment sent on the link, in order (so counting and
   * state-based models see them all).  Returns: TRUE to lose @seg. */
  gboolean   (*drop)    (gpointer self, const SynackSegment *seg, SynackTime now);
  void       (*destroy) (gpointer self);
} SynackLossVtable;

/* ---- protocol: the endpoints of every host --------------------------------- */

/* Why a state changed (traces print the text in quotes). */
typedef enum {
  SYNACK_CAUSE_RCV,         /* "rcv FLAGS": @seg arrived */
  SYNACK_CAUSE_IGNORED,     /* "ignored rcv FLAGS": no transition (from == to) */
  SYNACK_CAUSE_APP_OPEN,    /* "app open" (client connect) */
  SYNACK_CAUSE_APP_CLOSE,   /* "app close" */
  SYNACK_CAUSE_TIMEOUT,     /* "timeout": retransmissions exhausted */
  SYNACK_CAUSE_TIME_WAIT,   /* "time_wait expired" */
  SYNACK_CAUSE_FIN_WAIT_2,  /* "fin_wait_2 timeout" */
  SYNACK_CAUSE_BACKLOG,     /* "backlog full": a SYN refused at the server */
  SYNACK_CAUSE_DELIVER,     /* "deliver SYN data": the server hands the data of
                             * @seg, a SYN, to its application before the
                             * handshake completes (TCP Fast Open); from == to */
  SYNACK_CAUSE_N
} SynackCause;
const char *synack_cause_name (SynackCause cause);  /* "rcv", "ignored rcv", "app open", ... */

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
  guint64                seed;        /* the run's seed, e.g. for an RFC 6528 secret */
  SynackRng             *rng;         /* the protocol's own stream (ISNs) */
  gpointer               net;         /* first argument of the callbacks */
  /* Puts a copy of @seg on the link src_host -> dst_host. */
  void (*send)          (gpointer net, const SynackSegment *seg);
  /* Every state change and every ignored segment, as it happens. */
  void (*state_changed) (gpointer net, const SynackStateChange *change);
} SynackProtocolEnv;

typedef struct {
  /* @env: (transfer none) outlives the instance. */
  gpointer (*create)  (const SynackProtocolEnv *env, const SynackParams *params, GError **error);
  /* Active open from (@client, @port) as attempt @conn.  Returns: FALSE,
   * doing nothing, if that client port still has a connection (not CLOSED). */
  gboolean (*connect) (gpointer self, guint32 client, guint16 port, SynackConnId conn, SynackTime now);
  /* The application at @role's end of (@client, @port) closes, if that end
   * is still incarnation @conn; otherwise a no-op. */
  void     (*close)   (gpointer self, SynackRole role, guint32 client, guint16 port,
                       SynackConnId conn, SynackTime now);
  /* @seg arrived at @seg->dst_host.  (transfer none) */
  void     (*receive) (gpointer self, const SynackSegment *seg, SynackTime now);
  /* Bytes held per connection slot, for memory accounting. */
  gsize    (*slot_bytes) (gpointer self);
  /* Called after the run's scheduler is freed (its pending events, which
   * point into the instance, are gone first): must not touch env->sched. */
  void     (*destroy) (gpointer self);
} SynackProtocolVtable;

/* ---- the descriptor --------------------------------------------------------- */
typedef struct {
  guint32                abi_version;  /* SYNACK_PLUGIN_ABI_VERSION when built */
  SynackPluginKind       kind;
  const char            *name;         /* as written in configs: "gilbert-elliott" */
  const char            *summary;      /* one line for `synack models` */
  const SynackParamSpec *params;       /* ends with a { NULL } row */
  union {
    const SynackDelayVtable    *delay;
    const SynackLossVtable     *loss;
    const SynackProtocolVtable *protocol;
  } vt;
} SynackPluginDesc;

typedef const SynackPluginDesc *(*SynackPluginDescribeFunc) (void);

/* Exports synack_plugin_<sym>_describe(); @sym is the file name with '_'
 * for '-': models/loss-gilbert-elliott.c -> loss_gilbert_elliott. */
#define SYNACK_PLUGIN_DEFINE(sym, desc)                                      \
  G_MODULE_EXPORT const SynackPluginDesc *synack_plugin_##sym##_describe (void); \
  G_MODULE_EXPORT const SynackPluginDesc *synack_plugin_##sym##_describe (void)  \
  { return &(desc); }

G_END_DECLS
