"""`make eval`: how well the import pipeline does on articles it was not fitted to, stage by stage,
against the keys of the five seed articles (seeds/, keys in tests/seeds-key/) and of the
development corpus (tests/corpus/, format in its README), each set scored on its own.

    .venv/bin/python bench/eval.py [--only seeds|corpus] [--corpus tests/corpus] [--verbose]

Each set runs in a process of its own with a fresh throw-away SQLite library, so one never
teaches the other (entities, aliases, sources, passages). It imports every article of the set
through ``manage.py import_documents`` (one folder an event, as a user would), then scores
against the keys:

- furniture: the key's furniture lines removed, its article lines kept;
- metadata: title, byline, date and publication right, and the header not repeated in the body;
- entities: mention spans with their type (strict: both ends and the type), by type too;
- identity across articles: pairs of correctly found mentions that are (or are not) one entity,
  all types and people alone (pairwise precision and recall);
- quotes: spans, speakers, and clusters (pairs of quotes that share a cluster, across articles);
- shared passages: the key's passages found linked to the right article, and stored passages that
  are in the key.

Prints a table of precision, recall and F1 (or share right) with the targets of issue #16, and the
time each stage took. Asserts nothing; bench/EVAL.md keeps the figures and what changed.
"""

from __future__ import annotations

import argparse
import io
import json
import re
import subprocess
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.scratch_database import scratch_django  # noqa: E402

SUFFIXES = (".txt", ".md", ".html", ".htm")
SUGGESTIONS_KEY = ROOT / "tests" / "corpus" / "suggestions.json"
SETS = {"seeds": "the five seed articles", "corpus": "the development corpus"}


