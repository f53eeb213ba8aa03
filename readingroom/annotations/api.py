"""The W3C Web Annotation Protocol: a container at /annotations/ and one resource per annotation.

Same checks and permissions as the pages: Django's session login, the CSRF token in
``X-CSRFToken``, ``Annotation.objects.visible_to(user)`` for every read.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

import orjson
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from readingroom.ids import parse_id
from readingroom.library.versions import cached_by_version

from .jsonld import CONTENT_TYPE, annotation_page, annotation_to_jsonld, page_size
from .models import Annotation, AnnotationSession, Tag
from .parsing import InvalidAnnotation, parse_annotation
from .rows import annotation_rows
from .selectors import reader_key
from .services import (
    REFUSALS,
    annotation_create_parsed,
    annotation_delete,
    annotation_reply,
    annotation_update,
    refusal_status,
)

LDP_RESOURCE = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
LDP_CONTAINER = '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"'
MAX_JSON_BYTES = 256 * 1024
ACCEPTED_CONTENT_TYPES = ("application/ld+json", "application/json")


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _jsonld(data: dict, *, status: int = 200) -> HttpResponse:
    # orjson: UTF-8 like json.dumps(ensure_ascii=False), some ten times quicker on a page of a
    # thousand annotations.
    return HttpResponse(orjson.dumps(data), status=status, content_type=CONTENT_TYPE)


def _read_json(request: HttpRequest):
    """The request's JSON body, or an error response saying what is wrong with it."""
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_CONTENT_TYPES:
        return None, _error(415, 'Send the annotation as JSON-LD ("Content-Type: application/ld+json").')

    def too_big():
        return None, _error(413, f"An annotation can be at most {MAX_JSON_BYTES // 1024} KB of JSON.")

    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > MAX_JSON_BYTES:
        return too_big()
    try:
        body = request.body
    except RequestDataTooBig:
        return too_big()
    if len(body) > MAX_JSON_BYTES:
        return too_big()
    try:
        return json.loads(body), None
    except (ValueError, RecursionError):
        return None, _error(400, "The request body is not valid JSON.")


def _with_details(queryset):
    return queryset.select_related("author").prefetch_related(Prefetch("tags", queryset=Tag.objects.all()))


def _visible(request: HttpRequest):
    return Annotation.objects.visible_to(request.user)


def _store(request: HttpRequest, data) -> Annotation:
    parsed = parse_annotation(data)
    if parsed.reply_to is not None:
        parent = _visible(request).filter(pk=_id_from_url(parsed.reply_to)).first()
        if parent is None:
            raise InvalidAnnotation("The annotation this replies to does not exist or you cannot see it.")
        return annotation_reply(user=request.user, parent=parent, body=parsed.body)
    session = None
    if parsed.session_id is not None:
        session = AnnotationSession.objects.for_member(request.user).filter(pk=parsed.session_id).first()
        if session is None:
            raise InvalidAnnotation("No such session, or you are not a member of it.")
    return annotation_create_parsed(user=request.user, parsed=parsed, session=session)


def _id_from_url(url: str) -> int | None:
    return parse_id(url.rstrip("/").rsplit("/", 1)[-1])


def _representation(
    request: HttpRequest, annotation: Annotation, *, status: int = 200, created: bool = False
) -> HttpResponse:
    if created:
        # Just stored by the services in this request: the instance is the row, its author is this
        # user, and its tags are those of its tag order (set together), so nothing is read again.
        tags = annotation.ordered_tags() if annotation.tag_order else []
    else:
        annotation, tags = _with_details(Annotation.objects.filter(pk=annotation.pk)).get(), None
    response = _jsonld(annotation_to_jsonld(annotation, base_url=_base_url(request), tags=tags), status=status)
    response["ETag"] = annotation.etag
    response["Link"] = LDP_RESOURCE
    response["Allow"] = "GET, HEAD, OPTIONS, PUT, DELETE"
    response["Vary"] = "Accept, Cookie"
    return response


