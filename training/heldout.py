"""Held-out noun groups (training/heldout_concepts.txt) for the open-vocabulary evaluation.

A caption mentions a group when one of the group's words occurs in it as a whole word, after
lowercasing ("Two Bikes" mentions bicycle; "biker" does not). Training drops the captions that
mention any group; the test captions that do are the evaluation's queries.

``python3 training/heldout.py [--dataset DIR] [--concepts concepts.json]`` reports, per group, the
train and test captions that mention it (and with --concepts, how many ImageNet classes its first
word names), and how many train captions and images the held-out set removes.
"""
import argparse
import json
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import paths  # noqa: E402

DEFAULT_GROUPS = Path(__file__).resolve().parent / "heldout_concepts.txt"
WORD = re.compile(r"[^\W\d_]+")


def load_groups(path: Path = DEFAULT_GROUPS) -> list:
    """[[word, ...], ...] in file order; blank lines and "#" comments skipped."""
    groups = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            groups.append(line.split())
    return groups


def caption_words(caption: str) -> set:
    return set(WORD.findall(caption.lower()))


def mentioned_groups(caption: str, groups: list) -> list:
    """Indices of the groups the caption mentions."""
    words = caption_words(caption)
    return [i for i, g in enumerate(groups) if words.intersection(g)]


def mentions_heldout(caption: str, groups: list) -> bool:
    words = caption_words(caption)
    return any(words.intersection(g) for g in groups)


def caption_filter(path):
    """keep(caption) -> bool for load_split: False for a caption that mentions a group of the file; None
    without a file (every caption kept)."""
    if not path:
        return None
    groups = load_groups(path)
    return lambda caption: not mentions_heldout(caption, groups)


def report(captions: dict, splits: dict, groups: list, concepts: dict = None) -> dict:
    per_group = [{"group": " ".join(g), "train": 0, "test": 0} for g in groups]
    removed, images = 0, set()
    for split in ("train", "test"):
        for name in splits[split]:
            for caption in captions.get(name, []):
                hits = mentioned_groups(caption, groups)
                for i in hits:
                    per_group[i][split] += 1
                if split == "train" and hits:
                    removed += 1
                    images.add(name)
    if concepts is not None:
        for row, g in zip(per_group, groups):
            row["imagenet_classes"] = len(concepts["words"].get(g[0], []))
    n_train = sum(len(captions.get(n, [])) for n in splits["train"])
    return {
        "groups": per_group,
        "train_captions": n_train,
        "train_captions_removed": removed,
        "train_images_with_a_removed_caption": len(images),
        "test_captions_mentioning": sum(1 for n in splits["test"] for c in captions.get(n, []) if mentions_heldout(c, groups)),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dataset", type=Path, default=paths.dataset_dir())
    ap.add_argument("--groups", type=Path, default=DEFAULT_GROUPS)
    ap.add_argument("--concepts", type=Path, help="concepts.json, to show how many classes each group names")
    args = ap.parse_args(argv)
    if not (args.dataset / "Flickr8k.token.txt").exists():
        print(f"heldout: dataset not found at {args.dataset} (set --dataset or SUBSPACE_FLICKR8K)")
        return 2
    captions = paths.read_captions(args.dataset)
    splits = {s: paths.read_split(args.dataset, s) for s in ("train", "test")}
    concepts = json.loads(args.concepts.read_text(encoding="utf-8")) if args.concepts else None
    r = report(captions, splits, load_groups(args.groups), concepts)
    for row in r["groups"]:
        classes = f"  classes {row['imagenet_classes']:3d}" if "imagenet_classes" in row else ""
        print(f"{row['group']:45s} train {row['train']:5d}  test {row['test']:4d}{classes}")
    print(f"train captions removed: {r['train_captions_removed']} of {r['train_captions']} "
          f"({100 * r['train_captions_removed'] / r['train_captions']:.1f} %), from {r['train_images_with_a_removed_caption']} images; "
          f"test captions mentioning a held-out group: {r['test_captions_mentioning']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
