"""What kind of thing a name is, from the words English names are built with, and which runs of
text are no place for names at all (credit lines, menus of page buttons, time-zone codes).

A statistical model reads "Francis Scott Key Bridge" as an organisation and "Tinmel" (of "the
Tinmel mosque") as a person; the name's own head word says better: a bridge is a facility, a
river a place, a salvage company an organisation. These are facts of the language, not of any
article, so they hold on articles nobody has seen.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime
from functools import cache
from zoneinfo import ZoneInfo, available_timezones

PERSON = "person"
ORGANISATION = "organisation"
PLACE = "place"
FACILITY = "facility"
EVENT = "event"
OTHER = "other"

# The last word of a name that says what it names ("Key Bridge", "Bitter Lake", "Coast Guard").
_HEAD_TYPES = {
    FACILITY: (
        "bridge footbridge tunnel tower canal terminal terminals airport airfield station stadium arena "
        "speedway cosmodrome spaceport facility hospital museum cathedral church basilica mosque temple "
        "synagogue palace castle prison dam pier wharf beltway skyway highway expressway motorway freeway "
        "fountain lighthouse monument memorial library hotel theatre theater opera observatory"
    ),
    PLACE: (
        "river lake sea ocean bay gulf island islands isle mountains mountain range falls street park "
        "square drive avenue road boulevard lane province county region valley coast desert strait "
        "straits peninsula harbor harbour plain plains junction country point"
    ),
    ORGANISATION: (
        "inc inc. corp corp. corporation ltd ltd. llc plc company co. authority agency department "
        "ministry university institute foundation council guard salvage federation association society "
        "commission committee bureau service services office police army navy party union bank press "
        "news times post herald journal observer review ledger standard daily gazette tribune radio "
        "television network kaisha chartering shipping partners club school college court parliament "
        "congress senate administration prefecture fleet monitor project"
    ),
    EVENT: "games olympics paralympics championships championship cup festival marathon",
}
HEAD_TYPES = {word: kind for kind, words in _HEAD_TYPES.items() for word in words.split()}
# The first word of a name that says what it names ("Lake Erie", "Port of Baltimore").
_LEADING_TYPES = {
    "river": PLACE,
    "lake": PLACE,
    "mount": PLACE,
    "cape": PLACE,
    "île": PLACE,
    "ile": PLACE,
    "isle": PLACE,
    "quai": PLACE,
    "rue": PLACE,
    "parc": PLACE,
    "gulf": PLACE,
    "pont": FACILITY,
    "interstate": FACILITY,
    "university": ORGANISATION,
}
# Lower-case words after a name that make it a facility: "the Austerlitz bridge", "Tinmel mosque".
FACILITY_NOUNS = frozenset(_HEAD_TYPES[FACILITY].split()) - {"facility", "station", "terminal", "terminals"}
# Words around a name that make it a vessel: "the container ship Dali", "HMCS Glace Bay", "the
# Titan submersible", "the wreck of the Titanic". Ships and craft are "other" things.
_VESSEL_NOUNS = (
    r"(?:ship|vessel|submersible|submarine|sub|tug|tugboat|freighter|tanker|carrier|liner|ferry|frigate|"
    r"destroyer|icebreaker|dredger|yacht|boat|wreck\s+of)"
)
_VESSEL_BEFORE = re.compile(r"\b" + _VESSEL_NOUNS + r",?\s+(?:the\s+)?$|\b(?:MV|MS|HMS|HMCS|USS|RMS|SS)\s+$")
_VESSEL_AFTER = re.compile(r"^['’]?s?\s+(?:submersible|submarine|sub|ship|vessel|wreck|tug|tugboat)\b")
_NAME_WORD = r"[A-Z][\w'’-]*"
_VESSEL_NAMED = re.compile(
    r"\b"
    + _VESSEL_NOUNS
    + r",?\s+(?:the\s+)?(?P<name>"
    + _NAME_WORD
    + r"(?:\s+"
    + _NAME_WORD
    + r"){0,2})"
    + r"|(?P<prefixed>\b(?:MV|HMS|HMCS|USS|RMS)\s+"
    + _NAME_WORD
    + r"(?:\s+"
    + _NAME_WORD
    + r"){0,2})"
)

# Lines that credit the people who made the article: their names are not what it is about.
_CREDIT_LINE = re.compile(
    r"^\W*(?:(?:additional\s+)?reporting|writing|editing|edited|compiled|produced|photos?|graphics?)\s+by\b"
    r"|\bcontributed\s+to\s+this\s+(?:report|story|article)\b"
    # "Associated Press writers Tom Ferris in St. John's … contributed": names capitalised.
    r"|^\W*(?:[\w.'’-]+\s+){0,4}(?:writers?|correspondents?|reporters?)\s+(?-i:[A-Z][\w'’-]+\s+[A-Z][\w'’-]+\s+in\s+[A-Z])",
    re.IGNORECASE,
)
# Who owns it and whom to call: "© 2023 The Associated Press", "Copyright © 2023 …", "Media
# contact:". ("Source: Reuters, …" lines name what the article is built from: they stay.)
_SOURCE_LINE = re.compile(r"^\W*(?:media|press)\s+contacts?\s*:|^\s*(?:©|copyright\b)", re.IGNORECASE)
# Who made it, said at the end or in a box: "X is a writer and researcher in Rabat", "X writes
# about trade", "More columns by X", "It was written by X and Y", "produced by X and edited by Y".
_MAKERS_LINE = re.compile(
    r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,2}\s+(?:is\s+(?:a|an|the|\S+['’]s)\s+(?:[\w-]+\s+){0,3}"
    r"(?:writer|columnist|correspondent|reporter|editor|journalist|researcher|contributor|critic|author)\b"
    r"|writes\b|covers\b)"
    r"|^More\s+(?:columns|stories|articles|reporting)\s+by\b"
    # In the line's first words: not "an invitation to be hosted by Kim".
    r"|^(?:\S+\s+){0,5}(?:written|edited|produced|contributed|compiled|presented|hosted)\s+by\s+[A-Z]"
)
# A menu or a row of page buttons: three or more short pieces between separators.
_MENU_SEPARATORS = re.compile(r"\s*[|·•›»/]\s*")
# A transcript's speaker label: "DANA WHITLOCK:", "OKORO:" or "DANIEL OKORO, HOST:" at a
# paragraph's start.
SPEAKER_LABEL = re.compile(r"^([A-Z][A-Z'’.-]+(?:\s+[A-Z][A-Z'’.-]+){0,3})(?:,\s*[A-Z][A-Z ]*)?:(?:\s|$)")
# A wire dateline's place: "BOSTON (AP) —", "ISMAILIA, Egypt (Reuters) -", "BURLINGTON —".
DATELINE_PLACE = re.compile(r"^([A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,2})(?=,\s+[A-Z][a-z]|\s+\(|\s+[–—-]\s)")
# US time zones as news copy writes them, beside the codes the time-zone database knows.
_US_ZONES = {"ET", "CT", "MT", "PT", "AKT", "HT"}


def without_accents(text: str) -> str:
    """ "Céline" -> "Celine", "Trocadéro" -> "Trocadero": how English copy often spells them."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def initials(name: str) -> str:
    """ "United States" -> "US", "National Transportation Safety Board" -> "NTSB"."""
    return "".join(word[0] for word in name.split() if word[0].isupper())


