"""The two towers and their ensemble wrappers.

Config keys (all stored in checkpoints):
  vocab_size, max_len, embed_dim, text_dim, text_layers,
  cross_level (bool)  - MASAN cross-level injection on the image side,
  multi_level (bool)  - MASAN multi-level text attention (else last-layer mean pool),
  image_head / text_head: {"width", "blocks"} - from adaptive scaling or identical,
  pooled_only (bool)  - plain baseline: image head is a single linear map of the pooled vector.
"""
import math

import torch
from torch import nn

from .adaptive_scaling import ScaledHead
from .blocks import l2_normalize
from .cross_level import CrossLevelInjection, LevelReduction
from .text_attention import TextEncoder

POOLED_DIM = 1280


class ImageTower(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        d = cfg["embed_dim"]
        if cfg.get("pooled_only"):
            self.head = nn.Sequential(nn.LayerNorm(POOLED_DIM), nn.Linear(POOLED_DIM, d))
        else:
            self.head = ScaledHead(POOLED_DIM, d, **cfg["image_head"])
        self.reduce = LevelReduction()
        self.inject = CrossLevelInjection(d) if cfg["cross_level"] else None

    def forward(self, s8, s16, s32, pooled):
        """Serving path: raw backbone maps (what image_head.onnx takes)."""
        return self.embed(*self.reduce(s8, s16, s32), pooled)

    def embed(self, t8, t16, t32, pooled):
        """Training path: tokens already passed through the fixed LevelReduction."""
        z = self.head(pooled)
        if self.inject is not None:
            z = z + self.inject(t8, t16, t32)
        return l2_normalize(z)


class TextTower(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.encoder = TextEncoder(cfg["vocab_size"], cfg["text_dim"], cfg["text_layers"], max_len=cfg["max_len"],
                                   multi_level=cfg["multi_level"])
        self.head = ScaledHead(cfg["text_dim"], cfg["embed_dim"], **cfg["text_head"])

    def forward(self, input_ids, attention_mask):
        return l2_normalize(self.head(self.encoder(input_ids, attention_mask)))


class Masan(nn.Module):
    def __init__(self, cfg: dict):
        super().__init__()
        self.cfg = dict(cfg)
        self.image = ImageTower(cfg)
        self.text = TextTower(cfg)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))


class ImageEnsemble(nn.Module):
    """Concatenation of the members' L2-normalised embeddings scaled by 1/sqrt(k): unit norm,
    and a dot product equals the members' mean cosine."""

    def __init__(self, towers):
        super().__init__()
        self.towers = nn.ModuleList(towers)

    def forward(self, s8, s16, s32, pooled):
        return torch.cat([t(s8, s16, s32, pooled) for t in self.towers], -1) / math.sqrt(len(self.towers))


class TextEnsemble(nn.Module):
    def __init__(self, towers):
        super().__init__()
        self.towers = nn.ModuleList(towers)

    def forward(self, input_ids, attention_mask):
        return torch.cat([t(input_ids, attention_mask) for t in self.towers], -1) / math.sqrt(len(self.towers))
