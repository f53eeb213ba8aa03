"""Importing from the web: pasted addresses and feeds, fetched by the job from a server on this
machine (READINGROOM_FETCH_PRIVATE on, as an intranet install would set it), a page fetched again
becoming a new revision, and the limits that keep fetching safe."""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse

from readingroom.annotations.models import Annotation
from readingroom.library.fetching import fetch
from readingroom.library.importing import ImportRefused
from readingroom.library.jobs import import_job_create, job_files_from_urls
from readingroom.library.models import Document, DocumentRevision, Feed, ImportItem, ImportJob
from readingroom.reader.jobs import import_job_run
from tests.factories import make_annotation, make_source

pytestmark = pytest.mark.django_db

ARTICLE = """<html><head><title>Harbour reopens after the storm</title>
<meta property="og:site_name" content="Coast Courier"></head><body><article>
<h1>Harbour reopens after the storm</h1>
<p>The harbour at Port Ellery reopened on Monday after a week of repairs to the sea wall, the
harbour master said.</p>
<p>Fishing boats returned to their moorings by the afternoon, and the ferry to the islands will
run again from Wednesday.</p>
<p>Engineers said the new wall would withstand a storm twice as strong as last week's.</p>
</article></body></html>"""


class Site:
    """Pages by path: (status, headers, body, seconds to wait before answering)."""

    def __init__(self) -> None:
        self.pages: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []

    def page(self, path: str, body: str | bytes, *, status: int = 200, delay: float = 0.0, **headers: str) -> None:
        data = body.encode() if isinstance(body, str) else body
        self.pages[path] = (status, {"Content-Type": "text/html; charset=utf-8", **headers}, data, delay)


