/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/config-load.c - reading a config file and --set options.
 *
 * Passes 1 to 3 of config-private.h: the line scan, GKeyFile, the sweep.
 * Every problem met is collected with its line and reported at once, in
 * line order. */
#include "config-private.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "sweep.h"
#include "text.h"

/* ---- every error at once ------------------------------------------------- */

/* One problem of a config, with the file line it is on (G_MAXUINT for a
 * --set, which comes after the file). */
typedef struct {
  guint   line;
  GError *error;
} Problem;

static void
problem_clear (gpointer data)
{
  g_clear_error (&((Problem *) data)->error);
}

static GArray *
problems_new (void)
{
  GArray *p = g_array_new (FALSE, FALSE, sizeof (Problem));

  g_array_set_clear_func (p, problem_clear);
  return p;
}

/* Takes @error (transfer full); the same message twice is kept once. */
void
config_problems_add (GArray *problems, const SynackConfig *cfg, GError *error)
{
  const char *m = error->message;
  gsize n = strlen (cfg->path);
  Problem pb = { G_MAXUINT, error };

  for (guint i = 0; i < problems->len; i++)
    if (strcmp (g_array_index (problems, Problem, i).error->message, m) == 0) {
      g_error_free (error);
      return;
    }
  if (strncmp (m, cfg->path, n) == 0 && m[n] == ':'
      && g_ascii_isdigit (m[n + 1]))
    pb.line = (guint) g_ascii_strtoull (m + n + 1, NULL, 10);
  else if (!g_str_has_prefix (m, "--set "))
    pb.line = 0;   /* about the whole file */
  g_array_append_val (problems, pb);
}

static gint
compare_problems (gconstpointer a, gconstpointer b)
{
  guint la = ((const Problem *) a)->line, lb = ((const Problem *) b)->line;

  return la < lb ? -1 : la > lb;
}

/* Sets @error to every problem, one a line, in file order (the first one's
 * code); FALSE if there were any. */
static gboolean
problems_report (GArray *problems, GError **error)
{
  GString *all;
  GError *first;

  if (problems->len == 0)
    return TRUE;
  /* stable (GLib >= 2.32): one line's problems keep their order */
  g_array_sort (problems, compare_problems);
  first = g_array_index (problems, Problem, 0).error;
  all = g_string_new (first->message);
  for (guint i = 1; i < problems->len; i++)
    g_string_append_printf (all, "\n%s",
                            g_array_index (problems, Problem, i)
                            .error->message);
  g_set_error_literal (error, first->domain, first->code, all->str);
  g_string_free (all, TRUE);
  return FALSE;
}

/* ---- loading ------------------------------------------------------------- */

/* [sweep] zip and constraint: how the swept keys combine (points.h), not
 * keys to sweep.  Returns: FALSE when @key is neither. */
static gboolean
put_sweep_rule (SynackConfig *cfg, const char *key, const char *value,
                guint line, const char *set_text)
{
  char **text, **set;
  guint *at;

  if (strcmp (key, "zip") == 0) {
    text = &cfg->zip, set = &cfg->zip_set, at = &cfg->zip_line;
  } else if (strcmp (key, "constraint") == 0) {
    text = &cfg->constraint, set = &cfg->constraint_set;
    at = &cfg->constraint_line;
  } else {
    return FALSE;
  }
  g_free (*text);
  g_free (*set);
  *text = g_strdup (value);
  *set = g_strdup (set_text);
  *at = line;
  return TRUE;
}

/* Adds or replaces sweep key @full ("link.loss.p") with the values of @text.
 * @line (in the file) or @set_text (a --set) say where it came from. */
