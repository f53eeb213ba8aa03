"""Step 2 for Markdown: the block structure (headings, list items, paragraphs, code, quotes)
becomes paragraphs, and the inline markup (links, images, emphasis, code, HTML tags) is reduced
to its text."""

import re

from .normalising import _SPACES
from .paragraphs import _join_lines, _Para

_MD_ATX_HEADING = re.compile(r"^#{1,6}\s+(?P<text>.*?)(?:\s+#+)?$")
_MD_SETEXT_UNDERLINE = re.compile(r"^(?:=+|-+)$")
_MD_RULE = re.compile(r"^(?:(?:\*\s*){3,}|(?:-\s*){3,}|(?:_\s*){3,})$")
_MD_LIST_ITEM = re.compile(r"^(?:[-*+]|\d{1,3}[.)])\s+(?P<text>.*)$")
_MD_QUOTE = re.compile(r"^>\s?")
_MD_FENCE = re.compile(r"^(?:```|~~~)")
_MD_REFERENCE_DEFINITION = re.compile(r"^\[[^\]]+\]:\s*\S+")


def _markdown_paragraphs(groups: list[list[str]]) -> list[_Para]:
    """Parse the block structure of Markdown: headings, list items, paragraphs.

    Lines that continue a paragraph or list item are joined (that is what
    Markdown means by a line break inside a paragraph)."""
    paras: list[_Para] = []
    in_code = False
    for index, group in enumerate(groups):
        current: _Para | None = None
        for line in group:
            while _MD_QUOTE.match(line):
                line = _MD_QUOTE.sub("", line, count=1)
            line = line.rstrip("\\").strip()  # a trailing backslash is a hard break
            if _MD_FENCE.match(line):
                in_code = not in_code
                current = None
                continue
            if in_code:
                paras.append(_Para(text=line, group=index, lines=[line]))
                continue
            if not line or _MD_REFERENCE_DEFINITION.match(line):
                current = None
                continue
            if current is not None and current.kind == "paragraph" and _MD_SETEXT_UNDERLINE.match(line):
                current.kind = "heading"
                current = None
                continue
            if _MD_RULE.match(line):
                current = None
                continue
            heading = _MD_ATX_HEADING.match(line)
            item = _MD_LIST_ITEM.match(line)
            if heading:
                paras.append(_Para(text=heading["text"], group=index, lines=[line], kind="heading"))
                current = None
            elif item:
                current = _Para(text=item["text"], group=index, lines=[line], kind="item")
                paras.append(current)
            elif current is not None:
                current.lines.append(line)
                current.text = _join_lines([current.text, line])
            else:
                current = _Para(text=line, group=index, lines=[line])
                paras.append(current)
    for para in paras:
        reduced = _reduce_markdown_inline(para.text)
        para.image_only = not reduced and bool(_MD_IMAGE.search(para.text))
        para.text = reduced
    return [p for p in paras if p.text or p.image_only]


_MD_IMAGE = re.compile(r"!\[[^\]]*\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_MD_LINK = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?:[^()]|\([^)]*\))*\)|\[[^\]]*\])")
_MD_AUTOLINK = re.compile(r"<(?P<url>(?:https?|mailto):[^>\s]+)>")
_MD_CODE = re.compile(r"`+(?P<text>[^`]+?)`+")
_MD_STRONG = re.compile(r"(\*\*|__)(?=\S)(?P<text>.+?)(?<=\S)\1")
_MD_EMPHASIS_STAR = re.compile(r"(?<![\w*])\*(?=\S)(?P<text>.+?)(?<=\S)\*(?![\w*])")
_MD_EMPHASIS_UNDERSCORE = re.compile(r"(?<![\w_])_(?=\S)(?P<text>.+?)(?<=\S)_(?![\w_])")
_MD_STRIKE = re.compile(r"~~(?P<text>.+?)~~")
_MD_HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_MD_ESCAPE = re.compile(r"\\(?P<char>[\\`*_{}\[\]()#+\-.!>~|])")
# Escaped characters are parked in the Private Use Area while the emphasis
# patterns run, so "\*" is never mistaken for emphasis.
_ESCAPE_BASE = 0xE000


def _reduce_markdown_inline(text: str) -> str:
    text = _MD_ESCAPE.sub(lambda m: chr(_ESCAPE_BASE + ord(m["char"])), text)
    text = _MD_IMAGE.sub("", text)
    text = _MD_LINK.sub(lambda m: m["text"], text)
    text = _MD_AUTOLINK.sub(lambda m: m["url"], text)
    text = _MD_CODE.sub(lambda m: m["text"], text)
    text = _MD_HTML_TAG.sub("", text)
    for pattern in (_MD_STRONG, _MD_EMPHASIS_STAR, _MD_EMPHASIS_UNDERSCORE, _MD_STRIKE):
        text = pattern.sub(lambda m: m["text"], text)
    text = "".join(_unpark_escape(ch) for ch in text)
    return _SPACES.sub(" ", text).strip()


def _unpark_escape(ch: str) -> str:
    if _ESCAPE_BASE <= ord(ch) < _ESCAPE_BASE + 128:
        return chr(ord(ch) - _ESCAPE_BASE)
    return ch
