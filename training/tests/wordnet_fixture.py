"""A tiny WordNet 3.0 noun database, written in the real file formats, for the builders' tests.

entity 00001000
  animal 00001100
    dog, domestic_dog 00001200            sense 1 of "dog", tag count 9
      terrier 00001210
        airedale 00001211                 class 0
      golden_retriever 00001220           class 1
      puppy 00001230                      (no class below)
    crane 00001300                        class 2 (the bird)
  artifact 00002000
    crane 00002100                        class 3 (the machine)
    frank, hot_dog, dog 00002200          sense 2 of "dog", tag count 0
      hotdog, hot_dog 00002210            class 4
    teddy, teddy_bear 00002300            class 5
    mouse 00002400                        (noun.exc: mice -> mouse)
  Crane 00003000                          a person; "crane" sense 3, tag count 5
"""
from pathlib import Path

SYNSETS = [
    (1000, ["entity"], []),
    (1100, ["animal"], [1000]),
    (1200, ["dog", "domestic_dog"], [1100]),
    (1210, ["terrier"], [1200]),
    (1211, ["airedale"], [1210]),
    (1220, ["golden_retriever"], [1200]),
    (1230, ["puppy"], [1200]),
    (1300, ["crane"], [1100]),
    (2000, ["artifact"], [1000]),
    (2100, ["crane"], [2000]),
    (2200, ["frank", "hot_dog", "dog"], [2000]),
    (2210, ["hotdog", "hot_dog"], [2200]),
    (2300, ["teddy", "teddy_bear"], [2000]),
    (2400, ["mouse"], [2000]),
    (3000, ["Crane"], [1000]),
]
# ImageNet-style labels in class order (the classes' offsets increase): two homonymous "crane"s.
LABELS = ["airedale", "golden_retriever", "crane", "crane", "hotdog", "teddy, teddy bear"]
CLASS_OFFSETS = [1211, 1220, 1300, 2100, 2210, 2300]
TAG_COUNTS = {("dog", 1200): 9, ("crane", 3000): 5}
LICENSE_HEADER = "  1 This software and database is being provided to you, the LICENSEE, by\n"


def _data_line(offset, lemmas, hypernyms, hyponyms):
    words = " ".join(f"{l} 0" for l in lemmas)
    pointers = [f"@ {h:08d} n 0000" for h in hypernyms] + [f"~ {h:08d} n 0000" for h in hyponyms]
    return f"{offset:08d} 05 n {len(lemmas):02x} {words} {len(pointers):03d} {' '.join(pointers)} | gloss of {lemmas[0]}  \n"


def write(directory: Path) -> Path:
    hyponyms = {}
    senses = {}
    for offset, lemmas, hypernyms in SYNSETS:
        for h in hypernyms:
            hyponyms.setdefault(h, []).append(offset)
        for l in lemmas:
            senses.setdefault(l.lower(), []).append(offset)
    # sense order: the tagged sense first, then by offset
    for lemma, offsets in senses.items():
        offsets.sort(key=lambda o: (-TAG_COUNTS.get((lemma, o), 0), o))
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "data.noun").write_text(
        LICENSE_HEADER + "".join(_data_line(o, l, h, hyponyms.get(o, [])) for o, l, h in SYNSETS), encoding="utf-8")
    (directory / "index.noun").write_text(LICENSE_HEADER + "".join(
        f"{lemma} n {len(offs)} 2 @ ~ {len(offs)} 0 {' '.join(f'{o:08d}' for o in offs)}  \n"
        for lemma, offs in sorted(senses.items())), encoding="utf-8")
    (directory / "noun.exc").write_text("mice mouse\n", encoding="utf-8")
    (directory / "cntlist.rev").write_text("".join(
        f"{lemma}%1:05:00:: {senses[lemma].index(o) + 1} {n}\n" for (lemma, o), n in sorted(TAG_COUNTS.items()))
        + "dog%2:38:00:: 1 40\n", encoding="utf-8")
    return directory
