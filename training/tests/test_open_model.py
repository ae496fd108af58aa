"""Model v2 end to end on synthetic data: train_open.py for a few steps, resume, export_open.py, and the
ONNX files (run by onnxruntime-node) against PyTorch."""
import json
import shutil

import numpy as np
import pytest
import torch

import align_image_head
import export_open
import open_data
import train_open
from masan.word_vectors import offset_rows_for

VOCAB = 40


def write_synthetic(root, n_train=24, n_dev=8, n_test=8):
    """Features, captions (ids + concepts), word vectors and splits in the layouts the scripts read. Each
    image has a class; its captions use that class's words, and its logits point at that ImageNet class."""
    g = np.random.default_rng(0)
    features, words, dataset = root / "features", root / "words", root / "dataset"
    for d in (features, words, dataset):
        d.mkdir()
    n = n_train + n_dev + n_test
    names = [f"img{i}.jpg" for i in range(n)]
    cls = g.integers(0, 4, n)
    (features / "images.txt").write_text("\n".join(names) + "\n")
    for suffix in ("", "_flip"):
        for name, dim in (("pooled", 2048), ("mid", 1024), ("logits", 1000)):
            proto = g.standard_normal((4, dim)).astype(np.float32)
            x = proto[cls] + 0.3 * g.standard_normal((n, dim)).astype(np.float32)
            if name == "logits":
                x[np.arange(n), cls * 10] += 8
            np.save(features / f"{name}{suffix}.npy", x.astype(np.float16))
    lines = []
    for i, name in enumerate(names):
        for k in range(5):
            ids = [2] + list(4 + (cls[i] * 8 + g.integers(0, 8, 5)) % (VOCAB - 4)) + [3]
            lines.append(json.dumps({"image": name, "n": k, "caption": f"class {cls[i]} caption {k}",
                                     "ids": [int(t) for t in ids], "concepts": [[int(cls[i] * 10), 1.0]]}))
    (words / "captions.jsonl").write_text("\n".join(lines) + "\n")
    vectors = g.standard_normal((VOCAB, 100)).astype(np.float32)
    vectors[:4] = 0
    np.save(words / "word_vectors.npy", vectors)
    (words / "tokenizer.json").write_text("{}")
    (words / "concepts.json").write_text("{}")
    (dataset / "train.txt").write_text("\n".join(names[:n_train]))
    (dataset / "dev.txt").write_text("\n".join(names[n_train:n_train + n_dev]))
    (dataset / "test.txt").write_text("\n".join(names[n_train + n_dev:]))
    return features, words, dataset


def test_offset_rows_give_rows_only_to_tokens_seen_in_training():
    rows = offset_rows_for(8, [[2, 5, 3], [2, 5, 6, 3]])
    assert rows.tolist() == [0, 0, 1, 2, 0, 3, 4, 0]


def test_text_batch_truncates_keeping_the_end_token_and_sums_concepts():
    long = {"ids": [2] + [9] * 40 + [3], "concepts": [[7, 0.5], [7, 0.25], [1, 1.0]]}
    ids, mask, concepts = open_data.text_batch([long, {"ids": [2, 5, 3], "concepts": []}])
    assert ids.shape == (2, open_data.MAX_LEN) and ids[0, -1] == 3 and ids[1, 3] == 0
    assert mask[1].tolist()[:4] == [1, 1, 1, 0]
    assert concepts[0, 7] == 0.75 and concepts[0, 1] == 1.0 and concepts[1].sum() == 0


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_train_resume_export_check(tmp_path):
    features, words, dataset = write_synthetic(tmp_path)
    runs = tmp_path / "runs"
    common = ["--features", str(features), "--words", str(words), "--dataset", str(dataset), "--out", str(runs),
              "--batch", "8", "--embed-dim", "32", "--threads", "1"]
    assert train_open.main(common + ["--epochs", "1"]) == 0
    assert train_open.main(common + ["--epochs", "2", "--resume"]) == 0
    ck = torch.load(runs / "full_s0.pt", map_location="cpu")
    assert ck["cfg"]["concepts"] and ck["cfg"]["glove"] and ck["dev"]["epoch"] in (1, 2)
    out = tmp_path / "model"
    assert export_open.main([str(runs / "full_s0.pt"), "--features", str(features), "--words", str(words),
                             "--dataset", str(dataset), "--out", str(out)]) == 0
    report = json.loads((out / "training-report.json").read_text())
    assert report["embedding_dim"] == 32 + 1000
    assert max(report["export_check"].values()) < 1e-4
    for name in ("image_head.onnx", "text_tower.onnx", "tokenizer.json", "concepts.json"):
        assert (out / name).exists()


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_align_an_image_head_for_another_backbone_into_a_trained_space(tmp_path):
    features, words, dataset = write_synthetic(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    (other / "images.txt").write_text((features / "images.txt").read_text())
    g = np.random.default_rng(1)
    for suffix in ("", "_flip"):
        n = len((features / "images.txt").read_text().split())
        np.save(other / f"pooled{suffix}.npy", g.standard_normal((n, 1280)).astype(np.float16))
        np.save(other / f"s16{suffix}.npy", g.standard_normal((n, 96, 14, 14)).astype(np.float16))
        np.save(other / f"logits{suffix}.npy", np.load(features / f"logits{suffix}.npy"))
    runs = tmp_path / "runs"
    assert train_open.main(["--features", str(features), "--words", str(words), "--dataset", str(dataset), "--out", str(runs),
                            "--batch", "8", "--embed-dim", "32", "--epochs", "1", "--threads", "1"]) == 0
    aligned = runs / "aligned.pt"
    assert align_image_head.main([str(runs / "full_s0.pt"), "--features", str(other), "--words", str(words), "--dataset",
                                  str(dataset), "--epochs", "1", "--batch", "8", "--threads", "1", "--out", str(aligned)]) == 0
    ck = torch.load(aligned, map_location="cpu")
    text_before = torch.load(runs / "full_s0.pt", map_location="cpu")["state"]
    assert ck["cfg"]["pooled_dim"] == 1280 and ck["cfg"]["mid_dim"] == 96
    assert all(torch.equal(v, text_before[k]) for k, v in ck["state"].items() if k.startswith("text."))
    out = tmp_path / "model"
    assert export_open.main([str(aligned), "--features", str(other), "--words", str(words), "--dataset", str(dataset),
                             "--mid-file", "s16", "--backbone", "mobilenetv2-12-int8", "--out", str(out)]) == 0
    report = json.loads((out / "training-report.json").read_text())
    assert report["backbone"] == "mobilenetv2-12-int8" and report["image_head"]["sources"]["mid"] == "s16"
    assert max(report["export_check"].values()) < 1e-4
