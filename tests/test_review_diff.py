"""``gitops-gen diff``: on a temporary git repository with two commits it reports exactly the objects and
fields that changed; the comparison itself is checked on small inputs written next to their expectations."""

from __future__ import annotations

import subprocess

import pytest

from generator import pipeline, yamlio
from generator.review import compare as diff
from generator.review import report as diff_report

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
    base_uat = [o for env in pipeline.build(_checkout(two_commits, "HEAD~1")).environments if env.name == "uat" for o in env.objects]
    result = run_cli("diff", "--base", "HEAD~1", "--root", str(two_commits))
    assert result.code == 0, result.err
    lines = result.out.splitlines()
    assert lines[0] == f"HEAD~1 -> working tree: 4 changed, 0 added, {len(base_uat) + 1} removed"
    # removing uat deletes its Namespace, workload and Application: each is a risk, listed first
    risks = [line for line in lines[1:] if line.startswith("  high ")]
    assert "  high object-removed uat Deployment uat/securenexus: Deployment deleted" in risks
    assert "  high object-removed uat Namespace uat: Namespace deleted and everything in it" in risks
    body = lines[lines.index("argocd"):]
    assert body[:3] == [
        "argocd",
        "  ~ AppProject argocd/securenexus",
        '      spec.destinations[2]: {"namespace":"uat","server":"https://kubernetes.default.svc"} -> unset',
    ]
    # the root syncs the environments' Applications by name, so its include list loses uat's
    assert body[3] == "  ~ Application argocd/securenexus"
    assert body[4].startswith("      spec.source.directory.include: {application-securenexus-production.yaml,")
    assert body[5:7] == ["  - Application argocd/securenexus-uat", "production"]
    body = body[2:]
    # the quota is computed from the replicas, so it follows them
    assert body[5:13] == [
        "  ~ ResourceQuota production/compute",
        '      spec.hard["requests.cpu"]: 900m -> 1200m',
        '      spec.hard["requests.memory"]: 1152Mi -> 1536Mi',
        '      spec.hard["limits.cpu"]: 4500m -> 6',
        '      spec.hard["limits.memory"]: 4608Mi -> 6Gi',
        "      spec.hard.pods: 5 -> 6",
        "  ~ Rollout production/securenexus",
        "      spec.replicas: 2 -> 3",
    ]
    assert body[13] == "uat"
    removed = sorted(line.strip() for line in body[14:] if line.startswith("  - "))
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
    assert "| changed | Rollout `production/securenexus` | `spec.replicas` | `2` | `3` |" in text
    assert "| removed | Application `argocd/securenexus-uat` | | | |" in text
    assert text.index("#### Risks (highest: high)") < text.index("#### `argocd`")
    assert "Unchanged: `staging`." in text
    assert text.count("#### ") == 5  # risks, argocd, production, uat, network allows


def test_uncommitted_work_is_compared_too(two_commits, run_cli):
    staging = two_commits / "environments/staging.yaml"
    old = _checksum(pipeline.render(two_commits).files)
    staging.write_text(staging.read_text(encoding="utf-8").replace("APP_ENV: staging", "APP_ENV: stage"), encoding="utf-8")
    new = _checksum(pipeline.render(two_commits).files)
    result = run_cli("diff", "--base", "HEAD", "--root", str(two_commits))
    # The ConfigMap changes, and the pod template's config checksum with it (so the pods roll).
    assert result.out.splitlines() == [
        "HEAD -> working tree: 2 changed, 0 added, 0 removed",
        "staging",
        "  ~ ConfigMap staging/securenexus-env",
        "      data.APP_ENV: staging -> stage",
        "  ~ Deployment staging/securenexus",
        f'      spec.template.metadata.annotations["checksum/config"]: {old} -> {new}',
        "unchanged: argocd, production",
    ]


