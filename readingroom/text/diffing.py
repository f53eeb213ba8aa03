"""What changed between two texts, word by word, as HTML: removed words in ``<del>``, added ones
in ``<ins>``, everything escaped. Paragraph breaks stay line breaks (the page shows them with
``white-space: pre-wrap``)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from html import escape

_TOKENS = re.compile(r"\s+|[^\s]+")


def word_diff_html(old: str, new: str) -> str:
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    # autojunk off: in a long text "the" and "," are common, and must still line up.
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    out: list[str] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed = escape("".join(old_tokens[old_start:old_end]))
        added = escape("".join(new_tokens[new_start:new_end]))
        if operation == "equal":
            out.append(added)
            continue
        if removed:
            out.append(f"<del>{removed}</del>")
        if added:
            out.append(f"<ins>{added}</ins>")
    return "".join(out)


def change_counts(old: str, new: str) -> tuple[int, int]:
    """(words removed, words added)."""
    old_words, new_words = old.split(), new.split()
    matcher = SequenceMatcher(None, old_words, new_words, autojunk=False)
    removed = added = 0
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation != "equal":
            removed += old_end - old_start
            added += new_end - new_start
    return removed, added
