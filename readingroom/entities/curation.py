"""A curator's decisions taken from an entity card in the reader: merge, split a writing off,
change the type, "not an entity". Each is written to the curation log (``CurationDecision``),
survives re-extraction (see ``extraction.Linker.entity_for``, ``_retype`` and
``document_extract_entities``) and can be undone from the card's message or the admin.
"""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .models import (
    Alias,
    CurationAction,
    CurationDecision,
    Entity,
    EntityType,
    Mention,
    RejectedWriting,
    normalise_name,
)
from .services import CurationError, entity_merge


def normalised_writing(surface: str) -> str:
    """The form a writing is compared in (as aliases store it)."""
    return normalise_name(surface) or " ".join(surface.split()).casefold()


def _tidy(surface: str) -> str:
    return " ".join(surface.split())


def _mentions_written(mentions, normalised: str) -> list[int]:
    return [pk for pk, surface in mentions.values_list("pk", "surface") if normalised_writing(surface) == normalised]


def _log(*, action: str, entity: Entity | None, user, **fields) -> CurationDecision:
    return CurationDecision.objects.create(
        action=action,
        entity=entity,
        entity_name=entity.name if entity is not None else fields.pop("entity_name", ""),
        user=user if getattr(user, "is_authenticated", False) else None,
        **fields,
    )


@transaction.atomic
def entity_merge_into(*, source: Entity, target: Entity, user=None) -> CurationDecision:
    """Merge ``source`` into ``target`` (mentions, aliases and whatever points to it move). The
    moved aliases are marked as placed by a curator, so the next document that writes one of
    them links it to ``target`` whatever the name rules would have said."""
    if source.pk == target.pk:
        raise CurationError("An entity cannot be merged into itself.")
    aliases = list(Alias.objects.filter(entity=source).values_list("pk", "decided"))
    mentions = list(Mention.objects.filter(entity=source).values_list("pk", flat=True))
    snapshot = {
        "name": source.name,
        "type": source.type,
        "type_curated": source.type_curated,
        "description": source.description,
        "hidden": source.hidden,
        "aliases": aliases,
        "mentions": mentions,
    }
    name = source.name
    entity_merge(source=source, target=target)
    Alias.objects.filter(pk__in=[pk for pk, _ in aliases]).update(decided=True)
    shown = Mention.objects.shown().filter(pk__in=mentions).count()
    return _log(
        action=CurationAction.MERGE,
        entity=target,
        user=user,
        other_name=name,
        detail=f"{shown} mention{'s' if shown != 1 else ''} moved",
        undo=snapshot,
    )


@transaction.atomic
def writing_split(
    *, entity: Entity, surface: str, into: Entity | None = None, document=None, user=None
) -> CurationDecision:
    """Take every mention of ``entity`` written ``surface`` (as names are compared: "the North",
    "North") off it, into ``into`` or, without one, into a new entity of the same type. The
    writing becomes an alias placed by the curator on the entity it went to, so extraction
    links it there from now on."""
    surface = _tidy(surface)
    normalised = normalised_writing(surface)
    if not normalised:
        raise CurationError("Say which writing to split off.")
    if into is not None and into.pk == entity.pk:
        raise CurationError(f"“{surface}” is already a writing of {entity.name}.")
    mine = Mention.objects.filter(entity=entity)
    moved = _mentions_written(mine, normalised)
    alias = Alias.objects.filter(normalised=normalised).first()
    if not moved and (alias is None or alias.entity_id != entity.pk):
        raise CurationError(f"{entity.name} is never written “{surface}”.")
    if alias is not None and alias.entity_id not in (entity.pk, into.pk if into is not None else None):
        raise CurationError(f"“{surface}” is a name of {alias.entity}: open that entity's card to split it.")
    others = mine.exclude(pk__in=moved).exists() or entity.aliases.exclude(normalised=normalised).exists()
    if not others:
        raise CurationError(f"“{surface}” is the only writing of {entity.name}; there is nothing to split it from.")
    created = into is None
    if into is None:
        into = Entity.objects.create(name=surface, type=entity.type)
    alias_before = [alias.pk, alias.entity_id, alias.curated, alias.decided] if alias is not None else None
    if alias is None:
        alias = Alias.objects.create(entity=into, surface=surface, normalised=normalised, decided=True)
    else:
        alias.entity, alias.decided = into, True
        alias.save(update_fields=["entity", "decided"])
    Mention.objects.filter(pk__in=moved).update(entity=into)
    old_name = entity.name
    if normalised_writing(entity.name) == normalised:
        # The entity was named by the writing that left it: it takes the name it is most written by.
        remaining = Counter(Mention.objects.shown().filter(entity=entity).values_list("surface", flat=True))
        names = [_tidy(name) for name, _ in remaining.most_common(1)] or list(
            entity.aliases.values_list("surface", flat=True)[:1]
        )
        if names:
            entity.name = names[0]
            entity.save(update_fields=["name", "updated_at"])
    shown = Mention.objects.shown().filter(pk__in=moved).count()
    return _log(
        action=CurationAction.SPLIT,
        entity=into,
        user=user,
        other_entity=entity,
        other_name=old_name,
        surface=surface,
        document=document,
        detail=f"{shown} mention{'s' if shown != 1 else ''} moved",
        undo={
            "alias": alias.pk,
            "alias_before": alias_before,
            "mentions": moved,
            "created": created,
            "old_name": old_name,
        },
    )


