# SPDX-License-Identifier: GPL-3.0-or-later
# plots/latency.gp - handshake latency against the swept parameter: five
# panels on one y scale (the mean, then the pooled p50, p95, p99, p99.9),
# a colour and marker per series, the key in the sixth.
#
# Data (in): a block per series (gnuplot "index"), each with the header
#   x,mean_s,ci95_lo_s,ci95_hi_s,P_s,P_lo_s,P_hi_s (P in p50 p95 p99 p999),runs
# The mean's interval is Student t over runs; a pooled percentile's is the
# distribution-free order-statistic interval.  An empty (NaN) bound is one
# the samples cannot give (e.g. p99.9 from fewer than ~3700): its bar runs
# to the edge of the panel, i.e. "not bounded", never silently left out.
# Variables: title, xlabel, nseries, series[] (names; "" for a single
# series), logy (1: latencies span decades, use a log scale), ymin, ymax,
# dodge, pct_ci (0: results from before the pooled intervals, whose
# percentiles are drawn without bars).
#
# Why points and not lines for the percentiles: a pooled percentile is
# measured at the swept values only, and between them it does not move
# along a straight line: a retransmission-driven latency jumps from one
# RTO step to the next (p95 1.05 s -> 3.05 s).  A solid line would show
# values no run produced, so each percentile is a point with its interval,
# and a faint dotted guide only says which points belong together.  The
# mean is a smooth function of the swept value: it keeps a solid line.

if (logy) {
  set logscale y
  set format y "%g"
  set mytics 10
  ybot = ymin / 1.25
  ytop = ymax * 1.25
  # 1-2-5 labels: a decade or two of range otherwise gets one or two
  # labels; over more decades they would collide in a half-height panel
  if (ytop / ybot < 300) {
    set ytics add (0.002, 0.005, 0.02, 0.05, 0.2, 0.5, 2, 5, 20, 50, 200, 500)
  }
} else {
  ybot = 0
  ytop = ymax * 1.06
}
set yrange [ybot : ytop]
# a little room beyond the first and last sweep values
set autoscale xfix
set offsets graph 0.05, graph 0.05, 0, 0
# a bound that is not there, or below a log axis, is drawn to the edge
lo_of(v) = (v == v && v > ybot ? v : ybot)
hi_of(v) = (v == v ? v : ytop)
# dodge: series i is drawn shifted by xd(i) so its error bars stay visible
xd(i) = (i - (nseries + 1) / 2.0) * dodge

array stat[5] = ["mean_s", "p50_s", "p95_s", "p99_s", "p999_s"]
array stat_lo[5] = ["ci95_lo_s", "p50_lo_s", "p95_lo_s", "p99_lo_s", "p999_lo_s"]
array stat_hi[5] = ["ci95_hi_s", "p50_hi_s", "p95_hi_s", "p99_hi_s", "p999_hi_s"]
array stat_title[5] = ["mean (95 % CI over runs)", "median, p50 (pooled)", \
                       "p95 (pooled)", "p99 (pooled)", "p99.9 (pooled)"]
panel_font = sprintf("%s,%g", font_name, fontsize)

set multiplot title title font sprintf("%s,%g", font_name, fontsize + 2)
unset key
left = 0.09
right = 0.99
top = 0.89
bottom = 0.02
pw = (right - left) / 3
ph = (top - bottom) / 2
do for [p = 1:5] {
  c = (p - 1) % 3
  r = int((p - 1) / 3)
  set lmargin at screen (left + c * pw + 0.012)
  set rmargin at screen (left + (c + 1) * pw - 0.012)
  set tmargin at screen (top - r * ph - 0.04)
  set bmargin at screen (top - (r + 1) * ph + 0.10)
  set title stat_title[p] . (p == 5 && !pct_ci ? ": not in these results" : "") \
      font panel_font
  if (c == 0) { set ylabel "handshake latency (s)" offset 1, 0; set format y "%g" } \
  else { unset ylabel; set format y "" }
  # the top row shares the bottom row's x axis
  if (r == 1 || p == 3) { set xlabel xlabel } else { unset xlabel }
  if (p == 1) {
    plot \
      for [i = 1:nseries] in index (i - 1) \
          using (column("x") + xd(i)):"mean_s":(lo_of(column("ci95_lo_s"))) \
                :(hi_of(column("ci95_hi_s"))) \
          with yerrorbars lt i lw 1.2 pt -1 notitle, \
      for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):"mean_s" \
          with linespoints lt i notitle
  } else {
    if (pct_ci) {
      plot \
        for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):(column(stat[p])) \
            with lines lt i lw 0.8 dt 3 notitle, \
        for [i = 1:nseries] in index (i - 1) \
            using (column("x") + xd(i)):(column(stat[p])):(lo_of(column(stat_lo[p]))) \
                  :(hi_of(column(stat_hi[p]))) \
            with yerrorbars lt i lw 1.2 notitle
    } else {
      plot \
        for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):(column(stat[p])) \
            with lines lt i lw 0.8 dt 3 notitle, \
        for [i = 1:nseries] in index (i - 1) using (column("x") + xd(i)):(column(stat[p])) \
            with points lt i notitle
    }
  }
}

# the sixth cell: the key and what the marks mean
set lmargin at screen (left + 2 * pw + 0.03)
set rmargin at screen right
set tmargin at screen (top - ph - 0.04)
set bmargin at screen (top - 2 * ph + 0.10)
unset border
unset tics
unset grid
unset xlabel
unset ylabel
unset title
unset logscale y
set xrange [0:1]
set yrange [0:1]
note_ci = "bars: 95 % intervals; pooled: all\nruns' samples, order statistics;\n" . \
          "dotted: a guide between sweep\npoints, not data; a bar to the\n" . \
          "edge: not bounded by the samples"
note_old = "pooled: all runs' samples (these\nresults have no intervals for them);\n" . \
           "dotted: a guide between sweep\npoints, not data"
set label 20 (pct_ci ? note_ci : note_old) at graph 0, graph (nseries > 1 ? 0.38 : 0.95) \
    left font sprintf("%s,%g", font_name, fontsize - 2) \
    tc "#444444"
set key at graph 0, graph 1 left top vertical Left reverse nobox noopaque samplen 2 width 1
plot for [i = 1:nseries] NaN with linespoints lt i title (nseries > 1 ? series[i] : "")
unset multiplot
