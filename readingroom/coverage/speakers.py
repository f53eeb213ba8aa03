"""Who said a quotation, read from the grammar of the sentence that holds it.

The sentence around each quotation is parsed with spaCy's dependency parser (the small English
model's, without its entity recogniser), the quotation's words replaced by one placeholder word:
"“Yes,” said Keisha Fairbanks, 27, who drove …", "Wes Moore told reporters there was “Yes,” and
Joe Biden said …". The parse is short and about the attribution alone, so only a few words an
article are parsed (only sentences with quotes, never the quoted words of a statement; a
fragment of fewer than ``FRAGMENT_WORDS`` words is parsed as it is, as the part of its sentence it is:
"would “pay a price” if …").

The speaker is the subject of the verb of saying that governs the quotation (its nearest
ancestor among the verbs of saying, else the verb of saying nearest to it in the sentence, else
the verb of an introduction ending in a colon: "Reuters reported the sequence: “…”"). A subject
that is a named person or organisation is that entity ("“…,” A told B" is A; "was called “…” by A",
the passive's agent); an apposition or a
possessor is looked at when the head is a common noun ("Its chief executive, Peter Berdowski,";
"The AP's main story"). A pronoun ("he said") is the person (or, for "it", the organisation)
first named in the latest sentence before the quotation that names one, in its paragraph or the
one before, unless it is the subject of a clause under one whose subject is a named person ("A
said that he had told his team to “…”" is A). A role ("the company said", "the minister said") is the named person or organisation
the article described with that word before ("OceanGate Expeditions, the company that …",
"Foreign Minister Jane Doe"). "X quoted Y as saying" is Y's. A quotation without a verb of saying
continues the one before it in its paragraph (or, opening a paragraph, the last quotation of the
paragraphs just before, unless somebody named there says something).
"""

from __future__ import annotations

import re
import threading
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace

from readingroom.entities.extraction import MODEL_PACKAGE

PERSON = "person"
ORGANISATION = "organisation"
PLACEHOLDER = "Yes"
# Quotations of fewer words than this are parsed as they are, as part of their sentence.
FRAGMENT_WORDS = 5
# The parser alone: the entities come from the document's mentions, not from this pass.
PARSER_EXCLUDED = ["tagger", "attribute_ruler", "lemmatizer", "ner", "senter"]
# A pronoun's or a continued quotation's speaker is looked for this many paragraphs back at most.
PARAGRAPHS_BACK = 3
# The words before a name that may say what they are ("Foreign Minister", "chief executive,").
ROLE_WORDS_BEFORE = 2

_IRREGULAR = {
    "say": ("said", "says", "saying"),
    "tell": ("told", "tells", "telling"),
    "write": ("wrote", "writes", "writing", "written"),
    "admit": ("admitted", "admits", "admitting"),
    "quip": ("quipped", "quips", "quipping"),
}
_REGULAR = (
    "add announce answer argue ask assure boast caution claim clarify comment complain concede "
    "conclude confirm continue counter declare emphasise emphasize exclaim explain hail "
    "insist joke lament mention mutter note observe pledge post predict promise recall "
    "recount remark repeat report respond shout state stress suggest tweet urge vow warn whisper "
    "acknowledge agree testify reply deny cry thank praise laud"
)


def _forms(verb: str) -> set[str]:
    if verb.endswith("y") and verb[-2] not in "aeiou":  # clarify, clarifies, clarified
        return {verb, verb[:-1] + "ies", verb[:-1] + "ied", verb + "ing"}
    stem = verb[:-1] if verb.endswith("e") else verb
    third = verb + ("es" if verb.endswith(("s", "sh", "ch", "x")) else "s")
    return {verb, third, stem + "ed", stem + "ing"}


