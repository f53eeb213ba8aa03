"""brat standoff export (/annotations/export/brat.zip) and import (``import_brat``): a document's
or a session's annotations as .txt/.ann pairs, and back through the same checks."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from readingroom.annotations.brat import annotations_import_brat, brat_ann, brat_spans
from readingroom.annotations.models import Annotation, Visibility
from readingroom.annotations.sessions import session_start
from readingroom.annotations.tokens import api_token_create
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def document():
    return make_document(paragraphs=["Putin and Kim met in Vostochny 🚀.", "They talked about all the issues."])


@pytest.fixture
def author():
    return make_user("author")


def unzip(response) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def test_a_documents_annotations_export_as_a_brat_pair(author, document):
    text = document.canonical_text
    make_annotation(
        user=author,
        document=document,
        quote="Vostochny 🚀",
        tag_names=["place", "summit site"],
        body="Far *east*\nof Russia",
    )
    make_annotation(user=author, document=document, quote="Putin", visibility=Visibility.PUBLIC)
    across = text.index("Vostochny")
    Annotation.objects.create(
        document=document,
        author=author,
        start=across,
        end=text.index("They") + 4,
        exact=text[across : text.index("They") + 4],
    )
    client = Client()
    client.force_login(author)
    response = client.get(f"/annotations/export/brat.zip?document={document.pk}")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    files = unzip(response)
    assert files[f"document-{document.pk}/{document.pk}.txt"] == text
    ann = files[f"document-{document.pk}/{document.pk}.ann"].splitlines()
    start = text.index("Putin")
    assert ann[0] == f"T1\tNote {start} {start + 5}\tPutin"
    vostochny = text.index("Vostochny 🚀")
    assert f"T2\tplace {vostochny} {vostochny + 11}\tVostochny 🚀" in ann  # code points, as brat counts
    assert "A1\tTag T2 summit_site" in ann and "#1\tAnnotatorNotes T2\tFar *east* of Russia" in ann
    fragments = next(line for line in ann if line.startswith("T3"))
    assert ";" in fragments.split("\t")[1]  # across a line break: two fragments


def test_it_round_trips_through_the_importer(author, document):
    make_annotation(
        user=author, document=document, quote="all the issues", tag_names=["claim", "quote"], body="Said twice"
    )
    make_annotation(user=author, document=document, quote="Kim")
    ann = brat_ann(Annotation.objects.prefetch_related("tags").order_by("start"), text=document.canonical_text)
    other = make_user("other")
    report = annotations_import_brat(document=document, ann=ann, user=other)
    assert report.created == 2 and report.refused == []
    copies = {
        (a.start, a.end, tuple(t.name for t in a.ordered_tags()), a.body)
        for a in Annotation.objects.filter(author=other)
    }
    originals = {
        (a.start, a.end, tuple(t.name for t in a.ordered_tags()), a.body)
        for a in Annotation.objects.filter(author=author)
    }
    assert copies == originals


def test_the_importer_names_lines_it_cannot_keep(document, author, tmp_path):
    ann = "T1\tclaim 0 5\tPutin\nT2\tclaim 5 99999\tx\nR1\tCause Arg1:T1 Arg2:T1\nT3\tclaim x y\tz\n"
    spans, problems = brat_spans(ann, text=document.canonical_text)
    assert len(spans) == 1 and len(problems) == 3
    path = tmp_path / "a.ann"
    path.write_text(ann)
    with pytest.raises(CommandError, match="1 annotations imported, 3 lines refused"):
        call_command("import_brat", str(document.pk), str(path), "--user", "author")
    assert Annotation.objects.filter(author=author).count() == 1


def test_only_what_you_can_see_is_exported(author, document):
    make_annotation(user=author, document=document, quote="Putin", body="private note")
    outsider = Client()
    outsider.force_login(make_user())
    files = unzip(outsider.get(f"/annotations/export/brat.zip?document={document.pk}"))
    assert "private note" not in "".join(files.values())


def test_a_sessions_export_needs_membership_and_works_with_a_token(author, document):
    session = session_start(user=author, title="Desk", documents=[document])
    make_annotation(
        user=author, document=document, quote="Kim", session=session, visibility=Visibility.SESSION, body="in session"
    )
    _, raw = api_token_create(user=author, name="tool", scope="read")
    response = Client().get(
        f"/annotations/export/brat.zip?session={session.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 200 and "in session" in "".join(unzip(response).values())
    outsider = Client()
    outsider.force_login(make_user())
    assert outsider.get(f"/annotations/export/brat.zip?session={session.pk}").status_code == 404
    assert outsider.get("/annotations/export/brat.zip").status_code == 400
    assert outsider.get("/annotations/export/brat.zip?document=99999999").status_code == 404
    assert outsider.post("/annotations/export/brat.zip").status_code in (403, 405)
