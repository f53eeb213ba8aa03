"""WebAnno TSV 3.3 export (/annotations/export/webanno.zip) and import (``import_webanno``): a
document's or a session's annotations for INCEpTION, and back through the same checks."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from readingroom.annotations.models import Annotation, Tag, Visibility
from readingroom.annotations.services import annotation_create
from readingroom.annotations.sessions import session_join, session_start
from readingroom.annotations.tokens import api_token_create, api_token_revoke
from readingroom.annotations.webanno import LAYER, webanno_spans, webanno_tsv
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_highlight_cache():
    # The document's container is cached under its highlight version; a rolled-back test leaves
    # ids and versions for the next one to reuse.
    from django.core.cache import caches

    caches["highlights"].clear()


@pytest.fixture
def document():
    return make_document(
        paragraphs=[
            "Putin and Kim met in Vostochny 🚀. They spoke [at length] about_all *the* issues; a->b.",
            "Kim left by train. Putin said: “No haste.”",
        ]
    )


@pytest.fixture
def author():
    return make_user("author")


def unzip(response) -> dict[str, str]:
    assert response.status_code == 200, response.content
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


def annotate(document, user, start: int, end: int, **fields) -> Annotation:
    text = document.canonical_text
    return annotation_create(user=user, document=document, start=start, end=end, exact=text[start:end], **fields)


def a_curated_set(document, user, session=None) -> None:
    """Annotations a user would tell apart: stacked, overlapping, across sentences and paragraphs,
    starting with white space, with emoji, Markdown and the format's own special characters."""
    text = document.canonical_text
    extra = {"session": session} if session is not None else {}
    make_annotation(
        user=user,
        document=document,
        quote="Putin",
        tag_names=["person", "head of state"],
        body="**Leader**\nof Russia | [1]; *see* a->b \\ end",
        **extra,
    )
    make_annotation(user=user, document=document, quote="Putin", tag_names=["speaker"], **extra)  # stacked
    make_annotation(user=user, document=document, quote="Putin and Kim", body="both", **extra)  # overlapping
    rocket = text.index("Vostochny 🚀")
    annotate(document, user, rocket, rocket + 11, tag_names=["place"], **extra)
    across = text.index("🚀. They")
    annotate(document, user, across - 1, across + 8, tag_names=["across"], body="a sentence end", **extra)
    annotate(document, user, text.index("issues"), text.index("by train"), tag_names=["paragraphs"], **extra)
    make_annotation(user=user, document=document, quote="[at length]", tag_names=["_", "*"], **extra)
    make_annotation(user=user, document=document, quote="about_all", **extra)  # no tag, no comment
    make_annotation(user=user, document=document, quote="“No haste.”", body="Quoted", **extra)


def what_a_user_sees(client, document) -> set[tuple]:
    """Each annotation of the document as the API describes it: its passage, tags and comment."""
    page = client.get(f"/annotations/?document={document.pk}").json().get("first", {"items": []})
    seen = set()
    for item in page["items"]:
        selectors = {selector["type"]: selector for selector in item["target"]["selector"]}
        position = selectors["TextPositionSelector"]
        tags = tuple(body["value"] for body in item["body"] if body["purpose"] == "tagging")
        comment = next((body["value"] for body in item["body"] if body["purpose"] == "commenting"), "")
        seen.add((position["start"], position["end"], selectors["TextQuoteSelector"]["exact"], tags, comment))
    return seen


def test_a_documents_annotations_export_as_webanno_tsv(author, document):
    text = document.canonical_text
    make_annotation(user=author, document=document, quote="Vostochny 🚀", tag_names=["place"])
    make_annotation(user=author, document=document, quote="Kim", body="Far *east*\nof Russia")
    client = Client()
    client.force_login(author)
    response = client.get(f"/annotations/export/webanno.zip?document={document.pk}")
    assert response["Content-Type"] == "application/zip"
    assert f'filename="document-{document.pk}-webanno.zip"' in response["Content-Disposition"]
    tsv = unzip(response)[f"document-{document.pk}/{document.pk}.tsv"]
    lines = tsv.splitlines()
    assert lines[:4] == ["#FORMAT=WebAnno TSV 3.3", f"#T_SP={LAYER}|tags|comment", "", ""]
    assert lines[4].startswith("#Text=Putin and Kim met in Vostochny 🚀.")
    kim = text.index("Kim")
    assert f"1-3\t{kim}-{kim + 3}\tKim\t*\tFar \\*east\\*\\nof Russia\t" in lines  # escaped, one line
    rocket = text.index("🚀")  # counted in UTF-16 code units, as INCEpTION counts: two for an emoji
    assert f"1-7\t{rocket}-{rocket + 2}\t🚀\tplace[1]\t*[1]\t" in lines
    assert f"1-8\t{rocket + 2}-{rocket + 3}\t.\t_\t_\t" in lines  # everything after it one further on
    assert any(line.startswith("#Text=Kim left by train.") for line in lines)  # a sentence a line break ends


