"""The W3C Web Annotation Protocol: a container at /annotations/ and one resource per annotation.

Same checks and permissions as the pages: ``Annotation.objects.visible_to(user)`` for every read
and the services for every write. The container answers the Protocol's three representations
(``Prefer``: the minimal container, contained IRIs, contained descriptions, the default) and its
pages; ``?document=ID`` and ``?session=ID`` are containers of their own, filtered. Every answer
has its ETag, ``Allow``, ``Vary`` and ``Link`` headers; every refusal is a problem document
(RFC 9457, ``application/problem+json``) that also keeps the ``error`` member clients read before.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from http import HTTPStatus
from urllib.parse import urlencode

import orjson
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig
from django.db.models import Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import CsrfViewMiddleware
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

from readingroom.ids import parse_id
from readingroom.library.versions import cached_by_version
from readingroom.loginlimits import client_network
from readingroom.querylimits import rate_limit_exceeded

from .jsonld import CONTENT_TYPE, annotation_container, annotation_page, annotation_to_jsonld, page_size
from .links import link_delete, link_targets, link_update, relation_for
from .models import Annotation, AnnotationSession, AnnotationTarget, Tag
from .parsing import InvalidAnnotation, parse_annotation
from .protocol import annotation_store_parsed, id_from_url
from .rows import annotation_rows
from .selectors import reader_key
from .services import REFUSALS, annotation_delete, annotation_update, refusal_status
from .tokens import api_token_authenticate

LDP_RESOURCE = '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
LDP_CONTAINER = '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"'
CONSTRAINED_BY = '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
PREFER_MINIMAL = "http://www.w3.org/ns/ldp#PreferMinimalContainer"
PREFER_IRIS = "http://www.w3.org/ns/oa#PreferContainedIRIs"
PREFER_DESCRIPTIONS = "http://www.w3.org/ns/oa#PreferContainedDescriptions"
PROBLEM_TYPE = "application/problem+json"
MAX_JSON_BYTES = 256 * 1024
ACCEPTED_CONTENT_TYPES = ("application/ld+json", "application/json")
# What an Accept header must allow for the JSON-LD we answer with (Turtle is not offered).
ACCEPTABLE = {"application/ld+json", "application/json", "application/*", "*/*"}
CONTAINER_METHODS = "GET, HEAD, OPTIONS, POST"
PAGE_METHODS = "GET, HEAD, OPTIONS"
RESOURCE_METHODS = "GET, HEAD, OPTIONS, PUT, DELETE"
# Who is asking changes what is seen; the representation also follows Accept and Prefer.
CONTAINER_VARY = "Accept, Prefer, Cookie, Authorization"
RESOURCE_VARY = "Accept, Cookie, Authorization"


def _base_url(request: HttpRequest) -> str:
    return f"{request.scheme}://{request.get_host()}"


def problem(status: int, detail: str, **headers: str) -> HttpResponse:
    """A refusal as RFC 9457 problem details; ``error`` repeats ``detail`` for older clients."""
    title = HTTPStatus(status).phrase
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, "error": detail}
    response = HttpResponse(orjson.dumps(body), status=status, content_type=PROBLEM_TYPE)
    for name, value in headers.items():
        response[name.replace("_", "-")] = value
    return response


def _jsonld(body: bytes, *, status: int = 200) -> HttpResponse:
    return HttpResponse(body, status=status, content_type=CONTENT_TYPE)


def _acceptable(request: HttpRequest) -> bool:
    """Whether the client's Accept header allows JSON-LD (no header: anything goes)."""
    header = request.headers.get("Accept")
    if not header or not header.strip():
        return True
    for part in header.split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        if media.lower() in ACCEPTABLE and not any(
            param.replace(" ", "") in ("q=0", "q=0.0", "q=0.00", "q=0.000") for param in params
        ):
            return True
    return False


def _etags(header: str) -> list[str]:
    """The entity tags of an If-Match or If-None-Match header, weak ones as their strong forms."""
    return [tag.strip().removeprefix("W/") for tag in header.split(",") if tag.strip()]


