#!/usr/bin/env bash
# The README's one-command study on the synthetic cohort (in a temporary folder, started from an empty
# working directory), then what an analyst does with it: a fresh `sql -e` process reads the headline rows
# from the catalog the study left under the warehouse; DuckDB reads the multi-task arm's rows; headless Chromium opens the report (broken images,
# empty sections, the answer on the first screen; screenshot); the notebooks run headlessly on its tables.
# Fails if any of these fails. GLIOMA_BENCH_SCREENSHOT=docs/report-screenshot.png keeps the screenshot there.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/cwd"
(cd "$tmp/cwd" && "$root/submit/glioma-bench" study --warehouse "$tmp/warehouse" --run-id ci-demo \
  --set synth.dir="$tmp/synthetic-brats")
test -s "$tmp/warehouse/reports/ci-demo/index.html" || { echo "check-demo: no report written"; exit 1; }

echo "== the catalog outlives the run: a fresh sql process reads the headline rows"
(cd "$tmp/cwd" && "$root/submit/glioma-bench" sql --warehouse "$tmp/warehouse" \
  -e "SELECT model, metric, value FROM glioma_bench.metrics WHERE cohort = 'test'") > "$tmp/sql.out"
cat "$tmp/sql.out"
for row in '^cnn_ensemble +accuracy ' '^cnn_selected +auc ' '^multitask_ensemble +auc ' \
    '^baseline_always_hgg +specificity ' '^general +balanced_accuracy ' \
    '^montage +balanced_accuracy ' '^few-shot-4 +auc ' '^few-shot-knn-4 +accuracy ' '^cnn-informed +specificity '; do
  grep -Eq "$row" "$tmp/sql.out" || { echo "check-demo: sql -e printed no row matching $row"; exit 1; }
done
echo "== model or input? every arm against the general arm and the CNN, from the catalog"
(cd "$tmp/cwd" && "$root/submit/glioma-bench" sql --warehouse "$tmp/warehouse" \
  -e "SELECT model, plane, shown, n, balanced_accuracy, mcnemar_p_vs_general, mcnemar_p_vs_cnn, agreement_with_cnn
      FROM glioma_bench.model_or_input WHERE run_id = 'ci-demo' ORDER BY position") > "$tmp/moi.out"
cat "$tmp/moi.out"
for row in '^general +axial +slice ' '^montage +axial +montage ' '^few-shot-4 +coronal +few_shot ' \
    '^few-shot-knn-4 +sagittal +few_shot ' '^cnn-informed +axial +cnn_informed '; do
  grep -Eq "$row" "$tmp/moi.out" || { echo "check-demo: model_or_input has no row matching $row"; exit 1; }
done
leftovers=$(ls -A "$tmp/cwd")
[[ -z $leftovers ]] || { echo "check-demo: written into the working directory: $leftovers"; exit 1; }

echo "== the multi-task arm's rows, read with DuckDB"
if python3 -c 'import duckdb' 2>/dev/null; then
  python3 scripts/check_cluster_tables.py multitask "$tmp/warehouse" ci-demo
else
  echo "multi-task table check SKIPPED: python3 lacks duckdb"
  [[ ${CI:-} != true ]] || exit 1
fi

echo "== the report in a real browser"
if command -v chromium >/dev/null || command -v chromium-browser >/dev/null || [[ -n ${CHROMIUM:-} ]]; then
  python3 scripts/check-report-browser.py "$tmp/warehouse/reports/ci-demo/index.html" \
    --screenshot "${GLIOMA_BENCH_SCREENSHOT:-$tmp/report-screenshot.png}"
else
  echo "browser check SKIPPED: no chromium (apt-get install chromium)"
  [[ ${CI:-} != true ]] || exit 1
fi

echo "== the notebooks on the study's tables"
if python3 -c 'import nbclient, nbformat, ipykernel, pandas, duckdb, matplotlib' 2>/dev/null; then
  python3 scripts/run-notebooks.py --warehouse "$tmp/warehouse" --run-id ci-demo
else
  echo "notebooks SKIPPED: python3 lacks nbclient/nbformat/ipykernel/pandas/duckdb/matplotlib"
  [[ ${CI:-} != true ]] || exit 1
fi
