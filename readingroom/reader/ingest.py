"""What follows an import, whoever asked for it (the admin's upload, the command, a job): the new
documents' entities, then their quotes and shared passages. One service, so the steps and their
order are written once."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from readingroom.coverage.services import coverage_update
from readingroom.entities.extraction import ExtractionResult, documents_extract_entities
from readingroom.library.importing import ImportResult
from readingroom.library.models import Document


@dataclass(frozen=True)
class IngestReport:
    results: list[ImportResult]
    extracted: list[ExtractionResult]
    quotes: int

    @property
    def imported(self) -> list[Document]:
        return [result.document for result in self.results if result.status == "imported" and result.document]

    @property
    def mentions(self) -> int:
        return sum(result.mentions for result in self.extracted)

    @property
    def extraction_failures(self) -> list[ExtractionResult]:
        return [result for result in self.extracted if result.error]


def documents_ingest(*, results: Sequence[ImportResult]) -> IngestReport:
    """Find the entities, quotes and shared passages of the documents these imports stored. A
    document whose extraction fails is reported in ``extraction_failures``; the others go on."""
    imported = [result.document for result in results if result.status == "imported" and result.document]
    if not imported:
        return IngestReport(results=list(results), extracted=[], quotes=0)
    extracted = documents_extract_entities(documents=imported)
    quotes = coverage_update(documents=imported)
    return IngestReport(results=list(results), extracted=extracted, quotes=quotes)
