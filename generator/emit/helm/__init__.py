"""The Helm tree: ``charts/<system>/`` with ``Chart.yaml``, ``values.yaml`` (safe defaults), one
``values-<unit>.yaml`` per environment (one per cluster of a multi-cluster environment:
``values-<env>.<cluster>.yaml``, see ``generator.layout``), ``values.schema.json``, a README, and
templates generated from the builders.

Nothing here mirrors a builder. For each environment the builders run a second time, over a traced copy of
the spec (``trace``): the objects they return say which of their fields are spec values passed through
and which were computed. ``templates`` writes each object as a template that reads the former from the
values and keeps the latter literal. An environment whose spec makes the builders take the same steps as an
earlier one's (``trace.same_build``) takes its templates without a build of its own. ``placement`` decides
which texts are shared templates and which are an environment's own (``templates/<env>/``), so that a
change to one environment changes only its own files.
The guard template fails ``helm template`` when the values ask for something the templates cannot give
(see ``templates.expectations``).

Pure: returns a FileSet, writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Sequence
from importlib import resources

import jinja2

from generator import __version__, yamlio
from generator.builders import build_environment
from generator.built import BuiltRoot
from generator.emit.helm import values as helm_values
from generator.emit.helm.placement import place
from generator.emit.helm.templates import EnvironmentTemplates, environment_templates, expectations, go_string
from generator.emit.helm.trace import Recorder, same_build, traced_copy
from generator.fileset import header
from generator.layout import CHART_GUARD, CHART_SHARED_TEMPLATES, CHARTS, chart_environment_paths
from generator.spec import Environment

ROOT = CHARTS
_SPECS = "environments/"


def emit(built: BuiltRoot) -> dict[str, str]:
    """Every file of the chart of these environments."""
    name = built.system
    base = f"{ROOT}/{name}"
    names = [env.unit for env in built.environments]
    files = {
        f"{base}/Chart.yaml": header(_SPECS) + yamlio.dump(_chart_metadata(name)),
        f"{base}/values.yaml": header(_SPECS) + _SAFE_DEFAULTS_NOTE + yamlio.dump(helm_values.safe_defaults(name)),
        f"{base}/values.schema.json": json.dumps(
            {"$comment": header(_SPECS)[2:].strip(), **helm_values.schema(names)}, indent=2, ensure_ascii=False
        ) + "\n",
        f"{base}/README.md": _readme(name, built),
        f"{base}/templates/_helpers.tpl": header(_SPECS) + _helpers(),
    }
    texts: dict[str, dict[str, str]] = {}
    expected: dict[str, str] = {}  # as JSON, so that the values it holds need not be kept
    builds: list[TracedEnvironment] = []  # one per distinct build, for the environments after it to reuse
    for env in built.environments:
        traced = trace_environment(env.name, env.spec, unit=env.unit, earlier=builds)
        if all(traced.recorder is not other.recorder for other in builds):
            builds.append(traced)
        files[f"{base}/values-{env.unit}.yaml"] = header(env.source) + yamlio.dump(traced.values)
        for (kind, object_name), text in traced.templates.texts.items():
            texts.setdefault(f"{kind.lower()}-{object_name}.yaml", {})[env.unit] = text
        spec_values = {k: v for k, v in traced.values.items() if k != helm_values.ENVIRONMENT_KEY}
        expected[env.unit] = _json(expectations(spec_values, traced.templates.free, traced.recorder))
    placement = place(texts, [env.unit for env in built.latest_first()])
    files[f"{base}/{CHART_GUARD}"] = header(_SPECS) + _guard(names)
    for file_name, text in placement.shared.items():
        files[f"{base}/{CHART_SHARED_TEMPLATES}/{file_name}"] = header(_SPECS) + _shared(file_name, text)
    for env in built.environments:
        own = f"{base}/{chart_environment_paths(env.unit)[1]}"
        files[f"{own}/_expected.tpl"] = header(env.source) + _expected(env.unit, expected[env.unit],
                                                                        placement.skipped[env.unit])
        for file_name, text in placement.own[env.unit].items():
            files[f"{own}/{file_name}"] = header(env.source) + _own(env.unit, text)
    return files


@dataclass(frozen=True)
class TracedEnvironment:
    """One environment as the chart sees it: its values, the spec they are written from (``chart_spec``), its
    templates, and how the builders used the spec."""

    values: dict
    spec: Environment
    templates: EnvironmentTemplates
    recorder: Recorder


def trace_environment(
    env_name: str, spec: Environment, *, unit: str | None = None, earlier: Sequence[TracedEnvironment] = ()
) -> TracedEnvironment:
    """Build the environment's objects again over its traced spec and write them as templates; ``unit``
    names the tree in the chart (one cluster of an environment on several), the environment by default.

    When the builders would take the same steps over this spec as over an ``earlier`` one's (``same_build``:
    a staging and a uat that differ in free values, the clusters of a fleet), its templates and uses are
    that environment's, without building again."""
    chart = helm_values.chart_spec(spec)
    values = helm_values.values(unit or env_name, chart)
    for other in earlier:
        if same_build(other.spec, other.values, chart, values, other.recorder):
            templates = other.templates.under(values)
            if templates is not None:
                return TracedEnvironment(values, chart, templates, other.recorder)
    recorder = Recorder()
    objects = build_environment(env_name, traced_copy(chart, values, (), recorder))
    return TracedEnvironment(values, chart, environment_templates(objects, recorder), recorder)