def test_it_round_trips_into_an_empty_library_with_the_same_documents(author, document, tmp_path):
    a_curated_set(document, author)
    client = Client()
    client.force_login(author)
    before = what_a_user_sees(client, document)
    assert len(before) == 9
    (tmp_path / "export.tsv").write_text(
        unzip(client.get(f"/annotations/export/webanno.zip?document={document.pk}"))[
            f"document-{document.pk}/{document.pk}.tsv"
        ],
        encoding="utf-8",
    )
    Annotation.objects.all().delete()
    Tag.objects.all().delete()
    assert what_a_user_sees(client, document) == set()
    call_command("import_webanno", str(document.pk), str(tmp_path / "export.tsv"), "--user", "author")
    assert what_a_user_sees(client, document) == before
    assert set(Annotation.objects.values_list("visibility", flat=True)) == {Visibility.PRIVATE}


def test_a_sessions_annotations_round_trip_for_each_of_its_documents(author, document, tmp_path):
    other = make_document(paragraphs=["Kim Jong Un arrived by armoured train.", "It took days."])
    session = session_start(user=author, title="Desk", documents=[document, other])
    a_curated_set(document, author, session=session)
    make_annotation(user=author, document=other, quote="armoured train", tag_names=["vehicle"], session=session)
    make_annotation(user=author, document=other, quote="days", body="not in the session")  # outside it
    client = Client()
    client.force_login(author)
    files = unzip(client.get(f"/annotations/export/webanno.zip?session={session.pk}"))
    assert sorted(files) == sorted(f"session-{session.pk}/{d.pk}.tsv" for d in (document, other))
    assert "not in the session" not in "".join(files.values())
    before = {d.pk: what_a_user_sees(client, d) for d in (document, other)}
    Annotation.objects.all().delete()
    Tag.objects.all().delete()
    for d in (document, other):
        path = tmp_path / f"{d.pk}.tsv"
        path.write_text(files[f"session-{session.pk}/{d.pk}.tsv"], encoding="utf-8")
        call_command("import_webanno", str(d.pk), str(path), "--user", "author", "--visibility", "public")
    after = {d.pk: what_a_user_sees(client, d) for d in (document, other)}
    assert after[document.pk] == before[document.pk]
    assert after[other.pk] == {a for a in before[other.pk] if a[4] != "not in the session"}


def test_it_reads_a_file_inception_wrote_with_other_layers(document):
    """Another span layer's values become tags; a relation layer is named and skipped; lines
    without the closing tab are read too."""
    text = document.canonical_text
    putin, kim = text.index("Putin"), text.index("Kim")
    tsv = "\n".join(
        [
            "#FORMAT=WebAnno TSV 3.3",
            "#T_SP=de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity|identifier|value",
            f"#T_SP={LAYER}|tags|comment",
            "#T_RL=webanno.custom.Link|label|BT_de.tudarmstadt.ukp.dkpro.core.api.ner.type.NamedEntity",
            "",
            "",
            "#Text=Putin and Kim",
            f"1-1\t{putin}-{putin + 5}\tPutin\t*\tPER\tclaim, quote\tA \\| note\\nhere\t_\t_",
            f"1-2\t{putin + 6}-{putin + 9}\tand\t_\t_\t_\t_\t_\t_",
            f"1-3\t{kim}-{kim + 3}\tKim\t_\t_\t*[7]|met[8]\t*[7]|*[8]\tmeets\t1-1",
            "",
        ]
    )
    spans, problems = webanno_spans(tsv, text=text)
    found = {(s.start, s.end, tuple(s.tags), s.comment) for s in spans}
    assert found == {
        (putin, putin + 5, ("PER",), ""),
        (putin, putin + 5, ("claim", "quote"), "A | note\nhere"),
        (kim, kim + 3, (), ""),
        (kim, kim + 3, ("met",), ""),
    }
    assert problems == ["1 tokens of webanno.custom.Link, a relation or chain layer we have no place for, skipped"]


def test_a_file_for_another_text_is_refused_by_name(author, document, tmp_path):
    other = make_document(paragraphs=["Quite another article, about the weather."])
    make_annotation(user=author, document=other, quote="weather", tag_names=["topic"])
    path = tmp_path / "other.tsv"
    path.write_text(webanno_tsv(Annotation.objects.all(), text=other.canonical_text), encoding="utf-8")
    Annotation.objects.all().delete()
    with pytest.raises(CommandError, match="0 annotations imported"):
        call_command("import_webanno", str(document.pk), str(path), "--user", "author")
    assert not Annotation.objects.exists()


