"""The one YAML emitter: round-trips any plain data exactly, never writes anchors, folds nothing."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator import yamlio

scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(), st.floats(allow_nan=False))
data = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner), st.dictionaries(st.text(), inner)), max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(data)
def test_dump_then_load_is_identity(value):
    assert yamlio.load(yamlio.dump(value)) == value


def test_shared_values_are_written_out_not_aliased():
    shared = {"duration": "2m"}
    text = yamlio.dump({"steps": [{"pause": shared}, {"pause": shared}]})
    assert "&" not in text and "*" not in text
    assert text.count("duration: 2m") == 2


def test_long_and_multiline_strings():
    value = {"long": "x" * 500, "multi": "a\nb\n"}
    text = yamlio.dump(value)
    assert "x" * 500 in text and "multi: |" in text
    assert yamlio.load(text) == value


# --- the fast emitter writes exactly what PyYAML writes ---------------------------------------------------

NASTY = ["y", "n", "1e3", "0o17", "09", "a: b", "- x", "#c", "", " x", "x\n", "a\nb", "  a\n b\n", "\t", "null",
         "~", "yes", "'q'", '"d"', "{x}", "[1]", "&a", "*a", "!t", "%", "@", "`", "|", ">", "\u2028", "é", "\x7f",
         "a\n\n", "\n", " \n", "x \ny", "...", "---", "a\n...\n", "a\n---\nb", "a\rb", "\x85", "x" * 200]
nasty_scalars = st.one_of(scalars, st.sampled_from(NASTY))
keys = st.one_of(st.text(max_size=10), st.sampled_from(["app.kubernetes.io/name", "y", "on", "1", "a b", "$patch",
                                                        "- x", "x: y", "", "a\nb", "x" * 130, "---", "\u2028"]))
documents = st.dictionaries(
    keys,
    st.recursive(nasty_scalars, lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=25),
    min_size=1,
    max_size=5,
)


@pytest.mark.starts_first
@settings(max_examples=1500, deadline=None)
@given(documents)
def test_fast_dump_is_byte_identical_to_pyyaml(document):
    assert yamlio.dump(document) == yamlio.dump_with_pyyaml(document)


def test_fast_dump_is_byte_identical_on_every_committed_generated_file():
    from conftest import REPO
    from generator.fileset import MARKER

    checked = 0
    for path in sorted(REPO.rglob("*.yaml")):
        if {".venv", "environments", "__snapshots__", "templates"} & set(path.parts):
            continue
        text = path.read_text(encoding="utf-8")
        if not text.startswith(MARKER):
            continue
        for document in yamlio.load_all(text.split("\n", 1)[1]):
            if document is not None:
                assert yamlio.dump(document) == yamlio.dump_with_pyyaml(document), path
                checked += 1
    assert checked > 400


# --- the compiled walk (generator/_yamlwalk.c) writes exactly what the Python walk writes ------------------

def test_the_compiled_walk_is_built_and_used():
    """make test builds it (pip install -e . compiles generator/_yamlwalk.c); without it yamlio falls back
    to the Python walk, which the tests below also run."""
    from generator import _yamlwalk

    assert yamlio._walk is _yamlwalk.mapping


def _lines(walk, document, special=None) -> list[str] | str:
    """The lines a walk writes, or the name of what it raised (yamlio._Fallback: PyYAML's layout)."""
    out: list[str] = []
    try:
        walk(document, "", "", out, special)
    except Exception as err:  # noqa: BLE001 - the two walks must raise alike
        return type(err).__name__
    return out


@pytest.mark.starts_first
@settings(max_examples=1500, deadline=None)
@given(documents)
def test_compiled_walk_equals_the_python_walk(document):
    assert _lines(yamlio._walk, document) == _lines(yamlio._mapping, document)


class Ref(str):
    """A leaf written as a reference (as the chart's traced values are)."""


class Count(int):
    """A scalar that is not plain data, written by ``Special.text`` or as its base type."""


class Mapping(dict):
    """A dict subclass that iterates as a dict: written as a mapping in ``dump_special``."""


class Odd(dict):
    """A dict subclass with its own iteration: a scalar to ``dump_special``."""

    def __iter__(self):
        return iter(sorted(super().keys()))


class Written(yamlio.Special):
    leaves = frozenset({Ref})

    def leaf(self, value):
        return "{{ ref " + str.__str__(value) + " }}"

    def text(self, value):
        return None if isinstance(value, Count) and value % 2 else f"<{type(value).__name__}>"

    def braces(self, text):
        return "{{ literal " + repr(text) + " }}"


special_scalars = st.one_of(
    nasty_scalars, st.text(max_size=6).map(Ref), st.integers(-5, 5).map(Count), st.just("a {{ b }}"),
    st.just(Odd(a=1)), st.builds(object),
)
special_keys = st.one_of(keys, st.text(max_size=6).map(Ref), st.just("{{ k }}"), st.integers(0, 3))
special_documents = st.dictionaries(
    special_keys,
    st.recursive(special_scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(special_keys, inner, max_size=4),
        st.dictionaries(keys, inner, max_size=3).map(Mapping),
    ), max_leaves=25),
    min_size=1,
    max_size=5,
)


@settings(max_examples=800, deadline=None)
@given(special_documents)
def test_compiled_walk_equals_the_python_walk_on_special_values(document):
    special = Written()
    assert _lines(yamlio._walk, document, special) == _lines(yamlio._mapping, document, special)


def test_the_special_cases_are_reached():
    """Each kind of value the special walk tells apart, in one document, written alike by both walks."""
    document = {"ref": Ref("a"), "count": Count(2), "odd": Count(3), "braces": "x {{ y }}", Ref("key"): 1,
                "{{ k }}": "v", "mapping": Mapping(b=[Ref("c"), Mapping(), Mapping(d=1), "{{ e }}"]), "empty": Mapping()}
    lines = _lines(yamlio._walk, document, Written())
    assert lines == _lines(yamlio._mapping, document, Written())
    assert lines == ["ref: {{ ref a }}", "count: <Count>", "odd: 3", "braces: {{ literal 'x {{ y }}' }}", "key: 1",
                     "{{ literal '{{ k }}' }}: v", "mapping:", "  b:", "  - {{ ref c }}", "  - {}", "  - d: 1",
                     "  - {{ literal '{{ e }}' }}", "empty: {}"]
    odd = {"object": Odd(z=1)}  # a container that iterates its own way: PyYAML's layout
    assert _lines(yamlio._walk, odd, Written()) == _lines(yamlio._mapping, odd, Written()) == "_Fallback"
