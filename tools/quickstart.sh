#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Quick start: installs the Debian packages synack needs, builds it, runs the
# default experiment and draws its figures.  Run from the source tree:
#   tools/quickstart.sh
set -eu
cd "$(dirname "$0")/.."

packages="build-essential autoconf automake libtool pkg-config libglib2.0-dev libgsl-dev gnuplot-nox"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "quickstart: installing$missing"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing
fi

log=quickstart-build.log
step () { printf 'quickstart: %s\n' "$1"; }
fail () { echo "quickstart: $1 failed; the last lines of $log:" >&2; tail -n 20 "$log" >&2; exit 1; }

: > "$log"
if [ ! -x configure ]; then
  step "generating configure (autogen.sh)"
  ./autogen.sh >> "$log" 2>&1 || fail "autogen.sh"
fi
if [ ! -f Makefile ]; then
  step "configuring"
  ./configure --quiet >> "$log" 2>&1 || fail "configure"
fi
step "building (about 20 s on 2 cores; log in $log)"
make -j"$(nproc)" >> "$log" 2>&1 || fail "make"

step "running experiments/quickstart.ini"
./experiments/synack run experiments/quickstart.ini --force
step "drawing its figures"
./experiments/synack plot results/quickstart
echo "quickstart: results in results/quickstart/, figures in results/quickstart/plots/"
echo "quickstart: synack is ./experiments/synack here; 'make install' puts it on your PATH"
echo "quickstart:   (e.g. ./configure --prefix=\$HOME/.local && make install)"
