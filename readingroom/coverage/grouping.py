"""Groups made by chains of links (union-find): two items are in one group when a chain of
links joins them, as quotes of one statement are clustered."""

from __future__ import annotations


class DisjointSets:
    """Items 0 … size-1, each in a group of its own until ``union`` joins two groups."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, item: int) -> int:
        """The item that stands for ``item``'s group (path halving keeps chains short)."""
        parent = self._parent
        while parent[item] != item:
            parent[item] = parent[parent[item]]
            item = parent[item]
        return item

    def union(self, a: int, b: int) -> None:
        self._parent[self.find(b)] = self.find(a)

    def same(self, a: int, b: int) -> bool:
        return self.find(a) == self.find(b)

    def groups(self) -> list[list[int]]:
        """Every group, its items in order, the groups in the order of their first item."""
        found: dict[int, list[int]] = {}
        for item in range(len(self._parent)):
            found.setdefault(self.find(item), []).append(item)
        return list(found.values())
