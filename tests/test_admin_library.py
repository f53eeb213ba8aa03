import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from readingroom.library.models import Document
from tests.factories import make_document, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    return django_user_model.objects.create_superuser("curator", "curator@example.com", "a-long-passphrase")


def test_the_document_list_filters_by_source_and_searches(client, curator):
    bbc, guardian = make_source(name="BBC News"), make_source(name="The Guardian")
    make_document(source=bbc, title="Live page")
    make_document(source=guardian, title="Guardian report", paragraphs=["Shoigu visited Pyongyang in July."])
    client.force_login(curator)

    filtered = client.get(reverse("admin:library_document_changelist") + f"?source__id__exact={bbc.pk}")
    searched = client.get(reverse("admin:library_document_changelist") + "?q=Shoigu")

    assert "Live page" in filtered.content.decode() and "Guardian report" not in filtered.content.decode()
    assert "Guardian report" in searched.content.decode() and "Live page" not in searched.content.decode()


def test_the_change_page_previews_the_canonical_text_and_offers_to_edit_it(client, curator):
    document = make_document(paragraphs=["The canonical <text>.", "Second paragraph."])
    client.force_login(curator)

    response = client.get(reverse("admin:library_document_change", args=[document.pk]))

    html = response.content.decode()
    assert '<p class="block block--paragraph" data-start="0" data-end="21">The canonical &lt;text&gt;.</p>' in html
    assert 'name="canonical_text"' in html and "re-anchors every annotation" in html


def test_uploading_files_imports_the_good_and_names_the_bad(client, curator):
    client.force_login(curator)
    files = [
        SimpleUploadedFile("good.txt", b"Putin met Kim at the Vostochny Cosmodrome on Wednesday.\n"),
        SimpleUploadedFile("empty.txt", b""),
        SimpleUploadedFile("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8),
    ]

    response = client.post(reverse("admin:library_document_import"), {"files": files}, follow=True)

    html = response.content.decode()
    assert "“good.txt” imported as “Untitled — Putin met Kim at the Vostochny Cosmodrome on Wednesday”" in html
    assert "“empty.txt” is empty" in html
    assert "“photo.txt” is a binary file, not text" in html
    assert list(Document.objects.values_list("original_filename", flat=True)) == ["good.txt"]


def test_uploading_into_a_chosen_source(client, curator):
    reuters = make_source(name="Reuters")
    client.force_login(curator)
    upload = SimpleUploadedFile("r.txt", b"Kim left Vladivostok by train.\n")
    client.post(reverse("admin:library_document_import"), {"files": [upload], "source": reuters.pk})
    assert Document.objects.get().source == reuters


def test_an_oversized_upload_is_refused_before_it_is_read(client, curator, settings):
    settings.READINGROOM_MAX_IMPORT_BYTES = 1000
    client.force_login(curator)
    upload = SimpleUploadedFile("big.txt", b"word " * 1000)
    response = client.post(reverse("admin:library_document_import"), {"files": [upload]}, follow=True)
    assert "“big.txt” is too large" in response.content.decode()
    assert not Document.objects.exists()


def test_the_import_page_is_for_staff_only(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader", password="a-long-passphrase"))
    response = client.get(reverse("admin:library_document_import"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_forged_upload_without_csrf_token_is_refused(curator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    upload = SimpleUploadedFile("good.txt", b"Kim left Vladivostok by train.\n")
    response = client.post(reverse("admin:library_document_import"), {"files": [upload]})
    assert response.status_code == 403
    assert not Document.objects.exists()


def test_the_admin_is_reading_rooms_from_its_sign_in_page_on(client, curator):
    signed_out = client.get(reverse("admin:login")).content.decode()
    client.force_login(curator)
    index = client.get(reverse("admin:index")).content.decode()

    for html in (signed_out, index):
        assert "Reading Room administration" in html and "Django administration" not in html
        assert "| Reading Room admin</title>" in html
    assert "Sources, documents, entities, tags and decisions" in index
