"""The distinct keys and scalars of a plain-data document (a merged spec), gathered in one walk that keeps
no paths: what the whole-document rules (``scalars``, ``credentials``) look at first. A rule module walks
the document again, path by path, only when some gathered value may break one of its rules; most specs
break none, and a 500-service spec has some 50,000 nodes.

Each string value is kept with the last two elements of its path (``Tail``: the key or index holding it
and the one above, ``None`` where the path is shorter), which is all of a path that a rule needs to tell
whether a string may be reported.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterable

Tail = tuple[Any, Any]  # (path[-2], path[-1]) of a value, None where the path is shorter


@dataclass(frozen=True)
class Leaves:
    """Every string key of every mapping, every string value with its ``Tail``, and every int and float
    value (not bools) of one document."""

    keys: frozenset[str]
    texts: frozenset[tuple[Any, Any, str]]  # (*Tail, text)
    numbers: frozenset[int | float]

    @classmethod
    def of(cls, data: Any) -> "Leaves":
        keys: set = set()
        texts: set[tuple[Any, Any, str]] = set()
        numbers: set[int | float] = set()
        pending: list[tuple[Any, Iterable[tuple[Any, Any]]]] = [(None, ((None, data),))]  # (key above, items)
        while pending:
            above, items = pending.pop()
            for key, value in items:
                kind = type(value)
                if kind is str:
                    texts.add((above, key, value))
                elif kind is dict:
                    keys.update(value)
                    pending.append((key, value.items()))
                elif kind is list:
                    pending.append((key, enumerate(value)))
                elif kind is int or kind is float:
                    numbers.add(value)
        return cls(frozenset(k for k in keys if type(k) is str), frozenset(texts), frozenset(numbers))

    def strings(self) -> set[str]:
        """Every string of the document, keys and values."""
        return {*self.keys, *(text for _, _, text in self.texts)}
