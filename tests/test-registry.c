/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/test-registry.c - core/network/registry.c and plugin-file.c: loading
 * and finding plugins.
 *
 * Covers: synack_registry_add() with descriptors defined here (a good one,
 * and a row per way to be refused: ABI, duplicate, no vtable, missing
 * function, bad parameter table, bad kind or name); the names of kinds and
 * causes; loading the 12 built-in plugins from $SYNACK_PLUGIN_PATH (the
 * build tree's models/.libs) and creating each loss and delay model from
 * its real module; the broken plugins of $SYNACK_TEST_PLUGINS (tests/.libs)
 * and files that are no module, each refused with its code and a message
 * starting with the path; damaged copies of a real plugin (truncated,
 * wrong class, byte order, type or machine, a directory, a symlink loop, a
 * FIFO), refused before dlopen() sees them; a directory mixing good and bad plugins; "did
 * you mean" suggestions; and SYNACK_PLUGIN_PATH with a missing directory
 * or shadowing the built-in directory. */
#include <elf.h>
#include <link.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "plugin.h"
#include "protocol.h"
#include "registry.h"

/* ---- descriptors defined here ---------------------------------------------------- */

static gpointer
dummy_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  return g_new0 (guint64, 1);
}

static gboolean
dummy_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return FALSE;
}

static SynackTime
dummy_sample (gpointer self, const SynackSegment *seg, SynackTime now)
{
  return 0;
}

static void
dummy_destroy (gpointer self)
{
  g_free (self);
}

static const SynackLossVtable loss_vt = { dummy_create, dummy_drop, dummy_destroy };
static const SynackLossVtable loss_vt_no_drop = { dummy_create, NULL, dummy_destroy };
static const SynackDelayVtable delay_vt = { dummy_create, dummy_sample, dummy_destroy };

static const SynackParamSpec params_good[] = {
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "a probability", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec params_none[] = {
  { NULL }
};
static const SynackParamSpec params_twice[] = {
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "a probability", 0, 0, NULL },
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "the same again", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec params_empty_name[] = {
  { "", SYNACK_PARAM_PROBABILITY, "0", "", "no name", 0, 0, NULL },
  { NULL }
};
static const SynackParamSpec params_bad_default[] = {
  { "t", SYNACK_PARAM_DURATION, "10", "s", "no unit", 0, 0, NULL },
  { NULL }
};

#define LOSS_DESC(abi, name, params, vtable) \
  { abi, SYNACK_PLUGIN_LOSS, name, "test descriptor", params, .vt.loss = vtable }
#define DELAY_DESC(name) \
  { SYNACK_PLUGIN_ABI_VERSION, SYNACK_PLUGIN_DELAY, name, "test descriptor", params_none, .vt.delay = &delay_vt }

static const SynackPluginDesc desc_good = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "good", params_good, &loss_vt);
static const SynackPluginDesc desc_good_again = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "good", params_none, &loss_vt);
static const SynackPluginDesc desc_good_delay = DELAY_DESC ("good");
static const SynackPluginDesc desc_abi7 = LOSS_DESC (7, "old", params_good, &loss_vt);
static const SynackPluginDesc desc_no_vt = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "novt", params_good, NULL);
static const SynackPluginDesc desc_no_drop = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "nodrop", params_good, &loss_vt_no_drop);
static const SynackPluginDesc desc_twice = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "twice", params_twice, &loss_vt);
static const SynackPluginDesc desc_empty_name = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "anon", params_empty_name, &loss_vt);
static const SynackPluginDesc desc_bad_default = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "baddef", params_bad_default, &loss_vt);
static const SynackPluginDesc desc_no_params = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "noparams", NULL, &loss_vt);
static const SynackPluginDesc desc_no_name = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, NULL, params_good, &loss_vt);
static const SynackPluginDesc desc_empty = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "", params_good, &loss_vt);
static const SynackPluginDesc desc_bad_kind = {
  SYNACK_PLUGIN_ABI_VERSION, (SynackPluginKind) 0, "nokind", "test descriptor", params_good, .vt.loss = &loss_vt
};

/* ---- synack_registry_add --------------------------------------------------------- */

typedef struct {
  const char             *path;
  const SynackPluginDesc *first;        /* (nullable) registered before, from "first.so" */
  const SynackPluginDesc *desc;
  const char             *origin;       /* (nullable) */
  gint                    code;         /* SynackRegistryError, -1: accepted */
  const char             *message;
} AddCase;

