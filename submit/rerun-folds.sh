#!/usr/bin/env bash
# Per-fold reruns for a scheduler (cron, Airflow, Oozie): trains the CNN (or the U-Net, or the multi-task U-Net) fold
# by fold under one run id, resuming whatever an earlier (failed or time-boxed) invocation with the same id left:
# finished folds are skipped, unfinished ones go on from their last checkpoint. Exit status: 0 every fold finished,
# 1 a fold failed (named on stderr), 4 a fold stopped by --epoch-budget (run again to go on), 2 usage.
#
#   submit/rerun-folds.sh [--run-id ID] [--folds 0,1,2,3,4] [--stage train-cnn|train-seg|train-multitask]
#                         [--ingest DATA_DIR] [--] [stage options...]
#
#   --run-id ID      default: nightly-<UTC date>, so a rerun on the same day resumes that night's run
#   --folds LIST     default: 0,1,2,3,4 (split.folds)
#   --stage NAME     train-cnn (default), train-seg (the U-Net) or train-multitask (the multi-task U-Net); for the two
#                    U-Nets status 3 (some patients not scored in the original space) counts as done
#   --ingest DIR     ingest DIR first (keeps existing cohort/fold assignments)
#   anything else    passed to every stage, e.g. --warehouse hdfs:///gb --epochs 200 --epoch-budget 20
# Environment: GLIOMA_BENCH_LAUNCHER (default submit/glioma-bench; submit/spark-submit.sh on a cluster),
#              GLIOMA_BENCH_LOG_DIR (default logs/): one log file per fold and run.
set -uo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
launcher="${GLIOMA_BENCH_LAUNCHER:-$root/submit/glioma-bench}"
log_dir="${GLIOMA_BENCH_LOG_DIR:-logs}"
run_id="nightly-$(date -u +%Y%m%d)"
folds="0,1,2,3,4"
stage=train-cnn
data=""
pass=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --run-id) run_id="${2:?--run-id needs a value}"; shift 2 ;;
    --folds) folds="${2:?--folds needs a value}"; shift 2 ;;
    --ingest) data="${2:?--ingest needs a folder}"; shift 2 ;;
    --stage) stage="${2:?--stage needs train-cnn, train-seg or train-multitask}"; shift 2 ;;
    -h|--help) sed -n '2,/^set /{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    --) shift; pass+=("$@"); break ;;
    *) pass+=("$1"); shift ;;
  esac
done
case "$stage" in
  train-cnn|train-seg|train-multitask) fold_option=--folds ;;
  *) echo "rerun-folds: --stage must be train-cnn, train-seg or train-multitask, got '$stage'" >&2; exit 2 ;;
esac
mkdir -p "$log_dir"
say() { echo "rerun-folds $(date -u +%H:%M:%S) $*" >&2; }

if [[ -n $data ]]; then
  say "ingest $data (run $run_id)"
  "$launcher" ingest --data "$data" --run-id "$run_id" "${pass[@]}" > "$log_dir/$run_id-ingest.log" 2>&1
  rc=$?
  # 3: tables written, some inputs rejected (listed in ingest_errors): the folds can still train.
  if [[ $rc -ne 0 && $rc -ne 3 ]]; then
    say "ingest failed with status $rc (see $log_dir/$run_id-ingest.log); no fold trained"
    exit 1
  fi
fi

failed=()
unfinished=()
IFS=',' read -r -a fold_list <<< "$folds"
for fold in "${fold_list[@]}"; do
  log="$log_dir/$run_id-$stage-fold-$fold.log"
  say "fold $fold: $stage --run-id $run_id (log $log)"
  "$launcher" "$stage" --run-id "$run_id" "$fold_option" "$fold" "${pass[@]}" >> "$log" 2>&1
  rc=$?
  [[ $stage != train-cnn && $rc -eq 3 ]] && { say "fold $fold: done; some patients could not be scored (see $log)"; rc=done; }
  case $rc in
    done) ;;
    0) say "fold $fold: done" ;;
    4) say "fold $fold: stopped by the epoch budget; run again to go on"; unfinished+=("$fold") ;;
    *) say "fold $fold: FAILED with status $rc (see $log)"; failed+=("$fold") ;;
  esac
done

if [[ ${#failed[@]} -gt 0 ]]; then
  echo "rerun-folds: run $run_id: fold(s) ${failed[*]} failed; rerun the same command to resume them" >&2
  exit 1
fi
if [[ ${#unfinished[@]} -gt 0 ]]; then
  echo "rerun-folds: run $run_id: fold(s) ${unfinished[*]} not finished yet (epoch budget); rerun to go on" >&2
  exit 4
fi
echo "rerun-folds: run $run_id: folds $folds finished"
