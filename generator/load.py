"""The only reader of spec files: find the environments of a root, layer them through ``extends``,
validate each once into a frozen ``Environment``, and report every problem with file, line and field.

Layering rules: files named ``_*.yaml`` are shared layers, used only through ``extends``; every other
``environments/*.yaml`` is one environment named after its file. ``extends`` names one file or a list,
relative to the extending file, applied in order before the file itself. Mappings merge key by key,
deeper layers first; lists and scalars are replaced whole by the later layer; ``null`` removes the key.
"""

from __future__ import annotations

import difflib
import os
import re
import types
import typing
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pydantic

from generator import layout, marks as located, rootfs
from generator.errors import Finding, SpecError
from generator.spec import Environment
from generator.spec.common import DNS_LABEL_PATTERN
from generator.spec.leaves import Leaves
from generator.spec.validator import SpecValidator
from generator.spec import credentials, scalars
from generator.spec.checks import problems
from generator.spec.service_rules import ServiceProblems
from generator.yamlnodes import Mark, dotted, parse

SPEC_DIR = "environments"
MAX_SPEC_BYTES = 8 << 20  # a spec file is text a person writes; a FIFO or /dev/zero never gets this far
_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


@dataclass(frozen=True)
class LoadedEnvironment:
    """A validated environment and where it came from (paths relative to the root)."""

    name: str
    source: str
    layers: tuple[str, ...]
    spec: Environment
    clusters: tuple["LoadedCluster", ...] = ()

    def inputs(self) -> tuple[str, ...]:
        """Every file of the root this environment was read from: its spec layers and the ConfigMap files
        its services (or its clusters' overrides) name, relative to the root."""
        specs = [self.spec, *(c.spec for c in self.clusters)]
        files = {
            rootfs.normalize(f.file)
            for spec in specs for svc in spec.services.values() for vol in svc.volumes.values()
            for f in (vol.files or {}).values() if f.file
        }
        return (*self.layers, *sorted(files))

    def trees(self) -> tuple[tuple[str, str], ...]:
        """(tree, chart unit) of each rendered tree of this environment (``generator.layout``): the
        environment's own, or one per cluster of an environment on several."""
        names = [c.name for c in self.clusters] or [None]
        return tuple((layout.tree(self.name, c), layout.unit(self.name, c)) for c in names)


@dataclass(frozen=True)
class LoadedCluster:
    """One cluster of a multi-cluster environment: its name and the environment's spec with the cluster's
    ``overrides`` merged on (validated like an environment, without ``clusters``)."""

    name: str
    spec: Environment


def load_root(root: Path) -> list[LoadedEnvironment]:
    """Load every environment under ``root/environments``, sorted by name; raise SpecError with all findings.
    Files are read only inside the root, never through a symlink, only regular files of bounded size."""
    root_fd = rootfs.open_root(root)
    try:
        return _load(root_fd)
    finally:
        os.close(root_fd)


def _spec_files(root_fd: int) -> list[str]:
    try:
        dir_fd = rootfs.open_dir(root_fd, [SPEC_DIR])
    except FileNotFoundError:
        raise SpecError([Finding(f"{SPEC_DIR}/", 0, 0, "", "no such folder: a root holds its specs in environments/")]) from None
    except rootfs.UnsafePath:
        raise SpecError([Finding(f"{SPEC_DIR}/", 0, 0, "", "is a symlink or not a folder: specs are read only inside the root")]) from None
    try:
        names = sorted(os.listdir(dir_fd))
    finally:
        os.close(dir_fd)
    misnamed = [n for n in names if n.endswith(".yml") or n.endswith(".YAML") or n.endswith(".YML")]
    if misnamed:
        raise SpecError([Finding(f"{SPEC_DIR}/{n}", 0, 0, "", f"spec files end in .yaml: rename it to {n.rsplit('.', 1)[0]}.yaml") for n in misnamed])
    return [n for n in names if n.endswith(".yaml") and not n.startswith("_")]


def _load(root_fd: int) -> list[LoadedEnvironment]:
    files = _spec_files(root_fd)
    if not files:
        raise SpecError([Finding(f"{SPEC_DIR}/", 0, 0, "", "no environment files (*.yaml not starting with '_')")])
    reader = _Reader(root_fd)
    loaded, findings = [], []
    for name in files:
        result = reader.environment(f"{SPEC_DIR}/{name}")
        if isinstance(result, LoadedEnvironment):
            loaded.append(result)
        else:
            findings.extend(result)
    if findings:
        raise SpecError(findings)
    return loaded


