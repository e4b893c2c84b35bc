"""Whatever a spec file contains, the CLI answers with exit 0 or a located spec error (exit 2), never a
traceback; a failed render changes nothing and a successful one leaves an up-to-date tree. Each example
really renders (writes) into a copy of a rendered root. Mutations of the committed specs: dropped,
duplicated and swapped lines, changed indentation, and random text spliced in."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SECURENEXUS, tree
from generator import cli, transaction
from generator.errors import Finding, SpecError

SPECS = sorted(p.name for p in (SECURENEXUS / "environments").glob("*.yaml"))
LINES = {name: (SECURENEXUS / "environments" / name).read_text(encoding="utf-8").splitlines() for name in SPECS}
JUNK = st.sampled_from(["", ":", "- ", "{", "}", "[", "&a", "*a", "!!str", "<<: *a", "? x", "|", "\t", "null",
                        "~", "'", '"', "#", "---", "...", "%YAML 1.1", "yes", "0x1F", "1e400", "-.inf", "é",
                        "$patch: delete", "1:20", "010", "99999999999", "kube-system", "system:masters",
                        "../../x.yaml", "AKIAIOSFODNN7EXAMPLE", "\\u202e", "0m"])


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


@pytest.fixture(scope="module")
def rendered_template(tmp_path_factory) -> Path:
    """The committed specs with every tree rendered, copied for each example (faster than rendering)."""
    root = tmp_path_factory.mktemp("template")
    shutil.copytree(SECURENEXUS / "environments", root / "environments")
    assert cli.main(["render", "--root", str(root)]) == 0
    return root


def render_mutated(root: Path, name: str, text: str, capsys) -> None:
    """Write one mutated spec into a rendered root and render it for real; assert the contract: a located
    spec error (exit 2) or invalid output (exit 1) changes nothing, a success leaves a tree that is up to date."""
    (root / "environments" / name).write_text(text, encoding="utf-8")
    before = tree(root)
    capsys.readouterr()
    code = cli.main(["render", "--root", str(root)])
    err = capsys.readouterr().err
    assert code in (0, 1, 2), err
    assert "Traceback" not in err
    if code == 2:
        assert err and all(line.startswith("environments/") for line in err.splitlines()), err
    if code != 0:
        assert tree(root) == before, "a failed render changed the tree"
    else:
        assert cli.main(["render", "--check", "--root", str(root)]) == 0, capsys.readouterr().err
        assert not (root / ".gitops-gen").exists()  # no journal or temp left behind


@pytest.mark.starts_first
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutated())
def test_mutated_specs_never_crash_and_a_failed_render_changes_nothing(tmp_path_factory, capsys, rendered_template, mutation):
    name, text = mutation
    root = tmp_path_factory.mktemp("fuzz")
    shutil.copytree(rendered_template, root, dirs_exist_ok=True)
    render_mutated(root, name, text, capsys)


def test_the_fuzz_contract_can_fail(tmp_path, capsys, rendered_template, monkeypatch):
    """A render that wrote a file and then reported a spec error would be caught."""
    root = tmp_path / "root"
    shutil.copytree(rendered_template, root)

    def leaky_apply(self, change):
        (root / "rendered/staging/staging/deployment-securenexus.yaml").write_text("changed\n", encoding="utf-8")
        raise SpecError([Finding("environments/staging.yaml", 1, 1, "", "simulated")])

    monkeypatch.setattr(transaction.Session, "apply", leaky_apply)
    text = (SECURENEXUS / "environments/staging.yaml").read_text(encoding="utf-8").replace("APP_ENV: staging", "APP_ENV: changed")
    with pytest.raises(AssertionError, match="a failed render changed the tree"):
        render_mutated(root, "staging.yaml", text, capsys)
