/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/csv.c - a small RFC 4180 reader (see csv.h).
 *
 * The whole file is read at once: the files it reads are synack's own
 * summaries and traces of single runs, and plots need all of them anyway. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

/* A bound on what is read: /dev/zero or a FIFO never ends, and a file
 * bigger than memory must fail with a message, not abort in malloc. */
#define CSV_MAX_BYTES ((gsize) 2 << 30)

G_DEFINE_QUARK (synack-csv-error-quark, synack_csv_error)

static void
free_row (gpointer row)
{
  g_ptr_array_unref (row);
}

void
synack_csv_free (SynackCsv *csv)
{
  if (csv == NULL)
    return;
  g_free (csv->path);
  g_ptr_array_unref (csv->header);
  g_ptr_array_unref (csv->rows);
  g_array_unref (csv->lines);
  g_free (csv);
}

/* Parses one record starting at *@p; advances *@p past its line end.
 * Returns: the cells, or NULL with @error for an unterminated quote. */
static GPtrArray *
parse_record (const char **p, const char *end, const char *path, guint *line,
              GError **error)
{
  GPtrArray *cells = g_ptr_array_new_with_free_func (g_free);
  GString *cell = g_string_new (NULL);
  guint start_line = *line;
  const char *s = *p;

  for (;;) {
    if (s < end && *s == '"') {
      s++;
      for (;;) {
        if (s >= end) {
          g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_SYNTAX,
                       "%s:%u: unterminated quoted cell", path, start_line);
          g_string_free (cell, TRUE);
          g_ptr_array_unref (cells);
          return NULL;
        }
        if (*s == '"') {
          if (s + 1 < end && s[1] == '"') {
            g_string_append_c (cell, '"');
            s += 2;
            continue;
          }
          s++;
          break;
        }
        if (*s == '\n')
          (*line)++;
        g_string_append_c (cell, *s++);
      }
    }
    while (s < end && *s != ',' && *s != '\n' && *s != '\r')
      g_string_append_c (cell, *s++);
    g_ptr_array_add (cells, g_strdup (cell->str));
    g_string_truncate (cell, 0);
    if (s < end && *s == ',') {
      s++;
      continue;
    }
    if (s < end && *s == '\r')
      s++;
    if (s < end && *s == '\n')
      s++;
    (*line)++;
    break;
  }
  g_string_free (cell, TRUE);
  *p = s;
  return cells;
}

/* g_file_get_contents() with a bound, for files and streams alike, that
 * refuses NUL bytes. */
static gboolean
read_all (const char *path, char **text, gsize *len, GError **error)
{
  GString *s;
  struct stat st = { 0 };
  int fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  int e;

  if (fd < 0) {
    e = errno;
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_IO,
                 "%s: cannot open: %s", path, g_strerror (e));
    return FALSE;
  }
  if (fstat (fd, &st) == 0 && S_ISDIR (st.st_mode)) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_IO,
                 "%s: a directory, not a file", path);
    close (fd);
    return FALSE;
  }
  if (S_ISREG (st.st_mode) && (guint64) st.st_size > CSV_MAX_BYTES) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_IO,
                 "%s: larger than %" G_GSIZE_FORMAT " MiB, more than synack "
                                                    "reads",
                 path, CSV_MAX_BYTES >> 20);
    close (fd);
    return FALSE;
  }
  s = g_string_sized_new (S_ISREG (st.st_mode) ? (gsize) st.st_size + 1
                                               : 65536);
  for (;;) {
    gssize n;

    {
      char buf[65536];

      n = read (fd, buf, sizeof buf);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0) {
        e = errno;
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_IO,
                     "%s: cannot read: %s", path, g_strerror (e));
        break;
      }
      if (n == 0) {
        close (fd);
        *len = s->len;
        *text = g_string_free (s, FALSE);
        return TRUE;
      }
      /* a NUL would silently cut the cell it is in; stopping at the first
       * one also ends /dev/zero at once */
      if (memchr (buf, '\0', (gsize) n) != NULL) {
        const char *nul = memchr (buf, '\0', (gsize) n);
        guint at = 1;

        g_string_append_len (s, buf, nul - buf);
        for (gsize i = 0; i < s->len; i++)
          at += s->str[i] == '\n';
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_SYNTAX,
                     "%s:%u: a NUL byte (a binary or damaged file?)", path, at);
        break;
      }
      if (s->len + (gsize) n > CSV_MAX_BYTES) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_IO,
                     "%s: larger than %" G_GSIZE_FORMAT " MiB, more than "
                                                        "synack reads",
                     path, CSV_MAX_BYTES >> 20);
        break;
      }
      g_string_append_len (s, buf, n);
    }
  }
  close (fd);
  g_string_free (s, TRUE);
  return FALSE;
}

