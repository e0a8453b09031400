#!/usr/bin/env bash
# Scores the real cases of ../shared/data/brats-mini (or the folder given) with both segmentation arms:
# ingest -> train-seg (the U-Net, cross-validated over the cases it can use) -> llm-slices with the three
# locate prompts (SIMULATED server unless llm.endpoint is set) -> aggregate -> report, then prints the
# segmentation table. Their masks are a consensus segmentation, not ground truth, and these few cases
# cannot train anything: the output checks the pipeline on real anatomy, it is not a result.
# Usage: scripts/score-real-cases.sh [DATA_DIR] [-- extra --set options for every stage]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/brats-mini
if [[ $# -gt 0 && $1 != -- ]]; then data=$1; shift; fi
[[ ${1:-} == -- ]] && shift
extra=("$@")
if [[ ! -d $data ]]; then
  echo "score-real-cases SKIPPED: $data not found"
  exit 0
fi
if [[ -n ${WAREHOUSE:-} ]]; then wh=$WAREHOUSE; else
  tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT; wh=$tmp/warehouse
fi
run=${RUN_ID:-real-cases}
gb=submit/glioma-bench
ok_or_3() { local rc=0; "$@" || rc=$?; [[ $rc == 0 || $rc == 3 ]] || { echo "score-real-cases: '$*' failed ($rc)"; exit 1; }; }

ok_or_3 $gb ingest --data "$data" --warehouse "$wh" --run-id "$run" --set ingest.volume.shape=32,64,64 ${extra[@]+"${extra[@]}"}
ok_or_3 $gb train-seg --warehouse "$wh" --run-id "$run" --set seg.epochs=15 --set seg.learning.rate=3e-3 \
  --set seg.batch.size=1 --set seg.checkpoint.every=5 ${extra[@]+"${extra[@]}"}
ok_or_3 $gb llm-slices --warehouse "$wh" --run-id "$run" --set llm.repeat=0 \
  --set llm.arms=general,where-centre,where-box,where-polygon --set llm.arm.where-centre.prompt=locate-centre-v1 \
  --set llm.arm.where-box.prompt=locate-box-v1 --set llm.arm.where-polygon.prompt=locate-polygon-v1 ${extra[@]+"${extra[@]}"}
ok_or_3 $gb aggregate --warehouse "$wh" --run-id "$run" ${extra[@]+"${extra[@]}"}
ok_or_3 $gb report --warehouse "$wh" --run-id "$run" ${extra[@]+"${extra[@]}"}
python3 - "$wh" "$run" <<'PY'
import sys
import duckdb
wh, run = sys.argv[1], sys.argv[2]
seg = f"read_parquet('{wh}/segmentation/**/*.parquet', hive_partitioning = true)"
rows = duckdb.sql(f"""
  SELECT model, region, reference, count(*) AS patients, round(avg(dice), 3) AS mean_dice,
         round(avg(hd95), 1) AS mean_hd95, round(avg(hit_rate), 3) AS hit_rate
  FROM {seg} WHERE run_id = '{run}' GROUP BY ALL ORDER BY model, region""").fetchall()
print(f"segmentation of the real cases (run {run}):")
print(f"  {'model':24} {'region':8} {'reference':18} {'n':>3} {'Dice':>7} {'HD95':>7} {'hit':>6}")
for m, r, ref, n, d, h, hit in rows:
    print(f"  {m:24} {r:8} {ref:18} {n:>3} {str(d):>7} {str(h):>7} {str(hit):>6}")
refs = {r[2] for r in rows}
if "brats_consensus" in refs:
    print("  NOTE: the reference masks are a consensus segmentation (BraTS raters, or for brats-mini partly an")
    print("  algorithms' majority vote; see the data's README), not ground truth. Two usable cases cannot train a")
    print("  U-Net: these figures check the pipeline on real anatomy; they are not a result.")
cnn = duckdb.sql(f"SELECT count(DISTINCT patient_id) FROM {seg} WHERE run_id = '{run}' AND model = 'cnn_seg'").fetchone()[0]
llm = duckdb.sql(f"SELECT count(DISTINCT patient_id) FROM {seg} WHERE run_id = '{run}' AND region = 'box'").fetchone()[0]
print(f"  patients scored: U-Net {cnn}, LLM boxes {llm}; report: {wh}/reports/{run}/index.html")
if cnn == 0 or llm == 0:
    sys.exit("score-real-cases: a segmentation arm scored no patient")
PY
