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
