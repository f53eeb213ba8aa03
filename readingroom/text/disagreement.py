"""Where two sentences about the same thing disagree: a figure, a day or a name that differs.

Two sentences of different articles that name the same entities ("the Key Bridge", "Baltimore")
and share the words of one topic may state one fact differently: "some 1,000 km" in one and
"about 1,500 km" in the other, "Tuesday" in one and "March 25" in the other (the days each means
in its own article), or one person where the other names another. Those are what a reader wants
to check; this module finds them in plain strings, given which entities each sentence mentions
(the caller reads them from the mentions it stores).

Figures are compared by what they count or measure (the word after the number, units folded:
"km" and "kilometres" are one), as ranges: "some", "about" widen a figure by a tenth, "at least"
and "more than" make it open above, "up to" and "fewer than" open below. Two ranges that meet do
not disagree: "more than 2,000 people" and "2,946 people" can both be true.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from .dates import calendar_day, day_names
from .fingerprints import STOPWORDS, content_words
from .names import without_accents

# How close two sentences' topics must be when they share only one entity (shared content
# words besides the entities' own names and the figures), and when a name is what differs.
MIN_TOPIC_WORDS = 2
PARAPHRASE_OVERLAP = 0.5
# Entity types whose names can stand in one another's place ("the mayor, Ann Lee" / "Bo Park").
NAMED_TYPES = frozenset({"person", "organisation", "place", "facility"})
# Of those, the ones a name difference is looked for in: places stand for their governments
# ("Pyongyang" for North Korea) and facilities for their owners too often to be evidence.
DIFFERING_NAME_TYPES = frozenset({"person", "organisation"})
# What happened to the people a figure counts: "2,012 people have been killed", "2,059 injured".
_STATES = frozenset("dead killed injured wounded hurt missing displaced evacuated rescued arrested homeless".split())
_SAME_STATE = {"dead": "killed", "wounded": "injured", "hurt": "injured"}
# "the death toll rose to 2,862": the number of people killed.
_DEATH_TOLL = re.compile(r"\bdeath toll\b(?:\W+\w+){0,4}\W+$", re.IGNORECASE)
APPROXIMATE = 0.1  # "about 1,000": 900 to 1,100

_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12, "m": 1e6, "bn": 1e9}
_NUMBER_WORDS = {
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "hundred": 100,
}
# Units written several ways, folded to one.
_UNITS = {
    "kilometre": "km",
    "kilometer": "km",
    "kilometres": "km",
    "kilometers": "km",
    "km": "km",
    "kms": "km",
    "metre": "m",
    "meter": "m",
    "metres": "m",
    "meters": "m",
    "m": "m",
    "mile": "mile",
    "miles": "mile",
    "mi": "mile",
    "foot": "ft",
    "feet": "ft",
    "ft": "ft",
    "percent": "%",
    "per cent": "%",
    "%": "%",
    "tonne": "tonne",
    "tonnes": "tonne",
    "ton": "tonne",
    "tons": "tonne",
    "kg": "kg",
    "kilograms": "kg",
    "kilogram": "kg",
    "people": "person",
    "persons": "person",
    "person": "person",
    "mph": "mph",
    "km/h": "km/h",
    "kph": "km/h",
}
# Lengths compared in metres, whichever unit each article uses: "488 metres (1,600 feet)".
_METRES = {"km": 1000.0, "m": 1.0, "mile": 1609.344, "ft": 0.3048}
_CURRENCIES = {"$": "$", "£": "£", "€": "€", "us$": "$", "usd": "$", "eur": "€", "gbp": "£"}
_QUALIFIER = (
    r"(?P<qualifier>(?:some|about|around|roughly|approximately|nearly|almost|an estimated|estimated|close to|"
    r"more than|over|above|at least|upwards of|in excess of|exceeding|passed|topped|surpassed|"
    r"less than|under|below|fewer than|up to|at most|no more than)\s+)?"
)
_FIGURE = re.compile(
    r"(?<![\w.,:/-])"
    + _QUALIFIER
    + r"(?P<currency>US\$|\$|£|€)?\s?"
    + r"(?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|"
    + "|".join(_NUMBER_WORDS)
    + r")(?![\d,]*\d)"
    + r"(?:\s?(?P<scale>thousand|million|billion|trillion|bn|m)\b)?"
    + r"(?:(?P<percent>\s?%|\s(?:per ?cent|percent)\b)|(?P<hyphen>-|\s)(?P<unit>[A-Za-z][A-Za-z/]*))?",
    re.IGNORECASE,
)
_TIME = re.compile(
    r"(?<![\w:.])" + _QUALIFIER + r"(?P<hour>[01]?\d|2[0-3])[:.](?P<minute>[0-5]\d)\s?(?P<half>[ap]\.?m\.?)?(?!\w)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"(?<![\w,.$£€])(?:1[89]|20)\d\d(?![\w,])")
_WORD = re.compile(r"\w+")
_POSSESSIVE = re.compile(r"'s$")
_LOWER = {
    "at least",
    "more than",
    "over",
    "above",
    "upwards of",
    "in excess of",
    "exceeding",
    "passed",
    "topped",
    "surpassed",
}
_UPPER = {"less than", "under", "below", "fewer than", "up to", "at most", "no more than"}


@dataclass(frozen=True)
class Figure:
    """A figure in a sentence: what it counts (``unit``), the range it allows, and its words."""

    unit: str
    low: float
    high: float
    text: str
    start: int
    end: int

    def meets(self, other: Figure) -> bool:
        return self.low <= other.high and other.low <= self.high


@dataclass(frozen=True)
class Day:
    day: date
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class SentenceFacts:
    """What of a sentence can disagree with another: figures, days, named entities, topic words.
    ``start`` is where the sentence starts in its document; figures' and days' offsets are the
    document's."""

    start: int
    end: int
    text: str
    entities: frozenset[int]
    names: Mapping[int, tuple[str, str]] = field(default_factory=dict)  # named entities: id → (type, surface)
    figures: tuple[Figure, ...] = ()
    days: tuple[Day, ...] = ()
    years: frozenset[int] = frozenset()
    topic: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Disagreement:
    kind: str  # "figure", "date" or "name"
    a_text: str  # the words that differ in each sentence: "some 1,000 km" / "about 1,500 km"
    b_text: str
    shared_entities: int
    shared_words: int

    @property
    def reason(self) -> str:
        what = {"figure": "Figures differ", "date": "Dates differ", "name": "Names differ"}[self.kind]
        return f"{what}: “{self.a_text}” / “{self.b_text}”"


