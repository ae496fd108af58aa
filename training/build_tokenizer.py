"""Build a WordPiece ``tokenizer.json`` from the Flickr 8k TRAINING captions only.

The file is a Hugging Face tokenizer that ``@huggingface/tokenizers`` (JS) loads: BertNormalizer
(clean text, lowercase, strip accents), BertPreTokenizer, WordPiece model, BertProcessing
post-processor ([CLS] ... [SEP]; [CLS] is the text encoder's sentence token).

Vocabulary, in id order:
  [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3,
  every single character seen in training plus printable ASCII, and "##" + each of them
  (so any word made of known characters splits into pieces and never becomes [UNK]),
  whole words seen at least ``--min-count`` times,
  frequent word-initial pieces and "##" continuation pieces (suffixes such as "##ing", "##s")
  scored by how many training word occurrences they cover, so rare and unseen words split into
  meaningful subwords.

``encode()`` is a Python mirror of the JS pipeline used by tests and as a fallback when the
lead's ``prepare.ts tokenize`` output is absent; the JS library is the reference at serving time.
"""
import argparse
import collections
import json
import string
import sys
import unicodedata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402

SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]"]
PAD_ID, UNK_ID, CLS_ID, SEP_ID = 0, 1, 2, 3
PREFIX = "##"
MAX_CHARS_PER_WORD = 100


# ---- normalization and pre-tokenization (mirror of BertNormalizer + BertPreTokenizer) ----

def _is_control(ch: str) -> bool:
    if ch in "\t\n\r":
        return False
    return unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cs")


def _is_cjk(cp: int) -> bool:
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x2A6DF
            or 0x2A700 <= cp <= 0x2B73F or 0x2B740 <= cp <= 0x2B81F or 0x2B820 <= cp <= 0x2CEAF
            or 0xF900 <= cp <= 0xFAFF or 0x2F800 <= cp <= 0x2FA1F)


def normalize(text: str) -> str:
    out = []
    for ch in text:
        if ch in ("\0", "\ufffd") or _is_control(ch):
            continue
        if ch.isspace():
            out.append(" ")
        elif _is_cjk(ord(ch)):
            out.append(f" {ch} ")
        else:
            out.append(ch)
    text = "".join(out).lower()
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def _is_punct(ch: str) -> bool:
    cp = ord(ch)
    return (33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126
            or unicodedata.category(ch).startswith("P"))


def pre_tokenize(text: str) -> list:
    words = []
    for chunk in text.split():
        cur = ""
        for ch in chunk:
            if _is_punct(ch):
                if cur:
                    words.append(cur)
                    cur = ""
                words.append(ch)
            else:
                cur += ch
        if cur:
            words.append(cur)
    return words


def word_pieces(word: str, vocab: dict) -> list:
    """Greedy longest-match-first WordPiece, exactly as the JS WordPiece model does it."""
    chars = list(word)
    if len(chars) > MAX_CHARS_PER_WORD:
        return ["[UNK]"]
    pieces, start = [], 0
    while start < len(chars):
        end, found = len(chars), None
        while start < end:
            sub = "".join(chars[start:end])
            if start > 0:
                sub = PREFIX + sub
            if sub in vocab:
                found = sub
                break
            end -= 1
        if found is None:
            return ["[UNK]"]
        pieces.append(found)
        start = end
    return pieces


def encode(text: str, vocab: dict) -> list:
    """Token ids with [CLS] ... [SEP], as the JS Tokenizer.encode() returns them."""
    ids = [CLS_ID]
    for word in pre_tokenize(normalize(text)):
        ids.extend(vocab[p] for p in word_pieces(word, vocab))
    return ids + [SEP_ID]


# ---- vocabulary ----

def build_vocab(captions: list, min_count: int = 4, n_pieces: int = 1500) -> list:
    """Token strings in id order (see module docstring)."""
    counts = collections.Counter(w for c in captions for w in pre_tokenize(normalize(c)))
    chars = sorted({ch for w in counts for ch in w} | set(string.ascii_lowercase + string.digits + string.punctuation))
    vocab = list(SPECIALS) + chars + [PREFIX + c for c in chars]
    seen = set(vocab)

    words = sorted((w for w, n in counts.items() if n >= min_count and w not in seen), key=lambda w: (-counts[w], w))
    vocab += words
    seen.update(words)

    # Candidate pieces: word-initial prefixes and "##" continuations (length 2..8), scored by
    # the number of characters of training text they could cover.
    score = collections.Counter()
    for w, n in counts.items():
        for i in range(len(w)):
            for j in range(i + 2, min(len(w), i + 8) + 1):
                if i == 0 and j == len(w):
                    continue  # the whole word itself
                piece = w[:j] if i == 0 else PREFIX + w[i:j]
                score[piece] += n * (j - i)
    pieces = [p for p, _ in sorted(score.items(), key=lambda kv: (-kv[1], kv[0])) if p not in seen][:n_pieces]
    return vocab + pieces


def tokenizer_json(vocab: list) -> dict:
    return {
        "version": "1.0",
        "truncation": None,
        "padding": None,
        "added_tokens": [
            {"id": i, "content": t, "single_word": False, "lstrip": False, "rstrip": False,
             "normalized": False, "special": True}
            for i, t in enumerate(SPECIALS)
        ],
        "normalizer": {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                       "strip_accents": True, "lowercase": True},
        "pre_tokenizer": {"type": "BertPreTokenizer"},
        "post_processor": {"type": "BertProcessing", "sep": ["[SEP]", SEP_ID], "cls": ["[CLS]", CLS_ID]},
        "decoder": {"type": "WordPiece", "prefix": PREFIX, "cleanup": True},
        "model": {"type": "WordPiece", "unk_token": "[UNK]", "continuing_subword_prefix": PREFIX,
                  "max_input_chars_per_word": MAX_CHARS_PER_WORD,
                  "vocab": {t: i for i, t in enumerate(vocab)}},
    }


def load_vocab(path: Path) -> dict:
    return json.loads(Path(path).read_text(encoding="utf-8"))["model"]["vocab"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--out", type=Path, default=paths.cache_dir() / "tokenizer.json")
    ap.add_argument("--min-count", type=int, default=4)
    ap.add_argument("--pieces", type=int, default=1500)
    args = ap.parse_args(argv)
    if not (args.dataset / "Flickr8k.token.txt").exists():
        print(f"build_tokenizer: dataset not found at {args.dataset} (set --dataset or SUBSPACE_FLICKR8K); skipped")
        return 2
    caps = paths.read_captions(args.dataset)
    train = paths.read_split(args.dataset, "train")
    texts = [c for name in train for c in caps.get(name, [])]
    vocab = build_vocab(texts, args.min_count, args.pieces)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(tokenizer_json(vocab), ensure_ascii=False), encoding="utf-8")
    print(f"tokenizer: {len(vocab)} tokens from {len(texts)} training captions -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
