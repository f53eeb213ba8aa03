"""Exports for corpus tools, next to the Protocol and with its sign-in (a session or an API
token): a document's or a session's annotations as brat standoff pairs (``brat.py``) or as
WebAnno TSV 3.3 for INCEpTION (``webanno.py``), one file a document, in a zip."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from readingroom.ids import parse_id
from readingroom.library.models import Document

from .api import api_authenticate, problem
from .brat import brat_ann
from .models import Annotation, AnnotationSession, Tag
from .webanno import webanno_tsv

# What goes in the zip for one document: (file name, contents) pairs.
Files = Callable[[Document, list[Annotation]], list[tuple[str, str]]]


def _export(request: HttpRequest, *, files: Files, suffix: str) -> HttpResponse:
    """GET ``?document=ID`` or ``?session=ID``: a zip of ``files`` for each document, with the
    annotations you can see (those of the session, for a session)."""
    if refused := api_authenticate(request):
        return refused
    if request.method not in ("GET", "HEAD"):
        return problem(405, f"{request.method} is not allowed here; allowed: GET, HEAD.", Allow="GET, HEAD")
    # brat and WebAnno TSV files hold one document each: a link across documents has no place in
    # them, and its first passage alone would pass for a plain annotation, so links are left out.
    annotations = Annotation.objects.visible_to(request.user).anchored().filter(relation__isnull=True)
    document_text, session_text = request.GET.get("document", ""), request.GET.get("session", "")
    document_id, session_id = parse_id(document_text), parse_id(session_text)
    if document_id is not None:
        documents = list(Document.objects.filter(pk=document_id, deleted_at__isnull=True))
        name = f"document-{document_id}"
    elif session_id is not None:
        session = AnnotationSession.objects.for_member(request.user).filter(pk=session_id).first()
        if session is None:
            return problem(404, "No such session, or you are not a member of it.")
        documents = list(session.documents.filter(deleted_at__isnull=True))
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
            for file_name, contents in files(document, by_document.get(document.pk, [])):
                zipped.writestr(f"{name}/{file_name}", contents)
    response = HttpResponse(archive.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{name}-{suffix}.zip"'
    response["Vary"] = "Cookie, Authorization"
    return response


@csrf_exempt  # GET only; api_authenticate reads a token like the Protocol's views do
def brat_export(request: HttpRequest) -> HttpResponse:
    """``ID.txt`` (the canonical text) and ``ID.ann`` for each document."""

    def files(document: Document, annotations: list[Annotation]) -> list[tuple[str, str]]:
        text = document.canonical_text
        return [(f"{document.pk}.txt", text), (f"{document.pk}.ann", brat_ann(annotations, text=text))]

    return _export(request, files=files, suffix="brat")


@csrf_exempt  # GET only; api_authenticate reads a token like the Protocol's views do
def webanno_export(request: HttpRequest) -> HttpResponse:
    """``ID.tsv`` (WebAnno TSV 3.3: the text, its tokens and the annotations) for each document."""

    def files(document: Document, annotations: list[Annotation]) -> list[tuple[str, str]]:
        return [(f"{document.pk}.tsv", webanno_tsv(annotations, text=document.canonical_text))]

    return _export(request, files=files, suffix="webanno")
