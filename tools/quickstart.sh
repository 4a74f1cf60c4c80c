#!/bin/sh
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

[ -x configure ] || ./autogen.sh > /dev/null
[ -f Makefile ] || ./configure --quiet
make -j"$(nproc)" > /dev/null

./experiments/synack run experiments/quickstart.ini --force
./experiments/synack plot results/quickstart
echo "quickstart: results in results/quickstart/, figures in results/quickstart/plots/"
