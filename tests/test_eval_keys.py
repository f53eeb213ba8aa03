"""The gold keys `make eval` scores against (bench/eval.py) are well-formed: the development
corpus's (tests/corpus/<event>/<name>.key.json) and the seeds' (tests/seeds-key/<name>.key.json,
for seeds/<name>.txt). A seed's key accounts for every non-empty line of its file exactly once,
in order, as article text or furniture (format in tests/corpus/README.md and
tests/seeds-key/README.md)."""

import json
import re
from datetime import date, datetime
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "corpus"
SEEDS = ROOT / "seeds"
SEED_KEYS = ROOT / "tests" / "seeds-key"
SUFFIXES = (".txt", ".md", ".html", ".htm")

KINDS = {"live blog", "wire", "reprint", "aggregator", "local", "press release", "transcript", "opinion"}
TYPES = {"person", "organisation", "place", "facility", "group", "date", "event", "other"}
IDENTITY = re.compile(r"^([a-z]+):[a-z0-9]+(?:-[a-z0-9]+)*$")
# What a line may carry besides its pieces: list markup a reader does not read as text (a
# bullet, "3." or "3)" numbering, the dashes around a wire crosshead) and spaces.
MARKUP = re.compile(r"^(?:\s|•|-|\d+[.)](?=\s))*$")

SEED_FILES = sorted(p for p in SEEDS.iterdir() if p.suffix in SUFFIXES)
CORPUS_FILES = sorted(p for p in CORPUS.glob("*/*") if p.suffix in SUFFIXES)


def seed_key(path: Path) -> dict:
    return json.loads((SEED_KEYS / f"{path.stem}.key.json").read_text(encoding="utf-8"))


def corpus_key(path: Path) -> dict:
    return json.loads(path.with_suffix(".key.json").read_text(encoding="utf-8"))


def file_lines(path: Path) -> list[str]:
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def whole_word(surface: str, text: str) -> bool:
    return re.search(r"(?<!\w)" + re.escape(surface) + r"(?!\w)", text) is not None


def walk(lines: list[str], article: list[str], furniture: list[str]) -> tuple[list[str], list[str]]:
    """Account for ``lines`` (a file's non-empty lines) with the key's two lists: each line must
    be its pieces, taken in order from either list, with nothing but markup between and around
    them, and every piece must be used once. Returns the problems, and each line as a reader
    reads it (its article pieces joined up again)."""
    problems: list[str] = []
    read: list[str] = []
    lists = {"article": article, "furniture": furniture}
    at = {"article": 0, "furniture": 0}
    for number, line in enumerate(lines, 1):
        cursor, used, text = 0, 0, []
        while True:
            fits = []
            for name, pieces in lists.items():
                if at[name] < len(pieces) and pieces[at[name]]:
                    found = line.find(pieces[at[name]], cursor)
                    if found >= 0 and MARKUP.match(line[cursor:found]):
                        fits.append((found, name))
            if not fits:
                break
            found, name = min(fits)
            if name == "article":
                text.append(lists[name][at[name]])
            cursor = found + len(lists[name][at[name]])
            at[name] += 1
            used += 1
        if not used or not MARKUP.match(line[cursor:]):
            problems.append(f"line {number} not accounted for: {line[cursor:][:80]!r}")
            break
        if text:
            # Pieces cut around furniture inside a sentence (", external") join up again.
            read.append("".join(piece if piece[:1] in ".,;:!?" else " " + piece for piece in text).strip())
    for name, pieces in lists.items():
        if at[name] < len(pieces) and not problems:
            problems.append(f"{name} line not in the file (or out of order): {pieces[at[name]][:80]!r}")
    return problems, read


def uncovered_lines(lines: list[str], article: list[str], furniture: list[str]) -> list[str]:
    return walk(lines, article, furniture)[0]


