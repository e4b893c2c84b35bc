"""`gitops-gen init`: the files of a new GitOps repository, from the installed package alone.

The templates live in ``files/`` (package data; names starting with ``dot-`` become dotfiles, which
packaging tools would otherwise skip; a trailing ``.in`` is dropped, so the GitHub workflows'
``${{ }}`` expressions are not taken for chart templates). ``files`` is pure: it returns the scaffold as a FileSet with this
package's version pinned in the Makefile; ``conflicts`` names the ones a target folder already holds. The
CLI writes them through ``fileset`` (staged, then renamed), so a refused or failed init changes nothing.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from generator import __version__, toolchain

_DOT = "dot-"
_TEMPLATE = ".in"


def _walk(node, prefix: str = ""):
    for child in sorted(node.iterdir(), key=lambda c: c.name):
        name = "." + child.name[len(_DOT):] if child.name.startswith(_DOT) else child.name
        name = name.removesuffix(_TEMPLATE)
        if child.is_dir():
            yield from _walk(child, f"{prefix}{name}/")
        elif not name.endswith((".pyc", ".pyo")):
            yield f"{prefix}{name}", child.read_text(encoding="utf-8")


def files() -> dict[str, str]:
    """Every file of the scaffold by its path in the new repository."""
    pins = {"@VERSION@": __version__, "@CHECKOV_VERSION@": toolchain.CHECKOV_VERSION}
    scaffold = {}
    for rel, text in _walk(resources.files(__package__) / "files"):
        for placeholder, value in pins.items():
            text = text.replace(placeholder, value)
        scaffold[rel] = text
    return scaffold


def conflicts(target: Path, scaffold: dict[str, str]) -> list[str]:
    """The scaffold's paths that already exist under ``target`` (files or anything else)."""
    return sorted(rel for rel in scaffold if (target / rel).exists() or (target / rel).is_symlink())
