#!/usr/bin/env bash
# CI's Slurm check: submit/slurm/glioma-bench.sbatch on a one-node Slurm cluster started here
# (scripts/slurm/local-slurm.sh: Debian's slurm-wlm and munge, stand-in GPUs as gres), each job starting its own
# Spark standalone cluster inside its allocation:
#   1. the study (every stage) as one sbatch job on a 24-patient synthetic cohort; its tables checked with DuckDB;
#   2. a train-cnn job warned mid-training with `scancel --signal=USR1 --batch` (what --signal=B:USR1@N sends at the
#      time limit): the driver checkpoints after its averaging round and exits 7, the job requeues itself, and the
#      requeued job (eligible again after about two minutes) resumes: every epoch in cnn_history exactly once;
#   3. meanwhile two fold jobs of one run at the same time on the same warehouse (a job array, one stand-in GPU each,
#      which Spark's resource scheduling hands to the training tasks), while a third writer of one of those folds
#      (a local run) is refused with exit 5 naming the job that trains it;
#   4. kill -9 of a running train-cnn (its driver, as Slurm does after the grace period): an immediate rerun with the
#      same run id proceeds (the dead process's claims are taken over at once) and finishes every epoch once.
# The Slurm daemons, every job and everything else started here are stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=${GLIOMA_BENCH_SLURM_DIR:-$root/target/slurm-check}
rm -rf "$work"
mkdir -p "$work"
state=$(mktemp -d)
local_pid=""
cleanup() {
  local rc=$?
  [[ -n $local_pid ]] && kill -KILL "$local_pid" 2>/dev/null
  scripts/slurm/local-slurm.sh stop "$state" || true
  rm -rf "$state"
  exit $rc
}
trap cleanup EXIT
t0=$SECONDS
step() { echo; echo "== slurm check [$((SECONDS - t0)) s]: $*"; }
fail() { echo "slurm check FAILED: $*" >&2; exit 1; }

step "Slurm on this machine (munged as munge, slurmctld and slurmd as root, 2 stand-in GPUs)"
SLURM_CONF=$(scripts/slurm/local-slurm.sh start "$state" --gpus 2)
export SLURM_CONF
sinfo -N -o "%N %c CPUs, %m MB, %G, %T"

step "Spark home and the cluster jar"
SPARK_HOME=$(scripts/cluster/spark-home.sh)
export SPARK_HOME
[[ -f jobs/target/glioma-bench-jobs-cluster.jar ]] || mvn -B -q -Pcluster -DskipTests package
export GLIOMA_BENCH_LOG_DIR=$work/logs GLIOMA_BENCH_DRIVER_MEMORY=1g
wh=$work/warehouse
sbatch=(sbatch --parsable --chdir "$root" submit/slurm/glioma-bench.sbatch)

job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }
wait_done() { # job, seconds: until it has COMPLETED or FAILED (a requeue passes through PENDING)
  local s
  for _ in $(seq 1 "$2"); do
    s=$(job_state "$1")
    [[ $s == COMPLETED || $s == FAILED || $s == CANCELLED || $s == TIMEOUT || $s == OUT_OF_MEMORY ]] && { echo "$s"; return; }
    sleep 2
  done
  echo "STILL-$s"
}
wait_for() { # file, pattern, seconds
  for _ in $(seq 1 "$3"); do
    grep -q "$2" "$1" 2>/dev/null && return 0
    sleep 1
  done
  return 1
}

step "1. the study as one sbatch job (synthetic cohort: 24 patients)"
sbatch --wait -c 2 --mem=9G -o "$work/study.out" --chdir "$root" submit/slurm/glioma-bench.sbatch \
  study --warehouse "$wh" --run-id slurm-study --set synth.dir="$work/synth" --set synth.patients=24 \
  || { tail -40 "$work/study.out"; fail "the study job failed"; }
grep -q "all stages done" "$work/study.out" || { tail -40 "$work/study.out"; fail "study did not finish"; }
grep "study slurm-study: stage .* finished" "$work/study.out" | sed 's/.*INFO  StudyCommand: /  /'
python3 scripts/check_cluster_tables.py study "$wh" slurm-study

step "2. a train-cnn job warned with SIGUSR1 mid-training (the time-limit warning)"
warned=$("${sbatch[@]:0:4}" -c 1 --mem=5G -o "$work/warned.out" "${sbatch[@]:4}" \
  train-cnn --warehouse "$wh" --run-id slurm-requeue --folds 0 --epochs 6 --lr 5e-4 --batch 4 \
  --set cnn.checkpoint.every=3 --set cnn.averaging.frequency=1)
wait_for "$work/warned.out" "train-cnn fold 0 epoch 2/6" 600 || { tail -30 "$work/warned.out"; fail "no epoch 2"; }
scancel --signal=USR1 --batch "$warned"
echo "sent SIGUSR1 to the batch step of job $warned"
wait_for "$work/warned.out" "requeueing job $warned" 300 || { tail -30 "$work/warned.out"; fail "job $warned did not requeue"; }

