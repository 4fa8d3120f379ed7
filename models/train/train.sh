#!/usr/bin/env bash
# Train the embedded policy end to end and export it to models/embedded-v1/ (the first
# embedded policy; the default one is trained by train_v2.sh):
#   1. make_data.ts dumps training solutions (25% with one realistic mistake) and the eval split
#   2. train.py trains the tiny Llama on CPU, evaluates greedy accuracy and pass@16 on the 500
#      evaluation problems, exports ONNX + tokenizer + configs + parity fixtures + model card
#   3. check_samples.ts scores the evaluation samples with the exact step checker
# Usage: bash models/train/train.sh [extra train.py flags]   (or: deno task train-policy-v1)
# Env: WORK (scratch folder, default /tmp/embedded-policy-train), OUT (default models/embedded).
# Takes about 55 minutes on a shared 2-core machine; run it with nohup and follow $WORK/train_log.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORK="${WORK:-/tmp/embedded-policy-train}"
OUT="${OUT:-models/embedded-v1}"
# one torch thread; OpenBLAS threads as the notes measured fastest on an idle 2-core machine
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
mkdir -p "$WORK"
export TRAIN_SH_START="$(date +%s)"
rm -f "$WORK/train_log.txt"

deno run -A models/train/make_data.ts --out "$WORK" --n 150000 --seed 1 --flaw-rate 0.15 \
  --level-weights 1,1,1,1,1 --drill 0.3

/usr/bin/python3 models/train/train.py --data "$WORK" --out "$OUT" \
  --steps 20000 --batch 8 --lr 3e-3 --warmup 100 --max-minutes 44 --seed 0 \
  --samples 16 --temperature 0.8 "$@"

# the model card is generated; keep it in the repository's markdown format
deno fmt "$OUT/README.md"
deno run -A models/train/check_samples.ts "$WORK/eval_samples.jsonl" | tee "$WORK/step_check.json"
