/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-private.h - what the config-*.c files share.
 *
 * Not installed, not for the runner or the plots: they use config.h.  The
 * config is split by job:
 *
 *   config.c         the SynackConfig object: its sections of text values,
 *                    the sweep, the view of one sweep point, the accessors
 *   config-keys.c    the sections and their key tables (SynackParamSpec:
 *                    type, default, unit, range, help), "did you mean", the
 *                    list `synack keys` prints
 *   config-values.c  typing a value with its key's row (core/engine/params)
 *   config-load.c    reading the INI text and --set, every problem at once
 *                    with its FILE:LINE
 *   config-build.c   the models, and a SynackRunSpec for a sweep point
 *   config-ini.c     the config.ini writer
 *
 * Loading goes in four passes, each reporting the first problem it meets:
 *
 *  1. A line scan of the text indexes every [section] and key with its line
 *     and catches what GKeyFile would accept silently or report without a
 *     line: syntax errors, duplicate sections and keys (GKeyFile merges
 *     them), unknown sections and keys.
 *  2. GKeyFile then parses the same text (';' comment lines turned into '#'
 *     ones, its only comment character) and gives each value unescaped.  The
 *     values are kept as text, per section, with where each came from: a
 *     file line, a [sweep] line, or a --set assignment.
 *  3. [sweep] keys are split at their section and expanded (sweep.c).
 *  4. Every sweep point is built into a SynackRunSpec once, which types and
 *     range-checks every value of every point (and creates each loss and
 *     delay model once, for what only the model can check: loss.drop).
 *     The specs are kept (cfg->specs): the runner copies them.
 *
 * Keeping text rather than typed values makes a point cheap to describe (a
 * "view": the section values with the point's sweep values laid over them)
 * and makes --set and config.ini simple: both work on the text.  Building a
 * point is a few microseconds (10^5 points: 0.65 s of CPU measured, and
 * about 70 MB of kept specs); the sweep is capped there
 * (SYNACK_SWEEP_MAX_VALUES points). */
#pragma once

#include "config.h"
#include "points.h"

G_BEGIN_DECLS

/* ---- sections and keys (config-keys.c) ----------------------------------- */

enum {
  SEC_EXPERIMENT,
  SEC_WORKLOAD,
  SEC_LINK,
  SEC_LINK_FORWARD,
  SEC_LINK_REVERSE,
  SEC_TCP,
  N_SECTIONS,
  SEC_SWEEP = N_SECTIONS,   /* not a section of values: handled apart */
};

/* The section names in enum order, then "sweep"; NULL-ended. */
extern const char *const config_section_names[];
/* [experiment] trace words, in SynackTraceMask bit order; NULL-ended. */
extern const char *const config_trace_names[];

/* TRUE if @s has only letters, digits, '-', '_' and '.'. */
gboolean        config_is_name_chars    (const char *s);
/* The key table of @sec: its keys with type, default, unit, range and help
 * (NULL for [sweep]); [link.forward] and [link.reverse] take [link]'s. */
const SynackParamSpec *config_section_specs (guint sec);
/* The row of @key in @sec's table, or NULL (a model parameter, unknown). */
const SynackParamSpec *config_find_key  (guint sec, const char *key);
/* TRUE for a key set once for all runs ([experiment] seed): never swept. */
gboolean        config_key_is_set_once  (guint sec, const char *key);
const SynackParamSpec *config_find_spec (const SynackParamSpec *specs,
                                         const char *name);
gboolean        config_is_link_section  (guint sec);
/* "loss.p" -> "p" when @key is a parameter key of @prefix ("loss"). */
const char     *config_model_param_name (const char *key, const char *prefix);
/* TRUE if @key may appear in section @sec. */
gboolean        config_key_is_known     (guint sec, const char *key);
/* Every key a user could mean in @sec, for "did you mean".  (transfer full) */
GPtrArray      *config_key_candidates   (const SynackRegistry *reg, guint sec,
                                         gboolean qualified);
/* "; did you mean \"x\"?" or "".  (transfer full) */
char           *config_did_you_mean     (const char *word,
                                         const char *const *candidates);
/* "link.forward.loss.p" -> SEC_LINK_FORWARD, "loss.p". */
gboolean        config_split_full_key   (const char *full, guint *sec,
                                         const char **key);

/* ---- the config (config.c) ----------------------------------------------- */

/* One key of a section as text, with where it came from. */
typedef struct {
  char *key;
  char *value;      /* unescaped and trimmed */
  guint line;       /* in the file; 0 when set by --set */
  char *set_text;   /* (nullable) the --set assignment it came from */
} Entry;

typedef struct {
  char      *full;       /* "link.loss.p" */
  guint      sec;
  char      *key;        /* "loss.p" */
  char      *text;       /* normalised, for config.ini */
  GPtrArray *values;     /* char*, expanded */
  guint      line;
  char      *set_text;   /* (nullable) from --set sweep.KEY=... */
} SweepKey;

struct _SynackConfig {
  char           *path;        /* as given: the file name in every message */
  SynackRegistry *reg;         /* (transfer none) */
  GPtrArray      *sections[N_SECTIONS];   /* Entry, in file order */
  GPtrArray      *sweep;       /* SweepKey, in file order */
  char           *default_name;
  /* the first value that failed to build (for reporting every error):
   * "link" or "sweep", and its key */
  char           *fail_sec;
  char           *fail_key;
  /* each typed section's keys at their defaults ([link.*] use [link]'s),
   * copied for every point rather than parsed again */
  SynackParams   *defaults[N_SECTIONS];
  /* derived by config_finish() */
  char           *name;
  guint64         seed;
  guint           replications;
  guint           n_points;
  gboolean        seeds_per_replication;
  /* [sweep] zip and constraint (NULL: none), where they were given */
  char           *zip, *constraint;
  guint           zip_line, constraint_line;
  char           *zip_set, *constraint_set;
  SynackPoints   *points;      /* derived by config_finish() */
  /* every point's run spec, built once by config_finish() and kept: the
   * runner and `check` copy or read them (NULL in a clone until built) */
  SynackRunSpec  *specs;
};
/* A value as one sweep point sees it. */
typedef struct {
  const char *key;          /* the key within its section: "loss.p" */
  const char *value;
  const char *where_sec;    /* for messages: "link", or "sweep" */
  const char *where_key;    /* for messages: "loss.p", or "link.loss.p" */
  guint       line;         /* 0: a default or a --set value */
  const char *set_text;     /* (nullable) the --set assignment */
  gboolean    swept;
} Val;
/* The values sweep point @point sees: each section's own entries, a
 * swept key's value of the point in place of its entry. */
typedef struct {
  const SynackConfig *cfg;
  GArray             *vals[N_SECTIONS];   /* Val */
} View;

SynackConfig *config_new            (const char *path, SynackRegistry *reg);
SynackConfig *config_clone          (const SynackConfig *src);
void          config_sweep_key_free (gpointer data);
gint          config_find_sweep_key (const SynackConfig *cfg, const char *full);
gboolean      config_is_swept       (const SynackConfig *cfg, guint sec,
                                     const char *key);
/* Sets @key of @sec to @value (replacing any earlier value). */
void          config_put_entry      (SynackConfig *cfg, guint sec,
                                     const char *key, const char *value,
                                     guint line, const char *set_text);
/* Sets @error for value @v: "FILE:LINE: [section] key: MESSAGE". */
G_GNUC_PRINTF (5, 6)
void          config_val_error      (const SynackConfig *cfg, const Val *v,
                                     GError **error, SynackConfigError code,
                                     const char *format, ...);
/* @with_sweep FALSE: swept keys are left out altogether (for config.ini). */
void          config_view_init      (View *view, const SynackConfig *cfg,
                                     guint point, gboolean with_sweep);
void          config_view_clear     (View *view);
const Val    *config_view_find      (const View *view, guint sec,
                                     const char *key);
/* The value of @key in @sec, or its default in *@tmp. */
const Val    *config_view_get       (const View *view, guint sec,
                                     const char *key, Val *tmp);

/* ---- values (config-values.c) -------------------------------------------- */

/* Parses @v into @params, whose table has a row named v->key; a bad value
 * sets @error with config_val_error(). */
gboolean config_take             (const SynackConfig *cfg, SynackParams *params,
                                  const Val *v, GError **error);
/* These check a STRING value word by word, with config_val_error(). */
gboolean config_parse_trace      (const SynackConfig *cfg, const Val *v,
                                  guint *mask, GError **error);
gboolean config_parse_only_flags (const SynackConfig *cfg, const Val *v,
                                  SynackLinkSpec *link, GError **error);
gboolean config_parse_name       (const SynackConfig *cfg, const Val *v,
                                  GError **error);

/* ---- building (config-build.c) ------------------------------------------- */

/* The parameters of model @desc from the "PREFIX.X" values of @secs.
 * (transfer full) */
SynackParams *config_model_params (const View *view,
                                   const SynackPluginDesc *desc,
                                   const char *prefix, const guint *secs,
                                   guint n_secs, const Val **string_val,
                                   GError **error);
/* Frees the kept run specs of every point. */
void          config_clear_specs  (SynackConfig *cfg);
/* Derives name, replications and seed and builds every point (into
 * cfg->specs); on failure adds every problem found to @problems
 * (Problem, config-load.c). */
gboolean      config_finish_all   (SynackConfig *cfg, GArray *problems);

/* ---- problems (config-load.c) -------------------------------------------- */

/* Takes @error (transfer full); the same message twice is kept once. */
void          config_problems_add (GArray *problems, const SynackConfig *cfg,
                                   GError *error);

G_END_DECLS
