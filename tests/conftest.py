from pathlib import Path

import pytest

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
def fresh_rate_limits():
    # Rate-limit counters live in the default (per-process) cache: one test's searches must not
    # count against the next test's.
    from django.core.cache import cache

    cache.clear()


# spaCy's answer for a text and a set of ruler patterns, kept for the whole test session: the
# model is deterministic, so this is what it would say again, minus the seconds it takes. Every
# test that extracts the seeds used to run the model over them afresh.
_spans_found: dict[tuple, list] = {}


@pytest.fixture
def remembered_spans(monkeypatch):
    import json

    from readingroom.entities import extraction

    find_spans_many = extraction.find_spans_many

    def remembered(documents, *, patterns):
        keys = [
            (document.canonical_text, json.dumps(document.blocks), json.dumps(list(patterns), sort_keys=True))
            for document in documents
        ]
        missing = [number for number, key in enumerate(keys) if key not in _spans_found]
        if missing:
            found = find_spans_many([documents[number] for number in missing], patterns=patterns)
            for number, spans in zip(missing, found, strict=True):
                _spans_found[keys[number]] = spans
        return [list(_spans_found[key]) for key in keys]

    monkeypatch.setattr(extraction, "find_spans_many", remembered)


@pytest.fixture
def extracted_seeds(db, remembered_spans):
    """The five seed articles imported and their entities extracted, keyed by file prefix."""
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import documents_import_paths

    results = documents_import_paths(paths=[SEEDS])
    documents = [result.document for result in results]
    documents_extract_entities(documents=documents)
    return {document.original_filename[:3]: document for document in documents}
