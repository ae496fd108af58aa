"""Greedy ensemble selection on dev: start from the best single checkpoint and keep adding the
member that raises dev rSum most, while it does and while the total width stays <= --max-dim.

Embeddings are computed once per checkpoint; an ensemble's similarity is the mean of its
members' cosine similarities (what the exported concatenation / sqrt(k) computes).
Usage: /usr/bin/python3 training/select_ensemble.py ckpt1.pt ckpt2.pt ... [--max-dim 768]
"""
import argparse
import json
import sys
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import data  # noqa: E402
import paths  # noqa: E402
from evaluate import embed, load_models  # noqa: E402
from metrics import recall_at_k  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoints", nargs="+", type=Path)
    ap.add_argument("--max-dim", type=int, default=768)
    ap.add_argument("--cache", type=Path, default=paths.cache_dir())
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    args = ap.parse_args(argv)
    torch.set_num_threads(2)
    if not data.cache_ready(args.cache):
        print(f"select_ensemble: feature cache not found at {args.cache}; skipped")
        return 2
    dev = data.load_split("dev", args.cache, args.dataset)
    sims, dims = {}, {}
    for ckpt, model in zip(args.checkpoints, load_models(args.checkpoints)):
        img, txt, owner = embed(model.image, model.text, dev)
        sims[ckpt], dims[ckpt] = img @ txt.T, img.shape[1]
        print(f"{ckpt.name}: dev rsum {recall_at_k(sims[ckpt], owner)['rsum']:.1f}", flush=True)

    def score(group):
        return recall_at_k(sum(sims[c] for c in group) / len(group), owner)["rsum"]

    chosen = [max(sims, key=lambda c: score([c]))]
    best = score(chosen)
    while True:
        options = [c for c in sims if c not in chosen and sum(dims[x] for x in chosen) + dims[c] <= args.max_dim]
        if not options:
            break
        cand = max(options, key=lambda c: score(chosen + [c]))
        if score(chosen + [cand]) <= best:
            break
        chosen.append(cand)
        best = score(chosen)
        print(f"+ {cand.name}: dev rsum {best:.1f}", flush=True)
    print(json.dumps({"members": [str(c) for c in chosen], "dev_rsum": best}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
