"""The Helm tree: ``charts/<system>/`` with ``Chart.yaml``, the templates, ``values.yaml`` (safe defaults),
one ``values-<env>.yaml`` per environment, ``values.schema.json`` and a README.

The chart is named after the environments' ``system`` (the release name is the chart name). Templates
are static files shipped in this package (``helm_chart/templates/``), copied with the generated-file
header; values and schema come from ``helm_values``. Pure: returns a FileSet, writes nothing.
"""

from __future__ import annotations

import json
from importlib import resources

import jinja2

from generator import __version__, yamlio
from generator.emit import helm_values
from generator.errors import Finding, SpecError
from generator.fileset import header

ROOT = "charts"
_TEMPLATE_DIR = "helm_chart/templates"
_TEMPLATE_SOURCE = "generator/emit/helm_chart/templates"
RELEASE_NAME_LIMIT = 53  # Helm refuses longer release names


def chart_name(built) -> str:
    """The system all environments share; a SpecError when they disagree or it cannot name a release."""
    systems = {env.env.spec.system for env in built}
    if len(systems) > 1:
        first = built[0].env.spec.system
        raise SpecError(
            [
                Finding(env.env.source, 0, 0, "system", f"is {env.env.spec.system!r} but {built[0].env.source} says "
                        f"{first!r}: every environment of a root must name the same system (it names the Helm chart)")
                for env in built[1:]
                if env.env.spec.system != first
            ]
        )
    name = systems.pop()
    if len(name) > RELEASE_NAME_LIMIT:
        raise SpecError(
            [Finding(built[0].env.source, 0, 0, "system", f"{name!r} is longer than {RELEASE_NAME_LIMIT} characters, "
                     "the limit of a Helm release name")]
        )
    return name


def chart_templates() -> dict[str, str]:
    """The static chart templates shipped with the package, by file name."""
    folder = resources.files("generator.emit").joinpath(_TEMPLATE_DIR)
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.iterdir(), key=lambda p: p.name)
            if p.name.endswith((".yaml", ".tpl"))}


def emit(built) -> dict[str, str]:
    """Every file of the chart of these environments."""
    if not built:
        return {}
    name = chart_name(built)
    base = f"{ROOT}/{name}"
    specs = "environments/"
    files = {
        f"{base}/Chart.yaml": header(specs) + yamlio.dump(_chart_metadata(name)),
        f"{base}/values.yaml": header(specs) + _SAFE_DEFAULTS_NOTE + yamlio.dump(helm_values.safe_defaults(name)),
        f"{base}/values.schema.json": json.dumps(helm_values.schema(), indent=2, ensure_ascii=False) + "\n",
        f"{base}/README.md": _readme(name, built),
    }
    for env in built:
        files[f"{base}/values-{env.name}.yaml"] = header(env.env.source) + yamlio.dump(helm_values.values(env.env.spec))
    for file_name, text in chart_templates().items():
        files[f"{base}/templates/{file_name}"] = header(f"{_TEMPLATE_SOURCE}/{file_name}") + text
    return files


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
        {"name": env.name, "source": env.env.source, "services": ", ".join(f"`{s}`" for s in env.env.spec.services)}
        for env in built
    ]
    return environment.get_template("helm-readme.md.j2").render(chart=name, environments=rows)
