"""Sentences of a document's text, as the comparison of sources sees them: split at a sentence's
closing punctuation followed by a capital, inside each paragraph, leaving out the blocks that are
not prose (datelines, labels, bylines)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

SKIPPED_BLOCKS = frozenset({"dateline", "label", "byline"})
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"”’)]?\s+(?=[A-Z“\"‘(])")


def sentence_spans(text: str, blocks: Iterable[Mapping[str, Any]]) -> list[tuple[int, int]]:
    """(start, end) of each sentence: offsets into ``text``, whose paragraphs ``blocks`` gives
    as a document stores them (``kind``, ``start``, ``end``)."""
    found = []
    for block in blocks:
        if block["kind"] in SKIPPED_BLOCKS:
            continue
        block_start = block["start"]
        block_text = text[block_start : block["end"]]
        position = 0
        for part in _SENTENCE_BREAK.split(block_text):
            offset = block_text.find(part, position)
            position = offset + len(part)
            if part.strip():
                found.append((block_start + offset, block_start + position))
    return found
