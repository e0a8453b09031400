#!/usr/bin/env bash
# A Spark standalone cluster on this machine's loopback: one master and N workers, each its own JVM (and each
# executor too), for trying the cluster path and for CI's cluster check. PIDs and logs under STATE_DIR.
#   scripts/cluster/standalone.sh start STATE_DIR [--workers N] [--cores C] [--memory M] [--gpus-per-worker G]
#   scripts/cluster/standalone.sh stop STATE_DIR
#   scripts/cluster/standalone.sh executors STATE_DIR     (PIDs of the running executor JVMs, one per line)
# SPARK_HOME: an installed Spark 3.5 (default: the one scripts/cluster/spark-home.sh assembles).
# start prints the master URL (spark://127.0.0.1:PORT) once the workers have registered.
# --gpus-per-worker G: each worker offers G 'gpu' resources found by a STAND-IN discovery script that reports
# addresses 0..G-1 without looking for hardware (scripts/cluster/standin-gpu-discovery.sh): for testing
# Spark's resource scheduling on machines without GPUs.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cmd=${1:-}; state=${2:-}
[[ -n $cmd && -n $state ]] || { sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2; }
shift 2
workers=2; cores=1; memory=6g; gpus=0
while [[ $# -gt 0 ]]; do
  case $1 in
    --workers) workers=$2; shift 2 ;;
    --cores) cores=$2; shift 2 ;;
    --memory) memory=$2; shift 2 ;;
    --gpus-per-worker) gpus=$2; shift 2 ;;
    *) echo "standalone.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

stop() {
  local f pid
  for f in "$state"/*.pid; do
    [[ -f $f ]] || continue
    pid=$(cat "$f")
    # A worker's executors are its children: stop them with it.
    pkill -TERM -P "$pid" 2>/dev/null || true
    kill -TERM "$pid" 2>/dev/null || true
  done
  for _ in $(seq 1 30); do
    local alive=0
    for f in "$state"/*.pid; do [[ -f $f ]] && kill -0 "$(cat "$f")" 2>/dev/null && alive=1; done
    [[ $alive == 0 ]] && break
    sleep 0.5
  done
  for f in "$state"/*.pid; do
    [[ -f $f ]] || continue
    pkill -KILL -P "$(cat "$f")" 2>/dev/null || true
    kill -KILL "$(cat "$f")" 2>/dev/null || true
    rm -f "$f"
  done
}

case $cmd in
  stop) stop; exit 0 ;;
  executors)
    for f in "$state"/worker-*.pid; do
      [[ -f $f ]] && pgrep -P "$(cat "$f")" -f CoarseGrainedExecutorBackend || true
    done
    exit 0 ;;
  start) ;;
  *) echo "standalone.sh: unknown command $cmd (start|stop|executors)" >&2; exit 2 ;;
esac

export SPARK_HOME="${SPARK_HOME:-$("$here/spark-home.sh")}"
export SPARK_SCALA_VERSION=2.12
mkdir -p "$state"
state="$(cd "$state" && pwd)"
port=$(free_port); ui=$(free_port)
master="spark://127.0.0.1:$port"
# The daemons log to files; executors' stdout/stderr land under each worker's work dir.
SPARK_DAEMON_MEMORY=512m setsid "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.master.Master \
  --host 127.0.0.1 --port "$port" --webui-port "$ui" > "$state/master.log" 2>&1 &
echo $! > "$state/master.pid"
for i in $(seq 1 "$workers"); do
  opts=""
  if [[ $gpus -gt 0 ]]; then
    opts="-Dspark.worker.resource.gpu.amount=$gpus -Dspark.worker.resource.gpu.discoveryScript=$here/standin-gpu-discovery.sh"
  fi
  mkdir -p "$state/worker-$i"
  STANDIN_GPUS=$gpus SPARK_WORKER_OPTS="$opts" SPARK_DAEMON_MEMORY=512m setsid "$SPARK_HOME/bin/spark-class" \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores "$cores" --memory "$memory" \
    --webui-port 0 --work-dir "$state/worker-$i" "$master" > "$state/worker-$i.log" 2>&1 &
  echo $! > "$state/worker-$i.pid"
done
echo "$master" > "$state/master-url"
echo "http://127.0.0.1:$ui" > "$state/master-ui"
for _ in $(seq 1 120); do
  n=$( (curl -s "http://127.0.0.1:$ui/json/" || true) | python3 -c 'import json,sys
try: print(sum(1 for w in json.load(sys.stdin)["workers"] if w["state"] == "ALIVE"))
except Exception: print(0)' || true)
  if [[ $n -ge $workers ]]; then
    echo "$master"
    exit 0
  fi
  for f in "$state"/*.pid; do
    if ! kill -0 "$(cat "$f")" 2>/dev/null; then
      echo "standalone.sh: $(basename "$f" .pid) exited; its log: ${f%.pid}.log" >&2
      tail -5 "${f%.pid}.log" >&2
      stop
      exit 1
    fi
  done
  sleep 1
done
echo "standalone.sh: $n of $workers workers registered with $master within 120 s; logs in $state" >&2
stop
exit 1
