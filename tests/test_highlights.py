"""The reader's HTML comes from a cache keyed by everything it shows: whatever changes, the next
page shows the change, and no reader is ever served highlights rendered for someone else."""

from __future__ import annotations

import itertools

import pytest
from django.core.cache import caches

from readingroom.annotations.models import Annotation, Visibility
from readingroom.annotations.services import annotation_delete, annotation_update
from readingroom.annotations.sessions import session_join, session_start
from readingroom.entities.models import Entity, Mention
from readingroom.entities.services import entities_set_hidden, entity_merge
from readingroom.library.models import Document
from readingroom.library.rendering import document_body_html
from readingroom.library.versions import CACHE_ALIAS
from readingroom.reader.highlights import highlighted_bodies
from readingroom.text.marks import Mark

from .factories import make_annotation, make_document, make_user


@pytest.fixture(autouse=True)
def empty_cache():
    caches[CACHE_ALIAS].clear()
    yield
    caches[CACHE_ALIAS].clear()


def body(client, document) -> str:
    response = client.get(f"/documents/{document.pk}/", HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_a_cached_page_shows_new_changed_and_deleted_annotations(client):
    author = make_user()
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome on Wednesday."])
    client.force_login(author)
    assert "data-annotation" not in body(client, document)
    first = make_annotation(user=author, document=document, quote="cosmodrome", visibility=Visibility.PUBLIC)
    assert f'data-annotation="{first.pk}"' in body(client, document)
    body(client, document)  # served from the cache now
    second = make_annotation(user=author, document=document, quote="Wednesday", tag_names=["venue"])
    html = body(client, document)
    assert f'data-annotation="{first.pk}"' in html and f'data-annotation="{second.pk}"' in html
    tag = second.tags.get()
    assert f'class="annotation tag-{tag.pk}"' in html
    annotation_delete(user=author, annotation=first)
    html = body(client, document)
    assert f'data-annotation="{first.pk}"' not in html and f'data-annotation="{second.pk}"' in html


@pytest.mark.django_db
def test_a_reader_is_never_served_marks_rendered_for_someone_else(client):
    author, other = make_user(), make_user()
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome on Wednesday."])
    private = make_annotation(user=author, document=document, quote="cosmodrome", visibility=Visibility.PRIVATE)
    client.force_login(author)
    assert f'data-annotation="{private.pk}"' in body(client, document)
    client.force_login(other)
    assert f'data-annotation="{private.pk}"' not in body(client, document)
    client.logout()
    assert f'data-annotation="{private.pk}"' not in body(client, document)
    # Made public by its author: now everyone sees it, cache or not.
    annotation_update(user=author, annotation=private, visibility=Visibility.PUBLIC)
    client.force_login(other)
    assert f'data-annotation="{private.pk}"' in body(client, document)
    annotation_update(user=author, annotation=Annotation.objects.get(pk=private.pk), visibility=Visibility.PRIVATE)
    assert f'data-annotation="{private.pk}"' not in body(client, document)


@pytest.mark.django_db
def test_joining_a_session_shows_its_annotations_on_a_cached_page(client):
    owner, newcomer = make_user(), make_user()
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome on Wednesday."])
    session = session_start(user=owner, title="Desk", documents=[document])
    shared = make_annotation(user=owner, document=document, quote="Kim", visibility=Visibility.SESSION, session=session)
    client.force_login(newcomer)
    assert f'data-annotation="{shared.pk}"' not in body(client, document)
    session_join(session=session, user=newcomer)
    assert f'data-annotation="{shared.pk}"' in body(client, document)


@pytest.mark.django_db
def test_curating_entities_changes_the_cached_highlights(client):
    document = make_document(paragraphs=["Vladimir Putin met Kim Jong Un in Vostochny."])
    putin = Entity.objects.create(name="Vladimir Putin", type="person")
    duplicate = Entity.objects.create(name="Putin (duplicate)", type="person")
    place = Entity.objects.create(name="Vostochny", type="place")
    Mention.objects.create(document=document, entity=duplicate, start=0, end=14, surface="Vladimir Putin")
    Mention.objects.create(document=document, entity=place, start=34, end=43, surface="Vostochny")
    assert f'data-entity="{duplicate.pk}"' in body(client, document)
    entity_merge(source=duplicate, target=putin)  # a bulk update of the mentions
    html = body(client, document)
    assert f'data-entity="{putin.pk}"' in html and f'data-entity="{duplicate.pk}"' not in html
    entities_set_hidden(entities=Entity.objects.filter(pk=place.pk), hidden=True)
    assert f'data-entity="{place.pk}"' not in body(client, document)
    Entity.objects.filter(pk=putin.pk).update(type="event")  # even a raw update
    assert "entity entity--event" in body(client, document)


@pytest.mark.django_db
def test_an_edited_text_is_rendered_anew():
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome."])
    user = make_user()
    before = highlighted_bodies(user, [document]).bodies[document.pk]
    assert "cosmodrome" in before
    Document.objects.filter(pk=document.pk).update(
        canonical_text=document.canonical_text.replace("cosmodrome", "spaceport!")
    )
    document.refresh_from_db()
    after = highlighted_bodies(user, [document]).bodies[document.pk]
    assert "spaceport!" in after and "cosmodrome" not in after


@pytest.mark.django_db
def test_cached_html_is_what_rendering_the_marks_gives():
    author = make_user()
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome on Wednesday.", "Kim left by train."])
    place = Entity.objects.create(name="Vostochny cosmodrome", type="place")
    Mention.objects.create(document=document, entity=place, start=18, end=32, surface="the cosmodrome")
    note = make_annotation(user=author, document=document, quote="cosmodrome on Wednesday", tag_names=["venue"])
    tag = note.tags.get()
    expected = document_body_html(
        document,
        [
            Mark(18, 32, (("class", "entity entity--place"), ("data-entity", str(place.pk)), ("tabindex", "0"))),
            Mark(note.start, note.end, (("class", f"annotation tag-{tag.pk}"), ("data-annotation", str(note.pk)))),
        ],
    )
    assert highlighted_bodies(author, [document]).bodies[document.pk] == expected  # rendered
    assert highlighted_bodies(author, [document]).bodies[document.pk] == expected  # from the cache


@pytest.mark.django_db
def test_visible_threads_to_is_visible_to_restricted_to_threads():
    """The reader's quicker query must agree with the one visibility rule in every case."""
    owner, member, outsider = make_user(), make_user(), make_user()
    document = make_document()
    session = session_start(user=owner, title="Desk", documents=[document])
    session_join(session=session, user=member)
    # Every combination, odd ones included (written straight to the table, past the services' checks).
    threads = [
        Annotation.objects.create(
            document=document,
            author=author,
            start=0,
            end=9,
            exact="Paragraph",
            visibility=visibility,
            session=in_session,
        )
        for author, visibility, in_session in itertools.product(
            [owner, member, outsider], Visibility.values, [None, session]
        )
    ]
    for thread, author, visibility in itertools.product(threads, [member, outsider], Visibility.values):
        Annotation.objects.create(
            document=document, author=author, parent=thread, body="reply", visibility=visibility, session=thread.session
        )
    for viewer in [owner, member, outsider, None]:
        expected = set(Annotation.objects.visible_to(viewer).threads().values_list("pk", flat=True))
        assert set(Annotation.objects.visible_threads_to(viewer).values_list("pk", flat=True)) == expected
        assert expected  # public threads at least
        # and the replies' half of the rule still holds: a reply needs its thread
        replies = Annotation.objects.visible_to(viewer).filter(parent__isnull=False)
        assert all(reply.parent_id in expected or reply.author == viewer for reply in replies)


@pytest.mark.django_db
def test_the_coverage_matrix_from_the_highlight_rows_is_the_counted_one():
    from readingroom.coverage.matrix import coverage_matrix
    from readingroom.reader.highlights import entity_rows

    first = make_document(paragraphs=["Putin met Kim. Putin left. Kim stayed in Vostochny."])
    second = make_document(paragraphs=["Kim and Putin spoke in Vostochny."])
    putin = Entity.objects.create(name="Vladimir Putin", type="person")
    kim = Entity.objects.create(name="Kim Jong Un", type="person")
    hidden = Entity.objects.create(name="Vostochny", type="place", hidden=True)
    for document in (first, second):
        text = document.canonical_text
        for entity, word in ((putin, "Putin"), (kim, "Kim"), (hidden, "Vostochny")):
            start = text.find(word)
            while start != -1:
                Mention.objects.create(
                    document=document, entity=entity, start=start, end=start + len(word), surface=word
                )
                start = text.find(word, start + 1)
    Mention.objects.filter(document=second, entity=kim).update(rejected=True)
    documents = [first, second]
    counted = coverage_matrix(documents)
    from_rows = coverage_matrix(documents, mention_rows=entity_rows([first.pk, second.pk]))
    assert [(r.entity.pk, [c[:2] for c in r.cells], r.total) for r in from_rows] == [
        (r.entity.pk, [c[:2] for c in r.cells], r.total) for r in counted
    ]
    assert [(r.entity.name, [c[0] for c in r.cells]) for r in counted] == [
        ("Vladimir Putin", [2, 1]),
        ("Kim Jong Un", [2, 0]),
    ]


def version_of(document) -> int:
    from readingroom.library.models import HighlightVersion

    return HighlightVersion.objects.filter(document_id=document.pk).values_list("version", flat=True).first() or 0


@pytest.mark.django_db
def test_database_triggers_count_every_change_a_document_highlights_show():
    from django.db import connection

    from readingroom.coverage.models import Quote, QuoteCluster, SharedPassage
    from readingroom.library.models import HighlightVersion

    document, other = make_document(paragraphs=["Putin met Kim at the cosmodrome."]), make_document()
    assert version_of(document) == 0
    changes = [version_of(document)]

    def changed() -> bool:
        changes.append(version_of(document))
        return changes[-1] > changes[-2]

    putin = Entity.objects.create(name="Vladimir Putin", type="person")
    mention = Mention.objects.create(document=document, entity=putin, start=0, end=5, surface="Putin")
    assert changed()
    Entity.objects.filter(pk=putin.pk).update(name="Vladimir V. Putin")  # the name is not shown in a mark
    assert not changed()
    Entity.objects.filter(pk=putin.pk).update(hidden=True)
    assert changed()
    cluster = QuoteCluster.objects.create()
    quote = Quote.objects.create(document=document, start=10, end=13, text="Kim", revision=1, cluster=cluster)
    assert changed()
    Quote.objects.filter(pk=quote.pk).update(cluster=None)
    assert changed()
    SharedPassage.objects.create(document=document, start=0, end=10, other_document=other, similarity=90.0)
    assert changed()
    note = make_annotation(document=document, quote="cosmodrome")
    assert changed()
    with connection.cursor() as cursor:  # even a change behind the ORM's back
        cursor.execute(f"UPDATE {Annotation._meta.db_table} SET tag_order = %s WHERE id = %s", ["[1]", note.pk])
    assert changed()
    Mention.objects.filter(pk=mention.pk).delete()
    assert changed()
    assert version_of(other) == 0  # nothing of the other document changed
    pk, last = document.pk, version_of(document)
    document.delete()  # its version stays: a number is never handed out twice
    assert HighlightVersion.objects.get(document_id=pk).version >= last


@pytest.mark.django_db
def test_the_triggers_come_back_after_every_migrate():
    """SQLite drops a table's triggers when a migration rebuilds the table: the signal every
    migrate sends at its end puts them back."""
    from django.core.management.sql import emit_post_migrate_signal
    from django.db import connection

    from readingroom.library.triggers import drop_highlight_triggers, highlight_triggers_installed

    assert highlight_triggers_installed(connection)
    drop_highlight_triggers(connection)
    assert not highlight_triggers_installed(connection)
    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    assert highlight_triggers_installed(connection)


@pytest.mark.django_db
def test_a_cached_page_shows_a_quote_cluster_change(client):
    from readingroom.coverage.models import Quote, QuoteCluster

    document = make_document(paragraphs=["Putin said “we will talk” on Wednesday."])
    quote = Quote.objects.create(
        document=document, start=11, end=24, text="“we will talk”", revision=1, cluster=QuoteCluster.objects.create()
    )
    assert f'id="quote-{quote.pk}"' in body(client, document)
    Quote.objects.filter(pk=quote.pk).update(cluster=None)  # no longer shown as a clustered quote
    assert f'id="quote-{quote.pk}"' not in body(client, document)


@pytest.mark.django_db
def test_the_rows_are_read_with_the_sessions_the_cache_key_names():
    """A member's session annotations are shown only under a key that names the session: the rows
    are filtered by the very sessions read for the key, not by a second look at the memberships."""
    from readingroom.reader.highlights import annotation_rows

    owner = make_user()
    document = make_document(paragraphs=["Putin met Kim at the cosmodrome on Wednesday."])
    session = session_start(user=owner, title="Desk", documents=[document])
    shared = make_annotation(user=owner, document=document, quote="Kim", visibility=Visibility.SESSION, session=session)
    reader = make_user()
    session_join(session=session, user=reader)

    def shown(sessions):
        return {row[3] for row in annotation_rows(reader, [document.pk], sessions=sessions)[0].get(document.pk, [])}

    assert shown((session.pk,)) == {shared.pk}
    assert shown(()) == set()  # as the key said: no sessions, whatever the table says meanwhile
