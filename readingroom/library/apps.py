from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _reinstall_highlight_triggers(sender, using, **kwargs) -> None:
    """After every migrate: SQLite drops a table's triggers when a migration rebuilds the table."""
    from django.db import connections

    from .triggers import install_highlight_triggers

    connection = connections[using]
    if "library_highlightversion" in connection.introspection.table_names():
        install_highlight_triggers(connection)


class LibraryConfig(AppConfig):
    name = "readingroom.library"
    label = "library"
    verbose_name = "Library"

    def ready(self) -> None:
        post_migrate.connect(_reinstall_highlight_triggers, sender=self, dispatch_uid="library_highlight_triggers")
