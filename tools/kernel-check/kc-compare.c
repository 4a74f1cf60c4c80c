/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tools/kernel-check/kc-compare.c - the kernel's and synack's
 * distributions of one case side by side, with a chi-square test of
 * homogeneity (GSL's chi-square distribution for the p-value).
 *
 *   kc-compare CASE handshake CLIENT_LOG RELAY_LOG SYNACK_DIR
 *   kc-compare CASE teardown  CLIENT_LOG RELAY_LOG SYNACK_DIR
 *
 * The kernel's handshake is kc-client's connect() time (open to
 * ESTABLISHED, synack's handshake latency); synack's are the run's
 * samples/ files.  The kernel's teardown is synack's definition, from the
 * first close to both ends done: close() (kc-client), then the client is
 * done when the server's FIN reaches it (TIME_WAIT) and the server when the
 * client's ACK of that FIN reaches it (LAST_ACK -> CLOSED), both read from
 * kc-relay's record of what crossed the link; synack's come from its
 * states trace, as its oracle computes teardown_mean_s.
 *
 * Bins: the pooled values sorted and cut wherever two neighbours are more
 * than 20 ms + 2 % apart (the kernel's timers tick at 4 ms at HZ 250 and
 * the relay adds scheduling jitter, synack's are exact: a cut inside one
 * retransmission's cluster would test the jitter, not the model), and,
 * so that a continuous stretch does not make one bin, also at a gap of
 * more than 5 ms once a bin spans more than 1.5 times its lower edge; then
 * neighbouring bins merged until every expected count is at least 5
 * (Cochran's rule).  The statistic is Pearson's for the 2 x k table, with
 * k - 1 degrees of freedom.  Prints a table and a last line
 *   SUMMARY CASE KIND n_kernel mean_kernel n_synack mean_synack X2 df p
 * that kernel-check collects. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <glob.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
  double *v;
  size_t  n, cap;
  size_t  unfinished;
} Vec;

static void
push (Vec *s, double x)
{
  if (s->n == s->cap) {
    s->cap = s->cap ? 2 * s->cap : 1024;
    s->v = realloc (s->v, s->cap * sizeof *s->v);
    if (s->v == NULL) {
      perror ("kc-compare");
      exit (1);
    }
  }
  s->v[s->n++] = x;
}

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static FILE *
open_or_die (const char *path)
{
  FILE *f = fopen (path, "r");

  if (f == NULL) {
    fprintf (stderr, "kc-compare: %s: cannot open\n", path);
    exit (1);
  }
  return f;
}

/* ---- the kernel's side ------------------------------------------------ */

typedef struct {
  unsigned lport;
  double   t_open, t_est, t_close;
  int      err;
} Conn;

typedef struct {
  double   t;
  char     dir;
  unsigned port;        /* the client's port */
  int      fin, ack;
  unsigned seq, acknum;
} Ev;

static Conn *
read_client_log (const char *path, size_t *n)
{
  FILE *f = open_or_die (path);
  Conn *c = NULL;
  size_t cap = 0;
  long id;
  Conn x;

  *n = 0;
  while (fscanf (f, "%ld %u %lf %lf %lf %d", &id, &x.lport, &x.t_open,
                 &x.t_est, &x.t_close, &x.err) == 6) {
    if (*n == cap) {
      cap = cap ? 2 * cap : 1024;
      c = realloc (c, cap * sizeof *c);
    }
    c[(*n)++] = x;
  }
  fclose (f);
  return c;
}

static int
cmp_ev (const void *a, const void *b)
{
  const Ev *x = a, *y = b;

  if (x->port != y->port)
    return x->port < y->port ? -1 : 1;
  return (x->t > y->t) - (x->t < y->t);
}

static void
kernel_handshake (const char *client_log, Vec *out, size_t *failed)
{
  size_t n;
  Conn *c = read_client_log (client_log, &n);

  *failed = 0;
  for (size_t i = 0; i < n; i++) {
    if (c[i].err == 0)
      push (out, c[i].t_est - c[i].t_open);
    else
      (*failed)++;
  }
  free (c);
}

static void
kernel_teardown (const char *client_log, const char *relay_log, Vec *out)
{
  size_t n, ne = 0, cap = 0;
  Conn *c = read_client_log (client_log, &n);
  FILE *f = open_or_die (relay_log);
  Ev *ev = NULL;
  char line[256];

  while (fgets (line, sizeof line, f)) {
    Ev e;
    char flags[16];
    unsigned sport, dport, len;

    if (sscanf (line, "%lf %c %u %u %15s %u %u %u", &e.t, &e.dir, &sport,
                &dport, flags, &e.seq, &e.acknum, &len) != 8)
      continue;
    e.port = e.dir == 'c' ? sport : dport;
    e.fin = strchr (flags, 'F') != NULL;
    e.ack = strchr (flags, '.') != NULL;
    if (ne == cap) {
      cap = cap ? 2 * cap : 4096;
      ev = realloc (ev, cap * sizeof *ev);
    }
    ev[ne++] = e;
  }
  fclose (f);
  qsort (ev, ne, sizeof *ev, cmp_ev);
  for (size_t i = 0; i < n; i++) {
    double until = 1e300, cdone = -1, sdone = -1;
    unsigned finseq = 0;
    size_t lo = 0, hi = ne;

    if (c[i].err != 0 || c[i].t_close < 0)
      continue;
    /* the next connection from the same port bounds this one's segments */
    for (size_t j = 0; j < n; j++)
      if (c[j].lport == c[i].lport && c[j].t_open > c[i].t_open &&
          c[j].t_open < until)
        until = c[j].t_open;
    while (lo < hi) {   /* first event of this port */
      size_t mid = (lo + hi) / 2;

      if (ev[mid].port < c[i].lport)
        lo = mid + 1;
      else
        hi = mid;
    }
    for (size_t k = lo; k < ne && ev[k].port == c[i].lport; k++) {
      const Ev *e = &ev[k];

      if (e->t < c[i].t_close || e->t >= until)
        continue;
      if (cdone < 0 && e->dir == 's' && e->fin) {
        cdone = e->t;
        finseq = e->seq;
      } else if (cdone >= 0 && sdone < 0 && e->dir == 'c' && e->ack &&
                 e->acknum == finseq + 1) {
        sdone = e->t;
      }
    }
    if (cdone < 0 || sdone < 0)
      out->unfinished++;
    else
      push (out, fmax (cdone, sdone) - c[i].t_close);
  }
  free (c);
  free (ev);
}

/* ---- synack's side ---------------------------------------------------- */

static void
synack_handshake (const char *dir, Vec *out)
{
  char pattern[4096];
  glob_t g;

  snprintf (pattern, sizeof pattern, "%s/samples/*.bin", dir);
  if (glob (pattern, 0, NULL, &g) != 0) {
    fprintf (stderr, "kc-compare: no %s\n", pattern);
    exit (1);
  }
  for (size_t i = 0; i < g.gl_pathc; i++) {
    FILE *f = open_or_die (g.gl_pathv[i]);
    char magic[8];
    double x;

    /* a run of more than 10^6 attempts keeps a histogram (README, "Exact
     * latencies or a histogram"), not the latencies */
    if (fread (magic, 1, sizeof magic, f) == sizeof magic &&
        memcmp (magic, "SYNHIST1", sizeof magic) == 0) {
      fprintf (stderr, "kc-compare: %s is a histogram: run synack with at "
                       "most 10^6 connections (-m)\n", g.gl_pathv[i]);
      exit (1);
    }
    rewind (f);
    while (fread (&x, sizeof x, 1, f) == 1)
      push (out, x);
    fclose (f);
  }
  globfree (&g);
}

typedef struct {
  double close, cdone, sdone;
} Td;

static void
synack_teardown (const char *dir, Vec *out)
{
  char pattern[4096];
  glob_t g;

  snprintf (pattern, sizeof pattern, "%s/traces/*-states.csv", dir);
  if (glob (pattern, 0, NULL, &g) != 0) {
    fprintf (stderr, "kc-compare: no %s\n", pattern);
    exit (1);
  }
  for (size_t i = 0; i < g.gl_pathc; i++) {
    FILE *f = open_or_die (g.gl_pathv[i]);
    char line[512];
    Td *td = NULL;
    size_t cap = 0;

    while (fgets (line, sizeof line, f)) {
      char role[16], from[32], to[32], cause[64];
      double t;
      unsigned long conn, host;
      Td *a;

      if (sscanf (line, "%lf,%lu,%lu,%15[^,],%31[^,],%31[^,],%63[^\n]", &t,
                  &conn, &host, role, from, to, cause) != 7 || conn == 0)
        continue;
      if (conn >= cap) {
        size_t old = cap;

        cap = conn * 2 + 1024;
        td = realloc (td, cap * sizeof *td);
        for (size_t k = old; k < cap; k++)
          td[k].close = td[k].cdone = td[k].sdone = -1;
      }
      a = &td[conn];
      /* oracle.c note_close_progress(): the first application close */
      if (a->close < 0 && strcmp (cause, "app close") == 0 &&
          (strcmp (from, "ESTABLISHED") == 0 ||
           strcmp (from, "CLOSE_WAIT") == 0 ||
           strcmp (from, "SYN_RECEIVED") == 0))
        a->close = t;
      if (a->close < 0 ||
          !(strcmp (to, "TIME_WAIT") == 0 || strcmp (to, "CLOSED") == 0))
        continue;
      if (strcmp (role, "client") == 0 && a->cdone < 0)
        a->cdone = t;
      else if (strcmp (role, "server") == 0 && a->sdone < 0)
        a->sdone = t;
    }
    fclose (f);
    for (size_t k = 0; k < cap; k++) {
      if (td[k].close < 0)
        continue;
      if (td[k].cdone < 0 || td[k].sdone < 0)
        out->unfinished++;
      else
        push (out, fmax (td[k].cdone, td[k].sdone) - td[k].close);
    }
    free (td);
  }
  globfree (&g);
}

static void
synack_failed (const char *dir, size_t *failed)
{
  char path[4096], header[8192], row[8192];
  FILE *f;
  int col = -1, i = 0;
  char *tok, *save;

  *failed = 0;
  snprintf (path, sizeof path, "%s/runs.csv", dir);
  f = open_or_die (path);
  if (!fgets (header, sizeof header, f)) {
    fclose (f);
    return;
  }
  for (tok = strtok_r (header, ",\n", &save); tok;
       tok = strtok_r (NULL, ",\n", &save), i++)
    if (strcmp (tok, "failed") == 0)
      col = i;
  while (col >= 0 && fgets (row, sizeof row, f)) {
    i = 0;
    for (tok = strtok_r (row, ",\n", &save); tok;
         tok = strtok_r (NULL, ",\n", &save), i++)
      if (i == col)
        *failed += strtoul (tok, NULL, 10);
  }
  fclose (f);
}

/* ---- statistics -------------------------------------------------------- */

static double
quantile (const Vec *s, double p)   /* nearest rank, s sorted */
{
  size_t k;

  if (s->n == 0)
    return NAN;
  k = (size_t) ceil (p * (double) s->n);
  return s->v[k == 0 ? 0 : k - 1];
}

static double
mean (const Vec *s)
{
  double sum = 0;

  for (size_t i = 0; i < s->n; i++)
    sum += s->v[i];
  return s->n ? sum / (double) s->n : NAN;
}

typedef struct {
  double lo, hi;
  double a, b;     /* counts: kernel, synack */
} Bin;

int
main (int argc, char **argv)
{
  Vec k = { 0 }, s = { 0 }, pool = { 0 };
  size_t kfail = 0, sfail = 0, nb = 0;
  Bin *bins;
  double x2 = 0, p = NAN;
  int handshake;
  const char *name;

  if (argc != 6 || (strcmp (argv[2], "handshake") != 0 &&
                    strcmp (argv[2], "teardown") != 0)) {
    fprintf (stderr, "usage: kc-compare CASE handshake|teardown "
                     "CLIENT_LOG RELAY_LOG SYNACK_DIR\n");
    return 2;
  }
  name = argv[1];
  handshake = strcmp (argv[2], "handshake") == 0;
  if (handshake) {
    kernel_handshake (argv[3], &k, &kfail);
    synack_handshake (argv[5], &s);
    synack_failed (argv[5], &sfail);
  } else {
    kernel_teardown (argv[3], argv[4], &k);
    synack_teardown (argv[5], &s);
  }
  qsort (k.v, k.n, sizeof *k.v, cmp_double);
  qsort (s.v, s.n, sizeof *s.v, cmp_double);
  for (size_t i = 0; i < k.n; i++)
    push (&pool, k.v[i]);
  for (size_t i = 0; i < s.n; i++)
    push (&pool, s.v[i]);
  qsort (pool.v, pool.n, sizeof *pool.v, cmp_double);

  /* bins cut at gaps, then counted */
  bins = calloc (pool.n + 1, sizeof *bins);
  for (size_t i = 0; i < pool.n; i++) {
    double gap = i > 0 ? pool.v[i] - pool.v[i - 1] : 0;

    if (nb == 0 || gap > 0.020 + 0.02 * pool.v[i - 1] ||
        (pool.v[i] > 1.5 * bins[nb - 1].lo && gap > 0.005)) {
      bins[nb].lo = pool.v[i];
      nb++;
    }
    bins[nb - 1].hi = pool.v[i];
  }
  for (size_t i = 0, j = 0; i < k.n; i++) {
    while (j + 1 < nb && k.v[i] > bins[j].hi)
      j++;
    bins[j].a++;
  }
  for (size_t i = 0, j = 0; i < s.n; i++) {
    while (j + 1 < nb && s.v[i] > bins[j].hi)
      j++;
    bins[j].b++;
  }
  /* merge the bin with the smallest expected count into its smaller
   * neighbour until every expected count is >= 5 */
  while (nb > 1) {
    size_t worst = 0, nbr;
    double wmin = INFINITY;

    for (size_t i = 0; i < nb; i++) {
      double tot = bins[i].a + bins[i].b;
      double e = fmin (tot * (double) k.n, tot * (double) s.n) /
                 (double) pool.n;

      if (e < wmin) {
        wmin = e;
        worst = i;
      }
    }
    if (wmin >= 5)
      break;
    if (worst == 0)
      nbr = 1;
    else if (worst == nb - 1)
      nbr = nb - 2;
    else
      nbr = bins[worst - 1].a + bins[worst - 1].b <=
            bins[worst + 1].a + bins[worst + 1].b ? worst - 1 : worst + 1;
    if (nbr < worst) {
      size_t t = worst;

      worst = nbr;
      nbr = t;
    }
    bins[worst].hi = bins[nbr].hi;
    bins[worst].a += bins[nbr].a;
    bins[worst].b += bins[nbr].b;
    memmove (&bins[nbr], &bins[nbr + 1], (nb - nbr - 1) * sizeof *bins);
    nb--;
  }
  if (nb > 1 && k.n > 0 && s.n > 0) {
    for (size_t i = 0; i < nb; i++) {
      double tot = bins[i].a + bins[i].b;
      double ea = tot * (double) k.n / (double) pool.n;
      double eb = tot * (double) s.n / (double) pool.n;

      x2 += (bins[i].a - ea) * (bins[i].a - ea) / ea +
            (bins[i].b - eb) * (bins[i].b - eb) / eb;
    }
    p = gsl_cdf_chisq_Q (x2, (double) (nb - 1));
  }

  printf ("== %s: %s time, s ==\n", name, handshake ? "handshake" : "teardown");
  printf ("%-22s %12s %12s\n", "", "kernel", "synack");
  printf ("%-22s %12zu %12zu\n", "samples", k.n, s.n);
  if (handshake)
    printf ("%-22s %12zu %12zu\n", "failed (not in samples)", kfail, sfail);
  else
    printf ("%-22s %12zu %12zu\n", "unfinished (left out)", k.unfinished,
            s.unfinished);
  printf ("%-22s %12.4f %12.4f\n", "mean", mean (&k), mean (&s));
  for (int q = 0; q < 3; q++) {
    static const double ps[] = { 0.50, 0.90, 0.99 };
    static const char *const names[] = { "p50", "p90", "p99" };

    printf ("%-22s %12.4f %12.4f\n", names[q], quantile (&k, ps[q]),
            quantile (&s, ps[q]));
  }
  printf ("%-22s %12.4f %12.4f\n", "max", k.n ? k.v[k.n - 1] : NAN,
          s.n ? s.v[s.n - 1] : NAN);
  printf ("%-22s %12s %12s\n", "bin [lo, hi], s", "kernel %", "synack %");
  for (size_t i = 0; i < nb; i++) {
    char label[64];

    snprintf (label, sizeof label, "[%.3f, %.3f]", bins[i].lo, bins[i].hi);
    printf ("%-22s %12.1f %12.1f\n", label,
            k.n ? 100 * bins[i].a / (double) k.n : NAN,
            s.n ? 100 * bins[i].b / (double) s.n : NAN);
  }
  printf ("chi-square %.1f, %zu df, p = %.3g\n", x2, nb > 0 ? nb - 1 : 0, p);
  printf ("SUMMARY %s %s %zu %.4f %zu %.4f %.1f %zu %.3g\n", name, argv[2],
          k.n, mean (&k), s.n, mean (&s), x2, nb > 0 ? nb - 1 : 0, p);
  free (bins);
  free (k.v);
  free (s.v);
  free (pool.v);
  return 0;
}
