"""Anchoring annotations to a document's canonical text, and re-anchoring them after an edit.

An annotation points at its passage with two W3C selectors over the canonical plain text: a
position (start/end offsets in Python code points, end exclusive) and a quote (the exact text
with up to CONTEXT_LENGTH characters of prefix and suffix). Offsets count code points, never
UTF-16 units, so an emoji outside the BMP is one character here.

When a curator edits the text, every annotation is found again, most trustworthy step first:

1. Map the offsets through one diff of old → new text (diff-match-patch). If the mapped span
   still reads the exact quote, that is the answer.
2. Look for the exact quote elsewhere in the new text; context, then nearness, decides between
   several occurrences.
3. Look for an edited version of the quote (rapidfuzz): where the diff put it, then near
   there, then in the blocks of the new text that best hold the quote with its context.

Everything else is orphaned and keeps its old quote, so a person can re-attach it: pointing an
annotation at the wrong words silently is worse than admitting it lost its passage. So every
match must be vouched for. If the diff kept the passage, only a match where the diff put it
counts (a copy elsewhere is another passage). If the diff deleted it, a match elsewhere needs
the quote's context around it, or, for an exact quote, enough length to be unmistakable. A
quote that began and ended on word boundaries must still do so.

Pure Python: no Django here, so the rules can be tested and reused without a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import StrEnum

from diff_match_patch import diff_match_patch
from rapidfuzz import fuzz, process

CONTEXT_LENGTH = 32
MAX_SELECTION = 10_000

# A diff that runs out of time is coarser, not wrong: steps 2 and 3 pick up what it misses.
DIFF_TIMEOUT_SECONDS = 1.0
# The diff of one quote against a stretch of new text is quick when they are alike and slow
# only when they are not, and then its answer is rejected anyway.
LOCAL_DIFF_TIMEOUT_SECONDS = 0.1
# Below this many characters a fuzzy match is as likely to be chance as an edit.
MIN_FUZZY_LENGTH = 3
# rapidfuzz's partial alignment costs about quote length × text length: a 3,000-character
# quote takes a second against a long article. Longer edited quotes are found through the
# diff alone.
MAX_ALIGNED_LENGTH = 1_000
# fuzz.ratio (0–100) an edited quote must reach against the old one.
MIN_QUOTE_SIMILARITY = 75.0
# An edited quote may be at most this much shorter or longer than the old one (±50%).
LENGTH_TOLERANCE = 0.5
# The share of the old quote's characters the diff must keep for the passage to count as
# "still here"; a deleted passage keeps none of them.
MIN_KEPT_FRACTION = 0.5
# Similarity (0–100) of the quote's context that vouches for a match away from where the diff
# put the passage. Two unrelated 32-character snippets of news prose score about 35 (99th
# percentile 50); the same stock phrase around another occurrence ("strengthening
# military-technical cooperation between ...") scores 75–86; context that moved along with
# its passage scores 100, or a little less if it was edited too.
MIN_CONTEXT_SIMILARITY = 90.0
# Less context than this (say a quote at the very start of a short heading) vouches for nothing.
MIN_CONTEXT_CHARACTERS = CONTEXT_LENGTH // 2
# An exact quote this long is taken as the same passage wherever it turns up (a moved paragraph).
DISTINCTIVE_LENGTH = CONTEXT_LENGTH
# How many of the new text's blocks are searched for a passage that moved and changed, and
# how well (partial_ratio) a block must contain the quote with its context to be searched.
# Blocks without the passage score 45–57; one holding it with a few words inserted, 70 or so.
CANDIDATE_BLOCKS = 3
MIN_BLOCK_SIMILARITY = 60.0
# An orphaned quote this long found once in a text is its passage, whatever surrounds it.
MIN_UNIQUE_QUOTE = 20


@dataclass(frozen=True)
class Quote:
    exact: str
    prefix: str
    suffix: str


class AnchorState(StrEnum):
    """Where a span stands after its text was edited: the one definition of these states (the
    annotation model's field takes its choices from here)."""

    ANCHORED = "anchored"  # same offsets, same text
    MOVED = "moved"  # found at new offsets, or its text was edited
    ORPHANED = "orphaned"  # its passage is gone


@dataclass(frozen=True)
class Anchor:
    state: str  # an AnchorState value
    start: int | None  # None when orphaned
    end: int | None
    # Anchored or moved: the quote as it now reads in the new text (its context may have
    # changed even when the offsets did not). Orphaned: the old quote, unchanged.
    quote: Quote


def quote_for(text: str, start: int, end: int) -> Quote:
    """The TextQuoteSelector for text[start:end] with CONTEXT_LENGTH characters of context
    each side."""
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"Span {start}–{end} is not inside a text of {len(text)} characters.")
    return Quote(
        exact=text[start:end],
        prefix=text[max(0, start - CONTEXT_LENGTH) : start],
        suffix=text[end : end + CONTEXT_LENGTH],
    )


