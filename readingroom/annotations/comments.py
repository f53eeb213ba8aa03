"""Comments are Markdown, rendered with the ``markdown`` package and sanitised with nh3
(Ammonia's allow-list): no script, no event handler, no ``javascript:`` link reaches a page."""

from __future__ import annotations

import re
import threading

import markdown
import nh3

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "del",
    "sup",
    "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


_local = threading.local()


def _markdown() -> markdown.Markdown:
    """One converter per thread, reset between comments: building one (loading its extensions)
    cost more than converting a short comment."""
    converter = getattr(_local, "converter", None)
    if converter is None:
        converter = _local.converter = markdown.Markdown(extensions=["sane_lists", "nl2br"], output_format="html")
    return converter.reset()


# One line of words, digits, spaces and plain punctuation, starting with a letter: nothing Markdown
# or HTML would read as markup (no list, heading, emphasis, code, link, entity or tag), so its HTML
# is one paragraph of the same text. Most comments are like this; tests check it against the full
# path.
_PLAIN = re.compile(r"[^\W\d_](?:[^\W_]|[ .,;:?!'()%-])*")


def render_comment(body: str) -> str:
    """Safe HTML for a comment written in Markdown. Raw HTML in the comment is escaped or dropped."""
    if _PLAIN.fullmatch(body) and not body.endswith(" "):
        return f"<p>{body}</p>"
    return _render_markdown(body)


def _render_markdown(body: str) -> str:
    html = _markdown().convert(body)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
