"""Export model v2 checkpoints as the app's model folder (one ONNX per tower + tokenizer + concept map
+ training report). One checkpoint is one model; several are an ensemble (``masan.ensemble``: the members'
embeddings side by side, the concept channel once). The ONNX files are checked against PyTorch through
onnxruntime-node.

  image_head.onnx   pooled [B,2048], mid [B,1024], logits [B,1000] float32 (the ResNet-50 backbone's
                    outputs; the backbone is NOT included) -> embedding [B,D], L2-normalised
  text_tower.onnx   input_ids, attention_mask int64 [B,L] (L <= 32), concepts float32 [B,1000]
                    -> embedding [B,D]
  (identical tensors, such as the members' shared frozen word vectors, are stored once)
  tokenizer.json, concepts.json   copies of what the model was trained with
Storage: large matrices int8 with per-row scales, the rest float16, as in export.py (``compress`` is
applied to the PyTorch model first, so the metrics reported are those of the shipped files).

Usage: /usr/bin/python3 training/export_open.py CKPT [CKPT ...] --features DIR --words DIR --out DIR
         [--mirror] [--text-concept-scale B]
"""
import argparse
import json
import math
import shutil
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout  # noqa: E402
import open_data as data  # noqa: E402
import paths  # noqa: E402
from onnx_export import OPSET, TOLERANCE, compress, run_onnx, store_compact  # noqa: E402
from masan.ensemble import Ensemble  # noqa: E402
from masan.open_model import OpenMasan  # noqa: E402
from masan.unseen_tokens import BUCKETS, BucketedEmbedding, bucket_unseen  # noqa: E402
from train_open import evaluate  # noqa: E402

IMAGE_INPUTS = ["pooled", "mid", "logits"]
BACKBONE_NAMES = {"resnet50-keras": "ResNet-50", "mobilenetv2-12-int8": "MobileNetV2"}
VARIANT_WORDS = {"full": "the full recipe", "no_cross_level": "without cross-level injection",
                 "no_adaptive_scaling": "equal heads instead of adaptive scaling",
                 "no_text_attention": "without multi-level text attention",
                 "no_glove": "token embeddings learned from the captions instead of GloVe vectors"}
TEXT_INPUTS = ["input_ids", "attention_mask", "concepts"]


def load_model(ckpt: Path) -> tuple:
    ck = torch.load(ckpt, map_location="cpu")
    state = ck["state"]
    model = OpenMasan(ck["cfg"], state["concept.basis"].numpy(), state.get("text.encoder.embed.vectors", torch.zeros(1)).numpy(),
                      state.get("text.encoder.embed.offset_rows", torch.zeros(1, dtype=torch.int64)).numpy())
    model.load_state_dict(state)
    return model.eval(), ck


def ship_trained_token_rows(model: OpenMasan, ck: dict, words: Path, dataset: Path) -> None:
    """A member with a learned token table keeps only the rows its training moved (masan/unseen_tokens.py)."""
    if model.cfg["glove"]:
        return
    trained = data.trained_tokens(words, dataset, model.cfg["vocab_size"], heldout.caption_filter(ck.get("heldout")))
    model.text.encoder.embed = bucket_unseen(model.text.encoder.embed, trained)


def export_towers(model: OpenMasan, out: Path, sample: data.Split) -> None:
    imgs = sample.images(np.arange(2))
    torch.onnx.export(model.image, tuple(imgs), out / "image_head.onnx", input_names=IMAGE_INPUTS,
                      output_names=["embedding"], opset_version=OPSET,
                      dynamic_axes={**{k: {0: "batch"} for k in IMAGE_INPUTS}, "embedding": {0: "batch"}})
    text = data.text_batch([c for cs in sample.captions[:2] for c in cs[:1]])
    torch.onnx.export(model.text, text, out / "text_tower.onnx", input_names=TEXT_INPUTS,
                      output_names=["embedding"], opset_version=OPSET,
                      dynamic_axes={"input_ids": {0: "batch", 1: "length"}, "attention_mask": {0: "batch", 1: "length"},
                                    "concepts": {0: "batch"}, "embedding": {0: "batch"}})
    store_compact(out / "image_head.onnx")
    store_compact(out / "text_tower.onnx")


