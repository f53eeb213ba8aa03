from __future__ import annotations

import colorsys
import hashlib
import re

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import trigger_client_event

from readingroom.http import HtmxHttpRequest
from readingroom.ids import parse_id
from readingroom.library.models import Document
from readingroom.library.selectors import documents_in_order, parse_document_ids
from readingroom.text.diffing import word_diff_html, worth_comparing

from .links import link_delete, link_targets, link_update, relation_for
from .models import TAG_PALETTE, Annotation, AnnotationSession, Relation, Tag, Visibility
from .selectors import links_among, panel_annotations, panel_choices, tag_names, threads_for, writable_session_ids
from .services import (
    REFUSALS,
    annotation_delete,
    annotation_reply,
    annotation_update,
    refusal_status,
)

CHANGED_EVENT = "annotations-changed"


def _link_passages(thread: Annotation) -> list[dict]:
    """A link's passages in order, each after the first with its word-level difference from the
    first where the wording differs and a diff says something (``worth_comparing``)."""
    others = list(link_targets(thread))
    documents = (
        Document.objects.select_related("source")
        .only("title", "source__name")
        .in_bulk([thread.document_id, *(target.document_id for target in others)])
    )
    passages = [{"document": documents.get(thread.document_id), "exact": thread.exact, "diff": None}]
    for target in others:
        differs = target.exact.strip() != thread.exact.strip() and worth_comparing(thread.exact, target.exact)
        diff = mark_safe(word_diff_html(thread.exact, target.exact)) if differs else None  # noqa: S308 (escaped word by word)
        passages.append({"document": documents.get(target.document_id), "exact": target.exact, "diff": diff})
    return passages


def _threads_context(request: HtmxHttpRequest, threads: list[Annotation]) -> dict:
    # Reply and edit forms only where they can succeed: not in closed sessions, not for viewers.
    for thread in threads:
        if thread.relation_id is not None:
            thread.link_passages = _link_passages(thread)  # type: ignore[attr-defined]
    return {
        "threads": threads,
        "visibilities": Visibility.choices,
        "writable_sessions": writable_session_ids(request.user),
        "relations": list(Relation.objects.all()) if any(t.relation_id for t in threads) else [],
    }


def _get_thread_for_user(request: HtmxHttpRequest, pk: int) -> Annotation:
    return get_object_or_404(Annotation.objects.visible_threads_to(request.user).select_related("document"), pk=pk)


def _thread_url(annotation: Annotation) -> str:
    return f"{reverse('annotation_threads')}?id={annotation.parent_id or annotation.pk}"


@require_GET
@vary_on_headers("HX-Request")
def threads(request: HtmxHttpRequest) -> HttpResponse:
    """Annotations at one place in the text, with their replies (``?id=…`` for each)."""
    ids = parse_document_ids(request.GET.getlist("id"))[:20]
    found = threads_for(request.user, ids)
    if ids and not found:
        if request.htmx:
            # A live refresh of a thread that was deleted or hidden meanwhile: say so in place.
            return HttpResponse('<p class="muted">This annotation is no longer there.</p>')
        raise Http404("No such annotation.")
    template = "annotations/threads.html" + ("#threads" if request.htmx else "")
    return render(request, template, _threads_context(request, found))


@require_GET
@vary_on_headers("HX-Request")
def panel(request: HtmxHttpRequest) -> HttpResponse:
    """The annotations of the shown documents, filterable by tag, author and document, searchable."""
    document_ids = parse_document_ids(request.GET.getlist("doc"))[:10]
    filters = {name: request.GET.get(name, "").strip()[:100] for name in ("tag", "author", "q", "document")}
    session = None
    if (session_id := parse_id(request.GET.get("session"))) is not None:
        session = get_object_or_404(AnnotationSession.objects.for_member(request.user), pk=session_id)
    annotations = panel_annotations(
        request.user,
        document_ids=document_ids,
        tag=filters["tag"],
        author=filters["author"],
        query=filters["q"],
        document=filters["document"],
        session=session,
    )
    context = {
        "annotations": annotations[:300],
        "documents": documents_in_order(document_ids),
        "filters": filters,
        "session": session,
        **panel_choices(request.user, document_ids, session=session),
    }
    template = "annotations/panel.html" + ("#update" if request.htmx else "")
    return render(request, template, context)


def _after_change(
    request: HtmxHttpRequest, thread: Annotation | None, *, document_id: int, redirect_to: str
) -> HttpResponse:
    """A plain POST goes back to the thread; htmx gets the thread again (nothing when it was
    deleted) and an event that makes the page refresh that document's highlights and the panel."""
    if not request.htmx:
        return redirect(redirect_to)
    if thread is None:
        response = HttpResponse("")
    else:
        response = render(
            request,
            "annotations/threads.html#threads",
            _threads_context(request, threads_for(request.user, [thread.pk])),
        )
    return trigger_client_event(response, CHANGED_EVENT, {"document": document_id})


def _problem(request: HtmxHttpRequest, message: str, status: int) -> HttpResponse:
    if request.htmx:
        response = render(request, "annotations/_problem.html", {"message": message}, status=status)
        # Shown above the threads; what the person typed stays in its form.
        response["HX-Retarget"] = "#annotation-problem"
        response["HX-Reswap"] = "innerHTML"
        return response
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_POST
@login_required
def edit(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.visible_to(request.user), pk=pk)
    version = request.POST.get("version", "")
    if annotation.relation_id is not None and annotation.parent_id is None:
        return _edit_link(request, annotation, version)
    try:
        updated = annotation_update(
            user=request.user,
            annotation=annotation,
            body=request.POST.get("body", ""),
            tag_names=request.POST.getlist("tags") if annotation.parent_id is None else None,
            visibility=request.POST.get("visibility") or None,
            expected_version=parse_id(version),
        )
    except REFUSALS as refused:
        return _problem(request, str(refused), refusal_status(refused, stale=409))
    thread = updated.parent or updated
    return _after_change(request, thread, document_id=updated.document_id, redirect_to=_thread_url(updated))


