"""What cleaning produces: typed ``Block``s in a ``CleanedArticle``, and the last inline
clean-up (step 5) as the kept paragraphs become blocks."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from .normalising import _SPACES
from .paragraphs import _Para

if TYPE_CHECKING:
    from .curated import CuratedRemoval

BLOCK_KINDS = ("heading", "paragraph", "item", "dateline", "label", "byline")


@dataclass(frozen=True)
class Block:
    kind: str  # one of BLOCK_KINDS
    text: str  # cleaned text, no leading/trailing whitespace, no newlines inside
    published_at: datetime | None = None  # only on the heading of a live-page entry (UTC)

    def __post_init__(self) -> None:
        if self.kind not in BLOCK_KINDS:
            raise ValueError(f"unknown block kind {self.kind!r}")


@dataclass
class CleanedArticle:
    blocks: list[Block]
    title: str  # never empty
    byline: str  # "" when the file does not say
    publication: str  # "" when the file does not say
    published_at: datetime | None  # aware (UTC) or None
    removed: list[str] = field(default_factory=list)  # lines removed as boilerplate, in order
    curated: list[CuratedRemoval] = field(default_factory=list)  # taken out by a source's line rules


# BBC marks links to other sites with ", external" glued to the link text:
# "with Chinese ammunition, external. It's" -> "with Chinese ammunition. It's".
# Only before punctuation or a closing quote, so "internal, external, and" stays.
_EXTERNAL_LINK_MARKER = re.compile(r",\s*external(?=(?:[.;:!?)\]”\"’]|,\s*[”\"’]|$))")


def _to_blocks(paras: list[_Para]) -> list[Block]:
    blocks = []
    for para in paras:
        text = _EXTERNAL_LINK_MARKER.sub("", para.text)
        text = _SPACES.sub(" ", text).strip()
        if text:
            blocks.append(Block(kind=para.kind, text=text, published_at=para.published_at))
    return blocks
