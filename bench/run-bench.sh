#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# bench/run-bench.sh BUILDDIR SRCDIR - what `make bench` runs.
#
# Measures, side by side in one run: PHOLD on synack's scheduler, on a bare
# hand-tuned heap and on ns-3's schedulers (exponential increments from 10
# to 10^6 pending, and a far-future tail); handshake workloads from 10^4 to
# 10^7 attempts (3-way and 2-way, loss 0 and 10 %, tracing off and on), the
# same workload as a lean C program (bench/handshake-bare) and in ns-3;
# port exhaustion; memory per concurrent connection; -j 1 vs -j 2.
# Every figure is the median of BENCH_REPS runs (default 3).  Prints one
# table and writes it as CSV to bench/results/.  Needs /usr/bin/time
# (Debian package "time") for peak memory.
set -euo pipefail

build=$(cd "${1:-.}" && pwd)
src=$(cd "${2:-$(dirname "$0")/..}" && pwd)
reps=${BENCH_REPS:-3}
synack="$build/experiments/synack"
export SYNACK_PLUGIN_PATH="$build/models/.libs"
workloads="$src/bench/workloads"
results="$src/bench/results"
mkdir -p "$results"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

if [ ! -x /usr/bin/time ]; then
  echo "bench: /usr/bin/time is missing: apt-get install time" >&2
  exit 1
fi

csv="$results/bench.csv"
echo "group,workload,attempts,median_s,attempts_per_s,events_per_s,ns_per_event,peak_rss_mb,bytes_per_conn,ratio,ratio_to,command" > "$csv.part"
declare -A NS3_RATE PHOLD_BARE PHOLD_NS3_BEST

median () { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_timed CMD...: runs it $reps times; sets CPU (median user + system s,
# whole process, from /usr/bin/time: on a shared machine the fairest
# comparison of two single-threaded programs), WALL (median s, whole process,
# from a nanosecond clock: /usr/bin/time's 10 ms steps are too coarse for
# a 30 ms run) and RSS (median peak KB, from /usr/bin/time); leaves the
# last run's stdout in $tmp/out.
run_timed () {
  local walls="" rsss="" cpus="" i t0 t1 r u sy
  for i in $(seq "$reps"); do
    t0=$(date +%s%N)
    if ! /usr/bin/time -f "%M %U %S" -o "$tmp/time" "$@" > "$tmp/out" 2> "$tmp/err"; then
      echo "bench: failed: $*" >&2
      cat "$tmp/err" >&2
      exit 1
    fi
    t1=$(date +%s%N)
    read -r r u sy < "$tmp/time"
    cpus="$cpus $(awk "BEGIN { print $u + $sy }")"
    walls="$walls $(awk "BEGIN { printf \"%.4f\", ($t1 - $t0) / 1e9 }")"
    rsss="$rsss $r"
  done
  WALL=$(printf '%s\n' $walls | median)
  RSS=$(printf '%s\n' $rsss | median)
  CPU=$(printf '%s\n' $cpus | median)
}

row () {  # group workload attempts median_s attempts/s events/s ns/event rss_mb bytes/conn ratio ratio_to command
  local IFS=,
  echo "$*" >> "$csv.part"
}

field () { sed -n "s/.*\\b$1=\\([^ ]*\\).*/\\1/p" "$tmp/out"; }

progress () { printf 'bench: %s\n' "$*" >&2; }

# ---- scheduler: PHOLD ----------------------------------------------------------
# "P" rows: exponential increments (the classic PHOLD); "far" rows: one
# increment in 1000 is 1000 times longer, a far-future tail; P=10 is where
# a plain heap beats synack's ladder queue (its refills cost more than a
# heap of 10).  ns-3 runs the classic shape only.
for case in 10 1000 100000 1000000 far:100000; do
  shape=exp
  p=$case
  label="P=$p"
  if [ "${case%%:*}" = far ]; then shape=far; p=${case#far:}; label="far P=$p"; fi
  progress "phold $label"
  run_timed "$build/bench/phold-bare" --pending "$p" --shape "$shape"
  bare_ns=$(field cpu_ns_per_event)
  PHOLD_BARE[$case]=$bare_ns
  row phold "phold-bare $label" "" "$(field cpu_seconds)" "" \
      "$(awk "BEGIN { printf \"%.0f\", 1e9 / $bare_ns }")" "$bare_ns" \
      "$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")" "" "1.00" "phold-bare" \
      "bench/phold-bare --pending $p --shape $shape"
  best=""
  if [ -x "$build/bench/ns3-phold" ] && [ "$shape" = exp ]; then
    for s in Map Heap Calendar PriorityQueue; do
      # Calendar degrades badly with many pending events (minutes at 10^6):
      # a scheduler that needs more than 60 s is not the best one
      if ! timeout 60 "$build/bench/ns3-phold" --pending="$p" --events=2000000 --scheduler="$s" > "$tmp/out"; then
        progress "ns-3 $s at P=$p: no result within 60 s, left out"
        continue
      fi
      ns=$(field ns_per_event)
      if [ -z "$best" ] || awk "BEGIN { exit !($ns < $best) }"; then best=$ns; best_s=$s; fi
    done
    PHOLD_NS3_BEST[$p]=$best
    row phold "ns-3 $best_s P=$p (best of 4)" "" "" "" \
        "$(awk "BEGIN { printf \"%.0f\", 1e9 / $best }")" "$best" "" "" \
        "$(awk "BEGIN { printf \"%.2f\", $best / $bare_ns }")" "phold-bare" \
        "bench/ns3-phold --pending=$p --events=2000000 --scheduler=$best_s"
  fi
  run_timed "$build/bench/phold" --pending "$p" --shape "$shape"
  ns=$(field cpu_ns_per_event)
  row phold "synack $label" "" "$(field cpu_seconds)" "" \
      "$(awk "BEGIN { printf \"%.0f\", 1e9 / $ns }")" "$ns" \
      "$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")" "" \
      "$(awk "BEGIN { printf \"%.2f\", $ns / $bare_ns }")" "phold-bare" \
      "bench/phold --pending $p --shape $shape"
  if [ -n "$best" ]; then
    row phold "synack P=$p vs ns-3" "" "" "" "" "$ns" "" "" \
        "$(awk "BEGIN { printf \"%.2f\", $best / $ns }")" "ns-3 speed-up" ""
  fi
done

# ---- handshakes in ns-3 ------------------------------------------------------
if [ -x "$build/bench/ns3-handshake" ]; then
  progress "ns-3 handshake 10^4 attempts, 10 % loss"
  saved_reps=$reps
  reps=1   # tens of seconds each
  run_timed "$build/bench/ns3-handshake" --connections=10000 --loss=0.1 --rate=1000
  reps=$saved_reps
  # whole process, as synack's rows (its own figure times Simulator::Run only)
  NS3_RATE[10000]=$(awk "BEGIN { printf \"%.1f\", 10000 / $WALL }")
  row handshake "ns-3 3-way loss 0.1" 10000 "$WALL" "${NS3_RATE[10000]}" \
      "$(field events_per_s)" "$(awk "BEGIN { printf \"%.0f\", 1e9 / $(field events_per_s) }")" \
      "$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")" "" "1.00" "ns-3" \
      "bench/ns3-handshake --connections=10000 --loss=0.1 --rate=1000"
else
  progress "ns-3 not built (install libns3-dev and re-run configure): skipping its rows"
fi

# ---- handshakes in synack ------------------------------------------------------
# column_of NAME FILE: NAME's value in the first row of a runs.csv
column_of () {
  awk -F, -v n="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == n) c = i } NR == 2 { print $c }' "$2"
}

# bare_case N: bench/handshake-bare on the same workload, next to the synack
# run of N attempts just made; rows: its time, synack / bare, and whether
# the two agree (success rate, mean handshake latency within the 95 %
# confidence interval of a difference of two means, segments per attempt
# within 0.5 %)
bare_case () {
  local n=$1 s_wall=$LAST_WALL s_cpu=$LAST_CPU s_success=$LAST_SUCCESS s_mean=$LAST_MEAN s_segs=$LAST_SEGS
  progress "handshake-bare, $n attempts"
  run_timed "$build/bench/handshake-bare" --connections "$n" --loss 0.1
  local b_success b_mean b_sd b_spa s_spa verdict
  b_success=$(field success_rate)
  b_mean=$(field handshake_mean_s)
  b_sd=$(field handshake_sd_s)
  b_spa=$(field segments_per_attempt)
  s_spa=$(awk "BEGIN { print $s_segs / $n }")
  row handshake "handshake-bare 3-way loss 0.1" "$n" "$WALL" \
      "$(awk "BEGIN { printf \"%.0f\", $n / $WALL }")" "" "" \
      "$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")" "" "1.00" "handshake-bare" \
      "bench/handshake-bare --connections $n --loss 0.1"
  row handshake "synack / handshake-bare wall time" "$n" "" "" "" "" "" "" \
      "$(awk "BEGIN { printf \"%.2f\", $s_wall / $WALL }")" "handshake-bare" ""
  row handshake "synack / handshake-bare CPU time ($s_cpu s / $CPU s)" "$n" "" "" "" "" "" "" \
      "$(awk "BEGIN { printf \"%.2f\", $s_cpu / $CPU }")" "handshake-bare" ""
  verdict=$(awk -v ss="$s_success" -v bs="$b_success" -v sm="$s_mean" -v bm="$b_mean" \
                -v sd="$b_sd" -v n="$n" -v sp="$s_spa" -v bp="$b_spa" 'BEGIN {
    ci = 1.96 * sqrt (2) * sd / sqrt (n * bs)
    d = sm - bm; if (d < 0) d = -d
    r = sp / bp - 1; if (r < 0) r = -r
    ok = (ss - bs < 0.001 && bs - ss < 0.001) && d <= ci && r <= 0.005
    printf "%s: success %.4f/%.4f; mean %.4f/%.4f s (|d| %.4f; CI %.4f); segments/attempt %.3f/%.3f",
           ok ? "agree" : "DIFFER", ss, bs, sm, bm, d, ci, sp, bp
  }')
  row handshake "synack vs handshake-bare ($verdict)" "$n" "" "" "" "" "" "" "" "" ""
}

# synack_case NAME ATTEMPTS --set ...: one synack run, median of $reps
synack_case () {
  local name=$1 n=$2
  shift 2
  local out="$tmp/run"
  local cmd=("$synack" run "$workloads/handshake.ini" -o "$out" --force --quiet -j 1
             --set "workload.connections=$n" "$@")
  progress "$name, $n attempts"
  run_timed "${cmd[@]}"
  local events attempts_s events_s ns ratio="" ratio_to=""
  events=$(column_of events "$out/runs.csv")
  # a run cut by its time limit did less work than its row says: say so
  local done_n unfinished
  done_n=$(column_of attempts "$out/runs.csv")
  unfinished=$(column_of unfinished "$out/runs.csv")
  if [ "$done_n" != "$n" ] || [ "${unfinished:-0}" != 0 ]; then
    progress "$name: $done_n of $n attempts, $unfinished unfinished (cut by until)"
    name="$name (CUT: $unfinished unfinished)"
  fi
  LAST_SUCCESS=$(column_of success_rate "$out/runs.csv")
  LAST_MEAN=$(column_of handshake_mean_s "$out/runs.csv")
  LAST_SEGS=$(column_of segments_sent "$out/runs.csv")
  attempts_s=$(awk "BEGIN { printf \"%.0f\", $n / $WALL }")
  events_s=$(awk "BEGIN { printf \"%.0f\", $events / $WALL }")
  ns=$(awk "BEGIN { printf \"%.1f\", $WALL * 1e9 / $events }")
  # against ns-3 only on the workload ns-3 runs (no --set of this row's own)
  if [ -n "${NS3_RATE[$n]:-}" ] && [ $# -eq 0 ]; then
    ratio=$(awk "BEGIN { printf \"%.0f\", $attempts_s / ${NS3_RATE[$n]} }")
    ratio_to="ns-3"
  fi
  LAST_WALL=$WALL
  LAST_CPU=$CPU
  LAST_RSS=$RSS
  row handshake "$name" "$n" "$WALL" "$attempts_s" "$events_s" "$ns" \
      "$(awk "BEGIN { printf \"%.1f\", $RSS / 1024 }")" "" "$ratio" "$ratio_to" \
      "synack run bench/workloads/handshake.ini --set workload.connections=$n $*"
}

for n in 10000 100000 1000000 10000000; do
  synack_case "synack 3-way loss 0.1" "$n"
  eval "WALL3_$n=$LAST_WALL"
  eval "RSS3_$n=$LAST_RSS"
  if [ "$n" -ge 1000000 ]; then
    bare_case "$n"
  fi
done
per4=$(awk "BEGIN { print $WALL3_10000 / 10000 }")
per7=$(awk "BEGIN { print $WALL3_10000000 / 10000000 }")
row handshake "scaling: time per attempt 10^7 / 10^4" "" "" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.2f\", $per7 / $per4 }")" "10^4" ""
synack_case "synack 3-way loss 0" 1000000 --set link.loss.p=0
synack_case "synack 2-way loss 0.1" 1000000 --set experiment.protocol=tcp2way
synack_case "synack 2-way loss 0" 1000000 --set experiment.protocol=tcp2way --set link.loss.p=0
synack_case "synack 3-way loss 0.1 states trace" 1000000 --set experiment.trace=states
row handshake "tracing: states trace on / off at 10^6" "" "" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.2f\", $LAST_WALL / $WALL3_1000000 }")" "trace off" ""

# ---- memory that grows with concurrency, not attempts (issue 13) ---------------------
# The rows above give peak RSS at 10^4 .. 10^7 attempts; one run of 10^8 here
# (minutes, so once), and of 10^9 with BENCH_LONG=1 (20 minutes).  Targets:
# 10^7 under 100 MB; 10^8 under 4 minutes and 1 GB.
saved_reps=$reps
reps=1
synack_case "synack 3-way loss 0.1 (once)" 100000000
row memory "peak RSS 10^8 / 10^6 attempts" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.1f\", $LAST_RSS / 1024 }")" "" \
    "$(awk "BEGIN { printf \"%.2f\", $LAST_RSS / $RSS3_1000000 }")" "10^6" ""
if [ "${BENCH_LONG:-0}" = 1 ]; then
  # 10^9 arrivals at 1000/s take 278 simulated hours: past the workload's
  # `until = 100h`, which would cut the run at 3.6 10^8 attempts
  synack_case "synack 3-way loss 0.1 (once; BENCH_LONG)" 1000000000 \
      --set experiment.until=300h
  row memory "peak RSS 10^9 / 10^6 attempts" "" "" "" "" "" \
      "$(awk "BEGIN { printf \"%.1f\", $LAST_RSS / 1024 }")" "" \
      "$(awk "BEGIN { printf \"%.2f\", $LAST_RSS / $RSS3_1000000 }")" "10^6" ""
fi
reps=$saved_reps
# ---- port exhaustion (issue 13 item 4) -----------------------------------------------
# One client with 28000 ports, TIME_WAIT 4 min, 2000 attempts/s: most
# attempts find every port busy, and must cost no more than those that
# do not (time per attempt at 10^6 / at 10^4).
ports=(--set workload.ports=28000 --set experiment.profile=rfc2988
       --set tcp.time_wait=4m --set workload.arrival=uniform --set workload.rate=2000/s)
synack_case "ports: 1 client; 28000 ports; rfc2988" 10000 "${ports[@]}"
ports4=$LAST_WALL
ports4_cpu=$LAST_CPU
synack_case "ports: 1 client; 28000 ports; rfc2988" 1000000 "${ports[@]}"
row handshake "ports: time per attempt 10^6 / 10^4" "" "" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.2f\", ($LAST_WALL / 1000000) / ($ports4 / 10000) }")" "10^4" ""
row handshake "ports: CPU time per attempt 10^6 / 10^4" "" "" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.2f\", ($LAST_CPU / 1000000) / ($ports4_cpu / 10000) }")" "10^4" ""

