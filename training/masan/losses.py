"""Symmetric InfoNCE (learned temperature) + VSE++ hardest-negative triplet loss.

A batch holds B images and K captions of each (captions [B*K] ordered image-major). Captions of
the same image are never used as each other's negatives.
"""
import torch
from torch.nn import functional as F


def contrastive_loss(img: torch.Tensor, txt: torch.Tensor, logit_scale: torch.Tensor,
                     margin: float = 0.2, triplet_weight: float = 1.0) -> torch.Tensor:
    b = img.shape[0]
    k = txt.shape[0] // b
    sim = img @ txt.t()                                      # [B, B*K]
    owner = torch.arange(b, device=img.device).repeat_interleave(k)
    pos = owner[None, :] == torch.arange(b, device=img.device)[:, None]   # [B, B*K]

    logits = sim * logit_scale.exp()
    t2i = F.cross_entropy(logits.t(), owner)
    # image -> text: one softmax per (image, positive caption), other positives masked out
    pos_logit = logits[pos].view(b, k)
    neg = logits.masked_fill(pos, float("-inf"))
    neg_lse = torch.logsumexp(neg, dim=1, keepdim=True)
    i2t = (torch.logaddexp(pos_logit, neg_lse) - pos_logit).mean()
    info_nce = (t2i + i2t) / 2

    pos_sim = sim[pos].view(b, k)
    hard_txt = sim.masked_fill(pos, -2.0).max(1, keepdim=True).values      # hardest caption per image
    hard_img = sim.masked_fill(pos, -2.0).max(0).values.view(b, k)         # hardest image per caption
    triplet = (F.relu(margin - pos_sim + hard_txt) + F.relu(margin - pos_sim + hard_img)).mean()
    return info_nce + triplet_weight * triplet