static gboolean
put_sweep_key (SynackConfig *cfg, const char *full, const char *text,
               guint line, const char *set_text, GError **error)
{
  Val sv = { full, text, "sweep", full, line, set_text, FALSE };
  g_autoptr (GError) sub = NULL;
  SweepKey *k;
  guint sec;
  const char *key;
  gint old;

  if (!config_split_full_key (full, &sec, &key)
      || !config_key_is_known (sec, key)) {
    g_autoptr (GPtrArray) all = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *hint = NULL;

    for (guint s = 0; s < N_SECTIONS; s++) {
      g_autoptr (GPtrArray) names = config_key_candidates (cfg->reg, s, TRUE);

      for (guint i = 0; names->pdata[i] != NULL; i++)
        g_ptr_array_add (all, g_strdup (names->pdata[i]));
    }
    g_ptr_array_add (all, NULL);
    hint = config_did_you_mean (full, (const char *const *) all->pdata);
    config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
                      "no such key to sweep (write SECTION.KEY, e.g. "
                      "link.loss.p)%s", hint);
    return FALSE;
  }
  if (config_key_is_set_once (sec, key)) {
    config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP,
                      "%s is set once per experiment; it cannot be swept",
                      full);
    return FALSE;
  }
  k = g_new0 (SweepKey, 1);
  k->values = synack_sweep_expand (text, &k->text, &sub);
  if (k->values == NULL) {
    config_sweep_key_free (k);
    config_val_error (cfg, &sv, error, SYNACK_CONFIG_ERROR_BAD_SWEEP, "%s",
                      sub->message);
    return FALSE;
  }
  k->full = g_strdup (full);
  k->sec = sec;
  k->key = g_strdup (key);
  k->line = line;
  k->set_text = g_strdup (set_text);
  old = config_find_sweep_key (cfg, full);
  if (old >= 0) {
    config_sweep_key_free (cfg->sweep->pdata[old]);
    cfg->sweep->pdata[old] = k;
  } else {
    g_ptr_array_add (cfg->sweep, k);
  }
  return TRUE;
}

/* "FILE:LINE: [SEC] KEY: MESSAGE", "FILE:LINE: [SEC]: MESSAGE" without a
 * key, "FILE:LINE: KEY: MESSAGE" outside any section. */
G_GNUC_PRINTF (7, 8) static void
line_error (const SynackConfig *cfg, GError **error, SynackConfigError code,
            guint line, const char *sec, const char *key, const char *format,
            ...)
{
  g_autoptr (GString) where = g_string_new (NULL);
  g_autofree char *msg = NULL;
  va_list args;

  va_start (args, format);
  msg = g_strdup_vprintf (format, args);
  va_end (args);
  if (sec != NULL)
    g_string_append_printf (where, " [%s]%s", sec, key != NULL ? "" : ":");
  if (key != NULL)
    g_string_append_printf (where, " %s:", key);
  g_set_error (error, SYNACK_CONFIG_ERROR, code, "%s:%u:%s %s", cfg->path, line,
               where->str, msg);
}

typedef struct {
  guint sec;
  char *key;
  guint line;
} KeyLine;

static void
key_line_clear (gpointer data)
{
  g_free (((KeyLine *) data)->key);
}

/* Pass 1: checks every line and records where each key is; writes the text
 * GKeyFile will read into @clean (same lines, ';' comments made '#'). */
