"""The chart reuses one environment's templates for another only when a fresh trace would write the same.

``trace_environment(..., earlier=...)`` skips the second build of an environment whose traced spec makes the
builders take the same steps as an earlier one's (``trace.same_build``). On every fixture root, each
environment traced that way has exactly the templates, object names, free paths and expectations a trace
of its own gives; on the Helm fixture spec, a difference in a free value is reused (with the object names
the object names it gives), and a pinned value, a comparison that comes out the other way, or a changed flag is not.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import root_id, spec_roots
from generator import pipeline, yamlio
from generator.emit import helm
from generator.emit.helm.templates import expectations
from generator.emit.helm.values import ENVIRONMENT_KEY

FIXTURE = Path(__file__).parent / "fixtures" / "helm" / "dev.yaml"


def _expected(traced: helm.TracedEnvironment) -> dict:
    values = {k: v for k, v in traced.values.items() if k != ENVIRONMENT_KEY}
    return expectations(values, traced.templates.free, traced.recorder)


def _trace_all(built, reuse: bool) -> list[helm.TracedEnvironment]:
    traces: list[helm.TracedEnvironment] = []
    for env in built.environments:
        traces.append(helm.trace_environment(env.name, env.spec, unit=env.unit, earlier=traces if reuse else ()))
    return traces


@pytest.mark.parametrize("specs", [pytest.param(r, id=root_id(r)) for r in spec_roots()])
def test_a_reused_trace_is_what_a_fresh_trace_writes(specs):
    built = pipeline.build(specs)
    for fresh, reused in zip(_trace_all(built, reuse=False), _trace_all(built, reuse=True)):
        unit = fresh.values[ENVIRONMENT_KEY]
        assert reused.templates.texts == fresh.templates.texts, unit
        assert list(reused.templates.texts) == list(fresh.templates.texts), unit
        assert reused.templates.free == fresh.templates.free, unit
        assert _expected(reused) == _expected(fresh), unit


def test_the_fixture_roots_reuse_and_rename():
    """The fixtures hold environments that differ only in free values (staging and uat, a fleet's
    clusters), some of them in the name of an object (the Namespace), so the chart tests exercise the
    reuse too."""
    reused, renamed = [], []
    for specs in spec_roots():
        traces = _trace_all(pipeline.build(specs), reuse=True)
        for i, t in enumerate(traces):
            for other in traces[:i]:
                if t.recorder is other.recorder:
                    reused.append(t.values[ENVIRONMENT_KEY])
                    renamed += list(set(t.templates.texts) - set(other.templates.texts))
    assert len(reused) >= 2, reused
    assert ("Namespace", "uat") in renamed, renamed


def _pair(tmp_path: Path, change) -> tuple[helm.TracedEnvironment, helm.TracedEnvironment, helm.TracedEnvironment]:
    """The Helm fixture spec as 'dev'; changed by ``change`` as 'qa', traced after 'dev' and on its own."""
    base = yamlio.load(FIXTURE.read_text(encoding="utf-8"))
    other = yamlio.load(FIXTURE.read_text(encoding="utf-8"))
    change(other)
    specs = tmp_path / "specs" / "environments"
    specs.mkdir(parents=True)
    (specs / "dev.yaml").write_text(yamlio.dump(base), encoding="utf-8")
    (specs / "qa.yaml").write_text(yamlio.dump(other), encoding="utf-8")
    envs = {env.unit: env for env in pipeline.build(specs.parent).environments}
    dev = helm.trace_environment("dev", envs["dev"].spec, unit="dev")
    after = helm.trace_environment("qa", envs["qa"].spec, unit="qa", earlier=[dev])
    return dev, after, helm.trace_environment("qa", envs["qa"].spec, unit="qa")


def test_free_values_are_reused(tmp_path):
    def change(spec):
        web = spec["services"]["web"]
        web["image"]["tag"] = "1.5.0"
        web["env"]["LOG_LEVEL"] = "debug"
        web["expose"]["host"] = "qa.shop.example.com"

    dev, qa, fresh = _pair(tmp_path, change)
    assert qa.recorder is dev.recorder
    assert qa.templates.texts == fresh.templates.texts == dev.templates.texts
    assert _expected(qa) == _expected(fresh)
    assert qa.values["services"]["web"]["env"]["LOG_LEVEL"] == "debug"


@pytest.mark.parametrize("change", [
    pytest.param(lambda s: s["services"]["web"].update(port=5001), id="pinned-port"),
    pytest.param(lambda s: s["services"]["web"].update(replicas=1), id="comparison-flips"),
    pytest.param(lambda s: s["services"]["web"]["metrics"].update(podAnnotations=False), id="flag"),
    pytest.param(lambda s: s["services"]["web"]["env"].update(EXTRA="1"), id="new-key"),
])
def test_other_steps_are_traced_again(tmp_path, change):
    dev, qa, fresh = _pair(tmp_path, change)
    assert qa.recorder is not dev.recorder
    assert qa.templates.texts == fresh.templates.texts != dev.templates.texts
