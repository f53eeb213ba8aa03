"""Links across sources (#19): the services that make, change and delete them, and who sees them."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from readingroom.annotations.checks import AnnotationError
from readingroom.annotations.links import LinkError, LinkTarget, link_create, link_delete, link_state, link_update
from readingroom.annotations.models import Annotation, AnnotationTarget, Relation, Role, Visibility
from readingroom.annotations.services import StaleAnnotation, annotation_reply
from readingroom.annotations.sessions import session_join, session_start
from readingroom.library.models import Document
from tests.factories import make_annotation, make_document, make_user

pytestmark = pytest.mark.django_db

THE_FIVE = ["same-claim", "contradicts", "adds-detail", "unattributed-copy", "different-translation"]


def relation(slug: str = "contradicts") -> Relation:
    # The data migration's rows, unless a transactional test emptied the table.
    return Relation.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").capitalize()})[0]


def passage(document: Document, quote: str) -> LinkTarget:
    start = document.canonical_text.index(quote)
    return LinkTarget(document=document, start=start, end=start + len(quote), exact=quote)


def two_documents():
    first = make_document(paragraphs=["Kim travelled some 1,000 km by train to meet Putin."])
    second = make_document(paragraphs=["The train carried Kim about 1,500 km to the cosmodrome."])
    return first, second


def a_link(user, **fields):
    first, second = two_documents()
    return link_create(
        user=user,
        targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
        relation=relation(),
        **fields,
    )


def test_the_migration_adds_the_five_relations_the_issue_names():
    assert set(THE_FIVE) <= set(Relation.objects.values_list("slug", flat=True))


def test_it_links_two_passages_of_two_documents_with_a_relation():
    user = make_user()
    link = a_link(user, body="Which is it?", tag_names=["distance"])
    link.refresh_from_db()
    assert link.relation.slug == "contradicts" and link.exact == "some 1,000 km" and link.body == "Which is it?"
    (target,) = AnnotationTarget.objects.filter(annotation=link)
    assert (target.position, target.exact, target.anchor_state) == (1, "about 1,500 km", "anchored")
    assert target.document.canonical_text[target.start : target.end] == "about 1,500 km"
    assert target.prefix.endswith("Kim ") and target.suffix.startswith(" to the")
    assert link_state(link) == "anchored"


def test_it_links_two_passages_of_one_document():
    document = make_document(paragraphs=["Kim said yes. Later, Kim said no."])
    link = link_create(
        user=make_user(),
        targets=[passage(document, "said yes"), passage(document, "said no")],
        relation=relation(),
    )
    assert link.targets.get().exact == "said no"


def test_an_existing_annotation_stays_a_one_target_annotation():
    annotation = make_annotation()
    assert annotation.relation_id is None and not annotation.targets.exists()
    assert link_state(annotation) == "anchored"


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda targets: targets[:1], "at least two passages"),
        (lambda targets: [targets[0], targets[0]], "same passage"),
        (lambda targets: [targets[0], LinkTarget(targets[1].document, 0, 5, "wrong")], "Passage 2"),
        (lambda targets: [targets[0], LinkTarget(targets[1].document, 5, 2, "x")], "Passage 2"),
        (lambda targets: [targets[0], LinkTarget(targets[1].document, 0, 10**9, "x")], "outside the text"),
        (lambda targets: targets * 6, "at most 10"),
    ],
)
def test_it_refuses_passages_that_do_not_anchor(change, message):
    first, second = two_documents()
    targets = [passage(first, "some 1,000 km"), passage(second, "about 1,500 km")]
    with pytest.raises(LinkError, match=message):
        link_create(user=make_user(), targets=change(targets), relation=relation())
    assert not Annotation.objects.exists()


def test_it_refuses_a_document_the_author_cannot_see():
    first, second = two_documents()
    Document.all_objects.filter(pk=second.pk).update(deleted_at=timezone.now())
    second.refresh_from_db()
    with pytest.raises(PermissionDenied):
        link_create(
            user=make_user(),
            targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
            relation=relation(),
        )
    assert not Annotation.objects.exists()


def test_it_refuses_a_link_without_a_relation():
    first, second = two_documents()
    with pytest.raises(LinkError, match="relate"):
        link_create(
            user=make_user(),
            targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
            relation=None,  # type: ignore[arg-type]
        )


def test_in_a_session_every_passage_must_be_on_one_of_its_documents():
    user = make_user()
    first, second = two_documents()
    session = session_start(user=user, title="Summit", documents=[first])
    with pytest.raises(AnnotationError, match="not part of this session"):
        link_create(
            user=user,
            targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
            relation=relation(),
            session=session,
        )
    session.documents.add(second)
    link = link_create(
        user=user,
        targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
        relation=relation(),
        session=session,
    )
    assert link.visibility == Visibility.SESSION
    # Both documents' live clients are told.
    assert set(session.changes.values_list("document_id", flat=True)) == {first.pk, second.pk}


def test_a_viewer_of_a_session_cannot_link():
    owner, viewer = make_user(), make_user()
    first, second = two_documents()
    session = session_start(user=owner, title="Summit", documents=[first, second])
    session_join(session=session, user=viewer).__class__.objects.filter(user=viewer).update(role=Role.VIEWER)
    with pytest.raises(PermissionDenied):
        link_create(
            user=viewer,
            targets=[passage(first, "some 1,000 km"), passage(second, "about 1,500 km")],
            relation=relation(),
            session=session,
        )


def test_it_changes_the_relation_and_comment_of_the_version_the_author_saw():
    user = make_user()
    link = a_link(user)
    updated = link_update(
        user=user, annotation=link, relation=relation("adds-detail"), body="More", expected_version=link.version
    )
    assert updated.relation.slug == "adds-detail" and updated.body == "More" and updated.version == 2
    with pytest.raises(StaleAnnotation):
        link_update(user=user, annotation=link, body="Lost", expected_version=1)
    with pytest.raises(PermissionDenied):
        link_update(user=make_user(), annotation=link, body="Not mine")


def test_link_update_refuses_a_plain_annotation():
    annotation = make_annotation()
    with pytest.raises(LinkError):
        link_update(user=annotation.author, annotation=annotation, relation=relation())


def test_deleting_a_link_deletes_its_passages_and_replies():
    user = make_user()
    link = a_link(user, visibility=Visibility.PUBLIC)
    annotation_reply(user=make_user(), parent=link, body="Agreed")
    link_delete(user=user, annotation=link, expected_version=link.version)
    assert not Annotation.objects.exists() and not AnnotationTarget.objects.exists()


def test_a_link_with_a_passage_on_a_deleted_document_is_hidden_whole_with_its_replies():
    author, reader = make_user(), make_user()
    link = a_link(author, visibility=Visibility.PUBLIC)
    reply = annotation_reply(user=reader, parent=link, body="Agreed")
    plain = make_annotation(user=author, document=link.document, visibility=Visibility.PUBLIC)
    second = link.targets.get().document
    for user in (author, reader, None):
        assert set(Annotation.objects.visible_to(user).values_list("pk", flat=True)) >= {link.pk, plain.pk}
    Document.all_objects.filter(pk=second.pk).update(deleted_at=timezone.now())
    for user in (author, reader, None):
        visible = set(Annotation.objects.visible_to(user).values_list("pk", flat=True))
        assert link.pk not in visible and reply.pk not in visible and plain.pk in visible
        assert set(Annotation.objects.visible_threads_to(user).values_list("pk", flat=True)) == {plain.pk}
    Document.all_objects.filter(pk=second.pk).update(deleted_at=None)
    assert Annotation.objects.visible_to(reader).filter(pk=link.pk).exists()


def test_a_relation_in_use_cannot_be_deleted():
    from django.db.models import ProtectedError

    link = a_link(make_user())
    with pytest.raises(ProtectedError):
        link.relation.delete()


def test_curators_list_relations_with_their_link_counts_and_see_a_links_passages_in_the_admin(client):
    link = a_link(make_user())
    client.force_login(make_user(is_staff=True, is_superuser=True))
    listing = client.get("/admin/annotations/relation/")
    assert listing.status_code == 200 and b"Contradicts" in listing.content
    page = client.get(f"/admin/annotations/annotation/{link.pk}/change/")
    assert page.status_code == 200 and "about 1,500 km" in page.content.decode()
