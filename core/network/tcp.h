/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/tcp.h - what every TCP-like protocol model shares with the core:
 * the RFC 9293 state names, the [tcp] parameters and the profiles that set
 * their defaults, and the roles of the two ends. */
#pragma once

#include <glib.h>
#include "clock.h"
#include "params.h"

G_BEGIN_DECLS

/* RFC 9293 §3.3.2, with underscores as traces print them. */
typedef enum {
  SYNACK_TCP_CLOSED,
  SYNACK_TCP_LISTEN,
  SYNACK_TCP_SYN_SENT,
  SYNACK_TCP_SYN_RECEIVED,
  SYNACK_TCP_ESTABLISHED,
  SYNACK_TCP_FIN_WAIT_1,
  SYNACK_TCP_FIN_WAIT_2,
  SYNACK_TCP_CLOSE_WAIT,
  SYNACK_TCP_CLOSING,
  SYNACK_TCP_LAST_ACK,
  SYNACK_TCP_TIME_WAIT,
  SYNACK_TCP_N_STATES
} SynackTcpState;

/* "SYN_SENT"...; never NULL ("?" for an out-of-range value). */
const char *synack_tcp_state_name  (SynackTcpState state);

typedef enum { SYNACK_ROLE_CLIENT, SYNACK_ROLE_SERVER } SynackRole;
const char *synack_role_name (SynackRole role);      /* "client", "server" */

/* Why a state changed (traces print the text in quotes). */
typedef enum {
  SYNACK_CAUSE_RCV,        /* "rcv FLAGS": @seg arrived */
  SYNACK_CAUSE_IGNORED,    /* "ignored rcv FLAGS": no transition (from == to) */
  SYNACK_CAUSE_APP_OPEN,   /* "app open" (client connect) */
  SYNACK_CAUSE_APP_CLOSE,  /* "app close" */
  SYNACK_CAUSE_TIMEOUT,    /* "timeout": retransmissions exhausted */
  SYNACK_CAUSE_TIME_WAIT,  /* "time_wait expired" */
  SYNACK_CAUSE_FIN_WAIT_2, /* "fin_wait_2 timeout" */
  SYNACK_CAUSE_BACKLOG,    /* "backlog full": a SYN refused at the server */
  SYNACK_CAUSE_DELIVER,    /* "deliver SYN data": the server hands the data of
                            * @seg, a SYN, to its application before the
                            * handshake completes (TCP Fast Open); from == to */
  SYNACK_CAUSE_SYNCOOKIE,  /* "syncookie sent": a SYN answered with a SYN
                            * cookie, no state kept (LISTEN -> LISTEN,
                            * labelled with the SYN's conn) */
  SYNACK_CAUSE_SYNCOOKIE_ACK, /* "rcv syncookie ACK": @seg carried a valid
                               * cookie: LISTEN -> ESTABLISHED */
  SYNACK_CAUSE_N
} SynackCause;
/* "rcv", "ignored rcv", "app open", ... */
const char *synack_cause_name (SynackCause cause);

typedef enum {
  SYNACK_ISN_RANDOM,   /* uniform 32-bit per connection */
  SYNACK_ISN_RFC6528,  /* M + F(4-tuple, secret): 4 us clock + keyed hash */
  SYNACK_ISN_ZERO,     /* always 0: what TIME_WAIT alone must protect */
} SynackIsnMode;
const char *synack_isn_mode_name  (SynackIsnMode mode);
gboolean    synack_isn_mode_parse (const char *name, SynackIsnMode *mode);

/* [tcp] syncookies, Linux tcp_syncookies 0, 1, 2. */
typedef enum {
  SYNACK_SYNCOOKIES_OFF,       /* never: a full SYN queue drops the SYN */
  SYNACK_SYNCOOKIES_OVERFLOW,  /* when the SYN queue is full (Linux default) */
  SYNACK_SYNCOOKIES_ALWAYS,    /* for every SYN: no request state at all */
} SynackSyncookies;
const char *synack_syncookies_name  (SynackSyncookies mode);
gboolean    synack_syncookies_parse (const char *name, SynackSyncookies *mode);

/* [tcp] rto_estimator: how the RTO follows from an RTT sample R. */
typedef enum {
  SYNACK_RTO_RFC6298, /* max (rto_min, R + max (1 ms, 4 R/2)) */
  SYNACK_RTO_LINUX,   /* R + max (4 R/2, rto_min): tcp_rtt_estimator(),
                         tcp_set_rto() */
} SynackRtoEstimator;
const char *synack_rto_estimator_name  (SynackRtoEstimator e);
gboolean synack_rto_estimator_parse (const char *name, SynackRtoEstimator *e);

