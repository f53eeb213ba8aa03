"""The entity model's own process during an import (``ingest.ModelAhead``). Nothing here is
imported at the top: a new interpreter reads this module before Django is set up."""

from __future__ import annotations

import os


def start() -> None:
    """Set Django up in the new process, the model to use one core (the other stores)."""
    os.environ["READINGROOM_EXTRACTION_PROCESSES"] = "1"
    import django

    django.setup()


def read(documents: list, patterns: list[dict]) -> list:
    """``find_spans_many`` for a batch's unsaved documents."""
    from readingroom.entities.extraction import find_spans_many

    return find_spans_many(documents, patterns=patterns)
