"""Kustomize build time of the generated overlays, per environment, against a plain base of the same objects.

    .venv/bin/python bench/kustomize_build.py [--services N] [--repeat R]

For the committed example (this repository's specs) and for a synthetic spec of N services (default 100)
written to a temporary root, it renders the root, then times ``kubectl kustomize overlays/<env>`` and
``kubectl kustomize`` over a folder that lists the same objects (``rendered/<env>``) as plain resources.
Prints the best of R runs (default 3). Measures only; the tests assert nothing about time.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from generator import fileset, pipeline, toolchain, yamlio  # noqa: E402
from generator.load import load_root  # noqa: E402


def synthetic_root(target: Path, services: int) -> Path:
    """A SecureNexus-like system of ``services`` services in staging, uat and production."""
    folder = target / "environments"
    folder.mkdir(parents=True)
    defaults = yamlio.load((REPO / "environments/_defaults.yaml").read_text(encoding="utf-8"))
    template = defaults["services"]["securenexus"]
    names = [f"svc-{i:03d}" for i in range(services)]
    defaults["system"] = "synthetic"
    defaults["services"] = {
        name: {**template, "image": {**template["image"], "repository": f"registry.example.com/{name}"},
               "ingress": [{"from": {"service": names[i - 1]}, "ports": [5000]}] if i else template["ingress"]}
        for i, name in enumerate(names)
    }
    (folder / "_defaults.yaml").write_text(yamlio.dump(defaults), encoding="utf-8")
    for env, replicas in (("staging", 1), ("uat", 1), ("production", 2)):
        overrides = {}
        for i, name in enumerate(names):
            svc: dict = {"env": {"APP_ENV": env}}
            if env == "production":
                svc.update(replicas=replicas, disruption={"minAvailable": 1},
                           resources={"requests": {"cpu": "200m", "memory": "256Mi"},
                                      "limits": {"cpu": "1000m", "memory": "1Gi"}})
            if env == "staging" and i % 10 == 0:
                svc["image"] = {"repository": f"registry.example.com/{name}", "tag": "1.5.0-rc1"}
            overrides[name] = svc
        spec = {"extends": "_defaults.yaml", "services": overrides}
        (folder / f"{env}.yaml").write_text(yamlio.dump(spec), encoding="utf-8")
    return target


def render(root: Path) -> None:
    result = pipeline.render(root)
    fileset.apply(root, fileset.plan(root, result.files, pipeline.MANAGED))


def plain_base(root: Path, env: str, target: Path) -> Path:
    """A kustomization folder holding the objects of rendered/<env> as plain resources."""
    target.mkdir(parents=True)
    files = []
    for i, path in enumerate(sorted((root / "rendered" / env).rglob("*.yaml"))):
        name = f"{i:04d}-{path.name}"
        shutil.copyfile(path, target / name)
        files.append(name)
    (target / "kustomization.yaml").write_text(yamlio.dump({"resources": files}), encoding="utf-8")
    return target


def best_of(directory: Path, repeat: int) -> tuple[float, int]:
    times, count = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        out = toolchain.kustomize_build(directory)
        times.append(time.perf_counter() - started)
        count = sum(1 for d in yamlio.load_all(out) if d)
    return min(times), count


def report(label: str, root: Path, repeat: int, scratch: Path) -> None:
    print(f"\n{label} ({root})")
    print(f"  {'environment':<12} {'objects':>7} {'patches':>7} {'overlay':>9} {'plain base':>11}")
    for env in (e.name for e in load_root(root)):
        overlay, count = best_of(root / "overlays" / env, repeat)
        plain, plain_count = best_of(plain_base(root, env, scratch / label / env), repeat)
        assert count == plain_count, f"{env}: overlay builds {count} objects, plain base {plain_count}"
        patches = len(list((root / "overlays" / env / "patches").rglob("*.yaml")))
        print(f"  {env:<12} {count:>7} {patches:>7} {overlay:>8.2f}s {plain:>10.2f}s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--services", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"kubectl: {toolchain.kubectl()}")
    with tempfile.TemporaryDirectory() as tmp:
        scratch = Path(tmp)
        example = scratch / "example"
        shutil.copytree(REPO / "environments", example / "environments")
        render(example)
        report("example", example, args.repeat, scratch / "plain")
        synthetic = synthetic_root(scratch / "synthetic", args.services)
        started = time.perf_counter()
        render(synthetic)
        print(f"\nsynthetic spec with {args.services} services rendered in {time.perf_counter() - started:.2f}s")
        report(f"synthetic-{args.services}", synthetic, args.repeat, scratch / "plain")


if __name__ == "__main__":
    main()
