"""Bounds on the work one request may ask of the server: a time limit on a block of database
work, and a per-client rate for requests that start such work.

Found by a security review: one anonymous search over a single large document held a worker for
minutes. The search itself now does bounded work (readingroom/library/search.py); these are the
backstops for whatever still turns out to be slow, and for many cheap requests at once.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper

# SQLite calls the progress handler every this many virtual-machine instructions: well under a
# millisecond of work between checks, and few enough calls into Python to cost nothing measurable.
_SQLITE_PROGRESS_STEPS = 10_000
_POSTGRESQL_QUERY_CANCELED = "57014"


class QueryTimeout(Exception):
    """The database work of a ``query_time_limit`` block ran past its budget and was stopped."""


@contextmanager
def query_time_limit(*, seconds: float, using: str = DEFAULT_DB_ALIAS) -> Iterator[None]:
    """Stop the database work of the block once ``seconds`` have passed, raising QueryTimeout.

    The budget is for the whole block, not each statement: on SQLite a progress handler aborts
    whatever statement is running at the deadline; on PostgreSQL each statement runs with a
    ``statement_timeout`` of the time that is left, inside a transaction so the setting ends with
    it. A statement that would start after the deadline is not sent at all. Python work between
    statements is not interrupted, only caught at the next statement, so keep that bounded.
    Not meant to be nested on one connection.
    """
    connection = connections[using]
    deadline = time.monotonic() + seconds
    try:
        if connection.vendor == "postgresql":
            with _postgresql_limit(connection, deadline):
                yield
        elif connection.vendor == "sqlite":
            with _sqlite_limit(connection, deadline):
                yield
        else:
            with connection.execute_wrapper(_DeadlineCheck(deadline)):
                yield
    except OperationalError as error:
        if _was_interrupted(connection, error):
            raise QueryTimeout(f"Database work ran past its {seconds:g} s budget.") from error
        raise


class _DeadlineCheck:
    """An execute wrapper that refuses to start a statement after the deadline; on PostgreSQL it
    also gives each statement only the time that is left."""

    def __init__(self, deadline: float, *, set_statement_timeout: bool = False):
        self.deadline = deadline
        self.set_statement_timeout = set_statement_timeout

    def __call__(self, execute, sql, params, many, context: dict[str, Any]):
        remaining = self.deadline - time.monotonic()
        if remaining <= 0:
            raise QueryTimeout("Database work ran past its budget before this statement.")
        if self.set_statement_timeout:
            # A raw cursor of the driver's: a Django cursor would come back through this wrapper.
            # At least 1 ms, as 0 would mean no limit at all.
            with context["connection"].connection.cursor() as raw:
                raw.execute("SELECT set_config('statement_timeout', %s, true)", [f"{max(1, int(remaining * 1000))}ms"])
        return execute(sql, params, many, context)


@contextmanager
def _postgresql_limit(connection: BaseDatabaseWrapper, deadline: float) -> Iterator[None]:
    # set_config(..., true) is SET LOCAL: it lasts until the transaction ends, which atomic()
    # makes sure of. Inside an outer transaction this is a savepoint, whose release would keep
    # the setting for the rest of the outer one: hence putting the previous value back.
    with transaction.atomic(using=connection.alias):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting('statement_timeout')")
            (previous,) = cursor.fetchone()
        with connection.execute_wrapper(_DeadlineCheck(deadline, set_statement_timeout=True)):
            yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('statement_timeout', %s, true)", [previous])


@contextmanager
def _sqlite_limit(connection: BaseDatabaseWrapper, deadline: float) -> Iterator[None]:
    # No transaction here: with the IMMEDIATE transaction mode in settings, atomic() would take
    # SQLite's write lock for what is only reading.
    connection.ensure_connection()
    raw = connection.connection

    def past_deadline() -> bool:
        return time.monotonic() >= deadline  # True makes SQLite abort: "interrupted"

    raw.set_progress_handler(past_deadline, _SQLITE_PROGRESS_STEPS)
    try:
        with connection.execute_wrapper(_DeadlineCheck(deadline)):
            yield
    finally:
        raw.set_progress_handler(None, 0)


def _was_interrupted(connection: BaseDatabaseWrapper, error: OperationalError) -> bool:
    if connection.vendor == "postgresql":
        return getattr(error.__cause__, "sqlstate", None) == _POSTGRESQL_QUERY_CANCELED
    if connection.vendor == "sqlite":
        return str(error) == "interrupted"
    return False


def rate_limit_exceeded(*, key: str, limit: int, window_seconds: int = 60) -> bool:
    """Count one request for ``key`` and say whether it goes over ``limit`` within the window
    that the first counted request opened.

    The counter lives in the default cache and expires with the window (incrementing keeps its
    expiry, in the local-memory cache as in Redis and Memcached). With the local-memory cache each
    server process counts on its own, so the real limit is this one times the number of workers.
    """
    bucket = f"ratelimit:{key}"
    # add() only creates the counter when it is missing, so two requests at once cannot reset it.
    cache.add(bucket, 0, timeout=window_seconds)
    try:
        count = cache.incr(bucket)
    except ValueError:  # the window ended between add() and incr()
        cache.add(bucket, 1, timeout=window_seconds)
        count = 1
    return count > limit
