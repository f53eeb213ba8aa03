"""Removing lines like one of a document's from its source, from the document's page (curators)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import permission_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django.views.decorators.vary import vary_on_headers

from readingroom.http import HtmxHttpRequest
from readingroom.ids import parse_id
from readingroom.library.models import Document, SourceLineRule
from readingroom.library.selectors import document_for_reading
from readingroom.text.cleaning import MAX_RULE_LINE

from .line_rules import (
    LineRuleError,
    line_rule_counts,
    line_rule_create_soon,
    line_rule_deactivate_soon,
    line_rule_preview,
)

CURATOR_PERMISSION = "library.change_document"


def line_curation_context(request: HtmxHttpRequest, document: Document) -> dict:
    """What the document page's "Remove lines like this" panel shows a curator (nothing to others)."""
    if not request.user.has_perm(CURATOR_PERMISSION):
        return {}
    rules = list(SourceLineRule.objects.active().filter(source_id=document.source_id).order_by("-created_at")[:50])
    counts = line_rule_counts(rules=rules)
    just_made = None
    if (rule_id := parse_id(request.GET.get("line_rule"))) is not None:
        just_made = next((rule for rule in rules if rule.pk == rule_id), None)
    return {
        "line_curation": {
            "choices": [block for block in document.text_blocks() if len(block.text) <= MAX_RULE_LINE],
            "rules": [{"rule": rule, "lines": counts[rule.pk][0], "documents": counts[rule.pk][1]} for rule in rules],
            "just_made": just_made,
            "just_made_counts": counts[just_made.pk] if just_made else None,
        }
    }


def _document(pk: int) -> Document:
    document = document_for_reading(pk)
    if document is None:
        raise Http404("No such document.")
    return document


@require_GET
@permission_required(CURATOR_PERMISSION, raise_exception=True)
@vary_on_headers("HX-Request")
def line_rule_preview_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """How many lines of the source a rule made from the picked line (``?block=`` its start
    offset) would take out, with the form that makes it."""
    document = _document(pk)
    start = parse_id(request.GET.get("block"))
    block = next((block for block in document.text_blocks() if block.start == start), None)
    template = "reader/_line_rule_preview.html" if request.htmx else "reader/line_rule_preview.html"
    if block is None:
        problem = "Pick a line of the document (it may have changed since the page was loaded)."
        return render(request, template, {"document": document, "problem": problem}, status=400)
    try:
        preview = line_rule_preview(source=document.source, line=block.text)
    except LineRuleError as error:
        return render(request, template, {"document": document, "problem": str(error)}, status=400)
    return render(request, template, {"document": document, "preview": preview})


@require_POST
@permission_required(CURATOR_PERMISSION, raise_exception=True)
def line_rule_create_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Make the rule from a line of this document, apply it to the whole source, and go back to
    the document, where the panel says what went and offers Undo."""
    document = _document(pk)
    line = " ".join(request.POST.get("line", "").split())
    if not any(" ".join(block.text.split()) == line for block in document.text_blocks()):
        return HttpResponseBadRequest("That line is not in this document (it may have changed): pick it again.")
    try:
        # This document at once; the source's others by a background task (a moment, or more for
        # a large source): the request never waits for all of them.
        report = line_rule_create_soon(source=document.source, line=line, user=request.user, document=document)
    except LineRuleError as error:
        return HttpResponseBadRequest(str(error))
    lines, documents = line_rule_counts(rules=[report.rule])[report.rule.pk]
    kept = " This document is made only of such lines and was left as it was." if report.kept else ""
    messages.success(
        request,
        f"Removed {lines} line(s) like “{report.rule.line}” from {documents} {document.source.name} "
        f"document(s) so far; any others of the source follow in the background.{kept}",
    )
    url = f"{reverse('document_detail', args=[document.pk])}?{urlencode({'line_rule': report.rule.pk})}"
    return redirect(f"{url}#line-curation")


@require_POST
@permission_required(CURATOR_PERMISSION, raise_exception=True)
def line_rule_off_view(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    """Undo a rule: turn it off, every line it took out put back."""
    rule = get_object_or_404(SourceLineRule.objects.select_related("source"), pk=pk)
    # The document the curator is reading (if one of the source's) gets its lines back at once,
    # the others by a background task.
    document_id = parse_id(request.POST.get("document"))
    in_view = Document.objects.filter(pk=document_id, source_id=rule.source_id).first() if document_id else None
    before = line_rule_counts(rules=[rule])[rule.pk]
    line_rule_deactivate_soon(rule=rule, document=in_view)
    after = line_rule_counts(rules=[rule])[rule.pk]
    lines, documents = before[0] - after[0], before[1] - after[1]
    rest = "; any others follow in the background" if after[0] else ""
    messages.success(
        request,
        f"Put back {lines} line(s) like “{rule.line}” in {documents} {rule.source.name} document(s){rest}.",
    )
    wanted = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return redirect(wanted)
    return redirect("document_list")
