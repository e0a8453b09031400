#!/usr/bin/env bash
# The README's one-command study on the synthetic cohort (in a temporary folder), then the analyst
# notebooks executed headlessly against its tables. Fails if the study or any notebook cell fails.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
submit/glioma-bench study --warehouse "$tmp/warehouse" --run-id ci-demo --set synth.dir="$tmp/synthetic-brats"
test -s "$tmp/warehouse/reports/ci-demo/index.html" || { echo "check-demo: no report written"; exit 1; }
if python3 -c 'import nbclient, nbformat, ipykernel, pandas, duckdb, matplotlib' 2>/dev/null; then
  python3 scripts/run-notebooks.py --warehouse "$tmp/warehouse" --run-id ci-demo
else
  echo "notebooks SKIPPED: python3 lacks nbclient/nbformat/ipykernel/pandas/duckdb/matplotlib"
  [[ ${CI:-} != true ]] || exit 1
fi
