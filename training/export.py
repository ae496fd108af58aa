"""Export trained members as one ONNX per tower + tokenizer + training report.

Writes to models/subspace-masan-v1/ (override: --out or SUBSPACE_MODEL_DIR):
  image_head.onnx   s8 [B,32,28,28], s16 [B,96,14,14], s32 [B,1280,7,7], pooled [B,1280] float32
                    -> embedding [B,D], L2-normalised (backbone NOT included)
  text_tower.onnx   input_ids, attention_mask int64 [B,L] (L <= max_length) -> embedding [B,D]
  tokenizer.json    copy of the tokenizer the members were trained with
  training-report.json  metrics and facts the app's manifest is generated from (training/README.md)
Several checkpoints are exported as their ensemble (concatenation / sqrt(k)).
Every export is checked: onnxruntime-node (training/run_onnx.mjs) vs PyTorch, max abs diff < 1e-4.

Size: every 2-D weight matrix with at least INT8_MIN_SIZE entries is quantized to int8 with one
float scale per output row, and every other float tensor is rounded to float16; in the ONNX files
they are stored that way and turned back into float32 by Cast (+ Mul) nodes at load time, so all
arithmetic stays float32. The compressed PyTorch model is the one evaluated and compared, so the
reported metrics are those of the shipped files.
"""
import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_tokenizer as tok  # noqa: E402
import data  # noqa: E402
import paths  # noqa: E402
from evaluate import ensemble, evaluate, load_models  # noqa: E402
from masan.adaptive_scaling import size_head  # noqa: E402

OPSET = 14
TOLERANCE = 1e-4
IMAGE_INPUTS = ["s8", "s16", "s32", "pooled"]
TEXT_INPUTS = ["input_ids", "attention_mask"]
RUN_ONNX = Path(__file__).resolve().parent / "run_onnx.mjs"


INT8_MIN_SIZE = 16384


@torch.no_grad()
def compress(module: torch.nn.Module) -> None:
    """In place: int8 per-row fake quantization of large 2-D float tensors (parameters, and buffers such
    as the frozen word-vector table), float16 rounding of the rest."""
    quantized = set()
    for t in list(module.parameters()) + list(module.buffers()):
        if t.is_floating_point() and t.dim() == 2 and t.numel() >= INT8_MIN_SIZE:
            scale = t.abs().amax(1, keepdim=True).clamp_min(1e-12) / 127
            t.copy_(torch.round(t / scale) * scale)
            quantized.add(id(t))
    for t in list(module.parameters()) + list(module.buffers()):
        if t.is_floating_point() and id(t) not in quantized:
            t.copy_(t.half().float())


def _int8_form(arr: np.ndarray):
    """(int8 values, float32 scales with keepdims) if arr is int8 x per-row or per-column scale."""
    if arr.ndim != 2 or arr.size < INT8_MIN_SIZE:
        return None
    for axis in (1, 0):  # scale per row, then per column (a transposed weight)
        scale = (np.abs(arr).max(axis, keepdims=True) / 127).astype(np.float32)
        scale[scale == 0] = 1
        q = np.rint(arr / scale)
        if np.abs(q).max() <= 127 and np.abs(q.astype(np.float32) * scale - arr).max() <= 1e-6 * np.abs(arr).max():
            return q.astype(np.int8), scale
    return None


def store_compact(path: Path) -> None:
    """Re-store float32 initializers as int8 + scale (Cast, Mul) or float16 (Cast) where exact."""
    model = onnx.load(str(path))
    graph = model.graph
    keep, decode = [], []
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        if arr.dtype != np.float32 or arr.size < 16:
            keep.append(init)
            continue
        int8 = _int8_form(arr)
        if int8 is not None:
            keep += [numpy_helper.from_array(int8[0], init.name + "_q"), numpy_helper.from_array(int8[1], init.name + "_scale")]
            decode += [helper.make_node("Cast", [init.name + "_q"], [init.name + "_qf"], to=onnx.TensorProto.FLOAT),
                       helper.make_node("Mul", [init.name + "_qf", init.name + "_scale"], [init.name])]
        elif np.array_equal(arr.astype(np.float16).astype(np.float32), arr):
            keep.append(numpy_helper.from_array(arr.astype(np.float16), init.name + "_fp16"))
            decode.append(helper.make_node("Cast", [init.name + "_fp16"], [init.name], to=onnx.TensorProto.FLOAT))
        else:
            keep.append(init)
    del graph.initializer[:]
    graph.initializer.extend(keep)
    nodes = decode + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    onnx.checker.check_model(model)
    onnx.save(model, str(path))


def export_towers(image, text, out: Path) -> None:
    image.eval()
    text.eval()
    batch = {0: "batch"}
    imgs = [torch.zeros((2,) + data.SHAPES[k]) for k in IMAGE_INPUTS]
    torch.onnx.export(image, tuple(imgs), out / "image_head.onnx", input_names=IMAGE_INPUTS,
                      output_names=["embedding"], opset_version=OPSET,
                      dynamic_axes={**{k: {0: "batch"} for k in IMAGE_INPUTS}, "embedding": batch})
    ids, mask = data.pad_ids([[tok.CLS_ID, 5, 6, tok.SEP_ID], [tok.CLS_ID, 7, tok.SEP_ID]])
    torch.onnx.export(text, (ids, mask), out / "text_tower.onnx", input_names=TEXT_INPUTS,
                      output_names=["embedding"], opset_version=OPSET,
                      dynamic_axes={**{k: {0: "batch", 1: "length"} for k in TEXT_INPUTS}, "embedding": batch})
    store_compact(out / "image_head.onnx")
    store_compact(out / "text_tower.onnx")