@pytest.fixture
def site(settings):
    settings.READINGROOM_FETCH_PRIVATE = True
    pages = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (the standard library's name)
            pages.requests.append((self.path, dict(self.headers)))
            status, headers, body, delay = pages.pages.get(self.path, (404, {}, b"not here", 0.0))
            if delay:
                time.sleep(delay)
            if "ETag" in headers and self.headers.get("If-None-Match") == headers["ETag"]:
                status, body = 304, b""
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    class Server(ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            pass  # a client that gave up waiting (the timeout test) is no error of the site's

    server = Server(("127.0.0.1", 0), Handler)
    # A short poll: shutting down waits for it, at the end of every test.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    pages.base = f"http://127.0.0.1:{server.server_address[1]}"  # type: ignore[attr-defined]
    yield pages
    server.shutdown()
    server.server_close()


def _import(*urls: str) -> ImportJob:
    job = import_job_create(files=job_files_from_urls("\n".join(urls)))
    import_job_run(job_id=job.pk)
    job.refresh_from_db()
    return job


def test_a_pasted_address_is_fetched_and_imported_with_its_metadata(site, remembered_spans):
    site.page("/harbour", ARTICLE)
    job = _import(f"{site.base}/harbour")
    document = Document.objects.get()
    assert document.title == "Harbour reopens after the storm"
    assert document.source.name == "Coast Courier"
    assert document.url == f"{site.base}/harbour"
    assert "sea wall" in document.canonical_text
    assert ImportItem.objects.get(job=job).status == "imported"
    # It says who it is.
    assert site.requests[0][1]["User-Agent"].startswith("ReadingRoom/")


def test_pasting_in_the_admin_queues_the_pages_with_the_files(client, site, django_user_model, remembered_spans):
    site.page("/harbour", ARTICLE)
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase"))
    response = client.post(
        reverse("admin:library_document_import"),
        {"urls": f"{site.base}/harbour\nnot-an-address\n{site.base}/missing"},
        follow=True,
    )
    html = response.content.decode()
    assert "3 of 3 files done" in html and "1 imported, 0 already there, 2 failed" in html
    assert "“not-an-address” is not a web address" in html
    assert f"{site.base}/missing answered 404 Not Found" in html
    assert Document.objects.count() == 1


def test_a_page_fetched_again_whose_text_changed_is_a_new_revision(site, remembered_spans):
    site.page("/harbour", ARTICLE)
    _import(f"{site.base}/harbour")
    document = Document.objects.get()
    note = make_annotation(document=document, quote="the ferry to the islands")

    site.page("/harbour", ARTICLE.replace("from Wednesday", "from Thursday, a day later than planned"))
    job = _import(f"{site.base}/harbour")
    document.refresh_from_db()
    assert Document.objects.count() == 1 and document.revision == 2
    assert "a day later than planned" in document.canonical_text
    (revision,) = DocumentRevision.objects.filter(document=document)
    assert revision.number == 1 and "from Wednesday" in revision.canonical_text and revision.replaced_by == "fetch"
    item = ImportItem.objects.get(job=job)
    assert item.status == "revised" and "revision 2" in item.message
    # The annotation followed its words into the new revision.
    note = Annotation.objects.get(pk=note.pk)
    assert document.canonical_text[note.start : note.end] == "the ferry to the islands"

    # Fetched again unchanged: nothing new.
    job = _import(f"{site.base}/harbour")
    assert ImportItem.objects.get(job=job).status == "duplicate"
    assert DocumentRevision.objects.count() == 1


def test_the_reader_shows_what_changed_between_revisions(client, site, remembered_spans):
    site.page("/harbour", ARTICLE)
    _import(f"{site.base}/harbour")
    site.page("/harbour", ARTICLE.replace("from Wednesday", "from Thursday"))
    _import(f"{site.base}/harbour")
    document = Document.objects.get()
    html = client.get(reverse("document_changes", args=[document.pk])).content.decode()
    assert "<del>Wednesday.</del>" in html and "<ins>Thursday.</ins>" in html
    assert "the page fetched again" in html
    page = client.get(document.get_absolute_url()).content.decode()
    assert reverse("document_changes", args=[document.pk]) in page


def test_private_addresses_are_refused_unless_allowed(site, settings):
    site.page("/harbour", ARTICLE)
    settings.READINGROOM_FETCH_PRIVATE = False
    for url in (
        f"{site.base}/harbour",
        "http://localhost/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
    ):
        with pytest.raises(ImportRefused, match="private or local address"):
            fetch(url)
    for url in ("file:///etc/passwd", "ftp://example.org/", "http://user:secret@example.org/"):
        with pytest.raises(ImportRefused):
            fetch(url)
    assert site.requests == []  # nothing was sent


def test_redirects_are_followed_a_few_times_each_checked(site, settings):
    site.page("/old", "", status=301, Location="/harbour")
    site.page("/harbour", ARTICLE)
    site.page("/loop", "", status=302, Location="/loop")
    assert fetch(f"{site.base}/old").url == f"{site.base}/harbour"
    with pytest.raises(ImportRefused, match="redirects more than 5 times"):
        fetch(f"{site.base}/loop")
    # A public page may not send the fetcher on to a private one.
    settings.READINGROOM_FETCH_PRIVATE = False
    site.page("/to-metadata", "", status=302, Location="http://169.254.169.254/")
    with pytest.raises(ImportRefused, match="private or local"):
        fetch(f"{site.base}/to-metadata")


def test_slow_and_oversized_pages_are_refused(site, settings):
    settings.READINGROOM_FETCH_SECONDS = 1
    settings.READINGROOM_MAX_IMPORT_BYTES = 2000
    site.page("/slow", ARTICLE, delay=2.5)
    site.page("/big", "<p>" + "word " * 2000 + "</p>")
    with pytest.raises(ImportRefused, match="did not answer within 1 s"):
        fetch(f"{site.base}/slow")
    with pytest.raises(ImportRefused, match="too large"):
        fetch(f"{site.base}/big")


FEED = """<?xml version="1.0"?><rss version="2.0"><channel><title>Coast Courier</title>
{items}</channel></rss>"""
ITEM = "<item><title>{title}</title><link>{link}</link></item>"


def test_a_feed_imports_its_new_items_once(site, remembered_spans, capsys):
    source = make_source(name="Coast Courier")
    site.page("/harbour", ARTICLE)
    site.page(
        "/ferry",
        ARTICLE.replace("Harbour reopens after the storm", "Ferry timetable restored").replace(
            "sea wall", "ferry pier"
        ),
    )
    items = [ITEM.format(title="Harbour", link=f"{site.base}/harbour")]
    site.page("/feed.xml", FEED.format(items="".join(items)), **{"Content-Type": "application/rss+xml", "ETag": '"v1"'})
    Feed.objects.create(source=source, url=f"{site.base}/feed.xml")

    call_command("poll_feeds")
    assert "1 new item(s) queued" in capsys.readouterr().out
    assert list(Document.objects.values_list("title", flat=True)) == ["Harbour reopens after the storm"]
    assert Document.objects.get().source == source

    # Unchanged: the ETag goes back and the feed answers 304.
    call_command("poll_feeds")
    assert "nothing new" in capsys.readouterr().out
    assert site.requests[-1][1].get("If-None-Match") == '"v1"'

    items.insert(0, ITEM.format(title="Ferry", link=f"{site.base}/ferry"))
    site.page("/feed.xml", FEED.format(items="".join(items)), **{"Content-Type": "application/rss+xml", "ETag": '"v2"'})
    call_command("poll_feeds")
    assert "1 new item(s) queued" in capsys.readouterr().out
    assert Document.objects.count() == 2


def test_a_feed_that_is_not_one_says_so(site, capsys):
    site.page("/feed.xml", "<html><body>Not a feed at all</body></html>")
    feed = Feed.objects.create(source=make_source(), url=f"{site.base}/feed.xml")
    call_command("poll_feeds")
    assert "is not an RSS or Atom feed" in capsys.readouterr().err
    feed.refresh_from_db()
    assert "is not an RSS or Atom feed" in feed.last_error


def test_a_curator_pastes_addresses_in_the_library_and_follows_the_job(
    client, site, django_user_model, remembered_spans
):
    from django.contrib.auth.models import Permission

    site.page("/harbour", ARTICLE)
    curator = django_user_model.objects.create_user("desk", password="a-long-passphrase")
    curator.user_permissions.add(Permission.objects.get(codename="add_document"))
    reader = django_user_model.objects.create_user("reader", password="a-long-passphrase")

    client.force_login(reader)
    assert "Import web pages" not in client.get(reverse("document_list")).content.decode()
    assert client.post(reverse("import_urls"), {"urls": f"{site.base}/harbour"}).status_code == 403

    client.force_login(curator)
    assert "Import web pages" in client.get(reverse("document_list")).content.decode()
    response = client.post(reverse("import_urls"), {"urls": f"{site.base}/harbour"}, follow=True)
    html = response.content.decode()
    job = ImportJob.objects.get()
    assert response.redirect_chain[-1][0] == reverse("import_job", args=[job.pk])
    assert "1 of 1 done." in html and "Harbour reopens after the storm" in html
    assert Document.objects.get().get_absolute_url() in html

    # Nobody else follows someone's job.
    client.force_login(reader)
    assert client.get(reverse("import_job", args=[job.pk])).status_code == 404


def test_the_address_checked_is_the_address_connected_to(site, settings, monkeypatch):
    """A name is resolved once a hop: one that answers a public address for the check and a
    private one a moment later (DNS rebinding) never gets the fetcher to the private one."""
    from readingroom.library import fetching

    port = int(site.base.rsplit(":", 1)[1])
    site.page("/harbour", ARTICLE)
    answers = iter([[(2, 1, 6, "", ("127.0.0.1", port))]] * 10)
    monkeypatch.setattr(fetching.socket, "getaddrinfo", lambda *args, **kwargs: next(answers))
    fetched = fetch(f"http://news.example:{port}/harbour")
    assert b"sea wall" in fetched.data and fetched.url == f"http://news.example:{port}/harbour"
    assert site.requests[-1][1]["Host"] == f"news.example:{port}"  # the site is asked for by name

    settings.READINGROOM_FETCH_PRIVATE = False
    site.requests.clear()
    lookups = iter([[(2, 1, 6, "", ("192.0.2.10", port))], [(2, 1, 6, "", ("127.0.0.1", port))]])
    monkeypatch.setattr(fetching.socket, "getaddrinfo", lambda *args, **kwargs: next(lookups))
    settings.READINGROOM_FETCH_SECONDS = 1
    with pytest.raises(ImportRefused):
        fetch(f"http://rebinding.example:{port}/harbour")  # 192.0.2.10 answers nothing here
    assert site.requests == []


def test_odd_addresses_are_refused_by_name_never_a_server_error(client, site, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase"))
    site.page("/to-nowhere", "", status=302, Location="http://[oops/")
    response = client.post(
        reverse("admin:library_document_import"), {"urls": f"http://[x]/\n{site.base}/to-nowhere"}, follow=True
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "“http://[x]/” is not a web address we can read" in html
    assert f"{site.base}/to-nowhere redirects to an address we cannot read" in html
    assert ImportJob.objects.get().status == "done"


def test_texts_a_curator_edited_away_are_shown_to_curators_only(client, django_user_model):
    from readingroom.reader.editing import document_text_edit
    from tests.factories import make_document

    document = make_document(paragraphs=["The mayor, Jane Quill, opened the harbour.", "Boats returned."])
    document_text_edit(document=document, canonical_text="The mayor opened the harbour.\n\nBoats returned.")
    page = client.get(reverse("document_changes", args=[document.pk])).content.decode()
    assert "Jane Quill" not in page and "curators only" in page

    curator = django_user_model.objects.create_superuser("curator", "c@example.com", "a-long-passphrase")
    client.force_login(curator)
    page = client.get(reverse("document_changes", args=[document.pk])).content.decode()
    assert "<del>" in page and "Jane Quill" in page and "a curator&#x27;s edit" in page


def test_a_curators_correction_survives_the_page_changing_elsewhere(site, remembered_spans):
    from readingroom.reader.editing import document_text_edit

    site.page("/harbour", ARTICLE)
    _import(f"{site.base}/harbour")
    document = Document.objects.get()
    document_text_edit(
        document=document,
        canonical_text=document.canonical_text.replace("the harbour master", "harbour master Ann Ode"),
    )
    note = make_annotation(document=document, quote="harbour master Ann Ode")

    # The page corrects another paragraph: both corrections are in the text.
    site.page("/harbour", ARTICLE.replace("from Wednesday", "from Thursday"))
    item = ImportItem.objects.get(job=_import(f"{site.base}/harbour"))
    document.refresh_from_db()
    assert item.status == "revised" and "a curator's edits carried over" in item.message
    assert "harbour master Ann Ode" in document.canonical_text and "from Thursday" in document.canonical_text
    assert list(DocumentRevision.objects.filter(document=document).values_list("replaced_by", flat=True)) == [
        "edit",
        "fetch",
        "carried",
    ]
    note = Annotation.objects.get(pk=note.pk)
    assert document.canonical_text[note.start : note.end] == "harbour master Ann Ode"
    # The entities are found in the merged text, each mark on its words.
    mentions = list(document.mentions.all())
    assert mentions and all(document.canonical_text[m.start : m.end] == m.surface for m in mentions)

    # Again: the merge starts from the page as last fetched, so the correction still holds.
    site.page("/harbour", ARTICLE.replace("from Wednesday", "from Thursday").replace("twice as", "three times as"))
    assert ImportItem.objects.get(job=_import(f"{site.base}/harbour")).status == "revised"
    document.refresh_from_db()
    assert "harbour master Ann Ode" in document.canonical_text and "three times as strong" in document.canonical_text

    # The page rewrites the corrected paragraph itself: the curator's text stays, and says why.
    text_before = document.canonical_text
    rewritten = ARTICLE.replace("from Wednesday", "from Thursday").replace("twice as", "three times as")
    site.page("/harbour", rewritten.replace("harbour master said", "port authority said"))
    item = ImportItem.objects.get(job=_import(f"{site.base}/harbour"))
    document.refresh_from_db()
    assert item.status == "error" and "keeps the curator's text" in item.message
    assert document.canonical_text == text_before
    # Said once: the same page at the next poll is not a new failure.
    assert ImportItem.objects.get(job=_import(f"{site.base}/harbour")).status == "duplicate"
