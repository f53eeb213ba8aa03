"""What changed between two texts, word by word, as HTML: removed words in ``<del>``, added ones
in ``<ins>``, everything escaped. Paragraph breaks stay line breaks (the page shows them with
``white-space: pre-wrap``).

The work is bounded whatever the texts: paragraphs are lined up first, and words are compared
only within a changed paragraph and its replacement, up to ``MAX_WORDS`` words each; longer
ones are shown removed and added whole. Comparing every word of two long texts with each other
takes minutes (a site redesign, a hostile page fetched again), and the page is public.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from html import escape

PARAGRAPH_BREAK = "\n\n"
MAX_WORDS = 600
# A word with the spaces after it: half the tokens of words and spaces apart.
_TOKENS = re.compile(r"\S+\s*|\s+")


# Two passages are worth comparing word by word when both are short, or when they share at least
# this share of the shorter one's words: otherwise a diff is all removals and additions, noise.
SHORT_PASSAGE_WORDS = 8
SHARED_WORDS_TO_COMPARE = 0.5
_WORD = re.compile(r"\w+")


def worth_comparing(one: str, other: str) -> bool:
    """Whether a word-level diff of two passages says something: they are short ("some 1,000 km"
    and "about 1,500 km"), or one mostly rewords the other. Two sentences that say different
    things in different words are better read side by side."""
    first, second = _WORD.findall(one.casefold()), _WORD.findall(other.casefold())
    shorter = min(len(first), len(second))
    if shorter == 0:
        return False
    if max(len(first), len(second)) <= SHORT_PASSAGE_WORDS:
        return True
    counts: dict[str, int] = {}
    for word in first:
        counts[word] = counts.get(word, 0) + 1
    shared = 0
    for word in second:
        if counts.get(word, 0) > 0:
            counts[word] -= 1
            shared += 1
    return shared / shorter >= SHARED_WORDS_TO_COMPARE


def word_diff_html(old: str, new: str) -> str:
    old_paragraphs, new_paragraphs = old.split(PARAGRAPH_BREAK), new.split(PARAGRAPH_BREAK)
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    out: list[str] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = old_paragraphs[old_start:old_end], new_paragraphs[new_start:new_end]
        if operation == "equal":
            out.extend(escape(paragraph) for paragraph in added)
            continue
        # Changed paragraphs side by side, one for one; the rest removed or added whole.
        for index in range(max(len(removed), len(added))):
            before = removed[index] if index < len(removed) else ""
            after = added[index] if index < len(added) else ""
            out.append(_words_diff(before, after))
    return PARAGRAPH_BREAK.join(out)


def _words_diff(old: str, new: str) -> str:
    old_tokens, new_tokens = _TOKENS.findall(old), _TOKENS.findall(new)
    if not old_tokens or not new_tokens or max(len(old_tokens), len(new_tokens)) > MAX_WORDS:
        return _marked("del", old) + _marked("ins", new)
    matcher = SequenceMatcher(None, old_tokens, new_tokens, autojunk=False)
    out: list[str] = []
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        removed, added = "".join(old_tokens[old_start:old_end]), "".join(new_tokens[new_start:new_end])
        if operation == "equal":
            out.append(escape(added))
        else:
            out.append(_marked("del", removed) + _marked("ins", added))
    return "".join(out)


def _marked(tag: str, text: str) -> str:
    return f"<{tag}>{escape(text)}</{tag}>" if text else ""


def change_counts(old: str, new: str) -> tuple[int, int]:
    """(words removed, words added), counted paragraph by paragraph as the diff shows them."""
    removed = added = 0
    old_paragraphs, new_paragraphs = old.split(PARAGRAPH_BREAK), new.split(PARAGRAPH_BREAK)
    matcher = SequenceMatcher(None, old_paragraphs, new_paragraphs, autojunk=False)
    for operation, old_start, old_end, new_start, new_end in matcher.get_opcodes():
        if operation == "equal":
            continue
        before, after = old_paragraphs[old_start:old_end], new_paragraphs[new_start:new_end]
        for index in range(max(len(before), len(after))):
            old_words = (before[index] if index < len(before) else "").split()
            new_words = (after[index] if index < len(after) else "").split()
            if max(len(old_words), len(new_words)) > MAX_WORDS:
                removed, added = removed + len(old_words), added + len(new_words)
                continue
            words = SequenceMatcher(None, old_words, new_words, autojunk=False)
            for op, a0, a1, b0, b1 in words.get_opcodes():
                if op != "equal":
                    removed, added = removed + a1 - a0, added + b1 - b0
    return removed, added
