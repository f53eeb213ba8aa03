"""A curator's changes to entities. Each keeps every mention, and each survives re-extraction."""

from __future__ import annotations

from django.db import transaction
from django.db.models import F

from readingroom.text.anchoring import AnchorState, quote_for, reanchor_all

from .models import Alias, Entity, Mention, MentionOrigin, normalise_name


class CurationError(Exception):
    """A change that cannot be made; the message says why, for the curator."""


def _normalised(surface: str) -> str:
    return normalise_name(surface) or surface.casefold()


@transaction.atomic
def entity_merge(*, source: Entity, target: Entity) -> Entity:
    """Move every mention and alias of ``source`` onto ``target`` and delete ``source``."""
    if source.pk == target.pk:
        raise CurationError("An entity cannot be merged into itself.")
    Mention.objects.filter(entity=source).update(entity=target)
    Alias.objects.filter(entity=source).update(entity=target)
    # Whatever else points to an entity (a quote's speaker, a cluster's) follows it too, rather
    # than losing its entity when ``source`` is deleted. Found through the relations, so the
    # layers above this one need not be named here.
    for relation in Entity._meta.related_objects:
        if relation.one_to_many and relation.related_model not in (Mention, Alias):
            field = relation.field.name
            relation.related_model._base_manager.filter(**{field: source}).update(**{field: target})
    if source.description and not target.description:
        target.description = source.description
        target.save(update_fields=["description", "updated_at"])
    source.delete()
    return target


@transaction.atomic
def entities_merge(*, entities: list[Entity], target: Entity) -> Entity:
    for entity in entities:
        if entity.pk != target.pk:
            entity_merge(source=entity, target=target)
    return target


@transaction.atomic
def alias_add(*, entity: Entity, surface: str) -> Alias:
    """A curated alias: the extractor's rule matcher will find this form everywhere as this entity."""
    surface = " ".join(surface.split())
    if not surface:
        raise CurationError("An alias needs some text.")
    normalised = _normalised(surface)
    existing = Alias.objects.filter(normalised=normalised).select_related("entity").first()
    if existing is not None and existing.entity_id != entity.pk:
        raise CurationError(
            f"“{surface}” is already an alias of {existing.entity}; merge the entities or split the alias off first."
        )
    alias, _ = Alias.objects.update_or_create(
        normalised=normalised, defaults={"entity": entity, "surface": surface, "curated": True}
    )
    return alias


@transaction.atomic
def alias_split(*, alias: Alias, name: str = "") -> Entity:
    """Give an alias an entity of its own, taking the mentions written that way with it."""
    old_entity = alias.entity
    if old_entity.aliases.count() == 1:
        raise CurationError(f"“{alias.surface}” is the only alias of {old_entity}; there is nothing to split it from.")
    new_entity = Entity.objects.create(name=name or alias.surface, type=old_entity.type)
    alias.entity = new_entity
    # Curated, so that re-extraction keeps linking this form to the new entity.
    alias.curated = True
    alias.save(update_fields=["entity", "curated"])
    moved = [m.pk for m in Mention.objects.filter(entity=old_entity) if _normalised(m.surface) == alias.normalised]
    Mention.objects.filter(pk__in=moved).update(entity=new_entity)
    return new_entity


@transaction.atomic
def entity_rename(*, entity: Entity, name: str) -> Entity:
    """Rename an entity; the new name becomes a curated alias so extraction finds it too."""
    name = " ".join(name.split())
    if not name:
        raise CurationError("An entity needs a name.")
    entity.name = name
    entity.save(update_fields=["name", "updated_at"])
    alias_add(entity=entity, surface=name)
    return entity


@transaction.atomic
def entity_curate(*, entity: Entity) -> Entity:
    """Mark an entity's current aliases as curated: its name and type are now a curator's decision."""
    Alias.objects.filter(entity=entity).update(curated=True)
    return entity


@transaction.atomic
def entities_set_hidden(*, entities, hidden: bool) -> int:
    return Entity.objects.filter(pk__in=[e.pk for e in entities]).update(hidden=hidden)


@transaction.atomic
def mentions_reject(*, mentions) -> int:
    """Mark mentions as wrong: no longer highlighted, and never found again by re-extraction."""
    return Mention.objects.filter(pk__in=[m.pk for m in mentions]).update(rejected=True)


@transaction.atomic
def mention_add(*, document, entity: Entity, start: int, end: int) -> Mention:
    """A curator's own mention of an entity at a span of the canonical text."""
    text = document.canonical_text
    if not (0 <= start < end <= len(text)):
        raise CurationError(f"The span {start}–{end} is outside the document's text (0–{len(text)}).")
    overlapping = Mention.objects.filter(document=document, start__lt=end, end__gt=start)
    if overlapping.filter(origin=MentionOrigin.CURATOR).exists():
        raise CurationError("A curator's mention already covers part of that span.")
    # The curator's mention replaces whatever extraction had found there.
    overlapping.delete()
    return Mention.objects.create(
        document=document, entity=entity, start=start, end=end, surface=text[start:end], origin=MentionOrigin.CURATOR
    )


@transaction.atomic
def mentions_reanchor(*, document, old_text: str) -> int:
    """Carry a curator's decisions (added and rejected mentions) over a text edit; the ones whose
    words are gone are dropped. Extraction finds the rest again. Returns how many were kept."""
    kept = list(Mention.objects.filter(document=document).kept_on_extraction())
    spans = [(m.start, m.end, quote_for(old_text, m.start, m.end)) for m in kept]
    anchors = reanchor_all(old_text, document.canonical_text, spans)
    Mention.objects.filter(document=document).exclude(pk__in=[m.pk for m in kept]).delete()
    survivors = []
    for mention, anchor in zip(kept, anchors, strict=True):
        if anchor.state == AnchorState.ORPHANED or anchor.quote.exact != mention.surface:
            mention.delete()
            continue
        mention.start, mention.end = anchor.start, anchor.end
        survivors.append(mention)
    # Two passes so that moving one mention onto another's old offsets never clashes.
    Mention.objects.filter(pk__in=[m.pk for m in survivors]).update(
        start=F("start") + 10_000_000, end=F("end") + 10_000_000
    )
    Mention.objects.bulk_update(survivors, ["start", "end"])
    return len(survivors)
