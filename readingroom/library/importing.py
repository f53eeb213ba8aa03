"""Importing files into the library: read, decode, clean, file under a source, store.

Each file is imported in its own transaction, so one bad file never stops or half-writes a
batch. A file whose bytes were imported before (same SHA-256) is reported as a duplicate and
adds nothing, which makes re-importing a folder safe.
"""

from __future__ import annotations

import copy
import errno
import hashlib
import os
import re
import stat
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import charset_normalizer
import lxml.html
from django.conf import settings
from django.db import IntegrityError, transaction
from lxml import etree

from readingroom.text.cleaning import (
    KNOWN_AGENCIES,
    Block,
    CuratedRemoval,
    clean_text,
    header_byline,
    is_header_metadata,
)

from .models import Document, LineRemoval, Source, SourceLineRule

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm")
UNKNOWN_SOURCE_NAME = "Unknown source"
BLOCK_SEPARATOR = "\n\n"

# Control characters other than tab, newline, carriage return and form feed do not occur in
# text files; more than a few of them means the bytes are not text at all.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_BOMS = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32"),
    (b"\x00\x00\xfe\xff", "utf-32"),
    (b"\xff\xfe", "utf-16"),
    (b"\xfe\xff", "utf-16"),
)


class ImportRefused(Exception):
    """A file that cannot be imported; the message says why, in words for the person importing."""


@dataclass(frozen=True)
class ImportResult:
    name: str
    status: str  # "imported", "duplicate", "skipped" (a folder's other files) or "error"
    message: str
    document: Document | None = None

    @property
    def ok(self) -> bool:
        return self.status != "error"


def max_import_bytes() -> int:
    return settings.READINGROOM_MAX_IMPORT_BYTES


def _human_size(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / (1024 * 1024):.1f} MB"
    if size >= 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size} bytes"


def check_size(size: int) -> None:
    if size > max_import_bytes():
        raise ImportRefused(f"is too large ({_human_size(size)}; the limit is {_human_size(max_import_bytes())})")