SynackCsv *
synack_csv_read (const char *path, SynackCsvFlags flags, GError **error)
{
  g_autofree char *text = NULL;
  gsize len;
  const char *p, *end;
  guint line = 1;
  SynackCsv *csv;

  if (!read_all (path, &text, &len, error))
    return NULL;
  end = text + len;
  if ((flags & SYNACK_CSV_DROP_PARTIAL_LAST) && len > 0 &&
      text[len - 1] != '\n') {
    const char *nl = g_strrstr_len (text, (gssize) len, "\n");
    guint at = 1;

    end = nl ? nl + 1 : text;
    for (const char *q = text; q < end; q++)
      at += *q == '\n';
    /* said, so a figure drawn without it is not silently different */
    g_printerr ("synack: %s:%u: an unfinished last line (a killed run?), left "
                "out\n",
                path, at);
  }
  if (end == text) {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_SYNTAX,
                 "%s:1: empty file, no header", path);
    return NULL;
  }
  csv = g_new0 (SynackCsv, 1);
  csv->path = g_strdup (path);
  csv->rows = g_ptr_array_new_with_free_func (free_row);
  csv->lines = g_array_new (FALSE, FALSE, sizeof (guint));
  p = text;
  csv->header = parse_record (&p, end, path, &line, error);
  if (csv->header == NULL) {
    csv->header = g_ptr_array_new ();
    synack_csv_free (csv);
    return NULL;
  }
  {
    g_autoptr (GHashTable) names = g_hash_table_new (g_str_hash, g_str_equal);

    for (guint i = 0; i < csv->header->len; i++)
      if (!g_hash_table_add (names, csv->header->pdata[i])) {
        g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_SYNTAX,
                     "%s:1: column \"%s\" twice in the header", path,
                     (const char *) csv->header->pdata[i]);
        synack_csv_free (csv);
        return NULL;
      }
  }
  while (p < end) {
    guint row_line = line;
    GPtrArray *row = parse_record (&p, end, path, &line, error);

    if (row == NULL) {
      synack_csv_free (csv);
      return NULL;
    }
    if (row->len == 1 && ((char *) row->pdata[0])[0] == '\0') {
      g_ptr_array_unref (row);   /* a blank line */
      continue;
    }
    if (row->len != csv->header->len) {
      g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_SYNTAX,
                   "%s:%u: %u cells, the header has %u", path, row_line,
                   row->len, csv->header->len);
      g_ptr_array_unref (row);
      synack_csv_free (csv);
      return NULL;
    }
    g_ptr_array_add (csv->rows, row);
    g_array_append_val (csv->lines, row_line);
  }
  return csv;
}

int
synack_csv_column (const SynackCsv *csv, const char *name)
{
  for (guint i = 0; i < csv->header->len; i++)
    if (strcmp (csv->header->pdata[i], name) == 0)
      return (int) i;
  return -1;
}

int
synack_csv_require (const SynackCsv *csv, const char *name, GError **error)
{
  int c = synack_csv_column (csv, name);

  if (c < 0)
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_COLUMN,
                 "%s:1: no column \"%s\"", csv->path, name);
  return c;
}

const char *
synack_csv_cell (const SynackCsv *csv, guint row, guint col)
{
  const GPtrArray *r = csv->rows->pdata[row];

  return r->pdata[col];
}

gboolean
synack_csv_double (const SynackCsv *csv, guint row, guint col, double *out,
                   GError **error)
{
  const char *text = synack_csv_cell (csv, row, col);
  char *endp;

  if (text[0] == '\0' || g_ascii_strcasecmp (text, "nan") == 0) {
    *out = NAN;
    return TRUE;
  }
  *out = g_ascii_strtod (text, &endp);
  if (*endp != '\0') {
    g_set_error (error, SYNACK_CSV_ERROR, SYNACK_CSV_ERROR_VALUE,
                 "%s:%u: column %s: \"%s\" is not a number", csv->path,
                 g_array_index (csv->lines, guint, row),
                 (const char *) csv->header->pdata[col], text);
    return FALSE;
  }
  return TRUE;
}
