# SPDX-License-Identifier: GPL-3.0-or-later
# plots/cdf.gp - empirical distribution of the handshake latency, a curve
# per sweep point, on a log time axis: each retransmission timeout (1 s,
# then 2 s, 4 s... after it) shows as a step.
#
# Data (in): a block per curve with the header latency_s,fraction (the top
# of each step of the empirical CDF of the established handshakes).
# Variables: title, ncurves, curve_title[], curve_colour[] (a linetype
# 1..8), curve_dash[] (a dash type), curve_chars (the longest title),
# xmin, xmax.

set logscale x
set format x "%g"
set mxtics 10
set xtics add (0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 50, 200, 500)
set xrange [xmin / 1.3 : xmax * 1.3]
set yrange [0:1.02]
set ytics 0, 0.2, 1
set mytics 2
set xlabel "handshake latency (s, log scale)"
set ylabel "fraction of established handshakes ≤ latency"
set title title
if (ncurves > 8) {
  # many curves: the key below, in as many columns as the longest title
  # (curve_chars) lets fit in the page width without clipping
  key_cols = int(0.85 * width / (curve_chars * 8.0 + 70))
  key_cols = (key_cols < 1 ? 1 : (key_cols > 3 ? 3 : key_cols))
  key_rows = int((ncurves + key_cols - 1) / key_cols)
  set bmargin at screen (key_rows * 19 + 62.0) / height
  set key at screen 0.5, 0.01 center bottom vertical maxrows key_rows Left reverse samplen 2 \
      width 1 spacing 1.0 nobox
} else {
  set key outside right top vertical Left reverse width 1
}

plot for [i = 1:ncurves] in index (i - 1) using "latency_s":"fraction" with steps \
     lt curve_colour[i] dt curve_dash[i] lw 2 title curve_title[i]