# --- Checking a new selection -----------------------------------------------------------------


class SelectionError(ValueError):
    """A selection that cannot be annotated; the message is for the person who made it."""


def check_selection(text: str, start: int, end: int, exact: str) -> Quote:
    """Validate a selection sent by a browser or API client and return its quote.

    Offsets must be integers with 0 <= start < end <= len(text), text[start:end] must equal
    exact, exact must not be only whitespace and may be at most MAX_SELECTION characters.
    """
    # bool is an int subclass, but True/False as offsets is a client bug, not a selection.
    if not all(isinstance(value, int) and not isinstance(value, bool) for value in (start, end)):
        raise SelectionError("The selection's start and end must be whole numbers.")
    if not isinstance(exact, str):
        raise SelectionError("The selection did not say which text it covers.")
    if not (0 <= start <= len(text) and 0 <= end <= len(text)):
        raise SelectionError(f"The selection is outside the text (0–{len(text)}).")
    if start == end:
        raise SelectionError("The selection is empty.")
    if start > end:
        raise SelectionError("The selection ends before it starts.")
    if end - start > MAX_SELECTION:
        raise SelectionError(f"The selection is too long: at most {MAX_SELECTION:,} characters can be annotated.")
    if text[start:end] != exact:
        raise SelectionError(
            "The selected text no longer matches the document; it may have been edited. "
            "Reload the page and select the passage again."
        )
    if not exact.strip():
        raise SelectionError("The selection is only whitespace; select some words.")
    return quote_for(text, start, end)


# --- Re-anchoring after an edit -----------------------------------------------------------------

Diff = tuple[int, str]
Span = tuple[int, int]


@dataclass(frozen=True)
class _Edit:
    """One diff of old → new text, in the two forms the steps need, and the new text's blocks."""

    old_text: str
    new_text: str
    # Character-exact diff with each edit slid to the nearest word, sentence or paragraph
    # boundary: maps offsets precisely. Without the slide, deleting "Kim said X.\n\n" before
    # "Kim went Y." reads as keeping the first "Kim" and deleting "said X.\n\nKim", which
    # would leave an annotation on the deleted "Kim" anchored to the next one.
    diffs: list[Diff]
    # The same diff cleaned up to whole words and phrases: says whether a passage survived,
    # without counting letters that an unrelated replacement happens to share.
    semantic_diffs: list[Diff]
    # The new text's blocks (paragraphs, headings, list items: the lines between newlines).
    new_blocks: list[Span]