static gboolean
scan_lines (SynackConfig *cfg, const char *text, GString *clean, GArray *keys,
            GArray *problems)
{
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_autoptr (GHashTable) seen
      = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint section_line[N_SECTIONS + 1] = { 0 };
  const char *sec_name = NULL;
  guint sec = 0;
  gboolean skip_section = FALSE;   /* keys of a bad [section] line */
  GError *error = NULL;

  for (guint i = 0; lines[i] != NULL; i++) {
    guint lineno = i + 1;
    char *line = lines[i];
    gsize len = strlen (line);
    g_autofree char *key = NULL;
    g_autofree char *id = NULL;
    char *s, *eq;
    guint first;

    if (len > 0 && line[len - 1] == '\r')
      line[--len] = '\0';
    /* a UTF-8 byte order mark */
    if (i == 0 && g_str_has_prefix (line, "\xef\xbb\xbf"))
      line += 3;
    if (!g_utf8_validate (line, -1, NULL)) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, sec_name,
                  NULL, "the line is not valid UTF-8");
      config_problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    for (s = line; g_ascii_isspace (*s); s++)
      ;
    if (*s == '\0' || *s == '#' || *s == ';') {
      g_string_append (clean, *s == '\0' ? "\n" : "#\n");
      continue;
    }
    if (*s == '[') {
      char *end = strchr (s, ']');
      g_autofree char *name = NULL;

      if (end == NULL || end[1 + strspn (end + 1, " \t")] != '\0') {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, NULL, NULL,
                    "\"%s\" is not a [section] line", s);
        config_problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      name = g_strndup (s + 1, end - s - 1);
      if (!synack_text_index (config_section_names, name, &sec)) {
        g_autofree char *hint
            = config_did_you_mean (name, config_section_names);
        g_autofree char *list
            = g_strjoinv (", ", (char **) config_section_names);

        line_error (cfg, &error, SYNACK_CONFIG_ERROR_UNKNOWN_SECTION, lineno,
                    name, NULL, "unknown section%s (sections: %s)", hint, list);
        config_problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      if (section_line[sec] != 0) {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_DUPLICATE_KEY, lineno,
                    name, NULL, "section given twice (first at line %u)",
                    section_line[sec]);
        config_problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        skip_section = TRUE;
        continue;
      }
      section_line[sec] = lineno;
      skip_section = FALSE;
      sec_name = config_section_names[sec];
      g_string_append_printf (clean, "[%s]\n", name);
      continue;
    }
    if (skip_section) {
      g_string_append (clean, "#\n");
      continue;
    }
    eq = strchr (s, '=');
    if (eq == NULL || eq == s) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, sec_name,
                  NULL,
                  "\"%s\" is not \"key = value\", a [section] or a comment", s);
      config_problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    key = g_strstrip (g_strndup (s, eq - s));
    if (sec_name == NULL) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_SYNTAX, lineno, NULL, key,
                  "a key before any [section]");
      config_problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    id = g_strdup_printf ("%u\n%s", sec, key);
    first = GPOINTER_TO_UINT (g_hash_table_lookup (seen, id));
    if (first != 0) {
      line_error (cfg, &error, SYNACK_CONFIG_ERROR_DUPLICATE_KEY, lineno,
                  sec_name, key,
                  "key given twice in this section (first at line %u)", first);
      config_problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    g_hash_table_insert (seen, g_steal_pointer (&id),
                         GUINT_TO_POINTER (lineno));
    if (sec == SEC_SWEEP) {
      /* checked in pass 3, but GKeyFile must never meet a key it refuses */
      if (!config_is_name_chars (key)) {
        line_error (cfg, &error, SYNACK_CONFIG_ERROR_BAD_SWEEP, lineno,
                    sec_name, key, "no such key to sweep (write SECTION.KEY, "
                    "e.g. link.loss.p)");
        config_problems_add (problems, cfg, g_steal_pointer (&error));
        g_string_append (clean, "#\n");
        continue;
      }
    } else if (!config_key_is_known (sec, key)) {
      g_autoptr (GPtrArray) names
          = config_key_candidates (cfg->reg, sec, FALSE);
      g_autofree char *hint
          = config_did_you_mean (key, (const char *const *) names->pdata);

      line_error (cfg, &error, SYNACK_CONFIG_ERROR_UNKNOWN_KEY, lineno,
                  sec_name, key, "unknown key%s", hint);
      config_problems_add (problems, cfg, g_steal_pointer (&error));
      g_string_append (clean, "#\n");
      continue;
    }
    g_array_append_val (keys,
                        ((KeyLine){ sec, g_steal_pointer (&key), lineno }));
    g_string_append_printf (clean, "%s\n", s);
  }
  return TRUE;
}

/* TRUE if every '\' in @raw starts an escape g_key_file_get_string()
 * takes: \s \n \t \r \\. */
static gboolean
has_good_escapes (const char *raw)
{
  for (const char *p = raw; *p != '\0'; p++)
    if (*p == '\\') {
      p++;
      if (*p == '\0' || strchr ("sntr\\", *p) == NULL)
        return FALSE;
    }
  return TRUE;
}

