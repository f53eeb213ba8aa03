from datetime import UTC

import pytest
from django.urls import reverse

from tests.factories import make_document, make_source

pytestmark = pytest.mark.django_db


def compare_url(*documents) -> str:
    return reverse("compare") + "?" + "&".join(f"doc={d.pk}" for d in documents)


def test_it_lists_documents_grouped_by_source(client):
    bbc = make_source(name="BBC News")
    guardian = make_source(name="The Guardian")
    make_document(source=bbc, title="Live: the summit")
    make_document(source=guardian, title="Kim offers Putin full support")

    response = client.get(reverse("document_list"))

    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("BBC News") < html.index("Live: the summit") < html.index("The Guardian")
    assert html.index("The Guardian") < html.index("Kim offers Putin full support")
    assert 'name="doc"' in html and ">Compare</button>" in html


def test_it_keeps_the_ticked_documents_ticked(client):
    document = make_document()
    response = client.get(reverse("document_list") + f"?doc={document.pk}")
    assert f'value="{document.pk}" id="doc-{document.pk}" checked' in response.content.decode()


def test_the_list_says_how_to_import_when_empty(client):
    response = client.get(reverse("document_list"))
    assert "import_documents" in response.content.decode()


def test_the_reader_shows_paragraphs_with_their_offsets(client):
    document = make_document(paragraphs=["First <b>paragraph</b>.", "Second one."])

    response = client.get(reverse("document_detail", args=[document.pk]))

    html = response.content.decode()
    assert response.status_code == 200
    # Text is escaped, and each block says where it sits in the canonical text.
    assert 'data-start="0" data-end="23">First &lt;b&gt;paragraph&lt;/b&gt;.</p>' in html
    assert 'data-start="25" data-end="36">Second one.</p>' in html


def test_the_reader_is_404_for_a_missing_document(client):
    assert client.get(reverse("document_detail", args=[999])).status_code == 404
    assert client.get(f"/documents/{2**64}/").status_code == 404


def test_pages_refuse_post(client):
    document = make_document()
    for url in (reverse("document_list"), reverse("document_detail", args=[document.pk]), compare_url(document)):
        assert client.post(url).status_code == 405


def test_the_text_endpoint_serves_the_canonical_text(client):
    document = make_document(paragraphs=["Vostochny Сosmodrome — “quoted” 🚀"])
    response = client.get(reverse("document_text", args=[document.pk]))
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode("utf-8") == "Vostochny Сosmodrome — “quoted” 🚀"


def test_compare_shows_the_documents_in_columns_in_the_order_asked(client):
    first, second, third = make_document(title="First"), make_document(title="Second"), make_document(title="Third")

    response = client.get(compare_url(third, first, second))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('class="column"') == 3
    assert (
        html.index(f'id="column-{third.pk}"')
        < html.index(f'id="column-{first.pk}"')
        < html.index(f'id="column-{second.pk}"')
    )
    assert html.index("Third") < html.index("First")


def test_compare_sends_you_back_to_pick_when_fewer_than_two(client):
    document = make_document()
    response = client.get(compare_url(document), follow=True)
    assert response.redirect_chain[-1][0] == reverse("document_list") + f"?doc={document.pk}"
    assert "Pick 2 to 5 documents to compare." in response.content.decode()


def test_compare_shows_at_most_five(client):
    documents = [make_document() for _ in range(6)]
    response = client.get(compare_url(*documents))
    html = response.content.decode()
    assert html.count('class="column"') == 5
    assert "at most 5 documents" in html


def test_compare_ignores_junk_and_missing_ids(client):
    first, second = make_document(), make_document()
    response = client.get(reverse("compare") + f"?doc={first.pk}&doc=abc&doc=99999&doc={second.pk}&doc={first.pk}")
    assert response.content.decode().count('class="column"') == 2


def test_adding_a_column_through_htmx_sends_only_that_column(client):
    first, second, third = make_document(), make_document(), make_document(title="The added one")

    response = client.get(compare_url(first, second) + f"&add={third.pk}", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.count('class="column"') == 1
    assert f'id="column-{third.pk}"' in html and 'hx-swap-oob="beforeend:#columns"' in html
    assert response["HX-Push-Url"] == reverse("compare") + f"?doc={first.pk}&doc={second.pk}&doc={third.pk}"
    assert "Vary" in response and "HX-Request" in response["Vary"]


def test_removing_a_column_through_htmx_deletes_only_that_column(client):
    first, second, third = make_document(), make_document(), make_document()

    response = client.get(compare_url(first, second, third) + f"&remove={second.pk}", headers={"HX-Request": "true"})

    html = response.content.decode()
    assert 'class="column"' not in html
    assert f'<div id="column-{second.pk}" hx-swap-oob="delete"></div>' in html
    assert response["HX-Push-Url"] == reverse("compare") + f"?doc={first.pk}&doc={third.pk}"


def test_adding_a_column_without_javascript_redirects_to_the_tidy_url(client):
    first, second, third = make_document(), make_document(), make_document()
    response = client.get(compare_url(first, second) + f"&add={third.pk}")
    assert response.status_code == 302
    assert response["Location"] == reverse("compare") + f"?doc={first.pk}&doc={second.pk}&doc={third.pk}"


@pytest.mark.django_db
def test_the_add_a_column_menu_is_in_reading_order_and_keeps_the_newest_of_a_big_library():
    from datetime import datetime

    from readingroom.library.selectors import documents_for_menu
    from tests.factories import make_document, make_source

    beta, alpha = make_source(name="Beta Times"), make_source(name="Alpha Post")
    made = [
        make_document(source=beta, title="Old", published_at=datetime(2023, 9, 12, tzinfo=UTC)),
        make_document(source=alpha, title="Undated"),
        make_document(source=beta, title="New", published_at=datetime(2023, 9, 14, tzinfo=UTC)),
        make_document(source=alpha, title="Dated", published_at=datetime(2023, 9, 13, tzinfo=UTC)),
    ]
    shown = [row["title"] for row in documents_for_menu()]
    assert shown == ["Dated", "Undated", "New", "Old"]  # by source, newest first, undated last
    assert [row["title"] for row in documents_for_menu(exclude=[made[3].pk], limit=2)] == ["Undated", "New"]
