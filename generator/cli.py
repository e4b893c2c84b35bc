"""The command line: the only module that prints or exits; every other module returns data or raises.

Each subcommand is one ``_<command>`` function; ``DESCRIPTION`` and ``EPILOG`` are what ``--help`` shows.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections import Counter
from pathlib import Path

from generator import __version__, cache, doctor, fileset, pipeline, scaffold, transaction, verify
from generator.entry import up_to_date, written
from generator.errors import DriftDetected, Finding, GeneratorError, SpecError, ValidationFailed
from generator.load import load_root
from generator.reference import spec_reference
from generator.review import compare, gitref, graph, promote, report, risk, rules
from generator.spec import editor_schema
from generator.validate.committed import validate_tree


DESCRIPTION = (
    "Render typed environment specs (environments/*.yaml) into hardened, reviewable Kubernetes manifests "
    "(rendered/), a Kustomize tree (base/, overlays/), a Helm chart (charts/) and Argo CD objects."
)
EPILOG = """\
exit codes: 0 success; 1 stale or invalid files, failed checks; 2 a problem in the specs or files given;
3 a missing tool (the message says how to install it); 64 a wrong command line.

Start a repository with `gitops-gen init DIR`; after editing specs run `gitops-gen render` and commit."""
USAGE_ERROR = 64  # EX_USAGE: distinct from 2, which means the specs are wrong


class _Parser(argparse.ArgumentParser):
    """argparse, with usage errors on exit code 64 instead of 2 (2 means a spec error here)."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(USAGE_ERROR, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gitops-gen", description=DESCRIPTION, epilog=EPILOG,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"gitops-gen {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)
    render = sub.add_parser("render", help="render every environment into the generated trees")
    render.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    render.add_argument("--check", action="store_true", help="write nothing; exit 1 naming every stale file")
    render.add_argument("--no-cache", action="store_true", help="render in full even when the cache "
                        f"({cache.FOLDER}/) proves nothing changed since the last render (CI uses this)")
    validate = sub.add_parser("validate", help="validate every object under rendered/ against strict schemas")
    validate.add_argument("--root", type=Path, default=Path("."), help="folder holding rendered/ (default: .)")
    compare = sub.add_parser("diff", help="summarize what changes per environment and object against a git ref")
    compare.add_argument("--base", required=True, help="git revision to compare with, e.g. origin/main")
    compare.add_argument("--format", choices=report.FORMATS, default="text", help="output format (default: text)")
    compare.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    compare.add_argument("--exit-code", action="store_true", help="exit 1 when any object changes")
    compare.add_argument("--fail-on", choices=risk.SEVERITIES, help="exit 1 when a risk of this severity or higher is found")
    move = sub.add_parser("promote", help="copy services' image tag and digest from one environment's spec to another's")
    move.add_argument("--from", dest="source", required=True, help="environment to take the images from")
    move.add_argument("--to", dest="target", required=True, help="environment whose own spec file is edited")
    move.add_argument("--service", action="append", default=[], help="only this service (repeatable; default: all)")
    move.add_argument("--dry-run", action="store_true", help="print the changes, write nothing")
    move.add_argument("--commit", action="store_true", help="commit the edited spec with a message naming the versions")
    move.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    draw = sub.add_parser("graph", help="draw the allow graph the NetworkPolicies implement")
    draw.add_argument("--env", action="append", default=[], help="only this environment, or one cluster of it as <env>/<cluster> (repeatable; default: all)")
    draw.add_argument("--format", choices=graph.FORMATS, default="mermaid", help="output format (default: mermaid)")
    draw.add_argument("--root", type=Path, default=Path("."), help="folder holding environments/ (default: .)")
    sub.add_parser("reference", help="print the spec reference generated from the models (markdown)")
    sub.add_parser("schema", help="print the JSON schema of spec files, for editor completion (yaml-language-server)")
    init = sub.add_parser("init", help="start a new GitOps repository in DIR: specs for staging, uat and production, "
                          "Makefile, README, CI workflows, pre-commit hooks")
    init.add_argument("dir", nargs="?", type=Path, default=Path("."), help="the folder to create or fill (default: .)")
    init.add_argument("--force", action="store_true", help="overwrite the scaffold's files where they exist")
    doctor_cmd = sub.add_parser("doctor", help="list the tools `gitops-gen test` uses, their versions, and how to "
                                "install what is missing")
    doctor_cmd.add_argument("--root", type=Path, default=Path("."), help="the repository (default: .)")
    checks = sub.add_parser("test", help="run the repository checks on every spec root (drift, schemas, "
                            "kustomize, helm, argocd, checkov)")
    checks.add_argument("--root", type=Path, default=Path("."), help="the repository (default: .)")
    checks.add_argument("--only", action="append", choices=list(verify.CHECKS), help="run only this check (repeatable)")
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
            return _render(args.root, check=args.check, use_cache=not args.no_cache)
        if args.command == "diff":
            return _diff(args)
        if args.command == "promote":
            return _promote(args)
        if args.command == "graph":
            return _graph(args)
        if args.command == "reference":
            print(spec_reference(), end="")
            return 0
        if args.command == "schema":
            print(editor_schema.text(), end="")
            return 0
        if args.command == "init":
            return _init(args.dir, force=args.force)
        if args.command == "doctor":
            return _doctor(args.root)
        if args.command == "test":
            return _test(args.root, args.only)
        return _validate(args.root)
    except GeneratorError as err:
        for line in err.lines():
            print(line, file=sys.stderr)
        return err.exit_code
    except OSError as err:  # the disk, not the specs: the write is transactional (generator.transaction)
        where = f"{err.filename}: " if err.filename else ""
        print(f"error: {where}{err.strerror or err}", file=sys.stderr)
        return 1


