#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# `make check-valgrind`: the scenario tests and short synack batches under
# valgrind's memcheck.  Passes only with zero memcheck errors and zero
# definite leaks (--errors-for-leak-kinds=definite: "possibly" and "still
# reachable" blocks are GLib's type system and thread pools, kept until exit
# by design).  GLib's slice allocator would hide blocks from memcheck, so
# G_SLICE=always-malloc; G_DEBUG=gc-friendly clears freed memory (GLib's
# "Running GLib Applications" documents both for valgrind).
# Run from tests/ of the build tree with the test environment set (the
# Makefile does both); LIBTOOL runs the uninstalled programs.
set -u
: "${VALGRIND:=valgrind}"
: "${LIBTOOL:=../libtool}"
G_SLICE=always-malloc; export G_SLICE
G_DEBUG=gc-friendly; export G_DEBUG
unset MALLOC_CHECK_   # glibc's own checks would only slow memcheck down

# 99: a memcheck error, told apart from synack's own exit codes
flags="--quiet --error-exitcode=99 --leak-check=full --show-leak-kinds=definite \
 --errors-for-leak-kinds=definite --num-callers=30"
supp=$(pkg-config --variable=prefix glib-2.0 2>/dev/null)/share/glib-2.0/valgrind/glib.supp
[ -f "$supp" ] && flags="$flags --suppressions=$supp"

failed=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/synack-valgrind-XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

# check NAME EXPECTED-STATUS COMMAND...
check () {
  name=$1 want=$2
  shift 2
  $LIBTOOL --mode=execute $VALGRIND $flags "$@" > "$tmp/log" 2>&1
  got=$?
  if [ "$got" -eq "$want" ]; then
    echo "PASS: valgrind $name"
  else
    failed=$((failed + 1))
    echo "FAIL: valgrind $name (exit $got, wanted $want)"
    tail -n 60 "$tmp/log"
  fi
}

for t in test-tcp3way test-tcp2way test-scenarios; do
  check "$t" 0 "./$t"
done

synack=$SYNACK_TEST_BUILDDIR/experiments/synack
ini=$SYNACK_TEST_TOP_SRCDIR/experiments/quickstart.ini
check "synack run (a short batch, every trace)" 0 "$synack" run "$ini" -o "$tmp/out" \
  --quiet -j 2 --set workload.connections=300 --set experiment.replications=2 \
  --set experiment.trace=states,segments,pcap,occupancy
check "synack run --resume (a finished batch)" 0 "$synack" run --resume "$tmp/out" --quiet

# issue 12: two shards, their merge, a refused merge, compare, a zipped
# and constrained sweep with per-replication seeds
for k in 0 1; do
  check "synack run --shard $k/2" 0 "$synack" run "$ini" -o "$tmp/sh" --quiet -j 2 \
    --set workload.connections=200 --shard "$k/2"
done
check "synack merge (two shards)" 0 "$synack" merge "$tmp/sh"
check "synack merge --check (a missing shard: exit 1)" 1 "$synack" merge --check \
  -o "$tmp/none" "$tmp/sh/shards/0-of-2"
check "synack compare" 0 "$synack" compare "$tmp/sh" "$tmp/sh" --a link.loss.p=0 \
  --b link.loss.p=0.1
printf '%s\n' '[experiment]' 'seeds = per-replication' 'replications = 2' '[workload]' \
  'connections = 20' '[link]' 'loss = bernoulli' '[sweep]' 'link.loss.p = 0, 0.1, 0.2' \
  'tcp.rto_initial = 200ms, 1s, 3s' 'link.delay.base = 1ms, 5ms, 9ms' \
  'zip = tcp.rto_initial, link.delay.base' 'constraint = link.loss.p < 0.2 || $tcp.rto_initial > 1s' \
  > "$tmp/zip.ini"
check "synack run (zip, constraint, per-replication seeds)" 0 "$synack" run "$tmp/zip.ini" \
  -o "$tmp/zip" --quiet -j 2
check "synack run --list-runs --shard 1/3" 0 "$synack" run "$tmp/zip.ini" --list-runs \
  --shard 1/3

# error paths: runs whose protocol create() fails (tests/plugins/)
mkdir "$tmp/plugins" && ln -s "$SYNACK_TEST_PLUGINS/protocol-failcreate.so" "$tmp/plugins/"
printf '%s\n' '[experiment]' 'protocol = failcreate' '[workload]' 'connections = 20' \
  '[sweep]' 'experiment.protocol.fail = 0, 0.6, 0.9' > "$tmp/fail.ini"
SYNACK_PLUGIN_PATH=$SYNACK_PLUGIN_PATH:$tmp/plugins \
  check "synack run (failing runs: exit 1)" 1 "$synack" run "$tmp/fail.ini" -o "$tmp/fail" \
  --quiet

echo "check-valgrind: $failed failed"
[ "$failed" -eq 0 ]
