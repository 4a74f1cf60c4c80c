/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/engine/text.c - "did you mean" suggestions, CSV cells, atomic file
 * writes.
 *
 * The edit distance is the textbook Levenshtein dynamic programme kept to two
 * rows (O(|b|) memory); names compared here are config keys and plugin
 * names, a few dozen bytes, so the rows live on the stack unless a string is
 * unusually long.  Atomic writes are g_file_set_contents_full() with
 * G_FILE_SET_CONTENTS_CONSISTENT: a temporary file in the same directory
 * renamed over @path, so a reader or a killed batch never sees half a file.
 * That also keeps a planted symlink harmless: the temporary is created with
 * O_CREAT|O_EXCL (g_mkstemp_full(), a fresh random name), and rename()
 * replaces a symlink at @path instead of writing to its target
 * (tests/test-hostile.c).
 * Not DURABLE: an fsync per file (one per run for samples/) protects against
 * power loss, not the interruptions synack promises to survive, and cost
 * a quarter of a 10^4-attempt run. */
#include "text.h"

#include <string.h>

#define STACK_ROW 128

gboolean
synack_text_index (const char *const *names, const char *name, guint *index)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (g_strcmp0 (name, names[i]) == 0) {
      *index = i;
      return TRUE;
    }
  return FALSE;
}

guint
synack_text_edit_distance (const char *a, const char *b)
{
  g_return_val_if_fail (a != NULL && b != NULL, G_MAXUINT);

  gsize la = strlen (a), lb = strlen (b);
  guint stack[2 * STACK_ROW];
  guint *heap = NULL, *prev, *cur;

  if (lb + 1 > STACK_ROW)
    heap = g_new (guint, 2 * (lb + 1));
  prev = heap != NULL ? heap : stack;
  cur = prev + lb + 1;

  for (gsize j = 0; j <= lb; j++)
    prev[j] = j;
  for (gsize i = 1; i <= la; i++) {
    cur[0] = i;
    for (gsize j = 1; j <= lb; j++) {
      guint del = prev[j] + 1, ins = cur[j - 1] + 1;
      guint sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
      guint best = del < ins ? del : ins;
      cur[j] = sub < best ? sub : best;
    }
    guint *t = prev;
    prev = cur;
    cur = t;
  }
  guint d = prev[lb];
  g_free (heap);
  return d;
}

const char *
synack_text_suggest (const char *word, const char *const *candidates)
{
  g_return_val_if_fail (word != NULL, NULL);

  guint limit = MAX (2, (guint) (strlen (word) / 3));
  const char *best = NULL;
  guint best_d = G_MAXUINT;

  for (gsize i = 0; candidates != NULL && candidates[i] != NULL; i++) {
    guint d = synack_text_edit_distance (word, candidates[i]);
    if (d < best_d) {                     /* strict: ties keep the earlier */
      best = candidates[i];
      best_d = d;
    }
  }
  return best_d <= limit ? best : NULL;
}

void
synack_text_csv_append (GString *out, const char *field)
{
  g_return_if_fail (out != NULL);

  if (field == NULL)
    return;
  if (strpbrk (field, ",\"\r\n") == NULL) {
    g_string_append (out, field);
    return;
  }
  g_string_append_c (out, '"');
  for (const char *p = field; *p != '\0'; p++) {
    if (*p == '"')
      g_string_append_c (out, '"');
    g_string_append_c (out, *p);
  }
  g_string_append_c (out, '"');
}

gboolean
synack_text_write_atomic (const char *path, const char *contents, gssize length,
                          GError **error)
{
  GError *local = NULL;

  g_return_val_if_fail (path != NULL, FALSE);
  /* an empty GArray or GString may have no buffer at all: NULL with a
   * length of 0 or -1 is an empty file */
  g_return_val_if_fail (contents != NULL || length <= 0, FALSE);

  if (g_file_set_contents_full (path, contents ? contents : "", length,
                                G_FILE_SET_CONTENTS_CONSISTENT, 0644, &local))
    return TRUE;
  /* GLib names the temporary file ("PATH.XXXXXX") or the rename, which
   * contain @path; prefix it only when the message does not. */
  if (strstr (local->message, path) == NULL)
    g_propagate_prefixed_error (error, local, "%s: ", path);
  else
    g_propagate_error (error, local);
  return FALSE;
}