def _shared(file_name: str, text: str) -> str:
    """A template every environment renders unless its own _expected.tpl skips it."""
    skipped = f'include (printf "gitops.skipped.%s" (toString $.Values.environment)) . | fromJsonArray'
    return f"{{{{- if and $.Values.environment (not (has {go_string(file_name)} ({skipped}))) }}}}\n{text}{{{{- end }}}}\n"


def _own(env_name: str, text: str) -> str:
    """A template of one environment only."""
    return f"{{{{- if eq (toString $.Values.environment) {go_string(env_name)} }}}}\n{text}{{{{- end }}}}\n"


def _guard(names: list[str]) -> str:
    known = " ".join(go_string(n) for n in names)
    return (
        "{{- with .Values.environment }}\n"
        f"{{{{- if not (has (toString .) (list {known})) }}}}\n"
        f"{{{{- fail (printf \"values environment: %s is not one of this chart's environments ({', '.join(names)})\" "
        "(toString .)) }}\n"
        "{{- end }}\n"
        "{{- end }}\n"
        "{{- if .Values.environment }}\n"
        '{{- $want := include (printf "gitops.expected.%s" .Values.environment) . | fromJson }}\n'
        '{{- $_ := include "gitops.check" (list "" (omit .Values "environment") $want.values) }}\n'
        '{{- $_ = include "gitops.constraints" (list .Values $want.constraints) }}\n'
        "{{- end }}\n"
    )


def _expected(env_name: str, expected: str, skipped: list[str]) -> str:
    """The environment's expectations of its values (``_json``) and the shared templates it skips, as JSON
    in two defines."""
    blocks = []
    for kind, text in (("expected", expected), ("skipped", _json(skipped))):
        blocks.append(f'{{{{- define "gitops.{kind}.{env_name}" -}}}}\n{text}\n{{{{- end }}}}\n')
    return "".join(blocks)


def _json(data: Any) -> str:
    """Compact, sorted JSON with no '{{' inside (for Go templates)."""
    return json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True).replace("{{", "{\\u007b")


def _helpers() -> str:
    return resources.files("generator.emit.helm").joinpath("chart/_helpers.tpl").read_text(encoding="utf-8")


_SAFE_DEFAULTS_NOTE = "# Safe defaults: no services, so nothing renders. Deploy with -f values-<env>.yaml.\n"


def _chart_metadata(name: str) -> dict:
    return {
        "apiVersion": "v2",
        "name": name,
        "description": f"The {name} system: every environment's objects, one values file per environment.",
        "type": "application",
        "version": __version__,
    }


def _readme(name: str, built) -> str:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("generator", "templates"),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    rows = [
        {"name": env.unit, "source": env.source, "services": ", ".join(f"`{s}`" for s in env.spec.services)}
        for env in built.environments
    ]
    return environment.get_template("helm-readme.md.j2").render(chart=name, environments=rows)
