"""Spec roots for the review tests, written by the tests themselves: a small 'shop' system with one
service in staging, uat and production (production runs a canary Rollout, so its workload differs in kind
from the others), commented like a team's files, and a git helper."""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT = ["git", "-c", "user.name=gitops-gen tests", "-c", "user.email=tests@example.com", "-c", "commit.gpgsign=false"]

DEFAULTS = """\
# Shared layer of the shop environments.
system: shop
promotionOrder: [staging, uat, production]   # changes move left to right
secretStores:
  aws:
    aws: {region: us-east-1}
services:
  web:
    image:
      repository: registry.example.com/shop/web
      tag: "2.0.0"
    port: 8080
    resources:
      requests: {cpu: 100m, memory: 128Mi}
      limits: {cpu: 500m, memory: 256Mi}
    probes:
      liveness: {path: /healthz}
      readiness: {path: /ready}
    env:
      LOG_LEVEL: info
    egress:
      - to: {cidr: 10.0.0.0/8}   # the database
        ports: [5432]
argocd:
  repoURL: https://git.example.com/shop/gitops.git
  targetRevision: main
"""

ENVIRONMENTS = {
    "staging.yaml": """\
# Staging: one pod, moves fast.
extends: _defaults.yaml
services:
  web:
    image:
      tag: "2.1.0"   # release candidate
    env:
      LOG_LEVEL: debug
""",
    "uat.yaml": """\
# UAT: what production runs next.
extends: _defaults.yaml
services:
  web:
    replicas: 2
    disruption: {minAvailable: 1}
""",
    "production.yaml": """\
# Production: three pods behind a canary.
extends: _defaults.yaml
services:
  web:
    image:
      tag: "1.9.3"   # the last promoted release
    replicas: 3
    disruption: {minAvailable: 1}
    rollout:
      canary:
        steps: [25, 50]
""",
}


def write(root: Path, files: dict[str, str] | None = None) -> Path:
    """The shop root under ``root`` (``files`` replaces or adds spec files by name)."""
    spec_dir = root / "environments"
    spec_dir.mkdir(parents=True, exist_ok=True)
    for name, text in {"_defaults.yaml": DEFAULTS, **ENVIRONMENTS, **(files or {})}.items():
        (spec_dir / name).write_text(text, encoding="utf-8")
    return root


def git(repo: Path, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def commit_all(repo: Path, message: str) -> None:
    if not (repo / ".git").exists():
        git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
