# SPDX-License-Identifier: GPL-3.0-or-later
# plots/teardown.gp - teardown duration against the swept parameter.
#
# Data (in): a block per series, each with the header
#   x,mean_s,ci95_lo_s,ci95_hi_s,runs
# Variables: title, xlabel, nseries, series[], logy, ymin, ymax, dodge.
# Teardown: from the first application close to both ends done with the
# FIN exchange (TIME_WAIT not included); mean over runs, 95 % CI.

set xlabel xlabel
set ylabel "teardown duration (s)"
# ymin, ymax: the smallest and largest positive value drawn (CIs included)
if (logy) {
  set logscale y
  set format y "%g"
  set mytics 10
  # 1-2-5 labels: a decade or two of range otherwise gets one or two labels
  set ytics add (0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 50, 200, 500)
  set yrange [ymin / 1.25 : ymax * 1.25]
} else {
  set yrange [0 : ymax * 1.06]
}
# a little room beyond the first and last sweep values
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
# on a log axis an interval reaching 0 is drawn down to the axis
ci_lo(v) = (logy && !(v > ymin / 1.25) ? ymin / 1.25 : v)
# dodge: series i is drawn shifted by xd(i) so its error bars stay visible
xd(i) = (i - (nseries + 1) / 2.0) * dodge
set title title
set key outside right top vertical Left reverse width 1

plot \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s":(ci_lo(column("ci95_lo_s"))):"ci95_hi_s" \
      with yerrorbars lt i lw 1.2 pt -1 notitle, \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s" with linespoints lt i \
      title (nseries > 1 ? series[i] : "mean, 95 % CI"), \
  NaN with linespoints lc "black" lw 2 pt 7 title (nseries > 1 ? "mean, 95 % CI" : "")
