"""The W3C Web Annotation Protocol's assertions for servers, walked one by one against
/annotations/ through the HTTP client, as another tool would use it.

Written for this project from the Protocol (https://www.w3.org/TR/annotation-protocol/) and the
Data Model: each test names the section and whether it is a MUST or a SHOULD. Turtle (a SHOULD,
section 4) is not offered: see the README.
"""

import json

import pytest
from django.test import Client

from readingroom.annotations.models import Annotation, Visibility
from readingroom.annotations.sessions import session_join, session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    # Document lists are cached under the document's highlight version; a rolled-back test leaves
    # ids and versions for the next one to reuse, so each test starts with an empty cache.
    from django.core.cache import caches

    caches["highlights"].clear()


ANNO = "http://www.w3.org/ns/anno.jsonld"
JSONLD = 'application/ld+json; profile="http://www.w3.org/ns/anno.jsonld"'
CONSTRAINED_BY = '<http://www.w3.org/TR/annotation-protocol/>; rel="http://www.w3.org/ns/ldp#constrainedBy"'
BASIC_CONTAINER = '<http://www.w3.org/ns/ldp#BasicContainer>; rel="type"'
MINIMAL = 'return=representation;include="http://www.w3.org/ns/ldp#PreferMinimalContainer"'
IRIS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedIRIs"'
DESCRIPTIONS = 'return=representation;include="http://www.w3.org/ns/oa#PreferContainedDescriptions"'
HOST = "http://testserver"


def relative(url: str) -> str:
    return url.removeprefix(HOST)


def anno(document, exact, **extra):
    start = document.canonical_text.index(exact)
    return {
        "@context": ANNO,
        "type": "Annotation",
        "visibility": "public",
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": "A note"}],
        "target": {
            "source": f"{HOST}/documents/{document.pk}/",
            "selector": [
                {"type": "TextQuoteSelector", "exact": exact},
                {"type": "TextPositionSelector", "start": start, "end": start + len(exact)},
            ],
        },
        **extra,
    }


def post(client, data, content_type=JSONLD, **headers):
    return client.post("/annotations/", json.dumps(data), content_type=content_type, headers=headers)


def links(response) -> list[str]:
    return [link.strip() for link in response.get("Link", "").split(", <")]


def has_link(response, link: str) -> bool:
    return link.removeprefix("<") in [item.removeprefix("<") for item in links(response)]


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin and Kim met in Vostochny.", "They talked about all the issues."])


@pytest.fixture
def author():
    return make_user("author")


@pytest.fixture
def client(author):
    client = Client()
    client.force_login(author)
    return client


@pytest.fixture
def annotations(author, document):
    return [
        make_annotation(user=author, document=document, quote=quote, visibility=Visibility.PUBLIC)
        for quote in ("Putin", "Kim", "Vostochny", "talked", "issues")
    ]


# 4. Annotation retrieval -------------------------------------------------------------------------


def test_4_an_annotation_is_served_as_jsonld_with_the_anno_profile_must(client, annotations):
    response = client.get(annotations[0].get_absolute_url(), headers={"Accept": JSONLD})
    assert response.status_code == 200 and response["Content-Type"] == JSONLD


def test_4_an_annotation_answers_an_accept_of_plain_jsonld_must(client, annotations):
    response = client.get(annotations[0].get_absolute_url(), headers={"Accept": "application/ld+json"})
    assert response.status_code == 200 and response["Content-Type"].startswith("application/ld+json")


def test_4_an_annotation_response_has_an_etag_must(client, annotations):
    assert client.get(annotations[0].get_absolute_url())["ETag"] == annotations[0].etag