class _Reader:
    """Parses each file once and resolves ``extends`` chains. What environments share is worked out once
    per load: the model of each service mapping (``SpecValidator``), the rules within each service model
    (``ServiceProblems``), and the mappings and lists found clean of scalar and credential problems.
    Line marks are worked out only for findings (``generator.marks``)."""

    def __init__(self, root_fd: int):
        self.root_fd = root_fd
        self.parsed: dict[str, tuple[Any, typing.Mapping[tuple, Mark], list[Finding]]] = {}
        self.validator = SpecValidator()
        self.service_problems = ServiceProblems()
        self.clean: dict[tuple[int, Any], Any] = {}  # (id, key above) -> a container holding no problem leaf

    def _parse(self, rel: str) -> tuple[Any, typing.Mapping[tuple, Mark], list[Finding]]:
        if rel not in self.parsed:
            try:
                text = rootfs.read_bytes(self.root_fd, rel, MAX_SPEC_BYTES).decode("utf-8")
            except UnicodeDecodeError as err:
                self.parsed[rel] = (None, {}, [Finding(rel, 1, 1, "", f"not UTF-8 text: {err.reason}")])
            except rootfs.UnsafePath as err:
                self.parsed[rel] = (None, {}, [Finding(rel, 0, 0, "", f"cannot read: {err.message}")])
            except OSError as err:
                self.parsed[rel] = (None, {}, [Finding(rel, 0, 0, "", f"cannot read: {err.strerror or err}")])
            else:
                data, marks, findings = parse(text, rel)
                if data is not None and not isinstance(data, dict):
                    findings = [*findings, Finding(rel, 1, 1, "", "a spec file must be a YAML mapping")]
                    data = None
                self.parsed[rel] = (data, marks, findings)
        return self.parsed[rel]

    def _layered(self, rel: str, stack: tuple[str, ...]
                 ) -> tuple[dict, tuple[typing.Mapping[tuple, Mark], ...], list[Finding], tuple[str, ...]]:
        """The merged data of ``rel`` and its ``extends`` chain, the marks of each layer (later ones win),
        the findings and the layer files."""
        data, marks, findings = self._parse(rel)
        if data is None:
            return {}, (), findings, (rel,)
        findings = list(findings)
        merged, merged_marks, layers = {}, (), ()
        targets = data.get("extends", [])
        targets = [targets] if isinstance(targets, str) else targets
        if not isinstance(targets, list) or not all(isinstance(t, str) for t in targets):
            findings.append(_at(marks, rel, ("extends",), "extends must be a file name or a list of file names"))
            targets = []
        for index, target in enumerate(targets):
            where = ("extends",) if isinstance(data["extends"], str) else ("extends", index)
            try:
                if target.startswith("/"):
                    raise rootfs.UnsafePath(target, "an absolute path")
                target_rel = rootfs.normalize(f"{Path(rel).parent.as_posix()}/{target}")
            except rootfs.UnsafePath as err:
                findings.append(_at(marks, rel, where, f"extends {target!r}: {err.message}; layers live inside the root"))
                continue
            if target_rel in stack or target_rel == rel:
                findings.append(_at(marks, rel, where, f"extends {target!r} makes a cycle: {' -> '.join(stack + (rel, target_rel))}"))
                continue
            if _missing(self.root_fd, target_rel):
                findings.append(_at(marks, rel, where, f"extends {target!r}, but {target_rel} does not exist"))
                continue
            base, base_marks, base_findings, base_layers = self._layered(target_rel, stack + (rel,))
            findings.extend(base_findings)
            merged = merge(merged, base)
            merged_marks += base_marks
            layers += base_layers
        own = {k: v for k, v in data.items() if k != "extends"}
        merged = merge(merged, own)
        return merged, merged_marks + (marks,), findings, layers + (rel,)

    def _document_problems(self, data: dict) -> list[tuple[tuple, str]]:
        """What ``scalars`` and ``credentials`` find in a merged document. Their walks run only when some leaf
        may break a rule; the mappings and lists of a clean document are remembered, and later documents
        that share them (environments extending one layer) are not walked into them again."""
        leaves = Leaves.of(data, self.clean)
        if scalars.suspect(leaves) or credentials.suspect(leaves):
            return [*scalars.problems(data), *credentials.problems(data)]
        self.clean.update(leaves.containers)
        return []

    def environment(self, rel: str) -> LoadedEnvironment | list[Finding]:
        name = Path(rel).stem
        data, layer_marks, findings, layers = self._layered(rel, ())
        if findings:
            return findings
        if not _NAME.match(name):
            return [Finding(rel, 1, 1, "", f"environment name {name!r} (the file name) must be a DNS-1123 label")]
        data.setdefault("namespace", name)
        marks = located.live(data, layer_marks)
        data, file_findings = read_config_files(self.root_fd, data, marks, rel)
        if file_findings:
            return file_findings
        raw = [_at(marks, rel, path, message) for path, message in self._document_problems(data)]
        if raw:  # the models would only repeat these (and could echo a credential)
            return _redacted(raw, credentials.secrets_in(data))
        try:
            spec = self.validator.environment(data)
        except pydantic.ValidationError as err:
            return _redacted([_from_pydantic(error, marks, rel) for error in err.errors()], credentials.secrets_in(data))
        found = [_at(marks, rel, path, message) for path, message in problems(spec, name, self.service_problems)]
        clusters = []
        for cluster in spec.clusters or {}:
            result = self._cluster(data, marks, rel, name, cluster)
            if isinstance(result, LoadedCluster):
                clusters.append(result)
            else:  # what every cluster inherits is reported once, for the environment
                found += [f for f in result if _unprefixed(f, cluster) not in found]
        return found or LoadedEnvironment(name=name, source=rel, layers=layers, spec=spec, clusters=tuple(clusters))

    def _cluster(self, data: dict, marks: located.Marks, rel: str, env: str, cluster: str) -> LoadedCluster | list[Finding]:
        """The spec of one cluster: the environment without ``clusters``, its ``overrides`` merged on (their
        ConfigMap files read like the environment's); errors inside the overrides point at them, the rest at
        the environment's own lines."""
        own = located.under(marks, ("clusters", cluster, "overrides"))
        overrides, file_findings = read_config_files(self.root_fd, data["clusters"][cluster].get("overrides") or {}, own, rel)
        if file_findings:
            return file_findings
        merged = merge({k: v for k, v in data.items() if k != "clusters"}, overrides)
        cluster_marks = located.live(merged, (marks, own))
        try:
            spec = self.validator.environment(merged)
        except pydantic.ValidationError as err:
            found = _redacted([_from_pydantic(e, cluster_marks, rel) for e in err.errors()], credentials.secrets_in(merged))
            return [_prefixed(f, cluster) for f in found]
        return [
            _prefixed(_at(cluster_marks, rel, path, message), cluster)
            for path, message in problems(spec, env, self.service_problems)
        ] or LoadedCluster(name=cluster, spec=spec)


