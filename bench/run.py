"""`make bench`: Reading Room's performance figures (issue #6), and doccano's for the same operations.

1. A throw-away SQLite database (bench/scratch_database.py) and a synthetic corpus of news articles
   (700-3,500 words, seed paragraphs recombined with other names, places and numbers), imported
   with document_import and extracted with documents_extract_entities: words per second.
2. Annotations bulk-created in the ORM: five documents with 500 in all, five with 5,000 in all,
   one document with 500 (the annotation list, and doccano's span list at the same count); and
   (issue #19) five more with 500 annotations and 500 links among them made through link_create.
3. doccano 1.8.4 in bench/.venv-doccano (installed by this script; --no-doccano skips it): a
   sequence-labelling project, the 500-annotation document and 5 others, its 500 spans (each
   upload timed); it stays up for step 5.
4. gunicorn (2 workers) on loopback, driven by bench/loadgen.py in a second process: the floor
   (GET /documents/ID.txt), compare pages, annotation list, one create, idle and busy live polls,
   reads per second at 50 concurrent readers.
5. The figures compared with doccano, taken in turns with it, in blocks of 5: floors; our
   annotation list and compare page with its span list and example; our create with its span create.
   Chromium scrolls the 5-column page with the links with the mouse wheel (bench/frames.py): frame
   times, Link scrolling off and on (issue #19; ``--only frames`` runs just this).
6. The database grown with --big-documents / --big-annotations / --big-links (bulk_create), then
   the compare pages, list and create again.
Prints a table (median, p95, p99 in ms; ratio of medians to the floor) and writes it to
bench/last-run.md and bench/last-run.json.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(BENCH))
CSRF = "benchcsrftokenbenchcsrftoken1234"

FIRST = [
    "Amira",
    "Jonas",
    "Keiko",
    "Rafael",
    "Olena",
    "Tomasz",
    "Grace",
    "Mehmet",
    "Sofia",
    "Dmitri",
    "Aiko",
    "Lucas",
    "Priya",
    "Henrik",
    "Nadia",
    "Pablo",
]
LAST = [
    "Okafor",
    "Lindqvist",
    "Tanaka",
    "Moreau",
    "Kovalenko",
    "Nowak",
    "Adeyemi",
    "Yilmaz",
    "Rossi",
    "Petrov",
    "Sato",
    "Almeida",
    "Sharma",
    "Berg",
    "Haddad",
    "Ortega",
]
PLACES = [
    "Vladivostok",
    "Rotterdam",
    "Mombasa",
    "Valparaiso",
    "Gdansk",
    "Busan",
    "Odesa",
    "Marseille",
    "Halifax",
    "Durban",
    "Tromso",
    "Manila",
]
COUNTRIES = [
    ("Russia", "Russian"),
    ("Brazil", "Brazilian"),
    ("Norway", "Norwegian"),
    ("Kenya", "Kenyan"),
    ("Chile", "Chilean"),
    ("Poland", "Polish"),
    ("Japan", "Japanese"),
    ("Turkey", "Turkish"),
]
SEED_NAMES = ["Putin", "Kim", "Shoigu", "Peskov", "Lavrov", "Zelensky", "Biden"]
SEED_PLACES = [
    "Vostochny",
    "Pyongyang",
    "Vladivostok",
    "Moscow",
    "Seoul",
    "Kyiv",
    "Beijing",
    "Sevastopol",
    "Komsomolsk",
]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- corpus


def seed_paragraphs() -> list[str]:
    paragraphs = []
    for path in sorted((ROOT / "seeds").glob("*.txt")):
        for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
            block = " ".join(block.split())
            if len(block.split()) >= 8:
                paragraphs.append(block)
    return paragraphs


def synthetic_article(rng: random.Random, paragraphs: list[str], number: int) -> str:
    target = rng.randint(700, 3500)
    people = rng.sample(LAST, len(SEED_NAMES))
    places = rng.sample(PLACES, len(SEED_PLACES))
    country, adjective = rng.choice(COUNTRIES)
    chosen, words = [], 0
    while words < target:
        paragraph = rng.choice(paragraphs)
        chosen.append(paragraph)
        words += len(paragraph.split())
    text = "\n\n".join(chosen)
    for old, new in zip(SEED_NAMES, people, strict=True):
        text = re.sub(rf"\b{old}\b", new, text)
    for old, new in zip(SEED_PLACES, places, strict=True):
        text = re.sub(rf"\b{old}\b", new, text)
    text = re.sub(r"\bRussia\b", country, text)
    text = re.sub(r"\bRussian\b", adjective, text)
    text = re.sub(r"\b(Vladimir|Jong Un|Sergei|Dmitry)\b", lambda m: rng.choice(FIRST), text)
    text = re.sub(r"\d", lambda m: str(rng.randint(0, 9)), text)
    title = f"{rng.choice(FIRST)} {people[0]} meets {people[1]} in {places[0]} ({number})"
    return f"{title}\n\n{text}\n"


# ---------------------------------------------------------------- database (this process)


def spans_for(text: str, count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Word-aligned spans of 1-4 words, inside one paragraph."""
    words = [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]
    spans = []
    while len(spans) < count:
        index = rng.randrange(len(words) - 4)
        last = min(len(words) - 1, index + rng.randint(0, 3))
        start, end = words[index][0], words[last][1]
        if "\n" not in text[start:end] and end - start <= 200:
            spans.append((start, end))
    return spans


def bulk_annotations(documents, per_document: int, users, rng, *, batch: int = 5000, session=None) -> int:
    from django.db import transaction

    from readingroom.annotations.comments import render_comment
    from readingroom.annotations.models import Annotation
    from readingroom.text.anchoring import check_selection

    bodies = [
        (body, render_comment(body))
        for body in (f"Bench note {n}: compare with the *other* reports." for n in range(20))
    ]
    pending, made = [], 0

    def flush():
        nonlocal pending
        with transaction.atomic():
            Annotation.objects.bulk_create(pending, batch_size=1000)
        pending = []

    for document in documents:
        text = document.canonical_text
        for start, end in spans_for(text, per_document, rng):
            quote = check_selection(text, start, end, text[start:end])
            body, html = rng.choice(bodies)
            pending.append(
                Annotation(
                    document_id=document.pk,
                    author=rng.choice(users),
                    start=start,
                    end=end,
                    exact=quote.exact,
                    prefix=quote.prefix,
                    suffix=quote.suffix,
                    body=body,
                    body_html=html,
                    visibility="public",
                    session=session,
                )
            )
            made += 1
            if len(pending) >= batch:
                flush()
    if pending:
        flush()
    return made


SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+[\"”’)]*|$)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The sentences of a text (never across a paragraph) of 6 to 40 words: the passages a reader links."""
    spans = []
    for match in SENTENCE.finditer(text):
        sentence = match.group()
        start = match.start() + len(sentence) - len(sentence.lstrip())
        end = match.end() - (len(sentence) - len(sentence.rstrip()))
        if 6 <= len(text[start:end].split()) <= 40:
            spans.append((start, end))
    return spans


def bench_links(documents, count: int, users, rng) -> int:
    """``count`` public links among these documents, saved through ``link_create`` as the compare
    page saves them: a sentence of one document joined to a sentence of another, every pair of
    documents in turn (adjacent columns or not); one link in five reaches a third document."""
    from itertools import combinations

    from readingroom.annotations.links import LinkTarget, link_create
    from readingroom.annotations.models import Relation

    relations = list(Relation.objects.all())
    sentences = {document.pk: sentence_spans(document.canonical_text) for document in documents}
    pairs = list(combinations(documents, 2))
    for number in range(count):
        chosen = list(pairs[number % len(pairs)])
        if number % 5 == 4:
            chosen.append(rng.choice([d for d in documents if d not in chosen]))
        targets = []
        for document in chosen:
            start, end = rng.choice(sentences[document.pk])
            targets.append(
                LinkTarget(document=document, start=start, end=end, exact=document.canonical_text[start:end])
            )
        link_create(
            user=rng.choice(users),
            targets=targets,
            relation=rng.choice(relations),
            body=f"Bench link {number}: compare the *wording*.",
            tag_names=["bench"] if number % 3 == 0 else [],
            visibility="public",
        )
    return count


def bulk_links(documents, count: int, users, rng, *, batch: int = 5000) -> int:
    """``count`` public links of two passages (sentences) between documents of the big database,
    bulk-created: as many rows as the service writes, without its checks, for the size."""
    from django.db import transaction

    from readingroom.annotations.comments import render_comment
    from readingroom.annotations.models import Annotation, AnnotationTarget, Relation
    from readingroom.text.anchoring import check_selection

    relations = list(Relation.objects.all())
    sentences: dict[str, list[tuple[int, int]]] = {}
    body = "Bench link: compare the *wording*."
    html = render_comment(body)
    made = 0
    while made < count:
        size = min(batch, count - made)
        links, passages = [], []
        for _ in range(size):
            pair = rng.sample(documents, 2)
            spans = []
            for document in pair:
                text = document.canonical_text
                if text not in sentences:
                    sentences[text] = sentence_spans(text)
                start, end = rng.choice(sentences[text])
                spans.append((document, start, end, check_selection(text, start, end, text[start:end])))
            (first, start, end, quote), second = spans
            links.append(
                Annotation(
                    document_id=first.pk,
                    author=rng.choice(users),
                    start=start,
                    end=end,
                    exact=quote.exact,
                    prefix=quote.prefix,
                    suffix=quote.suffix,
                    body=body,
                    body_html=html,
                    visibility="public",
                    relation=rng.choice(relations),
                )
            )
            passages.append(second)
        with transaction.atomic():
            made_links = Annotation.objects.bulk_create(links, batch_size=1000)
            if made_links and made_links[0].pk is None:
                raise RuntimeError("bulk_create returned no primary keys (SQLite older than 3.35?)")
            AnnotationTarget.objects.bulk_create(
                [
                    AnnotationTarget(
                        annotation_id=link.pk,
                        position=1,
                        document_id=document.pk,
                        start=start,
                        end=end,
                        exact=quote.exact,
                        prefix=quote.prefix,
                        suffix=quote.suffix,
                    )
                    for link, (document, start, end, quote) in zip(made_links, passages, strict=True)
                ],
                batch_size=1000,
            )
        made += size
    return made


def login_session(user) -> str:
    from django.conf import settings
    from django.contrib.sessions.backends.db import SessionStore

    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def grow_database(template_documents, n_documents: int, n_annotations: int, users, rng, *, n_links: int = 0) -> dict:
    """Copies of the corpus documents (bulk_create), then annotations and links spread over them."""
    from django.db import transaction

    from readingroom.library.models import Document

    started = time.perf_counter()
    made_docs = []
    for offset in range(0, n_documents, 500):
        batch = []
        for number in range(offset, min(n_documents, offset + 500)):
            template = template_documents[number % len(template_documents)]
            batch.append(
                Document(
                    source_id=template.source_id,
                    title=f"{template.title} (copy {number})",
                    byline=template.byline,
                    original_filename=f"bulk_{number}.txt",
                    sha256=hashlib.sha256(f"bulk {number} {time.time()}".encode()).hexdigest(),
                    raw_text=template.raw_text,
                    canonical_text=template.canonical_text,
                    blocks=template.blocks,
                    word_count=template.word_count,
                )
            )
        with transaction.atomic():
            made_docs += Document.objects.bulk_create(batch)
    if not made_docs[0].pk:  # an old SQLite without RETURNING
        made_docs = list(Document.objects.filter(original_filename__startswith="bulk_"))
    mentions = copy_mentions(template_documents, made_docs)
    per_document = max(1, n_annotations // max(1, len(made_docs)))
    made = bulk_annotations(made_docs, per_document, users, rng, batch=20000)
    links = bulk_links(made_docs, n_links, users, rng) if n_links else 0
    return {
        "documents": len(made_docs),
        "annotations": made,
        "links": links,
        "mentions": mentions,
        "seconds": time.perf_counter() - started,
    }


def copy_mentions(template_documents, copies) -> int:
    """Each copy gets its template's entity mentions (same text, same spans), so the big database
    also has millions of mentions for the highlight and matrix queries to look past."""
    from django.db import connection, transaction

    from readingroom.entities.models import Mention

    by_template = {
        d.pk: list(
            Mention.objects.filter(document=d).values_list("entity_id", "start", "end", "surface", "origin", "rejected")
        )
        for d in template_documents
    }
    table = connection.ops.quote_name(Mention._meta.db_table)
    columns = ", ".join(
        connection.ops.quote_name(c)
        for c in ("document_id", "entity_id", "start", "end", "surface", "origin", "rejected")
    )
    sql = f"INSERT INTO {table} ({columns}) VALUES (%s, %s, %s, %s, %s, %s, %s)"
    made, batch = 0, []
    for number, document in enumerate(copies):
        template = template_documents[number % len(template_documents)]
        batch += [(document.pk, *row) for row in by_template[template.pk]]
        if len(batch) >= 50_000 or number == len(copies) - 1:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.executemany(sql, batch)
            made, batch = made + len(batch), []
    return made


# ---------------------------------------------------------------- servers


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, workdir: Path) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_") and k != "STATIC_PLAIN"}
    # Static files as in production: collected with hashed, compressed names, served by WhiteNoise
    # (the browser figure loads the page's CSS and scripts too).
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "readingroom.settings",
            "DEBUG": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_ROOT": str(workdir / "static"),
        }
    )
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "readingroom.wsgi",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
            "--backlog",
            "256",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {process.returncode}") from None
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not start in 30 s")


