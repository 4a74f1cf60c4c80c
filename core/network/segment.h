/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/segment.h - a TCP segment as it travels the simulated network.
 *
 * The header fields are real TCP's (RFC 9293 §3.1): ports, sequence and
 * acknowledgement numbers, the 9 control bits, the window, and the payload
 * length (the payload itself is never materialised).  After them comes
 * simulation-only metadata: which attempt (incarnation) sent the segment and
 * between which hosts.  Protocol code copies it to label what it creates but
 * never decides anything on it; the outcome oracle and the traces read it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Control bits, as in the TCP header (NS is bit 8 of the offset word). */
typedef enum {
  SYNACK_FLAG_FIN = 1 << 0,
  SYNACK_FLAG_SYN = 1 << 1,
  SYNACK_FLAG_RST = 1 << 2,
  SYNACK_FLAG_PSH = 1 << 3,
  SYNACK_FLAG_ACK = 1 << 4,
  SYNACK_FLAG_URG = 1 << 5,
  SYNACK_FLAG_ECE = 1 << 6,
  SYNACK_FLAG_CWR = 1 << 7,
  SYNACK_FLAG_NS  = 1 << 8,
} SynackFlag;
#define SYNACK_FLAG_ALL 0x1ffu

/* SynackSegment.fastopen values below 2; any other value is a cookie. */
enum {
  SYNACK_TFO_NONE    = 0,
  SYNACK_TFO_REQUEST = 1,
};

/* One attempt (incarnation) of a connection, numbered from 1 in the order
 * the workload opens them; 0 is "none". */
typedef guint32 SynackConnId;

typedef struct {
  guint32      seq;          /* sequence number */
  guint32      ack;          /* acknowledgement number (meaningful with ACK) */
  guint16      src_port;
  guint16      dst_port;
  guint16      flags;        /* SynackFlag bits */
  guint16      window;       /* receive window, bytes */
  guint32      len_bytes;    /* payload length (SYN and FIN not counted) */
  guint32      fastopen;     /* the TCP Fast Open option (RFC 7413 §4.1.1,
                              * kind 34): SYNACK_TFO_NONE absent,
                              * SYNACK_TFO_REQUEST empty (a cookie request),
                              * else the cookie */
  guint32      tsval, tsecr; /* the Timestamps option (RFC 7323 §3, kind 8):
                              * TSval the sender's clock in ms, TSecr the
                              * TSval echoed; tsval 0 = option absent */
  /* simulation-only metadata */
  SynackConnId conn;         /* the incarnation that sent it */
  guint32      src_host;     /* host index: 0 is the server, 1.. the clients */
  guint32      dst_host;
  guint16      copy;         /* 0 original, 1 a duplicate made by the link */
  guint16      retrans;      /* 0 first transmission, n the n-th
                              * retransmission */
} SynackSegment;

/* Longest text synack_flags_format() writes, with the NUL. */
#define SYNACK_FLAGS_FORMAT_SIZE 40

/* Writes the set bits comma-separated in the order tcpdump users read them:
 * SYN FIN RST PSH ACK URG ECE CWR NS ("SYN,ACK", "FIN,ACK"); "" for none.
 * @buf holds SYNACK_FLAGS_FORMAT_SIZE bytes.  Returns: @buf. */
char       *synack_flags_format  (guint16 flags, char *buf);

/* Parses "SYN,ACK" / "ack,syn" (any order, any case) into flag bits.
 * Returns: FALSE with @error set (SYNACK_SEGMENT_ERROR) for an unknown
 * name. */
#define SYNACK_SEGMENT_ERROR (synack_segment_error_quark ())
typedef enum { SYNACK_SEGMENT_ERROR_BAD_FLAGS } SynackSegmentError;
GQuark      synack_segment_error_quark (void);
gboolean    synack_flags_parse   (const char *text, guint16 *flags,
                                  GError **error);

/* Sequence-space comparisons modulo 2^32 (RFC 9293 §3.4). */
static inline gboolean
synack_seq_lt (guint32 a, guint32 b) { return (gint32) (a - b) < 0; }
static inline gboolean
synack_seq_le (guint32 a, guint32 b) { return (gint32) (a - b) <= 0; }
static inline gboolean
synack_seq_gt (guint32 a, guint32 b) { return (gint32) (a - b) > 0; }
static inline gboolean
synack_seq_ge (guint32 a, guint32 b) { return (gint32) (a - b) >= 0; }

/* Segment length in sequence space: payload + 1 for SYN + 1 for FIN. */
static inline guint32
synack_segment_seq_len (const SynackSegment *seg)
{
  return seg->len_bytes + !!(seg->flags & SYNACK_FLAG_SYN)
         + !!(seg->flags & SYNACK_FLAG_FIN);
}

G_END_DECLS
