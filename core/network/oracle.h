/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle.h - the outcome oracle (internal to libsynack).
 *
 * It sees what no endpoint can: which attempt (incarnation) each segment and
 * each endpoint belongs to.  From the stream of state changes it keeps one
 * small record per attempt while the attempt is alive and, once nothing can
 * change it any more (or at the end of the run), puts it in exactly one
 * class of INTERFACE.md, checked in this order:
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
 *    tcp3way_send_request(): the request rides in the third segment), so
 *    1.5 RTT without loss.  (If that ACK is lost, the server may be
 *    established by the bare ACK that answers its SYN,ACK retransmission
 *    before the request's retransmission arrives: then this counts the
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
#include "protocol.h"

G_BEGIN_DECLS

typedef struct _SynackOracle SynackOracle;

/* @attempts: at most synack_net_max_attempts(), checked by the caller. */
SynackOracle *synack_oracle_new  (guint64 attempts);
void          synack_oracle_free (SynackOracle *o);

/* Attempt @conn opened from (@client, @port) at @now: its record is
 * created here (or by synack_oracle_no_port()) and lives while anything
 * holds it. */
void     synack_oracle_open      (SynackOracle *o, SynackConnId conn,
                                  guint32 client, guint16 port,
                                  SynackTime now);
/* Attempt @conn could not start: every client port was busy. */
void     synack_oracle_no_port   (SynackOracle *o, SynackConnId conn);
/* A state change: an end leaving CLOSED (or the listener) holds its
 * attempt until it reports its return there. */
void     synack_oracle_state     (SynackOracle *o,
                                  const SynackStateChange *chg,
                                  SynackTime now);
/* Something that may still report on @conn (a segment of it in flight, an
 * application close pending) takes a hold before and releases it after.
 * The last release classifies the attempt and frees its record.  No-ops
 * for an attempt already classified (or 0). */
void     synack_oracle_hold      (SynackOracle *o, SynackConnId conn);
void     synack_oracle_release   (SynackOracle *o, SynackConnId conn);
/* Client host and port of @conn (for the workload's closes); held, so
 * known.  0, 0 for an attempt already classified. */
void     synack_oracle_endpoint  (SynackOracle *o, SynackConnId conn,
                                  guint32 *client, guint16 *port);
/* Whether the server application has had @conn: it executed it at least
 * once (so an accept() would have returned it). */
gboolean synack_oracle_server_has (SynackOracle *o, SynackConnId conn);
/* The server application closes @conn once it has it: marks it ... */
void     synack_oracle_defer_close (SynackOracle *o, SynackConnId conn);
/* ... and returns TRUE once, when the server has it. */
gboolean synack_oracle_take_deferred_close (SynackOracle *o,
                                            SynackConnId conn);
/* Attempts with a record now. */
guint64  synack_oracle_live      (const SynackOracle *o);
/* Classifies the attempts still alive and fills the outcome and latency
 * fields of @m (handshake and request); sets one member of @samples
 * (nullable), (transfer full), to the handshake latencies.
 * @cut: the run stopped at its time limit with events still pending, so
 * attempts still in their handshake count as unfinished. */
void     synack_oracle_finish    (SynackOracle *o, gboolean cut,
                                  SynackMetrics *m, SynackSamples *samples);

G_END_DECLS
