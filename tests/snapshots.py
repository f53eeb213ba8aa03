"""Database states that many tests start from, built once per test process and put back as rows.

Importing the five seeds, finding their entities and comparing them takes one to two seconds even
with the model's answers remembered; some 80 tests start from that library. The first test to ask
for it builds it for real and the rows it wrote are kept; the next tests get the same rows written
back (a DELETE and one INSERT per table: tens of milliseconds), as long as the tables it touched
hold what they held before it was built. Otherwise (another fixture wrote to one of those tables
first) the library is built for real again. So what a test sees is what building it would give,
ids included.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.apps import apps
from django.core.management.color import no_style
from django.db import connections, transaction

Built = TypeVar("Built")
Kept = TypeVar("Kept", bound=Hashable)

Rows = list[tuple]


def _tables(alias: str) -> list[str]:
    return sorted(connections[alias].introspection.django_table_names(only_existing=True, include_views=False))


def _read(alias: str, tables: list[str]) -> dict[str, tuple[list[str], Rows]]:
    connection = connections[alias]
    quote = connection.ops.quote_name
    read = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {quote(table)}")
            columns = [column[0] for column in cursor.description]
            rows = sorted(cursor.fetchall(), key=repr)
            read[table] = (columns, rows)
    return read


@dataclass(frozen=True)
class _Change:
    """What building wrote: for each table it changed, its rows before and after."""

    before: dict[str, Rows]
    after: dict[str, tuple[list[str], Rows]]

    def applies(self, alias: str, *, or_empty: bool) -> bool:
        # Highlight versions are kept by triggers, not written by anyone: whatever they hold is
        # replaced with the state's (emptying the tables to start a live-server test bumps them).
        derived = apps.get_model("library", "HighlightVersion")._meta.db_table
        checked = [table for table in self.before if table != derived]
        now = _read(alias, checked)
        return all(now[table][1] == self.before[table] or (or_empty and not now[table][1]) for table in checked)

    def write(self, alias: str) -> None:
        connection = connections[alias]
        quote = connection.ops.quote_name
        with transaction.atomic(using=alias), connection.cursor() as cursor:
            for table in self.after:
                self._write_table(cursor, quote, table)
            # Triggers (highlight versions, the search index) answer the writes above: the tables
            # they keep are written again, as they were when the state was built.
            now = _read(alias, list(self.after))
            for table, (_, rows) in self.after.items():
                if now[table][1] != rows:
                    self._write_table(cursor, quote, table)
        self._reset_sequences(alias)

    def _write_table(self, cursor, quote, table: str) -> None:
        columns, rows = self.after[table]
        cursor.execute(f"DELETE FROM {quote(table)}")
        if rows:
            names = ", ".join(quote(column) for column in columns)
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)

    def _reset_sequences(self, alias: str) -> None:
        # PostgreSQL's sequences do not follow rows written with their ids (SQLite's do).
        connection = connections[alias]
        models = [model for model in apps.get_models(include_auto_created=True) if model._meta.db_table in self.after]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)


class Snapshot(Generic[Built, Kept]):
    """One database state: ``build()`` makes it; ``keep(built)`` says what to remember of its
    result (ids), and ``again(kept)`` gives the result back after the rows are written again.
    ``from_empty``: building into empty tables gives the same state (it writes the rows it needs
    first, as the live-server tests' fixture puts back what the migrations wrote)."""

    def __init__(
        self,
        build: Callable[[], Built],
        keep: Callable[[Built], Kept],
        again: Callable[[Kept], Built],
        *,
        from_empty: bool = False,
    ):
        self._build, self._keep, self._again, self._from_empty = build, keep, again, from_empty
        self._taken: dict[str, tuple[_Change, Kept]] = {}
        self.built = 0  # times built for real in this process, for the tests of this module

    def __call__(self, alias: str = "default") -> Built:
        key = f"{alias}:{connections[alias].settings_dict['NAME']}"
        taken = self._taken.get(key)
        if taken is not None and taken[0].applies(alias, or_empty=self._from_empty):
            change, kept = taken
            change.write(alias)
            return self._again(kept)
        tables = _tables(alias)
        before = _read(alias, tables)
        built = self._build()
        self.built += 1
        after = _read(alias, tables)
        changed = [table for table in tables if before[table][1] != after[table][1]]
        change = _Change(before={table: before[table][1] for table in changed}, after={t: after[t] for t in changed})
        self._taken[key] = (change, self._keep(built))
        return built
