/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tests/fuzz/fuzz-values.c - the value parsers, one per first input byte:
 *
 *   0  durations: synack_time_parse(); a parsed duration written with
 *      synack_time_format_unit() must parse back to the same value
 *   1  typed model parameters: synack_params_set() on a table with every
 *      type; a value written with synack_params_to_string() reads back
 *   2  TCP flag sets: synack_flags_parse(); format and parse round trip
 *   3  sweep lists: synack_sweep_expand()
 *   4  the `list` loss model's loss.drop (models/loss-list.c): create()
 *      and a few hundred drop() calls
 *   5+ one key of a small config given with --set (every key table, read
 *      by core/engine/params.c: rates, probabilities, counts, durations,
 *      names, trace lists, flag lists, sweeps), key chosen by the next byte
 *
 * The rest of the input is the text (a NUL ends it, as in a config). */
#include "fuzz-common.h"

#include "config.h"
#include "params.h"
#include "plugin.h"
#include "segment.h"
#include "sweep.h"

static const SynackParamSpec specs[] = {
  { "d", SYNACK_PARAM_DOUBLE, "0", "", "", -1e6, 1e6, NULL },
  { "x", SYNACK_PARAM_DOUBLE, "0", "", "", 0, 0, NULL },
  { "p", SYNACK_PARAM_PROBABILITY, "0", "", "", 0, 0, NULL },
  { "t", SYNACK_PARAM_DURATION, "0s", "", "", 0, 0, NULL },
  { "u", SYNACK_PARAM_UINT, "1", "", "", 1, 65535, NULL },
  { "n", SYNACK_PARAM_UINT, "0", "", "", 0, 0, NULL },
  { "s", SYNACK_PARAM_STRING, "", "", "", 0, 0, NULL },
  { "b", SYNACK_PARAM_BOOLEAN, "false", "", "", 0, 0, NULL },
  { "c", SYNACK_PARAM_CHOICE, "a", "", "", 0, 0, "a|bb|c-d" },
  { NULL }
};

/* --set keys, on a config whose loss model is `list` */
static const char *const set_keys[] = {
  "workload.rate", "workload.flood_rate", "workload.connections",
  "workload.clients", "workload.ports", "workload.hold", "workload.request",
  "workload.arrival", "workload.closer", "workload.flood_hosts",
  "link.duplicate", "link.duplicate.lag", "link.loss.only", "link.reorder",
  "link.loss.drop", "link.delay", "link.loss", "link.forward.loss.p",
  "link.reverse.delay.base", "experiment.until", "experiment.sample",
  "experiment.trace", "experiment.seed", "experiment.replications",
  "experiment.name", "experiment.description", "experiment.profile",
  "experiment.protocol", "tcp.time_wait", "tcp.syn_retries", "tcp.rto_initial",
  "sweep.link.loss.drop", "sweep.workload.rate", "sweep.link.duplicate",
  "sweep.experiment.until", "sweep.tcp.time_wait",
};

static SynackConfig *base;
static const SynackPluginDesc *list_model;

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  g_autoptr (GError) error = NULL;
  static const char base_ini[] =
    "[experiment]\nname = v\n[workload]\nconnections = 2\n"
    "[link]\nloss = list\nloss.drop = SYN#1\n"
    "[link.forward]\nloss = bernoulli\n[link.reverse]\ndelay = uniform\n";

  fuzz_init ();
  base = synack_config_load_data (base_ini, "base.ini", fuzz_registry (),
                                  &error);
  if (base == NULL)
    FUZZ_FAIL ("base: %s", error->message);
  list_model = synack_registry_lookup (fuzz_registry (), SYNACK_PLUGIN_LOSS,
                                       "list");
  if (list_model == NULL)
    FUZZ_FAIL ("no list loss model");
  return 0;
}

static void
fuzz_duration (const char *text)
{
  g_autoptr (GError) error = NULL;
  SynackTime t = 0, back = 0;
  char buf[SYNACK_TIME_FORMAT_SIZE], unit[SYNACK_TIME_FORMAT_SIZE];
  gboolean ok = synack_time_parse (text, &t, &error);

  FUZZ_CHECK_ERROR (ok, error, "synack_time_parse");
  if (!ok)
    return;
  if (t < 0)
    FUZZ_FAIL ("\"%s\" parsed to a negative duration", text);
  synack_time_format (t, buf);
  synack_time_format_unit (t, unit);
  if (!synack_time_parse (unit, &back, NULL) || back != t)
    FUZZ_FAIL ("\"%s\" -> %" G_GINT64_FORMAT " ns -> \"%s\" -> %" G_GINT64_FORMAT,
               text, t, unit, back);
}

