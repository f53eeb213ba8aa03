"""Step 1: normalise whitespace and invisible characters, keeping the letters, quotes and
dashes exactly as they are, and cut the text into blank-line separated groups of lines."""

import re
import unicodedata

# Zero-width and formatting characters that are invisible but break matching.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u200b\u200c\u2060\ufeff\u00ad\u200e\u200f\u202a\u202b\u202c\u202d\u202e"),
    None,
)
# Every kind of horizontal space (tabs, no-break spaces, thin spaces …) becomes one space.
_SPACES = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")


def _normalise_lines(raw: str) -> list[str]:
    """Unify line endings and spaces; strip every line; drop control characters. Letters,
    quotes and dashes are left untouched (no NFKC: it would turn "…" into "...")."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2028", "\n").replace("\u2029", "\n\n")
    # A form feed is a page break, which ends a paragraph; a vertical tab (Word's manual line
    # break) and NEL end a line. Read as a space or dropped like the other control characters
    # below, they would run two paragraphs (or two words) together.
    text = text.replace("\f", "\n\n").replace("\v", "\n").replace("\x85", "\n")
    text = text.translate(_INVISIBLE)
    lines = []
    for line in text.split("\n"):
        line = _SPACES.sub(" ", line)
        line = "".join(ch for ch in line if unicodedata.category(ch) != "Cc")
        lines.append(line.strip())
    return lines


def _line_groups(lines: list[str]) -> list[list[str]]:
    """Split lines into groups separated by blank lines."""
    groups: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line:
            current.append(line)
        elif current:
            groups.append(current)
            current = []
    if current:
        groups.append(current)
    return groups
