# plots/failures.gp - how handshakes go wrong, by kind, against the swept
# parameter: a panel per series (2-way beside 3-way), the same y scale in
# every panel, one key below them all.
#
# Data (in): a block per series, each with the header
#   x,x_label,K_pct,K_lo_pct,K_hi_pct for K in failed half_open duplicate
#   ghost reset
# in % of attempts, with the Wilson 95 % interval over the pooled attempts
# (a bar at 0 still has an interval: n attempts without one bound the rate).
# Variables: title, xlabel, nseries, series[], npoints[] (rows per
# series), ymax.

array kind[5] = ["failed", "half_open", "duplicate", "ghost", "reset"]
array kind_title[5] = ["failed (client gave up)", "half-open (one end only)", \
                       "duplicate (executed twice)", "ghost (old duplicate)", \
                       "reset (by a RST)"]

cols = (nseries < 3 ? nseries : 3)
rows = int((nseries + cols - 1) / cols)
key_top = 0.10          # the key's band at the bottom of the page
top = 0.90              # below the title
panel_h = (top - key_top) / rows

set style data histogram
set style histogram errorbars gap 1.5 lw 1
set style fill solid 0.85 border lc "#333333"
set boxwidth 0.9 relative
set errorbars lc "#555555" lw 1
set yrange [0:ymax]
set xtics nomirror scale 0
set grid noxtics ytics
set xlabel xlabel
unset key

set multiplot title title font sprintf("%s,%g", font_name, fontsize + 2)
do for [s = 1:nseries] {
  c = (s - 1) % cols
  r = int((s - 1) / cols)
  set lmargin at screen (0.10 + c * 0.89 / cols)
  set rmargin at screen (0.10 + (c + 1) * 0.89 / cols - 0.03)
  set tmargin at screen (top - r * panel_h - 0.04)
  set bmargin at screen (top - (r + 1) * panel_h + 0.09)
  set title (series[s] ne "" ? series[s] : "all runs") font sprintf("%s,%g", font_name, fontsize + 1)
  if (c > 0) { unset ylabel } else { set ylabel "% of attempts (95 % CI)" offset 1, 0 }
  set xrange [-0.6 : npoints[s] - 0.4]
  plot for [k = 1:5] in index (s - 1) \
       using (column(kind[k] . "_pct")):(column(kind[k] . "_lo_pct")):(column(kind[k] . "_hi_pct")):xtic(strcol("x_label")) \
       lt k notitle
}

# the key: an empty plot across the bottom band
set lmargin at screen 0.02
set rmargin at screen 0.98
set bmargin at screen 0.0
set tmargin at screen key_top
unset border
unset tics
unset grid
unset xlabel
unset ylabel
unset title
set xrange [0:1]
set yrange [0:1]
set key center center horizontal maxrows 2 Left reverse nobox noopaque samplen 1.5 width 2
plot for [k = 1:5] NaN with boxes lt k fillstyle solid 0.85 border lc "#333333" title kind_title[k]
unset multiplot
