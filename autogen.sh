#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# Generates configure and the Makefile.in files (they are not in git).
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
autoreconf --force --install --verbose
echo "Now run ./configure && make"
