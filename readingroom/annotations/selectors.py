"""Reads about annotations that pages share (those that show annotations start from
``visible_to(user)``), and the document an annotation is made on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import User
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from readingroom.fixedsql import PrimaryKeyReader, column, fetch_fixed
from readingroom.ids import parse_id
from readingroom.library.models import Document

from .models import DELETED_USER, Annotation, AnnotationSession, AnnotationTarget, Membership, Role, Tag, Visibility

AnnotationsT = TypeVar("AnnotationsT", bound=QuerySet)


def with_thread_details(queryset: QuerySet) -> QuerySet:
    # The documents' texts are never needed here and can be large.
    return (
        queryset.select_related("author", "document__source", "relation")
        .defer("document__raw_text", "document__canonical_text", "document__blocks")
        .prefetch_related(
            Prefetch("tags", queryset=Tag.objects.all()),
        )
    )


def threads_for(user, ids: Iterable[int]) -> list[Annotation]:
    """The threads with these ids that the user may see, each with its visible replies."""
    visible = Annotation.objects.visible_to(user)
    replies = with_thread_details(visible.filter(parent__isnull=False)).order_by("created_at")
    return list(
        with_thread_details(visible.threads().filter(pk__in=list(ids)))
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="visible_replies"))
        .order_by("start", "created_at")
    )


def shown_on_session_page(annotations: AnnotationsT, session) -> AnnotationsT:
    """A session's page shows its own annotations and the public ones on its documents that
    belong to no session (such as those made before it started): everyone may read those anyway."""
    return annotations.filter(Q(session=session) | Q(session__isnull=True, visibility=Visibility.PUBLIC))


def panel_annotations(
    user,
    *,
    document_ids: list[int],
    tag: str = "",
    author: str = "",
    query: str = "",
    document: str = "",
    session=None,
) -> QuerySet:
    """The side panel's list: threads on the shown documents, filtered and searched."""
    threads = Annotation.objects.visible_threads_to(user).filter(document_id__in=document_ids)
    if session is not None:
        threads = shown_on_session_page(threads, session)
    if (document_id := parse_id(document)) is not None:
        threads = threads.filter(document_id=document_id)
    if tag:
        threads = threads.filter(tags__slug=tag)
    if author:
        threads = threads.filter(author__username=author)
    if query:
        threads = threads.filter(Q(exact__icontains=query) | Q(body__icontains=query) | Q(tags__name__icontains=query))
    return (
        with_thread_details(threads.distinct())
        .annotate(reply_count=Count("replies", distinct=True))
        .order_by("document_id", "anchor_state", "start", "created_at")
    )


def panel_choices(user, document_ids: list[int], *, session=None) -> dict:
    """The tags and authors that occur among the annotations shown, for the panel's filters."""
    visible = Annotation.objects.visible_threads_to(user).filter(document_id__in=document_ids)
    if session is not None:
        visible = shown_on_session_page(visible, session)
    tags = Tag.objects.filter(annotations__in=visible).distinct().order_by("name")
    # (username, the name shown): people are filtered by the one and know each other by the other.
    authors = sorted(
        {
            (username, display_name(username, first, last))
            for username, first, last in visible.values_list(
                "author__username", "author__first_name", "author__last_name"
            )
            if username is not None
        },
        key=lambda author: (author[1].casefold(), author[0]),
    )
    return {"tags": tags, "authors": authors}


def tag_names(user, limit: int = 500) -> list[str]:
    """Tag names to suggest while typing: those on at least one annotation this user can see.
    (An EXISTS per tag over the tag index, not a count over every annotation: it runs on every page.)"""
    # Only threads carry tags, so the threads-only half of the visibility rule is enough.
    visible = Annotation.objects.visible_threads_to(user).filter(tags=OuterRef("pk"))
    return list(Tag.objects.filter(Exists(visible)).order_by("name").values_list("name", flat=True)[:limit])


