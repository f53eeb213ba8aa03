"""The admin's "merge the selected into one" action, shared by tags and entities."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse


def merge_action(modeladmin: admin.ModelAdmin, request, objects: list, *, noun: str, action: str, merge: Callable):
    """First a page to pick the one to keep, then ``merge(objects, target)``, which returns the
    message to show. ``objects`` come most used first, so the likely keeper is preselected."""
    if len(objects) < 2:
        modeladmin.message_user(request, f"Select at least two {noun} to merge.", messages.WARNING)
        return None
    if request.POST.get("target"):
        target = next((o for o in objects if str(o.pk) == request.POST["target"]), None)
        if target is None:
            modeladmin.message_user(request, f"Choose one of the selected {noun} to keep.", messages.ERROR)
            return None
        modeladmin.message_user(request, merge(objects, target))
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta,
        "title": f"Merge {noun}",
        "objects": objects,
        "action_name": action,
        "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/merge.html", context)
