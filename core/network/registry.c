/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/registry.c - the plugins a program has loaded, by kind and name.
 *
 * A plugin file KIND-NAME.so exports one function,
 * synack_plugin_KIND_NAME_describe(), returning a static descriptor (the
 * GStreamer GST_PLUGIN_DEFINE scheme).  Loading a file is: check the file
 * (synack_plugin_file_check() in plugin-file.c: a truncated file would
 * crash dlopen), g_module_open
 * (lazy, local: plugins never see each other's symbols), look up the symbol
 * derived from the file name, call it, then check the descriptor in the
 * order that keeps every read safe: the ABI version first (the only field
 * whose place never changes), then kind and name against the file name,
 * the vtable, the parameter table, and last whether that kind and name is
 * already taken.  Any failure closes the module and says why in a GError
 * whose message starts with the file's path; success keeps the module open
 * until the registry is freed, since the descriptor lives inside it.
 *
 * Entries sit in a GPtrArray in registration order and lookups scan it:
 * a dozen plugins, looked up while a config loads, never per event.
 *
 * Also here: the names of plugin kinds, which plugin.h declares. */
#include "registry.h"

#include <gmodule.h>
#include <string.h>

#include "plugin-file.h"
#include "protocol.h"
#include "text.h"

G_DEFINE_QUARK (synack-registry-error-quark, synack_registry_error)

/* @desc lives in @module, or in the program when @module is NULL (it came
 * from synack_registry_add()). */
typedef struct {
  const SynackPluginDesc *desc;    /* (transfer none) */
  char                   *origin;  /* a path or "built-in" */
  GModule                *module;  /* (nullable) */
} Entry;

struct _SynackRegistry {
  GPtrArray *entries;               /* Entry, in registration order */
};

/* ---- names ------------------------------------------------------------- */

static const char *const kind_names[] = {
  [SYNACK_PLUGIN_DELAY] = "delay",
  [SYNACK_PLUGIN_LOSS] = "loss",
  [SYNACK_PLUGIN_PROTOCOL] = "protocol",
};

static gboolean
kind_is_valid (SynackPluginKind kind)
{
  return kind >= SYNACK_PLUGIN_DELAY && kind <= SYNACK_PLUGIN_PROTOCOL;
}

const char *
synack_plugin_kind_name (SynackPluginKind kind)
{
  return kind_is_valid (kind) ? kind_names[kind] : "?";
}

gboolean
synack_plugin_kind_parse (const char *name, SynackPluginKind *kind)
{
  for (guint k = SYNACK_PLUGIN_DELAY; k <= SYNACK_PLUGIN_PROTOCOL; k++)
    if (g_strcmp0 (name, kind_names[k]) == 0) {
      *kind = (SynackPluginKind) k;
      return TRUE;
    }
  return FALSE;
}

/* ---- the registry ------------------------------------------------------ */

static void
entry_free (gpointer data)
{
  Entry *e = data;

  g_free (e->origin);
  if (e->module != NULL)
    g_module_close (e->module);
  g_free (e);
}

SynackRegistry *
synack_registry_new (void)
{
  SynackRegistry *reg = g_new0 (SynackRegistry, 1);

  reg->entries = g_ptr_array_new_with_free_func (entry_free);
  return reg;
}

void
synack_registry_free (SynackRegistry *reg)
{
  if (reg == NULL)
    return;
  g_ptr_array_unref (reg->entries);
  g_free (reg);
}

static const Entry *
find_entry (const SynackRegistry *reg, SynackPluginKind kind, const char *name)
{
  for (guint i = 0; i < reg->entries->len; i++) {
    const Entry *e = g_ptr_array_index (reg->entries, i);

    if (e->desc->kind == kind && strcmp (e->desc->name, name) == 0)
      return e;
  }
  return NULL;
}

/* The functions every caller of a vtable may call without a NULL check. */
static gboolean
vtable_is_complete (const SynackPluginDesc *desc)
{
  switch (desc->kind) {
  case SYNACK_PLUGIN_DELAY:
    return desc->vt.delay != NULL && desc->vt.delay->create != NULL
      && desc->vt.delay->sample != NULL && desc->vt.delay->destroy != NULL;
  case SYNACK_PLUGIN_LOSS:
    return desc->vt.loss != NULL && desc->vt.loss->create != NULL
      && desc->vt.loss->drop != NULL && desc->vt.loss->destroy != NULL;
  case SYNACK_PLUGIN_PROTOCOL:
    return desc->vt.protocol != NULL && desc->vt.protocol->create != NULL
      && desc->vt.protocol->connect != NULL
      && desc->vt.protocol->close != NULL
      && desc->vt.protocol->receive != NULL
      && desc->vt.protocol->destroy != NULL;
  default:
    return FALSE;
  }
}

/* Checks @desc and registers it.  @stem (nullable) is the file name without
 * its suffix, which must be KIND-NAME; @module (nullable) is owned by the
 * entry on success and left to the caller on failure.  Every message starts
 * with @origin. */
static gboolean
register_desc (SynackRegistry *reg, const SynackPluginDesc *desc,
               const char *origin, const char *stem, GModule *module,
               GError **error)
{
  const char *kind;
  const Entry *other;
  Entry *e;
  GError *sub = NULL;

  if (desc == NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: the describe function returned no descriptor", origin);
    return FALSE;
  }
  /* first: the other fields may not even be where we think they are */
  if (desc->abi_version != SYNACK_PLUGIN_ABI_VERSION) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_ABI,
                 "%s: built for plugin ABI %u, this synack uses %u; "
                 "rebuild the plugin", origin, (guint) desc->abi_version,
                 (guint) SYNACK_PLUGIN_ABI_VERSION);
    return FALSE;
  }
  if (!kind_is_valid (desc->kind)) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: unknown plugin kind %d", origin, (int) desc->kind);
    return FALSE;
  }
  kind = kind_names[desc->kind];
  if (desc->name == NULL || desc->name[0] == '\0') {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: the descriptor has no name", origin);
    return FALSE;
  }
  if (stem != NULL) {
    g_autofree char *want = g_strdup_printf ("%s-%s", kind, desc->name);

    if (strcmp (stem, want) != 0) {
      g_set_error (error, SYNACK_REGISTRY_ERROR,
                   SYNACK_REGISTRY_ERROR_MISMATCH,
                   "%s: describes %s \"%s\", so the file should be named "
                   "%s.%s", origin, kind, desc->name, want, G_MODULE_SUFFIX);
      return FALSE;
    }
  }
  if (!vtable_is_complete (desc)) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: %s \"%s\" has no vtable or a vtable with a required "
                 "function missing", origin, kind, desc->name);
    return FALSE;
  }
  if (desc->params == NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: %s \"%s\" has no parameter table "
                 "(an empty one is { NULL })", origin, kind, desc->name);
    return FALSE;
  }
  /* so that synack_params_new() never meets a default it cannot parse */
  if (!synack_params_check_specs (desc->params, &sub)) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_INVALID,
                 "%s: %s \"%s\": %s", origin, kind, desc->name, sub->message);
    g_error_free (sub);
    return FALSE;
  }
  other = find_entry (reg, desc->kind, desc->name);
  if (other != NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_DUPLICATE,
                 "%s: %s \"%s\" is already registered from %s",
                 origin, kind, desc->name, other->origin);
    return FALSE;
  }

  e = g_new0 (Entry, 1);
  e->desc = desc;
  e->origin = g_strdup (origin);
  e->module = module;
  g_ptr_array_add (reg->entries, e);
  return TRUE;
}

