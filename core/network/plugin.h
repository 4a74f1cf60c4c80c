/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/plugin.h - what a plugin is: one exported descriptor per
 * shared object.
 *
 * A plugin file models/KIND-NAME.c ends with SYNACK_PLUGIN_DEFINE, which
 * exports synack_plugin_KIND_NAME_describe() (dashes become underscores).
 * The registry opens the module, derives that symbol from the file name,
 * checks the ABI version and that kind and name match the file name, and
 * registers the descriptor.  Tests link a model's .c and register the same
 * descriptor with synack_registry_add(): one path for both.
 *
 * Every plugin includes this header; loss and delay plugins need nothing
 * else.  Protocol plugins include protocol.h, which adds the TCP
 * configuration, the scheduler and the protocol vtable. */
#pragma once

#include <glib.h>
#include <gmodule.h>   /* G_MODULE_EXPORT in SYNACK_PLUGIN_DEFINE */
#include "clock.h"
#include "params.h"
#include "rng.h"
#include "segment.h"

G_BEGIN_DECLS

/* Declared in protocol.h, which protocol plugins include. */
typedef struct _SynackProtocolVtable SynackProtocolVtable;

/* The ABI between libsynack and a plugin is every type a plugin reads or
 * fills by layout, not only the ones below.  Bump this version when any of
 * them changes layout (a field added, removed, resized or moved, a vtable
 * slot added or removed, an enum renumbered); the registry refuses a
 * plugin built for another version, so it cannot misread them:
 *   plugin.h    SynackPluginDesc, SynackDelayVtable, SynackLossVtable,
 *               SynackPluginKind
 *   protocol.h  SynackProtocolVtable, SynackProtocolEnv, SynackStateChange,
 *               SynackCause
 *   tcp.h       SynackTcpConfig, SynackTcpState, SynackRole, SynackIsnMode
 *   segment.h   SynackSegment, SynackFlag, SynackConnId, SYNACK_TFO_*
 *   params.h    SynackParamSpec, SynackParamType
 *   clock.h     SynackTime
 * SynackParams, SynackRng and SynackSched are opaque: plugins reach them
 * only through functions, so they are not part of it.
 * History: 2 added SynackSegment.fastopen; 3 removed
 * SynackProtocolVtable.slot_bytes; 4 added SynackSegment.tsval and .tsecr,
 * the SYN cookie causes and SynackTcpConfig's issue-10 keys. */
#define SYNACK_PLUGIN_ABI_VERSION 4u

typedef enum {
  SYNACK_PLUGIN_DELAY = 1,
  SYNACK_PLUGIN_LOSS,
  SYNACK_PLUGIN_PROTOCOL,
} SynackPluginKind;
/* "delay", "loss", "protocol" */
const char *synack_plugin_kind_name  (SynackPluginKind kind);
gboolean    synack_plugin_kind_parse (const char *name, SynackPluginKind *kind);

/* ---- delay: how long a segment takes on a link --------------------------- */
typedef struct {
  /* @params: (transfer none) typed and range-checked; @rng: (transfer none)
   * the instance's own stream, outlives it.  Returns: the instance or NULL
   * with @error set (only for what the spec table cannot check). */
  gpointer   (*create)  (const SynackParams *params, SynackRng *rng,
                         GError **error);
  /* Returns: the one-way delay of @seg sent at @now, >= 0. */
  SynackTime (*sample)  (gpointer self, const SynackSegment *seg,
                         SynackTime now);
  void       (*destroy) (gpointer self);
} SynackDelayVtable;

/* ---- loss: whether a segment is lost on a link --------------------------- */
typedef struct {
  gpointer   (*create)  (const SynackParams *params, SynackRng *rng,
                         GError **error);
  /* Called for every segment sent on the link, in order (so counting and
   * state-based models see them all).  Returns: TRUE to lose @seg. */
  gboolean   (*drop)    (gpointer self, const SynackSegment *seg,
                         SynackTime now);
  void       (*destroy) (gpointer self);
} SynackLossVtable;

/* ---- the descriptor ------------------------------------------------------ */
typedef struct {
  /* SYNACK_PLUGIN_ABI_VERSION when built */
  guint32                abi_version;
  SynackPluginKind       kind;
  /* as written in configs: "gilbert-elliott" */
  const char            *name;
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
#define SYNACK_PLUGIN_DEFINE(sym, desc)                                       \
  G_MODULE_EXPORT const SynackPluginDesc *                                    \
  synack_plugin_##sym##_describe (void);                                      \
  G_MODULE_EXPORT const SynackPluginDesc *                                    \
  synack_plugin_##sym##_describe (void)                                       \
  { return &(desc); }

G_END_DECLS
