/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/pcap.h - segments as a pcap capture (internal to libsynack).
 *
 * Nanosecond-resolution pcap (magic 0xa1b23c4d), link type RAW (IPv4 with
 * no link layer).  Each record is a 20-byte IPv4 header, a 20-byte TCP
 * header and the payload as zero bytes, with valid IPv4 and TCP checksums,
 * so tshark and Wireshark decode and verify it.  Host 0 (the server) is
 * 10.0.0.1; client host i is 10.128.0.0 + i. */
#pragma once

#include "segment.h"
#include "trace.h"

G_BEGIN_DECLS

void    synack_pcap_write_header  (SynackTrace *t);
void    synack_pcap_write_segment (SynackTrace *t, SynackTime time,
                                   const SynackSegment *seg);
guint32 synack_pcap_host_addr     (guint32 host);   /* host order */

G_END_DECLS
