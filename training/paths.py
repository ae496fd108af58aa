"""Default locations of the shared data and the feature cache.

Every path can be overridden by an environment variable (or a command-line option in the
scripts). The defaults point at ``../shared`` next to the repository root, which a fresh clone
does not have: callers must check ``exists()`` and skip with a clear message.
"""
import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent


def dataset_dir() -> Path:
    """Flickr 8k folder (Flickr8k.token.txt, train/dev/test.txt, images/)."""
    return Path(os.environ.get("SUBSPACE_FLICKR8K", REPO_ROOT.parent / "shared" / "datasets" / "flickr8k"))


def cache_dir() -> Path:
    """Feature/caption cache written by training/prepare.ts (gitignored)."""
    return Path(os.environ.get("SUBSPACE_CACHE", REPO_ROOT / "training" / ".cache" / "flickr8k"))


def read_split(dataset: Path, split: str) -> list:
    """Image file names of one official split (train, dev or test)."""
    return [l.strip() for l in (dataset / f"{split}.txt").read_text().splitlines() if l.strip()]


def read_captions(dataset: Path) -> dict:
    """{image file name: [5 captions in #0..#4 order]} from Flickr8k.token.txt."""
    out = {}
    for line in (dataset / "Flickr8k.token.txt").read_text(encoding="utf-8").splitlines():
        if "\t" not in line:
            continue
        key, text = line.split("\t", 1)
        name, n = key.rsplit("#", 1)
        out.setdefault(name, {})[int(n)] = text.strip()
    return {k: [v[i] for i in sorted(v)] for k, v in out.items()}
