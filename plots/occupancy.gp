# SPDX-License-Identifier: GPL-3.0-or-later
# plots/occupancy.gp - connections in each TCP state over simulated time
# (e.g. TIME_WAIT building up), sampled by the occupancy trace; both ends'
# connections are counted.
#
# Data (in): a block per curve (sweep point) with the header
#   time_s,STATE... (a column per state), and with several points
#   opening (SYN_SENT + SYN_RECEIVED) and closing (FIN_WAIT_1, FIN_WAIT_2,
#   CLOSE_WAIT, CLOSING, LAST_ACK).
# Variables: title, ncurves, curve_title[], curve_colour[], curve_dash[],
# curve_marker[] (1..8, a shape per series, or per curve for one series),
# curve_chars (the longest title, for the key's columns), curve_lines
# (the most lines in one), key_rows_hint
# (curves per series when all series have as many, else 0), states[] (the
# state columns).
# One point: a curve per state.  Several: four panels (ESTABLISHED,
# TIME_WAIT, opening, closing) with a curve per point.

# a fixed colour per state, so figures agree
state_names = "ESTABLISHED TIME_WAIT SYN_SENT SYN_RECEIVED FIN_WAIT_1 FIN_WAIT_2 CLOSE_WAIT LAST_ACK CLOSING LISTEN CLOSED"
state_index(s) = sum [j = 1:words(state_names)] (word(state_names, j) eq s ? j : 0)
lt_of(s) = (state_index(s) > 0 ? (state_index(s) - 1) % 8 + 1 : 7)
dt_of(s) = (state_index(s) > 0 && state_index(s) <= 8 ? 1 : 2)

set xlabel "simulated time (s)"
set ylabel "connections"
set yrange [0:*]
set autoscale xfix
set offsets 0, 0, graph 0.05, 0

if (ncurves == 1) {
  set title (curve_title[1] ne "all runs" ? title . "\n" . curve_title[1] : title)
  set key outside right top vertical Left reverse width 1
  plot for [i = 1:|states|] in index 0 using "time_s":(column(states[i])) with lines \
       lt lt_of(states[i]) dt dt_of(states[i]) lw 2 title states[i]
} else {
  array panel_column[4] = ["ESTABLISHED", "TIME_WAIT", "opening", "closing"]
  array panel_title[4] = ["ESTABLISHED", "TIME_WAIT", \
                          "opening: SYN_SENT + SYN_RECEIVED", \
                          "closing: FIN_WAIT_*, CLOSE_WAIT, CLOSING, LAST_ACK"]
  # the key below the panels, in columns wide enough for the longest
  # title (curve_chars), so that nothing is clipped at the right edge;
  # titles of several lines or too long for one column of the page keep
  # the key in a column on the right instead
  key_cols = int(0.9 * width / (curve_chars * 7.0 + 70))
  key_cols = (key_cols < 1 ? 1 : (key_cols > 3 ? 3 : key_cols))
  key_rows = int((ncurves + key_cols - 1) / key_cols)
  # a column per series when they fit
  if (key_rows_hint > 0 && ncurves / key_rows_hint <= key_cols) {
    key_rows = key_rows_hint
    key_cols = int((ncurves + key_rows - 1) / key_rows)
  }
  key_below = (curve_lines == 1 && curve_chars * 7.0 + 70 < 0.9 * width)
  key_h = (key_below ? (key_rows * 17.0 + 14) / height : 0)
  left = 0.08
  right = (key_below ? 0.98 : 0.76)
  top = 0.90
  bottom = key_h
  set multiplot title title font sprintf("%s,%g", font_name, fontsize + 2)
  unset key
  do for [p = 1:4] {
    c = (p - 1) % 2
    r = int((p - 1) / 2)
    set lmargin at screen (left + c * (right - left) / 2 + (c ? 0.04 : 0))
    set rmargin at screen (left + (c + 1) * (right - left) / 2 - (c ? 0 : 0.02))
    set tmargin at screen (top - r * (top - bottom) / 2 - 0.04)
    set bmargin at screen (top - (r + 1) * (top - bottom) / 2 + 0.10)
    set title panel_title[p] font sprintf("%s,%g", font_name, fontsize - 1)
    if (r == 1) { set xlabel "simulated time (s)" } else { unset xlabel }
    if (c == 0) { set ylabel "connections" } else { unset ylabel }
    # a marker shape per curve every 12 samples, each curve's markers
    # shifted by 2 samples: where curves coincide, every one stays visible
    # and the key tells them apart
    plot for [i = 1:ncurves] in index (i - 1) using "time_s":(column(panel_column[p])) \
         with lines lt curve_colour[i] dt curve_dash[i] lw 1.6 notitle, \
         for [i = 1:ncurves] in index (i - 1) every 12::(2 * (i - 1) % 12) \
         using "time_s":(column(panel_column[p])) \
         with points lt curve_colour[i] pt marker[curve_marker[i]] ps 0.9 notitle
  }
  # the key: an empty plot across the bottom band, or on the right
  if (key_below) {
    set lmargin at screen 0.02
    set rmargin at screen 0.98
    set tmargin at screen key_h
    set bmargin at screen 0
    set key center center vertical maxcols key_cols maxrows key_rows Left reverse \
        nobox noopaque samplen 3 width 2
  } else {
    set lmargin at screen right + 0.01
    set rmargin at screen 0.99
    set tmargin at screen top - 0.04
    set bmargin at screen 0.1
    set key left top vertical Left reverse nobox noopaque samplen 2.5 width 1
  }
  unset border
  unset tics
  unset grid
  unset xlabel
  unset ylabel
  unset title
  set xrange [0:1]
  set yrange [0:1]
  plot for [i = 1:ncurves] NaN with linespoints lt curve_colour[i] dt curve_dash[i] lw 1.6 \
       pt marker[curve_marker[i]] ps 0.9 title curve_title[i]
  unset multiplot
}