step "3. two fold jobs of one run at the same time (a job array, a stand-in GPU each) and a third writer refused"
# Long enough (20 epochs) for the third writer, a local JVM, to reach fold 1 while task 1 still trains it.
array=$("${sbatch[@]:0:4}" --array=1-2 -c 1 --mem=5G --gres=gpu:1 -o "$work/array-%A_%a.out" "${sbatch[@]:4}" \
  train-cnn --warehouse "$wh" --folds %a --epochs 20 --lr 5e-4 --batch 8 --set cnn.train.metrics=false)
for t in 1 2; do
  wait_for "$work/array-${array}_$t.out" "train-cnn fold $t epoch 1/20" 600 \
    || { tail -30 "$work/array-${array}_$t.out"; fail "array task $t trained no epoch"; }
done
running=$(squeue -h -j "$array" -t RUNNING | wc -l)
echo "array $array: $running task(s) running at once"
[[ $running == 2 ]] || fail "the two fold jobs did not run at the same time"
rc=0
submit/glioma-bench train-cnn --warehouse "$wh" --run-id "slurm-$array" --folds 1 --epochs 20 \
  > "$work/third-writer.log" 2>&1 || rc=$?
[[ $(job_state "${array}_1") == RUNNING ]] || fail "array task 1 ended before the third writer reached fold 1 (exit $rc)"
[[ $rc == 5 ]] || { tail -20 "$work/third-writer.log"; fail "a third writer of fold 1 exited $rc, not 5"; }
grep -q "fold(s) \[1\] of run slurm-$array are being trained by another writer" "$work/third-writer.log" \
  || fail "the refusal does not say who trains fold 1"
grep -o "REFUSED: .* is writing it" "$work/third-writer.log" | head -1
for t in 1 2; do
  s=$(wait_done "${array}_$t" 900)
  [[ $s == COMPLETED ]] || { tail -30 "$work/array-${array}_$t.out"; fail "array task $t: $s"; }
  python3 scripts/check_cluster_tables.py epochs "$wh" "slurm-$array" "$t" 20
done
gpu_logs=$(find "$work/logs/slurm-${array}"* -name stderr 2>/dev/null || true)
[[ -n $gpu_logs ]] || gpu_logs=$(find "$work/logs" -path "*slurm-*" -name stderr -newer "$work/warned.out")
grep -h "holds GPU \[0\]" $gpu_logs | head -2
grep -qh "holds GPU \[0\]" $gpu_logs || fail "no training task of the array received its stand-in GPU"

step "2 (cont.). the warned job, requeued, resumes"
s=$(wait_done "$warned" 900)
[[ $s == COMPLETED ]] || { tail -40 "$work/warned.out"; fail "the requeued job: $s"; }
grep -E "SIGUSR1 received|stopped by SIGUSR1|ended with status|requeueing|restart 1|resuming run|finished: " \
  "$work/warned.out" | sed -E 's/^[0-9:]+ (INFO|WARN) +[A-Za-z]+: //' | grep -v "^\s*$"
grep -q "restart 1" "$work/warned.out" || fail "no restart"
grep -q "stopped by SIGUSR1" "$work/warned.out" || fail "the driver did not say it stopped on SIGUSR1"
grep -qE "resuming run slurm-requeue (inside epoch|after epoch)" "$work/warned.out" || fail "the requeued job did not resume"
grep -q "finished: 6 epochs" "$work/warned.out" || fail "the requeued job did not finish the fold"
scontrol show job "$warned" | grep -o "Restarts=[0-9]*"
python3 scripts/check_cluster_tables.py epochs "$wh" slurm-requeue 0 6

step "4. kill -9 of a running train-cnn: an immediate rerun proceeds"
kill9=(train-cnn --warehouse "$wh" --run-id kill-9 --folds 3 --epochs 3 --lr 5e-4 --batch 8 --set cnn.train.metrics=false)
submit/glioma-bench "${kill9[@]}" > "$work/kill9.log" 2>&1 &
local_pid=$!
wait_for "$work/kill9.log" "train-cnn fold 3 epoch 1/3" 600 || { tail -20 "$work/kill9.log"; fail "no epoch before the kill"; }
kill -KILL "$local_pid"
wait "$local_pid" 2>/dev/null || true
local_pid=""
echo "killed the train-cnn JVM (kill -9) after epoch 1; rerunning at once"
submit/glioma-bench "${kill9[@]}" > "$work/kill9-rerun.log" 2>&1 || { tail -20 "$work/kill9-rerun.log"; fail "the rerun failed"; }
grep -h "claim .* taken over\|took over" "$work/kill9-rerun.log" | sed -E 's/^[0-9:]+ WARN +//' | head -2
python3 scripts/check_cluster_tables.py epochs "$wh" kill-9 3 3

step "the warehouse after every writer: no lock, claim or staging left"
leftover=$(find "$wh/_lock" "$wh/_claims" "$wh/_staging" -mindepth 0 -type f 2>/dev/null | head -5 || true)
[[ -z $leftover ]] || fail "left behind: $leftover"
echo "  ok"
echo
echo "slurm check passed in $((SECONDS - t0)) s"
