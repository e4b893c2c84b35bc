"""Where each field of a merged spec was written (file, line, column), worked out only when a finding needs
it: a spec without errors never pays for the marks of its some 50,000 fields.

Each spec file has the marks of its own fields (``generator.yamlnodes``, computed on demand too). A merged
environment's marks are its layers' marks, later layers winning, kept only where the path still exists in
the merged data (a later ``null`` removed it otherwise). ``Marks`` holds the recipe and computes the mapping
on the first lookup. Used by ``generator.yamlnodes`` and ``generator.load``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Callable, Iterator

Path = tuple  # a field path: keys (str) and list indexes (int)
Mark = tuple[str, int, int]  # (file, line, column), 1-based


class Marks(Mapping):
    """A mapping from field path to ``Mark``, computed by ``compute`` on the first lookup."""

    def __init__(self, compute: Callable[[], dict[Path, Mark]]):
        self._compute: Callable[[], dict[Path, Mark]] | None = compute
        self._marks: dict[Path, Mark] = {}

    def resolved(self) -> dict[Path, Mark]:
        if self._compute is not None:
            self._marks, self._compute = self._compute(), None
        return self._marks

    def get(self, path: Path, default: Mark | None = None) -> Mark | None:
        return self.resolved().get(path, default)

    def __getitem__(self, path: Path) -> Mark:
        return self.resolved()[path]

    def __iter__(self) -> Iterator[Path]:
        return iter(self.resolved())

    def __len__(self) -> int:
        return len(self.resolved())


def _flat(layer: Mapping[Path, Mark]) -> Mapping[Path, Mark]:
    return layer.resolved() if isinstance(layer, Marks) else layer


def live(data: Any, layers: tuple[Mapping[Path, Mark], ...]) -> Marks:
    """The marks of ``layers`` (later ones win) at the paths that exist in ``data``, the merged document.
    ``data`` must not change afterwards."""

    def compute() -> dict[Path, Mark]:
        merged: dict[Path, Mark] = {}
        for layer in layers:
            merged.update(_flat(layer))
        return _live(data, merged)

    return Marks(compute)


def under(marks: Marks, prefix: Path) -> Marks:
    """The marks below ``prefix`` (not ``prefix`` itself), with the prefix cut off their paths."""
    cut = len(prefix)
    return Marks(lambda: {path[cut:]: mark for path, mark in marks.resolved().items()
                          if path[:cut] == prefix and len(path) > cut})


def _live(data: Any, marks: Mapping[Path, Mark], path: Path = ()) -> dict[Path, Mark]:
    """Keep the mark of every path that exists in ``data`` (later layers already won in ``marks``)."""
    live_marks = {path: marks[path]} if path in marks else {}
    children = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in children:
        live_marks.update(_live(value, marks, path + (key,)))
    return live_marks
