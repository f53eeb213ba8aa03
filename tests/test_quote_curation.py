"""A curator's quote corrections (speaker, split, join) last: extraction run again, a document
edited, a new document filed and the clusters rebuilt from scratch all keep them."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied

from readingroom.coverage.curation import (
    QuoteCurationError,
    quote_decisions_remove,
    quote_join,
    quote_speaker_set,
    quote_split,
)
from readingroom.coverage.models import Quote, QuoteDecision
from readingroom.coverage.quotes import quotes_recluster_all
from readingroom.coverage.services import coverage_update
from readingroom.entities.models import Entity, EntityType, Mention
from readingroom.entities.services import entity_merge
from readingroom.reader.editing import document_text_edit
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

STATEMENT = "We will not allow anyone to close the sea lanes that feed half the world"
STATEMENT_TRANSLATED = "We shall allow no one to close the sea lanes which feed half of the world"
OTHER_STATEMENT = "Our farmers have done their part and now the markets must do theirs"
FILLER = "The museum reopened its east wing after three years of restoration work on the painted ceilings."


@pytest.fixture
def curator():
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_quote"))
    return type(user).objects.get(pk=user.pk)  # permissions are cached on the instance


def _quoting(statement, *extra):
    document = make_document(paragraphs=[f"“{statement},” the minister said on Friday.", *extra])
    coverage_update(documents=[document])
    return document


def quote_of(document) -> Quote:
    """The document's (only) quote as it is now: extraction gives it a new id each time."""
    return Quote.objects.select_related("document").get(document=document)


def test_a_split_quote_stays_alone_through_extraction_a_rebuild_and_new_documents(curator):
    first, second, third = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(STATEMENT, FILLER)
    cluster = quote_of(first).cluster_id
    assert cluster is not None and {quote_of(d).cluster_id for d in (second, third)} == {cluster}

    decision = quote_split(quote=quote_of(second), user=curator)
    assert decision.kind == QuoteDecision.Kind.SPLIT and decision.created_by == curator
    assert quote_of(second).cluster_id is None
    assert quote_of(first).cluster_id == quote_of(third).cluster_id is not None

    old_id = quote_of(second).pk
    coverage_update(documents=[first, second, third])
    assert quote_of(second).pk != old_id and quote_of(second).cluster_id is None
    decision.refresh_from_db()
    assert decision.quote == quote_of(second)
    assert quote_of(first).cluster_id == quote_of(third).cluster_id is not None

    quotes_recluster_all()
    assert quote_of(second).cluster_id is None
    assert quote_of(first).cluster_id == quote_of(third).cluster_id is not None

    # A new article with the split wording joins the statement's cluster; the split quote does not.
    fourth = _quoting(STATEMENT_TRANSLATED, FILLER)
    assert quote_of(fourth).cluster_id == quote_of(first).cluster_id
    assert quote_of(second).cluster_id is None


def test_a_joined_quote_stays_in_its_cluster_through_extraction_and_a_rebuild(curator):
    first, second, lone = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(OTHER_STATEMENT)
    assert quote_of(lone).cluster_id is None

    decision = quote_join(quote=quote_of(lone), other=quote_of(second), user=curator)
    assert decision.kind == QuoteDecision.Kind.JOIN and decision.created_by == curator
    cluster = quote_of(first).cluster_id
    assert quote_of(lone).cluster_id == quote_of(second).cluster_id == cluster

    coverage_update(documents=[lone, second, first])
    assert quote_of(lone).cluster_id == quote_of(second).cluster_id == quote_of(first).cluster_id is not None

    quotes_recluster_all()
    assert quote_of(lone).cluster_id == quote_of(second).cluster_id == quote_of(first).cluster_id is not None


def test_joining_two_clusters_merges_them_for_good(curator):
    a1, a2 = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    b1, b2 = _quoting(OTHER_STATEMENT), _quoting(OTHER_STATEMENT, FILLER)
    assert quote_of(a1).cluster_id != quote_of(b1).cluster_id

    quote_join(quote=quote_of(b2), other=quote_of(a1), user=curator)
    clusters = {quote_of(d).cluster_id for d in (a1, a2, b1, b2)}
    assert len(clusters) == 1 and None not in clusters

    quotes_recluster_all()
    assert len({quote_of(d).cluster_id for d in (a1, a2, b1, b2)}) == 1


def test_a_split_quote_joined_elsewhere_moves_there_and_stays(curator):
    a1, a2, a3 = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(STATEMENT, FILLER)
    b1, b2 = _quoting(OTHER_STATEMENT), _quoting(OTHER_STATEMENT, FILLER)
    quote_split(quote=quote_of(a3), user=curator)
    quote_join(quote=quote_of(a3), other=quote_of(b1), user=curator)
    assert quote_of(a3).cluster_id == quote_of(b1).cluster_id == quote_of(b2).cluster_id
    assert quote_of(a1).cluster_id == quote_of(a2).cluster_id != quote_of(a3).cluster_id

    coverage_update(documents=[a3, a1, b1])
    quotes_recluster_all()
    assert quote_of(a3).cluster_id == quote_of(b1).cluster_id == quote_of(b2).cluster_id
    assert quote_of(a1).cluster_id == quote_of(a2).cluster_id != quote_of(a3).cluster_id

    # Splitting it again takes it out of the curator's group too.
    quote_split(quote=quote_of(a3), user=curator)
    assert quote_of(a3).cluster_id is None
    assert not QuoteDecision.objects.filter(kind=QuoteDecision.Kind.JOIN).exists()


