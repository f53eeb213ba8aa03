"""Small predicates on one line of text that the structure, furniture and metadata rules
share: does it end a sentence or a clause, look like a headline or a menu fragment, read as a
person's name or a list of names."""

import re

_CLOSERS = "\"'”’»)]"


def _last_char(text: str) -> str:
    stripped = text.rstrip(_CLOSERS + " ")
    return stripped[-1:] if stripped else ""


def _ends_sentence(text: str) -> bool:
    return _last_char(text) in (".", "!", "?", "…")


def _ends_clause(text: str) -> bool:
    """Ends like prose rather than like a heading ("?" is fine in a heading)."""
    return _last_char(text) in (".", "…", ",", ";", ":")


def _word_count(text: str) -> int:
    return len(text.split())


def _is_headline_like(text: str) -> bool:
    """Title Case line without sentence punctuation, e.g. a teaser headline."""
    words = text.split()
    if not 2 <= len(words) <= 16 or len(text) > 120:
        return False
    if _ends_sentence(text) or _ends_clause(text):
        return False
    significant = [w.strip(_CLOSERS + "\"“‘'(,") for w in words]
    significant = [w for w in significant if len(w) > 3]
    if not significant:
        return False
    capitalised = sum(w[0].isupper() for w in significant)
    return capitalised / len(significant) >= 0.6


def _is_fragment(text: str) -> bool:
    """Short line that is not a sentence: menu items, section names, names."""
    return (_word_count(text) <= 8 and not _ends_sentence(text)) or _is_headline_like(text)


_NAME_PARTICLES = {"de", "van", "von", "der", "den", "da", "di", "la", "le", "du", "bin", "al", "el", "dos"}
_NAME_SEPARATORS = re.compile(r"\s*,\s*and\s+|\s*,\s*|\s+and\s+|\s*&\s*")


def _looks_like_name(text: str) -> bool:
    words = text.split()
    if not 2 <= len(words) <= 4:
        return False
    for word in words:
        if word.lower() in _NAME_PARTICLES:
            continue
        if not word[0].isupper() or not all(ch.isalpha() or ch in "-'’." for ch in word):
            return False
    return True


def _looks_like_name_list(text: str) -> bool:
    names = _NAME_SEPARATORS.split(text.strip().rstrip("."))
    return 1 <= len(names) <= 6 and all(_looks_like_name(name) for name in names)


_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)
# "March 26, 2024", "26 March 2024", "2024-03-26", "26/03/2024": a line that dates the article.
_DATE_IN_LINE = re.compile(
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b"
)


def _is_header_line(text: str) -> bool:
    """A byline ("By …", "Compiled by …") or a short line that dates the article: metadata, never page chrome,
    whatever sits next to it."""
    text = text.strip()
    by = re.match(r"^(?:By|(?:Compiled|Curated|Written|Reported|Edited|Produced) by)\s+\S", text)
    return _word_count(text) <= 20 and bool(by or _DATE_IN_LINE.search(text))