def stop(process: subprocess.Popen | None) -> None:
    if process is not None and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def run_loadgen(port: int, ops: list[dict], workdir: Path) -> dict:
    plan = workdir / f"plan-{time.time_ns()}.json"
    plan.write_text(json.dumps({"port": port, "ops": ops}))
    done = subprocess.run([sys.executable, str(BENCH / "loadgen.py"), str(plan)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"loadgen failed:\n{done.stderr[-3000:]}")
    results = json.loads(done.stdout.strip().splitlines()[-1])
    for name, result in results.items():
        if result.get("bad"):
            log(f"  WARNING {name}: unexpected answers {result['bad']}")
    return results


# ---------------------------------------------------------------- statistics


def summary(samples: list[float]) -> dict:
    if not samples:
        return {"n": 0, "median": float("nan"), "p95": float("nan"), "p99": float("nan")}
    ordered = sorted(samples)

    def pct(p):  # nearest rank
        return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]

    return {"n": len(ordered), "median": statistics.median(ordered), "p95": pct(95), "p99": pct(99)}


# ---------------------------------------------------------------- main


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--documents", type=int, default=24, help="synthetic articles imported and extracted (default 24; at least 18)"
    )
    parser.add_argument(
        "--links",
        type=int,
        default=500,
        help="links made through link_create among the 5 documents of the links compare page (issue #19: 500)",
    )
    parser.add_argument(
        "--big-links",
        type=int,
        default=None,
        help="links added to the big database (bulk_create; default a tenth of --big-annotations)",
    )
    parser.add_argument(
        "--only",
        choices=["frames"],
        default="",
        help="frames: only Chromium's frame times while scrolling the 5-column page with the links (issue #19)",
    )
    parser.add_argument(
        "--frame-runs", type=int, default=3, help="scrolling runs per variant of the frame figure (0 skips it)"
    )
    parser.add_argument(
        "--big-documents", type=int, default=1000, help="documents added for the big-database figures (issue: 10000)"
    )
    parser.add_argument(
        "--big-annotations",
        type=int,
        default=100_000,
        help="annotations added for the big-database figures (issue: 1000000)",
    )
    parser.add_argument("--samples", type=int, default=40, help="timed requests per latency figure")
    parser.add_argument("--readers", type=int, default=50, help="concurrent readers for reads/s")
    parser.add_argument("--read-seconds", type=float, default=15.0)
    parser.add_argument("--seed", type=int, default=6)
    parser.add_argument("--no-doccano", action="store_true", help="skip doccano")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database folder (for profiling)")
    parser.add_argument(
        "--postgres",
        metavar="URL",
        default="",
        help="run on a new database on this PostgreSQL server (e.g. postgres://postgres@127.0.0.1:5432/postgres) "
        "instead of SQLite; it is dropped at the end unless --keep",
    )
    args = parser.parse_args()
    args.documents = max(18, args.documents)
    if args.big_links is None:
        args.big_links = args.big_annotations // 10
    return args


def import_and_extract(args: argparse.Namespace, rng: random.Random, figures: dict[str, dict]) -> list:
    """Phase 1: synthetic articles through the importer and the extractor, one at a time."""
    from readingroom.entities.extraction import documents_extract_entities
    from readingroom.library.importing import document_import

    paragraphs = seed_paragraphs()
    articles = [synthetic_article(rng, paragraphs, n) for n in range(args.documents)]
    log(f"importing and extracting {len(articles)} synthetic articles")
    documents, per_doc_rates, import_s, extract_s = [], [], 0.0, 0.0
    for number, article in enumerate(articles):
        t0 = time.perf_counter()
        result = document_import(data=article.encode(), filename=f"bench_{number:04d}.txt")
        t1 = time.perf_counter()
        if result.document is None:
            raise RuntimeError(f"import failed: {result.status} {result.message}")
        documents_extract_entities(documents=[result.document])
        t2 = time.perf_counter()
        import_s, extract_s = import_s + (t1 - t0), extract_s + (t2 - t1)
        document = result.document
        documents.append(document)
        per_doc_rates.append(document.word_count / (t2 - t0))
    words = sum(d.word_count for d in documents)
    stats = summary(per_doc_rates)
    figures["import+extraction (words/s, per document)"] = {
        **stats,
        "unit": "words/s",
        "extra": f"{words:,} words in {len(documents)} docs; {words / (import_s + extract_s):,.0f} words/s overall "
        f"(import {import_s:.1f} s, extraction {extract_s:.1f} s)",
    }
    # p95/p99 of a rate: the slow tail is the low end.
    ordered = sorted(per_doc_rates)
    figures["import+extraction (words/s, per document)"].update(
        p95=ordered[max(0, int(len(ordered) * 0.05) - 0)], p99=ordered[0]
    )

    return documents


