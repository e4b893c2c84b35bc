"""The process entry point of ``gitops-gen`` and ``python -m generator``: a no-op render answered from the
cache (``generator.cache``) before anything heavy is imported, else the CLI (``generator.cli``).

The process ends with ``os._exit`` once stdout and stderr are flushed: a render leaves a large heap of
small objects whose teardown would only cost time. ``generator.cli.main`` stays the function to call
in-process (tests); it returns the exit code.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


def up_to_date(count: int) -> str:
    """What ``render --check`` prints when every generated file matches."""
    return f"up to date: {count} generated files match the specs"


def written(writes: int, deletes: int, count: int, elapsed: float) -> str:
    """The last line of ``render``."""
    return f"{writes} written, {deletes} removed, {count} files in {elapsed:.2f}s"


def _render_args(argv: list[str]) -> argparse.Namespace | None:
    """``render [--root DIR] [--check]`` exactly, else None (the CLI parses, helps and errs)."""
    if not argv or argv[0] != "render" or any(a in ("-h", "--help", "--no-cache") for a in argv):
        return None
    parser = argparse.ArgumentParser(prog="gitops-gen render", add_help=False, exit_on_error=False)
    parser.add_argument("--root", type=Path, default=Path("."))
    parser.add_argument("--check", action="store_true")
    try:
        args, extra = parser.parse_known_args(argv[1:])
    except (argparse.ArgumentError, SystemExit):
        return None
    return None if extra else args


def cached_render(argv: list[str]) -> int | None:
    """The exit code of a render the cache proves to be a no-op, or None when a full render must run."""
    args = _render_args(argv)
    if args is None:
        return None
    from generator import cache, transaction

    started = time.perf_counter()
    try:
        with transaction.Session(args.root, write=not args.check):
            manifest = cache.fresh(args.root)
    except OSError:
        return None  # the CLI reports it
    if manifest is None:
        return None
    summary = manifest["summary"]
    if args.check:
        print(up_to_date(summary["files"]))
        return 0
    for line in summary["environments"]:
        print(line)
    print(written(0, 0, summary["files"], time.perf_counter() - started))
    return 0


def main() -> None:
    argv = sys.argv[1:]
    try:
        code = cached_render(argv)
        if code is None:
            from generator.cli import main as cli_main

            code = cli_main(argv)
    except SystemExit as stop:  # argparse: --help, --version, usage errors
        code = stop.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        print(code, file=sys.stderr)
        code = 1
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (BrokenPipeError, ValueError):
        code = code or 1
    os._exit(code)
