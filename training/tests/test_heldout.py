import heldout


def test_the_committed_groups():
    groups = heldout.load_groups()
    assert len(groups) >= 20
    assert ["bicycle", "bicycles", "bike", "bikes"] in groups
    words = [w for g in groups for w in g]
    assert len(words) == len(set(words))


def test_whole_word_match_after_lowercasing(tmp_path):
    path = tmp_path / "groups.txt"
    path.write_text("# comment\nbicycle bicycles bike bikes\n\nhorse horses  # trailing comment\n")
    groups = heldout.load_groups(path)
    assert groups == [["bicycle", "bicycles", "bike", "bikes"], ["horse", "horses"]]
    assert heldout.mentioned_groups("Two BIKES and a horse.", groups) == [0, 1]
    assert heldout.mentions_heldout("A man rides a bike-path", groups)
    assert not heldout.mentions_heldout("A biker on a seahorse", groups)
    assert not heldout.mentions_heldout("", groups)


def test_report_counts_captions_and_images():
    groups = [["bike", "bikes"], ["horse"]]
    captions = {"a.jpg": ["a bike", "a horse and a bike", "a road"], "b.jpg": ["grass"], "c.jpg": ["two bikes", "a horse"]}
    r = heldout.report(captions, {"train": ["a.jpg", "b.jpg"], "test": ["c.jpg"]}, groups)
    assert r["groups"] == [{"group": "bike bikes", "train": 2, "test": 1}, {"group": "horse", "train": 1, "test": 1}]
    assert (r["train_captions"], r["train_captions_removed"], r["train_images_with_a_removed_caption"]) == (4, 2, 1)
    assert r["test_captions_mentioning"] == 2
