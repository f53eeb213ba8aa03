"""Step 2 for plain text: split the line groups into paragraphs, one per line, or one per run
of lines when the file is hard-wrapped. ``_Para`` is the working paragraph every later step
reads and marks up."""

import re
from dataclasses import dataclass
from datetime import datetime
from itertools import pairwise


@dataclass
class _Para:
    text: str
    group: int  # index of the blank-line separated group it came from
    lines: list[str]  # the normalised source lines (reported when removed)
    kind: str = "paragraph"
    published_at: datetime | None = None
    # Recognised structure (entry headings, labels, bylines, subheadings) is
    # never treated as boilerplate.
    structural: bool = False
    image_only: bool = False  # a Markdown line that was nothing but an image


_BULLET = re.compile(r"^[•\-*–▪◦·‣●]\s+(?P<text>.+)$")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s+(?P<text>.+)$")
# "- Tactical gains -", "== Background ==": the same decoration on both sides.
_DECORATED_HEADING = re.compile(r"^(?P<mark>[-–—=*~#]{1,3})\s+(?P<text>.+?)\s+(?P=mark)$")

HARD_WRAP_MAX_LINE = 100


def _plain_paragraphs(groups: list[list[str]]) -> list[_Para]:
    width = _hard_wrap_width(groups)
    paras = []
    for index, group in enumerate(groups):
        chunks = _unwrap(group, width) if width else [[line] for line in group]
        for chunk in chunks:
            paras.append(_Para(text=_join_lines(chunk), group=index, lines=chunk))
    return paras


def _hard_wrap_width(groups: list[list[str]]) -> int | None:
    """Return the wrap width when the text is hard-wrapped, else None.

    Hard-wrapped text has (almost) no long lines, and most line breaks inside
    a group are "soft": the line before is nearly full or the next line
    continues a sentence in lower case.
    """
    lines = [line for group in groups for line in group]
    if len(lines) < 4:
        return None
    long_lines = sum(len(line) >= HARD_WRAP_MAX_LINE for line in lines)
    if long_lines > len(lines) * 0.1:
        return None
    width = max(len(line) for line in lines)
    breaks = [(a, b) for group in groups for a, b in pairwise(group)]
    soft = sum(_is_soft_break(a, b, width) for a, b in breaks)
    if soft < 2 or soft * 2 < len(breaks):
        return None
    return width


def _is_soft_break(before: str, after: str, width: int) -> bool:
    if _starts_own_paragraph(after):
        return False
    if after[:1].islower():
        return True
    return len(before) >= 0.6 * width


def _starts_own_paragraph(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERED.match(line) or _DECORATED_HEADING.match(line))


def _unwrap(group: list[str], width: int) -> list[list[str]]:
    """Group the lines of a hard-wrapped block into paragraphs."""
    chunks: list[list[str]] = []
    for line in group:
        if chunks and _is_soft_break(chunks[-1][-1], line, width):
            chunks[-1].append(line)
        else:
            chunks.append([line])
    return chunks


def _join_lines(lines: list[str]) -> str:
    text = lines[0]
    for line in lines[1:]:
        # "co-" + "operation": keep the hyphen, drop the space.
        if re.search(r"[^\W\d_]-$", text) and line[:1].islower():
            text += line
        else:
            text += " " + line
    return text
