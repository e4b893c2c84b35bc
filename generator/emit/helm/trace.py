"""Traced spec values: the leaves of a spec that remember where they sit in the Helm values.

The chart is derived by running the builders a second time over a *traced* copy of the spec, in which every
string, integer and float leaf is a subclass of its type that carries its values path. A leaf that reaches
an output object untouched becomes a reference to the values (``{{ ... (index $.Values ...) }}``) in the
generated template; everything the builders computed stays literal.

The builders must not be fooled, so a traced leaf records how it was used:

- comparisons (``<``, ``==``, ...) and truth tests are *constraints* (``replicas >= 2`` was true): the
  chart fails when a value set at install time breaks one, because the objects would need another shape;
- any other inspection (formatting into an f-string, arithmetic, hashing as a dict key, string methods,
  ``len``) *pins* the leaf: the chart fails when its value differs from the spec's, because something the
  builders derived from it (a name, an expression, a computed amount) would be stale.

``+`` on traced strings is the one operation that stays traced (``Concat``): an image reference built as
``repository + ":" + tag`` still follows both values. A mapping of leaves is a ``TracedDict``, so a builder
can hand it to a function Helm can compute as well (``Derived``, e.g. the config checksum).

The same record says when a second traced build would repeat a first (``same_build``): when two specs
differ only in leaves that were neither pinned nor compared the other way, the builders take the same
steps, so a staging and a uat, or the clusters of a fleet, share one build.

Pure: nothing here reads or writes files; one ``Recorder`` per traced build collects the uses.
"""

from __future__ import annotations

import functools
import operator
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel

Path = tuple[str | int, ...]

# Attributes a traced value keeps from its base type: object machinery, pickling, and the operations the
# mixins below define themselves.
_MACHINERY = frozenset({
    "__new__", "__init__", "__getattribute__", "__setattr__", "__delattr__", "__class__", "__init_subclass__",
    "__subclasshook__", "__dir__", "__sizeof__", "__doc__", "__getnewargs__", "__reduce__", "__reduce_ex__",
    "__getstate__", "__class_getitem__",
})
_COMPARISONS = {"__eq__": "eq", "__ne__": "ne", "__lt__": "lt", "__le__": "le", "__gt__": "gt", "__ge__": "ge"}


@dataclass(frozen=True)
class Constraint:
    """``op(left, right) is want`` held for the spec; ``right`` is a path (another leaf) or a literal."""

    op: str
    left: Path
    right: Any
    right_is_path: bool
    want: bool


@dataclass
class Recorder:
    """Every use of the traced leaves of one build."""

    pinned: set[Path] = field(default_factory=set)
    constraints: set[Constraint] = field(default_factory=set)

    def pin(self, *values: Any) -> None:
        for value in values:
            if isinstance(value, Traced):
                self.pinned.add(value.path)

    def compare(self, op: str, left: "Traced", right: Any, want: bool) -> None:
        if left.path in self.pinned:
            return  # its value is fixed, which says more than any comparison
        if isinstance(right, Traced) and type(right) is type(left) and not isinstance(left, float):
            if right.path != left.path:
                self.constraints.add(Constraint(op, left.path, right.path, True, want))
        elif type(right) is (str if isinstance(left, str) else int):
            self.constraints.add(Constraint(op, left.path, right, False, want))
        else:  # a comparison the chart could not repeat (floats, mixed types): the value must not change
            self.pin(left, right)


class Traced:
    """Mixin of the traced leaf types: ``path`` in the values, ``recorder`` of the build."""

    path: Path
    recorder: Recorder


def _pinning(method: Callable) -> Callable:
    def pinned(self, *args, **kwargs):
        self.recorder.pin(self, *args)
        return method(self, *args, **kwargs)

    return pinned


def _comparing(method: Callable, op: str) -> Callable:
    def compare(self, other):
        result = method(self, other)
        if result is not NotImplemented:
            self.recorder.compare(op, self, other, bool(result))
        return result

    return compare


def _methods(base: type, wrap: Callable[[str, Callable], Callable]) -> dict[str, Callable]:
    """Every callable attribute of ``base`` but its machinery, wrapped."""
    return {
        name: wrap(name, getattr(base, name))
        for name in dir(base)
        if name not in _MACHINERY and callable(getattr(base, name))
    }


def _traced_type(base: type) -> type:
    def wrap(name: str, method: Callable) -> Callable:
        return _comparing(method, _COMPARISONS[name]) if name in _COMPARISONS else _pinning(method)

    def truth(self) -> bool:
        result = base.__len__(self) > 0 if base is str else base.__bool__(self)
        self.recorder.compare("ne", self, base(), result)
        return result

    namespace = {**_methods(base, wrap), "__bool__": truth}
    return type(f"Traced{base.__name__.capitalize()}", (base, Traced), namespace)


TracedInt = _traced_type(int)
TracedFloat = _traced_type(float)


class TracedStr(_traced_type(str)):  # type: ignore[misc]
    """A traced string; ``+`` with another string keeps both traced (``Concat``)."""

    def __add__(self, other):
        return Concat.of(self, other)

    def __radd__(self, other):
        return Concat.of(other, self)