def decode_bytes(data: bytes) -> str:
    """Decode a file's bytes as text, or refuse it as empty, binary or undecodable."""
    if not data.strip():
        raise ImportRefused("is empty")
    text: str | None = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise ImportRefused(f"starts like {encoding} text but is not valid {encoding}") from None
            break
    if text is None and b"\x00" in data:
        utf16 = _utf16_byte_order(data)
        if utf16 is None:
            raise ImportRefused("is a binary file, not text")
        try:
            text = data.decode(utf16)
        except UnicodeDecodeError:
            raise ImportRefused("is a binary file, not text") from None
    if text is None:
        text = _decode_8bit(data)
    text = text.lstrip("\ufeff")
    if len(_CONTROL_CHARACTERS.findall(text)) > max(3, len(text) // 200):
        raise ImportRefused("is a binary file, not text")
    # The few NULs a text file may carry mean nothing, and PostgreSQL refuses them in text
    # columns: a document stored on SQLite with one could never be restored there.
    text = text.replace("\x00", "")
    if not text.strip():
        raise ImportRefused("is empty")
    return text


def _utf16_byte_order(data: bytes) -> str | None:
    """UTF-16 without a byte-order mark has a NUL in every other byte (for Latin text) and nowhere else."""
    sample = data[:4000]
    half = len(sample) // 2
    if half == 0:
        return None
    even_nuls = sample[0::2].count(0) > 0.4 * half
    odd_nuls = sample[1::2].count(0) > 0.4 * half
    if odd_nuls and not even_nuls:
        return "utf-16-le"
    if even_nuls and not odd_nuls:
        return "utf-16-be"
    return None


def _decode_8bit(data: bytes) -> str:
    """UTF-8, else Windows-1252 (a superset of Latin-1's printable characters, and what most
    non-UTF-8 English news text is), else charset-normalizer's guess if it is a confident one."""
    for encoding in ("utf-8", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    best = charset_normalizer.from_bytes(data).best()
    if best is None or best.chaos > 0.2:
        raise ImportRefused("is not text in any encoding we recognise (a binary file?)")
    return str(best)


@dataclass(frozen=True)
class _Extracted:
    text: str
    markdown: bool
    title: str = ""
    byline: str = ""
    publication: str = ""
    published_at: datetime | None = None
    # The title was read apart from the text (a web page's headline, its header taken out).
    headline_apart: bool = False


def _extract(text: str, *, filename: str) -> _Extracted:
    suffix = Path(filename).suffix.lower()
    if suffix in (".html", ".htm"):
        return _extract_html(text)
    return _Extracted(text=text, markdown=suffix in (".md", ".markdown"))


def _extract_html(html: str) -> _Extracted:
    # trafilatura finds an article's main text and its metadata in a saved web page far more
    # reliably than tag-stripping, and never returns scripts or markup.
    import trafilatura

    extracted = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False, include_images=False
    )
    # A trafilatura Document (with_metadata=True; as_dict=False is its default), or None.
    if extracted is None or isinstance(extracted, dict) or not (extracted.text or "").strip():
        raise ImportRefused("is an HTML page with no article text we could find")
    text = extracted.text or ""
    title = extracted.title or ""
    byline = extracted.author or ""
    publication = extracted.sitename or ""
    headline_apart = False
    body = _page_body(html)
    if body is not None and (page := _page_lines(body)):
        headline = _headline(page, title)
        headline_apart = headline is not None
        if headline is not None:
            # The headline the reader sees, not the <title>'s "Live: …" or "… | Site".
            title = page[headline].text
        publication = _page_publication(body, title=title) or (
            publication if _letters(publication) not in _letters(title) else ""
        )
        text, header = _article_span(page, text, headline=headline, publication=publication)
        byline = _page_byline(header, byline)
    lines = text.split("\n")
    if title and lines and _letters(lines[0]) == _letters(title):
        text = "\n".join(lines[1:])  # the headline is shown once, from the metadata
    return _Extracted(
        headline_apart=headline_apart,
        text=text,
        markdown=False,
        title=title,
        byline=byline,
        publication=publication,
        published_at=_parse_page_date(extracted.date),
    )


def _page_body(html: str) -> etree._Element | None:
    try:
        tree = lxml.html.fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    body = tree.find("body")
    return tree if body is None else body


def _headline(page: list[_PageLine], title: str) -> int | None:
    """The page's first ``<h1>`` when it is the article's headline: it shares most of its words
    with the page's title (an ``<h1>`` may also be a site's logo)."""
    title_words = set(_WORD.findall(title.casefold()))
    for index, line in enumerate(page):
        if line.tag == "h1":
            words = set(_WORD.findall(line.text.casefold()))
            if words and (not title_words or len(words & title_words) >= 0.5 * len(words)):
                return index
            return None
    return None


def _names_publication(line: str, publication: str) -> bool:
    return bool(publication) and len(line.split()) <= 8 and _letters(line).startswith(_letters(publication))


def _page_byline(header: list[str], found: str) -> str:
    """The byline the page prints under its headline: the line its metadata names (as printed:
    "Staff reporter, with AFP", not "Staff reporter; With Afp"), else the one the byline rules
    find there (trafilatura keeps one of two names), else the metadata's."""
    if found and (printed := next((line for line in header if _letters(line) == _letters(found)), "")):
        return printed
    return header_byline(header) or found


# "The Meridian | World news | …": the pieces of a <title>.
_TITLE_PIECES = re.compile(r"\s+[|–—-]\s+|\s*[|]\s*")
# "© 2023 The Red City Daily. All rights reserved.": who publishes the page.
_COPYRIGHT = re.compile(
    r"^(?:copyright\s*)?©?\s*(?:copyright\s*)?(?:\d{4}\s+)?(?P<name>[A-Z][^.·|,]{1,60}?)\s*(?:[.·|,]|all rights|$)",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w+")


def _page_publication(body, *, title: str) -> str:
    """The publication: the page's ``og:site_name`` (a news agency's own site under the agency's
    name), else the piece of its ``<title>`` that is not the headline, else the copyright line."""
    root = body.getroottree().getroot()
    for meta in root.iter("meta"):
        if (meta.get("property") or meta.get("name") or "").lower() == "og:site_name":
            if name := _SPACES.sub(" ", meta.get("content") or "").strip():
                return _agency_site(name) or name
    page_title = _SPACES.sub(" ", root.findtext(".//title") or "").strip()
    headline = _letters(title)
    for piece in reversed(_TITLE_PIECES.split(page_title)):
        words = piece.split()
        if (
            1 <= len(words) <= 5
            and piece[0].isupper()
            and piece[-1] not in ".!?:;,"
            and _letters(piece) not in headline
            and not headline.startswith(_letters(piece))
        ):
            return piece
    for element in body.iter("p", "div", "small", "span", "li"):
        line = _SPACES.sub(" ", element.text_content()).strip()
        if line[:1] == "©" or line[:9].casefold() == "copyright":
            if (match := _COPYRIGHT.match(line)) and 1 <= len(match["name"].split()) <= 6:
                return match["name"].strip()
    return ""


def _agency_site(name: str) -> str:
    """ "AP News", "Reuters.com": a news agency's site, filed under the agency's name."""
    match = re.fullmatch(r"(\w+)(?:\s+News|\.com)?", name)
    return KNOWN_AGENCIES.get(match.group(1).casefold(), "") if match else ""


@dataclass(frozen=True)
class _PageLine:
    """One block element's visible text, and whether it sits in the ``<header>`` of the page's
    headline (an entry's own header, on a live page, is not the article's)."""

    text: str
    tag: str
    in_header: bool


_BLOCK_TAGS = frozenset(
    "address article blockquote body dd details dialog div dl dt fieldset h1 h2 h3 h4 h5 h6 header hgroup hr "
    "li main ol p pre section summary table tbody thead tfoot td th tr ul br".split()
)
# Not article text by what the element is: code, controls, embedded objects, and the page's
# navigation, footer, sidebars and pictures with their captions.
_UNSEEN_TAGS = frozenset(
    "script style noscript template svg button select option input textarea iframe object head title meta link "
    "nav footer aside figure figcaption".split()
)
_HEADING_TAGS = frozenset("h1 h2 h3 h4 h5 h6".split())
_CONTROL_TAGS = ("button", "select", "input", "textarea")
_ANCHOR_CHARACTERS = 40
_HEADER_AFTER_STANDFIRST = 3
_SPACES = re.compile(r"\s+")
# "Updated 12 minutes ago", "Last updated: 5:31 p.m. EDT", "Published 8:15 p.m. ET": the page's own stamps.
_PAGE_STAMP = re.compile(r"^(?:(?:Last\s+)?(?:updated|modified)|Published|Posted)\b", re.IGNORECASE)


def _page_lines(body) -> list[_PageLine]:
    """Every block element's visible text in page order (what a reader sees as lines), without
    navigation, footers, sidebars, captions, controls and in-page tables of contents."""
    unseen = _contents_lists(body) | _control_groups(body)
    lines: list[_PageLine] = []
    pieces: list[str] = []
    open_blocks: list[str] = []
    headers = 0

    def flush() -> None:
        text = _SPACES.sub(" ", "".join(pieces)).strip()
        if text:
            lines.append(_PageLine(text, open_blocks[-1] if open_blocks else "", headers > 0))
        pieces.clear()

    def walk(element: etree._Element) -> None:
        nonlocal headers
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        hidden = element.get("hidden") is not None or element.get("aria-hidden") == "true"
        if not tag or tag in _UNSEEN_TAGS or hidden or element in unseen:
            if element.tail:
                pieces.append(element.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            flush()
            open_blocks.append(tag)
        headline_header = tag == "header" and element.find(".//h1") is not None
        headers += headline_header
        if element.text:
            pieces.append(element.text)
        for child in element:
            walk(child)
        headers -= headline_header
        if block:
            flush()
            open_blocks.pop()
        if element.tail:
            pieces.append(element.tail)

    walk(body)
    flush()
    return lines


def _contents_lists(body) -> set:
    """Lists whose every item is only a link into the page itself (a key-events menu, a table of
    contents), with the heading right above one: navigation, whatever its words."""
    found = set()
    for element in body.iter("ul", "ol"):
        items = [item for item in element if isinstance(item.tag, str) and item.tag.lower() == "li"]
        if not items:
            continue
        if all(_only_in_page_links(item) for item in items):
            found.add(element)
            above = element.getprevious()
            if above is not None and isinstance(above.tag, str) and above.tag.lower() in _HEADING_TAGS:
                found.add(above)
    return found


def _control_groups(body) -> set:
    """Elements holding controls and no more than a few words of their own ("Sort by" over
    "Latest"/"Oldest" buttons): a control's label is not article text."""
    found = set()
    for control in body.iter(*_CONTROL_TAGS):
        for element in control.iterancestors():
            if element is body or _SPACES.sub(" ", _text_without_controls(element)).strip().count(" ") >= 4:
                break
            found.add(element)
    return found


def _text_without_controls(element) -> str:
    pieces = [element.text or ""]
    for child in element:
        if not (isinstance(child.tag, str) and child.tag.lower() in _CONTROL_TAGS):
            pieces.append(_text_without_controls(child))
        pieces.append(child.tail or "")
    return " ".join(pieces)


def _only_in_page_links(item) -> bool:
    text = _SPACES.sub("", item.text_content())
    linked = "".join(link.text_content() for link in item.iter("a") if (link.get("href") or "").startswith("#"))
    return bool(text) and _SPACES.sub("", linked) == text


def _article_span(
    page: list[_PageLine], extracted: str, *, headline: int | None, publication: str
) -> tuple[str, list[str]]:
    """trafilatura's article with the page's lines between its first and last paragraphs, and
    the lines of the page's header (byline, dates) apart.

    trafilatura drops short lines inside an article that it cannot tell from chrome: a live
    page's entry times ("18.02 BST") and headings, an aggregator's card headings, and often the
    standfirst under the headline. From the headline (or trafilatura's first paragraph found on
    the page) to its last one, every line of the page comes back and the cleaning rules, which
    know furniture by what it is, decide; what trafilatura kept below stays as it was. Lines that
    say who wrote the article or when, lines of the headline's own ``<header>`` element and
    the page's update stamps, the publication's name over its credit ("Courier, with Reuters")
    are the header, not the article."""
    wanted = [line for line in (_SPACES.sub(" ", raw).strip() for raw in extracted.split("\n")) if line]
    # Anchors: paragraphs long enough to be found once on the page ("Morocco" is in a menu too).
    anchors: list[tuple[int, int]] = []
    position = 0
    for wanted_index, line in enumerate(wanted):
        if len(line) < _ANCHOR_CHARACTERS:
            continue
        for index in range(position, len(page)):
            text = page[index].text
            if index != headline and (
                text == line or line in text or (len(text) >= _ANCHOR_CHARACTERS and text in line)
            ):
                anchors.append((wanted_index, index))
                position = index + 1
                break
    if len(anchors) < 2:
        return extracted, []
    (first_wanted, first), (last_wanted, last) = anchors[0], anchors[-1]
    before = wanted[:first_wanted]
    if headline is not None and headline < first:
        before, first = [], headline + 1
    taken = {index for _, index in anchors}
    # The header runs from the headline to the first paragraph, or to a byline or date line
    # right under it when that paragraph is a standfirst.
    header_end = anchors[0][1]
    for index in range(header_end + 1, min(header_end + _HEADER_AFTER_STANDFIRST + 1, last)):
        if index not in taken and is_header_metadata(page[index].text):
            header_end = index + 1
    header: list[str] = []
    middle: list[str] = []
    for index in range(first, last + 1):
        page_line = page[index]
        under_headline = headline is not None and index < header_end
        if index not in taken and (
            page_line.in_header
            or _PAGE_STAMP.match(page_line.text)
            or (
                under_headline
                and (is_header_metadata(page_line.text) or _names_publication(page_line.text, publication))
            )
        ):
            header.append(page_line.text)
        else:
            middle.append(page_line.text)
    return "\n".join([*before, *middle, *wanted[last_wanted + 1 :]]), header


def _letters(text: str) -> str:
    return "".join(character for character in text.casefold() if character.isalnum())


def _parse_page_date(value: str | None) -> datetime | None:
    """trafilatura gives the page's date as YYYY-MM-DD; taken as midnight UTC."""
    if not value:
        return None
    try:
        return datetime.strptime(value[:10], "%Y-%m-%d").replace(tzinfo=UTC)
    except ValueError:
        return None


def find_source(*, publication: str, raw_text: str, sources: Iterable[Source]) -> Source | None:
    """The source a file belongs to: the one it names, else the one whose marker it contains."""
    sources = list(sources)
    if publication:
        wanted = publication.casefold()
        for source in sources:
            if source.name.casefold() == wanted:
                return source
    for source in sources:
        if any(phrase in raw_text for phrase in source.marker_phrases()):
            return source
    return None


def assemble_canonical_text(blocks: Sequence[Block]) -> tuple[str, list[dict]]:
    """Join cleaned blocks into the canonical text and record where each one sits in it."""
    pieces: list[str] = []
    spans: list[dict] = []
    position = 0
    for block in blocks:
        if pieces:
            pieces.append(BLOCK_SEPARATOR)
            position += len(BLOCK_SEPARATOR)
        pieces.append(block.text)
        span: dict = {"kind": block.kind, "start": position, "end": position + len(block.text)}
        if block.published_at is not None:
            span["published_at"] = block.published_at.isoformat()
        spans.append(span)
        position += len(block.text)
    return "".join(pieces), spans


@dataclass(frozen=True)
class Prepared:
    """A file read, decoded, cleaned and filed under a source, not yet stored: ``document`` is
    unsaved; or ``refusal`` says why it will not be (a duplicate, an error)."""

    name: str
    document: Document | None = None
    refusal: ImportResult | None = None
    # The lines the source's line rules took out (unsaved, without their document yet).
    line_removals: tuple[LineRemoval, ...] = ()


def document_prepare(*, data: bytes, filename: str, source: Source | None = None, url: str = "") -> Prepared:
    """Everything an import does before writing the document: size and duplicate checks,
    decoding, cleaning, the source. ``url`` is where a fetched page came from. Never raises
    ImportRefused."""
    name = Path(filename).name
    try:
        check_size(len(data))
        digest = hashlib.sha256(data).hexdigest()
        if (refusal := _duplicate_refusal(name, digest)) is not None:
            return Prepared(name, refusal=refusal)
        raw_text = decode_bytes(data)
        extracted = _extract(raw_text, filename=name)
        document, removals = _prepare(
            raw_text=raw_text, extracted=extracted, digest=digest, filename=name, source=source
        )
        document.url = url
    except ImportRefused as refusal:
        return Prepared(name, refusal=ImportResult(name, "error", f"“{name}” {refusal}"))
    return Prepared(name, document=document, line_removals=removals)


def _duplicate_refusal(name: str, digest: str) -> ImportResult | None:
    existing = Document.all_objects.filter(sha256=digest).only("pk", "title", "deleted_at").first()
    if existing is not None and existing.deleted_at is not None:
        return ImportResult(
            name,
            "duplicate",
            f"“{name}” was imported before as “{existing.title}”, which a curator deleted: "
            "restore it in the admin (Documents, filter “deleted”) to read it again",
            existing,
        )
    if existing is not None:
        return ImportResult(name, "duplicate", f"“{name}” was imported before as “{existing.title}”", existing)
    return None


def prepared_store(prepared: Prepared) -> ImportResult:
    """Store a prepared document (in a savepoint of the caller's transaction, if any)."""
    if prepared.document is None:
        assert prepared.refusal is not None
        return prepared.refusal
    # A copy, so that a store rolled back (its entities failed) can be tried again from scratch.
    document = copy.copy(prepared.document)
    try:
        with transaction.atomic():
            document.save(force_insert=True)
    except IntegrityError:
        # Another import stored the same bytes between our check and our insert.
        existing = Document.all_objects.filter(sha256=document.sha256).first()
        return ImportResult(prepared.name, "duplicate", f"“{prepared.name}” was imported before", existing)
    if prepared.line_removals:  # a new document: nothing recorded before to replace
        line_removals_record(document=document, removals=prepared.line_removals)
    return ImportResult(
        prepared.name,
        "imported",
        f"“{prepared.name}” imported as “{document.title}” ({document.source.name})",
        document,
    )


def document_import(*, data: bytes, filename: str, source: Source | None = None) -> ImportResult:
    """Import one file's bytes as a document, or say why not. Never raises ImportRefused."""
    return prepared_store(document_prepare(data=data, filename=filename, source=source))


def line_removals_record(*, document: Document, removals: Sequence[LineRemoval]) -> None:
    """Keep what a source's line rules took out of ``document`` at import or fetch, in place of
    what they took out of its text before (a page fetched again is cleaned afresh), so turning a
    rule off puts the lines back."""
    LineRemoval.objects.filter(document=document).delete()
    rows = []
    for removal in removals:
        row = copy.copy(removal)  # the prepared ones stay unsaved: a store rolled back is tried again
        row.document = document
        rows.append(row)
    LineRemoval.objects.bulk_create(rows)


def _line_removals(rules: dict[str, int], curated: Sequence[CuratedRemoval]) -> tuple[LineRemoval, ...]:
    return tuple(
        LineRemoval(
            rule_id=rules[removal.shape],
            text=removal.block.text,
            kind=removal.block.kind,
            published_at=removal.block.published_at,
            position=removal.position,
            after=removal.after,
        )
        for removal in curated
    )


def _prepare(
    *, raw_text: str, extracted: _Extracted, digest: str, filename: str, source: Source | None
) -> tuple[Document, tuple[LineRemoval, ...]]:
    headline = extracted.title if extracted.headline_apart else ""
    article = clean_text(extracted.text, markdown=extracted.markdown, headline=headline)
    publication = extracted.publication or article.publication
    if source is None:
        source = find_source(publication=publication, raw_text=raw_text, sources=Source.objects.all())
    if source is None:
        source, _ = Source.objects.get_or_create(name=publication or UNKNOWN_SOURCE_NAME)
    # The lines a curator removed from this source: taken out again, whatever the page says.
    rules = dict(SourceLineRule.objects.active().filter(source=source).values_list("shape", "pk"))
    # "Unknown source" gathers unrelated publications: their shared lines say nothing.
    siblings = (
        []
        if source.name == UNKNOWN_SOURCE_NAME
        else list(Document.objects.filter(source=source).values_list("raw_text", flat=True)[:50])
    )
    if siblings:
        # Lines this source repeats in every article are its page furniture, not article text.
        article = clean_text(
            extracted.text, markdown=extracted.markdown, sibling_texts=siblings, headline=headline, removed_shapes=rules
        )
    elif rules:
        article = clean_text(extracted.text, markdown=extracted.markdown, headline=headline, removed_shapes=rules)
    canonical_text, spans = assemble_canonical_text(article.blocks)
    if not canonical_text.strip():
        raise ImportRefused("has no article text left once page furniture is removed")
    document = Document(
        source=source,
        title=(extracted.title or article.title)[:500],
        byline=(extracted.byline or article.byline)[:500],
        published_at=extracted.published_at or article.published_at,
        original_filename=filename,
        sha256=digest,
        raw_text=raw_text,
        canonical_text=canonical_text,
        blocks=spans,
        word_count=len(canonical_text.split()),
    )
    return document, _line_removals(rules, article.curated)


def _refusal(path: Path, reason: str) -> ImportResult:
    return ImportResult(path.name, "error", f"“{path}” {reason}")


def _link_refusal(path: Path) -> ImportResult:
    # A link in a folder could point anywhere (/etc/passwd, another user's files) and would be
    # served to every reader: only files that really are in the folders named are imported.
    return _refusal(path, "is a symbolic link: not imported (name the file it points to instead)")


def _files_in_folder(folder: Path) -> tuple[list[Path], list[ImportResult]]:
    files: list[Path] = []
    errors: list[ImportResult] = []
    # os.walk with followlinks=False never descends through a linked folder; linked files and
    # folders are reported, not followed.
    for directory, folder_names, file_names in os.walk(folder, followlinks=False):
        here = Path(directory)
        for name in sorted(folder_names):
            if (here / name).is_symlink():
                errors.append(_link_refusal(here / name))
        folder_names.sort()
        for name in sorted(file_names):
            found = here / name
            if found.is_symlink():
                errors.append(_link_refusal(found))
            elif not found.is_file():
                errors.append(_refusal(found, "is not a regular file: not imported"))
            elif found.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(found)
            elif not name.startswith("."):
                errors.append(
                    ImportResult(found.name, "skipped", f"“{found.name}” skipped: not a .txt, .md or .html file")
                )
    return files, errors


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[ImportResult]]:
    """Files to import from the given files and folders, and errors for paths that cannot be."""
    files: list[Path] = []
    errors: list[ImportResult] = []
    for path in paths:
        if path.is_symlink():
            errors.append(_link_refusal(path))
        elif path.is_dir():
            found, refused = _files_in_folder(path)
            files += found
            errors += refused
        elif path.is_file():
            if path.suffix.lower() in SUPPORTED_SUFFIXES:
                files.append(path)
            else:
                errors.append(ImportResult(path.name, "error", f"“{path.name}” is not a .txt, .md or .html file"))
        elif path.exists():
            errors.append(_refusal(path, "is not a regular file: not imported"))
        else:
            errors.append(ImportResult(path.name, "error", f"“{path}” does not exist"))
    return files, errors


def documents_import_paths(
    *,
    paths: Iterable[Path],
    source: Source | None = None,
    progress: Callable[[int, int, ImportResult], None] | None = None,
) -> list[ImportResult]:
    """Import files and folders; every file is tried, whatever happened to the others."""
    files, results = expand_paths(paths)
    for number, path in enumerate(files, start=1):
        result = _import_path(path, source=source)
        results.append(result)
        if progress is not None:
            progress(number, len(files), result)
    return results


def read_regular_file(path: Path) -> bytes:
    """The file's bytes, refusing a link or anything but a regular file at the moment of opening
    (O_NOFOLLOW), so a file swapped for a link after the folder was listed is not read either."""
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise ImportRefused("is a symbolic link: not imported (name the file it points to instead)") from None
        raise
    with os.fdopen(descriptor, "rb") as file:
        status = os.fstat(file.fileno())
        if not stat.S_ISREG(status.st_mode):
            raise ImportRefused("is not a regular file: not imported")
        # Refuse an oversized file before reading it into memory.
        check_size(status.st_size)
        return file.read(max_import_bytes() + 1)


def _import_path(path: Path, *, source: Source | None) -> ImportResult:
    try:
        data = read_regular_file(path)
        check_size(len(data))  # the file grew after it was measured
    except ImportRefused as refusal:
        return ImportResult(path.name, "error", f"“{path.name}” {refusal}")
    except OSError as error:
        return ImportResult(path.name, "error", f"“{path.name}” could not be read ({error.strerror})")
    return document_import(data=data, filename=path.name, source=source)


def documents_import_uploads(*, uploads: Iterable, source: Source | None = None) -> list[ImportResult]:
    """Import uploaded files (Django's UploadedFile), each on its own, refusing an oversized one
    before reading it into memory."""
    results = []
    for upload in uploads:
        try:
            check_size(upload.size)
        except ImportRefused as refusal:
            results.append(ImportResult(upload.name, "error", f"“{upload.name}” {refusal}"))
            continue
        results.append(document_import(data=upload.read(), filename=upload.name, source=source))
    return results