def normal(text: str) -> str:
    """Text as compared: NFKC, typographic quotes and dashes plain, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-", "\u00a0": " "}))
    return " ".join(text.split())


def names(byline: str) -> set[str]:
    """The capitalised words of a byline: "Ann Lee; Bo Park" and "By Ann Lee and Bo Park" agree."""
    return {word for word in re.findall(r"[^\W\d_][\w'’-]*", normal(byline)) if word[0].isupper() and word != "By"}


def loose(text: str) -> str:
    return re.sub(r"[^\w]+", " ", normal(text).casefold()).strip()


@dataclass
class Score:
    name: str
    hits: int = 0
    predicted: int = 0
    gold: int = 0
    target: str = ""

    @property
    def precision(self) -> float:
        return self.hits / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.hits / self.gold if self.gold else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Share:
    """A share right (metadata fields, speakers, lines kept)."""

    name: str
    right: int = 0
    total: int = 0
    target: str = ""
    wrong: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.right / self.total if self.total else 1.0


@dataclass
class Timer:
    seconds: Counter = field(default_factory=Counter)

    def wrap(self, module, name: str, stage: str) -> None:
        original = getattr(module, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                self.seconds[stage] += time.perf_counter() - started

        setattr(module, name, timed)


def occurrences(text: str, surfaces: list[tuple[str, str, str]]) -> list[tuple[int, int, str, str]]:
    """Every whole-word occurrence of each surface (longest first, none overlapping):
    (start, end, type, id)."""
    taken: list[tuple[int, int]] = []
    found = []
    for surface, kind, identity in sorted(surfaces, key=lambda item: -len(item[0])):
        pattern = re.compile(r"(?<!\w)" + re.escape(surface) + r"(?!\w)")
        for match in pattern.finditer(text):
            if any(match.start() < end and start < match.end() for start, end in taken):
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), match.end(), kind, identity))
    return sorted(found)


OPENING_MARKS = "\"“‘'"


def quote_places(text: str, quotes: list[dict]) -> list[int]:
    """Where each of the key's quotes is in the text: the first occurrence of its words that is
    inside quotation marks and not taken by an earlier entry of the key (a phrase quoted twice
    is keyed twice), else its first occurrence; -1 when absent (approximate offsets, after
    normalising, where the words differ only in their typography)."""
    taken: set[int] = set()
    places = []
    for quote in quotes:
        words = quote["text"]
        found = [match.start() for match in re.finditer(re.escape(words), text)] if words else []
        if not found:
            places.append(normal(text).find(normal(words)))
            continue
        marked = [at for at in found if text[at - 1 : at] in OPENING_MARKS or words[:1] in OPENING_MARKS]
        free = [at for at in marked if at not in taken] or [at for at in found if at not in taken] or found
        taken.add(free[0])
        places.append(free[0])
    return places


def pairwise(assignments: list[tuple[str, int]]) -> tuple[int, int, int]:
    """(pairs in both, predicted pairs, gold pairs) for items given as (gold id, predicted id)."""

    def pairs(counter: Counter) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(assignments))
    return both, pairs(Counter(p for _, p in assignments)), pairs(Counter(g for g, _ in assignments))


def key_date(value: str | None) -> date | None:
    if not value:
        return None
    return datetime.fromisoformat(value).date() if "T" in value else date.fromisoformat(value)


def folders(args: argparse.Namespace) -> list[tuple[Path, Path]]:
    """The set's folders to import, one an event, each with the folder its keys are in: a corpus
    article's key is beside it; the seeds' keys are kept apart so that the seeds stay as shipped."""
    if args.only == "seeds":
        return [(args.seeds, args.seed_keys)]
    return [(folder, folder) for folder in sorted(p for p in args.corpus.iterdir() if p.is_dir())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--only", choices=tuple(SETS), help="score one set alone (both, one after the other, without it)"
    )
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "corpus")
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--seed-keys", type=Path, default=ROOT / "tests" / "seeds-key")
    parser.add_argument(
        "--entities",
        type=Path,
        help="load a curator's entity decisions (load_entities) into each scratch library before importing,"
        " as make seed does with curation/seeds.json",
    )
    parser.add_argument("--verbose", action="store_true", help="list what each stage got wrong")
    parser.add_argument(
        "--misses",
        action="store_true",
        help="list the entity marks that are wrong (not in the key, or the wrong type) and those missed, by surface",
    )
    parser.add_argument(
        "--cluster-options",
        action="store_true",
        help="also score other ways of deciding that two quotes are one statement (pairs across articles)",
    )
    args = parser.parse_args()
    if args.only is None:
        # Each set in a process of its own: a fresh library, and nothing learnt in memory kept.
        for which in SETS:
            subprocess.run([sys.executable, __file__, *sys.argv[1:], "--only", which], check=True)
        return

    scratch_django("readingroom-eval-")
    from django.core.management import call_command

    from readingroom.coverage.models import Quote, SharedPassage
    from readingroom.entities.models import Entity, Mention
    from readingroom.library.importing import UNKNOWN_SOURCE_NAME
    from readingroom.library.models import Document
    from readingroom.reader import ingest, jobs
    from readingroom.text.cleaning.metadata import is_untitled

    def said(value: str, *, nothing: str) -> str:
        """What the app shows when the file does not say (``nothing``) is the key's ""."""
        return "" if value == nothing else value

    timer = Timer()
    timer.wrap(jobs, "document_prepare", "reading and cleaning")
    timer.wrap(ingest, "find_spans_many", "entities: the model")
    timer.wrap(ingest, "document_extract_entities", "entities: linking and storing")
    timer.wrap(ingest, "document_quotes_extract", "quotes and clusters")
    timer.wrap(ingest, "document_passages_link", "shared passages")

    keys: dict[str, dict] = {}
    unkeyed: list[str] = []
    if args.entities:
        call_command("load_entities", str(args.entities), verbosity=0, stdout=io.StringIO())
    started = time.perf_counter()
    for folder, key_folder in folders(args):
        for path in sorted(folder.iterdir()):
            key_path = key_folder / f"{path.stem}.key.json"
            if path.suffix in SUFFIXES and not key_path.exists():
                unkeyed.append(path.name)
            elif path.suffix in SUFFIXES:
                keys[path.name] = {
                    **json.loads(key_path.read_text(encoding="utf-8")),
                    "event": folder.name,
                    "stem": path.stem,
                }
        call_command("import_documents", str(folder), verbosity=0, stdout=io.StringIO())
    total_seconds = time.perf_counter() - started
    documents = {d.original_filename: d for d in Document.objects.select_related("source")}
    missing = sorted(set(keys) - set(documents))
    words = sum(d.word_count for d in documents.values())

    wrong: dict[str, list[str]] = defaultdict(list)
    furniture = Score("furniture lines removed", target="≥ 95 % removed")
    article = Share("article lines kept", target="≥ 99 %")
    fields = {name: Share(f"{name} right", target="≥ 95 %") for name in ("title", "byline", "date", "publication")}
    header_twice = Share("articles without their header in the body", target="100 %")
    entities = Score("entity marks (span and type)", target="precision ≥ 95 %, recall ≥ 93 %")
    by_type: dict[str, Score] = defaultdict(lambda: Score(""))
    identity_all: list[tuple[str, int]] = []
    identity_people: list[tuple[str, int]] = []
    quotes = Score("quote spans", target="")
    speakers = Share("quote speakers right", target="≥ 95 %")
    quote_clusters: list[tuple[str, int]] = []
    cluster_members: dict[str, list[str]] = defaultdict(list)
    gold_cluster_of: dict[tuple[int, int], str] = {}
    entity_names = dict(Entity.objects.values_list("pk", "name"))
    entity_misses: dict[str, Counter] = defaultdict(Counter)
    miss_documents: dict[str, set[int]] = defaultdict(set)

    def guessed_speaker(entity_id: int | None) -> str:
        return entity_names.get(entity_id, "?") if entity_id else "none"

    passages_found = Score("shared passages", target="")

    by_stem = {key["stem"]: name for name, key in keys.items()}
    stem_of = {document.pk: Path(name).stem for name, document in documents.items()}
    for name, key in sorted(keys.items()):
        document = documents.get(name)
        if document is None:
            continue
        text = document.canonical_text
        blocks = [normal(block.text) for block in document.text_blocks()]
        body = normal(text)
        # Furniture and article lines.
        for line in key["furniture_lines"]:
            line_n = normal(line)
            kept = line_n in blocks or (len(line_n) >= 40 and line_n in body)
            furniture.gold += 1
            if not kept:
                furniture.hits += 1
            else:
                wrong["furniture kept"].append(f"{name}: {line[:90]}")
        furniture.predicted = furniture.gold
        for line in key["article_lines"]:
            article.total += 1
            if normal(line) in body:
                article.right += 1
            else:
                article.wrong.append(f"{name}: {line[:90]}")
        # Metadata.
        checks = {
            # "Untitled — <its opening words>" is the app saying the file has no headline.
            "title": loose("" if is_untitled(document.title) else document.title) == loose(key["title"]),
            "byline": names(document.byline) == names(key["byline"] or ""),
            "date": (document.published_at.date() if document.published_at else None) == key_date(key["published"]),
            "publication": loose(said(document.source.name, nothing=UNKNOWN_SOURCE_NAME)) == loose(key["publication"]),
        }
        for field_name, right in checks.items():
            fields[field_name].total += 1
            if right:
                fields[field_name].right += 1
            else:
                got = {
                    "title": document.title,
                    "byline": document.byline,
                    "date": document.published_at,
                    "publication": document.source.name,
                }[field_name]
                want = {
                    "title": key["title"],
                    "byline": key["byline"],
                    "date": key["published"],
                    "publication": key["publication"],
                }[field_name]
                fields[field_name].wrong.append(f"{name}: got {got!r}, want {want!r}")
        header_twice.total += 1
        if normal(key["title"]) in blocks:
            header_twice.wrong.append(name)
        else:
            header_twice.right += 1
        # Entities.
        gold = occurrences(text, [(e["text"], e["type"], e["id"]) for e in key["entities"]])
        gold_spans = {(s, e): (kind, identity) for s, e, kind, identity in gold}
        predicted = list(
            Mention.objects.shown().filter(document=document).values_list("start", "end", "entity__type", "entity_id")
        )
        entities.gold += len(gold)
        entities.predicted += len(predicted)
        entity_gold_ids: dict[int, Counter] = defaultdict(Counter)
        for start, end, kind, entity_id in predicted:
            expected = gold_spans.get((start, end))
            by_type[kind].predicted += 1
            if expected is not None and expected[0] == kind:
                entities.hits += 1
                by_type[kind].hits += 1
            if expected is not None and expected[0] != kind:
                entity_misses["wrong type"][f"{text[start:end]!r} ({kind}, want {expected[0]})"] += 1
                miss_documents[f"{text[start:end]!r} ({kind}, want {expected[0]})"].add(document.pk)
            elif expected is None:
                entity_misses["not in the key"][f"{text[start:end]!r} ({kind})"] += 1
                miss_documents[f"{text[start:end]!r} ({kind})"].add(document.pk)
            if expected is not None:
                identity_all.append((expected[1], entity_id))
                entity_gold_ids[entity_id][expected[1]] += 1
                if expected[0] == "person":
                    identity_people.append((expected[1], entity_id))
            elif args.verbose:
                wrong["entity marks not in the key"].append(f"{name}: {text[start:end]!r} ({kind})")
        predicted_spans = {(s, e) for s, e, _, _ in predicted}
        for start, end, kind, _ in gold:
            by_type[kind].gold += 1
            if (start, end) not in predicted_spans:
                entity_misses["missed"][f"{text[start:end]!r} ({kind})"] += 1
                miss_documents[f"{text[start:end]!r} ({kind})"].add(document.pk)
            if (start, end) not in predicted_spans and args.verbose:
                wrong["entities missed"].append(f"{name}: {text[start:end]!r} ({kind})")
        # Quotes.
        stored = list(Quote.objects.filter(document=document).values_list("start", "end", "speaker_id", "cluster_id"))
        quotes.predicted += len(stored)
        for quote, at in zip(key["quotes"], quote_places(text, key["quotes"]), strict=True):
            quotes.gold += 1
            span = (at, at + len(quote["text"]))
            match = next(
                (q for q in stored if min(q[1], span[1]) - max(q[0], span[0]) >= 0.8 * (span[1] - span[0])), None
            )
            if match is None:
                wrong["quotes missed"].append(f"{name}: {quote['text'][:80]}")
                continue
            quotes.hits += 1
            if quote["speaker"] is not None:
                speakers.total += 1
                speaker_ids = entity_gold_ids.get(match[2]) if match[2] else None
                guessed = speaker_ids.most_common(1)[0][0] if speaker_ids else None
                if guessed == quote["speaker"]:
                    speakers.right += 1
                else:
                    speakers.wrong.append(f"{name}: {quote['text'][:60]!r}: want {quote['speaker']}, got {guessed}")
            gold_cluster_of[(document.pk, match[0])] = quote["cluster"] or f"alone:{name}:{at}"
            if quote["cluster"] is not None:
                quote_clusters.append((quote["cluster"], match[3] or -hash((name, span))))
                cluster_members[quote["cluster"]].append(
                    f"{name}: {quote['text'][:60]!r} (cluster {match[3]}, speaker {guessed_speaker(match[2])})"
                )
        # Shared passages.
        links = list(SharedPassage.objects.filter(document=document).values_list("start", "end", "other_document_id"))
        for passage in key["shared"]:
            at = text.find(passage["text"])
            span = (at, at + len(passage["text"])) if at >= 0 else None
            for other_stem in passage["with"]:
                other = documents.get(by_stem.get(other_stem, ""))
                passages_found.gold += 1
                if span is None or other is None:
                    continue
                if any(
                    o == other.pk and min(e, span[1]) - max(s, span[0]) >= 0.5 * (span[1] - span[0])
                    for s, e, o in links
                ):
                    passages_found.hits += 1
                else:
                    wrong["shared passages missed"].append(f"{name} with {other_stem}: {passage['text'][:70]}")

    # Stored passages (between corpus articles) that the key has.
    stored_in_key = 0
    stored_total = 0
    for name, key in keys.items():
        document = documents.get(name)
        if document is None:
            continue
        text = document.canonical_text
        shared_spans = [(text.find(p["text"]), len(p["text"]), p["with"]) for p in key["shared"]]
        for start, end, other_id in SharedPassage.objects.filter(document=document).values_list(
            "start", "end", "other_document_id"
        ):
            stored_total += 1
            other_stem = stem_of.get(other_id, "")
            if any(at >= 0 and other_stem in w and min(end, at + n) - max(start, at) > 0 for at, n, w in shared_spans):
                stored_in_key += 1
            elif args.verbose:
                wrong["shared passages not in the key"].append(f"{name} with {other_stem}: {text[start:end][:70]}")

    both, predicted_pairs, gold_pairs = pairwise(identity_all)
    identity = Score("entity identity across articles (pairs)", both, predicted_pairs, gold_pairs, "")
    both, predicted_pairs, gold_pairs = pairwise(identity_people)
    people = Score("person identity (pairs)", both, predicted_pairs, gold_pairs, "≥ 95 % each")
    both, predicted_pairs, gold_pairs = pairwise(quote_clusters)
    clusters = Score("quote clusters (pairs)", both, predicted_pairs, gold_pairs, "recall ≥ 90 % at precision ≥ 95 %")

    print(
        f"\n# {SETS[args.only].capitalize()}\n\nReading Room evaluation, {datetime.now().strftime('%Y-%m-%d %H:%M')}:"
        f" {len(keys) - len(missing)} of {len(keys)} keyed articles imported"
        f" ({words:,} words in {total_seconds:.1f} s, {words / total_seconds:,.0f} words/s)"
    )
    if missing:
        print("not imported: " + ", ".join(missing))
    if unkeyed:
        print("imported without a key (not scored): " + ", ".join(unkeyed))
    print("\n| stage | precision | recall | F1 | target |\n|---|---:|---:|---:|---|")
    for score in (furniture, entities, identity, people, quotes, clusters):
        print(f"| {score.name} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} | {score.target} |")
    precision = stored_in_key / stored_total if stored_total else 1.0
    recall = passages_found.recall
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    print(f"| shared passages (stored in the key; key passages found) | {precision:.3f} | {recall:.3f} | {f1:.3f} | |")
    for kind, score in sorted(by_type.items()):
        print(f"| entity marks: {kind} | {score.precision:.3f} | {score.recall:.3f} | {score.f1:.3f} | |")
    print("\n| share right | value | target |\n|---|---:|---|")
    for share in (article, *fields.values(), header_twice, speakers):
        print(f"| {share.name} | {share.value:.3f} ({share.right}/{share.total}) | {share.target} |")
    print("\n| stage | seconds |\n|---|---:|")
    for stage, seconds in timer.seconds.items():
        print(f"| {stage} | {seconds:.1f} |")
    print_suggestions(args, documents)
    if args.cluster_options:
        print_cluster_options(gold_cluster_of)
    if args.misses:
        for heading in ("not in the key", "wrong type", "missed"):
            listed = entity_misses[heading]
            print(f"\n## entity marks {heading} ({sum(listed.values())})")
            for surface, count in listed.most_common():
                where = ", ".join(sorted(stem_of[pk] for pk in miss_documents[surface]))
                print(f"- {count} × {surface} in {where}")
    if args.verbose:
        for cluster, members in sorted(cluster_members.items()):
            found = {member.rsplit("(cluster ", 1)[1].split(",")[0] for member in members}
            if len(members) > 1 and (len(found) > 1 or "None" in found):
                wrong["quote clusters split"].extend([f"{cluster}:", *(f"  {member}" for member in members)])
        for share in (article, *fields.values(), header_twice, speakers):
            for line in share.wrong:
                wrong[share.name + ": wrong"].append(line)
        for heading, lines in wrong.items():
            print(f"\n## {heading} ({len(lines)})")
            for line in lines:
                print(f"- {line}")


