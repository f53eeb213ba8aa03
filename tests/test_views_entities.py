import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from readingroom.entities.models import Entity, EntityType, Mention, normalise_name
from readingroom.library.models import Document

pytestmark = pytest.mark.django_db


def entity_named(name: str) -> Entity:
    return Entity.objects.get(aliases__normalised=normalise_name(name))


def test_the_reader_highlights_mentions_without_changing_the_text(client, extracted_seeds):
    from tests.test_rendering import read

    document = extracted_seeds["001"]
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    body = html[html.index('<div class="document-body"') : html.index("</article>")]
    reader = read(body[body.index(">") + 1 : body.rindex("</div>")])
    assert reader.blocks == [block.text for block in document.text_blocks()]
    shoigu = entity_named("Sergei Shoigu")
    assert f'<mark class="entity entity--person" data-entity="{shoigu.pk}" tabindex="0">Sergei Shoigu</mark>' in html


def test_the_compare_page_has_the_legend_and_the_marks(client, extracted_seeds):
    first, second = extracted_seeds["001"], extracted_seeds["004"]
    html = client.get(reverse("compare") + f"?doc={first.pk}&doc={second.pk}").content.decode()
    assert 'data-entity-type="person"' in html and 'data-entity-type="facility"' in html
    cosmodrome = entity_named("Vostochny Cosmodrome")
    assert (
        html.count(f'data-entity="{cosmodrome.pk}"')
        == Mention.objects.filter(entity=cosmodrome, document__in=[first, second]).count()
    )


def test_hidden_entities_and_rejected_mentions_are_not_highlighted(client, extracted_seeds):
    document = extracted_seeds["001"]
    kremlin, putin = entity_named("Kremlin"), entity_named("Vladimir Putin")
    assert Mention.objects.filter(document=document, entity=kremlin).exists()
    kremlin.hidden = True
    kremlin.save()
    putin_mentions = Mention.objects.filter(document=document, entity=putin)
    total = putin_mentions.count()
    Mention.objects.filter(pk=putin_mentions.first().pk).update(rejected=True)

    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()

    assert f'data-entity="{kremlin.pk}"' not in html
    assert html.count(f'data-entity="{putin.pk}"') == total - 1


def test_the_entity_list_counts_mentions_per_source_and_filters_by_type(client, extracted_seeds):
    response = client.get(reverse("entity_list"))
    html = response.content.decode()
    assert "BBC News" in html and "The Guardian" in html and "Kyiv Post" in html
    assert "Vladimir Putin" in html and "Vostochny Cosmodrome" in html
    places = client.get(reverse("entity_list") + "?type=place").content.decode()
    assert "Vladivostok" in places and "Vladimir Putin" not in places


def test_the_entity_page_shows_every_mention_in_context(client, extracted_seeds):
    shoigu = entity_named("Sergei Shoigu")
    html = client.get(reverse("entity_detail", args=[shoigu.pk])).content.decode()
    assert html.count('<mark class="entity entity--person">') == shoigu.mentions.count() >= 4
    assert "who visited Pyongyang in July" in html


def test_the_card_counts_mentions_in_the_shown_documents(client, extracted_seeds):
    shoigu = entity_named("Sergei Shoigu")
    bbc, guardian = extracted_seeds["000"], extracted_seeds["004"]
    html = client.get(reverse("entity_card", args=[shoigu.pk]) + f"?doc={bbc.pk}&doc={guardian.pk}").content.decode()
    assert "Sergei Shoigu" in html and "Shoigu" in html
    bbc_count = Mention.objects.filter(entity=shoigu, document=bbc).count()
    assert re.search(rf'BBC News: .*?</th><td class="number">{bbc_count}</td>', html)
    assert re.search(r'The Guardian: .*?</th><td class="number">0</td>', html)


def test_a_hidden_or_missing_entity_is_404(client, extracted_seeds):
    hidden = Entity.objects.create(name="Hidden", type=EntityType.OTHER, hidden=True)
    for url in (
        reverse("entity_detail", args=[hidden.pk]),
        reverse("entity_card", args=[hidden.pk]),
        reverse("entity_detail", args=[999999]),
    ):
        assert client.get(url).status_code == 404


