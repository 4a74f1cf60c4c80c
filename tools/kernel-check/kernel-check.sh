#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/kernel-check/kernel-check.sh - synack's linux profile against the
# kernel this runs on.  As root: for each case, two network namespaces
# (client, server) joined by a link with a one-way delay, segments dropped
# with nftables at the sender, kc-server and kc-client (and kc-flood)
# making real connections, kc-relay recording what crossed the link; then
# synack with the equivalent config, and kc-compare printing both
# distributions with a chi-square test.  Namespaces, links and processes
# are removed on exit, on error and on Ctrl-C.
#
# The link: a veth pair with tc netem delay where netem exists; where it
# does not (a kernel without CONFIG_NET_SCH_NETEM), a TUN device in each
# namespace and kc-relay copying packets between them DELAY ms later.
#
# Usage: kernel-check.sh [OPTIONS] [CASE...]
#   -n N       connections per case (default 1000)
#   -r RATE    new connections per second (default 20)
#   -d MS      one-way delay in ms (default 25: RTT 50 ms)
#   -p P       loss probability of the SYN-only and SYN,ACK-only cases (0.2)
#   -m N       synack's connections per case (default 20000)
#   -f RATE    flood SYNs per second in the flood cases (default 50)
#   -o DIR     results directory (default kernel-check-results)
#   -b DIR     where kc-* are (default: this script's directory)
#   -s PATH    the synack program (default: ../../experiments/synack from -b)
#   -l veth|tun  force the link (default: veth if netem works, else tun)
# Cases (default all): syn-loss synack-loss all-10 all-20 flood-cookies
# flood-nocookies.  Exit status: 0 done, 1 a step failed, 2 bad usage.
set -euo pipefail

N=1000 RATE=20 DELAY=25 P=0.2 SYNACK_N=20000 FLOOD=50 HOLD=1
OUT=kernel-check-results LINK=
BIN=$(cd "$(dirname "$0")" && pwd)
SYNACK=
usage () { sed -n '/^# Usage/,/^# flood-nocookies/p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
while getopts n:r:d:p:m:f:o:b:s:l:h opt; do
  case $opt in
    n) N=$OPTARG ;; r) RATE=$OPTARG ;; d) DELAY=$OPTARG ;; p) P=$OPTARG ;;
    m) SYNACK_N=$OPTARG ;; f) FLOOD=$OPTARG ;; o) OUT=$OPTARG ;; b) BIN=$OPTARG ;;
    s) SYNACK=$OPTARG ;; l) LINK=$OPTARG ;; *) usage ;;
  esac
done
shift $((OPTIND - 1))
CASES=${*:-syn-loss synack-loss all-10 all-20 flood-cookies flood-nocookies}
SYNACK=${SYNACK:-$BIN/../../experiments/synack}

