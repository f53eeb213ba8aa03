"""Three-way merge of sequences (a document's paragraphs): one side's changes to a common base
carried over to the other side's, or ``None`` where both changed the same part differently.

Used when a page a curator corrected is fetched again with changes of its own: the curator's
corrections are kept wherever the page changed other paragraphs.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from difflib import SequenceMatcher
from typing import TypeVar

Item = TypeVar("Item", bound=Hashable)

# A change to the base: the items base[start:end] replaced by ``items`` (an insertion when
# start == end, a deletion when ``items`` is empty).
_Hunk = tuple[int, int, tuple]


def _hunks(base: Sequence[Item], changed: Sequence[Item]) -> list[_Hunk]:
    matcher = SequenceMatcher(a=base, b=changed, autojunk=False)
    return [
        (start, end, tuple(changed[first:last]))
        for tag, start, end, first, last in matcher.get_opcodes()
        if tag != "equal"
    ]


def _overlap(one: _Hunk, other: _Hunk) -> bool:
    """Both touch the same base items, or insert at the same place."""
    (start, end, _), (other_start, other_end, _) = one, other
    if start == other_start:
        return True
    return start < other_end and other_start < end


def merge_three(base: Sequence[Item], ours: Sequence[Item], theirs: Sequence[Item]) -> list[Item] | None:
    """``theirs``' changes to ``base`` applied to ``ours`` (and ``ours``' kept), or ``None`` when the
    two changed the same items of ``base`` differently."""
    changes = sorted(
        [(hunk, "ours") for hunk in _hunks(base, ours)] + [(hunk, "theirs") for hunk in _hunks(base, theirs)],
        key=lambda change: (change[0][0], change[0][1]),
    )
    chosen: list[_Hunk] = []
    index = 0
    while index < len(changes):
        group = [changes[index]]
        index += 1
        # Chain every change overlapping one already in the group.
        while index < len(changes) and any(_overlap(changes[index][0], member[0]) for member in group):
            group.append(changes[index])
            index += 1
        sides = {side for _, side in group}
        hunks = {hunk for hunk, _ in group}
        if len(sides) == 2 and len(hunks) != 1:
            return None  # both sides changed this part, differently
        chosen.extend(sorted(hunks))
    merged: list[Item] = []
    position = 0
    for start, end, items in chosen:
        merged.extend(base[position:start])
        merged.extend(items)
        position = end
    merged.extend(base[position:])
    return merged
