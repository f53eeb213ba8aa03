"""The compare page's suggested links (#19): listed as JSON for static/js/suggestions.js, accepted
(made a link by the user) and dismissed. The documents are the page's columns (``doc``, and
``session`` on a session's page), read as the user may see them."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_GET, require_POST

from readingroom.annotations.links import relation_for
from readingroom.annotations.models import AnnotationSession, Relation
from readingroom.annotations.services import REFUSALS, refusal_status
from readingroom.annotations.suggestions import suggestion_dismiss
from readingroom.http import HtmxHttpRequest
from readingroom.ids import parse_id
from readingroom.library.selectors import MAX_COMPARED, documents_in_order, parse_document_ids

from .suggestions import KIND_NAMES, suggestion_accept, suggestions_for
from .views import compare_url


def _page(request: HtmxHttpRequest, data) -> tuple[list, AnnotationSession | None]:
    """The shown documents and the session of the page a request comes from (404 for a session
    the user is not a member of)."""
    documents = documents_in_order(parse_document_ids(data.getlist("doc"))[:MAX_COMPARED])
    session = None
    if (session_id := parse_id(data.get("session"))) is not None:
        session = get_object_or_404(AnnotationSession.objects.for_member(request.user), pk=session_id)
    return documents, session


def _answer(request: HtmxHttpRequest, data: dict, status: int, documents, session) -> HttpResponse:
    """JSON for the page's script; a plain form post goes back to the page it came from."""
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(data, status=status)
    if status >= 400:
        return HttpResponse(data.get("error", ""), status=status, content_type="text/plain; charset=utf-8")
    return redirect(session.get_absolute_url() if session else compare_url([d.pk for d in documents]))


@require_GET
def suggestions(request: HtmxHttpRequest) -> JsonResponse:
    documents, session = _page(request, request.GET)
    found = suggestions_for(user=request.user, documents=documents, session=session)
    relations = {r.slug: r for r in Relation.objects.filter(slug__in={s.relation_slug for s in found})}
    data = [
        {
            "key": s.key,
            "kind": s.kind,
            "kindName": KIND_NAMES[s.kind],
            "relation": s.relation_slug,
            "relationName": relations[s.relation_slug].name,
            "colour": relations[s.relation_slug].colour,
            "reason": s.reason,
            "passages": [
                {"document": p.document_id, "start": p.start, "end": p.end, "exact": p.exact} for p in s.passages
            ],
        }
        for s in found
        if s.relation_slug in relations
    ]
    response = JsonResponse({"suggestions": data})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def suggestion_accept_view(request: HtmxHttpRequest) -> HttpResponse:
    documents, session = _page(request, request.POST)
    relation = None
    if named := request.POST.get("relation", ""):
        relation = relation_for(named)
        if relation is None:
            return _answer(request, {"error": "Choose one of the relations offered."}, 400, documents, session)
    try:
        link = suggestion_accept(
            user=request.user, documents=documents, key=request.POST.get("key", ""), session=session, relation=relation
        )
    except REFUSALS as refused:
        return _answer(request, {"error": str(refused)}, refusal_status(refused, stale=409), documents, session)
    return _answer(request, {"id": link.pk, "document": link.document_id}, 201, documents, session)


@require_POST
@login_required
def suggestion_dismiss_view(request: HtmxHttpRequest) -> HttpResponse:
    documents, session = _page(request, request.POST)
    try:
        suggestion_dismiss(user=request.user, key=request.POST.get("key", ""), session=session)
    except REFUSALS as refused:
        return _answer(request, {"error": str(refused)}, refusal_status(refused, stale=409), documents, session)
    return _answer(request, {"dismissed": request.POST.get("key", "")}, 200, documents, session)
