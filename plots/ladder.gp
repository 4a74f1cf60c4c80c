# SPDX-License-Identifier: GPL-3.0-or-later
# plots/ladder.gp - the time-sequence (ladder) diagram of one connection:
# client line left, server line right, time running down, an arrow per
# segment from its send time to its arrival.
#
# Data (in, tab-separated: labels hold commas), four blocks:
#   0 arrows  x0 y0 dx dy kind fate label lx ly angle sent_s arrived_s
#             kind: 1 first transmission, 2 retransmission, 3 link copy;
#             fate: 1 delivered, 2 lost (ends in a cross), 3 still in flight
#   1 states  side x y y_line state time_s initial (side 0 client, 1 server)
#   2 lines   x y0 dy dotted (dotted across shortened idle stretches)
#   3 gaps    x y label (the true length of each shortened stretch)
# y is drawn time (not to scale across gaps); the driver computed every
# position and label angle for this exact frame, so keep the margins:
# Variables: title, note, client_title, server_title, width, height,
# xmin, xmax, ytop, ybot, lmargin_px, rmargin_px, tmargin_px, bmargin_px,
# tick_label[], tick_y[], has_retrans, has_copy, has_loss.

set datafile separator tab
small_font = sprintf("%s,%g", font_name, fontsize - 2)
label_font = sprintf("%s,%g", font_name, fontsize - 1)
bold_font = sprintf("%s:Bold,%g", font_name, fontsize - 1)
gap_font = sprintf("%s:Italic,%g", font_name, fontsize - 1)
head_font = sprintf("%s,%g", font_name, fontsize + 1)
array kind_colour[3] = ["#0072B2", "#D55E00", "#CC79A7"]
array kind_dash[3] = [1, 2, 3]
arrow_head = "head filled size screen 0.011,22"

set lmargin at screen lmargin_px / (1.0 * width)
set rmargin at screen 1 - rmargin_px / (1.0 * width)
set tmargin at screen 1 - tmargin_px / (1.0 * height)
set bmargin at screen bmargin_px / (1.0 * height)
set xrange [xmin:xmax]
set yrange [ybot:ytop]          # time runs down
unset xtics
unset x2tics
unset grid
set border 2 linecolor "#888888"
set ytics nomirror out scale 0.5 font small_font
set ytics ()
do for [i = 1:|tick_y|] {
  set ytics add (tick_label[i] tick_y[i])
}
set ylabel "time (s); idle stretches shortened" offset 1, 0
# title and note at the top of the page: the host names sit above the plot
set label 3 title at screen 0.5, 1 - 24.0 / height center font head_font
set label 4 note at screen 0.5, 1 - 48.0 / height center font label_font tc "#444444"
set label 1 client_title at first 0, first ytop center offset 0, 1.2 \
    font head_font
set label 2 server_title at first 1, first ytop center offset 0, 1.2 \
    font head_font
set style textbox opaque noborder margins 1, 1
set key at screen 0.5, 0.012 center bottom horizontal nobox noopaque samplen 3 width 2

is(c, v) = (column(c) == v)
pick(c, ok) = (ok ? column(c) : NaN)

plot \
  in index 2 using "x":"y0":(0):(pick("dy", !is("dotted", 1))) with vectors nohead \
     lw 3 lc "#555555" notitle, \
  in index 2 using "x":"y0":(0):(pick("dy", is("dotted", 1))) with vectors nohead \
     lw 2 lc "#999999" dt 3 notitle, \
  in index 3 using "x":"y":(strcol("label")) with labels center boxed \
     font gap_font tc "#666666" notitle, \
  for [k = 1:3] in index 0 using "x0":"y0":"dx":(pick("dy", is("kind", k) && is("fate", 1))) \
     with vectors @arrow_head lw 1.8 lc rgb kind_colour[k] dt kind_dash[k] notitle, \
  for [k = 1:3] in index 0 using "x0":"y0":"dx":(pick("dy", is("kind", k) && !is("fate", 1))) \
     with vectors nohead lw 1.8 lc rgb kind_colour[k] dt kind_dash[k] notitle, \
  in index 0 using (column("x0") + column("dx")):(pick("y0", is("fate", 2)) + column("dy")) \
     with points pt 2 ps 2.2 lw 2.5 lc "black" notitle, \
  for [k = 1:3] in index 0 using "lx":(pick("ly", is("kind", k))):(strcol("label")):"angle" \
     with labels rotate variable center font label_font \
     tc rgb kind_colour[k] notitle, \
  in index 1 using "side":(pick("y_line", !is("initial", 1))) \
     with points pt 7 ps 0.7 lc "#333333" notitle, \
  in index 1 using "x":(pick("y", is("side", 0))):(strcol("state")) with labels right \
     font bold_font tc "#222222" notitle, \
  in index 1 using "x":(pick("y", is("side", 1))):(strcol("state")) with labels left \
     font bold_font tc "#222222" notitle, \
  NaN with vectors @arrow_head lw 1.8 lc rgb kind_colour[1] title "segment", \
  NaN with vectors @arrow_head lw 1.8 lc rgb kind_colour[2] dt 2 \
      title (has_retrans ? "retransmission" : ""), \
  NaN with vectors @arrow_head lw 1.8 lc rgb kind_colour[3] dt 3 \
      title (has_copy ? "copy made by the link" : ""), \
  NaN with points pt 2 ps 2 lw 2.5 lc "black" title (has_loss ? "lost" : "")
