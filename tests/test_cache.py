"""The no-op fast path (generator.cache): a manifest written after a successful render answers the next
no-op render without running the pipeline, and anything that could change the answer makes the CLI render
in full: an edited, removed, replaced or extra generated file, an edited or added spec, another generator
or dependency. It is never written by --check, nor with --no-cache, nor outside the root."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import FIXTURES, REPO, copy_root
from generator import cache, entry

DEPLOYMENT = "rendered/staging/staging/deployment-securenexus.yaml"


def _gitops(*args: str) -> subprocess.CompletedProcess:
    """The real process entry (generator.entry), where the fast path lives."""
    return subprocess.run([sys.executable, "-m", "generator", *args], capture_output=True, text=True, cwd=REPO,
                          check=False)


@pytest.fixture
def rendered(root, run_cli):
    assert run_cli("render", "--root", str(root)).code == 0
    assert cache.fresh(root) is not None
    return root


def test_a_render_leaves_a_manifest_that_answers_the_next_no_op(rendered, run_cli, capsys):
    manifest = cache.fresh(rendered)
    assert (rendered / cache.FOLDER / "manifest.json").is_file()
    assert DEPLOYMENT in manifest["outputs"] and "environments/staging.yaml" in manifest["inputs"]
    check = _gitops("render", "--check", "--root", str(rendered))
    assert check.returncode == 0 and check.stdout.startswith("up to date: ")
    assert check.stdout == f"{entry.up_to_date(manifest['summary']['files'])}\n"
    assert entry.cached_render(["render", "--check", "--root", str(rendered)]) == 0
    assert capsys.readouterr().out == check.stdout
    assert entry.cached_render(["render", "--check", "--no-cache", "--root", str(rendered)]) is None
    # the CLI in-process renders in full and says the same
    assert run_cli("render", "--check", "--root", str(rendered)).out == check.stdout


@pytest.mark.parametrize("edit", ["content", "content-same-size-and-mtime", "remove", "extra", "symlink"])
def test_any_change_to_a_generated_file_means_a_full_render(rendered, edit):
    target = rendered / DEPLOYMENT
    if edit == "content":
        target.write_text(target.read_text() + "# edited\n")
    elif edit == "content-same-size-and-mtime":
        info = target.stat()
        text = target.read_text()
        target.write_text(text.replace("securenexus", "securenexuz", 1))
        os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
        assert target.stat().st_size == info.st_size and target.stat().st_mtime_ns == info.st_mtime_ns
    elif edit == "remove":
        target.unlink()
    elif edit == "extra":
        (target.parent / "notes.md").write_text("hand-written\n")
    else:
        text = target.read_text()
        target.unlink()
        (rendered / "elsewhere.yaml").write_text(text)
        target.symlink_to(rendered / "elsewhere.yaml")
    assert cache.fresh(rendered) is None
    check = _gitops("render", "--check", "--root", str(rendered))
    assert check.returncode == 1, check.stdout
    assert DEPLOYMENT in check.stderr or "notes.md" in check.stderr


def test_an_edited_or_added_spec_means_a_full_render(rendered):
    spec = rendered / "environments/staging.yaml"
    spec.write_text(spec.read_text() + "\n# a comment changes nothing rendered, but the spec differs\n")
    assert cache.fresh(rendered) is None
    assert _gitops("render", "--check", "--root", str(rendered)).returncode == 0  # full render: still up to date
    (rendered / "environments/qa.yaml").write_text("extends: _defaults.yaml\n")
    assert cache.fresh(rendered) is None


def test_another_generator_or_dependency_means_a_full_render(rendered, monkeypatch):
    monkeypatch.setattr(cache, "_package_digest", lambda: "another generator")
    assert cache.fresh(rendered) is None
    monkeypatch.undo()
    monkeypatch.setattr(cache, "_distributions", lambda: ["/site-packages/pyyaml-99.0.dist-info"])
    assert cache.fresh(rendered) is None


def test_a_hand_made_or_broken_manifest_is_ignored(rendered):
    manifest = rendered / cache.FOLDER / "manifest.json"
    for text in ("", "{", "[]", '{"format": 1}', manifest.read_text().replace('"outputs":{', '"outputs":{"x":1,')):
        manifest.write_text(text)
        assert cache.fresh(rendered) is None
        assert _gitops("render", "--check", "--root", str(rendered)).returncode == 0


def test_check_and_no_cache_write_no_manifest(root, run_cli):
    assert run_cli("render", "--root", str(root), "--no-cache").code == 0
    assert not (root / cache.FOLDER).exists()
    assert run_cli("render", "--check", "--root", str(root)).code == 0
    assert not (root / cache.FOLDER).exists()
    assert _gitops("render", "--check", "--no-cache", "--root", str(root)).returncode == 0
    assert not (root / cache.FOLDER).exists()


def test_the_cache_is_never_written_through_a_symlink(root, run_cli, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (root / cache.FOLDER).symlink_to(outside)
    assert run_cli("render", "--root", str(root)).code == 0
    assert list(outside.iterdir()) == []
    assert cache.fresh(root) is None


def test_a_failed_render_changes_nothing_and_leaves_no_stale_manifest(rendered, run_cli):
    spec = rendered / "environments/staging.yaml"
    spec.write_text(spec.read_text() + "bogus: 1\n")
    failed = run_cli("render", "--root", str(rendered))
    assert failed.code == 2 and "bogus" in failed.err
    assert cache.fresh(rendered) is None
    assert _gitops("render", "--check", "--root", str(rendered)).returncode == 2


def test_an_edited_configmap_file_means_a_full_render(tmp_path, run_cli):
    root = copy_root(FIXTURES / "podinfo", tmp_path / "podinfo")
    assert run_cli("render", "--root", str(root)).code == 0
    manifest = cache.fresh(root)
    assert manifest is not None and "environments/files/redis.conf" in manifest["inputs"]
    conf = root / "environments/files/redis.conf"
    conf.write_text(conf.read_text(encoding="utf-8") + "maxclients 100\n", encoding="utf-8")
    assert cache.fresh(root) is None
    check = _gitops("render", "--check", "--root", str(root))
    assert check.returncode == 1 and "configmap" in check.stderr, check.stderr  # the full render sees it
