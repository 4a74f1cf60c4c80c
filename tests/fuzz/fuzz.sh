#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tests/fuzz/fuzz.sh - builds and runs synack's libFuzzer harnesses.
#
#   fuzz.sh build  TOP_SRCDIR TOP_BUILDDIR   build tests/fuzz/build/bin/fuzz-*
#   fuzz.sh run    TOP_SRCDIR TOP_BUILDDIR   fuzz each target FUZZ_SECONDS s
#   fuzz.sh replay TOP_SRCDIR TOP_BUILDDIR   replay seeds + regressions
#
# The harnesses compile the sources of core/, experiments/ and models/
# straight into each binary with clang and -fsanitize=fuzzer,address,
# undefined; the normal (gcc, libtool) build is neither used nor touched.
# Environment: FUZZ_CC (default clang, then clang-14), FUZZ_SECONDS (60),
# FUZZ_TARGETS (all), GLIB_CFLAGS,
# GLIB_LIBS, GSL_CFLAGS, GSL_LIBS (from configure; pkg-config otherwise).
# `replay` exits 0 with "fuzz-replay: skipped: WHY" when clang or its
# fuzzer runtime is missing; `run` and `build` fail then.
set -u

mode=${1:?usage: fuzz.sh build|run|replay TOP_SRCDIR TOP_BUILDDIR}
top_srcdir=$(cd "${2:?}" && pwd)
top_builddir=$(cd "${3:?}" && pwd)
fuzz_src=$top_srcdir/tests/fuzz
out=$top_builddir/tests/fuzz/build
bin=$out/bin
seconds=${FUZZ_SECONDS:-60}
all_targets="config set values csv plot ladder"
targets=${FUZZ_TARGETS:-$all_targets}

skip () {
  echo "fuzz-$mode: skipped: $*"
  [ "$mode" = replay ] && exit 0
  exit 1
}

# ---- the compiler --------------------------------------------------------------
cc=${FUZZ_CC:-}
if [ -z "$cc" ]; then
  for c in clang clang-14; do
    if command -v "$c" > /dev/null 2>&1; then cc=$c; break; fi
  done
fi
[ -n "$cc" ] && command -v "$cc" > /dev/null 2>&1 ||
  skip "${cc:-clang} not found (Debian: install clang and libclang-rt-14-dev)"
mkdir -p "$bin" || exit 1
probe=$out/probe
printf '%s\n' '#include <stdint.h>' '#include <stddef.h>' \
  'int LLVMFuzzerTestOneInput (const uint8_t *d, size_t n);' \
  'int LLVMFuzzerTestOneInput (const uint8_t *d, size_t n) { return 0; }' \
  > "$probe.c"
"$cc" -fsanitize=fuzzer,address,undefined "$probe.c" -o "$probe" > "$probe.log" 2>&1 ||
  skip "$cc cannot link -fsanitize=fuzzer,address,undefined (no libFuzzer" \
       "runtime? Debian: libclang-rt-14-dev): $(head -n 1 "$probe.log")"

glib_cflags=${GLIB_CFLAGS:-$(pkg-config --cflags glib-2.0 gmodule-2.0)}
glib_libs=${GLIB_LIBS:-$(pkg-config --libs glib-2.0 gmodule-2.0)}
gsl_cflags=${GSL_CFLAGS:-$(pkg-config --cflags gsl)}
gsl_libs=${GSL_LIBS:-$(pkg-config --libs gsl)}