@torch.no_grad()
def check_export(model: OpenMasan, out: Path, split: data.Split) -> dict:
    n = min(6, len(split))
    imgs = split.images(np.arange(n))
    text = data.text_batch([c for cs in split.captions[:n] for c in cs[:2]])
    got_img = run_onnx(out / "image_head.onnx", {k: v.numpy() for k, v in zip(IMAGE_INPUTS, imgs)})
    got_txt = run_onnx(out / "text_tower.onnx", {k: v.numpy() for k, v in zip(TEXT_INPUTS, text)})
    diff = {"image_max_abs_diff": float(np.abs(got_img - model.image(*imgs).numpy()).max()),
            "text_max_abs_diff": float(np.abs(got_txt - model.text(*text).numpy()).max())}
    if max(diff.values()) >= TOLERANCE:
        raise RuntimeError(f"ONNX export differs from PyTorch: {diff}")
    return diff


@torch.no_grad()
def tune_concept_weight(model: Ensemble, dev: data.Split, text_scale: float = None, mirror: bool = False,
                        grid=(0.0, 0.02, 0.035, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4)) -> dict:
    """The concept channel's weight lambda = a b that maximises dev rSum, a on the image side and b on the text
    side: a = b = sqrt(lambda), or, when the text side's b is given (a text tower shared with another model),
    a = lambda / b. Training learns a weight that serves its loss, not retrieval; like any mixing weight it is
    chosen on dev (the members' learned values stay in the report)."""
    def set_weight(lam):
        b = text_scale if text_scale is not None else math.sqrt(lam)
        model.image.concept_scale.fill_(lam / b if b > 0 else 0.0)
        model.text.concept_scale.fill_(b)
    scores = {}
    for lam in grid:
        set_weight(lam)
        scores[lam] = evaluate(model, dev, mirror=mirror)["rsum"]
    best = max(scores, key=scores.get)
    set_weight(best)
    return {"chosen": best, "image_scale": float(model.image.concept_scale), "text_scale": float(model.text.concept_scale),
            "mirror": mirror, "dev_rsum_by_weight": {str(k): round(v, 2) for k, v in scores.items()}}


def member_report(path: Path, model: OpenMasan, ck: dict) -> dict:
    cfg = ck["cfg"]
    return {"checkpoint": path.name, "variant": cfg["variant"], "seed": ck["seed"], "aligned_to": ck.get("aligned_to"),
            "embedding_dim": cfg["embed_dim"], "image_head": cfg["image_head"], "text_head": cfg["text_head"],
            "cross_level": cfg["cross_level"], "dev_rsum": ck["dev"]["rsum"], "best_epoch": ck["dev"]["epoch"],
            "learned_concept_weight": float(model.concept.log_weight.exp()), "densities": ck["densities"],
            "train_seconds": ck.get("train_seconds", 0.0), "settings": ck.get("settings"),
            "token_table": token_table(model)}


