"""File access confined to one root folder: every path is relative, resolved one component at a time
through directory file descriptors opened with ``O_NOFOLLOW``, so no symlink is ever followed and no path
can leave the root, whatever the tree holds (``..``, absolute names, symlinked folders or files, a folder
swapped for a symlink between two calls). Reads accept only regular files and at most a bounded number of
bytes, so a FIFO cannot hang a command and ``/dev/zero`` cannot exhaust memory.

This module is the one place that opens paths under a root; ``generator.load`` reads specs through it,
``generator.fileset`` and ``generator.transaction`` compare and write generated files through it.
"""

from __future__ import annotations

import errno
import os
import posixpath
import stat
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

_DIR_FLAGS = os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC
_READ_FLAGS = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC


class UnsafePath(OSError):
    """A path that would leave the root, pass through a symlink or is not the kind of file expected."""

    def __init__(self, rel: str, message: str):
        super().__init__(errno.EPERM, message, rel)
        self.rel = rel
        self.message = message

    def __str__(self) -> str:
        return f"{self.rel}: {self.message}"


def parts(rel: str) -> list[str]:
    """The components of a relative POSIX path; raise UnsafePath for absolute paths and any '..'."""
    if not rel or rel.startswith("/") or "\\" in rel or "\0" in rel:
        raise UnsafePath(rel or ".", "not a relative path inside the root")
    found = [p for p in rel.split("/") if p not in ("", ".")]
    if not found or ".." in found:
        raise UnsafePath(rel, "leaves the root ('..')")
    return found


def normalize(rel: str) -> str:
    """``a/./b/../c`` -> ``a/c``; raise UnsafePath when the result would leave the root."""
    if rel.startswith("/"):
        raise UnsafePath(rel, "an absolute path: paths are relative to the root")
    norm = posixpath.normpath(rel)
    if norm == ".." or norm.startswith("../"):
        raise UnsafePath(rel, "leaves the root ('..')")
    parts(norm)
    return norm


def _fail(rel: str, err: OSError) -> OSError:
    if err.errno in (errno.ELOOP, errno.ENOTDIR):
        return UnsafePath(rel, "is a symlink or passes through one (or a file where a folder is expected)")
    err.filename = rel
    return err


def open_root(root: Path) -> int:
    """A descriptor of the root folder itself (the root may be reached through symlinks: it is the user's)."""
    return os.open(root, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)


def open_dir(root_fd: int, rel_parts: list[str], *, create: bool = False, created: list | None = None) -> int:
    """A descriptor of the folder ``rel_parts`` under ``root_fd``, never following a symlink. With
    ``create``, missing folders are made (and their relative paths appended to ``created``)."""
    fd = os.dup(root_fd)
    walked: list[str] = []
    try:
        for name in rel_parts:
            walked.append(name)
            try:
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                if not create:
                    raise
                os.mkdir(name, 0o755, dir_fd=fd)
                if created is not None:
                    created.append("/".join(walked))
                child = os.open(name, _DIR_FLAGS, dir_fd=fd)
            os.close(fd)
            fd = child
        return fd
    except OSError as err:
        os.close(fd)
        raise _fail("/".join(walked), err) from None


@contextmanager
def parent(root_fd: int, rel: str, *, create: bool = False, created: list | None = None) -> Iterator[tuple[int, str]]:
    """(descriptor of the folder holding ``rel``, file name), the descriptor closed afterwards."""
    names = parts(rel)
    fd = open_dir(root_fd, names[:-1], create=create, created=created)
    try:
        yield fd, names[-1]
    finally:
        os.close(fd)


def read_bytes(root_fd: int, rel: str, limit: int) -> bytes:
    """The content of the regular file ``rel``; raise UnsafePath for anything else or more than ``limit``
    bytes, FileNotFoundError when it does not exist."""
    with parent(root_fd, rel) as (dir_fd, name):
        return read_at(dir_fd, name, rel, limit)


def read_at(dir_fd: int, name: str, rel: str, limit: int) -> bytes:
    """``read_bytes`` of the entry ``name`` of an open folder (``rel`` names it in errors)."""
    try:
        fd = os.open(name, _READ_FLAGS, dir_fd=dir_fd)
    except OSError as err:
        raise _fail(rel, err) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise UnsafePath(rel, "not a regular file")
        if info.st_size > limit:
            raise UnsafePath(rel, f"larger than {limit} bytes")
        chunks, size = [], 0
        while chunk := os.read(fd, min(1 << 20, limit + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
            if size > limit:
                raise UnsafePath(rel, f"larger than {limit} bytes")
        return b"".join(chunks)
    finally:
        os.close(fd)


def kind(root_fd: int, rel: str) -> str | None:
    """'file', 'dir', 'link' or 'other' for what is at ``rel`` (not following it), None when nothing is."""
    try:
        with parent(root_fd, rel) as (dir_fd, name):
            mode = os.stat(name, dir_fd=dir_fd, follow_symlinks=False).st_mode
    except FileNotFoundError:
        return None
    return _kind(mode)


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "link"
    return "file" if stat.S_ISREG(mode) else "dir" if stat.S_ISDIR(mode) else "other"


def walk(root_fd: int, rel: str) -> Iterator[tuple[str, list[str], int]]:
    """(folder path, entries that are not folders, folder descriptor) for ``rel`` and every folder under
    it, sorted, without entering symlinks; nothing when ``rel`` is missing."""
    try:
        fd = open_dir(root_fd, parts(rel))
    except FileNotFoundError:
        return
    try:
        for top, dirs, files, dir_fd in os.fwalk(".", dir_fd=fd, follow_symlinks=False):
            dirs.sort()
            prefix = rel if top == "." else f"{rel}/{top[2:]}"
            yield prefix, sorted(files), dir_fd
    finally:
        os.close(fd)


class Folders:
    """The open folder of the last path asked for, reused while consecutive paths share it (a write of
    thousands of files opens each folder once instead of once per file); same checks as ``parent`` and
    ``kind``. A context manager: the descriptor is closed at the end."""

    def __init__(self, root_fd: int):
        self.root_fd = root_fd
        self.key: tuple[str, ...] | None = None
        self.fd = -1  # -1: not open; -2: the folder does not exist

    def __enter__(self) -> "Folders":
        return self

    def __exit__(self, *exc) -> None:
        self._close()

    def _close(self) -> None:
        if self.fd >= 0:
            os.close(self.fd)
        self.fd, self.key = -1, None

    def _open(self, rel: str) -> tuple[int, str]:
        names = parts(rel)
        key = tuple(names[:-1])
        if key != self.key:
            self._close()
            try:
                self.fd = open_dir(self.root_fd, names[:-1])
            except FileNotFoundError:
                self.fd = -2
            self.key = key
        return self.fd, names[-1]

    def parent(self, rel: str) -> tuple[int, str]:
        """(descriptor of the folder holding ``rel``, file name), as ``parent``; FileNotFoundError when the
        folder does not exist."""
        fd, name = self._open(rel)
        if fd == -2:
            raise FileNotFoundError(errno.ENOENT, "No such file or directory", rel.rpartition("/")[0])
        return fd, name

    def kind(self, rel: str) -> str | None:
        """``kind(root_fd, rel)``."""
        fd, name = self._open(rel)
        if fd == -2:
            return None
        try:
            mode = os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode
        except FileNotFoundError:
            return None
        return _kind(mode)
