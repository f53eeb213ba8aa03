"""Links across sources (#19): what the compare page will read of the links among its columns
(``links_among``, one query), and the session dashboard's counts of links."""

import pytest
from django.test import Client
from django.utils import timezone

from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Relation, Visibility
from readingroom.annotations.selectors import links_among
from readingroom.annotations.sessions import session_join, session_start
from readingroom.library.models import Document
from readingroom.reader.editing import document_text_edit
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def passage(document, quote):
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


def relation(slug):
    return Relation.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


@pytest.fixture
def world():
    alice, bob = make_user("alice"), make_user("bob")
    documents = [
        make_document(paragraphs=[f"Kim travelled {n},000 km by train. Putin waited at the cosmodrome."])
        for n in (1, 2, 3)
    ]
    one, two, three = documents
    pair = link_create(
        user=alice,
        targets=[passage(one, "1,000 km"), passage(two, "2,000 km")],
        relation=relation("contradicts"),
        visibility=Visibility.PUBLIC,
    )
    trio = link_create(
        user=alice,
        targets=[passage(one, "Putin waited"), passage(two, "Putin waited"), passage(three, "Putin waited")],
        relation=relation("same-claim"),
        visibility=Visibility.PUBLIC,
    )
    private = link_create(
        user=alice,
        targets=[passage(two, "Kim travelled"), passage(three, "Kim travelled")],
        relation=relation("same-claim"),
    )
    make_annotation(user=alice, document=one, quote="cosmodrome", visibility=Visibility.PUBLIC)
    return {"alice": alice, "bob": bob, "documents": documents, "pair": pair, "trio": trio, "private": private}


def test_it_reads_the_links_among_the_shown_documents_in_one_query(world, django_assert_num_queries):
    one, two, three = world["documents"]
    with django_assert_num_queries(1):
        found = links_among(world["bob"], [one.pk, two.pk, three.pk])
    assert [link.id for link in found] == [world["pair"].pk, world["trio"].pk]
    trio = found[1]
    assert (trio.relation_slug, trio.author, trio.state) == ("same-claim", "alice", "anchored")
    assert [(p.document_id, p.exact) for p in trio.passages] == [
        (one.pk, "Putin waited"),
        (two.pk, "Putin waited"),
        (three.pk, "Putin waited"),
    ]
    # The author sees her private link too.
    assert world["private"].pk in {link.id for link in links_among(world["alice"], [two.pk, three.pk])}


def test_a_link_needs_two_passages_among_the_shown_documents(world):
    one, two, three = world["documents"]
    assert [link.id for link in links_among(world["bob"], [one.pk, three.pk])] == [world["trio"].pk]
    assert links_among(world["bob"], [three.pk]) == []
    assert links_among(world["bob"], []) == []


def test_it_hides_a_link_with_a_passage_on_a_deleted_document_and_shows_a_partial_one(world):
    one, two, three = world["documents"]
    Document.all_objects.filter(pk=three.pk).update(deleted_at=timezone.now())
    assert [link.id for link in links_among(world["bob"], [one.pk, two.pk])] == [world["pair"].pk]
    Document.all_objects.filter(pk=three.pk).update(deleted_at=None)
    two.refresh_from_db()
    document_text_edit(document=two, canonical_text="Putin waited at the cosmodrome.")
    states = {link.id: link.state for link in links_among(world["bob"], [one.pk, two.pk, three.pk])}
    assert states == {world["pair"].pk: "partial", world["trio"].pk: "moved"}


def test_the_session_dashboard_counts_links_by_relation_and_member():
    alice, bob = make_user("alice"), make_user("bob")
    one = make_document(paragraphs=["Kim travelled 1,000 km by train."])
    two = make_document(paragraphs=["Kim travelled 1,500 km by train."])
    session = session_start(user=alice, title="Summit", documents=[one, two])
    session_join(session=session, user=bob)
    link_create(
        user=bob,
        targets=[passage(one, "1,000 km"), passage(two, "1,500 km")],
        relation=relation("contradicts"),
        session=session,
    )
    client = Client()
    client.force_login(alice)
    page = client.get(f"/sessions/{session.pk}/dashboard/").content.decode()
    assert "Links per relation" in page and "Contradicts" in page and "Links per member" in page
