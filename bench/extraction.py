"""How fast the seeds are imported and their entities extracted: prints figures, asserts nothing.

    DEBUG=1 .venv/bin/python bench/extraction.py [--rounds 5]

Runs against a throw-away SQLite database in a temporary folder.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch_database import scratch_django  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    scratch_django("readingroom-bench-")

    from readingroom.entities import extraction
    from readingroom.library.importing import documents_import_paths

    started = time.perf_counter()
    extraction._base_pipeline()
    load_seconds = time.perf_counter() - started

    started = time.perf_counter()
    documents = [r.document for r in documents_import_paths(paths=[ROOT / "seeds"])]
    import_seconds = time.perf_counter() - started
    words = sum(d.word_count for d in documents)

    rounds = []
    for _ in range(args.rounds):
        started = time.perf_counter()
        results = extraction.documents_extract_entities(documents=documents)
        rounds.append(time.perf_counter() - started)
    mentions = sum(r.mentions for r in results)

    median = statistics.median(rounds)
    print(f"documents            {len(documents)}")
    print(f"words                {words}")
    print(f"model load           {load_seconds:.2f} s")
    print(f"import (cleaning)    {import_seconds:.2f} s  ({words / import_seconds:,.0f} words/s)")
    print(f"extraction, median   {median:.2f} s  ({words / median:,.0f} words/s, {args.rounds} rounds)")
    print(f"extraction, slowest  {max(rounds):.2f} s")
    print(f"mentions             {mentions}")


if __name__ == "__main__":
    main()
