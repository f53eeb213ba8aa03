"""The compare page's link views (#19): the links drawn among the columns, and a link's thread,
edited (its relation) and deleted through the annotation views."""

import pytest
from django.test import Client

from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Annotation, AnnotationTarget, Relation, Visibility
from readingroom.annotations.sessions import session_start
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def passage(document, quote):
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


def relation(slug):
    return Relation.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


@pytest.fixture
def link():
    author = make_user("alice")
    one = make_document(paragraphs=["Kim travelled 1,000 km by train."])
    two = make_document(paragraphs=["Kim travelled some 1,500 km by train."])
    return link_create(
        user=author,
        targets=[passage(one, "1,000 km by train"), passage(two, "some 1,500 km by train")],
        relation=relation("contradicts"),
        body="Which is it?",
        visibility=Visibility.PRIVATE,
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def links_url(link):
    other = AnnotationTarget.objects.get(annotation=link).document_id
    return f"/annotations/links/?doc={link.document_id}&doc={other}"


def test_it_lists_the_links_among_the_columns_with_every_passage(link):
    response = client_for(link.author).get(links_url(link))
    assert response.status_code == 200
    (found,) = response.json()["links"]
    assert found["id"] == link.pk and found["relation"] == "contradicts"
    assert [p["document"] for p in found["passages"]] == [
        link.document_id,
        AnnotationTarget.objects.get(annotation=link).document_id,
    ]


def test_it_shows_an_outsider_no_private_link(link):
    assert client_for(make_user("mallory")).get(links_url(link)).json() == {"links": []}
    assert Client().get(links_url(link)).json() == {"links": []}


def test_it_refuses_a_session_the_reader_is_not_a_member_of(link):
    session = session_start(user=link.author, title="Private", documents=[link.document])
    response = client_for(make_user("mallory")).get(f"{links_url(link)}&session={session.pk}")
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["doc=x", "doc=99999999999999999999", "session=abc", "doc=1&session=-1", ""])
def test_it_answers_odd_queries_without_an_error(link, query):
    assert client_for(link.author).get(f"/annotations/links/?{query}").status_code in (200, 404)


def test_it_refuses_a_post_to_the_links(link):
    assert client_for(link.author).post("/annotations/links/").status_code == 405


def test_a_links_thread_shows_every_passage_with_the_difference_in_wording(link):
    response = client_for(link.author).get(f"/annotations/threads/?id={link.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="link-passage-card"') == 2
    assert "<ins>" in html  # the word-level difference from the first passage
    assert "Delete link" in html and 'name="relation"' in html


def test_two_passages_saying_different_things_are_shown_side_by_side_without_a_diff():
    author = make_user("alice")
    one = make_document(paragraphs=["The president shook hands with the visiting leader outside the launch hall."])
    two = make_document(paragraphs=["We will talk about all the issues, without rushing, there is time."])
    link = link_create(
        user=author,
        targets=[passage(one, one.canonical_text.strip()), passage(two, two.canonical_text.strip())],
        relation=relation("same-claim"),
    )
    html = client_for(author).get(f"/annotations/threads/?id={link.pk}").content.decode()
    assert html.count('class="link-passage-card"') == 2
    assert "link-diff" not in html and "<ins>" not in html


def test_the_author_changes_a_links_relation(link):
    response = client_for(link.author).post(
        f"/annotations/{link.pk}/edit/",
        {"relation": "adds-detail", "body": "Which is it?", "version": link.version},
    )
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.relation.slug == "adds-detail" and link.body == "Which is it?"


def test_it_refuses_an_unknown_relation(link):
    response = client_for(link.author).post(f"/annotations/{link.pk}/edit/", {"relation": "nonsense", "body": ""})
    assert response.status_code == 400
    link.refresh_from_db()
    assert link.relation.slug == "contradicts"


def test_an_outsider_cannot_delete_a_link(link):
    assert client_for(make_user("mallory")).post(f"/annotations/{link.pk}/delete/").status_code == 404
    assert Annotation.objects.filter(pk=link.pk).exists()


def test_the_author_deletes_a_link_with_its_passages(link):
    response = client_for(link.author).post(f"/annotations/{link.pk}/delete/", {"version": link.version})
    assert response.status_code == 302
    assert not Annotation.objects.exists() and not AnnotationTarget.objects.exists()
