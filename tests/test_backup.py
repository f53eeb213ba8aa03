"""One command writes everything to one file; restoring it into an empty database gives back every
row of every table exactly."""

import importlib
import json
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command

from readingroom import backup
from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Annotation, Membership, Relation, Visibility
from readingroom.annotations.services import annotation_reply
from readingroom.annotations.sessions import session_join, session_start
from readingroom.annotations.suggestions import suggestion_dismiss
from readingroom.annotations.tokens import api_token_create
from readingroom.backup import backed_up_models
from readingroom.coverage.curation import quote_speaker_set, quote_split
from readingroom.coverage.models import Quote
from readingroom.coverage.services import coverage_update
from readingroom.entities.curation import writing_reject
from readingroom.entities.models import Entity, Mention
from readingroom.library.importing import document_import
from readingroom.library.jobs import JobFile, import_job_create
from readingroom.library.models import (
    Document,
    DocumentRevision,
    Feed,
    HighlightVersion,
    LineRemoval,
    SourceLineRule,
)
from readingroom.library.search import documents_search
from readingroom.loginlimits.models import FailedLogin
from tests.factories import make_annotation, make_user
from tests.scratch import process_environment

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


def every_row() -> dict[str, list[tuple]]:
    """Every field of every row of every backed-up table (link tables of many-to-many fields among
    them), by table, in id order. Highlight versions are checked on their own: a restore moves them on."""
    return {
        model._meta.label_lower: list(
            model._base_manager.order_by("pk").values_list(*(f.attname for f in model._meta.concrete_fields))
        )
        for model in backed_up_models()
        if model is not HighlightVersion
    }


def versions() -> dict[int, int]:
    return dict(HighlightVersion.objects.values_list("document_id", "version"))


def empty_the_database():
    """As a fresh install has it: no rows but the ones migrations add (with ids of their own)."""
    for model in reversed(backed_up_models()):
        model._base_manager.all().delete()
    HighlightVersion.objects.all().delete()
    importlib.import_module("readingroom.library.migrations.0002_known_sources").add_known_sources(apps, None)


