"""Time `gitops-gen render` on the committed example and on synthetic roots of N services.

Prints, per size: objects, files, and the time of each stage (load, build + strict validation, emit,
first write, no-op re-render) measured in one process, plus a cold `python -m generator render` in a
fresh process (what `make render` costs, interpreter start-up included). Usage:

    .venv/bin/python bench/render.py [N ...]      (default: 100 500)
"""

from __future__ import annotations

import gc
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
REPO = Path(__file__).resolve().parent.parent

from synthetic import write_root  # noqa: E402

from generator import fileset, pipeline  # noqa: E402
from generator.builders import build_environment  # noqa: E402
from generator.load import load_root  # noqa: E402


def timed(fn):
    start = time.perf_counter()
    value = fn()
    return value, time.perf_counter() - start


def measure(root: Path, label: str) -> None:
    envs, t_load = timed(lambda: load_root(root))
    _, t_build_only = timed(lambda: [build_environment(e.name, e.spec) for e in envs])
    built, t_build = timed(lambda: pipeline.build(root))
    files, t_emit = timed(lambda: {k: v for emit in pipeline.EMITTERS for k, v in emit(built).items()})
    result, t_total = timed(lambda: pipeline.render(root))
    change = fileset.plan(root, result.files, pipeline.MANAGED)
    _, t_write = timed(lambda: fileset.apply(root, change))
    cold = time.perf_counter()
    subprocess.run([sys.executable, "-m", "generator", "render", "--root", str(root)], check=True,
                   capture_output=True, cwd=REPO)
    t_cold = time.perf_counter() - cold
    objects = sum(len(b.objects) for b in built.environments)
    print(
        f"{label:>14}: {objects:6d} objects {len(files):6d} files | load {t_load:6.3f}s  build {t_build_only:6.3f}s"
        f"  build+validate {t_build:6.3f}s  emit {t_emit:6.3f}s  render total {t_total:6.3f}s"
        f"  write {t_write:6.3f}s | cold CLI re-render {t_cold:6.3f}s"
    )


def main(argv: list[str]) -> None:
    gc.disable()  # as the CLI does for the length of a command
    sizes = [int(a) for a in argv] or [100, 500]
    with tempfile.TemporaryDirectory() as tmp:
        example = Path(tmp) / "example"
        (example / "environments").mkdir(parents=True)
        for path in (REPO / "environments").glob("*.yaml"):
            (example / "environments" / path.name).write_bytes(path.read_bytes())
        measure(example, "example")
        for n in sizes:
            measure(write_root(Path(tmp) / f"n{n}", n), f"{n} services")


if __name__ == "__main__":
    main(sys.argv[1:])
