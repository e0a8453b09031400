#!/usr/bin/env python3
"""Reads the tables of an ingest of ../shared/data/brats-mini with non-Java clients (DuckDB and pyarrow)
and checks them against the voxel facts of that folder's README. Exit status 1 on any mismatch."""
import sys
import zlib

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


def decode_mask(encoded, length):
    """reference_masks.mask (rle-varint-zlib-v1): zlib over (value byte, LEB128 run length) pairs."""
    runs = zlib.decompress(encoded)
    out = bytearray()
    p = 0
    while p < len(runs):
        value, n, shift = runs[p], 0, 0
        p += 1
        while True:
            b = runs[p]
            p += 1
            n |= (b & 0x7F) << shift
            shift += 7
            if b < 0x80:
                break
        out += bytes([value]) * n
    if len(out) != length:
        raise ValueError(f"mask holds {len(out)} voxels, shape needs {length}")
    return bytes(out)


refs = ds.dataset(f"{wh}/reference_masks", format="parquet").to_table().to_pylist()
facts = {r[0]: r[1:] for r in duckdb.sql(
    f"SELECT patient_id, shape, orientation, tumour_voxels, voxels_ncr + voxels_et, voxels_et "
    f"FROM read_parquet('{wh}/patients/*.parquet')").fetchall()}
if sorted(r["patient_id"] for r in refs) != sorted(facts):
    failures.append(f"reference_masks rows {[r['patient_id'] for r in refs]} != patients {sorted(facts)}")
for r in refs:
    pid = r["patient_id"]
    shape, orientation, wt, tc, et = facts[pid]
    if r["mask_encoding"] != "rle-varint-zlib-v1":
        failures.append(f"{pid}: mask_encoding {r['mask_encoding']}")
        continue
    bits = decode_mask(r["mask"], shape[0] * shape[1] * shape[2])
    # region bits per voxel: 1 oedema (WT), 3 core (WT, TC), 7 enhancing (WT, TC, ET)
    counts = [len(bits) - bits.count(0), bits.count(3) + bits.count(7), bits.count(7)]
    print(f"pyarrow reference_masks {pid}: {len(r['mask'])} bytes, {r['orientation']}, spacing {r['spacing']}, "
          f"{r['reference']}, WT/TC/ET voxels {counts}")
    if counts != [wt, tc, et]:
        failures.append(f"{pid}: decoded mask has WT/TC/ET {counts}, patients says {[wt, tc, et]}")
    if r["shape"] != shape or r["orientation"] != orientation:
        failures.append(f"{pid}: reference mask geometry {r['shape']} {r['orientation']} != patients' {shape} {orientation}")
    if r["reference"] != "brats_consensus":
        failures.append(f"{pid}: reference {r['reference']}, these masks are a consensus")
if failures:
    print("FAILED:\n  " + "\n  ".join(failures))
    sys.exit(1)
print("tables read by DuckDB and pyarrow match the data README")
