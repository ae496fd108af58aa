"""A tiny training run that exports both towers and checks ONNX (onnxruntime-node) vs PyTorch."""
import shutil

import pytest

import build_tokenizer as tok
import data
import paths
from export import check_export, export_towers
from masan.cross_level import LevelReduction
from masan.model import ImageEnsemble, Masan, TextEnsemble
from train import make_config, measure_densities, train


def tiny_splits():
    """A few real images' cached features when the cache exists, else synthetic ones."""
    cache, dataset = paths.cache_dir(), paths.dataset_dir()
    if data.cache_ready(cache) and (dataset / "train.txt").exists():
        vocab_size = len(tok.load_vocab(cache / "tokenizer.json"))
        return ("real cached features", vocab_size,
                data.load_split("train", cache, dataset, limit=32), data.load_split("dev", cache, dataset, limit=16))
    return "synthetic features", 64, data.synthetic_split(32, 64, 0), data.synthetic_split(16, 64, 1)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_train_export_check(tmp_path, capsys):
    source, vocab_size, tr, dev = tiny_splits()
    with capsys.disabled():
        print(f"\n[end-to-end test on {source}]")
    reduction = LevelReduction()
    reduction.fit(tr.feats["s32"].astype("float32").reshape(len(tr), 1280, 49).transpose(0, 2, 1).reshape(-1, 1280))
    tr_red, dev_red = data.reduce_set(tr, reduction), data.reduce_set(dev, reduction)
    cfg = make_config("full", measure_densities(tr, vocab_size), vocab_size, 32, 1)
    members = []
    for seed in (0, 1):
        model = Masan(cfg)
        model.image.reduce.load_state_dict(reduction.state_dict())
        best = train(model, tr_red, dev_red, epochs=1, batch=8, lr=1e-3, seed=seed, max_steps=3, log=lambda *_: None)
        model.load_state_dict(best["state"])
        members.append(model)
    image, text = ImageEnsemble([m.image for m in members]), TextEnsemble([m.text for m in members])
    export_towers(image, text, tmp_path)
    diff = check_export(image, text, tmp_path, dev)  # raw maps through LevelReduction, as served
    assert max(diff.values()) < 1e-4
    assert (tmp_path / "image_head.onnx").exists() and (tmp_path / "text_tower.onnx").exists()
