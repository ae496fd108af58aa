"""Modality-specific adaptive scaling (MASAN component 3), our concrete reading.

Information density of a modality = participation ratio of its input-feature covariance on the
TRAINING set:  PR = (sum_i l_i)^2 / sum_i l_i^2 = tr(C)^2 / ||C||_F^2  (l_i eigenvalues of C).
PR is the number of directions the data really spreads over (1 = all variance on one axis,
dim = perfectly isotropic). Measured on:
  image: the backbone's pooled vectors of the training images;
  text:  the training captions' mean word vectors (the text tower's pretrained input).

Each modality's projection network is then sized from its own density instead of using identical
heads (``size_head``): hidden width grows with PR, and a modality whose density is a small
fraction of the densest one gets fewer residual blocks. Each head also ends in a learned
per-dimension scale (init 1) applied before L2 normalisation: a per-modality reweighting of the
shared subspace's axes.
"""
import numpy as np
import torch
from torch import nn


def participation_ratio(x: np.ndarray, chunk: int = 4096) -> float:
    """PR of the covariance of rows of x [N,D] (float64 accumulation, chunked)."""
    n, d = x.shape
    gram = np.zeros((d, d))
    mean = np.zeros(d)
    for i in range(0, n, chunk):
        c = np.asarray(x[i:i + chunk], dtype=np.float64)
        gram += c.T @ c
        mean += c.sum(0)
    mean /= n
    cov = gram / n - np.outer(mean, mean)
    return float(np.trace(cov) ** 2 / np.sum(cov * cov))


def size_head(density: float, max_density: float) -> dict:
    """Head size from density: width = 4*PR rounded to 128, in [256,1024];
    residual blocks = round(3*PR/max_PR), in [1,3] (the densest modality gets 3)."""
    width = int(min(1024, max(256, 128 * round(4 * density / 128))))
    blocks = int(min(3, max(1, round(3 * density / max_density))))
    return {"width": width, "blocks": blocks}


class ResidualMLP(nn.Module):
    def __init__(self, dim: int, width: int, dropout: float):
        super().__init__()
        self.net = nn.Sequential(nn.LayerNorm(dim), nn.Linear(dim, width), nn.GELU(), nn.Dropout(dropout),
                                 nn.Linear(width, dim))

    def forward(self, x):
        return x + self.net(x)


class ScaledHead(nn.Module):
    """in_dim -> out_dim: input LayerNorm, linear, `blocks` residual MLPs of hidden `width`,
    then the learned per-modality scale."""

    def __init__(self, in_dim: int, out_dim: int, width: int, blocks: int, dropout: float = 0.1):
        super().__init__()
        self.inp = nn.Sequential(nn.LayerNorm(in_dim), nn.Dropout(dropout), nn.Linear(in_dim, out_dim))
        self.blocks = nn.Sequential(*[ResidualMLP(out_dim, width, dropout) for _ in range(blocks)])
        self.scale = nn.Parameter(torch.ones(out_dim))

    def forward(self, x):
        return self.scale * self.blocks(self.inp(x))
