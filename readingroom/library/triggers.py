"""The database triggers that keep ``HighlightVersion`` (see ``highlights.py``).

Every insert, update or delete of an annotation, entity mention, quote or shared passage bumps its
document's version; an entity whose type or visibility changes bumps every document that mentions
it; a tag added to or taken from an annotation, a tag renamed and an author renamed bump the
documents whose annotations show them (the annotation list shows names). Installed by migration 0004 and again, idempotently, after every ``migrate``: SQLite drops a
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
_BUMP_SELECT = (
    "INSERT INTO library_highlightversion (document_id, version) "
    "SELECT DISTINCT document_id, 1 FROM ({rows}) AS changed WHERE document_id IS NOT NULL ORDER BY document_id "
    "ON CONFLICT (document_id) DO UPDATE SET version = library_highlightversion.version + 1"
)
# What an annotation shows besides its own row: its tags (the link table and a tag's name) and its
# author's names. These matter to the annotation list (W3C JSON-LD), which is cached by version too.
_TAG_LINK_DOCUMENT = "SELECT document_id FROM annotations_annotation WHERE id = {row}.annotation_id"
_TAG_DOCUMENTS = (
    "SELECT a.document_id FROM annotations_annotation a "
    "JOIN annotations_annotation_tags t ON t.annotation_id = a.id WHERE t.tag_id = NEW.id"
)
_AUTHOR_DOCUMENTS = "SELECT document_id FROM annotations_annotation WHERE author_id = NEW.id"
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
    statements += [
        "CREATE TRIGGER IF NOT EXISTS entities_entity_hl_update AFTER UPDATE ON entities_entity "
        f"WHEN NEW.type IS NOT OLD.type OR NEW.hidden IS NOT OLD.hidden BEGIN {_BUMP_ENTITY}; END",
        "CREATE TRIGGER IF NOT EXISTS annotations_annotation_tags_hl_insert AFTER INSERT ON annotations_annotation_tags "
        f"BEGIN {_BUMP_SELECT.format(rows=_TAG_LINK_DOCUMENT.format(row='NEW'))}; END",
        "CREATE TRIGGER IF NOT EXISTS annotations_annotation_tags_hl_delete AFTER DELETE ON annotations_annotation_tags "
        f"BEGIN {_BUMP_SELECT.format(rows=_TAG_LINK_DOCUMENT.format(row='OLD'))}; END",
        "CREATE TRIGGER IF NOT EXISTS annotations_tag_hl_update AFTER UPDATE ON annotations_tag "
        f"WHEN NEW.name IS NOT OLD.name BEGIN {_BUMP_SELECT.format(rows=_TAG_DOCUMENTS)}; END",
        "CREATE TRIGGER IF NOT EXISTS auth_user_hl_update AFTER UPDATE ON auth_user "
        "WHEN NEW.username IS NOT OLD.username OR NEW.first_name IS NOT OLD.first_name OR NEW.last_name IS NOT OLD.last_name "
        f"BEGIN {_BUMP_SELECT.format(rows=_AUTHOR_DOCUMENTS)}; END",
    ]
    return statements


_SQLITE_OTHER = [
    "entities_entity_hl_update",
    "annotations_annotation_tags_hl_insert",
    "annotations_annotation_tags_hl_delete",
    "annotations_tag_hl_update",
    "auth_user_hl_update",
]


def _sqlite_drop() -> list[str]:
    names = [f"{t}_hl_{op}" for t in PER_DOCUMENT for op in ("insert", "update", "delete")]
    return [f"DROP TRIGGER IF EXISTS {name}" for name in [*names, *_SQLITE_OTHER]]


def _postgres_create() -> list[str]:
    statements = [
        f"""CREATE OR REPLACE FUNCTION readingroom_highlights_changed() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('INSERT', 'UPDATE') THEN {_BUMP.format(row="NEW")}; END IF;
            IF TG_OP IN ('UPDATE', 'DELETE') THEN {_BUMP.format(row="OLD")}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION readingroom_tag_link_changed() RETURNS trigger AS $$
        BEGIN
            IF TG_OP = 'INSERT' THEN {_BUMP_SELECT.format(rows=_TAG_LINK_DOCUMENT.format(row="NEW"))}; END IF;
            IF TG_OP = 'DELETE' THEN {_BUMP_SELECT.format(rows=_TAG_LINK_DOCUMENT.format(row="OLD"))}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION readingroom_tag_renamed() RETURNS trigger AS $$
        BEGIN
            IF NEW.name IS DISTINCT FROM OLD.name THEN {_BUMP_SELECT.format(rows=_TAG_DOCUMENTS)}; END IF;
            RETURN NULL;
        END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION readingroom_author_renamed() RETURNS trigger AS $$
        BEGIN
            IF NEW.username IS DISTINCT FROM OLD.username OR NEW.first_name IS DISTINCT FROM OLD.first_name
               OR NEW.last_name IS DISTINCT FROM OLD.last_name THEN {_BUMP_SELECT.format(rows=_AUTHOR_DOCUMENTS)}; END IF;
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
    for name, table, events, function in _POSTGRES_OTHER:
        statements += [
            f"DROP TRIGGER IF EXISTS {name} ON {table}",
            f"CREATE TRIGGER {name} AFTER {events} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()",
        ]
    return statements


_POSTGRES_OTHER = [
    ("entities_entity_hl", "entities_entity", "UPDATE", "readingroom_entity_highlights_changed"),
    (
        "annotations_annotation_tags_hl",
        "annotations_annotation_tags",
        "INSERT OR DELETE",
        "readingroom_tag_link_changed",
    ),
    ("annotations_tag_hl", "annotations_tag", "UPDATE", "readingroom_tag_renamed"),
    ("auth_user_hl", "auth_user", "UPDATE", "readingroom_author_renamed"),
]


def _postgres_drop() -> list[str]:
    return [
        *(f"DROP TRIGGER IF EXISTS {t}_hl ON {t}" for t in PER_DOCUMENT),
        *(f"DROP TRIGGER IF EXISTS {name} ON {table}" for name, table, _, _ in _POSTGRES_OTHER),
        *(f"DROP FUNCTION IF EXISTS {function}()" for _, _, _, function in _POSTGRES_OTHER),
        "DROP FUNCTION IF EXISTS readingroom_highlights_changed()",
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
            expected.update(_SQLITE_OTHER)
        elif connection.vendor == "postgresql":
            cursor.execute("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
            expected = {f"{t}_hl" for t in PER_DOCUMENT} | {name for name, _, _, _ in _POSTGRES_OTHER}
        else:
            return False
        return expected <= {row[0] for row in cursor.fetchall()}