def _matches(header: str | None, etag: str) -> bool:
    if header is None:
        return False
    tags = _etags(header)
    return "*" in tags or etag in tags


def _not_modified(etag: str, vary: str) -> HttpResponse:
    response = HttpResponse(status=304)
    response["ETag"] = etag
    response["Vary"] = vary
    return response


def _options(allow: str, link: str, *, accept_post: bool = False) -> HttpResponse:
    response = HttpResponse(status=200)
    response["Allow"] = allow
    response["Link"] = link
    if accept_post:
        response["Accept-Post"] = CONTENT_TYPE
    return response


def _read_json(request: HttpRequest):
    """The request's JSON body, or a problem response saying what is wrong with it."""
    content_type = request.content_type or ""
    if content_type not in ACCEPTED_CONTENT_TYPES:
        return None, problem(
            415, 'Send the annotation as JSON-LD ("Content-Type: application/ld+json").', Accept_Post=CONTENT_TYPE
        )

    def too_big():
        return None, problem(413, f"An annotation can be at most {MAX_JSON_BYTES // 1024} KB of JSON.")

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
        return None, problem(400, "The request body is not valid JSON.")


def _with_details(queryset):
    return queryset.select_related("author", "relation").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.all()),
        Prefetch("targets", queryset=AnnotationTarget.objects.order_by("position"), to_attr="link_targets"),
    )


def _representation(
    request: HttpRequest, annotation: Annotation, *, status: int = 200, created: bool = False
) -> HttpResponse:
    if created:
        # Just stored by the services in this request: the instance is the row, its author is this
        # user, and its tags are those of its tag order (set together), so nothing is read again.
        tags = annotation.ordered_tags() if annotation.tag_order else []
    else:
        annotation, tags = _with_details(Annotation.objects.filter(pk=annotation.pk)).get(), None
    data = annotation_to_jsonld(annotation, base_url=_base_url(request), tags=tags)
    response = _jsonld(orjson.dumps(data), status=status)
    response["ETag"] = annotation.etag
    response["Link"] = LDP_RESOURCE
    response["Allow"] = RESOURCE_METHODS
    response["Vary"] = RESOURCE_VARY
    return response


# Who is asking ----------------------------------------------------------------------------------

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
FAILED_TOKENS_PER_MINUTE = 30
BEARER_CHALLENGE = 'Bearer realm="annotations"'


class _CsrfCheck(CsrfViewMiddleware):
    def _reject(self, request, reason):  # the reason, instead of Django's HTML page
        return reason


def _csrf_failure(request: HttpRequest) -> str | None:
    """Django's own CSRF check, run here because the views are exempt from the middleware's: a
    request with a token carries no cookie to forge, one with the session must pass it."""
    check = _CsrfCheck(lambda request: HttpResponse())
    check.process_request(request)
    reason: object = check.process_view(request, lambda: None, (), {})  # type: ignore[arg-type, return-value]
    return str(reason) if reason is not None else None


def api_authenticate(request: HttpRequest) -> HttpResponse | None:
    """Sets ``request.user`` from ``Authorization: Bearer <token>`` when one is sent (the token's
    user, with exactly their permissions; read-only tokens only read), or keeps the session's user
    and checks CSRF on a change; a refusal is returned as a response. Tokens are read here and
    nowhere else: the HTML pages never accept them."""
    header = request.headers.get("Authorization")
    if header is None:
        if request.method not in SAFE_METHODS and (reason := _csrf_failure(request)):
            return problem(403, f"CSRF check failed ({reason}). Send X-CSRFToken, or use an API token.")
        return None
    scheme, _, raw = header.strip().partition(" ")
    if scheme.lower() != "bearer" or not raw.strip():
        return problem(401, 'Send an API token as "Authorization: Bearer <token>".', WWW_Authenticate=BEARER_CHALLENGE)
    # Guessing is hopeless (256 bits), but each guess costs a lookup: wrong tokens are limited
    # per network, and past the limit not even looked up.
    failures = f"api-token-failures:{client_network(request)}"
    if cache.get(f"ratelimit:{failures}", 0) >= FAILED_TOKENS_PER_MINUTE:
        return problem(429, "Too many wrong tokens from your network; wait a minute.", Retry_After="60")
    token = api_token_authenticate(raw=raw.strip())
    if token is None:
        rate_limit_exceeded(key=failures, limit=FAILED_TOKENS_PER_MINUTE)
        return problem(
            401,
            "This API token is not valid or was revoked.",
            WWW_Authenticate=f'{BEARER_CHALLENGE}, error="invalid_token"',
        )
    if rate_limit_exceeded(key=f"api-token:{token.pk}", limit=settings.READINGROOM_API_REQUESTS_PER_MINUTE):
        return problem(429, "This token made too many requests; wait a minute.", Retry_After="60")
    if request.method not in SAFE_METHODS and token.scope != "write":
        return problem(403, "This token is read-only; make a read-and-write token to change annotations.")
    request.user = token.user
    return None