def test_a_backup_restored_into_an_empty_database_gives_back_every_field_of_every_row(extracted_seeds, tmp_path):
    documents = list(extracted_seeds.values())
    guardian = extracted_seeds["004"]
    coverage_update(documents=documents)  # quotes, their clusters, shared passages
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_document"))
    alice, bob = make_user("alice", first_name="Ålice 🚀"), make_user("bob")
    alice.groups.add(editors)
    bob.user_permissions.add(Permission.objects.get(codename="view_annotation"))
    session = session_start(user=alice, title="Summit", documents=documents[:2])
    session_join(session=session, user=bob)
    tagged = make_annotation(
        user=alice,
        document=guardian,
        quote="sacred fight",
        tag_names=["claim", "🚀 quote"],
        body="**Note** 🚀",
        visibility=Visibility.PUBLIC,
    )
    reply = annotation_reply(user=bob, parent=tagged, body="Agreed\n")
    Annotation.objects.filter(pk=reply.pk).update(author=None)  # kept when its author's account went
    Document.all_objects.filter(pk=documents[3].pk).update(deleted_at=datetime(2026, 12, 1, 9, 0, 0, 5, tzinfo=UTC))
    make_annotation(user=bob, document=documents[0], quote="Kim", session=session)
    # Suggested links dismissed (#19): outside any session, and in one.
    suggestion_dismiss(user=alice, key="0123456789abcdef0123456789abcdef")
    suggestion_dismiss(user=bob, key="fedcba9876543210fedcba9876543210", session=session)
    # What the XML backup lost: spaces and line breaks at the ends of a quote and its context.
    spaced = make_annotation(user=alice, document=guardian, quote="Kim", body=" padded ")
    Annotation.objects.filter(pk=spaced.pk).update(exact=" Kim\n", prefix="\n\n said ", suffix=" \t")
    # A control character the database holds, whatever the importer lets through today.
    Document.objects.filter(pk=guardian.pk).update(
        title="Form\x0cfeed \x01 title",
        raw_text=guardian.raw_text + "\x0c\x01\x1f\u2028\x85 end",
        canonical_text=guardian.canonical_text + "\x01",
    )
    Entity.objects.filter(pk=Mention.objects.first().entity_id).update(hidden=True)
    FailedLogin.objects.create(username="mallory", address="2001:db8::1")
    Membership.objects.filter(user=bob).update(last_seen=datetime(2026, 11, 23, 18, 2, 37, 701873, tzinfo=UTC))
    # The version of a document deleted since: kept, so that a new document given its id later
    # does not count from 0 again.
    HighlightVersion.objects.create(document_id=10**9, version=7)
    # A feed, and a text a document had before a curator's edit.
    Feed.objects.create(source=guardian.source, url="https://example.org/world/rss", seen=["https://example.org/a"])
    DocumentRevision.objects.create(
        document=guardian, number=1, canonical_text="Earlier text\x0c", blocks=[], replaced_by="edit"
    )
    # An import job not yet run: its file's bytes wait in the database.
    import_job_create(
        files=[JobFile("late.txt", data=b"\x00\xff not yet imported")], source=guardian.source, user=alice
    )
    # An API token (only its digest is stored): a restored library keeps its users' tools working.
    api_token_create(user=bob, name="notebook", scope="write")
    # A link across two sources (#19): its relation (a curator's own among them) and its second passage.
    relation = Relation.objects.create(name="Quotes 🚀 differently", slug="quotes-differently", colour="#123456")
    first, second = documents[0], documents[1]
    link_create(
        user=alice,
        targets=[
            LinkTarget(document=first, start=0, end=10, exact=first.canonical_text[:10]),
            LinkTarget(document=second, start=5, end=25, exact=second.canonical_text[5:25]),
        ],
        relation=relation,
        body="Same claim?",
        visibility=Visibility.PUBLIC,
    )
    # A curator's quote decisions (#16): a quote split off its cluster, one's speaker taken away.
    dora = make_user("dora", is_superuser=True)
    quote_split(quote=Quote.objects.filter(cluster__isnull=False).select_related("document").first(), user=dora)
    quote_speaker_set(quote=Quote.objects.select_related("document").first(), speaker=None, user=dora)
    # A source's line rule (#16), and the line it took out of a document, to put back when it is turned off.
    rule = SourceLineRule.objects.create(
        source=guardian.source, line="Updated 5 minutes ago 🚀", shape="updated # minute ago 🚀", created_by=alice
    )
    LineRemoval.objects.create(
        rule=rule,
        document=guardian,
        text="Updated 5 minutes ago 🚀",
        kind="label",
        published_at=datetime(2026, 11, 23, 18, 2, 37, 701873, tzinfo=UTC),
        position=3,
        after="The paragraph above it.\n",
    )
    # A curator's entity decision (#16): a writing that is never an entity, in the curation log.
    rejected = Mention.objects.select_related("entity").first()
    writing_reject(entity=rejected.entity, surface=rejected.surface, user=dora)
    before, versions_before = every_row(), versions()
    found_before = [hit.document.pk for hit in documents_search("sacred fight")]
    empty_models = [label for label, rows in before.items() if not rows]
    assert empty_models == [], f"add rows of {empty_models} to this test, so that it checks they are backed up"
    path = tmp_path / "readingroom.jsonl"

    call_command("backup", str(path))
    empty_the_database()
    assert Document.objects.count() == 0
    call_command("restore", str(path))

    assert every_row() == before
    restored_versions = versions()
    assert restored_versions.keys() == versions_before.keys()
    assert all(restored_versions[pk] > version for pk, version in versions_before.items())
    assert [hit.document.pk for hit in documents_search("sacred fight")] == found_before  # the search index too
    assert guardian.pk in found_before
    # New rows get new ids: the sequences moved past the restored ones.
    new = make_annotation(user=bob, document=guardian, quote="Kim")
    assert new.pk > max(pk for pk, *_ in before["annotations.annotation"])
    assert Annotation.objects.get(pk=tagged.pk).author.check_password("a-long-passphrase")
    assert make_user("carol").pk > bob.pk


