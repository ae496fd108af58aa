import json

import pytest

import build_concepts as bc
import imagenet_classes as ic
import wordnet
import wordnet_fixture


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return wordnet.load(wordnet_fixture.write(tmp_path_factory.mktemp("wordnet")))


@pytest.fixture(scope="module")
def under(db):
    return ic.classes_under(db.synsets, ic.map_classes(wordnet_fixture.LABELS, db.synsets, {}))


def rounded(c):
    return {k: round(w, 4) for k, w in c.items()}


def test_senses_weighted_by_tag_count_plus_one(db, under):
    # dog: the animal (9 tags -> 10) reaches airedale and golden retriever, the sausage (0 -> 1) the hotdog.
    assert rounded(bc.concept(db, under, "dog")) == {0: round(10 / 11, 4), 1: round(10 / 11, 4), 4: round(1 / 11, 4)}


def test_plurals_and_collocations_through_morphy(db, under):
    assert bc.concept(db, under, "dogs") == bc.concept(db, under, "dog")
    assert bc.concept(db, under, "teddy_bears") == {5: 1.0}
    assert bc.concept(db, under, "hot_dog") == {4: 1.0}


def test_only_senses_that_reach_a_class_share_the_weight(db, under):
    # crane: bird and machine (no tags: 1 each) reach classes; the person Crane (5 tags -> 6) does not.
    assert bc.concept(db, under, "crane") == {2: 0.5, 3: 0.5}
    assert bc.concept(db, under, "puppy") == {}
    assert bc.concept(db, under, "xqzvw") == {}


def test_words_whose_usual_sense_names_no_class_are_left_out(db, under):
    # the reaching senses of "crane" carry 2 of its 8 units of weight
    assert bc.concept(db, under, "crane", min_share=0.2) == {2: 0.5, 3: 0.5}
    assert bc.concept(db, under, "crane", min_share=0.3) == {}


def test_surface_forms_add_plurals_and_skip_stop_words(db):
    forms = bc.surface_words({"dog", "teddy", "it", "a", "x", "Dog2", "puppy"}, db)
    assert forms == {"dog", "dogs", "teddy", "teddies", "puppy", "puppies"}


def test_collocations_need_all_words_in_the_vocabulary(db, under):
    assert bc.collocations({"teddy", "bear", "hot", "dog"}, db, under) == {
        "teddy bear": "teddy_bear", "teddy bears": "teddy_bears", "hot dog": "hot_dog", "hot dogs": "hot_dogs"}
    assert bc.collocations({"teddy", "hot", "dog"}, db, under) == {"hot dog": "hot_dog", "hot dogs": "hot_dogs"}


def test_build_leaves_out_generic_words(db, under):
    words, phrases, generic = bc.build({"dog", "animal", "entity", "crane", "teddy", "bear"}, db, under,
                                       max_classes=3, min_share=0.1)
    assert set(words) == {"dog", "dogs", "crane", "cranes", "teddy", "teddies", "animal", "animals"}
    assert words["crane"] == [[2, 0.5], [3, 0.5]]
    assert phrases == {"teddy bear": [[5, 1.0]], "teddy bears": [[5, 1.0]]}
    assert sorted(generic) == ["entities", "entity"]  # all 6 classes


def test_main_writes_concepts_json(tmp_path, db):
    wn = wordnet_fixture.write(tmp_path / "wordnet")
    (tmp_path / "labels.json").write_text(json.dumps(wordnet_fixture.LABELS))
    (tmp_path / "pins.json").write_text("{}")
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "d", "##s", "dog", "teddy", "bear", "crane", "hot"]
    (tmp_path / "tokenizer.json").write_text(json.dumps({"model": {"vocab": {t: i for i, t in enumerate(vocab)}}}))
    assert bc.main(["--tokenizer", str(tmp_path / "tokenizer.json"), "--labels", str(tmp_path / "labels.json"),
                    "--wordnet", str(wn), "--pins", str(tmp_path / "pins.json"), "--out", str(tmp_path / "c.json")]) == 0
    doc = json.loads((tmp_path / "c.json").read_text())
    assert doc["version"] == 1
    assert [c["wnid"] for c in doc["classes"]] == [f"n{o:08d}" for o in wordnet_fixture.CLASS_OFFSETS]
    assert doc["classes"][1]["name"] == "golden retriever"
    assert doc["words"]["dogs"] == doc["words"]["dog"] == [[0, 0.9091], [1, 0.9091], [4, 0.0909]]
    assert doc["phrases"]["teddy bears"] == [[5, 1.0]]
    assert "hot dog" in doc["phrases"]
    report = json.loads((tmp_path / "concepts_report.json").read_text())
    assert report["words"] == len(doc["words"])
