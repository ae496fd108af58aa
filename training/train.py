"""Train MASAN members (or ablation variants) on the cached Flickr 8k features.

Each member validates on dev every epoch (rSum) and keeps its best checkpoint. Flip augmentation:
each image in a batch uses its horizontally flipped features with probability 0.5. A batch holds
B images and K of their 5 captions (drawn anew each epoch, so all 5 are used); an epoch is one
pass over the training images. The data are loaded once for all members.

Usage: /usr/bin/python3 training/train.py --members full:0 full:1 --out-dir training/.cache/runs
       add --synthetic for a run on random features (no cache needed).
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
import build_tokenizer as tok  # noqa: E402
import data  # noqa: E402
import paths  # noqa: E402
from evaluate import evaluate  # noqa: E402
from masan.adaptive_scaling import bag_of_tokens_pr, participation_ratio, size_head  # noqa: E402
from masan.cross_level import LevelReduction  # noqa: E402
from masan.losses import contrastive_loss  # noqa: E402
from masan.model import Masan  # noqa: E402

IDENTICAL_HEAD = {"width": 512, "blocks": 2}

VARIANTS = {
    "full": {"cross_level": True, "multi_level": True, "adaptive": True},
    "no_cross_level": {"cross_level": False, "multi_level": True, "adaptive": True},
    "no_text_attention": {"cross_level": True, "multi_level": False, "adaptive": True},
    "no_adaptive_scaling": {"cross_level": True, "multi_level": True, "adaptive": False},
    "baseline": {"cross_level": False, "multi_level": True, "adaptive": False, "pooled_only": True},
}


def measure_densities(train: data.FeatureSet, vocab_size: int) -> dict:
    """Participation ratios of the two modalities' inputs on the training set (see adaptive_scaling)."""
    img = participation_ratio(train.feats["pooled"].astype(np.float32))
    txt = bag_of_tokens_pr([s for caps in train.captions for s in caps], vocab_size)
    return {"image": img, "text": txt}


def make_config(variant: str, densities: dict, vocab_size: int, embed_dim: int, text_layers: int) -> dict:
    v = VARIANTS[variant]
    top = max(densities.values())
    if v["adaptive"]:
        image_head, text_head = size_head(densities["image"], top), size_head(densities["text"], top)
    else:
        image_head = text_head = dict(IDENTICAL_HEAD)
    if v.get("pooled_only"):
        text_head = {"width": IDENTICAL_HEAD["width"], "blocks": 0}
    return {"variant": variant, "vocab_size": vocab_size, "max_len": data.MAX_LEN, "embed_dim": embed_dim,
            "text_dim": 256, "text_layers": text_layers, "cross_level": v["cross_level"],
            "multi_level": v["multi_level"], "pooled_only": bool(v.get("pooled_only")),
            "image_head": image_head, "text_head": text_head}