_DOTTED_ACRONYM = re.compile(r"^(?:[A-Za-z]\.){2,}$")


def undotted(name: str) -> str:
    """ "U.S." -> "US"."""
    return name.replace(".", "") if _DOTTED_ACRONYM.match(name) else name


# Titles and honorifics before a name ("Gov. Wes Moore", "Rear Adm. John Mauger", "Ms Tan").
_TITLES = re.compile(
    r"^(?:(?:Mr|Mrs|Ms|Mx|Dr|Prof|Gov|Sen|Rep|Adm|Gen|Capt|Lt|Col|Sgt|Cmdr|Insp|Supt|Rev|Fr)\.?\s+"
    r"|(?:King|Queen|President|Governor|Senator|Mayor|Admiral|Rear|Vice|General|Captain|Commander|Chief|"
    r"Prime\s+Minister|Minister|Secretary|Judge|Justice|Pope|Sheikh|Chancellor|Commissioner|Inspector|"
    r"Sergeant|Colonel|Lieutenant|Major|Corporal|Officer|Detective|Professor|Father|Sister|Brother|"
    r"Coach|Director|Ambassador|Premier|Deputy|Sir)\s+)+"
)
_PLACE_NOUNS_AFTER = re.compile(
    r"^\s+(?:province|provinces|region|county|district|valley|mountains|village|commune|municipality|"
    r"prefecture|governorate|state|oblast|township|neighbourhood|neighborhood|quarter|suburb)\b"
)
# "the village of Moulay Brahim", "the town of Amizmiz", "in the city of Taroudant".
_PLACE_NOUNS_BEFORE = re.compile(
    r"\b(?:village|town|city|province|region|county|district|commune|municipality|neighbourhood|"
    r"neighborhood|suburb|hamlet|island|state)\s+of\s+$"
)
_ORGANISATION_NOUNS_BEFORE = re.compile(
    r"\b(?:firm|company|companies|operator|insurer|giant|maker|manufacturer|airline|broker|charity|"
    r"organisation|organization|institute|agency|group|conglomerate|startup|carrier|band|newspaper|"
    r"broadcaster|publisher|retailer|lender|consultancy|contractor|owner|manager|charterer)\s+$"
)