# ---- memory per concurrent connection ----------------------------------------------
progress "concurrency 10^5 and 10^6 connections held ESTABLISHED"
run_timed "$synack" run "$workloads/concurrency.ini" -o "$tmp/c5" --force --quiet \
  --set workload.connections=100000
rss5=$RSS
run_timed "$synack" run "$workloads/concurrency.ini" -o "$tmp/c6" --force --quiet
rss6=$RSS
per_conn=$(awk "BEGIN { printf \"%.0f\", ($rss6 - $rss5) * 1024 / 900000 }")
row memory "10^6 concurrent ESTABLISHED" 1000000 "$WALL" "" "" "" \
    "$(awk "BEGIN { printf \"%.1f\", $rss6 / 1024 }")" "$per_conn" "" "" \
    "synack run bench/workloads/concurrency.ini (RSS at 10^6 minus 10^5, / 900000)"

# ---- parallel batches ---------------------------------------------------------------
progress "20-run batch at -j 1 and -j 2"
par=("$synack" run "$workloads/handshake.ini" -o "$tmp/par" --force --quiet
     --set workload.connections=100000 --set experiment.replications=20)
run_timed "${par[@]}" -j 1
j1=$WALL
run_timed "${par[@]}" -j 2
j2=$WALL
row parallel "20 runs of 10^5 attempts -j 2 vs -j 1" 2000000 "$j2" "" "" "" "" "" \
    "$(awk "BEGIN { printf \"%.2f\", $j1 / $j2 }")" "-j 1" \
    "synack run bench/workloads/handshake.ini --set experiment.replications=20 -j 2"

mv "$csv.part" "$csv"

# ---- the table -------------------------------------------------------------------------
echo
echo "synack benchmarks - $(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m), median of $reps runs"
awk -F, 'NR > 1 {
  printf "%-44s %9s %9s %12s %12s %9s %9s %7s %8s %s\n", $2, $3, $4, $5, $6, $7, $8, $9, $10, ($11 != "" ? "x " $11 : "")
}
NR == 1 {
  printf "%-44s %9s %9s %12s %12s %9s %9s %7s %8s\n", "workload", "attempts", "median_s", "attempts/s", "events/s", "ns/event", "rss_MB", "B/conn", "ratio"
}' "$csv"
echo
echo "CSV: $csv (commands in its last column)"
