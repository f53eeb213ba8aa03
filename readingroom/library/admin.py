from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from readingroom.coverage.services import coverage_update
from readingroom.entities.extraction import documents_extract_entities

from .forms import ImportForm
from .importing import check_size, document_import, ImportRefused, ImportResult
from .editing import document_text_edit
from .models import Document, Source
from .services import TextEditError
from .rendering import document_body_html


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage", "document_count"]
    search_fields = ["name", "homepage", "notes"]
    fields = ["name", "homepage", "notes", "markers"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, source: Source) -> int:
        return source.document_count


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    change_list_template = "admin/library/document/change_list.html"

    class Media:
        css = {"all": ["css/admin.css"]}
    list_display = ["title", "source", "published_at", "word_count", "original_filename"]
    list_filter = ["source", "published_at"]
    list_select_related = ["source"]
    search_fields = ["title", "byline", "canonical_text", "original_filename"]
    date_hierarchy = "published_at"
    fields = [
        "title",
        "source",
        "byline",
        "published_at",
        "original_filename",
        "word_count",
        "revision",
        "sha256",
        "canonical_preview",
        "canonical_text",
        "created_at",
        "updated_at",
    ]
    # The canonical text is what every span points into: editing it goes through
    # ``document_text_edit``, which re-anchors annotations and finds entities again.
    readonly_fields = [
        "original_filename",
        "word_count",
        "revision",
        "sha256",
        "canonical_preview",
        "created_at",
        "updated_at",
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        field = form.base_fields.get("canonical_text")
        if field is not None:
            field.label = "Edit the canonical text"
            field.help_text = (
                "Paragraphs are separated by a blank line. Saving re-anchors every annotation from its quote "
                "(moved ones get new positions; ones whose passage is gone are kept as orphaned) and finds the "
                "entities again."
            )
        return form

    def save_model(self, request, obj: Document, form, change):
        new_text = None
        if change and "canonical_text" in form.changed_data:
            new_text = obj.canonical_text
            obj.canonical_text = form.initial["canonical_text"]
        super().save_model(request, obj, form, change)
        if new_text is not None:
            try:
                report = document_text_edit(document=obj, canonical_text=new_text)
            except TextEditError as error:
                messages.error(request, str(error))
                return
            if report.changed:
                messages.info(
                    request,
                    f"Text changed: {report.anchored} annotations in place, {report.moved} moved, "
                    f"{report.orphaned} orphaned (kept, listed on the document page); {report.mentions} entity mentions.",
                )

    @admin.display(description="canonical text (as readers see it)")
    def canonical_preview(self, document: Document) -> str:
        return format_html('<div class="readingroom-preview">{}</div>', document_body_html(document))

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="library_document_import"),
            *super().get_urls(),
        ]

    def import_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            return redirect("admin:index")
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            results = _import_uploads(form.cleaned_data["files"], source=form.cleaned_data["source"])
            for result in results:
                level = {"imported": messages.SUCCESS, "duplicate": messages.WARNING}.get(result.status, messages.ERROR)
                messages.add_message(request, level, result.message)
            imported = [result.document for result in results if result.status == "imported"]
            if imported:
                extracted = documents_extract_entities(documents=imported)
                coverage_update(documents=imported)
                messages.info(request, f"Found {sum(r.mentions for r in extracted)} entity mentions in the new documents.")
                for result in extracted:
                    if result.error:
                        messages.error(request, f"Entities could not be extracted from “{result.document.title}”: {result.error}")
            return redirect(reverse("admin:library_document_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import documents",
        }
        return TemplateResponse(request, "admin/library/document/import.html", context)


def _import_uploads(uploads, *, source: Source | None) -> list[ImportResult]:
    results = []
    for upload in uploads:
        try:
            # Refuse an oversized upload before reading it into memory.
            check_size(upload.size)
        except ImportRefused as refusal:
            results.append(ImportResult(upload.name, "error", f"“{upload.name}” {refusal}"))
            continue
        results.append(document_import(data=upload.read(), filename=upload.name, source=source))
    return results
