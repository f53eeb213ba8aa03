"""Writes the W3C Web Annotation Protocol asks for (``api.py``): a client's JSON-LD stored as an
annotation or a reply through the same services as the pages, with what the Protocol keeps of it
(``canonical``, and its old id as ``via``)."""

from __future__ import annotations

from django.db import transaction

from readingroom.ids import parse_id

from .links import link_create_parsed
from .models import Annotation, AnnotationSession
from .parsing import InvalidAnnotation, ParsedAnnotation
from .services import annotation_create_parsed, annotation_reply


def id_from_url(url: str) -> int | None:
    """The annotation id at the end of one of its IRIs (``…/annotations/12``), or None."""
    return parse_id(url.rstrip("/").rsplit("/", 1)[-1])


@transaction.atomic
def annotation_store_parsed(*, user, parsed: ParsedAnnotation) -> Annotation:
    """Store what a client POSTed: a reply in the thread it targets (which the user must be able
    to see), or an annotation, in the session it names (of which the user must be a member).
    Refusals are the services' (``REFUSALS``) or ``InvalidAnnotation``."""
    if parsed.reply_to is not None:
        parent_id = id_from_url(parsed.reply_to)
        parent = Annotation.objects.visible_to(user).filter(pk=parent_id).first() if parent_id is not None else None
        if parent is None:
            raise InvalidAnnotation("The annotation this replies to does not exist or you cannot see it.")
        annotation = annotation_reply(user=user, parent=parent, body=parsed.body)
    else:
        session = None
        if parsed.session_id is not None:
            session = AnnotationSession.objects.for_member(user).filter(pk=parsed.session_id).first()
            if session is None:
                raise InvalidAnnotation("No such session, or you are not a member of it.")
        if parsed.targets:
            annotation = link_create_parsed(user=user, parsed=parsed, session=session)
        else:
            annotation = annotation_create_parsed(user=user, parsed=parsed, session=session)
    if parsed.canonical or parsed.via:
        # The data model: a canonical IRI MUST be kept wherever the annotation goes.
        Annotation.objects.filter(pk=annotation.pk).update(canonical=parsed.canonical, via=parsed.via)
        annotation.canonical, annotation.via = parsed.canonical, parsed.via
    return annotation