def annotations_search(user, words: list[str], limit: int = 50) -> list[Annotation]:
    """Threads this user may see whose quote, comment or tags hold every word: PostgreSQL's
    text search there, a word-by-word match on SQLite."""
    from django.db import connection

    threads = Annotation.objects.visible_threads_to(user)
    if not words:
        return []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector("exact", weight="A", config="english") + SearchVector(
            "body", weight="B", config="english"
        )
        query = SearchQuery(" ".join(words), config="english", search_type="plain")
        found = (
            threads.annotate(search=vector, rank=SearchRank(vector, query))
            .filter(search=query)
            .order_by("-rank", "-created_at")
        )
    else:
        found = threads
        for word in words:
            # The tag test as a subquery of its own: a join per word multiplied the rows by the
            # tag count once per word (seven words over ten tags: ten million rows).
            tagged = Annotation.tags.through.objects.filter(annotation_id=OuterRef("pk"), tag__name__icontains=word)
            found = found.filter(Q(exact__icontains=word) | Q(body__icontains=word) | Exists(tagged))
        found = found.order_by("-created_at")
    return list(with_thread_details(found)[:limit])


def writable_session_ids(user) -> set[int]:
    """Sessions where this user may write (annotate, reply, edit): open ones, as owner or annotator."""
    if user is None or not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user=user, role__in=[Role.OWNER, Role.ANNOTATOR], session__closed=False).values_list(
            "session_id", flat=True
        )
    )


def reader_key(user) -> tuple[tuple, tuple[int, ...] | None]:
    """Who is reading, as far as what they may see goes: anonymous, or a user and their sessions;
    and those sessions, which the annotations are then read with (``visible_to(user, sessions=)``),
    so that what is cached and what it is cached under agree."""
    if user is None or not user.is_authenticated:
        return ("anonymous",), None
    rows = fetch_fixed(
        "memberships",
        Membership,
        lambda quote, meta: (
            f"SELECT {column(meta, 'session', quote)} FROM {quote(meta.db_table)}"
            f" WHERE {column(meta, 'user', quote)} = %s ORDER BY 1"
        ),
        [user.pk],
        orm=lambda: list(Membership.objects.filter(user_id=user.pk).order_by("session_id").values_list("session_id")),
    )
    sessions = tuple(session_id for (session_id,) in rows)
    return (user.pk, sessions), sessions


def membership_for(user, session_id: int) -> Membership | None:
    """The user's membership of the session (with the session and its owner), or None for anyone
    who is not a member, anonymous visitors included."""
    if user is None or not user.is_authenticated:
        return None
    return Membership.objects.filter(session_id=session_id, user_id=user.pk).select_related("session__owner").first()


def _poll_sql(quote, membership) -> str:
    """The idle poll's one query: building it through the ORM (three tables, two joins) took as
    long as running it, on the request every live client makes every second."""
    session, user = AnnotationSession._meta, User._meta
    return (
        f"SELECT s.{column(session, 'version', quote)}, u.{column(user, 'password', quote)},"
        f" m.{column(membership, 'role', quote)}, s.{column(session, 'closed', quote)}"
        f" FROM {quote(membership.db_table)} m"
        f" INNER JOIN {quote(session.db_table)} s ON s.{column(session, 'id', quote)} = m.{column(membership, 'session', quote)}"
        f" INNER JOIN {quote(user.db_table)} u ON u.{column(user, 'id', quote)} = m.{column(membership, 'user', quote)}"
        f" WHERE m.{column(membership, 'session', quote)} = %s AND m.{column(membership, 'user', quote)} = %s"
        f" AND u.{column(user, 'is_active', quote)}"
    )


def session_poll_row(*, session_id: int, user_id) -> tuple[int, str, str, bool] | None:
    """(the session's version, the member's password hash, their role, whether the session is
    closed) if this active user is a member."""
    try:
        user_id = int(user_id)
    except (TypeError, ValueError):
        return None
    if not (0 < session_id < 2**63 and 0 < user_id < 2**63):
        return None
    rows = fetch_fixed(
        "session-poll",
        Membership,
        _poll_sql,
        [session_id, user_id],
        orm=lambda: list(
            Membership.objects.filter(session_id=session_id, user_id=user_id, user__is_active=True).values_list(
                "session__version", "user__password", "role", "session__closed"
            )
        ),
    )
    if not rows:
        return None
    version, password, role, closed = rows[0]
    return version, password, role, bool(closed)


