"""The coverage matrix: who and what each shown article mentions, entities × articles."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count

from readingroom.entities.models import Entity, Mention
from readingroom.library.models import Document


@dataclass(frozen=True)
class MatrixRow:
    entity: Entity
    cells: list[tuple[int, int, Document]]  # (mentions, shade 0–5, document) per document shown
    total: int


def coverage_matrix(
    documents: list[Document], *, limit: int = 40, mention_rows: dict[int, list[tuple]] | None = None
) -> list[MatrixRow]:
    """Entities × documents: how often each document mentions each entity, most mentioned first.
    ``mention_rows``: the shown mentions of these documents as the reader's ``highlights.entity_rows`` gives
    them, when the page has read them already for its highlights (saves a grouped query)."""
    ids = [document.pk for document in documents]
    counts: dict[int, dict[int, int]] = defaultdict(dict)
    if mention_rows is not None:
        for document_id in ids:
            for row in mention_rows.get(document_id, ()):
                by_document = counts[row[3]]
                by_document[document_id] = by_document.get(document_id, 0) + 1
    else:
        rows = (
            Mention.objects.shown()
            .filter(document_id__in=ids)
            .order_by()  # no ordering joins, and nothing but these two in the GROUP BY
            .values_list("entity_id", "document_id")
            .annotate(total=Count("pk"))
        )
        for entity_id, document_id, total in rows:
            counts[entity_id][document_id] = total
    ranked = sorted(counts.items(), key=lambda item: -sum(item[1].values()))[:limit]
    entities = Entity.objects.only("name", "type").in_bulk([entity_id for entity_id, _ in ranked])
    largest = max((n for _, by_document in ranked for n in by_document.values()), default=1)
    rows = []
    for entity_id, by_document in ranked:
        cells = []
        for document in documents:
            n = by_document.get(document.pk, 0)
            cells.append((n, 0 if n == 0 else min(5, 1 + (4 * n) // largest), document))
        rows.append(MatrixRow(entities[entity_id], cells, sum(by_document.values())))
    return rows