gboolean
synack_registry_add (SynackRegistry *reg, const SynackPluginDesc *desc,
                     const char *origin, GError **error)
{
  g_return_val_if_fail (reg != NULL, FALSE);
  g_return_val_if_fail (desc != NULL, FALSE);

  if (origin == NULL)
    origin = "built-in";
  return register_desc (reg, desc, origin, NULL, NULL, error);
}

/* "loss-gilbert-elliott.so" -> "loss-gilbert-elliott"; NULL if there is
 * no suffix. */
static char *
file_stem (const char *path)
{
  g_autofree char *base = g_path_get_basename (path);
  const char *suffix = "." G_MODULE_SUFFIX;

  if (!g_str_has_suffix (base, suffix) || strlen (base) == strlen (suffix))
    return NULL;
  return g_strndup (base, strlen (base) - strlen (suffix));
}

gboolean
synack_registry_load_file (SynackRegistry *reg, const char *path,
                           GError **error)
{
  g_autofree char *stem = NULL;
  g_autofree char *symbol = NULL;
  g_autofree char *abs_path = NULL;
  SynackPluginDescribeFunc describe = NULL;
  GModule *module;

  g_return_val_if_fail (reg != NULL, FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  stem = file_stem (path);
  if (stem == NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN,
                 "%s: not a plugin: the name does not end in .%s",
                 path, G_MODULE_SUFFIX);
    return FALSE;
  }

  /* dlopen() searches the library path for a name without a slash; a
   * plugin file is always the file named, so make the name absolute */
  abs_path = g_canonicalize_filename (path, NULL);
  if (!synack_plugin_file_check (abs_path, path, error))
    return FALSE;
  module = g_module_open (abs_path, G_MODULE_BIND_LAZY | G_MODULE_BIND_LOCAL);
  if (module == NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN,
                 "%s: not a loadable module: %s", path, g_module_error ());
    return FALSE;
  }

  symbol = g_strdup_printf ("synack_plugin_%s_describe", stem);
  g_strdelimit (symbol, "-", '_');
  if (!g_module_symbol (module, symbol, (gpointer *) &describe)
      || describe == NULL) {
    g_set_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_NO_SYMBOL,
                 "%s: not a synack plugin: no symbol %s", path, symbol);
    g_module_close (module);
    return FALSE;
  }

  if (!register_desc (reg, describe (), path, stem, module, error)) {
    g_module_close (module);
    return FALSE;
  }
  return TRUE;
}

