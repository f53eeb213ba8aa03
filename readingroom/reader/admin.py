"""The curator's document admin: it composes the layers below (editing a text re-anchors
annotations and finds entities again; importing extracts and links; deleting keeps everyone's work),
so it lives here, above them. Sources keep their plain admin in ``library``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from readingroom.annotations.models import Annotation
from readingroom.entities.admin import report_extraction
from readingroom.entities.extraction import documents_extract_entities
from readingroom.library.forms import ImportForm
from readingroom.library.importing import documents_import_uploads
from readingroom.library.models import Document
from readingroom.library.rendering import document_body_html
from readingroom.library.services import TextEditError

from .deletion import documents_delete, documents_purge, documents_restore, purge_plan
from .editing import document_text_edit
from .ingest import documents_ingest


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request, model_admin):
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    change_list_template = "admin/library/document/change_list.html"

    class Media:
        css = {"all": ["css/admin.css"]}

    list_display = ["title", "source", "published_at", "word_count", "original_filename", "deleted_at"]
    list_filter = [DeletedFilter, "source", "published_at"]
    actions = ["restore_documents", "purge_documents", "extract_entities_again"]
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

    # Deleting is soft (deletion.py): the admin's delete, single or bulk, hides the document and
    # keeps everything on it; restoring and purging are actions.
    def get_queryset(self, request):
        return Document.all_objects.select_related("source")

    def get_deleted_objects(self, objs, request):
        documents = list(objs)
        annotations = Annotation.objects.filter(document__in=documents).count()
        lines = [
            f"“{document.title}” is hidden from every page and search, and can be restored from the list "
            "(filter “Deleted”, action “Restore”)."
            for document in documents
        ]
        lines.append(f"Its {annotations} annotation(s) and replies, by everyone, are kept and come back with it.")
        return lines, {}, set(), []

    def delete_model(self, request, obj):
        documents_delete(documents=[obj])

    def delete_queryset(self, request, queryset):
        documents_delete(documents=list(queryset))

    @admin.action(description="Extract entities again")
    def extract_entities_again(self, request, queryset):
        report_extraction(request, documents_extract_entities(documents=queryset))

    @admin.action(description="Restore selected deleted documents")
    def restore_documents(self, request, queryset):
        restored = documents_restore(documents=list(queryset))
        self.message_user(request, f"Restored {restored} document(s), with their annotations.")

    @admin.action(description="Purge selected deleted documents for good (superusers)")
    def purge_documents(self, request, queryset):
        if not request.user.is_superuser:
            self.message_user(request, "Only a superuser can purge documents.", messages.ERROR)
            return None
        plan = purge_plan(documents=list(queryset))
        if not plan.documents:
            self.message_user(request, "Only deleted documents can be purged: delete them first.", messages.WARNING)
            return None
        if request.POST.get("confirm") == "purge":
            done = documents_purge(documents=plan.documents)
            self.message_user(
                request,
                f"Purged {len(done.documents)} document(s) and {done.annotation_count} annotation(s) for good.",
                messages.WARNING,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Purge documents for good?",
            "plan": plan,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/library/document/purge.html", context)

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
            report = documents_ingest(
                results=documents_import_uploads(uploads=form.cleaned_data["files"], source=form.cleaned_data["source"])
            )
            for result in report.results:
                level = {"imported": messages.SUCCESS, "duplicate": messages.WARNING}.get(result.status, messages.ERROR)
                messages.add_message(request, level, result.message)
            if report.imported:
                messages.info(request, f"Found {report.mentions} entity mentions in the new documents.")
            for failure in report.extraction_failures:
                messages.error(
                    request, f"Entities could not be extracted from “{failure.document.title}”: {failure.error}"
                )
            return redirect(reverse("admin:library_document_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import documents",
        }
        return TemplateResponse(request, "admin/library/document/import.html", context)