def _number(text: str) -> float | None:
    word = text.casefold()
    if word in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[word])
    try:
        return float(word.replace(",", ""))
    except ValueError:
        return None


def _unit(word: str) -> str:
    folded = word.casefold().strip("/")
    if folded in _UNITS:
        return _UNITS[folded]
    # A plain plural is the same thing counted: "3 vessels" and "1 vessel".
    if len(folded) > 3 and folded.endswith("s") and not folded.endswith("ss"):
        folded = folded[:-1]
    return folded


# A little under half a step, so that "21" and "22" never meet.
_HALF_STEP = 0.45


def _precision(number: str) -> float:
    """Half the step of a figure's last written digit: "1,600" may be anything from 1,550 to
    1,650, "3.8" from 3.75 to 3.85, "488" from 487.5 to 488.5 (a rounded conversion meets it)."""
    digits = number.replace(",", "")
    if "." in digits:
        return _HALF_STEP * 10 ** -len(digits.split(".")[1])
    if not digits.isdigit():
        return _HALF_STEP
    zeros = len(digits) - len(digits.rstrip("0"))
    return _HALF_STEP * 10 ** min(zeros, len(digits) - 1)


def _range(value: float, qualifier: str | None, precision: float = 0.0) -> tuple[float, float]:
    qualifier = " ".join((qualifier or "").casefold().split())
    if qualifier in _LOWER:
        return value, float("inf")
    if qualifier in _UPPER:
        return 0.0, value
    if qualifier:
        return value * (1 - APPROXIMATE), value * (1 + APPROXIMATE)
    return value - precision, value + precision


