"""Step 6: read the title, byline and publication from what the file says (the date is in
``dates``)."""

import re
from dataclasses import dataclass
from itertools import pairwise

from .blocks import Block
from .paragraphs import _Para
from .predicates import _DATE_IN_LINE, _ends_clause, _looks_like_name_list, _word_count
from .structure import _BY_LINE, _SECTION_HEADINGS, BY_LINE_SEARCH_DEPTH

TITLE_MAX_CHARS = 90
HEADLINE_MAX_WORDS = 25
UNTITLED = "Untitled"
# A file without a headline is named by its opening words, after this, so that nobody takes the
# opening sentence for a headline: "Untitled — President Putin shook hands with…".
UNTITLED_BEFORE_OPENING = UNTITLED + " — "


def untitled(opening: str) -> str:
    """The title of a file that has no headline: "Untitled", with its opening words to tell it
    from the others."""
    opening = _shorten(opening, limit=TITLE_MAX_CHARS - len(UNTITLED_BEFORE_OPENING))
    return UNTITLED if opening == UNTITLED else UNTITLED_BEFORE_OPENING + opening


def is_untitled(title: str) -> bool:
    """Whether a title says the file has no headline (``untitled``)."""
    return title == UNTITLED or title.startswith(UNTITLED_BEFORE_OPENING)


@dataclass
class _Title:
    text: str
    promote_index: int | None = None  # a paragraph that is really the headline
    byline: str = ""  # the "By …" line under the headline, when there is one
    above: list[str] | None = None  # the lines above the headline (masthead, menus), when found
    header: list[int] | None = None  # blocks that are the page's header (not article text)


# Blocks that may sit above the headline without being it.
_ABOVE_HEADLINE = ("byline", "label", "dateline")


def _title(blocks: list[Block]) -> _Title:
    """The headline when the file has one, else the opening sentence.

    Pages copied whole start with what sits above the headline: a masthead, a menu, a
    breadcrumb, a section name, a tagline. The headline is the first line near the top that
    reads as one (``_reads_as_headline``) and that a byline or a dateline follows; failing that,
    the first heading, or a first line shorter than what follows it."""
    body = [i for i, block in enumerate(blocks) if block.kind not in _ABOVE_HEADLINE]
    if not body:
        return _Title(untitled(blocks[0].text) if blocks else UNTITLED)
    # A live page's entries are each a heading over a timestamp: none of them is the headline.
    live = sum(block.kind == "dateline" for block in blocks) >= 2
    found: _Title | None = None
    for index in body[:HEADER_BLOCKS]:
        block = blocks[index]
        if block.kind in ("heading", "paragraph") and _reads_as_headline(block.text, heading=block.kind == "heading"):
            after = [other for other in blocks[index + 1 : index + 4] if not (live and other.kind == "dateline")]
            marks = [
                offset
                for offset, other in enumerate(blocks[index + 1 : index + 4])
                if not (live and other.kind == "dateline") and _marks_a_header(other)
            ]
            if not marks:
                continue
            title = _Title(
                block.text,
                header=[*range(index + 1), *(index + 1 + offset for offset in marks)],
                promote_index=index if block.kind == "paragraph" else None,
                byline=_byline_under_headline(after),
                above=[other.text for other in blocks[:index]],
            )
            if found is None and marks[0] > 0 and block.kind == "paragraph":
                # A menu or a section line ("Middle East & Africa") a few lines above the
                # byline: the headline may be the line right above it.
                found = title
                continue
            return title
    if found is not None:
        return found
    first_index = body[0]
    first = blocks[first_index]
    # The first heading, or a short first line over longer ones, is the headline: it and what
    # sits above it (a masthead, a section, a byline printed over the headline) are the header,
    # shown once from the metadata, not again as the body's first lines.
    # A live entry's heading, which carries its own time, stays with its entry.
    entry = first.published_at is not None or (following_kind(blocks, first_index) == "dateline")
    header = None if entry else [*range(first_index + 1)]
    above = [block.text for block in blocks[:first_index]]
    if first.kind == "heading" and first.text.lower() not in _SECTION_HEADINGS:
        return _Title(first.text, header=header, above=above)
    following = blocks[first_index + 1] if first_index + 1 < len(blocks) else None
    if first.kind == "paragraph" and following is not None and _is_headline(first.text, following.text):
        return _Title(first.text, promote_index=first_index, header=header, above=above)
    # No headline: the opening words name the file, said to be no headline.
    for block in blocks:
        if block.kind in ("paragraph", "item"):
            return _Title(untitled(_first_sentence(block.text)))
    return _Title(untitled(first.text))


