"""The key `make eval` judges disagreement suggestions by (tests/corpus/suggestions.json, #19) is
well-formed: it says its criteria, and each side of each pair names an article of its event and
words that article has."""

import json
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KEY = ROOT / "tests" / "corpus" / "suggestions.json"


def plain(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "}))
    return " ".join(text.split())


def article(event: str, name: str) -> Path:
    return ROOT / "seeds" / name if event == "seeds" else ROOT / "tests" / "corpus" / event / name


def test_the_key_says_how_it_judges_and_every_pair_is_in_its_articles():
    key = json.loads(KEY.read_text(encoding="utf-8"))
    assert len(key["criteria"]) >= 3 and all(isinstance(line, str) and line for line in key["criteria"])
    assert any(pair["real"] for pair in key["pairs"]) and not all(pair["real"] for pair in key["pairs"])
    seen = set()
    for pair in key["pairs"]:
        assert set(pair) == {"event", "a", "b", "real", "why"} and isinstance(pair["real"], bool) and pair["why"]
        sides = []
        for name, words in (pair["a"], pair["b"]):
            path = article(pair["event"], name)
            assert path.exists(), path
            assert plain(words) in plain(path.read_text(encoding="utf-8")), (name, words)
            sides.append((name, words))
        assert sides[0][0] != sides[1][0], "a disagreement is between two articles"
        assert frozenset(sides) not in seen, f"judged twice: {sides}"
        seen.add(frozenset(sides))
