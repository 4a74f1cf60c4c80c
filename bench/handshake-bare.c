/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench/handshake-bare.c - bench/workloads/handshake.ini as a lean
 * standalone C program: the floor for `synack run` on that workload.
 *
 * The same model as synack's tcp3way under the linux profile, for the one
 * workload the bench runs: attempts from one client host arriving as a
 * Poisson process, each a 3-way handshake whose third segment carries a
 * 100-byte request, a hold, then a 4-way close started by the client (the
 * server closes as soon as it reads the FIN); one link of constant delay,
 * each segment lost with probability p in either direction; RFC 6298
 * timers as models/tcp-timers.c computes them (SYN RTO 1 s with 4 linear
 * retries then doubling, the RTT sample of the handshake, 200 ms floor, the
 * 3 s fallback after a SYN timeout, doubling up to 120 s), retry limits
 * (SYN 6 + 4, SYN,ACK 5, data and FIN 8), the SYN,ACK resent on a
 * duplicate SYN, FIN_WAIT_2 60 s and TIME_WAIT (5 s here).  Sequence
 * numbers are abstract units: each side's SYN, the request and each FIN
 * are one unit each, which is all the state machines of this workload
 * look at (what is acknowledged, what is next in order); the acceptability
 * test, the ACK checks and the transitions are RFC 9293 §3.10.7's as
 * models/protocol-tcp3way.c applies them.  It leaves out what the workload
 * almost never meets: port reuse by a later attempt (28232 ports, 5000 in
 * TIME_WAIT at most) and segments of an old incarnation, simultaneous
 * open and close.  Its figures are compared with synack's by
 * bench/run-bench.sh: success rate, mean handshake latency (within the 95 %
 * confidence interval of the difference) and segments per attempt.
 *
 * What it does not have: GLib, plugins, the oracle, traces, a results
 * directory.  Its data structures are the least the workload needs:
 *   - the event list is one FIFO per distinct delay (link delay, hold,
 *     TIME_WAIT, each RTO value): events scheduled with the same delay
 *     leave in the order they came, so each FIFO is sorted by
 *     construction; the non-empty FIFOs sit in a small binary heap by
 *     their heads (about 30 delays in all, a handful non-empty at once),
 *     and a hash finds a delay's FIFO; ties go by a global sequence
 *     number, as in synack;
 *   - the one pending arrival sits outside the FIFOs;
 *   - timers are cancelled lazily: each start takes a new 32-bit stamp,
 *     kept in the endpoint, and an expiry whose stamp differs is stale;
 *   - a connection is a 48-byte record from a free list, freed when both
 *     ends are closed and no segment in flight or hold refers to it (a
 *     stale timer may outlive it: its stamp no longer matches);
 *   - one RNG (xoshiro256+, seeded by SplitMix64), uniform doubles from its
 *     top 53 bits.
 *
 * Usage: handshake-bare [--connections N] [--loss P] [--seed S]
 * Prints one line of key=value pairs. */
#define _POSIX_C_SOURCE 200809L   /* clock_gettime */

#include <inttypes.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MS 1000000LL
#define SEC 1000000000LL

/* handshake.ini and the linux profile (core/tcp.c) */
#define RATE_PER_S 1000.0
#define HOLD_NS (100 * MS)
#define LINK_NS (10 * MS)
#define RTO_INITIAL_NS SEC
#define RTO_MIN_NS (200 * MS)
#define RTO_MAX_NS (120 * SEC)
#define RTO_FALLBACK_NS (3 * SEC)
#define SYN_RETRIES 6
#define SYN_LINEAR 4
#define SYNACK_RETRIES 5
#define FIN_RETRIES 8
#define TIME_WAIT_NS (5 * SEC)
#define FIN_WAIT2_NS (60 * SEC)

/* ---- RNG ----------------------------------------------------------------- */

static uint64_t rng_s[4];

