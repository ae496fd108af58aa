"""Token embeddings from pretrained word vectors (GloVe 6B, 100-d), for an open vocabulary.

Every whole-word token of the vocabulary carries its frozen GloVe vector; a shared linear map takes
it to the encoder's width, so a word no training caption contains still lands where its meaning
puts it. Tokens that occur in the training captions also get a trainable offset in GloVe space
(initialised at zero, so training starts from the pretrained geometry): ``offset_rows`` maps a
token id to its offset row (0 = none). Word pieces without a vector rely on their offset.
"""
import numpy as np
import torch
from torch import nn


class PretrainedEmbedding(nn.Module):
    def __init__(self, vectors: np.ndarray, offset_rows: np.ndarray, dim: int, piece_init: float = 0.3):
        super().__init__()
        vectors = np.asarray(vectors, dtype=np.float32)
        self.register_buffer("vectors", torch.from_numpy(vectors))
        self.register_buffer("offset_rows", torch.from_numpy(np.asarray(offset_rows, dtype=np.int64)))
        rows = int(offset_rows.max()) + 1
        offsets = np.zeros((rows, vectors.shape[1]), dtype=np.float32)
        no_vector = np.zeros(rows, dtype=bool)
        no_vector[offset_rows[~vectors.any(1)]] = True
        no_vector[0] = False
        g = np.random.default_rng(0)
        offsets[no_vector] = piece_init * g.standard_normal((int(no_vector.sum()), vectors.shape[1])).astype(np.float32)
        self.offsets = nn.Parameter(torch.from_numpy(offsets))
        self.proj = nn.Linear(vectors.shape[1], dim)

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        rows = self.offset_rows[ids]
        offset = self.offsets[rows] * (rows > 0).unsqueeze(-1).to(self.offsets.dtype)
        return self.proj(self.vectors[ids] + offset)


def offset_rows_for(vocab_size: int, training_ids) -> np.ndarray:
    """Token id -> offset row: the tokens seen in training get rows 1..R in id order, the rest 0."""
    seen = np.zeros(vocab_size, dtype=bool)
    for seq in training_ids:
        seen[np.asarray(seq, dtype=np.int64)] = True
    seen[0] = False
    rows = np.zeros(vocab_size, dtype=np.int64)
    rows[seen] = np.arange(1, int(seen.sum()) + 1)
    return rows
