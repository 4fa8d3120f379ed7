#!/usr/bin/env bash
# The second embedded policy (models/embedded): the same tiny Llama as train.sh, trained longer
# on a GPU, then briefly on the long levels, then the two checkpoints averaged. Four steps; only
# `train` needs the GPU machine (PyTorch alone, no Deno), the others run here:
#   bash models/train/train_v2.sh data     DATA           # training data, both phases (Deno)
#   bash models/train/train_v2.sh train    DATA WORK      # GPU: phase 1, 3,400 steps of 64 (1.3 min
#                                                         #   on one H100; about 5 h on 2 CPU cores)
#   bash models/train/train_v2.sh finetune DATA WORK      # CPU: phase 2, levels 3-5, 24 min
#   bash models/train/train_v2.sh export   DATA WORK OUT  # average, evaluate (CPU, ~6 min), export
# or all four in one go on one machine (`deno task train-policy`; phase 1 uses the GPU when torch
# sees one, the CPU otherwise, with its time budget raised so that it still runs all 3,400 steps):
#   bash models/train/train_v2.sh all [DATA [WORK [OUT]]]  # defaults /tmp/embedded-v2-data,
#                                                          #   /tmp/embedded-v2-train, models/embedded
# Extra arguments after the folders go to train.py.
set -euo pipefail
cd "$(dirname "$0")/../.."
step="${1:?usage: train_v2.sh data|train|finetune|export|all DATA [WORK [OUT]]}"
if [ "$step" = all ]; then
  DATA="${2:-/tmp/embedded-v2-data}"
  WORK="${3:-/tmp/embedded-v2-train}"
  OUT="${4:-models/embedded}"
  bash "$0" data "$DATA"
  PYTHON=/usr/bin/python3 bash "$0" train "$DATA" "$WORK" --device auto --max-minutes 480
  bash "$0" finetune "$DATA" "$WORK"
  bash "$0" export "$DATA" "$WORK" "$OUT"
  exit 0
fi
DATA="${2:?DATA folder}"
EVAL=(--seed 0 --samples 16 --temperature 0.8)
PHASE1=(--batch 64 --lr 3e-3 --warmup 200 --steps 3400 --max-minutes 100)
PHASE2=(--batch 32 --lr 5e-4 --warmup 10 --steps 400 --max-minutes 24)
export OPENBLAS_NUM_THREADS="${OPENBLAS_NUM_THREADS:-2}"
case "$step" in
data)
  # phase 1: 300,000 solutions, levels weighted toward the long ones; phase 2: levels 3-5 only
  deno run -A models/train/make_data.ts --out "$DATA/phase1" --n 300000 --seed 1 \
    --flaw-rate 0.15 --level-weights 1,1,2,3,3 --drill 0.2
  deno run -A models/train/make_data.ts --out "$DATA/phase2" --n 40000 --seed 2 \
    --flaw-rate 0.15 --level-weights 0,0,1,3,4 --drill 0.1
  ;;
train)
  WORK="${3:?WORK folder}"
  # the GPU machine has torch in its own python3; here it is Debian's /usr/bin/python3 (PYTHON)
  "${PYTHON:-python3}" models/train/train.py --data "$DATA/phase1" --work "$WORK/phase1" --device cuda \
    --eval-batch 2048 --no-export "${PHASE1[@]}" "${EVAL[@]}" "${@:4}"
  ;;
finetune)
  WORK="${3:?WORK folder}"
  # malloc thresholds: batch-32 activations otherwise go back to the kernel every step
  MALLOC_MMAP_THRESHOLD_=33554432 MALLOC_TRIM_THRESHOLD_=1073741824 \
    /usr/bin/python3 models/train/train.py --data "$DATA/phase2" --work "$WORK/phase2" \
    --init "$WORK/phase1/model.pt" --eval-n 0 --no-export "${PHASE2[@]}" "${EVAL[@]}" "${@:4}"
  ;;
export)
  WORK="${3:?WORK folder}"
  OUT="${4:?OUT folder}"
  mkdir -p "$WORK/final"
  /usr/bin/python3 models/train/train.py --data "$DATA/phase2" --work "$WORK/final" \
    --resume "$WORK/phase2/model.pt" --interpolate "$WORK/phase1/model.pt" --weight 0.75 \
    --out "$OUT" "${PHASE2[@]}" "${EVAL[@]}" --command "$(cat <<'TXT'
Three phases (`bash models/train/train_v2.sh data|train|finetune|export`); the Data and Training
paragraphs above describe phase 2. **Phase 1** (GPU): from scratch, 3,400 steps of 64 sequences at
lr 3e-3 (warmup 200, cosine to 10%) on 300,000 solutions from `trainStream(1)`, level weights
[1, 1, 2, 3, 3], 20% drills, 15% with one mistake; 1.3 min on one NVIDIA H100 (torch 2.11). Alone
it gives greedy 50.2% and pass@16 86.2% in PyTorch (83.8% through the TypeScript runner). **Phase
2** (CPU): phase 1's checkpoint trained on levels 3-5. **Final weights**: 0.75 × phase 1 + 0.25 ×
phase 2, a linear interpolation of the two checkpoints (WiSE-FT, arXiv 2109.01903): phase 2 alone
overshoots the greedy range (60.6%, levels 3-5 at 72/39/21%); the average keeps part of its gain
there at a greedy accuracy inside the range.
TXT
)" "${@:5}"
  deno fmt "$OUT/README.md"
  ;;
*)
  echo "train_v2.sh: unknown step '$step' (data, train, finetune, export or all)" >&2
  exit 2
  ;;
esac
