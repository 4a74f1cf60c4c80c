/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/text.h - small text helpers shared by the loader, the
 * registry and the trace writers: "did you mean" suggestions and CSV
 * quoting. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Returns: TRUE and sets *@index if @name is in the NULL-terminated
 * @names (an enum's names in enum order). */
gboolean    synack_text_index (const char *const *names, const char *name,
                               guint *index);

/* Levenshtein distance between @a and @b (bytes, case-sensitive). */
guint       synack_text_edit_distance (const char *a, const char *b);

/* Returns: (transfer none) (nullable) the candidate closest to @word by edit
 * distance, if it is close enough to be a plausible misspelling (distance
 * <= max(2, strlen(word) / 3)); NULL otherwise.  Ties go to the earlier
 * candidate.  @candidates: NULL-terminated. */
const char *synack_text_suggest (const char *word,
                                 const char *const *candidates);

/* Appends @field to @out as one CSV cell: quoted with "" doubled when it
 * holds a comma, a quote or a line break; as is otherwise. */
void        synack_text_csv_append (GString *out, const char *field);

/* Writes @contents to @path atomically (temp file in the same directory,
 * then rename), so a reader never sees a half-written file.
 * Returns: FALSE with @error naming @path. */
gboolean    synack_text_write_atomic (const char *path, const char *contents,
                                      gssize length, GError **error);

G_END_DECLS
