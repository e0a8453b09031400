#!/usr/bin/env bash
# The LLM arm against a REAL OpenAI-compatible server: `transformers serve` serving a tiny RANDOM-weight model of
# the Llama-3.2-Vision architecture built here (scripts/tiny_llm/build_model.py; no weights can be downloaded).
# Its answers are noise, so parse_error rows are expected; what is checked is what must hold whatever the model
# says: the request shape is accepted (HTTP 200, one attempt), raw text kept, logprobs not asked of a server that
# has none, consistency repeats and a locate prompt, the arms that change what is shown (a four-modality montage,
# few-shot examples as several images and as one grid image), a wrong model name failing once per call with the server's
# reason and no rerun advice; then the fine-tuned arm end to end: export-finetune -> finetune (LoRA, a few steps,
# merged) -> serve the merged model -> llm-slices arms general + lora in the same run -> aggregate -> report.
# Python packages go into a virtual environment of their own (scripts/tiny_llm/requirements.txt, pinned).
# GLIOMA_BENCH_LLM_VENV=DIR reuses one that has them. Servers are stopped by PID on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
work=$(mktemp -d)
pids=()
cleanup() {
  local rc=$?
  for p in "${pids[@]:-}"; do
    if [[ -n $p ]] && kill "$p" 2>/dev/null; then wait "$p" 2>/dev/null || true; fi
  done
  rm -rf "$work"
  exit $rc
}
trap cleanup EXIT
t0=$SECONDS
say() { echo "== check-real-llm [$((SECONDS - t0)) s]: $*"; }

venv=${GLIOMA_BENCH_LLM_VENV:-$work/venv}
if [[ ! -x $venv/bin/python ]]; then
  say "python packages into $venv"
  python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check --retries 0 --timeout 3 \
    -r scripts/tiny_llm/requirements.txt
fi
py=$venv/bin/python

say "tiny Llama-3.2-Vision-architecture model (random weights)"
"$py" scripts/tiny_llm/build_model.py --out "$work/tiny-model"

free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
serve() { # serve MODEL_DIR PORT LOG -> pid in $served
  (cd "$work" && exec "$venv/bin/transformers" serve "$1" --host 127.0.0.1 --port "$2" --device cpu >"$3" 2>&1) &
  served=$!
  pids+=("$served")
  for _ in $(seq 1 120); do
    if "$py" -c "import urllib.request,sys; urllib.request.urlopen('http://127.0.0.1:$2/health', timeout=2)" 2>/dev/null; then
      return 0
    fi
    kill -0 "$served" 2>/dev/null || { echo "transformers serve died:"; tail -20 "$3"; return 1; }
    sleep 1
  done
  echo "transformers serve did not answer on port $2 within 120 s"; tail -20 "$3"; return 1
}

say "a small synthetic cohort"
wh=$work/warehouse
submit/glioma-bench synth --out "$work/synth" --patients 12 --seed 7 --set synth.shape=48,48,32 --set synth.lgg.fraction=0.5
submit/glioma-bench ingest --data "$work/synth" --warehouse "$wh" --run-id ci-real \
  --set ingest.crop.extent=48,48,32 --set ingest.volume.shape=16,32,32

port=$(free_port)
say "transformers serve on 127.0.0.1:$port"
serve "$work/tiny-model" "$port" "$work/serve-base.log"

llm=(--warehouse "$wh" --planes axial --set llm.max.tokens=16 --set llm.slice.stride=3 --set llm.concurrency=4
     --set llm.seed=11 --set llm.progress.seconds=5)
say "llm-slices: classification + consistency (--repeat 3) + a locate prompt against the real server"
submit/glioma-bench llm-slices "${llm[@]}" --run-id ci-real --endpoint "http://127.0.0.1:$port/v1" \
  --model "$work/tiny-model" --repeat 3 --set llm.arms=general,where --set llm.arm.where.prompt=locate-box-v1 \
  | tee "$work/real.out"
grep -q "server kind transformers" "$work/real.out" || { echo "the server kind was not detected"; exit 1; }
grep -q "returns no token logprobs" "$work/real.out" || { echo "no word that logprobs will not come"; exit 1; }
"$py" scripts/tiny_llm/check_rows.py calls "$wh" ci-real --arms general,where

