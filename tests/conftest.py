import os
from pathlib import Path

import pytest

from tests.snapshots import Snapshot

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests make many users; a deliberately slow hash would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def jobs_run_at_once(settings):
    # A queued import runs in the process that queued it, as soon as its transaction commits;
    # tests/test_import_worker.py runs real workers.
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture(autouse=True)
def model_in_this_process(settings):
    # The model's own process during a big import starts a new interpreter and reads with the real
    # model (remembered spans do not reach it): tests/test_import_jobs.py tests it on purpose.
    settings.READINGROOM_IMPORT_PIPELINE = False


@pytest.fixture(autouse=True)
def fresh_caches():
    # Rate-limit counters live in the default (per-process) cache: one test's searches must not
    # count against the next test's. Rendered highlights are kept under a document's id and
    # highlight version, and a test database gives the same ids and versions to other rows in
    # the next test (a rolled-back transaction, a snapshot written back).
    from django.core.cache import caches

    for alias in ("default", "highlights"):
        caches[alias].clear()


# spaCy's answer for a text and a set of ruler patterns, kept for the whole test session: the
# model is deterministic, so this is what it would say again, minus the seconds it takes. Every
# test that extracts the seeds used to run the model over them afresh. Patterns are keyed by what
# they say, not by their entities' ids: a flushed and refilled database (the live-server tests)
# gives the same curated entities new ids, which the remembered spans are given back with.
_spans_found: dict[tuple, list] = {}


def _patterns_by_meaning(patterns) -> tuple[str, list[str]]:
    """A key for ``patterns`` without their entity ids, and the ids in the key's order."""
    import json
    from collections import defaultdict

    said: dict[str, list] = defaultdict(list)
    for pattern in patterns:
        said[pattern["id"]].append((json.dumps(pattern["pattern"]), pattern["label"]))
    ids = sorted(said, key=lambda entity: sorted(said[entity]))
    return json.dumps([sorted(said[entity]) for entity in ids]), ids


@pytest.fixture
def remembered_spans(monkeypatch):
    import dataclasses
    import json

    from readingroom.entities import extraction

    find_spans_many = extraction.find_spans_many

    def remembered(documents, *, patterns):
        meaning, ids = _patterns_by_meaning(patterns)
        place = {entity: number for number, entity in enumerate(ids)}
        keys = [(document.canonical_text, json.dumps(document.blocks), meaning) for document in documents]
        missing = [number for number, key in enumerate(keys) if key not in _spans_found]
        if missing:
            found = find_spans_many([documents[number] for number in missing], patterns=patterns)
            for number, spans in zip(missing, found, strict=True):
                _spans_found[keys[number]] = [
                    dataclasses.replace(span, entity_id=place[str(span.entity_id)])
                    if span.entity_id is not None
                    else span
                    for span in spans
                ]
        return [
            [
                dataclasses.replace(span, entity_id=int(ids[span.entity_id])) if span.entity_id is not None else span
                for span in _spans_found[key]
            ]
            for key in keys
        ]

    monkeypatch.setattr(extraction, "find_spans_many", remembered)


def seed_curation_load() -> None:
    """The seeds' curator's decisions, as ``make seed`` loads them before importing the seeds."""
    from readingroom.entities.curation_files import curated_entities_load, curated_entities_read

    text = (SEEDS.parent / "curation" / "seeds.json").read_text(encoding="utf-8")
    curated_entities_load(entities=curated_entities_read(text=text))


def _seeds_extracted():
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import documents_import_paths

    seed_curation_load()
    results = documents_import_paths(paths=[SEEDS])
    documents = [result.document for result in results]
    documents_extract_entities(documents=documents)
    return {document.original_filename[:3]: document for document in documents}


def _documents_by_key(kept):
    from readingroom.library.models import Document

    found = Document.objects.in_bulk([pk for _, pk in kept])
    return {key: found[pk] for key, pk in kept}


seeds_extracted = Snapshot(
    build=_seeds_extracted,
    keep=lambda built: tuple((key, document.pk) for key, document in built.items()),
    again=_documents_by_key,
)


@pytest.fixture
def extracted_seeds(db, remembered_spans):
    """The five seed articles imported and their entities extracted, keyed by file prefix (built
    once per test process, then written back as rows: tests/snapshots.py)."""
    return seeds_extracted()


@pytest.fixture(scope="session")
def scratch_databases(tmp_path_factory):
    """Migrated databases of their own for tests that run commands in other processes."""
    from tests.scratch import ScratchDatabases

    base = tmp_path_factory.getbasetemp()
    # Under pytest-xdist each worker's base folder sits in the run's own folder, shared by all.
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    databases = ScratchDatabases(shared)
    yield databases
    databases.close()


def _empties_the_database(item) -> bool:
    """A test that commits (live server, transactional_db) and so leaves the test database emptied,
    without the rows migrations wrote; pytest-django runs these after the others."""
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return (
        "transactional_db" in fixtures
        or "live_server" in fixtures
        or bool(marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    # The slow tests (processes of their own, walks over every page) are handed out first, so they
    # no longer leave one core idle at the end of a parallel run; but never a test that empties
    # the database before one that needs what migrations wrote (pytest-django's order). A stable
    # sort after pytest-django's.
    items.sort(key=lambda item: (_empties_the_database(item), item.get_closest_marker("slow") is None))