@dataclass(frozen=True)
class _Passage:
    """What is known about one annotated passage besides its quote."""

    # Where the diff put its start and end in the new text: two readings of end, widest first.
    mapped: list[Span]
    # The share of its characters the semantic diff kept; a deleted passage keeps none.
    kept: float
    # Whether it began and ended on a word boundary in the old text (not inside a word).
    starts_on_boundary: bool
    ends_on_boundary: bool

    @property
    def where(self) -> Span:
        return self.mapped[0]

    @property
    def still_there(self) -> bool:
        return self.kept >= MIN_KEPT_FRACTION

    def distance(self, span: Span) -> int:
        return abs(span[0] - self.where[0])

    def accepts(self, text: str, span: Span, context_similarity: float) -> bool:
        """Whether a match at text[span] may be this passage (see the module docstring)."""
        if not self.keeps_boundaries(text, span):
            return False
        if self.still_there:
            return span[0] <= self.where[1] and self.where[0] <= span[1]
        return context_similarity >= MIN_CONTEXT_SIMILARITY

    def keeps_boundaries(self, text: str, span: Span) -> bool:
        # "Russia" must not come back as the start of "Russian", nor "by a" as "by a|lso".
        return not (
            (self.starts_on_boundary and _inside_word(text, span[0]))
            or (self.ends_on_boundary and _inside_word(text, span[1]))
        )


@dataclass(frozen=True)
class _Match:
    span: Span
    quote_similarity: float
    context_similarity: float
    distance: int  # from where the diff put the passage

    def rank(self) -> tuple[float, int]:
        # The quote matters most; context breaks near-ties; then the nearer one wins.
        return (self.quote_similarity + self.context_similarity / 2, -self.distance)


def reanchor(old_text: str, new_text: str, start: int, end: int, quote: Quote) -> Anchor:
    """Find the annotated passage old_text[start:end] (reading quote) again in new_text."""
    return reanchor_all(old_text, new_text, [(start, end, quote)])[0]


def reanchor_all(old_text: str, new_text: str, spans: Sequence[tuple[int, int, Quote]]) -> list[Anchor]:
    """Same as reanchor for many spans, computing the diff once."""
    edit = _diff(old_text, new_text)
    return [_reanchor_one(edit, start, end, quote) for start, end, quote in spans]


def _differ(timeout: float = DIFF_TIMEOUT_SECONDS) -> diff_match_patch:
    differ = diff_match_patch()
    differ.Diff_Timeout = timeout
    return differ


def _diff(old_text: str, new_text: str) -> _Edit:
    differ = _differ()
    diffs = differ.diff_main(old_text, new_text)
    differ.diff_cleanupSemanticLossless(diffs)
    semantic_diffs = list(diffs)  # the cleanup rewrites the list in place
    differ.diff_cleanupSemantic(semantic_diffs)
    new_blocks = [match.span() for match in re.finditer(r"[^\n]+", new_text)]
    return _Edit(old_text, new_text, diffs, semantic_diffs, new_blocks)


def _reanchor_one(edit: _Edit, start: int, end: int, quote: Quote) -> Anchor:
    new_text = edit.new_text
    if not quote.exact or not new_text:
        return Anchor(AnchorState.ORPHANED, None, None, quote)

    passage = _Passage(
        mapped=_mapped_spans(edit.diffs, start, end, len(new_text)),
        kept=_kept_fraction(edit.semantic_diffs, start, end),
        starts_on_boundary=not _inside_word(edit.old_text, start),
        ends_on_boundary=not _inside_word(edit.old_text, end),
    )
    span = (
        _find_mapped(new_text, quote, passage)
        or _find_exact(new_text, quote, passage)
        or _find_edited(edit, quote, passage)
    )
    if span is None:
        return Anchor(AnchorState.ORPHANED, None, None, quote)
    unchanged = span == (start, end) and new_text[span[0] : span[1]] == quote.exact
    state = AnchorState.ANCHORED if unchanged else AnchorState.MOVED
    return Anchor(state, span[0], span[1], quote_for(new_text, *span))


# Step 1: map the offsets through the diff.


def _find_mapped(new_text: str, quote: Quote, passage: _Passage) -> Span | None:
    for span in passage.mapped:
        if new_text[span[0] : span[1]] == quote.exact and passage.keeps_boundaries(new_text, span):
            return span
    return None


