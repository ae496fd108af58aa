"""Several trained members in one common subspace, shipped as one image head and one text tower.

Each member's learned embedding (unit length) is kept whole, side by side, and the concept channel is
appended once:
    image = [z_1, ..., z_k, a p] / norm,    text = [t_1, ..., t_k, b c] / norm
so a photo-text score is (sum_m z_m . t_m + a b p . c) / (norms): the members vote equally and the
concept term counts once, with weight a b. The text side's b is shared by every image side (one text tower
serves image heads over different backbones); each image side gets its own a, chosen on dev. A single
member with a = b = sqrt(lambda) is exactly that member's own model.

The members' image towers must take the same backbone outputs (``OpenImageTower``: pooled, mid, logits);
their text towers read the same tokenizer and concept map.
"""
import torch
from torch import nn

from .blocks import l2_normalize


class _SideBySide(nn.Module):
    """One side of the ensemble: its members' towers, and the scale of the concept vector appended once."""

    def __init__(self, towers: list, concept_scale: float):
        super().__init__()
        self.towers = nn.ModuleList(towers)
        self.register_buffer("concept_scale", torch.tensor(float(concept_scale)))

    def combine(self, parts: list, concepts: torch.Tensor) -> torch.Tensor:
        return l2_normalize(torch.cat(parts + [self.concept_scale * concepts], -1))


class EnsembleImage(_SideBySide):
    def forward(self, pooled, mid, logits):
        return self.combine([tower.learned(pooled, mid, logits) for tower in self.towers], logits.softmax(-1))


class EnsembleText(_SideBySide):
    def forward(self, input_ids, attention_mask, concepts):
        return self.combine([tower.learned(input_ids, attention_mask) for tower in self.towers], concepts)


class Ensemble(nn.Module):
    """``image`` and ``text`` as in ``OpenMasan``, so the same evaluation and export code serves both."""

    def __init__(self, members: list, image_scale: float, text_scale: float):
        super().__init__()
        if not all(m.cfg["concepts"] and m.concept.exact for m in members):
            raise ValueError("every member needs the exact concept channel (cfg concepts, identity basis)")
        self.image = EnsembleImage([m.image for m in members], image_scale)
        self.text = EnsembleText([m.text for m in members], text_scale)
        self.embed_dim = sum(m.cfg["embed_dim"] for m in members) + members[0].concept.dim
