"""Turn the text of a saved news article into clean, typed blocks.

Pure Python (standard library only) so it can be tested without Django.
The importer hands us already-decoded text; ``clean_text`` below runs the steps, each in a
module of its own:

1. ``normalising``: normalise whitespace and invisible characters (keeping the letters,
   quotes and dashes exactly as they are);
2. ``paragraphs`` (or ``markdown``): split the text into paragraphs (one per line, or one
   per block of lines when the file is hard-wrapped or Markdown);
3. ``structure`` (with ``live_entries``): recognise live-page entry headings with their
   timestamps, labels ("Breaking"), subheadings, list items, per-entry bylines;
4. ``furniture``: remove web chrome (sign-up prompts, teasers, photo captions, aggregator
   wrappers) with general rules rather than a list of exact strings;
5. ``blocks``: the kept paragraphs become the typed blocks of a ``CleanedArticle``;
6. ``metadata`` and ``dates``: read the title, byline, publication and date from what the
   file says;
7. ``curated``: take out the lines a curator removed from the article's source (their shapes
   are passed in as plain strings, ``removed_shapes``).

``predicates`` holds the small tests on a line's text (ends a sentence, looks like a headline
or a name) that several steps share.
"""

from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import UTC, date, datetime

from .blocks import BLOCK_KINDS, Block, CleanedArticle, _to_blocks
from .curated import MAX_RULE_LINE, CuratedRemoval, line_shape, remove_curated_lines, restore_curated_lines
from .dates import _published_at
from .furniture import _find_boilerplate, _leading_run, _sibling_lines
from .markdown import _markdown_paragraphs
from .metadata import (
    KNOWN_AGENCIES,
    _agency,
    _byline,
    _copyright_owner,
    _masthead,
    _publication,
    _Title,
    _title,
    header_byline,
    is_header_metadata,
)
from .normalising import _line_groups, _normalise_lines
from .paragraphs import _plain_paragraphs
from .structure import _classify

__all__ = [
    "BLOCK_KINDS",
    "KNOWN_AGENCIES",
    "Block",
    "MAX_RULE_LINE",
    "CleanedArticle",
    "CuratedRemoval",
    "clean_text",
    "current_date",
    "header_byline",
    "is_header_metadata",
    "line_shape",
    "remove_curated_lines",
    "restore_curated_lines",
]


def current_date() -> date:
    """Today in UTC: the latest a weekday-only date ("Wednesday, Sept. 13") can be.

    It lives here, beside ``clean_text``, which looks it up in this module: a test pins
    "today" by replacing ``readingroom.text.cleaning.current_date``."""
    return datetime.now(UTC).date()


def clean_text(
    raw: str,
    *,
    sibling_texts: Sequence[str] = (),
    markdown: bool = False,
    today: date | None = None,
    headline: str = "",
    removed_shapes: Collection[str] = (),
) -> CleanedArticle:
    """Clean one article.

    ``sibling_texts`` are raw texts of other documents from the same
    publication: lines they share with ``raw`` are boilerplate candidates.
    ``today`` fixes "now" for inferring the year of dates such as
    "Wednesday, Sept. 13" (defaults to the current UTC date). ``headline`` is the title when
    the file says it apart from its text (a web page's ``<h1>``, its header taken out): then
    no line of the text is read as the headline and its header. ``removed_shapes`` are the
    shapes of the lines a curator removed from the article's source (``curated.line_shape``):
    a block whose whole text has one is taken out last, and listed in ``curated``.
    """
    today = today or current_date()
    groups = _line_groups(_normalise_lines(raw))
    if markdown:
        paras = _markdown_paragraphs(groups)
    else:
        paras = _plain_paragraphs(groups)
    paras = _classify(paras)

    removed_indexes = _find_boilerplate(paras, _sibling_lines(sibling_texts))
    header = _leading_run(paras, removed_indexes)
    kept = [p for i, p in enumerate(paras) if i not in removed_indexes]

    blocks = _to_blocks(kept)
    title = _Title(text=headline) if headline else _title(blocks)
    removed = [line for i, p in enumerate(paras) if i in removed_indexes for line in p.lines]
    found_in = blocks
    if title.header is not None and len(title.header) < len(blocks):
        # Masthead, menus, headline, byline and date lines: the reader shows the document's
        # header from its metadata, once; they are not article text. A standfirst between the
        # headline and the byline stays.
        header_lines = set(title.header)
        removed += [block.text for index, block in enumerate(blocks) if index in header_lines]
        blocks = [block for index, block in enumerate(blocks) if index not in header_lines]
    elif title.promote_index is not None:
        blocks[title.promote_index] = replace(blocks[title.promote_index], kind="heading")

    blocks, curated = remove_curated_lines(blocks, removed_shapes)
    removed += [removal.block.text for removal in curated]

    return CleanedArticle(
        blocks=blocks,
        title=title.text,
        byline=title.byline or _byline(header, kept),
        publication=_publication(header)
        or _masthead([*header, *(title.above or [])])
        or _agency(found_in)
        or _copyright_owner(removed),
        published_at=_published_at(found_in, header, today),
        removed=removed,
        curated=curated,
    )