def _mapped_spans(diffs: list[Diff], start: int, end: int, new_length: int) -> list[Span]:
    """Where start and end land in the new text; two readings of end, the widest first.

    diff_xIndex puts an offset that sits exactly where text was inserted after the insertion.
    That is right for start (text typed before a quote is not part of it) but for end it pulls
    in text typed right after the quote, so end is also mapped as "just after its last
    character".
    """
    if not diffs:  # both texts empty; diff_xIndex cannot handle an empty diff
        return [(0, 0)]
    differ = _differ()

    def mapped(offset: int) -> int:
        return min(max(differ.diff_xIndex(diffs, offset), 0), new_length)

    new_start = mapped(start)
    ends = {mapped(end)}
    if end > start:
        ends.add(min(mapped(end - 1) + 1, new_length))
    return [(new_start, max(new_start, new_end)) for new_end in sorted(ends, reverse=True)]


def _kept_fraction(diffs: list[Diff], start: int, end: int) -> float:
    """The share of old_text[start:end] that the diff kept (did not delete)."""
    if end <= start:
        return 0.0
    kept = 0
    old_position = 0
    for operation, chunk in diffs:
        if operation == diff_match_patch.DIFF_INSERT:
            continue
        chunk_end = old_position + len(chunk)
        if operation == diff_match_patch.DIFF_EQUAL:
            kept += max(0, min(end, chunk_end) - max(start, old_position))
        old_position = chunk_end
        if old_position >= end:
            break
    return kept / (end - start)


# Step 2: the exact quote elsewhere.


def _find_exact(new_text: str, quote: Quote, passage: _Passage) -> Span | None:
    # A short quote like "Putin" occurs all over a news text and needs the diff or its context
    # to vouch for it. A long one found intact after the diff deleted it is the same passage,
    # moved, even without its context (a paragraph's first sentence, moved with it).
    moved_intact = len(quote.exact) >= DISTINCTIVE_LENGTH and not passage.still_there
    best: tuple[tuple[float, int], Span] | None = None
    for at in _occurrences(new_text, quote.exact):
        span = (at, at + len(quote.exact))
        context = _context_similarity(new_text, span, quote)
        if not (
            passage.accepts(new_text, span, context) or (moved_intact and passage.keeps_boundaries(new_text, span))
        ):
            continue
        key = (context, -passage.distance(span))
        if best is None or key > best[0]:
            best = (key, span)
    return best[1] if best else None


def find_quote(text: str, quote: Quote) -> Anchor | None:
    """Where an orphaned quote reads again in ``text`` (its passage put back: a source's line
    rule turned off): the occurrence of its exact words whose surroundings best match its
    prefix and suffix, as a moved anchor; None when the words are not there, or are there
    elsewhere only (other surroundings, and too short or too common to vouch for themselves)."""
    if not quote.exact:
        return None
    scored = [
        (_context_similarity(text, (at, at + len(quote.exact)), quote), at) for at in _occurrences(text, quote.exact)
    ]
    if not scored:
        return None
    score, start = max(scored, key=lambda candidate: (candidate[0], -candidate[1]))
    if score < MIN_BLOCK_SIMILARITY and not (len(scored) == 1 and len(quote.exact) >= MIN_UNIQUE_QUOTE):
        return None
    return Anchor(AnchorState.MOVED, start, start + len(quote.exact), quote_for(text, start, start + len(quote.exact)))


def _occurrences(text: str, exact: str) -> Iterator[int]:
    at = text.find(exact)
    while at != -1:
        yield at
        at = text.find(exact, at + 1)


def _context_similarity(text: str, span: Span, quote: Quote) -> float:
    """How well the text around span matches the quote's prefix and suffix, 0–100.

    Each side counts by its length; with less than MIN_CONTEXT_CHARACTERS of context in all,
    nothing vouches for the match and the score is 0.
    """
    prefix, suffix = _block_context(quote)
    if len(prefix) + len(suffix) < MIN_CONTEXT_CHARACTERS:
        return 0.0
    before = text[max(0, span[0] - len(prefix)) : span[0]]
    after = text[span[1] : span[1] + len(suffix)]
    weighted = fuzz.ratio(prefix, before) * len(prefix) + fuzz.ratio(suffix, after) * len(suffix)
    return weighted / (len(prefix) + len(suffix))


