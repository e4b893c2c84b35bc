"""What a risk rule is and what it reports: ``Rule`` (id, severity, the kinds it reads, the check) and
``Risk`` (one finding on one object). The rules themselves live in ``rules/``, one module per concern.

A check is a pure function of the two versions of one object, ``(before, after)``, either of which is
None when the object is added or removed; it yields one message per thing a reviewer should look at,
values included (``spec.replicas 2 -> 1``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Literal

from generator.objectref import Named

Severity = Literal["high", "medium", "low"]
SEVERITIES: tuple[Severity, ...] = ("high", "medium", "low")  # highest first
Check = Callable[[dict | None, dict | None], Iterable[str]]


@dataclass(frozen=True)
class Risk(Named):
    """One rule's finding on one object of one environment."""

    rule: str
    severity: Severity
    env: str
    kind: str
    namespace: str
    name: str
    message: str


@dataclass(frozen=True)
class Rule:
    """A named check with its severity; ``kinds`` limits the objects it reads (None: every kind)."""

    id: str
    severity: Severity
    kinds: frozenset[str] | None
    check: Check

    def __call__(self, before: dict | None, after: dict | None) -> list[str]:
        return list(self.check(before, after))

    def applies(self, kind: str) -> bool:
        return self.kinds is None or kind in self.kinds


def rule(rule_id: str, severity: Severity, kinds: Iterable[str] | None = None) -> Callable[[Check], Rule]:
    """Decorator: turn a check function into a ``Rule`` (nothing is registered; ``rules.RULES`` lists them)."""

    def wrap(check: Check) -> Rule:
        return Rule(rule_id, severity, frozenset(kinds) if kinds is not None else None, check)

    return wrap


def rank(severity: str) -> int:
    """0 for high, 1 for medium, 2 for low."""
    return SEVERITIES.index(severity)  # type: ignore[arg-type]


def at_least(risks: Iterable[Risk], severity: str) -> list[Risk]:
    """The risks of ``severity`` or higher."""
    return [r for r in risks if rank(r.severity) <= rank(severity)]
