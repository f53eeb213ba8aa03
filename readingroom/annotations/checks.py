"""The checks every write to an annotation makes of what it is given (the comment, a tag's text,
the visibility), and the error that says what was refused."""

from __future__ import annotations

import re

from .models import Visibility

MAX_BODY_LENGTH = 10_000


class AnnotationError(ValueError):
    """Input the server will not store; the message is shown to the person who sent it."""


_UNSTORABLE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")


def check_text(text: str, what: str) -> str:
    """Control characters and lone surrogates are not text: no database, backup or page wants them."""
    if _UNSTORABLE.search(text):
        raise AnnotationError(f"{what} contains control characters; remove them and try again.")
    return text


def check_body(body: str) -> str:
    if not isinstance(body, str):
        raise AnnotationError("The comment must be text.")
    check_text(body, "The comment")
    if len(body) > MAX_BODY_LENGTH:
        raise AnnotationError(f"A comment can be at most {MAX_BODY_LENGTH:,} characters (this one has {len(body):,}).")
    return body.strip()


def check_visibility(visibility: str) -> str:
    if visibility not in Visibility.values:
        raise AnnotationError(f"Visibility must be one of: {', '.join(Visibility.values)}.")
    return visibility
