#!/usr/bin/env bash
# A single-node Slurm on this machine, for testing the job-array launcher (docs/cluster.md).
#
#   tools/cluster/slurm/local-cluster.sh start DIR   # munged, slurmctld and slurmd with every file in DIR
#   tools/cluster/slurm/local-cluster.sh env DIR     # the variables a client needs (SLURM_CONF), to eval
#   tools/cluster/slurm/local-cluster.sh stop DIR    # stops the three daemons by the PIDs they wrote
#
# SUBSOIL_SLURM_PORT (default 6817) is slurmctld's port, and the next one slurmd's: set it to run two
# such clusters on one host.
# Needs Debian's slurm-wlm and munge (apt-get install slurm-wlm munge) and root (SlurmUser=root): it is
# meant for CI containers and throw-away machines, not for a shared host. Every file is in DIR
# (/etc/slurm is not touched): clients find the configuration through SLURM_CONF.
set -euo pipefail

cmd=${1:?usage: local-cluster.sh start|env|stop DIR}
dir=${2:?usage: local-cluster.sh start|env|stop DIR}
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
conf="$dir/slurm.conf"

case "$cmd" in
env)
  echo "export SLURM_CONF=$conf"
  ;;
start)
  mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
  chmod 0755 "$dir" "$dir/munge"
  # A key of our own, readable by its owner only (munged refuses anything looser).
  if [ ! -f "$dir/munge/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  fi
  chmod 0400 "$dir/munge/munge.key"
  munged --force \
    --key-file="$dir/munge/munge.key" \
    --socket="$dir/munge/munge.socket" \
    --pid-file="$dir/munge/munged.pid" \
    --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed"
  cpus=$(nproc)
  port=${SUBSOIL_SLURM_PORT:-6817}
  cat > "$conf" <<CONF
ClusterName=subsoil-test
SlurmctldHost=localhost
SlurmUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldPort=$port
SlurmdPort=$((port + 1))
NodeName=localhost CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$conf"
  slurmctld -D -f "$conf" >"$dir/log/slurmctld.out" 2>&1 &
  slurmd -D -N localhost -f "$conf" >"$dir/log/slurmd.out" 2>&1 &
  for _ in $(seq 1 100); do
    state=$(sinfo -h -o %t 2>/dev/null || true)
    if [ "$state" = "idle" ]; then
      echo "slurm is up (SLURM_CONF=$conf)"
      exit 0
    fi
    sleep 0.2
  done
  echo "slurm did not come up within 20 s; logs in $dir/log" >&2
  tail -n 20 "$dir"/log/* >&2 || true
  exit 1
  ;;
stop)
  for pidfile in "$dir/slurmd.pid" "$dir/slurmctld.pid" "$dir/munge/munged.pid"; do
    if [ -f "$pidfile" ]; then
      pid=$(cat "$pidfile")
      kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      rm -f "$pidfile"
    fi
  done
  ;;
*)
  echo "usage: local-cluster.sh start|env|stop DIR" >&2
  exit 2
  ;;
esac
