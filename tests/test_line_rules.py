"""A curator removes lines like one of a document's from its whole source: now, at every later
import and fetch, with annotations re-anchored, and put back when the rule is turned off."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from readingroom.annotations.models import AnchorState
from readingroom.library.importing import document_import
from readingroom.library.models import Document, LineRemoval, SourceLineRule
from readingroom.reader.line_rules import (
    LineRuleError,
    line_rule_activate,
    line_rule_create,
    line_rule_deactivate,
    line_rule_preview,
    line_rule_task,
)
from readingroom.text.cleaning import Block, line_shape, remove_curated_lines, restore_curated_lines
from tests.factories import make_annotation, make_document, make_source, make_user
from tests.test_fetching import _import
from tests.test_fetching import site as site  # the fixture: pages served on a local port

pytestmark = pytest.mark.django_db

STAMP_A = "Updated 5 minutes ago"
STAMP_B = "Updated 12 minutes ago"
FIRST = [
    "The harbour authority reopened the northern quay on Tuesday after three weeks of repairs.",
    STAMP_A,
    "Fishing crews said the delay had cost them most of the autumn season.",
]
SECOND = [
    "Ferry services to the islands resumed at dawn, the operator said.",
    STAMP_B,
    "Passengers were told to expect delays while the timetable settles.",
    "Updated 12 minutes ago, the operator's website still listed the old timetable.",
]


@pytest.fixture
def source():
    return make_source(name="The Harbour Courier")


@pytest.fixture
def documents(source):
    return make_document(source=source, paragraphs=FIRST), make_document(source=source, paragraphs=SECOND)


def texts(document):
    document.refresh_from_db()
    return [block.text for block in document.text_blocks()]


def curator():
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    return user


# --- the shape -----------------------------------------------------------------------------------


def test_a_shape_sets_numbers_times_days_and_case_aside():
    assert line_shape("Updated 5 minutes ago") == line_shape("updated  1 minute ago") == line_shape(STAMP_B)
    assert line_shape("Last modified on Wed 13 Sep 2023 18.02 BST") == line_shape(
        "Last modified on Thu 5 Oct 2024 09.15 BST"
    )
    assert line_shape("Posted 5:31 p.m. EDT") == line_shape("Posted 11:02 a.m. EDT")
    assert line_shape("Updated 5 minutes ago") != line_shape("Updated 5 minutes ago by our reporter")


def test_a_rule_takes_out_whole_lines_only_and_puts_them_back_in_place():
    blocks = [Block("paragraph", text) for text in SECOND]
    kept, removed = remove_curated_lines(blocks, {line_shape(STAMP_A)})
    assert [block.text for block in kept] == [SECOND[0], SECOND[2], SECOND[3]]
    assert restore_curated_lines(kept, removed) == blocks


def test_lines_put_back_keep_their_order_after_the_same_paragraph():
    blocks = [Block("paragraph", text) for text in ["Intro.", "Photo: one", "Photo: two", "Body."]]
    kept, removed = remove_curated_lines(blocks, {line_shape("Photo: one"), line_shape("Photo: two")})
    assert [block.text for block in kept] == ["Intro.", "Body."]
    assert restore_curated_lines(kept, removed) == blocks


# --- applied to the source -----------------------------------------------------------------------


def test_it_previews_how_many_lines_of_how_many_documents_match(source, documents):
    make_document(source=make_source(), paragraphs=["Other source.", STAMP_A])
    preview = line_rule_preview(source=source, line=STAMP_A)
    assert (preview.lines, preview.documents, preview.total) == (2, 2, 2)


def test_it_removes_the_line_from_every_document_of_the_source(source, documents):
    first, second = documents
    report = line_rule_create(source=source, line=STAMP_A, user=curator())
    assert (report.lines, report.documents) == (2, 2)
    assert texts(first) == [FIRST[0], FIRST[2]]
    # The sentence that merely begins like the stamp is article text, and stays.
    assert texts(second) == [SECOND[0], SECOND[2], SECOND[3]]
    assert first.revision == 2 and first.revisions.get().canonical_text.count(STAMP_A) == 1


def test_other_sources_are_untouched(source, documents):
    other = make_document(source=make_source(), paragraphs=["Another paper's story.", STAMP_A])
    line_rule_create(source=source, line=STAMP_A)
    assert texts(other) == ["Another paper's story.", STAMP_A]
    assert other.revision == 1


def test_undo_puts_every_line_back(source, documents):
    first, second = documents
    report = line_rule_create(source=source, line=STAMP_A)
    undone = line_rule_deactivate(rule=report.rule)
    assert (undone.lines, undone.documents) == (2, 2)
    assert texts(first) == FIRST and texts(second) == SECOND
    assert not LineRemoval.objects.exists()
    assert not SourceLineRule.objects.get().active
    again = line_rule_activate(rule=report.rule)
    assert again.lines == 2 and texts(first) == [FIRST[0], FIRST[2]]


def test_annotations_are_re_anchored_across_the_rule(source, documents):
    first, _ = documents
    annotation = make_annotation(document=first, quote="most of the autumn season")
    line_rule_create(source=source, line=STAMP_A)
    annotation.refresh_from_db()
    first.refresh_from_db()
    assert annotation.anchor_state == AnchorState.MOVED
    assert first.canonical_text[annotation.start : annotation.end] == "most of the autumn season"
    line_rule_deactivate(rule=SourceLineRule.objects.get())
    annotation.refresh_from_db()
    first.refresh_from_db()
    assert first.canonical_text[annotation.start : annotation.end] == "most of the autumn season"


def test_a_document_made_only_of_such_lines_is_left_whole(source):
    alone = make_document(source=source, paragraphs=[STAMP_A])
    report = line_rule_create(source=source, line=STAMP_B)
    assert (report.documents, report.kept) == (0, 1)
    assert texts(alone) == [STAMP_A]


def test_it_refuses_an_empty_or_overlong_line(source):
    with pytest.raises(LineRuleError):
        line_rule_create(source=source, line="   ")
    with pytest.raises(LineRuleError):
        line_rule_create(source=source, line="word " * 200)


# --- imports keep every decision -----------------------------------------------------------------


TIDES = "Tide tables for Port Ellen, 2 May"
IMPORTED = "\n\n".join(
    [
        "Cranes were moved back onto the quay overnight, the harbour master said.",
        "Tide tables for Port Ellen, 14 March",
        "More work is planned for next week at the southern berth.",
    ]
).encode()


def test_an_import_applies_the_sources_rules_and_undo_restores_the_line(source):
    make_document(source=source, paragraphs=["An earlier story.", TIDES])
    rule = line_rule_create(source=source, line=TIDES).rule
    result = document_import(data=IMPORTED, filename="quay.txt", source=source)
    assert result.status == "imported"
    document = result.document
    assert "tide tables" not in document.canonical_text
    line_rule_deactivate(rule=rule)
    assert texts(document)[1] == "Tide tables for Port Ellen, 14 March"


def test_an_import_into_another_source_keeps_the_line(source):
    line_rule_create(source=source, line=TIDES)
    result = document_import(data=IMPORTED, filename="quay.txt", source=make_source())
    assert "Tide tables for Port Ellen, 14 March" in result.document.canonical_text


# --- the reader's endpoints ----------------------------------------------------------------------


def test_only_a_curator_sees_the_control_and_may_use_it(client, documents):
    first, _ = documents
    client.force_login(make_user())
    page = client.get(first.get_absolute_url())
    assert b"Remove page furniture" not in page.content
    preview = client.get(reverse("line_rule_preview", args=[first.pk]), {"block": first.blocks[1]["start"]})
    assert preview.status_code == 403
    assert client.post(reverse("line_rule_create", args=[first.pk]), {"line": STAMP_A}).status_code == 403
    assert STAMP_A in texts(first)


def test_a_curator_previews_removes_and_undoes(client, documents):
    first, second = documents
    client.force_login(curator())
    assert b"Remove page furniture from The Harbour Courier" in client.get(first.get_absolute_url()).content
    preview = client.get(
        reverse("line_rule_preview", args=[first.pk]), {"block": first.blocks[1]["start"]}, HTTP_HX_REQUEST="true"
    )
    assert preview.status_code == 200
    assert "2 lines like it in 2 of The Harbour Courier’s 2 documents" in preview.content.decode()
    assert "<html" not in preview.content.decode()
    # Without JavaScript the same preview is a page of its own, with the same button.
    page = client.get(reverse("line_rule_preview", args=[first.pk]), {"block": first.blocks[1]["start"]})
    assert (
        "<html" in page.content.decode() and "Remove lines like this from The Harbour Courier" in page.content.decode()
    )
    response = client.post(reverse("line_rule_create", args=[first.pk]), {"line": STAMP_A})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "Removed 2 line(s)" in page.content.decode() and b"Undo" in page.content
    assert STAMP_B not in texts(second)
    rule = SourceLineRule.objects.get()
    undo = client.post(reverse("line_rule_off", args=[rule.pk]), {"next": first.get_absolute_url()})
    assert undo["Location"] == first.get_absolute_url()
    assert texts(second) == SECOND


def test_the_request_changes_the_document_in_view_and_leaves_the_others_to_the_worker(client, documents, settings):
    # With a real queue (the database backend, no worker running here), the request changes only
    # the document the curator is reading; the task queued for the rest does the others.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    first, second = documents
    client.force_login(curator())
    response = client.post(reverse("line_rule_create", args=[first.pk]), {"line": STAMP_A})
    assert response.status_code == 302
    assert STAMP_A not in texts(first) and STAMP_B in texts(second)
    rule = SourceLineRule.objects.get()

    line_rule_task.call(rule.pk)  # what the worker runs
    assert STAMP_B not in texts(second)
    line_rule_task.call(rule.pk)  # run twice (a worker killed and the task run again): nothing more
    assert second.revisions.count() == 1

    undo = client.post(reverse("line_rule_off", args=[rule.pk]), {"next": "/", "document": second.pk})
    assert undo.status_code == 302
    assert texts(second) == SECOND and STAMP_A not in texts(first)
    line_rule_task.call(rule.pk)
    assert texts(first) == FIRST


def test_bad_input_is_a_clear_400_or_404(client, documents):
    first, _ = documents
    client.force_login(curator())
    assert client.get(reverse("line_rule_preview", args=[first.pk]), {"block": "x"}).status_code == 400
    assert client.get(reverse("line_rule_preview", args=[first.pk]), {"block": "99999"}).status_code == 400
    assert client.get(reverse("line_rule_preview", args=[999999])).status_code == 404
    assert client.post(reverse("line_rule_create", args=[first.pk]), {"line": "not in it"}).status_code == 400
    assert client.post(reverse("line_rule_create", args=[first.pk]), {}).status_code == 400
    assert client.post(reverse("line_rule_off", args=[999999])).status_code == 404
    assert client.get(reverse("line_rule_create", args=[first.pk])).status_code == 405
    assert client.get(reverse("line_rule_off", args=[1])).status_code == 405
    assert Document.objects.get(pk=first.pk).revision == 1


def test_undo_does_not_redirect_off_site(client, documents):
    first, _ = documents
    client.force_login(curator())
    rule = line_rule_create(source=first.source, line=STAMP_A).rule
    response = client.post(reverse("line_rule_off", args=[rule.pk]), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("document_list")


TIDES_LINE = "The Courier prints the Port Ellery tide tables every day: this is the edition of {day} March."
PAGE = """<html><head><title>Harbour reopens after the storm</title>
<meta property="og:site_name" content="Coast Courier"></head><body><article>
<h1>Harbour reopens after the storm</h1>
<p>The harbour at Port Ellery reopened on Monday after a week of repairs to the sea wall, the
harbour master said.</p>
<p>{tides}</p>
<p>Fishing boats returned to their moorings by the afternoon, and the ferry to the islands will
run again from {weekday}.</p>
<p>Engineers said the new wall would withstand a storm twice as strong as last week's.</p>
</article></body></html>"""


def test_a_page_fetched_again_keeps_the_rule(site, remembered_spans):
    site.page("/harbour", PAGE.format(tides=TIDES_LINE.format(day=14), weekday="Wednesday"))
    _import(f"{site.base}/harbour")
    document = Document.objects.get()
    assert TIDES_LINE.format(day=14) in texts(document)
    rule = line_rule_create(source=document.source, line=TIDES_LINE.format(day=14)).rule
    assert len(texts(document)) == 3

    site.page("/harbour", PAGE.format(tides=TIDES_LINE.format(day=15), weekday="Thursday"))
    _import(f"{site.base}/harbour")
    document.refresh_from_db()
    assert "from Thursday" in document.canonical_text and "tide tables" not in document.canonical_text
    line_rule_deactivate(rule=rule)
    assert texts(document)[1] == TIDES_LINE.format(day=15)


# --- the admin -----------------------------------------------------------------------------------


@pytest.fixture
def admin_client_(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("admin", "a@example.com", "a-long-passphrase"))
    return client


def test_the_admin_lists_the_rules_and_turns_them_off_and_on(admin_client_, source, documents):
    first, second = documents
    rule = line_rule_create(source=source, line=STAMP_A).rule
    listing = admin_client_.get(reverse("admin:library_sourcelinerule_changelist")).content.decode()
    assert STAMP_A in listing and "updated # minute ago" in listing and "2 line(s) in 2 document(s)" in listing
    url = reverse("admin:library_sourcelinerule_changelist")
    admin_client_.post(url, {"action": "turn_off", "_selected_action": [rule.pk]})
    assert texts(first) == FIRST and texts(second) == SECOND
    admin_client_.post(url, {"action": "turn_on", "_selected_action": [rule.pk]})
    assert texts(first) == [FIRST[0], FIRST[2]]
    # The change page's Active box does the same.
    change = reverse("admin:library_sourcelinerule_change", args=[rule.pk])
    assert admin_client_.post(change, {}).status_code == 302
    assert texts(first) == FIRST and not SourceLineRule.objects.get().active


def test_a_rule_added_in_the_admin_applies_at_once_and_none_is_deleted(admin_client_, source, documents):
    first, _ = documents
    response = admin_client_.post(
        reverse("admin:library_sourcelinerule_add"), {"source": source.pk, "line": f"  {STAMP_B} "}
    )
    assert response.status_code == 302
    assert texts(first) == [FIRST[0], FIRST[2]]
    rule = SourceLineRule.objects.get()
    assert rule.line == STAMP_B and rule.created_by is not None
    assert admin_client_.get(reverse("admin:library_sourcelinerule_delete", args=[rule.pk])).status_code == 403
    empty = admin_client_.post(reverse("admin:library_sourcelinerule_add"), {"source": source.pk, "line": "   "})
    assert empty.status_code == 200 and SourceLineRule.objects.count() == 1


def test_an_annotation_on_a_removed_line_comes_back_with_it(source, documents):
    first, _ = documents
    note = make_annotation(document=first, quote=STAMP_A)
    rule = line_rule_create(source=source, line=STAMP_A).rule
    note.refresh_from_db()
    assert note.anchor_state == AnchorState.ORPHANED
    line_rule_deactivate(rule=rule)
    note.refresh_from_db()
    first.refresh_from_db()
    assert note.anchor_state == AnchorState.MOVED
    assert first.canonical_text[note.start : note.end] == STAMP_A
