"""One command writes everything to one file; restoring it into an empty database gives the same data."""

from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from readingroom.annotations.models import Annotation, AnnotationSession, Membership, SessionChange, Tag, Visibility
from readingroom.annotations.services import annotation_reply
from readingroom.annotations.sessions import session_join, session_start
from readingroom.backup import BACKED_UP
from readingroom.entities.models import Alias, Entity, Mention
from readingroom.library.models import Document, Source
from tests.factories import make_annotation, make_user

pytestmark = pytest.mark.django_db

MODELS = [Source, Document, Entity, Alias, Mention, Tag, AnnotationSession, Membership, Annotation, SessionChange]


def counts():
    from django.contrib.auth import get_user_model

    return {model.__name__: model.objects.count() for model in [get_user_model(), *MODELS]}


def empty_the_database():
    from django.apps import apps

    for label in reversed(BACKED_UP):
        apps.get_model(label).objects.all().delete()


def test_a_backup_restored_into_an_empty_database_gives_the_same_data(extracted_seeds, tmp_path):
    alice, bob = make_user("alice"), make_user("bob")
    guardian = extracted_seeds["004"]
    session = session_start(user=alice, title="Summit", documents=list(extracted_seeds.values())[:2])
    session_join(session=session, user=bob)
    annotation = make_annotation(
        user=alice, document=guardian, quote="sacred fight", tag_names=["claim", "quote"], body="**Note** 🚀",
        visibility=Visibility.PUBLIC,
    )
    annotation_reply(user=bob, parent=annotation, body="Agreed")
    make_annotation(user=bob, document=extracted_seeds["001"], quote="Kim", session=session)
    before = counts()
    path = tmp_path / "backup.xml"

    call_command("backup", str(path))
    empty_the_database()
    assert counts()["Document"] == 0
    call_command("restore", str(path))

    assert counts() == before
    restored = Annotation.objects.get(pk=annotation.pk)
    for field in ("document_id", "author_id", "start", "end", "exact", "prefix", "suffix", "body", "body_html", "visibility", "tag_order", "created_at"):
        assert getattr(restored, field) == getattr(annotation, field), field
    assert [t.name for t in restored.ordered_tags()] == ["claim", "quote"]
    document = Document.objects.get(pk=guardian.pk)
    assert (document.canonical_text, document.blocks, document.sha256, document.title) == (
        guardian.canonical_text, guardian.blocks, guardian.sha256, guardian.title,
    )
    assert Membership.objects.get(session=session, user=bob).role == "annotator"
    assert restored.author.check_password("a-long-passphrase")


def test_restoring_over_a_database_in_use_is_refused(extracted_seeds, tmp_path):
    path = tmp_path / "backup.xml"
    call_command("backup", str(path))
    with pytest.raises(CommandError, match="restore into an empty one"):
        call_command("restore", str(path))
    assert Document.objects.count() == 5


def test_a_failed_backup_leaves_no_file_that_looks_like_one(tmp_path, monkeypatch):
    from readingroom import backup

    def broken(*args, **kwargs):
        Path(kwargs["output"]).write_text("<half a backup")
        raise RuntimeError("disk full")

    monkeypatch.setattr(backup, "call_command", broken)
    with pytest.raises(RuntimeError):
        backup.backup_write(path=str(tmp_path / "backup.xml"))
    assert list(tmp_path.iterdir()) == []


def test_users_in_groups_are_restored_with_their_groups(tmp_path):
    from django.contrib.auth.models import Group, Permission

    editors = Group.objects.create(name="editors")
    editors.permissions.add(Permission.objects.get(codename="change_document"))
    user = make_user("grouped")
    user.groups.add(editors)
    path = tmp_path / "backup.xml"
    call_command("backup", str(path))
    empty_the_database()
    call_command("restore", str(path))
    restored = type(user).objects.get(username="grouped")
    assert [g.name for g in restored.groups.all()] == ["editors"]
    assert restored.has_perm("library.change_document")


def test_a_damaged_backup_is_refused_with_a_message(tmp_path):
    path = tmp_path / "damaged.xml"
    path.write_text("<django-objects><object model='library.source'")
    empty_the_database()
    with pytest.raises(CommandError, match="not a Reading Room backup"):
        call_command("restore", str(path))
