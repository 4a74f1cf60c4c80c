/* SPDX-License-Identifier: GPL-3.0-or-later */
/* core/network/segment.c - TCP control bits as text.
 *
 * Flags are printed in the order tcpdump users read them (SYN first, so a
 * SYN,ACK reads as one), and parsed in any order and case because configs
 * (loss.only, loss.drop) are written by hand.  One table drives both; the
 * error message lists the names from the most significant bit down, as the
 * header's bit layout reads. */
#include "segment.h"

#include <string.h>

G_DEFINE_QUARK (synack-segment-error-quark, synack_segment_error)

#define FLAG_LIST "(NS CWR ECE URG ACK PSH RST SYN FIN)"

static const struct {
  const char *name;
  guint16     bit;
} flag_names[] = {   /* print order */
  { "SYN", SYNACK_FLAG_SYN },
  { "FIN", SYNACK_FLAG_FIN },
  { "RST", SYNACK_FLAG_RST },
  { "PSH", SYNACK_FLAG_PSH },
  { "ACK", SYNACK_FLAG_ACK },
  { "URG", SYNACK_FLAG_URG },
  { "ECE", SYNACK_FLAG_ECE },
  { "CWR", SYNACK_FLAG_CWR },
  { "NS", SYNACK_FLAG_NS },
};

char *
synack_flags_format (guint16 flags, char *buf)
{
  char *p = buf;

  for (guint i = 0; i < G_N_ELEMENTS (flag_names); i++) {
    if ((flags & flag_names[i].bit) == 0)
      continue;
    if (p != buf)
      *p++ = ',';
    gsize len = strlen (flag_names[i].name);
    memcpy (p, flag_names[i].name, len);
    p += len;
  }
  *p = '\0';
  return buf;
}

gboolean
synack_flags_parse (const char *text, guint16 *flags, GError **error)
{
  guint16 bits = 0;
  const char *p;

  g_return_val_if_fail (flags != NULL, FALSE);

  if (text == NULL)
    text = "";
  p = text;
  for (;;) {
    const char *start, *end;
    guint i;

    while (g_ascii_isspace (*p))
      p++;
    start = p;
    while (*p != '\0' && *p != ',')
      p++;
    end = p;
    while (end > start && g_ascii_isspace (end[-1]))
      end--;
    if (end == start) {
      if (strspn (text, " \t\r\n") == strlen (text))
        g_set_error (error, SYNACK_SEGMENT_ERROR,
                     SYNACK_SEGMENT_ERROR_BAD_FLAGS,
                     "no TCP flag given " FLAG_LIST);
      else
        g_set_error (error, SYNACK_SEGMENT_ERROR,
                     SYNACK_SEGMENT_ERROR_BAD_FLAGS,
                     "\"%s\" has an empty flag name " FLAG_LIST, text);
      return FALSE;
    }
    for (i = 0; i < G_N_ELEMENTS (flag_names); i++)
      if (strlen (flag_names[i].name) == (gsize) (end - start)
          && g_ascii_strncasecmp (flag_names[i].name, start, end - start) == 0)
        break;
    if (i == G_N_ELEMENTS (flag_names)) {
      g_set_error (error, SYNACK_SEGMENT_ERROR, SYNACK_SEGMENT_ERROR_BAD_FLAGS,
                   "\"%.*s\" is not a TCP flag " FLAG_LIST,
                   (int) (end - start), start);
      return FALSE;
    }
    bits |= flag_names[i].bit;
    if (*p == '\0')
      break;
    p++;                                  /* the comma */
  }
  *flags = bits;
  return TRUE;
}
