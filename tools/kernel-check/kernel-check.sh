#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# tools/kernel-check/kernel-check.sh - synack's linux profile against the
# kernel this runs on.  As root: for each case, two network namespaces
# (client, server) joined through a third (a router) by a link with a
# one-way delay, segments dropped with nftables in the router, kc-server and kc-client (and kc-flood)
# making real connections, kc-relay recording what crossed the link; then
# synack with the equivalent config, and kc-compare printing both
# distributions with a chi-square test.  Namespaces, links and processes
# are removed on exit, on error and on Ctrl-C.
#
# The delayed link: a veth pair with tc netem where netem exists; where it
# does not (a kernel without CONFIG_NET_SCH_NETEM), a TUN device on each
# side and kc-relay copying packets between them DELAY ms later.
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
#   -l veth|tun  force the link (default: veth if netem works, else tun;
#              veth without netem runs with no delay)
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
CLI=kc-cli-$ID RTR=kc-rtr-$ID SRV=kc-srv-$ID
CADDR=10.77.0.1 SADDR=10.77.1.2 SPOOF=10.77.128.0 PORT=80
PIDS=()

cleanup () {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2> /dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2> /dev/null || true; done
  PIDS=()
  ip netns del "$CLI" 2> /dev/null || true
  ip netns del "$RTR" 2> /dev/null || true
  ip netns del "$SRV" 2> /dev/null || true
}
trap 'cleanup' EXIT
trap 'echo "kernel-check: failed at line $LINENO: $BASH_COMMAND" >&2' ERR
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
elif [ "$LINK" = veth ] && ! netem_works; then
  echo "kernel-check: -l veth without tc netem: no delay (-d 0)" >&2
  DELAY=0
fi
case $LINK in veth|tun) ;; *) usage ;; esac

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

# setup DIR: the namespaces, the links, the recorder.
#
#   client ns        router ns                 server ns
#   kc0 10.77.0.1 -- kr0 10.77.0.254 | kr1 10.77.1.254 -- kc1 10.77.1.2
#
# The delay is on the client-router link (netem on both ends, or kc-relay
# between two TUN devices); the loss is nftables in the router's forward
# chain.  Dropping in the router, not at the sender's output hook, matters:
# a segment that netfilter drops in the sender's own stack comes back to
# TCP as a local send error (-EPERM), and Linux reacts to that as no real
# loss makes it react: reqsk_timer_handler() drops a request whose SYN,ACK
# retransmission fails, and tcp_write_xmit() leaves a FIN that failed to
# go out in the write queue for the probe timer instead of the loss probe.
# kc-relay in sniff mode records what reaches kc0 and kc1, after the loss.
setup () {
  local dir=$1 ns
  ip netns add "$CLI"
  ip netns add "$RTR"
  ip netns add "$SRV"
  for ns in "$CLI" "$RTR" "$SRV"; do ip -n "$ns" link set lo up; done
  ip netns exec "$RTR" sysctl -qw net.ipv4.ip_forward=1
  ip netns exec "$RTR" sysctl -qw net.ipv4.conf.all.rp_filter=0
  ip netns exec "$RTR" sysctl -qw net.ipv4.conf.default.rp_filter=0
  if [ "$LINK" = veth ]; then
    ip link add kc0 netns "$CLI" type veth peer name kr0 netns "$RTR"
    if [ "$DELAY" != 0 ]; then
      in_cli tc qdisc add dev kc0 root netem delay "${DELAY}ms" limit 100000
      ip netns exec "$RTR" tc qdisc add dev kr0 root netem delay "${DELAY}ms" limit 100000
    fi
  else
    in_cli ip tuntap add dev kc0 mode tun
    ip netns exec "$RTR" ip tuntap add dev kr0 mode tun
  fi
  ip link add kr1 netns "$RTR" type veth peer name kc1 netns "$SRV"
  in_cli ip addr add "$CADDR/24" dev kc0
  ip -n "$RTR" addr add 10.77.0.254/24 dev kr0
  ip -n "$RTR" addr add 10.77.1.254/24 dev kr1
  in_srv ip addr add "$SADDR/24" dev kc1
  in_cli ip link set kc0 up
  ip -n "$RTR" link set kr0 up
  ip -n "$RTR" link set kr1 up
  in_srv ip link set kc1 up
  in_cli ip route add default via 10.77.0.254
  in_srv ip route add default via 10.77.1.254
  # the spoofed sources are reached through the client's side, where the
  # client's kernel (not a router) drops what the server sends them
  ip -n "$RTR" route add "$SPOOF/17" via "$CADDR"
  if [ "$LINK" = tun ]; then
    start_ready "$dir/relay.out" "$BIN/kc-relay" tun "$CLI" "$RTR" kc0 kr0 "$DELAY" /dev/null
  fi
  start_ready "$dir/sniff.out" "$BIN/kc-relay" sniff "$CLI" "$SRV" kc0 kc1 "$dir/link.log"
}

# nft_drop FROM MATCH PERCENT: the router drops TCP segments coming from
# FROM (client or server) that match MATCH with probability PERCENT %.
nft_drop () {
  local iif=kr0 pct=$3
  [ "$1" = server ] && iif=kr1
  ip netns exec "$RTR" nft -f - <<EOF
table inet kc$1 {
  chain loss {
    type filter hook forward priority 0; policy accept;
    iifname "$iif" meta l4proto tcp $2 numgen random mod 100 < $pct drop
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
    flood-cookies) printf '[tcp]\nbacklog = 256\n%s%s' "$COOKIES_ON" "$MAX_SYN_BACKLOG" ;;
    flood-nocookies) printf '[tcp]\nbacklog = 256\n%s%s' "$COOKIES_OFF" "$MAX_SYN_BACKLOG" ;;
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
MAX_SYN_BACKLOG=   # set per case from the server namespace's sysctl

pct () { awk -v p="$1" 'BEGIN { printf "%d", p * 100 + 0.5 }'; }

run_case () {
  local case=$1 dir=$OUT/$1 backlog=4096 cookies=1 flood=0 secs
  rm -rf "$dir"
  mkdir -p "$dir"
  setup "$dir"
  case $case in
    syn-loss) nft_drop client 'tcp flags & (syn | ack) == syn' "$(pct "$P")" ;;
    synack-loss) nft_drop server 'tcp flags & (syn | ack) == (syn | ack)' "$(pct "$P")" ;;
    all-10) nft_drop client '' 10; nft_drop server '' 10 ;;
    all-20) nft_drop client '' 20; nft_drop server '' 20 ;;
    flood-cookies) backlog=256 flood=1 ;;
    flood-nocookies) backlog=256 flood=1 cookies=0 ;;
    *) die "unknown case $case" ;;
  esac
  in_srv sysctl -qw net.ipv4.tcp_syncookies=$cookies
  if "$SYNACK" keys 2> /dev/null | grep -q '^tcp\.max_syn_backlog'; then
    MAX_SYN_BACKLOG="max_syn_backlog = $(in_srv sysctl -n net.ipv4.tcp_max_syn_backlog)
"
  fi
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
  # in the background, so that a signal runs the trap at once (bash waits
  # for a foreground child before it runs a trap)
  ip netns exec "$CLI" "$BIN/kc-client" "$SADDR" "$PORT" "$N" "$RATE" "$HOLD" 1 \
    > "$dir/client.log" &
  PIDS+=($!)
  wait $!
  case $case in
    all-*) sleep 60 & PIDS+=($!); wait $! ;;   # the last teardowns (longest: 43 s at 20 %)
    *) sleep 5 & PIDS+=($!); wait $! ;;
  esac
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
