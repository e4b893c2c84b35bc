"""The Helm tree: ``charts/<system>/`` with ``Chart.yaml``, ``values.yaml`` (safe defaults), one
``values-<unit>.yaml`` per environment (one per cluster of a multi-cluster environment:
``values-<env>.<cluster>.yaml``, see ``generator.layout``), ``values.schema.json``, a README, and templates generated from the
builders.

Nothing here mirrors a builder. For each environment the builders run a second time, over a traced copy of
the spec (``trace``): the objects they return say which of their fields are spec values passed through
and which were computed. ``templates`` writes each object as a template that reads the former from the
values and keeps the latter literal; an object whose template text is the same in several environments is
written once, guarded by the environments it belongs to. The guard template fails ``helm template`` when
the values ask for something the templates cannot give (see ``templates.expectations``).

Pure: returns a FileSet, writes nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources

import jinja2

from generator import __version__, yamlio
from generator.build import build_environment
from generator.built import BuiltRoot
from generator.emit.helm import values as helm_values
from generator.emit.helm.templates import EnvironmentTemplates, environment_templates, expectations, go_string
from generator.emit.helm.trace import Recorder, traced_copy
from generator.fileset import header
from generator.spec import Environment

ROOT = "charts"
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
    texts: dict[tuple[str, str], dict[str, list[str]]] = {}
    expected: dict[str, dict] = {}
    for env in built.environments:
        traced = trace_environment(env.unit, env.spec)
        files[f"{base}/values-{env.unit}.yaml"] = header(env.source) + yamlio.dump(traced.values)
        for key, text in traced.templates.texts.items():
            texts.setdefault(key, {}).setdefault(text, []).append(env.unit)
        spec_values = {k: v for k, v in traced.values.items() if k != helm_values.ENVIRONMENT_KEY}
        expected[env.unit] = expectations(spec_values, traced.templates.free, traced.recorder)
    files[f"{base}/templates/_expected.tpl"] = header(_SPECS) + _expected(expected)
    # Helm renders the deepest templates first (engine.sortTemplates): the guard fails before any object does.
    files[f"{base}/templates/guard/values.yaml"] = header(_SPECS) + _guard(names)
    for (kind, object_name), variants in sorted(texts.items()):
        files[f"{base}/templates/{kind.lower()}-{object_name}.yaml"] = header(_SPECS) + _by_environment(variants)
    return files


@dataclass(frozen=True)
class TracedEnvironment:
    """One environment as the chart sees it: its values, its templates, and how the builders used them."""

    values: dict
    templates: EnvironmentTemplates
    recorder: Recorder


def trace_environment(env_name: str, spec: Environment) -> TracedEnvironment:
    """Build the environment's objects again over its traced spec and write them as templates."""
    values = helm_values.values(env_name, spec)
    recorder = Recorder()
    traced = traced_copy(helm_values.chart_spec(spec), values, (), recorder)
    return TracedEnvironment(values, environment_templates(build_environment(env_name, traced), recorder), recorder)


def _environment_is(names: list[str]) -> str:
    return "eq (toString $.Values.environment) " + " ".join(go_string(n) for n in names)


def _by_environment(variants: dict[str, list[str]]) -> str:
    """One object's template: each distinct text under the environments that have it."""
    branches = []
    for i, (text, names) in enumerate(variants.items()):
        branches.append(f"{{{{- {'if' if i == 0 else 'else if'} {_environment_is(names)} }}}}\n{text}")
    return "".join(branches) + "{{- end }}\n"


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


def _expected(expected: dict[str, dict]) -> str:
    """One define per environment holding its expectations as JSON (no '{{' inside, for Go templates)."""
    blocks = []
    for name, data in sorted(expected.items()):
        text = json.dumps(data, ensure_ascii=True, separators=(",", ":"), sort_keys=True).replace("{{", "{\\u007b")
        blocks.append(f'{{{{- define "gitops.expected.{name}" -}}}}\n{text}\n{{{{- end }}}}\n')
    return "".join(blocks)


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