def _prefixed(finding: Finding, cluster: str) -> Finding:
    return Finding(finding.file, finding.line, finding.column, finding.path, f"{_PREFIX.format(cluster)}{finding.message}")


def _unprefixed(finding: Finding, cluster: str) -> Finding:
    return Finding(finding.file, finding.line, finding.column, finding.path,
                   finding.message.removeprefix(_PREFIX.format(cluster)))


_PREFIX = "in cluster {!r}: "


def _redacted(findings: list[Finding], secrets: set[str]) -> list[Finding]:
    """``findings`` with every credential of the document blanked out of their messages and field paths."""
    if not secrets:
        return findings
    out = []
    for f in findings:
        message, path = f.message, f.path
        for secret in sorted(secrets, key=len, reverse=True):
            message, path = message.replace(secret, "<redacted>"), path.replace(secret, "<redacted>")
        out.append(Finding(f.file, f.line, f.column, path, message))
    return out


def _missing(root_fd: int, rel: str) -> bool:
    try:
        return rootfs.kind(root_fd, rel) is None
    except OSError:
        return False  # reading it reports why


def merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` onto ``base``: mappings key by key, anything else replaced; None deletes."""
    if not (isinstance(base, dict) and isinstance(over, dict)):
        return over
    result = dict(base)
    for key, value in over.items():
        if value is None:
            result.pop(key, None)
        elif key in result:
            result[key] = merge(result[key], value)
        else:
            result[key] = value
    return result


def _at(marks: typing.Mapping[tuple, Mark], default_file: str, path: tuple, message: str) -> Finding:
    """A finding at ``path``, or at its nearest ancestor that was written in some file."""
    for cut in range(len(path), -1, -1):
        mark = marks.get(path[:cut])
        if mark:
            return Finding(mark[0], mark[1], mark[2], dotted(path), message)
    return Finding(default_file, 1, 1, dotted(path), message)


def _from_pydantic(error: dict, marks: typing.Mapping[tuple, Mark], rel: str) -> Finding:
    loc = tuple(error["loc"])
    message = error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
    if loc and loc[-1] == "[key]":
        loc = loc[:-1]
        message = f"the name {loc[-1]!r}: {message}"
    if error["type"] == "string_pattern_mismatch" and error.get("ctx", {}).get("pattern") == DNS_LABEL_PATTERN:
        message = message.split(": String")[0] + ": " if message.startswith("the name") else ""
        message += "must be a DNS-1123 label: lowercase letters, digits and '-', starting with a letter, at most 63"
    if error["type"] == "extra_forbidden":
        allowed = _allowed_keys(loc[:-1])
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1)
        message = f"unknown field {loc[-1]!r}" + (f"; did you mean {close[0]!r}?" if close else "")
        if allowed:
            message += f" (allowed: {', '.join(allowed)})"
    elif error["type"] == "missing":
        message = "required field is missing"
    elif error["type"] in ("string_type", "int_type", "bool_type") and "input" in error:
        message += f", got {type(error['input']).__name__} {error['input']!r}"
        if error["type"] == "string_type" and isinstance(error["input"], (int, float, bool)):
            message += " (quote it to keep it a string)"
    return _at(marks, rel, loc, message)


def _allowed_keys(loc: tuple) -> list[str]:
    """The YAML keys allowed in the model found at ``loc`` (empty when it is not a model)."""
    annotation: Any = Environment
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
            field = next((f for f in annotation.model_fields.values() if f.alias == part), None)
            if field is None:
                return []
            annotation = field.annotation
        else:
            args = typing.get_args(annotation)
            annotation = args[-1] if args else None
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, pydantic.BaseModel):
        return sorted(f.alias or n for n, f in annotation.model_fields.items())
    return []


def _unwrap(annotation: Any) -> Any:
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
        else:
            return annotation


def read_config_files(root_fd: int, data: dict, marks: typing.Mapping[tuple, Mark], rel: str) -> tuple[dict, list[Finding]]:
    """Fill in ``content`` of every ConfigMap file a spec names by ``file`` (services.*.volumes.*.files.*),
    reading it from the spec root. The path must stay inside the root (no absolute paths, no '..' out of
    it, no symlink leading out) and be UTF-8 text. Returns new data; the input is not changed."""
    findings: list[Finding] = []
    services = data.get("services")
    if not isinstance(services, dict):
        return data, findings
    new_services = dict(services)
    for svc_name, svc in services.items():
        volumes = svc.get("volumes") if isinstance(svc, dict) else None
        if not isinstance(volumes, dict):
            continue
        new_volumes = dict(volumes)
        for vol_name, volume in volumes.items():
            files = volume.get("files") if isinstance(volume, dict) else None
            if not isinstance(files, dict):
                continue
            new_files = dict(files)
            for file_name, entry in files.items():
                if not (isinstance(entry, dict) and isinstance(entry.get("file"), str)):
                    continue
                where = ("services", svc_name, "volumes", vol_name, "files", file_name, "file")
                if "content" in entry:
                    findings.append(_at(marks, rel, where, "give content or file, not both"))
                    continue
                try:  # confined to the root, no symlink followed, a bounded regular file (generator.rootfs)
                    text = rootfs.read_bytes(root_fd, rootfs.normalize(entry["file"]), MAX_SPEC_BYTES).decode("utf-8")
                except rootfs.UnsafePath as err:
                    findings.append(_at(marks, rel, where, f"{entry['file']!r}: {err}"))
                    continue
                except UnicodeDecodeError:
                    findings.append(_at(marks, rel, where, f"{entry['file']!r} is not UTF-8 text"))
                    continue
                except OSError as err:
                    findings.append(_at(marks, rel, where, f"cannot read {entry['file']!r}: {err.strerror or err}"))
                    continue
                new_files[file_name] = {**entry, "content": text}
            new_volumes[vol_name] = {**volume, "files": new_files}
        new_services[svc_name] = {**svc, "volumes": new_volumes}
    return {**data, "services": new_services}, findings