def following_kind(blocks: list[Block], index: int) -> str | None:
    return blocks[index + 1].kind if index + 1 < len(blocks) else None


# How far from the top a headline is looked for.
HEADER_BLOCKS = 8
# "Home | World | Africa", "News › Europe": menus and breadcrumbs, not headlines.
_NAV_SEPARATOR = re.compile(r"\s(?:[|›»·/>]|::)\s")


# "Compiled by the news desk", "Curated by Ann Lee": a byline in other words than "By".
_CREDITED_BY = re.compile(r"^(?:Compiled|Curated|Written|Reported|Edited|Produced) by\s+\S")
# "Ann Lee · July 29, 2024 · 7 minute read": the byline and the date on one line.
_PIECES = re.compile(r"\s+[·|•]\s+")
# "Examiner staff and The Associated Press", "Ledger Staff": a newsroom's byline.
_STAFF_BYLINE = re.compile(
    r"^(?:[\w’'.&-]+ ){0,5}(?:staff|desk)(?: and (?:[\w’'.&-]+ ?){1,5})?$|^(?:[\w’'.&-]+ ){1,5}and (?:[\w’'.&-]+ ){0,4}staff$",
    re.IGNORECASE,
)


def _byline_under_headline(after: list[Block]) -> str:
    """The byline among the lines under the headline: a "By …" line (or the byline block it
    became), "Compiled by …", a name beside the date ("Ann Lee · 15 May 2024"), or a name alone
    right above a line that dates the article."""
    for number, block in enumerate(after):
        text = block.text.strip().strip("*_ ")
        if by := _BY_LINE.match(text):
            return _tidy_byline(by["names"])
        if block.kind == "byline":
            return _tidy_byline(text)
        if _CREDITED_BY.match(text) or _STAFF_BYLINE.match(text):
            return text
        pieces = _PIECES.split(text)
        if len(pieces) >= 2 and _looks_like_name_list(pieces[0]) and any(_DATE_IN_LINE.search(p) for p in pieces[1:]):
            return pieces[0]
        following = after[number + 1].text if number + 1 < len(after) else ""
        if _looks_like_name_list(text) and _DATE_IN_LINE.search(following) and _word_count(following) <= 20:
            return text
    return ""


def _tidy_byline(names: str) -> str:
    """Surnames in capitals (an agency's habit) written as names: "Ann LEE with Bo PARK" is
    "Ann Lee with Bo Park" (an acronym of three letters or fewer stays: "AFP")."""
    names = names.strip()
    if any(ch.islower() for ch in names):
        names = " ".join(
            word.title() if len(word.strip(",;")) > 3 and word.isupper() else word for word in names.split()
        )
    return names


def _marks_a_header(block: Block) -> bool:
    """A byline or a line that dates the article: what follows a headline."""
    if block.kind in ("byline", "dateline"):
        return True
    text = block.text.strip()
    if _word_count(text) > 20:
        return False
    if _CREDITED_BY.match(text) or _STAFF_BYLINE.match(text):
        return True
    # Names without "By" count only as a list ("Ann Lee and Bo Park"): one two-word name could
    # as well be a place or a section ("United States").
    names = _looks_like_name_list(text) and bool(re.search(r",|;| and | & ", text))
    return bool(_BY_LINE.match(text) or names or _DATE_IN_LINE.search(text))