@dataclass
class Setup:
    """Phase 2's result: who reads and writes, the document sets measured, and the requests."""

    session: object
    reader_session: str
    documents: list
    set_5000: list
    list_doc: object
    authors: list
    small_ops: list[dict]
    compare: object
    link_docs: list


def users_sessions_annotations(args: argparse.Namespace, rng: random.Random, documents: list) -> Setup:
    """Phase 2: users, a session, bulk annotations, and the requests to time."""
    from django.contrib.auth import get_user_model

    from readingroom.annotations.sessions import session_join, session_start

    User = get_user_model()
    reader = User.objects.create_user("reader", password="a-long-passphrase-1")
    writer = User.objects.create_user("writer", password="a-long-passphrase-2")
    authors = [User.objects.create_user(f"author{n}", password="a-long-passphrase-3") for n in range(10)]
    set_500, set_5000, list_doc = documents[0:5], documents[5:10], documents[10]
    bulk_annotations(set_500, 100, authors, rng)
    bulk_annotations(set_5000, 1000, authors, rng)
    bulk_annotations([list_doc], 500, authors, rng)
    # Issue #19: five more documents with 500 annotations and the links between them, made through
    # the service the compare page's "Save link" calls.
    link_docs = documents[13:18]
    bulk_annotations(link_docs, 100, authors, rng)
    started = time.perf_counter()
    bench_links(link_docs, args.links, authors, rng)
    log(f"{args.links} links through link_create in {time.perf_counter() - started:.1f} s")
    # Every create (timed, and the busy poll's) goes to a document of its own, in the session but
    # in none of the sets measured: the compare pages and the list keep their 500 / 5,000.
    target = documents[11]
    session = session_start(user=writer, title="Bench session", documents=[*set_500, target])
    session_join(session=session, user=reader)
    reader_session = login_session(reader)
    reader_cookie = {"Cookie": f"sessionid={reader_session}; csrftoken={CSRF}"}
    writer_headers = {
        "Cookie": f"sessionid={login_session(writer)}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
        "Content-Type": "application/ld+json",
    }
    ((start, end),) = spans_for(target.canonical_text, 1, rng)

    def annotation(session_id=None) -> dict:
        data = {
            "type": "Annotation",
            "visibility": "session" if session_id else "public",
            "body": [{"type": "TextualBody", "purpose": "commenting", "value": "bench create __N__"}],
            "target": {
                "source": f"http://127.0.0.1/documents/{target.pk}/",
                "selector": [{"type": "TextPositionSelector", "start": start, "end": end}],
            },
        }
        if session_id:
            data["session"] = session_id
        return data

    compare = lambda docs: "/compare/?" + "&".join(f"doc={d.pk}" for d in docs)  # noqa: E731
    n = args.samples
    links_page = LINKS_PAGE.format(links=args.links)
    links_json = LINKS_JSON.format(links=args.links)
    small_ops = [
        {
            "name": "floor: GET /documents/ID.txt",
            "path": f"/documents/{documents[12].pk}.txt",
            "headers": reader_cookie,
            "n": n * 2,
        },
        {"name": "compare page, 5 docs, 500 annotations", "path": compare(set_500), "headers": reader_cookie, "n": n},
        {
            "name": "compare page, 5 docs, 5,000 annotations",
            "path": compare(set_5000),
            "headers": reader_cookie,
            "n": max(10, n // 2),
        },
        {"name": links_page, "path": compare(link_docs), "headers": reader_cookie, "n": n},
        {
            "name": links_json,
            "path": "/annotations/links/?" + "&".join(f"doc={d.pk}" for d in link_docs),
            "headers": reader_cookie,
            "n": n,
        },
        {
            "name": "annotation list, doc with 500 (the container, its one page embedded)",
            "path": f"/annotations/?document={list_doc.pk}",
            "headers": reader_cookie,
            "n": n,
        },
        {
            "name": "annotation create (POST /annotations/)",
            "method": "POST",
            "path": "/annotations/",
            "headers": writer_headers,
            "body": annotation(),
            "n": n,
            "expect": [201],
        },
        {
            "name": "live poll, idle (304)",
            "path": f"/sessions/{session.pk}/poll/?since=__V__",
            "headers": reader_cookie,
            "n": n * 2,
            "expect": [304],
        },
        {
            "name": "live poll, one new annotation",
            "kind": "poll_new",
            "poll_path": f"/sessions/{session.pk}/poll/?since=",
            "poll_headers": reader_cookie,
            "n": n,
            "create": {"path": "/annotations/", "headers": writer_headers, "body": annotation(session.pk)},
        },
        {
            "name": f"reads/s, {args.readers} readers, document pages",
            "kind": "throughput",
            "headers": reader_cookie,
            "paths": [f"/documents/{d.pk}/" for d in documents],
            "concurrency": args.readers,
            "seconds": args.read_seconds,
        },
        {
            "name": f"reads/s, {args.readers} readers, floor",
            "kind": "throughput",
            "headers": reader_cookie,
            "paths": [f"/documents/{d.pk}.txt" for d in documents],
            "concurrency": args.readers,
            "seconds": args.read_seconds,
        },
    ]
    # The idle poll needs the session's version as it will be then: none of the ops before it touch the session.
    session.refresh_from_db()
    for op in small_ops:
        if "__V__" in op.get("path", ""):
            op["path"] = op["path"].replace("__V__", str(session.version))
            op["headers"] = {**op["headers"], "If-None-Match": f'"v{session.version}"'}

    return Setup(session, reader_session, documents, set_5000, list_doc, authors, small_ops, compare, link_docs)


def serve_and_measure(args: argparse.Namespace, rng: random.Random, setup: Setup, workdir: Path) -> dict:
    """Phases 3 and 4: doccano beside our gunicorn, the requests timed, Chromium's paint, then the
    big database and the same requests again."""
    documents, small_ops, n = setup.documents, setup.small_ops, args.samples
    set_5000, list_doc, authors, compare = setup.set_5000, setup.list_doc, setup.authors, setup.compare
    reader_session = setup.reader_session
    # 3. doccano, loaded before our server starts and kept running for the figures taken in turns.
    side, doccano_reason, doccano = None, "skipped (--no-doccano)", {}
    if not args.no_doccano:
        side, doccano_reason, doccano = start_doccano(list_doc, documents[:5])

    port = free_port()
    gunicorn = None
    head = {}
    try:
        gunicorn = start_gunicorn(port, workdir)
        log(f"gunicorn (2 workers) on 127.0.0.1:{port}; driving it from bench/loadgen.py")
        small = run_loadgen(port, small_ops, workdir)
        if doccano:
            log("the figures compared with doccano, measured in turns with it")
            ours = {
                key: next(op for op in small_ops if op["name"].startswith(prefix))
                for key, prefix in (
                    ("floor", "floor"),
                    ("list", "annotation list"),
                    ("compare", "compare page, 5 docs, 500 "),
                    ("create", "annotation create"),
                    ("links page", LINKS_PAGE.format(links=args.links)),
                    ("links JSON", LINKS_JSON.format(links=args.links)),
                )
            }
            try:
                head = run_loadgen(port, head_to_head_ops(ours, doccano, n), workdir)
            except Exception as error:  # noqa: BLE001 -- whatever goes wrong with doccano, our figures stand
                doccano_reason = f"doccano failed during the figures in turns: {type(error).__name__}: {error}"
                log(doccano_reason)
        paint, paint_reason = {}, ""
        try:
            from paint import PaintUnavailable, page_paint

            log("Chromium: time to first paint of the compare page with 5,000 annotations")
            paint = page_paint(
                f"http://127.0.0.1:{port}{compare(set_5000)}", {"sessionid": reader_session, "csrftoken": CSRF}
            )
        except PaintUnavailable as error:
            paint_reason = str(error)
            log(f"  skipped: {paint_reason}")
        frames, frames_reason = measure_frames(args, port, setup)
        # 4. The big database.
        log(
            f"growing the database: {args.big_documents:,} documents, {args.big_annotations:,} annotations, "
            f"{args.big_links:,} links (bulk_create)"
        )
        grown = grow_database(documents, args.big_documents, args.big_annotations, authors, rng, n_links=args.big_links)
        log(f"  done in {grown['seconds']:.0f} s")
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        big_ops = [
            dict(op, name=op["name"] + " [big DB]")
            for op in small_ops
            if op["name"].startswith(
                ("floor", "compare page, 5 docs, 500 ", "annotation list, doc", "annotation create")
            )
            or op["name"] in (LINKS_PAGE.format(links=args.links), LINKS_JSON.format(links=args.links))
        ]
        big = run_loadgen(port, big_ops, workdir)
    finally:
        stop(gunicorn)
        if side is not None:
            side.stop()

    return {
        "small": small,
        "big": big,
        "head": head,
        "paint": paint,
        "paint_reason": paint_reason,
        "frames": frames,
        "frames_reason": frames_reason,
        "doccano": doccano,
        "doccano_reason": doccano_reason,
        "grown": grown,
    }


def measure_frames(args: argparse.Namespace, port: int, setup: Setup) -> tuple[dict, str]:
    """Issue #19: Chromium's frame times while the wheel scrolls each column of the links page;
    ({} and why) when there is no Chromium."""
    from frames import FramesUnavailable, frame_lines, scroll_frames

    if args.frame_runs < 1:
        log("Chromium frames while scrolling: skipped (--frame-runs 0)")
        return {}, "skipped (--frame-runs 0)"
    log(f"Chromium: frames while scrolling the 5-column compare page with {args.links} links")
    try:
        frames = scroll_frames(
            f"http://127.0.0.1:{port}{setup.compare(setup.link_docs)}",
            {"sessionid": setup.reader_session, "csrftoken": CSRF},
            runs=args.frame_runs,
        )
    except FramesUnavailable as error:
        log(f"  skipped: {error}")
        return {}, str(error)
    for line in frame_lines(frames):
        log(f"  {line}")
    return frames, ""


def only_frames(args: argparse.Namespace, setup: Setup, workdir: Path) -> dict:
    """``--only frames``: the server, and Chromium scrolling the links page; nothing else timed."""
    port = free_port()
    gunicorn = None
    try:
        gunicorn = start_gunicorn(port, workdir)
        frames, reason = measure_frames(args, port, setup)
    finally:
        stop(gunicorn)
    return {"frames": frames, "frames_reason": reason}


def figures_from(results: dict, figures: dict[str, dict]) -> None:
    """The timed results as the report's figures."""
    frame_figures(results, figures)
    small, big, head, paint = results["small"], results["big"], results["head"], results["paint"]
    paint_reason, doccano, grown = results["paint_reason"], results["doccano"], results["grown"]
    for name, result in {**small, **big}.items():
        if "per_second" in result:
            figures[name] = {
                **summary(result["samples_ms"]),
                "per_second": result["per_second"],
                "extra": f"{result['per_second']:.0f} req/s; latency ms below; statuses {result['statuses']}",
            }
        else:
            figures[name] = summary(result["samples_ms"])
    list_bytes = small["annotation list, doc with 500 (the container, its one page embedded)"].get("bytes")
    figures["annotation list, doc with 500 (the container, its one page embedded)"]["extra"] = (
        f"annotation list: {list_bytes:,} bytes of JSON-LD for 500 annotations"
    )
    compare_bytes = small["compare page, 5 docs, 5,000 annotations"].get("bytes")
    figures["compare page, 5 docs, 5,000 annotations"]["extra"] = (
        f"compare page with 5,000 annotations: {compare_bytes:,} bytes of HTML"
    )
    for name, result in small.items():
        if name.startswith(("compare page with links", "links JSON")) and result.get("bytes"):
            kind = "JSON" if name.startswith("links JSON") else "HTML"
            figures[name]["extra"] = f"{result['bytes']:,} bytes of {kind}"
    if paint:
        for key, label in (
            ("first_contentful_paint", "first contentful paint"),
            ("dom_content_loaded", "DOMContentLoaded"),
            ("load", "load event"),
        ):
            if key in paint:
                figures[f"Chromium, compare page with 5,000 annotations: {label}"] = {
                    "n": paint["runs"],
                    "median": paint[key],
                    "p95": float("nan"),
                    "p99": float("nan"),
                    "unit": "ms in Chromium",
                }
        figures["_paint"] = {
            "extra": f"Chromium, compare page with 5,000 annotations: medians of {paint['runs']} cold loads; "
            f"HTML {paint.get('html_bytes', 0):,.0f} bytes, {paint.get('elements', 0):,.0f} elements, {paint.get('marks', 0):,.0f} <mark> elements"
        }
    else:
        figures["_paint"] = {"extra": f"Chromium time to first paint: not measured ({paint_reason})"}
    figures["_big database"] = {
        "extra": f"big DB: +{grown['documents']:,} documents, +{grown['mentions']:,} entity mentions, "
        f"+{grown['annotations']:,} annotations, +{grown['links']:,} links, grown in {grown['seconds']:.0f} s"
    }
    if head:
        figures.update(head_to_head_figures(head, doccano))


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)
    figures: dict[str, dict] = {}
    t_start = time.monotonic()

    from scratch_database import drop_scratch, scratch_django

    # Sessions made here must be readable by gunicorn: one key for both.
    os.environ["SECRET_KEY"] = "bench-secret-key-not-for-production-" + "x" * 30

    workdir = scratch_django(postgres_url=args.postgres or None)
    log(f"scratch database in {workdir}")
    documents = import_and_extract(args, rng, figures)
    setup = users_sessions_annotations(args, rng, documents)
    if args.only == "frames":
        results = only_frames(args, setup, workdir)
        frame_figures(results, figures)
        write_report(figures, args, "not run (--only frames)", time.monotonic() - t_start, results["frames"])
    else:
        results = serve_and_measure(args, rng, setup, workdir)
        figures_from(results, figures)
        write_report(figures, args, results["doccano_reason"], time.monotonic() - t_start, results["frames"])
    if args.keep:
        log(f"scratch database kept in {workdir} ({os.environ['DATABASE_URL']})")
    else:
        import shutil

        drop_scratch(workdir)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