# Words that make what stands before them a job title, not an organisation: "Defence Minister
# Sergei Shoigu", "Munitions Industry Department Director Jo", "the Army Marshal".
JOB_TITLE_WORDS = frozenset(
    "minister secretary director chief spokesman spokeswoman spokesperson commander marshal chairman "
    "chairwoman adviser advisor envoy ambassador head".split()
)
# A government's departments written in small letters ("the interior ministry", "Russia's defence
# ministry", "the munitions industry department"): names of organisations all the same.
_PORTFOLIOS = (
    "interior|foreign|defen[cs]e|health|finance|justice|culture|education|economy|transport|energy|agriculture|"
    "environment|trade|labou?r|information|emergenc(?:y|ies)|tourism|communications|industry|science|housing"
)
LOWER_CASE_DEPARTMENT = re.compile(
    r"(?<![\w-])(?:(?:" + _PORTFOLIOS + r")\s+ministry|[a-z]+\s+industry\s+(?:ministry|department))(?![\w-])"
)
# "Russia's far east", "the far north": a region named in small letters.
LOWER_CASE_REGION = re.compile(r"(?:\bthe|['’]s)\s+(?P<name>far\s+(?:east|north|west|south))(?![\w-])")


# One name in British and American spelling: "defence ministry" and "defense ministry".
_SPELLINGS = {
    "defense": "defence",
    "center": "centre",
    "organization": "organisation",
    "labor": "labour",
    "harbor": "harbour",
    "theater": "theatre",
    "program": "programme",
}
_SPELLINGS.update({british: american for american, british in list(_SPELLINGS.items())})


def spelling_variants(normalised: str, *, group: bool = False) -> list[str]:
    """The name's other writings: British or American spelling ("defense ministry" -> "defence
    ministry"), the other apostrophe ("people’s" -> "people's"), and for a group of people its
    singular or plural ("north koreans" -> "north korean")."""
    variants = []
    words = normalised.split()
    if any(word in _SPELLINGS for word in words):
        variants.append(" ".join(_SPELLINGS.get(word, word) for word in words))
    for apostrophe, other in (("’", "'"), ("'", "’")):
        if apostrophe in normalised:
            variants.append(normalised.replace(apostrophe, other))
    if group and normalised[-1:].isalpha():
        variants.append(normalised[:-1] if normalised.endswith("s") else normalised + "s")
    return variants


def title_words(surface: str) -> int:
    """How many characters of titles start ``surface`` (0 when none)."""
    match = _TITLES.match(surface)
    return match.end() if match else 0


def kind_from_nouns(before: str, after: str) -> str | None:
    """The type a common noun beside a name gives it: "salvage firm Boskalis" an organisation,
    "the Al Haouz province" a place."""
    if _PLACE_NOUNS_AFTER.match(after) or _PLACE_NOUNS_BEFORE.search(before):
        return PLACE
    if _ORGANISATION_NOUNS_BEFORE.search(before):
        return ORGANISATION
    return None