/* TRUE if a plugin of the kind and name that file @stem promises is already
 * registered. */
static gboolean
stem_is_registered (const SynackRegistry *reg, const char *stem)
{
  const char *dash = strchr (stem, '-');
  g_autofree char *kind_text = NULL;
  SynackPluginKind kind;

  if (dash == NULL)
    return FALSE;
  kind_text = g_strndup (stem, dash - stem);
  return synack_plugin_kind_parse (kind_text, &kind)
    && find_entry (reg, kind, dash + 1) != NULL;
}

static gint
compare_names (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

/* @shadow: skip (silently) files whose kind and name are already
 * registered, as a search path does; otherwise they are duplicates. */
static guint
load_dir (SynackRegistry *reg, const char *dir, gboolean shadow,
          GPtrArray *errors)
{
  g_autoptr (GDir) d = NULL;
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  GError *error = NULL;
  const char *name;
  guint n = 0;

  d = g_dir_open (dir, 0, &error);
  if (d == NULL) {
    GError *e = g_error_new (SYNACK_REGISTRY_ERROR,
                             SYNACK_REGISTRY_ERROR_OPEN,
                             "%s: cannot read the plugin directory: %s",
                             dir, error->message);

    g_error_free (error);
    if (errors != NULL)
      g_ptr_array_add (errors, e);
    else
      g_error_free (e);
    return 0;
  }
  /* g_dir_read_name() order is the file system's: sort for a stable order */
  while ((name = g_dir_read_name (d)) != NULL)
    if (g_str_has_suffix (name, "." G_MODULE_SUFFIX))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);

  for (guint i = 0; i < names->len; i++) {
    const char *file = g_ptr_array_index (names, i);
    g_autofree char *path = g_build_filename (dir, file, NULL);
    g_autofree char *stem = file_stem (file);

    if (shadow && stem != NULL && stem_is_registered (reg, stem))
      continue;
    if (synack_registry_load_file (reg, path, &error))
      n++;
    else if (errors != NULL)
      g_ptr_array_add (errors, error);
    else
      g_error_free (error);
    error = NULL;
  }
  return n;
}

