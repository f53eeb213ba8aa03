"""Turning a document's canonical text into reader HTML.

Every block element carries ``data-start``/``data-end``: its range in the canonical text. The
browser uses them to turn a selection into offsets, so the HTML holds the canonical text and
nothing else inside the blocks.
"""

from __future__ import annotations

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import Document, TextBlock

_TAGS = {
    "heading": "h3",
    "paragraph": "p",
    "item": "li",
    "dateline": "p",
    "label": "p",
    "byline": "p",
}


def _block_html(block: TextBlock) -> str:
    tag = _TAGS.get(block.kind, "p")
    text = escape(block.text)
    if block.kind == "dateline" and block.published_at is not None:
        text = f'<time datetime="{block.published_at.isoformat()}">{text}</time>'
    return (
        f'<{tag} class="block block--{block.kind}" data-start="{block.start}" data-end="{block.end}">'
        f"{text}</{tag}>"
    )


def document_body_html(document: Document) -> SafeString:
    """The document's blocks as HTML, consecutive items grouped into one list."""
    parts: list[str] = []
    in_list = False
    for block in document.text_blocks():
        if block.kind == "item" and not in_list:
            parts.append('<ul class="items">')
            in_list = True
        elif block.kind != "item" and in_list:
            parts.append("</ul>")
            in_list = False
        parts.append(_block_html(block))
    if in_list:
        parts.append("</ul>")
    return mark_safe("\n".join(parts))
