"""Step 3: give each paragraph its block kind and mark recognised structure (live-page entry
headings, labels such as "Breaking", subheadings, list items, bylines), which the furniture
rules never remove."""

import re
from dataclasses import replace

from .live_entries import _LIVE_ENTRY, _live_entry
from .paragraphs import _BULLET, _DECORATED_HEADING, _NUMBERED, _Para
from .predicates import _ends_clause, _looks_like_name, _looks_like_name_list

_LABEL = re.compile(r"^(?:\d{1,3}\.\s+)?(?P<text>Breaking|Breaking news|Analysis|Explainer|Pinned|Watch|Live)$")
_SECTION_HEADINGS = {
    "summary",
    "key points",
    "key events",
    "key takeaways",
    "in brief",
    "at a glance",
    "what we know",
    "background",
}
_ROLE_WORDS = {
    "correspondent",
    "reporter",
    "editor",
    "producer",
    "journalist",
    "analyst",
    "writer",
    "columnist",
    "presenter",
    "contributor",
    "commentator",
    "photographer",
}
_BY_LINE = re.compile(r"^By\s+(?P<names>.+)$")
BY_LINE_SEARCH_DEPTH = 5  # "By Name" only counts near the top of the file
SUBHEADING_MAX_WORDS = 10


def _classify(paras: list[_Para]) -> list[_Para]:
    """Give each paragraph its block kind; mark recognised structure."""
    out: list[_Para] = []
    index = 0
    while index < len(paras):
        para = paras[index]
        before = paras[index - 1] if index > 0 else None
        after = paras[index + 1] if index + 1 < len(paras) else None
        if para.kind in ("paragraph", "heading") and _LIVE_ENTRY.match(para.text):
            out.extend(_live_entry(para, out))
        elif para.kind != "paragraph":
            out.append(para)  # Markdown already said what it is
        elif after is not None and _is_name_and_role(para, after):
            out.append(_byline_pair(para, after))
            index += 1
        else:
            out.append(_classify_line(para, before, after, index))
        index += 1
    return out


def _classify_line(para: _Para, before: _Para | None, after: _Para | None, index: int) -> _Para:
    text = para.text
    if label := _LABEL.match(text):
        return replace(para, kind="label", text=label["text"], structural=True)
    if (decorated := _DECORATED_HEADING.match(text)) and _is_subheading_text(decorated["text"]):
        return replace(para, kind="heading", text=decorated["text"], structural=True)
    if (numbered := _NUMBERED.match(text)) and _is_numbered_subheading(numbered["text"], before, after):
        return replace(para, kind="heading", text=numbered["text"], structural=True)
    if bullet := _BULLET.match(text):
        return replace(para, kind="item", text=bullet["text"])
    if numbered:
        return replace(para, kind="item", text=numbered["text"])
    if _is_section_heading(text, after):
        return replace(para, kind="heading", structural=True)
    by_line = _BY_LINE.match(text)
    if by_line and index < BY_LINE_SEARCH_DEPTH and _looks_like_name_list(by_line["names"]):
        return replace(para, kind="byline", text=by_line["names"], structural=True)
    return para


def _is_subheading_text(text: str) -> bool:
    return len(text.split()) <= SUBHEADING_MAX_WORDS and not _ends_clause(text)


def _is_numbered_subheading(text: str, before: _Para | None, after: _Para | None) -> bool:
    """ "1) Military cooperation" between prose is a subheading; consecutive
    numbered lines are a list."""
    if not _is_subheading_text(text):
        return False
    neighbours = [p for p in (before, after) if p is not None]
    return not any(_NUMBERED.match(p.text) for p in neighbours)


def _is_section_heading(text: str, after: _Para | None) -> bool:
    """ "Summary" above a list of bullets."""
    if text.lower() in _SECTION_HEADINGS:
        return True
    is_short = len(text.split()) <= 6 and not _ends_clause(text)
    return is_short and after is not None and bool(_BULLET.match(after.text))


def _is_name_and_role(name: _Para, role: _Para) -> bool:
    """ "Jean Mackenzie" directly followed by "Seoul correspondent"."""
    if name.group != role.group or not _looks_like_name(name.text):
        return False
    words = role.text.split()
    return (
        1 <= len(words) <= 6
        and role.text[0].isupper()
        and words[-1].lower() in _ROLE_WORDS
        and not _ends_clause(role.text)
    )


def _byline_pair(name: _Para, role: _Para) -> _Para:
    return replace(
        name,
        kind="byline",
        text=f"{name.text}, {role.text}",
        lines=name.lines + role.lines,
        structural=True,
    )
