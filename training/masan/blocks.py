"""Small export-friendly building blocks (plain ops only, so ONNX opset 14 export is exact).

nn.MultiheadAttention / nn.TransformerEncoderLayer are avoided on purpose: their inference
fast path is not what gets traced, and masked rows with -inf can produce NaN.
"""
import math

import torch
from torch import nn

MASK_VALUE = -1e4  # additive attention mask; finite so fully-masked rows never give NaN


class Attention(nn.Module):
    """Multi-head attention of queries over keys/values with an optional key mask [B,K] (1=keep)."""

    def __init__(self, dim: int, heads: int, dropout: float = 0.0):
        super().__init__()
        assert dim % heads == 0
        self.heads, self.dh = heads, dim // heads
        self.q = nn.Linear(dim, dim)
        self.kv = nn.Linear(dim, 2 * dim)
        self.out = nn.Linear(dim, dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor, ctx: torch.Tensor, key_mask: torch.Tensor = None) -> torch.Tensor:
        b, n, d = x.shape
        q = self.q(x).reshape(b, n, self.heads, self.dh).transpose(1, 2)
        kv = self.kv(ctx).reshape(b, -1, 2, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        k, v = kv[0], kv[1]
        att = q @ k.transpose(-1, -2) / math.sqrt(self.dh)
        if key_mask is not None:
            att = att + (1.0 - key_mask[:, None, None, :]) * MASK_VALUE
        att = self.drop(att.softmax(-1))
        return self.out((att @ v).transpose(1, 2).reshape(b, n, d))


class FeedForward(nn.Module):
    def __init__(self, dim: int, hidden: int, dropout: float = 0.0):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Dropout(dropout), nn.Linear(hidden, dim))

    def forward(self, x):
        return self.net(x)


class Block(nn.Module):
    """Pre-LayerNorm transformer block; self-attention when ctx is None, else cross-attention."""

    def __init__(self, dim: int, heads: int, ff: int, dropout: float = 0.0):
        super().__init__()
        self.n1, self.nc, self.n2 = nn.LayerNorm(dim), nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.att = Attention(dim, heads, dropout)
        self.ff = FeedForward(dim, ff, dropout)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, ctx=None, key_mask=None):
        h = self.n1(x)
        c = h if ctx is None else self.nc(ctx)
        x = x + self.drop(self.att(h, c, key_mask))
        return x + self.drop(self.ff(self.n2(x)))


def l2_normalize(x: torch.Tensor) -> torch.Tensor:
    return x / x.norm(dim=-1, keepdim=True).clamp_min(1e-6)