static const AddCase add_cases[] = {
  /* path                                 first       desc               origin       code */
  { "/registry/add/good",                 NULL,       &desc_good,        "test",      -1, NULL },
  { "/registry/add/null-origin",          NULL,       &desc_good,        NULL,        -1, NULL },
  { "/registry/add/same-name-other-kind", &desc_good, &desc_good_delay,  "test",      -1, NULL },
  { "/registry/add/abi",                  NULL,       &desc_abi7,        "test",      SYNACK_REGISTRY_ERROR_ABI,
    "test: built for plugin ABI 7, this synack uses 4; rebuild the plugin" },
  { "/registry/add/duplicate",            &desc_good, &desc_good_again,  "second.so", SYNACK_REGISTRY_ERROR_DUPLICATE,
    "second.so: loss \"good\" is already registered from first.so" },
  { "/registry/add/duplicate-same-desc",  &desc_good, &desc_good,        "second.so", SYNACK_REGISTRY_ERROR_DUPLICATE,
    "second.so: loss \"good\" is already registered from first.so" },
  { "/registry/add/no-vtable",            NULL,       &desc_no_vt,       "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"novt\" has no vtable or a vtable with a required function missing" },
  { "/registry/add/no-drop",              NULL,       &desc_no_drop,     "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"nodrop\" has no vtable or a vtable with a required function missing" },
  { "/registry/add/param-twice",          NULL,       &desc_twice,       "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"twice\": parameter \"p\" is declared twice" },
  { "/registry/add/param-empty-name",     NULL,       &desc_empty_name,  "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"anon\": parameter 1 has an empty name" },
  { "/registry/add/param-bad-default",    NULL,       &desc_bad_default, "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"baddef\": parameter \"t\": default: \"10\" has no unit" },
  { "/registry/add/no-params",            NULL,       &desc_no_params,   "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: loss \"noparams\" has no parameter table (an empty one is { NULL })" },
  { "/registry/add/no-name",              NULL,       &desc_no_name,     "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: the descriptor has no name" },
  { "/registry/add/empty-name",           NULL,       &desc_empty,       "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: the descriptor has no name" },
  { "/registry/add/bad-kind",             NULL,       &desc_bad_kind,    "test",      SYNACK_REGISTRY_ERROR_INVALID,
    "test: unknown plugin kind 0" },
};

static void
test_add (gconstpointer data)
{
  const AddCase *ac = data;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  gboolean ok;

  if (ac->first != NULL)
    g_assert_true (synack_registry_add (reg, ac->first, "first.so", NULL));
  ok = synack_registry_add (reg, ac->desc, ac->origin, &error);
  list = synack_registry_list (reg);

  if (ac->code < 0) {
    g_assert_no_error (error);
    g_assert_true (ok);
    g_assert_true (synack_registry_lookup (reg, ac->desc->kind, ac->desc->name) == ac->desc);
    g_assert_cmpstr (synack_registry_origin (reg, ac->desc), ==,
                     ac->origin != NULL ? ac->origin : "built-in");
    g_assert_cmpuint (list->len, ==, ac->first != NULL ? 2 : 1);
  } else {
    g_assert_false (ok);
    g_assert_error (error, SYNACK_REGISTRY_ERROR, ac->code);
    if (strncmp (error->message, ac->message, strlen (ac->message)) != 0)
      g_error ("message \"%s\" does not start with \"%s\"", error->message, ac->message);
    g_assert_cmpuint (list->len, ==, ac->first != NULL ? 1 : 0);
    if (ac->first != NULL)
      g_assert_true (synack_registry_lookup (reg, ac->first->kind, ac->first->name) == ac->first);
  }
}

/* ---- lookup, list, origin ---------------------------------------------------------- */

static const SynackPluginDesc desc_loss_list = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "list", params_none, &loss_vt);
static const SynackPluginDesc desc_loss_bernoulli = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "bernoulli", params_none, &loss_vt);
static const SynackPluginDesc desc_loss_none = LOSS_DESC (SYNACK_PLUGIN_ABI_VERSION, "none", params_none, &loss_vt);
static const SynackPluginDesc desc_delay_constant = DELAY_DESC ("constant");
static const SynackPluginDesc desc_delay_uniform = DELAY_DESC ("uniform");

/* Registered out of order on purpose. */
static SynackRegistry *
registry_with_names (void)
{
  const SynackPluginDesc *descs[] = {
    &desc_loss_list, &desc_delay_uniform, &desc_loss_bernoulli, &desc_delay_constant, &desc_loss_none,
  };
  SynackRegistry *reg = synack_registry_new ();

  for (guint i = 0; i < G_N_ELEMENTS (descs); i++)
    g_assert_true (synack_registry_add (reg, descs[i], descs[i]->name, NULL));
  return reg;
}

static void
test_list_sorted (void)
{
  g_autoptr (SynackRegistry) reg = registry_with_names ();
  g_autoptr (GPtrArray) list = synack_registry_list (reg);
  const SynackPluginDesc *want[] = {
    &desc_delay_constant, &desc_delay_uniform, &desc_loss_bernoulli, &desc_loss_list, &desc_loss_none,
  };

  g_assert_cmpuint (list->len, ==, G_N_ELEMENTS (want));
  for (guint i = 0; i < G_N_ELEMENTS (want); i++)
    g_assert_true (g_ptr_array_index (list, i) == want[i]);
}

typedef struct {
  const char      *path;
  SynackPluginKind kind;
  const char      *name;
  gboolean         found;
} LookupCase;

static const LookupCase lookup_cases[] = {
  { "/registry/lookup/loss-none",       SYNACK_PLUGIN_LOSS,     "none",      TRUE },
  { "/registry/lookup/delay-constant",  SYNACK_PLUGIN_DELAY,    "constant",  TRUE },
  { "/registry/lookup/wrong-kind",      SYNACK_PLUGIN_DELAY,    "none",      FALSE },
  { "/registry/lookup/unknown",         SYNACK_PLUGIN_LOSS,     "gilbert",   FALSE },
  { "/registry/lookup/protocol",        SYNACK_PLUGIN_PROTOCOL, "tcp3way",   FALSE },
  { "/registry/lookup/case-sensitive",  SYNACK_PLUGIN_LOSS,     "None",      FALSE },
};

static void
test_lookup (gconstpointer data)
{
  const LookupCase *lc = data;
  g_autoptr (SynackRegistry) reg = registry_with_names ();
  const SynackPluginDesc *desc = synack_registry_lookup (reg, lc->kind, lc->name);

  if (!lc->found) {
    g_assert_null (desc);
    return;
  }
  g_assert_nonnull (desc);
  g_assert_cmpint (desc->kind, ==, lc->kind);
  g_assert_cmpstr (desc->name, ==, lc->name);
  g_assert_cmpstr (synack_registry_origin (reg, desc), ==, lc->name);
}

