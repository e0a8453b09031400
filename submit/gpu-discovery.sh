#!/usr/bin/env bash
# Spark GPU discovery script (spark.executor.resource.gpu.discoveryScript): prints the GPUs of this node as
# {"name": "gpu", "addresses": ["0", "1", ...]}. Uses nvidia-smi; honours CUDA_VISIBLE_DEVICES when set
# (YARN/Kubernetes GPU isolation), so an executor only offers the devices it can see.
set -euo pipefail
if [[ -n ${CUDA_VISIBLE_DEVICES:-} ]]; then
  IFS=',' read -r -a ids <<< "$CUDA_VISIBLE_DEVICES"
  # Inside an isolated container the visible devices are renumbered from 0.
  addrs=()
  for i in "${!ids[@]}"; do addrs+=("\"$i\""); done
else
  if ! command -v nvidia-smi > /dev/null; then
    echo '{"name": "gpu", "addresses": []}'
    exit 0
  fi
  mapfile -t ids < <(nvidia-smi --query-gpu=index --format=csv,noheader | tr -d ' ')
  addrs=()
  for i in "${ids[@]}"; do [[ -n $i ]] && addrs+=("\"$i\""); done
fi
(IFS=','; echo "{\"name\": \"gpu\", \"addresses\": [${addrs[*]}]}")
