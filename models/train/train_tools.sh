#!/usr/bin/env bash
# Train the tool-using embedded policy (issue 10) and export it to models/embedded-tools/:
#   1. lib/tasks/tools_data.ts dumps tool-format solutions (15% with one wrong operand) and the
#      evaluation split with gold tool solutions
#   2. train.py --config tools warm-starts from the plain policy's checkpoint (same architecture;
#      TOOL_CHARSET extends CHARSET, so the known characters keep their embeddings) and trains on
#      the tool data for 24 min (phase 1), then for 20 and 25 min more (phases 2 and 3: two more
#      learning-rate cycles, each from the last checkpoint), evaluates greedy accuracy and pass@4
#      without code execution on 100 evaluation problems, and exports ONNX + tokenizer + configs
#      + parity fixtures + model card
# Usage: bash models/train/train_tools.sh [extra train.py flags]   (or: deno task train-tools)
# Env: INIT (default /tmp/embedded-policy-train/model.pt, left there by models/train/train.sh),
#      WORK (default /tmp/embedded-tools-train), OUT (default models/embedded-tools).
# Takes about 75 minutes on a 2-core machine; run it with nohup and follow $WORK/train_log.txt.
set -euo pipefail
cd "$(dirname "$0")/../.."
INIT="${INIT:-/tmp/embedded-policy-train/model.pt}"
WORK="${WORK:-/tmp/embedded-tools-train}"
OUT="${OUT:-models/embedded-tools}"
if [ ! -f "$INIT" ]; then
  echo "train_tools.sh: no checkpoint at $INIT: run bash models/train/train.sh first (it leaves" \
    "the plain policy's model.pt in its WORK folder) or set INIT" >&2
  exit 1
fi
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
mkdir -p "$WORK"
export TRAIN_SH_START="$(date +%s)"
rm -f "$WORK/train_log.txt"

deno run -A lib/tasks/tools_data.ts --out "$WORK" --n 40000 --seed 2 --flaw-rate 0.15

# phase 1: the new format, from the plain policy (24 min, lr 1.5e-3; no evaluation, no export)
/usr/bin/python3 models/train/train.py --config tools --init "$INIT" --data "$WORK" --out "$OUT" \
  --max-len 1280 --steps 20000 --batch 8 --lr 1.5e-3 --warmup 50 --max-minutes 24 --seed 0 \
  --eval-n 0 --no-export
# phases 2 and 3: two more cosine cycles (20 and 25 min, lr 1e-3), each from the last checkpoint;
# the last one evaluates and exports
prev="$WORK/model.pt"
for phase in 2 3; do
  mkdir -p "$WORK/phase$phase"
  if [ "$phase" = 3 ]; then minutes=25; last=(--eval-n 100 --samples 4 --temperature 0.8 \
    --eval-batch 100 "$@"); else minutes=20; last=(--eval-n 0 --no-export); fi
  /usr/bin/python3 models/train/train.py --config tools --init "$prev" --data "$WORK" \
    --work "$WORK/phase$phase" --out "$OUT" --max-len 1280 --steps 20000 --batch 8 --lr 1e-3 \
    --warmup 20 --max-minutes "$minutes" --seed "$((phase - 1))" "${last[@]}"
  prev="$WORK/phase$phase/model.pt"
done

deno fmt "$OUT/README.md"
