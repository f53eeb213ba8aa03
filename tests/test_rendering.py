"""The reader's HTML: marks wrap exactly their text, overlaps split cleanly, text never changes."""

from __future__ import annotations

import random
from html.parser import HTMLParser

import pytest

from readingroom.library.rendering import document_body_html
from readingroom.text.marks import Mark
from tests.factories import make_document

pytestmark = pytest.mark.django_db


class _Reader(HTMLParser):
    """Collects block texts and checks that every tag closes in order."""

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.blocks: list[str] = []
        self.marked: list[tuple[str, str]] = []  # (data-entity, text) for every mark piece

    def handle_starttag(self, tag, attrs):
        self.stack.append(tag)
        attrs = dict(attrs)
        if "data-start" in attrs:
            self.blocks.append("")
        if tag == "mark":
            self.marked.append((attrs.get("data-entity", ""), ""))

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, f"</{tag}> closes {self.stack[-1:]}"
        self.stack.pop()

    def handle_data(self, data):
        if self.blocks and any(t in ("p", "h3", "li") for t in self.stack):
            self.blocks[-1] += data
        if "mark" in self.stack and self.marked:
            entity, text = self.marked[-1]
            self.marked[-1] = (entity, text + data)


def read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader.stack == []
    return reader


def mark(start: int, end: int, name: str) -> Mark:
    return Mark(start, end, (("data-entity", name),))


def test_a_mark_wraps_exactly_its_text():
    document = make_document(paragraphs=["Putin met Kim at Vostochny.", "Kim left."])
    html = document_body_html(document, [mark(0, 5, "putin"), mark(10, 13, "kim"), mark(29, 32, "kim")])
    assert '<mark data-entity="putin">Putin</mark> met <mark data-entity="kim">Kim</mark>' in html
    assert '<mark data-entity="kim">Kim</mark> left.' in html


def test_overlapping_marks_are_split_into_well_formed_pieces():
    document = make_document(paragraphs=["abcdefghij"])
    html = document_body_html(document, [mark(0, 6, "a"), mark(3, 9, "b")])
    assert html.count("<mark") == 3
    reader = read(html)
    assert reader.blocks == ["abcdefghij"]
    assert [text for name, text in reader.marked if name == "b"] == ["def", "ghi"]


def test_a_mark_across_paragraphs_is_cut_at_the_paragraph_boundary():
    document = make_document(paragraphs=["First one.", "Second one."])
    html = document_body_html(document, [mark(6, 18, "x")])
    reader = read(html)
    assert reader.blocks == ["First one.", "Second one."]
    assert [text for _, text in reader.marked] == ["one.", "Second"]


def test_text_is_escaped_inside_and_outside_marks():
    document = make_document(paragraphs=["<script>alert(1)</script> & “Kim”"])
    html = document_body_html(document, [mark(0, 8, "x")])
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_random_overlapping_marks_never_change_the_text():
    rng = random.Random(7)
    paragraphs = ["Vostochny Сosmodrome — “quoted” 🚀 text", "Kim Jong-un met Putin.", "Third paragraph here."]
    document = make_document(paragraphs=paragraphs)
    length = len(document.canonical_text)
    for _ in range(200):
        marks = []
        for number in range(rng.randint(0, 8)):
            start = rng.randrange(0, length)
            marks.append(mark(start, rng.randint(start + 1, length), str(number)))
        reader = read(document_body_html(document, marks))
        assert reader.blocks == paragraphs
