"""Fit a new image tower for another backbone into a trained model v2's space: the text tower (and the
concept channel) stay frozen, so the new model shares its tokenizer, concept map and text embeddings.

Used to give the fast MobileNetV2 backbone an image tower for the subspace learned over ResNet-50
(docs/model.md, "Which backbone"): only the image head is trained, against cached text embeddings, so it
takes minutes. The result is a checkpoint export_open.py exports like any other.

Usage: /usr/bin/python3 training/align_image_head.py TEXT_CKPT --features /path/mobilenet --words DIR \
         --out CKPT [--mid-file s16] [--epochs 30]
"""
import argparse
import math
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import heldout  # noqa: E402
import open_data as data  # noqa: E402
import paths  # noqa: E402
from export_open import load_model  # noqa: E402
from masan.adaptive_scaling import participation_ratio, size_head  # noqa: E402
from masan.losses import contrastive_loss  # noqa: E402
from masan.open_model import OpenImageTower  # noqa: E402
from metrics import recall_at_k  # noqa: E402
from train_open import lr_at  # noqa: E402


@torch.no_grad()
def caption_embeddings(model, split: data.Split, batch: int = 500) -> list:
    """Per image, its captions' embeddings [k, D] from the frozen text tower."""
    caps = [c for cs in split.captions for c in cs]
    emb = torch.cat([model.text(*data.text_batch(caps[i:i + batch])) for i in range(0, len(caps), batch)])
    out, at = [], 0
    for cs in split.captions:
        out.append(emb[at:at + len(cs)])
        at += len(cs)
    return out


@torch.no_grad()
def evaluate(tower, split: data.Split, texts: list) -> dict:
    tower.eval()
    img = torch.cat([tower(*split.images(np.arange(i, min(i + 500, len(split))))) for i in range(0, len(split), 500)])
    owner = np.array([i for i, t in enumerate(texts) for _ in range(len(t))])
    return recall_at_k((img @ torch.cat(texts).t()).numpy(), owner)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("text_checkpoint", type=Path)
    ap.add_argument("--features", type=Path, required=True)
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--mid-file", default="s16", help="feature file that feeds the head's `mid` input")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--heldout", type=Path, help="drop training captions that mention these concepts (heldout.py)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    g = np.random.default_rng(args.seed)

    model, ck = load_model(args.text_checkpoint)
    files = {"mid": args.mid_file}
    keep = heldout.caption_filter(args.heldout)
    tr = data.load_split("train", args.features, args.words, args.dataset, keep, files=files)
    dev = data.load_split("dev", args.features, args.words, args.dataset, files=files)
    tr_text, dev_text = caption_embeddings(model, tr), caption_embeddings(model, dev)
    pooled = tr.feats["pooled"].astype(np.float32)
    mid = tr.feats["mid"]
    density = participation_ratio(pooled)
    cfg = dict(ck["cfg"], pooled_dim=pooled.shape[1], mid_dim=mid.shape[1],
               image_head=size_head(density, max(density, ck["densities"]["text"])))
    tower = OpenImageTower(cfg, model.concept)
    for p in model.concept.parameters():
        p.requires_grad_(False)
    params = [p for p in tower.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=args.lr, weight_decay=0.02)
    scale = model.logit_scale.detach()
    steps = len(tr) // args.batch
    total, best, t0 = steps * args.epochs, {"rsum": -1.0}, time.time()
    for epoch in range(args.epochs):
        tower.train()
        order = g.permutation(len(tr))
        for b in range(steps):
            idx = order[b * args.batch:(b + 1) * args.batch]
            imgs = tr.images(idx, flip=g.random(len(idx)) < 0.5)
            txt = torch.cat([tr_text[i][g.choice(len(tr_text[i]), 2, replace=len(tr_text[i]) < 2)] for i in idx])
            for grp in opt.param_groups:
                grp["lr"] = lr_at(epoch * steps + b, total, max(1, total // 20), args.lr)
            loss = contrastive_loss(tower(*imgs), txt, scale)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(params, 2.0)
            opt.step()
        res = evaluate(tower, dev, dev_text)
        print(f"align: epoch {epoch + 1}/{args.epochs} loss {loss.item():.3f} dev rsum {res['rsum']:.1f} "
              f"({time.time() - t0:.0f}s)", flush=True)
        if res["rsum"] > best["rsum"]:
            best = dict(res, epoch=epoch + 1)
            state = {k: v for k, v in model.state_dict().items() if not k.startswith("image.")}
            state.update({f"image.{k}": v for k, v in tower.state_dict().items()})
            torch.save({"cfg": cfg, "state": state, "densities": dict(ck["densities"], image=density), "seed": args.seed,
                        "dev": best, "aligned_to": args.text_checkpoint.name, "heldout": ck.get("heldout"),
                        "train_seconds": time.time() - t0,
                        "settings": {"epochs": args.epochs, "batch": args.batch, "lr": args.lr}}, args.out)
    print(f"align: best dev rsum {best['rsum']:.1f} (epoch {best['epoch']}) -> {args.out}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