def test_it_moves_highlight_versions_on_again_when_the_same_backup_is_restored_again(tmp_path):
    annotation = make_annotation()
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    empty_the_database()
    call_command("restore", str(path))
    first = versions()[annotation.document_id]
    make_annotation(document=Document.objects.get(), quote="one")  # counted past the backup, then lost
    empty_the_database()
    call_command("restore", str(path))
    assert versions()[annotation.document_id] > first + 1


def test_it_backs_up_a_document_imported_with_a_form_feed_and_control_characters(tmp_path):
    result = document_import(data=b"Kim arrives\x01 in Russia.\x0cPutin waits at the cosmodrome.", filename="feed.txt")
    assert result.status == "imported", result.message
    document = result.document
    assert document.canonical_text == "Kim arrives in Russia.\n\nPutin waits at the cosmodrome."
    path = tmp_path / "backup.jsonl"

    call_command("backup", str(path))
    empty_the_database()
    call_command("restore", str(path))

    restored = Document.objects.get()
    assert (restored.raw_text, restored.canonical_text) == (document.raw_text, document.canonical_text)
    assert "\x01" in restored.raw_text


def test_it_writes_json_lines_between_a_header_and_an_end_line_that_counts_the_rows(tmp_path):
    make_annotation(body="“quoted” 🚀")
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and all(line.isascii() for line in lines)
    header, *records, end = (json.loads(line) for line in lines[:-1])
    assert header["readingroom-backup"] == 1 and "library.0001_initial" in header["migrations"]
    assert {record["model"] for record in records} >= {"annotations.annotation", "auth.user", "library.document"}
    assert sum(end["end"]["records"].values()) == len(records)


def test_restoring_over_a_database_in_use_is_refused(extracted_seeds, tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="restore into an empty one"):
        call_command("restore", str(path))
    assert Document.objects.count() == 5


def test_a_failed_backup_leaves_no_file_that_looks_like_one(tmp_path, monkeypatch):
    make_annotation()

    def broken(self, queryset, *, stream, **options):
        stream.write('{"model": "half a row')
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backup.BackupSerializer, "serialize", broken)
    with pytest.raises(CommandError, match="No space left"):
        call_command("backup", str(tmp_path / "backup.jsonl"))
    assert list(tmp_path.iterdir()) == []


def test_users_in_groups_are_restored_with_their_groups(tmp_path):
    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_document"))
    user = make_user("grouped")
    user.groups.add(editors)
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    empty_the_database()
    call_command("restore", str(path))
    restored = type(user).objects.get(username="grouped")
    assert [g.name for g in restored.groups.all()] == ["editors"]
    assert restored.has_perm("library.change_document")


def test_it_names_permissions_by_natural_key_as_their_ids_differ_between_databases(tmp_path):
    user = make_user("editor")
    user.user_permissions.add(Permission.objects.get(codename="change_document"))
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    link = next(json.loads(line) for line in path.read_text().splitlines() if '"auth.user_user_permissions"' in line)
    assert link["fields"]["permission"] == ["change_document", "library", "document"]
    assert link["fields"]["user"] == user.pk


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: ["<django-objects><object model='library.source'"], "not a Reading Room backup"),
        (lambda lines: ["PK\x03\x04 a zip file"], "does not start with a backup's header"),
        (lambda lines: lines[:-1], "cut short"),
        (lambda lines: lines[:2] + lines[3:], "does not hold the rows its end line counts"),
        (lambda lines: [*lines[:2], lines[2][:20], *lines[3:]], "line 3, is not a record"),
    ],
)
def test_a_damaged_backup_is_refused_with_a_message_and_nothing_restored(tmp_path, damage, message):
    make_annotation()
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    path.write_text("\n".join(damage(path.read_text().splitlines())) + "\n")
    empty_the_database()
    sources = every_row()["library.source"]
    with pytest.raises(CommandError, match=message):
        call_command("restore", str(path))
    assert Annotation.objects.count() == 0 and every_row()["library.source"] == sources


