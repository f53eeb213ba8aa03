"""The pages and fragments around annotations: highlights, threads, the panel, edits."""

import colorsys

import pytest
from django.test import Client
from django.urls import reverse

from readingroom.annotations.models import TAG_PALETTE, Annotation, Relation, Visibility
from readingroom.annotations.services import annotation_reply
from readingroom.annotations.views import tag_fill
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin met Kim at the Vostochny Cosmodrome.", "They talked about rockets."])


def test_the_reader_highlights_visible_annotations_in_their_first_tags_colour(client, document):
    author = make_user()
    mine = make_annotation(user=author, document=document, quote="Vostochny Cosmodrome", tag_names=["place", "claim"])
    hidden = make_annotation(document=document, quote="rockets")  # someone else's, private
    client.force_login(author)
    html = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    tag = mine.ordered_tags()[0]
    assert f'<mark class="annotation tag-{tag.pk}" data-annotation="{mine.pk}">Vostochny Cosmodrome</mark>' in html
    assert f'data-annotation="{hidden.pk}"' not in html


def test_an_htmx_request_for_a_document_gets_only_its_body(client, document):
    response = client.get(reverse("document_detail", args=[document.pk]), headers=HX)
    html = response.content.decode()
    assert "<html" not in html and 'data-start="0"' in html
    assert "HX-Request" in response["Vary"]


def test_the_popover_is_offered_to_signed_in_readers_only(client, document):
    anonymous = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert "to annotate." in anonymous and 'name="tag-entry"' not in anonymous
    client.force_login(make_user())
    signed_in = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert 'name="tag-entry"' in signed_in


def test_a_thread_shows_tags_comment_author_and_replies(client, document):
    author = make_user("alice")
    annotation = make_annotation(
        user=author, document=document, tag_names=["claim"], body="**bold**", visibility=Visibility.PUBLIC
    )
    annotation_reply(user=make_user("bob"), parent=annotation, body="a *reply*")
    html = client.get(reverse("annotation_threads") + f"?id={annotation.pk}", headers=HX).content.decode()
    assert "<html" not in html
    assert "claim" in html and "<strong>bold</strong>" in html and "alice" in html
    assert "<em>reply</em>" in html and "bob" in html


def test_someone_elses_private_thread_is_not_shown(client, document):
    private = make_annotation(document=document, body="secret")
    client.force_login(make_user())
    html = client.get(reverse("annotation_threads") + f"?id={private.pk}").content.decode()
    assert "secret" not in html


def test_the_author_edits_through_the_thread_form(client, document):
    author = make_user()
    annotation = make_annotation(user=author, document=document, tag_names=["claim"])
    client.force_login(author)
    response = client.post(
        reverse("annotation_edit", args=[annotation.pk]),
        {"body": "now with a *comment*", "tags": "claim, military", "visibility": "public", "version": "1"},
        headers=HX,
    )
    annotation.refresh_from_db()
    assert response.status_code == 200 and "<em>comment</em>" in response.content.decode()
    assert "annotations-changed" in response["HX-Trigger"]
    assert [t.name for t in annotation.ordered_tags()] == ["claim", "military"]
    assert annotation.visibility == Visibility.PUBLIC and annotation.version == 2


def test_a_stale_edit_form_gets_a_409_with_a_message(client, document):
    author = make_user()
    annotation = make_annotation(user=author, document=document)
    client.force_login(author)
    client.post(reverse("annotation_edit", args=[annotation.pk]), {"body": "first", "version": "1"})
    response = client.post(
        reverse("annotation_edit", args=[annotation.pk]), {"body": "second", "version": "1"}, headers=HX
    )
    assert response.status_code == 409 and "since you opened it" in response.content.decode()
    assert response["HX-Retarget"] == "#annotation-problem"
    assert Annotation.objects.get().body == "first"


def test_others_cannot_edit_or_delete_and_outsiders_get_404(client, document):
    public = make_annotation(document=document, visibility=Visibility.PUBLIC)
    private = make_annotation(document=document)
    client.force_login(make_user())
    assert client.post(reverse("annotation_edit", args=[public.pk]), {"body": "x"}).status_code == 403
    assert client.post(reverse("annotation_delete", args=[public.pk])).status_code == 403
    assert client.post(reverse("annotation_edit", args=[private.pk]), {"body": "x"}).status_code == 404
    assert client.post(reverse("annotation_reply", args=[private.pk]), {"body": "x"}).status_code == 404
    assert Annotation.objects.count() == 2


def test_anyone_signed_in_who_sees_a_thread_can_reply(client, document):
    public = make_annotation(document=document, visibility=Visibility.PUBLIC)
    client.force_login(make_user("carol"))
    response = client.post(reverse("annotation_reply", args=[public.pk]), {"body": "Source?"}, headers=HX)
    assert response.status_code == 200 and "Source?" in response.content.decode()
    assert public.replies.get().author.username == "carol"


def test_writing_needs_a_signed_in_user_and_a_post(client, document):
    public = make_annotation(document=document, visibility=Visibility.PUBLIC)
    assert client.post(reverse("annotation_reply", args=[public.pk]), {"body": "x"}).status_code == 302
    client.force_login(make_user())
    assert client.get(reverse("annotation_edit", args=[public.pk])).status_code == 405
    assert client.get(reverse("annotation_delete", args=[public.pk])).status_code == 405