def token_table(model: OpenMasan) -> dict:
    embed = model.text.encoder.embed
    if isinstance(embed, BucketedEmbedding):
        return {"kind": "learned, trained rows + buckets", "rows": embed.weight.shape[0], "buckets": BUCKETS}
    return {"kind": "GloVe 6B 100-d, frozen, with trained offsets"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoints", type=Path, nargs="+", help="one checkpoint, or several: an ensemble (masan/ensemble.py)")
    ap.add_argument("--features", type=Path, required=True)
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--model-id", default="subspace-masan-v2.3")
    ap.add_argument("--name", default="Subspace MASAN v2.3")
    ap.add_argument("--backbone", default="resnet50-keras", help="models/backbones/<id>.json the features came from")
    ap.add_argument("--mid-file", default="mid", help="the backbone output that feeds the head's `mid` input")
    ap.add_argument("--text-concept-scale", type=float,
                    help="keep the text side's concept scale b fixed (to share another model's text tower)")
    ap.add_argument("--mirror", action="store_true", help="choose the concept weight for photos embedded with their mirror image")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    loaded = [load_model(path) for path in args.checkpoints]
    for model, ck in loaded:
        ship_trained_token_rows(model, ck, args.words, args.dataset)
        compress(model)
    members = [model for model, _ in loaded]
    model = Ensemble(members, 0.0, 0.0).eval()
    args.out.mkdir(parents=True, exist_ok=True)
    files = {"mid": args.mid_file}
    test = data.load_split("test", args.features, args.words, args.dataset, files=files)
    dev = data.load_split("dev", args.features, args.words, args.dataset, files=files)
    weight = tune_concept_weight(model, dev, args.text_concept_scale, args.mirror)
    export_towers(model, args.out, test)
    for name in ("tokenizer.json", "concepts.json"):
        shutil.copyfile(args.words / name, args.out / name)
    check = check_export(model, args.out, test)
    res_test, res_dev = evaluate(model, test, mirror=args.mirror), evaluate(model, dev, mirror=args.mirror)
    ensemble = [member_report(path, m, ck) for path, (m, ck) in zip(args.checkpoints, loaded)]
    variants = "; ".join(f"{e['variant']}: {VARIANT_WORDS.get(e['variant'], 'the full recipe')}" for e in ensemble)
    report = {
        "model": args.model_id,
        "name": args.name,
        "description": ("Photos and text in one subspace (our reading of MASAN: adaptive scaling, multi-level text attention, "
                        f"cross-level injection) over a frozen {BACKBONE_NAMES.get(args.backbone, args.backbone)}, with GloVe "
                        "word vectors on the text side and a WordNet concept channel tied to the backbone's ImageNet classes, "
                        "trained on Flickr 8k"
                        + (f"; an ensemble of {len(members)} members whose embeddings sit side by side ({variants})."
                           if len(members) > 1 else ".")),
        "backbone": args.backbone,
        "embedding_dim": model.embed_dim,
        "normalized": True,
        "test": res_test,
        "dev": res_dev,
        "density_measure": "participation ratio of the training-set input covariance, tr(C)^2/||C||_F^2",
        "densities": ensemble[0]["densities"],
        "heads": {"image": [e["image_head"] for e in ensemble], "text": [e["text_head"] for e in ensemble]},
        "train_seconds": sum(e["train_seconds"] for e in ensemble),
        "train_machine": "2 shared CPU cores, no GPU",
        "ensemble": ensemble,
        "concept_weight": weight,
        "tokenizer": {"file": "tokenizer.json", "pad_id": data.PAD_ID, "max_length": data.MAX_LEN,
                      "adds_special_tokens": True, "truncation": "keep first max_length-1 ids, then [SEP]"},
        "concepts": {"file": "concepts.json", "input": "concepts", "classes": data.CLASSES},
        "image_head": {"file": "image_head.onnx", "inputs": IMAGE_INPUTS, "output": "embedding",
                       "sources": {"pooled": "pooled", "mid": args.mid_file, "logits": "logits"}},
        "text_tower": {"file": "text_tower.onnx", "inputs": TEXT_INPUTS, "output": "embedding"},
        "opset": OPSET,
        "export_check": check,
    }
    (args.out / "training-report.json").write_text(json.dumps(report, indent=2) + "\n")
    print(f"export: {args.out} D={model.embed_dim} test rsum {res_test['rsum']:.1f} dev rsum {res_dev['rsum']:.1f} "
          f"concept weight {weight['chosen']} check {check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
