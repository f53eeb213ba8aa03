"""Session pages: the list, starting one, members and invitations, joining. The live feed is
``live_views.py``; the dashboard and the exports, ``dashboard_views.py``."""

from __future__ import annotations

from typing import cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from readingroom.library.selectors import MAX_COMPARED, documents_in_order, parse_document_ids

from .models import AnnotationSession, Membership, Role
from .selectors import display_name, membership_for
from .sessions import (
    SessionError,
    membership_of,
    session_join,
    session_remove_member,
    session_revoke_invite,
    session_set_closed,
    session_set_role,
    session_start,
)


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
            messages.success(
                request,
                f"{display_name(member.user.username, member.user.first_name, member.user.last_name)} is no longer a member.",
            )
        else:
            session_set_role(session=session, user=user, member=member, role=request.POST.get("role", ""))
            messages.success(
                request,
                f"{display_name(member.user.username, member.user.first_name, member.user.last_name)} is now {member.get_role_display().lower()}.",
            )
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
