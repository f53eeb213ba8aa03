"""The compare page's suggested links (#19): listed for its columns, accepted and dismissed."""

import pytest
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import Annotation, Membership, Role, SuggestionDismissal
from readingroom.annotations.sessions import session_start
from tests.factories import make_user
from tests.test_suggestions_services import page  # noqa: F401  (the fixture: two documents with one of each kind)

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def listed(client, documents, **extra):
    response = client.get(reverse("compare_suggestions"), {"doc": [d.pk for d in documents], **extra})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    return response.json()["suggestions"]


def test_it_lists_each_kind_with_its_relation_and_passages(page):  # noqa: F811
    first, second = page
    found = listed(client_for(make_user()), [first, second])
    assert sorted(s["kind"] for s in found) == ["disagreement", "passage", "quote"]
    contradiction = next(s for s in found if s["kind"] == "disagreement")
    assert contradiction["relationName"] == "Contradicts" and contradiction["kindName"] == "Disagreement"
    assert [p["document"] for p in contradiction["passages"]] == [first.pk, second.pk]
    assert (
        contradiction["passages"][0]["exact"]
        == first.canonical_text[contradiction["passages"][0]["start"] : contradiction["passages"][0]["end"]]
    )


def test_a_visitor_is_offered_none_and_may_not_accept_or_dismiss(page):  # noqa: F811
    first, second = page
    assert listed(Client(), [first, second]) == []
    response = Client().post(reverse("suggestion_dismiss"), {"key": "a" * 32, "doc": [first.pk, second.pk]})
    assert response.status_code == 302 and SuggestionDismissal.objects.count() == 0


def test_accept_makes_the_link_and_dismiss_remembers(page):  # noqa: F811
    first, second = page
    user = make_user()
    client = client_for(user)
    found = listed(client, [first, second])
    docs = [first.pk, second.pk]
    accepted = next(s for s in found if s["kind"] == "disagreement")
    response = client.post(reverse("suggestion_accept"), {"key": accepted["key"], "doc": docs}, **JSON)
    assert response.status_code == 201
    link = Annotation.objects.get(pk=response.json()["id"])
    assert link.author == user and link.relation.slug == "contradicts"
    dismissed = next(s for s in found if s["kind"] == "quote")
    response = client.post(reverse("suggestion_dismiss"), {"key": dismissed["key"], "doc": docs}, **JSON)
    assert response.status_code == 200
    assert [s["kind"] for s in listed(client, [first, second])] == ["passage"]
    # A plain form post goes back to the page.
    passage = listed(client, [first, second])[0]
    response = client.post(reverse("suggestion_dismiss"), {"key": passage["key"], "doc": docs})
    assert response.status_code == 302 and response["Location"].startswith(reverse("compare"))


def test_it_refuses_what_it_cannot_do_with_a_clear_message(page):  # noqa: F811
    first, second = page
    client = client_for(make_user())
    docs = [first.pk, second.pk]
    gone = client.post(reverse("suggestion_accept"), {"key": "b" * 32, "doc": docs}, **JSON)
    assert gone.status_code == 400 and "no longer offered" in gone.json()["error"]
    key = listed(client, [first, second])[0]["key"]
    wrong = client.post(reverse("suggestion_accept"), {"key": key, "doc": docs, "relation": "nonsense"}, **JSON)
    assert wrong.status_code == 400
    bad = client.post(reverse("suggestion_dismiss"), {"key": "not a key", "doc": docs}, **JSON)
    assert bad.status_code == 400
    assert client.get(reverse("suggestion_accept")).status_code == 405
    assert client.post(reverse("compare_suggestions")).status_code == 405
    assert listed(client, [first], doc=["x", "-1"]) == []


def test_an_outsider_gets_404_for_a_session_s_suggestions(page):  # noqa: F811
    first, second = page
    session = session_start(user=make_user(), title="Desk", documents=[first, second])
    outsider = client_for(make_user())
    response = outsider.get(reverse("compare_suggestions"), {"doc": [first.pk, second.pk], "session": session.pk})
    assert response.status_code == 404
    response = outsider.post(
        reverse("suggestion_accept"), {"key": "c" * 32, "doc": [first.pk, second.pk], "session": session.pk}, **JSON
    )
    assert response.status_code == 404


def test_a_session_viewer_may_not_accept(page):  # noqa: F811
    first, second = page
    owner, viewer = make_user(), make_user()
    session = session_start(user=owner, title="Desk", documents=[first, second])
    Membership.objects.create(session=session, user=viewer, role=Role.VIEWER)
    client = client_for(viewer)
    key = listed(client, [first, second], session=session.pk)[0]["key"]
    response = client.post(
        reverse("suggestion_accept"), {"key": key, "doc": [first.pk, second.pk], "session": session.pk}, **JSON
    )
    assert response.status_code == 403 and Annotation.objects.count() == 0