def start_doccano(list_doc, other_docs) -> tuple[object | None, str, dict]:
    """doccano installed, started and loaded with the same documents and the 500 spans (each
    upload timed); left running for the measurements in turns. (side, reason, setup)."""
    from doccano_side import Doccano, DoccanoUnavailable, ensure_installed

    side = None
    try:
        bin_dir = ensure_installed(log=log)
        side = Doccano(bin_dir, log=log)
        log("doccano: init, createuser, webserver")
        side.start()
        log("doccano: project, documents and the 500 spans through its REST API")
        return side, "ran", doccano_setup(side, list_doc, other_docs)
    except DoccanoUnavailable as error:
        reason = f"doccano unavailable: {error}"
    except Exception as error:  # noqa: BLE001 -- whatever goes wrong, the Reading Room figures stand
        reason = f"doccano failed: {type(error).__name__}: {error}"
    if side is not None:
        side.stop()
    log(reason)
    return None, reason, {}


def doccano_setup(side, list_doc, other_docs) -> dict:
    def ok(status, body, what):
        if status not in (200, 201):
            raise RuntimeError(f"{what} answered {status}: {str(body)[:300]}")
        return body

    project = ok(
        *side.call(
            "POST",
            "/v1/projects",
            {
                "name": "bench",
                "description": "Reading Room bench",
                "guideline": "",
                "project_type": "SequenceLabeling",
                "resourcetype": "SequenceLabelingProject",
                "random_order": False,
                "collaborative_annotation": True,
                "allow_overlapping": True,
            },
        ),
        "create project",
    )
    pid = project["id"]
    label = ok(
        *side.call(
            "POST",
            f"/v1/projects/{pid}/span-types",
            {"text": "NOTE", "background_color": "#e9c46a", "text_color": "#000000"},
        ),
        "create label",
    )
    examples = {}
    for document in [list_doc, *other_docs]:
        example = ok(
            *side.call(
                "POST",
                f"/v1/projects/{pid}/examples",
                {"text": document.canonical_text, "meta": {"title": document.title}},
            ),
            "create example",
        )
        examples[document.pk] = example["id"]
    from readingroom.annotations.models import Annotation

    spans = list(Annotation.objects.filter(document=list_doc).values_list("start", "end"))
    eid = examples[list_doc.pk]
    path = f"/v1/projects/{pid}/examples/{eid}/spans"
    creates = []
    for start, end in spans:
        t0 = time.perf_counter()
        ok(*side.call("POST", path, {"label": label["id"], "start_offset": start, "end_offset": end}), "create span")
        creates.append((time.perf_counter() - t0) * 1000)
    listed = ok(*side.call("GET", path), "list spans")
    count = len(listed) if isinstance(listed, list) else listed.get("count")
    return {
        "port": side.port,
        "project": pid,
        "example": eid,
        "spans_path": path,
        "label": label["id"],
        "first_span": spans[0],
        "count": count,
        "upload_ms": creates,
        "auth": {"Authorization": f"Token {side.token}", "Content-Type": "application/json"},
    }


