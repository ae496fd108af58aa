import pytest

import wordnet
import wordnet_fixture


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return wordnet.load(wordnet_fixture.write(tmp_path_factory.mktemp("wordnet")))


def test_reads_synsets_with_lemmas_and_hypernyms(db):
    assert len(db.synsets) == len(wordnet_fixture.SYNSETS)
    assert db.synsets[2200].lemmas == ["frank", "hot_dog", "dog"]
    assert db.synsets[1211].hypernyms == [1210]
    assert db.synsets[3000].lemmas == ["crane"]
    assert db.synsets[1211].wnid == "n00001211"


def test_senses_in_index_order_with_noun_tag_counts_only(db):
    assert db.senses["dog"] == [1200, 2200]
    assert db.senses["crane"] == [3000, 1300, 2100]
    assert db.tag_count("dog", 1200) == 9
    assert db.tag_count("dog", 2200) == 0  # the verb's 40 tags are not the noun's
    assert db.tag_count("crane", 3000) == 5


@pytest.mark.parametrize("form, lemmas", [
    ("dogs", ["dog"]), ("dog", ["dog"]), ("Dogs", ["dog"]), ("mice", ["mouse"]), ("cranes", ["crane"]),
    ("terriers", ["terrier"]), ("hot dogs", ["hot_dog"]), ("teddy_bears", ["teddy_bear"]),
    ("puppies", ["puppy"]), ("xqzvw", []), ("", []),
])
def test_morphy_reduces_inflections_to_lemmas(db, form, lemmas):
    assert db.morphy(form) == lemmas


def test_plurals_map_back_through_morphy(db):
    assert db.plurals("dog") == ["dogs"]
    assert db.plurals("puppy") == ["puppies"]
    assert db.plurals("mouse") == ["mice"]
    assert db.plurals("teddy_bear") == ["teddy_bears"]
    assert db.plurals("hot_dog") == ["hot_dogs"]


def test_real_wordnet_morphy_when_installed():
    if not (wordnet.DEFAULT_DIR / "data.noun").exists():
        pytest.skip("WordNet not installed (apt-get install wordnet-base)")
    real = wordnet.load()
    assert real.morphy("buses") == ["bus"]
    assert real.morphy("geese") == ["goose"]
    assert real.morphy("children") == ["child"]
    assert real.morphy("glasses") == ["glasses", "glass"]
    assert real.plurals("knife") == ["knives"]
    assert real.plurals("box") == ["boxes"]
    assert real.plurals("baby") == ["babies"]
    assert "policemen" in real.plurals("policeman")
    assert real.plurals("glasses") == [] and real.plurals("baked_goods") == []
