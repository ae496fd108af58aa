"""Read the WordNet 3.0 noun database (Debian ``wordnet-base``: /usr/share/wordnet) into memory.

Only what the concept channel needs: noun synsets with their lemmas and hypernym pointers,
each lemma's senses in index.noun order with tag counts from cntlist.rev, and morphy (noun.exc
plus the standard suffix rules) to reduce inflected forms such as "dogs" or "mice" to lemmas.
Lemmas are kept as WordNet spells them in index.noun: lowercase, words joined by "_".
"""
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DIR = Path("/usr/share/wordnet")

HYPERNYM_POINTERS = ("@", "@i")

# WordNet's morphy substitutions for nouns (morph.c), in its order.
NOUN_SUFFIX_RULES = [("s", ""), ("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"), ("shes", "sh"),
                     ("men", "man"), ("ies", "y")]


@dataclass
class Synset:
    offset: int
    lemmas: list
    hypernyms: list = field(default_factory=list)

    @property
    def wnid(self) -> str:
        return f"n{self.offset:08d}"


@dataclass
class NounDB:
    synsets: dict  # offset -> Synset
    senses: dict  # lemma -> [offset, ...] in sense-number order
    tag_counts: dict  # (lemma, offset) -> semantic-concordance tag count
    exceptions: dict  # inflected form -> [base lemma, ...]
    irregular: dict = field(default_factory=dict)  # base lemma -> [inflected forms from noun.exc]

    def __post_init__(self):
        for form, bases in self.exceptions.items():
            for base in bases:
                self.irregular.setdefault(base, []).append(form)

    def morphy(self, form: str) -> list:
        """Lemmas in index.noun that ``form`` may be an inflection of (the form itself first when it is one)."""
        form = form.lower().replace(" ", "_")
        if form in self.exceptions:
            candidates = [form] + self.exceptions[form]
        else:
            candidates = [form] + [form[: len(form) - len(suffix)] + ending
                                   for suffix, ending in NOUN_SUFFIX_RULES if form.endswith(suffix)]
        out = []
        for c in candidates:
            if c in self.senses and c not in out:
                out.append(c)
        return out

    def plurals(self, lemma: str) -> list:
        """Plural forms of a noun lemma (regular rules and noun.exc) that morphy maps back to it;
        a collocation inflects its last word ("teddy_bear" -> "teddy_bears")."""
        if "_" in lemma:
            head, last = lemma.rsplit("_", 1)
            forms = [f"{head}_{p}" for p in self._plural_forms(last)]
        else:
            forms = self._plural_forms(lemma)
        out = []
        for f in forms:
            if f != lemma and f not in out and lemma in self.morphy(f):
                out.append(f)
        return out

    def _plural_forms(self, word: str) -> list:
        if any(lemma != word for lemma in self.morphy(word)):
            return []  # already a plural ("goods", "glasses"): no "goodses"
        if word in self.irregular:
            return self.irregular[word]
        if word.endswith(("s", "x", "z", "ch", "sh")):
            return [word + "es"]
        if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
            return [word[:-1] + "ies"]
        if word.endswith("man"):
            # "policeman" -> "policemen" but "human" -> "humans": callers keep the forms a dictionary knows.
            return [word[:-3] + "men", word + "s"]
        return [word + "s"]

    def tag_count(self, lemma: str, offset: int) -> int:
        return self.tag_counts.get((lemma, offset), 0)


def _parse_data_line(line: str) -> Synset:
    head = line.split(" | ", 1)[0].split()
    offset = int(head[0])
    n_words = int(head[3], 16)
    lemmas = [head[4 + 2 * i].lower() for i in range(n_words)]
    i = 4 + 2 * n_words
    n_pointers = int(head[i])
    hypernyms = []
    for p in range(n_pointers):
        symbol, target, pos = head[i + 1 + 4 * p], head[i + 2 + 4 * p], head[i + 3 + 4 * p]
        if symbol in HYPERNYM_POINTERS and pos == "n":
            hypernyms.append(int(target))
    return Synset(offset, lemmas, hypernyms)


def read_synsets(path: Path) -> dict:
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  ") or not line.strip():
                continue
            s = _parse_data_line(line)
            out[s.offset] = s
    return out


def read_index(path: Path) -> dict:
    """{lemma: [synset offsets in sense order]} from index.noun."""
    out = {}
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if line.startswith("  ") or not line.strip():
                continue
            parts = line.split()
            n_synsets = int(parts[2])
            out[parts[0]] = [int(o) for o in parts[len(parts) - n_synsets:]]
    return out


def read_tag_counts(path: Path, senses: dict) -> dict:
    """{(lemma, offset): tag count} for noun senses, from cntlist.rev (sense_key sense_number tag_count)."""
    out = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) != 3 or "%1:" not in parts[0]:
                continue
            lemma = parts[0].split("%", 1)[0].lower()
            number, count = int(parts[1]), int(parts[2])
            offsets = senses.get(lemma, [])
            if 1 <= number <= len(offsets):
                out[(lemma, offsets[number - 1])] = count
    return out


def read_exceptions(path: Path) -> dict:
    out = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 2:
                out.setdefault(parts[0], []).extend(parts[1:])
    return out


def load(directory: Path = DEFAULT_DIR) -> NounDB:
    directory = Path(directory)
    senses = read_index(directory / "index.noun")
    return NounDB(
        synsets=read_synsets(directory / "data.noun"),
        senses=senses,
        tag_counts=read_tag_counts(directory / "cntlist.rev", senses),
        exceptions=read_exceptions(directory / "noun.exc"),
    )
