/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tools/kernel-check/kc-relay.c - the link between kernel-check's two
 * network namespaces, and its record of what crossed it.
 *
 *   kc-relay tun A_NS B_NS A_IF B_IF DELAY_MS LOG
 *     Where tc netem is missing: each of two namespaces has a TUN device
 *     (made persistent by `ip tuntap add`); this process attaches to both
 *     (setns() into each) and copies every packet to the other side
 *     DELAY_MS later, in order (a constant delay keeps each direction
 *     FIFO, so a ring per direction is the whole scheduler).  kernel-check
 *     puts it between the client and the router.
 *   kc-relay sniff CLI_NS SRV_NS CLI_IF SRV_IF LOG
 *     Only records, from a packet socket on the client's and on the
 *     server's interface: what reached them, after the router's loss.
 *
 * LOG gets one line per TCP segment delivered (tun: written to the other
 * side; sniff: received by CLI_IF or SRV_IF):
 *   time dir sport dport flags seq ack len
 * time in seconds of CLOCK_MONOTONIC (kc-client's clock), dir c for client
 * to server and s for server to client, flags in packetdrill's letters
 * (S F R P and . for ACK).  kernel-check computes the teardown times
 * from the sniff record.  Stops on SIGINT or SIGTERM. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <net/ethernet.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RING_SLOTS 16384u   /* packets in flight per direction */
#define MTU_BYTES  2048u

typedef struct {
  double   due;
  uint32_t len;
  uint8_t  data[MTU_BYTES];
} Slot;

typedef struct {
  Slot    *slots;
  uint32_t head, len;
  uint64_t overflow;
} Ring;

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

static int
enter_netns (const char *name)
{
  char path[256];
  int fd;

  snprintf (path, sizeof path, "/var/run/netns/%s", name);
  fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0 || setns (fd, CLONE_NEWNET) < 0) {
    fprintf (stderr, "kc-relay: cannot enter netns %s: %s\n", name,
             strerror (errno));
    return -1;
  }
  close (fd);
  return 0;
}

static int
open_tun (const char *ns, const char *ifname)
{
  struct ifreq ifr = { 0 };
  int fd;

  if (enter_netns (ns) < 0)
    return -1;
  fd = open ("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  snprintf (ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (fd < 0 || ioctl (fd, TUNSETIFF, &ifr) < 0) {
    fprintf (stderr, "kc-relay: cannot attach to %s in %s: %s\n", ifname, ns,
             strerror (errno));
    return -1;
  }
  return fd;
}

