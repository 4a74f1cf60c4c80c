/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tools/kernel-check/kc-server.c - the server of kernel-check: accepts
 * connections on PORT with listen(BACKLOG), reads each until the client's
 * FIN and then closes it, as synack's server does with closer = client.
 * One thread, epoll; prints "ready" once listening.
 *
 * Usage: kc-server PORT BACKLOG */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <unistd.h>

int
main (int argc, char **argv)
{
  struct sockaddr_in addr = { .sin_family = AF_INET };
  int lfd, ep, one = 1;
  struct epoll_event ev = { .events = EPOLLIN };

  if (argc != 3) {
    fprintf (stderr, "usage: kc-server PORT BACKLOG\n");
    return 2;
  }
  addr.sin_port = htons ((unsigned short) atoi (argv[1]));
  lfd = socket (AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
  if (lfd < 0 ||
      setsockopt (lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
      bind (lfd, (struct sockaddr *) &addr, sizeof addr) < 0 ||
      listen (lfd, atoi (argv[2])) < 0) {
    perror ("kc-server: listen");
    return 1;
  }
  ep = epoll_create1 (0);
  ev.data.fd = lfd;
  if (ep < 0 || epoll_ctl (ep, EPOLL_CTL_ADD, lfd, &ev) < 0) {
    perror ("kc-server: epoll");
    return 1;
  }
  printf ("ready\n");
  fflush (stdout);
  for (;;) {
    struct epoll_event evs[64];
    int n = epoll_wait (ep, evs, 64, -1);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      perror ("kc-server: epoll_wait");
      return 1;
    }
    for (int i = 0; i < n; i++) {
      int fd = evs[i].data.fd;

      if (fd == lfd) {
        int c;

        while ((c = accept4 (lfd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
          struct epoll_event cev = { .events = EPOLLIN | EPOLLRDHUP,
                                     .data.fd = c };

          if (epoll_ctl (ep, EPOLL_CTL_ADD, c, &cev) < 0)
            close (c);
        }
      } else {
        char buf[4096];
        ssize_t r;

        while ((r = read (fd, buf, sizeof buf)) > 0)
          ;
        /* EOF (the client's FIN) or an error: close, which sends our FIN */
        if (r == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
          epoll_ctl (ep, EPOLL_CTL_DEL, fd, NULL);
          close (fd);
        }
      }
    }
  }
}