# The container ------------------------------------------------------------------------------------


def _preferences(request: HttpRequest) -> tuple[bool, bool] | None:
    """(minimal, iris) from ``Prefer: return=representation; include="…"`` (RFC 7240, LDP, and
    the Protocol's own two preferences), or None when the client stated none."""
    header = request.headers.get("Prefer", "")
    if "return=representation" not in header.replace(" ", ""):
        return None
    included: list[str] = []
    for part in header.split(";"):
        name, _, value = part.strip().partition("=")
        if name.strip().lower() == "include":
            included += value.strip().strip('"').split()
    minimal = PREFER_MINIMAL in included
    iris = PREFER_IRIS in included and PREFER_DESCRIPTIONS not in included
    return minimal, iris


def _dispatch(request: HttpRequest, handlers: dict[str, Callable[[], HttpResponse]]) -> HttpResponse:
    handler = handlers.get(request.method or "")
    if handler is None:
        allow = ", ".join(handlers)
        return problem(405, f"{request.method} is not allowed here; allowed: {allow}.", Allow=allow)
    return handler()


@csrf_exempt  # checked in api_authenticate for the session, not needed with a token
def container(request: HttpRequest) -> HttpResponse:
    """GET: the container of the annotations you can see (``?document=ID``, ``?session=ID``), as
    the Protocol's collection, or one of its pages (``?page=N``; ``?iris=1`` for ids only).
    POST: create an annotation from JSON-LD; 201 with Location and the stored annotation."""
    if refused := api_authenticate(request):
        return refused
    return _dispatch(
        request,
        {
            "GET": lambda: _container_get(request),
            "HEAD": lambda: _container_get(request),
            "OPTIONS": lambda: _options(CONTAINER_METHODS, f"{LDP_CONTAINER}, {CONSTRAINED_BY}", accept_post=True),
            "POST": lambda: _create(request),
        },
    )


