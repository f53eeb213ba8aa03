"""The curator's tools for entities: merge, split, rename, retype, hide, alias, reject, re-extract."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from readingroom.admin_merge import merge_action
from readingroom.library.admin import LabelledTabularInline
from readingroom.library.models import Document

from .curation import decision_undo, entity_merge_into, entity_retype, mention_reject_one
from .extraction import documents_extract_entities
from .models import (
    Alias,
    CurationDecision,
    DocumentExtraction,
    Entity,
    EntityType,
    Mention,
    RejectedWriting,
    normalise_name,
)
from .services import (
    CurationError,
    alias_split,
    entities_set_hidden,
    entity_curate,
    entity_rename,
)


def counted(number: int, singular: str, plural: str) -> str:
    """ "1 entity", "2 entities": for the curator's messages."""
    return f"{number} {singular if number == 1 else plural}"


def report_extraction(request, results) -> None:
    messages.success(
        request,
        f"Extracted entities again in {counted(len(results), 'document', 'documents')}:"
        f" {counted(sum(r.mentions for r in results), 'mention', 'mentions')}.",
    )
    for result in results:
        if result.error:
            messages.error(request, f"Entities could not be extracted from “{result.document.title}”: {result.error}")


def documents_containing(surfaces: list[str]):
    """Documents whose text holds any of these forms: the ones a new alias can change."""
    query = Q()
    for surface in surfaces:
        query |= Q(canonical_text__icontains=surface)
    return Document.objects.filter(query) if surfaces else Document.objects.none()


class AliasInlineForm(forms.ModelForm):
    class Meta:
        model = Alias
        fields = ["surface", "curated"]

    def clean_surface(self):
        surface = " ".join(self.cleaned_data["surface"].split())
        normalised = normalise_name(surface) or surface.casefold()
        clash = (
            Alias.objects.filter(normalised=normalised).exclude(pk=self.instance.pk).select_related("entity").first()
        )
        if clash is not None:
            raise forms.ValidationError(
                f"“{surface}” is already an alias of {clash.entity}. Merge the two entities instead."
            )
        self.instance.normalised = normalised
        return surface


class AliasInline(LabelledTabularInline):
    model = Alias
    form = AliasInlineForm
    extra = 1
    fields = ["surface", "curated"]


class EntityForm(forms.ModelForm):
    class Meta:
        model = Entity
        fields = ["name", "type", "type_curated", "description", "hidden"]

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        clash = (
            Alias.objects.filter(normalised=normalise_name(name) or name.casefold())
            .exclude(entity=self.instance.pk)
            .select_related("entity")
            .first()
        )
        if clash is not None:
            raise forms.ValidationError(
                f"“{name}” is already a name of {clash.entity}. Merge the two entities instead."
            )
        return name


def _count(mentions: QuerySet, aggregate) -> Subquery:
    """One entity's ``aggregate`` over ``mentions`` (filtered by ``OuterRef("pk")``)."""
    return Subquery(
        mentions.order_by().values("entity").annotate(total=aggregate).values("total"), output_field=IntegerField()
    )