static void
fuzz_params (const char *text, guint8 which)
{
  g_autoptr (SynackParams) params = synack_params_new (specs);
  g_autoptr (GError) error = NULL;
  const SynackParamSpec *spec = &specs[which % (G_N_ELEMENTS (specs) - 1)];
  gboolean ok = synack_params_set (params, spec->name, text, &error);
  g_autofree char *written = NULL, *again = NULL;
  g_autoptr (SynackParams) copy = NULL;

  FUZZ_CHECK_ERROR (ok, error, "synack_params_set");
  if (!ok)
    return;
  written = synack_params_to_string (params, spec->name);
  copy = synack_params_copy (params);
  if (!synack_params_set (copy, spec->name, written, &error))
    FUZZ_FAIL ("%s: \"%s\" is written \"%s\", which is refused: %s",
               spec->name, text, written, error->message);
  again = synack_params_to_string (copy, spec->name);
  if (strcmp (written, again) != 0)
    FUZZ_FAIL ("%s: \"%s\" -> \"%s\" -> \"%s\"", spec->name, text, written,
               again);
}

static void
fuzz_flags (const char *text)
{
  g_autoptr (GError) error = NULL;
  guint16 flags = 0, back = 0;
  char buf[SYNACK_FLAGS_FORMAT_SIZE];
  gboolean ok = synack_flags_parse (text, &flags, &error);

  FUZZ_CHECK_ERROR (ok, error, "synack_flags_parse");
  if (!ok)
    return;
  synack_flags_format (flags, buf);
  if (!synack_flags_parse (buf, &back, NULL) || back != flags)
    FUZZ_FAIL ("flags \"%s\" -> \"%s\" do not read back", text, buf);
}

static void
fuzz_sweep (const char *text)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *normalised = NULL;
  g_autoptr (GPtrArray) values = synack_sweep_expand (text, &normalised, &error);
  g_autoptr (GPtrArray) again = NULL;

  FUZZ_CHECK_ERROR (values != NULL, error, "synack_sweep_expand");
  if (values == NULL)
    return;
  if (values->len == 0 || values->len > SYNACK_SWEEP_MAX_VALUES)
    FUZZ_FAIL ("sweep \"%s\" has %u values", text, values->len);
  again = synack_sweep_expand (normalised, NULL, &error);
  if (again == NULL)
    FUZZ_FAIL ("sweep \"%s\" normalised to \"%s\", which is refused: %s",
               text, normalised, error->message);
  if (again->len != values->len)
    FUZZ_FAIL ("sweep \"%s\": %u values, normalised \"%s\": %u", text,
               values->len, normalised, again->len);
}

static void
fuzz_loss_list (const char *text, const uint8_t *data, size_t size)
{
  g_autoptr (SynackParams) params = synack_params_new (list_model->params);
  g_autoptr (SynackRng) rng = synack_rng_new (1, "fuzz");
  g_autoptr (GError) error = NULL;
  gpointer self;

  if (!synack_params_set (params, "drop", text, &error))
    FUZZ_FAIL ("loss.drop is a string, yet refused: %s", error->message);
  self = list_model->vt.loss->create (params, rng, &error);
  FUZZ_CHECK_ERROR (self != NULL, error, "loss list create()");
  if (self == NULL)
    return;
  /* segments with flags from the input bytes, then a few common ones */
  for (guint i = 0; i < 256; i++) {
    SynackSegment seg = { 0 };

    seg.flags = i < size ? data[i] : (guint16) (i % 5 == 0 ? SYNACK_FLAG_SYN
                                                : SYNACK_FLAG_ACK);
    list_model->vt.loss->drop (self, &seg, (SynackTime) i);
  }
  list_model->vt.loss->destroy (self);
}

static void
fuzz_set (const char *text, guint8 which)
{
  const char *key = set_keys[which % G_N_ELEMENTS (set_keys)];
  g_autofree char *ini = synack_config_to_ini (base);
  g_autoptr (SynackConfig) cfg =
    synack_config_load_data (ini, "base.ini", fuzz_registry (), NULL);
  g_autofree char *assignment = g_strdup_printf ("%s=%s", key, text);
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (cfg == NULL)
    FUZZ_FAIL ("the base config does not reload");
  if (fuzz_sweep_too_big (assignment))
    return;
  ok = synack_config_set (cfg, assignment, &error);
  FUZZ_CHECK_ERROR (ok, error, "synack_config_set");
  if (ok) {
    g_autofree char *out = synack_config_to_ini (cfg);
    g_autoptr (SynackConfig) back =
      synack_config_load_data (out, "config.ini", fuzz_registry (), &error);

    if (back == NULL)
      FUZZ_FAIL ("--set %s: config.ini does not reload: %s", assignment,
                 error->message);
  }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = NULL;
  guint8 which;

  if (size < 2)
    return 0;
  which = data[1];
  text = g_strndup ((const char *) data + 2, size - 2);
  switch (data[0] % 6) {
  case 0:
    fuzz_duration (text);
    break;
  case 1:
    fuzz_params (text, which);
    break;
  case 2:
    fuzz_flags (text);
    break;
  case 3:
    fuzz_sweep (text);
    break;
  case 4:
    fuzz_loss_list (text, data, size);
    break;
  default:
    fuzz_set (text, which);
    break;
  }
  return 0;
}