def test_forms_without_csrf_are_refused(document):
    author = make_user()
    annotation = make_annotation(user=author, document=document)
    client = Client(enforce_csrf_checks=True)
    client.force_login(author)
    assert client.post(reverse("annotation_delete", args=[annotation.pk])).status_code == 403
    assert Annotation.objects.exists()


def test_the_author_deletes_a_thread(client, document):
    author = make_user()
    annotation = make_annotation(user=author, document=document)
    client.force_login(author)
    response = client.post(reverse("annotation_delete", args=[annotation.pk]), {"version": "1"}, headers=HX)
    assert response.status_code == 200 and not Annotation.objects.exists()
    assert "annotations-changed" in response["HX-Trigger"]


def test_the_panel_lists_filters_and_searches(client, document):
    other = make_document(paragraphs=["Shoigu visited Pyongyang in July."])
    alice, bob = make_user("alice"), make_user("bob")
    a = make_annotation(user=alice, document=document, quote="Putin", tag_names=["claim"], visibility=Visibility.PUBLIC)
    b = make_annotation(
        user=bob,
        document=document,
        quote="rockets",
        tag_names=["military"],
        body="about missiles",
        visibility=Visibility.PUBLIC,
    )
    c = make_annotation(user=bob, document=other, quote="Shoigu", visibility=Visibility.PUBLIC)
    make_annotation(user=bob, document=document, quote="Kim")  # private to bob
    url = reverse("annotation_panel") + f"?doc={document.pk}&doc={other.pk}"

    def shown(query=""):
        html = client.get(url + query, headers=HX).content.decode()
        return {pk for pk in (a.pk, b.pk, c.pk) if f'data-panel-annotation="{pk}"' in html}, html

    everything, html = shown()
    assert everything == {a.pk, b.pk, c.pk} and "3 annotations" in html
    assert shown("&tag=claim")[0] == {a.pk}
    assert shown("&author=bob")[0] == {b.pk, c.pk}
    assert shown("&q=missiles")[0] == {b.pk}
    assert shown(f"&document={other.pk}")[0] == {c.pk}


def test_tag_colours_come_as_a_stylesheet(client, document):
    annotation = make_annotation(document=document, tag_names=["claim"])
    tag = annotation.tags.get()
    response = client.get(reverse("annotation_tag_styles"))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert f".tag-{tag.pk} {{ --tag: {tag_fill(tag.colour)}; }}" in response.content.decode()
    assert client.get(reverse("annotation_tag_styles"), headers={"If-None-Match": response["ETag"]}).status_code == 304


def test_relation_colours_come_in_the_same_stylesheet_and_only_well_formed(client, document):
    Relation.objects.create(name="Echoes", slug="echoes", colour="#aa3300")
    # Written past the admin's validation: never copied into the stylesheet.
    Relation.objects.create(name="Odd", slug="odd", colour="red;}*{")
    before = client.get(reverse("annotation_tag_styles"))
    css = before.content.decode()
    assert '[data-relation="echoes"] { --link: #aa3300; }' in css
    assert '"odd"' not in css and "red" not in css
    Relation.objects.filter(slug="echoes").update(colour="#003366")
    after = client.get(reverse("annotation_tag_styles"), headers={"If-None-Match": before["ETag"]})
    assert after.status_code == 200 and "#003366" in after.content.decode()


def test_tag_fills_are_pale_and_never_in_the_hues_of_the_entity_types():
    entity_hues = [22, 38, 115, 173, 210, 273, 345]  # the .entity--* lines in readingroom.css
    for colour in [*TAG_PALETTE, "#ff0000", "#888888", "#2b66a3", "#f6c9a8"]:
        red, green, blue = (int(tag_fill(colour)[i : i + 2], 16) / 255 for i in (1, 3, 5))
        hue, lightness, _ = colorsys.rgb_to_hls(red, green, blue)
        assert lightness > 0.75
        assert all(min(abs(hue * 360 - h), 360 - abs(hue * 360 - h)) >= 15 for h in entity_hues), colour


def test_the_compare_page_takes_few_queries_with_many_annotations(client, django_assert_max_num_queries):
    documents = [make_document(paragraphs=["Putin met Kim. " * 40]) for _ in range(3)]
    author = make_user()
    for document in documents:
        for occurrence in range(20):
            make_annotation(
                user=author,
                document=document,
                quote="Kim",
                occurrence=occurrence,
                tag_names=["claim"],
                visibility=Visibility.PUBLIC,
            )
    client.force_login(author)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("compare") + "?" + "&".join(f"doc={d.pk}" for d in documents))
    assert response.content.decode().count('class="annotation tag-') == 60


def test_tag_suggestions_come_only_from_annotations_you_can_see(client, document):
    make_annotation(document=document, quote="Putin", tag_names=["secret-plan"])  # private to its author
    make_annotation(document=document, quote="Kim", tag_names=["claim"], visibility=Visibility.PUBLIC)
    reader = make_user()
    client.force_login(reader)
    page = client.get(reverse("document_detail", args=[document.pk])).content.decode()
    assert f'hx-get="{reverse("annotation_tag_suggestions")}"' in page  # fetched when the tag field gets focus
    html = client.get(reverse("annotation_tag_suggestions")).content.decode()
    assert '<option value="claim">' in html and "secret-plan" not in html
