/* SPDX-License-Identifier: GPL-3.0-or-later */
/* experiments/points.c - sweep points: product, zip, constraint (see
 * points.h).
 *
 * The constraint grammar, loosest first (C's precedence and OMNeT++'s):
 *
 *   expr    := and ( "||" and )*
 *   and     := not ( "&&" not )*
 *   not     := "!" not | compare
 *   compare := sum [ ( "==" | "!=" | "<" | "<=" | ">" | ">=" ) sum ]
 *   sum     := product ( ( "+" | "-" ) product )*
 *   product := unary ( ( "*" | "/" ) unary )*
 *   unary   := "-" unary | atom
 *   atom    := NUMBER [UNIT] | "text" | 'text' | KEY | $KEY | true | false |
 * "(" expr ")"
 *
 * KEY is a swept key (link.loss.p); its value at the point is a number
 * when it reads as one (with a unit: ns us ms s m h for durations, /s /ms
 * /m /h for rates), else text.  Numbers compare with numbers of the same
 * dimension (50ms < 0.1s is true; 50ms < 0.1 is an error), text with
 * text; arithmetic needs numbers. */
#include "points.h"

#include <math.h>
#include <string.h>

#include "text.h"

G_DEFINE_QUARK (synack-points-error-quark, synack_points_error)

struct _SynackPoints {
  guint  n_keys;
  guint  n_points;
  guint *index;     /* [n_points * n_keys]: value index of each key */
};

/* ---- the expression ------------------------------------------------------ */

typedef enum {
  T_END,
  T_NUM,
  T_STR,
  T_KEY,
  T_OP,
  T_TRUE,
  T_FALSE,
  T_LP,
  T_RP
} TokKind;

typedef struct {
  TokKind kind;
  char   *text;   /* T_NUM, T_STR, T_OP */
  guint   key;    /* T_KEY */
} Tok;

typedef enum { V_BOOL, V_NUM, V_STR } ValKind;
typedef enum { DIM_NONE, DIM_TIME, DIM_RATE } Dim;

typedef struct {
  ValKind     kind;
  gboolean    b;
  double      num;
  Dim         dim;
  const char *str;
} Value;

typedef struct {
  GArray            *toks;
  guint              pos;
  const char *const *values;   /* of the point being evaluated */
  const char *const *keys;
  GError           **error;
} Parser;

static void
tok_clear (gpointer p)
{
  g_free (((Tok *) p)->text);
}

/* A number with an optional unit: "0.2", "50ms", "100/s". */
static gboolean
parse_quantity (const char *text, double *num, Dim *dim)
{
  static const struct { const char *unit; Dim dim; double factor; } units[] = {
    { "", DIM_NONE, 1 }, { "ns", DIM_TIME, 1e-9 }, { "us", DIM_TIME, 1e-6 },
    { "ms", DIM_TIME, 1e-3 }, { "s", DIM_TIME, 1 }, { "m", DIM_TIME, 60 },
    { "h", DIM_TIME, 3600 }, { "/s", DIM_RATE, 1 }, { "/ms", DIM_RATE, 1e3 },
    { "/m", DIM_RATE, 1.0 / 60 }, { "/h", DIM_RATE, 1.0 / 3600 },
  };
  char *end;
  double v;

  if (!(g_ascii_isdigit (text[0]) || text[0] == '.' ||
        ((text[0] == '-' || text[0] == '+') &&
         (g_ascii_isdigit (text[1]) || text[1] == '.'))))
    return FALSE;
  v = g_ascii_strtod (text, &end);
  if (end == text || !isfinite (v))
    return FALSE;
  for (guint u = 0; u < G_N_ELEMENTS (units); u++)
    if (strcmp (end, units[u].unit) == 0) {
      *num = v * units[u].factor;
      *dim = units[u].dim;
      return TRUE;
    }
  return FALSE;
}

static gboolean
is_key_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.';
}

