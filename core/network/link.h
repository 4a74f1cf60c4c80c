/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/link.h - the links of a run (private to libsynack).
 *
 * One Link per client host and direction: its loss and delay model
 * instances, their RNG streams and, on a FIFO link, the latest arrival it
 * has scheduled.  synack_link_send() is the protocol's send(): it counts
 * and traces the segment, asks the loss model, and schedules the delivery
 * (and maybe a duplicate) in the pool of segments in flight. */
#pragma once

#include "world.h"

G_BEGIN_DECLS

/* Creates @link's RNG streams ("link.DIR.CLIENT.loss", ...) and model
 * instances.  Returns: FALSE with @error if a model refused its
 * parameters; synack_link_clear() frees what was made either way. */
G_GNUC_INTERNAL
gboolean synack_link_init (Net *net, Link *link, const SynackLinkSpec *ls,
                           const char *dir, guint32 client, GError **error);
G_GNUC_INTERNAL
void synack_link_clear (Link *link, const SynackLinkSpec *ls);

/* The protocol's SynackProtocolEnv.send: @data is the Net, @in (transfer
 * none) is copied. */
G_GNUC_INTERNAL
void synack_link_send (gpointer data, const SynackSegment *in);

G_END_DECLS