# What is compared with doccano is measured in turns, in short blocks (loadgen "paired"): on a
# machine whose speed drifts from minute to minute, figures taken minutes apart can move their
# ratio by more than the difference being measured.
HEAD = "in turns with doccano: "
# Issue #19's figures: the compare page of five documents with 500 annotations and the links among
# them, and the links JSON that page's links.js fetches.
LINKS_PAGE = "compare page with links: 5 docs, 500 annotations, {links} links"
LINKS_JSON = "links JSON of that page (GET /annotations/links/): {links} links"


def head_to_head_ops(ours: dict[str, dict], d: dict, n: int) -> list[dict]:
    """ours: our floor, list, compare-500 and create ops (as in small_ops); d: doccano_setup()."""
    auth, port = d["auth"], d["port"]

    def mine(op):
        return {**op, "name": HEAD + op["name"]}

    return [
        {
            "name": "floors, in turns",
            "kind": "paired",
            "n": n * 2,
            "ops": [
                mine(ours["floor"]),
                {
                    "name": "doccano: floor: GET /v1/projects/ID",
                    "port": port,
                    "path": f"/v1/projects/{d['project']}",
                    "headers": auth,
                },
            ],
        },
        {
            "name": "reads, in turns",
            "kind": "paired",
            "n": n,
            "ops": [
                mine(ours["list"]),
                mine(ours["compare"]),
                mine(ours["links page"]),
                mine(ours["links JSON"]),
                {
                    "name": f"doccano: span list, {d['count']} spans (bare JSON)",
                    "port": port,
                    "path": d["spans_path"],
                    "headers": auth,
                },
                {
                    "name": "_doccano example",
                    "port": port,
                    "path": f"/v1/projects/{d['project']}/examples/{d['example']}",
                    "headers": auth,
                },
            ],
        },
        {
            "name": "creates, in turns",
            "kind": "paired",
            "n": n,
            "ops": [
                mine(ours["create"]),
                {
                    "name": "doccano: span create (one POST)",
                    "port": port,
                    "method": "POST",
                    "path": d["spans_path"],
                    "headers": auth,
                    "expect": [201],
                    "body": {"label": d["label"], "start_offset": d["first_span"][0], "end_offset": d["first_span"][1]},
                },
            ],
        },
    ]


