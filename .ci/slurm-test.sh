#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# .ci/slurm-test.sh CONFIG: the README's Slurm job-array script, copied out
# of README.md as is, on a single-host Slurm started here without systemd
# (slurmctld and slurmd daemonise themselves; auth/none, cred/none,
# proctrack/linuxproc, state and logs in a temporary directory), then the
# merged directory against `synack run CONFIG -j 2` with diff -r.  Run from
# the top of a built tree.  Prints "slurm: PASS", "slurm: FAIL ..." or
# "slurm: SKIP ..." as its last line; exits 0, 1 or 77.
set -u
top=$(pwd)
config=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
for prog in slurmctld slurmd sbatch squeue scontrol sinfo; do
  command -v "$prog" > /dev/null || { echo "slurm: SKIP ($prog not installed)"; exit 77; }
done
work=$(mktemp -d /tmp/synack-slurm-XXXXXX)
host=$(hostname -s)
mkdir -p "$work/state" "$work/spool" "$work/job"
conf=$work/slurm.conf
cat > "$conf" <<CONF
ClusterName=synack-ci
SlurmctldHost=$host
AuthType=auth/none
CredType=cred/none
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$work/state
SlurmdSpoolDir=$work/spool
SlurmctldPidFile=$work/slurmctld.pid
SlurmdPidFile=$work/slurmd.pid
SlurmctldLogFile=$work/slurmctld.log
SlurmdLogFile=$work/slurmd.log
SlurmctldPort=${SYNACK_SLURMCTLD_PORT:-16817}
SlurmdPort=${SYNACK_SLURMD_PORT:-16818}
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
NodeName=$host CPUs=$(nproc) State=UNKNOWN
PartitionName=ci Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$conf

fail () {
  echo "--- slurmctld.log"; tail -n 20 "$work/slurmctld.log" 2> /dev/null
  echo "--- slurmd.log"; tail -n 20 "$work/slurmd.log" 2> /dev/null
  for f in "$work"/job/*.out; do [ -f "$f" ] && { echo "--- $f"; cat "$f"; }; done
  stop
  echo "slurm: FAIL ($1)"
  exit 1
}
stop () {
  scontrol shutdown > /dev/null 2>&1
  for d in slurmctld slurmd; do
    pidfile=$work/$d.pid
    for _ in $(seq 50); do
      [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2> /dev/null || break
      sleep 0.1
    done
    [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2> /dev/null
  done
}

slurmctld -c -f "$conf" || fail "slurmctld did not start"
slurmd -f "$conf" || fail "slurmd did not start"
for _ in $(seq 60); do
  sinfo -h -o %t 2> /dev/null | grep -q idle && break
  sleep 0.5
done
sinfo -h -o %t | grep -q idle || fail "the node did not come up"

# the two blocks of README.md's "Running on a cluster", as printed
block () {   # block MARKER: the ```bash block of README.md holding MARKER
  awk -v m="$1" '/^```bash$/ { inb = 1; b = ""; next }
                 inb && /^```$/ { inb = 0; if (index(b, m)) { printf "%s", b; exit } ; next }
                 inb { b = b $0 "\n" }' "$top/README.md"
}
block '#SBATCH --array' > "$work/job/synack-shards.sh"
block 'afterok' > "$work/job/submit.sh"
[ -s "$work/job/synack-shards.sh" ] && [ -s "$work/job/submit.sh" ] ||
  fail "README.md has no Slurm script"

export PATH="$top/experiments:$PATH" CONFIG="$config" OUT="$work/job/results"
(cd "$work/job" && bash submit.sh) || fail "sbatch refused the README's jobs"
for _ in $(seq 600); do
  [ -z "$(squeue -h -o %i 2> /dev/null)" ] && break
  sleep 0.5
done
[ -z "$(squeue -h -o %i)" ] || fail "the jobs did not finish within 5 minutes"
[ -f "$OUT/summary.csv" ] || fail "the merge job wrote no summary.csv"
synack run "$CONFIG" -j 2 -q -o "$work/ref" || fail "synack run -j 2 failed"
diff -r -x shards -x provenance.ini -x run-times.csv "$work/ref" "$OUT" ||
  fail "the merged directory differs from synack run -j 2"
ls "$OUT/shards" | grep -qx '2-of-3' || fail "no shard 2-of-3: not a 3-task array"
stop
rm -rf "$work"
echo "slurm: PASS (3 array tasks + an afterok merge, byte-identical to -j 2)"
