/* SPDX-License-Identifier: GPL-3.0-or-later */
/* models/loss-list.c - deterministic loss: drop exactly the segments named.
 *
 * For tests and for "what if this one segment is lost" experiments.  The
 * drop parameter is a space-separated list of items:
 *   FLAGS#N   the N-th segment on this link whose flags are exactly FLAGS
 *             ("SYN,ACK#1", "FIN,ACK#2"; any order and case, as
 *             synack_flags_parse() reads them)
 *   #N        the N-th segment of any kind
 * counted from 1 over the whole run.  "SYN#1 SYN#2" loses the first SYN and
 * its first retransmission.
 *
 * Each item keeps its own counter: drop() is called for every segment on
 * the link, and for each item whose flags match (any, for #N) the counter
 * goes up; the segment is lost if some counter just reached its N.  That is
 * O(items) per segment with the items in one small array, allocated once in
 * create(). */
#include "plugin.h"

#include <string.h>

typedef struct {
  guint16  flags;     /* exact flag set to count */
  gboolean any;       /* #N: count every segment */
  guint64  n;         /* drop the n-th match (>= 1) */
  guint64  count;     /* matches seen so far */
} ListItem;

typedef struct {
  guint     n_items;
  ListItem *items;    /* (owned) */
} ListLoss;

static const SynackParamSpec list_params[] = {
  { "drop", SYNACK_PARAM_STRING, "", "",
    "segments to lose: space-separated FLAGS#N (N-th segment with exactly "
    "FLAGS, e.g. SYN,ACK#1) or #N (N-th segment of any kind), counted from 1",
    0, 0, NULL },
  { NULL }
};

static gboolean
parse_item (const char *text, ListItem *item, GError **error)
{
  const char *hash = strrchr (text, '#');
  g_autofree char *flags_text = NULL;
  const char *count_text;
  GError *sub = NULL;

  if (hash == NULL) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "item \"%s\": expected FLAGS#N or #N (e.g. SYN,ACK#1 or #3)",
                 text);
    return FALSE;
  }
  count_text = hash + 1;
  if (*count_text == '\0'
      || strspn (count_text, "0123456789") != strlen (count_text)
      || !g_ascii_string_to_unsigned (count_text, 10, 0, G_MAXUINT64,
                                      &item->n, NULL)) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "item \"%s\": \"%s\" is not a count (1, 2, ...)",
                 text, count_text);
    return FALSE;
  }
  if (item->n == 0) {
    g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                 "item \"%s\": counts start at 1", text);
    return FALSE;
  }
  item->any = hash == text;
  if (!item->any) {
    flags_text = g_strndup (text, hash - text);
    if (!synack_flags_parse (flags_text, &item->flags, &sub)) {
      g_set_error (error, SYNACK_PARAMS_ERROR, SYNACK_PARAMS_ERROR_BAD_VALUE,
                   "item \"%s\": %s", text, sub->message);
      g_error_free (sub);
      return FALSE;
    }
  }
  item->count = 0;
  return TRUE;
}

static void
list_destroy (gpointer self)
{
  ListLoss *l = self;

  if (l == NULL)
    return;
  g_free (l->items);
  g_free (l);
}

static gpointer
list_create (const SynackParams *params, SynackRng *rng, GError **error)
{
  const char *drop = synack_params_get_string (params, "drop");
  g_auto (GStrv) words = g_strsplit_set (drop, " \t\n", -1);
  ListLoss *l = g_new0 (ListLoss, 1);

  l->items = g_new0 (ListItem, g_strv_length (words));
  for (guint i = 0; words[i] != NULL; i++) {
    if (words[i][0] == '\0')     /* runs of blanks split into empty words */
      continue;
    if (!parse_item (words[i], &l->items[l->n_items], error)) {
      list_destroy (l);
      return NULL;
    }
    l->n_items++;
  }
  return l;
}

static gboolean
list_drop (gpointer self, const SynackSegment *seg, SynackTime now)
{
  ListLoss *l = self;
  gboolean drop = FALSE;

  /* no early return: every matching counter must see this segment */
  for (guint i = 0; i < l->n_items; i++) {
    ListItem *it = &l->items[i];

    if (it->any || it->flags == seg->flags)
      if (++it->count == it->n)
        drop = TRUE;
  }
  return drop;
}

static const SynackLossVtable list_vtable = {
  .create = list_create,
  .drop = list_drop,
  .destroy = list_destroy,
};

static const SynackPluginDesc list_desc = {
  .abi_version = SYNACK_PLUGIN_ABI_VERSION,
  .kind = SYNACK_PLUGIN_LOSS,
  .name = "list",
  .summary = "deterministic loss of the listed segments (SYN,ACK#1, #3, ...)",
  .params = list_params,
  .vt.loss = &list_vtable,
};

SYNACK_PLUGIN_DEFINE (loss_list, list_desc)
