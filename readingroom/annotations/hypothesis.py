"""Annotations from Hypothesis (``annotations_import_hypothesis``): its JSON export or an API
search answer, rows with ``uri``, ``text``, ``tags``, ``target[].selector``, ``group`` and
``references``.

Each row's ``uri`` is matched to a document by the address it was fetched from, or else by its
quote (the one document whose text holds it). A highlight is anchored by its quote and context
(Hypothesis's positions count in the web page, not in our text, so they only break ties); one
whose quote is not there is kept as an orphan, never dropped. Replies stay replies in their
thread. Every row not stored, and why, is in the report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.core.exceptions import PermissionDenied
from django.db import transaction

from readingroom.library.models import Document
from readingroom.text.anchoring import AnchorState

from .checks import AnnotationError, check_body
from .comments import render_comment
from .models import Annotation, Visibility
from .parsing import InvalidAnnotation
from .services import annotation_create, reply_store
from .tags import set_tags, tags_for_names

MAX_ROWS = 50_000
CONTEXT = 64  # characters of prefix and suffix kept, as the model keeps them


@dataclass
class HypothesisImport:
    created: int = 0
    replies: int = 0
    orphaned: list[str] = field(default_factory=list)  # kept, not anchored: which and why
    refused: list[str] = field(default_factory=list)  # not stored: which and why
    already: int = 0  # imported before (the same Hypothesis id, for the same user)


@dataclass
class _Selection:
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    start: int | None = None


def hypothesis_rows(data) -> list[dict]:
    """The rows of an export (a list), an API search answer (``{"rows": [...]}``) or one row."""
    if isinstance(data, dict) and isinstance(data.get("rows"), list):
        data = data["rows"]
    elif isinstance(data, dict) and isinstance(data.get("annotations"), list):
        data = data["annotations"]
    elif isinstance(data, dict) and "uri" in data:
        data = [data]
    if not isinstance(data, list):
        raise InvalidAnnotation('Expected Hypothesis rows: a list, or an object with "rows".')
    if len(data) > MAX_ROWS:
        raise InvalidAnnotation(f"At most {MAX_ROWS:,} rows at once.")
    return [row for row in data if isinstance(row, dict)]


def _address_key(url: str) -> str:
    """An address as pages are matched: without scheme, "www.", query-less fragment or final slash."""
    parts = urlsplit(url.strip())
    host = parts.netloc.lower().removeprefix("www.")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{parts.path.rstrip('/')}{query}"


def _string(value) -> str:
    return value if isinstance(value, str) else ""


def _selection(row: dict) -> _Selection:
    found = _Selection()
    targets = row.get("target")
    for target in targets if isinstance(targets, list) else []:
        selectors = target.get("selector") if isinstance(target, dict) else None
        for selector in selectors if isinstance(selectors, list) else []:
            if not isinstance(selector, dict):
                continue
            if selector.get("type") == "TextQuoteSelector" and isinstance(selector.get("exact"), str):
                found.exact = selector["exact"][:20_000]
                found.prefix = _string(selector.get("prefix"))
                found.suffix = _string(selector.get("suffix"))
            elif selector.get("type") == "TextPositionSelector" and isinstance(selector.get("start"), int):
                found.start = selector["start"]
            # RangeSelector: XPaths into the web page's markup, which our plain text does not have.
    return found


def _pattern(text: str) -> re.Pattern[str]:
    """The text with any run of white space matching any other: a web page's line breaks and
    spaces are not our paragraphs'."""
    words = text.split()
    return re.compile(r"\s+".join(re.escape(word) for word in words))


def _closeness(wanted: str, got: str, *, from_end: bool) -> int:
    """How many characters of context agree, compared from the quote outwards."""
    wanted, got = " ".join(wanted.split()), " ".join(got.split())
    if from_end:
        wanted, got = wanted[::-1], got[::-1]
    count = 0
    for a, b in zip(wanted, got, strict=False):
        if a != b:
            break
        count += 1
    return count


def anchor_quote(text: str, selection: _Selection) -> tuple[int, int] | None:
    """Where the quote is in ``text``: the occurrence whose context agrees best (then the one
    nearest the position Hypothesis gave), or None when the quote is not there."""
    if not selection.exact.strip():
        return None
    matches = [(m.start(), m.end()) for m in _pattern(selection.exact).finditer(text)][:1000]
    if not matches:
        return None

    def score(span: tuple[int, int]) -> tuple[int, int]:
        start, end = span
        context = _closeness(selection.prefix, text[max(0, start - CONTEXT) : start], from_end=True) + _closeness(
            selection.suffix, text[end : end + CONTEXT], from_end=False
        )
        distance = abs(start - selection.start) if selection.start is not None else 0
        return (context, -distance)

    return max(matches, key=score)