static void
test_origin_unknown (void)
{
  g_autoptr (SynackRegistry) reg = registry_with_names ();

  g_assert_null (synack_registry_origin (reg, &desc_good));
}

static void
test_free_null (void)
{
  synack_registry_free (NULL);
}

/* ---- suggestions ------------------------------------------------------------------- */

typedef struct {
  const char      *path;
  SynackPluginKind kind;
  const char      *word;
  const char      *want;    /* NULL: no suggestion */
} SuggestCase;

static const SuggestCase suggest_cases[] = {
  { "/registry/suggest/bernouli",       SYNACK_PLUGIN_LOSS,     "bernouli",  "bernoulli" },
  { "/registry/suggest/bernoully",      SYNACK_PLUGIN_LOSS,     "bernoully", "bernoulli" },
  { "/registry/suggest/nne",            SYNACK_PLUGIN_LOSS,     "nne",       "none" },
  { "/registry/suggest/constnat",       SYNACK_PLUGIN_DELAY,    "constnat",  "constant" },
  { "/registry/suggest/other-kind",     SYNACK_PLUGIN_DELAY,    "bernouli",  NULL },
  { "/registry/suggest/far",            SYNACK_PLUGIN_LOSS,     "xyzzyxyzzy", NULL },
  { "/registry/suggest/empty-kind",     SYNACK_PLUGIN_PROTOCOL, "tcp3way",   NULL },
};

static void
test_suggest (gconstpointer data)
{
  const SuggestCase *sc = data;
  g_autoptr (SynackRegistry) reg = registry_with_names ();
  g_autofree char *got = synack_registry_suggest (reg, sc->kind, sc->word);

  g_assert_cmpstr (got, ==, sc->want);
}

/* ---- kind and cause names ---------------------------------------------------------- */

typedef struct {
  const char      *path;
  SynackPluginKind kind;
  const char      *name;
} KindCase;

static const KindCase kind_cases[] = {
  { "/registry/kind/delay",    SYNACK_PLUGIN_DELAY,    "delay" },
  { "/registry/kind/loss",     SYNACK_PLUGIN_LOSS,     "loss" },
  { "/registry/kind/protocol", SYNACK_PLUGIN_PROTOCOL, "protocol" },
};

static void
test_kind (gconstpointer data)
{
  const KindCase *kc = data;
  SynackPluginKind kind = 0;

  g_assert_cmpstr (synack_plugin_kind_name (kc->kind), ==, kc->name);
  g_assert_true (synack_plugin_kind_parse (kc->name, &kind));
  g_assert_cmpint (kind, ==, kc->kind);
}

static void
test_kind_bad (void)
{
  SynackPluginKind kind = SYNACK_PLUGIN_LOSS;

  g_assert_cmpstr (synack_plugin_kind_name ((SynackPluginKind) 0), ==, "?");
  g_assert_cmpstr (synack_plugin_kind_name ((SynackPluginKind) 9), ==, "?");
  g_assert_false (synack_plugin_kind_parse ("Loss", &kind));
  g_assert_false (synack_plugin_kind_parse ("", &kind));
  g_assert_false (synack_plugin_kind_parse (NULL, &kind));
  g_assert_cmpint (kind, ==, SYNACK_PLUGIN_LOSS);
}

typedef struct {
  const char *path;
  SynackCause cause;
  const char *name;
} CauseCase;

static const CauseCase cause_cases[] = {
  { "/registry/cause/rcv",        SYNACK_CAUSE_RCV,        "rcv" },
  { "/registry/cause/ignored",    SYNACK_CAUSE_IGNORED,    "ignored rcv" },
  { "/registry/cause/app-open",   SYNACK_CAUSE_APP_OPEN,   "app open" },
  { "/registry/cause/app-close",  SYNACK_CAUSE_APP_CLOSE,  "app close" },
  { "/registry/cause/timeout",    SYNACK_CAUSE_TIMEOUT,    "timeout" },
  { "/registry/cause/time-wait",  SYNACK_CAUSE_TIME_WAIT,  "time_wait expired" },
  { "/registry/cause/fin-wait-2", SYNACK_CAUSE_FIN_WAIT_2, "fin_wait_2 timeout" },
  { "/registry/cause/backlog",    SYNACK_CAUSE_BACKLOG,    "backlog full" },
  { "/registry/cause/syncookie",  SYNACK_CAUSE_SYNCOOKIE,  "syncookie sent" },
  { "/registry/cause/syncookie-ack", SYNACK_CAUSE_SYNCOOKIE_ACK, "rcv syncookie ACK" },
  { "/registry/cause/out-of-range", SYNACK_CAUSE_N,        "?" },
};

static void
test_cause (gconstpointer data)
{
  const CauseCase *cc = data;

  g_assert_cmpstr (synack_cause_name (cc->cause), ==, cc->name);
}

/* ---- files: helpers ---------------------------------------------------------------- */

/* The first directory of $SYNACK_PLUGIN_PATH, or NULL (the test is then
 * skipped: it runs under `make check`, which sets it). */
static char *
builtin_plugin_dir (void)
{
  const char *env = g_getenv ("SYNACK_PLUGIN_PATH");
  g_auto (GStrv) dirs = NULL;

  if (env == NULL || env[0] == '\0') {
    g_test_skip ("SYNACK_PLUGIN_PATH is not set (make check sets it to models/.libs)");
    return NULL;
  }
  dirs = g_strsplit (env, G_SEARCHPATH_SEPARATOR_S, 2);
  return g_strdup (dirs[0]);
}

