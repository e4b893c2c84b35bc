"""checkov, the external policy scanner, over every rendered tree: zero failed checks, more than zero
resources scanned, and every skip is a waiver the spec wrote with its reason."""

from __future__ import annotations

import json
import os
import subprocess
import pytest

from conftest import REPO, root_id, spec_roots
from generator.build.workloads import waiver_annotations
from generator.load import load_root

CHECKOV = REPO / ".venv-checkov/bin/checkov"


@pytest.mark.parametrize("spec_root", spec_roots(), ids=root_id)
def test_checkov_finds_no_failed_check(spec_root):
    assert CHECKOV.exists(), "checkov is missing: run `make test` (it installs .venv-checkov)"
    env = {**os.environ, "BC_SKIP_MAPPING": "TRUE", "CHECKOV_NO_OUTPUT_COLOR": "1"}
    proc = subprocess.run(
        [str(CHECKOV), "-d", str(spec_root / "rendered"), "--framework", "kubernetes", "-o", "json",
         "--skip-download"],
        capture_output=True, text=True, env=env, check=False, timeout=600,
    )
    report = json.loads(proc.stdout)
    reports = report if isinstance(report, list) else [report]
    summary = reports[0]["summary"]
    failed = [f"{c['check_id']} {c['resource']} {c['file_path']}" for r in reports for c in r["results"]["failed_checks"]]
    assert failed == [] and summary["failed"] == 0
    assert summary["resource_count"] > 0 and summary["passed"] > 0
    waivers = {
        tuple(text.split("=", 1))
        for env in load_root(spec_root)
        for svc in env.spec.services.values()
        for text in waiver_annotations(svc).values()
    }
    for skipped in reports[0]["results"]["skipped_checks"]:
        assert (skipped["check_id"], skipped["check_result"]["suppress_comment"]) in waivers, skipped["check_id"]
