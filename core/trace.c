/* core/trace.c - buffered trace writer (see trace.h).
 *
 * Why not stdio: fprintf parses a format and consults the locale on every
 * call, which costs more than the simulation of the event it describes.  The
 * writer keeps its own buffer, formats integers with a digit loop, and calls
 * write(2) once per 256 KiB.  Errors are sticky: the first failed write is
 * remembered and reported by synack_trace_close(). */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define TRACE_BUFFER_BYTES (256 * 1024)

struct _SynackTrace {
  int    fd;
  int    write_errno;      /* first failure, 0 if none */
  gsize  used;
  char  *path;
  char  *part_path;
  char   buf[TRACE_BUFFER_BYTES];
};

G_DEFINE_QUARK (synack-trace-error-quark, synack_trace_error)

static void
flush (SynackTrace *t)
{
  gsize done = 0;

  while (done < t->used && t->write_errno == 0) {
    ssize_t n = write (t->fd, t->buf + done, t->used - done);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      t->write_errno = errno;
    } else {
      done += (gsize) n;
    }
  }
  t->used = 0;
}

SynackTrace *
synack_trace_open (const char *path, const char *header, GError **error)
{
  SynackTrace *t;
  int fd;
  g_autofree char *part = g_strconcat (path, ".part", NULL);

  fd = g_open (part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, SYNACK_TRACE_ERROR, SYNACK_TRACE_ERROR_IO,
                 "%s: cannot create: %s", path, g_strerror (saved));
    return NULL;
  }
  t = g_malloc (sizeof *t);
  t->fd = fd;
  t->write_errno = 0;
  t->used = 0;
  t->path = g_strdup (path);
  t->part_path = g_steal_pointer (&part);
  if (header != NULL) {
    synack_trace_put_str (t, header);
    synack_trace_end_row (t);
  }
  return t;
}

static void
trace_free (SynackTrace *t)
{
  g_free (t->path);
  g_free (t->part_path);
  g_free (t);
}

gboolean
synack_trace_close (SynackTrace *t, GError **error)
{
  gboolean ok;

  flush (t);
  if (close (t->fd) != 0 && t->write_errno == 0)
    t->write_errno = errno;
  ok = t->write_errno == 0;
  if (ok && g_rename (t->part_path, t->path) != 0)
    t->write_errno = errno, ok = FALSE;
  if (!ok) {
    g_set_error (error, SYNACK_TRACE_ERROR, SYNACK_TRACE_ERROR_IO,
                 "%s: write failed: %s", t->path, g_strerror (t->write_errno));
    g_unlink (t->part_path);
  }
  trace_free (t);
  return ok;
}

void
synack_trace_abort (SynackTrace *t)
{
  if (t == NULL)
    return;
  close (t->fd);
  g_unlink (t->part_path);
  trace_free (t);
}

void
synack_trace_put_bytes (SynackTrace *t, const void *data, gsize len)
{
  if (G_UNLIKELY (t->used + len > TRACE_BUFFER_BYTES)) {
    flush (t);
    if (len > TRACE_BUFFER_BYTES) {
      /* larger than the buffer: write it straight through */
      while (len > 0 && t->write_errno == 0) {
        gsize chunk = MIN (len, (gsize) TRACE_BUFFER_BYTES);

        memcpy (t->buf, data, chunk);
        t->used = chunk;
        flush (t);
        data = (const char *) data + chunk;
        len -= chunk;
      }
      return;
    }
  }
  memcpy (t->buf + t->used, data, len);
  t->used += len;
}

void
synack_trace_put_char (SynackTrace *t, char c)
{
  if (G_UNLIKELY (t->used + 1 > TRACE_BUFFER_BYTES))
    flush (t);
  t->buf[t->used++] = c;
}

void
synack_trace_put_str (SynackTrace *t, const char *s)
{
  synack_trace_put_bytes (t, s, strlen (s));
}

/* Writes the decimal digits of @v into the end of @tmp; returns the start. */
static char *
format_uint (char *end, guint64 v)
{
  char *p = end;

  do {
    *--p = (char) ('0' + v % 10);
    v /= 10;
  } while (v != 0);
  return p;
}

void
synack_trace_put_uint (SynackTrace *t, guint64 v)
{
  char tmp[24];
  char *start = format_uint (tmp + sizeof tmp, v);

  synack_trace_put_bytes (t, start, (gsize) (tmp + sizeof tmp - start));
}

void
synack_trace_put_time (SynackTrace *t, SynackTime time)
{
  char tmp[32];
  char *end = tmp + sizeof tmp;
  char *p = end;
  guint64 abs_ns = time < 0 ? (guint64) -(time + 1) + 1 : (guint64) time;
  guint64 frac = abs_ns % (guint64) SYNACK_SECOND;

  for (int i = 0; i < 9; i++) {
    *--p = (char) ('0' + frac % 10);
    frac /= 10;
  }
  *--p = '.';
  p = format_uint (p, abs_ns / (guint64) SYNACK_SECOND);
  if (time < 0)
    *--p = '-';
  synack_trace_put_bytes (t, p, (gsize) (end - p));
}