def _reads_as_headline(text: str, *, heading: bool = False) -> bool:
    """Four words or more, at most ``HEADLINE_MAX_WORDS``, not all capitals, not ending like
    prose (unless the file marks it a heading: "# We built it for 1977. The ships grew."), and
    not a run of short pieces between separators (a menu or a breadcrumb)."""
    words = _word_count(text)
    if not 4 <= words <= HEADLINE_MAX_WORDS or text.isupper():
        return False
    if _ends_clause(text) and not (heading and text.rstrip().endswith(".")):
        return False
    pieces = _NAV_SEPARATOR.split(text)
    return not (len(pieces) > 1 and all(_word_count(piece) <= 4 for piece in pieces))


def _is_headline(text: str, next_text: str) -> bool:
    """A first line that is short, does not end like prose and is followed by
    something longer is the article's headline."""
    return _word_count(text) <= HEADLINE_MAX_WORDS and not _ends_clause(text) and len(next_text) > len(text)


# Abbreviations whose full stop does not end a sentence.
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "gov", "sen", "rep", "st", "lt", "col", "sgt", "capt",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "vs", "etc", "u.s", "u.k", "u.n", "e.g", "i.e",
}  # fmt: skip
_SENTENCE_END = re.compile(r"[.!?…][”\"’')\]]*(?=\s+[“\"‘'(]?[^\W\d_])")


def _first_sentence(text: str) -> str:
    for match in _SENTENCE_END.finditer(text):
        end = match.end()
        word_before = text[: match.start()].split()[-1:] or [""]
        if text[match.start()] == "." and word_before[0].lower().lstrip('(“"') in _ABBREVIATIONS:
            continue
        following = text[end:].lstrip()
        if following[:1].isupper() or following[:1] in "“\"‘'(":
            return text[:end]
    return text


def _shorten(text: str, *, limit: int = TITLE_MAX_CHARS) -> str:
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if len(text) <= limit:
        return text or UNTITLED
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-–—") + "…"


# --- publication and byline ---------------------------------------------------

# "The Guardian - AU": an aggregator's edition suffix.
_EDITION_SUFFIX = re.compile(r"\s+[-–—|]\s+[A-Z]{2,3}$")
_WRITTEN_BY = re.compile(
    r"\b(?:[Ii]t|[Tt]his (?:page|article|story|report|live page)) (?:was|has been) "
    r"(?:written|reported) by (?P<names>[^.;]+)"
)


def _publication(header: list[str]) -> str:
    """Aggregators (inkl) print the publication line twice in their header."""
    for line, next_line in pairwise(header):
        if line == next_line and not _looks_like_name_list(line):
            return _EDITION_SUFFIX.sub("", line)
    return ""


def _byline(header: list[str], kept: list[_Para]) -> str:
    for line in reversed(header):
        if _looks_like_name_list(line):
            return line
    for para in kept[:BY_LINE_SEARCH_DEPTH]:
        if para.kind == "byline" and _BY_LINE.match(para.lines[0] if para.lines else ""):
            return para.text
    for para in kept:
        match = _WRITTEN_BY.search(para.text)
        if match and _looks_like_name_list(match["names"]):
            return match["names"].strip()
    return ""


# News agencies, as their datelines name them ("BALTIMORE, March 26 (Reuters) -"): data, not
# one site's habits. The name is the one readers know the agency by.
KNOWN_AGENCIES = {
    "reuters": "Reuters",
    "afp": "AFP",
    "ap": "The Associated Press",
    "dpa": "dpa",
    "efe": "EFE",
    "ansa": "ANSA",
    "upi": "UPI",
    "pa": "PA Media",
    "bloomberg": "Bloomberg",
    "xinhua": "Xinhua",
    "kyodo": "Kyodo News",
    "yonhap": "Yonhap",
    "tass": "TASS",
}
# An agency dateline: a place in capitals, perhaps a date, the agency in brackets, a dash.
# The place may be in capitals or not, with its country in brackets: "Paris (AFP) –",
# "Moulay Brahim (Morocco) (AFP) -".
_AGENCY_DATELINE = re.compile(
    r"^[A-Z][\w .'’-]{1,40}(?:\s*\([^()\n]{2,30}\))?(?:,[^()\n]{0,40})?\s*\((?P<agency>[A-Za-z]{2,12})\)\s*[-–—]"
)
_SMALL_WORDS = {"the", "of", "and", "de", "la", "le", "du", "des", "&", "on", "for", "a"}