static GArray *
tokenize (const char *text, guint n_keys, const char *const *keys,
          GError **error)
{
  g_autoptr (GArray) toks = g_array_new (FALSE, TRUE, sizeof (Tok));
  const char *p = text;

  g_array_set_clear_func (toks, tok_clear);
  for (;;) {
    Tok t = { T_END, NULL, 0 };

    while (g_ascii_isspace (*p))
      p++;
    if (*p == '\0') {
      g_array_append_val (toks, t);
      return g_steal_pointer (&toks);
    }
    if (g_ascii_isdigit (*p) || (*p == '.' && g_ascii_isdigit (p[1]))) {
      const char *s = p;
      double num;
      Dim dim;

      while (g_ascii_isalnum (*p) || *p == '.' || *p == '/' ||
             ((*p == '-' || *p == '+') && (p[-1] == 'e' || p[-1] == 'E')))
        p++;
      t.kind = T_NUM;
      t.text = g_strndup (s, (gsize) (p - s));
      if (!parse_quantity (t.text, &num, &dim)) {
        g_set_error (
          error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
          "\"%s\" is not a number (units: ns us ms s m h, /s /ms /m /h)",
          t.text);
        g_free (t.text);
        return NULL;
      }
    } else if (*p == '"' || *p == '\'') {
      char q = *p++;
      const char *s = p;

      while (*p && *p != q)
        p++;
      if (*p != q) {
        g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
                     "a text opened with %c is not closed", q);
        return NULL;
      }
      t.kind = T_STR;
      t.text = g_strndup (s, (gsize) (p - s));
      p++;
    } else if (*p == '$' || g_ascii_isalpha (*p) || *p == '_') {
      const char *s = (*p == '$') ? ++p : p;
      g_autofree char *name = NULL;
      guint k;

      while (is_key_char (*p))
        p++;
      name = g_strndup (s, (gsize) (p - s));
      if (strcmp (name, "true") == 0 || strcmp (name, "false") == 0) {
        t.kind = name[0] == 't' ? T_TRUE : T_FALSE;
      } else {
        for (k = 0; k < n_keys && strcmp (keys[k], name) != 0; k++)
          ;
        if (k == n_keys) {
          const char *hint = synack_text_suggest (name, keys);

          g_set_error (error, SYNACK_POINTS_ERROR,
                       SYNACK_POINTS_ERROR_UNKNOWN_KEY,
                       "%s is not a swept key%s%s%s", name,
                       hint ? "; did you mean \"" : "", hint ? hint : "",
                       hint ? "\"?" : "");
          return NULL;
        }
        t.kind = T_KEY;
        t.key = k;
      }
    } else if (*p == '(' || *p == ')') {
      t.kind = *p++ == '(' ? T_LP : T_RP;
    } else {
      static const char *const ops[] = {
        "||", "&&", "==", "!=", "<=", ">=", "<", ">", "!", "+", "-", "*", "/"
      };
      guint o;

      for (o = 0;
           o < G_N_ELEMENTS (ops) && strncmp (p, ops[o], strlen (ops[o])) != 0;
           o++)
        ;
      if (o == G_N_ELEMENTS (ops)) {
        g_set_error (
          error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
          "unexpected \"%c\" (operators: || && ! == != < <= > >= + - * /)",
          *p);
        return NULL;
      }
      t.kind = T_OP;
      t.text = g_strdup (ops[o]);
      p += strlen (ops[o]);
    }
    g_array_append_val (toks, t);
  }
}

static const Tok *
peek (Parser *ps)
{
  return &g_array_index (ps->toks, Tok, ps->pos);
}

static gboolean
peek_op (Parser *ps, const char *op)
{
  const Tok *t = peek (ps);

  return t->kind == T_OP && strcmp (t->text, op) == 0;
}

static const char *
tok_text (const Tok *t)
{
  switch (t->kind) {
    case T_END: return "the end";
    case T_LP: return "(";
    case T_RP: return ")";
    case T_TRUE: return "true";
    case T_FALSE: return "false";
    default: return t->text ? t->text : "a key";
  }
}

static gboolean expr (Parser *ps, Value *out);

static const char *
kind_name (const Value *v)
{
  return v->kind == V_BOOL    ? "true/false"
         : v->kind == V_STR   ? "text"
         : v->dim == DIM_TIME ? "a duration"
         : v->dim == DIM_RATE ? "a rate"
                              : "a number";
}

static gboolean
type_error (Parser *ps, const char *op, const Value *a, const Value *b)
{
  g_set_error (ps->error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_TYPE,
               "%s of %s and %s", op, kind_name (a),
               b ? kind_name (b) : "nothing");
  return FALSE;
}

