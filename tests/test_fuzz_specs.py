"""Whatever a spec file contains, the CLI answers with exit 0 or a located spec error (exit 2), never a
traceback, and a failed render changes nothing. Mutations of the committed specs: dropped, duplicated
and swapped lines, changed indentation, and random text spliced in."""

from __future__ import annotations

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SECURENEXUS, tree
from generator import cli

SPECS = sorted(p.name for p in (SECURENEXUS / "environments").glob("*.yaml"))
LINES = {name: (SECURENEXUS / "environments" / name).read_text(encoding="utf-8").splitlines() for name in SPECS}
JUNK = st.sampled_from(["", ":", "- ", "{", "}", "[", "&a", "*a", "!!str", "<<: *a", "? x", "|", "\t", "null",
                        "~", "'", '"', "#", "---", "...", "%YAML 1.1", "yes", "0x1F", "1e400", "-.inf", "é"])


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(SPECS))
    lines = list(LINES[name])
    for _ in range(draw(st.integers(1, 4))):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["drop", "dup", "indent", "dedent", "splice", "swap"]))
        if op == "drop":
            del lines[i]
        elif op == "dup":
            lines.insert(i, lines[i])
        elif op == "indent":
            lines[i] = "  " + lines[i]
        elif op == "dedent":
            lines[i] = lines[i].lstrip()
        elif op == "splice":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(st.one_of(JUNK, st.text(max_size=6))) + lines[i][at:]
        else:
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        if not lines:
            break
    return name, "\n".join(lines) + "\n"


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_specs_never_crash(tmp_path_factory, capsys, mutation):
    name, text = mutation
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(SECURENEXUS / "environments", root / "environments")
    (root / "environments" / name).write_text(text, encoding="utf-8")
    before = tree(root)
    code = cli.main(["render", "--root", str(root), "--check"])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    if code == 2:
        assert err and all(line.startswith("environments/") for line in err.splitlines()), err
    assert tree(root) == before
