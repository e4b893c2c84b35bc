"""How long Helm takes to render the chart: the committed example (every environment) and the synthetic
N-service spec of ``bench/synthetic.py`` (three environments). Prints figures; asserts nothing.

    .venv/bin/python bench/helm_render.py [--services N] [--repeat R]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

sys.path.insert(0, str(REPO / "bench"))

from synthetic import write_root  # noqa: E402

from generator import fileset, pipeline, toolchain, yamlio  # noqa: E402
from generator.emit import helm  # noqa: E402


def render_root(root: Path) -> list[str]:
    result = pipeline.render(root)
    fileset.apply(root, fileset.plan(root, result.files, pipeline.MANAGED))
    return [env.name for env in result.built.environments]


def time_helm(root: Path, envs: list[str], repeat: int) -> tuple[float, int]:
    chart = root / helm.ROOT / pipeline.build(root).system
    best, objects = float("inf"), 0
    for _ in range(repeat):
        started = time.perf_counter()
        texts = [toolchain.helm_template(chart, chart / f"values-{env}.yaml", chart.name) for env in envs]
        best = min(best, time.perf_counter() - started)
        objects = sum(1 for text in texts for d in yamlio.load_all(text) if d)
    return best, objects


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"engine: {toolchain.helm_engine()}")
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        (example / "environments").mkdir(parents=True)
        for spec in (REPO / "environments").glob("*.yaml"):
            (example / "environments" / spec.name).write_text(spec.read_text(encoding="utf-8"), encoding="utf-8")
        envs = render_root(example)
        seconds, objects = time_helm(example, envs, args.repeat)
        print(f"example ({', '.join(envs)}): {objects} objects, helm template of all environments {seconds:.3f}s")
        synth = write_root(Path(tmp) / "synthetic", args.services)
        envs = render_root(synth)
        seconds, objects = time_helm(synth, envs, args.repeat)
        print(f"synthetic ({args.services} services, {', '.join(envs)}): {objects} objects, "
              f"helm template of all environments {seconds:.3f}s")


if __name__ == "__main__":
    main()