static gboolean
atom (Parser *ps, Value *out)
{
  const Tok *t = peek (ps);

  memset (out, 0, sizeof *out);
  switch (t->kind) {
    case T_NUM:
      out->kind = V_NUM;
      parse_quantity (t->text, &out->num, &out->dim);
      ps->pos++;
      return TRUE;
    case T_STR:
      out->kind = V_STR;
      out->str = t->text;
      ps->pos++;
      return TRUE;
    case T_TRUE:
    case T_FALSE:
      out->kind = V_BOOL;
      out->b = t->kind == T_TRUE;
      ps->pos++;
      return TRUE;
    case T_KEY: {
      const char *v = ps->values[t->key];

      ps->pos++;
      if (parse_quantity (v, &out->num, &out->dim)) {
        out->kind = V_NUM;
      } else if (strcmp (v, "true") == 0 || strcmp (v, "false") == 0) {
        out->kind = V_BOOL;
        out->b = v[0] == 't';
      } else {
        out->kind = V_STR;
        out->str = v;
      }
      return TRUE;
    }
    case T_LP:
      ps->pos++;
      if (!expr (ps, out))
        return FALSE;
      if (peek (ps)->kind != T_RP) {
        g_set_error (ps->error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
                     "expected \")\" before %s", tok_text (peek (ps)));
        return FALSE;
      }
      ps->pos++;
      return TRUE;
    default:
      g_set_error (ps->error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
                   "expected a key, a number or a text before %s",
                   tok_text (t));
      return FALSE;
  }
}

static gboolean
unary (Parser *ps, Value *out)
{
  if (peek_op (ps, "-")) {
    ps->pos++;
    if (!unary (ps, out))
      return FALSE;
    if (out->kind != V_NUM)
      return type_error (ps, "minus", out, NULL);
    out->num = -out->num;
    return TRUE;
  }
  return atom (ps, out);
}

static gboolean
arith (Parser *ps, const char *op, Value *a, const Value *b)
{
  if (a->kind != V_NUM || b->kind != V_NUM)
    return type_error (ps, op, a, b);
  switch (op[0]) {
    case '+':
    case '-':
      if (a->dim != b->dim)
        return type_error (ps, op, a, b);
      a->num = op[0] == '+' ? a->num + b->num : a->num - b->num;
      return TRUE;
    case '*':
      if (a->dim != DIM_NONE && b->dim != DIM_NONE)
        return type_error (ps, op, a, b);
      a->num *= b->num;
      a->dim = a->dim != DIM_NONE ? a->dim : b->dim;
      return TRUE;
    default:
      if (b->dim != DIM_NONE && b->dim != a->dim)
        return type_error (ps, op, a, b);
      a->num /= b->num;
      a->dim = b->dim == a->dim ? DIM_NONE : a->dim;
      return TRUE;
  }
}

static gboolean
product (Parser *ps, Value *out)
{
  if (!unary (ps, out))
    return FALSE;
  while (peek_op (ps, "*") || peek_op (ps, "/")) {
    const char *op = peek (ps)->text;
    Value b;

    ps->pos++;
    if (!unary (ps, &b) || !arith (ps, op, out, &b))
      return FALSE;
  }
  return TRUE;
}

static gboolean
sum (Parser *ps, Value *out)
{
  if (!product (ps, out))
    return FALSE;
  while (peek_op (ps, "+") || peek_op (ps, "-")) {
    const char *op = peek (ps)->text;
    Value b;

    ps->pos++;
    if (!product (ps, &b) || !arith (ps, op, out, &b))
      return FALSE;
  }
  return TRUE;
}

static gboolean
compare (Parser *ps, Value *out)
{
  static const char *const ops[] = { "==", "!=", "<=", ">=", "<", ">" };
  Value b;
  int c;
  guint o;

  if (!sum (ps, out))
    return FALSE;
  for (o = 0; o < G_N_ELEMENTS (ops) && !peek_op (ps, ops[o]); o++)
    ;
  if (o == G_N_ELEMENTS (ops))
    return TRUE;
  ps->pos++;
  if (!sum (ps, &b))
    return FALSE;
  if (out->kind != b.kind || (out->kind == V_NUM && out->dim != b.dim) ||
      (out->kind == V_BOOL && o >= 2))
    return type_error (ps, ops[o], out, &b);
  if (out->kind == V_NUM)
    c = out->num < b.num ? -1 : out->num > b.num;
  else if (out->kind == V_STR)
    c = strcmp (out->str, b.str);
  else
    c = (int) out->b - (int) b.b;
  out->kind = V_BOOL;
  out->b = o == 0 ? c == 0 : o == 1 ? c != 0 : o == 2 ? c <= 0 : o == 3 ? c >= 0
         : o == 4 ? c < 0 : c > 0;
  return TRUE;
}

