"""Turning a document's canonical text into reader HTML, with highlights.

Every block element carries ``data-start``/``data-end``: its range in the canonical text. Inside
the blocks there is the canonical text and nothing else, wrapped in highlight elements where
marks cover it, so the browser can turn a selection into offsets and a test can check that the
text content is exactly the canonical text. Overlapping marks are split so that the HTML stays
well formed: a mark that starts inside another and ends outside it becomes two elements.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from itertools import pairwise

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_TAGS = {
    "heading": "h3",
    "paragraph": "p",
    "item": "li",
    "dateline": "p",
    "label": "p",
    "byline": "p",
}


@lru_cache(maxsize=65536)
def _opening_tag(tag: str, attrs: tuple[tuple[str, str], ...], continued: bool) -> str:
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in attrs if not (continued and name == "id"))
    return f"<{tag}{attributes}>"


@dataclass(frozen=True)
class TextBlock:
    """One paragraph-like piece of a document: a range of its canonical text."""

    kind: str
    start: int
    end: int
    text: str
    published_at: datetime | None = None


@dataclass(frozen=True)
class Mark:
    """A highlight over ``start``–``end`` of the canonical text."""

    start: int
    end: int
    attrs: tuple[tuple[str, str], ...] = field(default=())
    tag: str = "mark"

    def open_tag(self, *, continued: bool = False) -> str:
        # A mark split around another one repeats its attributes, but an id only once.
        return _opening_tag(self.tag, self.attrs, continued)

    def close_tag(self) -> str:
        return f"</{self.tag}>"


def _marked_text(text: str, offset: int, marks: Sequence[Mark]) -> str:
    """``text`` (which starts at ``offset`` in the canonical text) with the marks that cover it.

    A sweep from boundary to boundary keeps the active marks in nesting order (earlier start,
    then longer, so that splitting is kept to a minimum): each boundary only drops the marks
    that end there and adds the ones that start there, instead of scanning every mark again.
    """
    end = offset + len(text)
    inside = [m for m in marks if m.start < end and m.end > offset and m.end > m.start]
    if not inside:
        return escape(text)
    starting: dict[int, list[Mark]] = {}
    for mark in inside:
        starting.setdefault(max(mark.start, offset), []).append(mark)
    boundaries = sorted({offset, end} | set(starting) | {min(m.end, end) for m in inside})
    parts: list[str] = []
    stack: list[Mark] = []
    active: list[Mark] = []
    opened: set[int] = set()
    for left, right in pairwise(boundaries):
        active = [m for m in active if m.end > left]
        if left in starting:
            active.extend(sorted(starting[left], key=lambda m: (m.start, -m.end)))
            active.sort(key=lambda m: (m.start, -m.end))
        common = 0
        while common < len(stack) and common < len(active) and stack[common] is active[common]:
            common += 1
        for mark in reversed(stack[common:]):
            parts.append(mark.close_tag())
        for mark in active[common:]:
            parts.append(mark.open_tag(continued=id(mark) in opened))
            opened.add(id(mark))
        stack = list(active)
        parts.append(escape(text[left - offset : right - offset]))
    for mark in reversed(stack):
        parts.append(mark.close_tag())
    return "".join(parts)


def _block_html(block: TextBlock, marks: Sequence[Mark], entry_time: datetime | None = None) -> str:
    tag = _TAGS.get(block.kind, "p")
    text = _marked_text(block.text, block.start, marks)
    if block.kind == "dateline" and entry_time is not None:
        text = f'<time datetime="{entry_time.isoformat()}">{text}</time>'
    return f'<{tag} class="block block--{block.kind}" data-start="{block.start}" data-end="{block.end}">{text}</{tag}>'


def _marks_by_block(blocks: Sequence[TextBlock], marks: Iterable[Mark]) -> list[list[Mark]]:
    """For each block, the marks that cover part of it (a mark may cover several blocks)."""
    starts = [block.start for block in blocks]
    per_block: list[list[Mark]] = [[] for _ in blocks]
    for mark in marks:
        index = max(bisect_right(starts, mark.start) - 1, 0)
        while index < len(blocks) and blocks[index].start < mark.end:
            if blocks[index].end > mark.start:
                per_block[index].append(mark)
            index += 1
    return per_block


def blocks_html(blocks: Sequence[TextBlock], marks: Iterable[Mark] = ()) -> SafeString:
    """The blocks of a document as HTML, consecutive items grouped into one list."""
    parts: list[str] = []
    in_list = False
    entry_time: datetime | None = None
    for block, block_marks in zip(blocks, _marks_by_block(blocks, marks), strict=True):
        if block.kind == "heading":
            # A live page's entry heading carries its time; its dateline shows it.
            entry_time = block.published_at
        if block.kind == "item" and not in_list:
            parts.append('<ul class="items">')
            in_list = True
        elif block.kind != "item" and in_list:
            parts.append("</ul>")
            in_list = False
        parts.append(_block_html(block, block_marks, entry_time))
    if in_list:
        parts.append("</ul>")
    return mark_safe("\n".join(parts))
