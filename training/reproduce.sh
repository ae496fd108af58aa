#!/usr/bin/env bash
# Reproduces models/subspace-masan-v1/ from Flickr 8k in one command (2 CPU cores: see training/README.md).
# Paths: FLICKR8K (default ../shared/datasets/flickr8k), CACHE (default training/.cache/flickr8k),
# RUNS (checkpoints), OUT (export folder). MEMBERS: the ensemble, variant:seed:epochs (each trained
# with 2 captions per image per batch; see docs/model.md for the recipe of the shipped model).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
FLICKR8K=${FLICKR8K:-../shared/datasets/flickr8k}
CACHE=${CACHE:-training/.cache/flickr8k}
RUNS=${RUNS:-training/.cache/runs}
OUT=${OUT:-models/subspace-masan-v1}
MEMBERS=${MEMBERS:-"baseline:2:12 baseline:1:12 full:0:6"}

if [ ! -f "$FLICKR8K/Flickr8k.token.txt" ]; then
  echo "reproduce: Flickr 8k not found at $FLICKR8K (set FLICKR8K); nothing done" >&2
  exit 2
fi
"$PY" training/build_tokenizer.py --dataset "$FLICKR8K" --out "$CACHE/tokenizer.json"
npx tsx training/prepare.ts features --dataset "$FLICKR8K" --out "$CACHE"
npx tsx training/prepare.ts tokenize --dataset "$FLICKR8K" --out "$CACHE" --tokenizer "$CACHE/tokenizer.json"
CKPTS=()
for m in $MEMBERS; do
  IFS=: read -r variant seed epochs <<<"$m"
  "$PY" training/train.py --members "$variant:$seed" --epochs "$epochs" --per-image 2 \
    --cache "$CACHE" --dataset "$FLICKR8K" --out-dir "$RUNS"
  CKPTS+=("$RUNS/${variant}_s${seed}.pt")
done
"$PY" training/evaluate.py "${CKPTS[@]}" --split test --cache "$CACHE" --dataset "$FLICKR8K"
"$PY" training/export.py "${CKPTS[@]}" --out "$OUT" --cache "$CACHE" --dataset "$FLICKR8K"
npx tsx training/write-manifest.ts --dir "$OUT"