def _render(root: Path, *, check: bool, use_cache: bool = True) -> int:
    started = time.perf_counter()
    with transaction.Session(root, write=not check) as session:
        result = pipeline.render(root)
        change = fileset.plan(root, result.files, pipeline.MANAGED)
        if check:
            if change.changed or change.strays:
                raise DriftDetected(change.changed, strays=list(change.strays))
            print(up_to_date(len(result.files)))
            return 0
        # A write that fails leaves the previous manifest: it no longer matches the specs (nor any file
        # the write replaced), so the next render is a full one.
        changing = bool(change.writes or change.deletes)
        session.apply(change)
        lines = []
        for env in result.built.environments:
            kinds = Counter(o["kind"] for o in env.objects)
            lines.append(f"{env.tree}: {len(env.objects)} objects "
                         f"({', '.join(f'{n} {k}' for k, n in sorted(kinds.items()))})")
        if use_cache and not change.strays and (changing or cache.fresh(root) is None):
            inputs = [path for env in result.built.environments for path in env.loaded.inputs()]
            cache.record(root, result.files, pipeline.MANAGED, inputs,
                         {"files": len(result.files), "environments": lines})
    for line in lines:
        print(line)
    for line in DriftDetected([], strays=list(change.strays)).stray_lines():
        print(f"warning: {line}", file=sys.stderr)
    elapsed = time.perf_counter() - started
    print(written(len(change.writes), len(change.deletes), len(result.files), elapsed))
    return 0


def _validate(root: Path) -> int:
    with transaction.Session(root, write=False):
        count, files, found = validate_tree(root)
    if found:
        raise ValidationFailed(found)
    print(f"valid: {count} objects in {files} files")
    return 0


def _diff(args: argparse.Namespace) -> int:
    head = compare.rendered_objects(pipeline.render(args.root))
    base = compare.rendered_objects(gitref.render_ref(args.root, args.base))
    found = compare.compare(base, head, base_label=args.base, head_label="working tree")
    risks = rules.evaluate(found)
    print(report.render(found, risks, args.format, extra=graph.change_section(base, head)), end="")
    failing = args.fail_on is not None and bool(risk.at_least(risks, args.fail_on))
    return 1 if failing or (args.exit_code and found.changes) else 0


