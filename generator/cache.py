"""The no-op fast path of ``gitops-gen render``: a manifest of the last successful write, and the proof,
without importing or running the pipeline, that nothing it depends on has changed since.

After a render has written the tree (``record``), ``.gitops-gen-cache/manifest.json`` holds:

- a key: the digest of every file of the generator package, of the names of the installed distributions
  (their versions) and of the Python version;
- the inputs: the listing of ``environments/`` and the digest of every spec file the environments were
  layered from;
- the outputs: for every generated file, what ``lstat`` said right after the write (size, mtime, ctime,
  inode), the exact set of files in the managed folders, and the digest of the content of each file whose
  ctime is too close to the manifest's own to tell a later edit apart (as git does for "racily clean"
  index entries).

``fresh`` answers the manifest when all of it still holds, else None; the CLI then renders in full, as
with ``--no-cache``. Any difference counts: another key, a spec edited, added or removed, a generated
file edited (its ctime moves even when its mtime is restored), replaced, removed or joined by another
file, a symlink, a pending journal. The cache is an optimisation only: it is never written by ``--check``,
a failure to read or write it is ignored, and it is read and written only inside the root, never through
a symlink (``generator.rootfs``). CI checks drift with ``--no-cache``.

Standard library only: it runs before the pipeline's imports.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import sys
from pathlib import Path
from typing import Iterable, Mapping

from generator import rootfs

FOLDER = ".gitops-gen-cache"
_MANIFEST = "manifest.json"
_FORMAT = 1
_MAX_MANIFEST = 256 << 20
_MAX_SPEC = 8 << 20
_RACY_NS = 100_000_000  # files changed this close to the manifest (a few clock ticks) are checked by content
_SPEC_DIR = "environments"
_GITIGNORE = b"# The cache of the last render (gitops-gen); never committed.\n*\n"


def _digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=20).hexdigest()


def _package_digest() -> str:
    """Every file of the generator package (sources, schemas, templates), by path and content."""
    package = Path(__file__).resolve().parent
    out = hashlib.blake2b(digest_size=20)
    for top, dirs, files in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(files):
            if name.endswith((".pyc", ".pyo")):
                continue
            path = os.path.join(top, name)
            out.update(os.path.relpath(path, package).encode() + b"\0")
            with open(path, "rb") as handle:
                out.update(_digest(handle.read()).encode())
    return out.hexdigest()


def _distributions() -> list[str]:
    """The installed distributions with their versions, as the names of their metadata folders."""
    found = []
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        found += [f"{entry}/{n}" for n in names if n.endswith((".dist-info", ".egg-info", ".egg-link", ".pth"))]
    return sorted(found)


def key() -> str:
    """What the output depends on besides the specs: this generator, its dependencies, the interpreter."""
    text = json.dumps([_FORMAT, sys.version, sys.prefix, _package_digest(), _distributions()])
    return _digest(text.encode())


def _signature(info: os.stat_result) -> list[int]:
    return [info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino]


def _spec_listing(root_fd: int) -> list[str] | None:
    try:
        fd = rootfs.open_dir(root_fd, [_SPEC_DIR])
    except OSError:
        return None
    try:
        return sorted(os.listdir(fd))
    finally:
        os.close(fd)


def _managed_files(root_fd: int, managed: Iterable[str]) -> dict[str, os.stat_result] | None:
    """Every entry that is not a folder under the managed folders, with its lstat; None on a symlink or
    anything else that is not a regular file or a folder."""
    found: dict[str, os.stat_result] = {}

    def walk(fd: int, prefix: str) -> bool:
        with os.scandir(fd) as entries:
            for entry in entries:
                info = entry.stat(follow_symlinks=False)
                rel = f"{prefix}/{entry.name}"
                if stat.S_ISDIR(info.st_mode):
                    child = os.open(entry.name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=fd)
                    try:
                        if not walk(child, rel):
                            return False
                    finally:
                        os.close(child)
                elif stat.S_ISREG(info.st_mode):
                    found[rel] = info
                else:
                    return False
        return True

    for folder in managed:
        try:
            fd = rootfs.open_dir(root_fd, rootfs.parts(folder))
        except FileNotFoundError:
            continue
        try:
            if not walk(fd, folder):
                return None
        finally:
            os.close(fd)
    return found


def _lstat(root_fd: int, rel: str) -> os.stat_result | None:
    try:
        with rootfs.parent(root_fd, rel) as (dir_fd, name):
            info = os.stat(name, dir_fd=dir_fd, follow_symlinks=False)
    except OSError:
        return None
    return info if stat.S_ISREG(info.st_mode) else None


def _under(managed: Iterable[str]) -> tuple[str, ...]:
    """The prefixes of paths under the managed folders (for ``str.startswith``)."""
    return tuple(folder + "/" for folder in managed)


def fresh(root: Path) -> dict | None:
    """The manifest of ``root`` when the generated tree provably is what a render would produce, else
    None. Call it under the root's lock (``transaction.Session``), after any pending journal is done."""
    try:
        root_fd = rootfs.open_root(root)
    except OSError:
        return None
    try:
        return _fresh(root_fd)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # a manifest this module did not write, or a tree that moved while reading: render
    finally:
        os.close(root_fd)


