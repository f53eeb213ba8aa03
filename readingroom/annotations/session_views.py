"""Session pages: the session's compare view, members and invitations, the live feed, the dashboard."""

from __future__ import annotations

import json
from typing import cast

from django.contrib import messages
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.ids import parse_id
from readingroom.library.selectors import MAX_COMPARED, documents_in_order, parse_document_ids
from readingroom.signin import session_hash_verified

from .csv_export import annotations_csv
from .jsonld import CONTENT_TYPE, annotation_collection
from .models import DELETED_USER, Annotation, AnnotationSession, Membership, Role, SessionChange
from .selectors import membership_for, session_poll_row, with_thread_details
from .sessions import (
    SessionError,
    members_here,
    membership_of,
    membership_seen,
    session_join,
    session_remove_member,
    session_revoke_invite,
    session_set_closed,
    session_set_role,
    session_start,
)

MAX_CHANGES_PER_POLL = 200


def session_for_member(request: HttpRequest, pk: int) -> tuple[AnnotationSession, Membership]:
    """The session and the user's membership; a 404 for anyone who is not a member."""
    membership = membership_for(request.user, pk)
    if membership is None:
        raise Http404("No such session.")
    return membership.session, membership


@require_GET
@login_required
def session_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=cast(User, request.user))  # signed in: login_required
        .select_related("session")
        .order_by("-session__created_at")
    )
    return render(request, "annotations/session_list.html", {"memberships": memberships})


@require_POST
@login_required
def session_new(request: HttpRequest) -> HttpResponse:
    """Start a session from the compare page: it takes the documents shown."""
    documents = documents_in_order(parse_document_ids(request.POST.getlist("doc"))[:MAX_COMPARED])
    try:
        session = session_start(
            user=request.user,
            title=request.POST.get("title", "") or "Untitled session",
            documents=documents,
            description=request.POST.get("description", ""),
        )
    except SessionError as error:
        messages.error(request, str(error))
        return redirect(reverse("document_list"))
    messages.success(request, "Session started. Invite people with the link on the members page.")
    return redirect(session.get_absolute_url())


@require_GET
def session_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """What live clients ask every second. Nothing new: one indexed query and a 304 without a
    body. Something new: the changes since the version the client has (``?since=N``)."""
    # The user id straight from the session, without loading the user: the membership query
    # below is the check, and with the session lookup it is all an idle poll costs.
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return JsonResponse({"error": "Sign in."}, status=401)
    row = session_poll_row(session_id=pk, user_id=user_id)
    if row is None:
        return JsonResponse({"error": "No such session."}, status=404)
    version, password = row
    # Django's own check of the signed-in session, from the row already here: a password change
    # ends the session; a hash made with a key in SECRET_KEY_FALLBACKS still counts.
    if not session_hash_verified(request.session.get(HASH_SESSION_KEY, ""), password=password):
        return JsonResponse({"error": "Sign in again."}, status=401)
    etag = f'"v{version}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
        response["ETag"] = etag
        return response
    since = parse_id(request.GET.get("since"))
    changes = []
    if since is not None:
        changes = list(
            SessionChange.objects.filter(session_id=pk, version__gt=since)
            .order_by("version")
            .values("version", "document_id", "annotation_id")[:MAX_CHANGES_PER_POLL]
        )
    response = JsonResponse(
        {
            "version": version,
            "documents": sorted({c["document_id"] for c in changes}),
            "annotations": sorted({c["annotation_id"] for c in changes}),
            # Too many to list, or no starting point: the client reloads everything it shows.
            "everything": since is None or len(changes) >= MAX_CHANGES_PER_POLL,
        }
    )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response


@require_POST
def session_here(request: HttpRequest, pk: int) -> HttpResponse:
    """A member's heartbeat: note them as here, answer who else is."""
    session, membership = session_for_member(request, pk)
    membership_seen(membership)
    return render(request, "annotations/_here_now.html", {"session": session, "here": members_here(session)})


@require_http_methods(["GET", "POST"])
@login_required
def session_members(request: HttpRequest, pk: int) -> HttpResponse:
    """Owners manage members, roles, the invitation link, and closing; others see the list."""
    session, membership = session_for_member(request, pk)
    if request.method == "POST":
        try:
            _members_action(request, session)
        except (SessionError, PermissionDenied) as error:
            messages.error(request, str(error))
        return redirect(reverse("session_members", args=[session.pk]))
    context = {
        "session": session,
        "membership": membership,
        "members": session.memberships.select_related("user").order_by("joined_at"),
        "roles": Role.choices,
        "invite_url": request.build_absolute_uri(reverse("session_join", args=[session.invite_token])),
    }
    return render(request, "annotations/session_members.html", context)


