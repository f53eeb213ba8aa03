"""The importer on the real seed articles and on the files people get wrong."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readingroom.library.importing import document_import, documents_import_paths
from readingroom.library.models import Document, Source
from readingroom.text import cleaning

pytestmark = pytest.mark.django_db

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeds(monkeypatch):
    # "Wednesday, Sept. 13" is read as the latest such date: pin "today" so the test does not
    # change its answer in 2028, the next year in which 13 September is a Wednesday.
    monkeypatch.setattr(cleaning, "current_date", lambda: date(2026, 11, 23))
    results = documents_import_paths(paths=[SEEDS])
    assert [r.status for r in results] == ["imported"] * 5, [r.message for r in results]
    return {Path(r.document.original_filename).stem[:3]: r.document for r in results}


def test_it_imports_the_five_seeds_under_their_publications(seeds):
    assert seeds["000"].source.name == "BBC News"
    assert seeds["001"].source.name == "Kyiv Post"
    assert seeds["003"].source.name == "Kyiv Post"
    assert seeds["004"].source.name == "The Guardian"
    assert seeds["002"].source.name == "Unknown source"


def test_it_finds_the_metadata_the_files_hold(seeds):
    guardian = seeds["004"]
    assert guardian.title == "Kim Jong-un offers Putin ‘full support’ in Russia’s ‘sacred fight’ with west"
    assert guardian.byline == "Justin McCurry and Andrew Roth"
    bbc = seeds["000"]
    assert bbc.byline == "Victoria Lindrea and Tarik Habte"
    assert bbc.published_at == datetime(2023, 9, 13, 14, 6, tzinfo=UTC)
    assert seeds["001"].published_at.date().isoformat() == "2023-09-13"


@pytest.mark.parametrize(
    "seed, junk",
    [
        ("001", "Other Topics of Interest"),
        ("001", "SBU Drones Hit Oil Depot"),
        ("001", "Sources told Kyiv Post"),
        ("001", "To suggest a correction or clarification"),
        ("001", "Ctrl + Enter"),
        ("003", "Other Topics of Interest"),
        ("003", "Ctrl + Enter"),
        ("004", "Get all your news in one place"),
        ("004", "Sign up to read this article"),
        ("004", "Related Stories"),
        ("004", "Top stories on inkl right now"),
        ("004", "Fourteen days free"),
        ("004", "Photograph: Sputnik/Reuters"),
        ("000", "Image source,"),
        ("000", "Image caption,"),
        ("000", "Media caption,"),
    ],
)
def test_it_removes_page_furniture(seeds, seed, junk):
    assert junk not in seeds[seed].canonical_text


@pytest.mark.parametrize(
    "seed, sentence",
    [
        ("001", "We'll talk about all the issues, without haste. There is time"),
        ("001", "Russia's important ties to Seoul will be dealt irreparable damage."),
        ("002", "where we can create a very good logistics triangle"),
        ("003", "An old friend is better than two new ones."),
        ("003", "Here are the main takeaways"),
        ("004", "We’ll talk about all the issues, without rushing. There is time"),
        ("004", "not just one shipment but a lot of shipments"),
        ("000", "This wraps up our coverage of the Putin-Kim summit for today."),
        ("000", "Komsomolsk-on-Amur - an important industrial centre in the Russian far east."),
    ],
)
def test_it_keeps_the_article_text(seeds, seed, sentence):
    assert sentence in seeds[seed].canonical_text


def test_paragraph_offsets_point_into_the_canonical_text(seeds):
    for document in seeds.values():
        blocks = list(document.text_blocks())
        assert len(blocks) > 5
        for block in blocks:
            assert block.text == document.canonical_text[block.start : block.end]
            assert block.text.strip() == block.text and block.text
        assert document.word_count == len(document.canonical_text.split())


def test_the_live_page_keeps_its_entries_as_timed_sections(seeds):
    headings = [b for b in seeds["000"].text_blocks() if b.kind == "heading" and b.published_at]
    assert len(headings) == 20
    assert headings[0].text == "Our journey ends while Kim's trip continues"
    assert headings[0].published_at == datetime(2023, 9, 13, 14, 6, tzinfo=UTC)


def test_importing_again_adds_nothing(seeds):
    results = documents_import_paths(paths=[SEEDS])
    assert [r.status for r in results] == ["duplicate"] * 5
    assert Document.objects.count() == 5


def test_the_command_imports_a_folder_and_is_idempotent(capsys):
    call_command("import_documents", str(SEEDS))
    call_command("import_documents", str(SEEDS))
    out = capsys.readouterr().out
    assert "[5/5]" in out
    assert "5 imported, 0 already there, 0 failed" in out
    assert "0 imported, 5 already there, 0 failed" in out
    assert Document.objects.count() == 5


def test_the_command_reports_bad_files_imports_the_rest_and_fails(tmp_path, capsys, settings):
    settings.READINGROOM_MAX_IMPORT_BYTES = 10_000
    (tmp_path / "good.txt").write_text("A perfectly ordinary paragraph about the summit.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "image.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4)
    (tmp_path / "huge.txt").write_bytes(b"word " * 5_000)
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4")

    with pytest.raises(CommandError, match="1 imported, 0 already there, 3 failed") as failure:
        call_command("import_documents", str(tmp_path), "--source", "Reuters")

    out = capsys.readouterr().out
    for message in (
        "“empty.txt” is empty",
        "“image.txt” is a binary file",
        "“huge.txt” is too large (24 KB; the limit is 10 KB)",
    ):
        assert message in out and message in str(failure.value)
    assert "[4/4]" in out
    assert "“scan.pdf” skipped: not a .txt, .md or .html file" in out
    assert list(Document.objects.values_list("original_filename", flat=True)) == ["good.txt"]


def test_it_reads_latin1_and_utf16_files():
    latin1 = document_import(data="Café summit in Vladivostok, said Peskov.\n".encode("latin-1"), filename="a.txt")
    utf16 = document_import(data="Встреча — “summit” in Vostochny.\n".encode("utf-16"), filename="b.txt")
    assert latin1.status == "imported" and "Café summit" in latin1.document.canonical_text
    assert utf16.status == "imported" and "Встреча — “summit”" in utf16.document.canonical_text


def test_it_reads_windows_1252_curly_quotes_and_euro_signs():
    data = "He said “we will win” — it cost €5 million, Peskov’s office said.\n".encode("cp1252")
    result = document_import(data=data, filename="w.txt")
    assert result.status == "imported", result.message
    assert "He said “we will win” — it cost €5 million, Peskov’s office said." in result.document.canonical_text


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_it_reads_utf16_without_a_byte_order_mark(encoding):
    text = "Kim Jong Un left Vladivostok — “a great victory”, he said.\n"
    result = document_import(data=text.encode(encoding), filename=f"{encoding}.txt")
    assert result.status == "imported", result.message
    assert text.strip() in result.document.canonical_text


def test_it_refuses_a_file_it_cannot_read_without_storing_anything():
    result = document_import(data=b"\x00\x01\x02\x03" * 100, filename="blob.txt")
    assert result.status == "error" and "binary" in result.message
    assert not Document.objects.exists() and not Source.objects.filter(name="Unknown source").exists()


def test_it_takes_the_text_of_an_html_page_and_never_its_scripts():
    html = b"""<html><head><title>Summit ends - Example News</title>
    <meta property="og:site_name" content="Example News"></head><body>
    <nav>Home | World | Sign in</nav>
    <article><h1>Summit ends in Vostochny</h1>
    <p>Kim Jong Un left the Vostochny Cosmodrome on his armoured train after talks with Vladimir Putin.</p>
    <p>The two leaders discussed military cooperation, according to the Kremlin.</p>
    <script>alert('x')</script><img src=x onerror="alert(1)"></article></body></html>"""
    result = document_import(data=html, filename="summit.html")
    assert result.status == "imported", result.message
    text = result.document.canonical_text
    assert "Kim Jong Un left the Vostochny Cosmodrome" in text
    assert "alert" not in text and "<" not in text
    assert result.document.source.name == "Example News"


def test_it_takes_the_date_of_an_html_page():
    html = b"""<html><head><title>Summit</title>
    <meta property="article:published_time" content="2023-09-13T10:00:00Z"></head><body><article>
    <p>Kim Jong Un left the Vostochny Cosmodrome on his armoured train after talks with Vladimir Putin.</p>
    <p>The two leaders discussed military cooperation, according to the Kremlin spokesman.</p>
    </article></body></html>"""
    result = document_import(data=html, filename="dated.html")
    assert result.document.published_at == datetime(2023, 9, 13, tzinfo=UTC)


def test_a_new_source_named_on_the_command_line_is_not_left_empty(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    with pytest.raises(CommandError):
        call_command("import_documents", str(tmp_path / "empty.txt"), "--source", "Nobody")
    assert not Source.objects.filter(name="Nobody").exists()


def test_it_files_a_document_under_the_source_it_is_told():
    source = Source.objects.create(name="Reuters")
    result = document_import(data=b"Putin met Kim at the cosmodrome.\n", filename="r.txt", source=source)
    assert result.document.source == source


def test_a_markdown_file_keeps_its_headings_and_loses_its_syntax():
    data = b"# Summit ends\n\nKim met **Putin** at the [cosmodrome](https://example.com).\n\n## Talks\n\nThey talked.\n"
    document = document_import(data=data, filename="summit.md").document
    # The first heading is the title, shown in the header; the others stay headings in the text.
    assert document.title == "Summit ends"
    assert [(b.kind, b.text) for b in document.text_blocks()] == [
        ("paragraph", "Kim met Putin at the cosmodrome."),
        ("heading", "Talks"),
        ("paragraph", "They talked."),
    ]


def test_a_fifty_megabyte_file_is_refused_without_being_read(tmp_path, capsys, monkeypatch):
    big = tmp_path / "huge-article.txt"
    with big.open("wb") as file:
        file.truncate(50 * 1024 * 1024)  # a sparse 50 MB file: costs no disk, reads as NULs
    (tmp_path / "fine.txt").write_text("Kim left Vladivostok by train on Thursday.\n", encoding="utf-8")
    read = []
    original_fdopen = os.fdopen

    class Spy:
        def __init__(self, file):
            self.file = file

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

        def fileno(self):
            return self.file.fileno()

        def read(self, *args):
            data = self.file.read(*args)
            read.append(data[:10])
            return data

    monkeypatch.setattr(os, "fdopen", lambda fd, *args, **kwargs: Spy(original_fdopen(fd, *args, **kwargs)))

    with pytest.raises(CommandError, match="1 imported, 0 already there, 1 failed"):
        call_command("import_documents", str(tmp_path))

    assert "“huge-article.txt” is too large (50.0 MB; the limit is 5.0 MB)" in capsys.readouterr().out
    assert read == [b"Kim left V"]  # only the small file was read


def test_it_refuses_a_link_in_a_folder_and_never_serves_what_it_points_to(tmp_path, capsys, client):
    secret = tmp_path / "outside" / "passwords.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0:the secret the link points to\n", encoding="utf-8")
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "real.txt").write_text("Kim left Vladivostok by train on Thursday.\n", encoding="utf-8")
    (folder / "passwd.txt").symlink_to(secret)
    (folder / "linked-folder").symlink_to(secret.parent, target_is_directory=True)

    with pytest.raises(CommandError, match="1 imported, 0 already there, 2 failed") as failure:
        call_command("import_documents", str(folder))

    assert "passwd.txt” is a symbolic link: not imported" in str(failure.value)
    assert "linked-folder” is a symbolic link: not imported" in str(failure.value)
    assert list(Document.objects.values_list("original_filename", flat=True)) == ["real.txt"]
    assert not Document.objects.filter(canonical_text__contains="secret").exists()
    document = Document.objects.get()
    assert "secret" not in client.get(f"/documents/{document.pk}.txt").content.decode()


def test_it_refuses_a_link_named_on_the_command_line(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret the link points to\n", encoding="utf-8")
    (tmp_path / "article.txt").symlink_to(secret)

    with pytest.raises(CommandError, match="is a symbolic link"):
        call_command("import_documents", str(tmp_path / "article.txt"))
    assert not Document.objects.exists()


def test_a_file_swapped_for_a_link_after_listing_is_not_read(tmp_path, monkeypatch):
    from readingroom.library import importing

    secret = tmp_path / "secret.txt"
    secret.write_text("the secret the link points to\n", encoding="utf-8")
    article = tmp_path / "article.txt"
    article.write_text("An ordinary article.\n", encoding="utf-8")
    listed = importing.expand_paths

    def list_then_swap(paths):
        files, errors = listed(paths)
        article.unlink()
        article.symlink_to(secret)
        return files, errors

    monkeypatch.setattr(importing, "expand_paths", list_then_swap)
    [result] = documents_import_paths(paths=[article])
    assert result.status == "error" and "symbolic link" in result.message
    assert not Document.objects.exists()


def test_a_named_pipe_in_a_folder_is_refused_without_blocking(tmp_path):
    (tmp_path / "article.txt").write_text("An ordinary article about the summit.\n", encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    results = documents_import_paths(paths=[tmp_path])
    by_name = {result.name: result for result in results}
    assert by_name["article.txt"].status == "imported"
    assert by_name["pipe.txt"].status == "error" and "not a regular file" in by_name["pipe.txt"].message


def test_a_stray_nul_is_dropped_so_the_text_fits_any_database():
    result = document_import(data=b"\xef\xbb\xbfKim arrived.\x00 The train left.\n", filename="nul.txt")
    assert result.status == "imported", result.message
    assert "\x00" not in result.document.raw_text and "\x00" not in result.document.canonical_text
    assert "Kim arrived. The train left." in result.document.canonical_text