def test_a_speaker_set_by_a_curator_wins_over_the_machine_every_time(curator):
    sentence = f"“{STATEMENT},” Amira Haddad said on Friday."
    document = make_document(paragraphs=[sentence])
    haddad = Entity.objects.create(name="Amira Haddad", type=EntityType.PERSON)
    start = sentence.index("Amira")
    Mention.objects.create(document=document, entity=haddad, start=start, end=start + 12, surface="Amira Haddad")
    coverage_update(documents=[document])
    assert quote_of(document).speaker == haddad

    minister = Entity.objects.create(name="Omar Belkacem", type=EntityType.PERSON)
    quote_speaker_set(quote=quote_of(document), speaker=minister, user=curator)
    assert quote_of(document).speaker == minister
    coverage_update(documents=[document])
    assert quote_of(document).speaker == minister
    quotes_recluster_all()
    assert quote_of(document).speaker == minister

    # "Nobody named" is a decision too; a second decision replaces the first.
    quote_speaker_set(quote=quote_of(document), speaker=None, user=curator)
    coverage_update(documents=[document])
    assert quote_of(document).speaker is None
    assert QuoteDecision.objects.filter(kind=QuoteDecision.Kind.SPEAKER).count() == 1


def test_a_corrected_speaker_lets_the_quote_join_its_statement(curator):
    haddad = Entity.objects.create(name="Amira Haddad", type=EntityType.PERSON)
    other = Entity.objects.create(name="Omar Belkacem", type=EntityType.PERSON)
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    quote_speaker_set(quote=quote_of(first), speaker=haddad, user=curator)
    quote_speaker_set(quote=quote_of(second), speaker=other, user=curator)
    # Two speakers: two statements, whatever the words.
    assert quote_of(first).cluster_id is None and quote_of(second).cluster_id is None

    quote_speaker_set(quote=quote_of(second), speaker=haddad, user=curator)
    assert quote_of(first).cluster_id == quote_of(second).cluster_id is not None
    assert quote_of(first).cluster.speaker == haddad


def test_decisions_follow_their_quote_through_an_edit_of_the_text(curator, remembered_spans):
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED, FILLER)
    decision = quote_split(quote=quote_of(second), user=curator)
    edited = STATEMENT_TRANSLATED.replace("shall", "will")
    document_text_edit(
        document=second,
        canonical_text=f"A new opening paragraph.\n\n“{edited},” the minister said on Friday.\n\n{FILLER}",
    )
    decision.refresh_from_db()
    quote = quote_of(second)
    assert quote.text.startswith(edited) and decision.quote == quote and decision.exact == quote.text
    assert decision.start == quote.start > len("A new opening paragraph.")
    assert quote.cluster_id is None and quote_of(first).cluster_id is None


def test_a_decision_whose_words_are_gone_is_kept_and_names_no_quote(curator, remembered_spans):
    _quoting(STATEMENT)
    second = _quoting(STATEMENT_TRANSLATED)
    decision = quote_split(quote=quote_of(second), user=curator)
    document_text_edit(document=second, canonical_text=f"“{OTHER_STATEMENT},” the minister said.")
    decision.refresh_from_db()
    assert decision.quote is None and decision.exact.startswith(STATEMENT_TRANSLATED)


def test_removing_a_decision_brings_the_machines_answer_back_at_once(curator):
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    decision = quote_split(quote=quote_of(second), user=curator)
    assert quote_of(second).cluster_id is None
    assert quote_decisions_remove(decisions=[decision]) == 1
    assert quote_of(second).cluster_id == quote_of(first).cluster_id is not None

    lone = _quoting(OTHER_STATEMENT)
    join = quote_join(quote=quote_of(lone), other=quote_of(first), user=curator)
    quote_decisions_remove(decisions=[join])
    assert quote_of(lone).cluster_id is None
    assert not QuoteDecision.objects.exists()  # the group's other half went with it


def test_only_curators_may_correct_quotes():
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    reader = make_user()
    with pytest.raises(PermissionDenied):
        quote_split(quote=quote_of(second), user=reader)
    with pytest.raises(PermissionDenied):
        quote_speaker_set(quote=quote_of(second), speaker=None, user=reader)
    with pytest.raises(PermissionDenied):
        quote_join(quote=quote_of(second), other=quote_of(first), user=reader)
    assert not QuoteDecision.objects.exists() and quote_of(second).cluster_id is not None


def test_it_refuses_corrections_that_make_no_sense(curator):
    first, second = _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED)
    lone = _quoting(OTHER_STATEMENT)
    place = Entity.objects.create(name="Rotterdam", type=EntityType.PLACE)
    with pytest.raises(QuoteCurationError, match="person or an organisation"):
        quote_speaker_set(quote=quote_of(first), speaker=place, user=curator)
    with pytest.raises(QuoteCurationError, match="one group already"):
        quote_join(quote=quote_of(first), other=quote_of(second), user=curator)
    with pytest.raises(QuoteCurationError, match="itself"):
        quote_join(quote=quote_of(lone), other=quote_of(lone), user=curator)
    with pytest.raises(QuoteCurationError, match="no group"):
        quote_split(quote=quote_of(lone), user=curator)
    assert not QuoteDecision.objects.exists()


def test_a_speaker_decision_follows_its_entity_into_a_merge(curator):
    document = _quoting(STATEMENT)
    short = Entity.objects.create(name="Haddad", type=EntityType.PERSON)
    full = Entity.objects.create(name="Amira Haddad", type=EntityType.PERSON)
    decision = quote_speaker_set(quote=quote_of(document), speaker=short, user=curator)
    entity_merge(source=short, target=full)
    decision.refresh_from_db()
    assert decision.speaker == full
    coverage_update(documents=[document])
    assert quote_of(document).speaker == full
