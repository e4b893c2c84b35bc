"""The order in which changes move through the environments (``promotionOrder``), and the checks that
only all environments together can make: every environment declares the same order, and it names each
environment exactly once.

Names of environments that do not exist (one being retired or not yet added) are ignored; environments
the order leaves out (a preview, a developer's) come before every listed one. The Kustomize emitter breaks ties toward the environment latest in this order; ``promote`` reads it to
name the environments a promotion may go between. Pure functions of the loaded environments.
"""

from __future__ import annotations

from typing import Sequence

from generator.errors import Finding
from generator.load import LoadedEnvironment
from generator.spec.checks import is_production

FIELD = "promotionOrder"


def order(envs: Sequence[LoadedEnvironment]) -> tuple[str, ...]:
    """Environment names, earliest first: unlisted ones, then the declared order; without a declared
    order, production-rule environments last, each group in name order."""
    declared = next((e.spec.promotion_order for e in envs if e.spec.promotion_order), None)
    if declared:
        listed = [n for n in declared if any(e.name == n for e in envs)]
        return tuple(sorted(e.name for e in envs if e.name not in declared)) + tuple(listed)
    names = sorted(e.name for e in envs)
    late = {e.name for e in envs if is_production(e.spec, e.name)}
    return tuple([n for n in names if n not in late] + [n for n in names if n in late])


def problems(envs: Sequence[LoadedEnvironment]) -> list[Finding]:
    """Every environment states the same order, or none does."""
    declared = [e for e in envs if e.spec.promotion_order is not None]
    if not declared:
        return []
    first = declared[0]
    found = []
    for e in envs:
        if e.spec.promotion_order != first.spec.promotion_order:
            theirs = first.spec.promotion_order
            message = (f"{e.spec.promotion_order} differs from {theirs} in {first.source}; every environment "
                       "must share it (set it once in a shared layer)")
            found.append(Finding(e.source, 0, 0, FIELD, message))
    return found
