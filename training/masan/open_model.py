"""Model v2: the two towers over ResNet-50 features, GloVe-initialised text and the concept channel.

Image inputs (the backbone's outputs, what image_head.onnx takes): ``pooled`` [B,2048] (stride-32
global average), ``mid`` [B,1024] (stride-16 global average), ``logits`` [B,1000] (ImageNet classes);
cfg ``pooled_dim``/``mid_dim`` adapt the image tower to another backbone (MobileNetV2: 1280, and its
stride-16 map [B,96,14,14], pooled inside the head).
Text inputs: ``input_ids``, ``attention_mask`` [B,L] and ``concepts`` [B,1000] (from concepts.json).

MASAN, in this concrete form:
- adaptive scaling: each modality's head is sized from the participation ratio of its input
  (``adaptive_scaling.size_head``), with a learned per-dimension scale;
- multi-level text attention: word (GloVe), phrase, every transformer layer and the sentence token,
  pooled per level and fused by attention, with the interference gate (``text_attention``);
- cross-level interaction injection: the stride-16 level and the class level (logits) are fused by
  a small MLP whose output is added to the stride-32 head's embedding through a per-dimension gate
  initialised at zero, so training starts from the plain pooled model.
Config switches turn each off for the ablations.
"""
import math

import numpy as np
import torch
from torch import nn

from .adaptive_scaling import ScaledHead
from .blocks import l2_normalize
from .concept_channel import ConceptChannel
from .text_attention import TextEncoder
from .word_vectors import PretrainedEmbedding

POOLED, MID, CLASSES = 2048, 1024, 1000


class CrossLevelMix(nn.Module):
    def __init__(self, out_dim: int, mid_dim: int = MID, width: int = 512, dropout: float = 0.1):
        super().__init__()
        self.mid = nn.LayerNorm(mid_dim)
        self.cls = nn.LayerNorm(CLASSES)
        self.net = nn.Sequential(nn.Dropout(dropout), nn.Linear(mid_dim + CLASSES, width), nn.GELU(), nn.Linear(width, out_dim))
        self.gate = nn.Parameter(torch.zeros(out_dim))

    def forward(self, mid, logits):
        if mid.dim() == 4:  # a backbone that gives the stride-16 map itself (MobileNetV2): pool it here
            mid = mid.mean((2, 3))
        return self.gate * self.net(torch.cat([self.mid(mid), self.cls(logits.log_softmax(-1))], -1))


class OpenImageTower(nn.Module):
    def __init__(self, cfg: dict, concept: ConceptChannel):
        super().__init__()
        d = cfg["embed_dim"]
        self.head = ScaledHead(cfg.get("pooled_dim", POOLED), d, **cfg["image_head"], dropout=cfg.get("dropout", 0.1))
        self.mix = CrossLevelMix(d, cfg.get("mid_dim", MID)) if cfg["cross_level"] else None
        self.concept = concept if cfg["concepts"] else None

    def learned(self, pooled, mid, logits):
        """The learned embedding alone (unit length), without the concept channel."""
        z = self.head(pooled)
        if self.mix is not None:
            z = z + self.mix(mid, logits)
        return l2_normalize(z)

    def forward(self, pooled, mid, logits):
        z = self.learned(pooled, mid, logits)
        if self.concept is not None:
            z = torch.cat([z, self.concept.image(logits)], -1)
        return l2_normalize(z)


class OpenTextTower(nn.Module):
    def __init__(self, cfg: dict, concept: ConceptChannel, vectors: np.ndarray, offset_rows: np.ndarray):
        super().__init__()
        dim = cfg["text_dim"]
        embedding = PretrainedEmbedding(vectors, offset_rows, dim) if vectors is not None else None
        self.encoder = TextEncoder(cfg["vocab_size"], dim, cfg["text_layers"], max_len=cfg["max_len"],
                                   multi_level=cfg["multi_level"], embedding=embedding)
        self.head = ScaledHead(dim, cfg["embed_dim"], **cfg["text_head"], dropout=cfg.get("dropout", 0.1))
        self.concept = concept if cfg["concepts"] else None

    def learned(self, input_ids, attention_mask):
        """The learned embedding alone (unit length), without the concept channel."""
        return l2_normalize(self.head(self.encoder(input_ids, attention_mask)))

    def forward(self, input_ids, attention_mask, concepts):
        z = self.learned(input_ids, attention_mask)
        if self.concept is not None:
            z = torch.cat([z, self.concept.text(concepts)], -1)
        return l2_normalize(z)


class OpenMasan(nn.Module):
    """cfg keys: vocab_size, max_len, embed_dim, text_dim, text_layers, cross_level, multi_level,
    concepts, glove, image_head, text_head, dropout. ``vectors``/``offset_rows``: the pretrained
    word vectors and the offset map (None when cfg["glove"] is off)."""

    def __init__(self, cfg: dict, basis: np.ndarray, vectors: np.ndarray = None, offset_rows: np.ndarray = None):
        super().__init__()
        self.cfg = dict(cfg)
        self.concept = ConceptChannel(basis, cfg.get("concept_weight", 0.2))
        self.image = OpenImageTower(cfg, self.concept)
        self.text = OpenTextTower(cfg, self.concept, vectors if cfg["glove"] else None, offset_rows)
        self.logit_scale = nn.Parameter(torch.tensor(math.log(1 / 0.07)))
