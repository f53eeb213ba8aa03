"""Links across sources (#19) in exports and imports: JSON-LD carries them whole, CSV has a row per
passage, brat and WebAnno leave them out, and a link with a passage on a deleted document is in
no export of anyone's."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from readingroom.annotations.links import LinkTarget, link_create, link_state
from readingroom.annotations.models import Annotation, AnnotationTarget, Relation, Visibility
from readingroom.annotations.sessions import session_join, session_start
from readingroom.library.models import Document
from readingroom.reader.editing import document_text_edit
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def passage(document, quote):
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


@pytest.fixture
def world():
    relation = Relation.objects.get_or_create(slug="contradicts", defaults={"name": "Contradicts"})[0]
    alice, bob = make_user("alice"), make_user("bob")
    first = make_document(paragraphs=["Kim travelled some 1,000 km by train to meet Putin."])
    second = make_document(paragraphs=["The train carried Kim about 1,500 km to the cosmodrome."])
    session = session_start(user=alice, title="Summit", documents=[first, second])
    session_join(session=session, user=bob)
    link = link_create(
        user=alice,
        targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
        relation=relation,
        body="Which is it?",
        tag_names=["distance"],
        session=session,
    )
    plain = make_annotation(user=alice, document=first, quote="Putin", session=session, visibility=Visibility.SESSION)
    return {
        "alice": alice,
        "bob": bob,
        "first": first,
        "second": second,
        "session": session,
        "link": link,
        "plain": plain,
    }


def test_a_link_goes_through_a_jsonld_export_and_import_whole(world, tmp_path):
    path = tmp_path / "links.jsonld"
    call_command("export_annotations", "--output", str(path), "--base-url", "https://rr.example.org")
    items = json.loads(path.read_text())["first"]["items"]
    (exported,) = [item for item in items if item["motivation"] == "linking"]
    assert len(exported["target"]) == 2 and exported["body"][0]["value"] == "contradicts"
    Annotation.objects.all().delete()
    call_command("import_annotations", str(path), "--user", "alice")
    link = Annotation.objects.get(relation__isnull=False)
    assert link.relation.slug == "contradicts" and link.body == "Which is it?" and link.exact == "some 1,000 km"
    assert [tag.name for tag in link.ordered_tags()] == ["distance"]
    target = link.targets.get()
    assert (target.document_id, target.exact) == (world["second"].pk, "about 1,500 km")
    # In a new session holding both of its documents, as any session annotation is imported.
    assert set(link.session.documents.all()) == {world["first"], world["second"]}
    assert link.via == exported["id"]


@pytest.mark.parametrize("lost", ["second", "first"])
def test_a_partial_link_goes_through_a_jsonld_export_and_import_still_partial(world, tmp_path, lost):
    # A text edit took one passage away: the link is kept, partial, and comes back so.
    document = world[lost]
    document_text_edit(document=document, canonical_text="Nothing about distances here.")
    assert link_state(Annotation.objects.get(pk=world["link"].pk)) == "partial"
    path = tmp_path / "links.jsonld"
    call_command("export_annotations", "--output", str(path), "--base-url", "https://rr.example.org")
    Annotation.objects.all().delete()

    out = io.StringIO()
    call_command("import_annotations", str(path), "--user", "alice", stdout=out)

    assert "Item" not in out.getvalue()  # no item refused
    link = Annotation.objects.get(relation__isnull=False)
    target = link.targets.get()
    assert link_state(link) == "partial"
    assert (link.exact, target.exact) == ("some 1,000 km", "about 1,500 km")
    gone, kept = (link, target) if lost == "first" else (target, link)
    assert gone.anchor_state == "orphaned" and gone.start is None
    assert kept.anchor_state == "anchored" and kept.document.canonical_text[kept.start : kept.end] == kept.exact
    assert [tag.name for tag in link.ordered_tags()] == ["distance"] and link.body == "Which is it?"


def test_a_new_link_through_the_api_must_have_every_passage_in_its_document(world):
    first, second = world["first"], world["second"]
    client = Client()
    client.force_login(world["alice"])
    target = [
        {
            "source": f"http://testserver/documents/{first.pk}/",
            "selector": [{"type": "TextPositionSelector", "start": 23, "end": 36}],
        },
        {
            "source": f"http://testserver/documents/{second.pk}/",
            "state": "orphaned",
            "selector": [{"type": "TextQuoteSelector", "exact": "never written", "prefix": "", "suffix": ""}],
        },
    ]
    body = [{"type": "TextualBody", "purpose": "classifying", "value": "contradicts"}]
    response = client.post(
        "/annotations/",
        json.dumps({"type": "Annotation", "motivation": "linking", "body": body, "target": target}),
        content_type="application/ld+json",
    )
    assert response.status_code == 400
    assert "not in the document" in response.content.decode()
    assert Annotation.objects.filter(relation__isnull=False).count() == 1  # the fixture's


def test_the_csv_export_has_a_row_per_passage_of_a_link(world):
    client = Client()
    client.force_login(world["bob"])
    response = client.get(f"/sessions/{world['session'].pk}/export.csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    link_rows = [row for row in rows if row["id"] == str(world["link"].pk)]
    assert [(row["target"], row["document_id"], row["exact"], row["relation"]) for row in link_rows] == [
        ("1", str(world["first"].pk), "some 1,000 km", "contradicts"),
        ("2", str(world["second"].pk), "about 1,500 km", "contradicts"),
    ]
    assert all(row["comment"] == "Which is it?" for row in link_rows)
    (plain,) = [row for row in rows if row["id"] == str(world["plain"].pk)]
    assert plain["relation"] == "" and plain["target"] == ""


def test_the_session_exports_leave_out_a_link_with_a_passage_on_a_deleted_document(world):
    client = Client()
    client.force_login(world["bob"])
    Document.all_objects.filter(pk=world["second"].pk).update(deleted_at=timezone.now())
    jsonld = client.get(f"/sessions/{world['session'].pk}/export.jsonld").content.decode()
    text = client.get(f"/sessions/{world['session'].pk}/export.csv").content.decode()
    for body in (jsonld, text):
        assert "1,500" not in body and "Which is it?" not in body and "Putin" in body


@pytest.mark.parametrize("fmt", ["brat", "webanno"])
def test_brat_and_webanno_exports_leave_links_out(world, fmt):
    client = Client()
    client.force_login(world["alice"])
    response = client.get(f"/annotations/export/{fmt}.zip?session={world['session'].pk}")
    assert response.status_code == 200
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        contents = "".join(archive.read(name).decode() for name in archive.namelist())
    # The link's tag ("distance") and comment appear nowhere; the plain annotation is there.
    assert "Putin" in contents and "distance" not in contents and "Which is it?" not in contents
    assert AnnotationTarget.objects.count() == 1