die () { echo "kernel-check: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root (network namespaces, nftables, raw sockets)"
for tool in ip nft; do
  command -v $tool > /dev/null || die "$tool not found (Debian packages iproute2, nftables)"
done
for prog in kc-server kc-client kc-flood kc-relay kc-compare; do
  [ -x "$BIN/$prog" ] || die "$BIN/$prog not built (make kernel-check builds it)"
done
[ -x "$SYNACK" ] || die "$SYNACK not found (-s PATH)"

ID=$$
CLI=kc-cli-$ID SRV=kc-srv-$ID
CADDR=10.77.0.1 SADDR=10.77.0.2 SPOOF=10.77.128.0 PORT=80
PIDS=()

cleanup () {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  PIDS=()
  ip netns del "$CLI" 2> /dev/null || true
  ip netns del "$SRV" 2> /dev/null || true
}
trap 'cleanup' EXIT
trap 'cleanup; exit 130' INT TERM

# Does tc netem exist here?  Tried on a throw-away veth in a throw-away netns.
netem_works () {
  local ns=kc-probe-$ID ok=1
  ip netns add "$ns" || return 1
  if ip -n "$ns" link add kcp0 type veth peer name kcp1 &&
     ip netns exec "$ns" tc qdisc add dev kcp0 root netem delay 1ms 2> /dev/null; then
    ok=0
  fi
  ip netns del "$ns"
  return $ok
}
if [ -z "$LINK" ]; then
  if netem_works; then LINK=veth; else LINK=tun; fi
fi

in_cli () { ip netns exec "$CLI" "$@"; }
in_srv () { ip netns exec "$SRV" "$@"; }

# Starts "$@" in the background with stdout to $1's file and waits for its
# "ready" line.
start_ready () {
  local out=$1; shift
  "$@" > "$out" &
  PIDS+=($!)
  for _ in $(seq 100); do
    grep -q ready "$out" 2> /dev/null && return 0
    kill -0 "${PIDS[-1]}" 2> /dev/null || die "$* exited: $(cat "$out")"
    sleep 0.1
  done
  die "$* did not get ready"
}

# setup DIR: the namespaces, the link, the recorder.
setup () {
  local dir=$1
  ip netns add "$CLI"
  ip netns add "$SRV"
  in_cli ip link set lo up
  in_srv ip link set lo up
  if [ "$LINK" = veth ]; then
    ip link add kc0 netns "$CLI" type veth peer name kc1 netns "$SRV"
    in_cli tc qdisc add dev kc0 root netem delay "${DELAY}ms" limit 100000
    in_srv tc qdisc add dev kc1 root netem delay "${DELAY}ms" limit 100000
  else
    in_cli ip tuntap add dev kc0 mode tun
    in_srv ip tuntap add dev kc1 mode tun
  fi
  in_cli ip addr add "$CADDR/24" dev kc0
  in_srv ip addr add "$SADDR/24" dev kc1
  in_cli ip link set kc0 up
  in_srv ip link set kc1 up
  # the spoofed sources are reached through the link, where the client's
  # kernel (not a router) drops what the server sends them
  in_srv ip route add "$SPOOF/17" dev kc1
  if [ "$LINK" = veth ]; then
    start_ready "$dir/relay.out" "$BIN/kc-relay" sniff "$CLI" "$SRV" kc0 kc1 "$dir/link.log"
  else
    start_ready "$dir/relay.out" "$BIN/kc-relay" tun "$CLI" "$SRV" kc0 kc1 "$DELAY" "$dir/link.log"
  fi
}

# nft_drop NS MATCH PERCENT: drop TCP segments leaving NS that match MATCH
# with probability PERCENT %.
nft_drop () {
  local ns=$1 match=$2 pct=$3
  ip netns exec "$ns" nft -f - <<EOF
table inet kc {
  chain out {
    type filter hook output priority 0; policy accept;
    meta l4proto tcp $match numgen random mod 100 < $pct drop
  }
}
EOF
}

# synack_config CASE DIR: the equivalent experiment, on stdout.
synack_config () {
  local case=$1
  cat <<EOF
# SPDX-License-Identifier: GPL-3.0-or-later
# written by tools/kernel-check/kernel-check.sh for case $case
[experiment]
name = kc-$case
protocol = tcp3way
profile = linux
replications = 1
seed = 1
until = 3h
trace = states
[workload]
connections = $SYNACK_N
clients = 1
arrival = poisson
rate = $RATE/s
hold = ${HOLD}s
closer = client
request = 0
EOF
  case $case in
    flood-*) printf 'flood_rate = %s/s\nflood_hosts = 200\n' "$FLOOD" ;;
  esac
  printf '[link]\ndelay = constant\ndelay.base = %sms\n' "$DELAY"
  case $case in
    syn-loss) printf '[link.forward]\nloss = bernoulli\nloss.p = %s\nloss.only = SYN\n' "$P" ;;
    synack-loss) printf '[link.reverse]\nloss = bernoulli\nloss.p = %s\nloss.only = SYN,ACK\n' "$P" ;;
    all-10) printf 'loss = bernoulli\nloss.p = 0.1\n' ;;
    all-20) printf 'loss = bernoulli\nloss.p = 0.2\n' ;;
  esac
  case $case in
    flood-cookies) printf '[tcp]\nbacklog = 256\n%s' "$COOKIES_ON" ;;
    flood-nocookies) printf '[tcp]\nbacklog = 256\n%s' "$COOKIES_OFF" ;;
  esac
}

