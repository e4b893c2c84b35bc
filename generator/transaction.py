"""The write path: one command at a time per root, and a render that is all or nothing even when killed.

A ``Session`` holds an exclusive lock (``flock`` on the root folder itself) for a whole writing command,
so two renders never interleave; read-only commands take it shared. A write (``Session.apply``) goes:

1. journal ``staging`` (``.gitops-gen/journal.json``, the folder exists only while a write is pending): the planned temp names, renames, deletes and the folders it will create;
2. stage: each new content into a fresh temp file next to its target, created with
   ``O_CREAT|O_EXCL|O_NOFOLLOW`` under a random name (never an existing file, never through a symlink);
   any failure here (disk full, a read-only folder, a folder in the way, a symlinked folder) removes the
   temp files and created folders again: the tree is exactly as before;
3. journal ``committed`` (atomic rename, fsynced);
4. rename every temp file onto its target, remove the stale files, drop the journal.

The next command finds a journal left by a killed one and finishes it: ``staging`` is rolled back,
``committed`` is rolled forward. So after any kill the tree is the old or the new one, at the latest once
the next command has run. A journal is input like any other file: its paths are checked to stay under the
root, renames only move this module's temp files, deletes only remove files carrying the generated header.
Every path goes through ``generator.rootfs``: no symlink is followed, nothing outside the root is touched.
File contents are not fsynced (a kill loses nothing the kernel holds; a power cut is what git is for);
the journal is.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import secrets
from pathlib import Path

from generator import fileset, rootfs

STATE_DIR = ".gitops-gen"
_JOURNAL = "journal.json"
_TMP = re.compile(r"^\.[^/]+\.[0-9a-f]{16}" + re.escape(fileset.TMP_SUFFIX) + "$")
_MAX_JOURNAL = 256 << 20


class JournalError(OSError):
    """A journal that this module did not write (or that was edited): nothing is done with it."""

    def __init__(self, message: str):
        super().__init__(errno.EINVAL, f"{message}; remove {STATE_DIR}/{_JOURNAL} after checking the tree with git", f"{STATE_DIR}/{_JOURNAL}")


def _tmp_name(target: str) -> str:
    folder, _, name = target.rpartition("/")
    tmp = f".{name}.{secrets.token_hex(8)}{fileset.TMP_SUFFIX}"
    return f"{folder}/{tmp}" if folder else tmp


class Session:
    """A lock on ``root`` for one command; ``apply`` is only allowed when it was opened for writing."""

    def __init__(self, root: Path, *, write: bool):
        self.root = root
        self.write = write
        self.root_fd = -1
        self.state_fd = -1

    def __enter__(self) -> "Session":
        self.root_fd = rootfs.open_root(self.root)
        try:
            # the lock is on the root folder itself: a command that fails on the specs leaves no file behind
            fcntl.flock(self.root_fd, fcntl.LOCK_EX if self.write else fcntl.LOCK_SH)
            self._open_state(create=False)
            if self.state_fd >= 0 and self._journal_exists():
                if not self.write:
                    fcntl.flock(self.root_fd, fcntl.LOCK_EX)
                if self._journal_exists():
                    self._recover()
                if not self.write:
                    fcntl.flock(self.root_fd, fcntl.LOCK_SH)
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def __exit__(self, *exc) -> None:
        for fd in (self.state_fd, self.root_fd):
            if fd >= 0:
                os.close(fd)  # closing the root's descriptor releases the lock
        self.root_fd = self.state_fd = -1

    def _open_state(self, *, create: bool) -> None:
        if self.state_fd < 0:
            try:
                self.state_fd = rootfs.open_dir(self.root_fd, [STATE_DIR], create=create)
            except FileNotFoundError:
                self.state_fd = -1

    # --- journal -------------------------------------------------------------------------------------

    def _journal_exists(self) -> bool:
        try:
            os.stat(_JOURNAL, dir_fd=self.state_fd, follow_symlinks=False)
            return True
        except FileNotFoundError:
            return False

    def _write_journal(self, entry: dict) -> None:
        tmp = f"{_JOURNAL}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=self.state_fd)
        try:
            os.write(fd, json.dumps(entry, separators=(",", ":")).encode())
            os.fsync(fd)
        finally:
            os.close(fd)
        os.rename(tmp, _JOURNAL, src_dir_fd=self.state_fd, dst_dir_fd=self.state_fd)
        os.fsync(self.state_fd)

    def _drop_journal(self) -> None:
        os.unlink(_JOURNAL, dir_fd=self.state_fd)
        for name in os.listdir(self.state_fd):
            if name.startswith(f"{_JOURNAL}.") and name.endswith(".tmp"):  # a journal write that was killed
                os.unlink(name, dir_fd=self.state_fd)
        try:
            os.rmdir(STATE_DIR, dir_fd=self.root_fd)  # nothing pending: no state left in the root
        except OSError:
            pass

    def _read_journal(self) -> dict:
        try:
            entry = json.loads(rootfs.read_at(self.state_fd, _JOURNAL, f"{STATE_DIR}/{_JOURNAL}", _MAX_JOURNAL))
            assert entry["version"] == 1 and entry["state"] in ("staging", "committed")
            writes = [(rootfs.normalize(t), rootfs.normalize(g)) for t, g in entry["writes"]]
            deletes = [rootfs.normalize(d) for d in entry["deletes"]]
            created = [rootfs.normalize(d) for d in entry["created"]]
        except (OSError, ValueError, KeyError, TypeError, AssertionError):
            raise JournalError("unreadable or foreign journal of an interrupted render") from None
        for tmp, target in writes:
            folder, _, name = tmp.rpartition("/")
            if folder != target.rpartition("/")[0] or not _TMP.match(name):
                raise JournalError(f"the journal renames {tmp!r}, which is not a temp file next to {target!r}")
        return {"state": entry["state"], "writes": writes, "deletes": deletes, "created": created}

    def _recover(self) -> None:
        entry = self._read_journal()
        if entry["state"] == "committed":
            self._roll_forward(entry["writes"], entry["deletes"])
        else:
            self._roll_back(entry["writes"], entry["created"])
        self._drop_journal()

    # --- the write -----------------------------------------------------------------------------------

    def apply(self, change: fileset.Plan) -> None:
        """Write ``change`` (a plan made under this session's lock) all or nothing."""
        assert self.write, "a read-only session cannot write"
        if not change.writes and not change.deletes:
            return
        writes = [(_tmp_name(target), target) for target in change.writes]
        created = self._preflight(change)
        self._open_state(create=True)
        self._write_journal({"version": 1, "state": "staging", "writes": writes, "deletes": list(change.deletes), "created": created})
        try:
            self._stage(writes, change.writes)
        except BaseException:
            self._roll_back(writes, created)
            self._drop_journal()
            raise
        self._write_journal({"version": 1, "state": "committed", "writes": writes, "deletes": list(change.deletes), "created": created})
        self._roll_forward(writes, list(change.deletes))
        self._drop_journal()

    def _preflight(self, change: fileset.Plan) -> list[str]:
        """Refuse a folder or a symlinked folder in the way; the folders that staging will create."""
        missing: set[str] = set()
        known: dict[str, str | None] = {}
        with rootfs.Folders(self.root_fd) as folders:  # each folder opened once, not once per file
            for target in change.writes:
                if folders.kind(target) == "dir":
                    raise rootfs.UnsafePath(target, "a folder is where a generated file belongs")
                folder = target.rpartition("/")[0]
                while folder:
                    if folder not in known:
                        known[folder] = rootfs.kind(self.root_fd, folder)
                    if known[folder] == "dir":
                        break
                    if known[folder] is not None:
                        raise rootfs.UnsafePath(folder, "is a symlink or a file where a generated folder belongs")
                    missing.add(folder)
                    folder = folder.rpartition("/")[0]
        return sorted(missing, key=lambda d: (d.count("/"), d))

    def _stage(self, writes: list[tuple[str, str]], texts: dict[str, str]) -> None:
        by_folder: dict[str, list[tuple[str, str]]] = {}
        for tmp, target in writes:
            by_folder.setdefault(tmp.rpartition("/")[0], []).append((tmp, target))
        for folder, items in by_folder.items():
            dir_fd = rootfs.open_dir(self.root_fd, rootfs.parts(folder), create=True) if folder else os.dup(self.root_fd)
            try:
                for tmp, target in items:
                    stage(dir_fd, tmp.rpartition("/")[2], texts[target].encode("utf-8"))
            finally:
                os.close(dir_fd)

    def _roll_forward(self, writes: list[tuple[str, str]], deletes: list[str]) -> None:
        with rootfs.Folders(self.root_fd) as folders:
            for tmp, target in writes:
                dir_fd, name = folders.parent(tmp)
                try:
                    os.rename(name, target.rpartition("/")[2], src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
                except FileNotFoundError:
                    pass  # renamed before the kill
        for rel in deletes:
            try:
                with rootfs.parent(self.root_fd, rel) as (dir_fd, name):
                    if fileset.is_generated(dir_fd, name):
                        os.unlink(name, dir_fd=dir_fd)
            except FileNotFoundError:
                continue
            self._remove_empty_parents(rel)

    def _roll_back(self, writes: list[tuple[str, str]], created: list[str]) -> None:
        for tmp, _ in writes:
            try:
                with rootfs.parent(self.root_fd, tmp) as (dir_fd, name):
                    os.unlink(name, dir_fd=dir_fd)
            except FileNotFoundError:
                pass
        for folder in reversed(created):
            self._rmdir(folder)

    def _remove_empty_parents(self, rel: str) -> None:
        folder = rel.rpartition("/")[0]
        while folder and self._rmdir(folder):
            folder = folder.rpartition("/")[0]

    def _rmdir(self, folder: str) -> bool:
        try:
            with rootfs.parent(self.root_fd, folder) as (dir_fd, name):
                os.rmdir(name, dir_fd=dir_fd)
            return True
        except OSError:
            return False


def stage(dir_fd: int, name: str, data: bytes) -> None:
    """Write ``data`` into a new file ``name`` of an open folder (never an existing file or a symlink)."""
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)


def write(root: Path, change: fileset.Plan) -> None:
    """Apply a plan in a session of its own (for callers that plan and write in one step, like tests)."""
    with Session(root, write=True) as session:
        session.apply(change)
