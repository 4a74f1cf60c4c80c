/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/plugin-file.h - is a file a plugin dlopen() can map? (private
 * to libsynack; the registry asks before it opens a plugin). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Checks that @file is a regular file and, on ELF systems, a shared object
 * of this machine whose headers and segments are all within the file, so
 * dlopen() can map it without reading past its end.  Returns: FALSE with
 * @error (SYNACK_REGISTRY_ERROR_OPEN or _BAD_FILE) naming @path, @file as
 * the user wrote it. */
G_GNUC_INTERNAL
gboolean synack_plugin_file_check (const char *file, const char *path,
                                   GError **error);

G_END_DECLS
