"""A few words of a statement quoted again (in another article, or further down the same one)
are filed with the statement (coverage/quotes.py: quoted_within, fragment_of)."""

import pytest

from readingroom.coverage.models import Quote
from readingroom.coverage.quotes import document_quotes_extract, quoted_within
from tests.factories import make_document

STATEMENT = (
    "It is our plan that the county will pay for the entire repair of the road, the bridge "
    "and the culverts under it, and we will not ask the families on the hill for a cent of it"
)


def test_a_run_of_words_inside_a_longer_quotation_is_within_it():
    assert quoted_within("the entire repair of the road", STATEMENT)
    assert quoted_within("Pay for the ENTIRE repair", STATEMENT)  # case and punctuation aside


def test_words_that_are_not_a_run_of_the_quotation_or_only_part_of_a_word_are_not():
    assert not quoted_within("the repair of the entire road", STATEMENT)
    assert not quoted_within("the county", "the county's roads are closed")
    assert not quoted_within("road", STATEMENT)  # one word says nothing of a statement


@pytest.mark.django_db
def test_a_fragment_in_another_article_joins_the_whole_statement():
    whole = make_document(paragraphs=[f"“{STATEMENT},” the council leader said on Monday."])
    fragment = make_document(
        paragraphs=["The council said the county would “pay for the entire repair of the road” this year."]
    )
    for document in (whole, fragment):
        document_quotes_extract(document=document)
    quotes = list(Quote.objects.order_by("document_id"))
    assert len(quotes) == 2
    assert quotes[0].cluster_id is not None and quotes[0].cluster_id == quotes[1].cluster_id


@pytest.mark.django_db
def test_a_fragment_repeated_further_down_the_same_article_joins_its_statement():
    whole = make_document(
        paragraphs=[
            f"“{STATEMENT},” the council leader said on Monday.",
            "Residents were unconvinced that the county would “pay for the entire repair of the road” soon.",
            "A neighbour said: “Nobody has come up the hill to look at the damage since the storm.”",
        ]
    )
    other = make_document(paragraphs=[f"The council leader told reporters: “{STATEMENT}.”"])
    for document in (whole, other):
        document_quotes_extract(document=document)
    statement, fragment, neighbour = Quote.objects.filter(document=whole).order_by("start")
    assert statement.cluster_id is not None
    assert fragment.cluster_id == statement.cluster_id
    assert neighbour.cluster_id is None


@pytest.mark.django_db
def test_a_quotation_whose_copy_mixed_straight_and_curly_marks_is_found():
    document = make_document(paragraphs=['"The pier will be rebuilt in stone before next winter,” the mayor said.'])
    document_quotes_extract(document=document)
    assert list(Quote.objects.values_list("text", flat=True)) == [
        "The pier will be rebuilt in stone before next winter,"
    ]
