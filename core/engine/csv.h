/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/csv.h - reading the CSV files synack writes (runs.csv,
 * summary.csv, traces) back in, for --resume and for plots.
 *
 * RFC 4180: a header line, comma-separated cells, cells with commas or
 * quotes quoted with "" doubled.  Every error names the file and line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SYNACK_CSV_ERROR (synack_csv_error_quark ())
typedef enum {
  SYNACK_CSV_ERROR_IO,
  SYNACK_CSV_ERROR_SYNTAX,    /* unterminated quote, wrong number of cells,
                               * empty file */
  SYNACK_CSV_ERROR_COLUMN,    /* a required column is missing */
  SYNACK_CSV_ERROR_VALUE,     /* a cell is not a number where one is needed */
} SynackCsvError;
GQuark synack_csv_error_quark (void);

typedef struct {
  char      *path;
  GPtrArray *header;   /* element type char*, owned */
  GPtrArray *rows;     /* element type GPtrArray of char*, owned */
  GArray    *lines;    /* guint: the file line of each row */
} SynackCsv;

typedef enum {
  SYNACK_CSV_STRICT = 0,
  /* ignore a last line with no newline (a killed writer) */
  SYNACK_CSV_DROP_PARTIAL_LAST = 1 << 0,
} SynackCsvFlags;

/* Returns: (transfer full) or NULL with @error ("runs.csv:7: 12 cells, the
 * header has 30"). */
SynackCsv  *synack_csv_read       (const char *path, SynackCsvFlags flags,
                                   GError **error);
void        synack_csv_free       (SynackCsv *csv);
/* Returns: the column index of @name, or -1. */
int         synack_csv_column     (const SynackCsv *csv, const char *name);
/* Same, or -1 with @error ("summary.csv:1: no column \"x\""). */
int         synack_csv_require    (const SynackCsv *csv, const char *name,
                                   GError **error);
const char *synack_csv_cell       (const SynackCsv *csv, guint row, guint col);
/* Parses the cell as a number; an empty cell is NAN.  Returns: FALSE with
 * @error naming file, line and column. */
gboolean    synack_csv_double     (const SynackCsv *csv, guint row, guint col,
                                   double *out, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackCsv, synack_csv_free)

G_END_DECLS
