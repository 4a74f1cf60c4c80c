/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/tcp3way.h - what the three files of the tcp3way model share.
 *
 * protocol-tcp3way.c holds the design comment, the transmissions, the
 * per-state dispatch table, the retransmission timeouts and the vtable;
 * tcp3way-open.c the states before synchronization (RFC 9293
 * §3.10.7.1-3: CLOSED, LISTEN, SYN_SENT); tcp3way-synchronized.c the
 * steps of §3.10.7.4 and the entries of SYN_RECEIVED, TIME_WAIT and the
 * six synchronized states.  Private to the model (and to the tcpfastopen
 * plugin and the tests that link it): the plugin exports only
 * synack_plugin_*. */
#pragma once

#include "tcp-common.h"

G_BEGIN_DECLS

#define F_FIN SYNACK_FLAG_FIN
#define F_SYN SYNACK_FLAG_SYN
#define F_RST SYNACK_FLAG_RST
#define F_ACK SYNACK_FLAG_ACK

static inline gboolean
is_server (const TcpEndpoint *ep)
{
  return (ep->bits & TCP_EP_SERVER) != 0;
}

/* ---- protocol-tcp3way.c: transmissions ---------------------------------- */

/* Arms the RTO (or a tail loss probe) for data or a FIN outstanding. */
void tcp3way_arm_rto (TcpCommon *self, TcpEndpoint *ep);
/* Sends the client's request once its handshake completes. */
void tcp3way_send_request (TcpCommon *self, TcpEndpoint *ep);

/* ---- tcp3way-open.c: RFC 9293 §3.10.7.1-3 ------------------------------ */

void tcp3way_on_closed (TcpCommon *self, TcpEndpoint *ep,
                        const SynackSegment *seg, SynackTime now);
void tcp3way_on_listen (TcpCommon *self, TcpEndpoint *ep,
                        const SynackSegment *seg, SynackTime now);
void tcp3way_on_syn_sent (TcpCommon *self, TcpEndpoint *ep,
                          const SynackSegment *seg, SynackTime now);

/* ---- tcp3way-synchronized.c: RFC 9293 §3.10.7.4 ------------------------ */

/* ESTABLISHED, FIN_WAIT_1, FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK. */
void tcp3way_on_synchronized (TcpCommon *self, TcpEndpoint *ep,
                              const SynackSegment *seg, SynackTime now);
void tcp3way_on_syn_received (TcpCommon *self, TcpEndpoint *ep,
                              const SynackSegment *seg, SynackTime now);
void tcp3way_on_time_wait (TcpCommon *self, TcpEndpoint *ep,
                           const SynackSegment *seg, SynackTime now);
/* What an acceptable ACK does past the fifth step's checks; a valid SYN
 * cookie's ACK (tcp3way-open.c) goes on here too. */
void tcp3way_after_ack (TcpCommon *self, TcpEndpoint *ep,
                        const SynackSegment *seg);

G_END_DECLS
