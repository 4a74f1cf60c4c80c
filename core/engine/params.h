/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/params.h - typed parameters: every config key's value.
 *
 * A model declares its parameters as a table of SynackParamSpec (name, type,
 * default, unit, help, range), and so does every section of a config file
 * (experiments/config-keys.c, core/network/tcp.c).  The same table feeds the
 * config checker, `synack models`, `synack keys` and the man page test, so
 * they can never disagree, and one parser here reads every value, so the
 * same mistake gets the same words in every section.  Values arrive in a
 * model's create() already parsed, unit-converted and range-checked: models
 * validate nothing themselves. */
#pragma once

#include <float.h>
#include <math.h>
#include <glib.h>
#include "clock.h"

G_BEGIN_DECLS

typedef enum {
  SYNACK_PARAM_DOUBLE,       /* a finite number within [min, max] when
                              * max > min */
  SYNACK_PARAM_PROBABILITY,  /* a number in [0, 1] */
  SYNACK_PARAM_DURATION,     /* a duration with unit, >= 0 */
  SYNACK_PARAM_UINT,         /* a non-negative integer within [min, max] when
                              * max > min, or a word of choices ("auto"): 0 */
  SYNACK_PARAM_STRING,       /* free text, checked by the model's create() */
  SYNACK_PARAM_BOOLEAN,      /* true/false, yes/no, 1/0 */
  SYNACK_PARAM_CHOICE,       /* one of the '|'-separated words in choices */
  SYNACK_PARAM_RATE,         /* a rate with unit ("100/s"), per s, >= 0 */
} SynackParamType;

/* The range: a value must lie in [min, max] when max > min (DURATION in
 * seconds, RATE per second); max = INFINITY bounds it from below only.
 * min = SYNACK_PARAM_MORE_THAN_0 asks for a value more than 0 (a time limit
 * or an arrival rate of 0 would mean nothing ever happens). */
#define SYNACK_PARAM_MORE_THAN_0 DBL_MIN

typedef struct {
  /* the key after "loss." / "delay.": "p", "base" */
  const char     *name;
  SynackParamType type;
  const char     *default_value;  /* as it would be written in a config file */
  const char     *unit;           /* for help: "s", "1/s", "" */
  const char     *help;           /* one line */
  double          min, max;       /* range when max > min (see above) */
  const char     *choices;        /* CHOICE: "random|zero"; UINT: "auto" */
} SynackParamSpec;
/* A spec table ends with a row whose name is NULL. */

/* "duration", ... */
const char *synack_param_type_name (SynackParamType type);

#define SYNACK_PARAMS_ERROR (synack_params_error_quark ())
typedef enum {
  SYNACK_PARAMS_ERROR_UNKNOWN,   /* no parameter of that name */
  SYNACK_PARAMS_ERROR_BAD_VALUE, /* does not parse or is out of range */
} SynackParamsError;
GQuark synack_params_error_quark (void);

typedef struct _SynackParams SynackParams;   /* opaque */

/* Checks a spec table that is not ours (a plugin's): every name non-empty
 * and unique, every type known, CHOICE rows with choices, every default
 * parsing under its own spec.  Returns: FALSE with @error
 * (SYNACK_PARAMS_ERROR_BAD_VALUE) naming the first bad row.  The registry
 * calls it so that synack_params_new() never meets a bad default. */
gboolean      synack_params_check_specs (const SynackParamSpec *specs,
                                         GError **error);

/* Returns: (transfer full) values for @specs, each at its default.
 * @specs: (transfer none) must outlive the result (it is static in
 * plugins). */
SynackParams *synack_params_new    (const SynackParamSpec *specs);
SynackParams *synack_params_copy   (const SynackParams *params);
void          synack_params_free   (SynackParams *params);   /* NULL is fine */

/* Parses @text for parameter @name and stores it.  Returns: FALSE with
 * @error set; its message says only what is wrong ("1.5 is not a
 * probability (0..1)"), the caller prefixes file, line and key.  The words
 * are the type's, whatever the parameter: "\"x\" is not a non-negative
 * integer", "0 is outside 1..65535", "must be at least 1", "must be more
 * than 0", "\"x\" is not one of a, b; did you mean \"a\"?". */
gboolean      synack_params_set    (SynackParams *params, const char *name,
                                    const char *text, GError **error);
/* Checks @text under @spec alone, as synack_params_set() would, without
 * storing it (for the words of a list, each a CHOICE).  Returns: FALSE with
 * @error (SYNACK_PARAMS_ERROR_BAD_VALUE). */
gboolean      synack_params_check_value (const SynackParamSpec *spec,
                                         const char *text, GError **error);
/* TRUE if @name was set explicitly (not left at its default). */
gboolean      synack_params_is_set (const SynackParams *params,
                                    const char *name);
const SynackParamSpec *synack_params_specs (const SynackParams *params);

/* Getters: @name must be in the table with a matching type
 * (g_return_val_if_fail otherwise: a programmer error). */
double        synack_params_get_double   (const SynackParams *params,
                                          const char *name);
SynackTime    synack_params_get_duration (const SynackParams *params,
                                          const char *name);
/* per s */
double        synack_params_get_rate     (const SynackParams *params,
                                          const char *name);
guint64       synack_params_get_uint     (const SynackParams *params,
                                          const char *name);
/* STRING, CHOICE */
const char   *synack_params_get_string   (const SynackParams *params,
                                          const char *name);
gboolean      synack_params_get_boolean  (const SynackParams *params,
                                          const char *name);
/* The value as text, normalised ("10ms", "0.1"); for config.ini.
 * (transfer full) */
char         *synack_params_to_string    (const SynackParams *params,
                                          const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackParams, synack_params_free)

G_END_DECLS