def _block_context(quote: Quote) -> tuple[str, str]:
    """The quote's prefix and suffix cut at the edges of its own block.

    The canonical text has a newline only between blocks (paragraph, heading, list item), and
    what lies across one says where a block sits, not what the passage is. So a quote at the
    start of a paragraph that moved is still recognised by its suffix, and a deleted
    paragraph's first words are not taken to be the next paragraph's first words just because
    the paragraph before them is the same.
    """
    return quote.prefix.rpartition("\n")[2], quote.suffix.partition("\n")[0]


# Step 3: the quote was itself edited.


def _find_edited(edit: _Edit, quote: Quote, passage: _Passage) -> Span | None:
    """Where the quote now reads differently, most trustworthy reading first.

    The diff's own mapping of the passage comes first: it keeps every surviving word, while
    the best-scoring alignment may drop one (for "Peskov said that ..." edited into "Peskov on
    Wednesday said that ...", plain similarity prefers "said that ..."). Then rapidfuzz's
    alignment near the mapped position, then anywhere, for a passage that moved and changed.
    """
    if len(quote.exact.strip()) < MIN_FUZZY_LENGTH:
        return None
    new_text = edit.new_text
    match = _best_match(new_text, quote, passage, passage.mapped)
    if match is None and len(quote.exact) <= MAX_ALIGNED_LENGTH:
        padding = len(quote.exact) + 2 * CONTEXT_LENGTH
        window = (
            max(0, passage.where[0] - padding),
            min(len(new_text), passage.where[1] + padding),
        )
        nearby = _aligned_spans(new_text, window, quote.exact)
        match = _best_match(new_text, quote, passage, nearby)
        # Anywhere else only when the diff deleted the passage; if it kept it, only a match
        # where it put the passage counts, and the window already covered that.
        if match is None and not passage.still_there:
            match = _best_match(new_text, quote, passage, _spans_anywhere(edit, quote))
    return match.span if match else None


def _spans_anywhere(edit: _Edit, quote: Quote) -> list[Span]:
    """Candidates anywhere in the new text, for a passage that moved and changed.

    The best alignment of the bare quote is often an unchanged copy of it elsewhere (a
    liveblog repeats "British Summer Time" in every heading), which would hide the passage.
    A match out here must bring its context anyway, so rapidfuzz ranks the blocks by how well
    they contain the quote with its context, and the quote is aligned inside the best few.
    """
    new_text = edit.new_text
    if "\n" in quote.exact:  # spans blocks: align it against the whole text
        return _aligned_spans(new_text, (0, len(new_text)), quote.exact)
    prefix, suffix = _block_context(quote)
    blocks = process.extract(
        prefix + quote.exact + suffix,
        [new_text[start:end] for start, end in edit.new_blocks],
        scorer=fuzz.partial_ratio,
        limit=CANDIDATE_BLOCKS,
        score_cutoff=MIN_BLOCK_SIMILARITY,
    )
    return [
        span
        for _, _, index in blocks
        for span in _aligned_spans(new_text, edit.new_blocks[index], quote.exact, prefix, suffix)
    ]


