"""Class 1 of the hostile-input review: the file system is the user's. A render is all or nothing even when
it fails or is killed (the next command completes or rolls back its journal), two renders cannot mix, no
symlink is followed when writing, and every read and write stays inside the root; spec reads accept only
regular files of bounded size."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO, SECURENEXUS, copy_root, tree
from generator import fileset, pipeline, rootfs, transaction

DEPLOYMENT = "rendered/staging/staging/deployment-securenexus.yaml"


def rendered_copy(tmp_path: Path, run_cli, name: str = "root") -> Path:
    root = copy_root(SECURENEXUS, tmp_path / name)
    assert run_cli("render", "--root", str(root)).code == 0
    return root


def outputs(root: Path) -> dict[str, bytes]:
    """The files a render owns or leaves behind (no specs, no lock, no cache of the last write)."""
    return {k: v for k, v in tree(root).items() if not k.startswith(("environments/", ".gitops-gen/", ".gitops-gen-cache/"))}


def change_specs(root: Path) -> None:
    """An edit that rewrites some files, adds an environment and removes others (a Rollout becomes a Deployment)."""
    production = root / "environments/production.yaml"
    text = production.read_text()
    canary = text[text.index("    rollout:\n"):text.index("    expose:\n")]
    production.write_text(text.replace("replicas: 2", "replicas: 3").replace(canary, ""), encoding="utf-8")
    (root / "environments/qa.yaml").write_text((root / "environments/uat.yaml").read_text(), encoding="utf-8")


_EXPECTED: dict[tuple, dict[str, bytes]] = {}


def expected_outputs(root: Path, tmp_path: Path, run_cli) -> dict[str, bytes]:
    """What a render of the root's specs writes into a fresh folder (rendered once per test process for the
    same specs: every test here that asks changes them the same way, with change_specs)."""
    specs = tuple(sorted((spec.name, spec.read_bytes()) for spec in (root / "environments").iterdir()))
    if specs not in _EXPECTED:
        fresh = tmp_path / "fresh"
        (fresh / "environments").mkdir(parents=True)
        for name, data in specs:
            (fresh / "environments" / name).write_bytes(data)
        assert run_cli("render", "--root", str(fresh)).code == 0
        _EXPECTED[specs] = outputs(fresh)
    return _EXPECTED[specs]


# --- failures and kills ------------------------------------------------------------------------------


def test_a_failure_while_staging_leaves_the_previous_tree_intact(tmp_path, run_cli, monkeypatch):
    root = rendered_copy(tmp_path, run_cli)
    change_specs(root)
    before = tree(root)
    calls = []
    real_stage = transaction.stage

    def failing_stage(dir_fd, name, data):
        calls.append(name)
        if len(calls) == 3:
            raise OSError("disk full (simulated)")
        real_stage(dir_fd, name, data)

    monkeypatch.setattr(transaction, "stage", failing_stage)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1
    assert outcome.err == "error: disk full (simulated)\n"
    assert len(calls) == 3
    assert tree(root) == before  # no temp file, no new folder, no journal, no changed file
    assert not (root / "rendered/qa").exists()


def test_a_folder_in_the_way_fails_before_anything_changes(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    change_specs(root)
    (root / "rendered/uat/uat/deployment-securenexus.yaml").unlink()
    (root / "rendered/uat/uat/deployment-securenexus.yaml").mkdir()
    before = tree(root)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1
    assert outcome.err == "error: rendered/uat/uat/deployment-securenexus.yaml: a folder is where a generated file belongs\n"
    assert tree(root) == before


KILLER = """
import os, signal, sys
from generator import cli, transaction
point, after = sys.argv[2], int(sys.argv[3])
count = 0
def trap(original):
    def wrapped(*args, **kwargs):
        global count
        count += 1
        if count > after:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapped
if point == "stage":
    transaction.stage = trap(transaction.stage)
else:
    transaction.os = type("os", (), {n: getattr(os, n) for n in dir(os) if not n.startswith("__")})
    setattr(transaction.os, point, trap(getattr(os, point)))
