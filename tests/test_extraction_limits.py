"""One enormous paragraph, or one document that fails, never costs the others their entities."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from readingroom.coverage.services import coverage_update
from readingroom.entities import extraction
from readingroom.entities.extraction import documents_extract_entities, documents_pending_extraction, text_pieces
from readingroom.entities.models import Mention
from readingroom.library.importing import document_import
from tests.factories import make_document

pytestmark = pytest.mark.django_db


def test_a_paragraph_over_a_million_characters_is_extracted_in_pieces():
    filler = ("x" * 99 + " ") * 10_000  # one paragraph of a million characters, no blank line
    text = "Kim Jong Un met Vladimir Putin in Vladivostok. " + filler + "Sergei Lavrov spoke in Moscow.\n"
    result = document_import(data=text.encode(), filename="one-paragraph.txt")
    assert result.status == "imported", result.message
    document = result.document

    [extracted] = documents_extract_entities(documents=[document])
    coverage_update(documents=[document])

    assert extracted.error == ""
    surfaces = set(Mention.objects.filter(document=document).values_list("surface", flat=True))
    assert {"Kim Jong Un", "Vladimir Putin", "Sergei Lavrov", "Moscow"} <= surfaces
    for mention in Mention.objects.filter(document=document):
        assert document.canonical_text[mention.start : mention.end] == mention.surface
    assert not documents_pending_extraction().filter(pk=document.pk).exists()


def test_pieces_cover_the_text_exactly_and_prefer_sentence_ends():
    text = "One sentence here. " * 20 + "y" * 300
    pieces = list(text_pieces(text, limit=100))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 100 for _, piece in pieces)
    assert all(text[offset : offset + len(piece)] == piece for offset, piece in pieces)
    assert pieces[0][1].endswith(". ")


def test_one_failing_document_is_reported_and_the_batch_goes_on(monkeypatch, capsys):
    good = make_document(paragraphs=["Vladimir Putin met Kim Jong Un in Vladivostok."])
    bad = make_document(title="The broken one", paragraphs=["Sergei Lavrov spoke in Moscow."])
    found = extraction.find_spans_many

    def failing(documents, *, patterns):
        if any(document.pk == bad.pk for document in documents):
            raise ValueError("the model refused this text")
        return found(documents, patterns=patterns)

    # The batch fails, then each of its documents is tried alone: only the bad one fails.
    monkeypatch.setattr(extraction, "find_spans_many", failing)

    with pytest.raises(CommandError, match="1 failed"):
        call_command("extract_entities", "--pending")

    err = capsys.readouterr().err
    assert "“The broken one”: ValueError: the model refused this text" in err
    assert Mention.objects.filter(document=good).exists()
    assert list(documents_pending_extraction()) == [bad]