@transaction.atomic
def entity_retype(*, entity: Entity, entity_type: str, user=None) -> CurationDecision:
    """Give the entity a type a curator chose: extraction keeps it, whatever the model says."""
    if entity_type not in EntityType.values:
        raise CurationError("Choose one of the entity types.")
    before = {"type": entity.type, "type_curated": entity.type_curated}
    if entity.type == entity_type and entity.type_curated:
        raise CurationError(f"{entity.name} is already a {entity.get_type_display().lower()}.")
    entity.type, entity.type_curated = entity_type, True
    entity.save(update_fields=["type", "type_curated", "updated_at"])
    return _log(
        action=CurationAction.RETYPE,
        entity=entity,
        user=user,
        detail=EntityType(entity_type).label,
        undo=before,
    )


@transaction.atomic
def mention_reject_one(*, mention: Mention, user=None) -> CurationDecision:
    """This one mention is not an entity: no longer highlighted, never found there again."""
    if mention.rejected:
        raise CurationError(f"“{mention.surface}” here was rejected already.")
    Mention.objects.filter(pk=mention.pk).update(rejected=True)
    return _log(
        action=CurationAction.REJECT_MENTION,
        entity=mention.entity,
        user=user,
        surface=mention.surface,
        document=mention.document,
        undo={"mentions": [mention.pk]},
    )


@transaction.atomic
def writing_reject(*, entity: Entity, surface: str, user=None) -> CurationDecision:
    """A writing that is never an entity ("Sort by", a wire slug): every mention of it (of this
    entity, or anything else written so) is rejected, and extraction finds it in no document,
    also in documents imported later."""
    surface = _tidy(surface)
    normalised = normalised_writing(surface)
    if not normalised:
        raise CurationError("Say which writing is not an entity.")
    if RejectedWriting.objects.filter(normalised=normalised).exists():
        raise CurationError(f"“{surface}” is rejected everywhere already.")
    rejected = RejectedWriting.objects.create(surface=surface, normalised=normalised)
    candidates = Mention.objects.filter(rejected=False).filter(Q(entity=entity) | Q(surface__iexact=surface))
    mentions = _mentions_written(candidates, normalised)
    Mention.objects.filter(pk__in=mentions).update(rejected=True)
    return _log(
        action=CurationAction.REJECT_WRITING,
        entity=entity,
        user=user,
        surface=surface,
        detail=f"{len(mentions)} mention{'s' if len(mentions) != 1 else ''} rejected",
        undo={"mentions": mentions, "rejected_writing": rejected.pk},
    )