def test_4_an_annotation_response_has_an_allow_header_must(client, annotations):
    allowed = {m.strip() for m in client.get(annotations[0].get_absolute_url())["Allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS", "PUT", "DELETE"} <= allowed


def test_4_an_annotation_response_links_to_ldp_resource_must(client, annotations):
    assert has_link(client.get(annotations[0].get_absolute_url()), '<http://www.w3.org/ns/ldp#Resource>; rel="type"')


def test_4_an_annotation_response_varies_on_accept_should(client, annotations):
    assert "Accept" in client.get(annotations[0].get_absolute_url())["Vary"]


def test_4_head_on_an_annotation_is_200_with_the_same_headers_and_no_body_must(client, annotations):
    url = annotations[0].get_absolute_url()
    get, head = client.get(url), client.head(url)
    assert head.status_code == 200 and head.content == b""
    for name in ("Content-Type", "ETag", "Allow", "Link", "Vary"):
        assert head[name] == get[name]


def test_4_options_on_an_annotation_is_200_with_allow_must(client, annotations):
    response = client.options(annotations[0].get_absolute_url())
    assert response.status_code == 200 and "PUT" in response["Allow"]


def test_4_an_annotation_is_not_served_as_turtle_but_refused_with_406(client, annotations):
    response = client.get(annotations[0].get_absolute_url(), headers={"Accept": "text/turtle"})
    assert response.status_code == 406 and response["Content-Type"] == "application/problem+json"


def test_4_a_current_etag_in_if_none_match_is_304(client, annotations):
    url, etag = annotations[0].get_absolute_url(), annotations[0].etag
    assert client.get(url, headers={"If-None-Match": etag}).status_code == 304
    assert client.get(url, headers={"If-None-Match": f'"x", W/{etag}'}).status_code == 304
    assert client.get(url, headers={"If-None-Match": '"x"'}).status_code == 200


def test_data_model_an_annotation_has_context_id_type_target_and_body(client, annotations):
    data = client.get(annotations[0].get_absolute_url()).json()
    assert data["@context"] == ANNO and data["type"] == "Annotation"
    assert data["id"] == HOST + annotations[0].get_absolute_url()
    assert data["target"]["source"].startswith(HOST + "/documents/")
    assert all(body["type"] == "TextualBody" for body in data["body"])


# 5. Annotation containers ------------------------------------------------------------------------


def test_5_the_container_is_jsonld_with_the_anno_profile_must(client, annotations):
    response = client.get("/annotations/", headers={"Accept": JSONLD})
    assert response.status_code == 200 and response["Content-Type"] == JSONLD


def test_5_the_container_links_to_ldp_basic_container_must(client, annotations):
    assert has_link(client.get("/annotations/"), BASIC_CONTAINER)


def test_5_the_container_links_to_the_protocol_as_constrained_by_must(client, annotations):
    assert has_link(client.get("/annotations/"), CONSTRAINED_BY)


def test_5_the_container_has_an_etag_that_changes_with_its_content_must(client, annotations):
    first = client.get("/annotations/")["ETag"]
    assert first and client.get("/annotations/")["ETag"] == first
    annotations[0].delete()
    assert client.get("/annotations/")["ETag"] != first


def test_5_the_container_has_an_allow_header_with_post_must(client, annotations):
    allowed = {m.strip() for m in client.get("/annotations/")["Allow"].split(",")}
    assert {"GET", "HEAD", "OPTIONS", "POST"} <= allowed


def test_5_the_container_varies_on_accept_and_prefer_should(client, annotations):
    vary = {v.strip() for v in client.get("/annotations/")["Vary"].split(",")}
    assert {"Accept", "Prefer"} <= vary


def test_5_the_container_says_what_it_accepts_for_post_should(client, annotations):
    assert client.get("/annotations/")["Accept-Post"] == JSONLD


def test_5_the_containers_content_location_is_its_id_must(client, annotations):
    response = client.get("/annotations/")
    assert response["Content-Location"] == response.json()["id"] == f"{HOST}/annotations/"


def test_5_the_container_is_a_basic_container_and_an_annotation_collection_must(client, annotations):
    data = client.get("/annotations/").json()
    assert {"BasicContainer", "AnnotationCollection"} <= set(data["type"])
    assert ANNO in data["@context"] and "http://www.w3.org/ns/ldp.jsonld" in data["@context"]
    assert data["label"]


def test_5_the_container_has_total_first_and_last_must(client, annotations, settings):
    settings.READINGROOM_ANNOTATION_PAGE_SIZE = 2
    data = client.get("/annotations/").json()
    assert data["total"] == 5
    assert data["first"]["id"] == f"{HOST}/annotations/?page=0"
    assert data["last"] == f"{HOST}/annotations/?page=2"


def test_5_without_a_preference_the_first_page_of_descriptions_is_embedded_should(client, annotations, settings):
    settings.READINGROOM_ANNOTATION_PAGE_SIZE = 2
    first = client.get("/annotations/").json()["first"]
    assert first["type"] == "AnnotationPage" and first["startIndex"] == 0
    assert [item["type"] for item in first["items"]] == ["Annotation", "Annotation"]
    assert first["next"] == f"{HOST}/annotations/?page=1"


def test_5_prefer_minimal_container_embeds_no_annotations_should(client, annotations, settings):
    settings.READINGROOM_ANNOTATION_PAGE_SIZE = 2
    response = client.get("/annotations/", headers={"Prefer": MINIMAL})
    data = response.json()
    assert data["total"] == 5 and data["first"] == f"{HOST}/annotations/?page=0"
    assert data["last"] == f"{HOST}/annotations/?page=2"
    assert "items" not in json.dumps(data)
    assert response["Preference-Applied"] == "return=representation"
    assert response["Content-Location"] == data["id"]


def test_5_prefer_contained_iris_lists_the_annotations_by_iri_should(client, annotations):
    response = client.get("/annotations/", headers={"Prefer": IRIS})
    data = response.json()
    assert data["id"] == response["Content-Location"] == f"{HOST}/annotations/?iris=1"
    expected = {HOST + a.get_absolute_url() for a in annotations}
    assert set(data["first"]["items"]) == expected
    assert data["first"]["id"] == f"{HOST}/annotations/?iris=1&page=0"


def test_5_prefer_minimal_and_iris_name_iri_pages_should(client, annotations):
    prefer = (
        'return=representation; include="http://www.w3.org/ns/ldp#PreferMinimalContainer '
        'http://www.w3.org/ns/oa#PreferContainedIRIs"'
    )
    data = client.get("/annotations/", headers={"Prefer": prefer}).json()
    assert data["first"] == f"{HOST}/annotations/?iris=1&page=0"
    page = client.get(relative(data["first"])).json()
    assert all(isinstance(item, str) for item in page["items"]) and len(page["items"]) == 5


def test_5_prefer_contained_descriptions_embeds_the_annotations_should(client, annotations):
    data = client.get("/annotations/", headers={"Prefer": DESCRIPTIONS}).json()
    assert data["id"] == f"{HOST}/annotations/"
    assert all(item["type"] == "Annotation" for item in data["first"]["items"])


def test_5_pages_have_part_of_start_index_next_and_prev_must(client, annotations, settings):
    settings.READINGROOM_ANNOTATION_PAGE_SIZE = 2
    collection = client.get("/annotations/").json()
    seen, url, pages = [], collection["first"]["id"], 0
    while url:
        response = client.get(relative(url))
        page = response.json()
        assert response.status_code == 200 and response["Content-Type"] == JSONLD and response["ETag"]
        assert page["type"] == "AnnotationPage" and page["@context"] == ANNO
        assert page["partOf"]["id"] == collection["id"] and page["partOf"]["total"] == 5
        assert page["startIndex"] == pages * 2
        assert ("prev" in page) == (pages > 0)
        seen += [item["id"] for item in page["items"]]
        url, pages = page.get("next"), pages + 1
    assert pages == 3 and url is None and relative(collection["last"]).endswith("page=2")
    assert sorted(seen) == sorted(HOST + a.get_absolute_url() for a in annotations)


def test_5_a_page_past_the_last_is_404_with_problem_details(client, annotations):
    response = client.get("/annotations/?page=7")
    assert response.status_code == 404 and response.json()["status"] == 404


def test_5_an_empty_container_has_a_total_of_zero_and_no_pages(client):
    data = client.get("/annotations/").json()
    assert data["total"] == 0 and "first" not in data and "last" not in data


def test_5_head_and_options_on_the_container_are_200_must(client, annotations):
    head = client.head("/annotations/")
    assert head.status_code == 200 and head.content == b"" and has_link(head, CONSTRAINED_BY)
    options = client.options("/annotations/")
    assert options.status_code == 200 and "POST" in options["Allow"] and options["Accept-Post"] == JSONLD


def test_5_the_containers_current_etag_in_if_none_match_is_304(client, annotations):
    etag = client.get("/annotations/")["ETag"]
    assert client.get("/annotations/", headers={"If-None-Match": etag}).status_code == 304


def test_5_a_documents_annotations_are_a_conforming_container_of_their_own(client, annotations, author):
    other = make_document()
    make_annotation(user=author, document=other, visibility=Visibility.PUBLIC)
    url = f"/annotations/?document={annotations[0].document_id}"
    response = client.get(url)
    data = response.json()
    assert has_link(response, BASIC_CONTAINER) and has_link(response, CONSTRAINED_BY)
    assert response["Content-Location"] == data["id"] == HOST + url
    assert data["total"] == 5 and {"BasicContainer", "AnnotationCollection"} <= set(data["type"])
    assert data["first"]["id"] == f"{HOST}{url}&page=0"


def test_5_a_sessions_annotations_are_a_container_for_its_members_only(client, author, document, annotations):
    session = session_start(user=author, title="Desk", documents=[document])
    in_session = make_annotation(
        user=author, document=document, quote="met", visibility=Visibility.SESSION, session=session
    )
    url = f"/annotations/?session={session.pk}"
    data = client.get(url).json()
    assert data["total"] == 1 and data["first"]["items"][0]["id"] == HOST + in_session.get_absolute_url()
    outsider = Client()
    outsider.force_login(make_user())
    assert outsider.get(url).status_code == 404
    session_join(session=session, user=make_user("member"))
    member = Client()
    member.force_login(session.memberships.get(user__username="member").user)
    assert member.get(url).json()["total"] == 1


# 6. Creating annotations -------------------------------------------------------------------------


def test_6_a_post_is_201_with_location_the_new_id_and_an_etag_must(client, document):
    response = post(client, anno(document, "Vostochny"))
    assert response.status_code == 201 and response["Content-Type"] == JSONLD
    data = response.json()
    assert response["Location"] == data["id"] and response["ETag"] == Annotation.objects.get().etag
    assert client.get(relative(response["Location"])).json() == data


def test_6_the_clients_id_moves_to_via_should(client, document):
    response = post(client, anno(document, "Vostochny", id="https://elsewhere.example/anno/7"))
    data = response.json()
    assert data["via"] == "https://elsewhere.example/anno/7" and data["id"] != data["via"]


def test_6_a_canonical_iri_is_kept_must(client, document, settings):
    canonical = "urn:uuid:dbfb1861-0ecf-41ad-be94-a584e5c4f1df"
    created = post(client, anno(document, "Vostochny", canonical=canonical)).json()
    assert created["canonical"] == canonical
    assert client.get(relative(created["id"])).json()["canonical"] == canonical
    listed = client.get(f"/annotations/?document={document.pk}").json()
    assert listed["first"]["items"][0]["canonical"] == canonical


def test_6_a_canonical_that_is_not_an_iri_is_refused(client, document):
    response = post(client, anno(document, "Vostochny", canonical="not an iri"))
    assert response.status_code == 400 and "canonical" in response.json()["detail"]


@pytest.mark.parametrize("content_type", ["text/turtle", "text/plain", "application/x-www-form-urlencoded"])
def test_6_other_media_types_are_415_should(client, document, content_type):
    response = post(client, anno(document, "Vostochny"), content_type=content_type)
    assert response.status_code == 415 and response["Accept-Post"] == JSONLD
    assert response["Content-Type"] == "application/problem+json"


def test_6_refusals_are_problem_details(client, document):
    response = client.post("/annotations/", "{", content_type="application/ld+json")
    problem = response.json()
    assert response["Content-Type"] == "application/problem+json"
    assert problem["status"] == 400 and problem["title"] == "Bad Request" and problem["detail"]
    assert problem["error"] == problem["detail"]


def test_6_a_post_to_an_annotation_or_a_put_to_the_container_is_405(client, annotations):
    assert client.post(annotations[0].get_absolute_url()).status_code == 405
    refused = client.put("/annotations/", "{}", content_type="application/ld+json")
    assert refused.status_code == 405 and "POST" in refused["Allow"]
    assert refused.json()["status"] == 405


# 7. Updating annotations -------------------------------------------------------------------------


def test_7_a_put_with_if_match_replaces_it_and_gives_a_new_etag_must(client, document):
    created = post(client, anno(document, "Vostochny"))
    data, etag = created.json(), created["ETag"]
    data["body"] = [{"type": "TextualBody", "purpose": "commenting", "value": "Changed"}]
    response = client.put(relative(data["id"]), json.dumps(data), content_type=JSONLD, headers={"If-Match": etag})
    assert response.status_code == 200 and response["ETag"] != etag
    assert response.json()["body"][0]["value"] == "Changed"


def test_7_a_put_with_a_stale_etag_is_412_must(client, document):
    created = post(client, anno(document, "Vostochny"))
    url = relative(created["Location"])
    assert client.put(url, created.content, content_type=JSONLD, headers={"If-Match": '"1-0"'}).status_code == 412


def test_7_a_put_without_if_match_is_428(client, document):
    created = post(client, anno(document, "Vostochny"))
    assert client.put(relative(created["Location"]), created.content, content_type=JSONLD).status_code == 428


def test_7_a_put_keeps_the_canonical_iri_must(client, document):
    created = post(client, anno(document, "Vostochny", canonical="urn:x:1"))
    data = created.json()
    url, etag = relative(data["id"]), created["ETag"]
    data["canonical"] = "urn:x:2"
    refused = client.put(url, json.dumps(data), content_type=JSONLD, headers={"If-Match": etag})
    assert refused.status_code == 400
    del data["canonical"]
    kept = client.put(url, json.dumps(data), content_type=JSONLD, headers={"If-Match": etag})
    assert kept.status_code == 200 and kept.json()["canonical"] == "urn:x:1"


def test_7_a_put_naming_another_annotation_in_its_id_is_refused(client, document, annotations):
    created = post(client, anno(document, "met"))
    data = created.json()
    data["id"] = HOST + annotations[0].get_absolute_url()
    response = client.put(
        relative(created["Location"]), json.dumps(data), content_type=JSONLD, headers={"If-Match": created["ETag"]}
    )
    assert response.status_code == 400


# 8. Deleting annotations -------------------------------------------------------------------------


def test_8_a_delete_is_204_and_the_annotation_is_gone_must(client, annotations):
    url = annotations[0].get_absolute_url()
    assert client.delete(url, headers={"If-Match": annotations[0].etag}).status_code == 204
    gone = client.get(url)
    assert gone.status_code == 404 and gone["Content-Type"] == "application/problem+json"


def test_8_a_delete_with_a_stale_etag_is_412(client, annotations):
    response = client.delete(annotations[0].get_absolute_url(), headers={"If-Match": '"0-0"'})
    assert response.status_code == 412 and Annotation.objects.filter(pk=annotations[0].pk).exists()