def print_suggestions(args: argparse.Namespace, documents: dict) -> None:
    """Suggested links (#19) among each event's articles, as a compare page of them all would
    offer them: how many of each kind, and the disagreements judged against
    tests/corpus/suggestions.json (precision of those the key judges; how many of the key's real
    disagreements are suggested)."""
    from readingroom.reader.suggestions import DISAGREEMENT, PASSAGE, QUOTE, suggestions_among

    key = json.loads(SUGGESTIONS_KEY.read_text(encoding="utf-8"))
    event_of = {}
    for folder, _ in folders(args):
        event = "seeds" if args.only == "seeds" else folder.name
        for path in folder.iterdir():
            event_of[path.name] = event
    name_of = {document.pk: name for name, document in documents.items()}
    by_event: dict[str, list] = defaultdict(list)
    for name, document in sorted(documents.items()):
        if name in event_of:
            by_event[event_of[name]].append(document)
    judged = [pair for pair in key["pairs"] if pair["event"] in by_event]

    def matches(pair: dict, suggestion) -> bool:
        sides = [(name_of[p.document_id], normal(p.exact)) for p in suggestion.passages]

        def has(side: list[str], found: tuple[str, str]) -> bool:
            return side[0] == found[0] and normal(side[1]) in found[1]

        return len(sides) == 2 and (
            (has(pair["a"], sides[0]) and has(pair["b"], sides[1]))
            or (has(pair["a"], sides[1]) and has(pair["b"], sides[0]))
        )

    counts: Counter = Counter()
    real = wrong_ones = 0
    lines: list[str] = []
    found_real: set[int] = set()
    started = time.perf_counter()
    for event, event_documents in sorted(by_event.items()):
        for suggestion in suggestions_among(event_documents):
            counts[suggestion.kind] += 1
            if suggestion.kind != DISAGREEMENT:
                continue
            verdicts = [index for index, pair in enumerate(judged) if matches(pair, suggestion)]
            where = " / ".join(f"{name_of[p.document_id]}: {p.exact[:90]}" for p in suggestion.passages)
            if not verdicts:
                lines.append(f"NOT IN THE KEY ({event}) {suggestion.reason}: {where}")
                continue
            if judged[verdicts[0]]["real"]:
                real += 1
                found_real.add(verdicts[0])
                lines.append(f"real ({event}) {suggestion.reason}: {where}")
            else:
                wrong_ones += 1
                lines.append(f"NOT REAL ({event}) {suggestion.reason} [{judged[verdicts[0]]['why']}]: {where}")
    seconds = time.perf_counter() - started
    in_key = real + wrong_ones
    key_real = [index for index, pair in enumerate(judged) if pair["real"]]
    precision = f"{real / in_key:.3f} ({real}/{in_key})" if in_key else "n/a (none suggested)"
    print("\n| suggested links (#19), every event's articles together | value |\n|---|---:|")
    print(f"| same-quote suggestions | {counts[QUOTE]} |")
    print(f"| shared-passage suggestions | {counts[PASSAGE]} |")
    print(f"| disagreement suggestions | {counts[DISAGREEMENT]} |")
    print(f"| disagreements: precision (judged by tests/corpus/suggestions.json) | {precision} |")
    print(f"| disagreements suggested that the key does not judge | {counts[DISAGREEMENT] - in_key} |")
    print(f"| the key's real disagreements suggested | {len(found_real)}/{len(key_real)} |")
    print(f"| seconds to work out every suggestion | {seconds:.2f} |")
    if args.verbose:
        missed = [judged[index] for index in key_real if index not in found_real]
        print(f"\n## disagreement suggestions ({len(lines)})")
        for line in lines:
            print(f"- {line}")
        print(f"\n## real disagreements in the key not suggested ({len(missed)})")
        for pair in missed:
            print(
                f"- ({pair['event']}) {pair['why']}: {pair['a'][0]} “{pair['a'][1]}” / {pair['b'][0]} “{pair['b'][1]}”"
            )