def _members_action(request: HttpRequest, session: AnnotationSession) -> None:
    action = request.POST.get("action", "")
    user = request.user
    if action == "revoke-invite":
        session_revoke_invite(session=session, user=user)
        messages.success(request, "The old invitation link no longer works; here is a new one.")
    elif action in ("close", "reopen"):
        session_set_closed(session=session, user=user, closed=action == "close")
        messages.success(request, "Session closed: it is read-only." if action == "close" else "Session open again.")
    elif action in ("set-role", "remove"):
        member = get_object_or_404(Membership, pk=request.POST.get("member", "0") or 0, session=session)
        if action == "remove":
            session_remove_member(session=session, user=user, member=member)
            messages.success(request, f"{member.user.get_username()} is no longer a member.")
        else:
            session_set_role(session=session, user=user, member=member, role=request.POST.get("role", ""))
            messages.success(request, f"{member.user.get_username()} is now {member.get_role_display().lower()}.")
    else:
        raise SessionError("Unknown action.")


@require_http_methods(["GET", "POST"])
@login_required
def session_join_view(request: HttpRequest, token: str) -> HttpResponse:
    session = get_object_or_404(AnnotationSession, invite_token=token)
    if request.method == "POST":
        session_join(session=session, user=request.user)
        return redirect(session.get_absolute_url())
    already = membership_of(session, request.user)
    if already is not None:
        return redirect(session.get_absolute_url())
    return render(request, "annotations/session_join.html", {"session": session})


BAR_ROW = 16
BAR_AREA = 220


def _chart(title: str, rows: list[tuple[str, int, str]]) -> dict:
    """A horizontal bar chart as numbers an SVG template can draw: label, value, colour per row."""
    largest = max((value for _, value, _ in rows), default=0) or 1
    bars = [
        {
            "label": label,
            "value": value,
            "colour": colour,
            "y": index * BAR_ROW,
            "width": max(1, round(BAR_AREA * value / largest)),
        }
        for index, (label, value, colour) in enumerate(rows)
    ]
    return {"title": title, "bars": bars, "height": max(len(bars), 1) * BAR_ROW}


@require_GET
@login_required
def session_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Who annotated what: per member, per tag, per document, and the most-tagged passages."""
    session, membership = session_for_member(request, pk)
    threads = Annotation.objects.visible_threads_to(request.user).filter(session=session)
    per_member = threads.values_list("author__username").annotate(n=Count("pk")).order_by("-n", "author__username")
    per_tag = (
        threads.exclude(tags=None)
        .values_list("tags__name", "tags__colour")
        .annotate(n=Count("pk"))
        .order_by("-n", "tags__name")
    )
    per_document = threads.values_list("document__title").annotate(n=Count("pk")).order_by("-n", "document__title")
    most_tagged = (
        threads.annotate(tag_count=Count("tags", distinct=True), reply_count=Count("replies", distinct=True))
        .filter(tag_count__gt=0)
        .select_related("document__source", "author")
        .prefetch_related("tags")
        .order_by("-tag_count", "-reply_count", "created_at")[:10]
    )
    context = {
        "session": session,
        "membership": membership,
        "total": threads.count(),
        "charts": [
            _chart("Per member", [(name or DELETED_USER, count, "#2f5d8a") for name, count in per_member]),
            _chart("Per tag", [(name, count, colour) for name, colour, count in per_tag]),
            _chart("Per document", [(title, count, "#8ab17d") for title, count in per_document]),
        ],
        "most_tagged": most_tagged,
    }
    return render(request, "annotations/session_dashboard.html", context)


@require_GET
@login_required
def session_export(request: HttpRequest, pk: int, fmt: str) -> HttpResponse:
    """The session's annotations you can see, as W3C JSON-LD or CSV."""

    session, _ = session_for_member(request, pk)
    annotations = list(
        with_thread_details(Annotation.objects.visible_to(request.user).filter(session=session)).order_by(
            "parent_id", "document_id", "start", "pk"
        )
    )
    slug = f"session-{session.pk}-annotations"
    if fmt == "csv":
        response = HttpResponse(annotations_csv(annotations), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{slug}.csv"'
        return response
    base_url = f"{request.scheme}://{request.get_host()}"
    data = annotation_collection(
        annotations, base_url=base_url, label=session.title, collection_url=base_url + request.path
    )
    response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{slug}.jsonld"'
    return response
