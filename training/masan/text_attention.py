"""Multi-level text feature attention (MASAN component 2), our concrete reading.

A small transformer text encoder; its token embeddings are learned from scratch or, for the open
vocabulary, come from pretrained word vectors (``word_vectors.PretrainedEmbedding``). Its caption vector fuses several levels instead of taking only the last layer:
  level 0  token embeddings (+ positions)          -> word level
  level 1  GELU(linear of each token's trigram window over level 0) -> phrase level
  level 2+ the output of every transformer layer   -> increasingly contextual levels
  sentence the [CLS] token of the last layer       -> sentence level
Each token level is pooled by its own learned attention query; the pooled levels and the
sentence token are then fused by a second attention over levels.

Interference suppression: a learned gate g_t = sigmoid(w . h_t) from the last layer scores every
token; log(g_t) is added to every level's pooling logits, so low-gate tokens (filler words, noise)
are suppressed in all levels, and padding is removed by the attention mask (g=0).

``multi_level=False`` is the ablation: masked mean of the last layer's tokens.
"""
import math

import torch
from torch import nn
from torch.nn import functional as F

from .blocks import MASK_VALUE, Block


def trigrams(x: torch.Tensor) -> torch.Tensor:
    """[B,T,d] -> [B,T,3d]: each token with its left and right neighbours (zeros at the ends).
    Written with pad + slice rather than Conv1d, whose CPU backward gave inf gradients here."""
    p = F.pad(x, (0, 0, 1, 1))
    return torch.cat([p[:, :-2], x, p[:, 2:]], dim=-1)


class AttentionPool(nn.Module):
    """Pool tokens [B,T,d] with a learned query; extra_logits [B,T] (mask and gate) are added."""

    def __init__(self, dim: int):
        super().__init__()
        self.norm = nn.LayerNorm(dim)
        self.query = nn.Parameter(torch.zeros(dim))

    def forward(self, x: torch.Tensor, extra_logits: torch.Tensor) -> torch.Tensor:
        x = self.norm(x)
        w = (x @ self.query / math.sqrt(x.shape[-1]) + extra_logits).softmax(-1)
        return (w.unsqueeze(-1) * x).sum(1)


class TextEncoder(nn.Module):
    def __init__(self, vocab_size: int, dim: int = 256, layers: int = 3, heads: int = 4,
                 max_len: int = 32, dropout: float = 0.1, multi_level: bool = True, embedding: nn.Module = None):
        super().__init__()
        self.multi_level = multi_level
        self.embed = embedding if embedding is not None else nn.Embedding(vocab_size, dim, padding_idx=0)
        self.pos = nn.Parameter(torch.randn(1, max_len, dim) * 0.02)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.ModuleList([Block(dim, heads, 4 * dim, dropout) for _ in range(layers)])
        self.final_norm = nn.LayerNorm(dim)
        self.out_dim = dim
        if multi_level:
            self.phrase = nn.Linear(3 * dim, dim)
            self.token_gate = nn.Linear(dim, 1)
            self.pools = nn.ModuleList([AttentionPool(dim) for _ in range(layers + 2)])
            self.level_score = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, dim), nn.Tanh(), nn.Linear(dim, 1))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        mask = attention_mask.to(torch.float32)
        x = self.drop(self.embed(input_ids) + self.pos[:, : input_ids.shape[1]])
        levels = [x]
        h = x
        for blk in self.blocks:
            h = blk(h, key_mask=mask)
            levels.append(h)
        h = self.final_norm(h)
        if not self.multi_level:
            return (h * mask.unsqueeze(-1)).sum(1) / mask.sum(1, keepdim=True).clamp_min(1.0)
        phrase = F.gelu(self.phrase(trigrams(x * mask.unsqueeze(-1))))
        levels.insert(1, phrase)
        gate = torch.sigmoid(self.token_gate(h)).squeeze(-1)
        extra = torch.log(gate + 1e-6) + (1.0 - mask) * MASK_VALUE
        pooled = [pool(lv, extra) for pool, lv in zip(self.pools, levels)] + [h[:, 0]]
        stack = torch.stack(pooled, dim=1)
        beta = self.level_score(stack).softmax(1)
        return (beta * stack).sum(1)
