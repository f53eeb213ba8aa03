from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import push_url

from readingroom.annotations.models import Annotation, AnnotationSession, Relation, Visibility
from readingroom.annotations.selectors import annotations_search, membership_for
from readingroom.annotations.sessions import members_here, membership_seen
from readingroom.coverage.matrix import coverage_matrix
from readingroom.entities.models import EntityType
from readingroom.http import HtmxHttpRequest
from readingroom.ids import parse_id
from readingroom.library.forms import UrlImportForm
from readingroom.library.jobs import import_job_create, import_job_progress, import_jobs_visible_to, job_files_from_urls
from readingroom.library.models import Document, DocumentRevision, ImportItem
from readingroom.library.search import documents_search, query_words
from readingroom.library.selectors import (
    MAX_COMPARED,
    MIN_COMPARED,
    document_for_reading,
    document_revisions,
    documents_for_menu,
    documents_in_order,
    parse_document_ids,
)
from readingroom.library.versions import highlight_versions
from readingroom.loginlimits import client_network
from readingroom.querylimits import QueryTimeout, query_time_limit, rate_limit_exceeded
from readingroom.text.diffing import change_counts, word_diff_html

from .document_links import FIRST_LISTED, MAX_LISTED, document_links
from .highlights import entity_rows, highlighted_bodies
from .jobs import import_job_enqueue
from .line_rule_views import line_curation_context


@require_GET
def document_list(request: HtmxHttpRequest) -> HttpResponse:
    documents = Document.objects.for_listing()
    ticked = set(parse_document_ids(request.GET.getlist("doc")))
    context = {"documents": documents, "ticked": ticked, "min_compared": MIN_COMPARED, "max_compared": MAX_COMPARED}
    if request.user.has_perm("library.add_document"):
        context["url_form"] = UrlImportForm()
    return render(request, "reader/document_list.html", context)


