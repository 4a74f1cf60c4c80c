# SPDX-License-Identifier: GPL-3.0-or-later
# plots/request.gp - request latency against the swept parameter.
#
# Data (in): a block per series, each with the header
#   x,mean_s,ci95_lo_s,ci95_hi_s,p99_s,p99_lo_s,p99_hi_s,runs
# Variables: title, xlabel, nseries, series[], logy, ymin, ymax, dodge.
# Request latency: from the client's open to the server executing the
# request (0.5 RTT for a design that carries it in the SYN, 1.5 RTT for the
# 3-way handshake); the mean over runs and the mean of the runs' 99th
# percentiles, each with its 95 % CI.  Solid: mean; dashed: p99.

set xlabel xlabel
set ylabel "request latency (s)"
if (logy) {
  set logscale y
  set format y "%g"
  set mytics 10
  set ytics add (0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 50, 200, 500)
  set yrange [ymin / 1.25 : ymax * 1.25]
} else {
  set yrange [0 : ymax * 1.06]
}
set autoscale xfix
set offsets graph 0.04, graph 0.04, 0, 0
ci_lo(v) = (logy && !(v > ymin / 1.25) ? ymin / 1.25 : v)
xd(i) = (i - (nseries + 1) / 2.0) * dodge
set title title
set key outside right top vertical Left reverse width 1

plot \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s":(ci_lo(column("ci95_lo_s"))):"ci95_hi_s" \
      with yerrorbars lt i lw 1.2 pt -1 notitle, \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s" with linespoints lt i pt 7 \
      title (nseries > 1 ? series[i] : "mean, 95 % CI"), \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"p99_s":(ci_lo(column("p99_lo_s"))):"p99_hi_s" \
      with yerrorbars lt i lw 1.2 pt -1 notitle, \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"p99_s" with linespoints lt i dt 2 pt 6 \
      notitle, \
  NaN with linespoints lc "black" lw 2 pt 7 title "mean, 95 % CI", \
  NaN with linespoints lc "black" lw 2 dt 2 pt 6 title "p99 (mean of runs), 95 % CI"
