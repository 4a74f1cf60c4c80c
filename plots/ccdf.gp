# SPDX-License-Identifier: GPL-3.0-or-later
# plots/ccdf.gp - the tail of the handshake latency: P(latency > x) per
# sweep point on log-log axes, so a probability of 10^-3 is as visible as
# one of 0.5; each retransmission timeout shows as a cliff.  A panel per
# series (2-way beside 3-way, a profile each), since their curves at one
# x value would lie on top of each other; one scale in every panel.
#
# Data (in): a block per curve with the header latency_s,ccdf: at each
# latency kept, the fraction of established handshakes slower than it (1
# on the first row, 0 after the largest sample: drawn at the panel's
# bottom, below 1/n).  Rows are thinned to steps of 1 % in either
# coordinate.
# Variables: title, ncurves, curve_title[], curve_colour[] (a linetype
# 1..8), curve_panel[] (1..npanels), curve_every[] (rows between markers),
# npanels, panel_title[], nkeys, key_title[], key_colour[], xmin, xmax,
# pmin (the smallest probability above 0).

ybot = pmin / 3.0
cols = (npanels < 3 ? npanels : 3)
rows = int((npanels + cols - 1) / cols)
key_cols = (nkeys > 8 ? 3 : (nkeys > 3 ? 2 : 1))
key_cols = (npanels > 1 ? (nkeys < 6 ? nkeys : 6) : key_cols)
key_rows = int((nkeys + key_cols - 1) / key_cols)
key_h = (npanels > 1 ? (key_rows * 17.0 + 16) / height : 0)
top = 0.90
left = 0.09
right = (npanels > 1 ? 0.98 : 0.70)     # one panel: the key on the right
panel_w = (right - left) / cols
panel_h = (top - key_h) / rows

set logscale xy
set format x "%g"
set format y "%g"
set mxtics 10
set xrange [xmin / 1.3 : xmax * 1.3]
set yrange [ybot : 1.5]
# 1-2-5 labels unless they would collide (many decades in narrow panels)
if (log10(xmax / xmin * 1.69) * cols < 7) {
  set xtics add (0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 50, 200, 500)
}
# P(L > x) is right-continuous and falls at each sample: "steps" draws the
# horizontal run first, then the fall; 0 is drawn at the bottom edge
p_of(v) = (v > 0 ? v : ybot)

set multiplot title title font sprintf("%s,%g", font_name, fontsize + 2)
unset key
do for [pn = 1:npanels] {
  c = (pn - 1) % cols
  r = int((pn - 1) / cols)
  set lmargin at screen (left + c * panel_w + (c > 0 ? 0.01 : 0))
  set rmargin at screen (left + (c + 1) * panel_w - 0.02)
  set tmargin at screen (top - r * panel_h - (npanels > 1 ? 0.04 : 0))
  set bmargin at screen (top - (r + 1) * panel_h + 0.10)
  set title panel_title[pn] font sprintf("%s,%g", font_name, fontsize + 1)
  set xlabel "handshake latency x (s, log scale)"
  if (c == 0) { set ylabel "P(latency > x)" offset 1, 0; set format y "%g" } \
  else { unset ylabel; set format y "" }
  plot for [i = 1:ncurves] in index (i - 1) \
         using (curve_panel[i] == pn ? column("latency_s") : NaN):(p_of(column("ccdf"))) \
         with steps lt curve_colour[i] lw 2 notitle, \
       for [i = 1:ncurves] in index (i - 1) \
         every int(curve_every[i])::(int((i - 1) * curve_every[i] / 5.0) % int(curve_every[i])) \
         using (curve_panel[i] == pn ? column("latency_s") : NaN):(p_of(column("ccdf"))) \
         with points lt curve_colour[i] pt marker[(int(curve_colour[i]) - 1) % 8 + 1] ps 0.9 \
         notitle
}

# the key: below the panels, or right of a single one
unset border
unset tics
unset grid
unset xlabel
unset ylabel
unset title
unset logscale xy
set xrange [0:1]
set yrange [0:1]
if (npanels > 1) {
  set lmargin at screen 0.02
  set rmargin at screen 0.98
  set tmargin at screen key_h
  set bmargin at screen 0
  set key center center horizontal maxcols key_cols maxrows key_rows Left reverse \
      nobox noopaque samplen 2.5 width 2
  plot for [k = 1:nkeys] NaN with linespoints lt key_colour[k] lw 2 \
       pt marker[(int(key_colour[k]) - 1) % 8 + 1] ps 0.9 title key_title[k]
} else {
  set lmargin at screen right + 0.01
  set rmargin at screen 0.995
  set tmargin at screen top
  set bmargin at screen 0.10
  set key left top vertical Left reverse nobox noopaque samplen 2.5 width 1
  plot for [k = 1:nkeys] NaN with linespoints lt key_colour[k] lw 2 \
       pt marker[(int(key_colour[k]) - 1) % 8 + 1] ps 0.9 title key_title[k]
}
unset multiplot
