/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle.h - the outcome oracle (internal to libsynack).
 *
 * It sees what no endpoint can: which attempt (incarnation) each segment and
 * each endpoint belongs to.  From the stream of state changes it keeps one
 * small record per attempt and, at the end of the run, puts every attempt in
 * exactly one class of INTERFACE.md, checked in this order:
 *   unfinished only in a run cut by its time limit (`until`): never opened,
 *              or an end still in its handshake while the other end has
 *              not established (so no other class is decided yet);
 *   failed     never started (no free port), or neither end established;
 *   ghost      the server established it after its client had ended (an old
 *              duplicate SYN executed a request nobody is waiting for);
 *   half_open  exactly one end ever reached ESTABLISHED (whatever else
 *              happened: a client that gave up on a server that executed
 *              its request is half-open first of all);
 *   duplicate  the server established (executed) it more than once;
 *   reset      an end was aborted by a RST while data could still flow
 *              (ESTABLISHED, CLOSE_WAIT, FIN_WAIT_1, FIN_WAIT_2);
 *   half_open  (also) the client reached ESTABLISHED only through another
 *              incarnation's segment: its own handshake never completed;
 *   established both ends reached ESTABLISHED, the client from the
 *              attempt's own segment, nothing of the above.
 * "failed" is checked first only for attempts that never started; otherwise
 * it is what is left when neither end established.
 *
 * Request latency: from the client's app open to the server's first
 * execution of the attempt's request.  An execution is what the server
 * end reports when its application gets the request:
 *  - its entry into ESTABLISHED (not an ignored segment): in tcp2way and
 *    tcp2way-isn on the SYN, which carries the request (0.5 RTT without
 *    loss); in tcp3way on the segment that completes the handshake, which
 *    is the client's ACK carrying the request (protocol-tcp3way.c,
 *    send_request(): the request rides in the third segment), so 1.5 RTT
 *    without loss.  (If that ACK is lost, the server may be established
 *    by the bare ACK that answers its SYN,ACK retransmission before the
 *    request's retransmission arrives: then this counts the
 *    establishment, at most one client RTO early.)
 *  - a SYNACK_CAUSE_DELIVER report (from == to): data that a SYN carried,
 *    handed to the application before the handshake completes (TCP Fast
 *    Open).  The ESTABLISHED that follows it in the same server
 *    connection is not a second execution.
 * The latency is measured over the attempts executed at least once,
 * whatever their class (a ghost's first execution is usually its
 * original one). */
#pragma once

#include "metrics.h"
#include "plugin.h"

G_BEGIN_DECLS

typedef struct _SynackOracle SynackOracle;

/* Memory the oracle keeps per attempt, for the size check before a run. */
gsize         synack_oracle_bytes_per_attempt (void);
/* @attempts: at most synack_net_max_attempts(), checked by the caller. */
SynackOracle *synack_oracle_new  (guint64 attempts);
void          synack_oracle_free (SynackOracle *o);

/* Attempt @conn opened from (@client, @port) at @now. */
void     synack_oracle_open      (SynackOracle *o, SynackConnId conn, guint32 client,
                                  guint16 port, SynackTime now);
/* Attempt @conn could not start: every client port was busy. */
void     synack_oracle_no_port   (SynackOracle *o, SynackConnId conn);
void     synack_oracle_state     (SynackOracle *o, const SynackStateChange *chg, SynackTime now);
/* Client host and port of @conn (for the workload's closes). */
void     synack_oracle_endpoint  (const SynackOracle *o, SynackConnId conn,
                                  guint32 *client, guint16 *port);
/* Whether the server application has had @conn: it executed it at least
 * once (so an accept() would have returned it). */
gboolean synack_oracle_server_has (const SynackOracle *o, SynackConnId conn);
/* Fills the outcome and latency fields of @m (handshake and request);
 * appends handshake latencies (seconds) to @latencies.
 * @cut: the run stopped at its time limit with events still pending, so
 * attempts still in their handshake count as unfinished. */
void     synack_oracle_finish    (SynackOracle *o, gboolean cut, SynackMetrics *m,
                                  GArray *latencies);

G_END_DECLS
