"""Shared fixtures: the fixture spec roots under tests/fixtures/, temporary copies of them, renders of them
shared by the tests that only read them, and an in-process CLI runner; and the order in which tests start.

Generator tests never read the repository's own specs (environments/, examples/): a team edits those, and its
tests must stay green. They use the fixture roots here instead; the repository's own trees are checked by
`gitops-gen test`, whose checks hold for any content.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator import cli, fileset, pipeline

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests/fixtures"
SECURENEXUS = FIXTURES / "securenexus"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "starts_first: runs for tens of seconds; collected first (see below)")
    # pytest-xdist registers it too; here for runs without the plugin (-p no:xdist)
    config.addinivalue_line("markers", "xdist_group(name): tests that run in one pytest-xdist worker (render_group)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests marked ``starts_first`` (each runs for tens of seconds) go first, in collection order, the others
    after them in theirs: pytest-xdist hands tests out in this order, so every long test starts early and the
    run ends on short ones instead of one worker finishing a long test alone."""
    items.sort(key=lambda item: item.get_closest_marker("starts_first") is None)


@dataclass
class Run:
    code: int
    out: str
    err: str


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def run_cli(capsys):
    """Run the CLI in-process: run_cli('render', '--root', str(path)) -> Run(code, out, err)."""

    def run(*args: str) -> Run:
        code = cli.main(list(args))
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


def copy_root(source: Path, target: Path) -> Path:
    """Copy a spec root's environments/ (and only that) into ``target``."""
    shutil.copytree(source / "environments", target / "environments")
    return target


@pytest.fixture
def root(tmp_path) -> Path:
    """A fresh copy of the SecureNexus fixture root, not yet rendered."""
    return copy_root(SECURENEXUS, tmp_path / "root")


def tree(path: Path) -> dict[str, bytes]:
    """Every file under ``path`` with its bytes (for before/after comparisons)."""
    return {p.relative_to(path).as_posix(): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


def spec_roots() -> list[Path]:
    """Every fixture spec root: tests/fixtures/<system>/ holding environments/."""
    return sorted(p.parent for p in FIXTURES.glob("*/environments") if p.is_dir())


def root_id(path: Path) -> str:
    return path.name


def render_copy(specs: Path, target: Path) -> tuple[Path, pipeline.Result]:
    """Copy ``specs``/environments to ``target`` and render (write) every tree there."""
    copy_root(specs, target)
    result = pipeline.render(target)
    fileset.apply(target, fileset.plan(target, result.files, pipeline.MANAGED))
    return target, result


def copy_rendered(root: Path, target: Path) -> Path:
    """A copy of a rendered root (specs, generated files, the render's state folder) for a test that writes."""
    shutil.copytree(root, target, symlinks=True)
    return target


class SharedRenders:
    """Renders made once per test process and read by many tests: ``renders(specs)`` is ``render_copy(specs,
    ...)`` the first time and the same (root, result) after; ``key`` names a render whose specs a test writes
    itself (a variant). Tests only read these roots (a test that writes copies one first, ``copy_rendered``);
    ``changed()`` names every shared root whose files differ from what its render wrote."""

    def __init__(self, factory: pytest.TempPathFactory):
        self._factory = factory
        self._renders: dict[object, tuple[Path, pipeline.Result]] = {}
        self._trees: dict[object, dict[str, bytes]] = {}

    def __call__(self, specs: Path, key: object = None) -> tuple[Path, pipeline.Result]:
        key = specs if key is None else key
        if key not in self._renders:
            root, result = render_copy(specs, self._factory.mktemp("shared-render") / "root")
            self._renders[key] = root, result
            self._trees[key] = tree(root)
        return self._renders[key]

    def changed(self) -> list[str]:
        return [f"{root} ({key})" for key, (root, _) in self._renders.items() if tree(root) != self._trees[key]]


@pytest.fixture(scope="session")
def shared_renders(tmp_path_factory):
    """One render of each spec root per test process (pytest-xdist worker), shared by the tests that only read
    it; at the end of the session every shared root must still hold exactly what its render wrote."""
    renders = SharedRenders(tmp_path_factory)
    yield renders
    changed = renders.changed()
    assert not changed, f"a test wrote into a shared render (copy it with copy_rendered first): {changed}"


def render_group(name: str):
    """The pytest-xdist group (make test runs --dist loadgroup) of the tests that share one render: they run
    in the same worker, so the render is made once."""
    return pytest.mark.xdist_group(f"render-{name}")
