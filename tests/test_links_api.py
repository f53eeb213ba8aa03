"""Links across sources (#19) through the W3C Protocol at /annotations/: a link is one annotation
with several targets, its relation a body with the ``classifying`` purpose and ``motivation:
linking``; a link with a passage on a document the reader cannot see is not there for them."""

import json

import pytest
from django.test import Client
from django.utils import timezone

from readingroom.annotations.models import Annotation, AnnotationTarget, Relation
from readingroom.annotations.tokens import api_token_create
from readingroom.library.models import Document
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db
HOST = "http://testserver"


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    from django.core.cache import caches

    caches["highlights"].clear()


@pytest.fixture
def world():
    for slug in ("contradicts", "same-claim"):
        Relation.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})
    author = make_user()
    client = Client()
    client.force_login(author)
    first = make_document(paragraphs=["Kim travelled some 1,000 km by train to meet Putin."])
    second = make_document(paragraphs=["The train carried Kim about 1,500 km to the cosmodrome."])
    return {"author": author, "client": client, "first": first, "second": second}


def target(document: Document, quote: str) -> dict:
    start = document.canonical_text.index(quote)
    return {
        "source": f"{HOST}{document.get_absolute_url()}",
        "selector": [
            {"type": "TextQuoteSelector", "exact": quote},
            {"type": "TextPositionSelector", "start": start, "end": start + len(quote)},
        ],
    }


def link_body(world, relation: str = "contradicts", **extra) -> dict:
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "motivation": "linking",
        "body": [
            {"type": "TextualBody", "purpose": "classifying", "value": relation},
            {"type": "TextualBody", "purpose": "commenting", "value": "Which is it?"},
        ],
        "target": [target(world["first"], "some 1,000 km"), target(world["second"], "about 1,500 km")],
        "visibility": "public",
        **extra,
    }


def post(client, body):
    return client.post("/annotations/", json.dumps(body), content_type="application/ld+json")


def test_it_creates_a_link_and_returns_it_with_every_target(world):
    response = post(world["client"], link_body(world))
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["motivation"] == "linking" and data["state"] == "anchored"
    assert data["body"][0] == {"type": "TextualBody", "purpose": "classifying", "value": "contradicts"}
    sources = [t["source"] for t in data["target"]]
    assert sources == [f"{HOST}{world['first'].get_absolute_url()}", f"{HOST}{world['second'].get_absolute_url()}"]
    second = data["target"][1]
    assert second["state"] == "anchored"
    assert {"type": "TextPositionSelector", "start": 22, "end": 36} in second["selector"]
    assert second["selector"][0]["exact"] == "about 1,500 km"
    assert response.headers["ETag"] == f'"{Annotation.objects.get().pk}-1"'
    assert world["client"].get(response.headers["Location"]).json() == data


def test_a_relation_is_found_by_its_name_too(world):
    response = post(world["client"], link_body(world, relation="Same claim"))
    assert response.status_code == 201 and response.json()["body"][0]["value"] == "same-claim"


def test_the_container_lists_a_link_for_each_of_its_documents(world):
    link = post(world["client"], link_body(world)).json()
    for document in (world["first"], world["second"]):
        page = world["client"].get(f"/annotations/?document={document.pk}").json()
        assert [item["id"] for item in page["first"]["items"]] == [link["id"]]
        assert len(page["first"]["items"][0]["target"]) == 2
    everything = world["client"].get("/annotations/").json()
    assert everything["first"]["items"][0]["target"] == link["target"]


@pytest.mark.parametrize(
    "change, status, message",
    [
        (lambda body: body.update(body=[]), 400, "relation"),
        (lambda body: body.update(target=body["target"][:1]), 400, "at least two targets"),
        (lambda body: body["body"].__setitem__(0, {"purpose": "classifying", "value": "nonsense"}), 400, "nonsense"),
        (lambda body: body["target"][1]["selector"][1].update(start=0, end=3), 400, "Passage 2"),
        (lambda body: body["target"].append("a string"), 400, "Target 3"),
        (lambda body: body["target"].__setitem__(1, {"source": f"{HOST}/documents/999999/"}), 400, "Target 2"),
        (lambda body: body.update(target=body["target"] * 6), 400, "at most 10"),
        (lambda body: body["body"].append({"purpose": "classifying", "value": "same-claim"}), 400, "one relation"),
        (lambda body: body["body"].__setitem__(0, {"purpose": "classifying", "value": ["x"]}), 400, "string"),
    ],
)
def test_it_refuses_links_it_cannot_store_with_a_problem(world, change, status, message):
    body = link_body(world)
    change(body)
    response = post(world["client"], body)
    assert response.status_code == status and message in response.json()["detail"], response.content
    assert not Annotation.objects.exists()


