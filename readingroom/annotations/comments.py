"""Comments are Markdown, rendered with the ``markdown`` package and sanitised with nh3
(Ammonia's allow-list): no script, no event handler, no ``javascript:`` link reaches a page."""

from __future__ import annotations

import markdown
import nh3

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "b", "i", "code", "pre", "blockquote", "ul", "ol", "li",
    "a", "h3", "h4", "h5", "h6", "hr", "del", "sup", "sub",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
ALLOWED_URL_SCHEMES = {"http", "https", "mailto"}


def render_comment(body: str) -> str:
    """Safe HTML for a comment written in Markdown. Raw HTML in the comment is escaped or dropped."""
    html = markdown.markdown(body, extensions=["sane_lists", "nl2br"], output_format="html")
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_URL_SCHEMES,
        link_rel="nofollow noopener noreferrer",
    )
