#!/usr/bin/env bash
# Cross-client checks, run by .ci/run after the tests: our NIfTI reader against nibabel, and our Parquet
# tables read by DuckDB and pyarrow. A missing Python package is reported, not hidden.
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/brats-mini
if ! python3 -c 'import numpy, nibabel, pyarrow, duckdb' 2>/dev/null; then
  echo "cross-client checks SKIPPED: python3 lacks numpy/nibabel/pyarrow/duckdb (pip install them)"
  [[ ${CI:-} != true ]] || exit 1
  exit 0
fi
if [[ ! -d $data ]]; then
  echo "cross-client checks SKIPPED: $data not found"
  exit 0
fi
python3 scripts/nifti_crosscheck.py
wh=$(mktemp -d)
trap 'rm -rf "$wh"' EXIT
submit/glioma-bench ingest --data "$data" --warehouse "$wh/warehouse" --set ingest.volume.shape=16,32,32
python3 scripts/check_tables.py "$wh/warehouse"
