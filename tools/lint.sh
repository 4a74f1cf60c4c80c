#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/lint.sh SRCDIR [layers|columns|all] - checks the source tree's shape.
#
#   layers   the includes follow the layers (README, "Development"), read
#            from the #include "..." lines, followed through headers:
#     - core/engine includes nothing from core/network or above;
#     - core/ includes nothing from models/, experiments/ or plots/;
#     - a model (models/) includes only the public network headers
#       (plugin.h, protocol.h, tcp.h, segment.h: what an out-of-tree plugin
#       can include) and models/*.h, and through them nothing that is not
#       installed (core/Makefile.am, synackinclude_HEADERS);
#     - a loss or delay model never sees the TCP configuration: nothing it
#       includes pulls protocol.h or tcp.h;
#     - experiments/ loads the models as plugins, never includes them;
#     - plots/ read result files: of core/ they may include the engine's
#       headers for reading them alone (csv.h, text.h, clock.h for the units
#       of durations and rates, histogram.h for latency samples): never the
#       scheduler, random streams, parameters, traces or the network, and
#       nothing from models/.
#   columns  C lines longer than 80 columns in core/, models/, experiments/
#            and plots/ (STYLE.md: under 80).
#
# Prints one line per violation (FILE: what is wrong) and exits 1 if there
# is any.  `make lint` runs all; `make check` runs layers (tests/test-layers.sh).
set -u

srcdir=${1:-.}
what=${2:-all}
cd "$srcdir" || exit 2

files=$(find core models experiments plots -name '*.[ch]' | LC_ALL=C sort)

layers () {
  # the installed headers, from core/Makefile.am
  public=$(sed -n '/^synackinclude_HEADERS/,/^$/p' core/Makefile.am |
           tr ' \t\\' '\n\n\n' | sed -n 's|^.*/\([a-z0-9_-]*\.h\)$|\1|p' | tr '\n' ' ')
  [ -n "$public" ] || { echo "core/Makefile.am: no synackinclude_HEADERS"; return 1; }
  plots_engine="csv.h text.h clock.h histogram.h"
  # shellcheck disable=SC2086
  awk -v public="$public" -v plots_engine="$plots_engine" '
    FNR == 1 { path[++n] = FILENAME; name = FILENAME; sub (/.*\//, "", name)
               where[name] = FILENAME }
    /^[ \t]*#[ \t]*include[ \t]*"/ {
      inc = $0; sub (/^[^"]*"/, "", inc); sub (/".*$/, "", inc)
      edges[FILENAME] = edges[FILENAME] " " inc
    }
    function layer (p) {
      if (p ~ /^core\/engine\//) return "engine"
      if (p ~ /^core\//) return "network"
      if (p ~ /^models\//) return "models"
      if (p ~ /^experiments\//) return "experiments"
      if (p ~ /^plots\//) return "plots"
      return "?"
    }
    # every project header @p reaches: seen[h] is "" for what @p includes
    # itself, else the header it includes that leads there
    function reach (p, via,    k, m, list, h) {
      m = split (edges[p], list, " ")
      if (via == "")
        for (k = 1; k <= m; k++)
          if (list[k] in where) seen[list[k]] = ""
      for (k = 1; k <= m; k++) {
        h = list[k]
        if (!(h in where) || (via != "" && (h in seen))) continue
        if (via != "") seen[h] = via
        if (!(h in walked)) { walked[h] = 1; reach (where[h], via == "" ? h : via) }
      }
    }
    function bad (p, h, why) {
      printf "%s: includes %s%s: %s\n", p, h, seen[h] == "" ? "" : " (through " seen[h] ")", why
      errors++
    }
    END {
      np = split (public, pl, " ")
      for (k = 1; k <= np; k++) pub[pl[k]] = 1
      np = split (plots_engine, pl, " ")
      for (k = 1; k <= np; k++) plot_ok[pl[k]] = 1
      for (i = 1; i <= n; i++) {
        p = path[i]; lp = layer(p)
        delete seen; delete walked
        reach(p, "")
        base = p; sub (/.*\//, "", base)
        for (h in seen) {
          lh = layer(where[h])
          if (lp == "engine" && lh != "engine")
            bad(p, h, "the engine knows no network, models or program")
          else if (lp == "network" && (lh == "models" || lh == "experiments" || lh == "plots"))
            bad(p, h, "core/ includes nothing above it")
          else if (lp == "models") {
            if (lh != "models" && !(h in pub))
              bad(p, h, "a model includes only installed headers")
            else if (seen[h] == "" && lh == "engine")
              bad(p, h, "a model includes the network headers (plugin.h, protocol.h), not the engine")
            else if (base ~ /^(loss|delay)-/ && (h == "protocol.h" || h == "tcp.h"))
              bad(p, h, "loss and delay plugins see no TCP configuration")
          } else if (lp == "experiments" && lh == "models") {
            bad(p, h, "the program loads models as plugins, never includes them")
          } else if (lp == "plots") {
            if ((lh == "engine" && !(h in plot_ok)) || lh == "network" || lh == "models")
              bad(p, h, "plots read result files; of core/ only " plots_engine)
          }
        }
      }
      exit errors > 0
    }' $files
}

columns () {
  # shellcheck disable=SC2086
  awk '{ line = $0; gsub (/\t/, "        ", line) }
       length (line) > 80 { printf "%s:%d: %d columns\n", FILENAME, FNR, length (line); n++ }
       END { if (n) printf "%d lines over 80 columns\n", n; exit n > 0 }' $files
}

case $what in
  layers) layers ;;
  columns) columns ;;
  all) layers; a=$?; columns; b=$?; [ $a -eq 0 ] && [ $b -eq 0 ] ;;
  *) echo "usage: $0 SRCDIR [layers|columns|all]" >&2; exit 2 ;;
esac
