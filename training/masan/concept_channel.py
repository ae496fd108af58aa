"""The concept channel: pretrained concept detectors on the image side, WordNet on the text side.

Image side: the backbone's 1,000 ImageNet class probabilities p = softmax(logits).
Text side: the caption's concept vector c over the same 1,000 classes, computed by the app from
``concepts.json`` (built from WordNet by training/build_concepts.py): c = sum over the caption's
nouns of c_w, where c_w[k] is the share of the noun's senses that have class k at or below them.
So p . c is the expected number of the caption's nouns that the photo shows, for ANY noun WordNet
knows, whether or not a training caption ever named it.

Both vectors go through one fixed linear map B [K, 1000] (tied between the towers, never trained)
and are appended to the learned embedding with the learned weight sqrt(lambda):
    image = [z_img, sqrt(lambda) B p],  text = [z_txt, sqrt(lambda) B c]   (each then L2-normalised)
so the cosine of a photo and a caption is (z_img . z_txt + lambda p^T B^T B c) / (norms), and with
B^T B = I (K = 1000) the concept term is exactly lambda p . c.
"""
import math

import numpy as np
import torch
from torch import nn

CLASSES = 1000


class ConceptChannel(nn.Module):
    def __init__(self, basis: np.ndarray, weight: float = 0.2):
        super().__init__()
        basis = np.asarray(basis, dtype=np.float32)
        self.register_buffer("basis", torch.as_tensor(basis))
        # the exact channel (B = I) skips the product, so an exported tower carries no 1,000 x 1,000 identity
        self.exact = basis.shape[0] == basis.shape[1] and np.array_equal(basis, np.eye(basis.shape[0], dtype=np.float32))
        self.log_weight = nn.Parameter(torch.tensor(math.log(weight)))

    @property
    def dim(self) -> int:
        return self.basis.shape[0]

    def _scaled(self, x: torch.Tensor) -> torch.Tensor:
        return (x if self.exact else x @ self.basis.t()) * (0.5 * self.log_weight).exp()

    def image(self, logits: torch.Tensor) -> torch.Tensor:
        return self._scaled(logits.softmax(-1))

    def text(self, concepts: torch.Tensor) -> torch.Tensor:
        return self._scaled(concepts)


def identity_basis() -> np.ndarray:
    return np.eye(CLASSES, dtype=np.float32)
