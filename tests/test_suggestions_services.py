"""Suggested links (#19): same quotes, shared passages and disagreements between the shown
documents; never what a visible link already joins, nor what was dismissed; never a document the
user cannot see; accepted as a link with the user as its author."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from readingroom.annotations.links import LinkTarget, link_create
from readingroom.annotations.models import Annotation, AnnotationTarget, Relation, Visibility
from readingroom.annotations.sessions import session_join, session_start
from readingroom.annotations.suggestions import SuggestionError, suggestion_dismiss
from readingroom.coverage.models import Quote, QuoteCluster, SharedPassage
from readingroom.entities.models import Entity, Mention
from readingroom.reader.suggestions import suggestion_accept, suggestions_among, suggestions_for
from tests.factories import make_document, make_user

pytestmark = pytest.mark.django_db

FIRST = [
    "Kim met Putin at the Vostochny cosmodrome, some 1,000 km from Vladivostok, on Wednesday.",
    "Putin said: “We will help them build satellites.”",
    "The armoured train left Pyongyang on Sunday evening and crossed the border at Khasan early on Tuesday morning.",
]
SECOND = [
    "Putin welcomed Kim to the Vostochny cosmodrome, about 1,500 km north of Vladivostok.",
    "Asked about satellites, Putin said: “That is why we came here, we shall assist them in building satellites.”",
    "The armoured train left Pyongyang on Sunday evening and crossed the border at Khasan early on Tuesday morning.",
]


def mention(document, surface: str, entity: Entity) -> None:
    start = document.canonical_text.index(surface)
    Mention.objects.create(document=document, entity=entity, start=start, end=start + len(surface), surface=surface)


def quote(document, words: str, cluster: QuoteCluster) -> Quote:
    start = document.canonical_text.index(words)
    return Quote.objects.create(
        document=document, start=start, end=start + len(words), text=words, revision=1, cluster=cluster
    )


def shared(first, second, words: str, pair: int = 7) -> None:
    for document, other in ((first, second), (second, first)):
        start = document.canonical_text.index(words)
        SharedPassage.objects.create(
            document=document, start=start, end=start + len(words), other_document=other, similarity=100.0, pair=pair
        )


@pytest.fixture
def page():
    published = timezone.now().replace(year=2023, month=9, day=13)
    first = make_document(paragraphs=FIRST, published_at=published)
    second = make_document(paragraphs=SECOND, published_at=published)
    putin = Entity.objects.create(name="Vladimir Putin", type="person")
    kim = Entity.objects.create(name="Kim Jong Un", type="person")
    vostochny = Entity.objects.create(name="Vostochny", type="facility")
    for document in (first, second):
        mention(document, "Putin", putin)
        mention(document, "Kim", kim)
        mention(document, "Vostochny", vostochny)
    cluster = QuoteCluster.objects.create(label="help them build satellites", speaker=putin)
    quote(first, "We will help them build satellites.", cluster)
    quote(second, "That is why we came here, we shall assist them in building satellites.", cluster)
    shared(first, second, SECOND[2])
    return first, second


def by_kind(found, kind):
    return [suggestion for suggestion in found if suggestion.kind == kind]


def test_it_suggests_a_same_quote_a_shared_passage_and_a_disagreement(page):
    first, second = page
    found = suggestions_for(user=make_user(), documents=[first, second])
    (same_quote,) = by_kind(found, "quote")
    assert same_quote.relation_slug == "different-translation"
    assert [(p.document_id, p.exact) for p in same_quote.passages] == [
        (first.pk, "We will help them build satellites."),
        (second.pk, "That is why we came here, we shall assist them in building satellites."),
    ]
    (passage,) = by_kind(found, "passage")
    assert [p.exact for p in passage.passages] == [SECOND[2], SECOND[2]]
    assert passage.relation_slug == "unattributed-copy"  # long, word for word, and nobody credits anybody
    (contradiction,) = by_kind(found, "disagreement")
    assert contradiction.relation_slug == "contradicts"
    assert [p.exact for p in contradiction.passages] == [FIRST[0], SECOND[0]]
    assert "some 1,000 km" in contradiction.reason and "about 1,500 km" in contradiction.reason
    # The key names the suggestion whoever asks, for as long as its passages are the same.
    assert [s.key for s in suggestions_among([first, second])] == [s.key for s in found]


def test_a_shared_passage_whose_copy_credits_the_other_publication_is_the_same_claim(page):
    first, second = page
    first.byline = f"Staff, with {second.source.name}"
    first.save()
    (passage,) = by_kind(suggestions_among([first, second]), "passage")
    assert passage.relation_slug == "same-claim"


def test_it_never_suggests_what_a_visible_link_already_joins(page):
    first, second = page
    user = make_user()
    start_a, start_b = FIRST[0].index("some 1,000 km"), SECOND[0].index("about 1,500 km")
    link_create(
        user=user,
        targets=[
            LinkTarget(first, start_a, start_a + 13, "some 1,000 km"),
            LinkTarget(second, start_b, start_b + 14, "about 1,500 km"),
        ],
        relation=Relation.objects.get(slug="contradicts"),
    )
    assert by_kind(suggestions_for(user=user, documents=[first, second]), "disagreement") == []
    # Someone else's private link is not theirs to see: the suggestion is still offered to them.
    assert len(by_kind(suggestions_for(user=make_user(), documents=[first, second]), "disagreement")) == 1


def test_a_dismissed_suggestion_stays_gone_for_its_user_and_only_where_it_was_dismissed(page):
    first, second = page
    user, other = make_user(), make_user()
    (contradiction,) = by_kind(suggestions_for(user=user, documents=[first, second]), "disagreement")
    suggestion_dismiss(user=user, key=contradiction.key)
    suggestion_dismiss(user=user, key=contradiction.key)  # twice is once
    assert contradiction.key not in {s.key for s in suggestions_for(user=user, documents=[first, second])}
    assert contradiction.key in {s.key for s in suggestions_for(user=other, documents=[first, second])}
    session = session_start(user=user, title="Summit desk", documents=[first, second])
    assert contradiction.key in {s.key for s in suggestions_for(user=user, documents=[first, second], session=session)}
    with pytest.raises(SuggestionError):
        suggestion_dismiss(user=user, key="<script>")


def test_a_suggestion_never_reveals_a_document_the_user_cannot_see(page):
    first, second = page
    hidden = make_document(paragraphs=SECOND)
    shared(first, hidden, SECOND[2], pair=8)
    hidden.deleted_at = timezone.now()
    hidden.save()
    found = suggestions_for(user=make_user(), documents=[first, second])
    assert all(p.document_id in (first.pk, second.pk) for s in found for p in s.passages)
    # A session's page offers suggestions among the session's documents only.
    owner = make_user()
    session = session_start(user=owner, title="One article", documents=[first])
    assert suggestions_for(user=owner, documents=[first, second], session=session) == []
    # Nobody signed in is offered none.
    assert suggestions_for(user=AnonymousUser(), documents=[first, second]) == []


def test_accepting_a_suggestion_makes_it_a_link_with_the_user_as_author(page):
    first, second = page
    user = make_user()
    (contradiction,) = by_kind(suggestions_for(user=user, documents=[first, second]), "disagreement")
    link = suggestion_accept(user=user, documents=[first, second], key=contradiction.key)
    assert link.author == user and link.relation.slug == "contradicts" and link.visibility == Visibility.PRIVATE
    assert (link.document_id, link.exact) == (first.pk, FIRST[0])
    (target,) = AnnotationTarget.objects.filter(annotation=link)
    assert (target.document_id, target.exact) == (second.pk, SECOND[0])
    # Accepted, it is a link now, and no longer offered; accepting it again is refused.
    assert contradiction.key not in {s.key for s in suggestions_for(user=user, documents=[first, second])}
    with pytest.raises(SuggestionError):
        suggestion_accept(user=user, documents=[first, second], key=contradiction.key)
    assert Annotation.objects.links().count() == 1


def test_accepted_in_a_session_the_link_is_the_session_s_for_its_members(page):
    first, second = page
    owner, member = make_user(), make_user()
    session = session_start(user=owner, title="Summit desk", documents=[first, second])
    session_join(user=member, session=session)
    (same_quote,) = by_kind(suggestions_for(user=member, documents=[first, second], session=session), "quote")
    link = suggestion_accept(
        user=member,
        documents=[first, second],
        key=same_quote.key,
        session=session,
        relation=Relation.objects.get(slug="same-claim"),
    )
    assert link.session == session and link.visibility == Visibility.SESSION and link.relation.slug == "same-claim"
    # The owner sees it as a link, so it is not suggested to them either.
    assert same_quote.key not in {
        s.key for s in suggestions_for(user=owner, documents=[first, second], session=session)
    }