def _masthead(lines: list[str]) -> str:
    """The publication's name at the top of a page copied whole: the first line above the
    headline (or its first piece before a menu's separators) of two to six capitalised words,
    with no digits and no sentence punctuation."""
    for line in lines[:3]:
        name = _NAV_SEPARATOR.split(line.strip())[0].strip()
        words = name.split()
        if not 2 <= len(words) <= 6 or any(ch.isdigit() for ch in name) or re.search(r"[.,;:!?]$|[,;:!?]", name):
            continue
        if all(word[0].isupper() or word.lower() in _SMALL_WORDS for word in words if word[0].isalpha()):
            return name.title() if name.isupper() else name
    return ""


def _agency(blocks: list[Block]) -> str:
    """The news agency whose dateline opens one of the first paragraphs."""
    for block in blocks[:12]:
        if match := _AGENCY_DATELINE.match(block.text):
            return KNOWN_AGENCIES.get(match["agency"].lower(), "")
    return ""


# "© 2024 The Harbour Gazette Ltd. Privacy · Terms", "Copyright 2019-2024 Harbour Media, All rights
# reserved": the page's own copyright line names who publishes it.
_COPYRIGHT = re.compile(
    r"^(?:©|\(c\)|copyright)\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{2,4})?\s*,?\s*)?(?P<owner>[^.·|,;]+)",
    re.IGNORECASE,
)
_COMPANY_SUFFIX = re.compile(r"\s+(?:Ltd|Limited|Inc|LLC|plc|GmbH|S\.?A)\.?$", re.IGNORECASE)
_NOT_OWNERS = re.compile(r"^(?:all rights|the author|the authors|getty|shutterstock|alamy)\b", re.IGNORECASE)


def _copyright_owner(lines: list[str]) -> str:
    """The publication a page's own copyright line names (the last such line: the page's footer,
    not a photo's credit), for a page that names its publication nowhere else."""
    for line in reversed(lines):
        match = _COPYRIGHT.match(line.strip())
        if match is None:
            continue
        owner = _COMPANY_SUFFIX.sub("", " ".join(match["owner"].split())).strip(" -–—")
        words = owner.split()
        if not 1 <= len(words) <= 6 or _NOT_OWNERS.match(owner) or any(ch.isdigit() for ch in owner):
            continue
        if all(word[0].isupper() or word.lower() in _SMALL_WORDS for word in words if word[0].isalpha()):
            return owner
    return ""


# --- a web page's header, read apart from its article -------------------------------------

# "Tom Hallett and Sophie Marchetti in Paris": where the people of a byline filed from.
_FILED_FROM = re.compile(r"\s+in\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}$")


def _without_place(line: str) -> str:
    """ "Ann Lee in Paris" is "Ann Lee"; "Curated by Ann Lee · April 8, 2024" is "Curated by Ann Lee"."""
    pieces = _PIECES.split(line.strip())
    if len(pieces) >= 2 and any(_DATE_IN_LINE.search(piece) for piece in pieces[1:]):
        line = pieces[0]
    names = _FILED_FROM.sub("", line.strip())
    return names if names != line.strip() and _looks_like_name_list(names) else line.strip()


def header_byline(lines: list[str]) -> str:
    """The byline among the lines a web page prints under its headline (a "By …" line, "Curated
    by …", a newsroom, names beside or above the date), without the place they filed from."""
    return _byline_under_headline(
        [Block(kind="paragraph", text=_without_place(line)) for line in lines if line.strip()]
    )


def is_header_metadata(text: str) -> bool:
    """A line under a web page's headline that says who wrote it or when, never article text:
    a byline (names alone too, "Zineb Aarab"), a line that dates the article."""
    text = _without_place(text)
    return _marks_a_header(Block(kind="paragraph", text=text)) or (
        _word_count(text) <= 8 and _looks_like_name_list(text)
    )
