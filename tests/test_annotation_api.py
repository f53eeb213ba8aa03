"""The W3C Web Annotation Protocol at /annotations/."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import Annotation, Visibility
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'


def anno(document, exact, *, start=None, tags=(), comment="", visibility="public", **extra):
    text = document.canonical_text
    start = text.index(exact) if start is None else start
    bodies = [{"type": "TextualBody", "purpose": "tagging", "value": tag} for tag in tags]
    if comment:
        bodies.append({"type": "TextualBody", "purpose": "commenting", "value": comment})
    return {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "visibility": visibility,
        "body": bodies,
        "target": {
            "source": f"http://testserver/documents/{document.pk}/",
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact},
                {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
            ],
        },
        **extra,
    }


def post(client, data, **headers):
    return client.post(reverse("annotation_container"), json.dumps(data), content_type="application/ld+json", **headers)


@pytest.fixture
def document():
    return make_document(
        paragraphs=["Putin said: “We’ll talk about all the issues, without rushing.”", "Kim agreed 🚀."]
    )


@pytest.fixture
def author(client):
    user = make_user("author")
    client.force_login(user)
    return user


def test_post_creates_an_annotation(client, author, document):
    response = post(client, anno(document, "all the issues", tags=["claim"], comment="**Note**"))

    assert response.status_code == 201
    assert response["Content-Type"] == JSONLD
    annotation = Annotation.objects.get()
    assert response["Location"] == f"http://testserver/annotations/{annotation.pk}"
    assert response["ETag"] == f'"{annotation.pk}-1"'
    data = response.json()
    assert data["id"] == response["Location"] and data["type"] == "Annotation"
    assert data["@context"] == "http://www.w3.org/ns/anno.jsonld"
    assert {"type": "TextualBody", "purpose": "tagging", "value": "claim"} in data["body"]
    assert {"type": "TextualBody", "purpose": "commenting", "value": "**Note**", "format": "text/markdown"} in data[
        "body"
    ]
    selectors = {s["type"]: s for s in data["target"]["selector"]}
    assert selectors["TextQuoteSelector"]["exact"] == "all the issues"
    assert selectors["TextQuoteSelector"]["prefix"].endswith("talk about ")
    assert selectors["TextPositionSelector"]["start"] == document.canonical_text.index("all the issues")
    assert data["creator"]["nickname"] == "author" and data["created"].endswith("Z")


def test_a_quote_selector_alone_is_enough_when_it_is_unique(client, author, document):
    data = anno(document, "all the issues")
    data["target"]["selector"] = [{"type": "TextQuoteSelector", "exact": "all the issues"}]
    assert post(client, data).status_code == 201


def test_offsets_count_code_points_not_utf16_units(client, author, document):
    start = document.canonical_text.index("🚀")
    response = post(client, anno(document, "🚀.", start=start))
    assert response.status_code == 201
    assert Annotation.objects.get().exact == "🚀."


@pytest.mark.parametrize(
    "mutate, status, message",
    [
        (lambda d: d["target"]["selector"][1].update(start=10**9, end=10**9 + 3), 400, "outside"),
        (lambda d: d["target"]["selector"][0].update(exact="all the ISSUES"), 400, "no longer matches"),
        (
            lambda d: d.update(body=[{"purpose": "tagging", "value": f"t{n}"} for n in range(40)]),
            400,
            "at most 10 tags",
        ),
        (lambda d: d["target"].update(source="http://testserver/documents/99999/"), 400, "No document"),
        (lambda d: d["target"].update(source=f"http://testserver/documents/{2**64}/"), 400, "No document"),
        (lambda d: d.update(target={"source": "x"}), 400, "No document"),
        (lambda d: d["target"].update(source=12), 400, "address of a document"),
        (lambda d: d["target"].update(source={"id": "http://testserver/documents/1/"}), 400, "address of a document"),
        (lambda d: d.update(visibility="world"), 400, "visibility"),
        (lambda d: d["target"]["selector"][1].update(start="3"), 400, "whole number"),
    ],
)
def test_bad_annotations_get_a_400_with_a_message_and_nothing_is_stored(
    client, author, document, mutate, status, message
):
    data = anno(document, "all the issues", tags=["claim"])
    mutate(data)
    response = post(client, data)
    assert response.status_code == status
    assert message in response.json()["error"]
    assert not Annotation.objects.exists()


def test_wrong_content_type_and_broken_json_are_refused(client, author, document):
    form = client.post(reverse("annotation_container"), {"x": "1"})
    assert form.status_code == 415
    broken = client.post(reverse("annotation_container"), "{not json", content_type="application/ld+json")
    assert broken.status_code == 400 and "not valid JSON" in broken.json()["error"]
    deep = client.post(reverse("annotation_container"), "[" * 100_000 + "]" * 100_000, content_type="application/json")
    assert deep.status_code in (400, 413)


def test_anonymous_visitors_cannot_post(client, document):
    assert post(client, anno(document, "all the issues")).status_code == 401


def test_a_post_without_csrf_token_is_refused(document):
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_user())
    assert post(client, anno(document, "all the issues")).status_code == 403
    assert not Annotation.objects.exists()


def test_get_returns_the_annotation_with_protocol_headers(client, author, document):
    annotation = make_annotation(user=author, document=document, visibility=Visibility.PUBLIC)
    response = Client().get(reverse("annotation_detail", args=[annotation.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == JSONLD
    assert response["ETag"] == annotation.etag
    assert response["Link"] == '<http://www.w3.org/ns/ldp#Resource>; rel="type"'
    assert "PUT" in response["Allow"] and "DELETE" in response["Allow"]
    assert response.json()["target"]["source"] == f"http://testserver/documents/{document.pk}/"


def test_a_private_annotation_is_404_for_everyone_else(client, document):
    annotation = make_annotation(document=document, visibility=Visibility.PRIVATE)
    client.force_login(make_user())
    assert client.get(reverse("annotation_detail", args=[annotation.pk])).status_code == 404
    listed = client.get(reverse("annotation_container") + f"?document={document.pk}").json()
    assert listed["total"] == 0 and "first" not in listed


def test_put_with_the_etag_updates_and_a_stale_etag_is_412(client, author, document):
    created = post(client, anno(document, "all the issues", tags=["claim"])).json()
    url = created["id"].replace("http://testserver", "")
    etag = client.get(url)["ETag"]
    created["body"] = [{"type": "TextualBody", "purpose": "tagging", "value": "military"}]

    updated = client.put(url, json.dumps(created), content_type="application/ld+json", HTTP_IF_MATCH=etag)
    stale = client.put(url, json.dumps(created), content_type="application/ld+json", HTTP_IF_MATCH=etag)
    missing = client.put(url, json.dumps(created), content_type="application/ld+json")

    assert updated.status_code == 200 and updated["ETag"] != etag
    assert [b["value"] for b in updated.json()["body"]] == ["military"]
    assert stale.status_code == 412 and "changed since you loaded it" in stale.json()["error"]
    assert missing.status_code == 428


def test_the_target_cannot_be_moved_by_a_put(client, author, document):
    created = post(client, anno(document, "all the issues")).json()
    url = created["id"].replace("http://testserver", "")
    moved = anno(document, "without rushing")
    response = client.put(
        url, json.dumps(moved), content_type="application/ld+json", HTTP_IF_MATCH=client.get(url)["ETag"]
    )
    assert response.status_code == 400


def test_only_the_author_may_put_or_delete(client, document):
    annotation = make_annotation(document=document, visibility=Visibility.PUBLIC)
    client.force_login(make_user())
    url = reverse("annotation_detail", args=[annotation.pk])
    assert client.delete(url).status_code == 403
    assert client.put(url, "{}", content_type="application/ld+json", HTTP_IF_MATCH=annotation.etag).status_code == 403
    assert Annotation.objects.filter(pk=annotation.pk).exists()


def test_delete_removes_it(client, author, document):
    annotation = make_annotation(user=author, document=document)
    response = client.delete(reverse("annotation_detail", args=[annotation.pk]))
    assert response.status_code == 204 and not Annotation.objects.exists()


def test_replies_target_their_annotation(client, author, document):
    parent = post(client, anno(document, "all the issues")).json()
    reply = {
        "type": "Annotation",
        "motivation": "replying",
        "target": parent["id"],
        "body": {"type": "TextualBody", "value": "Agreed"},
    }
    response = post(client, reply)
    assert response.status_code == 201
    assert response.json()["target"] == parent["id"] and response.json()["motivation"] == "replying"


def test_the_container_pages_an_annotation_page(client, author, document, settings):
    settings.READINGROOM_ANNOTATION_PAGE_SIZE = 100
    for _ in range(105):
        make_annotation(user=author, document=document, quote="Kim", visibility=Visibility.PUBLIC)
    first = client.get(reverse("annotation_container") + f"?document={document.pk}&page=0")
    assert first["Content-Type"] == JSONLD
    page = first.json()
    assert page["type"] == "AnnotationPage" and len(page["items"]) == 100
    assert page["partOf"] == {
        "id": f"http://testserver/annotations/?document={document.pk}",
        "type": "AnnotationCollection",
        "total": 105,
    }
    assert "prev" not in page and page["next"].endswith("page=1")
    second = client.get(page["next"].replace("http://testserver", "")).json()
    assert len(second["items"]) == 5 and second["prev"].endswith("page=0") and "next" not in second
    assert second["startIndex"] == 100


def test_the_canonical_text_is_served_for_offset_computing(client, document):
    response = client.get(reverse("document_text", args=[document.pk]))
    assert response.content.decode() == document.canonical_text


def test_the_api_refuses_methods_it_does_not_have(client, author, document):
    annotation = make_annotation(user=author, document=document)
    assert client.patch(reverse("annotation_detail", args=[annotation.pk])).status_code == 405
    assert client.delete(reverse("annotation_container")).status_code == 405


def test_a_page_built_from_rows_says_what_each_annotation_says_alone(client, author, document):
    """The container builds its pages from plain rows; every item must be exactly the annotation's
    own representation (tags in the author's order, replies, sessions, names, orphans)."""
    from readingroom.annotations.services import annotation_reply
    from readingroom.annotations.sessions import session_start

    author.first_name = "Anna Author"
    author.save()
    session = session_start(user=author, title="Desk", documents=[document])
    made = [
        make_annotation(
            user=author,
            document=document,
            quote="Putin",
            visibility=Visibility.PUBLIC,
            tag_names=["zeta", "alpha", "mu"],
            body="*why* — 🚀",
        ),
        make_annotation(user=author, document=document, quote="Kim", visibility=Visibility.SESSION, session=session),
        make_annotation(user=author, document=document, quote="issues", visibility=Visibility.PRIVATE),
    ]
    annotation_reply(user=author, parent=made[0], body="A reply")
    Annotation.objects.filter(pk=made[2].pk).update(anchor_state="orphaned", start=None, end=None)
    page = client.get(reverse("annotation_container") + f"?document={document.pk}&page=0").json()
    assert page["partOf"]["total"] == 4 and len(page["items"]) == 4
    for item in page["items"]:
        alone = client.get(item["id"].replace("http://testserver", "")).json()
        alone.pop("@context")
        assert item == alone
    tagged = next(item for item in page["items"] if item["body"] and item["body"][0].get("purpose") == "tagging")
    assert [b["value"] for b in tagged["body"] if b["purpose"] == "tagging"] == ["zeta", "alpha", "mu"]
    assert tagged["creator"]["name"] == "Anna Author"


def test_the_created_annotation_is_answered_as_it_is_stored(client, author, document):
    """201's body is built from the annotation just stored, without reading it back: it must be
    what a GET of it says, tags in the order given included."""
    for tags in (["zeta", "Alpha", "mu"], []):
        created = post(client, anno(document, "all the issues", tags=tags, comment="*why*"))
        assert created.status_code == 201
        stored = client.get(created["Location"].replace("http://testserver", ""))
        assert created.json() == stored.json()
        assert [b["value"] for b in created.json()["body"] if b["purpose"] == "tagging"] == tags


def test_a_cached_annotation_list_shows_every_change(client, author, document):
    """A document's list is cached under its highlight version: each kind of change must show."""
    from django.core.cache import caches

    from readingroom.annotations.models import Tag
    from readingroom.annotations.services import annotation_update
    from readingroom.annotations.sessions import session_join, session_start
    from readingroom.library.versions import CACHE_ALIAS

    caches[CACHE_ALIAS].clear()
    url = reverse("annotation_container") + f"?document={document.pk}"

    def items():
        first, second = client.get(url).json(), client.get(url).json()  # built, then from the cache
        assert first == second
        return first["first"]["items"] if first["total"] else []

    note = make_annotation(
        user=author, document=document, quote="Kim", tag_names=["claim"], visibility=Visibility.PUBLIC
    )
    assert [b["value"] for b in items()[0]["body"]] == ["claim"]
    Tag.objects.filter(name="claim").update(name="assertion")  # a tag renamed behind the services' back
    assert [b["value"] for b in items()[0]["body"]] == ["assertion"]
    Tag.objects.filter(name="assertion").delete()
    assert items()[0]["body"] == []
    author.first_name = "Anna"
    author.save()
    assert items()[0]["creator"]["name"] == "Anna"
    annotation_update(user=author, annotation=note, body="now with a comment")
    assert items()[0]["body"][0]["value"] == "now with a comment"

    other = make_user()
    client.force_login(other)
    session = session_start(user=author, title="Desk", documents=[document])
    shared = make_annotation(
        user=author, document=document, quote="Putin", visibility=Visibility.SESSION, session=session
    )
    assert [i["id"].rsplit("/", 1)[1] for i in items()] == [str(note.pk)]
    session_join(session=session, user=other)
    assert {i["id"].rsplit("/", 1)[1] for i in items()} == {str(note.pk), str(shared.pk)}
    annotation_update(user=author, annotation=Annotation.objects.get(pk=note.pk), visibility=Visibility.PRIVATE)
    assert [i["id"].rsplit("/", 1)[1] for i in items()] == [str(shared.pk)]


@pytest.mark.parametrize(
    "source",
    [
        "https://elsewhere.example/documents/{pk}/",  # an export from another server
        "http://testserver/documents/{pk}.txt",  # the plain text every offset points into
        "/documents/{pk}/?session=3#x",
    ],
)
def test_the_target_document_is_found_from_any_of_its_addresses(client, author, document, source):
    data = anno(document, "all the issues")
    data["target"]["source"] = source.format(pk=document.pk)
    assert post(client, data).status_code == 201


@pytest.mark.parametrize(
    "source",
    [
        "http://testserver/documents/{pk}x/",
        "http://testserver/documents/٣/",
        "http://testserver/documents/" + "9" * 5000 + "/",
        "http://testserver/sources/{pk}/",
        "http://testserver/documents//",
    ],
)
def test_an_address_that_is_not_a_document_is_refused(client, author, document, source):
    data = anno(document, "all the issues")
    data["target"]["source"] = source.format(pk=document.pk)
    response = post(client, data)
    assert response.status_code == 400 and "No document" in response.json()["error"]


def test_a_get_with_the_current_etag_is_304_without_building_the_annotation(
    client, author, document, django_assert_num_queries
):
    created = post(client, anno(document, "all the issues", tags=["claim"]))
    location, etag = created["Location"], created["ETag"]
    with django_assert_num_queries(3):  # the session, the user, the annotation: no tags, no document
        response = client.get(location, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304 and response["ETag"] == etag and response.content == b""