def _fresh(root_fd: int) -> dict | None:
    try:
        manifest = json.loads(rootfs.read_bytes(root_fd, f"{FOLDER}/{_MANIFEST}", _MAX_MANIFEST))
    except OSError:
        return None
    if not isinstance(manifest, dict) or manifest.get("format") != _FORMAT or manifest.get("key") != key():
        return None
    if _spec_listing(root_fd) != manifest["listing"]:
        return None
    for rel, want in manifest["inputs"].items():
        if _digest(rootfs.read_bytes(root_fd, rel, _MAX_SPEC)) != want:
            return None
    managed = manifest["managed"]
    outputs: dict = manifest["outputs"]
    on_disk = _managed_files(root_fd, managed)
    under = _under(managed)
    if on_disk is None or on_disk.keys() != {rel for rel in outputs if rel.startswith(under)}:
        return None
    for rel, want in outputs.items():
        info = on_disk[rel] if rel in on_disk else _lstat(root_fd, rel)
        if info is None or _signature(info) != want:
            return None
    for rel, want in manifest["racy"].items():
        if _digest(rootfs.read_bytes(root_fd, rel, _MAX_MANIFEST)) != want:
            return None
    return manifest


def record(root: Path, files: Mapping[str, str], managed: Iterable[str], inputs: Iterable[str],
           summary: dict) -> None:
    """Write the manifest of a tree that was just written (under the root's exclusive lock) to hold
    exactly ``files``; ``inputs`` are the spec files read. Never raises: without a manifest the next
    render is a full one."""
    try:
        root_fd = rootfs.open_root(root)
    except OSError:
        return
    try:
        _record(root_fd, files, tuple(managed), sorted(set(inputs)), summary)
    except (OSError, ValueError):
        pass
    finally:
        os.close(root_fd)


def _record(root_fd: int, files: Mapping[str, str], managed: tuple[str, ...], inputs: list[str],
            summary: dict) -> None:
    on_disk = _managed_files(root_fd, managed)
    under = _under(managed)
    if on_disk is None or on_disk.keys() != {rel for rel in files if rel.startswith(under)}:
        return  # strays or a symlink: nothing to vouch for
    outputs = {}
    for rel in sorted(files):
        info = on_disk[rel] if rel in on_disk else _lstat(root_fd, rel)
        if info is None:
            return
        outputs[rel] = info
    try:
        os.mkdir(FOLDER, 0o755, dir_fd=root_fd)
    except FileExistsError:
        pass
    dir_fd = rootfs.open_dir(root_fd, [FOLDER])
    try:
        try:  # ignored by git wherever the root is, as pytest does with its cache folder
            fd = os.open(".gitignore", os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644,
                         dir_fd=dir_fd)
        except FileExistsError:
            pass
        else:
            try:
                os.write(fd, _GITIGNORE)
            finally:
                os.close(fd)
        tmp = f".{_MANIFEST}.{os.getpid()}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644, dir_fd=dir_fd)
        try:
            now = os.fstat(fd).st_ctime_ns  # the file system's clock, as the outputs' ctimes are
            manifest = {
                "format": _FORMAT,
                "key": key(),
                "listing": _spec_listing(root_fd),
                "inputs": {rel: _digest(rootfs.read_bytes(root_fd, rel, _MAX_SPEC)) for rel in inputs},
                "managed": list(managed),
                "outputs": {rel: _signature(info) for rel, info in outputs.items()},
                # the text the render meant, not what is on disk: an edit in the racy window is then caught
                "racy": {rel: _digest(files[rel].encode()) for rel, info in outputs.items()
                         if info.st_ctime_ns >= now - _RACY_NS or info.st_mtime_ns >= now - _RACY_NS},
                "summary": summary,
            }
            data = json.dumps(manifest, separators=(",", ":")).encode()
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        os.rename(tmp, _MANIFEST, src_dir_fd=dir_fd, dst_dir_fd=dir_fd)
    finally:
        os.close(dir_fd)