def head_to_head_figures(results: dict, d: dict) -> dict:
    figures = {}
    for name, result in results.items():
        if not name.startswith("_"):
            figures[name] = summary(result["samples_ms"])
    spans = next(v for k, v in results.items() if k.startswith("doccano: span list"))["samples_ms"]
    example = results["_doccano example"]["samples_ms"]
    figures["doccano: document with its spans (example + span list)"] = summary(
        [a + b for a, b in zip(example, spans, strict=True)]
    )
    figures["doccano: span create (the 500 uploads, while loading)"] = summary(d["upload_ms"])
    return figures


def frame_figures(results: dict, figures: dict[str, dict]) -> None:
    """Issue #19's frame times as rows of the table (medians over the runs) and one line each."""
    from frames import frame_lines

    frames = results.get("frames")
    if not frames:
        figures["_frames"] = {
            "extra": f"Chromium frames while scrolling: not measured ({results.get('frames_reason')})"
        }
        return
    for variant, result in frames.items():
        m = result["median"]
        label = f"Chromium, links page scrolled, Link scrolling {variant}"
        figures[f"{label}: max frame (main thread)"] = {
            "n": len(result["runs"]),
            "median": m["max_frame_ms"],
            "p95": float("nan"),
            "p99": max(run["max_frame_ms"] for run in result["runs"]),
            "unit": "ms in Chromium",
        }
        figures[f"{label}: longest main-thread task, CPU time (trace)"] = {
            "n": len(result["runs"]),
            "median": m["task_cpu_max_ms"],
            "p95": float("nan"),
            "p99": max(run["task_cpu_max_ms"] for run in result["runs"]),
            "unit": "ms in Chromium",
        }
        figures[f"{label}: links.js draw, slowest frame"] = {
            "n": len(result["runs"]),
            "median": m["draw_max_ms"],
            "p95": float("nan"),
            "p99": max(run["draw_max_ms"] for run in result["runs"]),
            "unit": "ms in Chromium",
        }
    for number, line in enumerate(frame_lines(frames)):
        figures[f"_frames {number}"] = {"extra": line}
    figures["_frames"] = {
        "extra": "Chromium frame rows: the median over the runs of each run's figure; the p99 column holds the worst run"
    }


def fmt(value: float) -> str:
    if value != value:
        return "-"
    return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"


def targets(figures: dict) -> list[str]:
    def median(prefix):
        return next((v["median"] for k, v in figures.items() if k.startswith(prefix) and "median" in v), None)

    def check(label, value, limit, unit=""):
        if value is None or limit is None:
            return f"{label}: not measured"
        verdict = "met" if value <= limit else "MISSED"
        return f"{label}: {value:.2f}{unit} vs limit {limit:.2f}{unit}: {verdict}"

    # Against doccano: the figures taken in turns with it (see HEAD).
    create, dcreate = median(HEAD + "annotation create (POST /annotations/)"), median("doccano: span create (one POST)")
    page, dlist = median(HEAD + "annotation list, doc with 500"), median("doccano: span list")
    c500_turns = median(HEAD + "compare page, 5 docs, 500 ")
    c500, c5000 = median("compare page, 5 docs, 500 "), median("compare page, 5 docs, 5,000")
    reads = next(
        (v.get("per_second") for k, v in figures.items() if k.startswith("reads/s") and "document pages" in k), None
    )
    third = lambda x: x / 3 if x else None  # noqa: E731
    out = [
        check("create ≤ 1/3 of doccano's span create (ms)", create, third(dcreate)),
        check(
            "annotation list of 500 (the container, its one page embedded) ≤ 1/3 of doccano's 500-span list (ms)",
            page,
            third(dlist),
        ),
        check("compare page with 500 annotations ≤ doccano's bare 500-span JSON (ms)", c500_turns, dlist),
        check("compare page with 5,000 ≤ 4× the 500 figure (ms)", c5000, 4 * c500 if c500 else None),
        check("idle poll ≤ 2 ms (client-side, incl. TCP connect)", median("live poll, idle"), 2.0),
        (
            f"≥ 300 reads/s at 50 readers (document pages): {reads:.0f}/s: {'met' if reads >= 300 else 'MISSED'}"
            if reads
            else "reads/s: not measured"
        ),
    ]
    floor, big_floor = median("floor: GET /documents/ID.txt"), median("floor: GET /documents/ID.txt [big DB]")
    for name in (
        "compare page, 5 docs, 500 annotations",
        "annotation create (POST /annotations/)",
        "annotation list, doc with 500 (the container, its one page embedded)",
    ):
        small, big = median(name), median(name + " [big DB]")
        out.append(check(f"big DB ≤ 1.5× small: {name} (ms)", big, 1.5 * small if small else None))
        # The same in multiples of each phase's own trivial view: the machine's speed can drift
        # between the two phases, and the trivial view (a primary-key read) does not grow with the data.
        if small and big and floor and big_floor:
            out.append(
                check(
                    f"  the same, in multiples of each phase's trivial view: {name}",
                    big / big_floor,
                    1.5 * small / floor,
                )
            )
    return out