def run_onnx(model: Path, feeds: dict) -> np.ndarray:
    """Run an ONNX file with onnxruntime-node; feeds {name: array}; returns the 'embedding' output."""
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for name, arr in feeds.items():
            np.save(Path(tmp) / f"{name}.npy", np.ascontiguousarray(arr))
            args.append(f"{name}={Path(tmp) / f'{name}.npy'}")
        subprocess.run(["node", str(RUN_ONNX), str(model), tmp, *args], check=True, cwd=paths.REPO_ROOT)
        return np.load(Path(tmp) / "embedding.npy")


@torch.no_grad()
def check_export(image, text, out: Path, split: data.FeatureSet) -> dict:
    """Max abs difference ONNX vs PyTorch on a few images and captions of different lengths."""
    n = min(5, len(split))
    imgs = split.images(np.arange(n))
    ids, mask = data.pad_ids([s for caps in split.captions[:n] for s in caps[:2]])
    got_img = run_onnx(out / "image_head.onnx", {k: v.numpy() for k, v in zip(IMAGE_INPUTS, imgs)})
    got_txt = run_onnx(out / "text_tower.onnx", {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})
    diff = {"image_max_abs_diff": float(np.abs(got_img - image(*imgs).numpy()).max()),
            "text_max_abs_diff": float(np.abs(got_txt - text(ids, mask).numpy()).max())}
    if max(diff.values()) >= TOLERANCE:
        raise RuntimeError(f"ONNX export differs from PyTorch: {diff}")
    return diff


def report(models, ckpts, test: dict, dev: dict, check: dict, embed_dim: int) -> dict:
    first = torch.load(ckpts[0], map_location="cpu")
    members = []
    for p, m in zip(ckpts, models):
        ck = torch.load(p, map_location="cpu")
        members.append({"checkpoint": Path(p).name, "variant": m.cfg["variant"], "seed": ck["seed"],
                        "embedding_dim": m.cfg["embed_dim"],
                        "image_head": "linear" if m.cfg.get("pooled_only") else m.cfg["image_head"],
                        "text_head": m.cfg["text_head"], "dev_rsum": ck["dev"]["rsum"],
                        "best_epoch": ck["dev"]["epoch"], "train_seconds": ck["dev"]["train_seconds"]})
    return {
        "model": "subspace-masan-v1",
        "embedding_dim": embed_dim,
        "normalized": True,
        "test": test,
        "dev": dev,
        "density_measure": "participation ratio of the training-set feature covariance, tr(C)^2/||C||_F^2",
        "densities": first["densities"],
        "heads": {k: size_head(v, max(first["densities"].values())) for k, v in first["densities"].items()},
        "train_seconds": sum(m["train_seconds"] for m in members),
        "train_machine": "2 shared CPU cores, no GPU",
        "ensemble": members,
        "tokenizer": {"file": "tokenizer.json", "pad_id": tok.PAD_ID, "max_length": data.MAX_LEN,
                      "adds_special_tokens": True, "truncation": "keep first max_length-1 ids, then [SEP]"},
        "image_head": {"file": "image_head.onnx", "inputs": IMAGE_INPUTS, "output": "embedding"},
        "text_tower": {"file": "text_tower.onnx", "inputs": TEXT_INPUTS, "output": "embedding"},
        "opset": OPSET,
        "export_check": check,
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoints", nargs="+", type=Path)
    ap.add_argument("--out", type=Path, default=paths.export_dir())
    ap.add_argument("--cache", type=Path, default=paths.cache_dir())
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--tokenizer", type=Path, help="default: <cache>/tokenizer.json")
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    if not data.cache_ready(args.cache):
        print(f"export: feature cache not found at {args.cache} (run training/prepare.ts); skipped")
        return 2
    models = load_models(args.checkpoints)
    for m in models:
        compress(m)
    image, text = ensemble(models)
    args.out.mkdir(parents=True, exist_ok=True)
    export_towers(image, text, args.out)
    shutil.copyfile(args.tokenizer or args.cache / "tokenizer.json", args.out / "tokenizer.json")
    test_split = data.load_split("test", args.cache, args.dataset)
    check = check_export(image, text, args.out, test_split)
    test = evaluate(image, text, test_split)
    dev = evaluate(image, text, data.load_split("dev", args.cache, args.dataset))
    embed_dim = sum(m.cfg["embed_dim"] for m in models)
    rep = report(models, args.checkpoints, test, dev, check, embed_dim)
    (args.out / "training-report.json").write_text(json.dumps(rep, indent=2) + "\n")
    print(f"export: {args.out} D={embed_dim} test rsum {test['rsum']:.1f} dev rsum {dev['rsum']:.1f} check {check}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
