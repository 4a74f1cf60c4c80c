#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/make-figures.sh ABS_BUILDDIR ABS_SRCDIR - regenerates the README's
# figures in ABS_SRCDIR/doc/figures/ (`make figures` calls it).
#
# Runs the shipped experiments with the built synack into a temporary
# directory, draws the figures the README shows and copies the PNGs:
#   ladder-clean.png          a clean 3-way open and 4-way close
#   ladder-lost-synack.png    the same with the first SYN,ACK lost
#   ladder-tfo-replay.png     a TCP Fast Open SYN-data replayed 20 s late
#   two-way-vs-three-way.png  failure kinds, 2-way beside 3-way, vs loss
#   handshake-designs.png     failure kinds of the four handshake designs
#   handshake-designs-request.png   their request latency (mean, p99) vs loss
#   handshake-latency-vs-loss.png   latency vs loss per timer profile
#   handshake-latency-cdf.png       its CDF: the retransmission staircase
#   handshake-latency-ccdf.png      its tail, P(latency > x), log-log
#   time-wait.png             ports, stale segments and TIME_WAIT (counts)
#   syn-flood.png             backlog drops and SYN retransmissions (counts)
# Extra arguments for the two large runs (e.g. to preview quickly:
# SYNACK_FIGURES_ARGS="--set experiment.replications=2") come from
# $SYNACK_FIGURES_ARGS.  Needs gnuplot (Debian: gnuplot-nox).
set -eu

if [ $# -ne 2 ]; then
  echo "usage: $0 ABS_BUILDDIR ABS_SRCDIR" >&2
  exit 2
fi
builddir=$1
srcdir=$2
synack="$builddir/experiments/synack"
figures="$srcdir/doc/figures"

SYNACK_PLUGIN_PATH="$builddir/models/.libs"
SYNACK_PLOTS_DIR="$srcdir/plots"
export SYNACK_PLUGIN_PATH SYNACK_PLOTS_DIR

[ -x "$synack" ] || { echo "$0: $synack not built (run make)" >&2; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/synack-figures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
trap 'exit 1' HUP INT TERM

# run NAME [ARGS...]: experiments/NAME.ini into $tmp/NAME
run () {
  name=$1
  shift
  echo "make-figures: running $name"
  "$synack" run "$srcdir/experiments/$name.ini" -o "$tmp/$name" --quiet "$@"
}

run ladder-clean
"$synack" ladder "$tmp/ladder-clean/traces/0-0-segments.csv" --conn 1 \
  -o "$tmp/ladder-clean.png"

run ladder-lost-synack
"$synack" ladder "$tmp/ladder-lost-synack/traces/0-0-segments.csv" --conn 1 \
  -o "$tmp/ladder-lost-synack.png"

run ladder-tfo-replay
"$synack" ladder "$tmp/ladder-tfo-replay/traces/0-0-segments.csv" --conn 2 \
  -o "$tmp/ladder-tfo-replay.png"

# shellcheck disable=SC2086 # SYNACK_FIGURES_ARGS is a list of arguments
run two-way-vs-three-way ${SYNACK_FIGURES_ARGS:-}
"$synack" plot "$tmp/two-way-vs-three-way" --format png --only failures

# shellcheck disable=SC2086
run handshake-designs ${SYNACK_FIGURES_ARGS:-}
"$synack" plot "$tmp/handshake-designs" --format png --only failures
"$synack" plot "$tmp/handshake-designs" --format png --only request

# shellcheck disable=SC2086
run handshake-latency-vs-loss ${SYNACK_FIGURES_ARGS:-}
"$synack" plot "$tmp/handshake-latency-vs-loss" --format png --only latency
"$synack" plot "$tmp/handshake-latency-vs-loss" --format png --only cdf
"$synack" plot "$tmp/handshake-latency-vs-loss" --format png --only ccdf

# shellcheck disable=SC2086
run time-wait ${SYNACK_FIGURES_ARGS:-}
"$synack" plot "$tmp/time-wait" --format png --only counts

# shellcheck disable=SC2086
run syn-flood ${SYNACK_FIGURES_ARGS:-}
"$synack" plot "$tmp/syn-flood" --format png --only counts

mkdir -p "$figures"
cp "$tmp/ladder-clean.png" "$tmp/ladder-lost-synack.png" "$tmp/ladder-tfo-replay.png" \
  "$figures/"
cp "$tmp/two-way-vs-three-way/plots/failures.png" "$figures/two-way-vs-three-way.png"
cp "$tmp/handshake-designs/plots/failures.png" "$figures/handshake-designs.png"
cp "$tmp/handshake-designs/plots/request.png" "$figures/handshake-designs-request.png"
cp "$tmp/handshake-latency-vs-loss/plots/latency.png" "$figures/handshake-latency-vs-loss.png"
cp "$tmp/handshake-latency-vs-loss/plots/cdf.png" "$figures/handshake-latency-cdf.png"
cp "$tmp/handshake-latency-vs-loss/plots/ccdf.png" "$figures/handshake-latency-ccdf.png"
cp "$tmp/time-wait/plots/counts.png" "$figures/time-wait.png"
cp "$tmp/syn-flood/plots/counts.png" "$figures/syn-flood.png"
echo "make-figures: wrote the figures listed at the top of $0 into $figures/"