say "llm-slices: the arms that change what is shown: montage, few-shot-4 (examples as images) and few-shot in one grid image"
submit/glioma-bench llm-slices "${llm[@]}" --run-id ci-arms --endpoint "http://127.0.0.1:$port/v1" \
  --model "$work/tiny-model" --repeat 2 --set llm.consistency.slices=2 \
  --set llm.arms=montage,few-shot-4,few-shot-grid --set llm.arm.few-shot-grid.fewshot.layout=grid \
  --set llm.arm.few-shot-grid.prompt=classify-fewshot-grid-v1 | tee "$work/arms.out"
grep -q "plan few-shot-4: .* requests carrying .* images" "$work/arms.out" || { echo "no plan line before the calls"; exit 1; }
"$py" scripts/tiny_llm/check_rows.py calls "$wh" ci-arms --arms montage,few-shot-4,few-shot-grid
"$py" scripts/tiny_llm/check_rows.py arms "$wh" ci-arms

say "llm-slices with a model name the server does not serve: a permanent error, not retried"
rc=0
submit/glioma-bench llm-slices "${llm[@]}" --run-id ci-wrong --endpoint "http://127.0.0.1:$port/v1" \
  --model meta-llama/Llama-3.2-11B-Vision-Instruct --repeat 0 --set llm.cohorts=test >"$work/wrong.out" 2>&1 || rc=$?
cat "$work/wrong.out" | grep -v "^\s*at " | tail -8
[[ $rc == 6 ]] || { echo "expected exit status 6 (permanent failures), got $rc"; exit 1; }
grep -q "HTTP 400: Server is pinned to" "$work/wrong.out" || { echo "the server's reason is not on the console"; exit 1; }
grep -q "pass --model" "$work/wrong.out" || { echo "no advice naming what to fix"; exit 1; }
if grep -q "to retry them" "$work/wrong.out"; then echo "the summary tells the user to rerun to retry permanent errors"; exit 1; fi
"$py" scripts/tiny_llm/check_rows.py wrong-model "$wh" ci-wrong

say "export-finetune, read with datasets from another directory"
submit/glioma-bench export-finetune --warehouse "$wh" --out "$work/export" --val-fold 0 --planes axial
mkdir -p "$work/elsewhere"
(cd "$work/elsewhere" && "$py" "$root/scripts/tiny_llm/check_export.py" "$work/export")

say "the fine-tuning labels: the answer only (prompt, image token and padding masked)"
"$py" scripts/tiny_llm/check_masking.py "$work/export" "$work/tiny-model"

say "finetune: LoRA SFT for a few steps, merged"
(cd "$work/elsewhere" && "$root/submit/glioma-bench" finetune --data "$work/export" --base "$work/tiny-model" \
  --out "$work/lora" --max-steps 4 --lora-r 4 --merge --python "$py")
test -s "$work/lora/adapter/adapter_config.json" || { echo "no adapter written"; exit 1; }
test -s "$work/lora/merged/config.json" || { echo "no merged model written"; exit 1; }

say "finetune --qlora on a machine without a CUDA GPU: refused with the reason"
rc=0
submit/glioma-bench finetune --data "$work/export" --base "$work/tiny-model" --out "$work/qlora" --max-steps 1 --qlora \
  --python "$py" >"$work/qlora.out" 2>&1 || rc=$?
tail -2 "$work/qlora.out"
[[ $rc == 2 ]] && grep -q "needs a CUDA GPU" "$work/qlora.out" || { echo "QLoRA on CPU was not refused clearly (status $rc)"; exit 1; }

lport=$(free_port)
say "transformers serve the merged model on 127.0.0.1:$lport"
serve "$work/lora/merged" "$lport" "$work/serve-lora.log"

say "llm-slices: arms general + lora in the same run (general resumes: nothing answered is sent again)"
submit/glioma-bench llm-slices "${llm[@]}" --run-id ci-real --endpoint "http://127.0.0.1:$port/v1" \
  --model "$work/tiny-model" --repeat 3 --set llm.arms=general,lora \
  --set llm.arm.lora.endpoint="http://127.0.0.1:$lport/v1" --set llm.arm.lora.model="$work/lora/merged" \
  | tee "$work/lora.out"
grep -q "arm lora" "$work/lora.out" || { echo "no lora arm in the summary"; exit 1; }

say "aggregate and report"
submit/glioma-bench aggregate --warehouse "$wh" --run-id ci-real
submit/glioma-bench report --warehouse "$wh" --run-id ci-real
"$py" scripts/tiny_llm/check_rows.py lora "$wh" ci-real "$wh/reports/ci-real/index.html"
say "passed"