def test_entity_pages_refuse_post(client, extracted_seeds):
    putin = entity_named("Vladimir Putin")
    for url in (
        reverse("entity_list"),
        reverse("entity_detail", args=[putin.pk]),
        reverse("entity_card", args=[putin.pk]),
    ):
        assert client.post(url).status_code == 405


def test_the_entity_pages_take_few_queries(client, extracted_seeds, django_assert_max_num_queries):
    putin = entity_named("Vladimir Putin")
    with django_assert_max_num_queries(4):
        client.get(reverse("entity_list"))
    with django_assert_max_num_queries(4):
        client.get(reverse("entity_detail", args=[putin.pk]))
    # The compare page's queries do not grow with the number of columns: one per kind of thing
    # shown (documents, mentions, annotations, quotes, passages, the matrix, tag suggestions).
    documents = list(Document.objects.order_by("pk"))
    counts = []
    for shown in (documents[:2], documents):
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("compare") + "?" + "&".join(f"doc={d.pk}" for d in shown))
        counts.append(len(queries))
    assert counts[1] <= counts[0] <= 9  # (five columns leave no article to add: one query fewer)


def test_the_compare_page_has_a_coverage_matrix_of_entities_by_article(client, extracted_seeds):
    first, second = extracted_seeds["001"], extracted_seeds["004"]
    html = client.get(reverse("compare") + f"?doc={first.pk}&doc={second.pk}").content.decode()
    shoigu = entity_named("Sergei Shoigu")
    in_first = Mention.objects.shown().filter(entity=shoigu, document=first).count()
    assert 'id="coverage-matrix"' in html
    assert f'data-matrix-entity="{shoigu.pk}" data-matrix-document="{first.pk}"' in html
    assert f'aria-label="{in_first} mentions of Sergei Shoigu in Kyiv Post: show them"' in html
    # The Guardian never names him: an empty cell, no button.
    assert f'data-matrix-entity="{shoigu.pk}" data-matrix-document="{second.pk}"' not in html


def test_an_entity_mentioned_thousands_of_times_in_a_large_document_shows_a_bounded_page(
    client, django_assert_max_num_queries
):
    # The page's work is bounded by what it shows, not by the document: at most
    # MAX_MENTIONS_IN_CONTEXT lines, and the document's text read once, not once a mention
    # (how fast that is lives in make bench, not in a timed test).
    from readingroom.entities.models import Entity, EntityType, Mention
    from readingroom.entities.selectors import MAX_MENTIONS_IN_CONTEXT
    from tests.factories import make_document

    sentence = "Vostok is where the leaders met, and " + "filler words " * 20 + ". "
    document = make_document(paragraphs=[sentence * 300 for _ in range(10)])  # about 1 MB, 3,000 mentions
    entity = Entity.objects.create(name="Vostok", type=EntityType.PLACE)
    text = document.canonical_text
    starts, position = [], text.find("Vostok")
    while position >= 0:
        starts.append(position)
        position = text.find("Vostok", position + 1)
    Mention.objects.bulk_create(
        Mention(document=document, entity=entity, start=start, end=start + 6, surface="Vostok") for start in starts
    )

    with django_assert_max_num_queries(8):
        page = client.get(f"/entities/{entity.pk}/")

    html = page.content.decode()
    assert page.status_code == 200
    assert f"The first {MAX_MENTIONS_IN_CONTEXT} of {len(starts)} mentions." in html
    assert html.count('<mark class="entity') == MAX_MENTIONS_IN_CONTEXT < len(starts)
    assert len(html) < 1_000 * MAX_MENTIONS_IN_CONTEXT  # lines with a little context, not the 1 MB text


def test_two_articles_of_one_source_have_columns_told_apart_in_the_matrix(client, extracted_seeds):
    by_source: dict[str, list[Document]] = {}
    for document in extracted_seeds.values():
        by_source.setdefault(document.source.name, []).append(document)
    name, (first, second) = next((name, docs[:2]) for name, docs in by_source.items() if len(docs) >= 2)
    html = client.get(reverse("compare") + f"?doc={first.pk}&doc={second.pk}").content.decode()
    matrix = html[html.index('id="coverage-matrix"') :]
    assert f">{name} (1)</button></th>" in matrix and f">{name} (2)</button></th>" in matrix
    assert f"in {name} (2): show them" in matrix
