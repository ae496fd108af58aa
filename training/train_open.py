"""Train model v2 (``masan.open_model``) or one of its ablations on cached ResNet-50 features.

Validation: dev rSum every epoch; the best epoch is kept in <out>/<name>.pt, and <out>/<name>.last.pt
(model + optimizer + epoch) lets an interrupted run resume with --resume. Flip augmentation: each image
uses its mirror image's features with probability 0.5. A batch holds B images and K of their captions.
--heldout FILE drops every training caption that mentions a held-out concept (see heldout.py).

Usage: /usr/bin/python3 training/train_open.py --variant full --seed 0 --epochs 20 \
         --features /path/resnet50 --words /path/words --out training/.cache/runs-v2
"""
import argparse
import json
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
from masan.adaptive_scaling import participation_ratio, size_head  # noqa: E402
from masan.blocks import l2_normalize  # noqa: E402
from masan.concept_channel import identity_basis  # noqa: E402
from masan.losses import contrastive_loss  # noqa: E402
from masan.open_model import OpenMasan  # noqa: E402
from masan.word_vectors import offset_rows_for  # noqa: E402
from metrics import recall_at_k  # noqa: E402

IDENTICAL_HEAD = {"width": 1024, "blocks": 2}
VARIANTS = {
    "full": {},
    "no_cross_level": {"cross_level": False},
    "no_text_attention": {"multi_level": False},
    "no_adaptive_scaling": {"adaptive": False},
    "no_glove": {"glove": False},
    "no_concepts": {"concepts": False},
}


def densities(tr: data.Split, vectors: np.ndarray) -> dict:
    """Participation ratios of each tower's raw input on the training split: the pooled image vectors,
    and the captions' mean word vectors."""
    txt = []
    for caps in tr.captions:
        for c in caps:
            v = vectors[np.asarray(c["ids"], dtype=np.int64)]
            v = v[v.any(1)]
            txt.append(v.mean(0) if len(v) else np.zeros(vectors.shape[1], np.float32))
    return {"image": participation_ratio(tr.feats["pooled"].astype(np.float32)), "text": participation_ratio(np.stack(txt))}


def make_config(variant: str, dens: dict, vocab_size: int, embed_dim: int) -> dict:
    v = {"cross_level": True, "multi_level": True, "adaptive": True, "glove": True, "concepts": True, **VARIANTS[variant]}
    top = max(dens.values())
    heads = (size_head(dens["image"], top), size_head(dens["text"], top)) if v["adaptive"] else (IDENTICAL_HEAD, IDENTICAL_HEAD)
    return {"variant": variant, "vocab_size": vocab_size, "max_len": data.MAX_LEN, "embed_dim": embed_dim, "text_dim": 256,
            "text_layers": 2, "cross_level": v["cross_level"], "multi_level": v["multi_level"], "glove": v["glove"],
            "concepts": v["concepts"], "image_head": heads[0], "text_head": heads[1], "dropout": 0.1}