SAYING = frozenset(
    {form for verb in _REGULAR.split() for form in _forms(verb)}
    | {form for verb, forms in _IRREGULAR.items() for form in (verb, *forms)}
)
# Verbs that say who speaks only when the quotation is their object ("what Berdowski called “…”",
# "Mauger put it this way: “…”"): elsewhere in a sentence they are about something else.
GOVERNING = frozenset(
    {form for verb in ("call", "describe", "dub", "label", "term") for form in _forms(verb)}
    | {"put", "puts", "named", "names"}
)
QUOTING = frozenset({"quote", "quotes", "quoted", "quoting"})
OBJECT_PRONOUNS = {"him": "he", "her": "she", "them": "they", "us": "we"}
PERSON_PRONOUNS = frozenset({"he", "she"})
RELATIVE_PRONOUNS = frozenset({"who", "that", "which"})
GROUP_PRONOUNS = frozenset({"it", "they", "we"})
# A subject introduced so is somebody the article does not name ("a resident said").
UNNAMED_DETERMINERS = frozenset({"a", "an", "one", "another", "some", "many", "several", "other"})
# Nouns that stand for an organisation when the article has not described one with the word.
ORGANISATION_NOUNS = frozenset(
    "agency airline association authority bank board carrier company council court department "
    "firm federation government group manufacturer ministry office operator organisation "
    "organization police service union institute observatory society committee commission".split()
)
_SUBJECTS = ("nsubj", "nsubjpass")
# Where a subject's own name is looked for before its clauses: apposition and compounds first.
_NAME_DEPS = ("appos", "compound", "flat")
_CLAUSES = frozenset({"relcl", "acl", "advcl", "ccomp", "punct", "cc", "conj"})
_VERB_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "conj", "advcl", "relcl", "acl", "pcomp", "parataxis", "csubj"})
_NOMINAL_DEPS = frozenset({"compound", "amod", "nsubj", "nsubjpass", "dobj", "pobj", "poss", "appos", "attr"})
_CLIMB = frozenset({"conj", "xcomp", "advcl", "ccomp", "pcomp", "acl"})
_ABBREVIATION = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|Prof|Adm|Gen|Lt|Col|Sgt|Capt|Cmdr|Gov|Sen|Rep|St|Rev|Jr|Sr|No|vs|Inc|Co|Corp|Ltd|Mt|Ft|Jan|Feb|Aug|Sept|Sep|Oct|Nov|Dec)|\b[A-Za-z]|\.\w+)$"
)
_SENTENCE_END = re.compile(r"[.!?](?=\s+[\"“‘(]?[A-Z0-9])")
_OPENING = '“"‘'
_SAYING_WORD = "(?:" + "|".join(sorted(SAYING)) + r")\b"
_SPEAKING = re.compile(r"\s+(?:\w+\s+)?" + _SAYING_WORD)
# A name, an apposition perhaps, and a verb of saying: "Vladimir Tikhonov, professor of …, told".
_SAID = re.compile(r"(?:,[^,.;:“”\"\n]{1,90},)?\s+(?:\w+\s+)?" + _SAYING_WORD)


@dataclass(frozen=True)
class Named:
    """A mention of a person or organisation: offsets into the text, its entity and type."""

    start: int
    end: int
    entity_id: int
    kind: str


@dataclass(frozen=True)
class _Unit:
    """The text around one or more quotations that is parsed together (a sentence)."""

    start: int
    end: int
    quotes: tuple[int, ...]
    # Text before ``start`` taken in as well: the end of the paragraph before, where it
    # introduces the quotation with a colon.
    intro: tuple[int, int] | None = None


@dataclass
class _Frame:
    text: str
    # (frame offset, text offset, length) of each piece copied from the text, in order.
    pieces: list[tuple[int, int, int]]
    # The placeholder's (or a fragment's first word's) frame offset for each quotation of the unit.
    placeholders: dict[int, int]
    # Where every quotation's placeholder or words are in the frame: (start, end).
    quoted: list[tuple[int, int]]

    def inside(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.quoted)

    def to_text(self, offset: int) -> int | None:
        for frame_start, text_start, length in self.pieces:
            if frame_start <= offset < frame_start + length:
                return text_start + offset - frame_start
        return None