class Concat(str):
    """A string made with ``+`` of literal and traced parts; any other use pins every traced part."""

    parts: tuple[str, ...]

    @classmethod
    def of(cls, *pieces: Any) -> Any:
        if not all(isinstance(p, str) for p in pieces):
            return NotImplemented
        parts: list[str] = []
        for piece in pieces:
            parts.extend(piece.parts if isinstance(piece, Concat) else [piece])
        made = cls("".join(str.__str__(p) for p in parts))
        made.parts = tuple(parts)
        return made

    def __add__(self, other):
        return Concat.of(self, other)

    def __radd__(self, other):
        return Concat.of(other, self)


def _pin_parts(*values: Any) -> None:
    for value in values:
        for part in value.parts if isinstance(value, Concat) else (value,):
            if isinstance(part, Traced):
                part.recorder.pinned.add(part.path)


def _concat_method(name: str, method: Callable) -> Callable:
    def pinned(self, *args, **kwargs):
        _pin_parts(self, *args)
        return method(self, *args, **kwargs)

    return pinned


for _name, _method in _methods(str, _concat_method).items():
    if _name not in ("__add__", "__radd__"):
        setattr(Concat, _name, _method)
Concat.__bool__ = _concat_method("__bool__", lambda self: str.__len__(self) > 0)  # type: ignore[attr-defined]


class TracedDict(dict):
    """A mapping of traced leaves at ``path`` (its keys are structure, its values are traced)."""

    path: Path

    def derived(self, value: str, function: str) -> "Derived":
        """``value``, known to Helm as ``function`` applied to this mapping."""
        return Derived.of(value, function, self.path)


class Derived(str):
    """A string the builders computed from a traced mapping with a function Helm has as well."""

    function: str
    source: Path

    @classmethod
    def of(cls, value: str, function: str, source: Path) -> "Derived":
        made = cls(value)
        made.function, made.source = function, source
        return made


def leaf(value: Any, path: Path, recorder: Recorder) -> Any:
    """``value`` traced at ``path``; booleans, None and other types stay as they are (they are structure)."""
    made = {str: TracedStr, int: TracedInt, float: TracedFloat}.get(type(value))
    if made is None:
        return value
    traced = made(value)
    traced.path, traced.recorder = path, recorder
    return traced


def plain(value: Any) -> Any:
    """The value of a traced leaf (or a ``Concat`` or ``Derived``) as its exact base type."""
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)
    if isinstance(value, Traced):
        return float.__float__(value) if isinstance(value, float) else int.__int__(value)
    return value


OPS: dict[str, Callable[[Any, Any], bool]] = {
    "eq": operator.eq, "ne": operator.ne, "lt": operator.lt, "le": operator.le, "gt": operator.gt, "ge": operator.ge,
}


def at(values: Any, path: Path) -> Any:
    """The value at ``path`` in the values."""
    for part in path:
        values = values[part]
    return values


def evaluated(value: Any, values: dict) -> str | None:
    """A name the builders returned (a string, a traced leaf, or a ``Concat`` of both) as it is with other
    ``values`` at the same paths; None for any other kind of value."""
    if isinstance(value, Traced):
        return str(at(values, value.path))
    if isinstance(value, Concat):
        parts = [evaluated(p, values) for p in value.parts]
        return None if None in parts else "".join(parts)
    return value if type(value) is str else None


def same_build(earlier: Any, earlier_values: dict, later: Any, later_values: dict, recorder: Recorder) -> bool:
    """Whether the builders, run over ``traced_copy(later, later_values)``, do exactly what ``recorder`` saw
    them do over ``traced_copy(earlier, earlier_values)``: the two copies are the same but for the values of
    traced leaves that were not pinned, and every comparison recorded still comes out the same with
    ``later_values``. Every use of a traced leaf is recorded (see the module docstring), so the builders
    then take the same steps and return the same objects but for those values, at the same paths: the same
    templates. Neither copy is made."""
    return _alike(earlier, earlier_values, later, later_values, (), recorder.pinned) and all(
        bool(OPS[c.op](at(later_values, c.left), at(later_values, c.right) if c.right_is_path else c.right)) is c.want
        for c in recorder.constraints
    )


def _alike(a: Any, sa: Any, b: Any, sb: Any, path: Path, pinned: set[Path]) -> bool:
    """``same_build`` at one place, following ``copy_with_leaves`` into both values and their shadows."""
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is int or kind is float:
        traced = type(sa) is kind and a == sa
        if traced != (type(sb) is kind and b == sb):
            return False
        return (traced and path not in pinned) or _same(a, b)
    if isinstance(a, BaseModel):
        return _alike_model(a, sa, b, sb, path, pinned)
    if isinstance(a, dict):
        into = type(sa) is dict and list(sa) == list(a)
        if list(a) != list(b) or into != (type(sb) is dict and list(sb) == list(b)):
            return False
        return all(_alike(v, sa[k], b[k], sb[k], (*path, k), pinned) for k, v in a.items()) if into else _identical(a, b)
    if isinstance(a, (list, tuple)):
        into = type(sa) is list and len(sa) == len(a)
        if len(a) != len(b) or into != (type(sb) is list and len(sb) == len(b)):
            return False
        if not into:
            return _identical(a, b)
        return all(_alike(x, sx, y, sy, (*path, i), pinned) for i, (x, sx, y, sy) in enumerate(zip(a, sa, b, sb)))
    return _same(a, b)