@pytest.mark.parametrize(
    "contents",
    [
        "",
        "not a tsv at all",
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=x|y\n\n\n#Text=a\n1-1\t99999-100000\tPutin\tz\t\n",
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=x|y\n\n\n#Text=a\nnonsense line\n1-1\tx-y\tPutin\tz\n",
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=x|y|z\n\n\n#Text=a\n1-1\t0-5\tPutin\ta|b\tc\t\n",
        "#FORMAT=WebAnno TSV 3.3\n#T_SP=x|y\n\n\n#Text=a\n1-1\t1-0\tPutin\tz\t\n",
    ],
)
def test_junk_files_are_command_errors_never_a_traceback(author, document, tmp_path, contents):
    path = tmp_path / "junk.tsv"
    path.write_text(contents, encoding="utf-8")
    with pytest.raises(CommandError, match="0 annotations imported"):
        call_command("import_webanno", str(document.pk), str(path), "--user", "author")


def test_the_command_names_a_missing_file_user_or_document(author, document, tmp_path):
    binary = tmp_path / "binary.tsv"
    binary.write_bytes(b"\xff\xfe\x00\x81")
    for arguments, message in [
        ([str(document.pk), str(tmp_path / "missing.tsv"), "--user", "author"], "Could not read"),
        ([str(document.pk), str(binary), "--user", "author"], "Could not read"),
        ([str(document.pk), str(binary), "--user", "nobody"], "No user named"),
        (["99999999", str(binary), "--user", "author"], "No document"),
        (["x", str(binary), "--user", "author"], "No document"),
    ]:
        with pytest.raises(CommandError, match=message):
            call_command("import_webanno", *arguments)


def test_only_what_you_can_see_is_exported(author, document):
    make_annotation(user=author, document=document, quote="Putin", body="private note")
    make_annotation(user=author, document=document, quote="Kim", body="public note", visibility=Visibility.PUBLIC)
    outsider = Client()
    outsider.force_login(make_user())
    tsv = "".join(unzip(outsider.get(f"/annotations/export/webanno.zip?document={document.pk}")).values())
    assert "private note" not in tsv and "public note" in tsv
    signed_out = "".join(unzip(Client().get(f"/annotations/export/webanno.zip?document={document.pk}")).values())
    assert "private note" not in signed_out and "public note" in signed_out


def test_a_token_exports_what_its_user_may_see_and_stops_when_revoked(author, document):
    session = session_start(user=author, title="Desk", documents=[document])
    member, outsider = make_user("member"), make_user("outsider")
    session_join(session=session, user=member)
    make_annotation(
        user=author, document=document, quote="Kim", session=session, visibility=Visibility.SESSION, body="in session"
    )
    member_token, member_raw = api_token_create(user=member, name="tool", scope="read")
    _, outsider_raw = api_token_create(user=outsider, name="tool", scope="read")
    url = f"/annotations/export/webanno.zip?session={session.pk}"
    client = Client()
    assert "in session" in "".join(unzip(client.get(url, headers={"Authorization": f"Bearer {member_raw}"})).values())
    # A user who may not see it: the session is not theirs (404), the document has nothing of it.
    assert client.get(url, headers={"Authorization": f"Bearer {outsider_raw}"}).status_code == 404
    by_document = client.get(
        f"/annotations/export/webanno.zip?document={document.pk}", headers={"Authorization": f"Bearer {outsider_raw}"}
    )
    assert "in session" not in "".join(unzip(by_document).values())
    api_token_revoke(user=member, token_id=member_token.pk)
    revoked = client.get(url, headers={"Authorization": f"Bearer {member_raw}"})
    assert revoked.status_code == 401 and revoked["Content-Type"] == "application/problem+json"


def test_a_deleted_documents_text_is_not_exported(author, document):
    from django.utils import timezone

    document.deleted_at = timezone.now()
    document.save(update_fields=["deleted_at"])
    client = Client()
    client.force_login(author)
    assert client.get(f"/annotations/export/webanno.zip?document={document.pk}").status_code == 404
    assert client.get(f"/annotations/export/brat.zip?document={document.pk}").status_code == 404


@pytest.mark.parametrize("query", ["", "?document=abc", "?document=-1", "?session=x", "?document=" + "9" * 40])
def test_bad_queries_are_4xx_problems(author, query):
    client = Client()
    client.force_login(author)
    response = client.get(f"/annotations/export/webanno.zip{query}")
    assert response.status_code in (400, 404) and response["Content-Type"] == "application/problem+json"


def test_other_methods_are_refused(author, document):
    client = Client()
    client.force_login(author)
    assert client.post(f"/annotations/export/webanno.zip?document={document.pk}").status_code in (403, 405)
    _, raw = api_token_create(user=author, name="tool", scope="write")
    response = Client().delete(
        f"/annotations/export/webanno.zip?document={document.pk}", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 405 and response["Allow"] == "GET, HEAD"


def test_a_page_on_an_allowed_origin_fetches_the_export_with_a_token(author, document, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://tool.example.org"]
    _, raw = api_token_create(user=author, name="tool", scope="read")
    response = Client().get(
        f"/annotations/export/webanno.zip?document={document.pk}",
        headers={"Authorization": f"Bearer {raw}", "Origin": "https://tool.example.org"},
    )
    assert response.status_code == 200 and response["Access-Control-Allow-Origin"] == "https://tool.example.org"
    assert "Access-Control-Allow-Credentials" not in response