@torch.no_grad()
def evaluate(model: OpenMasan, split: data.Split, batch: int = 500, mirror: bool = False) -> dict:
    """Recall on a split; with ``mirror`` each photo's embedding is the sum of its own and its mirror image's
    (what the app does for a manifest with "mirror": true)."""
    model.eval()

    def embed(idx):
        z = model.image(*split.images(idx))
        return l2_normalize(z + model.image(*split.images(idx, flip=np.ones(len(idx), bool)))) if mirror else z
    img = torch.cat([embed(np.arange(i, min(i + batch, len(split)))) for i in range(0, len(split), batch)])
    caps = [c for cs in split.captions for c in cs]
    owner = np.array([i for i, cs in enumerate(split.captions) for _ in cs])
    txt = torch.cat([model.text(*data.text_batch(caps[i:i + batch])) for i in range(0, len(caps), batch)])
    return recall_at_k((img @ txt.t()).numpy(), owner)


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--variant", default="full", choices=sorted(VARIANTS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--per-image", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--embed-dim", type=int, default=512)
    ap.add_argument("--features", type=Path, required=True)
    ap.add_argument("--words", type=Path, required=True)
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--heldout", type=Path, help="drop training captions that mention these concepts")
    ap.add_argument("--name", help="checkpoint name (default: <variant>_s<seed>)")
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    name = args.name or f"{args.variant}_s{args.seed}"
    args.out.mkdir(parents=True, exist_ok=True)
    best_path, last_path = args.out / f"{name}.pt", args.out / f"{name}.last.pt"

    t0 = time.time()
    keep = heldout.caption_filter(args.heldout)
    tr = data.load_split("train", args.features, args.words, args.dataset, keep)
    dev = data.load_split("dev", args.features, args.words, args.dataset)
    vectors = data.load_word_vectors(args.words)
    offsets = offset_rows_for(len(vectors), [c["ids"] for cs in tr.captions for c in cs])
    dens = densities(tr, vectors)
    cfg = make_config(args.variant, dens, len(vectors), args.embed_dim)
    print(f"train {name}: {len(tr)} images, {sum(map(len, tr.captions))} captions; densities {dens}; "
          f"heads {cfg['image_head']} {cfg['text_head']}; data in {time.time() - t0:.0f}s", flush=True)

    torch.manual_seed(args.seed)
    g = np.random.default_rng(args.seed)
    model = OpenMasan(cfg, identity_basis(), vectors, offsets)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=args.lr, weight_decay=0.02)
    steps_per_epoch = len(tr) // args.batch
    total = steps_per_epoch * args.epochs
    start_epoch, best, spent = 0, {"rsum": -1.0}, 0.0
    if args.resume and last_path.exists():
        ck = torch.load(last_path, map_location="cpu")
        model.load_state_dict(ck["state"])
        opt.load_state_dict(ck["optimizer"])
        start_epoch, best, spent = ck["epoch"], ck["best"], ck["train_seconds"]
        g = np.random.default_rng(args.seed + 1000 * start_epoch)
        print(f"train {name}: resumed after epoch {start_epoch} (best dev rsum {best['rsum']:.1f})", flush=True)

    t1 = time.time() - spent
    for epoch in range(start_epoch, args.epochs):
        model.train()
        order = g.permutation(len(tr))
        for b in range(steps_per_epoch):
            step = epoch * steps_per_epoch + b
            idx = order[b * args.batch:(b + 1) * args.batch]
            imgs = tr.images(idx, flip=g.random(len(idx)) < 0.5)
            caps = []
            for i in idx:
                pick = g.choice(len(tr.captions[i]), args.per_image, replace=len(tr.captions[i]) < args.per_image)
                caps.extend(tr.captions[i][k] for k in pick)
            for grp in opt.param_groups:
                grp["lr"] = lr_at(step, total, max(1, total // 20), args.lr)
            loss = contrastive_loss(model.image(*imgs), model.text(*data.text_batch(caps)), model.logit_scale)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
            opt.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, math.log(100))
        res = evaluate(model, dev)
        lam = model.concept.log_weight.exp().item()
        print(f"train {name}: epoch {epoch + 1}/{args.epochs} loss {loss.item():.3f} dev rsum {res['rsum']:.1f} "
              f"lambda {lam:.3f} ({time.time() - t1:.0f}s)", flush=True)
        if res["rsum"] > best["rsum"]:
            best = dict(res, epoch=epoch + 1)
            torch.save({"cfg": cfg, "state": model.state_dict(), "densities": dens, "seed": args.seed, "dev": best,
                        "heldout": str(args.heldout) if args.heldout else None,
                        "settings": {k: getattr(args, k) for k in ("epochs", "batch", "per_image", "lr")}}, best_path)
        torch.save({"state": model.state_dict(), "optimizer": opt.state_dict(), "epoch": epoch + 1, "best": best,
                    "train_seconds": time.time() - t1}, last_path)
    ck = torch.load(best_path, map_location="cpu")
    ck["train_seconds"] = time.time() - t1
    torch.save(ck, best_path)
    print(f"train {name}: best dev {json.dumps({k: round(v, 2) for k, v in best.items()})} -> {best_path}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