@transaction.atomic
def decision_undo(*, decision: CurationDecision, user=None) -> Entity | None:
    """Reverse a decision as far as the library still allows, mark it undone and return the
    entity the curator should look at next. A merge comes apart by the aliases that came in
    with it (their mentions follow them); "every mention of a writing" rejected returns the
    mentions it rejected, and the next extraction finds the writing in other documents again."""
    decision = CurationDecision.objects.select_for_update().get(pk=decision.pk)
    if decision.undone_at is not None:
        raise CurationError("That decision was undone already.")
    undo = decision.undo
    result: Entity | None = decision.entity
    match decision.action:
        case CurationAction.MERGE:
            result = _unmerge(decision)
        case CurationAction.SPLIT:
            result = _unsplit(decision)
        case CurationAction.RETYPE:
            if decision.entity is None:
                raise CurationError("The entity is gone; there is nothing to change back.")
            Entity.objects.filter(pk=decision.entity.pk).update(type=undo["type"], type_curated=undo["type_curated"])
        case CurationAction.REJECT_MENTION:
            Mention.objects.filter(pk__in=undo["mentions"]).update(rejected=False)
        case CurationAction.REJECT_WRITING:
            RejectedWriting.objects.filter(pk=undo["rejected_writing"]).delete()
            Mention.objects.filter(pk__in=undo["mentions"]).update(rejected=False)
    decision.undone_at = timezone.now()
    decision.undone_by = user if getattr(user, "is_authenticated", False) else None
    decision.save(update_fields=["undone_at", "undone_by"])
    return result


def _unmerge(decision: CurationDecision) -> Entity:
    undo = decision.undo
    target = decision.entity
    if target is None:
        raise CurationError(f"{decision.entity_name} is gone; the merge cannot be undone.")
    decided = dict(undo["aliases"])
    aliases = list(Alias.objects.filter(pk__in=decided, entity=target))
    if not aliases and not Mention.objects.filter(pk__in=undo["mentions"], entity=target).exists():
        raise CurationError(f"Nothing of {decision.other_name} is left in {target.name} to take out again.")
    restored = Entity.objects.create(
        name=undo["name"],
        type=undo["type"],
        type_curated=undo["type_curated"],
        description=undo["description"],
        hidden=undo["hidden"],
    )
    for alias in aliases:
        alias.entity, alias.decided = restored, decided[alias.pk]
    Alias.objects.bulk_update(aliases, ["entity", "decided"])
    # The mentions that came with the merge, and those extraction has linked through its
    # aliases since.
    forms = {alias.normalised for alias in aliases}
    own = Mention.objects.filter(entity=target)
    moved = set(own.filter(pk__in=undo["mentions"]).values_list("pk", flat=True))
    moved |= {pk for pk, surface in own.values_list("pk", "surface") if normalised_writing(surface) in forms}
    Mention.objects.filter(pk__in=moved).update(entity=restored)
    decision.other_entity = restored
    decision.save(update_fields=["other_entity"])
    return restored


def _unsplit(decision: CurationDecision) -> Entity:
    undo = decision.undo
    origin, into = decision.other_entity, decision.entity
    if origin is None:
        raise CurationError(f"{decision.other_name} is gone; “{decision.surface}” cannot go back to it.")
    normalised = normalised_writing(decision.surface)
    before = undo["alias_before"]
    # Split into an entity that already had this writing: only the mentions that moved go back.
    into_had_it = before is not None and into is not None and before[1] == into.pk
    if into is not None:
        own = Mention.objects.filter(entity=into)
        moved = set(own.filter(pk__in=undo["mentions"]).values_list("pk", flat=True))
        if not into_had_it:
            moved |= set(_mentions_written(own, normalised))
        Mention.objects.filter(pk__in=moved).update(entity=origin)
    alias = Alias.objects.filter(pk=undo["alias"]).first()
    if alias is not None:
        if before is None:
            alias.delete()
        else:
            alias.entity_id, alias.curated, alias.decided = before[1], before[2], before[3]
            alias.save(update_fields=["entity", "curated", "decided"])
    if origin.name != undo["old_name"]:
        origin.name = undo["old_name"]
        origin.save(update_fields=["name", "updated_at"])
    if into is not None and undo["created"] and not into.mentions.exists() and not into.aliases.exists():
        into.delete()
        decision.entity = None  # the log keeps its name
    return origin
