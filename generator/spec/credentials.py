"""Credentials written as literals, anywhere in a merged spec: every string value (and key) is scanned,
whatever field holds it (env, annotations, Vault and repository URLs, alert text, probe paths...).

Detection, in this order, for each distinct string:

1. the regex detectors of Yelp's ``detect-secrets`` (AWS keys, GitHub, GitLab, Slack, Stripe, JWT, private
   keys, basic-auth URLs, npm, PyPI, SendGrid, Twilio, ...), used in-process as a library;
2. forms those detectors miss: AWS temporary keys and 40-character secret keys, fine-grained GitHub
   tokens (``github_pat_``), Google API keys (``AIza``), restricted Stripe keys, URL user information with a
   password (also with an empty user: ``redis://:pw@``), password-like query or connection-string
   parameters (``jdbc:...password=``), PEM headers;
3. high-entropy tokens (detect-secrets' Shannon entropy: base64 above 4.5 bits per character over at least
   20 characters, hex above 3.0 over at least 32);
4. the same checks on the base64 decoding of long tokens (a base64 PEM or a base64 password);
5. the name: a string under a key that names a credential (detect-secrets' keyword list: password, pwd,
   secret, api_key, db_pass...; plus token and credential) is one, unless empty.

A ``$(VAR)`` reference is removed before scanning: it names a variable, it is not a value. Messages name the
field and the kind of credential, never the value. Pure functions (``suspect`` tells from a document's
``Leaves`` whether the path walk of ``problems`` can find anything); ``generator.load`` adds file and line.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
from typing import Any

from detect_secrets.plugins import (
    artifactory, aws, azure_storage_key, basic_auth, cloudant, discord, github_token, gitlab_token, ibm_cos_hmac,
    jwt, mailchimp, npm, openai, private_key, pypi_token, sendgrid, slack, square_oauth, stripe, telegram_token,
    twilio,
)
from detect_secrets.plugins.high_entropy_strings import Base64HighEntropyString, HexHighEntropyString
from detect_secrets.plugins.keyword import DENYLIST

from generator.spec.leaves import Leaves

Problem = tuple[tuple, str]

_DETECTORS = tuple(
    plugin() for plugin in (
        aws.AWSKeyDetector, artifactory.ArtifactoryDetector, azure_storage_key.AzureStorageKeyDetector,
        basic_auth.BasicAuthDetector, cloudant.CloudantDetector, discord.DiscordBotTokenDetector,
        github_token.GitHubTokenDetector, gitlab_token.GitLabTokenDetector, ibm_cos_hmac.IbmCosHmacDetector,
        jwt.JwtTokenDetector, mailchimp.MailchimpDetector, npm.NpmDetector, openai.OpenAIDetector,
        private_key.PrivateKeyDetector, pypi_token.PypiTokenDetector, sendgrid.SendGridDetector,
        slack.SlackDetector, square_oauth.SquareOAuthDetector, stripe.StripeDetector,
        telegram_token.TelegramBotTokenDetector, twilio.TwilioKeyDetector,
    )
)

def _scoped(pattern: re.Pattern) -> str:
    flags = ("i" if pattern.flags & re.I else "") + ("x" if pattern.flags & re.X else "")
    return f"(?{flags}:{pattern.pattern})" if flags else f"(?:{pattern.pattern})"


# Every detector reports only matches of its own ``denylist`` regexes: one search with all of them together
# tells whether any detector needs to run on a string (most strings of a spec match none).
_ANY_DETECTOR = re.compile("|".join(_scoped(p) for d in _DETECTORS for p in d.denylist))
_MORE = (
    ("AWS access key", re.compile(r"(?<![A-Z0-9])(AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA)[A-Z0-9]{16}(?![A-Z0-9])")),
    ("GitHub token", re.compile(r"github_pat_[A-Za-z0-9_]{22,}|gh[pousr]_[A-Za-z0-9]{30,}")),
    ("GitLab token", re.compile(r"gl(pat|dt|rt|ptt|ft|imt|agent|oas|cbt|soat)-[A-Za-z0-9_-]{16,}")),
    ("Google API key", re.compile(r"AIza[0-9A-Za-z_-]{30,}")),
    ("Stripe key", re.compile(r"(sk|rk|pk)_(live|test)_[0-9A-Za-z]{16,}")),
    ("Slack token or webhook", re.compile(r"xox[abposr]-[A-Za-z0-9-]{10,}|hooks\.slack\.com/(services|workflows)/")),
    ("password in a URL", re.compile(r"(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{0,30}://[^/\s@:]*:[^/\s@]+@")),
    ("password parameter", re.compile(
        r"(^|[?&;:,\s])(password|passwd|pwd|pass|secret|token|api[_-]?key|access[_-]?key|client[_-]?secret|"
        r"auth|sig|signature)=[^&;\s]+", re.I)),
    ("private key", re.compile(r"-----BEGIN [A-Z0-9 ]*PRIVATE KEY|PuTTY-User-Key-File|ssh-(rsa|ed25519) AAAA")),
)
_FORTY = re.compile(r"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])")  # an AWS secret access key's shape
_REFERENCE = re.compile(r"\$\([A-Za-z_][A-Za-z0-9_]*\)")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_-]{20,}")
_HEX = re.compile(r"[0-9a-fA-F]{32,}")
_BASE64 = Base64HighEntropyString()
_HEXES = HexHighEntropyString()
_NAME = re.compile("|".join((*DENYLIST, "token", "credentials?", "passphrase", "pass")), re.I)
_NAME_PARTS = re.compile(r"[A-Z]+(?![a-z])|[A-Z][a-z0-9]*|[a-z0-9]+")
# Strings that are identifiers by construction, validated by their own patterns: never random secrets.
_EXEMPT_FIELDS = {("image", "digest"), ("image", "repository")}


@functools.lru_cache(maxsize=65536)
def _is_credential_name(key: str) -> bool:
    """Whether a key names a credential, word by word: DB_PASSWORD, dbPassword, api-key, but not PASSTHROUGH."""
    words = [w.lower() for w in _NAME_PARTS.findall(key)]
    if words and words[-1] in ("name", "names", "ref"):  # tlsSecretName, passwordRef: they name a Secret
        return False
    joined = ["_".join(words[i:j]) for i in range(len(words)) for j in range(i + 1, min(len(words), i + 3) + 1)]
    return any(_NAME.fullmatch(w) for w in joined)


def _kind(text: str) -> str | None:
    if _ANY_DETECTOR.search(text):
        for detector in _DETECTORS:
            if next(iter(detector.analyze_string(text)), None) is not None:
                return detector.secret_type
    for kind, pattern in _MORE:
        if pattern.search(text):
            return kind
    for token in _FORTY.findall(text):
        if re.search("[A-Z]", token) and re.search("[a-z]", token) and re.search("[0-9]", token):
            return "AWS secret access key"
    for token in _TOKEN.findall(text):
        if _BASE64.calculate_shannon_entropy(token) > _BASE64.entropy_limit and re.search(r"[0-9]", token):
            return "high-entropy string"
    for token in _HEX.findall(text):
        if _HEXES.calculate_shannon_entropy(token) > _HEXES.entropy_limit:
            return "high-entropy hex string"
    return None


@functools.lru_cache(maxsize=65536)
def kind_of(value: str) -> str | None:
    """The kind of credential ``value`` looks like, or None."""
    text = _REFERENCE.sub("", value)
    found = _kind(text)
    if found:
        return found
    for token in _TOKEN.findall(text):
        if 16 <= len(token) <= 65536:  # a base64 PEM bundle is a few KiB
            try:
                decoded = base64.b64decode(token + "=" * (-len(token) % 4), altchars=b"-_" if "-" in token or "_" in token else None, validate=True)
            except (binascii.Error, ValueError):
                continue
            plain = decoded.decode("utf-8", "ignore")
            if plain and sum(c.isprintable() or c in "\n\r\t" for c in plain) > 0.9 * len(plain):
                inner = _kind(plain)
                if inner:
                    return f"base64-encoded {inner}"
    return None


def problems(data: Any) -> list[Problem]:
    """Every string of ``data`` (a merged spec document) that looks like a credential (one iterative walk)."""
    found: list[Problem] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict:
            # a secret source, or a variable read from a Secret (valueFrom): names, not values
            references = (len(path) >= 2 and path[-2] == "secrets") or "valueFrom" in path
            for key, item in value.items():
                where = path + (key,)
                if type(key) is str and kind_of(key):
                    found.append((where, f"the key looks like a credential ({kind_of(key)}); a spec never holds one"))
                if references and key == "keys":
                    continue
                if not references and _named(key, item):
                    found.append((where, "looks like a credential (its name says so); reference it through 'secrets' instead of a literal"))
                    continue
                stack.append((where, item))
        elif kind is list:
            stack.extend((path + (i,), item) for i, item in enumerate(value))
        elif kind is str and path[-2:] not in _EXEMPT_FIELDS:
            credential = kind_of(value)
            if credential:
                found.append((path, f"looks like a credential ({credential}); reference it through 'secrets' (External Secrets) instead"))
    return found


def _named(key: Any, value: Any) -> bool:
    """Whether ``value``, held by ``key``, is a credential by its name (a ``$(VAR)`` reference alone is not)."""
    return (type(value) is str and type(key) is str and _is_credential_name(key)
            and bool(_REFERENCE.sub("", value).strip()))


def suspect(leaves: Leaves) -> bool:
    """Whether some of a document's ``leaves`` may be a credential; ``problems`` of the document finds nothing
    otherwise (it reports a subset of these)."""
    return any(kind_of(key) for key in leaves.keys) or any(
        _named(key, text) or ((above, key) not in _EXEMPT_FIELDS and kind_of(text))
        for above, key, text in leaves.texts
    )


def secrets_in(data: Any) -> set[str]:
    """The credential strings of ``data``, to redact from any other message about the same document."""
    return {text for text in Leaves.of(data).strings() if len(text) >= 6 and kind_of(text)}
