# plots/occupancy.gp - connections in each TCP state over simulated time
# (e.g. TIME_WAIT building up), sampled by the occupancy trace; both ends'
# connections are counted.
#
# Data (in): a block per curve (sweep point) with the header
#   time_s,STATE... (a column per state), and with several points
#   opening (SYN_SENT + SYN_RECEIVED) and closing (FIN_WAIT_1, FIN_WAIT_2,
#   CLOSE_WAIT, CLOSING, LAST_ACK).
# Variables: title, ncurves, curve_title[], curve_colour[], curve_dash[],
# states[] (the state columns).
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
  left = 0.08
  right = 0.76          # the key takes the rest
  top = 0.90
  bottom = 0.0
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
    plot for [i = 1:ncurves] in index (i - 1) using "time_s":(column(panel_column[p])) \
         with lines lt curve_colour[i] dt curve_dash[i] lw 2 notitle
  }
  # the key: an empty plot in the right-hand column
  set lmargin at screen right + 0.01
  set rmargin at screen 0.99
  set tmargin at screen top - 0.04
  set bmargin at screen 0.1
  unset border
  unset tics
  unset grid
  unset xlabel
  unset ylabel
  unset title
  set xrange [0:1]
  set yrange [0:1]
  set key left top vertical Left reverse nobox noopaque samplen 2.5 width 1
  plot for [i = 1:ncurves] NaN with lines lt curve_colour[i] dt curve_dash[i] lw 2 \
       title curve_title[i]
  unset multiplot
}
