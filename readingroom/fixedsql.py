"""Rows read and written on the hottest paths with statements written once per database.

Django compiles a queryset into SQL on every call. For the reads and the one insert that every
request or every save makes (the session, the signed-in user, the annotated document, the new
annotation), compiling cost about 250 µs apiece on the benchmark machine: several times what
SQLite takes to run the statement (bench/RESULTS.md). These helpers build the statement from the
model's fields once, then only run it, and turn rows into model instances the way the ORM does
(``Model.from_db`` after the database's and the fields' converters), so the rest of the code
sees the same objects.

Kept to plain primary-key reads, plain inserts of one row, and many rows of whole numbers (the
fingerprint indexes an import writes by the hundred thousand, ``insert_rows``): anything with
joins, filters or relations stays in the ORM.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar, cast

from django.conf import settings
from django.db import connections, router
from django.db.models import Field, ForeignKey, Model, signals

M = TypeVar("M", bound=Model)

_INT64 = 2**63


def fast_paths_enabled() -> bool:
    """READINGROOM_FAST_PATHS=0 runs every read and insert here through the ORM instead: CI runs
    the suite once that way, so the two can never drift apart unnoticed."""
    return getattr(settings, "READINGROOM_FAST_PATHS", True)


class PrimaryKeyReader(Generic[M]):
    """``model.objects.only(fields).filter(pk=value).first()`` with a fixed statement. Fields left
    out are deferred as with ``only()``: read on first access."""

    def __init__(self, model: type[M], *, leave_out: tuple[str, ...] = ()):
        self.model = model
        self.fields = [field for field in model._meta.concrete_fields if field.name not in leave_out]
        self.names = [field.attname for field in self.fields]
        self.leave_out = leave_out
        self._plans: dict[str, tuple[str, list]] = {}

    def _plan(self, alias: str):
        plan = self._plans.get(alias)
        if plan is None:
            connection = connections[alias]
            quote, meta = connection.ops.quote_name, self.model._meta
            sql = (
                "SELECT "
                + ", ".join(quote(field.column) for field in self.fields)  # type: ignore[arg-type]
                + f" FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} = %s"  # type: ignore[arg-type]
            )
            converters = []
            for index, field in enumerate(self.fields):
                column = field.get_col(meta.db_table)
                functions = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                if functions:
                    converters.append((index, functions, column))
            plan = self._plans[alias] = (sql, converters)
        return plan

    def get(self, pk) -> M | None:
        """The instance, or None when there is no such row (also for an id no database integer holds)."""
        if isinstance(pk, int) and not -_INT64 <= pk < _INT64:
            return None
        if not fast_paths_enabled():
            return self.model._base_manager.defer(*self.leave_out).filter(pk=pk).first()
        alias = router.db_for_read(self.model)
        sql, converters = self._plan(alias)
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, [pk])
            row = cursor.fetchone()
        if row is None:
            return None
        if converters:
            row = list(row)
            for index, functions, column in converters:
                value = row[index]
                for function in functions:
                    value = function(value, column, connection)
                row[index] = value
        return self.model.from_db(alias, self.names, row)


_INSERTS: dict[tuple[type[Model], str], tuple[str, list]] = {}


def insert(instance: M) -> M:
    """``instance.save()`` for a new row, with a fixed ``INSERT … RETURNING`` statement: the fields'
    ``pre_save`` (auto_now and the like) and database preparation run as in the ORM. A model
    someone listens to (pre_save / post_save receivers), or a database that cannot return the new
    id, gets the ORM's save instead. A model with a ``save()`` of its own is refused: what it does
    would be skipped here without anyone noticing."""
    model = type(instance)
    if model.save is not Model.save:
        raise TypeError(f"{model.__name__} overrides save(): insert() would skip it; use save().")
    if not fast_paths_enabled():
        instance.save(force_insert=True)
        return instance
    alias = router.db_for_write(model, instance=instance)
    connection = connections[alias]
    if (
        signals.pre_save.has_listeners(model)
        or signals.post_save.has_listeners(model)
        or not connection.features.can_return_columns_from_insert
    ):
        instance.save(force_insert=True)
        return instance
    plan = _INSERTS.get((model, alias))
    if plan is None:
        quote, meta = connection.ops.quote_name, model._meta
        fields = [field for field in meta.concrete_fields if not field.primary_key]
        sql = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"  # type: ignore[arg-type]
            f" VALUES ({', '.join(['%s'] * len(fields))}) RETURNING {quote(meta.pk.column)}"  # type: ignore[arg-type]
        )
        plan = _INSERTS[(model, alias)] = (sql, fields)
    sql, fields = plan
    values = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, values)
        instance.pk = cursor.fetchone()[0]
    instance._state.adding = False
    instance._state.db = alias
    return instance


_ROW_INSERTS: dict[tuple[type[Model], tuple[str, ...], str], str] = {}
ROWS_PER_STATEMENT = 2000


def insert_rows(model: type[Model], fields: tuple[str, ...], rows: list[tuple[int | None, ...]]) -> None:
    """``bulk_create`` of many rows of whole numbers (index rows: hashes, ids, offsets, counts),
    without making a model instance of each: one ``executemany`` of a fixed statement. Only
    integer fields (None where one is nullable) and foreign keys to integer keys are accepted, so
    no value needs the fields' preparation; a model with a ``save()`` of its own or with save
    receivers gets ``bulk_create``."""
    meta = model._meta
    columns = [cast(Field, meta.get_field(name)) for name in fields]
    for field in columns:
        target = field.target_field if isinstance(field, ForeignKey) else field
        if target.get_internal_type() not in _WHOLE_NUMBERS:
            raise TypeError(f"insert_rows() takes whole numbers only; {model.__name__}.{field.name} is not one.")
    if model.save is not Model.save:
        raise TypeError(f"{model.__name__} overrides save(): insert_rows() would skip it; use save().")
    if not rows:
        return
    alias = router.db_for_write(model)
    if not fast_paths_enabled() or signals.pre_save.has_listeners(model) or signals.post_save.has_listeners(model):
        model._default_manager.db_manager(alias).bulk_create(
            [model(**{field.attname: value for field, value in zip(columns, row, strict=True)}) for row in rows],
            batch_size=ROWS_PER_STATEMENT,
        )
        return
    connection = connections[alias]
    sql = _ROW_INSERTS.get((model, fields, alias))
    if sql is None:
        quote = connection.ops.quote_name
        sql = _ROW_INSERTS[(model, fields, alias)] = (
            f"INSERT INTO {quote(meta.db_table)} ({', '.join(quote(str(field.column)) for field in columns)})"
            f" VALUES ({', '.join(['%s'] * len(columns))})"
        )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), ROWS_PER_STATEMENT):
            cursor.executemany(sql, rows[start : start + ROWS_PER_STATEMENT])


_WHOLE_NUMBERS = {
    "AutoField",
    "BigAutoField",
    "BigIntegerField",
    "IntegerField",
    "PositiveBigIntegerField",
    "PositiveIntegerField",
    "PositiveSmallIntegerField",
    "SmallIntegerField",
}


_STATEMENTS: dict[tuple[str, str], str] = {}


def fetch_fixed(name: str, model: type[Model], build, params: list, *, orm: Callable[[], list[tuple]]) -> list[tuple]:
    """Rows of a statement written once per database: ``build(quote, meta)`` returns its SQL, with
    table and column names taken from ``model``'s options and quoted; ``name`` tells statements
    apart. For small hot reads whose shape never changes. ``orm()`` gives the same rows through
    the ORM: what runs when the fast paths are off."""
    if not fast_paths_enabled():
        return [tuple(row) for row in orm()]
    alias = router.db_for_read(model)
    connection = connections[alias]
    sql = _STATEMENTS.get((name, alias))
    if sql is None:
        sql = _STATEMENTS[(name, alias)] = build(connection.ops.quote_name, model._meta)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def column(meta, name: str, quote) -> str:
    """A field's quoted column name."""
    return quote(meta.get_field(name).column)
