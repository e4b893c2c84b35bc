"""The distinct keys and scalars of a plain-data document (a merged spec), gathered in one walk that keeps
no paths: what the whole-document rules (``scalars``, ``credentials``) look at first. A rule module walks
the document again, path by path, only when some gathered value may break one of its rules; most specs
break none, and a 500-service spec has some 50,000 nodes.

Each string value is kept with the last two elements of its path (``Tail``: the key or index holding it
and the one above, ``None`` where the path is shorter), which is all of a path that a rule needs to tell
whether a string may be reported. A walk can leave out mappings and lists already known to hold nothing
that breaks a rule (several environments share the mappings of the layers they extend).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Container, Iterable

Tail = tuple[Any, Any]  # (path[-2], path[-1]) of a value, None where the path is shorter
Known = Container[tuple[int, Any]]  # (id of a mapping or list, the key it sits under)


@dataclass(frozen=True)
class Leaves:
    """Every string key of every mapping, every string value with its ``Tail``, and every int and float
    value (not bools) of one document; and each mapping and list walked, by its id and the key it sits
    under (``Known``)."""

    keys: frozenset[str]
    texts: frozenset[tuple[Any, Any, str]]  # (*Tail, text)
    numbers: frozenset[int | float]
    containers: dict[tuple[int, Any], dict | list]  # (id, key it sits under) -> each mapping and list walked

    @classmethod
    def of(cls, data: Any, known: Known = frozenset()) -> "Leaves":
        """The leaves of ``data``, leaving out every mapping or list that is in ``known`` under the same key:
        the caller accounts for its leaves (the tails of a container's leaves depend only on that key)."""
        keys: set = set()
        texts: set[tuple[Any, Any, str]] = set()
        numbers: set[int | float] = set()
        walked: dict[tuple[int, Any], dict | list] = {}
        pending: list[tuple[Any, Iterable[tuple[Any, Any]]]] = [(None, ((None, data),))]  # (key above, items)
        while pending:
            above, items = pending.pop()
            for key, value in items:
                kind = type(value)
                if kind is str:
                    texts.add((above, key, value))
                elif kind is dict or kind is list:
                    where = (id(value), key)
                    if where in known:
                        continue
                    walked[where] = value
                    if kind is dict:
                        keys.update(value)
                        pending.append((key, value.items()))
                    else:
                        pending.append((key, enumerate(value)))
                elif kind is int or kind is float:
                    numbers.add(value)
        return cls(frozenset(k for k in keys if type(k) is str), frozenset(texts), frozenset(numbers), walked)

    def strings(self) -> set[str]:
        """Every string of the document, keys and values."""
        return {*self.keys, *(text for _, _, text in self.texts)}