def _container_get(request: HttpRequest) -> HttpResponse:
    if not _acceptable(request):
        return problem(406, "Annotations are served as JSON-LD (application/ld+json).")
    query: dict[str, str] = {}
    viewer, sessions = reader_key(request.user)
    annotations = Annotation.objects.visible_to(request.user, sessions=sessions).order_by(
        "document_id", "start", "created_at", "pk"
    )
    document = request.GET.get("document", "")
    has_links = False
    if document:
        if parse_id(document) is None:
            return problem(400, '"document" must be a document id.')
        linked = AnnotationTarget.objects.filter(document_id=int(document))
        # A document's links are cached under no one document's version (a passage elsewhere may
        # be deleted, hiding the link): with links, the list is built on every request.
        has_links = linked.exists() or AnnotationTarget.objects.filter(annotation__document_id=int(document)).exists()
        if has_links:
            annotations = annotations.filter(Q(document_id=int(document)) | Q(pk__in=linked.values("annotation_id")))
        else:
            annotations = annotations.filter(document_id=int(document))
        query["document"] = document.strip()
    session = request.GET.get("session", "")
    if session:
        if parse_id(session) is None:
            return problem(400, '"session" must be a session id.')
        if not AnnotationSession.objects.for_member(request.user).filter(pk=int(session)).exists():
            return problem(404, "No such session, or you are not a member of it.")
        annotations = annotations.filter(session_id=int(session))
        query["session"] = session.strip()
    iris_text = request.GET.get("iris", "0").strip()
    if iris_text not in ("0", "1"):
        return problem(400, '"iris" must be 0 or 1.')
    page_text = request.GET.get("page")
    page: int | None = None
    if page_text is not None:
        if parse_id(page_text) is None or len(page_text.strip()) > 9:
            return problem(400, '"page" must be a whole number.')
        page = int(page_text)
    minimal, iris = False, iris_text == "1"
    preferences = _preferences(request) if page is None else None
    if preferences is not None:
        minimal, iris = preferences[0], preferences[1] or iris
    size = page_size()
    base = _base_url(request) + reverse("annotation_container")
    collection_query = {**query, **({"iris": "1"} if iris else {})}
    collection_url = base + (f"?{urlencode(collection_query)}" if collection_query else "")

    def page_url(number: int) -> str:
        return f"{base}?{urlencode({**collection_query, 'page': number})}"

    def first_items(number: int) -> tuple[list, int]:
        window = annotations[number * size : (number + 1) * size]
        items = list(window.values_list("pk", flat=True)) if iris else annotation_rows(window)
        # A first page that is not full is the whole collection: no need to count it.
        total = len(items) if number == 0 and len(items) < size else annotations.count()
        return items, total

    def build() -> bytes:
        if page is not None:
            items, total = first_items(page)
            if page > 0 and page * size >= total:
                return b""  # no such page
            data = annotation_page(
                items,
                base_url=_base_url(request),
                page_url=page_url,
                collection_url=collection_url,
                total=total,
                page=page,
                size=size,
                iris=iris,
            )
        else:
            if minimal:
                items, total = None, annotations.count()
            else:
                items, total = first_items(0)
            data = annotation_container(
                items,
                base_url=_base_url(request),
                page_url=page_url,
                collection_url=collection_url,
                label=_label(query),
                total=total,
                size=size,
                iris=iris,
            )
        return orjson.dumps(data)

    # One document's annotations are kept, like its highlights, under its highlight version, which
    # database triggers bump on any change to its annotations, their tags or their authors' names.
    if document and not has_links:
        key = ("annotation-container", base, tuple(sorted(query.items())), page, minimal, iris, size, viewer)
        body = cached_by_version(int(document), key, build)
    else:
        body = build()
    if not body:
        return problem(404, f"This collection has no page {page}.")
    etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
    if _matches(request.headers.get("If-None-Match"), etag):
        return _not_modified(etag, CONTAINER_VARY)
    response = _jsonld(body)
    response["ETag"] = etag
    response["Vary"] = CONTAINER_VARY
    if page is None:
        response["Link"] = f"{LDP_CONTAINER}, {CONSTRAINED_BY}"
        response["Allow"] = CONTAINER_METHODS
        response["Accept-Post"] = CONTENT_TYPE
        response["Content-Location"] = collection_url
        if preferences is not None:
            response["Preference-Applied"] = "return=representation"
    else:
        response["Allow"] = PAGE_METHODS
        response["Content-Location"] = page_url(page)
    return response


def _label(query: dict[str, str]) -> str:
    if "document" in query and "session" in query:
        return f"Annotations you can see on document {query['document']} in session {query['session']}"
    if "document" in query:
        return f"Annotations you can see on document {query['document']}"
    if "session" in query:
        return f"Annotations you can see in session {query['session']}"
    return "Annotations you can see"


