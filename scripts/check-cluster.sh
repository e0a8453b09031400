#!/usr/bin/env bash
# CI's cluster check: the study through spark-submit on a Spark standalone cluster of separate JVMs on loopback
# (a master, two workers with 1 core and 6 GB each, every executor its own JVM), with the cluster profile's Kryo
# settings, then what a cluster does to a job:
#   1. a job no worker can host stops within cluster.executors.wait.seconds, naming its settings;
#   2. study (every stage) on a small synthetic cohort; the tables are checked with DuckDB;
#   3. kill -9 of an executor during train-cnn and during llm-slices: the job finishes (or a rerun with the same
#      run id resumes), every epoch is in cnn_history exactly once, no answered call is sent again;
#   4. GPU scheduling with the gpu profile on workers that offer STAND-IN GPUs (a discovery script that reports
#      addresses without hardware): executors and tasks receive their GPU address and the ND4J plugin sees it.
# Spark is assembled from Maven Central jars (scripts/cluster/spark-home.sh). Everything started here is stopped
# by PID on exit. Stage times land in $GLIOMA_BENCH_CLUSTER_TIMES (default: target/cluster-check/times.tsv).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${GLIOMA_BENCH_CLUSTER_DIR:-$root/target/cluster-check}
rm -rf "$work"
mkdir -p "$work"
times=${GLIOMA_BENCH_CLUSTER_TIMES:-$work/times.tsv}
state=$work/standalone
cleanup() { scripts/cluster/standalone.sh stop "$state" || true; }
trap cleanup EXIT

step() { echo; echo "== cluster check: $*"; }
fail() { echo "cluster check FAILED: $*" >&2; exit 1; }

step "Spark home and the cluster jar"
export SPARK_HOME
SPARK_HOME=$(scripts/cluster/spark-home.sh)
mvn -B -q -Pcluster -DskipTests package
master=$(scripts/cluster/standalone.sh start "$state" --workers 2 --cores 1 --memory 6g --gpus-per-worker 1)
echo "master $master; executors' logs under $state/worker-*/app-*/"

# The executors' size on these workers: the cpu profile's 16g / 4 cores would not fit (step 1 shows what happens).
fit=(--master "$master" --driver-memory 2g --executor-memory 2g --executor-cores 1
     --conf spark.executor.memoryOverhead=1g)
submit() { submit/spark-submit.sh "$@"; }
data=$work/synth
wh=$work/warehouse

step "1. a job no worker can host stops with a message (instead of waiting forever)"
submit/glioma-bench synth --out "$data" --patients 24 --seed 7 > /dev/null
t0=$SECONDS
rc=0
submit --master "$master" --executor-memory 64g ingest --data "$data" --warehouse "$work/unhosted" \
  --set cluster.executors.wait.seconds=20 > "$work/unhosted.log" 2>&1 || rc=$?
waited=$((SECONDS - t0))
[[ $rc != 0 ]] || fail "a job asking for 64g executors on 6g workers succeeded?"
grep -q "spark.executor.memory=64g" "$work/unhosted.log" || { tail -20 "$work/unhosted.log"; fail "no message naming spark.executor.memory"; }
[[ $waited -lt 150 ]] || fail "it took $waited s to give up"
echo "refused after $waited s (exit $rc): $(grep -o 'no task could start.*executor(s)' "$work/unhosted.log" | head -1)"

step "2. study through spark-submit on the cluster (Kryo, GliomaKryoRegistrator)"
submit "${fit[@]}" study --data "$data" --warehouse "$wh" --run-id cluster \
  --conf conf/synthetic-study.properties 2>&1 | tee "$work/study.log" | grep -v ProgressReporter
grep -q "all stages done" "$work/study.log" || fail "study did not finish"
printf 'stage\tseconds\n' > "$times"
sed -n 's/.*study cluster: stage \([a-z-]*\) finished with status [0-9]* in \([0-9.]*\) s/\1\t\2/p' "$work/study.log" >> "$times"
python3 scripts/check_cluster_tables.py study "$wh" cluster