static char *
test_plugin_dir (void)
{
  const char *env = g_getenv ("SYNACK_TEST_PLUGINS");

  if (env == NULL || env[0] == '\0') {
    g_test_skip ("SYNACK_TEST_PLUGINS is not set (make check sets it to tests/.libs)");
    return NULL;
  }
  return g_strdup (env);
}

static void
copy_file (const char *from_dir, const char *from_name, const char *to_dir, const char *to_name)
{
  g_autofree char *from = g_build_filename (from_dir, from_name, NULL);
  g_autofree char *to = g_build_filename (to_dir, to_name, NULL);
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  gsize len;

  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (to, contents, len, &error);
  g_assert_no_error (error);
}

static void
write_file (const char *dir, const char *name, const char *contents)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;

  g_file_set_contents (path, contents, -1, &error);
  g_assert_no_error (error);
}

static char *
tmp_dir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("synack-test-registry-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

/* Removes @dir and the files, links and empty directories in it. */
static void
tmp_dir_remove (char *dir)
{
  g_autoptr (GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  while (d != NULL && (name = g_dir_read_name (d)) != NULL) {
    g_autofree char *path = g_build_filename (dir, name, NULL);

    g_remove (path);
  }
  g_rmdir (dir);
  g_free (dir);
}

/* @message starts with "@path: " then @rest (or anything if @rest is NULL). */
static void
assert_names_path (const char *message, const char *path, const char *rest)
{
  g_autofree char *want = g_strdup_printf ("%s: %s", path, rest != NULL ? rest : "");

  if (strncmp (message, want, strlen (want)) != 0)
    g_error ("message \"%s\" does not start with \"%s\"", message, want);
}

/* ---- the built-in plugins ---------------------------------------------------------- */

static const char *const builtin_plugins[] = {
  /* as synack_registry_list() orders them: kind, then name */
  "delay-constant", "delay-exponential", "delay-lognormal", "delay-normal", "delay-pareto",
  "delay-uniform",
  "loss-bernoulli", "loss-gilbert-elliott", "loss-list", "loss-none",
  "protocol-tcp2way", "protocol-tcp2way-isn", "protocol-tcp3way", "protocol-tcpfastopen",
};

static void
test_builtin_all (void)
{
  g_autofree char *dir = builtin_plugin_dir ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autoptr (GPtrArray) list = NULL;
  g_autoptr (GString) got = g_string_new (NULL);
  g_autoptr (GString) want = g_string_new (NULL);
  guint n;

  if (dir == NULL)
    return;
  n = synack_registry_load_dir (reg, dir, errors);
  for (guint i = 0; i < errors->len; i++)
    g_test_message ("error: %s", ((GError *) g_ptr_array_index (errors, i))->message);
  g_assert_cmpuint (errors->len, ==, 0);

  /* compared as text, so a failure shows which plugin is missing */
  list = synack_registry_list (reg);
  for (guint i = 0; i < list->len; i++) {
    const SynackPluginDesc *desc = g_ptr_array_index (list, i);
    g_autofree char *stem = g_strdup_printf ("%s-%s", synack_plugin_kind_name (desc->kind), desc->name);
    g_autofree char *file = g_strdup_printf ("%s.%s", stem, G_MODULE_SUFFIX);
    g_autofree char *origin = g_build_filename (dir, file, NULL);

    g_string_append_printf (got, "%s%s", got->len ? " " : "", stem);
    g_assert_cmpstr (synack_registry_origin (reg, desc), ==, origin);
  }
  for (guint i = 0; i < G_N_ELEMENTS (builtin_plugins); i++)
    g_string_append_printf (want, "%s%s", want->len ? " " : "", builtin_plugins[i]);
  g_assert_cmpstr (got->str, ==, want->str);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (builtin_plugins));
}

/* Each loss and delay model, from its real module: create with the
 * defaults, run, destroy. */
static void
test_builtin_model (gconstpointer data)
{
  const char *stem = data;
  g_autofree char *dir = builtin_plugin_dir ();
  g_autofree char *file = g_strdup_printf ("%s.%s", stem, G_MODULE_SUFFIX);
  g_autofree char *path = NULL;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (SynackParams) params = NULL;
  g_autoptr (SynackRng) rng = synack_rng_new (1, "test.registry");
  const SynackPluginDesc *desc;
  SynackSegment seg = { .flags = SYNACK_FLAG_SYN };
  SynackPluginKind kind;
  g_autofree char *kind_text = g_strndup (stem, strcspn (stem, "-"));
  gpointer self;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, file, NULL);
  g_assert_true (synack_registry_load_file (reg, path, &error));
  g_assert_no_error (error);
  g_assert_true (synack_plugin_kind_parse (kind_text, &kind));
  desc = synack_registry_lookup (reg, kind, stem + strlen (kind_text) + 1);
  g_assert_nonnull (desc);
  g_assert_cmpstr (synack_registry_origin (reg, desc), ==, path);

  params = synack_params_new (desc->params);
  if (kind == SYNACK_PLUGIN_LOSS) {
    self = desc->vt.loss->create (params, rng, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 100; i++)
      desc->vt.loss->drop (self, &seg, i);
    desc->vt.loss->destroy (self);
  } else if (kind == SYNACK_PLUGIN_DELAY) {
    self = desc->vt.delay->create (params, rng, &error);
    g_assert_no_error (error);
    for (guint i = 0; i < 100; i++)
      g_assert_cmpint (desc->vt.delay->sample (self, &seg, i), >=, 0);
    desc->vt.delay->destroy (self);
  }
}

