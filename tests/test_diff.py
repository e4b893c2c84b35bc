"""``gitops-gen diff``: on a temporary git repository with two commits it reports exactly the objects and
fields that changed; the comparison itself is checked on small inputs written next to their expectations."""

from __future__ import annotations

import subprocess

import pytest

from generator import diff, diff_report, pipeline

GIT = ["git", "-c", "user.name=gitops-gen tests", "-c", "user.email=tests@example.com", "-c", "commit.gpgsign=false"]


def git(repo, *args: str) -> str:
    return subprocess.run([*GIT, "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def two_commits(root):
    """A repository whose first commit holds the specs as they are, and whose second commit raises the
    production replicas from 2 to 3 and removes the uat environment."""
    git(root, "init", "-q")
    git(root, "add", "environments")
    git(root, "commit", "-q", "-m", "base")
    production = root / "environments/production.yaml"
    text = production.read_text(encoding="utf-8")
    assert text.count("    replicas: 2\n") == 1
    production.write_text(text.replace("    replicas: 2\n", "    replicas: 3\n"), encoding="utf-8")
    git(root, "rm", "-q", "environments/uat.yaml")
    git(root, "commit", "-q", "-am", "head")
    return root


def test_reports_exactly_the_changed_objects_and_fields(two_commits, run_cli):
    base_uat = [o for env in pipeline.build(_checkout(two_commits, "HEAD~1")) if env.name == "uat" for o in env.objects]
    result = run_cli("diff", "--base", "HEAD~1", "--root", str(two_commits))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"HEAD~1 -> working tree: 4 changed, 0 added, {len(base_uat) + 1} removed"
    assert lines[1:6] == [
        "argocd",
        "  ~ AppProject argocd/securenexus: spec.destinations",
        "  ~ Application argocd/securenexus: spec.source.directory.include",  # the root syncs the apps by name
        "  - Application argocd/securenexus-uat",
        "production",
    ]
    # the quota is computed from the replicas, so it follows them
    assert lines[6:8] == [
        '  ~ ResourceQuota production/compute: spec.hard["requests.cpu"], spec.hard["requests.memory"], '
        'spec.hard["limits.cpu"], spec.hard["limits.memory"], spec.hard.pods',
        "  ~ Rollout production/securenexus: spec.replicas",
    ]
    assert lines[8] == "uat"
    removed = sorted(line.strip() for line in lines[9:] if line.startswith("  - "))
    expected = sorted(f"- {o['kind']} " + "/".join(filter(None, [o["metadata"].get("namespace"), o["metadata"]["name"]]))
                      for o in base_uat)
    assert removed == expected
    assert lines[-1] == "unchanged: staging"


def _checkout(repo, ref):
    """The specs of ``ref`` in a folder of their own (for computing the expectation independently)."""
    target = repo.parent / f"checkout-{ref.replace('~', '-')}"
    target.mkdir()
    subprocess.run(f"git -C {repo} archive {ref} environments | tar -x -C {target}", shell=True, check=True)
    return target


def test_markdown_summary_is_one_marked_comment(two_commits, run_cli):
    result = run_cli("diff", "--base", "HEAD~1", "--root", str(two_commits), "--format", "markdown")
    assert result.code == 0, result.err
    text = result.out
    assert text.startswith(diff_report.MARKER + "\n### gitops-gen diff: `HEAD~1` → working tree\n")
    assert "| changed | Rollout `production/securenexus` | `spec.replicas` |" in text
    assert "| removed | Application `argocd/securenexus-uat` |  |" in text
    assert "Unchanged: `staging`." in text
    assert text.count("#### ") == 3  # argocd, production, uat


def test_uncommitted_work_is_compared_too(two_commits, run_cli):
    staging = two_commits / "environments/staging.yaml"
    staging.write_text(staging.read_text(encoding="utf-8").replace("APP_ENV: staging", "APP_ENV: stage"), encoding="utf-8")
    result = run_cli("diff", "--base", "HEAD", "--root", str(two_commits))
    # The ConfigMap changes, and the pod template's config checksum with it (so the pods roll).
    assert result.out.splitlines() == [
        "HEAD -> working tree: 2 changed, 0 added, 0 removed",
        "staging",
        "  ~ ConfigMap staging/securenexus-env: data.APP_ENV",
        '  ~ Deployment staging/securenexus: spec.template.metadata.annotations["checksum/config"]',
        "unchanged: argocd, production",
    ]


def test_no_change_says_so(two_commits, run_cli):
    result = run_cli("diff", "--base", "HEAD", "--root", str(two_commits), "--format", "markdown")
    assert "No object changes in the 3 folder(s) of `rendered/`" in result.out


def test_a_ref_without_specs_makes_everything_added(root, run_cli):
    git(root, "init", "-q")
    (root / "README.txt").write_text("first\n", encoding="utf-8")
    git(root, "add", "README.txt")
    git(root, "commit", "-q", "-m", "no specs yet")
    result = run_cli("diff", "--base", "HEAD", "--root", str(root))
    objects = [p for p in pipeline.render(root).files if p.startswith("rendered/")]
    assert result.out.splitlines()[0] == f"HEAD -> working tree: 0 changed, {len(objects)} added, 0 removed"


def test_unknown_ref_is_an_input_error(two_commits, run_cli):
    result = run_cli("diff", "--base", "no-such-branch", "--root", str(two_commits))
    assert result.code == 2
    assert "'no-such-branch' is not a commit" in result.err


def test_invalid_base_specs_name_the_ref(two_commits, run_cli):
    (two_commits / "environments/staging.yaml").write_text("extends: _defaults.yaml\nreplicas: 2\n", encoding="utf-8")
    git(two_commits, "commit", "-q", "-am", "broken")
    (two_commits / "environments/staging.yaml").write_text("extends: _defaults.yaml\n", encoding="utf-8")
    result = run_cli("diff", "--base", "HEAD", "--root", str(two_commits))
    assert result.code == 2
    assert result.err.startswith("HEAD:environments/staging.yaml:2:1: replicas: unknown field 'replicas'")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param({"a": 1}, {"a": 1}, [], id="equal"),
        pytest.param({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}}, ["a.c"], id="nested-leaf"),
        pytest.param({"a": 1}, {"a": 1, "b": 2}, ["b"], id="added-key"),
        pytest.param({"a": 1, "b": 2}, {"a": 1}, ["b"], id="removed-key"),
        pytest.param(
            {"labels": {"app.kubernetes.io/name": "x"}}, {"labels": {"app.kubernetes.io/name": "y"}},
            ['labels["app.kubernetes.io/name"]'], id="dotted-key-quoted",
        ),
        pytest.param(
            {"c": [{"name": "a", "v": 1}, {"name": "b", "v": 1}]},
            {"c": [{"name": "z", "v": 0}, {"name": "a", "v": 1}, {"name": "b", "v": 2}]},
            ["c[b].v", "c[z]"], id="named-items-matched-by-name",
        ),
        pytest.param({"p": [1, 2]}, {"p": [1, 3]}, ["p[1]"], id="same-length-list"),
        pytest.param({"p": [1, 2]}, {"p": [1, 2, 3]}, ["p"], id="list-length-changed"),
    ],
)
def test_field_changes(old, new, expected):
    assert list(diff.field_changes(old, new)) == expected


def test_compare_groups_by_environment_and_skips_other_trees():
    def obj(kind, name, replicas):
        return f"# header\napiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: ns\nspec:\n  replicas: {replicas}\n"

    base = {"rendered/a/ns/x.yaml": obj("X", "x", 1), "rendered/b/ns/y.yaml": obj("Y", "y", 1), "base/k.yaml": obj("K", "k", 1)}
    head = {"rendered/a/ns/x.yaml": obj("X", "x", 2), "rendered/c/ns/y.yaml": obj("Y", "y", 1), "base/k.yaml": obj("K", "k", 2)}
    report = diff.compare(base, head, base_label="b", head_label="h")
    assert report.changes == (
        diff.ObjectChange("a", "X", "ns", "x", "changed", ("spec.replicas",)),
        diff.ObjectChange("b", "Y", "ns", "y", "removed"),
        diff.ObjectChange("c", "Y", "ns", "y", "added"),
    )
    assert report.environments == ("a", "b", "c")
