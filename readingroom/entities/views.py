from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from readingroom.library.selectors import documents_in_order, parse_document_ids

from .models import Entity, EntityType
from .selectors import MAX_MENTIONS_IN_CONTEXT, entity_table, mention_counts_by_document, mentions_in_context


def _get_entity(pk: int) -> Entity:
    return get_object_or_404(Entity.objects.shown().prefetch_related("aliases"), pk=pk)


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


@require_GET
def entity_card(request: HttpRequest, pk: int) -> HttpResponse:
    """The small card for an entity selected in the reader: counts for the documents shown."""
    entity = _get_entity(pk)
    documents = documents_in_order(parse_document_ids(request.GET.getlist("doc"))[:10])
    counts = mention_counts_by_document(entity, [d.pk for d in documents])
    context = {
        "entity": entity,
        # The forms the documents actually use, which may be more than the stored aliases.
        "aliases": sorted(set(entity.mentions.shown().values_list("surface", flat=True)) - {entity.name}),
        "counts": [(document, counts.get(document.pk, 0)) for document in documents],
    }
    return render(request, "entities/_entity_card.html", context)
