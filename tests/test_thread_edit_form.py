"""A thread's edit form: tag chips that a plain form sends, and only audiences that apply (issue 17)."""

import pytest
from django.urls import reverse

from readingroom.annotations.sessions import session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin met Kim at the Vostochny Cosmodrome.", "They talked about rockets."])


def test_it_shows_each_tag_as_a_chip_with_a_field_of_its_own(client, document):
    author = make_user()
    annotation = make_annotation(user=author, document=document, quote="Putin", tag_names=["claim", "russia"])
    client.force_login(author)
    html = client.get(reverse("annotation_threads"), {"id": annotation.pk}).content.decode()
    assert '<input type="hidden" name="tags" value="claim">' in html
    assert 'aria-label="Remove tag russia"' in html
    assert "comma-separated" not in html


def test_chips_and_a_typed_tag_are_saved_together_by_a_plain_form(client, document):
    author = make_user()
    annotation = make_annotation(user=author, document=document, quote="Putin", tag_names=["claim", "russia"])
    client.force_login(author)
    response = client.post(
        reverse("annotation_edit", args=[annotation.pk]),
        {"tags": ["claim", "sanctions, rockets"], "body": "", "version": annotation.version},
    )
    assert response.status_code == 302
    assert sorted(annotation.tags.values_list("name", flat=True)) == ["claim", "rockets", "sanctions"]


def test_it_offers_the_session_audience_only_for_a_session_annotation(client, document):
    author = make_user()
    alone = make_annotation(user=author, document=document, quote="Putin")
    session = session_start(user=author, title="Read", documents=[document])
    shared = make_annotation(user=author, document=document, quote="Kim", session=session)
    client.force_login(author)
    alone_html = client.get(reverse("annotation_threads"), {"id": alone.pk}).content.decode()
    shared_html = client.get(reverse("annotation_threads"), {"id": shared.pk}).content.decode()
    assert "Members of the session" not in alone_html
    assert "Members of the session" in shared_html
