"""Deleting a document loses nobody's work; only a superuser's purge, after a clear list of
whose work goes, removes anything (hardening #13.6)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from readingroom.annotations.models import Annotation, Visibility
from readingroom.library.importing import document_import
from readingroom.library.models import Document
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

ARTICLE = (
    "Kim Jong Un arrived in Vladivostok by armoured train.\n\n"
    "“We will always be with Russia,” Kim Jong Un said at the banquet.\n"
).encode()


@pytest.fixture
def annotated():
    document = document_import(data=ARTICLE, filename="summit.txt").document
    other = make_document()
    alice, bob = make_user("alice"), make_user("bob")
    public = make_annotation(user=alice, document=document, quote="armoured train", visibility=Visibility.PUBLIC)
    private = make_annotation(user=bob, document=document, quote="banquet")
    return {"document": document, "other": other, "alice": alice, "bob": bob, "public": public, "private": private}


def superuser_client() -> Client:
    client = Client()
    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    return client


def test_deleting_in_the_admin_hides_the_document_and_keeps_every_annotation(annotated):
    client = superuser_client()
    document = annotated["document"]
    confirmation = client.get(f"/admin/library/document/{document.pk}/delete/").content.decode()
    assert "can be restored" in confirmation and "2 annotation(s) and replies, by everyone, are kept" in confirmation

    client.post(f"/admin/library/document/{document.pk}/delete/", {"post": "yes"})

    assert Document.all_objects.filter(pk=document.pk, deleted_at__isnull=False).exists()
    assert Annotation.objects.filter(document_id=document.pk).count() == 2
    reader = Client()
    assert reader.get(f"/documents/{document.pk}/").status_code == 404
    assert reader.get(f"/documents/{document.pk}.txt").status_code == 404
    assert "Kim Jong Un arrived" not in reader.get("/").content.decode()
    assert f"/documents/{document.pk}/" not in reader.get("/search/", {"q": "armoured"}).content.decode()
    assert reader.get("/annotations/", {"document": document.pk}).json().get("items", []) == []
    compare = reader.get("/compare/", {"id": [document.pk, annotated["other"].pk]})
    assert "Kim Jong Un arrived" not in compare.content.decode()


def test_restoring_brings_the_document_and_its_annotations_back(annotated):
    client = superuser_client()
    document = annotated["document"]
    client.post(f"/admin/library/document/{document.pk}/delete/", {"post": "yes"})
    client.post("/admin/library/document/", {"action": "restore_documents", "_selected_action": [document.pk]})

    reader = Client()
    assert reader.get(f"/documents/{document.pk}/").status_code == 200
    items = reader.get("/annotations/", {"document": document.pk}).json()["first"]["items"]
    assert [item["target"]["selector"][0]["exact"] for item in items] == ["armoured train"]
    assert document.quotes.exists()  # coverage found again


def test_bulk_delete_in_the_admin_is_soft_too(annotated):
    client = superuser_client()
    ids = [annotated["document"].pk, annotated["other"].pk]
    client.post("/admin/library/document/", {"action": "delete_selected", "_selected_action": ids, "post": "yes"})
    assert Document.objects.count() == 0 and Document.all_objects.count() == 2
    assert Annotation.objects.count() == 2


def test_a_purge_lists_whose_work_goes_and_needs_a_superuser(annotated):
    document = annotated["document"]
    superuser = superuser_client()
    superuser.post(f"/admin/library/document/{document.pk}/delete/", {"post": "yes"})

    curator = make_user("curator", is_staff=True)
    curator.user_permissions.set(Permission.objects.filter(content_type__app_label="library"))
    staff = Client()
    staff.force_login(curator)
    staff.post(
        "/admin/library/document/", {"action": "purge_documents", "_selected_action": [document.pk], "confirm": "purge"}
    )
    assert Document.all_objects.filter(pk=document.pk).exists()

    page = superuser.post("/admin/library/document/", {"action": "purge_documents", "_selected_action": [document.pk]})
    text = page.content.decode()
    assert "cannot be undone" in text and "alice: 1" in text and "bob: 1" in text
    assert Document.all_objects.filter(pk=document.pk).exists()  # nothing happens before confirming

    superuser.post(
        "/admin/library/document/", {"action": "purge_documents", "_selected_action": [document.pk], "confirm": "purge"}
    )
    assert not Document.all_objects.filter(pk=document.pk).exists()
    assert not Annotation.objects.filter(pk=annotated["public"].pk).exists()


def test_a_document_that_is_not_deleted_cannot_be_purged(annotated):
    superuser_client().post(
        "/admin/library/document/",
        {"action": "purge_documents", "_selected_action": [annotated["other"].pk], "confirm": "purge"},
    )
    assert Document.objects.filter(pk=annotated["other"].pk).exists()


def test_importing_a_deleted_documents_file_again_says_where_it_is(annotated):
    superuser_client().post(f"/admin/library/document/{annotated['document'].pk}/delete/", {"post": "yes"})
    result = document_import(data=ARTICLE, filename="summit-again.txt")
    assert result.status == "duplicate" and "which a curator deleted: restore it in the admin" in result.message


def test_nobody_can_annotate_or_read_annotations_of_a_deleted_document_through_the_api(annotated):
    import json

    from readingroom.reader.deletion import documents_delete

    document = annotated["document"]
    documents_delete(documents=[document])
    client = Client()
    client.force_login(annotated["alice"])
    body = {
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "type": "Annotation",
        "target": {
            "source": f"http://testserver/documents/{document.pk}/",
            "selector": [{"type": "TextQuoteSelector", "exact": "banquet"}],
        },
    }
    response = client.post("/annotations/", json.dumps(body), content_type="application/ld+json")
    assert response.status_code in (400, 404) and Annotation.objects.count() == 2
    assert client.get(f"/annotations/{annotated['public'].pk}").status_code == 404


def test_the_services_refuse_new_annotations_and_replies_on_a_deleted_document(annotated):
    from django.core.exceptions import PermissionDenied

    from readingroom.annotations.services import annotation_create, annotation_reply
    from readingroom.reader.deletion import documents_delete

    document = annotated["document"]
    documents_delete(documents=[document])
    document.refresh_from_db()
    with pytest.raises(PermissionDenied, match="deleted"):
        annotation_create(user=annotated["alice"], document=document, start=0, end=3, exact="Kim")
    with pytest.raises(PermissionDenied, match="deleted"):
        annotation_reply(user=annotated["alice"], parent=annotated["public"], body="Still here?")