@require_http_methods(["GET", "HEAD", "OPTIONS", "POST"])
def container(request: HttpRequest) -> HttpResponse:
    """GET: an AnnotationPage of the annotations you can see (``?document=ID``, ``?page=N``).
    POST: create an annotation from JSON-LD; 201 with Location and the stored annotation."""
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = "GET, HEAD, OPTIONS, POST"
        response["Link"] = LDP_CONTAINER
        return response
    if request.method == "POST":
        return _create(request)
    query: dict[str, str] = {}
    document = request.GET.get("document", "")
    if document and parse_id(document) is None:
        return _error(400, '"document" must be a document id.')
    page_text = request.GET.get("page", "0")
    if parse_id(page_text) is None or len(page_text.strip()) > 9:
        return _error(400, '"page" must be a whole number.')
    page, size = int(page_text), page_size()
    viewer, sessions = reader_key(request.user)
    annotations = Annotation.objects.visible_to(request.user, sessions=sessions).order_by(
        "document_id", "start", "created_at", "pk"
    )
    if document:
        annotations = annotations.filter(document_id=int(document))
        query["document"] = document
    base = _base_url(request) + reverse("annotation_container")

    def build() -> bytes:
        items = annotation_rows(annotations[page * size : (page + 1) * size])
        # A first page that is not full is the whole collection: no need to count it.
        total = len(items) if page == 0 and len(items) < size else annotations.count()
        collection_url = base + (f"?{urlencode(query)}" if query else "")

        def page_url(number: int) -> str:
            return f"{base}?{urlencode({**query, 'page': number})}"

        return orjson.dumps(
            annotation_page(
                items,
                base_url=_base_url(request),
                page_url=page_url,
                collection_url=collection_url,
                total=total,
                page=page,
                size=size,
            )
        )

    # One document's annotations are kept, like its highlights, under its highlight version, which
    # database triggers bump on any change to its annotations, their tags or their authors' names.
    body = (
        cached_by_version(int(document), ("annotation-page", base, page, size, viewer), build) if document else build()
    )
    response = HttpResponse(body, content_type=CONTENT_TYPE)
    response["Link"] = LDP_CONTAINER
    response["Allow"] = "GET, HEAD, OPTIONS, POST"
    response["Vary"] = "Accept, Cookie"
    return response


def _create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return _error(401, "Sign in to annotate.")
    data, error = _read_json(request)
    if error:
        return error
    try:
        annotation = _store(request, data)
    except (InvalidAnnotation, *REFUSALS) as refused:
        return _error(refusal_status(refused, stale=412), str(refused))
    response = _representation(request, annotation, status=201, created=True)
    response["Location"] = _base_url(request) + annotation.get_absolute_url()
    return response


def _if_match(request: HttpRequest) -> str | None:
    header = request.headers.get("If-Match")
    if header is None:
        return None
    return header.strip().removeprefix("W/")


@require_http_methods(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(_visible(request), pk=pk)
    if request.method in ("GET", "HEAD"):
        # The client's copy is current: answered from the row alone, nothing built.
        if request.headers.get("If-None-Match") == annotation.etag:
            not_modified = HttpResponse(status=304)
            not_modified["ETag"] = annotation.etag
            return not_modified
        return _representation(request, annotation)
    if request.method == "OPTIONS":
        response = HttpResponse(status=204)
        response["Allow"] = "GET, HEAD, OPTIONS, PUT, DELETE"
        response["Link"] = LDP_RESOURCE
        return response
    if not request.user.is_authenticated:
        return _error(401, "Sign in to change annotations.")
    if annotation.author_id != request.user.pk:
        return _error(403, "Only its author can change or delete an annotation.")
    expected = _if_match(request)
    if expected == "*":
        expected = annotation.etag  # "any version": the client accepts overwriting
    if expected is not None and expected != annotation.etag:
        return _error(412, "This annotation changed since you loaded it; GET it again and retry.")
    version = annotation.version if expected is not None else None
    if request.method == "DELETE":
        try:
            annotation_delete(user=request.user, annotation=annotation, expected_version=version)
        except REFUSALS as refused:
            return _error(refusal_status(refused, stale=412), str(refused))
        return HttpResponse(status=204)
    if expected is None:
        return _error(428, 'Send "If-Match" with the ETag you last saw, so that no one\'s change is lost.')
    return _replace(request, annotation, annotation.version)


def _replace(request: HttpRequest, annotation: Annotation, version: int) -> HttpResponse:
    data, error = _read_json(request)
    if error:
        return error
    try:
        parsed = parse_annotation(data)
        if (
            annotation.parent_id is None
            and annotation.start is not None
            and (
                parsed.document is None
                or parsed.document.pk != annotation.document_id
                or (parsed.start, parsed.end) != (annotation.start, annotation.end)
            )
        ):
            raise InvalidAnnotation("The target of an annotation cannot be changed; create a new annotation.")
        updated = annotation_update(
            user=request.user,
            annotation=annotation,
            body=parsed.body,
            tag_names=parsed.tags,
            visibility=parsed.visibility,
            expected_version=version,
        )
    except (InvalidAnnotation, *REFUSALS) as refused:
        return _error(refusal_status(refused, stale=412), str(refused))
    return _representation(request, updated)
