/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/oracle-private.h - what oracle.c (the records of live
 * attempts and their classification) and oracle-finish.c (the run's
 * latency statistics at its end) share: the attempt record, its bits and
 * the oracle itself.  Not installed. */
#ifndef SYNACK_ORACLE_PRIVATE_H
#define SYNACK_ORACLE_PRIVATE_H

#include "oracle.h"

enum {
  CLIENT_EST    = 1 << 0,  /* client reached ESTABLISHED, by any segment */
  CLIENT_ENDED  = 1 << 1,  /* client endpoint closed after opening */
  GHOST         = 1 << 2,
  RESET         = 1 << 3,
  NO_PORT       = 1 << 4,
  CLIENT_DONE   = 1 << 5,  /* client finished its part of the close */
  SERVER_DONE   = 1 << 6,
  SERVER_LIVE   = 1 << 7,  /* a server endpoint of it is still in a
                            * handshake state (SYN_RECEIVED) */
};

/* Per attempt, beside bits. */
enum {
  /* the server delivered a SYN's data (TCP Fast Open) and has not yet
   * reached ESTABLISHED, whose entry is then no second execution */
  DELIVERED      = 1 << 0,
  /* the server application's close waits until it has the connection */
  DEFERRED_CLOSE = 1 << 1,
  /* both ends are done with the close: close_ns holds its duration */
  TORN_DOWN      = 1 << 2,
};

typedef struct {
  SynackConnId conn;         /* the key; 0: a free slot */
  guint32    client;
  SynackTime start_ns;       /* app open; SYNACK_TIME_NONE if never */
  SynackTime client_est_ns;  /* ESTABLISHED from its own segment, or NONE */
  SynackTime close_ns;       /* first app close, or NONE; once TORN_DOWN
                              * the close's duration */
  SynackTime exec_ns;        /* the server's first execution, or NONE */
  guint32    refs;           /* ends out of CLOSED/LISTEN, segments in
                              * flight, pending closes */
  guint16    port;
  guint8     server_est;     /* server executions, saturating */
  guint8     bits;
  guint8     bits2;          /* DELIVERED, DEFERRED_CLOSE, TORN_DOWN */
} Attempt;

G_STATIC_ASSERT (sizeof (Attempt) <= 56);

/* The durations an attempt contributes, in exact mode (per attempt id). */
enum { EXACT_HANDSHAKE, EXACT_REQUEST, EXACT_TEARDOWN, EXACT_N };

struct _SynackOracle {
  Attempt *ring;             /* [id & mask]: ids base .. base + mask */
  gsize    mask;             /* ring size - 1 (a power of two - 1) */
  guint64  base;
  guint64  in_ring;          /* records in the ring */
  GHashTable *overflow;      /* (nullable) id -> record (transfer full) of
                              * attempts alive below base */
  guint64  live;             /* records in all */
  guint64  deferred;         /* records with DEFERRED_CLOSE */
  guint64  n;                /* attempts of the run */
  guint64  opened;           /* highest attempt id opened (or refused) */
  /* classes of the attempts classified so far */
  guint64  established, failed, half_open, duplicate, ghost, reset, unfinished;
  /* exact mode: EXACT_N durations per attempt id, NONE if none; or NULL */
  SynackTime *exact;
  /* histogram mode: nanoseconds */
  SynackHistogram *handshake, *request, *teardown;
};

/* Classifies @a and keeps its durations, for good (oracle.c). */
G_GNUC_INTERNAL void oracle_account (SynackOracle *o, const Attempt *a,
                                     gboolean cut);

#endif /* SYNACK_ORACLE_PRIVATE_H */
