"""Reads about entities that pages share."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count

from readingroom.library.models import Document, Source

from .models import Entity, Mention

CONTEXT_CHARACTERS = 70


def mention_counts_by_document(entity: Entity, document_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        Mention.objects.shown()
        .filter(entity=entity, document_id__in=list(document_ids))
        .values_list("document_id")
        .annotate(total=Count("pk"))
    )
    return dict(rows)


@dataclass(frozen=True)
class EntityRow:
    entity: Entity
    total: int
    by_source: list[int]


def entity_table(*, entity_type: str | None = None) -> tuple[list[Source], list[EntityRow]]:
    """Shown entities with their mention counts per source, most mentioned first."""
    mentions = Mention.objects.shown()
    if entity_type:
        mentions = mentions.filter(entity__type=entity_type)
    counts = mentions.values_list("entity_id", "document__source_id").annotate(total=Count("pk"))
    per_entity: dict[int, dict[int, int]] = defaultdict(dict)
    for entity_id, source_id, total in counts:
        per_entity[entity_id][source_id] = total
    sources = list(Source.objects.filter(pk__in={s for c in per_entity.values() for s in c}).order_by("name"))
    entities = Entity.objects.in_bulk(list(per_entity))
    rows = [
        EntityRow(
            entity=entities[entity_id],
            total=sum(by_source.values()),
            by_source=[by_source.get(source.pk, 0) for source in sources],
        )
        for entity_id, by_source in per_entity.items()
    ]
    rows.sort(key=lambda row: (-row.total, row.entity.name))
    return sources, rows


@dataclass(frozen=True)
class InContext:
    mention: Mention
    before: str
    text: str
    after: str


# An entity page lists at most this many mentions (the count says how many there are).
MAX_MENTIONS_IN_CONTEXT = 1000


def mentions_in_context(entity: Entity) -> list[tuple[Document, list[InContext]]]:
    """The entity's shown mentions (the first ``MAX_MENTIONS_IN_CONTEXT``) with the words around
    them, grouped by document. Each document's text is read once, not once per mention."""
    mentions = list(
        Mention.objects.shown()
        .filter(entity=entity)
        .select_related("document__source")
        .defer("document__raw_text", "document__canonical_text", "document__blocks")
        .order_by("document__source__name", "document__title", "document_id", "start")[:MAX_MENTIONS_IN_CONTEXT]
    )
    texts = dict(
        Document.objects.filter(pk__in={mention.document_id for mention in mentions}).values_list(
            "pk", "canonical_text"
        )
    )
    grouped: dict[int, tuple[Document, list[InContext]]] = {}
    for mention in mentions:
        text = texts.get(mention.document_id, "")
        before = text[max(0, mention.start - CONTEXT_CHARACTERS) : mention.start]
        after = text[mention.end : mention.end + CONTEXT_CHARACTERS]
        # Stay inside the paragraph: context stops at a paragraph break.
        before = before.rsplit("\n", 1)[-1]
        after = after.split("\n", 1)[0]
        line = InContext(mention, before, text[mention.start : mention.end], after)
        grouped.setdefault(mention.document_id, (mention.document, []))[1].append(line)
    return list(grouped.values())