def lr_at(step: int, total: int, warmup: int, base: float) -> float:
    if step < warmup:
        return base * (step + 1) / warmup
    return base * 0.5 * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def train(model: Masan, tr: data.FeatureSet, dev: data.FeatureSet, epochs: int, batch: int, lr: float,
          seed: int, per_image: int = 2, max_steps: int = None, log=print, on_best=None) -> dict:
    """Train on LevelReduction-token sets; returns the best dev metrics with the model state.
    on_best(best) is called at every improvement (the caller saves a checkpoint)."""
    g = np.random.default_rng(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.02)
    steps_per_epoch = max(1, len(tr) // batch)
    total = steps_per_epoch * epochs if max_steps is None else max_steps
    best = {"rsum": -1.0}
    step, t0 = 0, time.time()
    for epoch in range(epochs):
        model.train()
        order = g.permutation(len(tr))
        for b in range(steps_per_epoch):
            if step >= total:
                break
            idx = order[b * batch:(b + 1) * batch]
            imgs = tr.images(idx, flip=g.random(len(idx)) < 0.5)
            picks = [g.choice(len(tr.captions[i]), per_image, replace=False) for i in idx]
            ids, mask = data.pad_ids([tr.captions[i][c] for i, cs in zip(idx, picks) for c in cs])
            for grp in opt.param_groups:
                grp["lr"] = lr_at(step, total, max(1, total // 20), lr)
            loss = contrastive_loss(model.image.embed(*imgs), model.text(ids, mask), model.logit_scale)
            opt.zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 2.0)
            opt.step()
            with torch.no_grad():
                model.logit_scale.clamp_(0, math.log(100))
            step += 1
        model.eval()
        res = evaluate(model.image.embed, model.text, dev)
        log(f"epoch {epoch + 1}/{epochs} step {step} loss {loss.item():.3f} dev rsum {res['rsum']:.1f} "
            f"({time.time() - t0:.0f}s)")
        if res["rsum"] > best["rsum"]:
            best = dict(res, epoch=epoch + 1, state={k: v.clone() for k, v in model.state_dict().items()},
                        train_seconds=time.time() - t0)
            if on_best is not None:
                on_best(best)
        if step >= total:
            break
    best["train_seconds"] = time.time() - t0  # whole run, not just up to the best epoch
    if on_best is not None:
        on_best(best)
    return best


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--members", nargs="+", default=["full:0"], help="variant:seed, e.g. full:0 baseline:0")
    ap.add_argument("--epochs", type=int, default=6)
    ap.add_argument("--batch", type=int, default=128, help="images per batch")
    ap.add_argument("--per-image", type=int, default=2, help="captions per image in a batch")
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--embed-dim", type=int, default=256)
    ap.add_argument("--text-layers", type=int, default=1)
    ap.add_argument("--max-steps", type=int)
    ap.add_argument("--cache", type=Path, default=paths.cache_dir())
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--tokenizer", type=Path, help="default: <cache>/tokenizer.json")
    ap.add_argument("--synthetic", action="store_true", help="random features (no cache needed)")
    ap.add_argument("--out-dir", type=Path, default=paths.cache_dir().parent / "runs")
    ap.add_argument("--threads", type=int, default=2, help="torch threads (the machine has 2 shared cores)")
    args = ap.parse_args(argv)
    torch.set_num_threads(args.threads)
    members = [(m.split(":")[0], int(m.split(":")[1])) for m in args.members]
    for variant, _ in members:
        if variant not in VARIANTS:
            ap.error(f"unknown variant {variant}; choose from {sorted(VARIANTS)}")

    t0 = time.time()
    reduction = LevelReduction()
    if args.synthetic:
        print("train: SYNTHETIC features and captions")
        vocab_size = 64
        raw_tr = data.synthetic_split(96, vocab_size, 0)
        reduction.fit(raw_tr.feats["s32"].astype(np.float32).reshape(96, 1280, -1).transpose(0, 2, 1).reshape(-1, 1280))
        tr, dev = data.reduce_set(raw_tr, reduction), data.reduce_set(data.synthetic_split(48, vocab_size, 1), reduction)
    else:
        if not data.cache_ready(args.cache):
            print(f"train: feature cache not found at {args.cache} (run training/prepare.ts features); skipped")
            return 2
        tokenizer = args.tokenizer or args.cache / "tokenizer.json"
        vocab_size = len(tok.load_vocab(tokenizer))
        reduction.fit(data.s32_token_sample("train", args.cache, args.dataset))
        tr = data.load_reduced("train", args.cache, args.dataset, reduction, tokenizer)
        dev = data.load_reduced("dev", args.cache, args.dataset, reduction, tokenizer)
    densities = measure_densities(tr, vocab_size)
    print(f"train: data ready in {time.time() - t0:.0f}s; densities {densities}")

    args.out_dir.mkdir(parents=True, exist_ok=True)
    for variant, seed in members:
        cfg = make_config(variant, densities, vocab_size, args.embed_dim, args.text_layers)
        print(f"train: {variant} seed {seed}; heads image {cfg['image_head']} text {cfg['text_head']}")
        torch.manual_seed(seed)
        model = Masan(cfg)
        model.image.reduce.load_state_dict(reduction.state_dict())
        out = args.out_dir / f"{variant}_s{seed}.pt"
        settings = {"epochs": args.epochs, "batch": args.batch, "per_image": args.per_image, "lr": args.lr}

        def save(best, cfg=cfg, seed=seed, out=out):
            dev = {k: v for k, v in best.items() if k != "state"}
            torch.save({"cfg": cfg, "state": best["state"], "densities": densities, "seed": seed, "dev": dev,
                        "settings": settings}, out)

        best = train(model, tr, dev, args.epochs, args.batch, args.lr, seed, args.per_image, args.max_steps,
                     on_best=save)
        print("train: best dev " + json.dumps({k: round(v, 2) for k, v in best.items() if k != "state"}) + f" -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
