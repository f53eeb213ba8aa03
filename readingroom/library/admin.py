from __future__ import annotations

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.forms.models import BaseInlineFormSet, BaseModelFormSet
from django.forms.utils import pretty_name

from .models import Feed, Source

# What each input of a widget of several is, for its name: the admin labels the first at most.
SUBWIDGET_PARTS = {forms.SplitDateTimeWidget: ("date", "time")}


def name_subwidgets(name: str, field: forms.Field, label: str | None = None) -> None:
    """Each input of a widget of several (the split date and time) named for screen readers:
    the admin writes "Date:" and "Time:" beside them, in no <label>."""
    widget = field.widget
    if not isinstance(widget, forms.MultiWidget):
        return
    parts = next((parts for kind, parts in SUBWIDGET_PARTS.items() if isinstance(widget, kind)), ())
    label = label or str(field.label or pretty_name(name))
    for number, subwidget in enumerate(widget.widgets):
        part = parts[number] if number < len(parts) else f"part {number + 1}"
        subwidget.attrs.setdefault("aria-label", f"{label}: {part}")


class LabelledRows:
    """A formset whose rows are table cells (tabular inlines, the list's editable columns), under
    a column heading but in no <label>: each input is named by its field and row."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        noun = self.model._meta.verbose_name
        row = "new" if index is None else index + 1
        for name, field in form.fields.items():
            if field.widget.is_hidden:
                continue
            label = f"{field.label or pretty_name(name)} ({noun} {row})"
            field.widget.attrs.setdefault("aria-label", label)
            name_subwidgets(name, field, label)


class LabelledInlineFormSet(LabelledRows, BaseInlineFormSet):
    pass


class LabelledModelFormSet(LabelledRows, BaseModelFormSet):
    pass


class LabelledTabularInline(admin.TabularInline):
    formset = LabelledInlineFormSet


class LabelledWidgetsAdmin(admin.ModelAdmin):
    """A model admin whose split date and time inputs and editable list columns are named."""

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        for name, field in form.base_fields.items():
            name_subwidgets(name, field)
        return form

    def get_changelist_formset(self, request, **kwargs):
        return super().get_changelist_formset(request, **{"formset": LabelledModelFormSet, **kwargs})


class FeedInline(LabelledTabularInline):
    """The source's RSS or Atom feeds: `manage.py poll_feeds` imports their new items."""

    model = Feed
    fields = ["url", "active", "checked_at", "last_error"]
    readonly_fields = ["checked_at", "last_error"]
    extra = 0


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = ["name", "homepage", "document_count"]
    search_fields = ["name", "homepage", "notes"]
    fields = ["name", "homepage", "notes", "markers"]
    inlines = [FeedInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(document_count=Count("documents"))

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, source: Source) -> int:
        return getattr(source, "document_count", 0)  # annotated by get_queryset
