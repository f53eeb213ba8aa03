from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import Count

from readingroom.admin_merge import merge_action
from readingroom.library.admin import LabelledTabularInline, LabelledWidgetsAdmin

from .models import Annotation, AnnotationSession, AnnotationTarget, ApiToken, Membership, Relation, Tag
from .services import annotation_moderate
from .tags import tags_merge
from .tokens import api_tokens_revoke_by_staff
from .users import account_delete, account_deletion_plan, accounts_delete


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "colour", "annotation_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    actions = ["merge_tags"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(annotation_count=Count("annotations"))

    @admin.display(description="annotations", ordering="annotation_count")
    def annotation_count(self, tag: Tag) -> int:
        return getattr(tag, "annotation_count", 0)  # annotated by get_queryset

    @admin.action(description="Merge selected tags into one")
    def merge_tags(self, request, queryset):
        def merge(tags, target):
            tags_merge(tags=tags, target=target)
            return f"Merged {len(tags) - 1} tags into “{target}”."

        tags = list(queryset.order_by("-annotation_count", "name"))
        return merge_action(self, request, tags, noun="tags", action="merge_tags", merge=merge)


@admin.register(Relation)
class RelationAdmin(LabelledWidgetsAdmin):
    """The relations a link can have: curators add, rename and recolour them. One in use by a
    link cannot be deleted (the link would lose its meaning); rename it instead."""

    list_display = ["name", "slug", "colour", "position", "link_count"]
    list_editable = ["position"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(link_count=Count("annotations"))

    @admin.display(description="links", ordering="link_count")
    def link_count(self, relation: Relation) -> int:
        return getattr(relation, "link_count", 0)  # annotated by get_queryset


@admin.register(Annotation)
class AnnotationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "document", "author", "relation", "visibility", "anchor_state", "created_at"]
    list_filter = ["visibility", "anchor_state", "relation", "tags", "document__source"]
    search_fields = ["exact", "body", "author__username", "document__title"]
    list_select_related = ["document", "author", "relation"]
    # Moving an annotation to another document or author would leave its offsets pointing into
    # the wrong text: those are fixed; curators change what it says and who sees it.
    readonly_fields = [
        "document",
        "author",
        "parent",
        "session",
        "start",
        "end",
        "exact",
        "prefix",
        "suffix",
        "anchor_state",
        "relation",
        "other_passages",
        "body_html",
        "version",
        "created_at",
        "updated_at",
    ]
    fields = ["visibility", "body", *readonly_fields]
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        # Annotations are made by selecting text, where every check runs.
        return False

    @admin.display(description="other passages of the link")
    def other_passages(self, annotation: Annotation) -> str:
        # Read-only, as the first passage is: made by selecting text, where every check runs.
        targets = AnnotationTarget.objects.filter(annotation=annotation).select_related("document")
        return "; ".join(f"“{t.exact[:80]}” in {t.document} ({t.get_anchor_state_display()})" for t in targets) or "—"

    def save_model(self, request, obj: Annotation, form, change):
        # Through the service, as the author's own edit: the version goes up in the database
        # (no lost update) and the session's live clients are told.
        annotation_moderate(moderator=request.user, annotation=obj, body=obj.body, visibility=obj.visibility)


class MembershipInline(LabelledTabularInline):
    model = Membership
    extra = 0
    raw_id_fields = ["user"]
    fields = ["user", "role", "last_seen", "joined_at"]
    readonly_fields = ["last_seen", "joined_at"]


@admin.register(AnnotationSession)
class AnnotationSessionAdmin(LabelledWidgetsAdmin):
    list_display = ["title", "owner", "closed", "member_count", "created_at"]
    list_filter = ["closed"]
    search_fields = ["title", "description", "owner__username"]
    raw_id_fields = ["owner"]
    filter_horizontal = ["documents"]
    readonly_fields = ["invite_token", "version", "created_at"]
    inlines = [MembershipInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("owner").annotate(member_count=Count("memberships"))

    @admin.display(description="members", ordering="member_count")
    def member_count(self, session: AnnotationSession) -> int:
        return getattr(session, "member_count", 0)  # annotated by get_queryset


class RevokedFilter(admin.SimpleListFilter):
    title = "state"
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [("active", "Active"), ("revoked", "Revoked")]

    def queryset(self, request, queryset):
        if self.value() == "active":
            return queryset.filter(revoked_at__isnull=True)
        if self.value() == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Everyone's API tokens, to find and revoke one (leaked, or a script gone wrong). The token
    itself was shown once to its owner and is not stored; its digest is not shown either (it is as
    good as a password hash to someone with a copy of the database). Only the first characters,
    which the owner sees too, tell tokens apart. Tokens are made by their owners on their account
    page, and revoked, not deleted, so that the list keeps what each was and when it was last used."""

    list_display = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    list_filter = [RevokedFilter, "scope"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    fields = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "user", "prefix", "scope", "created_at", "last_used_at", "revoked_at"]
    date_hierarchy = "created_at"
    actions = ["revoke"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False  # nothing to edit: revoked with the action

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        # The revoke action stays without delete or change permission; it asks for its own below.
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions

    @admin.action(description="Revoke selected tokens", permissions=["revoke"])
    def revoke(self, request, queryset):
        count = api_tokens_revoke_by_staff(
            moderator=request.user, token_ids=list(queryset.values_list("pk", flat=True))
        )
        self.message_user(request, f"Revoked {count} tokens; they are refused from the next request on.")

    def has_revoke_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff and request.user.has_perm("annotations.change_apitoken")


# Deleting an account must not take others' work with it (users.py): the admin's delete, single
# or bulk, goes through the service, and its confirmation says what happens to each account's
# annotations and sessions.
admin.site.unregister(User)


@admin.register(User)
class ReadingRoomUserAdmin(LabelledWidgetsAdmin, UserAdmin):
    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        plans = [account_deletion_plan(user=user) for user in objs]
        deleted = [*deleted, *(f"What happens to {plan.username}’s work: {plan.summary()}" for plan in plans)]
        counts = {**counts, "private annotations": sum(plan.deleted_annotations for plan in plans)}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        account_delete(user=obj)

    def delete_queryset(self, request, queryset):
        accounts_delete(users=list(queryset))
