# SPDX-License-Identifier: GPL-3.0-or-later
# plots/failures.gp - how handshakes go wrong, by kind, against the swept
# parameter: a panel per series (2-way beside 3-way), the same y scale in
# every panel, one key below them all.
#
# Data (in): a block per series, each with the header
#   x,x_label,K_pct,K_lo_pct,K_hi_pct for K in failed half_open duplicate
#   ghost reset no_port gave_up, then attempts (pooled over the runs)
# in % of attempts, with the Wilson 95 % interval over the pooled attempts.
# "failed" is drawn split by cause: no_port (every client port was busy,
# runs.csv's ports_exhausted) and gave_up (the rest: the client gave up,
# or a RST refused it).  A bar at 0 is drawn without its interval: the
# whiskers of many zeros read as a barcode, and their bound is the same
# for every kind, so a panel where nothing went wrong says it in a note.
# Variables: title, xlabel, nseries, series[], npoints[] (rows per
# series), label_step[] (an x label every so many rows, so that they do
# not collide), note[] ("" or the text of a panel without any failure),
# nnotes, kind_seen[] (1 for a kind above 0 somewhere, in the order of
# kind[] below: a kind never seen gets no bar, so the others stay wide,
# and the key names it as never seen), ymax.

array kind[6] = ["no_port", "gave_up", "half_open", "duplicate", "ghost", "reset"]
array kind_title[6] = ["failed: no free client port", "failed: gave up or refused", \
                       "half-open (one end only)", "duplicate (executed twice)", \
                       "ghost (old duplicate)", "reset (by a RST)"]
array kind_colour[6] = [2, 1, 4, 3, 5, 6]
array drawn[6]
ndrawn = 0
absent = ""
do for [k = 1:6] {
  if (kind_seen[k]) {
    ndrawn = ndrawn + 1
    drawn[ndrawn] = k
  } else {
    absent = absent . (absent eq "" ? "" : ", ") . kind_title[k]
  }
}
if (ndrawn == 0) { ndrawn = 1; drawn[1] = 1 }
note_font = sprintf("%s,%g", font_name, fontsize + 1)

# 4 series as 2 x 2, not 3 + 1: wider panels, and a row's x label clear of
# the titles of the row below
cols = (nseries < 3 ? nseries : (nseries == 4 ? 2 : 3))
rows = int((nseries + cols - 1) / cols)
key_top = (nnotes < nseries ? 0.10 : 0.0)  # the key's band at the bottom
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
  set tmargin at screen (top - r * panel_h - (rows > 1 ? 0.05 : 0.04))
  set bmargin at screen (top - (r + 1) * panel_h + (rows > 1 ? 0.11 : 0.09))
  # y labels on the left of a row, or right of a panel that is only a note
  first = (c == 0 || note[s - 1] ne "")
  panel_name = (series[s] ne "" ? series[s] : (note[s] ne "" ? "" : "all runs"))
  # no room for a y axis label right of a note: the unit joins the title
  set title panel_name . (c > 0 && first && note[s] eq "" ? " (% of attempts)" : "") \
      font sprintf("%s,%g", font_name, fontsize + 1)
  if (c > 0) { unset ylabel } else { set ylabel "% of attempts (95 % CI)" offset 1, 0 }
  set xrange [-0.6 : npoints[s] - 0.4]
  if (note[s] ne "") {
    # nothing to draw but the note: no axes, no bars
    unset border
    unset tics
    unset grid
    unset ylabel
    unset xlabel
    set label 10 note[s] at graph 0.5, 0.5 center font note_font tc "#222222"
    plot NaN notitle
    unset label 10
    set border 3
    set tics
    set xtics nomirror scale 0
    set ytics nomirror out scale 0.6
    set grid noxtics ytics
    set xlabel xlabel
  } else {
    if (!first) { set format y "" } else { set format y "%g" }
    plot for [j = 1:ndrawn] in index (s - 1) \
         using (column(kind[drawn[j]] . "_pct")) \
               :(column(kind[drawn[j]] . "_pct") > 0 ? column(kind[drawn[j]] . "_lo_pct") : 0) \
               :(column(kind[drawn[j]] . "_pct") > 0 ? column(kind[drawn[j]] . "_hi_pct") : 0) \
               :xtic(int(column(0)) % int(label_step[s]) == 0 ? strcol("x_label") : "") \
         lt kind_colour[drawn[j]] notitle
  }
}

if (nnotes == nseries) {
  unset multiplot
  exit
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
set key maxcols 3
if (absent ne "") {
  set label 11 "never seen: " . absent at screen 0.5, 0.012 center \
      font sprintf("%s,%g", font_name, fontsize - 2) tc "#444444"
  set key center top
}
plot for [j = 1:ndrawn] NaN with boxes lt kind_colour[drawn[j]] fillstyle solid 0.85 \
     border lc "#333333" title kind_title[drawn[j]]
unset multiplot
