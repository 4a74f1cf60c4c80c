# plots/latency.gp - handshake latency against the swept parameter.
#
# Data (in): a block per series (gnuplot "index"), each with the header
#   x,mean_s,ci95_lo_s,ci95_hi_s,p50_s,p95_s,p99_s,runs
# Variables: title, xlabel, nseries, series[] (names; "" for a single
# series), logy (1: latencies span decades, use a log scale), ymin, ymax, dodge.
# Colour tells the series, the line style the statistic: mean with its
# 95 % confidence interval (Student t over runs), pooled p50, p95, p99.

set xlabel xlabel
set ylabel "handshake latency (s)"
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

# the key: a colour per series, then a black sample of each line style
plot \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s":(ci_lo(column("ci95_lo_s"))):"ci95_hi_s" \
      with yerrorbars lt i lw 1.2 pt -1 notitle, \
  for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s" with linespoints lt i \
      title (nseries > 1 ? series[i] : ""), \
  for [i = 1:nseries] in index (i - 1) using "x":"p50_s" with lines lt i dt 2 lw 1.2 notitle, \
  for [i = 1:nseries] in index (i - 1) using "x":"p95_s" with lines lt i dt 4 lw 1.2 notitle, \
  for [i = 1:nseries] in index (i - 1) using "x":"p99_s" with lines lt i dt 3 lw 1.2 notitle, \
  NaN with linespoints lc "black" lw 2 pt 7 title "mean, 95 % CI", \
  NaN with lines lc "black" dt 2 lw 1.2 title "median (p50)", \
  NaN with lines lc "black" dt 4 lw 1.2 title "p95", \
  NaN with lines lc "black" dt 3 lw 1.2 title "p99"
