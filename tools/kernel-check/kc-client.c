/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tools/kernel-check/kc-client.c - the client of kernel-check: opens N
 * connections to ADDR:PORT at Poisson arrivals of RATE per second, each in
 * its own thread: a blocking connect() (the kernel's own SYN retries
 * decide when it gives up), HOLD seconds established, then close() (an
 * orphaned FIN, as synack's closer = client).  No data is sent (synack's
 * [workload] request = 0).
 *
 * Prints one line per connection, in completion order:
 *   id lport t_open t_established t_close errno
 * times in seconds of CLOCK_MONOTONIC (t_established and t_close -1 when
 * connect failed); kc-relay logs on the same clock.
 *
 * Usage: kc-client ADDR PORT N RATE HOLD SEED */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <arpa/inet.h>
#include <errno.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static struct sockaddr_in server;
static double hold_s;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t done_cond = PTHREAD_COND_INITIALIZER;
static int running;

static double
now_s (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_MONOTONIC, &ts);
  return (double) ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void
sleep_s (double s)
{
  struct timespec ts;

  if (s <= 0)
    return;
  ts.tv_sec = (time_t) s;
  ts.tv_nsec = (long) ((s - (double) ts.tv_sec) * 1e9);
  while (nanosleep (&ts, &ts) < 0 && errno == EINTR)
    ;
}

static void *
one_connection (void *arg)
{
  long id = (long) arg;
  double t_open = now_s (), t_est = -1, t_close = -1;
  int fd = socket (AF_INET, SOCK_STREAM, 0), err = 0;
  unsigned lport = 0;

  if (fd < 0) {
    err = errno;
  } else if (connect (fd, (struct sockaddr *) &server, sizeof server) < 0) {
    err = errno;
  } else {
    struct sockaddr_in me;
    socklen_t len = sizeof me;

    t_est = now_s ();
    if (getsockname (fd, (struct sockaddr *) &me, &len) == 0)
      lport = ntohs (me.sin_port);
    sleep_s (hold_s);
    t_close = now_s ();
  }
  if (fd >= 0) {
    if (err != 0 && lport == 0) {
      struct sockaddr_in me;
      socklen_t len = sizeof me;

      if (getsockname (fd, (struct sockaddr *) &me, &len) == 0)
        lport = ntohs (me.sin_port);
    }
    close (fd);
  }
  pthread_mutex_lock (&lock);
  printf ("%ld %u %.9f %.9f %.9f %d\n", id, lport, t_open, t_est, t_close, err);
  running--;
  pthread_cond_signal (&done_cond);
  pthread_mutex_unlock (&lock);
  return NULL;
}

int
main (int argc, char **argv)
{
  long n;
  double rate, next;
  unsigned short seed[3];
  pthread_attr_t attr;

  if (argc != 7) {
    fprintf (stderr, "usage: kc-client ADDR PORT N RATE HOLD SEED\n");
    return 2;
  }
  server.sin_family = AF_INET;
  if (inet_pton (AF_INET, argv[1], &server.sin_addr) != 1) {
    fprintf (stderr, "kc-client: bad address %s\n", argv[1]);
    return 2;
  }
  server.sin_port = htons ((unsigned short) atoi (argv[2]));
  n = atol (argv[3]);
  rate = atof (argv[4]);
  hold_s = atof (argv[5]);
  seed[0] = 0x330e;
  seed[1] = (unsigned short) atoi (argv[6]);
  seed[2] = (unsigned short) (atoi (argv[6]) >> 16);
  if (n <= 0 || rate <= 0 || hold_s < 0) {
    fprintf (stderr, "kc-client: N, RATE > 0 and HOLD >= 0\n");
    return 2;
  }
  pthread_attr_init (&attr);
  pthread_attr_setstacksize (&attr, 64 * 1024);
  pthread_attr_setdetachstate (&attr, PTHREAD_CREATE_DETACHED);
  next = now_s ();
  for (long i = 1; i <= n; i++) {
    pthread_t t;

    sleep_s (next - now_s ());
    pthread_mutex_lock (&lock);
    running++;
    pthread_mutex_unlock (&lock);
    if (pthread_create (&t, &attr, one_connection, (void *) i) != 0) {
      perror ("kc-client: pthread_create");
      return 1;
    }
    /* exponential gaps: Poisson arrivals, as synack's arrival = poisson */
    next += -log (1.0 - erand48 (seed)) / rate;
  }
  pthread_mutex_lock (&lock);
  while (running > 0)
    pthread_cond_wait (&done_cond, &lock);
  pthread_mutex_unlock (&lock);
  fflush (stdout);
  return 0;
}