guint
synack_registry_load_dir (SynackRegistry *reg, const char *dir,
                          GPtrArray *errors)
{
  g_return_val_if_fail (reg != NULL, 0);
  g_return_val_if_fail (dir != NULL, 0);

  return load_dir (reg, dir, FALSE, errors);
}

/* Directories come in priority order: a plugin found in an earlier one
 * shadows a file of the same kind and name in a later one (so a build tree
 * on SYNACK_PLUGIN_PATH overrides the installed plugins), which is not an
 * error.  Within one directory, and for synack_registry_load_dir(), a
 * second registration of a name is. */
guint
synack_registry_load_path (SynackRegistry *reg, const char *builtin_dir,
                           GPtrArray *errors)
{
  const char *env;
  guint n = 0;

  g_return_val_if_fail (reg != NULL, 0);

  env = g_getenv ("SYNACK_PLUGIN_PATH");
  if (env != NULL && env[0] != '\0') {
    g_auto (GStrv) dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, -1);

    for (guint i = 0; dirs[i] != NULL; i++) {
      if (dirs[i][0] == '\0')
        continue;
      if (!g_file_test (dirs[i], G_FILE_TEST_IS_DIR)) {
        GError *e = g_error_new (SYNACK_REGISTRY_ERROR,
                                 SYNACK_REGISTRY_ERROR_OPEN,
                                 "%s: no such directory "
                                 "(named in SYNACK_PLUGIN_PATH)", dirs[i]);

        if (errors != NULL)
          g_ptr_array_add (errors, e);
        else
          g_error_free (e);
        continue;
      }
      n += load_dir (reg, dirs[i], TRUE, errors);
    }
  }
  if (builtin_dir != NULL && g_file_test (builtin_dir, G_FILE_TEST_IS_DIR))
    n += load_dir (reg, builtin_dir, TRUE, errors);
  return n;
}

const SynackPluginDesc *
synack_registry_lookup (const SynackRegistry *reg, SynackPluginKind kind,
                        const char *name)
{
  const Entry *e;

  g_return_val_if_fail (reg != NULL, NULL);
  if (name == NULL)
    return NULL;
  e = find_entry (reg, kind, name);
  return e != NULL ? e->desc : NULL;
}

static gint
compare_descs (gconstpointer a, gconstpointer b)
{
  const SynackPluginDesc *x = *(const SynackPluginDesc *const *) a;
  const SynackPluginDesc *y = *(const SynackPluginDesc *const *) b;

  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp (x->name, y->name);
}

GPtrArray *
synack_registry_list (const SynackRegistry *reg)
{
  GPtrArray *list;

  g_return_val_if_fail (reg != NULL, NULL);

  list = g_ptr_array_sized_new (reg->entries->len);
  for (guint i = 0; i < reg->entries->len; i++) {
    const Entry *e = g_ptr_array_index (reg->entries, i);

    g_ptr_array_add (list, (gpointer) e->desc);
  }
  g_ptr_array_sort (list, compare_descs);
  return list;
}

const char *
synack_registry_origin (const SynackRegistry *reg,
                        const SynackPluginDesc *desc)
{
  g_return_val_if_fail (reg != NULL, NULL);

  for (guint i = 0; i < reg->entries->len; i++) {
    const Entry *e = g_ptr_array_index (reg->entries, i);

    if (e->desc == desc)
      return e->origin;
  }
  return NULL;
}

char *
synack_registry_suggest (const SynackRegistry *reg, SynackPluginKind kind,
                         const char *name)
{
  g_autoptr (GPtrArray) names = NULL;
  const char *best;

  g_return_val_if_fail (reg != NULL, NULL);
  if (name == NULL)
    return NULL;

  names = g_ptr_array_new ();
  for (guint i = 0; i < reg->entries->len; i++) {
    const Entry *e = g_ptr_array_index (reg->entries, i);

    if (e->desc->kind == kind)
      g_ptr_array_add (names, (gpointer) e->desc->name);
  }
  /* ties go to the first in name order */
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  best = synack_text_suggest (name, (const char *const *) names->pdata);
  return g_strdup (best);
}