static gboolean
not_ (Parser *ps, Value *out)
{
  if (peek_op (ps, "!")) {
    ps->pos++;
    if (!not_ (ps, out))
      return FALSE;
    if (out->kind != V_BOOL)
      return type_error (ps, "!", out, NULL);
    out->b = !out->b;
    return TRUE;
  }
  return compare (ps, out);
}

static gboolean
and_ (Parser *ps, Value *out)
{
  if (!not_ (ps, out))
    return FALSE;
  while (peek_op (ps, "&&")) {
    Value b;

    ps->pos++;
    if (!not_ (ps, &b))
      return FALSE;
    if (out->kind != V_BOOL || b.kind != V_BOOL)
      return type_error (ps, "&&", out, &b);
    out->b = out->b && b.b;
  }
  return TRUE;
}

static gboolean
expr (Parser *ps, Value *out)
{
  if (!and_ (ps, out))
    return FALSE;
  while (peek_op (ps, "||")) {
    Value b;

    ps->pos++;
    if (!and_ (ps, &b))
      return FALSE;
    if (out->kind != V_BOOL || b.kind != V_BOOL)
      return type_error (ps, "||", out, &b);
    out->b = out->b || b.b;
  }
  return TRUE;
}

/* Evaluates tokenized @toks at @values. */
static gboolean
eval_toks (GArray *toks, const char *const *keys, const char *const *values,
           gboolean *result, GError **error)
{
  Parser ps = { toks, 0, values, keys, error };
  Value v;

  if (!expr (&ps, &v))
    return FALSE;
  if (peek (&ps)->kind != T_END) {
    g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_SYNTAX,
                 "unexpected %s", tok_text (peek (&ps)));
    return FALSE;
  }
  if (v.kind != V_BOOL) {
    g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_TYPE,
                 "is %s, not true or false", kind_name (&v));
    return FALSE;
  }
  *result = v.b;
  return TRUE;
}

gboolean
synack_points_eval (const char *constraint, guint n_keys,
                    const char *const *keys, const char *const *values,
                    gboolean *result, GError **error)
{
  g_autoptr (GArray) toks = tokenize (constraint, n_keys, keys, error);

  return toks != NULL && eval_toks (toks, keys, values, result, error);
}

/* ---- the points ---------------------------------------------------------- */