static uint64_t
splitmix64 (uint64_t *x)
{
  uint64_t z = (*x += 0x9e3779b97f4a7c15ull);

  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

static inline uint64_t
rotl (uint64_t x, int k)
{
  return (x << k) | (x >> (64 - k));
}

/* xoshiro256+ (Blackman, Vigna): uniform in [0, 1) from the top 53 bits */
static inline double
uniform (void)
{
  uint64_t r = rng_s[0] + rng_s[3], t = rng_s[1] << 17;

  rng_s[2] ^= rng_s[0];
  rng_s[3] ^= rng_s[1];
  rng_s[1] ^= rng_s[2];
  rng_s[0] ^= rng_s[3];
  rng_s[2] ^= t;
  rng_s[3] = rotl (rng_s[3], 45);
  return (double) (r >> 11) * 0x1.0p-53;
}

/* ---- events: one FIFO per distinct delay --------------------------------- */

enum { EV_TO_CLIENT, EV_TO_SERVER, EV_C_TIMER, EV_S_TIMER, EV_HOLD };

/* segment flags */
enum { F_SYN = 1, F_ACK = 2, F_FIN = 4, F_RST = 8, F_DATA = 16 };

typedef struct {
  int64_t  time;
  uint32_t seq;     /* ties: wraps after 2^32 events, never at these sizes */
  uint32_t conn;
  uint32_t stamp;   /* timers: the stamp the timer was started with */
  uint8_t  kind;
  uint8_t  flags;   /* segments */
  uint8_t  sseq;    /* segment: first unit */
  uint8_t  ack;     /* segment: units acknowledged */
} Event;

typedef struct {
  int64_t  delay;
  Event   *e;
  uint32_t head, n, cap;   /* ring; cap a power of two */
} Fifo;

#define MAX_FIFOS 64
#define MAP_SIZE 256              /* delay -> FIFO, open addressing */

static Fifo     fifos[MAX_FIFOS];
static unsigned n_fifos;
static uint8_t  fifo_map[MAP_SIZE];     /* FIFO index + 1, 0 empty */
static uint8_t  ready[MAX_FIFOS];       /* heap of non-empty FIFOs by head */
static unsigned n_ready;
static uint32_t next_seq;
static uint32_t next_stamp;
static int64_t  now;

static inline int
head_less (unsigned a, unsigned b)
{
  const Event *x = &fifos[a].e[fifos[a].head], *y = &fifos[b].e[fifos[b].head];

  return x->time < y->time || (x->time == y->time && x->seq < y->seq);
}

static void
ready_sift_down (unsigned i)
{
  uint8_t f = ready[i];

  for (;;) {
    unsigned c = 2 * i + 1;
    if (c >= n_ready)
      break;
    if (c + 1 < n_ready && head_less (ready[c + 1], ready[c]))
      c++;
    if (!head_less (ready[c], f))
      break;
    ready[i] = ready[c];
    i = c;
  }
  ready[i] = f;
}

static void
ready_push (uint8_t f)
{
  unsigned i = n_ready++;

  while (i > 0 && head_less (f, ready[(i - 1) / 2])) {
    ready[i] = ready[(i - 1) / 2];
    i = (i - 1) / 2;
  }
  ready[i] = f;
}

static Fifo *
fifo_for (int64_t delay)
{
  unsigned h = (unsigned) (((uint64_t) delay * 0x9e3779b97f4a7c15ull) >> 56);

  for (;; h = (h + 1) & (MAP_SIZE - 1)) {
    unsigned i = fifo_map[h];
    if (i == 0)
      break;
    if (fifos[i - 1].delay == delay)
      return &fifos[i - 1];
  }
  if (n_fifos == MAX_FIFOS) {
    fprintf (stderr, "handshake-bare: more than %d distinct delays\n",
             MAX_FIFOS);
    exit (1);
  }
  Fifo *f = &fifos[n_fifos++];
  fifo_map[h] = (uint8_t) n_fifos;
  f->delay = delay;
  f->cap = 64;
  f->e = malloc (f->cap * sizeof (Event));
  return f;
}

static void
push (int64_t delay, uint32_t conn, uint32_t stamp, uint8_t kind, uint8_t flags,
      uint8_t sseq, uint8_t ack)
{
  Fifo *f = fifo_for (delay);

  if (f->n == f->cap) {
    Event *e = malloc (2 * f->cap * sizeof (Event));
    for (uint32_t i = 0; i < f->n; i++)
      e[i] = f->e[(f->head + i) & (f->cap - 1)];
    free (f->e);
    f->e = e;
    f->head = 0;
    f->cap *= 2;
  }
  f->e[(f->head + f->n++) & (f->cap - 1)] =
    (Event) { now + delay, next_seq++, conn, stamp, kind, flags, sseq, ack };
  if (f->n == 1)
    ready_push ((uint8_t) (f - fifos));
}

/* The FIFO with the earliest head, or NULL. */
static inline Fifo *
earliest (void)
{
  return n_ready > 0 ? &fifos[ready[0]] : NULL;
}

/* Takes the head of the earliest FIFO. */
static inline Event
pop (void)
{
  Fifo *f = &fifos[ready[0]];
  Event ev = f->e[f->head];

  f->head = (f->head + 1) & (f->cap - 1);
  if (--f->n == 0)
    ready[0] = ready[--n_ready];
  if (n_ready > 0)
    ready_sift_down (0);
  return ev;
}

/* ---- connections --------------------------------------------------------- */

enum { CLOSED, LISTEN, SYN_SENT, SYN_RECEIVED, ESTABLISHED, FIN_WAIT_1,
       FIN_WAIT_2, CLOSE_WAIT, CLOSING, LAST_ACK, TIME_WAIT };

enum { B_SYN_REXMIT = 1, B_FIN_SENT = 2 };

/* One end.  Units: SYN = 0, request = 1 (client only), FIN = next. */
typedef struct {
  uint8_t  state;
  uint8_t  bits;
  uint8_t  timeouts;
  uint8_t  snd_una, snd_nxt, rcv_nxt;
  uint8_t  timer_on;
  uint32_t stamp;       /* of the running timer: a stale expiry differs */
  uint32_t rto_us;      /* 0: rto_initial */
} End;

typedef struct {
  int64_t  opened;      /* connect time; also the server's SYN,ACK time */
  int64_t  syn_ack_sent;
  End      c, s;
  uint32_t refs;        /* segments in flight and the hold event */
  uint32_t next_free;
} Conn;

static Conn    *conns;
static uint32_t n_conns, conn_cap, free_conn = UINT32_MAX;

static double   loss_p;
static uint64_t attempts, established, failed, resets, segments_sent,
    segments_lost;
static double   lat_sum, lat_sumsq;

static uint32_t
conn_new (void)
{
  uint32_t k = free_conn;

  if (k != UINT32_MAX) {
    free_conn = conns[k].next_free;
  } else {
    if (n_conns == conn_cap) {
      conn_cap = conn_cap ? 2 * conn_cap : 1024;
      conns = realloc (conns, conn_cap * sizeof (Conn));
    }
    k = n_conns++;
  }
  memset (&conns[k], 0, sizeof (Conn));
  return k;
}

/* Frees @k once both ends are closed and nothing in flight names it. */
static inline void
conn_maybe_free (uint32_t k)
{
  Conn *c = &conns[k];

  if (c->refs == 0 && c->c.state == CLOSED && c->s.state <= LISTEN) {
    c->c.stamp = c->s.stamp = 0;     /* its pending timers are stale now */
    c->c.state = LISTEN;             /* not CLOSED: freed once only */
    c->next_free = free_conn;
    free_conn = k;
  }
}

static void
send_seg (uint32_t k, int to_server, uint8_t flags, uint8_t sseq, uint8_t ack)
{
  segments_sent++;
  if (uniform () < loss_p) {
    segments_lost++;
    return;
  }
  conns[k].refs++;
  push (LINK_NS, k, 0, to_server ? EV_TO_SERVER : EV_TO_CLIENT, flags, sseq,
        ack);
}

static void
timer_start (uint32_t k, End *e, int server, int64_t delay)
{
  e->stamp = ++next_stamp;
  e->timer_on = 1;
  push (delay, k, e->stamp, server ? EV_S_TIMER : EV_C_TIMER, 0, 0, 0);
}

static void
timer_stop (End *e)
{
  e->stamp = 0;
  e->timer_on = 0;
}

/* tcp_common_rto(): the base (sample or initial), doubled per timeout */
static int64_t
rto (const End *e, int syn_linear)
{
  int64_t t = e->rto_us ? (int64_t) e->rto_us * 1000 : RTO_INITIAL_NS;
  unsigned k = e->timeouts;

  if (t > RTO_MAX_NS)
    t = RTO_MAX_NS;
  if (syn_linear)
    k = k > SYN_LINEAR ? k - SYN_LINEAR : 0;
  for (unsigned i = 0; i < k && t < RTO_MAX_NS; i++)
    t *= 2;
  return t < RTO_MAX_NS ? t : RTO_MAX_NS;
}

/* tcp_common_syn_acked() */
static void
syn_acked (End *e, int64_t r)
{
  int64_t t = 0;

  if (!(e->bits & B_SYN_REXMIT)) {
    if (r < 0)
      r = 0;
    t = r + (MS > 2 * r ? MS : 2 * r);
    if (t < RTO_MIN_NS)
      t = RTO_MIN_NS;
  } else if (e->timeouts > 0 && RTO_INITIAL_NS < RTO_FALLBACK_NS) {
    t = RTO_FALLBACK_NS;
  }
  if (t > 0) {
    if (t > RTO_MAX_NS)
      t = RTO_MAX_NS;
    e->rto_us = (uint32_t) ((t + 999) / 1000);
  }
  e->timeouts = 0;
}

static void
set_state (uint32_t k, End *e, int server, uint8_t to)
{
  e->state = to;
  if (to == TIME_WAIT) {
    e->stamp = ++next_stamp;
    e->timer_on = 0;
    push (TIME_WAIT_NS, k, e->stamp, server ? EV_S_TIMER : EV_C_TIMER, 0, 0, 0);
  } else if (to == FIN_WAIT_2) {
    timer_start (k, e, server, FIN_WAIT2_NS);
  } else if (to == CLOSED || to == LISTEN) {
    timer_stop (e);
  }
}

static void
send_ack (uint32_t k, End *e, int server)
{
  send_seg (k, !server, F_ACK, e->snd_nxt, e->rcv_nxt);
}

static void send_fin (uint32_t k, End *e, int server);

/* The application closes this end (RFC 9293 §3.10.4). */
static void
app_close (uint32_t k, End *e, int server)
{
  if (e->state == ESTABLISHED || e->state == SYN_RECEIVED) {
    set_state (k, e, server, FIN_WAIT_1);
    send_fin (k, e, server);
  } else if (e->state == CLOSE_WAIT) {
    set_state (k, e, server, LAST_ACK);
    send_fin (k, e, server);
  }
}

static void
send_fin (uint32_t k, End *e, int server)
{
  send_seg (k, !server, F_FIN | F_ACK, e->snd_nxt, e->rcv_nxt);
  e->snd_nxt++;
  e->bits |= B_FIN_SENT;
  if (!e->timer_on) {
    e->timeouts = 0;
    timer_start (k, e, server, rto (e, 0));
  }
}

/* The client's request rides on the ACK that completes its handshake. */
static void
send_request (uint32_t k, End *e)
{
  send_seg (k, 1, F_ACK | F_DATA, e->snd_nxt, e->rcv_nxt);
  e->snd_nxt++;
  timer_start (k, e, 0, rto (e, 0));
}

static unsigned
seg_len (uint8_t flags)
{
  return ((flags & F_SYN) != 0) + ((flags & F_DATA) != 0) +
         ((flags & F_FIN) != 0);
}

static void
on_listen (uint32_t k, End *e, uint8_t flags, uint8_t sseq, uint8_t ack)
{
  Conn *c = &conns[k];

  if (flags & F_RST)
    return;
  if (flags & F_ACK) {
    send_seg (k, 0, F_RST, ack, 0);
    return;
  }
  if (!(flags & F_SYN))
    return;
  memset (e, 0, sizeof (End));
  e->rcv_nxt = sseq + 1;
  e->snd_una = 0;
  e->snd_nxt = 1;
  c->syn_ack_sent = now;
  e->state = SYN_RECEIVED;
  send_seg (k, 0, F_SYN | F_ACK, 0, e->rcv_nxt);
  timer_start (k, e, 1, rto (e, 0));
}

static void
on_syn_sent (uint32_t k, End *e, uint8_t flags, uint8_t sseq, uint8_t ack)
{
  Conn *c = &conns[k];
  int ack_ok = 0;

  if (flags & F_ACK) {
    if (ack <= 0 || ack > e->snd_nxt) {
      if (!(flags & F_RST))
        send_seg (k, 1, F_RST, ack, 0);
      return;
    }
    ack_ok = 1;
  }
  if (flags & F_RST) {
    if (ack_ok) {
      set_state (k, e, 0, CLOSED);
      resets++;
    }
    return;
  }
  if (!(flags & F_SYN) || !ack_ok)
    return; /* a SYN alone would be a simultaneous open: not in this workload */
  e->rcv_nxt = sseq + 1;
  e->snd_una = ack;
  syn_acked (e, now - c->opened);
  set_state (k, e, 0, ESTABLISHED);
  established++;
  double s = (double) (now - c->opened) * 1e-9;
  lat_sum += s;
  lat_sumsq += s * s;
  send_request (k, e);
  c->refs++;
  push (HOLD_NS, k, 0, EV_HOLD, 0, 0, 0);
}

/* RFC 9293 §3.10.7.4, as tcp3way_on_synchronized() in
 * tcp3way-synchronized.c */
static void
on_synchronized (uint32_t k, End *e, int server, uint8_t flags, uint8_t sseq,
                 uint8_t ack)
{
  Conn *c = &conns[k];
  unsigned len = seg_len (flags);
  int need_ack = 0;
  uint8_t state = e->state;

  /* first: sequence number */
  int ok = len == 0 ? sseq >= e->rcv_nxt : sseq + len - 1 >= e->rcv_nxt;
  if (!ok) {
    if (flags & F_RST)
      return;
    if (state == SYN_RECEIVED && server &&
        (flags & (F_SYN | F_ACK | F_RST)) == F_SYN && sseq == 0) {
      /* rtx_syn_ack(): resend, restart at the current backoff */
      e->bits |= B_SYN_REXMIT;
      send_seg (k, 0, F_SYN | F_ACK, 0, e->rcv_nxt);
      timer_start (k, e, 1, rto (e, 0));
      return;
    }
    if (state == TIME_WAIT && (flags & F_FIN))
      set_state (k, e, server, TIME_WAIT);
    send_ack (k, e, server);
    return;
  }
  /* second: RST */
  if (flags & F_RST) {
    if (sseq != e->rcv_nxt) {
      send_ack (k, e, server);
      return;
    }
    set_state (k, e, server, state == SYN_RECEIVED && server ? LISTEN : CLOSED);
    if (!server)
      resets++;
    return;
  }
  /* fourth: SYN */
  if (flags & F_SYN) {
    if (state == SYN_RECEIVED && server)
      set_state (k, e, server, LISTEN);
    else
      send_ack (k, e, server);
    return;
  }
  /* fifth: ACK */
  if (!(flags & F_ACK))
    return;
  if (state == SYN_RECEIVED) {
    if (!(e->snd_una < ack && ack <= e->snd_nxt)) {
      send_seg (k, !server, F_RST, ack, 0);
      return;
    }
  } else if (ack > e->snd_nxt) {
    send_ack (k, e, server);
    return;
  }
  if (ack > e->snd_una) {
    int syn_was_acked = e->snd_una == 0;
    e->snd_una = ack;
    if (syn_was_acked)
      syn_acked (e, now - c->syn_ack_sent);
    else
      e->timeouts = 0;
    if (e->snd_una == e->snd_nxt)
      timer_stop (e);
    else
      timer_start (k, e, server, rto (e, 0));
  }
  if (state == SYN_RECEIVED) {
    set_state (k, e, server, ESTABLISHED);
    state = ESTABLISHED;
  }
  int fin_acked = (e->bits & B_FIN_SENT) && e->snd_una == e->snd_nxt;
  int text = state == ESTABLISHED || state == FIN_WAIT_1 || state == FIN_WAIT_2;
  unsigned data = (flags & F_DATA) != 0;
  int fin_now = (flags & F_FIN) && text && sseq <= e->rcv_nxt &&
                sseq + data >= e->rcv_nxt;

  switch (state) {
    case FIN_WAIT_1:
      if (fin_acked && !fin_now)
        set_state (k, e, server, FIN_WAIT_2);
      break;
    case CLOSING:
      if (fin_acked)
        set_state (k, e, server, TIME_WAIT);
      return;
    case LAST_ACK:
      if (fin_acked)
        set_state (k, e, server, CLOSED);
      return;
    default:
      break;
  }
  state = e->state;
  /* seventh: text */
  if (data &&
      (state == ESTABLISHED || state == FIN_WAIT_1 || state == FIN_WAIT_2)) {
    if (sseq <= e->rcv_nxt && sseq + 1 > e->rcv_nxt)
      e->rcv_nxt = sseq + 1;
    need_ack = 1;
  }
  /* eighth: FIN */
  int close_now = 0;
  if (fin_now) {
    e->rcv_nxt++;
    need_ack = 1;
    if (state == ESTABLISHED) {
      set_state (k, e, server, CLOSE_WAIT);
      close_now = 1;   /* the reader of EOF closes at once */
    } else if (state == FIN_WAIT_1) {
      set_state (k, e, server, fin_acked ? TIME_WAIT : CLOSING);
    } else if (state == FIN_WAIT_2) {
      set_state (k, e, server, TIME_WAIT);
    }
  } else if (flags & F_FIN) {
    if (state == TIME_WAIT)
      set_state (k, e, server, TIME_WAIT);
    need_ack = 1;
  }
  if (need_ack)
    send_ack (k, e, server);
  if (close_now)
    app_close (k, e, server);
}

/* tcp3way_retransmit() */
static void
on_timer (uint32_t k, End *e, int server)
{
  e->timer_on = 0;
  if (e->state == TIME_WAIT || e->state == FIN_WAIT_2) {
    set_state (k, e, server, CLOSED);
    return;
  }
  if (e->state == SYN_SENT) {
    if (e->timeouts >= SYN_RETRIES + SYN_LINEAR) {
      set_state (k, e, server, CLOSED);
      failed++;
      return;
    }
    e->timeouts++;
    e->bits |= B_SYN_REXMIT;
    send_seg (k, 1, F_SYN, 0, 0);
    timer_start (k, e, server, rto (e, 1));
    return;
  }
  if (e->snd_una == 0) {
    if (e->timeouts >= (server ? SYNACK_RETRIES : SYN_RETRIES)) {
      set_state (k, e, server, server ? LISTEN : CLOSED);
      return;
    }
    e->timeouts++;
    e->bits |= B_SYN_REXMIT;
    send_seg (k, !server, F_SYN | F_ACK, 0, e->rcv_nxt);
    timer_start (k, e, server, rto (e, 0));
    return;
  }
  if (e->snd_una == e->snd_nxt)
    return;
  if (e->timeouts >= FIN_RETRIES) {
    set_state (k, e, server, CLOSED);
    return;
  }
  e->timeouts++;
  uint8_t flags = F_ACK | ((e->bits & B_FIN_SENT) ? F_FIN : 0);
  unsigned outstanding =
      e->snd_nxt - e->snd_una - ((e->bits & B_FIN_SENT) ? 1 : 0);
  if (outstanding > 0)
    flags |= F_DATA;
  send_seg (k, !server, flags, e->snd_una, e->rcv_nxt);
  timer_start (k, e, server, rto (e, 0));
}

static void
deliver (uint32_t k, End *e, int server, uint8_t flags, uint8_t sseq,
         uint8_t ack)
{
  switch (e->state) {
    case CLOSED:
      if (server)
        on_listen (k, e, flags, sseq, ack);
      else if (!(flags & F_RST))
        send_seg (k, 1, F_RST, ack, 0);   /* RFC 9293 §3.10.7.1 */
      break;
    case LISTEN:
      on_listen (k, e, flags, sseq, ack);
      break;
    case SYN_SENT:
      on_syn_sent (k, e, flags, sseq, ack);
      break;
    default:
      on_synchronized (k, e, server, flags, sseq, ack);
      break;
  }
}

static void
open_attempt (void)
{
  uint32_t k = conn_new ();
  Conn *c = &conns[k];

  attempts++;
  c->opened = now;
  c->s.state = LISTEN;
  c->c.state = SYN_SENT;
  c->c.snd_nxt = 1;
  send_seg (k, 1, F_SYN, 0, 0);
  timer_start (k, &c->c, 0, rto (&c->c, 1));
}

int
main (int argc, char **argv)
{
  uint64_t n = 10000, seed = 1;

  loss_p = 0.1;
  for (int i = 1; i < argc; i++) {
    if (strcmp (argv[i], "--connections") == 0 && i + 1 < argc)
      n = strtoull (argv[++i], NULL, 10);
    else if (strcmp (argv[i], "--loss") == 0 && i + 1 < argc)
      loss_p = strtod (argv[++i], NULL);
    else if (strcmp (argv[i], "--seed") == 0 && i + 1 < argc)
      seed = strtoull (argv[++i], NULL, 10);
    else {
      fprintf (stderr,
               "usage: handshake-bare [--connections N] [--loss P] [--seed S]\n"
               "Prints: attempts established success_rate handshake_mean_s "
               "handshake_ci95_s segments_per_attempt seconds ...\n"
               "Exit status: 0 success, 2 bad usage.\n");
      return 2;
    }
  }
  if (n == 0 || !(loss_p >= 0.0 && loss_p < 1.0)) {
    fprintf (stderr, "handshake-bare: --connections must be > 0 "
                     "and --loss in [0, 1)\n");
    return 2;
  }
  for (int i = 0; i < 4; i++)
    rng_s[i] = splitmix64 (&seed);

  struct timespec t0, t1;
  clock_gettime (CLOCK_MONOTONIC, &t0);

  uint64_t opened = 0, events = 0;
  int64_t next_arrival = 0;
  for (;;) {
    Fifo *f = earliest ();
    if (opened < n && (f == NULL || f->e[f->head].time > next_arrival)) {
      now = next_arrival;
      opened++;
      events++;
      open_attempt ();
      next_arrival = now + llround (-log1p (-uniform ()) / RATE_PER_S * 1e9);
      continue;
    }
    if (f == NULL)
      break;
    Event ev = pop ();
    now = ev.time;
    events++;
    Conn *c = &conns[ev.conn];
    switch (ev.kind) {
      case EV_TO_CLIENT:
        c->refs--;
        deliver (ev.conn, &c->c, 0, ev.flags, ev.sseq, ev.ack);
        break;
      case EV_TO_SERVER:
        c->refs--;
        deliver (ev.conn, &c->s, 1, ev.flags, ev.sseq, ev.ack);
        break;
      case EV_C_TIMER:   /* a freed record's stamps are 0: never equal */
        if (ev.stamp != c->c.stamp)
          continue;
        on_timer (ev.conn, &c->c, 0);
        break;
      case EV_S_TIMER:
        if (ev.stamp != c->s.stamp)
          continue;
        on_timer (ev.conn, &c->s, 1);
        break;
      case EV_HOLD:
        c->refs--;
        app_close (ev.conn, &c->c, 0);
        break;
    }
    conn_maybe_free (ev.conn);
  }

  clock_gettime (CLOCK_MONOTONIC, &t1);
  double secs = (double) (t1.tv_sec - t0.tv_sec) +
                (double) (t1.tv_nsec - t0.tv_nsec) * 1e-9;
  double mean = established ? lat_sum / (double) established : NAN;
  double var = established > 1
    ? fmax (0.0, (lat_sumsq - lat_sum * mean) / (double) (established - 1))
    : NAN;
  printf ("impl=bare attempts=%" PRIu64 " established=%" PRIu64
          " failed=%" PRIu64
          " success_rate=%.6f handshake_mean_s=%.9f handshake_sd_s=%.9f"
          " segments_sent=%" PRIu64 " segments_lost=%" PRIu64
          " segments_per_attempt=%.6f events=%" PRIu64
          " connections_peak=%" PRIu32
          " sim_time_s=%.6f seconds=%.3f attempts_per_s=%.0f\n",
          attempts, established, failed,
          (double) established / (double) attempts, mean, sqrt (var),
          segments_sent, segments_lost,
          (double) segments_sent / (double) attempts, events, n_conns,
          (double) now * 1e-9, secs, (double) attempts / secs);
  return 0;
}
