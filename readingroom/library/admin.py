from __future__ import annotations

from django.contrib import admin
from django.db.models import Count

from .models import Feed, Source


class FeedInline(admin.TabularInline):
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
