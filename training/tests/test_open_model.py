"""Model v2 end to end on synthetic data: train_open.py for a few steps, resume, export_open.py, and the
ONNX files (run by onnxruntime-node) against PyTorch."""
import json
import math
import shutil

import numpy as np
import onnx
import pytest
import torch

import align_image_head
import export_open
import open_data
import train_open
from masan.concept_channel import identity_basis
from masan.ensemble import Ensemble
from masan.open_model import OpenMasan
from masan.unseen_tokens import bucket_unseen
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


def train_small(features, words, dataset, runs, *extra) -> int:
    """train_open.py on the synthetic data, small and single-threaded, into ``runs``."""
    return train_open.main(["--features", str(features), "--words", str(words), "--dataset", str(dataset), "--out", str(runs),
                            "--batch", "8", "--embed-dim", "32", "--threads", "1", *extra])


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
    assert train_small(features, words, dataset, runs, "--epochs", "1") == 0
    assert train_small(features, words, dataset, runs, "--epochs", "2", "--resume") == 0
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
    assert train_small(features, words, dataset, runs, "--epochs", "1") == 0
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


def _small_member(variant, vectors, seed):
    cfg = train_open.make_config(variant, {"image": 80.0, "text": 20.0}, len(vectors), 32)
    torch.manual_seed(seed)
    return OpenMasan(cfg, identity_basis(), vectors, offset_rows_for(len(vectors), [[2, 5, 6, 3]])).eval()


@torch.no_grad()
def test_an_ensemble_of_one_is_that_model_and_of_two_sums_the_members_scores():
    vectors = np.random.default_rng(0).standard_normal((VOCAB, 100)).astype(np.float32)
    a, b = _small_member("full", vectors, 0), _small_member("no_cross_level", vectors, 1)
    lam = 0.05
    a.concept.log_weight.fill_(math.log(lam))
    g = torch.Generator().manual_seed(0)
    imgs = [torch.randn(3, 2048, generator=g), torch.randn(3, 1024, generator=g), torch.randn(3, 1000, generator=g)]
    text = (torch.tensor([[2, 5, 6, 3], [2, 7, 3, 0]]), torch.tensor([[1, 1, 1, 1], [1, 1, 1, 0]]), torch.rand(2, 1000, generator=g))
    one = Ensemble([a], math.sqrt(lam), math.sqrt(lam))
    assert torch.allclose(one.image(*imgs), a.image(*imgs), atol=1e-6)
    assert torch.allclose(one.text(*text), a.text(*text), atol=1e-6)

    two = Ensemble([a, b], 0.5, 0.2)
    assert two.embed_dim == 32 + 32 + 1000
    img, txt = two.image(*imgs), two.text(*text)
    za, zb = a.image.learned(*imgs), b.image.learned(*imgs)
    ta, tb = a.text.learned(*text[:2]), b.text.learned(*text[:2])
    p = imgs[2].softmax(-1)
    raw = za @ ta.t() + zb @ tb.t() + 0.5 * 0.2 * p @ text[2].t()
    norms = (2 + (0.5 * p).pow(2).sum(1, keepdim=True)).sqrt() * (2 + (0.2 * text[2]).pow(2).sum(1)).sqrt()
    assert torch.allclose(img @ txt.t(), raw / norms, atol=1e-5)


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_export_an_ensemble_with_the_word_vectors_stored_once_and_a_fixed_text_scale(tmp_path):
    features, words, dataset = write_synthetic(tmp_path)
    runs = tmp_path / "runs"
    assert train_small(features, words, dataset, runs, "--epochs", "1") == 0
    assert train_small(features, words, dataset, runs, "--epochs", "1", "--variant", "no_cross_level", "--seed", "1") == 0
    out = tmp_path / "model"
    assert export_open.main([str(runs / "full_s0.pt"), str(runs / "no_cross_level_s1.pt"), "--features", str(features),
                             "--words", str(words), "--dataset", str(dataset), "--text-concept-scale", "0.25",
                             "--out", str(out)]) == 0
    report = json.loads((out / "training-report.json").read_text())
    assert report["embedding_dim"] == 32 + 32 + 1000
    assert [m["variant"] for m in report["ensemble"]] == ["full", "no_cross_level"]
    assert report["concept_weight"]["text_scale"] == 0.25
    assert max(report["export_check"].values()) < 1e-4
    text = onnx.load(str(out / "text_tower.onnx"))
    word_tables = [i for i in text.graph.initializer if tuple(i.dims) == (VOCAB, 100)]
    assert len(word_tables) == 1
    identity = [i for i in onnx.load(str(out / "image_head.onnx")).graph.initializer if tuple(i.dims) == (1000, 1000)]
    assert identity == []


@torch.no_grad()
def test_a_learned_token_table_ships_its_trained_rows_and_shares_buckets_among_the_others():
    table = torch.nn.Embedding(10, 4)
    trained = np.array([True, True, False, True, False, False, False, False, False, False])
    shipped = bucket_unseen(table, trained, buckets=2)
    assert shipped.weight.shape == (3 + 2, 4)
    ids = torch.tensor([[0, 1, 3, 2, 4]])
    assert torch.equal(shipped(ids), table(ids))
    assert torch.equal(shipped(torch.tensor([5, 6, 7])), table(torch.tensor([2, 4, 2])))


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_export_an_ensemble_with_a_learned_token_table_keeps_only_its_trained_rows(tmp_path):
    features, words, dataset = write_synthetic(tmp_path)
    runs = tmp_path / "runs"
    assert train_small(features, words, dataset, runs, "--epochs", "1") == 0
    assert train_small(features, words, dataset, runs, "--epochs", "1", "--variant", "no_glove") == 0
    trained = open_data.trained_tokens(words, dataset, VOCAB)
    assert trained[0] and not trained.all()
    out = tmp_path / "model"
    assert export_open.main([str(runs / "full_s0.pt"), str(runs / "no_glove_s0.pt"), "--features", str(features),
                             "--words", str(words), "--dataset", str(dataset), "--out", str(out)]) == 0
    report = json.loads((out / "training-report.json").read_text())
    table = report["ensemble"][1]["token_table"]
    assert table["kind"] == "learned, trained rows + buckets" and table["rows"] == min(VOCAB, trained.sum() + table["buckets"])
    assert max(report["export_check"].values()) < 1e-4
    remaps = [i for i in onnx.load(str(out / "text_tower.onnx")).graph.initializer
              if i.data_type == onnx.TensorProto.INT32 and tuple(i.dims) == (VOCAB,)]
    assert len(remaps) == 1
