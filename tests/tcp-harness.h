/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/tcp-harness.h - a fake world for testing one TCP protocol model.
 *
 * A SynackProtocolEnv with a real scheduler whose send() and
 * state_changed() record every segment and every change in arrays.  By
 * default a sent segment goes nowhere: the test plays the peer, injecting
 * segments built from a template that already carries the addressing, so a
 * test names only the fields that matter (smoltcp's send!/recv!).  With
 * tcp_harness_set_loopback() segments are delivered to the other end after
 * a fixed delay instead, so both ends of a connection run.
 *
 * The connection under test is (client 1, port TCP_HARNESS_FIRST_PORT),
 * incarnation 1; tcp_harness_bring_to() puts one end of it in any state
 * (a fixture in a state, as smoltcp's socket_syn_sent()) and marks the
 * records, so a row sees only what its input caused. */
#pragma once

#include <glib.h>
#include "protocol.h"
#include "tcp-common.h"

G_BEGIN_DECLS

#define TCP_HARNESS_CLIENTS    2
#define TCP_HARNESS_PORTS      4
#define TCP_HARNESS_FIRST_PORT 40000
#define TCP_HARNESS_PEER_ISS   1000000u   /* ISS of the peer the test plays */

typedef struct {
  SynackTime    time_ns;
  SynackSegment seg;
} TcpHarnessTx;

typedef struct {
  SynackTime        time_ns;
  SynackStateChange change;   /* change.seg is NULL: see has_seg, seg */
  gboolean          has_seg;
  SynackSegment     seg;      /* copy of the causing segment */
} TcpHarnessChange;

typedef struct {
  SynackSched                *sched;
  SynackRng                  *rng;
  SynackTcpConfig             tcp;
  SynackProtocolEnv           env;
  const SynackPluginDesc     *desc;
  const SynackProtocolVtable *vt;
  TcpCommon                  *proto;     /* both models' instance is a TcpCommon */
  gboolean                    two_way;   /* desc is tcp2way: no sequence numbers */
  gboolean                    two_way_isn;   /* desc is tcp2way-isn: numbered, no SYN,ACK */
  GArray                     *tx;        /* TcpHarnessTx, every segment sent */
  GArray                     *changes;   /* TcpHarnessChange, every report */
  guint                       tx_mark, changes_mark;
  SynackTime                  loop_delay_ns;   /* < 0: no loopback */
  gboolean                    drop_from[2];    /* loopback: lose what this role sends */
  guint32                     client;          /* the connection under test */
  guint16                     port;
  SynackConnId                conn;
} TcpHarness;

/* Fills @cfg with profile @profile ("rfc9293", "linux", "rfc2988"). */
void        tcp_harness_config (const char *profile, SynackTcpConfig *cfg);

/* Returns: (transfer full) a harness running a fresh instance of @desc
 * with a copy of @cfg. */
TcpHarness *tcp_harness_new    (const SynackPluginDesc *desc, const SynackTcpConfig *cfg);
void        tcp_harness_free   (TcpHarness *h);   /* NULL is fine */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TcpHarness, tcp_harness_free)

/* Deliver every sent segment to its destination @delay_ns later (>= 0),
 * except those sent by a role whose drop_from[] is TRUE. */
void        tcp_harness_set_loopback (TcpHarness *h, SynackTime delay_ns);

/* ---- driving ------------------------------------------------------------- */

/* connect (h->client, h->port, h->conn); close of @role's end. */
gboolean    tcp_harness_connect (TcpHarness *h);
void        tcp_harness_close   (TcpHarness *h, SynackRole role);
/* A segment to @to's end of the connection under test from its peer:
 * addressing, window and conn filled, everything else 0. */
SynackSegment tcp_harness_template (const TcpHarness *h, SynackRole to);
/* Delivers @seg now (receive()). */
void        tcp_harness_deliver (TcpHarness *h, const SynackSegment *seg);
/* Template + flags, seq, ack, len, delivered now. */
void        tcp_harness_inject  (TcpHarness *h, SynackRole to, guint16 flags, guint32 seq,
                                 guint32 ack, guint32 len_bytes);
SynackTime  tcp_harness_now     (const TcpHarness *h);
/* Runs every event up to @t, then sets the clock to @t. */
void        tcp_harness_run_until (TcpHarness *h, SynackTime t);
/* Runs the next pending event (a timer).  Returns: FALSE if none. */
gboolean    tcp_harness_step    (TcpHarness *h);
/* Runs until nothing is pending. */
void        tcp_harness_run_all (TcpHarness *h);

/* ---- fixtures ------------------------------------------------------------ */

/* Brings @role's end of the connection under test to @state with the test
 * playing the peer, then marks.  @data_unacked (3-way, client
 * ESTABLISHED): leave the request unacknowledged.  Aborts the test if the
 * state is unreachable for that role or is not reached. */
void        tcp_harness_bring_to (TcpHarness *h, SynackRole role, SynackTcpState state,
                                  gboolean data_unacked);

/* ---- reading ------------------------------------------------------------- */

void                tcp_harness_mark (TcpHarness *h);
SynackTcpState      tcp_harness_state (const TcpHarness *h, SynackRole role);
/* (nullable) the endpoint, if its page exists. */
const TcpEndpoint  *tcp_harness_endpoint (const TcpHarness *h, SynackRole role);
/* Segments sent since the mark. */
guint               tcp_harness_n_tx (const TcpHarness *h);
const TcpHarnessTx *tcp_harness_tx (const TcpHarness *h, guint i);     /* i-th since the mark */
/* Flags of the last segment sent since the mark, 0 if none. */
guint16             tcp_harness_last_tx_flags (const TcpHarness *h);
/* (nullable) the last segment sent since the mark. */
const SynackSegment *tcp_harness_last_tx (const TcpHarness *h);
guint               tcp_harness_n_changes (const TcpHarness *h);
/* (nullable) the last change reported since the mark. */
const TcpHarnessChange *tcp_harness_last_change (const TcpHarness *h);
const TcpHarnessChange *tcp_harness_change (const TcpHarness *h, guint i); /* i-th since the mark */
/* "SYN,ACK" or "none", for messages. (transfer full) */
char               *tcp_harness_flags_text (guint16 flags);

/* ---- table rows ---------------------------------------------------------- */

typedef enum {
  TCP_IN_APP_OPEN,      /* connect() */
  TCP_IN_APP_CLOSE,     /* close() of the end under test */
  TCP_IN_TIMEOUT,       /* the end's timer fires once */
  TCP_IN_TIMEOUT_ALL,   /* timers fire until nothing is pending (retries exhausted) */
  TCP_IN_RCV,           /* a segment from the peer */
} TcpInput;

/* SEG.SEQ of an injected segment, relative to the receiving end. */
typedef enum {
  TCP_SEQ_NXT,       /* RCV.NXT: in order */
  TCP_SEQ_OLD,       /* RCV.NXT - 1: IRS for a SYN, a retransmitted FIN */
  TCP_SEQ_INWIN,     /* RCV.NXT + 10: in the window, not exact */
  TCP_SEQ_OUTWIN,    /* RCV.NXT + window + 1000: beyond the window */
  TCP_SEQ_PEER,      /* TCP_HARNESS_PEER_ISS: a peer's first SYN */
  TCP_SEQ_NEWER,     /* RCV.NXT + 1000000: a new incarnation's SYN */
} TcpSeqChoice;

/* SEG.ACK of an injected segment, relative to the receiving end. */
typedef enum {
  TCP_ACK_NXT,       /* SND.NXT: acks everything */
  TCP_ACK_UNA,       /* SND.UNA: acks nothing new */
  TCP_ACK_ISS,       /* ISS: unacceptable in SYN_SENT */
  TCP_ACK_ISS1,      /* ISS + 1: acks the SYN only */
  TCP_ACK_FUTURE,    /* SND.NXT + 1000: acks what was never sent */
  TCP_ACK_ZERO,      /* 0 */
} TcpAckChoice;

enum {
  TCP_CFG_BACKLOG_1    = 1 << 0,  /* backlog 1, already taken by another 4-tuple */
  TCP_CFG_DUP_SYNACK   = 1 << 1,  /* synack_on_dup_syn = true (Linux) */
  TCP_CFG_FIN_WAIT2    = 1 << 2,  /* fin_wait2_timeout 60 s */
  TCP_CFG_DATA_UNACKED = 1 << 3,  /* the client's request left unacknowledged */
  TCP_CFG_TIME_WAIT_0  = 1 << 4,  /* time_wait 0 s */
  TCP_CFG_LINUX        = 1 << 5,  /* the linux profile instead of rfc9293 */
  TCP_CFG_SYNCOOKIES   = 1 << 6,  /* syncookies = overflow */
};

#define TCP_NO_CAUSE ((SynackCause) -1)

typedef struct {
  const char    *path;
  SynackRole     side;      /* the end under test */
  SynackTcpState from;
  TcpInput       input;
  guint16        flags;     /* TCP_IN_RCV: the segment's */
  TcpSeqChoice   seq;
  TcpAckChoice   ack;
  guint32        len;
  SynackTcpState to;
  guint16        tx_flags;  /* the last segment the input made the end send; 0 = none */
  SynackCause    cause;     /* of the last change reported; TCP_NO_CAUSE = none */
  guint          cfg;       /* TCP_CFG_* */
} TcpRow;

/* Runs @row against a fresh instance of @desc on the rfc9293 profile
 * (synack_on_dup_syn false unless the row says), or the linux one as it is
 * with TCP_CFG_LINUX, and asserts its outcome. */
void        tcp_harness_check_row (const SynackPluginDesc *desc, const TcpRow *row);

G_END_DECLS
