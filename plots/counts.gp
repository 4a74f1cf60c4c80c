# SPDX-License-Identifier: GPL-3.0-or-later
# plots/counts.gp - the per-run counts that vary over the sweep (ports
# without a free port, stale segments accepted, peak TIME_WAIT, SYNs
# dropped on a full backlog, SYN and FIN retransmissions: the first four
# of those that vary), a panel each, against the swept parameter.
#
# Data (in): a block per series, each with the header
#   x,C_mean,C_ci95_lo,C_ci95_hi for each panel's column C
# (mean over runs with its Student-t 95 % interval).
# Variables: title, xlabel, nseries, series[], npanels, panel_column[],
# panel_title[], panel_ymax[], dodge.
# A line joins the means of one series: a count's mean moves smoothly
# with the swept value, unlike a percentile (see latency.gp).

# side by side for two, two by two for three or four (three in a row
# leaves too little width for their axis labels)
cols = (npanels > 2 ? 2 : npanels)
rows = (npanels > 2 ? 2 : 1)
key_h = (nseries > 1 ? 0.07 : 0)
top = 0.90
left = 0.10
right = 0.98
panel_w = (right - left) / cols
panel_h = (top - key_h) / rows
xd(i) = (i - (nseries + 1) / 2.0) * dodge
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0

set multiplot title title font sprintf("%s,%g", font_name, fontsize + 2)
unset key
do for [p = 1:npanels] {
  c = (p - 1) % cols
  r = int((p - 1) / cols)
  set lmargin at screen (left + c * panel_w + (c > 0 ? 0.07 : 0))
  set rmargin at screen (left + (c + 1) * panel_w - 0.02)
  set tmargin at screen (top - r * panel_h - 0.04)
  set bmargin at screen (top - (r + 1) * panel_h + 0.10)
  set title panel_title[p] font sprintf("%s,%g", font_name, fontsize)
  set yrange [0 : panel_ymax[p] * 1.08 + 1e-9]
  # an x label under each panel that has none below it
  if (p + cols > npanels) { set xlabel xlabel } else { unset xlabel }
  set ylabel (c == 0 ? "mean per run (95 % CI)" : "")
  plot \
    for [i = 1:nseries] in index (i - 1) \
        using (column("x") + xd(i)):(column(panel_column[p] . "_mean")) \
              :(column(panel_column[p] . "_ci95_lo")):(column(panel_column[p] . "_ci95_hi")) \
        with yerrorbars lt i lw 1.2 pt -1 notitle, \
    for [i = 1:nseries] in index (i - 1) \
        using (column("x") + xd(i)):(column(panel_column[p] . "_mean")) \
        with linespoints lt i dt i notitle
}
if (nseries > 1) {
  set lmargin at screen 0.02
  set rmargin at screen 0.98
  set tmargin at screen key_h
  set bmargin at screen 0
  unset border
  unset tics
  unset grid
  unset xlabel
  unset ylabel
  unset title
  set xrange [0:1]
  set yrange [0:1]
  set key center center horizontal Left reverse nobox noopaque samplen 3 width 2
  plot for [i = 1:nseries] NaN with linespoints lt i dt i title series[i]
}
unset multiplot