SynackConfig *
synack_config_load_data (const char *text, const char *name,
                         SynackRegistry *reg, GError **error)
{
  g_autoptr (SynackConfig) cfg = NULL;
  g_autoptr (GString) clean = g_string_new (NULL);
  g_autoptr (GArray) keys = g_array_new (FALSE, TRUE, sizeof (KeyLine));
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  g_autoptr (GArray) problems = problems_new ();
  GError *sub = NULL;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (name != NULL, NULL);
  g_return_val_if_fail (reg != NULL, NULL);

  /* every pass goes on past a problem, so the user gets all of them, in
   * line order, at once */
  cfg = config_new (name, reg);
  g_array_set_clear_func (keys, key_line_clear);
  scan_lines (cfg, text, clean, keys, problems);

  g_key_file_set_list_separator (kf, ',');
  if (!g_key_file_load_from_data (kf, clean->str, clean->len, G_KEY_FILE_NONE,
                                  &sub)) {
    /* the scan should have caught whatever GKeyFile refuses */
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "%s: %s", cfg->path, sub->message);
    g_error_free (sub);
    return NULL;
  }
  for (guint i = 0; i < keys->len; i++) {
    const KeyLine *kl = &g_array_index (keys, KeyLine, i);
    const char *group = config_section_names[kl->sec];
    g_autofree char *raw = g_key_file_get_value (kf, group, kl->key, NULL);
    g_autofree char *value = NULL;

    /* GKeyFile returns the raw text *and* an error for a bad escape; and
     * for a bad one followed by a trailing '\' it sets its GError twice
     * (GLib warns), so bad escapes are caught here before it sees them */
    if (raw == NULL || !has_good_escapes (raw)
        || (value = g_key_file_get_string (kf, config_section_names[kl->sec],
                                           kl->key, &sub))
               == NULL
        || sub != NULL) {
      GError *bad = NULL;

      g_clear_error (&sub);
      line_error (cfg, &bad, SYNACK_CONFIG_ERROR_BAD_VALUE, kl->line, group,
                  kl->key, "\"%s\" has a bad escape sequence (GKeyFile "
                  "takes \\s \\n \\t \\r and \\\\ for one backslash)",
                  raw != NULL ? g_strstrip (raw) : "");
      config_problems_add (problems, cfg, bad);
      continue;
    }
    g_strstrip (value);
    if (kl->sec == SEC_SWEEP) {
      if (put_sweep_rule (cfg, kl->key, value, kl->line, NULL))
        continue;
      if (!put_sweep_key (cfg, kl->key, value, kl->line, NULL, &sub))
        config_problems_add (problems, cfg, g_steal_pointer (&sub));
    } else {
      config_put_entry (cfg, kl->sec, kl->key, value, kl->line, NULL);
    }
  }
  if (!config_finish_all (cfg, problems)) {
    problems_report (problems, error);
    return NULL;
  }
  return g_steal_pointer (&cfg);
}

SynackConfig *
synack_config_load_file (const char *path, SynackRegistry *reg, GError **error)
{
  g_autofree char *text = NULL;
  gsize len = 0;
  FILE *f;
  int saved;

  g_return_val_if_fail (path != NULL, NULL);

  /* stdio rather than g_file_get_contents() for the plain
   * "FILE: No such file or directory" message */
  f = fopen (path, "rb");
  if (f != NULL) {
    GString *buf = g_string_new (NULL);
    char chunk[8192];
    size_t n;

    /* a config is a page or two; stop at a bound so that /dev/zero or a
     * huge file is an error, not all of memory */
    while ((n = fread (chunk, 1, sizeof chunk, f)) > 0
           && buf->len <= SYNACK_CONFIG_MAX_BYTES)
      g_string_append_len (buf, chunk, n);
    saved = ferror (f) ? errno : 0;
    fclose (f);
    if (saved == 0 && buf->len > SYNACK_CONFIG_MAX_BYTES) {
      g_string_free (buf, TRUE);
      g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_IO,
                   "%s: longer than %u bytes: not a config file", path,
                   SYNACK_CONFIG_MAX_BYTES);
      return NULL;
    }
    len = buf->len;
    text = g_string_free (buf, FALSE);
  } else {
    saved = errno;
  }
  if (saved != 0) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_IO, "%s: %s",
                 path, g_strerror (saved));
    return NULL;
  }
  if (memchr (text, '\0', len) != NULL) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "%s: contains a NUL byte: not a text file", path);
    return NULL;
  }
  return synack_config_load_data (text, path, reg, error);
}

/* ---- --set --------------------------------------------------------------- */

/* The full key ("link.loss.p") an assignment sets, sweep or not, and where
 * its value starts. (transfer full) */
static char *
assignment_key (const char *text, const char **value)
{
  const char *eq = strchr (text, '=');
  char *full;

  if (eq == NULL)
    return NULL;
  full = g_strstrip (g_strndup (text, eq - text));
  *value = eq + 1;
  while (g_ascii_isspace (**value))
    (*value)++;
  return full;
}

