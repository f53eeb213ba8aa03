"""Property-based tests (hypothesis): for any spans, overlapping or not, the reader's HTML is well
formed and its text is the canonical text; quotes and selections round-trip."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from readingroom.library.importing import assemble_canonical_text
from readingroom.library.models import Document
from readingroom.library.rendering import document_body_html
from readingroom.text.anchoring import check_selection, quote_for
from readingroom.text.cleaning import Block
from readingroom.text.marks import Mark
from tests.test_rendering import read

# Letters from several scripts, curly quotes, dashes, emoji outside the Basic Multilingual Plane,
# and the characters HTML cares about.
ALPHABET = st.sampled_from(list("abc XYZ Сс Кк — – “ ” ‘ ’ … é ü 🚀 😀 🇰🇵 < > & \" ' ."))
PARAGRAPH = st.text(ALPHABET, min_size=1, max_size=40).map(str.strip).filter(bool)


def unsaved_document(paragraphs: list[str]) -> Document:
    text, blocks = assemble_canonical_text([Block("paragraph", p) for p in paragraphs])
    return Document(canonical_text=text, blocks=blocks)


@st.composite
def document_with_marks(draw):
    paragraphs = draw(st.lists(PARAGRAPH, min_size=1, max_size=5))
    document = unsaved_document(paragraphs)
    length = len(document.canonical_text)
    marks = []
    for number in range(draw(st.integers(0, 12))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, length))
        kind = draw(st.sampled_from(["entity", "annotation"]))
        marks.append(Mark(start, end, (("class", kind), ("data-id", str(number)))))
    return paragraphs, document, marks


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(document_with_marks())
def test_any_spans_render_well_formed_html_whose_text_is_the_canonical_text(case):
    paragraphs, document, marks = case
    reader = read(document_body_html(document, marks))  # raises on a tag closed out of order
    assert reader.blocks == paragraphs
    assert "\n\n".join(reader.blocks) == document.canonical_text


@settings(max_examples=300, deadline=None)
@given(st.lists(PARAGRAPH, min_size=1, max_size=4), st.data())
def test_any_selection_round_trips_through_its_quote(paragraphs, data):
    text = unsaved_document(paragraphs).canonical_text
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    exact = text[start:end]
    if not exact.strip():
        return  # whitespace-only selections are refused by design
    quote = check_selection(text, start, end, exact)
    assert quote == quote_for(text, start, end)
    assert text.find(quote.prefix + quote.exact + quote.suffix) <= start - len(quote.prefix)
    assert (quote.prefix + quote.exact + quote.suffix) in text
