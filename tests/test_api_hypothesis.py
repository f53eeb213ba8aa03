"""Importing Hypothesis's export and API JSON (``import_hypothesis``): rows matched to documents by
address or quote, anchored by quote and context, replies kept as replies, orphans kept and listed."""

import json

import pytest
from django.core.management import CommandError, call_command

from readingroom.annotations.hypothesis import annotations_import_hypothesis, hypothesis_rows
from readingroom.annotations.models import Annotation
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

PAGE = "https://www.kyivpost.com/post/21234"


def row(id, uri, *, exact=None, prefix="", suffix="", start=None, text="", tags=(), references=None):
    """One row as Hypothesis's API and export write it."""
    selectors = [
        {
            "type": "RangeSelector",
            "startContainer": "/div[1]/p[2]",
            "startOffset": 0,
            "endContainer": "/div[1]/p[2]",
            "endOffset": 10,
        }
    ]
    if start is not None:
        selectors.append({"type": "TextPositionSelector", "start": start, "end": start + len(exact or "")})
    if exact is not None:
        selectors.append({"type": "TextQuoteSelector", "exact": exact, "prefix": prefix, "suffix": suffix})
    data = {
        "id": id,
        "created": "2023-09-14T10:02:11.514394+00:00",
        "updated": "2023-09-14T10:02:11.514394+00:00",
        "user": "acct:researcher@hypothes.is",
        "uri": uri,
        "text": text,
        "tags": list(tags),
        "group": "__world__",
        "permissions": {"read": ["group:__world__"], "admin": ["acct:researcher@hypothes.is"]},
        "target": [{"source": uri, "selector": selectors}] if references is None else [{"source": uri}],
        "document": {"title": ["Putin and Kim meet"]},
        "links": {"html": f"https://hypothes.is/a/{id}"},
        "user_info": {"display_name": "A Researcher"},
        "flagged": False,
        "hidden": False,
    }
    if references is not None:
        data["references"] = references
    return data


@pytest.fixture
def documents():
    fetched = make_document(
        paragraphs=[
            "Putin said the talks would cover all the issues.",
            "Kim said the talks would cover all the issues too, and more.",
        ],
        url=PAGE,
    )
    saved = make_document(paragraphs=["A file with no address: the space centre at Vostochny hosted them."])
    return {"fetched": fetched, "saved": saved}


@pytest.fixture
def user():
    return make_user("mover")


def rows_for(documents):
    return [
        # By address (another scheme, no "www.", a fragment), anchored by its suffix among two places.
        row(
            "hA1",
            "http://kyivpost.com/post/21234/#comments",
            exact="the talks would cover all the issues",
            prefix="Kim said ",
            suffix=" too",
            start=3,
            text="The **second** one",
            tags=["claim", "summit"],
        ),
        # No address we know: found by its quote, with the page's line break for our space.
        row("hA2", "https://inkl.com/news/abc", exact="the space centre\nat Vostochny", text="Where"),
        # A reply, and a reply to the reply: both in the thread.
        row("hR1", PAGE, text="I agree", references=["hA1"]),
        row("hR2", PAGE, text="Me too", references=["hA1", "hR1"]),
        # The page has the address but not the quote: an orphan, kept.
        row("hO1", PAGE, exact="a sentence the editors removed later", text="Gone?"),
        # Neither address nor quote: refused, named.
        row("hX1", "https://elsewhere.example/", exact="nothing like this anywhere", text="?"),
        # A reply whose thread is not in the file.
        row("hX2", PAGE, text="Lost reply", references=["not-here"]),
    ]


def test_it_imports_hypothesis_rows_anchoring_replies_and_orphans(documents, user):
    report = annotations_import_hypothesis(rows=hypothesis_rows({"total": 7, "rows": rows_for(documents)}), user=user)

    assert (report.created, report.replies) == (3, 2)
    assert len(report.orphaned) == 1 and "hO1" in report.orphaned[0]
    assert [entry.split(" ")[0] for entry in report.refused] == ["hX1", "hX2"]
    fetched = documents["fetched"]
    second = Annotation.objects.get(via="https://hypothes.is/a/hA1")
    text = fetched.canonical_text
    assert second.document == fetched and second.start == text.index("the talks", text.index("Kim"))
    assert [tag.name for tag in second.ordered_tags()] == ["claim", "summit"] and second.body == "The **second** one"
    assert second.author == user and second.visibility == "private"
    where = Annotation.objects.get(via="https://hypothes.is/a/hA2")
    assert where.document == documents["saved"] and where.exact == "the space centre at Vostochny"
    replies = Annotation.objects.filter(parent=second).order_by("pk")
    assert [reply.body for reply in replies] == ["I agree", "Me too"]
    orphan = Annotation.objects.get(via="https://hypothes.is/a/hO1")
    assert orphan.anchor_state == "orphaned" and orphan.exact == "a sentence the editors removed later"


def test_importing_the_same_file_again_adds_nothing(documents, user):
    annotations_import_hypothesis(rows=rows_for(documents), user=user)
    count = Annotation.objects.count()
    again = annotations_import_hypothesis(rows=rows_for(documents), user=user)
    assert Annotation.objects.count() == count and again.already == 5


def test_the_command_reads_an_export_file_and_reports_what_it_could_not_anchor(documents, user, tmp_path, capsys):
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(rows_for(documents)[:5]))
    call_command("import_hypothesis", str(path), "--user", "mover")
    out = capsys.readouterr().out
    assert "kept as an orphan" in out and "3 annotations (1 of them orphans) and 2 replies imported" in out


def test_the_command_fails_with_the_refused_rows_named(documents, user, tmp_path, capsys):
    path = tmp_path / "hypothesis.json"
    path.write_text(json.dumps(rows_for(documents)))
    with pytest.raises(CommandError, match="2 refused"):
        call_command("import_hypothesis", str(path), "--user", "mover")
    assert "hX1" in capsys.readouterr().err


@pytest.mark.parametrize("content", ["{not json", '"a string"', "{}", '{"rows": 3}'])
def test_the_command_refuses_a_file_that_is_not_hypothesis_json(user, tmp_path, content):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(CommandError):
        call_command("import_hypothesis", str(path), "--user", "mover")


def test_junk_rows_are_refused_not_a_crash(documents, user):
    junk = [
        {"id": 3, "uri": None, "target": "x"},
        {"uri": PAGE, "target": [{"selector": [{"type": "TextQuoteSelector", "exact": 5}]}]},
        {"uri": PAGE, "tags": "not a list", "references": "x", "target": [None, {"selector": None}]},
    ]
    report = annotations_import_hypothesis(rows=hypothesis_rows(junk), user=user)
    assert report.created == len(report.orphaned) and not Annotation.objects.filter(anchor_state="anchored").exists()


def test_the_account_page_imports_an_uploaded_file_and_lists_what_it_could_not_anchor(documents, user, client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(user)
    upload = SimpleUploadedFile("hypothesis.json", json.dumps(rows_for(documents)).encode(), "application/json")
    response = client.post("/accounts/hypothesis/", {"file": upload})
    page = response.content.decode()
    assert response.status_code == 200 and "3 annotations (1 kept as orphan) and 2 replies imported" in page
    assert "hO1" in page and "hX1" in page
    assert Annotation.objects.filter(author=user).count() == 5
    bad = client.post("/accounts/hypothesis/", {"file": SimpleUploadedFile("x.json", b"{nope")})
    assert bad.status_code == 400 and "not JSON" in bad.content.decode()
    assert client.get("/accounts/hypothesis/").status_code == 405
    client.logout()
    assert client.post("/accounts/hypothesis/", {}).status_code == 302
