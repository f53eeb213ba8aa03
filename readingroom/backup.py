"""Backup and restore: everything Reading Room stores, in one file (Django's XML serialisation,
which keeps timestamps to the microsecond where its JSON keeps milliseconds).

A restore goes into an empty database (fresh migrations): it first removes the rows migrations
put there (known sources, curated entities), then loads the file in one transaction.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.apps import apps
from django.core.management import call_command
from django.db import transaction

# In dependency order: what a row points to comes before it.
BACKED_UP = [
    "auth.group",
    "auth.user",
    "library.source",
    "library.document",
    "entities.entity",
    "entities.alias",
    "entities.mention",
    "entities.documentextraction",
    "annotations.tag",
    "annotations.annotationsession",
    "annotations.membership",
    "annotations.annotation",
    "annotations.sessionchange",
]
# Rows whose presence means the database is in use, not fresh.
IN_USE = ["library.document", "annotations.annotation", "annotations.annotationsession"]


class RestoreRefused(Exception):
    pass


def backup_write(*, path: str) -> None:
    """Write to a temporary file beside ``path`` and rename it into place only when complete, so a
    failed backup never leaves a file that looks like a good one."""
    target = Path(path)
    partial = target.with_name(f".{target.name}.partial")
    try:
        call_command(
            "dumpdata", *BACKED_UP, format="xml", indent=1, output=str(partial), verbosity=0,
            # Permissions by app and codename, not by id: ids differ between databases.
            use_natural_foreign_keys=True,
        )
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def database_in_use() -> bool:
    return any(apps.get_model(label).objects.exists() for label in IN_USE)


@transaction.atomic
def backup_restore(*, path: str) -> None:
    if database_in_use():
        raise RestoreRefused("The database already holds documents or annotations; restore into an empty one.")
    for label in reversed(BACKED_UP):
        apps.get_model(label).objects.all().delete()
    call_command("loaddata", path, format="xml", verbosity=0)
