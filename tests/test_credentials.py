"""Class 3 of the hostile-input review: no credential gets through. Every string of the merged spec is
scanned (detect-secrets' detectors in-process, entropy, URL credentials, names), wherever it sits; the
error names file, line and field and never echoes the secret; references such as ``$(VAR)`` and the
committed specs' own values are not flagged."""

from __future__ import annotations

import base64

import pytest

from conftest import SECURENEXUS, REPO, copy_root, spec_roots, root_id, tree
from generator.load import load_root
from generator.spec import credentials

QA = "environments/qa.yaml"

# 44 plaintext forms (test values from the vendors' documentation or made up with the right shape)
FORMS = {
    "aws-access-key": "AKIAIOSFODNN7EXAMPLE",
    "aws-temporary-key": "ASIAIOSFODNN7EXAMPLE",
    "aws-secret-neutral-name": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    "github-classic": "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8",
    "github-fine-grained": "github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUV",
    "github-app": "ghs_" + "16C7e42F292c6912E7710c838347Ae178B4a",
    "gitlab": "glpat-" + "x1Y2z3A4b5C6d7E8f9G0",
    "jwt": "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4ifQ."
           "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
    "redis-password-only": "redis://:hunter2pw@redis.cache:6379/0",
    "postgres-url": "postgres://app:s3cr3t@db.internal:5432/app",
    "amqp-url": "amqp://guest:guest@rabbit:5672/",
    "mongodb-srv": "mongodb+srv://admin:Pa55word@cluster0.example.net/db",
    "jdbc-password": "jdbc:postgresql://db:5432/app?user=app&password=s3cretPass",
    "jdbc-sqlserver": "jdbc:sqlserver://db:1433;databaseName=app;user=sa;password=Hunter2!",
    "connection-string": "Server=db;Database=app;User Id=sa;Password=Hunter2;",
    "query-token": "https://api.example.com/v1/feed?token=abcdef0123456789",
    "query-api-key": "https://maps.example.com/api?api_key=0123456789abcdef",
    "azure-sas": "https://acct.blob.core.windows.net/c?sv=2020-08-04&sig=abcDEF0123456789%2Bxyz",
    "pem-private-key": "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7\n-----END RSA PRIVATE KEY-----",
    "pem-openssh": "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjE=\n-----END OPENSSH PRIVATE KEY-----",
    "pem-base64": base64.b64encode(b"-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n").decode(),
    "password-base64": base64.b64encode(b"postgres://app:s3cr3t@db:5432/app").decode(),
    "slack-bot": "xoxb-" + "123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx",
    "slack-webhook": "https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX",
    "stripe-live": "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc",
    "stripe-restricted": "rk_live_" + "51H8abcdefghijklmnopqrstuvwx",
    "google-api-key": "AIza" + "SyA1234567890abcdefghijklmnopqrstu",
    "sendgrid": "SG." + "ngeVfQFYQlKU0ufo8x5d1A.TwL2iGABf9DHoTf-09kqeF8tAmbihYzrnopKc-1s5cr",
    "twilio": "SK" + "0123456789abcdef0123456789abcdef",
    "npm": "//registry.npmjs.org/:_authToken=" + "npm_1234567890abcdefghijklmnopqrstuvwxyz",
    "pypi": "pypi-AgEIcHlwaS5vcmc" + "CJGI4YmNhMDA5LTg1M2QtNGJlNy04NzQ0LWM4ZjA1YTk4ZmFmYwACKlszLCJlZjRjMjljZC1kODUz",
    "openai": "sk-" + "abcdefghijklmnopqrstT3BlbkFJabcdefghijklmnopqrst",
    "discord": "MTk4NjIyNDgzNDcxOTI1MjQ4.Cl2FMQ.ZnCjm1XVW7vRze4b7Cq4se7kKWs",
    "mailchimp": "0123456789abcdef0123456789abcdef-us12",
    "telegram": "110201543:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw",
    "high-entropy-base64": "q8Zr2mN5vXw9LpK3tY7hB4cF6gJ1dS0a",
    "high-entropy-hex": "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "basic-auth-https": "https://deploy:Zk8r!pq2@git.example.com/org/repo.git",
}
# credentials recognised by the name that holds them, with an unremarkable value
NAMED = {"DB_PASS": "hunter2", "DB_PASSWORD": "correct-horse", "apiKey": "abc", "GITHUB_TOKEN": "t0ken",
         "SESSION_SECRET": "changeme", "PRIVATE_KEY": "xyz"}


def qa_root(tmp_path, body: str):
    root = copy_root(SECURENEXUS, tmp_path / "root")
    (root / QA).write_text("extends: _defaults.yaml\n" + body, encoding="utf-8")
    return root, tree(root)


def refused(run_cli, root, before, secret: str, *fragments: str) -> str:
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 2, outcome.out
    assert "looks like a credential" in outcome.err
    for fragment in fragments:
        assert fragment in outcome.err, outcome.err
    for piece in {secret, *secret.split("\n")}:
        if len(piece) >= 6:
            assert piece not in outcome.err + outcome.out  # never echoed
    assert tree(root) == before
    return outcome.err


def quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.mark.parametrize("name", sorted(FORMS))
def test_every_plaintext_form_is_refused_under_a_neutral_name(tmp_path, run_cli, name):
    secret = FORMS[name]
    root, before = qa_root(tmp_path, f"services:\n  securenexus:\n    env:\n      NOTES: {quoted(secret)}\n")
    refused(run_cli, root, before, secret, f"{QA}:5:7: services.securenexus.env.NOTES: looks like a credential (")


@pytest.mark.parametrize("key", sorted(NAMED))
def test_a_value_under_a_credential_name_is_refused(tmp_path, run_cli, key):
    root, before = qa_root(tmp_path, f"services:\n  securenexus:\n    env:\n      {key}: {NAMED[key]}\n")
    refused(run_cli, root, before, NAMED[key], f"services.securenexus.env.{key}: looks like a credential (its name says so)")


# every field that holds free text, not only env
FIELDS = [
    pytest.param("secretStores:\n  vault:\n    vault: {{server: {s}, role: app}}\n", "secretStores.vault.vault.server", id="vault-server"),
    pytest.param("argocd:\n  repoURL: {s}\n", "argocd.repoURL", id="argocd-repo-url"),
    pytest.param("services:\n  securenexus:\n    alerts:\n      rules:\n      - alert: X\n        expr: up == 0\n        summary: {s}\n",
                 "services.securenexus.alerts.rules[0].summary", id="alert-summary"),
    pytest.param("services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations:\n        example.com/note: {s}\n",
                 "services.securenexus.expose.annotations.example.com/note", id="annotation"),
    pytest.param("services:\n  securenexus:\n    probes:\n      liveness: {{path: {s}}}\n      readiness: {{path: /}}\n",
                 "services.securenexus.probes.liveness.path", id="probe-path"),
    pytest.param("services:\n  securenexus:\n    rollout:\n      canary:\n        steps: [50]\n        analysis:\n          prometheusAddress: {s}\n",
                 "services.securenexus.rollout.canary.analysis.prometheusAddress", id="prometheus-address"),
    pytest.param("services:\n  securenexus:\n    unknownField: {s}\n", "services.securenexus.unknownField", id="unknown-field"),
]


@pytest.mark.parametrize(("body", "field"), FIELDS)
@pytest.mark.parametrize("secret", ["https://deploy:Zk8r!pq2@git.example.com/org/repo.git", "/health?token=abcdef0123456789"],
                         ids=["url-credentials", "token-parameter"])
def test_every_string_field_is_scanned_and_the_secret_never_echoed(tmp_path, run_cli, body, field, secret):
    root, before = qa_root(tmp_path, body.format(s=quoted(secret)))
    refused(run_cli, root, before, secret, f"{field}: looks like a credential")
    assert "Zk8r" not in run_cli("render", "--root", str(root)).err


def test_a_credential_key_is_refused_without_echo(tmp_path, run_cli):
    secret = FORMS["aws-access-key"]
    root, before = qa_root(tmp_path, f"services:\n  securenexus:\n    expose:\n      host: qa.example.com\n      annotations:\n        {secret}: x\n")
    refused(run_cli, root, before, secret, "the key looks like a credential")


REFERENCES = ["$(DB_PASSWORD)", "postgres://$(DB_USER):$(DB_PASSWORD)@db:5432/app", "$(API_TOKEN)"]


@pytest.mark.parametrize("value", REFERENCES)
def test_a_variable_reference_is_not_a_credential(tmp_path, run_cli, value):
    root, _ = qa_root(tmp_path, f"services:\n  securenexus:\n    env:\n      DATABASE_DSN: {quoted(value)}\n      DB_PASSWORD: {quoted('$(DB_PASSWORD_FROM_SECRET)')}\n")
    outcome = run_cli("render", "--root", str(root))
    assert outcome.code == 0, outcome.err


NOT_CREDENTIALS = ["production", "https://vault.example.com:8200", "nexus.aricatech.xyz",
                   "arn:aws:acm:us-east-1:123456789012:certificate/7c3e9b2d-0f5a-4c1e-9d2b-8a7f6e5d4c3b",
                   'sum(rate(http_requests_total{namespace="production",status=~"5.."}[5m]))',
                   "http_request_duration_seconds", "securenexus/production", "10.0.0.0/8",
                   "the image's runtime user is securenexus uid 1001", "PASSTHROUGH_MODE", "/var/cache/nginx"]


@pytest.mark.parametrize("value", NOT_CREDENTIALS)
def test_ordinary_values_are_not_flagged(value):
    assert credentials.kind_of(value) is None


def test_property_names_of_secret_references_are_not_flagged(tmp_path, run_cli):
    root, _ = qa_root(tmp_path, "services:\n  securenexus:\n    secrets:\n    - store: aws-secrets-manager\n      path: securenexus/qa\n"
                                "      keys: {DB_PASSWORD: db_password, API_TOKEN: token}\n")
    assert run_cli("render", "--root", str(root)).code == 0


@pytest.mark.parametrize("root", spec_roots(), ids=root_id)
def test_the_committed_specs_have_no_false_positives(root):
    assert load_root(root)


def test_an_unrelated_error_in_the_same_document_does_not_echo_the_secret(tmp_path, run_cli):
    secret = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
    root, before = qa_root(tmp_path, f"services:\n  securenexus:\n    replicas: {quoted(secret)}\n")
    refused(run_cli, root, before, secret, "services.securenexus.replicas: looks like a credential (Stripe")
