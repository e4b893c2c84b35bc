"""`gitops-gen init`: the scaffold is complete and refuses to overwrite; and, end to end, a wheel built from
this project, installed by the scaffold's own Makefile into a fresh virtual environment (pip finds it
through PIP_FIND_LINKS, as a team would point pip at its index; the libraries it needs are shared with this
environment so that nothing is downloaded), renders, checks, validates and passes the
scaffold's `make test` and pre-commit hooks, with no generator source in sight."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, tree
from generator import scaffold, toolchain

SCAFFOLD = [
    ".github/workflows/ci.yaml", ".github/workflows/pr-diff.yaml", ".gitignore", ".pre-commit-config.yaml",
    "Makefile", "README.md", "environments/_defaults.yaml", "environments/production.yaml",
    "environments/staging.yaml", "environments/uat.yaml",
]


def test_init_writes_the_scaffold_with_this_version_pinned(tmp_path, run_cli):
    outcome = run_cli("init", str(tmp_path / "new"))
    assert outcome.code == 0, outcome.err
    assert sorted(tree(tmp_path / "new")) == SCAFFOLD
    makefile = (tmp_path / "new/Makefile").read_text(encoding="utf-8")
    from generator import __version__
    assert f"gitops-gen[checks]=={__version__}" in makefile and "@" not in makefile.replace("$@", "")
    assert "\n\t$(GG) test\n" in makefile  # recipes keep their tabs


def test_init_refuses_to_overwrite_and_names_the_files(tmp_path, run_cli):
    target = tmp_path / "existing"
    (target / "environments").mkdir(parents=True)
    (target / "environments/staging.yaml").write_text("mine\n", encoding="utf-8")
    (target / "Makefile").write_text("mine\n", encoding="utf-8")
    before = tree(target)
    outcome = run_cli("init", str(target))
    assert outcome.code == 2
    assert outcome.err.splitlines() == [
        f"{target}/Makefile: exists: init writes nothing (use --force to overwrite the scaffold's files)",
        f"{target}/environments/staging.yaml: exists: init writes nothing (use --force to overwrite the scaffold's files)",
    ]
    assert tree(target) == before
    assert run_cli("init", "--force", str(target)).code == 0
    assert (target / "Makefile").read_text(encoding="utf-8") == scaffold.files()["Makefile"]


def test_a_wrong_command_line_is_a_usage_error(run_cli, capsys):
    import pytest

    with pytest.raises(SystemExit) as exit_info:
        run_cli("init", "a", "b")
    assert exit_info.value.code == 64


def _run(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=900)
    assert proc.returncode == 0, f"{' '.join(args)}:\n{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.mark.starts_first
def test_a_scaffold_from_the_built_wheel_renders_checks_validates_and_tests(tmp_path):
    wheels, source = tmp_path / "wheels", tmp_path / "source"
    # built from a copy of the package's sources, so setuptools' build/ folder is not left in the repository
    shutil.copytree(REPO / "generator", source / "generator", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(REPO / name, source / name)
    _run([sys.executable, "-m", "pip", "wheel", str(source), "--no-deps", "--quiet", "-w", str(wheels)], tmp_path,
         dict(os.environ))
    target = tmp_path / "shop"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHONPATH"))}
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep) if Path(p) != Path(sys.executable).parent)
    # the checkov `make test` installed for this project; the scaffold's Makefile would install the same pin
    _run([sys.executable, "-m", "generator", "init", str(target)], tmp_path, env)
    (target / toolchain.CHECKOV_VENV).symlink_to(REPO / toolchain.CHECKOV_VENV, target_is_directory=True)
    base = Path(getattr(sys, "_base_executable", sys.executable))
    # A fresh virtual environment that sees this one's third-party libraries (linked through a .pth path,
    # without this project's own editable install), so the Makefile's pip resolves gitops-gen from the wheel
    # and finds its dependencies already there: nothing is downloaded.
    _run([str(base), "-m", "venv", str(target / ".venv")], tmp_path, env)
    libraries = tmp_path / "libraries"
    libraries.mkdir()
    for folder in (Path(p) for p in sys.path if p.endswith("site-packages")):
        for entry in folder.iterdir():
            if not entry.name.startswith(("gitops_gen", "__editable__", "generator", "_gitops_gen")):
                (libraries / entry.name).symlink_to(entry)
    site = next((target / ".venv/lib").glob("python3*/site-packages"))
    site.joinpath("_project_libraries.pth").write_text(f"{libraries}\n", encoding="utf-8")
    make = ["make", f"PYTHON={base}"]
    rendered = _run([*make, "render"], target, env)
    assert "written" in rendered.stdout
    installed = _run([str(target / ".venv/bin/python"), "-c",
                      "import generator, generator._yamlwalk as w; print(generator.__file__, w.__file__)"], target, env)
    assert str(target / ".venv") in installed.stdout and str(REPO) not in installed.stdout  # the wheel, compiled walk included
    assert "up to date" in _run([*make, "check"], target, env).stdout
    assert "valid: " in _run([*make, "validate"], target, env).stdout
    tested = _run([*make, "test"], target, env)
    assert "0 failed, 0 missing a tool (1 spec roots)" in tested.stdout
    assert (target / "environments.schema.json").is_file()
    # the scaffold's pre-commit hooks, on a git repository of the scaffold
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "init.defaultBranch=main"]
    _run([*git, "init", "-q"], target, env)
    _run([*git, "add", "-A"], target, env)
    hooks = _run([sys.executable, "-m", "pre_commit", "run", "--all-files"], target,
                 {**env, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home")})
    assert "gitops-gen render --check" in hooks.stdout and "Passed" in hooks.stdout
    shutil.rmtree(target / ".venv")