@admin.register(Entity)
class EntityAdmin(admin.ModelAdmin):
    form = EntityForm
    list_display = ["name", "type", "mention_count", "document_count", "hidden"]
    list_filter = ["type", "type_curated", "hidden"]
    search_fields = ["name", "aliases__surface", "description"]
    fields = ["name", "type", "type_curated", "description", "hidden"]
    inlines = [AliasInline]
    actions = ["merge_entities", "hide_entities", "show_entities", "extract_again"]

    def get_queryset(self, request):
        # Counted in subqueries, not over a join: a search by alias joins the aliases, and a
        # count over that join counted each mention once per matching alias. The mentions the
        # site counts: not rejected, in documents that are not deleted.
        counted = Mention.objects.filter(entity=OuterRef("pk"), rejected=False, document__deleted_at__isnull=True)
        return (
            super()
            .get_queryset(request)
            .annotate(
                mention_count=Coalesce(_count(counted, Count("pk")), 0),
                document_count=Coalesce(_count(counted, Count("document", distinct=True)), 0),
            )
        )

    @admin.display(description="mentions", ordering="mention_count")
    def mention_count(self, entity: Entity) -> int:
        return getattr(entity, "mention_count", 0)  # annotated by get_queryset

    @admin.display(description="documents", ordering="document_count")
    def document_count(self, entity: Entity) -> int:
        return getattr(entity, "document_count", 0)  # annotated by get_queryset

    def save_model(self, request, obj: Entity, form, change):
        retyped = change and "type" in form.changed_data and form.initial.get("type") in EntityType.values
        new_type = obj.type
        if retyped:
            obj.type = form.initial["type"]  # changed below, by the service that logs the decision
        if change and "name" in form.changed_data:
            # A rename keeps the new name as a curated alias, so extraction finds it too.
            obj.save()
            entity_rename(entity=obj, name=obj.name)
        else:
            obj.save()
        if retyped:
            # The curator has decided this entity's type: the rule matcher now labels it so, and
            # extraction never changes it (the curation log has it, with Undo).
            entity_curate(entity=obj)
            entity_retype(entity=obj, entity_type=new_type, user=request.user)

    def save_formset(self, request, form, formset, change):
        new_surfaces = [
            f.cleaned_data["surface"] for f in formset.forms if f.has_changed() and f.cleaned_data.get("surface")
        ]
        for alias_form in formset.forms:
            if alias_form.has_changed() and not alias_form.instance.pk:
                alias_form.instance.curated = True
        formset.save()
        if new_surfaces:
            results = documents_extract_entities(documents=documents_containing(new_surfaces))
            report_extraction(request, results)

    @admin.action(description="Merge selected entities into one")
    def merge_entities(self, request, queryset):
        def merge(entities, target):
            merged = len(entities) - 1
            moved = sum(e.mention_count for e in entities if e.pk != target.pk)
            for entity in entities:  # each merge in the curation log, with Undo
                if entity.pk != target.pk:
                    entity_merge_into(source=entity, target=target, user=request.user)
            return (
                f"Merged {counted(merged, 'entity', 'entities')} into {target}:"
                f" {counted(moved, 'mention', 'mentions')} moved."
            )

        entities = list(queryset.order_by("-mention_count", "name"))
        return merge_action(self, request, entities, noun="entities", action="merge_entities", merge=merge)

    @admin.action(description="Hide selected entities (keep their mentions, stop highlighting)")
    def hide_entities(self, request, queryset):
        self.message_user(
            request, f"Hid {counted(entities_set_hidden(entities=queryset, hidden=True), 'entity', 'entities')}."
        )

    @admin.action(description="Show selected entities again")
    def show_entities(self, request, queryset):
        self.message_user(
            request,
            f"Showing {counted(entities_set_hidden(entities=queryset, hidden=False), 'entity', 'entities')} again.",
        )

    @admin.action(description="Extract entities again in the documents that mention these")
    def extract_again(self, request, queryset):
        documents = Document.objects.filter(mentions__entity__in=queryset).distinct()
        report_extraction(request, documents_extract_entities(documents=documents))


class AliasForm(AliasInlineForm):
    class Meta:
        model = Alias
        fields = ["entity", "surface", "curated"]


@admin.register(Alias)
class AliasAdmin(admin.ModelAdmin):
    form = AliasForm
    list_display = ["surface", "entity", "curated", "decided"]
    list_filter = ["curated", "decided", "entity__type"]
    search_fields = ["surface", "entity__name"]
    raw_id_fields = ["entity"]
    list_select_related = ["entity"]
    actions = ["split_off"]

    def save_model(self, request, obj: Alias, form, change):
        if not change:
            obj.curated = True  # a curator's alias teaches the extractor
        obj.save()
        if "surface" in form.changed_data:
            report_extraction(request, documents_extract_entities(documents=documents_containing([obj.surface])))

    @admin.action(description="Split off into an entity of its own (with its mentions)")
    def split_off(self, request, queryset):
        for alias in queryset.select_related("entity"):
            try:
                entity = alias_split(alias=alias)
            except CurationError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"“{alias.surface}” is now {entity}, with {counted(entity.mentions.count(), 'mention', 'mentions')}.",
                )


