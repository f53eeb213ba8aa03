from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from readingroom.entities.models import Entity
from readingroom.http import HtmxHttpRequest
from readingroom.library.selectors import parse_document_ids

from .curation import PERMISSION, QuoteCurationError, quote_join, quote_speaker_set, quote_split
from .models import Quote
from .selectors import join_choices, quote_clusters, quote_for_curation, quotes_alone, speaker_choices

MAX_DOCUMENTS = 10


def _document_ids(values: list[str]) -> list[int]:
    return parse_document_ids(values)[:MAX_DOCUMENTS]


def _quotes_url(document_ids: list[int]) -> str:
    query = urlencode([("doc", pk) for pk in document_ids])
    return reverse("quotes") + (f"?{query}" if query else "")


def _list_context(
    request: HtmxHttpRequest, document_ids: list[int], *, done: str = "", curated: int | None = None
) -> dict[str, object]:
    """The list of quotes; after a correction, what was done (``done``), said beside the corrected
    quote (``curated``), or above the list when the quote is no longer in it."""
    clusters = quote_clusters(document_ids or None)
    alone = quotes_alone(document_ids) if document_ids else []
    shown = {wording.quote.pk for view in clusters for wording in view.wordings} | {quote.pk for quote in alone}
    return {
        "clusters": clusters,
        "alone": alone,
        "document_ids": document_ids,
        "curator": request.user.has_perm(PERMISSION),
        "doc_query": urlencode([("doc", pk) for pk in document_ids]),
        "done": done,
        "curated": curated,
        "done_above": bool(done) and curated not in shown,
    }


@require_GET
@vary_on_headers("HX-Request")
def quotes(request: HtmxHttpRequest) -> HttpResponse:
    """The same statements as each source quotes them, side by side, differences marked; with
    articles chosen, also the quotes only one of them has. Curators correct quotes here."""
    document_ids = _document_ids(request.GET.getlist("doc"))
    template = "coverage/quotes.html#quote-list" if request.htmx else "coverage/quotes.html"
    return render(request, template, _list_context(request, document_ids))


class _Refused(Exception):
    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _curator_quote(request: HtmxHttpRequest, pk: int) -> Quote:
    """The quote a curator asks about: 403 for anyone else, 404 when there is no such quote."""
    if not request.user.has_perm(PERMISSION):
        raise _Refused("Only curators can correct quotes.", 403)
    quote = quote_for_curation(pk)
    if quote is None:
        raise _Refused(
            "There is no such quote: it may have been found again since the page was loaded. Reload it.", 404
        )
    return quote


def _problem(request: HtmxHttpRequest, message: str, status: int, pk: int, *, where: str = "problem") -> HttpResponse:
    if request.htmx:
        response = render(request, "coverage/_curation_problem.html", {"message": message}, status=status)
        # Shown in the quote's curation panel (whose forms keep what was chosen), or where the
        # panel would have opened.
        response["HX-Retarget"] = f"#curation-{where}-{pk}"
        response["HX-Reswap"] = "innerHTML"
        return response
    return HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")


@require_GET
@vary_on_headers("HX-Request")
def quote_curate(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """The curation panel of one quote: its speaker, splitting it off its group, joining it
    with another. A page of its own without JavaScript; the panel alone for htmx."""
    try:
        quote = _curator_quote(request, pk)
    except _Refused as refused:
        return _problem(request, str(refused), refused.status, pk, where="slot")
    document_ids = _document_ids(request.GET.getlist("doc"))
    groups, alone = join_choices(quote, document_ids)
    context = {
        "quote": quote,
        "speakers": speaker_choices(quote, document_ids),
        "join_groups": groups,
        "join_alone": alone,
        "document_ids": document_ids,
        "back_url": _quotes_url(document_ids) + f"#wording-{quote.pk}",
        # In the quotes page, the forms answer with its list of quotes; on a page of their own
        # (no JavaScript), they are plain forms.
        "inline": bool(request.htmx),
    }
    template = "coverage/_quote_curation.html" if request.htmx else "coverage/quote_curate.html"
    return render(request, template, context)


def _done(request: HtmxHttpRequest, quote: Quote, message: str, document_ids: list[int]) -> HttpResponse:
    """htmx: the list of quotes again, saying what was done, the corrected quote's link focused;
    a plain POST: back to the quotes page, at the quote."""
    if request.htmx:
        return render(
            request,
            "coverage/quotes.html#quote-list",
            _list_context(request, document_ids, done=message, curated=quote.pk),
        )
    messages.success(request, message)
    return redirect(_quotes_url(document_ids) + f"#wording-{quote.pk}")


def _where(quote: Quote) -> str:
    quote.refresh_from_db(fields=["cluster"])
    if quote.cluster_id is None:
        return "It is in no group."
    sources = Quote.objects.filter(cluster_id=quote.cluster_id).values("document_id").distinct().count()
    return f"It is grouped with the same statement in {sources} sources."


@require_POST
def quote_speaker(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        quote = _curator_quote(request, pk)
    except _Refused as refused:
        return _problem(request, str(refused), refused.status, pk)
    value = request.POST.get("speaker", "").strip()
    speaker = None
    if value:
        if not value.isdigit():
            return _problem(request, "Choose the speaker from the list.", 400, pk)
        speaker = Entity.objects.shown().filter(pk=int(value)).first()
        if speaker is None:
            return _problem(request, "There is no such person or organisation.", 404, pk)
    try:
        quote_speaker_set(quote=quote, speaker=speaker, user=request.user)
    except QuoteCurationError as refused:
        return _problem(request, str(refused), 400, pk)
    said = f"Said by {speaker.name}" if speaker else "Nobody named as the speaker"
    message = f"{said}: kept through every extraction. {_where(quote)}"
    return _done(request, quote, message, _document_ids(request.POST.getlist("doc")))


@require_POST
def quote_split_off(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        quote = _curator_quote(request, pk)
    except _Refused as refused:
        return _problem(request, str(refused), refused.status, pk)
    try:
        quote_split(quote=quote, user=request.user)
    except QuoteCurationError as refused:
        return _problem(request, str(refused), 400, pk)
    message = "Split off its group: no group the machine finds will take it again (join it with another to move it)."
    return _done(request, quote, message, _document_ids(request.POST.getlist("doc")))


@require_POST
def quote_join_with(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    try:
        quote = _curator_quote(request, pk)
    except _Refused as refused:
        return _problem(request, str(refused), refused.status, pk)
    value = request.POST.get("other", "").strip()
    if not value.isdigit():
        return _problem(request, "Choose the quote to join it with from the list.", 400, pk)
    other = quote_for_curation(int(value))
    if other is None:
        return _problem(request, "There is no such quote to join it with: reload the page.", 404, pk)
    try:
        quote_join(quote=quote, other=other, user=request.user)
    except QuoteCurationError as refused:
        return _problem(request, str(refused), 400, pk)
    message = f"Joined. {_where(quote)}"
    return _done(request, quote, message, _document_ids(request.POST.getlist("doc")))
