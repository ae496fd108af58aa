import collections
import json

import numpy as np

import build_tokenizer as tok
import build_vocab as bv
import glove as glove_io
import wordnet
import wordnet_fixture


def small_glove():
    words = ["the", ",", "dog", "dogs", "puppy", "airedale", "zebra", "runs", "xylo"]
    vectors = {w: [float(i + 1)] * 3 + [9.0, i] for i, w in enumerate(words)}
    return glove_io.Glove(words=words, vectors=vectors, dim=3)


def test_glove_reads_the_wink_json(tmp_path):
    path = tmp_path / "g.json"
    path.write_text(json.dumps({"dimensions": 2, "words": ["dog", "cat"],
                                "vectors": {"dog": [0.5, 0.25, 0.56, 0], "cat": [1, 0, 1, 1]}}))
    g = glove_io.load(path)
    assert g.words == ["dog", "cat"] and "cat" in g and "cow" not in g
    assert g.vector("dog").tolist() == [0.5, 0.25] and g.vector("dog").dtype == np.float32


def test_whole_words_in_source_order_then_frequent_fill():
    words, counts = bv.whole_words([("train", ["dog", "a", "runs"]), ("lemmas", ["dog", "zebra"])],
                                   ["the", ",", "cat", "x1", "bird", "fish"], target=7)
    assert words == ["dog", "a", "runs", "zebra", "the", "cat", "bird"]
    assert counts == {"train": 3, "lemmas": 1, "glove_frequent": 3}


def test_v1_pieces_keep_characters_and_continuations_only():
    v1 = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "a", "b", ".", "##a", "##b", "dog", "##ing", "playgro"]
    assert bv.v1_pieces(v1) == ["a", "b", ".", "##a", "##b", "##ing"]


def test_vectors_only_for_whole_words_in_glove():
    g = small_glove()
    vocab = bv.assemble(["d", "o", "g", "##s", "##o"], ["dog", "d", "runs", "flibber"])
    assert vocab[:4] == tok.SPECIALS and vocab.count("d") == 1
    vectors, has = bv.vector_table(vocab, {"dog", "runs", "flibber"}, g)
    assert vectors.shape == (len(vocab), 3) and vectors.dtype == np.float32
    assert [t for t, h in zip(vocab, has) if h] == ["dog", "runs"]
    assert vectors[vocab.index("dog")].tolist() == [3.0, 3.0, 3.0]
    assert not vectors[vocab.index("d")].any()  # a first piece, not the word "d"


def test_any_word_still_tokenizes_into_pieces():
    vocab = bv.assemble(["a", "b", "c", "##a", "##b", "##c"], ["cab"])
    ids = {t: i for i, t in enumerate(vocab)}
    assert tok.encode("cab abc", ids) == [tok.CLS_ID, ids["cab"], ids["a"], ids["##b"], ids["##c"], tok.SEP_ID]


def test_concrete_lemmas_and_plurals(tmp_path):
    db = wordnet.load(wordnet_fixture.write(tmp_path))
    g = small_glove()
    assert bv.concrete_lemmas(db, g, max_rank=100) == []  # the fixture has no physical_entity synset
    assert bv.noun_plurals(["dog", "puppy", "runs"], db, g, max_rank=100) == ["dogs"]
    assert bv.noun_plurals(["dog"], db, g, max_rank=3) == []


def test_coverage_counts_whole_word_tokens():
    c = bv.coverage(["A dog runs.", "A zebra runs!"], {"a", "dog", "runs", "."})
    assert (c["word_tokens"], c["word_tokens_whole"]) == (8, 6)
    assert c["alphabetic_words_not_whole"] == ["zebra"]
    assert bv.caption_words(["Dog, dog."]) == collections.Counter({"dog": 2, ",": 1, ".": 1})
