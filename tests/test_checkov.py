"""The checkov repository check (``generator.verify.checkov``): its judging rules, on reports written here,
fail on a failed check, an unexplained skip and an empty scan. The real scanner runs in `gitops-gen test`
(on every spec root of the repository, and on the edited clone of test_repository_checks)."""

from __future__ import annotations

import json

import pytest

from generator.verify import checkov

WAIVED = {("CKV_K8S_40", "uid below 10000 on purpose")}


def _report(failed=(), skipped=(), resources=3) -> str:
    return json.dumps({
        "check_type": "kubernetes",
        "results": {"failed_checks": list(failed), "skipped_checks": list(skipped), "passed_checks": []},
        "summary": {"passed": 5, "failed": len(failed), "skipped": len(skipped), "resource_count": resources},
    })


def _finding(check_id: str, comment: str = "") -> dict:
    return {"check_id": check_id, "check_name": "a check", "resource": "Deployment.staging.web",
            "file_path": "/staging/staging/deployment-web.yaml", "check_result": {"suppress_comment": comment}}


@pytest.mark.parametrize(
    ("report", "expected"),
    [
        pytest.param(_report(), [], id="clean"),
        pytest.param(_report(skipped=[_finding("CKV_K8S_40", "uid below 10000 on purpose")]), [], id="waived-skip"),
        pytest.param(_report(failed=[_finding("CKV_K8S_20")]),
                     ["staging/staging/deployment-web.yaml: CKV_K8S_20 a check (Deployment.staging.web)"], id="failed"),
        pytest.param(_report(skipped=[_finding("CKV_K8S_40", "another reason")]),
                     ["staging/staging/deployment-web.yaml: CKV_K8S_40 skipped without a spec waiver ('another reason')"],
                     id="skip-without-waiver"),
        pytest.param(_report(resources=0), ["checkov scanned no resources"], id="nothing-scanned"),
    ],
)
def test_judge(report, expected):
    assert checkov.judge(report, WAIVED) == expected
