"""The editor schema file, ``environments.schema.json`` beside ``environments/``: every spec file's first
line, ``# yaml-language-server: $schema=../environments.schema.json``, points at it. Generated (and so
checked for drift) like every other output; its content comes from ``generator.spec.editor_schema``."""

from __future__ import annotations

from generator.spec import editor_schema


def emit(built) -> dict[str, str]:
    """The one schema file of a spec root (the same for every root: it describes the format)."""
    return {editor_schema.FILE_NAME: editor_schema.text()}
