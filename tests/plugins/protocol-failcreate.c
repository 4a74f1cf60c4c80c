/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/plugins/protocol-failcreate.c - a protocol whose create() fails.
 *
 * It is tcp3way (compiled in) with one parameter, `fail`: create() refuses
 * fail > 0.5 with an error, and for fail > 0.8 returns NULL without setting
 * one, as a buggy plugin would.  A protocol is created only when a run
 * starts (config checks create loss and delay models, not protocols), so
 * this is a failure at run time.  Issue 9 asks that such a run be reported
 * with its point, replication and seed, and the batch go on. */
#include "protocol.h"

const SynackPluginDesc *synack_plugin_protocol_tcp3way_describe (void);

static const SynackParamSpec failcreate_params[] = {
  { "fail", SYNACK_PARAM_PROBABILITY, "0", "",
    "create() fails above 0.5, without an error above 0.8", 0, 0, NULL },
  { NULL }
};

static SynackProtocolVtable failcreate_vtable;
static SynackPluginDesc failcreate_desc;

static gpointer
failcreate_create (const SynackProtocolEnv *env, const SynackParams *params, GError **error)
{
  double fail = synack_params_get_double (params, "fail");

  if (fail > 0.8)
    return NULL;
  if (fail > 0.5) {
    g_set_error (error, g_quark_from_static_string ("protocol-failcreate"), 1,
                 "fail = %g: refused at run time (a test plugin)", fail);
    return NULL;
  }
  return synack_plugin_protocol_tcp3way_describe ()->vt.protocol->create (env, params, error);
}

G_MODULE_EXPORT const SynackPluginDesc *synack_plugin_protocol_failcreate_describe (void);

G_MODULE_EXPORT const SynackPluginDesc *
synack_plugin_protocol_failcreate_describe (void)
{
  static gsize done;

  if (g_once_init_enter (&done)) {
    const SynackPluginDesc *tcp = synack_plugin_protocol_tcp3way_describe ();

    failcreate_vtable = *tcp->vt.protocol;
    failcreate_vtable.create = failcreate_create;
    failcreate_desc = *tcp;
    failcreate_desc.name = "failcreate";
    failcreate_desc.summary = "tcp3way whose create() fails for fail > 0.5 (a test plugin)";
    failcreate_desc.params = failcreate_params;
    failcreate_desc.vt.protocol = &failcreate_vtable;
    g_once_init_leave (&done, 1);
  }
  return &failcreate_desc;
}
