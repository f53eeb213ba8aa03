"""The database triggers that keep ``HighlightVersion`` (see ``highlights.py``).

Every insert, update or delete of an annotation, entity mention, quote or shared passage bumps its
document's version; an entity whose type or visibility changes bumps every document that mentions
it. Installed by migration 0004 and again, idempotently, after every ``migrate``: SQLite drops a
table's triggers when a later migration rebuilds that table, and the cache must never outlive them.
Version rows are never deleted, so a version never goes back to a number it had.
"""

from __future__ import annotations

# Tables whose rows belong to one document (document_id) and show in its highlights.
PER_DOCUMENT = ["annotations_annotation", "entities_mention", "coverage_quote", "coverage_sharedpassage"]
_BUMP = (
    "INSERT INTO library_highlightversion (document_id, version) VALUES ({row}.document_id, 1) "
    "ON CONFLICT (document_id) DO UPDATE SET version = library_highlightversion.version + 1"
)
_BUMP_ENTITY = (
    "INSERT INTO library_highlightversion (document_id, version) "
    "SELECT DISTINCT document_id, 1 FROM entities_mention WHERE entity_id = NEW.id ORDER BY document_id "
    "ON CONFLICT (document_id) DO UPDATE SET version = library_highlightversion.version + 1"
)


def _sqlite_create() -> list[str]:
    statements = []
    for table in PER_DOCUMENT:
        statements += [
            f"CREATE TRIGGER IF NOT EXISTS {table}_hl_insert AFTER INSERT ON {table} BEGIN {_BUMP.format(row='NEW')}; END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_hl_update AFTER UPDATE ON {table} BEGIN {_BUMP.format(row='NEW')}; "
            f"{_BUMP.format(row='OLD')}; END",
            f"CREATE TRIGGER IF NOT EXISTS {table}_hl_delete AFTER DELETE ON {table} BEGIN {_BUMP.format(row='OLD')}; END",
        ]
    statements.append(
        "CREATE TRIGGER IF NOT EXISTS entities_entity_hl_update AFTER UPDATE ON entities_entity "
        f"WHEN NEW.type IS NOT OLD.type OR NEW.hidden IS NOT OLD.hidden BEGIN {_BUMP_ENTITY}; END"
    )
    return statements


def _sqlite_drop() -> list[str]:
    names = [f"{t}_hl_{op}" for t in PER_DOCUMENT for op in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in [*names, "entities_entity_hl_update"]]


def _postgres_create() -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION readingroom_highlights_changed() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {_BUMP.format(row='NEW')}; END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {_BUMP.format(row='OLD')}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION readingroom_entity_highlights_changed() RETURNS trigger AS $$
        BEGIN
            IF NEW.type IS DISTINCT FROM OLD.type OR NEW.hidden IS DISTINCT FROM OLD.hidden THEN {_BUMP_ENTITY}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
    ]
    for table in PER_DOCUMENT:
        statements += [
            f"DROP TRIGGER IF EXISTS {table}_hl ON {table}",
            f"CREATE TRIGGER {table}_hl AFTER INSERT OR UPDATE OR DELETE ON {table} FOR EACH ROW "
            "EXECUTE FUNCTION readingroom_highlights_changed()",
        ]
    statements += [
        "DROP TRIGGER IF EXISTS entities_entity_hl ON entities_entity",
        "CREATE TRIGGER entities_entity_hl AFTER UPDATE ON entities_entity FOR EACH ROW "
        "EXECUTE FUNCTION readingroom_entity_highlights_changed()",
    ]
    return statements


def _postgres_drop() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {t}_hl ON {t}" for t in PER_DOCUMENT),
        "DROP TRIGGER IF EXISTS entities_entity_hl ON entities_entity",
        "DROP FUNCTION IF EXISTS readingroom_highlights_changed()",
        "DROP FUNCTION IF EXISTS readingroom_entity_highlights_changed()",
    ]


def install_highlight_triggers(connection) -> None:
    """Create the triggers that are missing (SQLite) or (re)create them all (PostgreSQL)."""
    statements = {"sqlite": _sqlite_create, "postgresql": _postgres_create}.get(connection.vendor, list)()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def drop_highlight_triggers(connection) -> None:
    statements = {"sqlite": _sqlite_drop, "postgresql": _postgres_drop}.get(connection.vendor, list)()
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def highlight_triggers_installed(connection) -> bool:
    """Whether every trigger is there."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            expected = {f"{t}_hl_{op}" for t in PER_DOCUMENT for op in ("insert", "update", "delete")}
            expected.add("entities_entity_hl_update")
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {f"{t}_hl" for t in PER_DOCUMENT} | {"entities_entity_hl"}
        else:
            return False
        return expected <= {row[0] for row in cursor.fetchall()}