def figures(text: str, offset: int = 0) -> list[Figure]:
    """The figures in ``text`` that say what they count: "1,000 km", "$1.7 billion", "2,946
    people", "37%", "1:28 a.m."; years and the days of dates are not figures (see ``days``)."""
    taken = [(name.start, name.end) for name in day_names(text)]
    found = []
    for match in _TIME.finditer(text):
        hour, minute = int(match["hour"]), int(match["minute"])
        half = (match["half"] or "").casefold().replace(".", "")
        if half == "pm" and hour < 12:
            hour += 12
        elif half == "am" and hour == 12:
            hour = 0
        value = float(hour * 60 + minute)
        qualifier = (match["qualifier"] or "").strip()
        low, high = (
            (value - 5, value + 5) if qualifier and qualifier.casefold() not in _LOWER | _UPPER else (value, value)
        )
        found.append(
            Figure("time of day", low, high, match.group().strip(), offset + match.start(), offset + match.end())
        )
        taken.append((match.start(), match.end()))
    for match in _FIGURE.finditer(text):
        if any(match.start() < end and start < match.end() for start, end in taken):
            continue
        number = _number(match["number"])
        if number is None:
            continue
        if match["scale"]:
            number *= _SCALES[match["scale"].casefold()]
        if match["currency"]:
            unit = _CURRENCIES[match["currency"].casefold()]
        elif match["percent"]:
            unit = "%"
        elif match["unit"] and _counts_things(match["unit"], hyphen=match["hyphen"] == "-"):
            unit = _unit(match["unit"])
            if unit in _STATES:
                unit = f"person {_SAME_STATE.get(unit, unit)}"
            elif (state := _state_after(text, match.end())) is not None:
                unit = f"{unit} {_SAME_STATE.get(state, state)}"
            elif _DEATH_TOLL.search(text[: match.start()]) and unit in content_stop_units:
                unit = "person killed"
        elif _DEATH_TOLL.search(text[: match.start()]):
            unit = "person killed"
        else:
            continue  # a bare number says nothing of what it counts
        words = match.group()
        if match["unit"] and match["unit"].casefold() in content_stop_units:
            words = words[: match.start("hyphen") - match.start()]  # "2,100" of "2,100 and"
        if not match["currency"] and not match["scale"] and _YEAR.fullmatch(match["number"]) and not match["percent"]:
            continue  # "in 2024 the port": a year, compared as one
        if unit in content_stop_units:
            continue
        scale = _SCALES[match["scale"].casefold()] if match["scale"] else 1.0
        low, high = _range(number, match["qualifier"], _precision(match["number"]) * scale)
        if unit in _METRES:
            low, high = low * _METRES[unit], high * _METRES[unit]
            # "a 22-foot vessel" says how long a thing is; "1,600 feet from the bow" how far.
            unit = "length of a thing" if match["hyphen"] == "-" else "length"
        found.append(
            Figure(unit, low, high, words.strip(), offset + match.start(), offset + match.start() + len(words))
        )
    return found


_IRREGULAR_PLURALS = frozenset("people children men women feet police crew staff".split())


def _counts_things(word: str, *, hyphen: bool) -> bool:
    """Whether the word after a number says what it counts: a unit, what happened to people, a
    plural noun ("3 vessels"), or what it measures ("a 22-foot vessel"); not a verb ("the two met")."""
    folded = word.casefold()
    return (
        hyphen
        or folded in _UNITS
        or folded in _STATES
        or folded in _IRREGULAR_PLURALS
        or (folded.endswith("s") and not folded.endswith("ss") and folded not in STOPWORDS)
    )


def _state_after(text: str, position: int) -> str | None:
    """What happened to the things just counted, when the next words say: "have been killed"."""
    for count, match in enumerate(_WORD.finditer(text, position)):
        word = match.group().casefold()
        if word in _STATES:
            return word
        if count >= 3 or word not in STOPWORDS:
            return None
    return None


# Words after a number that do not say what it counts ("2 of the", "3 and"), and ordinal words.
content_stop_units = frozenset(
    "a an and or of the to in on at for by with from as is was are were that this it its than but per".split()
)


def days(text: str, *, published: date | None, offset: int = 0) -> list[Day]:
    """The calendar days the sentence names, each as its article means it (``published``)."""
    found = []
    for name in day_names(text):
        day = calendar_day(name, published=published, context=text[: name.start])
        if day is not None:
            found.append(Day(day, name.text, offset + name.start, offset + name.end))
    return found


def years(text: str) -> frozenset[int]:
    return frozenset(int(match.group()) for match in _YEAR.finditer(text))


def topic_words(text: str, *, leave_out: Iterable[str] = ()) -> frozenset[str]:
    """The sentence's content words less the entities' names and every number."""
    left_out = {word.casefold() for surface in leave_out for word in _WORD.findall(surface)}
    words = (_POSSESSIVE.sub("", word) for word in content_words(text))
    return frozenset(word for word in words if word not in left_out and not any(c.isdigit() for c in word))


