"""How the exports write a date and a person, the same in the JSON-LD (``jsonld.py``, including its
fast rows, ``rows.py``) and the CSV (``csv_export.py``)."""

from __future__ import annotations

from .models import DELETED_USER


def iso(value) -> str:
    if isinstance(value, str):  # already ISO 8601 in UTC (an AnnotationRow's)
        return value
    return value.isoformat().replace("+00:00", "Z")


def creator(author) -> dict:
    known = getattr(author, "creator", None)  # an _Author's (rows.py), made once for all its annotations
    if known is not None:
        return known
    if author is None or author.get_username() is None:  # the account was deleted
        return {"type": "Person", "name": DELETED_USER}
    return {
        "type": "Person",
        "nickname": author.get_username(),
        "name": author.get_full_name() or author.get_username(),
    }
