"""The one YAML emitter: round-trips any plain data exactly, never writes anchors, folds nothing."""

from __future__ import annotations

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
