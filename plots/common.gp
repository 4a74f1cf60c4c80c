# SPDX-License-Identifier: GPL-3.0-or-later
# plots/common.gp - the look every synack figure shares: terminal, size,
# font, the Okabe-Ito colour-blind-safe palette, grid and key.
#
# synack writes each figure's script as: variable assignments, this file,
# then the figure's template.  Variables read here:
#   term    "png", "svg" or "pdf"
#   out     output file
#   width, height   size in pixels (pdf: the same at 96 px per inch)
# The three terminals are set up to look the same: pngcairo draws a font
# point as 4/3 pixel, so svg (sized in pixels) scales fonts by 4/3; pdfcairo
# at 96 px per inch draws them 4/3 too large, so it scales them by 3/4.

if (!exists("width")) width = 960
if (!exists("height")) height = 600
if (!exists("fontsize")) fontsize = 11
font_name = "DejaVu Sans"

if (term eq "png") {
  set terminal pngcairo size width, height font sprintf("%s,%g", font_name, fontsize) \
      noenhanced linewidth 1.2 background "white"
} else {
  if (term eq "svg") {
    set terminal svg size width, height font sprintf("%s,%g", font_name, fontsize) \
        fontscale 4.0 / 3 noenhanced linewidth 1.2 background "white"
  } else {
    if (term eq "pdf") {
      set terminal pdfcairo size (width / 96.0), (height / 96.0) \
          font sprintf("%s,%g", font_name, fontsize) fontscale 0.75 noenhanced linewidth 1.2
    } else {
      print sprintf("synack: unknown output format \"%s\" (png, svg or pdf)", term)
      exit status 1
    }
  }
}
set output out

# Okabe & Ito (2008), "Color Universal Design": distinguishable with any
# common colour-vision deficiency.  Yellow comes last: it is faint on white.
array okabe_ito[8] = ["#0072B2", "#D55E00", "#009E73", "#E69F00", \
                      "#CC79A7", "#56B4E9", "#000000", "#F0E442"]
# filled circle, square, triangle, diamond, pentagon, ...: a shape per colour
array marker[8] = [7, 5, 9, 13, 15, 11, 3, 1]
do for [i = 1:8] {
  set linetype i linecolor rgb okabe_ito[i] linewidth 2 pointtype marker[i] pointsize 1.1 \
      dashtype solid
}
set linetype cycle 8

set datafile separator comma
set datafile columnheaders
set style line 100 linecolor rgb "#d9d9d9" linewidth 0.8 dashtype solid
set grid xtics ytics linestyle 100
set border 3 linewidth 1.0
set tics nomirror out scale 0.6
set key noautotitle
set key box linecolor rgb "#bbbbbb" opaque samplen 2.5 spacing 1.1
set title font sprintf("%s,%g", font_name, fontsize + 2)
