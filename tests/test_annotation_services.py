"""Writing annotations: every check the server makes, and nothing half-saved."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from readingroom.annotations.checks import MAX_BODY_LENGTH, AnnotationError
from readingroom.annotations.models import Annotation, Tag, Visibility
from readingroom.annotations.services import (
    StaleAnnotation,
    annotation_create,
    annotation_delete,
    annotation_reply,
    annotation_update,
)
from readingroom.annotations.tags import MAX_TAGS
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

TEXT = ["Putin said: “We’ll talk about all the issues — without haste.” 🚀 Then Kim left the Vostochny Сosmodrome."]


def create(**overrides):
    document = overrides.pop("document", None) or make_document(paragraphs=TEXT)
    exact = "We’ll talk about all the issues"
    start = document.canonical_text.index(exact)
    values = dict(user=make_user(), document=document, start=start, end=start + len(exact), exact=exact)
    values.update(overrides)
    return annotation_create(**values)


def test_it_stores_the_quote_with_its_context():
    annotation = create(tag_names=["claim", "Military"], body="A **bold** claim")
    assert annotation.exact == "We’ll talk about all the issues"
    assert annotation.prefix == "Putin said: “"
    assert annotation.suffix.startswith(" — without haste.”")
    assert [tag.name for tag in annotation.ordered_tags()] == ["claim", "Military"]
    assert annotation.body_html == "<p>A <strong>bold</strong> claim</p>"


def test_offsets_are_code_points_past_an_emoji_and_cyrillic_letters():
    document = make_document(paragraphs=TEXT)
    text = document.canonical_text
    exact = "Vostochny Сosmodrome"
    start = text.index(exact)  # Python counts the 🚀 before it as one
    annotation = annotation_create(
        user=make_user(), document=document, start=start, end=start + len(exact), exact=exact
    )
    assert text[annotation.start : annotation.end] == exact


@pytest.mark.parametrize(
    "change, message",
    [
        ({"start": -1}, "outside"),
        ({"end": 10_000}, "outside"),
        ({"exact": "We’ll talk about all the issueS"}, "no longer matches"),
        ({"tag_names": [f"tag{n}" for n in range(MAX_TAGS + 1)]}, f"at most {MAX_TAGS} tags"),
        ({"tag_names": ["x" * 41]}, "at most 40 characters"),
        ({"body": "x" * (MAX_BODY_LENGTH + 1)}, "at most 10,000 characters"),
        ({"visibility": "everyone"}, "Visibility must be one of"),
    ],
)
def test_it_refuses_bad_input_and_stores_nothing(change, message):
    with pytest.raises(AnnotationError, match=message):
        create(**change)
    assert not Annotation.objects.exists()
    assert not Tag.objects.exists()


def test_an_anonymous_visitor_cannot_annotate():
    with pytest.raises(PermissionDenied):
        create(user=AnonymousUser())


def test_tags_are_shared_ignoring_case():
    first = create(tag_names=["Claim"])
    second = create(tag_names=["claim", " CLAIM ", "new tag"])
    assert Tag.objects.count() == 2
    assert [t.name for t in second.ordered_tags()] == ["Claim", "new tag"]
    assert first.tags.get() == second.ordered_tags()[0]


def test_only_the_author_may_change_or_delete():
    annotation = create()
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        annotation_update(user=stranger, annotation=annotation, body="mine now")
    with pytest.raises(PermissionDenied):
        annotation_delete(user=stranger, annotation=annotation)
    assert Annotation.objects.get().body == ""


def test_a_stale_edit_is_refused_instead_of_overwriting():
    annotation = create()
    annotation_update(user=annotation.author, annotation=annotation, body="first edit", expected_version=1)
    with pytest.raises(StaleAnnotation, match="changed this annotation since you opened it"):
        annotation_update(user=annotation.author, annotation=annotation, body="second edit", expected_version=1)
    assert Annotation.objects.get().body == "first edit"


def test_a_reply_keeps_the_audience_it_was_written_for():
    annotation = create(visibility=Visibility.PUBLIC)
    reply = annotation_reply(user=make_user(), parent=annotation, body="I disagree")
    assert reply.visibility == Visibility.PUBLIC and reply.document == annotation.document
    annotation_update(user=annotation.author, annotation=annotation, visibility=Visibility.PRIVATE)
    reply.refresh_from_db()
    assert reply.visibility == Visibility.PUBLIC  # hidden with its thread, never widened or narrowed by it


def test_an_empty_reply_is_refused():
    with pytest.raises(AnnotationError, match="needs some text"):
        annotation_reply(user=make_user(), parent=create(visibility=Visibility.PUBLIC), body="   ")


def test_nobody_replies_into_a_thread_they_cannot_see():
    private = create()
    with pytest.raises(PermissionDenied):
        annotation_reply(user=make_user(), parent=private, body="sneaking in")


def test_replies_are_hidden_with_their_thread_except_from_their_author():
    alice, bob, carol = make_user(), make_user(), make_user()
    thread = create(user=alice, visibility=Visibility.PUBLIC)
    reply = annotation_reply(user=bob, parent=thread, body="a reply")
    annotation_update(user=alice, annotation=thread, visibility=Visibility.PRIVATE)
    # The thread's author still sees the whole thread; the replier keeps his reply; others see none.
    assert set(Annotation.objects.visible_to(alice)) == {thread, reply}
    assert set(Annotation.objects.visible_to(bob)) == {reply}
    assert not Annotation.objects.visible_to(carol).exists()
    with pytest.raises(PermissionDenied):
        annotation_reply(user=bob, parent=reply, body="replying to my own reply")


def test_making_a_session_thread_public_never_publishes_the_members_replies():
    from readingroom.annotations.sessions import session_join, session_start

    alice, bob = make_user(), make_user()
    document = make_document(paragraphs=TEXT)
    session = session_start(user=alice, title="s", documents=[document])
    session_join(session=session, user=bob)
    thread = create(user=alice, document=document, session=session)
    reply = annotation_reply(user=bob, parent=thread, body="members only")
    annotation_update(user=alice, annotation=thread, visibility=Visibility.PUBLIC)
    assert set(Annotation.objects.visible_to(AnonymousUser())) == {thread}
    assert set(Annotation.objects.visible_to(make_user())) == {thread}
    assert reply in Annotation.objects.visible_to(bob)


@pytest.mark.parametrize("text", ["bell \x07 in it", "nul \x00 in it", "surrogate \ud800 in it"])
def test_control_characters_and_lone_surrogates_are_refused(text):
    with pytest.raises(AnnotationError, match="control characters"):
        create(body=text)
    with pytest.raises(AnnotationError, match="control characters"):
        create(tag_names=[text])
    assert not Annotation.objects.exists()
