"""Data for model v2: ResNet-50 features (training/prepare.ts features --backbone resnet50-keras) and
captions tokenized with the open vocabulary plus their concept vectors (training/prepare_text.ts).

Feature folder: images.txt, {pooled,mid,logits}.npy and their ``_flip`` twins (float16, row i = line i
of images.txt). Words folder: captions.jsonl ({"image","n","caption","ids","concepts": [[class, weight]]}),
tokenizer.json, word_vectors.npy, has_vector.npy.
"""
import json
from pathlib import Path

import numpy as np
import torch

import paths

INPUTS = ("pooled", "mid", "logits")
CLASSES = 1000
PAD_ID, SEP_ID = 0, 3
MAX_LEN = 32


class Split:
    """One split in RAM: image features (float16) and its images' captions (ids + sparse concepts)."""

    def __init__(self, names, feats, flips, captions):
        self.names, self.feats, self.flips, self.captions = names, feats, flips, captions

    def __len__(self):
        return len(self.names)

    def images(self, idx, flip=None) -> list:
        out = []
        for name in INPUTS:
            x = self.feats[name][idx]
            if flip is not None and flip.any():
                x = x.copy()
                x[flip] = self.flips[name][idx[flip]]
            out.append(torch.from_numpy(x.astype(np.float32)))
        return out


def text_batch(captions: list) -> tuple:
    """(input_ids, attention_mask, concepts) for caption dicts: truncated keeping [SEP], right-padded."""
    seqs = [c["ids"] if len(c["ids"]) <= MAX_LEN else c["ids"][: MAX_LEN - 1] + [SEP_ID] for c in captions]
    width = max(len(s) for s in seqs)
    ids = torch.full((len(seqs), width), PAD_ID, dtype=torch.int64)
    concepts = torch.zeros((len(seqs), CLASSES))
    for i, (s, c) in enumerate(zip(seqs, captions)):
        ids[i, : len(s)] = torch.tensor(s, dtype=torch.int64)
        for k, w in c["concepts"]:
            concepts[i, k] += w
    return ids, (ids != PAD_ID).to(torch.int64), concepts


def read_captions(words: Path) -> dict:
    """{image: [caption dicts in #n order]}."""
    out = {}
    for line in (words / "captions.jsonl").read_text(encoding="utf-8").splitlines():
        o = json.loads(line)
        out.setdefault(o["image"], {})[o["n"]] = o
    return {k: [v[n] for n in sorted(v)] for k, v in out.items()}


def trained_tokens(words: Path, dataset: Path, vocab_size: int, keep=None) -> np.ndarray:
    """bool per token id: the tokens of the training captions that ``keep`` leaves (the rows training moves in a
    learned token table), and the padding id."""
    seen = np.zeros(vocab_size, dtype=bool)
    seen[PAD_ID] = True
    captions = read_captions(words)
    for name in paths.read_split(dataset, "train"):
        for c in captions.get(name, []):
            if keep is None or keep(c["caption"]):
                seen[c["ids"]] = True
    return seen


def load_split(split: str, features: Path, words: Path, dataset: Path, keep=None, files: dict = None) -> Split:
    """keep(caption text) -> bool drops captions (the held-out-concept protocol); images left with no
    caption are dropped too. files: input name -> feature file stem, where they differ (MobileNetV2's
    ``mid`` is its ``s16`` map)."""
    files = {k: k for k in INPUTS} | (files or {})
    names_all = (features / "images.txt").read_text().split()
    row = {n: i for i, n in enumerate(names_all)}
    caps = read_captions(words)
    names, rows, captions = [], [], []
    for n in paths.read_split(dataset, split):
        if n not in row:
            continue
        kept = [c for c in caps[n] if keep is None or keep(c["caption"])]
        if kept:
            names.append(n)
            rows.append(row[n])
            captions.append(kept)
    rows = np.array(rows, dtype=np.int64)
    order = np.argsort(rows)
    inv = np.argsort(order)

    def take(file):
        return np.ascontiguousarray(np.load(features / file, mmap_mode="r")[rows[order]])[inv]

    return Split(names, {k: take(f"{files[k]}.npy") for k in INPUTS}, {k: take(f"{files[k]}_flip.npy") for k in INPUTS}, captions)


def load_word_vectors(words: Path) -> np.ndarray:
    return np.load(words / "word_vectors.npy").astype(np.float32)
