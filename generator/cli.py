"""The command line: the only place that prints or exits.

    gitops-gen render [--root DIR] [--check]   write (or, with --check, compare) every generated file
    gitops-gen validate [--root DIR]           validate the committed rendered/ tree strictly
    gitops-gen diff --base REF [--format F]    what changes, object by object, from REF's specs to the working tree
    gitops-gen reference                       print the spec reference (markdown) generated from the models

Exit codes: 0 success; 1 drift or invalid objects; 2 a problem in the specs; 3 a missing tool.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from pathlib import Path

from generator import __version__, diff, diff_report, fileset, gitbase, pipeline
from generator.errors import DriftDetected, GeneratorError, ValidationFailed
from generator.reference import spec_reference
from generator.validate.committed import validate_tree


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gitops-gen", description=__doc__.split("\n\n")[0])
    parser.add_argument("--version", action="version", version=f"gitops-gen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="render every environment into the generated trees")
    render.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    render.add_argument("--check", action="store_true", help="write nothing; exit 1 naming every stale file")
    validate = sub.add_parser("validate", help="validate every object under rendered/ against strict schemas")
    validate.add_argument("--root", type=Path, default=Path("."), help="folder holding rendered/ (default: .)")
    compare = sub.add_parser("diff", help="summarize what changes per environment and object against a git ref")
    compare.add_argument("--base", required=True, help="git revision to compare with, e.g. origin/main")
    compare.add_argument("--format", choices=diff_report.FORMATS, default="text", help="output format (default: text)")
    compare.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    sub.add_parser("reference", help="print the spec reference generated from the models (markdown)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    # A render allocates many small, acyclic dicts; the cyclic collector would rescan them again and again
    # (a third of a 500-service render). Reference counting still frees everything; one short command.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _run(args)
    finally:
        if collecting:
            gc.enable()


def _run(args: argparse.Namespace) -> int:
    try:
        if args.command == "render":
            return _render(args.root, check=args.check)
        if args.command == "diff":
            return _diff(args.root, args.base, args.format)
        if args.command == "reference":
            print(spec_reference(), end="")
            return 0
        return _validate(args.root)
    except GeneratorError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return err.exit_code
    except OSError as err:  # the disk, not the specs: nothing was changed (writes are staged, then renamed)
        print(f"error: {err.strerror or err}: {err.filename or ''}".rstrip(": "), file=sys.stderr)
        return 1


def _render(root: Path, *, check: bool) -> int:
    started = time.perf_counter()
    result = pipeline.render(root)
    change = fileset.plan(root, result.files, pipeline.MANAGED)
    if check:
        if change.changed:
            raise DriftDetected(change.changed)
        print(f"up to date: {len(result.files)} generated files match the specs")
        return 0
    fileset.apply(root, change)
    for env in result.built.environments:
        kinds = Counter(o["kind"] for o in env.objects)
        print(f"{env.tree}: {len(env.objects)} objects ({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
    elapsed = time.perf_counter() - started
    print(f"{len(change.writes)} written, {len(change.deletes)} removed, {len(result.files)} files in {elapsed:.2f}s")
    return 0


def _validate(root: Path) -> int:
    count, files, found = validate_tree(root)
    if found:
        raise ValidationFailed(found)
    print(f"valid: {count} objects in {files} files")
    return 0


def _diff(root: Path, base: str, fmt: str) -> int:
    head = pipeline.render(root).files
    report = diff.compare(gitbase.render_ref(root, base), head, base_label=base, head_label="working tree")
    print(diff_report.render(report, fmt), end="")
    return 0
