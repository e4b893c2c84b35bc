"""CPU time of each stage of an in-process render (load + build + validate, then each emitter), for this
generator and optionally another copy of it, runs interleaved so that a busy machine slows both alike.

    .venv/bin/python bench/stages.py [--before DIR] [--services 500] [--runs 3]

Each run is a fresh process (``PYTHONPATH=DIR`` for ``--before``) rendering the synthetic root of
``synthetic.py`` in memory, timed with ``time.process_time``, GC disabled as the CLI does: the spec load
alone first (the floor under every render: parsing and validating the specs), then the render's stages.
Prints one line per run; asserts nothing.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from synthetic import write_root  # noqa: E402

ONE_RUN = """\
import gc, sys, time
from pathlib import Path
gc.disable()
from generator import pipeline
from generator.load import load_root
started = time.process_time()
load_root(Path(sys.argv[1]))
stages = [("load", time.process_time() - started)]
started = time.process_time()
built = pipeline.build(Path(sys.argv[1]))
stages.append(("build", time.process_time() - started))
for emit in pipeline.EMITTERS:
    started = time.process_time()
    emit(built)
    stages.append((emit.__module__.rsplit(".", 1)[-1], time.process_time() - started))
# "load" is the spec load alone, measured first; "build" (load, build, validate: the render's first stage) loads
# again, so the total leaves "load" out
print(" ".join(f"{name} {seconds:.2f}" for name, seconds in stages), f"total {sum(s for _, s in stages[1:]):.2f}")
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="another copy of the generator to measure beside this one")
    parser.add_argument("--services", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    sources = [("before", args.before.resolve())] if args.before else []
    sources.append(("after", REPO))
    with tempfile.TemporaryDirectory() as tmp:
        root = write_root(Path(tmp), args.services)
        for _ in range(args.runs):
            for label, source in sources:
                env = {**os.environ, "PYTHONPATH": str(source)}
                line = subprocess.run([sys.executable, "-c", ONE_RUN, str(root)], env=env, cwd=source,
                                      capture_output=True, text=True, check=True).stdout.strip()
                print(f"{label:6s} {line}", flush=True)


if __name__ == "__main__":
    main()
