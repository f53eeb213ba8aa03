"""The real application server under concurrent writers: nothing lost, nothing doubled, no 500s,
and concurrent edits of one annotation never silently overwrite each other.

The module gets a migrated throw-away database (tests/scratch.py: an SQLite file in WAL mode, or
a new PostgreSQL database when a server answers on 127.0.0.1:5432), starts gunicorn with several workers on a
free loopback port, and drives it from threads in this process.
"""

from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.scratch import ROOT, process_environment

# These tests make their own databases, SQLite and PostgreSQL both; the suite's PostgreSQL pass
# (DATABASE_URL set) need not run them a second time.
pytestmark = [
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="run once, in the SQLite pass, against both databases",
    ),
    pytest.mark.slow,
]
CLIENTS = 20
ANNOTATIONS_EACH = 50
CSRF_TOKEN = "concurrencytestcsrftoken12345678"  # any 32 letters and digits will do

SETUP = """
import json, sys
import django
django.setup()
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from readingroom.library.importing import documents_import_paths
from pathlib import Path

document = documents_import_paths(paths=[Path("seeds/001_2d7baa57e1832a05.txt")])[0].document
sessions = []
for number in range(int(sys.argv[1])):
    user = get_user_model().objects.create_user(f"writer{number}")  # signed in by session, no password to hash
    store = SessionStore()
    store["_auth_user_id"] = str(user.pk)
    store["_auth_user_backend"] = "readingroom.signin.ModelBackend"
    store["_auth_user_hash"] = user.get_session_auth_hash()
    store.create()
    sessions.append(store.session_key)
print(json.dumps({"document": document.pk, "text": document.canonical_text, "sessions": sessions}))
"""

COUNT = """
import django
django.setup()
from readingroom.annotations.models import Annotation
from django.db.models import Count
print(Annotation.objects.count(), Annotation.objects.values("author", "body").annotate(n=Count("pk")).filter(n__gt=1).count())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# One server per database for the module: starting it (users, four gunicorn workers) is the slow
# part, and the edit test's one annotation does not disturb the counts of the test before it.
@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def server(request, scratch_databases, tmp_path_factory):
    database_url = scratch_databases.database(
        request.param, purpose="concurrency", folder=tmp_path_factory.mktemp("concurrency")
    )
    env = process_environment(database_url, ALLOWED_HOSTS="127.0.0.1")
    python = sys.executable
    setup = subprocess.run(
        [python, "-c", SETUP, str(CLIENTS)], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    world = json.loads(setup.stdout.strip().splitlines()[-1])
    port = free_port()
    gunicorn = subprocess.Popen(
        [
            python,
            "-m",
            "gunicorn",
            "readingroom.wsgi",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        gunicorn.kill()
        pytest.fail("gunicorn did not start")

    def count() -> tuple[int, int]:
        result = subprocess.run([python, "-c", COUNT], cwd=ROOT, env=env, check=True, capture_output=True, text=True)
        total, doubled = result.stdout.split()
        return int(total), int(doubled)

    yield {"port": port, "count": count, **world}
    gunicorn.terminate()
    gunicorn.wait(timeout=20)
    scratch_databases.drop(database_url)


def request(port: int, session: str, method: str, path: str, body: dict | None = None, headers: dict | None = None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    all_headers = {
        "Cookie": f"sessionid={session}; csrftoken={CSRF_TOKEN}",
        "X-CSRFToken": CSRF_TOKEN,
        "Content-Type": "application/ld+json",
        **(headers or {}),
    }
    connection.request(method, path, body=json.dumps(body) if body is not None else None, headers=all_headers)
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return response.status, dict(response.getheaders()), data


def annotation_body(world: dict, number: int, client: int) -> dict:
    """A 12-character passage somewhere in the document, inside one paragraph."""
    text = world["text"]
    start = (number * 37 + client * 11) % (len(text) - 40)
    while not text[start : start + 12].strip() or "\n" in text[start : start + 12]:
        start += 1
    return {
        "type": "Annotation",
        "visibility": "public",
        "body": [{"type": "TextualBody", "purpose": "commenting", "value": f"client {client} note {number}"}],
        "target": {
            "source": f"http://127.0.0.1/documents/{world['document']}/",
            "selector": [{"type": "TextPositionSelector", "start": start, "end": start + 12}],
        },
    }


def test_twenty_clients_creating_fifty_annotations_each_lose_nothing(server):
    def client(number: int) -> list[int]:
        session = server["sessions"][number]
        statuses = []
        for index in range(ANNOTATIONS_EACH):
            status, _, _ = request(
                server["port"], session, "POST", "/annotations/", annotation_body(server, index, number)
            )
            statuses.append(status)
        return statuses

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        statuses = [status for result in pool.map(client, range(CLIENTS)) for status in result]

    assert statuses.count(201) == CLIENTS * ANNOTATIONS_EACH, sorted(set(statuses))
    total, doubled = server["count"]()
    assert total == CLIENTS * ANNOTATIONS_EACH
    assert doubled == 0


def test_concurrent_edits_of_one_annotation_leave_exactly_one_winner(server):
    owner = server["sessions"][0]
    status, headers, data = request(server["port"], owner, "POST", "/annotations/", annotation_body(server, 1, 0))
    assert status == 201
    created = json.loads(data)
    path = "/annotations/" + created["id"].rsplit("/", 1)[-1]
    etag = headers["ETag"]

    def edit(number: int) -> int:
        changed = {**created, "body": [{"type": "TextualBody", "purpose": "commenting", "value": f"edit {number}"}]}
        return request(server["port"], owner, "PUT", path, changed, {"If-Match": etag})[0]

    with ThreadPoolExecutor(max_workers=10) as pool:
        statuses = list(pool.map(edit, range(10)))

    assert statuses.count(200) == 1, statuses
    assert statuses.count(412) == 9, statuses
