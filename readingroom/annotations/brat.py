"""brat standoff (``.txt`` and ``.ann``): a document's annotations for corpus tools (brat, and
INCEpTION, which imports the format), and back (``annotations_import_brat``).

One text-bound annotation (``T``) per annotation, typed by its first tag (``Note`` when it has
none), its other tags as ``Tag`` attributes (``A``) and its comment as ``AnnotatorNotes`` (``#``).
Offsets count code points in the canonical text, which the ``.txt`` is, as ours do; a span across
lines is written in fragments, as brat wants. Replies and orphaned annotations have no span of
their own and are not written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction

from readingroom.library.models import Document

from .models import Annotation, Visibility
from .services import annotations_create_spans

UNTAGGED = "Note"
_TYPE_UNSAFE = re.compile(r"[^\w\-]+")


def _brat_type(tag: str) -> str:
    """A brat type: letters, digits, ``_`` and ``-`` only (spaces become ``_``)."""
    return _TYPE_UNSAFE.sub("_", tag.strip()).strip("_") or UNTAGGED


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The span cut at line breaks, without empty pieces: brat's discontinuous spans."""
    pieces, position = [], start
    for line in text[start:end].split("\n"):
        if line.strip():
            pieces.append((position, position + len(line)))
        position += len(line) + 1
    return pieces or [(start, end)]


def _one_line(value: str) -> str:
    return " ".join(value.split())


def brat_ann(annotations: Iterable[Annotation], *, text: str) -> str:
    """The ``.ann`` of ``annotations`` (one document's, tags prefetched) over ``text``."""
    lines: list[str] = []
    attribute = note = 0
    number = 0
    for annotation in annotations:
        if annotation.parent_id is not None or annotation.start is None or annotation.end is None:
            continue
        number += 1
        tags = [tag.name for tag in annotation.ordered_tags()]
        kind = _brat_type(tags[0]) if tags else UNTAGGED
        fragments = _fragments(text, annotation.start, annotation.end)
        offsets = ";".join(f"{start} {end}" for start, end in fragments)
        covered = " ".join(text[start:end] for start, end in fragments)
        lines.append(f"T{number}\t{kind} {offsets}\t{_one_line(covered)}")
        for tag in tags[1:]:
            attribute += 1
            lines.append(f"A{attribute}\tTag T{number} {_brat_type(tag)}")
        if annotation.body:
            note += 1
            lines.append(f"#{note}\tAnnotatorNotes T{number}\t{_one_line(annotation.body)}")
    return "\n".join(lines) + ("\n" if lines else "")


@dataclass
class BratSpan:
    start: int
    end: int
    tags: list[str] = field(default_factory=list)
    comment: str = ""


_TEXT_BOUND = re.compile(r"^(T\d+)\t(\S+) ([\d ;]+)\t?(.*)$")
_ATTRIBUTE = re.compile(r"^A\d+\t(\S+) (T\d+)(?: (\S+))?$")
_NOTE = re.compile(r"^#\d+\tAnnotatorNotes (T\d+)\t(.*)$")


def brat_spans(ann: str, *, text: str) -> tuple[list[BratSpan], list[str]]:
    """The text-bound annotations of an ``.ann`` with their tags and notes, and the lines that
    could not be read (a span outside the text, a relation or event, which we have no place for)."""
    spans: dict[str, BratSpan] = {}
    problems: list[str] = []
    for number, line in enumerate(ann.splitlines(), 1):
        if not line.strip():
            continue
        if match := _TEXT_BOUND.match(line):
            name, kind, offsets = match.group(1), match.group(2), match.group(3)
            try:
                pairs = [tuple(int(n) for n in piece.split()) for piece in offsets.split(";")]
                start, end = min(p[0] for p in pairs), max(p[1] for p in pairs)
            except (ValueError, IndexError):
                problems.append(f"line {number}: offsets {offsets!r} are not numbers")
                continue
            if not 0 <= start < end <= len(text):
                problems.append(f"line {number}: {start}–{end} is outside the text")
                continue
            spans[name] = BratSpan(start, end, [] if kind == UNTAGGED else [kind])
        elif (match := _ATTRIBUTE.match(line)) and match.group(2) in spans:
            spans[match.group(2)].tags.append(match.group(3) or match.group(1))
        elif (match := _NOTE.match(line)) and match.group(1) in spans:
            spans[match.group(1)].comment = match.group(2)
        else:
            problems.append(f"line {number}: not a text-bound annotation, attribute or note we can keep")
    return list(spans.values()), problems


@dataclass
class BratImport:
    created: int = 0
    refused: list[str] = field(default_factory=list)


@transaction.atomic
def annotations_import_brat(*, document: Document, ann: str, user, visibility: str = Visibility.PRIVATE) -> BratImport:
    """Store the ``.ann``'s spans on ``document`` (whose canonical text its ``.txt`` must be) as
    ``user``'s annotations, through the same checks as any other."""
    spans, problems = brat_spans(ann, text=document.canonical_text)
    created, refused = annotations_create_spans(
        user=user,
        document=document,
        spans=[(span.start, span.end, span.comment, span.tags[:10]) for span in spans],
        visibility=visibility,
    )
    return BratImport(created=created, refused=problems + refused)