@require_POST
@login_required
def delete(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    annotation = get_object_or_404(Annotation.objects.visible_to(request.user), pk=pk)
    version = request.POST.get("version", "")
    parent = annotation.parent
    try:
        if annotation.relation_id is not None and parent is None:
            link_delete(user=request.user, annotation=annotation, expected_version=parse_id(version))
        else:
            annotation_delete(user=request.user, annotation=annotation, expected_version=parse_id(version))
    except REFUSALS as refused:
        return _problem(request, str(refused), refusal_status(refused, stale=409))
    if parent is not None:
        return _after_change(request, parent, document_id=parent.document_id, redirect_to=_thread_url(parent))
    return _after_change(
        request, None, document_id=annotation.document_id, redirect_to=annotation.document.get_absolute_url()
    )


def _edit_link(request: HtmxHttpRequest, annotation: Annotation, version: str) -> HttpResponse:
    """A link's edit form also changes its relation (its passages stay as they are)."""
    relation = None
    if named := request.POST.get("relation", ""):
        relation = relation_for(named)
        if relation is None:
            return _problem(request, "Choose one of the relations offered.", 400)
    try:
        updated = link_update(
            user=request.user,
            annotation=annotation,
            relation=relation,
            body=request.POST.get("body", ""),
            tag_names=request.POST.getlist("tags"),
            visibility=request.POST.get("visibility") or None,
            expected_version=parse_id(version),
        )
    except REFUSALS as refused:
        return _problem(request, str(refused), refusal_status(refused, stale=409))
    return _after_change(request, updated, document_id=updated.document_id, redirect_to=_thread_url(updated))


@require_GET
def links(request: HtmxHttpRequest) -> JsonResponse:
    """The links the compare page draws (``?doc=`` for each column, ``?session=`` on a session's
    page): those this user may see with two passages or more among these documents."""
    document_ids = parse_document_ids(request.GET.getlist("doc"))[:10]
    session = None
    if (session_id := parse_id(request.GET.get("session"))) is not None:
        session = get_object_or_404(AnnotationSession.objects.for_member(request.user), pk=session_id)
    found = links_among(request.user, document_ids, session=session)
    data = [
        {
            "id": link.id,
            "relation": link.relation_slug,
            "relationName": link.relation_name,
            "colour": link.colour,
            "author": link.author,
            "state": link.state,
            "passages": [
                {"document": p.document_id, "start": p.start, "end": p.end}
                for p in link.passages
                if p.start is not None and p.end is not None
            ],
        }
        for link in found
    ]
    response = JsonResponse({"links": data})
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def reply(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    parent = _get_thread_for_user(request, pk)
    try:
        annotation_reply(user=request.user, parent=parent, body=request.POST.get("body", ""))
    except REFUSALS as refused:
        return _problem(request, str(refused), refusal_status(refused, stale=409))
    return _after_change(request, parent, document_id=parent.document_id, redirect_to=_thread_url(parent))


@require_GET
def tag_suggestions(request: HtmxHttpRequest) -> HttpResponse:
    """The tag field's suggestions (``<option>``s for its datalist): the tags on annotations you can see."""
    response = render(request, "annotations/_tag_options.html", {"tag_names": tag_names(request.user)})
    response["Cache-Control"] = "no-cache"
    return response


# The fills annotations are highlighted with: pale (text on them keeps its contrast) and in hues
# the entity types' underlines do not use (static/css/readingroom.css, .entity--*), so that an
# annotation never reads as an entity. A tag's own colour picks the fill nearest its hue.
TAG_FILLS = {58: "#f8f4a0", 75: "#e3f4a2", 146: "#c6f0d8", 192: "#c3ebf5", 230: "#d6dcfb", 310: "#f6d2f0"}


def tag_fill(colour: str) -> str:
    fills = list(TAG_FILLS.values())
    if colour.lower() in TAG_PALETTE:  # the colours new tags get: spread evenly over the fills
        return fills[TAG_PALETTE.index(colour.lower()) % len(fills)]
    red, green, blue = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _, saturation = colorsys.rgb_to_hls(red, green, blue)
    if saturation < 0.15:  # a grey has no hue to go by: the highlighter's yellow
        return TAG_FILLS[58]
    degrees = hue * 360
    nearest = min(TAG_FILLS, key=lambda fill_hue: min(abs(fill_hue - degrees), 360 - abs(fill_hue - degrees)))
    return TAG_FILLS[nearest]


# What a relation's stylesheet rule may hold, whatever was written to the table.
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
HEX_COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@require_GET
def tag_styles(request: HtmxHttpRequest) -> HttpResponse:
    """One CSS custom property per tag, so highlights take their first tag's fill without
    inline styles; and one per relation, so a link's swatch, marks and connectors take its
    colour on any page."""
    rules = [f".tag-{pk} {{ --tag: {tag_fill(colour)}; }}" for pk, colour in Tag.objects.values_list("pk", "colour")]
    rules += [
        f'[data-relation="{slug}"] {{ --link: {colour}; }}'
        for slug, colour in Relation.objects.values_list("slug", "colour")
        if SLUG.fullmatch(slug) and HEX_COLOUR.fullmatch(colour)
    ]
    css = "\n".join(rules) + "\n"
    etag = '"' + hashlib.sha256(css.encode()).hexdigest()[:16] + '"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = HttpResponse(css, content_type="text/css; charset=utf-8")
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
