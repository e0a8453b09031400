#!/usr/bin/env bash
# A one-node Slurm cluster on this machine, for CI's Slurm check (scripts/check-slurm.sh) and for trying
# submit/slurm/glioma-bench.sbatch without an HPC centre. Debian's slurm-wlm and munge (installed if missing,
# as root): munged runs as user munge, slurmctld and slurmd as root, with ProctrackType=proctrack/linuxproc,
# TaskPlugin=task/none, SelectType=select/cons_tres (cores and memory) and JobRequeue=1. The node offers
# STAND-IN GPUs: gres 'gpu' whose File= entries are plain files (AutoDetect=off): Slurm schedules and accounts
# for them and sets CUDA_VISIBLE_DEVICES, but there is no hardware behind them.
#   scripts/slurm/local-slurm.sh start STATE_DIR [--gpus N] [--memory MB]   (prints the SLURM_CONF to export)
#   scripts/slurm/local-slurm.sh stop STATE_DIR
# Everything but munged (which uses Debian's key and socket) lives under STATE_DIR: slurm.conf, gres.conf,
# the stand-in GPU files, state, spool, logs and PIDs; ports are free ones picked at start.
set -euo pipefail
cmd=${1:-}; state=${2:-}
[[ -n $cmd && -n $state ]] || { sed -n '2,11p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
shift 2
gpus=2; memory=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --gpus) gpus=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    *) echo "local-slurm.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

stop_pidfile() {
  local f=$1 pid
  [[ -f $f ]] || return 0
  pid=$(cat "$f")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$f"
}

if [[ $cmd == stop ]]; then
  [[ -d $state ]] || exit 0
  state=$(cd "$state" && pwd)
  # Jobs first (their steps are slurmd's children), then the daemons this script started, by their PID files.
  if [[ -f $state/slurm.conf ]]; then
    SLURM_CONF=$state/slurm.conf scancel --full --quiet --user=root 2>/dev/null || true
    sleep 1
  fi
  stop_pidfile "$state/slurmd.pid"
  stop_pidfile "$state/slurmctld.pid"
  if [[ -f $state/munged.pid ]]; then
    /usr/sbin/munged --stop >/dev/null 2>&1 || true
    stop_pidfile "$state/munged.pid"
  fi
  exit 0
fi
[[ $cmd == start ]] || { echo "local-slurm.sh: unknown command $cmd (start|stop)" >&2; exit 2; }
[[ $(id -u) == 0 ]] || { echo "local-slurm.sh: slurmctld and slurmd run as root here; run it as root" >&2; exit 2; }

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v sbatch >/dev/null \
    || ! command -v munged >/dev/null; then
  echo "local-slurm.sh: installing Debian's slurm-wlm and munge ..." >&2
  apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends slurm-wlm slurm-client munge >&2
fi

mkdir -p "$state"
state=$(cd "$state" && pwd)
mkdir -p "$state/spool" "$state/ctld" "$state/log"

# Some container images have no /dev/null device (a regular file appears in its place when something writes to
# it); munged, running as user munge, cannot open that file.
if [[ ! -c /dev/null ]]; then
  rm -f /dev/null && mknod -m 666 /dev/null c 1 3
fi
# munge: Debian's key (made when the package was installed) and socket, the daemon as user munge.
if [[ ! -s /etc/munge/munge.key ]]; then
  mungekey --create --keyfile=/etc/munge/munge.key >&2 2>/dev/null || create-munge-key -f >&2
  chown munge:munge /etc/munge/munge.key
  chmod 0400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge
if ! munge -n 2>/dev/null | unmunge >/dev/null 2>&1; then
  runuser -u munge -- /usr/sbin/munged --force
  for _ in $(seq 1 40); do munge -n 2>/dev/null | unmunge >/dev/null 2>&1 && break; sleep 0.25; done
  munge -n | unmunge >/dev/null || { echo "local-slurm.sh: munged did not start (/var/log/munge/munged.log)" >&2; exit 1; }
  # Ours to stop at the end (munged writes its PID there).
  cp /run/munge/munged.pid "$state/munged.pid"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
host=$(hostname -s)
# The node as slurmd sees it (CPUs, sockets, cores, threads, memory), less what is left to the rest of the machine.
read -r -a node <<< "$(slurmd -C | head -1)"
node_line=""
for kv in "${node[@]}"; do
  case $kv in
    NodeName=*) ;;
    RealMemory=*) real=${kv#RealMemory=}; node_line+=" RealMemory=${memory:-$((real * 80 / 100))}" ;;
    *) node_line+=" $kv" ;;
  esac
done
gres_line=""
if [[ $gpus -gt 0 ]]; then
  mkdir -p "$state/standin-gpus"
  for i in $(seq 0 $((gpus - 1))); do : > "$state/standin-gpus/gpu$i"; done
  gres_line=" Gres=gpu:$gpus"
  cat > "$state/gres.conf" <<GRES
AutoDetect=off
NodeName=$host Name=gpu File=$state/standin-gpus/gpu[0-$((gpus - 1))]
GRES
else
  echo "AutoDetect=off" > "$state/gres.conf"
fi
cat > "$state/slurm.conf" <<CONF
ClusterName=glioma-bench-ci
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$state/ctld
SlurmdSpoolDir=$state/spool
SlurmctldPidFile=$state/slurmctld.pid
SlurmdPidFile=$state/slurmd.pid
SlurmctldLogFile=$state/log/slurmctld.log
SlurmdLogFile=$state/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
JobRequeue=1
ReturnToService=2
MpiDefault=none
SwitchType=switch/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=2
MinJobAge=3600
KillWait=30
GresTypes=gpu
NodeName=$host NodeAddr=127.0.0.1$node_line$gres_line State=UNKNOWN
PartitionName=gpu Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF=$state/slurm.conf
stop_pidfile "$state/slurmd.pid"
stop_pidfile "$state/slurmctld.pid"
slurmctld -i -f "$SLURM_CONF"
slurmd -f "$SLURM_CONF" -N "$host"
for _ in $(seq 1 60); do
  st=$(sinfo -h -n "$host" -o %T 2>/dev/null || true)
  if [[ $st == idle* ]]; then
    echo "$SLURM_CONF"
    exit 0
  fi
  sleep 1
done
echo "local-slurm.sh: node $host is '${st:-unknown}' after 60 s; logs under $state/log" >&2
tail -5 "$state/log/slurmctld.log" "$state/log/slurmd.log" >&2 || true
exit 1
