"""The quotes page's curation: panel, speaker, split and join for curators; 403 for others, 404
for quotes that are not there, 400 for input that makes no sense, never a 500."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from readingroom.coverage.models import Quote, QuoteDecision
from readingroom.coverage.services import coverage_update
from readingroom.entities.models import Entity, EntityType, Mention
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

STATEMENT = "We will not allow anyone to close the sea lanes that feed half the world"
STATEMENT_TRANSLATED = "We shall allow no one to close the sea lanes which feed half of the world"
OTHER_STATEMENT = "Our farmers have done their part and now the markets must do theirs"
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def curator(client):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_quote"))
    client.force_login(user)
    return user


def _quoting(statement, sentence="“{},” Amira Haddad said on Friday."):
    text = sentence.format(statement)
    document = make_document(paragraphs=[text])
    if "Amira" in text:
        haddad, _ = Entity.objects.get_or_create(name="Amira Haddad", type=EntityType.PERSON)
        start = text.index("Amira")
        Mention.objects.create(document=document, entity=haddad, start=start, end=start + 12, surface="Amira Haddad")
    coverage_update(documents=[document])
    return document


def quote_of(document) -> Quote:
    return Quote.objects.get(document=document)


@pytest.fixture
def articles():
    return _quoting(STATEMENT), _quoting(STATEMENT_TRANSLATED), _quoting(OTHER_STATEMENT, "“{},” the minister said.")


def test_it_shows_curators_a_correct_link_under_every_quote_and_others_none(client, articles):
    first, second, lone = articles
    url = reverse("quotes") + f"?doc={first.pk}&doc={second.pk}&doc={lone.pk}"
    html = client.get(url).content.decode()
    assert "Quoted by one source only" in html and "markets must do theirs" in html
    assert "Correct this quote" not in html
    client.force_login(make_user())
    assert "Correct this quote" not in client.get(url).content.decode()


def test_the_panel_offers_the_people_named_in_the_article_first(client, curator, articles):
    first, second, lone = articles
    url = reverse("quote_curate", args=[quote_of(lone).pk]) + f"?doc={first.pk}&doc={second.pk}&doc={lone.pk}"
    fragment = client.get(url, **HTMX).content.decode()
    assert "<html" not in fragment and 'name="speaker"' in fragment and "hx-post" in fragment
    # The minister is unnamed in this article: Amira Haddad is offered among the other articles' people.
    assert fragment.index("Named in the other articles") < fragment.index("Amira Haddad")
    assert "The group of" in fragment and "Split it off" not in fragment  # in no group
    page = client.get(url).content.decode()
    assert "<html" in page and "hx-post" not in page and "Back to the quotes" in page


def test_a_curator_sets_the_speaker_and_gets_the_list_back(client, curator, articles):
    first, second, lone = articles
    haddad = Entity.objects.get(name="Amira Haddad")
    response = client.post(
        reverse("quote_speaker", args=[quote_of(lone).pk]), {"speaker": haddad.pk, "doc": [lone.pk]}, **HTMX
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="quote-list"' in html and "Said by Amira Haddad" in html and "<html" not in html
    assert quote_of(lone).speaker == haddad
    decision = QuoteDecision.objects.get()
    assert decision.created_by == curator and decision.kind == "speaker"


def test_a_plain_post_redirects_to_the_quote_with_a_message(client, curator, articles):
    first, second, _ = articles
    response = client.post(reverse("quote_split", args=[quote_of(second).pk]), {"doc": [first.pk, second.pk]})
    assert response.status_code == 302
    assert response["Location"] == reverse("quotes") + f"?doc={first.pk}&doc={second.pk}#wording-{quote_of(second).pk}"
    assert "Split off its group" in client.get(response["Location"]).content.decode()
    assert quote_of(second).cluster_id is None


def test_a_curator_joins_a_quote_with_another_group(client, curator, articles):
    first, _, lone = articles
    response = client.post(reverse("quote_join", args=[quote_of(lone).pk]), {"other": quote_of(first).pk}, **HTMX)
    assert response.status_code == 200 and "Joined. It is grouped with the same statement in 3 sources" in (
        response.content.decode()
    )
    assert quote_of(lone).cluster_id == quote_of(first).cluster_id


def test_others_are_refused_with_403(client, articles):
    first, second, _ = articles
    urls = [
        reverse("quote_speaker", args=[quote_of(first).pk]),
        reverse("quote_split", args=[quote_of(first).pk]),
        reverse("quote_join", args=[quote_of(first).pk]),
    ]
    for url in urls:
        assert client.post(url, {"speaker": "", "other": quote_of(second).pk}).status_code == 403
    assert client.get(reverse("quote_curate", args=[quote_of(first).pk])).status_code == 403
    client.force_login(make_user())
    for url in urls:
        response = client.post(url, {"speaker": "", "other": quote_of(second).pk}, **HTMX)
        assert response.status_code == 403 and "Only curators" in response.content.decode()
    assert not QuoteDecision.objects.exists() and quote_of(first).cluster_id is not None


def test_bad_ids_are_404_and_nonsense_is_400(client, curator, articles):
    first, second, lone = articles
    missing = Quote.objects.order_by("-pk").first().pk + 100
    assert client.get(reverse("quote_curate", args=[missing])).status_code == 404
    assert client.post(reverse("quote_split", args=[missing])).status_code == 404
    speaker = reverse("quote_speaker", args=[quote_of(first).pk])
    assert client.post(speaker, {"speaker": "999999"}).status_code == 404
    assert client.post(speaker, {"speaker": "Putin"}).status_code == 400
    join = reverse("quote_join", args=[quote_of(lone).pk])
    assert client.post(join, {"other": missing}).status_code == 404
    assert client.post(join, {"other": "x"}).status_code == 400
    assert client.post(join, {}).status_code == 400
    assert client.post(join, {"other": quote_of(lone).pk}).status_code == 400
    place = Entity.objects.create(name="Rotterdam", type=EntityType.PLACE)
    response = client.post(speaker, {"speaker": place.pk}, **HTMX)
    assert response.status_code == 400 and "person or an organisation" in response.content.decode()
    assert response["HX-Retarget"] == f"#curation-problem-{quote_of(first).pk}"
    assert client.post(reverse("quote_split", args=[quote_of(lone).pk])).status_code == 400
    assert not QuoteDecision.objects.exists()


def test_the_curation_endpoints_take_only_the_right_method(client, curator, articles):
    first = articles[0]
    for name in ("quote_speaker", "quote_split", "quote_join"):
        assert client.get(reverse(name, args=[first.pk])).status_code == 405
    assert client.post(reverse("quote_curate", args=[quote_of(first).pk])).status_code == 405


def test_a_quotes_page_fragment_is_served_to_htmx(client, articles):
    response = client.get(reverse("quotes"), **HTMX)
    html = response.content.decode()
    assert 'id="quote-list"' in html and "<html" not in html and "HX-Request" in response["Vary"]
