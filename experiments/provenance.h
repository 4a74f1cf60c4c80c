/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/provenance.h - where and with what a results directory was
 * computed, in DIR/provenance.ini, apart from the results themselves.
 *
 * config.ini, runs.csv and summary.csv depend only on the config and the
 * seed, so they are byte-identical wherever and whenever they were
 * computed; everything that is not (the date, the host, the wall time, the
 * command line) goes here.  The [build] section holds the build
 * fingerprint: synack's version, its git commit when it was built from a
 * git checkout, the plugin ABI and every loaded plugin with the SHA-256 of
 * its file.  `synack merge` refuses shards whose fingerprints differ,
 * since two builds may compute different bytes from the same config. */
#pragma once

#include <glib.h>
#include "registry.h"

G_BEGIN_DECLS

#define SYNACK_PROVENANCE_FILE "provenance.ini"
/* Per-run wall time: point,replication,wall_s (not part of the results:
 * it differs from machine to machine). */
#define SYNACK_RUN_TIMES_FILE  "run-times.csv"

typedef struct _SynackBuild {
  char *version;      /* PACKAGE_VERSION */
  char *git_commit; /* "" when not built from git; "...-dirty" with local
                       changes */
  guint plugin_abi;
  char *plugins;      /* "KIND.NAME sha256:HEX" lines, sorted, one per plugin */
  char *fingerprint;  /* SHA-256 of the four fields above */
} SynackBuild;

/* Fills @build for this synack with the plugins of @reg.  A plugin file
 * that cannot be read hashes as "unreadable" (it was loaded, so this
 * means it changed on disk since). */
void     synack_build_init  (SynackBuild *build, const SynackRegistry *reg);
void     synack_build_clear (SynackBuild *build);

/* Writes DIR/provenance.ini: [build] from @build, then [run] with @command
 * (the command line, for the record), @config_path, the UTC date, the
 * host name, @wall_s and each "KEY=VALUE" of NULL-terminated @extra
 * (nullable).  Returns: FALSE with @error. */
gboolean synack_provenance_write (const char *dir, const SynackBuild *build,
                                  const char *command, const char *config_path,
                                  double wall_s, const char *const *extra,
                                  GError **error);

/* Reads [build] of DIR/provenance.ini into @build.
 * Returns: FALSE with @error (G_FILE_ERROR or G_KEY_FILE_ERROR) naming the
 * file. */
gboolean synack_provenance_read_build (const char *dir, SynackBuild *build,
                                       GError **error);

/* The [run] value @key of DIR/provenance.ini, or NULL.  (transfer full) */
char    *synack_provenance_read_run (const char *dir, const char *key);

G_END_DECLS