def test_it_refuses_a_backup_from_a_newer_version(tmp_path):
    path = tmp_path / "backup.jsonl"
    call_command("backup", str(path))
    header, rest = path.read_text().split("\n", 1)
    newer = json.loads(header)
    newer["migrations"].append("library.9999_from_the_future")
    path.write_text(json.dumps(newer) + "\n" + rest)
    empty_the_database()
    with pytest.raises(CommandError, match="newer Reading Room .*library.9999_from_the_future"):
        call_command("restore", str(path))


# What the backups of earlier versions held, as ``dumpdata`` wrote them.
OLD_XML_TABLES = [
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


def test_it_still_restores_an_xml_backup_of_earlier_versions_with_a_warning(tmp_path, capsys):
    annotation = make_annotation(body="kept")
    path = tmp_path / "readingroom.xml"
    call_command(
        "dumpdata", *OLD_XML_TABLES, format="xml", output=str(path), use_natural_foreign_keys=True, verbosity=0
    )
    empty_the_database()
    call_command("restore", str(path))
    assert Annotation.objects.get().body == annotation.body
    assert "XML format of earlier versions" in capsys.readouterr().err
    assert versions()[annotation.document_id] > 1


@pytest.fixture(params=["sqlite", "postgresql"])
def second_database(request, scratch_databases, tmp_path):
    """The migrated database a backup of an SQLite one is restored into: another SQLite file, or a
    new PostgreSQL database when a server answers on 127.0.0.1:5432 (a move between the two)."""
    url = scratch_databases.database(request.param, purpose="backup", folder=tmp_path)
    yield url
    scratch_databases.drop(url)


# These tests make their own databases; the suite's PostgreSQL pass need not run them again.
@pytest.mark.skipif(os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="run once, in the SQLite pass")
@pytest.mark.slow
def test_it_round_trips_a_live_database_through_the_real_commands(tmp_path, scratch_databases, second_database):
    """The real commands on databases of their own, outside any test transaction: a backup of the
    restored database holds the same rows, but for the highlight versions."""

    def manage(database: str, *args: str, script: str | None = None) -> None:
        command = [sys.executable, "-c", script] if script else [sys.executable, "manage.py", *args]
        result = subprocess.run(
            command, cwd=ROOT, env=process_environment(database), capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stderr[-3000:]

    first = scratch_databases.sqlite(tmp_path / "first.sqlite3")
    manage(
        first,
        script=(
            "import django; django.setup()\n"
            "from pathlib import Path\n"
            "from readingroom.library.importing import documents_import_paths\n"
            "from tests.factories import make_annotation, make_user\n"
            "document = documents_import_paths(paths=[Path('seeds/001_2d7baa57e1832a05.txt')])[0].document\n"
            "make_annotation(user=make_user('alice'), document=document, quote='Kim', tag_names=['claim'], body=' 🚀 ')\n"
        ),
    )
    manage(first, "backup", str(tmp_path / "first.jsonl"))
    manage(second_database, "restore", str(tmp_path / "first.jsonl"))
    manage(second_database, "backup", str(tmp_path / "second.jsonl"))

    def records(path: Path) -> list[dict]:
        # Parsed: PostgreSQL keeps the keys of a JSON column in an order of its own.
        lines = path.read_text().splitlines()[1:]
        return [json.loads(line) for line in lines if '"library.highlightversion"' not in line]

    assert records(tmp_path / "first.jsonl") == records(tmp_path / "second.jsonl")
    assert len(records(tmp_path / "first.jsonl")) > 10
