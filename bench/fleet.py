"""Render time and peak RSS of a fleet: N services x 3 environments x C clusters per environment.

Each configuration runs in a fresh process (so its peak RSS is its own): the synthetic root of
``synthetic.py`` with every environment on C clusters (the first primary in us-east-1, the rest standbys
in us-west-2 with their own secret store region), rendered in memory by ``pipeline.render`` (load, build,
strict validation, every tree: rendered/, base/ + overlays/, the Helm chart, Argo CD). Prints objects,
files, seconds (time.perf_counter) and peak RSS (resource.getrusage, ru_maxrss). Usage:

    .venv/bin/python bench/fleet.py [SERVICES [CLUSTERS ...]]     (default: 500 1 2 5 10)
"""

from __future__ import annotations

import gc
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import write_root  # noqa: E402

from generator import pipeline, yamlio  # noqa: E402

ENVIRONMENTS = ("staging", "uat", "production")


def fleet_root(root: Path, services: int, clusters: int) -> Path:
    """The synthetic root, each environment on ``clusters`` clusters (one: today's single destination)."""
    write_root(root, services)
    for env in ENVIRONMENTS:
        path = root / "environments" / f"{env}.yaml"
        spec = yamlio.load(path.read_text(encoding="utf-8"))
        spec["argocd"] = {"repoURL": "https://git.example.com/platform/gitops.git"}
        if clusters > 1:
            spec["clusters"] = {
                f"{env}-{i}": {
                    "destination": {"name": f"{env}-{i}"},
                    "region": "us-east-1" if i == 0 else "us-west-2",
                    "role": "primary" if i == 0 else "standby",
                    **({} if i == 0 else {"overrides": {"secretStores": {"aws": {"aws": {"region": "us-west-2"}}}}}),
                }
                for i in range(clusters)
            }
        path.write_text(yamlio.dump(spec), encoding="utf-8")
    return root


def one(services: int, clusters: int) -> None:
    """Measure one configuration in this process and print one line."""
    with tempfile.TemporaryDirectory() as tmp:
        root = fleet_root(Path(tmp), services, clusters)
        gc.disable()  # as the CLI does for the length of a command
        start = time.perf_counter()
        result = pipeline.render(root)
        seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    objects = sum(len(env.objects) for env in result.built.environments)
    trees = len(result.built.environments)
    print(f"{services:4d} services x {len(ENVIRONMENTS)} envs x {clusters:2d} clusters: {trees:3d} trees "
          f"{objects:7d} objects {len(result.files):7d} files | render {seconds:7.2f}s "
          f"({seconds / trees:5.2f}s per tree) | peak RSS {peak:7.0f} MiB", flush=True)


def main(argv: list[str]) -> None:
    if argv[:1] == ["--one"]:
        one(int(argv[1]), int(argv[2]))
        return
    services = int(argv[0]) if argv else 500
    for clusters in [int(a) for a in argv[1:]] or [1, 2, 5, 10]:
        subprocess.run([sys.executable, __file__, "--one", str(services), str(clusters)], check=True)


if __name__ == "__main__":
    main(sys.argv[1:])
