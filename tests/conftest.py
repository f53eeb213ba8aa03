from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Tests make many users; a deliberately slow hash would only slow the suite down.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    # Rate-limit counters live in the default (per-process) cache: one test's searches must not
    # count against the next test's.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def extracted_seeds(db):
    """The five seed articles imported and their entities extracted, keyed by file prefix."""
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import documents_import_paths

    results = documents_import_paths(paths=[SEEDS])
    documents = [result.document for result in results]
    documents_extract_entities(documents=documents)
    return {document.original_filename[:3]: document for document in documents}
