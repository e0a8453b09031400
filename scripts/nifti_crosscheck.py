#!/usr/bin/env python3
"""Cross-check of glioma-bench's NIfTI reader (Java) against nibabel.

Compares, per file: NIfTI version, byte order, data type, shape, voxel sizes, qform/sform codes, the
4x4 affine, and after scl_slope/scl_inter: voxel count, non-finite count, non-zero count, sum, min,
max, probe voxels addressed by (i, j, k) and, for label images, the count of every value.

Files: the real cases in ../shared/data/brats-mini (int16, uint8, float32, gzip) and one file per
variant of our NiftiWriter (every data type, both byte orders, NIfTI-1 and -2, gzip or not, scaling,
an extension block, qform-only oblique affines), written by the Java side into a temporary folder.

Usage (from the repository root, after `mvn -o -q -B -pl core compile` or any build):
    python3 scripts/nifti_crosscheck.py [--data DIR] [--classes DIR] [FILE ...]
Exit status: 0 all files agree, 1 a mismatch, 2 a setup problem (no nibabel, no classes, no java).
"""
import argparse
import glob
import json
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAIN = "org.gliomabench.core.nifti.NiftiCrossCheck"
DTYPES = {"uint8": "UINT8", "int8": "INT8", "int16": "INT16", "uint16": "UINT16", "int32": "INT32",
          "float32": "FLOAT32", "float64": "FLOAT64"}
MAX_HISTOGRAM_VALUES = 32


def setup_error(msg):
    print("nifti_crosscheck: " + msg, file=sys.stderr)
    sys.exit(2)


try:
    import numpy as np
    import nibabel as nib
except ImportError as e:
    setup_error("needs numpy and nibabel (pip install numpy nibabel): %s" % e)


def java(classes, *args):
    out = subprocess.run(["java", "-cp", classes, MAIN] + list(args), check=True, capture_output=True, text=True)
    return out.stdout.splitlines()


def nibabel_facts(path):
    img = nib.load(path)
    h = img.header
    data = np.asarray(img.get_fdata(dtype=np.float64))
    finite = data[np.isfinite(data)]
    qcode, scode = int(h["qform_code"]), int(h["sform_code"])
    if scode > 0 or qcode > 0:
        affine = img.affine
    else:  # nibabel's fallback centres the image; the NIfTI standard's method 1 (ours) is diag(pixdim)
        affine = np.diag(list(h.get_zooms()[:3]) + [1.0])
    f = {
        "version": 2 if int(h["sizeof_hdr"]) == 540 else 1,
        "byte_order": "big" if h.endianness == ">" else "little",
        "dtype": DTYPES.get(h.get_data_dtype().name, h.get_data_dtype().name),
        "shape": list(img.shape),
        "voxel_size": [abs(float(z)) for z in h["pixdim"][1:4]],
        "qform_code": qcode, "sform_code": scode,
        "affine": affine,
        "voxels": int(data.size),
        "non_finite": int(data.size - finite.size),
        "nonzero": int(np.count_nonzero(finite)),
        "sum": float(finite.sum()), "abs_sum": float(np.abs(finite).sum()),
        "min": float(finite.min()), "max": float(finite.max()),
        "data": data,
    }
    if np.all(finite == np.rint(finite)):
        values, counts = np.unique(finite, return_counts=True)
        if len(values) <= MAX_HISTOGRAM_VALUES:
            f["histogram"] = {str(int(v)): int(c) for v, c in zip(values, counts)}
    return f


def compare(ours, ref):
    """Returns a list of mismatch descriptions (empty when the files agree)."""
    bad = []
    for key in ("version", "byte_order", "dtype", "shape", "qform_code", "sform_code", "voxels", "non_finite",
                "nonzero"):
        if ours[key] != ref[key]:
            bad.append("%s: ours %s, nibabel %s" % (key, ours[key], ref[key]))
    if not np.allclose(ours["voxel_size"], ref["voxel_size"], rtol=1e-6, atol=1e-6):
        bad.append("voxel_size: ours %s, nibabel %s" % (ours["voxel_size"], ref["voxel_size"]))
    if not np.allclose(np.array(ours["affine"]), ref["affine"], rtol=1e-5, atol=1e-4):
        bad.append("affine: ours %s, nibabel %s" % (ours["affine"], ref["affine"].tolist()))
    # Our voxels are float32 (scaling rounded once); nibabel's float64: allow float32 rounding per voxel.
    scale = 1e-6 * ref["abs_sum"] + 1e-6
    if abs(ours["sum"] - ref["sum"]) > scale or abs(ours["abs_sum"] - ref["abs_sum"]) > scale:
        bad.append("sum: ours %r / %r, nibabel %r / %r" % (ours["sum"], ours["abs_sum"], ref["sum"], ref["abs_sum"]))
    for key in ("min", "max"):
        if not np.isclose(ours[key], ref[key], rtol=1e-6, atol=1e-6):
            bad.append("%s: ours %r, nibabel %r" % (key, ours[key], ref[key]))
    data = ref["data"]
    for probe in ours["probes"]:
        i, j, k = probe["ijk"]
        expected = float(data[(i, j, k) + (0,) * (data.ndim - 3)])
        if not np.isclose(probe["value"], expected, rtol=1e-6, atol=1e-6):
            bad.append("voxel %s: ours %r, nibabel %r" % (probe["ijk"], probe["value"], expected))
    if ours.get("histogram") != ref.get("histogram"):
        bad.append("value counts: ours %s, nibabel %s" % (ours.get("histogram"), ref.get("histogram")))
    return bad


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default=os.environ.get("GLIOMABENCH_BRATS_MINI",
                                                     os.path.join(ROOT, "..", "shared", "data", "brats-mini")))
    ap.add_argument("--classes", default=os.path.join(ROOT, "core", "target", "classes"))
    ap.add_argument("files", nargs="*", help="more NIfTI files to compare")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.classes, *MAIN.split(".")) + ".class"):
        setup_error("%s.class not under %s: build first (mvn -o -q -B -pl core compile)" % (MAIN, args.classes))

    files = sorted(glob.glob(os.path.join(args.data, "*", "*.nii.gz"))) + list(args.files)
    if not files:
        print("nifti_crosscheck: no real files under %s; checking writer samples only" % args.data)
    with tempfile.TemporaryDirectory(prefix="nifti-crosscheck-") as tmp:
        samples = java(args.classes, "--write-samples", tmp)
        files += samples
        ours_by_file = {}
        for line in java(args.classes, *files):
            rec = json.loads(line)
            ours_by_file[rec["file"]] = rec
        failures = 0
        for path in files:
            ours = ours_by_file[path]
            name = os.path.relpath(path, tmp) if path.startswith(tmp) else os.path.relpath(path, args.data)
            label = ("writer/" if path.startswith(tmp) else "") + name
            if "error_kind" in ours:
                problems = ["our reader failed: %s %s" % (ours["error_kind"], ours["error"])]
            else:
                try:
                    problems = compare(ours, nibabel_facts(path))
                except Exception as e:  # nibabel could not read a file we could
                    problems = ["nibabel failed: %r" % e]
            if problems:
                failures += 1
                print("MISMATCH %s\n  %s" % (label, "\n  ".join(problems)))
            else:
                print("ok       %-58s %-7s %-15s sum %.6g" % (label, ours["dtype"], "x".join(map(str, ours["shape"])),
                                                          ours["sum"]))
    print("nifti_crosscheck: %d files, %d mismatches (nibabel %s)" % (len(files), failures, nib.__version__))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
