/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config.h - an experiment config file, loaded and validated.
 *
 * GKeyFile parses the INI text, but it reports no line numbers, so the
 * loader first indexes every group and key with its line; every error then
 * reads `FILE:LINE: [section] key: what is wrong` (INTERFACE.md), with a
 * "did you mean" for a misspelt section, key or model name.  Validation is
 * complete at load time: every sweep point is built once and kept, so a run
 * can never fail on a value the checker let through. */
#pragma once

#include <glib.h>
#include "net.h"
#include "registry.h"

G_BEGIN_DECLS

/* A config file longer than this is refused unread (a config is a page or
 * two: this stops `synack check /dev/zero` from taking all memory). */
#define SYNACK_CONFIG_MAX_BYTES (4u << 20)
/* At most this many runs (sweep points x replications) in one batch: the
 * runner keeps a slot with the metrics of each. */
#define SYNACK_CONFIG_MAX_RUNS 1000000u

/* Warn when a trace may get more rows than this in one run. */
#define SYNACK_CONFIG_WARN_TRACE_ROWS 1e7

#define SYNACK_CONFIG_ERROR (synack_config_error_quark ())
typedef enum {
  SYNACK_CONFIG_ERROR_IO,              /* the file cannot be read */
  SYNACK_CONFIG_ERROR_SYNTAX,          /* not INI: a line that is no group,
                                        * key or comment */
  SYNACK_CONFIG_ERROR_UNKNOWN_SECTION,
  SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
  SYNACK_CONFIG_ERROR_DUPLICATE_KEY,
  SYNACK_CONFIG_ERROR_BAD_VALUE,       /* does not parse, or out of range */
  SYNACK_CONFIG_ERROR_UNKNOWN_MODEL,   /* no plugin of that kind and name */
  SYNACK_CONFIG_ERROR_BAD_SWEEP,       /* sweep over an unknown key, empty
                                        * range, ... */
} SynackConfigError;
GQuark synack_config_error_quark (void);

typedef struct _SynackConfig SynackConfig;   /* opaque */

/* Loads and validates @path.  @reg: (transfer none) must outlive the config.
 * Returns: (transfer full) or NULL with @error ("FILE:LINE: [s] k: ..."). */
SynackConfig *synack_config_load_file (const char *path, SynackRegistry *reg,
                                       GError **error);
/* Same from text; @name stands for the file name in messages. */
SynackConfig *synack_config_load_data (const char *text, const char *name,
                                       SynackRegistry *reg, GError **error);
void          synack_config_free      (SynackConfig *cfg);   /* NULL is fine */

/* Overrides one key as `--set SECTION.KEY=VALUE` does (@assignment is that
 * text); a sweep key is replaced by the single value.  Revalidates.
 * Returns: FALSE with @error ("--set link.loss.p=2: ..."). */
gboolean      synack_config_set       (SynackConfig *cfg,
                                       const char *assignment, GError **error);
/* Every key a config may set, as "SECTION.KEY<TAB>DEFAULT<TAB>NOTE" lines
 * (model parameters once per model that has them), in section order: for
 * `synack keys` and shell completion.  (transfer full) */
GPtrArray    *synack_config_list_keys (const SynackRegistry *reg);
/* What in @cfg is valid but probably not meant (a trace of gigabytes),
 * in one message, or NULL.  (transfer full) */
char         *synack_config_warnings  (const SynackConfig *cfg);
/* Applies every --set of NULL-terminated @assignments, then checks the
 * config once: their order does not matter, and a key given twice (or
 * given and swept) is an error.  On error @cfg is unchanged. */
gboolean      synack_config_set_all   (SynackConfig *cfg,
                                       const char *const *assignments,
                                       GError **error);

const char   *synack_config_path      (const SynackConfig *cfg);
/* [experiment] name: the file's base name without .ini when not given. */
const char   *synack_config_name      (const SynackConfig *cfg);
guint64       synack_config_seed      (const SynackConfig *cfg);
void          synack_config_set_seed  (SynackConfig *cfg, guint64 seed);
guint         synack_config_replications (const SynackConfig *cfg);
/* [experiment] seeds = per-replication: every point of a replication runs
 * on the same seed (common random numbers), not a seed of its own. */
gboolean      synack_config_seeds_per_replication (const SynackConfig *cfg);

/* The sweep: keys in file order, as "SECTION.KEY" ("link.loss.p"). */
guint         synack_config_n_sweep_keys (const SynackConfig *cfg);
const char   *synack_config_sweep_key    (const SynackConfig *cfg, guint key);
/* Number of sweep points (1 when there is no sweep); runs = points x
 * replications. */
guint         synack_config_n_points     (const SynackConfig *cfg);
/* Value text of sweep key @key at @point (normalised: "0.1", "250ms"). */
const char   *synack_config_point_value  (const SynackConfig *cfg, guint point,
                                          guint key);

/* The run spec of sweep point @point: every key typed, defaults and the
 * profile applied, built once when the config was loaded (or changed by
 * --set) and kept.  seed and trace_prefix are 0/NULL: a runner copies the
 * spec (synack_run_spec_copy()) and fills them.  The points' specs are
 * one array: point 0's + P is point P's.
 * Returns: (transfer none) valid until @cfg changes or is freed. */
const SynackRunSpec *synack_config_run_spec (const SynackConfig *cfg,
                                             guint point);
/* Fills @spec with a deep copy of synack_config_run_spec() (free it with
 * synack_run_spec_clear()).  Returns: TRUE (@error is never set: every
 * point was built when the config was loaded). */
gboolean      synack_config_build_run    (const SynackConfig *cfg, guint point,
                                          SynackRunSpec *spec, GError **error);

/* The config as run: every section and key with its value (defaults filled
 * in, the profile's [tcp] values written out), the sweep, synack's version
 * and the seed, as INI text that synack_config_load_data() accepts and that
 * reproduces the same runs.  (transfer full) */
char         *synack_config_to_ini       (const SynackConfig *cfg);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackConfig, synack_config_free)

G_END_DECLS