def _aligned_spans(new_text: str, window: Span, exact: str, prefix: str = "", suffix: str = "") -> list[Span]:
    """Spans of new_text where rapidfuzz best aligns exact (with prefix and suffix) in window.

    Given context, the alignment is of the quote in its context, which finds the edited quote
    rather than an unchanged copy of it a sentence away. partial_ratio_alignment finds a
    stretch as long as what it looks for, which is too short when words were inserted and too
    long when words were cut, so a local diff of what it looked for against the text around
    that stretch also maps the quote's first and last characters to where they went. Both
    readings of that diff are offered: the character-exact one can pair a changed first
    letter with a stray one earlier on, the semantic one can dissolve a short quote into one
    replacement. The scoring picks.
    """
    query = prefix + exact + suffix
    window_start, window_end = window
    alignment = fuzz.partial_ratio_alignment(query, new_text[window_start:window_end])
    if alignment is None:
        return []
    aligned_start = window_start + alignment.dest_start
    aligned_end = window_start + alignment.dest_end
    # Read straight off the alignment: the stretch less the context's length on each side.
    quote_start = min(aligned_start + len(prefix), aligned_end)
    spans = {(quote_start, max(quote_start, aligned_end - len(suffix)))}

    slack = len(query) // 2
    region_start = max(0, aligned_start - slack)
    region = new_text[region_start : min(len(new_text), aligned_end + slack)]
    differ = _differ(LOCAL_DIFF_TIMEOUT_SECONDS)
    exact_diffs = differ.diff_main(query, region, False)
    differ.diff_cleanupSemanticLossless(exact_diffs)
    semantic_diffs = list(exact_diffs)  # the cleanup rewrites the list in place
    differ.diff_cleanupSemantic(semantic_diffs)
    for diffs in (exact_diffs, semantic_diffs):
        for start, end in _mapped_spans(diffs, len(prefix), len(prefix) + len(exact), len(region)):
            spans.add((region_start + start, region_start + end))
    return sorted(spans)


def _best_match(new_text: str, quote: Quote, passage: _Passage, spans: Sequence[Span]) -> _Match | None:
    matches = (
        _judge(new_text, quote, passage, snapped)
        for span in spans
        for snapped in _snapped_spans(new_text, quote, passage, span)
    )
    return max((match for match in matches if match), key=_Match.rank, default=None)


def _judge(new_text: str, quote: Quote, passage: _Passage, span: Span) -> _Match | None:
    """A candidate for the edited quote, or None when it is not good enough."""
    old_length = len(quote.exact)
    if abs((span[1] - span[0]) - old_length) > LENGTH_TOLERANCE * old_length:
        return None
    candidate = new_text[span[0] : span[1]]
    if "\n" in candidate and "\n" not in quote.exact:
        return None  # a quote inside one paragraph does not spread over two
    similarity = fuzz.ratio(quote.exact, candidate)
    if similarity < MIN_QUOTE_SIMILARITY:
        return None
    context = _context_similarity(new_text, span, quote)
    if not passage.accepts(new_text, span, context):
        return None
    return _Match(span, similarity, context, passage.distance(span))


def _snapped_spans(new_text: str, quote: Quote, passage: _Passage, span: Span) -> list[Span]:
    """span with its ends moved to word boundaries where the old quote's ends were on one.

    An end that fell inside a word may go to either side of it (outward or inward); every
    combination is returned and the scoring picks. A quote that deliberately started or ended
    inside a word is left alone. Whitespace the old quote did not have is trimmed.
    """
    starts = _word_edges(new_text, span[0]) if passage.starts_on_boundary else [span[0]]
    ends = _word_edges(new_text, span[1]) if passage.ends_on_boundary else [span[1]]
    snapped = set()
    for new_start in starts:
        for new_end in ends:
            if not quote.exact[:1].isspace():
                while new_start < new_end and new_text[new_start].isspace():
                    new_start += 1
            if not quote.exact[-1:].isspace():
                while new_end > new_start and new_text[new_end - 1].isspace():
                    new_end -= 1
            if new_start < new_end:
                snapped.add((new_start, new_end))
    return sorted(snapped)


def _is_word_character(character: str) -> bool:
    return character.isalnum()


def _inside_word(text: str, offset: int) -> bool:
    return 0 < offset < len(text) and _is_word_character(text[offset - 1]) and _is_word_character(text[offset])


def _word_edges(text: str, offset: int) -> list[int]:
    """offset itself when it is between words, else the start and the end of its word."""
    if not _inside_word(text, offset):
        return [offset]
    left = offset
    while left > 0 and _is_word_character(text[left - 1]):
        left -= 1
    right = offset
    while right < len(text) and _is_word_character(text[right]):
        right += 1
    return [left, right]
