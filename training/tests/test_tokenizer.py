import json
import shutil
import subprocess

import pytest

import build_tokenizer as tok
import paths

CAPTIONS = ["A dog runs through the grass .", "Two dogs are running on the grass .",
            "A man is riding a bicycle down the street .", "A young girl is jumping into the swimming pool ."] * 5


@pytest.fixture(scope="module")
def vocab():
    return {t: i for i, t in enumerate(tok.build_vocab(CAPTIONS, min_count=2, n_pieces=200))}


def test_special_ids(vocab):
    assert [vocab[t] for t in tok.SPECIALS] == [0, 1, 2, 3]


def test_unknown_words_become_subwords(vocab):
    ids = tok.encode("Dogsled runner grasss", vocab)
    inv = {i: t for t, i in vocab.items()}
    pieces = [inv[i] for i in ids]
    assert pieces[0] == "[CLS]" and pieces[-1] == "[SEP]"
    assert "[UNK]" not in pieces
    assert any(p.startswith("##") for p in pieces)


@pytest.mark.parametrize("text", ["", "   ", "😀🚀", "x" * 500, "Ça va? naïve café!!", "\x00\tweird\ufffd", "中文字"])
def test_never_crashes(vocab, text):
    ids = tok.encode(text, vocab)
    assert ids[0] == tok.CLS_ID and ids[-1] == tok.SEP_ID
    assert all(isinstance(i, int) for i in ids)


def test_accents_and_case_fold(vocab):
    assert tok.encode("DOG café", vocab) == tok.encode("dog cafe", vocab)


def test_js_library_agrees(vocab, tmp_path):
    """The app's tokenizer library (@huggingface/tokenizers) loads the file and gives the same ids."""
    if shutil.which("node") is None or not (paths.REPO_ROOT / "node_modules/@huggingface/tokenizers").exists():
        pytest.skip("node or @huggingface/tokenizers not installed")
    path = tmp_path / "tokenizer.json"
    path.write_text(json.dumps(tok.tokenizer_json(list(vocab))))
    texts = ["A dog runs through the grasss!", "Ça va? naïve café", "", "unbelievably-long_word42"]
    script = ("import('@huggingface/tokenizers').then(({Tokenizer})=>{const fs=require('fs');"
              f"const t=new Tokenizer(JSON.parse(fs.readFileSync({json.dumps(str(path))},'utf8')),{{}});"
              f"console.log(JSON.stringify({json.dumps(texts)}.map(s=>t.encode(s).ids)))}})")
    out = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True, cwd=paths.REPO_ROOT)
    assert json.loads(out.stdout) == [tok.encode(s, vocab) for s in texts]
