/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/trace.c - buffered trace writer (see trace.h).
 *
 * Why not stdio: fprintf parses a format and consults the locale on every
 * call, which costs more than the simulation of the event it describes.  The
 * writer keeps its own buffer and formats integers with a digit loop.
 *
 * Why a thread: a traced run writes a lot (the states trace of 10^6
 * attempts is 750 MB) and copying it into the page cache took 30 % of the
 * run.  So a full buffer goes to the trace's own writer thread, and the
 * simulation goes on filling the next one: the copy overlaps the
 * simulation.  TRACE_BUFFERS buffers circulate between the two through two
 * GAsyncQueues (full ones to the writer, empty ones back), so a writer
 * that falls behind makes the simulation wait rather than use unbounded
 * memory, and the bytes reach the file in the order they were put.
 * Errors are sticky: the first failed write is kept and reported by
 * synack_trace_close(). */
#include "trace.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#define TRACE_BUFFER_BYTES (256 * 1024)
#define TRACE_BUFFERS 4

typedef struct {
  gsize used;
  char  data[TRACE_BUFFER_BYTES];
} Buffer;

struct _SynackTrace {
  Buffer       *cur;           /* being filled by the simulation */
  int           fd;
  int write_errno; /* first failure, 0 if none (set by the writer) */
  GThread      *writer;
  GAsyncQueue  *full;          /* Buffer*, and the trace itself to stop */
  GAsyncQueue  *empty;         /* Buffer* */
  Buffer       *buffers[TRACE_BUFFERS];
  char         *path;
  char         *part_path;
};

G_DEFINE_QUARK (synack-trace-error-quark, synack_trace_error)

static void
write_all (SynackTrace *t, const char *data, gsize len)
{
  gsize done = 0;

  while (done < len && t->write_errno == 0) {
    ssize_t n = write (t->fd, data + done, len - done);

    if (n < 0) {
      if (errno == EINTR)
        continue;
      t->write_errno = errno;
    } else {
      done += (gsize) n;
    }
  }
}

static gpointer
writer_main (gpointer data)
{
  SynackTrace *t = data;

  for (;;) {
    gpointer item = g_async_queue_pop (t->full);

    if (item == t)
      return NULL;   /* stop: everything before it is written */
    write_all (t, ((Buffer *) item)->data, ((Buffer *) item)->used);
    ((Buffer *) item)->used = 0;
    g_async_queue_push (t->empty, item);
  }
}

/* Hands the current buffer to the writer and takes an empty one. */
static void
flush (SynackTrace *t)
{
  if (t->cur->used == 0)
    return;
  g_async_queue_push (t->full, t->cur);
  t->cur = g_async_queue_pop (t->empty);
}

SynackTrace *
synack_trace_open (const char *path, const char *header, GError **error)
{
  SynackTrace *t;
  int fd;
  g_autofree char *part = g_strconcat (path, ".part", NULL);

  /* Never through a link planted at the .part name (it would overwrite
   * the link's target): remove whatever is there (a killed run's leftover;
   * unlink() removes a symlink, never its target), then create a new file
   * with O_EXCL, which fails on anything that appeared meanwhile, a
   * dangling symlink included; O_NOFOLLOW says so once more.  The final
   * name is reached by rename(), which replaces a symlink there rather
   * than follow it. */
  if (g_unlink (part) != 0 && errno != ENOENT) {
    int saved = errno;

    g_set_error (error, SYNACK_TRACE_ERROR, SYNACK_TRACE_ERROR_IO,
                 "%s: cannot remove: %s", part, g_strerror (saved));
    return NULL;
  }
  fd = g_open (part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
               0644);
  if (fd < 0) {
    int saved = errno;

    g_set_error (error, SYNACK_TRACE_ERROR, SYNACK_TRACE_ERROR_IO,
                 "%s: cannot create: %s", part, g_strerror (saved));
    return NULL;
  }
  t = g_new0 (SynackTrace, 1);
  t->fd = fd;
  t->path = g_strdup (path);
  t->part_path = g_steal_pointer (&part);
  t->full = g_async_queue_new ();
  t->empty = g_async_queue_new ();
  for (guint i = 0; i < TRACE_BUFFERS; i++) {
    t->buffers[i] = g_new (Buffer, 1);
    t->buffers[i]->used = 0;
    if (i > 0)
      g_async_queue_push (t->empty, t->buffers[i]);
  }
  t->cur = t->buffers[0];
  t->writer = g_thread_new ("synack-trace", writer_main, t);
  if (header != NULL) {
    synack_trace_put_str (t, header);
    synack_trace_end_row (t);
  }
  return t;
}

/* Writes what is left and stops the writer thread. */
static void
finish_writing (SynackTrace *t)
{
  flush (t);
  g_async_queue_push (t->full, t);
  g_thread_join (t->writer);
  t->writer = NULL;
}

static void
trace_free (SynackTrace *t)
{
  for (guint i = 0; i < TRACE_BUFFERS; i++)
    g_free (t->buffers[i]);
  g_async_queue_unref (t->full);
  g_async_queue_unref (t->empty);
  g_free (t->path);
  g_free (t->part_path);
  g_free (t);
}

gboolean
synack_trace_close (SynackTrace *t, GError **error)
{
  gboolean ok;
  const char *what = "write failed";

  finish_writing (t);
  if (close (t->fd) != 0 && t->write_errno == 0)
    t->write_errno = errno;
  ok = t->write_errno == 0;
  if (ok && g_rename (t->part_path, t->path) != 0) {
    t->write_errno = errno, ok = FALSE;
    what = "cannot rename the .part file into place";
  }
  if (!ok) {
    g_set_error (error, SYNACK_TRACE_ERROR, SYNACK_TRACE_ERROR_IO,
                 "%s: %s: %s", t->path, what, g_strerror (t->write_errno));
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
  finish_writing (t);
  close (t->fd);
  g_unlink (t->part_path);
  trace_free (t);
}

void
synack_trace_put_bytes (SynackTrace *t, const void *data, gsize len)
{
  while (G_UNLIKELY (t->cur->used + len > TRACE_BUFFER_BYTES)) {
    /* fill the buffer up, hand it over, go on with the rest */
    gsize room = TRACE_BUFFER_BYTES - t->cur->used;

    memcpy (t->cur->data + t->cur->used, data, room);
    t->cur->used += room;
    data = (const char *) data + room;
    len -= room;
    flush (t);
  }
  memcpy (t->cur->data + t->cur->used, data, len);
  t->cur->used += len;
}

void
synack_trace_put_char (SynackTrace *t, char c)
{
  if (G_UNLIKELY (t->cur->used + 1 > TRACE_BUFFER_BYTES))
    flush (t);
  t->cur->data[t->cur->used++] = c;
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