# ---- building ------------------------------------------------------------------
# every source of libsynack, libexperiments, libplots and the models (the
# program's main.c and cmd-*.c aside): a new file is picked up without a
# change here
sources=$(ls "$top_srcdir"/core/engine/*.c "$top_srcdir"/core/network/*.c \
  "$top_srcdir"/experiments/*.c "$top_srcdir"/plots/*.c "$top_srcdir"/models/*.c |
  grep -v -e '/experiments/main\.c$' -e '/experiments/cmd-[a-z-]*\.c$')
san="-fsanitize=address,undefined -fno-sanitize-recover=all"
cflags="-g -O1 -fno-omit-frame-pointer $san -fsanitize=fuzzer-no-link
  -std=gnu11 -Wall -Wno-unused-parameter -Wno-unused-function
  -DPACKAGE_VERSION=\"fuzz\" -D_GNU_SOURCE
  -DSYNACK_COMPILATION
  -DSYNACK_PLUGINDIR=\"/nonexistent\" -DSYNACK_PLOTSDIR=\"$top_srcdir/plots\"
  -DSYNACK_BUILD_PLUGINDIR=\"/nonexistent\"
  -DSYNACK_BUILD_PLOTSDIR=\"$top_srcdir/plots\"
  -DSYNACK_BUILD_DIR=\"\" -DGNUPLOT_PATH=\"\"
  -DFUZZ_TOP_SRCDIR=\"$top_srcdir\"
  -iquote $top_srcdir/core/engine -iquote $top_srcdir/core/network
  -iquote $top_srcdir/experiments -iquote $top_srcdir/plots
  -iquote $top_srcdir/models -iquote $fuzz_src
  $glib_cflags $gsl_cflags"

# compile SRC into OBJ unless OBJ is newer than SRC and every header
# (the harness headers only for a harness); warnings only for the harnesses
compile () {
  src=$1 obj=$2 extra= warn=-w
  case $src in "$fuzz_src"/*) extra=$fuzz_src/*.h warn= ;; esac
  # shellcheck disable=SC2086
  if [ -f "$obj" ] && [ -z "$(find "$src" "$top_srcdir"/core/*/*.h \
       "$top_srcdir"/experiments/*.h "$top_srcdir"/plots/*.h "$top_srcdir"/models/*.h $extra \
       -newer "$obj" 2> /dev/null | head -n 1)" ]; then
    return 0
  fi
  # shellcheck disable=SC2086
  "$cc" $cflags $warn -DG_LOG_DOMAIN=\"synack\" -c "$src" -o "$obj" || {
    echo "fuzz: cannot compile $src" >&2; return 1; }
}

build () {
  objs=""
  for src in $sources; do
    dir=$(basename "$(dirname "$src")")
    obj=$out/$dir-$(basename "$src" .c).o
    compile "$src" "$obj" || return 1
    objs="$objs $obj"
  done
  for t in $targets; do
    compile "$fuzz_src/fuzz-$t.c" "$out/fuzz-$t.o" || return 1
    # shellcheck disable=SC2086
    [ -f "$bin/fuzz-$t" ] && [ -z "$(find "$out/fuzz-$t.o" $objs -newer "$bin/fuzz-$t" |
                                     head -n 1)" ] && continue
    # shellcheck disable=SC2086
    "$cc" -fsanitize=fuzzer $san "$out/fuzz-$t.o" $objs $glib_libs $gsl_libs -lm \
      -o "$bin/fuzz-$t" || { echo "fuzz: cannot link fuzz-$t" >&2; return 1; }
  done
}

echo "fuzz: building $(echo $targets | wc -w) harnesses with $cc in $bin"
build || exit 1
[ "$mode" = build ] && exit 0

# ---- running -------------------------------------------------------------------
export ASAN_OPTIONS="halt_on_error=1:abort_on_error=1:detect_leaks=1:allocator_may_return_null=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export G_DEBUG=fatal-criticals
unset SYNACK_PLUGIN_PATH GNUPLOT SYNACK_PLOTS_DIR

# the harnesses write each input to a file: on tmpfs when there is one
scratch=$(mktemp -d /dev/shm/synack-fuzz.XXXXXX 2> /dev/null || mktemp -d) || exit 1
trap 'rm -rf "$scratch"' EXIT
export TMPDIR=$scratch

status=0
for t in $targets; do
  seeds=$fuzz_src/corpus/$t
  regs=$fuzz_src/regressions/$t
  log=$out/fuzz-$t.log
  if [ "$mode" = replay ]; then
    set -- 
    for d in "$seeds" "$regs"; do
      [ -d "$d" ] && for f in "$d"/*; do [ -f "$f" ] && set -- "$@" "$f"; done
    done
    if [ $# -eq 0 ]; then
      echo "fuzz-replay: $t: no input"; continue
    fi
    if "$bin/fuzz-$t" -runs=1 -rss_limit_mb=4096 -timeout=30 "$@" > "$log" 2>&1; then
      echo "fuzz-replay: $t: $# inputs, 0 crashes"
    else
      echo "fuzz-replay: $t: FAILED ($# inputs); the report (from $log):"
      grep -a "^Running:" "$log" | tail -n 1
      grep -a -E "^(==|SUMMARY|fuzz:|.*runtime error|.*GLib)" "$log" | tail -n 20
      status=1
    fi
  else
    work=$out/work/$t
    crashes=$out/crashes/$t
    rm -rf "$work"
    mkdir -p "$work" "$crashes"
    [ -d "$seeds" ] && cp "$seeds"/* "$work"/ 2> /dev/null
    [ -d "$regs" ] && cp "$regs"/* "$work"/ 2> /dev/null
    before=$(ls "$crashes" | wc -l)
    case $t in
      plot|ladder|csv) max_len=16384 dict=$fuzz_src/csv.dict ;;
      *) max_len=4096 dict=$fuzz_src/fuzz.dict ;;
    esac
    start=$(date +%s)
    nice "$bin/fuzz-$t" -max_total_time="$seconds" -timeout=30 -rss_limit_mb=2048 \
      -max_len=$max_len -dict="$dict" -print_final_stats=1 -artifact_prefix="$crashes/" \
      "$work" > "$log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    after=$(ls "$crashes" | wc -l)
    execs=$(grep -a '^stat::number_of_executed_units:' "$log" | sed 's/.*: *//' | tail -n 1)
    last=$(grep -a -E '^#[0-9]+' "$log" | tail -n 1)
    cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
    ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
    corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\).*/\1/p')
    echo "fuzz: $t: ${execs:-?} executions in ${elapsed}s, cov ${cov:-?}," \
         "ft ${ft:-?}, corpus ${corp:-?}, crashes $((after - before))"
    if [ "$rc" -ne 0 ] || [ "$after" -ne "$before" ]; then
      echo "fuzz: $t: FAILED (exit $rc); crash inputs in $crashes, log $log"
      grep -a -E "^(==|SUMMARY|fuzz:|.*runtime error|.*GLib)" "$log" | tail -n 15
      status=1
    fi
  fi
done
exit $status
