"""A session's dashboard (who annotated what) and its exports (W3C JSON-LD, CSV), for its members."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .csv_export import annotations_csv
from .jsonld import CONTENT_TYPE, annotation_collection
from .models import DELETED_USER, Annotation
from .selectors import display_name, with_thread_details
from .session_views import session_for_member

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


def _display_name(username: str | None, first_name: str | None, last_name: str | None) -> str:
    return DELETED_USER if username is None else display_name(username, first_name, last_name)


@require_GET
@login_required
def session_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    """Who annotated what: per member, per tag, per document, and the most-tagged passages."""
    session, membership = session_for_member(request, pk)
    threads = Annotation.objects.visible_threads_to(request.user).filter(session=session)
    per_member = (
        threads.values_list("author__username", "author__first_name", "author__last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "author__username")
    )
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
    links = threads.filter(relation__isnull=False)
    per_relation = (
        links.values_list("relation__name", "relation__colour").annotate(n=Count("pk")).order_by("-n", "relation__name")
    )
    links_per_member = (
        links.values_list("author__username", "author__first_name", "author__last_name")
        .annotate(n=Count("pk"))
        .order_by("-n", "author__username")
    )
    context = {
        "session": session,
        "membership": membership,
        "total": threads.count(),
        "charts": [
            _chart("Per member", [(_display_name(*names), count, "#2f5d8a") for *names, count in per_member]),
            _chart("Per tag", [(name, count, colour) for name, colour, count in per_tag]),
            _chart("Per document", [(title, count, "#8ab17d") for title, count in per_document]),
            _chart("Links per relation", [(name, count, colour) for name, colour, count in per_relation]),
            _chart(
                "Links per member", [(_display_name(*names), count, "#2f5d8a") for *names, count in links_per_member]
            ),
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