def _checksum(files) -> str:
    (deployment,) = yamlio.load_all(files["rendered/staging/staging/deployment-securenexus.yaml"])
    return deployment["spec"]["template"]["metadata"]["annotations"]["checksum/config"]


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
        pytest.param({"a": {"b": 1, "c": 2}}, {"a": {"b": 1, "c": 3}}, [("a.c", 2, 3)], id="nested-leaf"),
        pytest.param({"a": 1}, {"a": 1, "b": 2}, [("b", None, 2)], id="added-key"),
        pytest.param({"a": 1, "b": 2}, {"a": 1}, [("b", 2, None)], id="removed-key"),
        pytest.param(
            {"labels": {"app.kubernetes.io/name": "x"}}, {"labels": {"app.kubernetes.io/name": "y"}},
            [('labels["app.kubernetes.io/name"]', "x", "y")], id="dotted-key-quoted",
        ),
        pytest.param(
            {"c": [{"name": "a", "v": 1}, {"name": "b", "v": 1}]},
            {"c": [{"name": "z", "v": 0}, {"name": "a", "v": 1}, {"name": "b", "v": 2}]},
            [("c[b].v", 1, 2), ("c[z]", None, {"name": "z", "v": 0})], id="named-items-matched-by-name",
        ),
        pytest.param({"p": [1, 2]}, {"p": [1, 3]}, [("p[1]", 2, 3)], id="same-length-list"),
        pytest.param({"p": [1, 2]}, {"p": [1, 2, 3]}, [("p[2]", None, 3)], id="list-grows"),
        pytest.param({"p": [{"a": 1}, {"b": 2}, {"a": 1}]}, {"p": [{"a": 1}, {"c": 3}]},
                     [("p[1]", {"b": 2}, None), ("p[2]", {"a": 1}, None), ("p[1]", None, {"c": 3})],
                     id="items-matched-by-value"),
    ],
)
def test_field_changes(old, new, expected):
    assert [(f.path, f.before, f.after) for f in diff.field_changes(old, new)] == expected


def test_compare_groups_by_environment_and_skips_other_trees():
    def obj(kind, name, replicas):
        return f"# header\napiVersion: v1\nkind: {kind}\nmetadata:\n  name: {name}\n  namespace: ns\nspec:\n  replicas: {replicas}\n"

    base = {"rendered/a/ns/x.yaml": obj("X", "x", 1), "rendered/b/ns/y.yaml": obj("Y", "y", 1), "base/k.yaml": obj("K", "k", 1)}
    head = {"rendered/a/ns/x.yaml": obj("X", "x", 2), "rendered/c/ns/y.yaml": obj("Y", "y", 1), "base/k.yaml": obj("K", "k", 2)}
    report = diff.compare(diff.objects(base), diff.objects(head), base_label="b", head_label="h")
    assert report.changes == (
        diff.ObjectChange("a", "X", "ns", "x", "changed", (diff.FieldChange("spec.replicas", 1, 2),)),
        diff.ObjectChange("b", "Y", "ns", "y", "removed"),
        diff.ObjectChange("c", "Y", "ns", "y", "added"),
    )
    assert report.environments == ("a", "b", "c")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        pytest.param(None, "unset", id="absent"),
        pytest.param("1.4.2", "1.4.2", id="string-bare"),
        pytest.param(3, "3", id="number"),
        pytest.param({"b": 1, "a": [True]}, '{"a":[true],"b":1}', id="compact-json-sorted"),
        pytest.param("line one\nline two", "line one line two", id="one-line"),
        pytest.param("x" * 120, "x" * 99 + "…", id="long-cut-with-ellipsis"),
    ],
)
def test_short_values(value, expected):
    assert diff_report.short(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        pytest.param("a", "`a`", id="plain"),
        pytest.param("a|b", "`a\\|b`", id="pipe-escaped-for-tables"),
        pytest.param("a`b", "``a`b``", id="backtick-inside"),
        pytest.param("`a", "`` `a ``", id="backtick-at-edge"),
    ],
)
def test_code_spans(text, expected):
    assert diff_report.code(text) == expected
