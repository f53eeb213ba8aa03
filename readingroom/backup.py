"""Backup and restore: everything Reading Room stores, in one JSON Lines file.

The file is a header line, one line per row (Django's serialisation of a model instance) and an
end line that counts them. Every table is in it, found from the app registry: the users and groups
(and their links to permissions, named by natural key: ids differ between databases) and every
model of Reading Room's own apps, with the link tables of their many-to-many fields as tables of
their own, so that every row comes back with its own id. Texts come back exactly (XML lost spaces
at the ends of a field, and refused control characters) and times to the microsecond (Django's JSON
keeps milliseconds). The file is plain ASCII: no line break inside a text can split a record.

A restore goes into an empty database (fresh migrations, from the same or a newer Reading Room): it
removes the rows migrations put there (known sources, curated entities), loads the file in one
transaction and checks every foreign key before committing. What triggers derive from the rows
(SQLite's search index, the highlight versions) follows as the rows load; the highlight versions
are then moved past any number they can have had (see ``_versions_moved_on``).
"""

from __future__ import annotations

import datetime
import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from pathlib import Path

from django.apps import apps
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JSONLSerializer
from django.core.serializers.python import Deserializer as PythonDeserializer
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

from readingroom.library.models import HighlightVersion

FORMAT = "readingroom-backup"
FORMAT_VERSION = 1
# Rows whose presence means the database is in use, not fresh.
IN_USE = ["library.document", "annotations.annotation", "annotations.annotationsession"]
ROWS_PER_QUERY = 2000


class RestoreRefused(Exception):
    """A file or a database that a restore will not touch; the message says why."""


Progress = Callable[[str, int], None]


def backed_up_models() -> list[type[models.Model]]:
    """Every model whose rows a backup holds, each after the models its foreign keys point to.

    Permissions (and their content types) are left out: migrate makes them, and rows refer to them
    by natural key. So are Django's sign-in sessions and the admin's log."""
    chosen = [
        model
        for config in apps.get_app_configs()
        if config.label == "auth" or config.name.startswith("readingroom.")
        for model in config.get_models(include_auto_created=True)
        if model is not Permission and not model._meta.proxy
    ]
    graph = {
        model: {f.related_model for f in model._meta.concrete_fields if f.is_relation and f.related_model in chosen}
        - {model}
        for model in chosen
    }
    try:
        return list(TopologicalSorter(graph).static_order())
    except CycleError:
        # Foreign keys are checked when the restore commits, so any order loads.
        return chosen


class _ExactEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder without its rounding of times to the millisecond."""

    def default(self, o):
        if isinstance(o, (datetime.datetime, datetime.time)):
            return o.isoformat()
        return super().default(o)


class BackupSerializer(JSONLSerializer):
    """Django's JSON Lines, exact: microseconds kept, ASCII only, and rows of the backup referred to
    by id (only models outside it, permissions, by natural key)."""

    def __init__(self, *, inside: set[type[models.Model]]):
        self.inside = inside

    def _init_options(self):
        super()._init_options()
        self.json_kwargs.update(cls=_ExactEncoder, ensure_ascii=True)

    def handle_fk_field(self, obj, field):
        if field.related_model in self.inside:
            self._current[field.name] = self._value_from_field(obj, field)
        else:
            related = getattr(obj, field.name)
            self._current[field.name] = related.natural_key() if related is not None else None

    def handle_m2m_field(self, obj, field):
        pass  # the link table is backed up as a model of its own, ids and all


@dataclass
class Restored:
    records: int = 0
    warnings: list[str] = field(default_factory=list)


def _header(using: str) -> dict:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    return {
        FORMAT: FORMAT_VERSION,
        "written_at": datetime.datetime.now(datetime.UTC).isoformat(),
        "database": connections[using].vendor,
        "migrations": sorted(f"{app}.{name}" for app, name in applied),
    }


@contextmanager
def _one_snapshot(using: str) -> Iterator[None]:
    """Every table read as it was at one moment, without holding up the site's writes meanwhile."""
    connection = connections[using]
    if connection.in_atomic_block:  # the caller's transaction already sees one snapshot
        yield
    elif connection.vendor == "sqlite":
        # atomic() would BEGIN IMMEDIATE (settings.py) and hold the write lock for the whole backup;
        # a deferred read transaction sees one snapshot under WAL and lets writers carry on.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
    else:
        with transaction.atomic(using=using):
            if connection.vendor == "postgresql":
                # READ COMMITTED would read each table at a different moment: a row written in
                # between could point to one the backup does not have.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield


def backup_write(*, path: str, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None) -> int:
    """Write every backed-up row to ``path`` and return how many. The file is written beside it
    and renamed into place only when complete: a failed backup never leaves a file that looks
    like a good one."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    chosen = backed_up_models()
    counts: dict[str, int] = {}
    try:
        with open(partial, "w", encoding="ascii", newline="\n") as file, _one_snapshot(using):
            file.write(json.dumps(_header(using)) + "\n")
            for model in chosen:
                label = model._meta.label_lower
                rows = model._base_manager.using(using).order_by("pk").iterator(chunk_size=ROWS_PER_QUERY)
                BackupSerializer(inside=set(chosen)).serialize(_counted(rows, counts, label), stream=file)
                if progress is not None:
                    progress(label, counts[label])
            file.write(json.dumps({"end": {"records": counts}}) + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return sum(counts.values())


def _counted(rows: Iterator[models.Model], counts: dict[str, int], label: str) -> Iterator[models.Model]:
    counts[label] = 0
    for row in rows:
        counts[label] += 1
        yield row


def database_in_use(using: str = DEFAULT_DB_ALIAS) -> bool:
    return any(apps.get_model(label)._base_manager.using(using).exists() for label in IN_USE)


def _read_header(path: str) -> dict | None:
    """The header of a backup in this format; None for the XML of earlier versions."""
    with open(path, "rb") as file:
        first = file.readline(1_000_000)
    if first.lstrip().startswith(b"<"):
        return None
    try:
        header = json.loads(first)
    except ValueError:
        header = None
    if not isinstance(header, dict) or header.get(FORMAT) is None:
        raise RestoreRefused(f"{path} is not a Reading Room backup (it does not start with a backup's header).")
    if header[FORMAT] != FORMAT_VERSION:
        raise RestoreRefused(
            f"{path} is a backup in format {header[FORMAT]!r}; this Reading Room reads format {FORMAT_VERSION}."
        )
    return header


def backup_restore(*, path: str, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None) -> Restored:
    """Load a backup into an empty database, all or nothing. Also reads the XML that earlier
    versions wrote, with a warning for what that format lost."""
    header = _read_header(path)
    if header is not None:
        missing = set(header.get("migrations", [])) - {
            f"{app}.{name}" for app, name in MigrationRecorder(connections[using]).applied_migrations()
        }
        if missing:
            raise RestoreRefused(
                f"{path} was written by a newer Reading Room (migrations {', '.join(sorted(missing))}): "
                "upgrade this one and run migrate first."
            )
    with transaction.atomic(using=using):
        if database_in_use(using):
            raise RestoreRefused("The database already holds documents or annotations; restore into an empty one.")
        chosen = backed_up_models()
        for model in reversed(chosen):
            model._base_manager.using(using).all().delete()
        # Last, after every delete that its triggers count.
        HighlightVersion.objects.using(using).all().delete()
        if header is None:
            restored = _load_xml(path, using)
        else:
            restored = _load_lines(path, using, progress)
        connection = connections[using]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), chosen):
                cursor.execute(statement)
        connection.check_constraints(table_names=[model._meta.db_table for model in chosen])
    return restored


def _load_lines(path: str, using: str, progress: Progress | None) -> Restored:
    counts: dict[str, int] = {}
    versions: dict[int, int] = {}
    end: dict | None = None

    def records() -> Iterator[dict]:
        nonlocal end
        with open(path, encoding="utf-8", newline="\n") as file:
            next(file)  # the header
            for number, line in enumerate(file, start=2):
                try:
                    record = json.loads(line)
                except ValueError as error:
                    message = f"{path}, line {number}, is not a record ({error}). Nothing was restored."
                    raise RestoreRefused(message) from None
                if "end" in record:
                    end = record["end"]
                    return
                counts[record["model"]] = counts.get(record["model"], 0) + 1
                yield record

    label = None
    for deserialized in PythonDeserializer(records(), using=using):
        instance = deserialized.object
        if isinstance(instance, HighlightVersion):
            versions[instance.document_id] = instance.version
        else:
            instance.save_base(using=using, raw=True, force_insert=True)
        if progress is not None and label not in (None, instance._meta.label_lower):
            progress(label, counts[label])
        label = instance._meta.label_lower
    if progress is not None and label is not None:
        progress(label, counts[label])
    if end is None:
        raise RestoreRefused(f"{path} ends before its end line: the file was cut short. Nothing was restored.")
    if {label: count for label, count in end["records"].items() if count} != counts:
        raise RestoreRefused(f"{path} does not hold the rows its end line counts. Nothing was restored.")
    _versions_moved_on(versions, using)
    return Restored(records=sum(counts.values()))


def _load_xml(path: str, using: str) -> Restored:
    call_command("loaddata", path, format="xml", database=using, verbosity=0)
    _versions_moved_on({}, using)
    return Restored(
        records=sum(model._base_manager.using(using).count() for model in backed_up_models()),
        warnings=[
            "This was a backup in the XML format of earlier versions, which lost spaces at the start and end of "
            "texts (quotes of annotations among them) and held no quotes or shared passages: "
            "run `manage.py extract_quotes` to find those again, and write a new backup."
        ],
    )


def _versions_moved_on(backed_up: dict[int, int], using: str) -> None:
    """Each document's highlight version as backed up (or as the triggers counted the rows that
    loaded, where the backup has none), plus the time in microseconds.

    A version must never come back to a number it had: HTML is cached under it, in a cache that
    may outlive the database. A restore goes back in time, and the numbers the lost database (or
    an earlier restore of the same file) counted after the backup are not in it; the clock is
    past them all, unless a document changed more than a million times a second."""
    rows = HighlightVersion.objects.using(using)
    counted = dict(rows.values_list("document_id", "version"))
    step = time.time_ns() // 1000
    rows.all().delete()
    rows.bulk_create(
        HighlightVersion(document_id=pk, version=version + step) for pk, version in (counted | backed_up).items()
    )