@dataclass(frozen=True)
class _Reference:
    """What the attribution says about the speaker, before it is resolved to an entity."""

    entity_id: int | None = None
    pronoun: str | None = None
    role: str | None = None
    at: int = 0  # the text offset the subject is read from (resolution looks before it)


_lock = threading.RLock()
_parser = None


def parser():
    """The small English model's dependency parser, loaded once per process on first use."""
    global _parser
    with _lock:
        if _parser is None:
            import spacy

            _parser = spacy.load(MODEL_PACKAGE, exclude=PARSER_EXCLUDED)
    return _parser


def quote_speakers(text: str, quotes: Sequence[tuple[int, int]], named: Sequence[Named]) -> list[int | None]:
    """The speaker entity of each quotation (``quotes``: offsets of the opening mark and just
    after the closing one, in text order), or None where the text does not say. ``named`` are
    the document's person and organisation mentions."""
    if not quotes:
        return []
    named = sorted(named, key=lambda n: n.start)
    inside = [(start + 1, end - 1) for start, end in quotes]
    named = [n for n in named if not any(s <= n.start < e for s, e in inside)]
    named = _without_overlaps(named)
    paragraphs = _paragraph_of(text, quotes)
    units = _units(text, quotes, paragraphs)
    frames = [_frame(text, unit, quotes) for unit in units]
    with _lock:
        docs = list(parser().pipe([frame.text for frame in frames]))
    references: list[_Reference | None] = [None] * len(quotes)
    for unit, frame, doc in zip(units, frames, docs, strict=True):
        for number in unit.quotes:
            reference = _reference(doc, frame, frame.placeholders[number], named)
            if reference is not None and reference.pronoun is not None:
                # "Putin wanted to show “…”, he says": not a name of the pronoun's own sentence.
                reference = replace(reference, at=unit.intro[0] if unit.intro else unit.start)
            references[number] = reference
    roles = _roles(text, named)
    speakers: list[int | None] = [None] * len(quotes)
    for number, reference in enumerate(references):
        if reference is not None:
            speakers[number] = _resolve(reference, text, named, roles, paragraphs[number])
    _continue_speakers(text, quotes, paragraphs, references, speakers, named)
    return speakers


def _without_overlaps(named: list[Named]) -> list[Named]:
    """The mentions (sorted by start) less any that starts inside an earlier one, so that the
    mention holding an offset is found by bisection."""
    kept: list[Named] = []
    for mention in named:
        if not kept or mention.start >= kept[-1].end:
            kept.append(mention)
    return kept


# --- sentences around quotations ----------------------------------------------------------------


