"""Extraction in batches: the model reads many documents at once (in several processes for a big
batch), and what it finds is what it finds reading each alone."""

import pytest

from readingroom.entities import extraction
from readingroom.entities.extraction import documents_extract_entities, find_spans, find_spans_many
from readingroom.entities.models import Entity, Mention
from readingroom.library.importing import documents_import_paths
from tests.conftest import SEEDS
from tests.factories import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeds():
    # Three of the five: a batch of several documents of many paragraphs is what is tested, and
    # each is read twice per process count.
    return [result.document for result in documents_import_paths(paths=sorted(SEEDS.glob("*.txt"))[:3])]


@pytest.mark.parametrize("processes", [1, 2])
def test_a_batch_finds_what_each_document_alone_finds(seeds, settings, monkeypatch, processes):
    settings.READINGROOM_EXTRACTION_PROCESSES = processes
    monkeypatch.setattr(extraction, "PROCESSES_FROM_WORDS", 0)  # the seeds are a small batch
    alone = [find_spans(document, patterns=[]) for document in seeds]
    assert find_spans_many(seeds, patterns=[]) == alone
    assert all(alone)


def test_a_short_name_met_first_joins_the_full_name_a_later_import_brings():
    first = make_document(paragraphs=["Minister Okonkwo arrived in Lagos on Tuesday, officials said."])
    documents_extract_entities(documents=[first])
    (putin,) = Mention.objects.filter(document=first, surface="Okonkwo")
    assert putin.entity.name == "Okonkwo"

    later = make_document(paragraphs=["Chidi Okonkwo spoke to reporters in Abuja on Wednesday."])
    documents_extract_entities(documents=[later])
    putin.refresh_from_db()
    assert putin.entity.name == "Chidi Okonkwo"
    assert not Entity.objects.filter(name="Okonkwo").exists()
    # A third document's bare "Okonkwo" links to him at once.
    third = make_document(paragraphs=["Okonkwo left Lagos by train on Thursday."])
    documents_extract_entities(documents=[third])
    assert Mention.objects.get(document=third, surface="Okonkwo").entity == putin.entity
