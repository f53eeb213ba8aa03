"""Who is signed in, on every request: the session row and the user row, each read with one
statement written once per database (see fixedsql.py).

Django's database sessions and its ModelBackend read both rows through the ORM, which compiles
the query again on every request: about 250 µs each on the benchmark machine, several times
what SQLite takes to run them, paid by every page, live poll and save (bench/RESULTS.md). These
subclasses read the same tables with the same conditions (an unexpired session; an active user)
and hand Django the same objects, so sessions, sign-in and sign-out work as before.

Settings: ``SESSION_ENGINE = "readingroom.signin"`` and
``AUTHENTICATION_BACKENDS = ["readingroom.signin.ModelBackend"]``.
"""

from __future__ import annotations

import functools

from django.contrib.auth import backends, get_user_model
from django.contrib.sessions.backends import db
from django.core.exceptions import ValidationError
from django.db import connections, router
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from readingroom.fixedsql import PrimaryKeyReader, column, fetch_fixed


class SessionStore(db.SessionStore):
    """Django's database sessions; the row is read with a fixed statement."""

    def _session_data_from_db(self) -> str | None:
        model = self.get_model_class()
        session_key = self.session_key
        rows = []
        if session_key is not None:
            connection = connections[router.db_for_read(model)]
            rows = fetch_fixed(
                "session",
                model,
                lambda quote, meta: (
                    f"SELECT {column(meta, 'session_data', quote)} FROM {quote(meta.db_table)}"
                    f" WHERE {column(meta, 'session_key', quote)} = %s AND {column(meta, 'expire_date', quote)} > %s"
                ),
                [session_key, connection.ops.adapt_datetimefield_value(timezone.now())],
                orm=lambda: list(
                    model.objects.filter(session_key=session_key, expire_date__gt=timezone.now()).values_list(
                        "session_data"
                    )
                ),
            )
        if not rows:
            # As Django's: an unknown or expired key is forgotten, and a new one is made on save.
            self._session_key = None
            return None
        return rows[0][0]

    def _get_session_from_db(self):
        data = self._session_data_from_db()
        return None if data is None else self.get_model_class()(session_key=self.session_key, session_data=data)

    def load(self):
        data = self._session_data_from_db()
        return self.decode(data) if data is not None else {}


class ModelBackend(backends.ModelBackend):
    """Django's ModelBackend (passwords, permissions, inactive users refused); the signed-in user
    of each request is read with a fixed statement."""

    def get_user(self, user_id):
        user_model = get_user_model()
        try:
            pk = user_model._meta.pk.to_python(user_id)
        except ValidationError:
            return None
        user = _user_reader(user_model).get(pk)
        return user if user is not None and self.user_can_authenticate(user) else None


@functools.cache
def _user_reader(user_model) -> PrimaryKeyReader:
    return PrimaryKeyReader(user_model)


def session_hash_verified(session_hash: str, *, password: str) -> bool:
    """Django's check that a signed-in session still belongs to the user whose password hash is
    ``password`` (``django.contrib.auth.get_user``), for code that has the password hash from a
    row of its own: a password change ends the session, and a hash made with a key that is now in
    SECRET_KEY_FALLBACKS still counts, as it does for every page."""
    user = get_user_model()(password=password)
    if constant_time_compare(session_hash, user.get_session_auth_hash()):
        return True
    return any(constant_time_compare(session_hash, fallback) for fallback in user.get_session_auth_fallback_hash())
