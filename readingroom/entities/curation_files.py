"""A curator's entity decisions as a file: the names, types and writings a curator settled in one
library, carried into another, or shipped with a set of articles as the seeds' are
(``curation/seeds.json``, loaded by ``make seed``). A library starts with none: what the
extractor knows of people comes from the articles and from the curators, never from a list built
into the code or its migrations.

The file is JSON::

    {"entities": [{"name": "North Korea", "type": "place", "writings": ["DPRK", "North Korea"],
                   "placed": ["the North"], "type_decided": true}],
     "rejected": ["Sort by"]}

``writings`` are curated aliases (the extractor finds each everywhere as the entity); ``placed``
are writings a curator merged or split onto the entity from its card (linked there whenever
found, not hunted for); ``type_decided`` keeps the type whatever the model says; ``rejected``
are writings that are never entities. All but ``writings`` may be left out.

Loading never overrides a decision the library already has: an entity whose name is already a
writing of one is left as it is, and a writing another entity has keeps its entity."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q

from .models import Alias, Entity, EntityType, RejectedWriting
from .services import CurationError, _normalised

MAX_ENTRIES = 100_000
MAX_LENGTH = 300


@dataclass(frozen=True)
class CuratedEntity:
    name: str
    type: str
    writings: tuple[str, ...]
    hidden: bool = False
    placed: tuple[str, ...] = ()
    type_decided: bool = False


@dataclass
class LoadReport:
    created: list[str] = field(default_factory=list)
    already_there: list[str] = field(default_factory=list)
    # Writings that stayed with the entity the library already gave them: "DPRK (North Korea)".
    writings_kept_elsewhere: list[str] = field(default_factory=list)


def _text(value: object, *, where: str) -> str:
    if not isinstance(value, str) or not " ".join(value.split()):
        raise CurationError(f"{where} must be some text.")
    text = " ".join(value.split())
    if len(text) > MAX_LENGTH:
        raise CurationError(f"{where} is longer than {MAX_LENGTH} characters.")
    return text


def curated_entities_read(*, text: str) -> list[CuratedEntity]:
    """The entities a curation file holds; ``CurationError`` says, for the curator, what is wrong
    with a file that cannot be read (nothing is loaded from it then)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CurationError(f"The file is not JSON: {error.msg} at line {error.lineno}.") from None
    entries = data.get("entities") if isinstance(data, dict) else None
    if not isinstance(entries, list):
        raise CurationError('The file must be a JSON object with a list of "entities".')
    if len(entries) > MAX_ENTRIES:
        raise CurationError(f"The file has more than {MAX_ENTRIES:,} entities.")
    types = set(EntityType.values)
    found: list[CuratedEntity] = []
    for number, entry in enumerate(entries, start=1):
        where = f"Entity {number}"
        if not isinstance(entry, dict):
            raise CurationError(f"{where} must be an object with a name, a type and its writings.")
        name = _text(entry.get("name"), where=f"{where}'s name")
        kind = entry.get("type")
        if kind not in types:
            raise CurationError(f"{where} ({name}) has the type {kind!r}; the types are: {', '.join(sorted(types))}.")
        writings = entry.get("writings", [])
        if not isinstance(writings, list):
            raise CurationError(f"{where} ({name}): writings must be a list of texts.")
        texts = [_text(w, where=f"A writing of {name}") for w in writings]
        hidden = entry.get("hidden", False)
        type_decided = entry.get("type_decided", False)
        if not isinstance(hidden, bool):
            raise CurationError(f"{where} ({name}): hidden must be true or false.")
        if not isinstance(type_decided, bool):
            raise CurationError(f"{where} ({name}): type_decided must be true or false.")
        placed = entry.get("placed", [])
        if not isinstance(placed, list):
            raise CurationError(f"{where} ({name}): placed must be a list of texts.")
        placed_texts = [_text(w, where=f"A placed writing of {name}") for w in placed]
        # The name is always one of the entity's writings.
        found.append(
            CuratedEntity(
                name=name,
                type=kind,
                writings=tuple(dict.fromkeys([name, *texts])),
                hidden=hidden,
                placed=tuple(dict.fromkeys(placed_texts)),
                type_decided=type_decided,
            )
        )
    return found


@transaction.atomic
def curated_entities_load(*, entities: list[CuratedEntity]) -> LoadReport:
    """Create the entities the library does not know yet, with their writings as curated
    aliases (the extractor then finds each writing everywhere as that entity)."""
    report = LoadReport()
    for curated in entities:
        if Alias.objects.filter(normalised=_normalised(curated.name)).exists():
            report.already_there.append(curated.name)
            continue
        entity = Entity.objects.create(
            name=curated.name, type=curated.type, hidden=curated.hidden, type_curated=curated.type_decided
        )
        for writing, kind in [*((w, "curated") for w in curated.writings), *((w, "decided") for w in curated.placed)]:
            alias, made = Alias.objects.get_or_create(
                normalised=_normalised(writing), defaults={"entity": entity, "surface": writing, kind: True}
            )
            if not made and alias.entity_id != entity.pk:
                report.writings_kept_elsewhere.append(f"{writing} ({alias.entity.name})")
        report.created.append(curated.name)
    return report


def curated_entities_dump() -> list[CuratedEntity]:
    """Every entity a curator has decided on (a curated or placed writing, or its type), with
    those writings."""
    writings: dict[int, list[str]] = {}
    placed: dict[int, list[str]] = {}
    rows = Alias.objects.filter(Q(curated=True) | Q(decided=True)).order_by("surface")
    for entity_id, surface, curated in rows.values_list("entity", "surface", "curated"):
        (writings if curated else placed).setdefault(entity_id, []).append(surface)
    entities = Entity.objects.filter(Q(pk__in=writings) | Q(pk__in=placed) | Q(type_curated=True)).order_by(
        "name", "pk"
    )
    return [
        CuratedEntity(
            name=e.name,
            type=e.type,
            writings=tuple(writings.get(e.pk, ())),
            hidden=e.hidden,
            placed=tuple(placed.get(e.pk, ())),
            type_decided=e.type_curated,
        )
        for e in entities
    ]


def rejected_writings_read(*, text: str) -> list[str]:
    """The file's writings that are never entities (its ``rejected`` list, if it has one)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise CurationError(f"The file is not JSON: {error.msg} at line {error.lineno}.") from None
    rejected = data.get("rejected", []) if isinstance(data, dict) else []
    if not isinstance(rejected, list) or len(rejected) > MAX_ENTRIES:
        raise CurationError('"rejected" must be a list of texts.')
    return [_text(writing, where="A rejected writing") for writing in rejected]


@transaction.atomic
def rejected_writings_load(*, writings: list[str]) -> int:
    """Record the writings that are never entities (those not recorded yet); returns how many."""
    added = 0
    for writing in writings:
        _, made = RejectedWriting.objects.get_or_create(normalised=_normalised(writing), defaults={"surface": writing})
        added += made
    return added


def rejected_writings_dump() -> list[str]:
    return list(RejectedWriting.objects.order_by("surface").values_list("surface", flat=True))


def curated_entities_json(*, entities: list[CuratedEntity], rejected: list[str] | None = None) -> str:
    entries = []
    for curated in entities:
        entry: dict[str, object] = {"name": curated.name, "type": curated.type, "writings": list(curated.writings)}
        if curated.placed:
            entry["placed"] = list(curated.placed)
        if curated.type_decided:
            entry["type_decided"] = True
        if curated.hidden:
            entry["hidden"] = True
        entries.append(entry)
    data: dict[str, object] = {"entities": entries}
    if rejected:
        data["rejected"] = rejected
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