def test_it_refuses_a_link_to_a_deleted_document(world):
    Document.all_objects.filter(pk=world["second"].pk).update(deleted_at=timezone.now())
    response = post(world["client"], link_body(world))
    assert response.status_code == 400 and not Annotation.objects.exists()


def test_put_with_if_match_changes_the_relation_and_comment_but_never_the_targets(world):
    created = post(world["client"], link_body(world))
    url, etag = created.headers["Location"], created.headers["ETag"]
    changed = link_body(world, relation="same-claim")
    changed["body"][1]["value"] = "The same after all"
    response = world["client"].put(url, json.dumps(changed), content_type="application/ld+json", HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.content
    assert response.json()["body"][0]["value"] == "same-claim" and response.headers["ETag"].endswith('-2"')
    stale = world["client"].put(url, json.dumps(changed), content_type="application/ld+json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    moved = link_body(world)
    moved["target"] = moved["target"][::-1]
    response = world["client"].put(
        url, json.dumps(moved), content_type="application/ld+json", HTTP_IF_MATCH=response.headers["ETag"]
    )
    assert response.status_code == 400 and "cannot be changed" in response.json()["detail"]
    single = link_body(world)
    single["body"], single["target"] = [], single["target"][0]
    response = world["client"].put(url, json.dumps(single), content_type="application/ld+json", HTTP_IF_MATCH='"x"')
    assert response.status_code == 412


def test_a_plain_annotation_cannot_become_a_link_by_put(world):
    plain = link_body(world)
    plain["body"], plain["target"] = [], plain["target"][0]
    created = post(world["client"], plain)
    assert created.status_code == 201
    response = world["client"].put(
        created.headers["Location"],
        json.dumps(link_body(world)),
        content_type="application/ld+json",
        HTTP_IF_MATCH=created.headers["ETag"],
    )
    assert response.status_code == 400 and Annotation.objects.get().relation_id is None


def test_delete_removes_the_link_and_its_targets(world):
    created = post(world["client"], link_body(world))
    response = world["client"].delete(created.headers["Location"], HTTP_IF_MATCH=created.headers["ETag"])
    assert response.status_code == 204 and not AnnotationTarget.objects.exists()


def test_only_its_author_changes_a_link(world):
    created = post(world["client"], link_body(world))
    other = Client()
    other.force_login(make_user())
    response = other.delete(created.headers["Location"], HTTP_IF_MATCH=created.headers["ETag"])
    assert response.status_code == 403 and Annotation.objects.exists()


def test_a_link_with_a_target_on_a_deleted_document_is_never_revealed(world):
    created = post(world["client"], link_body(world)).json()
    url = created["id"].removeprefix(HOST)
    reader = make_user()
    _, token = api_token_create(user=reader, name="notebook", scope="read")
    for client in (world["client"], Client(HTTP_AUTHORIZATION=f"Bearer {token}"), Client()):
        assert client.get(url).status_code == 200
        assert client.get(f"/annotations/?document={world['first'].pk}").json()["total"] == 1
    Document.all_objects.filter(pk=world["second"].pk).update(deleted_at=timezone.now())
    for client in (world["client"], Client(HTTP_AUTHORIZATION=f"Bearer {token}"), Client()):
        assert client.get(url).status_code == 404
        for query in ("", f"?document={world['first'].pk}", f"?document={world['second'].pk}"):
            body = client.get(f"/annotations/{query}").content.decode()
            assert "1,500" not in body and "1,000" not in body, query
    # Nor to its author's own writes.
    assert world["client"].delete(url, HTTP_IF_MATCH='"*"').status_code == 404
    Document.all_objects.filter(pk=world["second"].pk).update(deleted_at=None)
    assert world["client"].get(url).status_code == 200


@pytest.mark.parametrize(
    "target",
    [
        [None, None],
        [1, 2],
        [{}, {}],
        [{"source": 5}, {"source": []}],
        [{"source": "x", "selector": "y"}, {"source": "x", "selector": [1]}],
        [[], []],
        ["http://testserver/documents/1/", "http://testserver/documents/2/"],
        [{"source": "http://testserver/documents/1/", "selector": [{"type": "TextPositionSelector", "start": "0"}]}]
        * 2,
        [{"source": "http://testserver/documents/1/", "selector": {"type": "TextQuoteSelector", "exact": 5}}] * 2,
        [{"source": "http://testserver/documents/1/", "state": "orphaned", "selector": {"exact": "x"}}] * 2,
    ],
)
@pytest.mark.parametrize("relation", ["contradicts", None, 5, {"a": 1}, "", "x" * 10_000])
def test_odd_link_shapes_are_refused_with_a_problem_never_a_500(world, target, relation):
    body = {"type": "Annotation", "body": [{"purpose": "classifying", "value": relation}], "target": target}
    response = post(world["client"], body)
    assert response.status_code == 400, response.content
    assert response.headers["Content-Type"] == "application/problem+json"
