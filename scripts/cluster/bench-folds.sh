#!/usr/bin/env bash
# Folds in parallel against one at a time: `train-cnn --folds all` on a loopback Spark standalone cluster
# (scripts/cluster/standalone.sh; separate JVMs) with train.parallel.folds=0 (as many folds at once as the
# executors' task slots: each fold on an executor of its own) and =1 (one fold after another on every executor),
# same commit, cohort and settings, in the order A B B A (and again with --repeat) so that neither gets the warmer
# machine. Prints each run's wall time and the ratio of the means. Run it on a quiet machine.
#   scripts/cluster/bench-folds.sh [--patients N] [--epochs E] [--workers W] [--repeat R]
# (defaults: 24 synthetic patients at the synthetic study's shapes, 8 epochs, 2 workers of 1 core and 6 GB, R 1)
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)
patients=24 epochs=8 workers=2 repeat=1
while [[ $# -gt 0 ]]; do
  case $1 in
    --patients) patients=$2; shift 2 ;;
    --epochs) epochs=$2; shift 2 ;;
    --workers) workers=$2; shift 2 ;;
    --repeat) repeat=$2; shift 2 ;;
    *) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done
work=$(mktemp -d)
state=$work/standalone
cleanup() { scripts/cluster/standalone.sh stop "$state" || true; rm -rf "$work"; }
trap cleanup EXIT

export SPARK_HOME
SPARK_HOME=$(scripts/cluster/spark-home.sh)
[[ -f jobs/target/glioma-bench-jobs-cluster.jar ]] || mvn -B -q -Pcluster -DskipTests package
master=$(scripts/cluster/standalone.sh start "$state" --workers "$workers" --cores 1 --memory 6g)
fit=(--master "$master" --driver-memory 2g --executor-memory 2g --executor-cores 1 --conf spark.executor.memoryOverhead=1g)
wh=$work/warehouse
submit/glioma-bench synth --out "$work/synth" --patients "$patients" --seed 7 > /dev/null
submit/spark-submit.sh "${fit[@]}" ingest --data "$work/synth" --warehouse "$wh" --run-id bench \
  --conf conf/synthetic-study.properties > "$work/ingest.log" 2>&1 || { tail -20 "$work/ingest.log"; exit 1; }
# The training copy of the volumes table is written by the first training run: not by a timed one.
submit/spark-submit.sh "${fit[@]}" train-cnn --warehouse "$wh" --run-id warm-up --folds 0 --epochs 1 \
  --conf conf/synthetic-study.properties > "$work/warm-up.log" 2>&1 || { tail -20 "$work/warm-up.log"; exit 1; }

declare -A total count
run() { # mode (parallel|sequential), run id
  local mode=$1 id=$2 t0 t1 parallel=0
  [[ $mode == sequential ]] && parallel=1
  t0=$(date +%s.%N)
  submit/spark-submit.sh "${fit[@]}" train-cnn --warehouse "$wh" --run-id "$id" --folds all --epochs "$epochs" \
    --conf conf/synthetic-study.properties --set cnn.parallel.folds=$parallel > "$work/$id.log" 2>&1 \
    || { tail -20 "$work/$id.log"; exit 1; }
  t1=$(date +%s.%N)
  local s
  s=$(echo "$t1 - $t0" | bc)
  total[$mode]=$(echo "${total[$mode]:-0} + $s" | bc)
  count[$mode]=$(( ${count[$mode]:-0} + 1 ))
  printf '%-10s %-16s %8.1f s   %s\n' "$mode" "$id" "$s" "$(grep -o 'memory plan per worker.*: [0-9].*' "$work/$id.log" \
    | sed 's/.*task slot(s) each: //' | head -1)"
}
echo "train-cnn --folds all ($patients patients, $epochs epochs, 5 folds) on $workers executors of 1 core:"
for r in $(seq 1 "$repeat"); do
  run sequential "seq-$r-a"; run parallel "par-$r-a"; run parallel "par-$r-b"; run sequential "seq-$r-b"
done
grep -ho "fold lane [0-9]*: .*" "$work/par-1-a.log" | sed 's/^/  /'
seq_mean=$(echo "scale=2; ${total[sequential]} / ${count[sequential]}" | bc)
par_mean=$(echo "scale=2; ${total[parallel]} / ${count[parallel]}" | bc)
echo "mean wall time: one fold at a time $seq_mean s, folds in parallel $par_mean s;" \
  "parallel / one at a time = $(echo "scale=2; $par_mean / $seq_mean" | bc)"
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; 1-minute load now $(cut -d' ' -f1 /proc/loadavg)"
