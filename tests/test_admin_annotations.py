"""A curator's change to an annotation in the admin goes through the same steps as the author's."""

from __future__ import annotations

import pytest
from django.test import Client

from readingroom.annotations.models import Annotation, AnnotationSession, Visibility
from readingroom.annotations.sessions import session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def test_an_admin_edit_bumps_the_version_renders_the_comment_and_tells_the_session():
    author = make_user("author")
    document = make_document()
    session = session_start(user=author, title="Desk", documents=[document])
    annotation = make_annotation(
        user=author, document=document, session=session, visibility=Visibility.SESSION, body="before"
    )
    before = AnnotationSession.objects.get(pk=session.pk).version
    client = Client()
    client.force_login(make_user("curator", is_staff=True, is_superuser=True))

    response = client.post(
        f"/admin/annotations/annotation/{annotation.pk}/change/",
        {"visibility": Visibility.SESSION, "body": "**fixed** by a curator"},
    )

    assert response.status_code == 302
    changed = Annotation.objects.get(pk=annotation.pk)
    assert changed.version == annotation.version + 1
    assert "<strong>fixed</strong>" in changed.body_html
    assert AnnotationSession.objects.get(pk=session.pk).version == before + 1  # live members are told
