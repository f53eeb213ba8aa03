"""The curator's list of quote decisions (made in the reader, on the quotes page): what was
decided on which quote, by whom and when. Deleting one forgets it, and the machine's answer
comes back at once."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.text import Truncator

from .curation import quote_decisions_remove
from .models import QuoteDecision


@admin.register(QuoteDecision)
class QuoteDecisionAdmin(admin.ModelAdmin):
    list_display = ["kind", "quoted", "document_link", "speaker", "found", "created_by", "created_at"]
    list_filter = ["kind", ("quote", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["exact", "document__title", "speaker__name", "created_by__username"]
    date_hierarchy = "created_at"
    list_select_related = ["document", "speaker", "created_by"]
    fields = ["kind", "exact", "document", "start", "end", "quote", "speaker", "group", "created_by", "created_at"]
    readonly_fields = [
        "kind",
        "exact",
        "document",
        "start",
        "end",
        "quote",
        "speaker",
        "group",
        "created_by",
        "created_at",
    ]

    @admin.display(description="Quote", ordering="exact")
    def quoted(self, decision: QuoteDecision) -> str:
        return f"“{Truncator(decision.exact).chars(80)}”"

    @admin.display(description="Document", ordering="document__title")
    def document_link(self, decision: QuoteDecision) -> str:
        anchor = f"#quote-{decision.quote_id}" if decision.quote_id else ""
        return format_html(
            '<a href="{}{}">{}</a>',
            decision.document.get_absolute_url(),
            anchor,
            Truncator(decision.document.title).chars(50),
        )

    @admin.display(description="In the current text", boolean=True)
    def found(self, decision: QuoteDecision) -> bool:
        return decision.quote_id is not None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # decisions are made where the quotes are read: the quotes page

    def has_change_permission(self, request: HttpRequest, obj: QuoteDecision | None = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: QuoteDecision | None = None) -> bool:
        return request.user.has_perm("coverage.view_quotedecision") or request.user.has_perm(
            "coverage.delete_quotedecision"
        )

    def delete_model(self, request: HttpRequest, obj: QuoteDecision) -> None:
        quote_decisions_remove(decisions=[obj])

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[QuoteDecision]) -> None:
        quote_decisions_remove(decisions=queryset)