# Without the imported file's text and the paragraph list: large, and not needed to check a
# selection (read on access if ever needed). Every save asks for the document.
_document_reader = PrimaryKeyReader(Document, leave_out=("raw_text", "blocks"))


def document_for_annotating(pk: int) -> Document | None:
    document = _document_reader.get(pk)
    return None if document is None or document.deleted_at is not None else document


def display_name(username: str, first_name: str | None, last_name: str | None) -> str:
    """The name people chose at sign-up (as ``User.get_full_name``), else their username."""
    return " ".join(part for part in (first_name, last_name) if part) or username


@dataclass(frozen=True)
class LinkPassage:
    document_id: int
    start: int | None  # None: orphaned by a text edit
    end: int | None
    exact: str
    anchor_state: str


@dataclass(frozen=True)
class LinkSummary:
    """A link as the compare page draws it: its relation and every passage, in order."""

    id: int
    relation_slug: str
    relation_name: str
    colour: str
    author: str
    state: str  # anchored, moved, partial (some passages orphaned) or orphaned
    passages: tuple[LinkPassage, ...]


def links_among(user, document_ids: Iterable[int], *, session=None) -> list[LinkSummary]:
    """The links this user may see with at least two passages among these documents (those
    between the columns shown), in one query: the visible links joined to their other passages.
    A link with a passage elsewhere is listed with it (the page draws what it shows)."""
    return _link_summaries(user, document_ids, session=session, shown_passages=2)


def links_of_document(user, document_id: int) -> list[LinkSummary]:
    """The links this user may see that have a passage in this document, each with all its
    passages (those in other documents too), in the document's order."""
    # Most documents have no link: two indexed existence checks spare them building the
    # visibility query (a third of an unlinked document page's time).
    if (
        not Annotation.objects.filter(document_id=document_id, relation__isnull=False).exists()
        and not AnnotationTarget.objects.filter(document_id=document_id).exists()
    ):
        return []
    return _link_summaries(user, [document_id], session=None, shown_passages=1)


def _link_summaries(user, document_ids: Iterable[int], *, session, shown_passages: int) -> list[LinkSummary]:
    ids = sorted({int(pk) for pk in document_ids})
    if not ids:
        return []
    links = Annotation.objects.visible_threads_to(user).filter(relation__isnull=False)
    if session is not None:
        links = shown_on_session_page(links, session)
    touching = AnnotationTarget.objects.filter(document_id__in=ids).values("annotation_id")
    links = links.filter(Q(document_id__in=ids) | Q(pk__in=touching))
    rows = (
        links.annotate(
            # One row per passage after the first (a link has at least one); the first comes with it.
            t_position=F("targets__position"),
            t_document=F("targets__document_id"),
            t_start=F("targets__start"),
            t_end=F("targets__end"),
            t_exact=F("targets__exact"),
            t_state=F("targets__anchor_state"),
        )
        .order_by("document_id", "start", "pk", "t_position")
        .values_list(
            "pk",
            "relation__slug",
            "relation__name",
            "relation__colour",
            "author__username",
            "document_id",
            "start",
            "end",
            "exact",
            "anchor_state",
            "t_document",
            "t_start",
            "t_end",
            "t_exact",
            "t_state",
        )
    )
    found: dict[int, tuple[tuple, list[LinkPassage]]] = {}
    for row in rows:
        pk, slug, name, colour, author, document_id, start, end, exact, state = row[:10]
        if pk not in found:
            found[pk] = ((slug, name, colour, author), [LinkPassage(document_id, start, end, exact, state)])
        if row[10] is not None:
            found[pk][1].append(LinkPassage(*row[10:15]))
    shown = set(ids)
    summaries = []
    for pk, ((slug, name, colour, author), passages) in found.items():
        if sum(passage.document_id in shown for passage in passages) < shown_passages:
            continue
        states = [passage.anchor_state for passage in passages]
        orphaned = states.count("orphaned")
        state = (
            ("moved" if "moved" in states else "anchored")
            if not orphaned
            else ("orphaned" if orphaned == len(states) else "partial")
        )
        summaries.append(LinkSummary(pk, slug, name, colour, author or DELETED_USER, state, tuple(passages)))
    return summaries
