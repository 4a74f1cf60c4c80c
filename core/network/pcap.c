/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/pcap.c - pcap records for simulated segments (see pcap.h).
 *
 * The payload is never materialised in the simulation; it is written as
 * zeros, which add nothing to the Internet checksum, so the TCP checksum is
 * the one-complement sum of the pseudo-header and the TCP header alone. */
#include "pcap.h"

#include <string.h>

static void
put16 (guint8 *p, guint16 v)
{
  p[0] = v >> 8;
  p[1] = v & 0xff;
}

static void
put32 (guint8 *p, guint32 v)
{
  p[0] = v >> 24;
  p[1] = (v >> 16) & 0xff;
  p[2] = (v >> 8) & 0xff;
  p[3] = v & 0xff;
}

/* Adds big-endian 16-bit words of @data to a one-complement accumulator. */
static guint32
sum16 (guint32 acc, const guint8 *data, gsize len)
{
  for (gsize i = 0; i + 1 < len; i += 2)
    acc += (guint32) (data[i] << 8 | data[i + 1]);
  if (len & 1)
    acc += (guint32) data[len - 1] << 8;
  return acc;
}

static guint16
fold (guint32 acc)
{
  while (acc >> 16)
    acc = (acc & 0xffff) + (acc >> 16);
  return (guint16) ~acc;
}

guint32
synack_pcap_host_addr (guint32 host)
{
  return host == 0 ? 0x0a000001u : 0x0a800000u + host;
}

void
synack_pcap_write_header (SynackTrace *t)
{
  /* host byte order, as pcap readers expect from the magic: magic,
   * version 2.4 (two 16-bit fields), thiszone, sigfigs, snaplen, linktype */
  guint32 hdr[6] = { 0xa1b23c4du, 0, 0, 0, 65535, 101 };
  guint16 version[2] = { 2, 4 };

  memcpy (&hdr[1], version, sizeof version);
  synack_trace_put_bytes (t, hdr, sizeof hdr);
}

void
synack_pcap_write_segment (SynackTrace *t, SynackTime time,
                           const SynackSegment *seg)
{
  static const guint8 zeros[4096];
  guint8 pkt[48];
  guint32 rec[4];
  guint32 src = synack_pcap_host_addr (seg->src_host);
  guint32 dst = synack_pcap_host_addr (seg->dst_host);
  /* the TCP Fast Open option (RFC 7413 §4.1.1: kind 34, length 2 for a
   * cookie request, 2 + 4 with our 4-byte cookie), padded with NOPs */
  guint32 opt_len = seg->fastopen == SYNACK_TFO_NONE ? 0
                    : seg->fastopen == SYNACK_TFO_REQUEST ? 4 : 8;
  guint32 hdr_len = 20 + opt_len;
  guint32 tcp_len = hdr_len + seg->len_bytes;
  guint32 total = 20 + tcp_len;
  guint32 acc;

  memset (pkt, 0, sizeof pkt);
  /* IPv4 */
  pkt[0] = 0x45;
  put16 (pkt + 2, (guint16) MIN (total, 65535u));
  put16 (pkt + 4, (guint16) (seg->seq ^ seg->src_port));   /* identification */
  pkt[6] = 0x40;                                           /* DF */
  pkt[8] = 64;                                             /* TTL */
  pkt[9] = 6;                                              /* TCP */
  put32 (pkt + 12, src);
  put32 (pkt + 16, dst);
  put16 (pkt + 10, fold (sum16 (0, pkt, 20)));
  /* TCP */
  put16 (pkt + 20, seg->src_port);
  put16 (pkt + 22, seg->dst_port);
  put32 (pkt + 24, seg->seq);
  put32 (pkt + 28, (seg->flags & SYNACK_FLAG_ACK) ? seg->ack : 0);
  pkt[32] =
      (guint8) ((hdr_len / 4) << 4) | ((seg->flags & SYNACK_FLAG_NS) ? 1 : 0);
  /* the byte after the offset holds CWR ECE URG ACK PSH RST SYN FIN */
  pkt[33] = (guint8) (((seg->flags & SYNACK_FLAG_CWR) ? 0x80 : 0) |
                      ((seg->flags & SYNACK_FLAG_ECE) ? 0x40 : 0) |
                      ((seg->flags & SYNACK_FLAG_URG) ? 0x20 : 0) |
                      ((seg->flags & SYNACK_FLAG_ACK) ? 0x10 : 0) |
                      ((seg->flags & SYNACK_FLAG_PSH) ? 0x08 : 0) |
                      ((seg->flags & SYNACK_FLAG_RST) ? 0x04 : 0) |
                      ((seg->flags & SYNACK_FLAG_SYN) ? 0x02 : 0) |
                      ((seg->flags & SYNACK_FLAG_FIN) ? 0x01 : 0));
  put16 (pkt + 34, seg->window);
  if (opt_len > 0) {
    pkt[40] = 34;
    pkt[41] = seg->fastopen == SYNACK_TFO_REQUEST ? 2 : 6;
    if (seg->fastopen != SYNACK_TFO_REQUEST)
      put32 (pkt + 42, seg->fastopen);
    memset (pkt + 40 + pkt[41], 1, opt_len - pkt[41]);   /* NOP */
  }
  /* pseudo-header: src, dst, zero+protocol, TCP length */
  acc =
      (src >> 16) + (src & 0xffff) + (dst >> 16) + (dst & 0xffff) + 6 + tcp_len;
  put16 (pkt + 36, fold (sum16 (acc, pkt + 20, hdr_len)));

  rec[0] = (guint32) (time / SYNACK_SECOND);
  rec[1] = (guint32) (time % SYNACK_SECOND);
  rec[2] = total;
  rec[3] = total;
  synack_trace_put_bytes (t, rec, sizeof rec);
  synack_trace_put_bytes (t, pkt, 20 + hdr_len);
  for (guint32 left = seg->len_bytes; left > 0;) {
    guint32 chunk = MIN (left, (guint32) sizeof zeros);

    synack_trace_put_bytes (t, zeros, chunk);
    left -= chunk;
  }
}
