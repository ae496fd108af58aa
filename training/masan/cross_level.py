"""Cross-level interaction injection (MASAN component 1), our concrete reading.

A side network over the FROZEN backbone's patch tokens:
  * per-level tokens: stride 32 (7x7x1280), stride 16 (14x14x96) and stride 8 (28x28x32);
  * ``LevelReduction`` (fixed, no trainable weights): the stride-16 and stride-8 maps are
    average-pooled to the 7x7 grid (2x2 and 4x4 windows) and the 1280 stride-32 channels are
    reduced by a PCA to ``S32_PCA`` dims fitted on training tokens. The pooling bounds the cost
    on our 2 CPU cores (finer grids were several times slower to train); being fixed, the
    reduction is applied once to the cached features for training and inside the ONNX graph at
    serving time;
  * each level gets its own LayerNorm + linear projection to a common width and its own learned
    positional embedding;
  * interaction: the 49 stride-32 tokens are queries that cross-attend over the concatenated
    stride-16 and stride-8 tokens (one pre-LN transformer block), so each semantic cell picks up
    the lower-level evidence (texture, colour, edges) of every cell;
  * the interacted tokens are mean-pooled and projected to the embedding width;
  * injection: the result is ADDED to the image embedding (before L2 normalisation) through a
    per-dimension gate initialised to ZERO, so training starts exactly from the plain pooled-
    backbone model and the side network only contributes what the loss asks of it.
The backbone itself is never changed (its features are cached inputs).
"""
import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

from .blocks import Block

S32_PCA = 256
TOKEN_DIMS = {"s8": 32, "s16": 96, "s32": S32_PCA}
TOKEN_COUNTS = {"s8": 7 * 7, "s16": 7 * 7, "s32": 7 * 7}


class LevelReduction(nn.Module):
    """Raw maps {s8,s16,s32} -> token tensors [B,49,C] (fixed pooling to 7x7, PCA of s32)."""

    def __init__(self):
        super().__init__()
        self.register_buffer("s32_mean", torch.zeros(1280))
        self.register_buffer("s32_basis", torch.eye(1280)[:, :S32_PCA].clone())

    def fit(self, s32_tokens: np.ndarray) -> None:
        """PCA basis from a sample of stride-32 tokens [M,1280]."""
        x = torch.from_numpy(np.asarray(s32_tokens, dtype=np.float32))
        mean = x.mean(0)
        _, _, v = torch.linalg.svd(x - mean, full_matrices=False)
        self.s32_mean.copy_(mean)
        self.s32_basis.copy_(v[:S32_PCA].t())

    def forward(self, s8, s16, s32) -> tuple:
        t8 = F.avg_pool2d(s8, 4).flatten(2).transpose(1, 2)
        t16 = F.avg_pool2d(s16, 2).flatten(2).transpose(1, 2)
        t32 = (s32.flatten(2).transpose(1, 2) - self.s32_mean) @ self.s32_basis
        return t8, t16, t32


class LevelTokens(nn.Module):
    """[B,T,C] tokens -> [B,T,d] projected tokens with positional embedding."""

    def __init__(self, channels: int, tokens: int, dim: int):
        super().__init__()
        self.norm = nn.LayerNorm(channels)
        self.proj = nn.Linear(channels, dim)
        self.pos = nn.Parameter(torch.randn(1, tokens, dim) * 0.02)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.proj(self.norm(x)) + self.pos


class CrossLevelInjection(nn.Module):
    def __init__(self, out_dim: int, dim: int = 128, heads: int = 4, dropout: float = 0.1):
        super().__init__()
        self.levels = nn.ModuleDict({k: LevelTokens(TOKEN_DIMS[k], TOKEN_COUNTS[k], dim) for k in TOKEN_DIMS})
        self.interact = Block(dim, heads, 2 * dim, dropout)
        self.norm = nn.LayerNorm(dim)
        self.out = nn.Linear(dim, out_dim)
        self.gate = nn.Parameter(torch.zeros(out_dim))

    def forward(self, t8: torch.Tensor, t16: torch.Tensor, t32: torch.Tensor) -> torch.Tensor:
        """Gated injection vector [B,out_dim] to add to the image embedding (inputs: LevelReduction tokens)."""
        q = self.levels["s32"](t32)
        fine = torch.cat([self.levels["s16"](t16), self.levels["s8"](t8)], dim=1)
        x = self.interact(q, fine)
        return self.gate * self.out(self.norm(x.mean(1)))
