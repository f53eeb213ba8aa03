"""The panel's filter choices and the names people are shown by (issue 17)."""

import pytest
from django.urls import reverse

from readingroom.annotations.sessions import session_join, session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin met Kim at the Vostochny Cosmodrome.", "They talked about rockets."])


def test_it_sends_the_tag_and_author_choices_with_each_list(client, document):
    carla = make_user("carla", first_name="Carla", last_name="Mendes")
    make_annotation(user=carla, document=document, quote="Putin", tag_names=["claim"], visibility="public")
    make_annotation(document=document, quote="rockets", tag_names=["secret"])  # someone else's, private
    html = client.get(reverse("annotation_panel"), {"doc": document.pk, "tag": "claim"}, headers=HX).content.decode()
    assert 'id="annotation-list"' in html
    assert '<select id="panel-tag" hx-swap-oob="innerHTML">' in html
    assert '<option value="claim" selected>claim</option>' in html
    assert '<option value="" selected>All authors</option>' in html
    assert '<option value="carla" >Carla Mendes</option>' in html
    # Nothing about annotations this reader may not see.
    assert "secret" not in html


def test_it_shows_people_by_their_display_name_in_the_panel_threads_and_dashboard(client, document):
    carla = make_user("carla", first_name="Carla", last_name="Mendes")
    session = session_start(user=carla, title="Read", documents=[document])
    reader = make_user("reader")
    session_join(session=session, user=reader)
    annotation = make_annotation(user=carla, document=document, quote="Putin", tag_names=["claim"], session=session)
    client.force_login(reader)
    panel = client.get(reverse("annotation_panel"), {"doc": document.pk, "session": session.pk}).content.decode()
    threads = client.get(reverse("annotation_threads"), {"id": annotation.pk}).content.decode()
    dashboard = client.get(reverse("session_dashboard", args=[session.pk])).content.decode()
    for html in (panel, threads, dashboard):
        assert "Carla Mendes" in html
    assert "carla" not in dashboard.replace("Carla", "")
