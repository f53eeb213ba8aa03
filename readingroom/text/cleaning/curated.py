"""Lines a curator removed from a source ("remove lines like this one"): the shape a line is
matched by, the blocks a set of shapes takes out of an article, and how to put them back.

A rule is data (the shapes come from the library's ``SourceLineRule`` rows); this module only
computes with strings, so the importer and the curator's retroactive edit apply a rule the same
way.

The shape of a line generalises what changes from page to page of one publication and keeps
the rest: letters are case-folded, runs of spaces become one, curly quotes straight; every
number (``5``, ``12:30``, ``1,200``, ``18.02``) becomes ``#``, a plural word right after a number
is made singular ("5 minutes" and "1 minute" are both ``# minute``), "a.m."/"p.m." after a number
disappear into it, and weekday and month names (full or short) become ``<day>`` and
``<month>``. So "Updated 5 minutes ago" also matches "Updated 12 minutes ago", and "Last
modified on Wed 13 Sep 2023 18.02 BST" the same stamp on any other day. A rule matches a whole
block (a paragraph, heading or list item as the reader shows it), never words inside one: a
sentence of the article that merely contains the line is left alone.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass

from .blocks import Block

# The longest line a rule may be made from: furniture is short; a whole article paragraph
# repeated word for word across a source is rare and still fits.
MAX_RULE_LINE = 500

_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"'})
_TIME_OF_DAY = re.compile(r"(\d)\s*(?:a\.?m\.?|p\.?m\.?)(?!\w)")
_NUMBER = re.compile(r"\d+(?:[.,:]\d+)*")
_PLURAL_AFTER_NUMBER = re.compile(r"# (\w+?)s\b")
_DAYS = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\b\.?"
)
_MONTHS = re.compile(
    r"\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\b\.?"
)


def line_shape(text: str) -> str:
    """What a rule made from ``text`` matches (see the module's docstring)."""
    shape = " ".join(text.split()).casefold().translate(_QUOTES)
    shape = _TIME_OF_DAY.sub(r"\1", shape)
    shape = _NUMBER.sub("#", shape)
    shape = _PLURAL_AFTER_NUMBER.sub(r"# \1", shape)
    shape = _DAYS.sub("<day>", shape)
    shape = _MONTHS.sub("<month>", shape)
    return shape


@dataclass(frozen=True)
class CuratedRemoval:
    """A block a rule took out: ``position`` is its index in the article's blocks before any was
    taken out, ``after`` the text of the nearest block above it that stayed ("" at the top), where
    it goes back when the rule is turned off."""

    shape: str
    block: Block
    position: int
    after: str


def remove_curated_lines(blocks: Sequence[Block], shapes: Collection[str]) -> tuple[list[Block], list[CuratedRemoval]]:
    """The blocks whose whole text has one of ``shapes`` taken out, and what was taken."""
    if not shapes:
        return list(blocks), []
    kept: list[Block] = []
    removed: list[CuratedRemoval] = []
    for position, block in enumerate(blocks):
        shape = line_shape(block.text)
        if shape in shapes:
            removed.append(CuratedRemoval(shape, block, position, kept[-1].text if kept else ""))
        else:
            kept.append(block)
    return kept, removed


def restore_curated_lines(blocks: Sequence[Block], removals: Sequence[CuratedRemoval]) -> list[Block]:
    """``blocks`` with ``removals`` put back: each after the first block that has its ``after``
    text (in their old order when several follow the same one), at the top when it had none
    above it, and at its old position when that block has gone since (another rule, an edit)."""
    ordered = sorted(removals, key=lambda removal: removal.position)
    waiting: dict[str, list[CuratedRemoval]] = defaultdict(list)
    for removal in ordered:
        waiting[removal.after].append(removal)
    restored = [removal.block for removal in waiting.pop("", [])]
    for block in blocks:
        restored.append(block)
        restored += [removal.block for removal in waiting.pop(block.text, [])]
    for removal in sorted((r for pending in waiting.values() for r in pending), key=lambda r: r.position):
        restored.insert(min(removal.position, len(restored)), removal.block)
    return restored