@admin.register(Mention)
class MentionAdmin(admin.ModelAdmin):
    list_display = ["surface", "entity", "document", "start", "end", "origin", "rejected"]
    list_filter = ["origin", "rejected", "entity__type", "document__source"]
    search_fields = ["surface", "entity__name", "document__title"]
    raw_id_fields = ["entity", "document"]
    list_select_related = ["entity", "document"]
    actions = ["reject", "restore"]

    def has_add_permission(self, request):
        # Extraction and curation services add mentions, with their checks; not a bare form.
        return False

    @admin.action(description="Reject selected mentions (not an entity; extraction will not bring them back)")
    def reject(self, request, queryset):
        rejected = 0
        for mention in queryset.filter(rejected=False).select_related("entity", "document"):
            mention_reject_one(mention=mention, user=request.user)  # each in the curation log
            rejected += 1
        self.message_user(request, f"Rejected {counted(rejected, 'mention', 'mentions')}.")

    @admin.action(description="Restore selected rejected mentions")
    def restore(self, request, queryset):
        self.message_user(request, f"Restored {counted(queryset.update(rejected=False), 'mention', 'mentions')}.")


@admin.register(DocumentExtraction)
class DocumentExtractionAdmin(admin.ModelAdmin):
    list_display = ["document", "revision", "pipeline", "extracted_at"]
    list_select_related = ["document"]
    readonly_fields = ["document", "revision", "pipeline", "extracted_at"]

    def has_add_permission(self, request):
        return False


@admin.register(CurationDecision)
class CurationDecisionAdmin(admin.ModelAdmin):
    """The curation log: every decision taken from an entity card in the reader, by whom and
    when; *Undo* reverses the selected ones."""

    list_display = ["created_at", "action", "summary", "entity_link", "surface", "document", "user", "undone_at"]
    list_filter = ["action", ("undone_at", admin.EmptyFieldListFilter), "created_at"]
    search_fields = ["entity_name", "other_name", "surface", "user__username"]
    list_select_related = ["entity", "document", "user"]
    date_hierarchy = "created_at"
    actions = ["undo"]
    fields = (
        "action",
        "entity",
        "entity_name",
        "other_entity",
        "other_name",
        "surface",
        "document",
        "detail",
        "user",
        "created_at",
        "undone_at",
        "undone_by",
    )
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # decisions are taken on the entity card, which logs them

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description="what")
    def summary(self, decision: CurationDecision) -> str:
        return decision.summary

    @admin.display(description="entity now", ordering="entity__name")
    def entity_link(self, decision: CurationDecision):
        return decision.entity or "—"

    @admin.action(description="Undo selected decisions", permissions=["undo"])
    def undo(self, request, queryset):
        undone = 0
        for decision in queryset.order_by("-created_at", "-pk"):  # the latest first
            try:
                decision_undo(decision=decision, user=request.user)
            except CurationError as error:
                self.message_user(request, f"{decision.summary} {error}", messages.ERROR)
            else:
                undone += 1
        if undone:
            self.message_user(request, f"Undid {counted(undone, 'decision', 'decisions')}.")

    def has_undo_permission(self, request) -> bool:
        return request.user.has_perm("entities.change_entity")


@admin.register(RejectedWriting)
class RejectedWritingAdmin(admin.ModelAdmin):
    """Writings a curator said are never entities. Deleting one lets extraction find it again
    (its rejected mentions stay rejected: restore them under Mentions)."""

    list_display = ["surface", "created_at"]
    search_fields = ["surface"]
    readonly_fields = ["surface", "created_at"]

    def has_add_permission(self, request):
        return False
