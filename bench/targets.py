"""The performance targets of the render, measured and printed as a table: target | before | after | met?

Every figure comes from a fresh process (interpreter start included where the target says so), timed with
``time.perf_counter`` around ``subprocess.run``; peak RSS with ``/usr/bin/time -f %M`` (the ``ru_maxrss``
of the child). The Helm reference is one helm-python-sdk process (the Helm 4 Go SDK the tests use) loading
the simplest hand-written chart for the same services (a range over ``.Values.services`` writing a
ServiceAccount, ConfigMap, Service, Deployment, NetworkPolicy and ExternalSecret per service, a PDB and an
HPA where the values ask) and rendering it for the three environments. Runs are paired and interleaved;
ratios are the median of the paired ratios.

    .venv/bin/python bench/targets.py [--before DIR] [--pairs 7]

``--before DIR`` adds a column measured with another copy of the generator (``git worktree add`` or
``git archive`` of an older commit into DIR), run with ``PYTHONPATH=DIR``. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import math
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))
sys.path.insert(0, str(REPO))

from synthetic import service, write_root  # noqa: E402

import yaml  # noqa: E402

ENVIRONMENTS = ("production", "staging", "uat")

# --- the Helm reference ----------------------------------------------------------------------------------

_LABELS = """\
    app.kubernetes.io/name: {{ $name }}
    app.kubernetes.io/part-of: bench
    app.kubernetes.io/managed-by: helm"""

CHART_TEMPLATE = textwrap.dedent("""\
{{- range $name, $svc := .Values.services }}
---
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
  labels:
LABELS
automountServiceAccountToken: false
---
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ $name }}-env
  namespace: {{ $.Values.namespace }}
  labels:
LABELS
data:
  {{- range $k, $v := $svc.env }}
  {{ $k }}: {{ $v | quote }}
  {{- end }}
---
apiVersion: v1
kind: Service
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
  labels:
LABELS
spec:
  selector:
    app.kubernetes.io/name: {{ $name }}
  ports:
  - name: http
    port: {{ $svc.port }}
    targetPort: http
    protocol: TCP
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
  labels:
LABELS
spec:
  replicas: {{ $svc.replicas | default 1 }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {{ $name }}
      annotations:
        checksum/config: {{ $svc.env | toJson | sha256sum }}
    spec:
      serviceAccountName: {{ $name }}
      automountServiceAccountToken: false
      securityContext:
        runAsNonRoot: true
        runAsUser: 10001
        seccompProfile:
          type: RuntimeDefault
      containers:
      - name: {{ $name }}
        image: "{{ $svc.image.repository }}:{{ $svc.image.tag }}"
        ports:
        - name: http
          containerPort: {{ $svc.port }}
          protocol: TCP
        envFrom:
        - configMapRef:
            name: {{ $name }}-env
        env:
        {{- range $s := $svc.secrets }}{{ range $key := $s.keys }}
        - name: {{ $key }}
          valueFrom:
            secretKeyRef:
              name: {{ $name }}-secrets
              key: {{ $key }}
        {{- end }}{{ end }}
        resources:
          {{- toYaml $svc.resources | nindent 10 }}
        livenessProbe:
          httpGet:
            path: {{ $svc.probes.liveness.path }}
            port: http
        readinessProbe:
          httpGet:
            path: {{ $svc.probes.readiness.path }}
            port: http
        securityContext:
          allowPrivilegeEscalation: false
          readOnlyRootFilesystem: true
          capabilities:
            drop: [ALL]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
  policyTypes: [Ingress, Egress]
  egress:
  {{- range $e := $svc.egress }}
  - to:
    {{- if $e.to.cidr }}
    - ipBlock:
        cidr: {{ $e.to.cidr }}
    {{- else }}
    - podSelector:
        matchLabels:
          app.kubernetes.io/name: {{ $e.to.service }}
    {{- end }}
    {{- with $e.ports }}
    ports:
    {{- range $p := . }}
    - protocol: TCP
      port: {{ $p }}
    {{- end }}
    {{- end }}
  {{- end }}
---
apiVersion: external-secrets.io/v1
kind: ExternalSecret
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
spec:
  secretStoreRef:
    name: aws
    kind: SecretStore
  target:
    name: {{ $name }}-secrets
  data:
  {{- range $s := $svc.secrets }}{{ range $key := $s.keys }}
  - secretKey: {{ $key }}
    remoteRef:
      key: {{ $s.path }}
      property: {{ $key }}
  {{- end }}{{ end }}
{{- with $svc.disruption }}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
spec:
  minAvailable: {{ .minAvailable }}
  selector:
    matchLabels:
      app.kubernetes.io/name: {{ $name }}
{{- end }}
{{- with $svc.autoscaling }}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {{ $name }}
  namespace: {{ $.Values.namespace }}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {{ $name }}
  minReplicas: {{ .minReplicas }}
  maxReplicas: {{ .maxReplicas }}
{{- end }}
{{- end }}
""").replace("LABELS", _LABELS)

HELM_PROCESS = """\
import sys
from pathlib import Path
import helm_python as sdk
chart = Path(sys.argv[1])
count = 0
with sdk.Chart.load(chart) as loaded:
    for env in sys.argv[2:]:
        values = sdk.values_from_yaml((chart / f"values-{env}.yaml").read_text(encoding="utf-8"))
        count += sum(text.count("\\nkind: ") + text.startswith("kind: ") for text in loaded.render(values, name="bench").values())
print(count)
"""


def write_chart(folder: Path, n: int) -> Path:
    """The hand-written reference chart and one values file per environment, for ``n`` services."""
    (folder / "templates").mkdir(parents=True, exist_ok=True)
    (folder / "Chart.yaml").write_text("apiVersion: v2\nname: bench\nversion: 0.1.0\n", encoding="utf-8")
    (folder / "templates" / "services.yaml").write_text(CHART_TEMPLATE, encoding="utf-8")
    for env in ENVIRONMENTS:
        services = {}
        for i in range(n):
            svc = service(i, n)
            if env == "production":
                svc.update(replicas=2, disruption={"minAvailable": 1}, autoscaling={"minReplicas": 2, "maxReplicas": 6})
            services[f"svc{i}"] = svc
        values = {"namespace": env, "services": services}
        (folder / f"values-{env}.yaml").write_text(yaml.safe_dump(values, sort_keys=False), encoding="utf-8")
    return folder


# --- measuring ---------------------------------------------------------------------------------------------

def _env(source: Path) -> dict:
    """Run with the generator under ``source`` (the processes also start in ``source``: the current folder
    comes first on sys.path)."""
    return {**os.environ, "PYTHONPATH": str(source), "PYTHONHASHSEED": "0"}


def wall(args: list[str], env: dict | None = None, cwd: Path = REPO) -> float:
    started = time.perf_counter()
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def peak_rss_mb(args: list[str], env: dict, cwd: Path) -> float:
    proc = subprocess.run(["/usr/bin/time", "-f", "%M", *args], env=env, cwd=cwd, capture_output=True, text=True)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr)
    return int(proc.stderr.strip().splitlines()[-1]) / 1024


IN_PROCESS = """\
import gc, sys, time
from pathlib import Path
gc.disable()
from generator import pipeline
started = time.perf_counter()
pipeline.render(Path(sys.argv[1]))
print(time.perf_counter() - started)
"""

WRITE_COMPARE = """\
import gc, os, shutil, sys, time
from pathlib import Path
gc.disable()
from generator import fileset, pipeline
specs, scratch = Path(sys.argv[1]), Path(sys.argv[2])
files = pipeline.render(specs).files
render_times, plain_times = [], []
for attempt in range(3):
    for kind in ("render", "plain"):
        root = scratch / f"{kind}{attempt}"
        shutil.copytree(specs / "environments", root / "environments")
        if kind == "render":
            started = time.perf_counter()
            fileset.apply(root, fileset.plan(root, files, pipeline.MANAGED))
            render_times.append(time.perf_counter() - started)
        else:
            started = time.perf_counter()
            made = set()
            for rel, text in files.items():
                folder = os.path.dirname(rel)
                if folder not in made:
                    os.makedirs(root / folder, exist_ok=True)
                    made.add(folder)
                with open(root / rel, "w", encoding="utf-8") as handle:
                    handle.write(text)
            plain_times.append(time.perf_counter() - started)
        shutil.rmtree(root)
print(min(render_times), min(plain_times))
"""


def median_of(fn, runs: int) -> float:
    return statistics.median(fn() for _ in range(runs))


def measure(source: Path, roots: dict[int, Path], chart: Path, pairs: int) -> dict[str, tuple]:
    env = _env(source)
    cached = (source / "generator" / "cache.py").exists()  # older generators have no cache and no --no-cache
    py = [sys.executable]
    out: dict[str, tuple] = {}
    for n, root in roots.items():  # a full render first: the tree and, with the cache, its manifest
        wall(py + ["-m", "generator", "render", "--root", str(root)], env, source)
    check = py + ["-m", "generator", "render", "--check", "--root", str(roots[500])]
    helm = py + ["-c", HELM_PROCESS, str(chart), *ENVIRONMENTS]
    wall(helm)
    ratios, ours, theirs = [], [], []
    for _ in range(pairs):
        a, b = wall(check, env, source), wall(helm)
        ours.append(a)
        theirs.append(b)
        ratios.append(a / b)
    out["ratio"] = (statistics.median(ratios), f"{statistics.median(ours):.2f}s vs helm-sdk {statistics.median(theirs):.2f}s")
    in_process = py + ["-c", IN_PROCESS]
    out["inproc500"] = (median_of(lambda: float(subprocess.run(in_process + [str(roots[500])], env=env, cwd=source,
                                                              capture_output=True, text=True, check=True).stdout), 3),)
    out["noop100"] = (median_of(lambda: wall(py + ["-m", "generator", "render", "--check", "--root", str(roots[100])], env, source), 7),)
    full = {}
    for n in (100, 1000):
        full[n] = min(float(subprocess.run(in_process + [str(roots[n])], env=env, cwd=source, capture_output=True,
                                            text=True, check=True).stdout) for _ in range(2))
    out["growth"] = (math.log(full[1000] / full[100]) / math.log(10), f"full render {full[100]:.2f}s -> {full[1000]:.2f}s")
    noop = {n: median_of(lambda n=n: wall(py + ["-m", "generator", "render", "--check", "--root", str(roots[n])], env, source), 3)
            for n in (100, 1000)}
    out["growth_noop"] = (math.log(noop[1000] / noop[100]) / math.log(10), f"no-op check {noop[100]:.2f}s -> {noop[1000]:.2f}s")
    full_check = ["render", "--check"] + (["--no-cache"] if cached else [])
    out["rss1000"] = (peak_rss_mb(py + ["-m", "generator", *full_check, "--root", str(roots[1000])], env, source),)
    out["rss1000_noop"] = (peak_rss_mb(py + ["-m", "generator", "render", "--check", "--root", str(roots[1000])], env, source),)
    with tempfile.TemporaryDirectory() as scratch:
        text = subprocess.run(py + ["-c", WRITE_COMPARE, str(roots[500]), scratch], env=env, cwd=source,
                              capture_output=True, text=True, check=True).stdout.split()
    render_write, plain_write = float(text[0]), float(text[1])
    out["write"] = (render_write / plain_write, f"{render_write:.2f}s vs open().write() {plain_write:.2f}s")
    return out


ROWS = [
    ("ratio", "N=500 no-op `render --check` / helm-sdk render (whole processes, median of paired ratios)", 1.0, "{:.2f}"),
    ("inproc500", "N=500 render in-process (load, build, validate, emit), s", 0.6, "{:.2f}"),
    ("noop100", "N=100 no-op `render --check` incl. interpreter start, s", 0.4, "{:.2f}"),
    ("growth", "growth exponent 100 -> 1000 services, full render", 1.1, "{:.2f}"),
    ("growth_noop", "growth exponent 100 -> 1000 services, no-op check", 1.1, "{:.2f}"),
    ("rss1000", "peak RSS at N=1000, full `render --check --no-cache`, MB", 200, "{:.0f}"),
    ("rss1000_noop", "peak RSS at N=1000, no-op `render --check`, MB", 200, "{:.0f}"),
    ("write", "first write of N=500 / the same files with open().write()", 1.0, "{:.2f}"),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, help="another copy of the generator to measure beside this one")
    parser.add_argument("--pairs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        chart = write_chart(Path(tmp) / "chart", 500)
        columns = {}
        for label, source in (("before", args.before), ("after", REPO)):
            if source is None:
                continue
            roots = {n: write_root(Path(tmp) / label / f"n{n}", n) for n in (100, 500, 1000)}
            columns[label] = measure(source.resolve(), roots, chart, args.pairs)
            shutil.rmtree(Path(tmp) / label)
        print(f"| target | goal | {' | '.join(columns)} | met? |")
        print(f"|---|---|{'---|' * len(columns)}---|")
        for key, label, goal, fmt in ROWS:
            cells = []
            for column in columns.values():
                value, *note = column[key]
                cells.append(fmt.format(value) + (f" ({note[0]})" if note else ""))
            met = "yes" if columns["after"][key][0] <= goal else "no"
            print(f"| {label} | <= {goal} | {' | '.join(cells)} | {met} |")


if __name__ == "__main__":
    main()