# synack's key for SYN cookies, if this synack has it (issue 10)
if "$SYNACK" keys 2> /dev/null | grep -q '^tcp\.syncookies'; then
  COOKIES_ON='syncookies = overflow
' COOKIES_OFF='syncookies = off
'
else
  COOKIES_ON= COOKIES_OFF=
fi

pct () { awk -v p="$1" 'BEGIN { printf "%d", p * 100 + 0.5 }'; }

run_case () {
  local case=$1 dir=$OUT/$1 backlog=4096 cookies=1 flood=0 secs
  rm -rf "$dir"
  mkdir -p "$dir"
  setup "$dir"
  case $case in
    syn-loss) nft_drop "$CLI" 'tcp flags & (syn | ack) == syn' "$(pct "$P")" ;;
    synack-loss) nft_drop "$SRV" 'tcp flags & (syn | ack) == (syn | ack)' "$(pct "$P")" ;;
    all-10) nft_drop "$CLI" '' 10; nft_drop "$SRV" '' 10 ;;
    all-20) nft_drop "$CLI" '' 20; nft_drop "$SRV" '' 20 ;;
    flood-cookies) backlog=256 flood=1 ;;
    flood-nocookies) backlog=256 flood=1 cookies=0 ;;
    *) die "unknown case $case" ;;
  esac
  in_srv sysctl -qw net.ipv4.tcp_syncookies=$cookies
  {
    echo "case $case, $(date -u '+%Y-%m-%d %H:%M UTC'), kernel $(uname -r), link $LINK, one-way delay ${DELAY} ms"
    echo "kernel: $N connections at $RATE/s, hold ${HOLD} s, listen backlog $backlog"
    for k in tcp_syncookies tcp_max_syn_backlog tcp_syn_retries tcp_synack_retries \
             tcp_timestamps tcp_fin_timeout tcp_orphan_retries tcp_no_metrics_save \
             tcp_early_retrans tcp_syn_linear_timeouts; do
      printf '  %s = %s\n' "$k" "$(in_srv sysctl -n net.ipv4.$k 2> /dev/null || echo absent)"
    done
  } > "$dir/setup.txt"
  start_ready "$dir/server.out" ip netns exec "$SRV" "$BIN/kc-server" "$PORT" "$backlog"
  secs=$(awk -v n="$N" -v r="$RATE" 'BEGIN { printf "%d", n / r + 30 }')
  if [ $flood = 1 ]; then
    ip netns exec "$CLI" "$BIN/kc-flood" "$SADDR" "$PORT" "$FLOOD" "$secs" "$SPOOF" 200 1 \
      > "$dir/flood.out" &
    PIDS+=($!)
    sleep 5   # the flood first, as in synack's run the backlog fills before most attempts
  fi
  echo "kernel-check: $case: $N connections (about $secs s and the retransmission tail)" >&2
  in_cli "$BIN/kc-client" "$SADDR" "$PORT" "$N" "$RATE" "$HOLD" 1 > "$dir/client.log"
  sleep 20   # the last teardowns
  cleanup
  synack_config "$case" > "$dir/synack.ini"
  "$SYNACK" run -q -j 1 -o "$dir/synack" "$dir/synack.ini"
  {
    cat "$dir/setup.txt"
    "$BIN/kc-compare" "$case" handshake "$dir/client.log" "$dir/link.log" "$dir/synack"
    case $case in
      all-*) "$BIN/kc-compare" "$case" teardown "$dir/client.log" "$dir/link.log" "$dir/synack" ;;
    esac
  } > "$dir/report.txt"
  cat "$dir/report.txt"
}

mkdir -p "$OUT"
[ "$LINK" = tun ] && echo "kernel-check: no tc netem on this kernel: the delay is kc-relay's (TUN)" >&2
for c in $CASES; do
  run_case "$c"
done
grep -h '^SUMMARY' "$OUT"/*/report.txt > "$OUT/summary.txt" || true
echo "kernel-check: reports in $OUT/*/report.txt, summary in $OUT/summary.txt" >&2
