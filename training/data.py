"""Cached backbone features + tokenized captions for one split, or a synthetic stand-in.

Cache layout (written by ``npx tsx training/prepare.ts``): images.txt, {s8,s16,s32,pooled}.npy and
their ``_flip`` twins (float16, row i = line i of images.txt), captions.jsonl
({"image","n","caption","ids"}; ids unpadded, with [CLS]/[SEP]). If captions.jsonl is absent the
captions are tokenized here with the Python mirror of the tokenizer (build_tokenizer.encode).
"""
import json
from pathlib import Path

import numpy as np
import torch

import build_tokenizer as tok
import paths

LEVELS = ("s8", "s16", "s32", "pooled")
REDUCED = ("t8", "t16", "t32", "pooled")
SHAPES = {"s8": (32, 28, 28), "s16": (96, 14, 14), "s32": (1280, 7, 7), "pooled": (1280,)}
PAD_ID = tok.PAD_ID
MAX_LEN = 32


def cache_ready(cache: Path) -> bool:
    return all((cache / f).exists() for f in ["images.txt"] + [f"{l}{s}.npy" for l in LEVELS for s in ("", "_flip")])


def pad_ids(seqs: list, max_len: int = MAX_LEN) -> tuple:
    """Truncate (keeping the final [SEP]) and right-pad with [PAD]; returns (ids, mask) int64."""
    seqs = [s if len(s) <= max_len else s[: max_len - 1] + [tok.SEP_ID] for s in seqs]
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.int64)
    for i, s in enumerate(seqs):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.int64)
    return ids, (ids != PAD_ID).to(torch.int64)


class FeatureSet:
    """Features of one split in RAM (float16) and 5 token-id lists per image.

    ``feats``/``flips`` map input names to arrays: raw maps (s8, s16, s32, pooled; what the
    image head ONNX takes) or the LevelReduction tokens (t8, t16, t32, pooled; for training).
    """

    def __init__(self, names, feats, flips, captions):
        self.names, self.feats, self.flips, self.captions = names, feats, flips, captions

    def __len__(self):
        return len(self.names)

    def images(self, idx, flip=None) -> list:
        """float32 tensors in ``feats`` order for rows idx; flip: bool array, per row."""
        out = []
        for lvl in self.feats:
            x = self.feats[lvl][idx]
            if flip is not None and flip.any():
                x = x.copy()
                x[flip] = self.flips[lvl][idx[flip]]
            out.append(torch.from_numpy(x.astype(np.float32)))
        return out


def _split_rows(split: str, cache: Path, dataset: Path, limit: int = None) -> tuple:
    names_all = (cache / "images.txt").read_text().split()
    row = {n: i for i, n in enumerate(names_all)}
    names = [n for n in paths.read_split(dataset, split) if n in row][:limit]
    return names, np.array([row[n] for n in names], dtype=np.int64)


def load_split(split: str, cache: Path, dataset: Path, tokenizer: Path = None, limit: int = None) -> FeatureSet:
    """Raw cached maps of one split."""
    names, rows = _split_rows(split, cache, dataset, limit)
    order = np.argsort(rows)  # sorted reads from the memory map are much faster
    inv = np.argsort(order)

    def take(file):
        arr = np.load(cache / file, mmap_mode="r")
        return np.ascontiguousarray(arr[rows[order]])[inv]

    feats = {l: take(f"{l}.npy") for l in LEVELS}
    flips = {l: take(f"{l}_flip.npy") for l in LEVELS}
    return FeatureSet(names, feats, flips, load_captions(names, cache, dataset, tokenizer))


def s32_token_sample(split: str, cache: Path, dataset: Path, n_images: int = 600, seed: int = 0) -> np.ndarray:
    """Stride-32 tokens [n_images*49, 1280] of random images of a split (to fit the PCA)."""
    _, rows = _split_rows(split, cache, dataset)
    pick = np.sort(np.random.default_rng(seed).choice(rows, min(n_images, len(rows)), replace=False))
    x = np.load(cache / "s32.npy", mmap_mode="r")[pick].astype(np.float32)
    return x.reshape(len(pick), 1280, -1).transpose(0, 2, 1).reshape(-1, 1280)


@torch.no_grad()
def load_reduced(split: str, cache: Path, dataset: Path, reduction, tokenizer: Path = None,
                 limit: int = None, chunk: int = 250) -> FeatureSet:
    """LevelReduction tokens (t8, t16, t32) + pooled of one split, computed chunk by chunk so the
    raw maps are never all in memory."""
    names, rows = _split_rows(split, cache, dataset, limit)
    feats, flips = {}, {}
    for suffix, out in (("", feats), ("_flip", flips)):
        maps = {l: np.load(cache / f"{l}{suffix}.npy", mmap_mode="r") for l in LEVELS}
        parts = []
        for i in range(0, len(rows), chunk):
            r = rows[i:i + chunk]
            order = np.argsort(r)
            inv = np.argsort(order)
            raw = [torch.from_numpy(maps[l][r[order]][inv].astype(np.float32)) for l in ("s8", "s16", "s32")]
            parts.append([t.numpy().astype(np.float16) for t in reduction(*raw)] + [maps["pooled"][r[order]][inv]])
        for k, name in enumerate(REDUCED):
            out[name] = np.concatenate([p[k] for p in parts])
    return FeatureSet(names, feats, flips, load_captions(names, cache, dataset, tokenizer))


def load_captions(names, cache: Path, dataset: Path, tokenizer: Path = None) -> list:
    jsonl = cache / "captions.jsonl"
    want = set(names)
    caps = {}
    if jsonl.exists():
        for line in jsonl.read_text(encoding="utf-8").splitlines():
            o = json.loads(line)
            if o["image"] in want:
                caps.setdefault(o["image"], {})[o["n"]] = o["ids"]
        return [[caps[n][k] for k in sorted(caps[n])] for n in names]
    vocab = tok.load_vocab(tokenizer or cache / "tokenizer.json")
    text = paths.read_captions(dataset)
    return [[tok.encode(c, vocab) for c in text[n]] for n in names]


def synthetic_split(n: int, vocab_size: int = 64, seed: int = 0) -> FeatureSet:
    """Random features of the real shapes with captions that depend on a per-image class,
    so a few training steps can learn something measurable."""
    g = np.random.default_rng(seed)
    cls = g.integers(0, 8, n)
    feats, flips = {}, {}
    for lvl, shape in SHAPES.items():
        proto = g.random((8,) + shape).astype(np.float32)
        x = proto[cls] + 0.3 * g.random((n,) + shape).astype(np.float32)
        feats[lvl] = x.astype(np.float16)
        flips[lvl] = (x[..., ::-1] if len(shape) == 3 else x).astype(np.float16)
    caps = [[[tok.CLS_ID] + list(4 + (cls[i] * 7 + g.integers(0, 7, 6)) % (vocab_size - 4)) + [tok.SEP_ID]
             for _ in range(5)] for i in range(n)]
    return FeatureSet([f"synthetic_{i}.jpg" for i in range(n)], feats, flips, caps)


@torch.no_grad()
def reduce_set(raw: FeatureSet, reduction) -> FeatureSet:
    """LevelReduction of an in-memory raw set (small/synthetic sets)."""
    def red(f):
        t = reduction(*[torch.from_numpy(f[l].astype(np.float32)) for l in ("s8", "s16", "s32")])
        return dict(zip(REDUCED, [x.numpy().astype(np.float16) for x in t] + [f["pooled"]]))
    return FeatureSet(raw.names, red(raw.feats), red(raw.flips), raw.captions)