def head_type(surface: str) -> str | None:
    """The type a name's own words give it ("Key Bridge": facility), or None."""
    words = surface.split()
    if len(words) < 2:
        return None
    last = words[-1].casefold()
    if last in HEAD_TYPES:
        return HEAD_TYPES[last]
    first = words[0].casefold()
    if first == "port" and words[1].casefold() == "of":
        return FACILITY  # "Port of Baltimore"; "Port Said" is a town
    if first in _LEADING_TYPES and (
        words[1][:1].isupper()
        or words[1][:1].isdigit()
        or words[1].casefold() in {"of", "de", "des", "du"}
        or re.match(r"^[dl]['’][A-Z]", words[1])  # "Quai d'Orléans"
    ):
        return _LEADING_TYPES[first]
    return None


def head_word_type(surface: str) -> str | None:
    """The type of a name that is its head word alone, capitalised: "the Beltway", "the Games",
    "the Observer" (a facility, an event, a newspaper), or None."""
    if " " in surface.strip() or not surface[:1].isupper() or surface.isupper():
        return None
    kind = HEAD_TYPES.get(surface.casefold())
    return None if kind == PLACE else kind  # "Point", "Park" alone are what is left of a name


def is_vessel(before: str, after: str) -> bool:
    """True when the words around a name make it a ship or a craft."""
    return bool(_VESSEL_BEFORE.search(before) or _VESSEL_AFTER.match(after))


# "two seagoing tugs, the Alp Guard and the Carlo Magno": ships named in a list after their kind.
_VESSEL_LIST = re.compile(
    r"\b(?:ships|vessels|tugs|tugboats|freighters|tankers|submarines|submersibles|frigates|destroyers|ferries),?\s+"
    r"(?P<names>(?:the\s+)?"
    + _NAME_WORD
    + r"(?:\s+"
    + _NAME_WORD
    + r"){0,2}(?:,\s+(?:the\s+)?"
    + _NAME_WORD
    + r"(?:\s+"
    + _NAME_WORD
    + r"){0,2})*,?\s+and\s+(?:the\s+)?"
    + _NAME_WORD
    + r"(?:\s+"
    + _NAME_WORD
    + r"){0,2})"
)


def vessel_names(text: str) -> list[tuple[int, int]]:
    """Where ``text`` names a ship or a craft by its kind: "the container ship Ever Given", "its
    support ship, the Polar Prince", "HMCS Glace Bay" (offsets of the name)."""
    found = []
    for match in _VESSEL_NAMED.finditer(text):
        group = "name" if match.group("name") else "prefixed"
        start, end = match.span(group)
        # A ship's name ends where a following sentence or a place would start: "Dali on Monday".
        words = text[start:end].split()
        while words and words[-1].casefold() in _NOT_IN_VESSEL_NAMES:
            end -= len(words.pop()) + 1
        if words:
            found.append((start, start + len(" ".join(words))))
    for match in _VESSEL_LIST.finditer(text):
        for name in re.finditer(
            r"(?:the\s+)?(" + _NAME_WORD + r"(?:\s+" + _NAME_WORD + r"){0,2})", match.group("names")
        ):
            start = match.start("names") + name.start(1)
            found.append((start, start + len(name.group(1))))
    return found


_NOT_IN_VESSEL_NAMES = {
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "on",
    "in",
    "the",
    "and",
}


def is_credit_line(text: str) -> bool:
    """ "(Reporting by Ann Lee in Cairo; Editing by Bo Park)", "Reuters contributed to this report"."""
    return len(text) < 400 and bool(
        _CREDIT_LINE.search(text) or (len(text) < 250 and (_MAKERS_LINE.search(text) or _SOURCE_LINE.search(text)))
    )


def is_menu(text: str) -> bool:
    """ "Share: Facebook · X · Email", "Contact us | Advertise | Privacy": no sentence, only buttons."""
    pieces = [piece for piece in _MENU_SEPARATORS.split(text) if piece.strip()]
    return len(pieces) >= 3 and all(len(piece.split()) <= 4 for piece in pieces)


@cache
def time_zone_codes() -> frozenset[str]:
    """Abbreviations of time zones ("BST", "GMT", "EDT"), from the system's time-zone database."""
    codes = set(_US_ZONES) | {"GMT", "UTC"}
    for name in available_timezones():
        zone = ZoneInfo(name)
        for month in (1, 7):
            code = datetime(2024, month, 1, tzinfo=zone).tzname()
            if code and code.isalpha() and code.isupper():
                codes.add(code)
    return frozenset(codes)
