"""Migrations that move or fill data, run against a database holding a library: what a user
upgrading in place gets. Transactional (the migrations commit), so in a file of their own, which
pytest-django runs after the tests that share one database transaction."""

import pytest

from readingroom.coverage.models import PassageFingerprint, Quote, SharedPassage
from readingroom.coverage.services import coverage_update
from tests.test_incremental_coverage import (
    FILLER,
    STATEMENT,
    STATEMENT_TRANSLATED,
    WIRE,
    WIRE_EDITED,
    _article,
    _clusters,
    _quoting,
)


@pytest.mark.django_db(transaction=True)
def test_upgrading_fills_the_indexes_for_the_library_already_there():
    """A library linked before the indexes existed: migrating fills them, so a new document finds
    the old ones it shares copy with."""
    from django.core.management import call_command

    call_command("migrate", "coverage", "0003", verbosity=0)
    try:
        old = _article(FILLER[0], WIRE)
        quoting = _quoting(STATEMENT)
        Quote.objects.create(document=quoting, start=1, end=1 + len(STATEMENT), text=STATEMENT, revision=1)
    finally:
        call_command("migrate", verbosity=0)
    assert PassageFingerprint.objects.filter(document=old).exists()

    newcomer = _article(WIRE_EDITED)
    second_quote = _quoting(STATEMENT_TRANSLATED)
    coverage_update(documents=[newcomer, second_quote])
    assert SharedPassage.objects.filter(document=newcomer, other_document=old).exists()
    assert list(_clusters().values()) == [sorted([quoting.pk, second_quote.pk])]
