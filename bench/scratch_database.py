"""A throw-away database for a benchmark script: set up Django on it and migrate.

SQLite by default (a file in a new temporary folder); with ``postgres_url`` (a server, e.g.
``postgres://postgres@127.0.0.1:5432/postgres``) a new database on that server instead, which
``drop_scratch`` removes afterwards.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


def scratch_django(
    prefix: str = "readingroom-bench-", *, postgres_url: str | None = None, sqlite_from: Path | None = None
) -> Path:
    """Point Django at a new database, set it up, migrate; return a temporary working folder.
    ``sqlite_from``: an SQLite database to start from, copied (the original is left as it is)."""
    sys.path.insert(0, str(ROOT))
    workdir = Path(tempfile.mkdtemp(prefix=prefix))
    os.environ.setdefault("DEBUG", "1")
    if postgres_url:
        import psycopg

        name = f"readingroom_bench_{os.getpid()}_{int(time.time())}"
        with psycopg.connect(postgres_url, autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"')
        parts = urlsplit(postgres_url)
        os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{name}"))
        (workdir / "postgres-database").write_text(f"{postgres_url}\n{name}\n")
    else:
        os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
        if sqlite_from is not None:
            import sqlite3

            with sqlite3.connect(sqlite_from) as source, sqlite3.connect(workdir / "bench.sqlite3") as copy:
                source.backup(copy)  # whole, write-ahead log included
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "readingroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return workdir


def drop_scratch(workdir: Path) -> None:
    """Remove the PostgreSQL database ``scratch_django`` made, if it made one."""
    marker = workdir / "postgres-database"
    if not marker.exists():
        return
    server, name = marker.read_text().split()
    from django.db import connections

    connections.close_all()
    import psycopg

    with psycopg.connect(server, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
