"""A document's page lists the links across sources (#19) that join its passages to others': the
relation, the passage here, each other article's passage, and the way to compare them."""

import lxml.html
import pytest
from django.test import Client
from django.utils import timezone

from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Relation, Visibility
from readingroom.library.models import Document
from readingroom.reader.editing import document_text_edit
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db


def passage(document, quote):
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


@pytest.fixture
def world():
    contradicts = Relation.objects.get_or_create(slug="contradicts", defaults={"name": "Contradicts"})[0]
    alice = make_user("alice")
    one = make_document(title="Train journey", paragraphs=["Kim travelled 1,000 km by train."])
    two = make_document(title="The long ride", paragraphs=["Kim travelled some 1,500 km by train."])
    three = make_document(title="Unlinked", paragraphs=["Nothing here is linked."])
    link = link_create(
        user=alice,
        targets=[passage(one, "1,000 km by train"), passage(two, "some 1,500 km by train")],
        relation=contradicts,
        visibility=Visibility.PUBLIC,
    )
    return {"alice": alice, "one": one, "two": two, "three": three, "link": link}


def section(client, document):
    response = client.get(f"/documents/{document.pk}/")
    assert response.status_code == 200
    found = lxml.html.fromstring(response.content).xpath("//section[@class='document-links']")
    return found[0] if found else None


def single(element, xpath):
    (found,) = element.xpath(xpath)
    return found


def text(element) -> str:
    return element.text_content()


def test_both_articles_list_the_link_with_the_other_passage_and_a_way_to_compare(world):
    one, two = world["one"], world["two"]
    for here, other, quote_here, quote_there in (
        (one, two, "1,000 km by train", "some 1,500 km by train"),
        (two, one, "some 1,500 km by train", "1,000 km by train"),
    ):
        found = section(Client(), here)
        assert found is not None
        item = single(found, ".//li[@class='document-link']")
        assert "Contradicts" in text(single(item, ".//p[@class='document-link-relation']"))
        # The swatch takes the relation's colour from the site's stylesheet (tags.css).
        assert single(item, ".//span[@class='link-swatch']").get("data-relation") == "contradicts"
        assert quote_here in text(single(item, ".//blockquote[contains(@class, 'document-link-here')]"))
        elsewhere = single(item, ".//ul[@class='document-link-elsewhere']/li")
        assert single(elsewhere, "a").get("href") == f"/documents/{other.pk}/" and other.title in text(
            single(elsewhere, "a")
        )
        assert text(single(elsewhere, "blockquote")) == quote_there
        compare = single(item, ".//a[@class='document-link-compare']").get("href")
        assert compare == f"/compare/?doc={here.pk}&doc={other.pk}"


def test_an_article_no_link_touches_has_no_such_section(world):
    assert section(Client(), world["three"]) is None


def test_a_private_link_is_listed_for_its_author_alone(world):
    link = world["link"]
    link.visibility = Visibility.PRIVATE
    link.save(update_fields=["visibility"])
    author = Client()
    author.force_login(world["alice"])
    assert section(author, world["one"]) is not None
    outsider = Client()
    outsider.force_login(make_user("mallory"))
    assert section(outsider, world["one"]) is None
    assert section(Client(), world["two"]) is None


def test_a_link_to_a_deleted_article_is_not_listed(world):
    Document.all_objects.filter(pk=world["two"].pk).update(deleted_at=timezone.now())
    assert section(Client(), world["one"]) is None


def test_a_passage_lost_to_a_text_edit_is_shown_struck_through_and_the_link_partial(world):
    document_text_edit(document=world["two"], canonical_text="The ride was long.")
    item = single(section(Client(), world["one"]), ".//li[@class='document-link']")
    assert "a passage was lost to a text edit" in text(item)
    assert single(item, ".//ul[@class='document-link-elsewhere']//blockquote").get("class") == "is-orphaned"


def test_a_much_linked_article_lists_its_first_links_and_shows_all_on_request(world):
    """A page lists the first links by their passages' order here; "Show all" lists the rest."""
    from readingroom.reader.document_links import FIRST_LISTED

    contradicts = Relation.objects.get(slug="contradicts")
    count = FIRST_LISTED + 5
    sentences = [f"Sentence number {n} of the long article." for n in range(count)]
    long = make_document(title="Much linked", paragraphs=sentences)
    other = make_document(title="The other", paragraphs=["A passage to link to."])
    for sentence in reversed(sentences):  # made last to first: the page orders them by passage
        link_create(
            user=world["alice"],
            targets=[passage(long, sentence), passage(other, "A passage to link to.")],
            relation=contradicts,
            visibility=Visibility.PUBLIC,
        )
    client = Client()
    found = section(client, long)
    items = found.xpath(".//li[@class='document-link']")
    assert len(items) == FIRST_LISTED
    assert [text(single(item, ".//blockquote[contains(@class, 'document-link-here')]")) for item in items] == [
        f"Here: {sentence}" for sentence in sentences[:FIRST_LISTED]
    ]
    show_all = single(found, ".//a[@class='document-links-all']")
    assert text(show_all) == f"Show all {count} links"

    response = client.get(f"/documents/{long.pk}/{show_all.get('href').split('#')[0]}")
    every = lxml.html.fromstring(response.content).xpath("//li[@class='document-link']")
    assert len(every) == count
    assert not lxml.html.fromstring(response.content).xpath("//a[@class='document-links-all']")
    # An article with fewer links than a page's first lists them all, with no such link.
    assert len(section(client, world["one"]).xpath(".//li[@class='document-link']")) == 1
    assert not section(client, world["one"]).xpath(".//a[@class='document-links-all']")
