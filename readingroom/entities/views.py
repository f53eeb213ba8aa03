from __future__ import annotations

import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from readingroom.ids import parse_id
from readingroom.library.selectors import documents_in_order, parse_document_ids

from .curation import (
    decision_undo,
    entity_merge_into,
    entity_retype,
    mention_reject_one,
    writing_reject,
    writing_split,
)
from .models import CurationDecision, Entity, EntityType, Mention
from .selectors import MAX_MENTIONS_IN_CONTEXT, entity_table, mention_counts_by_document, mentions_in_context
from .services import CurationError

CURATOR_PERMISSION = "entities.change_entity"
# Entities a search for a merge or split target lists at most.
SEARCH_RESULTS = 10


def _get_entity(pk: int) -> Entity:
    return get_object_or_404(Entity.objects.shown().prefetch_related("aliases"), pk=pk)


def _is_curator(request: HttpRequest) -> bool:
    return request.user.has_perm(CURATOR_PERMISSION)


def _require_curator(request: HttpRequest) -> None:
    if not _is_curator(request):
        raise PermissionDenied("Only curators may change entities.")


@require_GET
def entity_list(request: HttpRequest) -> HttpResponse:
    entity_type = request.GET.get("type", "")
    if entity_type not in EntityType.values:
        entity_type = ""
    sources, rows = entity_table(entity_type=entity_type or None)
    return render(
        request,
        "entities/entity_list.html",
        {"sources": sources, "rows": rows, "types": EntityType.choices, "entity_type": entity_type},
    )


@require_GET
def entity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    entity = _get_entity(pk)
    groups = mentions_in_context(entity)
    shown = sum(len(lines) for _, lines in groups)
    total = entity.mentions.shown().count() if shown >= MAX_MENTIONS_IN_CONTEXT else shown
    context = {"entity": entity, "groups": groups, "shown": shown, "total": total}
    return render(request, "entities/entity_detail.html", context)


def _clicked_mention(entity: Entity, data) -> Mention | None:
    """The shown mention of ``entity`` the card was opened from: the mark in document ``in`` that
    covers offset ``at`` of its canonical text."""
    document_id, offset = parse_id(data.get("in")), parse_id(data.get("at"))
    if document_id is None or offset is None:
        return None
    return (
        Mention.objects.shown()
        .filter(entity=entity, document_id=document_id, start__lte=offset, end__gt=offset)
        .select_related("document")
        .first()
    )


def _card(request: HttpRequest, entity: Entity, data, *, decision=None, undone=None, error="", status=200):
    documents = documents_in_order(parse_document_ids(data.getlist("doc"))[:10])
    counts = mention_counts_by_document(entity, [d.pk for d in documents])
    curator = _is_curator(request)
    context = {
        "entity": entity,
        # The forms the documents actually use, which may be more than the stored aliases.
        "aliases": sorted(set(entity.mentions.shown().values_list("surface", flat=True)) - {entity.name}),
        "counts": [(document, counts.get(document.pk, 0)) for document in documents],
        "curator": curator,
        "mention": _clicked_mention(entity, data) if curator else None,
        "types": EntityType.choices,
        "decision": decision,
        "undone": undone,
        "error": error,
    }
    return render(request, "entities/_entity_card.html", context, status=status)


@require_GET
def entity_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The small card for an entity selected in the reader: counts for the documents shown, and
    for a curator the controls that correct it (``in`` and ``at`` say which mark was clicked)."""
    return _card(request, _get_entity(pk), request.GET)


@require_GET
def entity_search(request: HttpRequest) -> HttpResponse:
    """Entities by name or alias, as a curator types: the targets of a merge or a split."""
    _require_curator(request)
    query = " ".join(request.GET.get("q", "").split())[:100]
    purpose = "split" if request.GET.get("for") == "split" else "merge"
    results: list[Entity] = []
    if query:
        results = list(
            Entity.objects.shown()
            .filter(Q(name__icontains=query) | Q(aliases__surface__icontains=query))
            .exclude(pk=parse_id(request.GET.get("exclude")) or 0)
            .annotate(
                starts=Case(
                    When(name__istartswith=query, then=Value(0)), default=Value(1), output_field=IntegerField()
                ),
                total=Count("mentions", filter=Q(mentions__rejected=False), distinct=True),
            )
            .order_by("starts", "-total", "name")
            .distinct()[:SEARCH_RESULTS]
        )
    context = {"results": results, "query": query, "purpose": purpose, "writing": request.GET.get("writing", "")}
    return render(request, "entities/_entity_search.html", context)


def _done(request: HttpRequest, entity: Entity, *, decision=None, undone=None) -> HttpResponse:
    """An htmx request gets the card of the entity the decision left, with what happened and an
    Undo; and an event that tells the page to render its marks again. A plain form post goes to
    that entity's page with the same message."""
    if request.headers.get("HX-Request"):
        response = _card(request, entity, request.POST, decision=decision, undone=undone)
        response["HX-Trigger"] = json.dumps({"entities-curated": {"entity": entity.pk}})
        return response
    messages.success(request, f"Undone: {undone.summary}" if undone else decision.summary)
    return redirect(entity.get_absolute_url())