def _alike_model(a: BaseModel, sa: Any, b: BaseModel, sb: Any, path: Path, pinned: set[Path]) -> bool:
    into = type(sa) is dict
    if into != (type(sb) is dict) or a.model_fields_set != b.model_fields_set:
        return False
    if not into:
        return _identical(a, b)
    for name, key in _field_keys(type(a)):
        if (key in sa) != (key in sb):
            return False
        if key in sa:
            if not _alike(getattr(a, name), sa[key], getattr(b, name), sb[key], (*path, key), pinned):
                return False
        elif not _identical(getattr(a, name), getattr(b, name)):
            return False
    return True


def _identical(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (True and 1 are equal, yet a builder tells them apart)."""
    if a is b:
        return True
    kind = type(a)
    if kind is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_identical(v, b[k]) for k, v in a.items())
    if isinstance(a, (list, tuple)):
        return len(a) == len(b) and all(map(_identical, a, b))
    if isinstance(a, BaseModel):
        return a.model_fields_set == b.model_fields_set and all(
            _identical(getattr(a, name), getattr(b, name)) for name, _ in _field_keys(kind)
        )
    return _same(a, b)


def _same(a: Any, b: Any) -> bool:
    """Equal and written the same (0.0 and -0.0 are equal)."""
    return a == b and (type(a) is not float or repr(a) == repr(b))


def traced_copy(value: Any, shadow: Any, path: Path, recorder: Recorder) -> Any:
    """A copy of the spec ``value`` whose leaves are traced wherever ``shadow``, the same value as it is
    written in the values file, holds them at the same place (parts the values write differently, like a
    secret source's keys, stay plain: the chart treats them as fixed)."""
    return copy_with_leaves(value, shadow, path, lambda v, s, p: leaf(v, p, recorder) if v == s else v)


def copy_with_leaves(value: Any, shadow: Any, path: Path, make: Callable[[Any, Any, Path], Any]) -> Any:
    """A copy of the spec ``value`` with each scalar leaf that ``shadow`` (its values form) holds at the same
    place, with the same type, replaced by ``make(leaf, shadow_leaf, path)``; models are copied without
    validation, and a part in which nothing was replaced is the original itself."""
    kind = type(value)
    if kind is str or kind is int or kind is float:  # the common cases first, by exact type
        return make(value, shadow, path) if type(shadow) is kind else value
    if kind is dict:
        return _copy_dict(value, shadow, path, make)
    if kind is list or kind is tuple:
        return _copy_sequence(value, shadow, path, make)
    if isinstance(value, BaseModel):
        if type(shadow) is not dict:
            return value
        update = {}
        for name, key in _field_keys(type(value)):
            if key in shadow:
                old = getattr(value, name)
                new = copy_with_leaves(old, shadow[key], (*path, key), make)
                if new is not old:
                    update[name] = new
        return _model_copy(value, update) if update else value
    if isinstance(value, dict):
        return _copy_dict(value, shadow, path, make)
    if isinstance(value, (list, tuple)):
        return _copy_sequence(value, shadow, path, make)
    return value


def _copy_sequence(value: list | tuple, shadow: Any, path: Path, make: Callable[[Any, Any, Path], Any]) -> Any:
    if type(shadow) is not list or len(shadow) != len(value):
        return value
    items = [copy_with_leaves(v, s, (*path, i), make) for i, (v, s) in enumerate(zip(value, shadow))]
    if all(new is old for new, old in zip(items, value)):
        return value
    return items if type(value) is list else type(value)(items)


def _copy_dict(value: dict, shadow: Any, path: Path, make: Callable[[Any, Any, Path], Any]) -> Any:
    if type(shadow) is not dict or list(shadow) != list(value):
        return value
    items = {k: copy_with_leaves(v, shadow[k], (*path, k), make) for k, v in value.items()}
    if all(isinstance(v, Traced) for v in items.values()):
        made = TracedDict(items)
        made.path = path
        return made
    return items


def _model_copy(model: BaseModel, update: dict[str, Any]) -> BaseModel:
    """``model.model_copy(update=update)`` for the spec's models (no extra fields, no private attributes),
    without its generic copying."""
    made = object.__new__(type(model))
    fields = model.__dict__.copy()
    fields.update(update)
    object.__setattr__(made, "__dict__", fields)
    object.__setattr__(made, "__pydantic_extra__", None)
    object.__setattr__(made, "__pydantic_fields_set__", model.__pydantic_fields_set__ | update.keys())
    object.__setattr__(made, "__pydantic_private__", None)
    return made


@functools.lru_cache(maxsize=None)
def _field_keys(model: type) -> tuple[tuple[str, str], ...]:
    """(attribute, key in the values) of every field of a spec model."""
    return tuple((name, info.serialization_alias or info.alias or name) for name, info in model.model_fields.items())
