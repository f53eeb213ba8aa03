"""WebAnno TSV 3.3, the tab-separated format INCEpTION (and WebAnno before it) imports and
exports: a document's annotations for a corpus tool (``webanno_tsv``), and back
(``annotations_import_webanno``).

The file is the document's text cut into sentences and tokens, one line a token, with a column per
feature of each layer. Our annotations are one custom span layer, ``webanno.custom.ReadingRoom``,
with two string features: ``tags`` (the tags in order, joined by ", ", which no tag holds) and
``comment`` (the Markdown as written). So that every annotation covers whole tokens, the tokens are
words and marks cut again wherever an annotation begins or ends (white space an annotation begins
or ends with is a token of its own), and a sentence never ends inside an annotation. Offsets are
UTF-16 code units, as Java and so INCEpTION count them; ours count code points, and are converted.
An annotation over several tokens, or sharing a token with another, carries its number in
brackets (``claim[3]``), as the format asks. Replies and orphans have no span and are not written.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from readingroom.library.models import Document

from .models import Annotation, Visibility
from .services import annotations_create_spans

FORMAT_LINE = "#FORMAT=WebAnno TSV 3.3"
LAYER = "webanno.custom.ReadingRoom"
FEATURES = ("tags", "comment")
TAG_SEPARATOR = ", "  # tags never hold a comma (tags.py splits at them)
MAX_PROBLEMS = 50

_WORD = re.compile(r"\w+|[^\w\s]")
_SENTENCE_END = re.compile(r"[.!?…]$")
# What INCEpTION escapes with a backslash in token forms, sentence text and feature values.
_ESCAPED = {"\\": "\\\\", "[": "\\[", "]": "\\]", "|": "\\|", "_": "\\_", ";": "\\;", "*": "\\*"}
_ESCAPE = re.compile(r"->|[\\\[\]|_;*\t\n]")
_UNESCAPE = re.compile(r"\\(->|.)", re.DOTALL)


@dataclass
class TsvSpan:
    """One annotation as the file holds it: code-point offsets, tags, comment."""

    start: int
    end: int
    tags: list[str] = field(default_factory=list)
    comment: str = ""


def _escape(value: str) -> str:
    def replace(match: re.Match) -> str:
        found = match.group(0)
        return {"\t": "\\t", "\n": "\\n", "->": "\\->"}.get(found) or _ESCAPED[found]

    return _ESCAPE.sub(replace, value)


def _unescape(value: str) -> str:
    return _UNESCAPE.sub(lambda match: {"t": "\t", "n": "\n"}.get(match.group(1), match.group(1)), value)


def utf16_positions(text: str) -> list[int]:
    """For each code-point offset into ``text`` (0 to len(text)), the UTF-16 offset."""
    positions, position = [0], 0
    for character in text:
        position += 2 if ord(character) > 0xFFFF else 1
        positions.append(position)
    return positions


# Writing --------------------------------------------------------------------------------------


def _tokens(text: str, spans: list[TsvSpan]) -> list[tuple[int, int]]:
    """Words and marks, cut at every annotation's start and end, and the white space an annotation
    begins or ends with: so that each annotation is a run of whole tokens."""
    cuts = sorted({span.start for span in spans} | {span.end for span in spans})
    tokens: set[tuple[int, int]] = set()
    for match in _WORD.finditer(text):
        begin, end = match.span()
        inside = cuts[bisect_left(cuts, begin + 1) : bisect_left(cuts, end)]
        for left, right in zip([begin, *inside], [*inside, end], strict=True):
            tokens.add((left, right))
    for span in spans:
        if text[span.start].isspace():  # up to the next word or cut
            stop = span.start
            while stop < span.end and text[stop].isspace():
                stop += 1
            tokens.add((span.start, min(stop, cuts[bisect_left(cuts, span.start + 1)])))
        if text[span.end - 1].isspace():  # back to the last word or cut
            begin = span.end
            while begin > span.start and text[begin - 1].isspace():
                begin -= 1
            previous_cut = cuts[bisect_left(cuts, span.end) - 1]
            tokens.add((max(begin, previous_cut), span.end))
    return sorted(tokens)


def _sentences(text: str, tokens: list[tuple[int, int]], blocked: list[bool]) -> list[list[int]]:
    """Token indexes per sentence: a sentence ends at a line break or after a full stop (or ! ? …)
    followed by white space, unless an annotation goes on over that end (``blocked``)."""
    sentences: list[list[int]] = []
    current: list[int] = []
    for index, (begin, end) in enumerate(tokens):
        current.append(index)
        if index + 1 == len(tokens):
            break
        gap = text[end : tokens[index + 1][0]]
        ends_here = "\n" in gap or (gap != "" and gap.isspace() and _SENTENCE_END.search(text[begin:end]) is not None)
        if ends_here and not blocked[index]:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    return sentences


def webanno_tsv(annotations: Iterable[Annotation], *, text: str) -> str:
    """The WebAnno TSV 3.3 of ``text`` with ``annotations`` (one document's, tags prefetched)."""
    spans = [
        TsvSpan(a.start, a.end, [tag.name for tag in a.ordered_tags()], a.body)
        for a in annotations
        if a.parent_id is None and a.start is not None and a.end is not None and 0 <= a.start < a.end <= len(text)
    ]
    spans.sort(key=lambda span: (span.start, span.end))
    return _write(text, spans)


def _write(text: str, spans: list[TsvSpan]) -> str:
    tokens = _tokens(text, spans)
    begins, ends = [begin for begin, _ in tokens], [end for _, end in tokens]
    covering: list[list[int]] = [[] for _ in tokens]  # span numbers on each token
    blocked = [False] * len(tokens)
    extents = []
    for number, span in enumerate(spans):
        first, last = bisect_left(begins, span.start), bisect_left(ends, span.end)
        extents.append((first, last))
        for index in range(first, last + 1):
            covering[index].append(number)
        for index in range(first, last):
            blocked[index] = True
    # Numbered (1, 2, … in order) only where the format needs it: over several tokens, or stacked.
    numbered: dict[int, int] = {}
    for number, (first, last) in enumerate(extents):
        if last > first or any(len(covering[index]) > 1 for index in range(first, last + 1)):
            numbered[number] = len(numbered) + 1

    def value(feature: str, number: int) -> str:
        span = spans[number]
        given = TAG_SEPARATOR.join(span.tags) if feature == "tags" else span.comment
        written = _escape(given) if given else "*"
        return f"{written}[{numbered[number]}]" if number in numbered else written

    utf16 = utf16_positions(text)
    lines = [FORMAT_LINE, f"#T_SP={LAYER}|{'|'.join(FEATURES)}", ""]
    for sentence_number, sentence in enumerate(_sentences(text, tokens, blocked), 1):
        lines.append("")
        sentence_text = text[tokens[sentence[0]][0] : tokens[sentence[-1]][1]]
        lines += [f"#Text={_escape(line)}" for line in sentence_text.split("\n")]
        for token_number, index in enumerate(sentence, 1):
            begin, end = tokens[index]
            columns = [f"{sentence_number}-{token_number}", f"{utf16[begin]}-{utf16[end]}", _escape(text[begin:end])]
            for feature in FEATURES:
                columns.append("|".join(value(feature, number) for number in covering[index]) or "_")
            lines.append("\t".join(columns) + "\t")
    return "\n".join(lines) + "\n"


# Reading --------------------------------------------------------------------------------------


@dataclass
class _Layer:
    kind: str  # SP (spans), RL (relations), CH (chains)
    name: str
    features: list[str]
    first_column: int

    @property
    def width(self) -> int:
        return max(1, len(self.features))


def _split_unescaped(value: str, separator: str) -> list[str]:
    pieces, current, index = [], [], 0
    while index < len(value):
        character = value[index]
        if character == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if character == separator:
            pieces.append("".join(current))
            current = []
        else:
            current.append(character)
        index += 1
    pieces.append("".join(current))
    return pieces


_NUMBERED = re.compile(r"\[(\d+)\]$")


def _numbered(piece: str) -> tuple[str, int | None]:
    """``claim[3]`` as ("claim", 3); a bracket that is escaped is part of the value."""
    match = _NUMBERED.search(piece)
    if match is None:
        return piece, None
    backslashes = len(piece[: match.start()]) - len(piece[: match.start()].rstrip("\\"))
    if backslashes % 2:
        return piece, None
    return piece[: match.start()], int(match.group(1))


def _layers(lines: list[str]) -> tuple[list[_Layer], list[str]]:
    layers: list[_Layer] = []
    problems: list[str] = []
    column = 3
    for line in lines:
        match = re.match(r"^#T_(SP|RL|CH)=(.*)$", line)
        if match is None:
            continue
        name, *features = match.group(2).split("|")
        layers.append(_Layer(match.group(1), name, features, column))
        column += layers[-1].width
    if not layers:
        problems.append("the file declares no layers (#T_SP=…), so it holds no annotations")
    return layers, problems


def _feature_value(raw: str) -> str:
    return "" if raw == "*" else _unescape(raw)


def webanno_spans(tsv: str, *, text: str) -> tuple[list[TsvSpan], list[str]]:
    """The span annotations of a WebAnno TSV 3.x file over ``text`` (the document's canonical
    text, which the file's tokens must match), and what could not be read. Our own layer's
    ``tags`` and ``comment`` come back as they were; another span layer's annotation gets its
    feature values as tags (its layer's name when it has none); relations and chains, which we have
    no place for, are named and skipped."""
    lines = tsv.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first.startswith("#FORMAT=WebAnno TSV 3"):
        return [], ['not a WebAnno TSV 3 file: it must begin with "#FORMAT=WebAnno TSV 3.3" (or 3.x)']
    layers, problems = _layers(lines)
    utf16 = utf16_positions(text)
    code_point = {position: index for index, position in enumerate(utf16)}
    found: dict[tuple, TsvSpan] = {}
    skipped: dict[str, int] = {}
    mismatches = 0
    for line_number, line in enumerate(lines, 1):
        if not line.strip() or line.startswith("#"):
            continue
        columns = line.rstrip("\n").split("\t")
        if columns and columns[-1] == "":
            columns.pop()  # the tab that ends each line
        offsets = re.fullmatch(r"(\d+)-(\d+)", columns[1]) if len(columns) >= 3 else None
        if offsets is None or re.fullmatch(r"\d+-\d+(\.\d+)?", columns[0]) is None:
            problems.append(f"line {line_number}: not a token line (sentence-token, begin-end, token, …)")
            continue
        begin, end = code_point.get(int(offsets.group(1))), code_point.get(int(offsets.group(2)))
        form = columns[2]
        if begin is None or end is None or begin >= end or text[begin:end] not in (form, _unescape(form)):
            mismatches += 1
            problems.append(
                f"line {line_number}: the token {_unescape(form)[:40]!r} is not at {columns[1]} of the "
                "document's text (is this the document the file was made from?)"
            )
            if mismatches >= 5:
                return [], problems
            continue
        for layer in layers:
            cells = columns[layer.first_column : layer.first_column + layer.width]
            if len(cells) < layer.width:
                problems.append(f"line {line_number}: fewer columns than the layers in the header")
                break
            if all(cell == "_" for cell in cells):
                continue
            if layer.kind != "SP":
                skipped[layer.name] = skipped.get(layer.name, 0) + 1
                continue
            stacks = [_split_unescaped(cell, "|") for cell in cells]
            if len({len(stack) for stack in stacks}) != 1:
                problems.append(f"line {line_number}: the features of {layer.name} list different numbers of values")
                continue
            for position in range(len(stacks[0])):
                values, number = {}, None
                for feature, stack in zip(layer.features or ["value"], stacks, strict=True):
                    raw, given_number = _numbered(stack[position])
                    number = number if given_number is None else given_number
                    values[feature] = "" if raw == "_" else _feature_value(raw)
                key = (layer.name, number) if number is not None else (layer.name, line_number, position)
                span = found.get(key)
                if span is None:
                    found[key] = _span_of(layer, values, begin, end)
                else:
                    span.start, span.end = min(span.start, begin), max(span.end, end)
    for name, count in skipped.items():
        problems.append(f"{count} tokens of {name}, a relation or chain layer we have no place for, skipped")
    return list(found.values()), problems[:MAX_PROBLEMS]


def _span_of(layer: _Layer, values: dict[str, str], begin: int, end: int) -> TsvSpan:
    if layer.name == LAYER:
        tags = [tag.strip() for tag in values.get("tags", "").split(",") if tag.strip()]
        return TsvSpan(begin, end, tags, values.get("comment", ""))
    tags = [value for value in values.values() if value.strip()]
    return TsvSpan(begin, end, tags or [layer.name.rsplit(".", 1)[-1]], "")


@dataclass
class WebAnnoImport:
    created: int = 0
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def annotations_import_webanno(
    *, document: Document, tsv: str, user, visibility: str = Visibility.PRIVATE
) -> WebAnnoImport:
    """Store the file's span annotations on ``document`` (whose canonical text the file's tokens
    must match) as ``user``'s annotations, each through the same checks as any other."""
    spans, problems = webanno_spans(tsv, text=document.canonical_text)
    created, refused = annotations_create_spans(
        user=user,
        document=document,
        spans=[
            (span.start, span.end, span.comment, span.tags) for span in sorted(spans, key=lambda s: (s.start, s.end))
        ],
        visibility=visibility,
    )
    return WebAnnoImport(created=created, refused=problems + refused)