def _document_for(row: dict, selection: _Selection, by_address: dict[str, Document]) -> Document | None:
    uri = row.get("uri")
    if isinstance(uri, str) and (document := by_address.get(_address_key(uri))):
        return document
    if len(selection.exact.split()) < 3:
        return None  # a word or two is in many articles: not enough to tell which
    needle = selection.exact.split()[0]
    candidates = [
        document
        for document in Document.objects.filter(canonical_text__contains=needle).only("pk", "canonical_text")[:200]
        if _pattern(selection.exact).search(document.canonical_text)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _name(row: dict) -> str:
    uri = _string(row.get("uri")) or "?"
    return f"{row.get('id', '?')} ({uri[:120]})"


@transaction.atomic
def annotations_import_hypothesis(*, rows: list[dict], user, visibility: str = Visibility.PRIVATE) -> HypothesisImport:
    """Store Hypothesis rows as ``user``'s annotations (visible as ``visibility``, private by
    default: a group's notes are not made public by moving them). Threads first, then replies
    in order; a row imported before (its Hypothesis id kept as ``via``) is not stored again."""
    report = HypothesisImport()
    by_address = {
        _address_key(url): document
        for url, document in ((d.url, d) for d in Document.objects.exclude(url="").only("pk", "url"))
    }
    stored: dict[str, Annotation] = {}

    def references(row: dict) -> list[str]:
        value = row.get("references")
        return [ref for ref in value if isinstance(ref, str)] if isinstance(value, list) else []

    for row in sorted(rows, key=lambda row: len(references(row))):
        row_id = _string(row.get("id"))
        via = f"https://hypothes.is/a/{row_id}" if row_id else ""
        if via and Annotation.objects.filter(author=user, via=via).exists():
            report.already += 1
            continue
        text = _string(row.get("text"))
        tags = (
            [tag for tag in row.get("tags") or [] if isinstance(tag, str)] if isinstance(row.get("tags"), list) else []
        )
        annotation: Annotation | None
        try:
            if references(row):
                parent = next((stored[ref] for ref in reversed(references(row)) if ref in stored), None)
                if parent is None:
                    report.refused.append(f"{_name(row)}: a reply to an annotation that is not in the file.")
                    continue
                annotation = reply_store(
                    parent=parent.parent or parent, author=user, body=text, visibility=parent.visibility
                )
                report.replies += 1
            else:
                annotation = _store_thread(
                    row, user=user, text=text, tags=tags, visibility=visibility, by_address=by_address, report=report
                )
        except (AnnotationError, PermissionDenied) as refused:
            report.refused.append(f"{_name(row)}: {refused}")
            continue
        if annotation is None:
            continue
        if via:
            Annotation.objects.filter(pk=annotation.pk).update(via=via)
        if row_id:
            stored[row_id] = annotation
    return report


def _store_thread(row, *, user, text, tags, visibility, by_address, report) -> Annotation | None:
    selection = _selection(row)
    document = _document_for(row, selection, by_address)
    if document is None:
        report.refused.append(f"{_name(row)}: no document here has that address or that quote.")
        return None
    span = anchor_quote(document.canonical_text, selection)
    if span is not None:
        start, end = span
        report.created += 1
        return annotation_create(
            user=user,
            document=document,
            start=start,
            end=end,
            exact=document.canonical_text[start:end],
            body=text,
            tag_names=tags[:10],
            visibility=visibility,
        )
    # Not anchored: kept as an orphan with its quote, listed on the document's page.
    body = check_body(text)
    orphan = Annotation.objects.create(
        document=document,
        author=user,
        exact=selection.exact,
        prefix=selection.prefix[-CONTEXT:],
        suffix=selection.suffix[:CONTEXT],
        anchor_state=AnchorState.ORPHANED,
        body=body,
        body_html=render_comment(body),
        visibility=visibility,
    )
    set_tags(orphan, tags_for_names(tags[:10]))
    report.created += 1
    why = "its quote is not in the text" if selection.exact else "it has no quote (a page note)"
    report.orphaned.append(f"{_name(row)}: kept as an orphan on “{document.title[:80]}”, {why}.")
    return orphan
