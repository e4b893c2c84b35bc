"""The checkov repository check: the external policy scanner over ``rendered/`` finds no failed check,
scans more than zero resources, and every check it skipped is a waiver the spec wrote with its reason.

``judge`` is pure (a report and the spec's waivers in, problems out), so the rules are tested without
running checkov; ``check`` runs the real scanner through ``toolchain``.
"""

from __future__ import annotations

import json
from pathlib import Path

from generator import toolchain
from generator.builders.workloads import waiver_annotations
from generator.load import load_root


def waivers(root: Path) -> set[tuple[str, str]]:
    """Every (check id, reason) the specs of ``root`` waive, as the generator annotates them."""
    return {
        tuple(text.split("=", 1))
        for env in load_root(root)
        for svc in env.spec.services.values()
        for text in waiver_annotations(svc).values()
    }


def judge(report_text: str, waived: set[tuple[str, str]]) -> list[str]:
    """Problems in one checkov JSON report: failed checks, nothing scanned, skips that are no spec waiver."""
    data = json.loads(report_text)
    reports = data if isinstance(data, list) else [data]
    problems: list[str] = []
    scanned = 0
    for report in reports:
        results = report.get("results", {})
        scanned += report.get("summary", {}).get("resource_count", 0)
        for c in results.get("failed_checks", []):
            problems.append(f"{c['file_path'].lstrip('/')}: {c['check_id']} {c.get('check_name', '')} "
                            f"({c['resource']})".rstrip())
        for c in results.get("skipped_checks", []):
            reason = (c.get("check_result") or {}).get("suppress_comment", "")
            if (c["check_id"], reason) not in waived:
                problems.append(f"{c['file_path'].lstrip('/')}: {c['check_id']} skipped without a spec waiver "
                                f"({reason!r})")
    if scanned == 0:
        problems.append("checkov scanned no resources")
    return problems


def check(repo: Path, root: Path) -> list[str]:
    """checkov over ``root/rendered``, judged against the waivers of ``root``'s specs."""
    return judge(toolchain.checkov_scan(repo, root / "rendered"), waivers(root))
