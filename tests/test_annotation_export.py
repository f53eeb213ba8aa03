"""Export as W3C JSON-LD and CSV, and importing an export into an empty database."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse

from readingroom.annotations.models import Annotation, AnnotationSession, Role, Tag, Visibility
from readingroom.annotations.services import annotation_reply, annotation_update
from readingroom.annotations.sessions import session_join, session_start
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


def snapshot():
    rows = []
    for a in (
        Annotation.objects.select_related("author", "parent")
        .prefetch_related("tags")
        .order_by("parent_id", "start", "body")
    ):
        rows.append(
            (
                a.document_id,
                a.author.username,
                a.start,
                a.end,
                a.exact,
                a.prefix,
                a.suffix,
                a.body,
                a.visibility,
                a.anchor_state,
                [t.name for t in a.ordered_tags()],
                a.parent.exact if a.parent else None,
            )
        )
    return rows


def test_an_export_imported_into_an_empty_database_restores_the_same_annotations(tmp_path):
    document = make_document(
        paragraphs=["Putin said: “We’ll talk about all the issues.” 🚀", "Kim agreed; =SUM(A1) is not a formula."]
    )
    alice, bob = make_user("alice"), make_user("bob")
    first = make_annotation(
        user=alice,
        document=document,
        quote="all the issues",
        tag_names=["claim", "military"],
        body="**Bold** claim",
        visibility=Visibility.PUBLIC,
    )
    make_annotation(user=bob, document=document, quote="🚀", body="private note")
    lost = make_annotation(user=alice, document=document, quote="Kim agreed", body="its passage was edited away")
    Annotation.objects.filter(pk=lost.pk).update(anchor_state="orphaned", start=None, end=None)
    annotation_reply(user=bob, parent=first, body="I disagree")
    before = snapshot()
    path = tmp_path / "annotations.jsonld"

    call_command("export_annotations", "--output", str(path))
    exported = json.loads(path.read_text(encoding="utf-8"))
    Annotation.objects.all().delete()
    Tag.objects.all().delete()
    call_command("import_annotations", str(path), "--user", "alice")

    assert exported["type"] == "AnnotationCollection" and exported["total"] == 4
    assert snapshot() == before


def test_a_session_export_imported_again_keeps_the_members_replies(client, tmp_path):
    documents = [
        make_document(paragraphs=["Putin said: “We’ll talk about all the issues.”", "Kim agreed."]),
        make_document(),
    ]
    alice, bob, carol, outsider = make_user("alice"), make_user("bob"), make_user("carol"), make_user("outsider")
    session = session_start(user=alice, title="Summit", documents=documents)
    session_join(session=session, user=bob)
    session_join(session=session, user=carol)  # a member who never writes
    thread = make_annotation(
        user=alice, document=documents[0], quote="all the issues", session=session, tag_names=["claim"]
    )
    annotation_reply(user=bob, parent=thread, body="I disagree")
    annotation_reply(user=alice, parent=thread, body="Why?")
    widened = make_annotation(user=bob, document=documents[0], quote="Kim agreed", session=session)
    annotation_reply(user=alice, parent=widened, body="Written for the session")
    # Made public after the reply: the reply keeps the audience it was written for.
    annotation_update(user=bob, annotation=widened, visibility=Visibility.PUBLIC)
    make_annotation(user=carol, document=documents[1], session=session, visibility=Visibility.PRIVATE)
    before = snapshot()
    client.force_login(alice)
    path = tmp_path / "session.jsonld"
    path.write_bytes(client.get(reverse("session_export_jsonld", args=[session.pk])).content)
    assert json.loads(path.read_bytes())["total"] == 5  # carol's private one is hers alone
    Annotation.objects.all().delete()
    AnnotationSession.objects.all().delete()

    call_command("import_annotations", str(path), "--user", "alice")

    assert snapshot() == [row for row in before if row[1] != "carol"]
    imported = AnnotationSession.objects.get()
    assert imported.title == "Summit" and imported.pk != session.pk
    assert {(m.user.username, m.role) for m in imported.memberships.all()} == {
        ("alice", Role.OWNER),
        ("bob", Role.ANNOTATOR),
    }
    assert set(imported.documents.all()) == {documents[0]}
    assert Annotation.objects.filter(session=imported).count() == 5
    assert Annotation.objects.visible_to(bob).count() == 5
    assert Annotation.objects.visible_to(outsider).count() == 1  # the thread made public, not its reply


def test_the_export_is_w3c_json_ld(tmp_path):
    annotation = make_annotation(tag_names=["claim"], body="note")
    path = tmp_path / "out.jsonld"
    call_command("export_annotations", "--output", str(path), "--base-url", "https://rr.example.org/")
    item = json.loads(path.read_text())["first"]["items"][0]
    assert item["id"] == f"https://rr.example.org/annotations/{annotation.pk}"
    assert item["target"]["source"] == f"https://rr.example.org/documents/{annotation.document_id}/"
    assert [s["type"] for s in item["target"]["selector"]] == ["TextQuoteSelector", "TextPositionSelector"]
    assert [b["purpose"] for b in item["body"]] == ["tagging", "commenting"]


def test_a_broken_item_is_reported_and_the_rest_imported(tmp_path):
    make_user("alice")
    good = make_annotation(visibility=Visibility.PUBLIC)
    path = tmp_path / "out.jsonld"
    call_command("export_annotations", "--output", str(path))
    data = json.loads(path.read_text())
    data["first"]["items"].append({"type": "Annotation", "target": {"source": "http://x/documents/424242/"}})
    path.write_text(json.dumps(data))
    Annotation.objects.all().delete()
    with pytest.raises(Exception, match="1 annotations imported, 1 refused"):
        call_command("import_annotations", str(path), "--user", "alice")
    assert Annotation.objects.get().exact == good.exact


def test_the_csv_export_is_a_spreadsheet_that_runs_no_formulas(capsys):
    document = make_document(paragraphs=['=HYPERLINK("http://evil") said Kim.'])
    make_annotation(document=document, quote="=HYPERLINK", tag_names=["claim", "quote"])
    call_command("export_annotations", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows[0]["exact"] == "'=HYPERLINK"
    assert rows[0]["tags"] == "claim; quote"
    assert rows[0]["document_title"] == document.title
