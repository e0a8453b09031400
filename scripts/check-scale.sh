#!/usr/bin/env bash
# CI's full-size check (issue: the study at its real size): a handful of patients at BraTS size (240x240x155)
# through synth, ingest and bench.scale.epochs epochs of fold 0 of the CNN and the U-Net at the study's shape
# (4x95x128x128, the defaults), each stage in its own JVM. Fails when an epoch shuffles tensor bytes (the training
# data must stream from the training copy, not be re-materialised per epoch) or a training JVM's peak resident
# memory passes bench.scale.max.rss.gb. The full benchmark: submit/glioma-bench bench scale (120 patients).
set -euo pipefail
cd "$(dirname "$0")/.."
submit/glioma-bench bench scale --set bench.scale.patients="${SCALE_PATIENTS:-6}" --set bench.scale.check=true "$@"
