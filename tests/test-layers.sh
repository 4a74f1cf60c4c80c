#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/test-layers.sh - the layers hold (tools/lint.sh layers, TAP output).
#
# The source tree must pass.  Then each row adds one #include to a copy of
# the tree and says whether the lint must refuse it, and with which rule:
# the layers of issue 8 (engine below network below models, experiments and
# plots; a plugin sees only installed headers; plots read result files).
# Then the 80-column rule of STYLE.md (tools/lint.sh columns): the tree
# passes, and one line of 81 columns is refused.
set -u

top=${SYNACK_TEST_TOP_SRCDIR:-$(dirname "$0")/..}
lint="$top/tools/lint.sh"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/synack-layers-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# file  include  expected ("ok" or a piece of the message)
rows='
core/engine/sched.c segment.h the engine knows no network
core/engine/params.h net.h the engine knows no network
core/engine/csv.c tcp-common.h the engine knows no network
core/network/run.c config.h core/ includes nothing above it
core/network/oracle.h plot.h core/ includes nothing above it
models/loss-bernoulli.c tcp.h loss and delay plugins see no TCP configuration
models/delay-constant.c protocol.h loss and delay plugins see no TCP configuration
core/network/plugin.h tcp.h loss and delay plugins see no TCP configuration
models/protocol-tcp2way.c oracle.h a model includes only installed headers
models/tcp-common.h trace.h a model includes only installed headers
models/protocol-tcp3way.c runner.h a model includes only installed headers
models/loss-none.c rng.h not the engine
experiments/runner.c tcp-common.h the program loads models as plugins
plots/plot.c sched.h plots read result files
plots/ladder.c config.h plots read result files
plots/ladder.h tcp-common.h plots read result files
plots/plot.c params.h plots read result files
models/loss-none.c segment.h ok
models/protocol-tcp2way.c tcp.h ok
plots/ladder.c stats.h ok
plots/plot.c csv.h ok
plots/plot.c clock.h ok
plots/ladder.c rng.h plots read result files
experiments/main.c plot.h ok
core/network/link.c text.h ok
'

n=$(printf '%s\n' "$rows" | grep -c .)
echo "1..$((n + 3))"

if out=$("$lint" "$top" layers 2>&1); then
  echo "ok 1 /layers/tree"
else
  echo "not ok 1 /layers/tree"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

if out=$("$lint" "$top" columns 2>&1); then
  echo "ok 2 /layers/columns/tree"
else
  echo "not ok 2 /layers/columns/tree"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

rm -rf "$tmp/tree" && mkdir -p "$tmp/tree/core/engine" "$tmp/tree/models" \
  "$tmp/tree/experiments" "$tmp/tree/plots"
cp "$top/core/engine/clock.c" "$tmp/tree/core/engine/"
printf '/* %75s */\n' "" >> "$tmp/tree/core/engine/clock.c"
out=$("$lint" "$tmp/tree" columns 2>&1)
if [ $? -ne 0 ] && printf '%s\n' "$out" | grep -q "clock.c:.*: 81 columns"; then
  echo "ok 3 /layers/columns/81-refused"
else
  echo "not ok 3 /layers/columns/81-refused"
  printf '%s\n' "$out" | sed 's/^/# /'
fi

i=3
printf '%s\n' "$rows" | while read -r file inc expect; do
  [ -n "$file" ] || continue
  i=$((i + 1))
  name="/layers/$(echo "$file" | tr / -)/$inc"
  rm -rf "$tmp/tree" && mkdir "$tmp/tree"
  (cd "$top" && find core models experiments plots -name '*.[ch]' && echo core/Makefile.am) |
    (cd "$top" && xargs tar cf -) | (cd "$tmp/tree" && tar xf -)
  printf '#include "%s"\n' "$inc" >> "$tmp/tree/$file"
  out=$("$lint" "$tmp/tree" layers 2>&1)
  rc=$?
  if [ "$expect" = ok ]; then
    if [ $rc -eq 0 ]; then echo "ok $i $name"; else
      echo "not ok $i $name"; printf '%s\n' "$out" | sed 's/^/# /'; fi
  elif [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q "^$file: includes $inc.*$expect"; then
    echo "ok $i $name"
  elif [ $rc -ne 0 ] && printf '%s\n' "$out" | grep -q "$expect"; then
    # refused through another file that includes the changed header
    echo "ok $i $name"
  else
    echo "not ok $i $name (expected: $expect)"
    printf '%s\n' "$out" | sed 's/^/# /'
  fi
done
