"""Full-text search: PostgreSQL's text search on PostgreSQL, FTS5 on SQLite. This file runs in
both passes of the suite, so each database's search is tested."""

import pytest
from django.db import connection
from django.urls import reverse

from readingroom.annotations.models import Visibility
from readingroom.library.search import documents_search
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def test_documents_holding_every_word_are_found_with_marked_snippets(extracted_seeds):
    hits = documents_search("cosmodrome rocket")
    found = {hit.document.original_filename[:3] for hit in hits}
    assert {"000", "003", "004"} <= found  # each says both words
    assert all("<mark>" in hit.snippet for hit in hits)
    assert documents_search("cosmodrome zyzzyva") == []


def test_word_forms_match_and_the_query_is_never_syntax(extracted_seeds):
    assert documents_search("rockets")  # stemming: rocket, rockets
    # FTS5 and tsquery operators are only words here.
    for query in ('"unbalanced', "NEAR(a b)", "kim AND OR NOT", "a:* | !b", "*", "()"):
        documents_search(query)


def test_a_documents_own_markup_never_becomes_html_in_a_snippet():
    make_document(paragraphs=["The <script>alert('summit')</script> cosmodrome & rocket report."])
    [hit] = documents_search("cosmodrome")
    # Snippets are cut from the text in Python and escaped piece by piece, on either database.
    assert "<script" not in hit.snippet and "<mark>cosmodrome</mark>" in hit.snippet


def test_the_search_page_shows_documents_and_only_annotations_you_may_see(client):
    document = make_document(paragraphs=["Kim Jong Un toured the cosmodrome and its rocket factory."])
    alice, bob = make_user("alice"), make_user("bob")
    make_annotation(
        user=alice,
        document=document,
        quote="rocket factory",
        body="public cosmodrome remark",
        visibility=Visibility.PUBLIC,
    )
    make_annotation(user=alice, document=document, quote="toured", body="private cosmodrome secret")
    client.force_login(bob)
    html = client.get(reverse("search") + "?q=cosmodrome").content.decode()
    assert document.title in html and "<mark>" in html
    assert "public cosmodrome remark" in html and "private cosmodrome secret" not in html
    client.force_login(alice)
    assert "private cosmodrome secret" in client.get(reverse("search") + "?q=cosmodrome").content.decode()


def test_editing_a_documents_text_updates_the_index():
    from readingroom.reader.editing import document_text_edit

    document = make_document(paragraphs=["An ordinary paragraph."])
    assert not documents_search("zebrafish")
    document_text_edit(document=document, canonical_text="A paragraph about zebrafish.")
    assert [hit.document.pk for hit in documents_search("zebrafish")] == [document.pk]


def test_the_search_runs_on_this_databases_own_engine():
    assert connection.vendor in ("sqlite", "postgresql")
    make_document(paragraphs=["Vladivostok harbour."])
    assert documents_search("Vladivostok")
