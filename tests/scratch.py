"""Databases of their own, for the tests that run the real commands, workers and servers in other
processes (backup and restore, the import worker, concurrent writers): an SQLite file, or a new
PostgreSQL database when a server answers on 127.0.0.1:5432.

Each comes already migrated, copied from one database migrated once per test run and shared by
pytest-xdist's workers under a file lock: an SQLite file copied, a PostgreSQL database made with
``CREATE DATABASE … TEMPLATE``. Migrating afresh took 3.5 s a database.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_SERVER = "postgresql://postgres@127.0.0.1:5432/"


def process_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment a `manage.py` run gets in a new shell, pointed at ``database_url``."""
    return {
        **{key: value for key, value in os.environ.items() if not key.startswith("DJANGO_") and key != "DATABASE_URL"},
        "DJANGO_SETTINGS_MODULE": "readingroom.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "1",
        **extra,
    }


def postgres_available() -> bool:
    """Three patient tries: on a busy machine one slow connect must not skip the PostgreSQL half."""
    import psycopg

    for attempt in range(3):
        try:
            psycopg.connect(POSTGRES_SERVER + "postgres", connect_timeout=10).close()
            return True
        except psycopg.OperationalError:
            time.sleep(1 + attempt)
    return False


def _migrate(database_url: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"],
        cwd=ROOT,
        env=process_environment(database_url),
        check=True,
        timeout=300,
    )


class ScratchDatabases:
    """``shared`` is a folder all workers of the run see (pytest's base temporary folder's parent
    under xdist): the templates and their lock live there."""

    def __init__(self, shared: Path) -> None:
        self.shared = shared
        # One PostgreSQL template per run: named after the shared folder, which is the run's own.
        self._template_name = "readingroom_template_" + hashlib.sha1(str(shared).encode()).hexdigest()[:10]
        self._made: list[str] = []

    @contextlib.contextmanager
    def _templates(self):
        with open(self.shared / "scratch-templates.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def sqlite(self, path: Path) -> str:
        """A migrated SQLite database at ``path``."""
        template = self.shared / "template.sqlite3"
        with self._templates():
            if not template.exists():
                partial = self.shared / "template.partial.sqlite3"
                partial.unlink(missing_ok=True)
                _migrate(f"sqlite:///{partial}")
                partial.rename(template)
            shutil.copyfile(template, path)
        return f"sqlite:///{path}"

    def postgresql(self, purpose: str) -> str:
        """A new migrated PostgreSQL database, dropped at the end of the test session."""
        import psycopg

        if not postgres_available():
            pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
        name = f"readingroom_{purpose}_{uuid.uuid4().hex[:8]}"
        template = self._template_name
        with self._templates(), psycopg.connect(POSTGRES_SERVER + "postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template]).fetchone():
                connection.execute(f"CREATE DATABASE {template}")
                try:
                    _migrate(POSTGRES_SERVER + template)
                except BaseException:
                    connection.execute(f"DROP DATABASE IF EXISTS {template} WITH (FORCE)")
                    raise
            connection.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        self._made.append(name)
        return POSTGRES_SERVER + name

    def database(self, kind: str, *, purpose: str, folder: Path) -> str:
        """A migrated database of ``kind`` ("sqlite" or "postgresql")."""
        if kind == "sqlite":
            return self.sqlite(folder / f"{purpose}.sqlite3")
        return self.postgresql(purpose)

    def drop(self, database_url: str) -> None:
        """Drop a PostgreSQL database this made, once the processes using it are gone."""
        name = database_url.rsplit("/", 1)[-1]
        if database_url.startswith("postgresql") and name in self._made:
            import psycopg

            with psycopg.connect(POSTGRES_SERVER + "postgres", autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            self._made.remove(name)

    def close(self) -> None:
        """Drop what is left, and the PostgreSQL template: a worker that needs it later makes it
        again (under the lock, so never while another copies from it)."""
        for name in list(self._made):
            self.drop(POSTGRES_SERVER + name)
        import psycopg

        try:
            with (
                self._templates(),
                psycopg.connect(POSTGRES_SERVER + "postgres", autocommit=True, connect_timeout=10) as connection,
            ):
                connection.execute(f"DROP DATABASE IF EXISTS {self._template_name} WITH (FORCE)")
        except psycopg.OperationalError:
            pass  # no server: nothing was made there
