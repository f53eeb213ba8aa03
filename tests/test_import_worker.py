"""A real background worker (manage.py db_worker) killed with SIGKILL in the middle of an import
job: every document it stored is whole, and the job, resumed, finishes without duplicates. On
SQLite and, when a server answers, on PostgreSQL."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.scratch import ROOT, process_environment

SEEDS = ROOT / "seeds"
FILES = 8

pytestmark = [
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").startswith("postgres"),
        reason="run once, in the SQLite pass, against both databases",
    ),
    pytest.mark.slow,
]

QUEUE = """
import sys
from pathlib import Path
import django
django.setup()
from readingroom.library.jobs import job_files_from_paths, import_job_create
from readingroom.reader.jobs import import_job_enqueue
job = import_job_create(files=job_files_from_paths(sorted(Path(sys.argv[1]).iterdir())))
import_job_enqueue(job=job)
print(job.pk)
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, scratch_databases, tmp_path):
    url = scratch_databases.database(request.param, purpose="worker", folder=tmp_path)
    yield url
    scratch_databases.drop(url)


def query(database_url: str, sql: str):
    if database_url.startswith("sqlite"):
        with sqlite3.connect(database_url.removeprefix("sqlite:///"), timeout=30) as connection:
            return connection.execute(sql).fetchall()
    import psycopg

    with psycopg.connect(database_url) as connection:
        cursor = connection.execute(sql)
        return cursor.fetchall() if cursor.description else []


def descendants(pid: int) -> list[int]:
    """The processes ``pid`` started, and theirs (Linux's /proc)."""
    found = []
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            children = open(f"/proc/{pid}/task/{task}/children").read().split()
        except OSError:
            continue
        for child in map(int, children):
            found += [child, *descendants(child)]
    return found


def alive(pid: int) -> bool:
    """Whether ``pid`` runs (a zombie waiting for its new parent to reap it does not)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def test_a_worker_killed_mid_job_leaves_whole_documents_and_the_job_finishes(database_url, tmp_path):
    # The model reads ahead in a process of its own, as by default, in the SQLite run; the
    # PostgreSQL run and the resumed worker read in the worker itself, which starts faster.
    pipeline = "1" if database_url.startswith("sqlite") else "0"
    env = process_environment(database_url, READINGROOM_IMPORT_BATCH="2", READINGROOM_IMPORT_PIPELINE=pipeline)
    python = sys.executable
    folder = tmp_path / "articles"
    folder.mkdir()
    seeds = sorted(SEEDS.glob("*.txt"))
    for number in range(FILES):
        text = seeds[number % len(seeds)].read_text(encoding="utf-8")
        (folder / f"{number:02d}.txt").write_text(f"{text}\n\nEdition {number} of this report.\n", encoding="utf-8")
    queued = subprocess.run([python, "-c", QUEUE, str(folder)], cwd=ROOT, env=env, check=True, capture_output=True)
    job = int(queued.stdout.decode().split()[-1])

    worker_command = [python, "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2"]
    worker = subprocess.Popen(worker_command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 180
        done = 0
        while time.monotonic() < deadline:
            done = query(
                database_url, f"SELECT count(*) FROM library_importitem WHERE job_id = {job} AND status != 'pending'"
            )[0][0]
            if done >= 3:
                break
            time.sleep(0.05)
        helpers = descendants(worker.pid)
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
    assert 3 <= done < FILES, "the worker was to be killed in the middle of the job"
    # Its model process (reading ahead, in the SQLite run) ends with it instead of living on.
    if database_url.startswith("sqlite"):
        assert helpers, "the model was to read ahead in a process of its own"
    deadline = time.monotonic() + 30
    while (left := [pid for pid in helpers if alive(pid)]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert left == [], "processes the killed worker started are still running"

    # Each document it stored is whole: entities, passage index, the item marked in the same commit.
    documents = query(database_url, "SELECT count(*) FROM library_document")[0][0]
    whole = query(
        database_url,
        "SELECT count(*) FROM library_document d WHERE EXISTS (SELECT 1 FROM entities_documentextraction e "
        "WHERE e.document_id = d.id) AND EXISTS (SELECT 1 FROM coverage_passagefingerprint f WHERE f.document_id = d.id)",
    )[0][0]
    imported = query(
        database_url, f"SELECT count(*) FROM library_importitem WHERE job_id = {job} AND status = 'imported'"
    )[0][0]
    assert documents == whole == imported < FILES

    # The dead worker's silence passes; make run's resume_imports queues the job again and a new worker finishes it.
    query(database_url, "UPDATE library_importjob SET heartbeat_at = '2000-01-01 00:00:00+00:00'")
    env["READINGROOM_IMPORT_PIPELINE"] = "0"
    subprocess.run([python, "manage.py", "resume_imports"], cwd=ROOT, env=env, check=True, capture_output=True)
    subprocess.run([*worker_command, "--batch"], cwd=ROOT, env=env, check=True, capture_output=True, timeout=300)
    assert query(database_url, f"SELECT status FROM library_importjob WHERE id = {job}") == [("done",)]
    assert query(database_url, "SELECT count(*), count(DISTINCT sha256) FROM library_document") == [(FILES, FILES)]
    assert query(
        database_url, f"SELECT count(*) FROM library_importitem WHERE job_id = {job} AND status = 'imported'"
    ) == [(FILES,)]
