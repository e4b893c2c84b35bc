"""Write a synthetic spec root with N services and three environments (shared by the bench scripts).

Each service has a ConfigMap, secrets from AWS Secrets Manager, a call to the next service, egress to a
database CIDR, and in production a PDB and an HPA: about 9 objects per service per environment.
"""

from __future__ import annotations

from pathlib import Path

from generator import yamlio


def service(i: int, n: int) -> dict:
    svc = {
        "image": {"repository": f"123456789012.dkr.ecr.us-east-1.amazonaws.com/svc{i}", "tag": "1.0.0"},
        "port": 8080,
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "500m", "memory": "256Mi"}},
        "probes": {"liveness": {"path": "/healthz"}, "readiness": {"path": "/ready"}},
        "env": {"LOG_LEVEL": "info", "SERVICE_INDEX": str(i)},
        "secrets": [{"store": "aws", "path": f"bench/svc{i}", "keys": ["DATABASE_URL"]}],
        "egress": [{"to": {"cidr": "10.0.0.0/8"}, "ports": [5432]}],
    }
    if i + 1 < n:
        svc["egress"].append({"to": {"service": f"svc{i + 1}"}})
    return svc


def write_root(root: Path, n: int) -> Path:
    """Create ``root/environments`` for ``n`` services; returns ``root``."""
    spec_dir = root / "environments"
    spec_dir.mkdir(parents=True, exist_ok=True)
    defaults = {
        "system": "bench",
        "secretStores": {"aws": {"aws": {"region": "us-east-1"}}},
        "services": {f"svc{i}": service(i, n) for i in range(n)},
    }
    (spec_dir / "_defaults.yaml").write_text(yamlio.dump(defaults), encoding="utf-8")
    for env in ("staging", "uat"):
        (spec_dir / f"{env}.yaml").write_text("extends: _defaults.yaml\n", encoding="utf-8")
    production = {
        "extends": "_defaults.yaml",
        "services": {
            f"svc{i}": {
                "replicas": 2,
                "disruption": {"minAvailable": 1},
                "autoscaling": {"minReplicas": 2, "maxReplicas": 6},
            }
            for i in range(n)
        },
    }
    (spec_dir / "production.yaml").write_text(yamlio.dump(production), encoding="utf-8")
    return root
