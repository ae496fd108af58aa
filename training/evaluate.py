"""Evaluate checkpoints on a split with the standard protocol (default: test, 1,000 x 5,000).

Several checkpoints are evaluated as their ensemble (concatenated L2-normalised embeddings / sqrt(k)),
or one by one with --each.
Usage: /usr/bin/python3 training/evaluate.py ckpt1.pt [ckpt2.pt ...] [--split test] [--each] [--json out.json]
"""
import argparse
import json
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
import paths  # noqa: E402
from masan.model import ImageEnsemble, Masan, TextEnsemble  # noqa: E402
from metrics import recall_at_k  # noqa: E402


@torch.no_grad()
def embed(image_fn, text_tower, split: data.FeatureSet, batch: int = 250) -> tuple:
    """(image embeddings [N,D], caption embeddings [sum captions,D], caption owner [sum captions]).

    image_fn takes the split's feature arrays in order (an image tower, or its ``embed`` for
    reduced training sets); the caller puts the modules in eval mode.
    """
    imgs = [image_fn(*split.images(np.arange(i, min(i + batch, len(split))))) for i in range(0, len(split), batch)]
    seqs = [s for caps in split.captions for s in caps]
    owner = np.array([i for i, caps in enumerate(split.captions) for _ in caps])
    txts = [text_tower(*data.pad_ids(seqs[i:i + batch])) for i in range(0, len(seqs), batch)]
    return torch.cat(imgs).numpy(), torch.cat(txts).numpy(), owner


def evaluate(image_fn, text_tower, split: data.FeatureSet) -> dict:
    img, txt, owner = embed(image_fn, text_tower, split)
    return recall_at_k(img @ txt.T, owner)


def load_models(ckpts) -> list:
    models = []
    for p in ckpts:
        ck = torch.load(p, map_location="cpu")
        m = Masan(ck["cfg"])
        m.load_state_dict(ck["state"])
        models.append(m.eval())
    return models


def ensemble(models) -> tuple:
    return ImageEnsemble([m.image for m in models]), TextEnsemble([m.text for m in models])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoints", nargs="+", type=Path)
    ap.add_argument("--split", default="test")
    ap.add_argument("--cache", type=Path, default=paths.cache_dir())
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--each", action="store_true", help="evaluate each checkpoint alone")
    ap.add_argument("--json", type=Path)
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    if not data.cache_ready(args.cache):
        print(f"evaluate: feature cache not found at {args.cache} (run training/prepare.ts); skipped")
        return 2
    split = data.load_split(args.split, args.cache, args.dataset)
    groups = [[c] for c in args.checkpoints] if args.each else [args.checkpoints]
    res = {}
    for group in groups:
        name = "+".join(c.stem for c in group)
        res[name] = evaluate(*ensemble(load_models(group)), split)
        print(f"{name}: " + json.dumps({k: round(v, 2) for k, v in res[name].items()}), flush=True)
    if args.json:
        args.json.write_text(json.dumps(res, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