def print_cluster_options(gold_cluster_of: dict[tuple[int, int], str]) -> None:
    """Pairwise precision and recall (after joining chains, as the app does) of other rules for
    "these two quotes of different articles are one statement", on the quotes the key has."""
    from rapidfuzz import fuzz

    from readingroom.coverage.grouping import DisjointSets
    from readingroom.coverage.models import Quote
    from readingroom.coverage.quotes import (
        SAME_SPEAKER_STATEMENT,
        SAME_STATEMENT,
        close_in_time,
        normalised_words,
        shares_enough_words,
        similarity,
    )
    from readingroom.text.fingerprints import quote_fingerprints

    quotes = [
        q
        for q in Quote.objects.select_related("document").order_by("pk")
        if (q.document_id, q.start) in gold_cluster_of
    ]
    gold = [gold_cluster_of[(q.document_id, q.start)] for q in quotes]
    words = [quote_fingerprints(q.text) for q in quotes]
    pairs = [
        (i, j)
        for i in range(len(quotes))
        for j in range(i + 1, len(quotes))
        if quotes[i].document_id != quotes[j].document_id
    ]

    def allowed(i: int, j: int, *, word_test: bool = True) -> bool:
        a, b = quotes[i], quotes[j]
        if a.speaker_id and b.speaker_id and a.speaker_id != b.speaker_id:
            return False
        return close_in_time(a, b) and (not word_test or shares_enough_words(words[i], words[j]))

    def with_speaker(i: int, j: int) -> bool:
        return bool(quotes[i].speaker_id) and quotes[i].speaker_id == quotes[j].speaker_id

    def ratio(measure, i: int, j: int) -> float:
        return measure(normalised_words(quotes[i].text), normalised_words(quotes[j].text))

    options = {
        f"today: token set+sort mean ≥ {SAME_SPEAKER_STATEMENT:.0f} same speaker, ≥ {SAME_STATEMENT:.0f} otherwise": lambda i, j: (
            allowed(i, j)
            and similarity(quotes[i].text, quotes[j].text)
            >= (SAME_SPEAKER_STATEMENT if with_speaker(i, j) else SAME_STATEMENT)
        ),
        "token set+sort mean ≥ 50 same speaker, ≥ 65 otherwise": lambda i, j: (
            allowed(i, j) and similarity(quotes[i].text, quotes[j].text) >= (50 if with_speaker(i, j) else 65)
        ),
        "partial_ratio ≥ 70 same speaker, ≥ 85 otherwise": lambda i, j: (
            allowed(i, j) and ratio(fuzz.partial_ratio, i, j) >= (70 if with_speaker(i, j) else 85)
        ),
        "WRatio ≥ 70 same speaker, ≥ 85 otherwise": lambda i, j: (
            allowed(i, j) and ratio(fuzz.WRatio, i, j) >= (70 if with_speaker(i, j) else 85)
        ),
        "content words shared ≥ 40 % of the shorter same speaker, ≥ 70 % otherwise": lambda i, j: (
            allowed(i, j)
            and len(words[i] & words[j]) / max(1, min(len(words[i]), len(words[j])))
            >= (0.4 if with_speaker(i, j) else 0.7)
        ),
        "same speaker and date alone, token set+sort mean ≥ 45, no shared-word test": lambda i, j: (
            with_speaker(i, j) and allowed(i, j, word_test=False) and similarity(quotes[i].text, quotes[j].text) >= 45
        ),
    }
    print(f"\n{len(quotes)} quotes of the key, {len(pairs)} pairs across articles\n")
    print("| one statement when | precision | recall | µs a pair |\n|---|---:|---:|---:|")
    for name, decide in options.items():
        started = time.perf_counter()
        sets = DisjointSets(len(quotes))
        for i, j in pairs:
            if decide(i, j):
                sets.union(i, j)
        seconds = time.perf_counter() - started
        found = {index: min(group) for group in sets.groups() for index in group}
        predicted = [(gold[index], found[index]) for index in range(len(quotes))]
        both, predicted_pairs, gold_pairs = pairwise(predicted)
        score = Score(name, both, predicted_pairs, gold_pairs)
        print(f"| {name} | {score.precision:.3f} | {score.recall:.3f} | {seconds / max(1, len(pairs)) * 1e6:.1f} |")


if __name__ == "__main__":
    main()