def _refused(request: HttpRequest, entity: Entity, error: str) -> HttpResponse:
    if request.headers.get("HX-Request"):
        return _card(request, entity, request.POST, error=error, status=400)
    return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")


def _curated_entity(request: HttpRequest, pk: int) -> Entity:
    _require_curator(request)
    return get_object_or_404(Entity, pk=pk)


def _target(request: HttpRequest) -> Entity | None:
    """The entity named by the form's ``into``: None when there is none, 404 when it names none."""
    value = request.POST.get("into", "")
    if not value:
        return None
    pk = parse_id(value)
    if pk is None:
        raise ValueError("That is not an entity.")
    return get_object_or_404(Entity, pk=pk)


@require_POST
@vary_on_headers("HX-Request")
def entity_merge_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = _curated_entity(request, pk)
    try:
        target = _target(request)
        if target is None:
            raise CurationError("Choose the entity to merge it into.")
        decision = entity_merge_into(source=entity, target=target, user=request.user)
    except (CurationError, ValueError) as error:
        return _refused(request, entity, str(error))
    return _done(request, target, decision=decision)


@require_POST
@vary_on_headers("HX-Request")
def entity_split_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = _curated_entity(request, pk)
    mention = _clicked_mention(entity, request.POST)
    try:
        into = _target(request)
        decision = writing_split(
            entity=entity,
            surface=request.POST.get("writing", ""),
            into=into,
            document=mention.document if mention else None,
            user=request.user,
        )
    except (CurationError, ValueError) as error:
        return _refused(request, entity, str(error))
    return _done(request, decision.entity or entity, decision=decision)


@require_POST
@vary_on_headers("HX-Request")
def entity_type_view(request: HttpRequest, pk: int) -> HttpResponse:
    entity = _curated_entity(request, pk)
    try:
        decision = entity_retype(entity=entity, entity_type=request.POST.get("type", ""), user=request.user)
    except CurationError as error:
        return _refused(request, entity, str(error))
    return _done(request, entity, decision=decision)


@require_POST
@vary_on_headers("HX-Request")
def entity_reject_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Not an entity: the clicked mention (``mention``), or every mention written so (``writing``)."""
    entity = _curated_entity(request, pk)
    try:
        if "writing" in request.POST:
            decision = writing_reject(entity=entity, surface=request.POST["writing"], user=request.user)
        else:
            mention_id = parse_id(request.POST.get("mention"))
            if mention_id is None:
                raise CurationError("Say which mention is not an entity.")
            mention = get_object_or_404(
                Mention.objects.shown().select_related("document"), pk=mention_id, entity=entity
            )
            decision = mention_reject_one(mention=mention, user=request.user)
    except CurationError as error:
        return _refused(request, entity, str(error))
    return _done(request, entity, decision=decision)


@require_POST
@vary_on_headers("HX-Request")
def decision_undo_view(request: HttpRequest, pk: int) -> HttpResponse:
    _require_curator(request)
    decision = get_object_or_404(CurationDecision, pk=pk)
    try:
        entity = decision_undo(decision=decision, user=request.user)
    except CurationError as error:
        if decision.entity is not None:
            return _refused(request, decision.entity, str(error))
        return HttpResponse(str(error), status=400, content_type="text/plain; charset=utf-8")
    decision.refresh_from_db()
    if entity is None:
        entity = decision.entity
    if entity is None:
        return HttpResponse(f"Undone: {decision.summary}", content_type="text/plain; charset=utf-8")
    return _done(request, entity, undone=decision)
