"""W3C Web Annotation Data Model: annotations as JSON-LD, alone, in pages and in collections.

An exported annotation carries the document's absolute URL as its target ``source`` and both a
TextQuoteSelector and a TextPositionSelector (code points). Replies are annotations with the
``replying`` motivation whose target is their parent. ``visibility`` is Reading Room's own term.
Reading a client's JSON-LD back is ``parsing.py``.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

from .formats import creator, iso
from .links import link_state, link_targets
from .models import Annotation
from .rows import AnnotationRow

ANNO_CONTEXT = "http://www.w3.org/ns/anno.jsonld"
LDP_CONTEXT = "http://www.w3.org/ns/ldp.jsonld"
CONTENT_TYPE = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def page_size() -> int:
    """Items per AnnotationPage: large enough that a document's annotations usually come in one
    request (``READINGROOM_ANNOTATION_PAGE_SIZE``, default 1,000)."""
    return settings.READINGROOM_ANNOTATION_PAGE_SIZE


class _Urls:
    """Annotation and document addresses for many ids: one reverse() each, then string joins."""

    def __init__(self, base_url: str):
        self.annotation = self._maker(base_url, "annotation_detail")
        self.document = self._maker(base_url, "document_detail")

    @staticmethod
    def _maker(base_url: str, name: str):
        head, tail = url_around_id(name, get_script_prefix(), get_urlconf())
        head = base_url + head
        return lambda pk: f"{head}{pk}{tail}"


@functools.lru_cache(maxsize=64)
def url_around_id(name: str, script_prefix: str, urlconf) -> tuple[str, str]:
    """What a URL with one id has before and after the id (under the script prefix and URLconf
    reverse() uses now, which the cache key names)."""
    head, tail = reverse(name, args=[0]).rsplit("0", 1)
    return head, tail


def annotation_to_jsonld(
    annotation: Annotation | AnnotationRow, *, base_url: str, context: bool = True, urls: _Urls | None = None, tags=None
) -> dict:
    """One annotation as W3C JSON-LD. Expects ``author`` selected and ``tags`` prefetched (or an
    ``AnnotationRow``, which has both), unless the caller passes its ``tags`` in order."""
    urls = urls or _Urls(base_url)
    data: dict = {}
    if context:
        data["@context"] = ANNO_CONTEXT
    data.update(
        {
            "id": urls.annotation(annotation.pk),
            "type": "Annotation",
            "created": iso(annotation.created_at),
            "modified": iso(annotation.updated_at),
            "creator": creator(annotation.author),
            "visibility": annotation.visibility,
        }
    )
    if annotation.canonical:
        data["canonical"] = annotation.canonical
    if annotation.via:
        data["via"] = annotation.via
    if annotation.session_id:
        data["session"] = annotation.session_id
    targets = link_targets(annotation)
    if annotation.parent_id is None:
        data["state"] = link_state(annotation, targets)
    tags = annotation.ordered_tags() if tags is None else tags
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": tag.name} for tag in tags]
    relation = _relation_slug(annotation)
    if relation is not None:
        # The relation classifies the link's targets (the data model: each target is equally
        # related to the body); tagging bodies stay the tags, which a relation is not.
        bodies.insert(0, {"type": "TextualBody", "purpose": "classifying", "value": relation})
    if annotation.body:
        bodies.append(
            {"type": "TextualBody", "purpose": "commenting", "value": annotation.body, "format": "text/markdown"}
        )
    data["body"] = bodies
    if annotation.parent_id:
        data["motivation"] = "replying"
        data["target"] = urls.annotation(annotation.parent_id)
        return data
    if relation is not None:
        data["motivation"] = "linking"
        data["target"] = [
            {**_target(passage, urls), "state": passage.anchor_state} for passage in [annotation, *targets]
        ]
        return data
    data["motivation"] = "commenting" if annotation.body else "tagging" if bodies else "highlighting"
    data["target"] = _target(annotation, urls)
    return data


def _target(passage, urls: _Urls) -> dict:
    """A passage (an annotation's own target, or a link's ``AnnotationTarget``) as a W3C target."""
    selectors: list[dict] = [
        {
            "type": "TextQuoteSelector",
            "exact": passage.exact,
            "prefix": passage.prefix,
            "suffix": passage.suffix,
        }
    ]
    if passage.start is not None:
        selectors.append({"type": "TextPositionSelector", "start": passage.start, "end": passage.end})
    return {"source": urls.document(passage.document_id), "selector": selectors}


def _relation_slug(annotation) -> str | None:
    if annotation.relation_id is None:
        return None
    if isinstance(annotation, AnnotationRow):
        return annotation.relation_slug
    return annotation.relation.slug


def _items(annotations: Sequence, *, base_url: str, iris: bool) -> list:
    """A page's items: each annotation described, or (``iris``) only its IRI, from its id."""
    urls = _Urls(base_url)
    if iris:
        return [urls.annotation(pk) for pk in annotations]
    return [annotation_to_jsonld(a, base_url=base_url, context=False, urls=urls) for a in annotations]


def annotation_page(
    annotations: Sequence,
    *,
    base_url: str,
    page_url,
    collection_url: str,
    total: int,
    page: int,
    size: int,
    iris: bool = False,
) -> dict:
    """An AnnotationPage of ``size`` items at most; ``page_url(n)`` gives the URL of page n.
    ``annotations`` are annotations or rows, or (``iris``) ids."""
    data = {
        "@context": ANNO_CONTEXT,
        "id": page_url(page),
        "type": "AnnotationPage",
        "partOf": {"id": collection_url, "type": "AnnotationCollection", "total": total},
        "startIndex": page * size,
        "items": _items(annotations, base_url=base_url, iris=iris),
    }
    if page > 0:
        data["prev"] = page_url(page - 1)
    if (page + 1) * size < total:
        data["next"] = page_url(page + 1)
    return data


def annotation_container(
    first_items: Sequence | None,
    *,
    base_url: str,
    page_url,
    collection_url: str,
    label: str,
    total: int,
    size: int,
    iris: bool = False,
) -> dict:
    """The Protocol's container: an LDP BasicContainer that is an AnnotationCollection, with its
    ``total`` and its ``first`` and ``last`` pages. ``first_items`` (the first page's annotations,
    rows or ids) are embedded as the first page; None gives the minimal container, whose pages are
    only named (``Prefer: return=representation;include="…#PreferMinimalContainer"``). An empty
    collection has no pages (the data model: a page has at least one item)."""
    data: dict = {
        "@context": [ANNO_CONTEXT, LDP_CONTEXT],
        "id": collection_url,
        "type": ["BasicContainer", "AnnotationCollection"],
        "label": label,
        "total": total,
    }
    if total:
        if first_items is None:
            data["first"] = page_url(0)
        else:
            first: dict = {
                "id": page_url(0),
                "type": "AnnotationPage",
                "startIndex": 0,
                "items": _items(first_items, base_url=base_url, iris=iris),
            }
            if size < total:
                first["next"] = page_url(1)
            data["first"] = first
        data["last"] = page_url((total - 1) // size)
    return data


def annotation_collection(annotations: Sequence[Annotation], *, base_url: str, label: str, collection_url: str) -> dict:
    """Everything in one collection with one embedded page: the export file format."""
    urls = _Urls(base_url)
    return {
        "@context": ANNO_CONTEXT,
        "id": collection_url,
        "type": "AnnotationCollection",
        "label": label,
        "total": len(annotations),
        "first": {
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation_to_jsonld(a, base_url=base_url, context=False, urls=urls) for a in annotations],
        },
    }
