/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/registry.h - the plugins a program has loaded, by kind and
 * name.
 *
 * Plugins come from directories: each file KIND-NAME.so exporting
 * synack_plugin_KIND_NAME_describe().  A bad file (not a regular file, an
 * ELF object for another machine or truncated, not a module, no such
 * symbol, another ABI version, kind or name not matching the file name, a
 * name already registered) is refused with an error naming the file, and
 * loading goes on with the others. */
#pragma once

#include <glib.h>
#include "plugin.h"

G_BEGIN_DECLS

#define SYNACK_REGISTRY_ERROR (synack_registry_error_quark ())
typedef enum {
  SYNACK_REGISTRY_ERROR_OPEN,        /* g_module_open failed */
  SYNACK_REGISTRY_ERROR_NO_SYMBOL,   /* no synack_plugin_..._describe */
  SYNACK_REGISTRY_ERROR_ABI,         /* built for another ABI version */
  SYNACK_REGISTRY_ERROR_MISMATCH,    /* kind/name differ from the file name */
  SYNACK_REGISTRY_ERROR_DUPLICATE,   /* kind/name already registered */
  SYNACK_REGISTRY_ERROR_INVALID,     /* descriptor incomplete (no vtable,
                                      * bad param table) */
  SYNACK_REGISTRY_ERROR_UNKNOWN,     /* lookup of a name nobody registered */
  SYNACK_REGISTRY_ERROR_BAD_FILE,    /* not a regular file, not an ELF shared
                                      * object for this machine, truncated */
} SynackRegistryError;
GQuark synack_registry_error_quark (void);

typedef struct _SynackRegistry SynackRegistry;   /* opaque */

SynackRegistry *synack_registry_new  (void);
/* Unloads the modules.  NULL is fine. */
void            synack_registry_free (SynackRegistry *reg);

/* Registers @desc. @origin names where it came from (a file, "built-in").
 * Returns: FALSE with @error on ABI mismatch, duplicate, invalid
 * descriptor. */
gboolean  synack_registry_add       (SynackRegistry *reg,
                                     const SynackPluginDesc *desc,
                                     const char *origin, GError **error);
/* Loads one plugin file.  Returns: FALSE with @error naming @path. */
gboolean  synack_registry_load_file (SynackRegistry *reg, const char *path,
                                     GError **error);
/* Loads every *.so (G_MODULE_SUFFIX) in @dir in name order; each failure is
 * appended to @errors (element type GError, transfer full) and skipped.
 * Returns: the number of plugins registered. */
guint     synack_registry_load_dir  (SynackRegistry *reg, const char *dir,
                                     GPtrArray *errors);
/* Loads the directories of $SYNACK_PLUGIN_PATH (':'-separated), then
 * @builtin_dir (nullable).  Returns: the number registered. */
guint     synack_registry_load_path (SynackRegistry *reg,
                                     const char *builtin_dir,
                                     GPtrArray *errors);

/* Returns: (transfer none) (nullable) the descriptor of @kind called
 * @name. */
const SynackPluginDesc *synack_registry_lookup (const SynackRegistry *reg,
                                                SynackPluginKind kind,
                                                const char *name);
/* Returns: (transfer container) descriptors sorted by kind then name. */
GPtrArray *synack_registry_list     (const SynackRegistry *reg);
/* Returns: (transfer none) where @desc came from (a path or "built-in"). */
const char *synack_registry_origin  (const SynackRegistry *reg,
                                     const SynackPluginDesc *desc);
/* Returns: (transfer full) (nullable) the registered name of @kind closest
 * to @name by edit distance, for "did you mean" hints. */
char      *synack_registry_suggest  (const SynackRegistry *reg,
                                     SynackPluginKind kind,
                                     const char *name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SynackRegistry, synack_registry_free)

G_END_DECLS
