"""Quoted speech on the real seeds: found, attributed, and clustered across sources."""

import pytest
from django.urls import reverse

from readingroom.coverage.models import Quote
from readingroom.coverage.quotes import SAME_SPEAKER_STATEMENT, documents_extract_quotes, similarity
from readingroom.coverage.selectors import wording_with_differences
from readingroom.entities.models import Entity, normalise_name

pytestmark = pytest.mark.django_db


@pytest.fixture
def quoted_seeds(extracted_seeds):
    documents_extract_quotes(documents=extracted_seeds.values())
    return extracted_seeds


def entity_named(name):
    return Entity.objects.get(aliases__normalised=normalise_name(name))


def test_all_the_issues_is_one_statement_by_putin_in_three_sources(quoted_seeds):
    quotes = Quote.objects.filter(text__contains="all the issues")
    clusters = {q.cluster_id for q in quotes}
    assert len(clusters) == 1 and None not in clusters
    cluster = quotes.first().cluster
    assert cluster.speaker == entity_named("Vladimir Putin")
    sources = {q.document.source.name for q in cluster.quotes.all()}
    assert len({q.document_id for q in cluster.quotes.all()}) >= 3 and len(sources) >= 3
    wordings = {q.text for q in cluster.quotes.all()}
    assert any("without haste" in w for w in wordings) and any("leisurely" in w for w in wordings)


def test_the_sacred_fight_line_is_one_statement_by_kim(quoted_seeds):
    quotes = Quote.objects.filter(text__contains="sacred")
    assert len({q.cluster_id for q in quotes}) == 1
    assert quotes.first().cluster.speaker == entity_named("Kim Jong Un")


def test_unrelated_quotes_even_by_one_speaker_stay_apart(quoted_seeds):
    friend = Quote.objects.get(text__startswith="An old friend is better")
    issues = Quote.objects.filter(text__contains="all the issues").first()
    assert friend.speaker == issues.speaker == entity_named("Vladimir Putin")
    assert similarity(friend.text, issues.text) < SAME_SPEAKER_STATEMENT
    assert friend.cluster_id is None or friend.cluster_id != issues.cluster_id


def test_every_quote_is_exactly_its_text(quoted_seeds):
    for quote in Quote.objects.select_related("document"):
        assert quote.document.canonical_text[quote.start : quote.end] == quote.text


def test_differing_words_are_marked_and_escaped():
    html = wording_with_differences("We’ll talk, <b>without</b> rushing.", "We'll talk without haste.")
    assert "We’ll talk," in html and '<mark class="differs">rushing.</mark>' in html
    assert "&lt;b&gt;" in html


def test_the_quotes_page_shows_clusters_side_by_side_with_links_to_the_columns(client, quoted_seeds):
    html = client.get(reverse("quotes")).content.decode()
    assert "Vladimir Putin" in html and "haste." in html and "leisurely." in html
    assert 'class="differs"' in html and "quote=" in html


def test_quotes_are_marked_in_the_compare_view(client, quoted_seeds):
    ids = [quoted_seeds[k].pk for k in ("001", "002", "004")]
    html = client.get(reverse("compare") + "?" + "&".join(f"doc={i}" for i in ids)).content.decode()
    quotes = Quote.objects.filter(text__contains="all the issues")
    cluster = quotes.first().cluster_id
    assert f'data-quote-cluster="{cluster}"' in html
    for quote in quotes:
        assert html.count(f'id="quote-{quote.pk}"') == 1  # a mark split by another keeps one id