static int
open_sniffer (const char *ns, const char *ifname)
{
  struct sockaddr_ll sll = { .sll_family = AF_PACKET,
                             .sll_protocol = htons (ETH_P_IP) };
  struct ifreq ifr = { 0 };
  int fd;

  if (enter_netns (ns) < 0)
    return -1;
  fd = socket (AF_PACKET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
               htons (ETH_P_IP));
  snprintf (ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (fd >= 0 && ioctl (fd, SIOCGIFINDEX, &ifr) == 0)
    sll.sll_ifindex = ifr.ifr_ifindex;
  if (fd < 0 || sll.sll_ifindex == 0 ||
      bind (fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
    fprintf (stderr, "kc-relay: cannot sniff %s in %s: %s\n", ifname, ns,
             strerror (errno));
    return -1;
  }
  return fd;
}

/* One line for a TCP segment in the IPv4 packet @p; nothing for others. */
static void
log_packet (FILE *log, double t, char dir, const uint8_t *p, size_t len)
{
  const struct iphdr *ip = (const struct iphdr *) p;
  const struct tcphdr *tcp;
  size_t ihl, doff, tot;
  char flags[8];
  int n = 0;

  if (len < sizeof *ip || ip->version != 4 || ip->protocol != IPPROTO_TCP)
    return;
  ihl = (size_t) ip->ihl * 4;
  tot = ntohs (ip->tot_len);
  if (len < ihl + sizeof *tcp || tot > len)
    return;
  tcp = (const struct tcphdr *) (p + ihl);
  doff = (size_t) tcp->doff * 4;
  if (tot < ihl + doff)
    return;
  if (tcp->syn) flags[n++] = 'S';
  if (tcp->fin) flags[n++] = 'F';
  if (tcp->rst) flags[n++] = 'R';
  if (tcp->psh) flags[n++] = 'P';
  if (tcp->ack) flags[n++] = '.';
  if (n == 0) flags[n++] = '-';
  flags[n] = '\0';
  fprintf (log, "%.9f %c %u %u %s %u %u %zu\n", t, dir, ntohs (tcp->source),
           ntohs (tcp->dest), flags, ntohl (tcp->seq), ntohl (tcp->ack_seq),
           tot - ihl - doff);
}

static int
run_tun (int fd[2], double delay, FILE *log)
{
  Ring ring[2];

  for (int d = 0; d < 2; d++) {
    ring[d].slots = calloc (RING_SLOTS, sizeof (Slot));
    ring[d].head = ring[d].len = 0;
    ring[d].overflow = 0;
    if (ring[d].slots == NULL) {
      perror ("kc-relay");
      return 1;
    }
  }
  while (!stop) {
    struct pollfd pfd[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 } };
    double t = now_s (), next = -1;
    struct timespec ts, *tsp = NULL;

    /* deliver what is due: ring d holds packets read from fd[d] */
    for (int d = 0; d < 2; d++) {
      Ring *r = &ring[d];

      while (r->len > 0 && r->slots[r->head].due <= t) {
        Slot *s = &r->slots[r->head];

        if (write (fd[1 - d], s->data, s->len) == (ssize_t) s->len)
          log_packet (log, t, d == 0 ? 'c' : 's', s->data, s->len);
        r->head = (r->head + 1) % RING_SLOTS;
        r->len--;
      }
      if (r->len > 0 && (next < 0 || r->slots[r->head].due < next))
        next = r->slots[r->head].due;
    }
    if (next >= 0) {
      double w = next - t;

      ts.tv_sec = (time_t) w;
      ts.tv_nsec = (long) ((w - (double) ts.tv_sec) * 1e9);
      tsp = &ts;
    }
    if (ppoll (pfd, 2, tsp, NULL) < 0 && errno != EINTR) {
      perror ("kc-relay: ppoll");
      return 1;
    }
    for (int d = 0; d < 2; d++) {
      Ring *r = &ring[d];

      if (!(pfd[d].revents & POLLIN))
        continue;
      for (;;) {
        uint8_t buf[MTU_BYTES];
        ssize_t n = read (fd[d], buf, sizeof buf);
        Slot *s;

        if (n <= 0)
          break;
        if (r->len == RING_SLOTS) {
          r->overflow++;   /* a full ring drops, as a full queue would */
          continue;
        }
        s = &r->slots[(r->head + r->len) % RING_SLOTS];
        s->due = now_s () + delay;
        s->len = (uint32_t) n;
        memcpy (s->data, buf, (size_t) n);
        r->len++;
      }
    }
  }
  if (ring[0].overflow || ring[1].overflow)
    fprintf (stderr, "kc-relay: %llu packets dropped on a full ring\n",
             (unsigned long long) (ring[0].overflow + ring[1].overflow));
  free (ring[0].slots);
  free (ring[1].slots);
  return 0;
}

static int
run_sniff (int fd[2], FILE *log)
{
  while (!stop) {
    struct pollfd pfd[2] = { { fd[0], POLLIN, 0 }, { fd[1], POLLIN, 0 } };

    if (poll (pfd, 2, 200) < 0 && errno != EINTR) {
      perror ("kc-relay: poll");
      return 1;
    }
    for (int d = 0; d < 2; d++) {
      for (;;) {
        uint8_t buf[MTU_BYTES];
        struct sockaddr_ll from;
        socklen_t fl = sizeof from;
        ssize_t n = recvfrom (fd[d], buf, sizeof buf, 0,
                              (struct sockaddr *) &from, &fl);

        if (n <= 0)
          break;
        /* fd[0] is the client's end: what arrives there came from the server */
        if (from.sll_pkttype != PACKET_OUTGOING)
          log_packet (log, now_s (), d == 0 ? 's' : 'c', buf, (size_t) n);
      }
    }
  }
  return 0;
}

int
main (int argc, char **argv)
{
  int tun, fd[2], status;
  FILE *log;
  struct sigaction sa = { .sa_handler = on_signal };

  tun = argc == 8 && strcmp (argv[1], "tun") == 0;
  if (!tun && !(argc == 7 && strcmp (argv[1], "sniff") == 0)) {
    fprintf (stderr, "usage: kc-relay tun A_NS B_NS A_IF B_IF DELAY_MS LOG\n"
                     "       kc-relay sniff CLI_NS SRV_NS CLI_IF SRV_IF LOG\n");
    return 2;
  }
  log = fopen (argv[argc - 1], "w");
  if (log == NULL) {
    perror ("kc-relay: log");
    return 1;
  }
  setvbuf (log, NULL, _IOFBF, 1 << 20);
  sigaction (SIGINT, &sa, NULL);
  sigaction (SIGTERM, &sa, NULL);
  fd[0] = tun ? open_tun (argv[2], argv[4]) : open_sniffer (argv[2], argv[4]);
  fd[1] = tun ? open_tun (argv[3], argv[5]) : open_sniffer (argv[3], argv[5]);
  if (fd[0] < 0 || fd[1] < 0)
    return 1;
  printf ("ready\n");
  fflush (stdout);
  status = tun ? run_tun (fd, atof (argv[6]) / 1000.0, log)
               : run_sniff (fd, log);
  fclose (log);
  return status;
}
