#!/usr/bin/env bash
# The CUDA profile's checks on a GPU node (not part of CI: this project's CI machines have no GPU).
#   1. mvn -B -Pcuda,cluster -DskipTests package            (on a machine with Maven Central)
#   2. scripts/gpu/check-gpu-node.sh [C D H W]               (on the GPU node: NVIDIA driver + CUDA 11.6 runtime)
# Prints nvidia-smi's view, each GPU's verdict (nd4j-cuda-11.6 1.0.0-M2.1 runs compute capabilities 3.7-8.x and
# refuses Hopper/Blackwell; scripts/gpu/cuda-archs.py shows why), then, on a runnable GPU, the seconds of a CNN
# training step in both layouts at the study's shape (or C D H W). Exit status as CudaNodeCheck's.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/submit/jvm-opts.sh"
jar="${GLIOMA_BENCH_JAR:-$root/jobs/target/glioma-bench-jobs-cluster.jar}"
[[ -f $jar ]] || { echo "check-gpu-node: $jar not found (mvn -B -Pcuda,cluster -DskipTests package)" >&2; exit 2; }
nvidia-smi --query-gpu=index,name,compute_cap,driver_version,memory.total --format=csv || true
# shellcheck disable=SC2086
exec java -Xmx8g $GLIOMA_BENCH_OPENS -cp "$jar" org.gliomabench.jobs.cnn.CudaNodeCheck "$@"