def targets_19(figures: dict, args: argparse.Namespace, frames: dict) -> list[str]:
    """Issue #19: the compare page with 500 links held to the compare page's targets, and the frames."""

    def median(name):
        return figures.get(name, {}).get("median")

    def check(label, value, limit, unit=""):
        if value is None or limit is None:
            return f"{label}: not measured"
        verdict = "met" if value <= limit else "MISSED"
        return f"{label}: {value:.2f}{unit} vs limit {limit:.2f}{unit}: {verdict}"

    page, links = LINKS_PAGE.format(links=args.links), LINKS_JSON.format(links=args.links)
    dlist = next((v["median"] for k, v in figures.items() if k.startswith("doccano: span list")), None)
    page_turns, json_turns = median(HEAD + page), median(HEAD + links)
    both = page_turns + json_turns if page_turns is not None and json_turns is not None else None
    c500 = median("compare page, 5 docs, 500 annotations")
    out = [
        check(f"compare page with {args.links} links ≤ doccano's bare 500-span JSON (ms)", page_turns, dlist),
        check(
            f"compare page with {args.links} links + its links JSON ≤ doccano's bare 500-span JSON (ms)", both, dlist
        ),
        check(
            f"compare page with {args.links} links ≤ 4× the 500-annotation page (the 5,000 page's allowance; ms)",
            median(page),
            4 * c500 if c500 else None,
        ),
    ]
    floor, big_floor = median("floor: GET /documents/ID.txt"), median("floor: GET /documents/ID.txt [big DB]")
    for name in (page, links):
        small, big = median(name), median(name + " [big DB]")
        out.append(check(f"big DB ≤ 1.5× small: {name} (ms)", big, 1.5 * small if small else None))
        if small and big and floor and big_floor:
            out.append(
                check(
                    f"  the same, in multiples of each phase's trivial view: {name}",
                    big / big_floor,
                    1.5 * small / floor,
                )
            )
    for variant, result in frames.items():
        m = result["median"]
        out.append(
            check(
                f"no frame over 16 ms scrolling the 5 columns, Link scrolling {variant} "
                f"(max frame, median of {len(result['runs'])} runs; {m['frames_over_budget']:.0f} frames over)",
                m["max_frame_ms"],
                16.0,
                " ms",
            )
        )
        out.append(
            check(
                f"  the same in CPU time (the longest main-thread task, Chromium's trace; "
                f"{m['tasks_cpu_over_budget']:.0f} tasks over)",
                m["task_cpu_max_ms"],
                16.0,
                " ms",
            )
        )
    if not frames:
        out.append("no frame over 16 ms while scrolling: not measured")
    return out


def database_name() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        import sqlite3

        return f"SQLite {sqlite3.sqlite_version} (WAL)"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def write_report(figures: dict, args, doccano_reason: str, elapsed: float, frames: dict | None = None) -> None:
    frames = frames or {}
    floor = figures.get("floor: GET /documents/ID.txt", {}).get("median")
    dfloor = next((v["median"] for k, v in figures.items() if k.startswith("doccano: floor")), None)
    head_floor = figures.get(HEAD + "floor: GET /documents/ID.txt", {}).get("median")
    lines = [
        f"Reading Room bench, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {platform.node()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {database_name()}; `{' '.join(['bench/run.py', *sys.argv[1:]])}`; {elapsed / 60:.1f} min",
        "",
        "| figure | n | median | p95 | p99 | median / floor |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, stats in figures.items():
        if name.startswith("_"):
            continue
        unit = stats.get("unit", "ms")
        base = dfloor if name.startswith("doccano") else head_floor if name.startswith(HEAD) else floor
        ratio = f"{stats['median'] / base:.1f}×" if base and unit == "ms" and "per_second" not in stats else ""
        if "per_second" in stats:
            row = f"| {name} | {stats['n']} | {stats['per_second']:.0f} req/s (latency ms: {fmt(stats['median'])}) | {fmt(stats['p95'])} | {fmt(stats['p99'])} | |"
        else:
            suffix = " words/s" if unit == "words/s" else ""
            row = f"| {name} | {stats['n']} | {fmt(stats['median'])}{suffix} | {fmt(stats['p95'])} | {fmt(stats['p99'])} | {ratio} |"
        lines.append(row)
    if not getattr(args, "only", ""):
        lines += ["", "Issue #6 targets:", ""] + [f"- {line}" for line in targets(figures)]
    lines += ["", "Issue #19 targets:", ""] + [f"- {line}" for line in targets_19(figures, args, frames)]
    lines.append("")
    lines += [
        f"- {stats['extra']}" if name.startswith("_") else f"- {name}: {stats['extra']}"
        for name, stats in figures.items()
        if stats.get("extra")
    ]
    lines.append(f"- doccano: {doccano_reason}")
    lines.append(
        f'- "{HEAD.strip(": ")}": blocks of 5 back-to-back requests to each server in turn (the order rotating, the first'
        " request of each block not counted), so a drift in the machine's speed touches both; the targets against doccano"
        " use these, the other rows are Reading Room alone."
    )
    lines.append(
        "- Times in ms, measured by the client (new TCP connection per request); p95/p99 are nearest-rank over n samples;"
        " for words/s the p95/p99 columns are the 5th percentile and the minimum (the slow tail)."
    )
    text = "\n".join(lines) + "\n"
    print(text)
    (BENCH / "last-run.md").write_text(text)
    (BENCH / "last-run.json").write_text(
        json.dumps({"figures": figures, "doccano": doccano_reason}, indent=1, default=str)
    )


if __name__ == "__main__":
    sys.exit(main())
