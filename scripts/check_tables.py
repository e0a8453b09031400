#!/usr/bin/env python3
"""Reads the tables of an ingest of ../shared/data/brats-mini with non-Java clients (DuckDB and pyarrow)
and checks them against the voxel facts of that folder's README. Exit status 1 on any mismatch."""
import sys

import duckdb
import pyarrow.dataset as ds

wh = sys.argv[1]
# Voxel counts from ../shared/data/brats-mini/README.md (label 3 of the 2013 case counts as tumour).
expected = {
    "TCGA-DU-7294": 9281 + 14907,
    "TCGA-FG-6692": 2477 + 20862 + 6840,
    "brats_2013_pat0001_1": 26371 + 53050 + 818 + 31485,
}
failures = []
rows = duckdb.sql(f"SELECT patient_id, grade, label, cohort, fold, tumour_voxels, cnn_usable "
                  f"FROM read_parquet('{wh}/patients/*.parquet') ORDER BY patient_id").fetchall()
print("duckdb patients:")
for r in rows:
    print("  ", r)
got = {r[0]: r[5] for r in rows}
if got != expected:
    failures.append(f"tumour_voxels {got} != README {expected}")
usable = {r[0]: r[6] for r in rows}
if usable.get("brats_2013_pat0001_1") is not False:
    failures.append("the two-modality case must be marked not usable by the CNN")

slices = ds.dataset(f"{wh}/slices", format="parquet").to_table(columns=["patient_id", "plane", "in_tumour", "flair_png"])
print(f"pyarrow slices: {slices.num_rows} rows")
png = slices.column("flair_png")[0].as_py()
if not png.startswith(b"\x89PNG\r\n\x1a\n"):
    failures.append("flair_png is not a PNG")
volumes = duckdb.sql(f"SELECT patient_id, shape, octet_length(tensor) FROM read_parquet('{wh}/volumes/*.parquet')").fetchall()
for pid, shape, nbytes in volumes:
    n = 4
    for s in shape:
        n *= s
    if n != nbytes:
        failures.append(f"{pid}: tensor has {nbytes} bytes, shape {shape} needs {n}")
print(f"duckdb volumes: {[(v[0], v[1]) for v in volumes]}")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("tables read by DuckDB and pyarrow match the data README")