sys.exit(cli.main(["render", "--root", sys.argv[1]]))
"""

# (where the kill lands, after how many calls): while staging, while renaming, while pruning
# (where the kill lands, after how many calls, the tree the next command must leave): while staging, while
# journaling (the first two renames and fsyncs are the journal's staging entry; the second rename commits),
# while renaming files into place, while pruning stale files and their folders
KILLS = [("stage", 0, "old"), ("stage", 40, "old"), ("fsync", 1, "old"), ("rename", 1, "old"),
         ("rename", 3, "new"), ("unlink", 0, "new"), ("rmdir", 0, "new")]


@pytest.mark.parametrize(("point", "after", "outcome"), KILLS, ids=[f"{p}-{a}" for p, a, _ in KILLS])
def test_after_a_kill_the_next_command_leaves_the_old_or_the_new_tree(tmp_path, run_cli, point, after, outcome):
    root = rendered_copy(tmp_path, run_cli)
    old = outputs(root)
    change_specs(root)
    new = expected_outputs(root, tmp_path, run_cli)
    killed = subprocess.run([sys.executable, "-c", KILLER, str(root), point, str(after)], cwd=REPO,
                            capture_output=True, text=True, timeout=120, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    # the next command, whichever it is, finishes or undoes the interrupted render first
    assert (root / ".gitops-gen/journal.json").exists()  # the kill left a pending write
    checked = run_cli("render", "--check", "--root", str(root))
    assert outputs(root) == {"old": old, "new": new}[outcome]
    assert not (root / ".gitops-gen/journal.json").exists()
    assert not [p for p in outputs(root) if p.endswith(fileset.TMP_SUFFIX)]
    assert checked.code == (0 if outputs(root) == new else 1)
    assert run_cli("render", "--root", str(root)).code == 0
    assert outputs(root) == new


def test_an_edited_journal_cannot_rename_or_delete_files_that_are_not_its_own(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    (root / "environments/notes.txt").write_text("keep me\n", encoding="utf-8")
    (root / transaction.STATE_DIR).mkdir()
    before = tree(root)
    journal = {"version": 1, "state": "committed", "writes": [["environments/notes.txt", DEPLOYMENT]],
               "deletes": [], "created": []}
    (root / ".gitops-gen/journal.json").write_text(json.dumps(journal), encoding="utf-8")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1 and "which is not a temp file next to" in outcome.err
    journal.update(writes=[], deletes=["environments/staging.yaml", "../outside.txt"])
    (root / ".gitops-gen/journal.json").write_text(json.dumps(journal), encoding="utf-8")
    assert run_cli("render", "--root", str(root)).code == 1
    (root / ".gitops-gen/journal.json").unlink()
    assert tree(root) == before
    journal.update(deletes=["environments/staging.yaml"])  # inside the root, but not a generated file
    (root / ".gitops-gen/journal.json").write_text(json.dumps(journal), encoding="utf-8")
    assert run_cli("render", "--root", str(root)).code == 0
    assert (root / "environments/staging.yaml").read_bytes() == before["environments/staging.yaml"]


# --- concurrency -------------------------------------------------------------------------------------


def test_two_renders_at_once_do_not_mix(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    change_specs(root)
    new = expected_outputs(root, tmp_path, run_cli)
    command = [sys.executable, "-m", "generator", "render", "--root", str(root)]
    procs = [subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(3)]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0, 0], results
    assert outputs(root) == new


def test_a_render_waits_for_the_lock_of_another(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    session = transaction.Session(root, write=True).__enter__()
    done = []
    worker = threading.Thread(target=lambda: done.append(
        subprocess.run([sys.executable, "-m", "generator", "render", "--root", str(root)], cwd=REPO,
                       capture_output=True, timeout=120, check=False).returncode))
    worker.start()
    time.sleep(1.5)
    assert done == []  # still waiting for the lock
    session.__exit__(None, None, None)
    worker.join(timeout=120)
    assert done == [0]


# --- symlinks and confinement ------------------------------------------------------------------------


def test_a_symlink_at_a_temp_or_target_name_is_not_followed(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    outside = tmp_path / "outside.txt"
    outside.write_text("untouched\n", encoding="utf-8")
    target = root / DEPLOYMENT
    target.unlink()
    target.symlink_to(outside)
    (target.parent / (target.name + fileset.TMP_SUFFIX)).symlink_to(outside)  # the old fixed temp name
    assert run_cli("render", "--root", str(root)).code == 0
    assert outside.read_text() == "untouched\n"
    assert not target.is_symlink() and target.read_text().startswith(fileset.MARKER)


@pytest.mark.parametrize("folder", ["rendered", "rendered/staging", "overlays", "base", "charts/securenexus"])
def test_a_symlinked_output_folder_is_refused(tmp_path, run_cli, folder):
    root = rendered_copy(tmp_path, run_cli)
    change_specs(root)
    elsewhere = tmp_path / "elsewhere"
    (root / folder).rename(elsewhere)
    (root / folder).symlink_to(elsewhere, target_is_directory=True)
    before_outside, before = tree(elsewhere), tree(root)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 1
    assert outcome.err.startswith(f"error: {folder}: is a symlink")
    assert tree(elsewhere) == before_outside and tree(root) == before


@pytest.mark.parametrize("extends", ["../../outside.yaml", "/etc/hostname", "../../../../../../etc/passwd"])
def test_extends_cannot_leave_the_root(tmp_path, run_cli, extends):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (tmp_path / "outside.yaml").write_text("system: stolen\n", encoding="utf-8")
    staging = root / "environments/staging.yaml"
    staging.write_text(staging.read_text().replace("extends: _defaults.yaml", f"extends: [_defaults.yaml, {extends!r}]"))
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "extends[1]: extends" in outcome.err and "layers live inside the root" in outcome.err
    assert "stolen" not in outcome.err and not (root / "rendered").exists()


def test_a_symlinked_layer_or_spec_is_refused(tmp_path, run_cli):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    outside = tmp_path / "defaults.yaml"
    (root / "environments/_defaults.yaml").rename(outside)
    (root / "environments/_defaults.yaml").symlink_to(outside)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2
    assert "environments/_defaults.yaml: cannot read: is a symlink" in outcome.err
    (root / "environments/_defaults.yaml").unlink()
    (root / "environments/_defaults.yaml").write_bytes(outside.read_bytes())
    (root / "environments/qa.yaml").symlink_to(root / "environments/uat.yaml")
    assert "environments/qa.yaml: cannot read: is a symlink" in run_cli("render", "--root", str(root)).err


def test_a_symlinked_environments_folder_is_refused(tmp_path, run_cli):
    specs = copy_root(SECURENEXUS, tmp_path / "real") / "environments"
    root = tmp_path / "root"
    root.mkdir()
    (root / "environments").symlink_to(specs, target_is_directory=True)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and "environments/: is a symlink" in outcome.err
    assert sorted(p.name for p in root.iterdir()) == ["environments"]


def test_a_fifo_spec_does_not_hang(tmp_path, run_cli):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    os.mkfifo(root / "environments/qa.yaml")
    started = time.monotonic()
    outcome = run_cli("render", "--root", str(root))
    assert time.monotonic() - started < 30
    assert outcome.code == 2 and "environments/qa.yaml: cannot read: not a regular file" in outcome.err


def test_a_device_or_huge_spec_is_refused_without_reading_it_all(tmp_path, run_cli):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / "environments/zero.yaml").symlink_to("/dev/zero")
    assert "environments/zero.yaml: cannot read: is a symlink" in run_cli("render", "--root", str(root)).err
    (root / "environments/zero.yaml").unlink()
    with (root / "environments/big.yaml").open("wb") as handle:
        handle.truncate(64 << 20)  # sparse: no disk used
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and "environments/big.yaml: cannot read: larger than 8388608 bytes" in outcome.err


@pytest.mark.parametrize("rel", ["../x", "/etc/passwd", "a/../../x", "", "a\\b"])
def test_paths_outside_the_root_are_refused(rel):
    with pytest.raises(rootfs.UnsafePath):
        rootfs.parts(rootfs.normalize(rel) if rel and not rel.startswith("/") and ".." in rel else rel)


def test_a_folder_swapped_for_a_symlink_is_not_followed(tmp_path):
    root = tmp_path / "root"
    (root / "a").mkdir(parents=True)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret").write_text("no\n", encoding="utf-8")
    root_fd = rootfs.open_root(root)
    try:
        (root / "a").rmdir()
        (root / "a").symlink_to(outside, target_is_directory=True)
        with pytest.raises(rootfs.UnsafePath):
            rootfs.read_bytes(root_fd, "a/secret", 100)
        with pytest.raises(rootfs.UnsafePath):
            rootfs.open_dir(root_fd, ["a"], create=True)
    finally:
        os.close(root_fd)


def test_check_on_a_fresh_root_creates_nothing(tmp_path, run_cli):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    before = tree(root)
    assert run_cli("render", "--check", "--root", str(root)).code == 1
    validated = run_cli("validate", "--root", str(root))
    assert validated.code == 2 and "run `gitops-gen render` first" in validated.err
    assert tree(root) == before and not (root / ".gitops-gen").exists()


def test_the_plan_reads_generated_files_without_following_symlinks(tmp_path, run_cli):
    root = rendered_copy(tmp_path, run_cli)
    result = pipeline.render(root)
    outside = tmp_path / "outside.yaml"
    outside.write_text(result.files[DEPLOYMENT], encoding="utf-8")
    (root / DEPLOYMENT).unlink()
    (root / DEPLOYMENT).symlink_to(outside)  # same bytes behind a symlink still count as different
    assert list(fileset.plan(root, result.files, pipeline.MANAGED).writes) == [DEPLOYMENT]