def _promote(args: argparse.Namespace) -> int:
    target, changes = promote.plan(load_root(args.root), args.source, args.target, args.service)
    if not changes:
        print(f"nothing to promote: {args.target} already runs the images of {args.source}")
        return 0
    text = promote.edit((args.root / target.source).read_text(encoding="utf-8"), changes)
    promote.verify(args.root, target.source, text, args.source, args.target, args.service)
    for change in changes:
        print(change.line())
    if args.dry_run:
        print(f"dry run: {target.source} not changed")
        return 0
    fileset.apply(args.root, fileset.Plan(writes={target.source: text}))
    print(f"{target.source} updated; run `make render` to see the promotion in every tree")
    if args.commit:
        print(f"committed {gitref.commit(args.root, [target.source], promote.message(args.source, args.target, changes))[:12]}")
    return 0


def _graph(args: argparse.Namespace) -> int:
    trees = pipeline.build(args.root).environments
    names = sorted({env.name for env in trees} | {env.tree for env in trees})
    unknown = [e for e in args.env if e not in names]
    if unknown:
        raise SpecError([Finding("environments/", 0, 0, "--env", f"unknown environment {e!r} (environments: "
                                 f"{', '.join(names)})") for e in unknown])
    chosen = [env for env in trees if not args.env or env.name in args.env or env.tree in args.env]
    drawn = {e for env in chosen for e in graph.edges(env.tree, env.objects)}
    print(graph.mermaid(drawn) if args.format == "mermaid" else graph.dot(drawn), end="")
    return 0


def _test(repo: Path, only: list[str] | None) -> int:
    outcomes = []
    for outcome in verify.run(repo, only):
        outcomes.append(outcome)
        status = "ok" if outcome.passed else ("missing" if outcome.missing else "FAIL")
        print(f"{status:7} {outcome.check:9} {outcome.root}", flush=True)
        for problem in outcome.problems:
            print(f"        {problem}")
        if outcome.missing:
            print(f"        {outcome.missing}")
    if not outcomes:
        raise SpecError([Finding("environments/", 0, 0, "", f"no spec root in {repo}: neither environments/ "
                                 "nor examples/*/environments/")])
    failed = [o for o in outcomes if o.problems]
    missing = [o for o in outcomes if o.missing]
    print(f"{len(outcomes) - len(failed) - len(missing)} passed, {len(failed)} failed, {len(missing)} missing a tool "
          f"({len(verify.spec_roots(repo))} spec roots)")
    return 1 if failed else 3 if missing else 0


def _init(target: Path, *, force: bool) -> int:
    files = scaffold.files()
    existing = scaffold.conflicts(target, files)
    if existing and not force:
        raise SpecError([Finding(str(target / rel), 0, 0, "", "exists: init writes nothing (use --force to overwrite "
                                 "the scaffold's files)") for rel in existing])
    target.mkdir(parents=True, exist_ok=True)
    fileset.apply(target, fileset.Plan(writes=files))
    for rel in sorted(files):
        print(f"created {target / rel}")
    print(f"next: cd {target} && make render && make test   (edit environments/*.yaml, then make render again)")
    return 0


def _doctor(repo: Path) -> int:
    tools = doctor.tools(repo)
    for tool in tools:
        status = "ok" if tool.found else ("missing" if tool.required else "optional")
        print(f"{status:8} {tool.name:12} {tool.found or '-'}  {tool.version}".rstrip())
        print(f"{'':22}{tool.purpose}" + ("" if tool.found else f"; install: {tool.install}"))
    absent = [t.name for t in tools if t.required and not t.found]
    print(f"missing: {', '.join(absent)}" if absent else "every tool `gitops-gen test` needs is installed")
    return 3 if absent else 0
