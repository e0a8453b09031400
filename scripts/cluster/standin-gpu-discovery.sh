#!/usr/bin/env bash
# A STAND-IN for a GPU discovery script (spark.worker.resource.gpu.discoveryScript), for testing Spark's resource
# scheduling where there is no GPU: it reports addresses 0..STANDIN_GPUS-1 (default 1) without looking at any
# hardware. Real clusters use submit/gpu-discovery.sh (nvidia-smi).
n=${STANDIN_GPUS:-1}
addrs=$(seq -s, -f '"%g"' 0 $((n - 1)))
echo "{\"name\": \"gpu\", \"addresses\": [$addrs]}"