def sentence_facts(
    *,
    text: str,
    start: int,
    mentions: Iterable[tuple[int, int, int, str]],
    published: date | None,
) -> SentenceFacts:
    """The facts of the sentence ``text`` (which starts at ``start`` in its document), given its
    entities' mentions as (start, end, entity id, entity type) in document offsets."""
    mentions = list(mentions)
    entities = frozenset(entity for _, _, entity, kind in mentions if kind != "date")
    surfaces = [text[m_start - start : m_end - start] for m_start, m_end, _, _ in mentions]
    names: dict[int, tuple[str, str]] = {}
    for (_, _, entity, kind), surface in zip(mentions, surfaces, strict=True):
        if kind in NAMED_TYPES:
            names.setdefault(entity, (kind, surface))
    found_days = days(text, published=published, offset=start)
    return SentenceFacts(
        start=start,
        end=start + len(text),
        text=text,
        entities=entities,
        names=names,
        figures=tuple(figures(text, offset=start)),
        days=tuple(found_days),
        years=years(text),
        topic=topic_words(text, leave_out=[*surfaces, *(day.text for day in found_days)]),
    )


def about_the_same(a: SentenceFacts, b: SentenceFacts) -> tuple[int, int] | None:
    """(shared entities, shared topic words) when two sentences are about the same thing: two
    entities or more in common, or one and ``MIN_TOPIC_WORDS`` topic words; else None."""
    shared = len(a.entities & b.entities)
    words = len(a.topic & b.topic)
    if shared >= 2 or (shared == 1 and words >= MIN_TOPIC_WORDS):
        return shared, words
    return None


def disagreement(a: SentenceFacts, b: SentenceFacts) -> Disagreement | None:
    """How ``a`` and ``b`` disagree, if they are about the same thing and do: a figure counting
    the same thing whose ranges never meet, the days they name (none in common), or, for two
    sentences that say nearly the same, a named entity of one type in each that is not the
    other's. None otherwise."""
    same = about_the_same(a, b)
    if same is None:
        return None
    shared, words = same
    union = len(a.topic | b.topic)
    # Nearly the same sentence: what differs in it is the same fact told differently.
    paraphrase = bool(union) and words / union >= PARAPHRASE_OVERLAP
    # Figures: one that counts a thing the other sentence also counts, meeting none of its figures,
    # unless each names someone the other does not (a figure of each may be about a different subject).
    units = {figure.unit for figure in a.figures} & {figure.unit for figure in b.figures}
    if units and (paraphrase or _differing_names(a, b, NAMED_TYPES) is None):
        for figure in a.figures:
            if figure.unit == "time of day" and not paraphrase:
                continue  # a story's times mark its different moments: only the same sentence's are one fact
            theirs = [other for other in b.figures if other.unit == figure.unit]
            if theirs and not any(figure.meets(other) for other in theirs):
                # The other sentence's figure that differs least, as the one it contradicts.
                other = min(theirs, key=lambda o: min(abs(o.low - figure.high), abs(figure.low - o.high)))
                if not any(o.meets(other) for o in a.figures if o.unit == other.unit):
                    return Disagreement("figure", figure.text, other.text, shared, words)
    if not paraphrase:
        return None
    # Days: both name days and have none in common; or years, when neither names a day.
    if a.days and b.days and not {d.day for d in a.days} & {d.day for d in b.days}:
        return Disagreement("date", a.days[0].text, b.days[0].text, shared, words)
    if not a.days and not b.days and a.years and b.years and not a.years & b.years:
        return Disagreement("date", str(min(a.years)), str(min(b.years)), shared, words)
    # Names: a person or organisation in each where the other has another.
    names = _differing_names(a, b, DIFFERING_NAME_TYPES)
    if names is not None:
        return Disagreement("name", names[0], names[1], shared, words)
    return None


@functools.lru_cache(maxsize=4096)
def _name_words(surface: str) -> frozenset[str]:
    return frozenset(_WORD.findall(without_accents(surface).casefold()))


def _differing_names(a: SentenceFacts, b: SentenceFacts, types: frozenset[str]) -> tuple[str, str] | None:
    """A name of one of ``types`` in each sentence that the other does not have (and that is not
    part of the other's name: "Dallas" and "East Dallas" are one place named more closely)."""
    for kind in sorted(types):
        ours = [(e, surface) for e, (k, surface) in sorted(a.names.items()) if k == kind and e not in b.entities]
        theirs = [(e, surface) for e, (k, surface) in sorted(b.names.items()) if k == kind and e not in a.entities]
        for _, our_surface in ours:
            for _, their_surface in theirs:
                our_words, their_words = _name_words(our_surface), _name_words(their_surface)
                if not (our_words <= their_words or their_words <= our_words):
                    return our_surface, their_surface
    return None
