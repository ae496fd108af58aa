"""ONNX export helpers shared by the exporters: compact storage and the onnxruntime-node check.

Size: every 2-D float tensor with at least INT8_MIN_SIZE entries is quantized to int8 with one float scale
per output row, and every other float tensor is rounded to float16; in the ONNX files they are stored that
way and turned back into float32 by Cast (+ Mul) nodes at load time, so all arithmetic stays float32. The
compressed PyTorch model is the one evaluated and compared, so the reported metrics are those of the shipped
files.
"""
import subprocess
import tempfile
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import helper, numpy_helper

import paths

OPSET = 14
TOLERANCE = 1e-4
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


def _dedupe_initializers(graph) -> None:
    """Keep one copy of identical initializers (an ensemble's members share their frozen word vectors)."""
    first, rename, keep = {}, {}, []
    for init in graph.initializer:
        key = (init.data_type, tuple(init.dims), numpy_helper.to_array(init).tobytes())
        if key in first:
            rename[init.name] = first[key]
        else:
            first[key] = init.name
            keep.append(init)
    if not rename:
        return
    del graph.initializer[:]
    graph.initializer.extend(keep)
    for node in graph.node:
        node.input[:] = [rename.get(name, name) for name in node.input]


def store_compact(path: Path) -> None:
    """Re-store float32 initializers as int8 + scale (Cast, Mul) or float16 (Cast) where exact, identical
    ones once."""
    model = onnx.load(str(path))
    graph = model.graph
    _dedupe_initializers(graph)
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


def run_onnx(model: Path, feeds: dict) -> np.ndarray:
    """Run an ONNX file with onnxruntime-node; feeds {name: array}; returns the 'embedding' output."""
    with tempfile.TemporaryDirectory() as tmp:
        args = []
        for name, arr in feeds.items():
            np.save(Path(tmp) / f"{name}.npy", np.ascontiguousarray(arr))
            args.append(f"{name}={Path(tmp) / f'{name}.npy'}")
        subprocess.run(["node", str(RUN_ONNX), str(model), tmp, *args], check=True, cwd=paths.REPO_ROOT)
        return np.load(Path(tmp) / "embedding.npy")