/* Applies one --set to @cfg without checking the whole config. */
static gboolean
apply_set (SynackConfig *cfg, const char *text, GError **error)
{
  g_autofree char *full = NULL;
  const char *value = NULL, *key;
  guint sec;

  /* a file is checked line by line (scan_lines); a --set value goes into
   * config.ini as well, which must load again (found by tests/fuzz) */
  if (!g_utf8_validate (text, -1, NULL)) {
    g_autofree char *shown = g_utf8_make_valid (text, -1);

    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "--set %s: not valid UTF-8", shown);
    return FALSE;
  }
  full = assignment_key (text, &value);
  if (full == NULL) {
    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                 "--set %s: expected SECTION.KEY=VALUE", text);
    return FALSE;
  }
  if (g_str_has_prefix (full, "sweep.") &&
      put_sweep_rule (cfg, full + strlen ("sweep."), value, 0, text))
    return TRUE;
  if (g_str_has_prefix (full, "sweep."))
    return put_sweep_key (cfg, full + strlen ("sweep."), value, 0, text, error);
  if (!config_split_full_key (full, &sec, &key)) {
    g_autofree char *first = g_strndup (full, strcspn (full, "."));
    g_autofree char *hint = config_did_you_mean (first, config_section_names);

    g_set_error (error, SYNACK_CONFIG_ERROR,
                 SYNACK_CONFIG_ERROR_UNKNOWN_SECTION,
                 "--set %s: no section \"%s\"%s (write SECTION.KEY=VALUE)",
                 text, first, hint);
    return FALSE;
  }
  if (!config_key_is_known (sec, key)) {
    g_autoptr (GPtrArray) names = config_key_candidates (cfg->reg, sec, TRUE);
    g_autofree char *hint
        = config_did_you_mean (full, (const char *const *) names->pdata);

    g_set_error (error, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_UNKNOWN_KEY,
                 "--set %s: unknown key \"%s\"%s", text, full, hint);
    return FALSE;
  }
  {
    gint old = config_find_sweep_key (cfg, full);

    /* a single value replaces the sweep of that key */
    if (old >= 0)
      g_ptr_array_remove_index (cfg->sweep, old);
  }
  config_put_entry (cfg, sec, key, value, 0, text);
  return TRUE;
}

gboolean
synack_config_set (SynackConfig *cfg, const char *assignment, GError **error)
{
  const char *one[] = { assignment, NULL };

  return synack_config_set_all (cfg, one, error);
}

gboolean
synack_config_set_all (SynackConfig *cfg, const char *const *assignments,
                       GError **error)
{
  g_autoptr (SynackConfig) next = NULL;
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal,
                                                       g_free, g_free);
  g_autoptr (GArray) problems = problems_new ();
  SynackConfig swap;

  g_return_val_if_fail (cfg != NULL, FALSE);

  /* all of them, then one check: so their order cannot matter, and a key
   * set twice (or set and swept) is an error rather than "last wins";
   * every problem is reported, not only the first */
  next = config_clone (cfg);
  for (guint i = 0; assignments != NULL && assignments[i] != NULL; i++) {
    g_autofree char *text = g_strstrip (g_strdup (assignments[i]));
    const char *value = NULL;
    g_autofree char *full = assignment_key (text, &value);
    const char *bare = full;
    const char *first;
    GError *sub = NULL;

    if (bare != NULL && g_str_has_prefix (bare, "sweep."))
      bare += strlen ("sweep.");
    first = bare != NULL ? g_hash_table_lookup (seen, bare) : NULL;
    if (first != NULL) {
      g_set_error (&sub, SYNACK_CONFIG_ERROR, SYNACK_CONFIG_ERROR_SYNTAX,
                   "--set %s: %s is already set by --set %s; give it once",
                   text, bare, first);
      config_problems_add (problems, next, sub);
      continue;
    }
    if (bare != NULL)
      g_hash_table_insert (seen, g_strdup (bare), g_strdup (text));
    if (!apply_set (next, text, &sub))
      config_problems_add (problems, next, sub);
  }
  if (!config_finish_all (next, problems))
    return problems_report (problems, error);
  swap = *cfg;
  *cfg = *next;
  *next = swap;
  return TRUE;
}
