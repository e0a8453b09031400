#!/usr/bin/env python3
"""The nibabel + numpy side of `glioma-bench bench ingest`: the same read, crop and resize as our ingest.

For each patient folder given: load t1, t1ce, t2, flair and seg with nibabel, reorient to RAS, z-score each
modality over its brain voxels, crop a fixed extent around the tumour's bounding-box centre and resample it
trilinearly (numpy, vectorised) to D x H x W. Prints one JSON object: seconds per patient (median of
--repeat runs after one warm-up).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import nibabel as nib


def load(folder, pid, mod):
    for ext in (".nii.gz", ".nii"):
        p = os.path.join(folder, f"{pid}_{mod}{ext}")
        if os.path.exists(p):
            img = nib.as_closest_canonical(nib.load(p))
            return np.asarray(img.dataobj, dtype=np.float32)
    raise FileNotFoundError(f"{pid}: no {mod}")


def axis_weights(out, extent, origin, n, reverse):
    t = np.arange(out)
    if reverse:
        t = out - 1 - t
    s = origin + (t + 0.5) * extent / out - 0.5
    s = np.clip(s, 0, n - 1)
    lo = np.floor(s).astype(np.int64)
    hi = np.minimum(lo + 1, n - 1)
    return lo, hi, (s - lo).astype(np.float32)


def resample(vol, origin, extent, dhw):
    d, h, w = dhw
    x0, x1, wx = axis_weights(w, extent[0], origin[0], vol.shape[0], True)
    y0, y1, wy = axis_weights(h, extent[1], origin[1], vol.shape[1], True)
    z0, z1, wz = axis_weights(d, extent[2], origin[2], vol.shape[2], False)
    # separable: along z, then y, then x
    a = vol[:, :, z0] * (1 - wz) + vol[:, :, z1] * wz
    a = a[:, y0, :] * (1 - wy)[None, :, None] + a[:, y1, :] * wy[None, :, None]
    a = a[x0, :, :] * (1 - wx)[:, None, None] + a[x1, :, :] * wx[:, None, None]
    return np.transpose(a, (2, 1, 0))  # -> D, H, W


def process(folder, extent, dhw):
    pid = os.path.basename(folder.rstrip("/"))
    seg = load(folder, pid, "seg")
    nz = np.nonzero(seg)
    centre = [(a.min() + a.max()) / 2 for a in nz]
    origin = [int(np.clip(round(c - (e - 1) / 2), 0, max(0, n - e))) for c, e, n in zip(centre, extent, seg.shape)]
    out = np.empty((4,) + tuple(dhw), dtype=np.float32)
    for c, mod in enumerate(("t1", "t1ce", "t2", "flair")):
        v = load(folder, pid, mod)
        brain = v != v[0, 0, 0]
        m = v[brain].mean()
        s = v[brain].std() or 1.0
        v = np.where(brain, (v - m) / s, 0).astype(np.float32)
        out[c] = resample(v, origin, extent, dhw)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folders", nargs="+")
    ap.add_argument("--extent", default="160,192,128")
    ap.add_argument("--shape", default="95,128,128")
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    extent = [int(x) for x in a.extent.split(",")]
    dhw = [int(x) for x in a.shape.split(",")]
    per_patient = {}
    for f in a.folders:
        process(f, extent, dhw)  # warm-up (imports, page cache)
        times = []
        for _ in range(a.repeat):
            t0 = time.perf_counter()
            process(f, extent, dhw)
            times.append(time.perf_counter() - t0)
        per_patient[os.path.basename(f.rstrip("/"))] = sorted(times)[len(times) // 2]
    json.dump({"seconds_per_patient": per_patient, "nibabel": nib.__version__, "numpy": np.__version__}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
