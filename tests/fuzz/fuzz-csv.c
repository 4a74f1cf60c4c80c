/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-csv.c - the CSV reader (core/engine/csv.c) that `plot`,
 * `ladder` and `--resume` read runs.csv, summary.csv and traces with.
 *
 * Input: the first byte's low bit picks SYNACK_CSV_DROP_PARTIAL_LAST (as
 * --resume and the trace readers use it) or strict (plot's summary); the
 * rest is the file.  A file that reads must be rectangular, every cell
 * must be reachable and either a number or refused with a GError, and
 * every header name must be found by synack_csv_column(). */
#include "fuzz-common.h"

#include <math.h>

#include "csv.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *path = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackCsv) csv = NULL;
  SynackCsvFlags flags;

  if (size < 1)
    return 0;
  flags = data[0] & 1 ? SYNACK_CSV_DROP_PARTIAL_LAST : SYNACK_CSV_STRICT;
  path = fuzz_write ("fuzz.csv", data + 1, size - 1);
  csv = synack_csv_read (path, flags, &error);
  FUZZ_CHECK_ERROR (csv != NULL, error, "synack_csv_read");
  if (csv == NULL)
    return 0;
  if (csv->header->len == 0)
    FUZZ_FAIL ("a CSV file with no header cell");
  if (csv->lines->len != csv->rows->len)
    FUZZ_FAIL ("%u rows but %u line numbers", csv->rows->len, csv->lines->len);
  for (guint c = 0; c < csv->header->len; c++) {
    int found = synack_csv_column (csv, csv->header->pdata[c]);

    if (found < 0 || (guint) found > c)
      FUZZ_FAIL ("column %u \"%s\" is not found", c,
                 (const char *) csv->header->pdata[c]);
  }
  {
    static const char missing[] = "no such\ncolumn";
    int c = synack_csv_column (csv, missing);

    if (synack_csv_require (csv, missing, &error) != c
        || (c < 0) != (error != NULL))
      FUZZ_FAIL ("synack_csv_require disagrees with synack_csv_column");
    g_clear_error (&error);
  }
  for (guint r = 0; r < csv->rows->len; r++) {
    GPtrArray *row = csv->rows->pdata[r];

    if (row->len != csv->header->len)
      FUZZ_FAIL ("row %u has %u cells, the header %u", r, row->len,
                 csv->header->len);
    for (guint c = 0; c < row->len; c++) {
      double x;
      gboolean ok;

      if (synack_csv_cell (csv, r, c) == NULL)
        FUZZ_FAIL ("cell %u,%u is NULL", r, c);
      ok = synack_csv_double (csv, r, c, &x, &error);
      FUZZ_CHECK_ERROR (ok, error, "synack_csv_double");
      g_clear_error (&error);
    }
  }
  return 0;
}