def key_problems(key: dict, *, others: set[str], text: str | None = None) -> list[str]:
    """What is wrong with a key's fields, whatever its file (``others``: the names its shared
    passages may point to; ``text``: the article text as read, when not its lines joined)."""
    problems: list[str] = []
    expected = {"kind", "title", "byline", "published", "publication", "article_lines", "furniture_lines"}
    expected |= {"entities", "quotes", "shared"}
    if set(key) != expected:
        return [f"fields {sorted(set(key) ^ expected)}"]
    if key["kind"] not in KINDS:
        problems.append(f"kind {key['kind']!r}")
    for name in ("title", "byline", "publication"):
        if not isinstance(key[name], str) or key[name] != key[name].strip():
            problems.append(f"{name} {key[name]!r}")
    if key["published"] is not None:
        try:
            if "T" in key["published"]:
                datetime.fromisoformat(key["published"])
            else:
                date.fromisoformat(key["published"])
        except (TypeError, ValueError):
            problems.append(f"published {key['published']!r}")
    text = "\n".join(key["article_lines"]) if text is None else text
    surfaces = [entity["text"] for entity in key["entities"]]
    if len(surfaces) != len(set(surfaces)):
        problems.append("a surface listed twice")
    identities = set()
    for entity in key["entities"]:
        match = IDENTITY.match(entity["id"])
        if entity["type"] not in TYPES or not match or match.group(1) != entity["type"]:
            problems.append(f"entity {entity}")
        if not whole_word(entity["text"], text):
            problems.append(f"entity not in the article text: {entity['text']!r}")
        identities.add(entity["id"])
    for quote in key["quotes"]:
        if not quote["text"] or quote["text"] not in text:
            problems.append(f"quote not in the article text: {quote['text'][:60]!r}")
        if quote["speaker"] is not None and quote["speaker"] not in identities:
            problems.append(f"speaker not an entity of the article: {quote['speaker']!r}")
        if quote["cluster"] is not None and not re.match(r"^statement:[a-z0-9-]+$", quote["cluster"]):
            problems.append(f"cluster {quote['cluster']!r}")
    for passage in key["shared"]:
        if passage["text"] not in text:
            problems.append(f"shared passage not in the article text: {passage['text'][:60]!r}")
        if not passage["with"] or not set(passage["with"]) <= others:
            problems.append(f"shared with {passage['with']}")
    return problems


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_a_seed_key_is_well_formed(path):
    others = {other.stem for other in SEED_FILES} - {path.stem}
    key = seed_key(path)
    text = "\n".join(walk(file_lines(path), key["article_lines"], key["furniture_lines"])[1])
    assert key_problems(key, others=others, text=text) == []


@pytest.mark.parametrize("path", SEED_FILES, ids=lambda path: path.stem)
def test_a_seed_key_accounts_for_every_line_of_its_file_once(path):
    key = seed_key(path)
    assert uncovered_lines(file_lines(path), key["article_lines"], key["furniture_lines"]) == []


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.stem)
def test_a_corpus_key_is_well_formed(path):
    others = {other.stem for other in path.parent.iterdir() if other.suffix in SUFFIXES} - {path.stem}
    assert key_problems(corpus_key(path), others=others) == []


def test_every_key_file_belongs_to_an_article():
    stems = {path.stem for path in SEED_FILES}
    assert {path.name.removesuffix(".key.json") for path in SEED_KEYS.glob("*.key.json")} == stems
    for key in CORPUS.glob("*/*.key.json"):
        assert any(key.with_name(key.name.removesuffix(".key.json") + suffix).exists() for suffix in SUFFIXES), key


def test_an_identity_has_one_type_across_the_seeds():
    types: dict[str, set[str]] = {}
    for path in SEED_FILES:
        for entity in seed_key(path)["entities"]:
            types.setdefault(entity["id"], set()).add(entity["type"])
    assert {identity: kinds for identity, kinds in types.items() if len(kinds) > 1} == {}


def test_a_line_left_out_listed_twice_or_out_of_order_is_caught():
    lines = ["Menu", "• First paragraph, link.", "3. Heading glued to a timepublished at 10:00", "Last paragraph."]
    article = ["First paragraph", ".", "Heading glued to a time", "10:00", "Last paragraph."]
    furniture = ["Menu", ", link", "published at"]
    assert walk(lines, article, furniture) == (
        [],
        ["First paragraph.", "Heading glued to a time 10:00", "Last paragraph."],
    )
    assert uncovered_lines(lines, article[:-1], furniture) != []  # a line left out
    assert uncovered_lines(lines, [*article, "Last paragraph."], furniture) != []  # listed twice
    assert uncovered_lines(lines, [article[1], article[0], *article[2:]], furniture) != []  # out of order
    assert uncovered_lines(lines, article, ["Menu"]) != []  # a piece of a line left out
