"""Reading the W3C JSON-LD a client sends (``parse_annotation``) or an export holds (``items_of``):
its shape is checked here, its content by the services."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.urls import Resolver404, get_script_prefix, get_urlconf, resolve

from readingroom.ids import parse_id
from readingroom.library.models import Document

from .jsonld import url_around_id
from .models import Visibility
from .selectors import document_for_annotating


class InvalidAnnotation(ValueError):
    """JSON that is not an annotation we can store; the message says what is wrong."""


@dataclass
class ParsedTarget:
    """One passage of a link as a client sent it."""

    document: Document
    start: int | None = None
    end: int | None = None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    orphaned: bool = False


@dataclass
class ParsedAnnotation:
    document: Document | None = None
    start: int | None = None
    end: int | None = None
    exact: str = ""
    prefix: str = ""
    suffix: str = ""
    body: str = ""
    tags: list[str] = field(default_factory=list)
    visibility: str | None = None  # None: the default for where it is made
    session_id: int | None = None  # Reading Room's own term: the session it is made in
    reply_to: str | None = None  # the parent's id (a URL) for replies
    source_id: str | None = None  # the annotation's own id, when it had one (imports)
    orphaned: bool = False  # Reading Room's "state": its passage was lost to a text edit
    creator_nickname: str | None = None
    canonical: str = ""  # the W3C model's canonical IRI, kept as given
    via: str = ""  # where it was copied from: its own id, or the via it had
    # A link (#19): its relation's slug or name, and every passage, the first one also above.
    relation: str | None = None
    targets: list[ParsedTarget] = field(default_factory=list)


def _iri(value, what: str) -> str:
    """An absolute IRI (``canonical``, ``via``, an ``id``), or an error saying what is wrong."""
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > 2000 or not urlsplit(value).scheme or any(c.isspace() for c in value):
        raise InvalidAnnotation(f"{what} must be an absolute IRI of at most 2,000 characters.")
    return value


def _as_list(value) -> list:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def document_from_url(url: str) -> Document | None:
    """The document a target ``source`` URL names (any host: exports move between servers)."""
    if not isinstance(url, str):
        return None
    path = urlsplit(url).path
    # The reader's own address, as every annotation the popover sends names it: no URL resolving.
    head, tail = url_around_id("document_detail", get_script_prefix(), get_urlconf())
    pk = path[len(head) : len(path) - len(tail)]
    if path.startswith(head) and path.endswith(tail) and parse_id(pk) is not None:
        return document_for_annotating(int(pk))
    try:
        match = resolve(path)
    except Resolver404:
        return None
    if match.url_name not in ("document_detail", "document_text"):
        return None
    return document_for_annotating(match.kwargs["pk"])


def _text(value, what: str, *, limit: int = 20_000) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InvalidAnnotation(f"{what} must be a string.")
    if len(value) > limit:
        raise InvalidAnnotation(f"{what} is too long.")
    return value


def _whole_number(value, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidAnnotation(f"{what} must be a whole number.")
    return value


def parse_annotation(data) -> ParsedAnnotation:
    """Read a JSON-LD annotation a client sent. Checks its shape; the services check its content."""
    if not isinstance(data, dict):
        raise InvalidAnnotation("An annotation must be a JSON object.")
    if data.get("type", "Annotation") != "Annotation":
        raise InvalidAnnotation('The "type" of an annotation must be "Annotation".')
    parsed = ParsedAnnotation(source_id=data.get("id") if isinstance(data.get("id"), str) else None)
    parsed.canonical = _iri(data.get("canonical"), '"canonical"')
    # The Protocol: an id the client gave moves to "via" when the server gives the annotation its own.
    # (An id that is no IRI, such as a blank node's, is not kept.)
    try:
        parsed.via = _iri(parsed.source_id, '"id"')
    except InvalidAnnotation:
        parsed.via = ""
    parsed.via = parsed.via or _iri(data.get("via"), '"via"')
    visibility = data.get("visibility")
    if visibility is not None and visibility not in Visibility.values:
        raise InvalidAnnotation(f'"visibility" must be one of: {", ".join(Visibility.values)}.')
    parsed.visibility = visibility
    session = data.get("session")
    if session is not None:
        parsed.session_id = _whole_number(session, '"session"')
    creator = data.get("creator")
    if isinstance(creator, dict) and isinstance(creator.get("nickname"), str):
        parsed.creator_nickname = creator["nickname"]

    bodies = _as_list(data.get("body"))
    if len(bodies) > 50:
        raise InvalidAnnotation("Too many bodies.")
    for body in bodies:
        if isinstance(body, str):
            parsed.body = _text(body, "A body")
            continue
        if not isinstance(body, dict):
            raise InvalidAnnotation("Each body must be an object or a string.")
        purpose = body.get("purpose")
        value = _text(body.get("value"), "A body's value")
        if purpose == "tagging":
            parsed.tags.append(value)
        elif purpose == "classifying":
            if parsed.relation is not None:
                raise InvalidAnnotation("A link has one relation (one body with the classifying purpose).")
            parsed.relation = value
        elif purpose in (None, "commenting", "describing", "replying"):
            parsed.body = value
        else:
            raise InvalidAnnotation(
                f'A body\'s "purpose" must be "tagging", "commenting" or "classifying", not {purpose!r}.'
            )

    target = data.get("target")
    if data.get("motivation") == "replying" or isinstance(target, str):
        if not isinstance(target, str):
            raise InvalidAnnotation("A reply's target must be the URL of the annotation it answers.")
        parsed.reply_to = target
        return parsed
    targets = _as_list(target)
    if len(targets) > 1 or parsed.relation is not None:
        return _parse_link(parsed, targets)
    if len(targets) != 1 or not isinstance(targets[0], dict):
        raise InvalidAnnotation('An annotation needs one "target" with a "source" and a "selector".')
    first = _parse_target(targets[0], orphaned=data.get("state") == "orphaned")
    parsed.document, parsed.start, parsed.end = first.document, first.start, first.end
    parsed.exact, parsed.prefix, parsed.suffix, parsed.orphaned = (
        first.exact,
        first.prefix,
        first.suffix,
        first.orphaned,
    )
    return parsed


MAX_LINK_TARGETS = 10


def _parse_link(parsed: ParsedAnnotation, targets: list) -> ParsedAnnotation:
    """A link: two or more targets, each a passage (``source`` and selectors), and its relation as
    a body with the ``classifying`` purpose. A target may say it is ``"state": "orphaned"`` (an
    export of a link whose passage a text edit took away)."""
    if parsed.relation is None:
        raise InvalidAnnotation(
            'A link (several targets) needs its relation: a body with "purpose": "classifying" naming it.'
        )
    if len(targets) < 2:
        raise InvalidAnnotation("A link needs at least two targets.")
    if len(targets) > MAX_LINK_TARGETS:
        raise InvalidAnnotation(f"A link can have at most {MAX_LINK_TARGETS} targets.")
    for number, target in enumerate(targets, start=1):
        if not isinstance(target, dict):
            raise InvalidAnnotation(f'Target {number} must be an object with a "source" and a "selector".')
        try:
            parsed.targets.append(_parse_target(target, orphaned=target.get("state") == "orphaned"))
        except InvalidAnnotation as error:
            raise InvalidAnnotation(f"Target {number}: {error}") from None
    first = parsed.targets[0]
    parsed.document, parsed.start, parsed.end = first.document, first.start, first.end
    parsed.exact, parsed.prefix, parsed.suffix, parsed.orphaned = first.exact, first.prefix, first.suffix, False
    return parsed


def _parse_target(target: dict, *, orphaned: bool) -> ParsedTarget:
    source = target.get("source")
    if not isinstance(source, str):
        raise InvalidAnnotation('The target\'s "source" must be the address of a document.')
    document = document_from_url(source)
    if document is None:
        raise InvalidAnnotation(f"No document at the target source {source[:200]!r}.")
    parsed = ParsedTarget(document=document)
    selectors = _as_list(target.get("selector"))
    if len(selectors) > 10:
        raise InvalidAnnotation("Too many selectors.")
    for selector in selectors:
        if not isinstance(selector, dict):
            raise InvalidAnnotation("Each selector must be an object.")
        if selector.get("type") == "TextPositionSelector":
            parsed.start = _whole_number(selector.get("start"), "A TextPositionSelector's start")
            parsed.end = _whole_number(selector.get("end"), "A TextPositionSelector's end")
        elif selector.get("type") == "TextQuoteSelector":
            parsed.exact = _text(selector.get("exact"), "A TextQuoteSelector's exact")
            parsed.prefix = _text(selector.get("prefix"), "A TextQuoteSelector's prefix")
            parsed.suffix = _text(selector.get("suffix"), "A TextQuoteSelector's suffix")
    if parsed.start is None and parsed.exact:
        if orphaned:
            # Exported after its passage was edited away: it comes back orphaned, quote and all.
            parsed.orphaned = True
            return parsed
        parsed.start, parsed.end = _position_of_quote(parsed)
    if parsed.start is None:
        raise InvalidAnnotation("The target needs a TextPositionSelector or a TextQuoteSelector that matches once.")
    if not parsed.exact and parsed.end is not None:
        # A position alone: the quote is whatever is there.
        text = document.canonical_text
        if 0 <= parsed.start < parsed.end <= len(text):
            parsed.exact = text[parsed.start : parsed.end]
    return parsed


def _position_of_quote(parsed: ParsedTarget) -> tuple[int, int]:
    text = parsed.document.canonical_text
    needle = parsed.prefix + parsed.exact + parsed.suffix
    first = text.find(needle)
    if first == -1 or text.find(needle, first + 1) != -1:
        raise InvalidAnnotation("The TextQuoteSelector does not match exactly one place in the document.")
    start = first + len(parsed.prefix)
    return start, start + len(parsed.exact)


def items_of(data) -> list[dict]:
    """The annotations inside an export: a collection, a page, a list or one annotation."""
    if isinstance(data, list):
        return data
    if not isinstance(data, dict):
        raise InvalidAnnotation("Expected a JSON object or list.")
    kind = data.get("type")
    if kind == "AnnotationCollection":
        first = data.get("first")
        return list(first.get("items", [])) if isinstance(first, dict) else []
    if kind == "AnnotationPage":
        return list(data.get("items", []))
    return [data]
