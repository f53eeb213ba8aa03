from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from readingroom.library.selectors import parse_document_ids

from .selectors import quote_clusters


@require_GET
def quotes(request: HttpRequest) -> HttpResponse:
    """The same statements as each source quotes them, side by side, differences marked."""
    document_ids = parse_document_ids(request.GET.getlist("doc"))[:10]
    return render(
        request,
        "coverage/quotes.html",
        {"clusters": quote_clusters(document_ids or None), "document_ids": document_ids},
    )
