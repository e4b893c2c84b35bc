"""Class 4 of the hostile-input review: Kustomize must not be steerable from values. Keys starting with
``$`` (strategic-merge-patch directives) and control or invisible characters are refused in every user
map and value, at their line, so no tree can disagree; the payloads that stay legal (``$`` inside values,
tabs, non-ASCII text, YAML look-alikes) build with the real kustomize to exactly ``rendered/`` in every
environment, whether they land in base/ or in an overlay's patch."""

from __future__ import annotations

import json

import pytest

from conftest import SECURENEXUS, REPO, copy_root, tree
from kustomize_equivalence import environments, overlay_difference, render_into

QA = "environments/qa.yaml"
EXPOSE = "services:\n  securenexus:\n    expose:\n      host: qa.example.com\n"

DIRECTIVES = ["$patch", "$retainKeys", "$setElementOrder/containers", "$deleteFromPrimitiveList/args", "$x"]


def escaped(text: str) -> str:
    """A double-quoted YAML scalar holding ``text``, every character outside printable ASCII escaped."""
    out = []
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 0x20 <= code < 0x7f:
            out.append(char)
        else:
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
    return '"' + "".join(out) + '"'


def qa(tmp_path, body: str):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text("extends: _defaults.yaml\n" + body, encoding="utf-8")
    return root, tree(root)


def refused(run_cli, root, before, *fragments):
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2, outcome.out
    for fragment in fragments:
        assert fragment in outcome.err, outcome.err
    assert tree(root) == before


@pytest.mark.parametrize("key", DIRECTIVES)
@pytest.mark.parametrize("where", ["annotations", "podLabels", "dnsPodLabels", "unknown"])
def test_keys_starting_with_a_dollar_are_refused_everywhere(tmp_path, run_cli, key, where):
    body = {
        "annotations": EXPOSE + f"      annotations:\n        '{key}': delete\n",
        "podLabels": f"ingressController:\n  podLabels:\n    '{key}': delete\n",
        "dnsPodLabels": f"dns:\n  podLabels:\n    '{key}': delete\n",
        "unknown": f"services:\n  securenexus:\n    '{key}': delete\n",
    }[where]
    root, before = qa(tmp_path, body)
    refused(run_cli, root, before, f"{QA}:", f"{key}: keys starting with '$' are patch directives in Kustomize")


CONTROLS = {
    "DEL": "\x7f", "NEL": "\x85", "U+FFFE": "\ufffe", "U+FFFF": "\uffff", "NUL": "\x00", "ESC": "\x1b",
    "CR": "\r", "VT": "\x0b", "U+2028": "\u2028", "U+2029": "\u2029", "RLO": "\u202e", "LRI": "\u2066",
    "BOM": "\ufeff", "C1-CSI": "\x9b", "U+1FFFE": "\U0001fffe",
}


@pytest.mark.parametrize("where", ["env-value", "annotation-value", "alert-description", "annotation-key"])
def test_control_and_invisible_characters_are_refused_all_at_once(tmp_path, run_cli, where):
    names = sorted(CONTROLS)
    texts = [escaped(f"before{CONTROLS[n]}after") for n in names]  # YAML escapes: the reader accepts them
    body = {
        "env-value": "services:\n  securenexus:\n    env:\n" + "".join(f"      V{i}: {t}\n" for i, t in enumerate(texts)),
        "annotation-value": EXPOSE + "      annotations:\n" + "".join(f"        example.com/n{i}: {t}\n" for i, t in enumerate(texts)),
        "alert-description": "services:\n  securenexus:\n    metrics: {}\n    alerts:\n      rules:\n"
                             + "".join(f"      - {{alert: X{i}, expr: up == 0, description: {t}}}\n" for i, t in enumerate(texts)),
        "annotation-key": EXPOSE + "      annotations:\n"
                          + "".join(f"        {escaped('example.com/n' + CONTROLS[n])}: x\n" for n in names),
    }[where]
    root, before = qa(tmp_path, body)
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2 and tree(root) == before
    lines = outcome.err.splitlines()
    assert len(lines) == len(names), outcome.err
    for name in names:
        assert sum(f"control or invisible character U+{ord(CONTROLS[name]):04X}" in line for line in lines) == 1, name
    assert all(line.startswith(f"{QA}:") for line in lines)
    assert not [c for c in CONTROLS.values() if c in outcome.err]  # escaped in messages, never printed raw


# legal payloads that look like directives, YAML or templates: every tree must agree on them
LEGAL = {
    "PATCH_WORD": "$patch", "PATCH_LINE": "$patch: delete", "RETAIN": "$retainKeys: [a]", "REF": "$(OTHER)",
    "DOLLARS": "a$b$$c", "TEMPLATE": "{{ .Values.x }}", "TAB": "a\tb", "UNICODE": "é ü 漢字 🙂",
    "NBSP": "a\u00a0b", "MULTILINE": "line one\nline two\n", "SPACES": "  padded  ", "TILDE": "~",
    "NULLWORD": "null", "DASH": "- x", "HEX": "0x10", "COLON": "a: b", "HASH": "# not a comment",
    "DOCUMENT": "---", "ANCHOR": "&a *a", "QUOTES": "'\"",
}


def _quoted(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def test_legal_payloads_build_to_the_same_objects_in_every_tree(tmp_path):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    env = "\n".join(f"      {k}: {_quoted(v)}" for k, v in LEGAL.items())
    notes = "\n".join(f"        example.com/{k.lower().replace('_', '-')}: {_quoted(v)}" for k, v in LEGAL.items())
    # staging and uat share the variables, staging and production the annotations (so both land in base/);
    # production's one differing annotation and its own variables are overlay patches
    for name in ("staging", "uat"):
        spec = root / f"environments/{name}.yaml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace(f"      APP_ENV: {name}\n", f"      APP_ENV: {name}\n{env}\n"), encoding="utf-8")
    for name, extra in (("staging", ""), ("production", "        example.com/own: '$patch: replace'\n")):
        spec = root / f"environments/{name}.yaml"
        text = spec.read_text(encoding="utf-8")
        spec.write_text(text.replace("    expose:\n", f"    expose:\n      annotations:\n{notes}\n{extra}", 1), encoding="utf-8")
    render_into(root)
    base = "".join(p.read_text(encoding="utf-8") for p in (root / "base").glob("*.yaml"))
    assert "example.com/patch-line" in base and "PATCH_LINE" in base  # the payloads really are in base/
    for name in environments(root):
        assert overlay_difference(root, name) is None, name
    ingress = (root / "rendered/production/production/ingress-securenexus.yaml").read_text(encoding="utf-8")
    assert "alb.ingress.kubernetes.io/scheme" in ingress and "'$patch: replace'" in ingress
