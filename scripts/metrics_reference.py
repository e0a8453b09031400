#!/usr/bin/env python3
"""Reference values for the metrics tests (core/src/test/java/org/gliomabench/core/metrics).

Independent of the Java code: Python's math.erfc, exact fractions for McNemar, numpy.percentile,
Sun & Xu's (2014) mid-rank fast DeLong, and a search over every 55-patient confusion matrix for the
study's two table columns. Needs numpy only. Run: python3 scripts/metrics_reference.py
"""
import math
from fractions import Fraction

import numpy as np


def normal_tails():
    for x in [0, 0.5, 0.999, 1, 1.5, 2, 1.96, 2.5, 2.999, 3, 3.5, 5, 8, 12, 20]:
        print(f"P(Z > {x}) = {0.5 * math.erfc(x / math.sqrt(2))!r}")


def mcnemar_exact(b, c):
    n, k = b + c, min(b, c)
    return min(1.0, float(Fraction(2 * sum(math.comb(n, i) for i in range(k + 1)), 2 ** n)))


def study_matrices():
    columns = {
        "CNN test": dict(accuracy=0.8000, f1=0.8706, precision=0.9024, recall=0.8409, specificity=0.6364),
        "LLM axial": dict(accuracy=0.7818, f1=0.8776, precision=0.7963, recall=0.9773, specificity=0.0),
    }
    nan = float("nan")
    for name, printed in columns.items():
        hits = []
        for tp in range(56):
            for fp in range(56 - tp):
                for tn in range(56 - tp - fp):
                    fn = 55 - tp - fp - tn
                    got = dict(
                        accuracy=(tp + tn) / 55,
                        f1=2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else nan,
                        precision=tp / (tp + fp) if tp + fp else nan,
                        recall=tp / (tp + fn) if tp + fn else nan,
                        specificity=tn / (tn + fp) if tn + fp else nan,
                    )
                    if all(abs(got[k] - v) <= 0.00005 for k, v in printed.items()):
                        hits.append(dict(tp=tp, fp=fp, tn=tn, fn=fn))
        print(name, hits)


def midrank(x):
    order = np.argsort(x, kind="mergesort")
    z, n, ranks, i = x[order], len(x), np.zeros(len(x)), 0
    while i < n:
        a = i
        while a < n and z[a] == z[i]:
            a += 1
        ranks[i:a] = 0.5 * (i + a - 1) + 1
        i = a
    out = np.empty(n)
    out[order] = ranks
    return out


def fast_delong(labels, s1, s2):
    labels = np.array(labels)
    order = np.argsort(-labels, kind="stable")
    m = int(labels.sum())
    preds = np.array([np.array(s1)[order], np.array(s2)[order]])
    n = preds.shape[1] - m
    tx = np.array([midrank(p[:m]) for p in preds])
    ty = np.array([midrank(p[m:]) for p in preds])
    tz = np.array([midrank(p) for p in preds])
    aucs = tz[:, :m].sum(axis=1) / m / n - (m + 1.0) / 2.0 / n
    v10 = (tz[:, :m] - tx) / n
    v01 = 1.0 - (tz[:, m:] - ty) / m
    cov = np.cov(v10) / m + np.cov(v01) / n
    contrast = np.array([1, -1])
    var = float(contrast @ cov @ contrast)
    z = float((aucs[0] - aucs[1]) / math.sqrt(var))
    return float(aucs[0]), float(aucs[1]), var, z, math.erfc(abs(z) / math.sqrt(2))


if __name__ == "__main__":
    normal_tails()
    for b, c in [(1, 5), (0, 7), (11, 1), (4, 4), (3, 10), (25, 40), (600, 700)]:
        print(f"McNemar exact b={b} c={c}: {mcnemar_exact(b, c)!r}")
    v = np.array([1, 2, 3, 4, 10, 7, 7.5, 0.5])
    print("percentiles 2.5/97.5/50:", [float(np.percentile(v, q)) for q in (2.5, 97.5, 50)])
    study_matrices()
    print("DeLong hand case:", fast_delong([1, 1, 1, 0, 0], [0.9, 0.6, 0.4, 0.6, 0.2], [0.8, 0.3, 0.7, 0.5, 0.1]))
    print("DeLong 20 patients:", fast_delong(
        [1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0, 1, 1, 1, 0, 1],
        [0.91, 0.40, 0.77, 0.62, 0.55, 0.88, 0.30, 0.62, 0.45, 0.83, 0.70, 0.20, 0.95, 0.58, 0.49, 0.66,
         0.71, 0.39, 0.61, 0.52],
        [0.75, 0.50, 0.50, 0.75, 0.25, 1.00, 0.50, 0.75, 0.50, 0.75, 0.75, 0.25, 0.75, 0.50, 0.50, 0.75,
         1.00, 0.25, 0.75, 0.50]))
