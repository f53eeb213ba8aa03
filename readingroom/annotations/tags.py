"""Writes to tags: found or made from the names people type, set on an annotation in order, merged."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.text import slugify

from .checks import AnnotationError, check_text
from .models import Annotation, Tag, default_tag_colour

MAX_TAGS = 10
MAX_TAG_LENGTH = 40


def _clean_tag_names(names: Iterable[str]) -> list[str]:
    """Tag names tidied (spacing), split at commas, without repeats (ignoring case), checked."""
    cleaned: list[str] = []
    seen: set[str] = set()
    for given in names:
        if not isinstance(given, str):
            raise AnnotationError("Tags must be text.")
        check_text(given, "A tag")
        for name in given.split(","):
            name = " ".join(name.split())
            if not name or name.casefold() in seen:
                continue
            if len(name) > MAX_TAG_LENGTH:
                raise AnnotationError(f"A tag can be at most {MAX_TAG_LENGTH} characters: “{name[:50]}…”.")
            seen.add(name.casefold())
            cleaned.append(name)
    if len(cleaned) > MAX_TAGS:
        raise AnnotationError(f"An annotation can have at most {MAX_TAGS} tags (this one has {len(cleaned)}).")
    return cleaned


def _unique_slug(name: str) -> str:
    base = slugify(name)[:50] or "tag"
    slug, number = base, 2
    while Tag.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def tags_for_names(names: Iterable[str]) -> list[Tag]:
    """Existing tags by name (ignoring case), new ones created, in the order given."""
    tags = []
    for name in _clean_tag_names(names):
        tag = Tag.objects.filter(name__iexact=name).first()
        if tag is None:
            tag = Tag.objects.create(name=name, slug=_unique_slug(name), colour=default_tag_colour(name))
        tags.append(tag)
    return tags


def set_tags(annotation: Annotation, tags: list[Tag]) -> None:
    annotation.tags.set(tags)
    # Kept in the order given: the first tag colours the highlight.
    annotation.tag_order = [tag.pk for tag in tags]
    Annotation.objects.filter(pk=annotation.pk).update(tag_order=annotation.tag_order)


@transaction.atomic
def tags_merge(*, tags: list[Tag], target: Tag) -> Tag:
    """Move every annotation of ``tags`` onto ``target`` and delete the others."""
    for tag in tags:
        if tag.pk == target.pk:
            continue
        for annotation in tag.annotations.all():
            annotation.tags.add(target)
            annotation.tag_order = [target.pk if pk == tag.pk else pk for pk in annotation.tag_order]
            # A tag merged into one the annotation already had appears once.
            annotation.tag_order = list(dict.fromkeys(annotation.tag_order))
            Annotation.objects.filter(pk=annotation.pk).update(tag_order=annotation.tag_order)
        tag.delete()
    return target