def _create(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return problem(
            401, "Sign in, or send an API token, to annotate.", WWW_Authenticate='Bearer realm="annotations"'
        )
    data, error = _read_json(request)
    if error:
        return error
    try:
        annotation = annotation_store_parsed(user=request.user, parsed=parse_annotation(data))
    except (InvalidAnnotation, *REFUSALS) as refused:
        return problem(refusal_status(refused, stale=412), str(refused))
    response = _representation(request, annotation, status=201, created=True)
    response["Location"] = _base_url(request) + annotation.get_absolute_url()
    response["Content-Location"] = response["Location"]
    return response


# One annotation ---------------------------------------------------------------------------------


@csrf_exempt  # checked in api_authenticate for the session, not needed with a token
def resource(request: HttpRequest, pk: int) -> HttpResponse:
    """GET, HEAD, OPTIONS: the annotation, if you can see it (404 otherwise). PUT (with If-Match)
    replaces its body, tags and visibility; DELETE removes it with its replies; authors only."""
    if refused := api_authenticate(request):
        return refused
    annotation = Annotation.objects.visible_to(request.user).filter(pk=pk).first()
    if annotation is None:
        return problem(404, "No such annotation, or you cannot see it.")
    return _dispatch(
        request,
        {
            "GET": lambda: _resource_get(request, annotation),
            "HEAD": lambda: _resource_get(request, annotation),
            "OPTIONS": lambda: _options(RESOURCE_METHODS, LDP_RESOURCE),
            "PUT": lambda: _change(request, annotation),
            "DELETE": lambda: _change(request, annotation),
        },
    )


def _resource_get(request: HttpRequest, annotation: Annotation) -> HttpResponse:
    if not _acceptable(request):
        return problem(406, "Annotations are served as JSON-LD (application/ld+json).")
    # The client's copy is current: answered from the row alone, nothing built.
    if _matches(request.headers.get("If-None-Match"), annotation.etag):
        return _not_modified(annotation.etag, RESOURCE_VARY)
    return _representation(request, annotation)


def _change(request: HttpRequest, annotation: Annotation) -> HttpResponse:
    if not request.user.is_authenticated:
        return problem(
            401, "Sign in, or send an API token, to change annotations.", WWW_Authenticate='Bearer realm="annotations"'
        )
    if annotation.author_id != request.user.pk:
        return problem(403, "Only its author can change or delete an annotation.")
    if_match = request.headers.get("If-Match")
    if if_match is not None and not _matches(if_match, annotation.etag):
        return problem(412, "This annotation changed since you loaded it; GET it again and retry.")
    version = annotation.version if if_match is not None else None
    if request.method == "DELETE":
        try:
            delete = link_delete if annotation.relation_id is not None else annotation_delete
            delete(user=request.user, annotation=annotation, expected_version=version)
        except REFUSALS as refused:
            return problem(refusal_status(refused, stale=412), str(refused))
        return HttpResponse(status=204)
    if version is None:
        return problem(428, 'Send "If-Match" with the ETag you last saw, so that no one\'s change is lost.')
    return _replace(request, annotation, version)


def _replace(request: HttpRequest, annotation: Annotation, version: int) -> HttpResponse:
    data, error = _read_json(request)
    if error:
        return error
    try:
        parsed = parse_annotation(data)
        if parsed.source_id and id_from_url(parsed.source_id) != annotation.pk:
            raise InvalidAnnotation('The "id" in the body is another annotation\'s; PUT it to its own address.')
        if parsed.canonical and parsed.canonical != annotation.canonical:
            raise InvalidAnnotation('An annotation\'s "canonical" IRI never changes.')
        if annotation.relation_id is not None:
            return _replace_link(request, annotation, parsed, version)
        if parsed.targets:
            raise InvalidAnnotation("The target of an annotation cannot be changed; create a new annotation.")
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
        return problem(refusal_status(refused, stale=412), str(refused))
    return _representation(request, updated)


def _replace_link(request: HttpRequest, annotation: Annotation, parsed, version: int) -> HttpResponse:
    """A PUT of a link: its relation, comment, tags and visibility change; its passages do not."""
    given = [(target.document.pk, target.start, target.end) for target in parsed.targets]
    stored = [(annotation.document_id, annotation.start, annotation.end)] + [
        (target.document_id, target.start, target.end) for target in link_targets(annotation)
    ]
    if given != stored:
        raise InvalidAnnotation("The targets of a link cannot be changed; create a new link.")
    relation = relation_for(parsed.relation)
    if relation is None:
        raise InvalidAnnotation(f"No relation called {str(parsed.relation)[:60]!r}.")
    updated = link_update(
        user=request.user,
        annotation=annotation,
        relation=relation,
        body=parsed.body,
        tag_names=parsed.tags,
        visibility=parsed.visibility,
        expected_version=version,
    )
    return _representation(request, updated)