/* ---- refused files ----------------------------------------------------------------- */

typedef struct {
  const char *path;
  const char *file;       /* in $SYNACK_TEST_PLUGINS, or written with @contents */
  const char *contents;   /* (nullable) write @file with this text in a temp dir */
  gint        code;
  const char *rest;       /* the message after "PATH: " */
} FileCase;

static const FileCase file_cases[] = {
  { "/registry/file/bad-abi",    "loss-badabi.so",    NULL, SYNACK_REGISTRY_ERROR_ABI,
    "built for plugin ABI 999, this synack uses 4" },
  { "/registry/file/no-symbol",  "loss-nosymbol.so",  NULL, SYNACK_REGISTRY_ERROR_NO_SYMBOL,
    "not a synack plugin: no symbol synack_plugin_loss_nosymbol_describe" },
  { "/registry/file/misnamed",   "delay-misnamed.so", NULL, SYNACK_REGISTRY_ERROR_MISMATCH,
    "describes loss \"other\", so the file should be named loss-other.so" },
  { "/registry/file/not-a-module", "loss-text.so",    "this is no shared object\n", SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: not an ELF file (no \\177ELF magic)" },
  { "/registry/file/no-suffix",  "loss-text.txt",     "text\n", SYNACK_REGISTRY_ERROR_OPEN,
    "not a plugin: the name does not end in .so" },
  { "/registry/file/missing",    "loss-missing.so",   NULL, SYNACK_REGISTRY_ERROR_OPEN,
    "cannot open: No such file or directory" },
};

static void
test_file (gconstpointer data)
{
  const FileCase *fc = data;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *path = NULL;
  char *tmp = NULL;

  if (fc->contents != NULL || strcmp (fc->file, "loss-missing.so") == 0) {
    tmp = tmp_dir_new ();
    if (fc->contents != NULL)
      write_file (tmp, fc->file, fc->contents);
    path = g_build_filename (tmp, fc->file, NULL);
  } else {
    g_autofree char *dir = test_plugin_dir ();

    if (dir == NULL)
      return;
    path = g_build_filename (dir, fc->file, NULL);
  }

  g_assert_false (synack_registry_load_file (reg, path, &error));
  g_assert_error (error, SYNACK_REGISTRY_ERROR, fc->code);
  assert_names_path (error->message, path, fc->rest);
  list = synack_registry_list (reg);
  g_assert_cmpuint (list->len, ==, 0);
  if (tmp != NULL)
    tmp_dir_remove (tmp);
}

/* The same file twice: the second is a duplicate naming the first. */
static void
test_file_twice (void)
{
  g_autofree char *dir = builtin_plugin_dir ();
  g_autofree char *path = NULL;
  g_autofree char *rest = NULL;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, "loss-bernoulli." G_MODULE_SUFFIX, NULL);
  g_assert_true (synack_registry_load_file (reg, path, NULL));
  g_assert_false (synack_registry_load_file (reg, path, &error));
  g_assert_error (error, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_DUPLICATE);
  rest = g_strdup_printf ("loss \"bernoulli\" is already registered from %s", path);
  assert_names_path (error->message, path, rest);
  /* the first registration is untouched, its module still open */
  g_assert_nonnull (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli"));
  g_assert_cmpstr (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli")->name, ==, "bernoulli");
}

/* ---- damaged files: checked before dlopen() ------------------------------------------ */

/* A truncated .so made dlopen() mmap past the end of the file: SIGBUS, and
 * every command died at start (issue 9).  ELF layout: the System V gABI,
 * "ELF Header" and "Program Header" (e_ident, e_phoff, p_offset, p_filesz);
 * a segment past EOF faults on access, mmap(2) "SIGBUS".  Each row damages a
 * copy of a real plugin and must be refused, naming the file, and never
 * crash. */
typedef enum {
  DAMAGE_TRUNCATE,        /* cut to @arg bytes; -1: half; -2: size - 1 */
  DAMAGE_BYTE,            /* set byte @arg to @value */
  DAMAGE_MACHINE,         /* e_machine of another architecture */
  DAMAGE_DIRECTORY,       /* a directory named like a plugin */
  DAMAGE_LOOP,            /* a symlink to itself */
  DAMAGE_FIFO,            /* a named pipe: must not block */
} Damage;

typedef struct {
  const char *path;
  Damage      damage;
  gint64      arg;
  guint8      value;
  gint        code;
  const char *rest;       /* after "PATH: "; "%S" stands for the new size */
} DamageCase;

/* sizeof (ElfW (Ehdr)), checked in test_damaged() */
#if GLIB_SIZEOF_VOID_P == 8
#define HEADER_NEEDS "its ELF header needs 64)"
#else
#define HEADER_NEEDS "its ELF header needs 52)"
#endif

static const DamageCase damage_cases[] = {
  { "/registry/damaged/truncated-0", DAMAGE_TRUNCATE, 0, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, " HEADER_NEEDS },
  { "/registry/damaged/truncated-1", DAMAGE_TRUNCATE, 1, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, " HEADER_NEEDS },
  { "/registry/damaged/truncated-63", DAMAGE_TRUNCATE, 63, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, " HEADER_NEEDS },
  { "/registry/damaged/truncated-64", DAMAGE_TRUNCATE, 64, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, its program headers need " },
  { "/registry/damaged/truncated-half", DAMAGE_TRUNCATE, -1, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, its " },
  { "/registry/damaged/truncated-size-1", DAMAGE_TRUNCATE, -2, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: truncated (file is %S bytes, its " },
  { "/registry/damaged/magic", DAMAGE_BYTE, 1, 'X', SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: not an ELF file (no \\177ELF magic)" },
#if GLIB_SIZEOF_VOID_P == 8
  { "/registry/damaged/class", DAMAGE_BYTE, EI_CLASS, ELFCLASS32, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: a 32-bit ELF file, this synack is 64-bit" },
#else
  { "/registry/damaged/class", DAMAGE_BYTE, EI_CLASS, ELFCLASS64, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: a 64-bit ELF file, this synack is 32-bit" },
#endif
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
  { "/registry/damaged/byte-order", DAMAGE_BYTE, EI_DATA, ELFDATA2MSB, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: a big-endian ELF file, this synack is little-endian" },
#else
  { "/registry/damaged/byte-order", DAMAGE_BYTE, EI_DATA, ELFDATA2LSB, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: a little-endian ELF file, this synack is big-endian" },
#endif
  /* e_type is at offset 16 in either class, in the file's byte order */
  { "/registry/damaged/executable", DAMAGE_BYTE, G_BYTE_ORDER == G_LITTLE_ENDIAN ? 16 : 17, ET_EXEC,
    SYNACK_REGISTRY_ERROR_BAD_FILE, "not a plugin: ELF type 2, not a shared object (3)" },
  { "/registry/damaged/machine", DAMAGE_MACHINE, 0, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: built for ELF machine " },
  { "/registry/damaged/directory", DAMAGE_DIRECTORY, 0, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: a directory" },
  { "/registry/damaged/symlink-loop", DAMAGE_LOOP, 0, 0, SYNACK_REGISTRY_ERROR_OPEN,
    "cannot open: " },
  { "/registry/damaged/fifo", DAMAGE_FIFO, 0, 0, SYNACK_REGISTRY_ERROR_BAD_FILE,
    "not a plugin: not a regular file" },
};

/* Writes into @tmp a copy of the built-in loss-bernoulli.so damaged as @dc
 * says; returns its path, or NULL to skip. */
static char *
make_damaged (const DamageCase *dc, const char *tmp, gsize *new_size)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autofree char *from = NULL;
  g_autofree char *contents = NULL;
  char *path = g_build_filename (tmp, "loss-bernoulli." G_MODULE_SUFFIX, NULL);
  g_autoptr (GError) error = NULL;
  gsize len;

  if (builtin == NULL) {
    g_free (path);
    return NULL;
  }
  *new_size = 0;
  switch (dc->damage) {
  case DAMAGE_DIRECTORY:
    g_assert_cmpint (g_mkdir (path, 0755), ==, 0);
    return path;
  case DAMAGE_LOOP:
    g_assert_cmpint (symlink (path, path), ==, 0);
    return path;
  case DAMAGE_FIFO:
    g_assert_cmpint (mkfifo (path, 0644), ==, 0);
    return path;
  default:
    break;
  }
  from = g_build_filename (builtin, "loss-bernoulli." G_MODULE_SUFFIX, NULL);
  g_file_get_contents (from, &contents, &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, >, 128);
  *new_size = len;
  if (dc->damage == DAMAGE_TRUNCATE)
    *new_size = dc->arg == -1 ? len / 2 : dc->arg == -2 ? len - 1 : (gsize) dc->arg;
  else if (dc->damage == DAMAGE_BYTE)
    contents[dc->arg] = (char) dc->value;
  else if (dc->damage == DAMAGE_MACHINE) {
    /* e_machine, 2 bytes at offset 18 in the file's (our) byte order */
    guint16 m = EM_SPARC;

    memcpy (contents + 18, &m, sizeof m);
  }
  g_file_set_contents (path, contents, (gssize) *new_size, &error);
  g_assert_no_error (error);
  return path;
}

static void
test_damaged (gconstpointer data)
{
  const DamageCase *dc = data;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) list = NULL;
  g_autofree char *path = NULL;
  g_autofree char *size_text = NULL;
  g_autofree char *rest = NULL;
  g_auto (GStrv) parts = NULL;
  char *tmp = tmp_dir_new ();
  gsize size;

  path = make_damaged (dc, tmp, &size);
  if (path == NULL) {
    tmp_dir_remove (tmp);
    return;
  }
  size_text = g_strdup_printf ("%" G_GSIZE_FORMAT, size);
  parts = g_strsplit (dc->rest, "%S", -1);
  rest = g_strjoinv (size_text, parts);
  g_assert_cmpuint (sizeof (ElfW (Ehdr)), ==, GLIB_SIZEOF_VOID_P == 8 ? 64 : 52);

  g_assert_false (synack_registry_load_file (reg, path, &error));
  g_assert_error (error, SYNACK_REGISTRY_ERROR, dc->code);
  assert_names_path (error->message, path, rest);
  list = synack_registry_list (reg);
  g_assert_cmpuint (list->len, ==, 0);
  tmp_dir_remove (tmp);
}

/* The check refuses what is not a plugin, not what merely looks unusual: a
 * symlink to a good plugin (as packagers install them) still loads. */
static void
test_symlink_to_plugin (void)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *target = NULL;
  g_autofree char *link = NULL;
  char *tmp;

  if (builtin == NULL)
    return;
  tmp = tmp_dir_new ();
  target = g_build_filename (builtin, "loss-none.so", NULL);
  link = g_build_filename (tmp, "loss-none.so", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  g_assert_true (synack_registry_load_file (reg, link, &error));
  g_assert_no_error (error);
  g_assert_nonnull (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "none"));
  tmp_dir_remove (tmp);
}

/* In a directory, a damaged plugin is reported by name and skipped; the
 * plugins after it still load (what every command needs to start). */
static void
test_damaged_in_dir (void)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autofree char *bad = NULL;
  g_autofree char *want = NULL;
  g_autofree char *contents = NULL;
  g_autoptr (GError) error = NULL;
  char *tmp;
  gsize len;

  if (builtin == NULL)
    return;
  tmp = tmp_dir_new ();
  copy_file (builtin, "loss-bernoulli.so", tmp, "loss-bernoulli.so");
  copy_file (builtin, "loss-none.so", tmp, "loss-none.so");
  copy_file (builtin, "delay-constant.so", tmp, "delay-constant.so");
  /* "delay-constant" < "loss-bernoulli" < "loss-none": the cut one sits
   * between two good ones */
  bad = g_build_filename (tmp, "loss-bernoulli.so", NULL);
  g_file_get_contents (bad, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (bad, contents, (gssize) (len / 2), &error);
  g_assert_no_error (error);

  g_assert_cmpuint (synack_registry_load_dir (reg, tmp, errors), ==, 2);
  g_assert_cmpuint (errors->len, ==, 1);
  want = g_strdup_printf ("truncated (file is %" G_GSIZE_FORMAT " bytes, its ", len / 2);
  g_assert_error ((GError *) errors->pdata[0], SYNACK_REGISTRY_ERROR,
                  SYNACK_REGISTRY_ERROR_BAD_FILE);
  assert_names_path (((GError *) errors->pdata[0])->message, bad, "not a plugin: ");
  g_assert_nonnull (strstr (((GError *) errors->pdata[0])->message, want));
  g_assert_nonnull (synack_registry_lookup (reg, SYNACK_PLUGIN_DELAY, "constant"));
  g_assert_nonnull (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "none"));
  g_assert_null (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli"));
  tmp_dir_remove (tmp);
}

/* ---- directories ------------------------------------------------------------------- */

/* A directory with good and bad plugins and a file that is no plugin:
 * the good one is registered, each bad one reported, in name order. */
static void
test_dir_mixed (void)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autofree char *broken = builtin != NULL ? test_plugin_dir () : NULL;
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autofree char *good = NULL;
  const SynackPluginDesc *desc;
  char *tmp;
  GError *e;

  if (builtin == NULL || broken == NULL)
    return;
  tmp = tmp_dir_new ();
  copy_file (builtin, "loss-bernoulli.so", tmp, "loss-bernoulli.so");
  copy_file (broken, "loss-badabi.so", tmp, "loss-badabi.so");
  copy_file (broken, "delay-misnamed.so", tmp, "delay-misnamed.so");
  write_file (tmp, "README", "not a plugin: no .so suffix, never opened\n");

  g_assert_cmpuint (synack_registry_load_dir (reg, tmp, errors), ==, 1);
  g_assert_cmpuint (errors->len, ==, 2);
  e = g_ptr_array_index (errors, 0);
  g_assert_error (e, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_MISMATCH);
  g_assert_true (g_str_has_prefix (e->message, tmp));
  g_assert_nonnull (strstr (e->message, "delay-misnamed.so: "));
  e = g_ptr_array_index (errors, 1);
  g_assert_error (e, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_ABI);
  g_assert_nonnull (strstr (e->message, "loss-badabi.so: "));

  desc = synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli");
  g_assert_nonnull (desc);
  good = g_build_filename (tmp, "loss-bernoulli.so", NULL);
  g_assert_cmpstr (synack_registry_origin (reg, desc), ==, good);

  /* loading it again: every plugin is now a duplicate or still bad */
  g_ptr_array_set_size (errors, 0);
  g_assert_cmpuint (synack_registry_load_dir (reg, tmp, errors), ==, 0);
  g_assert_cmpuint (errors->len, ==, 3);
  g_assert_error ((GError *) g_ptr_array_index (errors, 2), SYNACK_REGISTRY_ERROR,
                  SYNACK_REGISTRY_ERROR_DUPLICATE);
  tmp_dir_remove (tmp);
}

static void
test_dir_missing (void)
{
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  char *tmp = tmp_dir_new ();
  g_autofree char *missing = g_build_filename (tmp, "no-such-dir", NULL);
  GError *e;

  g_assert_cmpuint (synack_registry_load_dir (reg, missing, errors), ==, 0);
  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_error (e, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN);
  assert_names_path (e->message, missing, "cannot read the plugin directory");
  /* a NULL error array is allowed */
  g_assert_cmpuint (synack_registry_load_dir (reg, missing, NULL), ==, 0);
  tmp_dir_remove (tmp);
}

/* ---- SYNACK_PLUGIN_PATH ------------------------------------------------------------ */

/* Runs with SYNACK_PLUGIN_PATH = @value, then puts the old value back. */
typedef struct {
  char    *old;
  gboolean had;
} SavedEnv;

static SavedEnv
env_set_plugin_path (const char *value)
{
  SavedEnv saved = { g_strdup (g_getenv ("SYNACK_PLUGIN_PATH")), g_getenv ("SYNACK_PLUGIN_PATH") != NULL };

  g_setenv ("SYNACK_PLUGIN_PATH", value, TRUE);
  return saved;
}

static void
env_restore (SavedEnv *saved)
{
  if (saved->had)
    g_setenv ("SYNACK_PLUGIN_PATH", saved->old, TRUE);
  else
    g_unsetenv ("SYNACK_PLUGIN_PATH");
  g_free (saved->old);
}

/* A missing directory in the path is reported, naming it; the others load. */
static void
test_path_missing_dir (void)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autofree char *missing = NULL;
  g_autofree char *value = NULL;
  SavedEnv saved;
  char *tmp;
  GError *e;

  if (builtin == NULL)
    return;
  tmp = tmp_dir_new ();
  copy_file (builtin, "loss-bernoulli.so", tmp, "loss-bernoulli.so");
  missing = g_build_filename (tmp, "missing", NULL);
  value = g_strjoin (G_SEARCHPATH_SEPARATOR_S, missing, tmp, NULL);

  saved = env_set_plugin_path (value);
  g_assert_cmpuint (synack_registry_load_path (reg, NULL, errors), ==, 1);
  env_restore (&saved);

  g_assert_cmpuint (errors->len, ==, 1);
  e = g_ptr_array_index (errors, 0);
  g_assert_error (e, SYNACK_REGISTRY_ERROR, SYNACK_REGISTRY_ERROR_OPEN);
  assert_names_path (e->message, missing, "no such directory (named in SYNACK_PLUGIN_PATH)");
  g_assert_nonnull (synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli"));
  tmp_dir_remove (tmp);
}

/* A plugin on the path shadows the built-in directory's file of the same
 * name, silently; the built-in directory supplies the rest. */
static void
test_path_shadows_builtin (void)
{
  g_autofree char *builtin = builtin_plugin_dir ();
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  g_autofree char *shadow = NULL;
  const SynackPluginDesc *desc;
  SavedEnv saved;
  char *tmp;
  guint n;

  if (builtin == NULL)
    return;
  tmp = tmp_dir_new ();
  copy_file (builtin, "loss-bernoulli.so", tmp, "loss-bernoulli.so");

  saved = env_set_plugin_path (tmp);
  n = synack_registry_load_path (reg, builtin, errors);
  env_restore (&saved);

  g_assert_cmpuint (errors->len, ==, 0);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (builtin_plugins));
  desc = synack_registry_lookup (reg, SYNACK_PLUGIN_LOSS, "bernoulli");
  shadow = g_build_filename (tmp, "loss-bernoulli.so", NULL);
  g_assert_cmpstr (synack_registry_origin (reg, desc), ==, shadow);
  tmp_dir_remove (tmp);
}

/* No SYNACK_PLUGIN_PATH, no built-in directory: nothing, no error. */
static void
test_path_empty (void)
{
  g_autoptr (SynackRegistry) reg = synack_registry_new ();
  g_autoptr (GPtrArray) errors = g_ptr_array_new_with_free_func ((GDestroyNotify) g_error_free);
  SavedEnv saved = env_set_plugin_path ("");

  g_assert_cmpuint (synack_registry_load_path (reg, "/nonexistent/synack/plugins", errors), ==, 0);
  env_restore (&saved);
  g_assert_cmpuint (errors->len, ==, 0);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (add_cases); i++)
    g_test_add_data_func (add_cases[i].path, &add_cases[i], test_add);
  g_test_add_func ("/registry/list/sorted", test_list_sorted);
  for (guint i = 0; i < G_N_ELEMENTS (lookup_cases); i++)
    g_test_add_data_func (lookup_cases[i].path, &lookup_cases[i], test_lookup);
  g_test_add_func ("/registry/origin/unknown", test_origin_unknown);
  g_test_add_func ("/registry/free/null", test_free_null);
  for (guint i = 0; i < G_N_ELEMENTS (suggest_cases); i++)
    g_test_add_data_func (suggest_cases[i].path, &suggest_cases[i], test_suggest);
  for (guint i = 0; i < G_N_ELEMENTS (kind_cases); i++)
    g_test_add_data_func (kind_cases[i].path, &kind_cases[i], test_kind);
  g_test_add_func ("/registry/kind/bad", test_kind_bad);
  for (guint i = 0; i < G_N_ELEMENTS (cause_cases); i++)
    g_test_add_data_func (cause_cases[i].path, &cause_cases[i], test_cause);

  g_test_add_func ("/registry/builtin/all", test_builtin_all);
  for (guint i = 0; i < G_N_ELEMENTS (builtin_plugins); i++)
    if (!g_str_has_prefix (builtin_plugins[i], "protocol-")) {
      g_autofree char *path = g_strconcat ("/registry/builtin/", builtin_plugins[i], NULL);

      g_test_add_data_func (path, builtin_plugins[i], test_builtin_model);
    }
  for (guint i = 0; i < G_N_ELEMENTS (file_cases); i++)
    g_test_add_data_func (file_cases[i].path, &file_cases[i], test_file);
  g_test_add_func ("/registry/file/twice", test_file_twice);
  for (guint i = 0; i < G_N_ELEMENTS (damage_cases); i++)
    g_test_add_data_func (damage_cases[i].path, &damage_cases[i], test_damaged);
  g_test_add_func ("/registry/damaged/in-dir", test_damaged_in_dir);
  g_test_add_func ("/registry/file/symlink-to-plugin", test_symlink_to_plugin);
  g_test_add_func ("/registry/dir/mixed", test_dir_mixed);
  g_test_add_func ("/registry/dir/missing", test_dir_missing);
  g_test_add_func ("/registry/path/missing-dir", test_path_missing_dir);
  g_test_add_func ("/registry/path/shadows-builtin", test_path_shadows_builtin);
  g_test_add_func ("/registry/path/empty", test_path_empty);

  return g_test_run ();
}
