"""The curator's document admin and the sources' line rules: it composes the layers below (editing a text re-anchors
annotations and finds entities again; importing extracts and links; deleting keeps everyone's work),
so it lives here, above them. Sources keep their plain admin in ``library``."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from readingroom.annotations.models import Annotation
from readingroom.coverage.quotes import quote_index_redate
from readingroom.entities.admin import report_extraction
from readingroom.entities.extraction import documents_extract_entities
from readingroom.library.admin import LabelledWidgetsAdmin
from readingroom.library.forms import ImportForm
from readingroom.library.jobs import (
    import_job_create,
    import_job_progress,
    job_files_from_uploads,
    job_files_from_urls,
)
from readingroom.library.models import Document, ImportItem, ImportJob, SourceLineRule
from readingroom.library.rendering import document_body_html
from readingroom.library.services import TextEditError

from .deletion import documents_delete, documents_purge, documents_restore, purge_plan
from .editing import document_text_edit
from .jobs import import_job_enqueue, import_jobs_resume
from .line_rules import (
    LineRuleReport,
    line_rule_activate_soon,
    line_rule_counts,
    line_rule_create_soon,
    line_rule_deactivate_soon,
)


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
class DocumentAdmin(LabelledWidgetsAdmin):
    change_list_template = "admin/library/document/change_list.html"

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
        if change and "published_at" in form.changed_data:
            quote_index_redate(document=obj)
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
        # Scrolled by itself: a keyboard reaches it (a Tab stop) and hears what it is.
        return format_html(
            '<div class="readingroom-preview" tabindex="0" role="region" aria-label="Canonical text preview">{}</div>',
            document_body_html(document),
        )

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
            job = import_job_create(
                files=[
                    *job_files_from_uploads(form.cleaned_data["files"]),
                    *job_files_from_urls(form.cleaned_data["urls"]),
                ],
                source=form.cleaned_data["source"],
                user=request.user,
            )
            import_job_enqueue(job=job)
            messages.info(request, f"{job}: the documents appear in the library as each one is ready.")
            return redirect(reverse("admin:library_importjob_change", args=[job.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "form": form,
            "title": "Import documents",
        }
        return TemplateResponse(request, "admin/library/document/import.html", context)


def _document_link(item: ImportItem) -> str:
    if item.document_id is None:
        return "–"
    return format_html(
        '<a href="{}">{}</a>', reverse("document_detail", args=[item.document_id]), item.document or "document"
    )


# The job's page lists at most this many failed files, and this many done last.
FAILURES_SHOWN = 200
LATEST_SHOWN = 50


@admin.register(ImportItem)
class ImportItemAdmin(admin.ModelAdmin):
    """Every file of the import jobs, a page at a time (a job of thousands of files is read here,
    filtered by job and status, not on the job's own page)."""

    list_display = ["position", "name", "status", "message", "document_link", "job"]
    list_filter = ["status"]
    search_fields = ["name", "url"]
    list_per_page = 100
    list_select_related = ["document", "job"]
    ordering = ["-job", "position"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).defer("data", "document__raw_text", "document__canonical_text")

    @admin.display(description="document")
    def document_link(self, item: ImportItem) -> str:
        return _document_link(item)


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Each import job as it runs: files done of total, rate and time left, failures by name, and
    the documents as they are ready (the page refreshes itself while the job runs)."""

    list_display = ["__str__", "created_at", "created_by", "status", "progress_line"]
    list_filter = ["status"]
    fields = readonly_fields = (
        "status",
        "progress",
        "source",
        "created_by",
        "created_at",
        "started_at",
        "finished_at",
        "files",
    )
    actions = ["resume_jobs"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        # The list's counts in its one query, not two more a row.
        pending = Count("items", filter=Q(items__status=ImportItem.Status.PENDING))
        failed = Count("items", filter=Q(items__status=ImportItem.Status.ERROR))
        return super().get_queryset(request).annotate(pending=pending, failed=failed)

    @admin.display(description="progress")
    def progress_line(self, job: ImportJob) -> str:
        pending, failed = getattr(job, "pending", 0), getattr(job, "failed", 0)  # annotated above
        line = f"{job.total - pending} of {job.total} files"
        if failed:
            line += f", {failed} failed"
        return line

    @admin.display(description="progress")
    def progress(self, job: ImportJob) -> str:
        progress = import_job_progress(job=job)
        parts = [f"{progress.done} of {progress.total} files done ({progress.percent} %)"]
        parts.append(
            f"{progress.imported} imported, {progress.duplicates} already there, {len(progress.failed)} failed"
        )
        if progress.per_second:
            parts.append(f"{progress.per_second * 60:.0f} files a minute")
        if progress.seconds_left and job.status != ImportJob.Status.DONE:
            parts.append(f"about {max(1, round(progress.seconds_left / 60))} min left")
        if job.status == ImportJob.Status.QUEUED:
            parts.append("waiting for a worker: make run starts one, or run `manage.py db_worker`")
        if progress.stalled:
            parts.append("its worker went quiet: select the job in the list and resume it")
        return format_html(
            '<progress max="{}" value="{}"></progress> {}',
            progress.total,
            progress.done,
            " · ".join(parts),
        )

    @admin.display(description="files")
    def files(self, job: ImportJob) -> str:
        """The failures first, then the files done last: a few hundred rows at most, whatever the
        job's size, with a link to every file a page at a time."""
        items = (
            ImportItem.objects.filter(job=job)
            .select_related("document")
            .defer("data", "document__raw_text", "document__canonical_text")
        )
        failed = list(items.filter(status=ImportItem.Status.ERROR).order_by("position")[:FAILURES_SHOWN])
        latest = list(
            items.exclude(status__in=[ImportItem.Status.ERROR, ImportItem.Status.PENDING]).order_by("-position")[
                :LATEST_SHOWN
            ]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (item.position, item.name, item.get_status_display(), item.message, _document_link(item))
                for item in [*failed, *latest]
            ),
        )
        every = reverse("admin:library_importitem_changelist") + f"?job={job.pk}"
        return format_html(
            '<p>{} failed (shown first), the last {} done. <a href="{}">Every file of this job ({})</a></p>'
            "<table><thead><tr><th>#</th><th>file</th><th>status</th><th>message</th><th>document</th></tr>"
            "</thead><tbody>{}</tbody></table>",
            len(failed),
            len(latest),
            every,
            job.total,
            rows,
        )

    def change_view(self, request, object_id, form_url="", extra_context=None):
        job = self.get_object(request, object_id)
        extra_context = {**(extra_context or {}), "refresh": job is not None and job.status != ImportJob.Status.DONE}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Resume the selected jobs whose worker went quiet")
    def resume_jobs(self, request, queryset):
        resumed = import_jobs_resume(among=queryset.values_list("pk", flat=True))
        self.message_user(request, f"{len(resumed)} job(s) queued again.")


