"""Checks across fields that a single model cannot make: references between services and stores, and
credentials written as literals. Each returns (field path, message) pairs; ``generator.load`` adds the
file and line. Pure functions of a validated ``Environment``.
"""

from __future__ import annotations

import re
from typing import Iterator

from generator.spec.environment import Environment

Problem = tuple[tuple, str]

_CREDENTIAL_NAME = re.compile(r"(PASSWORD|PASSWD|SECRET|TOKEN|PRIVATE_KEY|API_KEY|ACCESS_KEY|CREDENTIAL)", re.I)
_CREDENTIAL_VALUE = re.compile(
    r"(AKIA[0-9A-Z]{16}|-----BEGIN [A-Z ]*PRIVATE KEY-----|gh[pousr]_[A-Za-z0-9]{36}|xox[baprs]-[A-Za-z0-9-]{10,}"
    r"|sk_live_[A-Za-z0-9]{16,}|://[^/\s:@]+:[^/\s@]+@)"
)


def problems(env: Environment) -> list[Problem]:
    """Every cross-field problem of ``env``, in field order."""
    return [*_references(env), *_literals(env), *_collisions(env)]


def _references(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        base = ("services", name)
        for i, source in enumerate(svc.secrets):
            if source.store not in env.secret_stores:
                known = ", ".join(sorted(env.secret_stores)) or "none defined"
                yield base + ("secrets", i, "store"), f"unknown secret store {source.store!r} (secretStores: {known})"
        for direction, peer_key, rules in (("ingress", "from", svc.ingress), ("egress", "to", svc.egress)):
            for i, rule in enumerate(rules):
                peer = rule.from_ if direction == "ingress" else rule.to
                where = base + (direction, i, peer_key)
                if peer.service is not None and peer.service not in env.services:
                    known = ", ".join(sorted(env.services))
                    yield where + ("service",), f"unknown service {peer.service!r} (services: {known})"
                if peer.service is None and not rule.ports:
                    yield base + (direction, i), "ports are required unless the peer is a service"


def _literals(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        for key, value in svc.env.items():
            where = ("services", name, "env", key)
            if _CREDENTIAL_NAME.search(key) and value:
                yield where, "looks like a credential; reference it through 'secrets' instead of a literal value"
            elif _CREDENTIAL_VALUE.search(value):
                yield where, "the value looks like a credential; reference it through 'secrets' instead"


def _collisions(env: Environment) -> Iterator[Problem]:
    for name, svc in env.services.items():
        seen: dict[str, tuple] = {key: ("services", name, "env", key) for key in svc.env}
        for i, source in enumerate(svc.secrets):
            for key in source.keys:
                where = ("services", name, "secrets", i, "keys", key)
                if key in seen:
                    yield where, f"variable {key} is already set by {'.'.join(map(str, seen[key]))}"
                seen[key] = where
