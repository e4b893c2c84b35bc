"""Shared fixtures: the fixture spec roots under tests/fixtures/, temporary copies of them, renders of them
shared by the tests that only read them, and an in-process CLI runner; and the order in which tests start.

Generator tests never read the repository's own specs (environments/, examples/): a team edits those, and its
tests must stay green. They use the fixture roots here instead; the repository's own trees are checked by
`gitops-gen test`, whose checks hold for any content.
"""

from __future__ import annotations

import fcntl
import hashlib
import pickle
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


def _digest(files: dict[str, bytes]) -> str:
    return hashlib.sha256(pickle.dumps(sorted(files.items()))).hexdigest()


class SharedRenders:
    """Renders shared by every test of the session, in every pytest-xdist worker: ``renders(specs)`` is
    ``render_copy(specs, ...)`` the first time the session sees those specs (the content of specs/environments/:
    a render reads nothing else) and the same rendered root and result after, in whichever worker. Tests only
    read these roots (a test that writes copies one first, ``copy_rendered``); ``changed()`` names every
    shared root this process used whose files differ from what its render wrote."""

    def __init__(self, folder: Path):
        self._folder = folder
        self._used: dict[str, tuple[Path, pipeline.Result]] = {}

    def __call__(self, specs: Path) -> tuple[Path, pipeline.Result]:
        key = _digest(tree(specs / "environments"))[:24]
        if key not in self._used:
            entry = self._folder / key
            with open(self._folder / f"{key}.lock", "w") as lock:
                fcntl.flock(lock, fcntl.LOCK_EX)  # one worker renders, the others wait for it
                if not (entry / "rendered.digest").is_file():
                    shutil.rmtree(entry, ignore_errors=True)  # what an interrupted render left
                    root, result = render_copy(specs, entry / "root")
                    (entry / "result.pickle").write_bytes(pickle.dumps(result))
                    (entry / "rendered.digest").write_text(_digest(tree(root)), encoding="utf-8")
            self._used[key] = entry / "root", pickle.loads((entry / "result.pickle").read_bytes())
        return self._used[key]

    def changed(self) -> list[str]:
        return [str(root) for key, (root, _) in self._used.items()
                if _digest(tree(root)) != (self._folder / key / "rendered.digest").read_text(encoding="utf-8")]


@pytest.fixture(scope="session")
def shared_renders(request, tmp_path_factory):
    """One render of each spec root for the whole session (the xdist workers share a temporary folder), for the
    tests that only read it; at the end every shared root must still hold exactly what its render wrote."""
    base = tmp_path_factory.getbasetemp()
    # an xdist worker's basetemp is a folder of its session's (workerinput: not PYTEST_XDIST_WORKER, which a
    # pytest run started by a test, as in test_repository_checks, inherits from its worker)
    folder = (base.parent if hasattr(request.config, "workerinput") else base) / "shared-renders"
    folder.mkdir(exist_ok=True)
    renders = SharedRenders(folder)
    yield renders
    changed = renders.changed()
    assert not changed, f"a test wrote into a shared render (copy it with copy_rendered first): {changed}"
