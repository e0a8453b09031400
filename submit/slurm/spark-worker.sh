#!/usr/bin/env bash
# One Spark standalone worker of a glioma-bench Slurm job, on its node: started by submit/slurm/glioma-bench.sbatch
# through srun (one task per node), it offers the node's allocated cores and memory (less the driver's share on
# the first node, and 1 GB for the daemons) and its GPUs (less those the LLM server of the job takes on its node)
# through Spark's resource discovery, keeps work and shuffle files on node-local scratch, and when the batch script
# asks (or on SIGTERM) stops the worker, whose executors stop with it, then copies the logs to the job's log folder.
#   spark-worker.sh MASTER_URL     (environment from glioma-bench.sbatch: GLIOMA_BENCH_*)
set -uo pipefail
master=${1:?usage: spark-worker.sh spark://HOST:PORT}
root=${GLIOMA_BENCH_HOME:?}
node=${SLURMD_NODENAME:-$(hostname -s)}
scratch=${GLIOMA_BENCH_WORKER_SCRATCH:?}/worker-$node
logs=${GLIOMA_BENCH_WORKER_LOGS:?}/$node
mkdir -p "$scratch/work" "$scratch/local" "$logs"

if [[ -n ${SLURM_MEM_PER_NODE:-} ]]; then
  mb=$SLURM_MEM_PER_NODE
elif [[ -n ${SLURM_MEM_PER_CPU:-} ]]; then
  mb=$((SLURM_MEM_PER_CPU * ${SLURM_CPUS_ON_NODE:-1}))
else
  mb=$(awk '/^MemTotal:/ { print int($2 / 1024 * 0.9) }' /proc/meminfo)
fi
mb=$((mb - 1024))
[[ $node == "${GLIOMA_BENCH_FIRST_NODE:-}" ]] && mb=$((mb - 2 * ${GLIOMA_BENCH_DRIVER_MB:-0}))
cores=${SLURM_CPUS_ON_NODE:-$(nproc)}

IFS=',' read -r -a visible <<< "${CUDA_VISIBLE_DEVICES:-}"
if [[ ${#visible[@]} -eq 0 && ${SLURM_GPUS_ON_NODE:-0} -gt 0 ]]; then
  mapfile -t visible < <(seq 0 $((SLURM_GPUS_ON_NODE - 1)))
fi
if [[ $node == "${GLIOMA_BENCH_LLM_NODE_NAME:-}" ]]; then
  visible=("${visible[@]:${GLIOMA_BENCH_LLM_GPU_COUNT:-0}}") # the LLM server has the first ones
fi
opts=""
if [[ ${#visible[@]} -gt 0 ]]; then
  CUDA_VISIBLE_DEVICES=$(IFS=,; echo "${visible[*]}")
  export CUDA_VISIBLE_DEVICES
  opts="-Dspark.worker.resource.gpu.amount=${#visible[@]} -Dspark.worker.resource.gpu.discoveryScript=$root/submit/gpu-discovery.sh"
fi
echo "spark-worker on $node: $cores cores, ${mb}m, GPU(s) ${CUDA_VISIBLE_DEVICES:-none}, scratch $scratch"

SPARK_WORKER_OPTS="$opts" SPARK_LOCAL_DIRS="$scratch/local" SPARK_DAEMON_MEMORY=512m \
  "$SPARK_HOME/bin/spark-class" org.apache.spark.deploy.worker.Worker --host "$(hostname)" --cores "$cores" \
  --memory "${mb}m" --work-dir "$scratch/work" --webui-port 0 "$master" > "$scratch/worker.log" 2>&1 &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
# The batch script asks its workers to stop through a file on the shared file system (see glioma-bench.sbatch).
stop=${GLIOMA_BENCH_WORKER_STOP:-}
while kill -0 "$pid" 2>/dev/null; do
  if [[ -n $stop && -e $stop ]]; then
    kill -TERM "$pid" 2>/dev/null
    timeout 60 tail --pid="$pid" -f /dev/null 2>/dev/null || kill -KILL "$pid" 2>/dev/null
  fi
  sleep 1
done
cp -f "$scratch/worker.log" "$logs/worker.log" 2>/dev/null
for f in "$scratch"/work/app-*/*/std*; do
  [[ -f $f ]] || continue
  app=$(basename "$(dirname "$(dirname "$f")")"); executor=$(basename "$(dirname "$f")")
  mkdir -p "$logs/$app/$executor" && cp -f "$f" "$logs/$app/$executor/"
done
rm -rf "$scratch"
