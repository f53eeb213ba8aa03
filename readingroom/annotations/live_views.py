"""What a session page's live updates ask for: what changed since the version the client has,
and the member's role and the session's state (``session_poll``), and who else is here now
(``session_here``)."""

from __future__ import annotations

from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from readingroom.ids import parse_id
from readingroom.signin import session_hash_verified

from .models import Role, SessionChange
from .selectors import session_poll_row
from .session_views import session_for_member
from .sessions import members_here, membership_seen

MAX_CHANGES_PER_POLL = 200


def _gone(why: str) -> JsonResponse:
    """The page's poll ends: the reader was signed out, or is no member of the session (or there is
    no such session: the two answer alike, so a poll tells nobody which sessions exist). A 200 with
    a reason, not a 401 or 404: the page's own script is the only client, it stops asking and says
    why, and the reader's console shows no failed request for what is no failure of the page."""
    response = JsonResponse({"gone": why})
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def session_poll(request: HttpRequest, pk: int) -> HttpResponse:
    """What live clients ask every second. Nothing new: one indexed query and a 304 without a
    body. Something new: the changes since the version the client has (``?since=N``)."""
    # The user id straight from the session, without loading the user: the membership query
    # below is the check, and with the session lookup it is all an idle poll costs.
    user_id = request.session.get(SESSION_KEY)
    if user_id is None:
        return _gone("signed-out")
    row = session_poll_row(session_id=pk, user_id=user_id)
    if row is None:
        return _gone("not-a-member")
    version, password, role, closed = row
    # Django's own check of the signed-in session, from the row already here: a password change
    # ends the session; a hash made with a key in SECRET_KEY_FALLBACKS still counts.
    if not session_hash_verified(request.session.get(HASH_SESSION_KEY, ""), password=password):
        return _gone("signed-out")
    etag = f'"v{version}"'
    # A role change or closing the session changes what the page may offer: the page says which
    # role and state it shows (``?state=annotator open``), and one that is out of date gets an answer.
    state = f"{role} {'closed' if closed else 'open'}"
    shown_state = request.GET.get("state")
    if request.headers.get("If-None-Match") == etag and shown_state in (None, state):
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
            # The page compares these with what it shows (its body's data-session-state).
            "role": role,
            "closed": closed,
            "can_annotate": role in (Role.OWNER, Role.ANNOTATOR) and not closed,
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
