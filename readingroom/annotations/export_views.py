"""Exports for corpus tools, next to the Protocol and with its sign-in (a session or an API
token): a document's or a session's annotations as brat standoff pairs in a zip (``brat.py``)."""

from __future__ import annotations

import io
import zipfile

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from readingroom.ids import parse_id
from readingroom.library.models import Document

from .api import api_authenticate, problem
from .brat import brat_ann
from .models import Annotation, AnnotationSession, Tag


@csrf_exempt  # GET only; api_authenticate reads a token like the Protocol's views do
def brat_export(request: HttpRequest) -> HttpResponse:
    """GET ``?document=ID`` or ``?session=ID``: a zip of ``ID.txt`` and ``ID.ann`` for each
    document, with the annotations you can see (those of the session, for a session)."""
    if refused := api_authenticate(request):
        return refused
    if request.method not in ("GET", "HEAD"):
        return problem(405, f"{request.method} is not allowed here; allowed: GET, HEAD.", Allow="GET, HEAD")
    annotations = Annotation.objects.visible_to(request.user).anchored()
    document_text, session_text = request.GET.get("document", ""), request.GET.get("session", "")
    document_id, session_id = parse_id(document_text), parse_id(session_text)
    if document_id is not None:
        documents = list(Document.objects.filter(pk=document_id))
        name = f"document-{document_id}"
    elif session_id is not None:
        session = AnnotationSession.objects.for_member(request.user).filter(pk=session_id).first()
        if session is None:
            return problem(404, "No such session, or you are not a member of it.")
        documents = list(session.documents.all())
        annotations = annotations.filter(session=session)
        name = f"session-{session_id}"
    else:
        return problem(400, 'Say which annotations: "?document=ID" or "?session=ID".')
    if not documents:
        return problem(404, "No such document.")
    annotations = annotations.filter(document__in=documents).prefetch_related(
        Prefetch("tags", queryset=Tag.objects.all())
    )
    by_document: dict[int, list[Annotation]] = {}
    for annotation in annotations.order_by("document_id", "start", "end", "pk"):
        by_document.setdefault(annotation.document_id, []).append(annotation)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zipped:
        for document in documents:
            zipped.writestr(f"{name}/{document.pk}.txt", document.canonical_text)
            zipped.writestr(
                f"{name}/{document.pk}.ann", brat_ann(by_document.get(document.pk, []), text=document.canonical_text)
            )
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-brat.zip"'
    response["Vary"] = "Cookie, Authorization"
    return response
