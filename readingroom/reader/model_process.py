"""The entity model's own process during an import (``ingest.ModelAhead``). Nothing here is
imported at the top: a new interpreter reads this module before Django is set up."""

from __future__ import annotations

import os

PARENT_CHECK_SECONDS = 1.0


def start() -> None:
    """Set Django up in the new process, the model to use one core (the other stores), and end
    the process when the one that started it is gone."""
    _end_with_parent(os.getppid())
    os.environ["READINGROOM_EXTRACTION_PROCESSES"] = "1"
    import django

    django.setup()


def _end_with_parent(parent: int) -> None:
    """A worker killed with SIGKILL cannot stop its pool: its model process, waiting for work that
    will never come, would hold a few hundred MB for ever. It checks on its parent instead."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def read(documents: list, patterns: list[dict]) -> list:
    """``find_spans_many`` for a batch's unsaved documents."""
    from readingroom.entities.extraction import find_spans_many

    return find_spans_many(documents, patterns=patterns)