/* The [tcp] section, typed.  A profile fills it, keys in the file override. */
typedef struct {
  SynackTime
      rto_initial_ns; /* first SYN / SYN,ACK timeout (RFC 6298 2.1: 1 s) */
  SynackTime
      rto_min_ns; /* floor of the computed RTO (RFC 6298: 1 s; Linux 200 ms) */
  SynackTime    rto_max_ns;          /* ceiling of any backed-off timeout */
  double        rto_backoff;         /* multiplier per expiry (2) */
  guint         syn_retries;         /* SYN retransmissions before giving up */
  guint syn_linear_timeouts; /* first N SYN retransmissions without backoff */
  guint
      synack_retries; /* SYN,ACK retransmissions before dropping the request */
  guint         fin_retries;         /* FIN retransmissions before aborting */
  SynackTime    msl_ns;              /* maximum segment lifetime */
  SynackTime    time_wait_ns;        /* TIME_WAIT length (2 MSL in RFC 9293) */
  SynackTime
      fin_wait2_timeout_ns; /* 0: wait forever (RFC); Linux tcp_fin_timeout */
  SynackIsnMode isn;
  guint backlog; /* max connections in SYN_RECEIVED at the server */
  gboolean synack_on_dup_syn; /* SYN_RECEIVED resends SYN,ACK on a retransmitted
                                 SYN (Linux) */
  guint32 request_bytes; /* request carried by the final ACK (3-way) or the SYN
                            (2-way) */
  /* Linux's choices (issue 10), each off in rfc9293 and rfc2988 */
  SynackSyncookies syncookies;       /* tcp_syncookies (RFC 4987 §3.6) */
  guint max_syn_backlog; /* tcp_max_syn_backlog: unproven peers dropped
                          * once < 1/4 free (no cookies); 0 = never */
  gboolean
      syn_queue_prune; /* reqsk_timer_handler(): old requests get
                        * fewer SYN,ACK retries once the queue is half full */
  gboolean timestamps; /* tcp_timestamps (RFC 7323): RTT from TSecr */
  SynackRtoEstimator rto_estimator;
  gboolean tlp; /* tail loss probe (RFC 8985 §7), tcp_early_retrans */
  gboolean metrics_cache; /* !tcp_no_metrics_save: per host pair RTT cache */
  gboolean orphan_time_budget;    /* FIN retries as a time budget
                                     (retransmits_timed_out) */
  gboolean time_wait_ack_restart; /* TIME_WAIT restarts on any ACK
                                     (tcp_timewait_state_process) */
  gboolean ack_unsent_drop; /* ESTABLISHED drops an ACK of unsent data silently
                               (tcp_ack) */
  gboolean syn_recv_reset;  /* in-window SYN or RST resets a request
                               (tcp_check_req) */
  SynackTime invalid_ratelimit_ns; /* tcp_invalid_ratelimit: one
                                      dupack/challenge ACK per this */
  gboolean request_in_ack; /* the request rides on the handshake's final ACK */
  guint challenge_ack_limit; /* tcp_challenge_ack_limit: challenge ACKs per
                                host per second, 0 = no limit */
  guint16       window;              /* advertised receive window, bytes */
  guint16       server_port;
} SynackTcpConfig;

/* The [tcp] keys as a parameter table (core/engine/params.h): names, types,
 * units, help, and the rfc9293 values as defaults.  Ends with { NULL }. */
const SynackParamSpec *synack_tcp_param_specs (void);

/* Returns: (transfer full) the [tcp] values of profile @name ("rfc9293",
 * "linux", "rfc2988"), or NULL for an unknown name. */
SynackParams *synack_tcp_profile_params (const char *name);
/* NULL-terminated list of profile names. */
const char * const *synack_tcp_profile_names (void);

/* Fills @cfg from [tcp] values made by synack_tcp_profile_params(). */
void synack_tcp_config_from_params (SynackTcpConfig *cfg,
                                    const SynackParams *params);

/* How an application-level workload drives the endpoints. */
typedef enum {
  SYNACK_CLOSER_CLIENT,
  SYNACK_CLOSER_SERVER,
  SYNACK_CLOSER_SIMULTANEOUS,
  SYNACK_CLOSER_NONE,
} SynackCloser;

G_END_DECLS