@require_POST
@permission_required("library.add_document", raise_exception=True)
def import_urls(request: HtmxHttpRequest) -> HttpResponse:
    """Pasted web addresses, queued as an import job; its page follows how it goes."""
    form = UrlImportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Paste one web address a line (at most 200,000 characters in all).")
        return redirect("document_list")
    job = import_job_create(files=job_files_from_urls(form.cleaned_data["urls"]), user=request.user)
    import_job_enqueue(job=job)
    return redirect("import_job", pk=job.pk)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def import_job(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """An import job as it runs, for the person who started it (and staff). An htmx request gets
    the progress alone, which the page asks for every two seconds until the job is done."""
    job = get_object_or_404(import_jobs_visible_to(request.user), pk=pk)
    context = {
        "job": job,
        "progress": import_job_progress(job=job),
        "items": ImportItem.objects.filter(job=job).select_related("document").order_by("position")[:500],
    }
    if request.htmx:
        return render(request, "reader/import_job.html#progress", context)
    return render(request, "reader/import_job.html", context)


def annotating_context(request: HtmxHttpRequest, *, session=None) -> dict:
    if session is None:
        visibilities = [(v, label) for v, label in Visibility.choices if v != Visibility.SESSION]
    else:
        # In a session its members are the natural audience: offered first.
        visibilities = sorted(Visibility.choices, key=lambda choice: choice[0] != Visibility.SESSION)
    # The relations a link may have (#19), offered in the popover's "Link to…" mode.
    return {"entity_types": EntityType.choices, "visibilities": visibilities, "relations": Relation.objects.all()}


@require_GET
@vary_on_headers("HX-Request")
def document_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """One document. An htmx request gets only its body, to refresh the highlights (``?session=``
    for a session's annotations)."""
    document = document_for_reading(pk)
    if document is None:
        raise Http404("No such document.")
    session = None
    if (session_id := parse_id(request.GET.get("session"))) is not None:
        session = get_object_or_404(AnnotationSession.objects.for_member(request.user), pk=session_id)
    highlights = highlighted_bodies(request.user, [document], session=session)
    body_html = highlights.bodies[document.pk]
    if request.htmx:
        return render(request, "reader/document_detail.html#body", {"body_html": body_html})
    orphaned = highlights.orphaned.get(document.pk)
    context = {
        "document": document,
        "body_html": body_html,
        # ?links=all lists every link (up to a page's most), not only the first.
        "document_links": document_links(
            request.user, document, limit=MAX_LISTED if request.GET.get("links") == "all" else FIRST_LISTED
        ),
        "reader_documents": [document],
        # Read only when there are some; the visibility rule applies again, whatever the cache says.
        "orphaned": Annotation.objects.visible_threads_to(request.user).filter(pk__in=orphaned).select_related("author")
        if orphaned
        else [],
        **annotating_context(request),
        **line_curation_context(request, document),
    }
    return render(request, "reader/document_detail.html", context)


@require_GET
def document_text(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The canonical text that every offset points into, for API clients."""
    document = get_object_or_404(Document.objects.only("canonical_text"), pk=pk)
    return HttpResponse(document.canonical_text, content_type="text/plain; charset=utf-8")


ADD_MENU_LIMIT = 300


def compare_url(ids: list[int]) -> str:
    return f"{reverse('compare')}?{urlencode([('doc', pk) for pk in ids])}"


@require_GET
@vary_on_headers("HX-Request")
def compare(request: HtmxHttpRequest) -> HttpResponse:
    """Documents side by side. Adding or removing a column through htmx swaps only that column."""
    shown = parse_document_ids(request.GET.getlist("doc"))
    added = [pk for pk in parse_document_ids(request.GET.getlist("add")) if pk not in shown]
    removed = set(parse_document_ids(request.GET.getlist("remove")))
    wanted = [pk for pk in shown + added if pk not in removed]
    if len(wanted) > MAX_COMPARED:
        messages.warning(request, f"Compare shows at most {MAX_COMPARED} documents side by side.")
        wanted = wanted[:MAX_COMPARED]
    documents = documents_in_order(wanted)
    ids = [document.pk for document in documents]
    changing = bool(added or removed)

    if len(documents) < MIN_COMPARED and not request.htmx:
        messages.info(request, f"Pick {MIN_COMPARED} to {MAX_COMPARED} documents to compare.")
        return redirect(f"{reverse('document_list')}?{urlencode([('doc', pk) for pk in ids])}")
    if changing and not request.htmx:
        # A plain form submit lands on the tidy URL that names exactly the shown documents.
        return redirect(compare_url(ids))

    partial = bool(request.htmx) and not request.htmx.history_restore_request
    # An htmx update sends only the columns it adds; the others stay as they are in the page.
    rendered = [document for document in documents if document.pk in added] if partial else documents
    versions = highlight_versions(ids)  # read before the rows they stand for
    mentions = entity_rows(ids)  # for the highlights and the coverage matrix alike
    bodies = highlighted_bodies(request.user, rendered, compared_ids=ids, entities=mentions, versions=versions).bodies
    columns = [{"document": document, "body_html": bodies[document.pk]} for document in rendered]
    context = {
        "columns": columns,
        "documents": documents,
        # A big library would make a huge menu: the first ones here, the rest through the library.
        "others": documents_for_menu(exclude=ids, limit=ADD_MENU_LIMIT),
        "can_add": len(documents) < MAX_COMPARED,
        "matrix": coverage_matrix(documents, mention_rows=mentions),
        "filters": {},
        **annotating_context(request),
    }
    if partial:
        context["removed_ids"] = sorted(removed)
        response = render(request, "reader/compare_update.html", context)
        return push_url(response, compare_url(ids))
    return render(request, "reader/compare.html", context)


@require_GET
def search(request: HtmxHttpRequest) -> HttpResponse:
    """Documents and the annotations you can see that hold every word of the query.

    Every search is bounded in time, and counted per minute: per address when signed out, more
    loosely per account when signed in (anyone may sign up, so an account is no proof of
    goodwill, only easier to trace)."""
    query = request.GET.get("q", "").strip()[:200]
    words = query_words(query)
    context: dict[str, object] = {"query": query, "documents": [], "annotations": [], "problem": ""}
    if not words:  # the empty form: no database work to limit
        return render(request, "reader/search.html", context)

    if request.user.is_authenticated:
        key = f"search:user:{request.user.pk}"
        limit = settings.READINGROOM_SEARCHES_PER_MINUTE_SIGNED_IN
    else:
        key = f"search:network:{client_network(request)}"
        limit = settings.READINGROOM_SEARCHES_PER_MINUTE
    if rate_limit_exceeded(key=key, limit=limit, window_seconds=60):
        context["problem"] = (
            f"Too many searches: at most {limit} a minute"
            + ("." if request.user.is_authenticated else " from one address, more when signed in.")
            + " Please wait a minute and search again."
        )
        response = render(request, "reader/search.html", context, status=429)
        response["Retry-After"] = "60"
        return response

    try:
        with query_time_limit(seconds=settings.READINGROOM_SEARCH_SECONDS):
            context["documents"] = documents_search(query)
            context["annotations"] = annotations_search(request.user, words)
    except QueryTimeout:
        context.update(documents=[], annotations=[], problem="The search took too long; try more specific words.")
        return render(request, "reader/search.html", context, status=503)
    return render(request, "reader/search.html", context)


@require_GET
@login_required
@vary_on_headers("HX-Request")
def session_detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The session's documents side by side with the session's annotations, updated live. An
    htmx request (the live feed saw the reader's role or the session's state change) gets the
    session bar and the annotation popover only."""
    membership = membership_for(request.user, pk)
    if membership is None:
        raise Http404("No such session.")
    session = membership.session
    membership_seen(membership)
    if request.htmx and not request.htmx.history_restore_request:
        context = {
            "session": session,
            "membership": membership,
            "can_annotate": membership.can_annotate,
            "here": members_here(session),
            **annotating_context(request, session=session),
        }
        return render(request, "annotations/_session_state.html", context)
    documents = list(session.documents.select_related("source").order_by("source__name", "title"))
    ids = [d.pk for d in documents]
    versions = highlight_versions(ids)  # read before the rows they stand for
    mentions = entity_rows(ids)  # for the highlights and the coverage matrix alike
    bodies = highlighted_bodies(
        request.user, documents, session=session, compared_ids=ids, entities=mentions, versions=versions
    ).bodies
    context = {
        "session": session,
        "membership": membership,
        "can_annotate": membership.can_annotate,
        "columns": [{"document": d, "body_html": bodies[d.pk]} for d in documents],
        "documents": documents,
        "here": members_here(session),
        "matrix": coverage_matrix(documents, mention_rows=mentions),
        "filters": {},
        **annotating_context(request, session=session),
    }
    return render(request, "reader/compare.html", context)


@require_GET
def document_changes(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """What changed from one revision of a document to the next (``?revision=N``: from N to N+1;
    the latest change by default), word by word."""
    document = document_for_reading(pk)
    if document is None:
        raise Http404("No such document.")
    revisions = list(document_revisions(document=document))
    # A curator's edit may have taken something out on purpose (a name, a libel): the texts
    # before it are for curators. Pages fetched again showed their texts to everyone already.
    curator = request.user.has_perm("library.change_document")
    curated = (DocumentRevision.Origin.EDIT, DocumentRevision.Origin.CARRIED)
    if not curator and any(r.replaced_by in curated for r in revisions):
        return render(request, "reader/document_changes.html", {"document": document, "for_curators": True})
    shown = None
    if revisions:
        wanted = parse_id(request.GET.get("revision"))
        shown = next((r for r in revisions if r.number == wanted), revisions[-1])
    diff_html = added = removed = None
    if shown is not None:
        later = next((r.canonical_text for r in revisions if r.number == shown.number + 1), document.canonical_text)
        diff_html = mark_safe(word_diff_html(shown.canonical_text, later))  # noqa: S308 (escaped word by word)
        removed, added = change_counts(shown.canonical_text, later)
    context = {
        "document": document,
        "revisions": revisions,
        "shown": shown,
        "diff_html": diff_html,
        "added": added,
        "removed": removed,
    }
    return render(request, "reader/document_changes.html", context)