# Waits until DuckDB sees at least N rows of a query, then prints the PIDs of the executors alive then.
wait_rows() {
  local sql=$1 want=$2 pid=$3 limit=$4 n=0
  for _ in $(seq 1 "$limit"); do
    kill -0 "$pid" 2>/dev/null || return 1
    n=$(python3 scripts/check_cluster_tables.py count "$wh" "$sql" 2>/dev/null || echo 0)
    [[ $n -ge $want ]] && return 0
    sleep 1
  done
  return 1
}
# Waits until the job's progress lines count at least N answered calls.
wait_calls() {
  local log=$1 want=$2 pid=$3 limit=$4 n
  for _ in $(seq 1 "$limit"); do
    kill -0 "$pid" 2>/dev/null || return 1
    n=$(sed -n 's/.*CallProgress: .* \([0-9]*\)\/[0-9]* calls.*/\1/p' "$log" | tail -1)
    [[ ${n:-0} -ge $want ]] && return 0
    sleep 1
  done
  return 1
}
kill_one_executor() {
  local victim
  victim=$(scripts/cluster/standalone.sh executors "$state" | head -1)
  [[ -n $victim ]] || fail "no executor JVM to kill"
  kill -9 "$victim"
  echo "killed executor JVM $victim (kill -9)"
}

step "3a. kill -9 of an executor during train-cnn"
train=(train-cnn --warehouse "$wh" --run-id kill-cnn --folds 0 --epochs 6 --lr 5e-4 --batch 8
       --set cnn.checkpoint.every=2)
submit "${fit[@]}" "${train[@]}" > "$work/kill-cnn.log" 2>&1 &
job=$!
wait_rows "SELECT count(*) FROM cnn_history WHERE run_id = 'kill-cnn'" 2 "$job" 600 \
  || { tail -30 "$work/kill-cnn.log"; fail "train-cnn wrote no epoch"; }
kill_one_executor
rc=0; wait "$job" || rc=$?
echo "train-cnn after the kill: exit $rc"
if [[ $rc != 0 ]]; then
  echo "rerunning with the same run id"
  submit "${fit[@]}" "${train[@]}" > "$work/kill-cnn-rerun.log" 2>&1 || fail "the rerun of train-cnn failed"
fi
python3 scripts/check_cluster_tables.py epochs "$wh" kill-cnn 0 6

step "3b. kill -9 of an executor during llm-slices"
llm=(llm-slices --warehouse "$wh" --run-id kill-llm --set llm.arms=general --set llm.repeat=0
     --set llm.sim.latency.ms=150 --set llm.concurrency=4)
submit "${fit[@]}" "${llm[@]}" > "$work/kill-llm.log" 2>&1 &
job=$!
wait_calls "$work/kill-llm.log" 100 "$job" 600 \
  || { tail -30 "$work/kill-llm.log"; fail "llm-slices answered no call before it ended"; }
kill_one_executor
rc=0; wait "$job" || rc=$?
echo "llm-slices after the kill: exit $rc"
if [[ $rc != 0 ]]; then
  echo "rerunning with the same run id"
  submit "${fit[@]}" "${llm[@]}" > "$work/kill-llm-rerun.log" 2>&1 || fail "the rerun of llm-slices failed"
fi
# In flight at the kill, at most: llm.concurrency calls on each of the executors.
python3 scripts/check_cluster_tables.py calls "$wh" kill-llm $((4 * 2))

step "4. GPU scheduling (gpu profile, STAND-IN GPUs: no hardware here)"
GLIOMA_BENCH_PROFILE=gpu submit "${fit[@]}" --conf spark.task.cpus=1 \
  --conf spark.executor.resource.gpu.discoveryScript="$root/scripts/cluster/standin-gpu-discovery.sh" \
  train-cnn --warehouse "$wh" --run-id gpu-scheduling --folds 1 --epochs 1 --lr 5e-4 --batch 8 \
  > "$work/gpu.log" 2>&1 || { tail -30 "$work/gpu.log"; fail "train-cnn under the gpu profile failed"; }
logs=$(find "$state" -path '*app-*' -name stderr -newer "$work/kill-llm.log")
grep -h "Spark assigned GPU(s)" $logs | head -2
grep -h "holds GPU" $logs | head -2
grep -qh "Spark assigned GPU(s) \[0\]" $logs || fail "no executor saw its GPU address"
grep -qh "holds GPU \[0\]" $logs || fail "no training task received a GPU address"
grep -qh "this is the CPU build" $logs || fail "the ND4J plugin did not see the GPU"

echo
echo "cluster check passed; stage times on the cluster (s):"
column -t "$times"