class SourceLineRuleForm(forms.ModelForm):
    class Meta:
        model = SourceLineRule
        fields = ["source", "line"]

    def clean_line(self) -> str:
        line = " ".join(self.cleaned_data["line"].split())
        if not line:
            raise forms.ValidationError("Give the line as it appears in the source's documents.")
        return line


@admin.register(SourceLineRule)
class SourceLineRuleAdmin(admin.ModelAdmin):
    """The curators' "remove lines like this one" decisions, per source: what each matches and
    has removed, who made it and when. Turning one off puts its lines back in every document;
    turning it on removes them again. Rules are kept (turned off), never deleted, so what they
    removed can always be restored. Adding one here is the same as making it from a document."""

    form = SourceLineRuleForm
    list_display = ["line", "source", "shape", "matches", "created_by", "created_at", "active"]
    list_filter = ["active", "source"]
    search_fields = ["line", "shape", "source__name"]
    list_select_related = ["source", "created_by"]
    actions = ["turn_off", "turn_on"]
    raw_id_fields = ["source"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                removed_lines=Count("removals", distinct=True),
                removed_documents=Count("removals__document", distinct=True),
            )
        )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["source", "line"]
        return ["source", "line", "shape", "matches", "created_by", "created_at", "changed_at", "active"]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["source", "line", "shape", "matches", "created_by", "created_at", "changed_at"]

    def get_form(self, request, obj=None, **kwargs):
        if obj is not None:
            kwargs["form"] = forms.ModelForm
        return super().get_form(request, obj, **kwargs)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="removed")
    def matches(self, rule: SourceLineRule) -> str:
        lines = getattr(rule, "removed_lines", None)
        documents = getattr(rule, "removed_documents", None)
        if lines is None or documents is None:
            lines, documents = line_rule_counts(rules=[rule])[rule.pk]
        return f"{lines} line(s) in {documents} document(s)"

    def save_model(self, request, obj: SourceLineRule, form, change):
        if not change:
            report = line_rule_create_soon(source=obj.source, line=obj.line, user=request.user)
            obj.pk = report.rule.pk
            self.message_user(request, _rule_message(report, "removed"))
            return
        rule = SourceLineRule.objects.get(pk=obj.pk)
        if "active" in form.changed_data:
            if obj.active:
                self.message_user(request, _rule_message(line_rule_activate_soon(rule=rule), "removed"))
            else:
                self.message_user(request, _rule_message(line_rule_deactivate_soon(rule=rule), "put back"))

    @admin.action(description="Turn off: put their lines back in every document")
    def turn_off(self, request, queryset):
        for rule in queryset.filter(active=True):
            self.message_user(request, _rule_message(line_rule_deactivate_soon(rule=rule), "put back"))

    @admin.action(description="Turn on: remove their lines from every document again")
    def turn_on(self, request, queryset):
        for rule in queryset.filter(active=False):
            self.message_user(request, _rule_message(line_rule_activate_soon(rule=rule), "removed"))


def _rule_message(report: LineRuleReport, done: str) -> str:
    """What a rule's change did: the source's documents are changed by a background task, so the
    message says how the rule stands when the page is answered."""
    lines, documents = line_rule_counts(rules=[report.rule])[report.rule.pk]
    state = "on" if report.rule.active else "off"
    return (
        f"{report.rule.source}: lines like “{report.rule.line}” are being {done} in the source's documents "
        f"(the rule is {state}; {lines} line(s) out of {documents} document(s) so far)."
    )
