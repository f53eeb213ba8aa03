"""What the entity curation tests start from, made so rather than hoped for from extraction."""

from __future__ import annotations

from readingroom.entities.curation import normalised_writing
from readingroom.entities.models import Alias, Entity, Mention


def entity_written(surface: str) -> Entity:
    """An entity of its own for the seeds' mentions written ``surface``, as extraction makes for a
    name it cannot link ("the North" beside North Korea). Where extraction has joined the writing
    to another entity, it is taken off again here, without a curator's decision, so that the
    tests do not depend on extraction's mistakes (which it keeps getting better at)."""
    normalised = normalised_writing(surface)
    mentions = [
        m for m in Mention.objects.filter(surface__iexact=surface) if normalised_writing(m.surface) == normalised
    ]
    assert mentions, f"the seeds never write {surface!r}"
    entity = mentions[0].entity
    others = Mention.objects.filter(entity=entity).exclude(pk__in=[m.pk for m in mentions]).exists()
    if not others and normalised_writing(entity.name) == normalised:
        return entity
    own = Entity.objects.create(name=surface, type=entity.type)
    Mention.objects.filter(pk__in=[m.pk for m in mentions]).update(entity=own)
    Alias.objects.update_or_create(normalised=normalised, defaults={"entity": own, "surface": surface})
    return own