def _paragraph_of(text: str, quotes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    found = []
    for start, end in quotes:
        paragraph_start = text.rfind("\n", 0, start) + 1
        paragraph_end = text.find("\n", end)
        found.append((paragraph_start, len(text) if paragraph_end == -1 else paragraph_end))
    return found


def _sentence_ends(text: str, start: int, end: int, quotes: Sequence[tuple[int, int]]) -> list[int]:
    """Offsets just after each sentence's end in text[start:end], not counting full stops inside
    quotations or after abbreviations; a quotation that ends its sentence inside its marks
    (“… home.” Then …) ends it at its closing mark."""
    ends = []
    for match in _SENTENCE_END.finditer(text, start, end):
        at = match.start()
        if any(s < at < e for s, e in quotes):
            continue
        if match.group() == "." and _ABBREVIATION.search(text, start, at) and text[at + 2 : at + 3] not in _OPENING:
            # "Rear Adm. John Mauger", "at 10 p.m. Eastern"; but "at 10 p.m. “Worth it,” he said".
            continue
        ends.append(at + 1)
    for s, e in quotes:
        if start <= s and e <= end and text[e - 2 : e - 1] in (".", "!", "?", "…"):
            following = text[e:end].lstrip()
            if not following or following[0].isupper() or following[0] in _OPENING:
                ends.append(e)
    return sorted(set(ends))


def _units(text: str, quotes: Sequence[tuple[int, int]], paragraphs: list[tuple[int, int]]) -> list[_Unit]:
    units: list[_Unit] = []
    by_paragraph: dict[tuple[int, int], list[int]] = {}
    for number, paragraph in enumerate(paragraphs):
        by_paragraph.setdefault(paragraph, []).append(number)
    for (paragraph_start, paragraph_end), numbers in by_paragraph.items():
        ends = _sentence_ends(text, paragraph_start, paragraph_end, quotes)
        bounds = [paragraph_start, *ends, paragraph_end]
        grouped: dict[tuple[int, int], list[int]] = {}
        for number in numbers:
            start, end = quotes[number]
            first = bounds[bisect_right(bounds, start) - 1]
            last = bounds[min(len(bounds) - 1, bisect_right(bounds, end - 1))]
            if last < end:
                last = end
            grouped.setdefault((first, last), []).append(number)
        for (first, last), members in grouped.items():
            # Merge units that overlap (a quotation across a sentence end of another).
            if units and units[-1].end > first and units[-1].start >= paragraph_start:
                previous = units.pop()
                first = min(first, previous.start)
                last = max(last, previous.end)
                members = [*previous.quotes, *members]
            intro = None
            if first == paragraph_start and text[first:last].startswith(tuple(_OPENING)):
                intro = _introduction(text, paragraph_start, quotes)
            units.append(_Unit(first, last, tuple(members), intro))
    return units


def _introduction(text: str, paragraph_start: int, quotes: Sequence[tuple[int, int]]) -> tuple[int, int] | None:
    """The last sentence of the paragraph before, when it introduces what follows with a colon."""
    if paragraph_start < 2:
        return None
    previous_end = paragraph_start - 1
    while previous_end > 0 and text[previous_end - 1] in " \n":
        previous_end -= 1
    if text[previous_end - 1 : previous_end] != ":":
        return None
    previous_start = text.rfind("\n", 0, previous_end) + 1
    ends = _sentence_ends(text, previous_start, previous_end, quotes)
    return (ends[-1] if ends else previous_start, previous_end)


def _frame(text: str, unit: _Unit, quotes: Sequence[tuple[int, int]]) -> _Frame:
    parts: list[str] = []
    pieces: list[tuple[int, int, int]] = []
    placeholders: dict[int, int] = {}
    quoted: list[tuple[int, int]] = []
    length = 0

    def copy(start: int, end: int) -> None:
        nonlocal length
        if end > start:
            pieces.append((length, start, end - start))
            parts.append(text[start:end])
            length += end - start

    def add(literal: str) -> None:
        nonlocal length
        parts.append(literal)
        length += len(literal)

    if unit.intro is not None:
        copy(*unit.intro)
        add(" ")
    position = unit.start
    first = bisect_right(quotes, unit.start - 1, key=lambda q: q[0])
    for number in range(first, len(quotes)):
        start, end = quotes[number]
        if start >= unit.end:
            break
        if end > unit.end:
            continue
        copy(position, start)
        inner = text[start + 1 : end - 1].rstrip()
        closing = inner[-1] if inner and inner[-1] in ",.!?" else ""
        add(text[start])
        if number in unit.quotes:
            placeholders[number] = length
        opened = length
        if len(inner.split()) < FRAGMENT_WORDS:
            # A fragment is part of the sentence's grammar ("would “pay a price” if …"): its
            # words are parsed, not a placeholder that would stand in the wrong place.
            copy(start + 1, end - 1)
        else:
            add(PLACEHOLDER + closing)
        quoted.append((opened, length))
        add(text[end - 1])
        position = end
    copy(position, unit.end)
    return _Frame("".join(parts), pieces, placeholders, quoted)


# --- the attribution in one parse ---------------------------------------------------------------


def _quotation_token(doc, frame: _Frame, placeholder: int):
    """The quotation's token in the parse: its placeholder, or the head of a fragment's words."""
    token = next((t for t in doc if t.idx == placeholder), None)
    if token is None:
        return None
    end = next(end for start, end in frame.quoted if start == placeholder)
    while token.head.i != token.i and placeholder <= token.head.idx < end:
        token = token.head
    return token


def _reference(doc, frame: _Frame, placeholder: int, named: Sequence[Named]) -> _Reference | None:
    token = _quotation_token(doc, frame, placeholder)
    if token is None:
        return None
    placeholders = {t.idx for t in doc if frame.inside(t.idx)}
    first = next(t for t in doc if t.idx == placeholder)  # a fragment's first word
    verb = _saying_verb(doc, token, placeholders)
    if verb is None or (_is_governing(verb) and not _is_saying(verb)):
        introduced = _introducing_name(doc, first, frame, named)
        if introduced is not None or verb is None:
            return introduced
    subject = _subject(verb)
    reference = _subject_reference(subject, frame, named) if subject is not None else None
    if reference is None or reference.entity_id is None or reference.role is not None:
        # "Putin clarified, “…,” the Russian leader emphasized": the verb just before the
        # quotation names its speaker where the other only describes them.
        before = _verb_just_before(doc, first, placeholders)
        if before is not None and before is not verb and (named_subject := _subject(before)) is not None:
            other = _subject_reference(named_subject, frame, named)
            if other is not None and other.entity_id is not None and other.role is None:
                return other
    if reference is not None and reference.pronoun in PERSON_PRONOUNS and subject is not None:
        # "A said that he had told his team to “…”": the pronoun of a clause that reports what
        # somebody named said or thought is that person.
        matrix = _reporting_subject(subject.head.head, frame, named) if subject.head.head is not subject.head else None
        if matrix is not None:
            return matrix
    return reference


def _reporting_subject(verb, frame: _Frame, named: Sequence[Named]) -> _Reference | None:
    """The named person who is the subject of the nearest clause above ``verb`` that has one
    ("A said that he …", "A was … when he said")."""
    for ancestor in [verb, *verb.ancestors]:
        subject = _subject_of(ancestor)
        if subject is None:
            continue
        mention = _mention_at(frame, subject, named)
        if mention is not None and mention.kind == PERSON:
            return _Reference(entity_id=mention.entity_id, at=frame.to_text(subject.idx) or 0)
    return None


def _verb_just_before(doc, placeholder, placeholders: set[int]):
    """A verb of saying followed by nothing but punctuation up to the quotation."""
    index = placeholder.i - 1
    while index >= 0 and doc[index].is_punct and doc[index].idx not in placeholders:
        index -= 1
    if index < 0 or index == placeholder.i - 1 or not _is_saying(doc[index]):
        return None
    return doc[index]


def _is_saying(token) -> bool:
    # Lower case: "States" of "United States" is no verb.
    return (token.lower_ in SAYING and token.text.islower()) or (
        token.lower_ == "according" and any(c.lower_ == "to" for c in token.children)
    )


def _is_governing(token) -> bool:
    """A verb of ``GOVERNING`` as a verb: "called it …", not "the call" (the parse without the
    tagger knows a verb by its place: a clause's head, not a noun's)."""
    return token.lower_ in GOVERNING and token.text.islower() and token.dep_ in _VERB_DEPS


def _saying_verb(doc, placeholder, placeholders: set[int]):
    for ancestor in placeholder.ancestors:
        if _is_saying(ancestor) or _is_governing(ancestor):
            return ancestor
    # Not a noun spelt like a verb of saying ("state media", "a report"): a clause's head.
    verbs = [t for t in doc if _is_saying(t) and t.idx not in placeholders and t.dep_ not in _NOMINAL_DEPS]
    if verbs:
        return min(verbs, key=lambda t: abs(t.idx - placeholder.idx))
    return None


def _introducing_name(doc, placeholder, frame: _Frame, named: Sequence[Named]) -> _Reference | None:
    """A quotation after a colon with no verb of saying: the name just before the colon ("a
    statement from its chief executive, Peter Berdowski: “…”"), else the subject of the clause
    the colon ends ("Reuters reported the sequence in its main story: “…”")."""
    colon = next((t for t in reversed(doc[: placeholder.i]) if t.text == ":"), None)
    if colon is None or colon.i == 0:
        return None
    at = frame.to_text(colon.idx) or 0
    before = _mention_at(frame, doc[colon.i - 1], named)
    if before is not None and not _addressed(doc[colon.i - 1]):
        return _Reference(entity_id=before.entity_id, at=at)
    head = colon.head
    while _subject_of(head) is None and head.head is not head:
        head = head.head
    subject = _subject_of(head)
    if subject is None or subject.i > colon.i:
        return None
    return _subject_reference(subject, frame, named)


def _addressed(token) -> bool:
    """Whether the name is the one spoken to ("Kim told Putin:", "said to reporters:")."""
    while token.dep_ in _NAME_DEPS and token.head is not token:
        token = token.head
    if token.dep_ in ("dobj", "dative", "iobj") and _is_saying(token.head):
        return True
    return token.dep_ == "pobj" and token.head.lower_ in ("to", "at", "with")


def _subject_of(verb):
    if verb.lower_ == "according":
        to = next((c for c in verb.children if c.lower_ == "to"), None)
        return next((c for c in to.children if c.dep_ == "pobj"), None) if to is not None else None
    subject = next((c for c in verb.children if c.dep_ == "nsubj"), None)
    if subject is None:
        # "was described as “…” by A": the one who does it is the passive's agent.
        agent = next((c for c in verb.children if c.dep_ == "agent"), None)
        subject = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
    return subject or next((c for c in verb.children if c.dep_ == "nsubjpass"), None)


def _subject(verb):
    """The verb's subject, or its governing verb's ("A arrived and said", "…, adding"); for a
    relative pronoun, the noun its clause describes ("Marisol Guerrero …, who said …")."""
    quoted = _quoted_as_saying(verb)
    if quoted is not None:
        return quoted
    for _ in range(4):
        subject = _subject_of(verb)
        if subject is not None:
            if subject.lower_ in RELATIVE_PRONOUNS and verb.dep_ == "relcl":
                return verb.head
            return subject
        if verb.dep_ not in _CLIMB or verb.head is verb:
            break
        verb = verb.head
    return None


def _quoted_as_saying(verb):
    """Who "X quoted Y as saying" makes the speaker: Y, the one quoted, not X."""
    as_ = verb.head
    if verb.lower_ != "saying" or as_.lower_ != "as" or as_.head.lower_ not in QUOTING:
        return None
    return next((c for c in as_.head.children if c.dep_ == "dobj"), None)


def _mention_at(frame: _Frame, token, named: Sequence[Named]) -> Named | None:
    offset = frame.to_text(token.idx)
    if offset is None:
        return None
    # ``named`` is sorted by start and its mentions do not overlap: the last starting at or
    # before the offset is the only one that may hold it.
    index = bisect_right(named, offset, key=lambda n: n.start) - 1
    return named[index] if index >= 0 and offset < named[index].end else None


def _subject_reference(subject, frame: _Frame, named: Sequence[Named]) -> _Reference | None:
    at = frame.to_text(subject.idx)
    at = 0 if at is None else at
    own = _mention_at(frame, subject, named)
    if own is not None:
        return _Reference(entity_id=own.entity_id, at=at)
    phrase = list(_name_tokens(subject))
    # "Its chief executive, Peter Berdowski," / "owner Daniel Tremblay" / "the head of the
    # authority, Osama Rabie,": the name beside the head, or in apposition in its phrase.
    beside = [t for child in subject.children if child.dep_ in _NAME_DEPS for t in child.subtree]
    beside += [t for token in phrase if token.dep_ == "appos" for t in token.subtree]
    names = [m for token in beside if (m := _mention_at(frame, token, named)) is not None]
    if names:
        # "the State Department spokesperson, Matthew Miller": the person before the organisation.
        names.sort(key=lambda m: m.kind != PERSON)
        return _Reference(entity_id=names[0].entity_id, at=at)
    word = OBJECT_PRONOUNS.get(subject.lower_, subject.lower_)  # "quoted him as saying"
    if word in PERSON_PRONOUNS or word in GROUP_PRONOUNS:
        return _Reference(pronoun=word, at=at)
    determiner = next((c.lower_ for c in subject.children if c.dep_ in ("det", "nummod")), "")
    if determiner in UNNAMED_DETERMINERS:
        return _Reference(at=at)  # somebody the article does not name: no speaker
    mentions = [m for token in phrase if (m := _mention_at(frame, token, named)) is not None]
    # "The AP's main story" (its possessor), "members of the … Society's committee" (a name in
    # its phrase): where no role described in the article matches.
    mentions.sort(key=lambda m: m.kind != PERSON)
    inner = mentions[0].entity_id if mentions else None
    first_word = next((t for t in subject.doc if t.is_alpha and t.text != PLACEHOLDER), None)
    if word.isalpha() and (subject.text.islower() or subject == first_word):
        return _Reference(role=word, entity_id=inner, at=at)
    return _Reference(entity_id=inner, at=at) if inner is not None else None


def _name_tokens(subject):
    yield subject
    for child in subject.children:
        if child.dep_ not in _CLAUSES:
            yield from child.subtree


# --- resolving pronouns and roles ---------------------------------------------------------------


def _roles(text: str, named: Sequence[Named]) -> list[tuple[Named, set[str]]]:
    """Each mention with the lower-case words the article describes it with: the words just
    before it in its sentence ("Foreign Minister", "its chief executive,") and an apposition
    after it (", the company that …", ", president of the federation,")."""
    found = []
    for mention in named:
        line_start = text.rfind("\n", 0, mention.start) + 1
        before = text[max(line_start, mention.start - 60) : mention.start]
        before = re.split(r"[.;:!?“”\"()]", before)[-1]
        after = text[mention.end : mention.end + 80]
        appositive = re.match(r",\s+([^,.;:()“”\"\n]+)", after)
        words = set(re.findall(r"[a-z]+", before.lower())[-ROLE_WORDS_BEFORE:])
        if appositive:
            clause = re.split(r"\b(?:who|which|that|whose|where)\b", appositive.group(1))[0]
            words |= set(re.findall(r"[a-z]+", clause.lower())[:8])
        found.append((mention, {word.removesuffix("s") for word in words} | words))
    return found


def _resolve(reference: _Reference, text: str, named, roles, paragraph: tuple[int, int]) -> int | None:
    if reference.entity_id is not None and reference.role is None:
        return reference.entity_id
    if reference.pronoun is not None:
        kind = PERSON if reference.pronoun in PERSON_PRONOUNS else ORGANISATION
        found = _last_named(text, named, reference.at, paragraph, kinds=(kind,))
        if found is None:
            # A name the model typed wrong ("owner Daniel Tremblay" as an organisation), when
            # nobody of the pronoun's kind is named: one that said something first ("Belkadi said").
            found = _last_named(text, named, reference.at, paragraph, kinds=(PERSON, ORGANISATION), speaking=True)
        return found
    role = reference.role
    if role is None:
        return None  # somebody the article does not name ("one spectator told …")
    described = [m for m, words in roles if m.start < reference.at and role in words]
    if described:
        return described[-1].entity_id
    if reference.entity_id is not None:
        return reference.entity_id
    if role in ORGANISATION_NOUNS:
        return _last_named(text, named, reference.at, paragraph, kinds=(ORGANISATION,))
    return None


def _last_named(
    text: str, named, before: int, paragraph: tuple[int, int], *, kinds, speaking: bool = False
) -> int | None:
    """The person or organisation (``kinds``) first named in the latest sentence before
    ``before`` that names one, in its paragraph or the ``PARAGRAPHS_BACK`` before it."""
    start = paragraph[0]
    for _ in range(PARAGRAPHS_BACK):
        start = _previous_paragraph_start(text, start)
    candidates = [n for n in named if start <= n.start and n.end <= before and n.kind in kinds]
    if not candidates:
        return None
    if speaking:
        said = [n for n in candidates if _SPEAKING.match(text, n.end)]
        return said[-1].entity_id if said else None
    latest = candidates[-1]
    ends = [m.end() for m in _SENTENCE_END.finditer(text, start, latest.start)]
    sentence_start = max([start, *[e for e in ends if not _ABBREVIATION.search(text, start, e - 1)]])
    newline = text.rfind("\n", 0, latest.start) + 1
    sentence = [n for n in candidates if n.start >= max(sentence_start, newline)]
    # "Kim is risking …, Vladimir Tikhonov, professor of …, told AFP.": the one who says it.
    said = [n for n in sentence if _SAID.match(text, n.end)]
    return (said or sentence)[0].entity_id


def _continue_speakers(text, quotes, paragraphs, references, speakers: list[int | None], named) -> None:
    """A quotation with no verb of saying is the one before it in its paragraph continued
    (“…,” she said. “…”), or the one after it when only quotations lie between; opening a
    paragraph, it continues the previous paragraph's last quotation, or that of one a few
    paragraphs back (``PARAGRAPHS_BACK``) when nobody named in the paragraphs between says
    something ("Ann Lee, a teacher, said …" would be who speaks next). A quotation that runs on
    into the next paragraph, opened mid-paragraph, continues so too, and one whose speaker is
    named only at its end, in the next paragraph, is theirs."""
    for number in range(len(quotes)):
        if references[number] is not None or speakers[number] is not None:
            continue
        paragraph = paragraphs[number]
        if number > 0 and speakers[number - 1] is not None:
            previous_paragraph = paragraphs[number - 1]
            if previous_paragraph == paragraph:
                speakers[number] = speakers[number - 1]
                continue
            if (
                (text[paragraph[0] : quotes[number][0]].strip() == "" or _runs_on(text, quotes[number]))
                and _paragraphs_between(text, previous_paragraph, paragraph)
                and not any(
                    previous_paragraph[1] <= n.start < quotes[number][0] and _SAID.match(text, n.end) for n in named
                )
            ):
                speakers[number] = speakers[number - 1]
                continue
        if number + 1 < len(quotes) and paragraphs[number + 1] == paragraph:
            between = text[quotes[number][1] : quotes[number + 1][0]]
            if not between.strip() and speakers[number + 1] is not None:
                speakers[number] = speakers[number + 1]
    # A quotation running on over paragraphs whose speaker is said at its end ("“…\n\n“…,” said A").
    for number in range(len(quotes) - 2, -1, -1):
        if speakers[number] is None and references[number] is None and _runs_on(text, quotes[number]):
            speakers[number] = speakers[number + 1]


def _runs_on(text: str, quote: tuple[int, int]) -> bool:
    """Whether the quotation is not closed in its paragraph (it runs on into the next one)."""
    return text[quote[1] - 1] not in '”"'


def _paragraphs_between(text: str, earlier: tuple[int, int], later: tuple[int, int]) -> bool:
    """Whether ``later`` follows ``earlier`` with at most ``PARAGRAPHS_BACK - 1`` paragraphs between."""
    between = [line for line in text[earlier[1] : later[0]].split("\n") if line.strip()]
    return len(between) < PARAGRAPHS_BACK


def _previous_paragraph_start(text: str, start: int) -> int:
    """Where the paragraph before the one starting at ``start`` starts (blank lines skipped)."""
    end = start
    while end > 0 and text[end - 1] in "\n ":
        end -= 1
    return text.rfind("\n", 0, end) + 1 if end > 0 else start
