"""Turn the text of a saved news article into clean, typed blocks.

Pure Python (standard library only) so it can be tested without Django.
The importer hands us already-decoded text; we:

1. normalise whitespace and invisible characters (keeping the letters, quotes
   and dashes exactly as they are);
2. split the text into paragraphs (one per line, or one per block of lines
   when the file is hard-wrapped or Markdown);
3. recognise structure: live-page entry headings with their timestamps,
   labels ("Breaking"), subheadings, list items, per-entry bylines;
4. remove web chrome (sign-up prompts, teasers, photo captions, aggregator
   wrappers) with general rules rather than a list of exact strings;
5. read metadata (title, byline, publication, date) from what the file says.
"""

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta, timezone
from itertools import pairwise

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


def current_date() -> date:
    """Today in UTC: the latest a weekday-only date ("Wednesday, Sept. 13") can be."""
    return datetime.now(UTC).date()


def clean_text(
    raw: str,
    *,
    sibling_texts: Sequence[str] = (),
    markdown: bool = False,
    today: date | None = None,
) -> CleanedArticle:
    """Clean one article.

    ``sibling_texts`` are raw texts of other documents from the same
    publication: lines they share with ``raw`` are boilerplate candidates.
    ``today`` fixes "now" for inferring the year of dates such as
    "Wednesday, Sept. 13" (defaults to the current UTC date).
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
    title = _title(blocks)
    if title.promote_index is not None:
        blocks[title.promote_index] = replace(blocks[title.promote_index], kind="heading")

    removed = [line for i, p in enumerate(paras) if i in removed_indexes for line in p.lines]
    return CleanedArticle(
        blocks=blocks,
        title=title.text,
        byline=_byline(header, kept),
        publication=_publication(header),
        published_at=_published_at(blocks, header, today),
        removed=removed,
    )


# ---------------------------------------------------------------------------
# 1. Normalisation
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# 2. Paragraphs
# ---------------------------------------------------------------------------


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


# --- Markdown ---------------------------------------------------------------

_MD_ATX_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)(?:\s+#+)?$")
_MD_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)$")
_MD_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
_MD_QUOTE = re.compile(r"^>\s?")
_MD_FENCE = re.compile(r"^(?:```|~~~)")
_MD_REFERENCE_DEFINITION = re.compile(r"^\[[^\]]+\]:\s*\S+")


def _markdown_paragraphs(groups: list[list[str]]) -> list[_Para]:
    """Parse the block structure of Markdown: headings, list items, paragraphs.

    Lines that continue a paragraph or list item are joined (that is what
    Markdown means by a line break inside a paragraph)."""
    paras: list[_Para] = []
    in_code = False
    for index, group in enumerate(groups):
        current: _Para | None = None
        for line in group:
            while _MD_QUOTE.match(line):
                line = _MD_QUOTE.sub("", line, count=1)
            line = line.rstrip("\\").strip()  # a trailing backslash is a hard break
            if _MD_FENCE.match(line):
                in_code = not in_code
                current = None
                continue
            if in_code:
                paras.append(_Para(text=line, group=index, lines=[line]))
                continue
            if not line or _MD_REFERENCE_DEFINITION.match(line):
                current = None
                continue
            if current is not None and current.kind == "paragraph" and _MD_SETEXT_UNDERLINE.match(line):
                current.kind = "heading"
                current = None
                continue
            if _MD_RULE.match(line):
                current = None
                continue
            heading = _MD_ATX_HEADING.match(line)
            item = _MD_LIST_ITEM.match(line)
            if heading:
                paras.append(_Para(text=heading["text"], group=index, lines=[line], kind="heading"))
                current = None
            elif item:
                current = _Para(text=item["text"], group=index, lines=[line], kind="item")
                paras.append(current)
            elif current is not None:
                current.lines.append(line)
                current.text = _join_lines([current.text, line])
            else:
                current = _Para(text=line, group=index, lines=[line])
                paras.append(current)
    for para in paras:
        reduced = _reduce_markdown_inline(para.text)
        para.image_only = not reduced and bool(_MD_IMAGE.search(para.text))
        para.text = reduced
    return [p for p in paras if p.text or p.image_only]


_MD_IMAGE = re.compile(r"!\[[^\]]*\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_MD_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`+(?P<text>[^`]+?)`+")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_MD_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=\S)(?P<text>.+?)(?<=\S)\*(?![\w*])")
_MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(?P<text>.+?)(?<=\S)_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?P<text>.+?)~~")
_MD_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>~|])")
# Escaped characters are parked in the Private Use Area while the emphasis
# patterns run, so "\*" is never mistaken for emphasis.
_ESCAPE_BASE = 0xE000


def _reduce_markdown_inline(text: str) -> str:
    text = _MD_ESCAPE.sub(lambda m: chr(_ESCAPE_BASE + ord(m["char"])), text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(lambda m: m["text"], text)
    text = _MD_AUTOLINK.sub(lambda m: m["url"], text)
    text = _MD_CODE.sub(lambda m: m["text"], text)
    text = _MD_HTML_TAG.sub("", text)
    for pattern in (_MD_STRONG, _MD_EMPHASIS_STAR, _MD_EMPHASIS_UNDERSCORE, _MD_STRIKE):
        text = pattern.sub(lambda m: m["text"], text)
    text = "".join(_unpark_escape(ch) for ch in text)
    return _SPACES.sub(" ", text).strip()


def _unpark_escape(ch: str) -> str:
    if _ESCAPE_BASE <= ord(ch) < _ESCAPE_BASE + 128:
        return chr(ord(ch) - _ESCAPE_BASE)
    return ch


# ---------------------------------------------------------------------------
# 3. Structure
# ---------------------------------------------------------------------------

# BBC live entry: "1. Heading textpublished at 15:06 British Summer Time 13 September 2023".
# The copy glues the heading to "published at"; the number may be missing
# (when a label such as "Analysis" took it).
_LIVE_ENTRY = re.compile(
    r"^(?:\d{1,3}\.\s+)?(?P<heading>.*?)\s*published at\s+"
    r"(?P<stamp>(?P<time>\d{1,2}:\d{2})\s+(?P<zone>[A-Za-z][A-Za-z ]*?)"
    r"(?:\s+(?P<date>\d{1,2}\s+[A-Za-z]+\s+\d{4}))?)$"
)
_ZONE_OFFSETS = {
    "british summer time": 1,
    "bst": 1,
    "greenwich mean time": 0,
    "gmt": 0,
    "utc": 0,
    "coordinated universal time": 0,
    "central european time": 1,
    "cet": 1,
    "central european summer time": 2,
    "cest": 2,
    "eastern standard time": -5,
    "est": -5,
    "eastern daylight time": -4,
    "edt": -4,
}
_LABEL = re.compile(r"^(?:\d{1,3}\.\s+)?(?P<text>Breaking|Breaking news|Analysis|Explainer|Pinned|Watch|Live)$")
_SECTION_HEADINGS = {
    "summary",
    "key points",
    "key events",
    "key takeaways",
    "in brief",
    "at a glance",
    "what we know",
    "background",
}
_ROLE_WORDS = {
    "correspondent",
    "reporter",
    "editor",
    "producer",
    "journalist",
    "analyst",
    "writer",
    "columnist",
    "presenter",
    "contributor",
    "commentator",
    "photographer",
}
_BY_LINE = re.compile(r"^By\s+(?P<names>.+)$")
BY_LINE_SEARCH_DEPTH = 5  # "By Name" only counts near the top of the file
SUBHEADING_MAX_WORDS = 10


def _classify(paras: list[_Para]) -> list[_Para]:
    """Give each paragraph its block kind; mark recognised structure."""
    out: list[_Para] = []
    index = 0
    while index < len(paras):
        para = paras[index]
        before = paras[index - 1] if index > 0 else None
        after = paras[index + 1] if index + 1 < len(paras) else None
        if para.kind in ("paragraph", "heading") and _LIVE_ENTRY.match(para.text):
            out.extend(_live_entry(para, out))
        elif para.kind != "paragraph":
            out.append(para)  # Markdown already said what it is
        elif after is not None and _is_name_and_role(para, after):
            out.append(_byline_pair(para, after))
            index += 1
        else:
            out.append(_classify_line(para, before, after, index))
        index += 1
    return out


def _classify_line(para: _Para, before: _Para | None, after: _Para | None, index: int) -> _Para:
    text = para.text
    if label := _LABEL.match(text):
        return replace(para, kind="label", text=label["text"], structural=True)
    if (decorated := _DECORATED_HEADING.match(text)) and _is_subheading_text(decorated["text"]):
        return replace(para, kind="heading", text=decorated["text"], structural=True)
    if (numbered := _NUMBERED.match(text)) and _is_numbered_subheading(numbered["text"], before, after):
        return replace(para, kind="heading", text=numbered["text"], structural=True)
    if bullet := _BULLET.match(text):
        return replace(para, kind="item", text=bullet["text"])
    if numbered:
        return replace(para, kind="item", text=numbered["text"])
    if _is_section_heading(text, after):
        return replace(para, kind="heading", structural=True)
    by_line = _BY_LINE.match(text)
    if by_line and index < BY_LINE_SEARCH_DEPTH and _looks_like_name_list(by_line["names"]):
        return replace(para, kind="byline", text=by_line["names"], structural=True)
    return para


def _live_entry(para: _Para, out: list[_Para]) -> list[_Para]:
    """Split a live entry line into a heading (with its UTC time) and a dateline."""
    match = _LIVE_ENTRY.match(para.text)
    assert match is not None
    published_at = _live_timestamp(match["time"], match["zone"], match["date"])
    dateline = _Para(text=match["stamp"], group=para.group, lines=[], kind="dateline", structural=True)
    heading_text = match["heading"].strip()
    if not heading_text and out and out[-1].kind == "paragraph":
        # "published at …" on its own line: the line before is the heading.
        previous = out.pop()
        heading_text, para = previous.text, replace(previous, lines=previous.lines + para.lines)
    heading = replace(para, kind="heading", text=heading_text, published_at=published_at, structural=True)
    return [heading, dateline] if heading_text else [dateline]


def _live_timestamp(clock: str, zone: str, day: str | None) -> datetime | None:
    offset = _ZONE_OFFSETS.get(zone.strip().lower())
    if offset is None or day is None:
        return None
    try:
        local = datetime.strptime(f"{day} {clock}", "%d %B %Y %H:%M")
    except ValueError:
        return None
    return local.replace(tzinfo=timezone(timedelta(hours=offset))).astimezone(UTC)


def _is_subheading_text(text: str) -> bool:
    return len(text.split()) <= SUBHEADING_MAX_WORDS and not _ends_clause(text)


def _is_numbered_subheading(text: str, before: _Para | None, after: _Para | None) -> bool:
    """ "1) Military cooperation" between prose is a subheading; consecutive
    numbered lines are a list."""
    if not _is_subheading_text(text):
        return False
    neighbours = [p for p in (before, after) if p is not None]
    return not any(_NUMBERED.match(p.text) for p in neighbours)


def _is_section_heading(text: str, after: _Para | None) -> bool:
    """ "Summary" above a list of bullets."""
    if text.lower() in _SECTION_HEADINGS:
        return True
    is_short = len(text.split()) <= 6 and not _ends_clause(text)
    return is_short and after is not None and bool(_BULLET.match(after.text))


def _is_name_and_role(name: _Para, role: _Para) -> bool:
    """ "Jean Mackenzie" directly followed by "Seoul correspondent"."""
    if name.group != role.group or not _looks_like_name(name.text):
        return False
    words = role.text.split()
    return (
        1 <= len(words) <= 6
        and role.text[0].isupper()
        and words[-1].lower() in _ROLE_WORDS
        and not _ends_clause(role.text)
    )


def _byline_pair(name: _Para, role: _Para) -> _Para:
    return replace(
        name,
        kind="byline",
        text=f"{name.text}, {role.text}",
        lines=name.lines + role.lines,
        structural=True,
    )


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


# --- small text predicates ----------------------------------------------------

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


# ---------------------------------------------------------------------------
# 4. Boilerplate
# ---------------------------------------------------------------------------

# Generic web chrome, matched on short lines only (CHROME_MAX_WORDS).
_CHROME_LINE_PATTERNS = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        r"^sign (?:up|in)\b",
        r"\bsign in here\b",
        r"^(?:log ?in|register)(?: here| now)?$",
        r"^already (?:a member|a subscriber|subscribed|have an account)\b",
        r"^subscribe\b",
        r"\bsubscribe (?:now|today)\b",
        r"\bdownload (?:the|our) app\b",
        r"^(?:related|recommended|more|other|latest|popular|trending|top)\s+"
        r"(?:stories|articles|news|content|topics|reads|videos|headlines)\b[^.!?]{0,40}$",
        r"^(?:image|media|video|photo|audio) caption\s*,?$",
        r"\bcorrection or clarification\b",
        r"\bctrl\s*\+\s*enter\b",
        r"\bfree trial\b",
        r"\bdays? free$",
        r"^(?:our|editor[’']?s|staff) picks?$",
        r"^(?:start|continue|keep) reading\b",
        r"\bnews from\b.*\b(?:titles|sites|publications|sources)\b",
        r"\b\d+(?:[’']s|\+) (?:of )?(?:premium |trusted )?(?:global )?"
        r"(?:titles|sites|publications|sources)\b",
        r"^share (?:this )?(?:article|story|page|on \w+)?$",
        r"^(?:advertisement|advertising|sponsored(?: content)?|promoted)$",
        r"^(?:read|see) (?:more|also)(?:\s*:.*)?$",
        r"^follow us\b",
        r"\bcookies?\b.*\b(?:accept|consent|settings|policy)\b",
        r"^(?:skip to (?:main )?content|back to top)$",
        r"\ball rights reserved\b",
    )
)
CHROME_MAX_WORDS = 20

# Credits at the END of a line mark the whole line as an image alt text or
# caption, however long ("…in Sevastopol, Crimea.Image source, Reuters").
_IMAGE_SOURCE = re.compile(r"image source\s*,\s*[^,.;:!?]{1,80}$", re.IGNORECASE)
_PHOTO_CREDIT = re.compile(
    r"(?:\b(?:Photograph|Photo|Picture|Illustration|Composite|Image|Video)s?\s*:\s*[^.!?:]{2,80}"
    r"|\((?:[Pp]hoto|[Pp]icture|[Ii]mage)s? by [^)]{2,80}\))$"
)
CAPTION_MAX_WORDS = 80
_CAPTION_MARKER = re.compile(r"^(?:image|media|video|photo|audio) caption\s*,?$", re.IGNORECASE)

STANDFIRST_MAX_WORDS = 60
ALT_TEXT_MAX_WORDS = 25


def _sibling_lines(sibling_texts: Sequence[str]) -> set[str]:
    lines = set()
    for text in sibling_texts:
        for line in _normalise_lines(text):
            if line:
                lines.add(_key(line))
    return lines


def _key(text: str) -> str:
    """Comparison key: case and spacing do not matter."""
    return " ".join(text.casefold().split())


@dataclass
class _Chrome:
    """Paragraphs found to be chrome so far, with their texts for repeat checks."""

    indexes: set[int] = field(default_factory=set)
    positions_by_key: dict[str, list[int]] = field(default_factory=dict)

    def add(self, index: int, para: _Para) -> None:
        self.indexes.add(index)
        self.positions_by_key.setdefault(_key(para.text), []).append(index)

    def __contains__(self, index: object) -> bool:
        return index in self.indexes

    def positions(self, para: _Para) -> list[int]:
        return self.positions_by_key.get(_key(para.text), [])


def _find_boilerplate(paras: list[_Para], sibling_lines: set[str]) -> set[int]:
    """Indexes of paragraphs that are web chrome, not article text.

    Seeds come from generic patterns, credits and sibling documents; then the
    chrome grows to its neighbours by the rules in ``_joins_chrome`` until
    nothing changes."""
    chrome = _Chrome()
    for i, para in enumerate(paras):
        if not para.structural and _is_chrome_seed(para):
            chrome.add(i, para)
    dense = _is_dense(paras)
    changed = True
    while changed:
        changed = False
        for i, para in enumerate(paras):
            if i in chrome or para.structural:
                continue
            if _joins_chrome(i, paras, chrome, sibling_lines, dense):
                chrome.add(i, para)
                changed = True
    images = {i for i, para in enumerate(paras) if para.image_only}
    return chrome.indexes | images


def _is_chrome_seed(para: _Para) -> bool:
    text = para.text
    words = _word_count(text)
    if words <= CAPTION_MAX_WORDS and (_IMAGE_SOURCE.search(text) or _PHOTO_CREDIT.search(text)):
        return True
    # A line shared with a sibling document is never chrome on its own strength: two
    # articles of one publication may share a subheading or a quote, and what is kept
    # must not depend on which articles were imported first. It only joins chrome
    # found by the other rules (see ``_joins_chrome``).
    return words <= CHROME_MAX_WORDS and any(p.search(text) for p in _CHROME_LINE_PATTERNS)


def _is_dense(paras: list[_Para]) -> bool:
    """No blank lines between paragraphs: groups then say nothing about layout."""
    boundaries = len(paras) - 1
    blank_boundaries = sum(a.group != b.group for a, b in pairwise(paras))
    return boundaries > 0 and blank_boundaries * 3 < boundaries


def _joins_chrome(
    i: int,
    paras: list[_Para],
    chrome: _Chrome,
    sibling_lines: set[str],
    dense: bool,
) -> bool:
    para = paras[i]
    before = paras[i - 1] if i > 0 and i - 1 in chrome else None  # chrome neighbours only
    after = paras[i + 1] if i + 1 < len(paras) and i + 1 in chrome else None
    glued = [n for n in (before, after) if n is not None and n.group == para.group]

    # A run of short lines glued (no blank line) to a chrome line is more of
    # the same menu/wrapper: "The Guardian - AU", "World", "One app." …
    if glued and _is_tight_chrome_candidate(para.text, _is_enclosed(i, paras, chrome, dense)):
        return True

    # Shared with a sibling document and sitting next to chrome. A shared
    # full sentence must be glued to it: across a blank line it may be a
    # quote both articles use.
    if (before or after) and _key(para.text) in sibling_lines:
        if glued or not _ends_sentence(para.text):
            return _word_count(para.text) <= STANDFIRST_MAX_WORDS

    # "Image caption," / "Media caption," introduce the caption paragraph.
    if before is not None and _CAPTION_MARKER.match(before.text):
        return _word_count(para.text) <= CAPTION_MAX_WORDS

    # Alt text right above a credited caption ("Kim Yo-jong" / "… Photograph: X").
    if after is not None and after in glued and _PHOTO_CREDIT.search(after.text):
        return _word_count(para.text) <= ALT_TEXT_MAX_WORDS and not _ends_sentence(para.text)

    # The same headline shown twice around a chrome run is a teaser …
    if _is_fragment(para.text) and chrome.positions(para):
        return True
    # … and the paragraph right after its last repetition is the teaser's standfirst.
    if before is not None and _is_last_repeated_headline(i - 1, before, chrome):
        return _is_standfirst(para.text)
    return False


def _is_tight_chrome_candidate(text: str, enclosed: bool) -> bool:
    if _is_headline_like(text):
        return True
    if _word_count(text) <= 8 and len(text) <= 60:
        # A short *sentence* ("One app.") joins only when chrome encloses it;
        # "He declined to comment." right above "Advertisement" is article text.
        return enclosed or not _ends_sentence(text)
    return False


def _is_enclosed(i: int, paras: list[_Para], chrome: _Chrome, dense: bool) -> bool:
    """Chrome on both sides, or chrome on one side and the file's edge on the
    other (an aggregator header starts the file). Without blank lines
    (``dense``) the edge says nothing, so both sides must be chrome."""
    edge_counts = not dense
    before = i - 1 in chrome or (edge_counts and i == 0)
    after = i + 1 in chrome or (edge_counts and i == len(paras) - 1)
    return before and after


def _is_last_repeated_headline(index: int, para: _Para, chrome: _Chrome) -> bool:
    if not _is_headline_like(para.text):
        return False
    positions = chrome.positions(para)
    return len(positions) >= 2 and index == max(positions)


def _is_standfirst(text: str) -> bool:
    sentences = len(re.findall(r"[.!?…](?:\s|$)", text))
    return _word_count(text) <= STANDFIRST_MAX_WORDS and sentences <= 2


def _leading_run(paras: list[_Para], removed: set[int]) -> list[str]:
    """Texts of the removed paragraphs at the very top (an aggregator header)."""
    header = []
    for i, para in enumerate(paras):
        if i not in removed:
            break
        header.append(para.text)
    return header


# ---------------------------------------------------------------------------
# Blocks and inline clean-up
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# 5. Metadata
# ---------------------------------------------------------------------------

TITLE_MAX_CHARS = 90
HEADLINE_MAX_WORDS = 25
UNTITLED = "Untitled"


@dataclass
class _Title:
    text: str
    promote_index: int | None = None  # a paragraph that is really the headline


# Blocks that may sit above the headline without being it.
_ABOVE_HEADLINE = ("byline", "label", "dateline")


def _title(blocks: list[Block]) -> _Title:
    """The headline when the file has one, else the opening sentence."""
    body = [i for i, block in enumerate(blocks) if block.kind not in _ABOVE_HEADLINE]
    if not body:
        return _Title(_shorten(blocks[0].text) if blocks else UNTITLED)
    first_index = body[0]
    first = blocks[first_index]
    if first.kind == "heading" and first.text.lower() not in _SECTION_HEADINGS:
        return _Title(first.text)
    following = blocks[first_index + 1] if first_index + 1 < len(blocks) else None
    if first.kind == "paragraph" and following is not None and _is_headline(first.text, following.text):
        return _Title(first.text, promote_index=first_index)
    for block in blocks:
        if block.kind in ("paragraph", "item"):
            return _Title(_shorten(_first_sentence(block.text)))
    return _Title(_shorten(first.text))


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


def _shorten(text: str) -> str:
    text = text.strip()
    if text.endswith(".") and not text.endswith(".."):
        text = text[:-1]
    if len(text) <= TITLE_MAX_CHARS:
        return text or UNTITLED
    cut = text[: TITLE_MAX_CHARS - 1]
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


# --- dates ----------------------------------------------------------------------

_MONTH = (
    r"(?P<month>Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?"
    r"|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\b\.?"
)
_WEEKDAY = (
    r"(?P<weekday>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|Mon|Tues?|Wed|Thu(?:rs?)?|Fri|Sat|Sun)\b\.?"
)
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_DAY_MONTH_YEAR = re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+(?P<year>\d{{4}})\b")
_MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+(?P<year>\d{{4}})\b")
_ISO_DATE = re.compile(
    r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[T ](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
    r"\s*(?P<offset>Z|[+-]\d{2}:?\d{2})?)?\b"
)
_WEEKDAY_MONTH_DAY = re.compile(rf"\b{_WEEKDAY},?\s+{_MONTH}\s+{_DAY}\b")
_WEEKDAY_DAY_MONTH = re.compile(rf"\b{_WEEKDAY},?\s+{_DAY}\s+{_MONTH}")
_WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
YEAR_INFERENCE_LIMIT = 60


def _published_at(blocks: list[Block], header: list[str], today: date) -> datetime | None:
    """Newest live-entry time; else the first explicit date; else a weekday
    date ("Wednesday, Sept. 13") whose year is inferred."""
    entry_times = [b.published_at for b in blocks if b.published_at is not None]
    if entry_times:
        return max(entry_times)
    texts = header + [b.text for b in blocks]
    for text in texts:
        if found := _explicit_date(text):
            return found
    for text in texts:
        if found := _weekday_date(text, today):
            return found
    return None


def _month_number(name: str) -> int:
    return ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec").index(
        name[:3].lower()
    ) + 1


def _explicit_date(text: str) -> datetime | None:
    candidates = []
    for pattern in (_DAY_MONTH_YEAR, _MONTH_DAY_YEAR):
        for match in pattern.finditer(text):
            parsed = _safe_datetime(int(match["year"]), _month_number(match["month"]), int(match["day"]))
            if parsed:
                candidates.append((match.start(), parsed))
    for match in _ISO_DATE.finditer(text):
        parsed = _iso_datetime(match)
        if parsed:
            candidates.append((match.start(), parsed))
    return min(candidates, key=lambda c: c[0])[1] if candidates else None


def _safe_datetime(year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0) -> datetime | None:
    try:
        return datetime(year, month, day, hour, minute, second, tzinfo=UTC)
    except ValueError:
        return None


def _iso_datetime(match: re.Match[str]) -> datetime | None:
    parsed = _safe_datetime(
        int(match["year"]),
        int(match["month"]),
        int(match["day"]),
        int(match["hour"] or 0),
        int(match["minute"] or 0),
        int(match["second"] or 0),
    )
    offset = match["offset"]
    if parsed is None or not offset or offset == "Z":
        return parsed  # no offset given: read it as UTC
    sign = 1 if offset[0] == "+" else -1
    digits = offset[1:].replace(":", "")
    delta = timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
    return (parsed.replace(tzinfo=timezone(sign * delta))).astimezone(UTC)


def _weekday_date(text: str, today: date) -> datetime | None:
    for pattern in (_WEEKDAY_MONTH_DAY, _WEEKDAY_DAY_MONTH):
        match = pattern.search(text)
        if match:
            weekday = _WEEKDAYS.index(match["weekday"][:3].lower())
            year = _infer_year(_month_number(match["month"]), int(match["day"]), weekday, today)
            if year is not None:
                return datetime(year, _month_number(match["month"]), int(match["day"]), tzinfo=UTC)
    return None


def _infer_year(month: int, day: int, weekday: int, today: date) -> int | None:
    """The most recent year, not in the future, in which month/day fell on weekday."""
    for year in range(today.year, today.year - YEAR_INFERENCE_LIMIT, -1):
        try:
            candidate = date(year, month, day)
        except ValueError:
            continue  # 29 February in a common year
        if candidate <= today and candidate.weekday() == weekday:
            return year
    return None
