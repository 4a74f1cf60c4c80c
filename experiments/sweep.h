/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/sweep.h - the values of one [sweep] key.
 *
 * A sweep value is a comma-separated list whose items are single values
 * ("bernoulli", "50ms", "\"SYN,ACK\"" quoted when it holds a comma) or
 * ranges "start:step:stop" of numbers that share one unit ("0:0.1:0.5",
 * "0s:30s:240s", "100/s:100/s:500/s").  Expansion is pure text: the config
 * loader checks each value afterwards as it would check the key itself. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Most values one sweep key may expand to (and most sweep points). */
#define SYNACK_SWEEP_MAX_VALUES 100000u

#define SYNACK_SWEEP_ERROR (synack_sweep_error_quark ())
typedef enum {
  SYNACK_SWEEP_ERROR_EMPTY,        /* no value at all, or an empty list item */
  SYNACK_SWEEP_ERROR_SYNTAX,       /* an unterminated or stray '"' */
  SYNACK_SWEEP_ERROR_BAD_RANGE,    /* not start:step:stop, step <= 0,
                                    * stop < start */
  SYNACK_SWEEP_ERROR_MIXED_UNITS,  /* "0s:500ms:2s" */
  SYNACK_SWEEP_ERROR_TOO_MANY,     /* more than SYNACK_SWEEP_MAX_VALUES */
} SynackSweepError;
GQuark synack_sweep_error_quark (void);

/* Expands @text.  A range has n = floor((stop - start) / step + 1e-9) + 1
 * values start + i * step, printed with "%.10g" and the unit, so
 * "0:0.1:0.3" gives "0", "0.1", "0.2", "0.3" (never "0.30000000000000004").
 * @normalised: (out) (optional) (transfer full) @text with its items
 * trimmed and joined by ", ": text that expands to the same values.
 * Returns: (transfer full) (element-type utf8) the values in order, or NULL
 * with @error, whose message says only what is wrong ("empty range: stop 1
 * is below start 2"); the caller prefixes file, line and key. */
GPtrArray *synack_sweep_expand (const char *text, char **normalised,
                                GError **error);

G_END_DECLS
