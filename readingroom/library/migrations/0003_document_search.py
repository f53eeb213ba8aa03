"""Full-text search over documents: PostgreSQL's text search with a GIN index, or on SQLite an
FTS5 table kept in step with library_document by triggers. Each database gets only its own."""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE library_document_fts USING fts5(
        title, canonical_text, content='library_document', content_rowid='id',
        tokenize='porter unicode61 remove_diacritics 2')""",
    """CREATE TRIGGER library_document_fts_insert AFTER INSERT ON library_document BEGIN
        INSERT INTO library_document_fts(rowid, title, canonical_text) VALUES (new.id, new.title, new.canonical_text);
    END""",
    """CREATE TRIGGER library_document_fts_delete AFTER DELETE ON library_document BEGIN
        INSERT INTO library_document_fts(library_document_fts, rowid, title, canonical_text)
        VALUES ('delete', old.id, old.title, old.canonical_text);
    END""",
    """CREATE TRIGGER library_document_fts_update AFTER UPDATE OF title, canonical_text ON library_document BEGIN
        INSERT INTO library_document_fts(library_document_fts, rowid, title, canonical_text)
        VALUES ('delete', old.id, old.title, old.canonical_text);
        INSERT INTO library_document_fts(rowid, title, canonical_text) VALUES (new.id, new.title, new.canonical_text);
    END""",
    "INSERT INTO library_document_fts(library_document_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS library_document_fts_insert",
    "DROP TRIGGER IF EXISTS library_document_fts_delete",
    "DROP TRIGGER IF EXISTS library_document_fts_update",
    "DROP TABLE IF EXISTS library_document_fts",
]
POSTGRES_CREATE = [
    """CREATE INDEX library_document_search ON library_document USING GIN (
        (setweight(to_tsvector('english', coalesce(title, '')), 'A') ||
         setweight(to_tsvector('english', coalesce(canonical_text, '')), 'B')))"""
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS library_document_search"]


def _run(schema_editor, statements):
    for statement in statements:
        schema_editor.execute(statement)


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_CREATE)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_CREATE)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        _run(schema_editor, SQLITE_DROP)
    elif vendor == "postgresql":
        _run(schema_editor, POSTGRES_DROP)


class Migration(migrations.Migration):
    dependencies = [("library", "0002_known_sources")]

    operations = [migrations.RunPython(create, drop)]