SynackPoints *
synack_points_new (guint n_keys, const char *const *keys,
                   GPtrArray *const *values, const char *zip,
                   const char *constraint, GError **error)
{
  g_autofree guint *group = g_new (guint, MAX (n_keys, 1));
  g_autofree gboolean *zipped = g_new0 (gboolean, MAX (n_keys, 1));
  g_autoptr (GArray) dims =
    g_array_new (FALSE, FALSE, sizeof (guint)); /* first key of each */
  g_autoptr (GArray) toks = NULL;
  g_autofree guint *digit = NULL;
  g_autofree const char **vals = g_new0 (const char *, n_keys + 1);
  g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));
  SynackPoints *pts;
  guint64 candidates = 1;

  for (guint k = 0; k < n_keys; k++)
    group[k] = k;   /* alone */
  if (zip != NULL) {
    g_auto (GStrv) groups = g_strsplit (zip, ";", -1);

    for (guint g = 0; groups[g]; g++) {
      g_auto (GStrv) names = g_strsplit (groups[g], ",", -1);
      g_autoptr (GArray) members = g_array_new (FALSE, FALSE, sizeof (guint));
      guint first = G_MAXUINT;

      if (g_strv_length (names) < 2) {
        g_set_error (
          error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
          "\"%s\": a zip group needs two keys or more, separated by commas",
          g_strstrip (groups[g]));
        return NULL;
      }
      for (guint i = 0; names[i]; i++) {
        const char *name = g_strstrip (names[i]);
        guint k;

        for (k = 0; k < n_keys && strcmp (keys[k], name) != 0; k++)
          ;
        if (k == n_keys) {
          const char *hint = synack_text_suggest (name, keys);

          g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
                       "%s is not a swept key%s%s%s", name,
                       hint ? "; did you mean \"" : "", hint ? hint : "",
                       hint ? "\"?" : "");
          return NULL;
        }
        if (zipped[k]) {
          g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
                       "%s is zipped twice", name);
          return NULL;
        }
        zipped[k] = TRUE;
        if (first == G_MAXUINT) {
          first = k;
          continue;
        }
        if (values[k]->len != values[first]->len) {
          g_set_error (
            error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_ZIP,
            "%s has %u values and %s %u: zipped keys advance together, so "
            "they need as many",
            keys[first], values[first]->len, name, values[k]->len);
          return NULL;
        }
        g_array_append_val (members, k);
      }
      /* the group takes the place of its key written first in [sweep] */
      g_array_append_val (members, first);
      {
        guint leader = G_MAXUINT;

        for (guint m = 0; m < members->len; m++)
          leader = MIN (leader, g_array_index (members, guint, m));
        for (guint m = 0; m < members->len; m++)
          group[g_array_index (members, guint, m)] = leader;
      }
    }
  }
  for (guint k = 0; k < n_keys; k++)
    if (group[k] == k) {
      g_array_append_val (dims, k);
      candidates *= values[k]->len;
      if (candidates > SYNACK_POINTS_MAX) {
        g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_TOO_MANY,
                     "the sweep has more than %u points", SYNACK_POINTS_MAX);
        return NULL;
      }
    }
  if (constraint != NULL &&
      (toks = tokenize (constraint, n_keys, keys, error)) == NULL)
    return NULL;
  digit = g_new0 (guint, dims->len + 1);
  for (guint64 c = 0; c < candidates; c++) {
    gboolean keep = TRUE;

    /* mixed radix, the last dimension fastest */
    guint64 rest = c;

    for (guint d = dims->len; d-- > 0;) {
      guint n = values[g_array_index (dims, guint, d)]->len;

      digit[d] = (guint) (rest % n);
      rest /= n;
    }
    if (toks != NULL) {
      for (guint k = 0; k < n_keys; k++) {
        guint d;

        for (d = 0; g_array_index (dims, guint, d) != group[k]; d++)
          ;
        vals[k] = values[k]->pdata[digit[d]];
      }
      if (!eval_toks (toks, keys, vals, &keep, error)) {
        GString *at = g_string_new (NULL);

        for (guint k = 0; k < n_keys; k++)
          g_string_append_printf (at, "%s%s=%s", k ? " " : "", keys[k],
                                  vals[k]);
        g_prefix_error (error, "at %s: ", at->str);
        g_string_free (at, TRUE);
        return NULL;
      }
    }
    if (keep) {
      guint cc = (guint) c;

      g_array_append_val (kept, cc);
    }
  }
  if (kept->len == 0) {
    g_set_error (error, SYNACK_POINTS_ERROR, SYNACK_POINTS_ERROR_EMPTY,
                 "the constraint keeps none of the %" G_GUINT64_FORMAT
                 " points",
                 candidates);
    return NULL;
  }
  pts = g_new0 (SynackPoints, 1);
  pts->n_keys = n_keys;
  pts->n_points = kept->len;
  pts->index = g_new (guint, (gsize) kept->len * MAX (n_keys, 1));
  for (guint p = 0; p < kept->len; p++) {
    guint64 rest = g_array_index (kept, guint, p);

    for (guint d = dims->len; d-- > 0;) {
      guint n = values[g_array_index (dims, guint, d)]->len;

      digit[d] = (guint) (rest % n);
      rest /= n;
    }
    for (guint k = 0; k < n_keys; k++) {
      guint d;

      for (d = 0; g_array_index (dims, guint, d) != group[k]; d++)
        ;
      pts->index[(gsize) p * n_keys + k] = digit[d];
    }
  }
  return pts;
}

void
synack_points_free (SynackPoints *pts)
{
  if (pts == NULL)
    return;
  g_free (pts->index);
  g_free (pts);
}

guint
synack_points_count (const SynackPoints *pts)
{
  return pts->n_points;
}

guint
synack_points_value (const SynackPoints *pts, guint point, guint key)
{
  g_return_val_if_fail (point < pts->n_points && key < pts->n_keys, 0);
  return pts->index[(gsize) point * pts->n_keys + key];
}
