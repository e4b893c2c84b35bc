"""Rules for every key and scalar of a merged spec document, whatever field it sits in, checked before the
models see it: what the Kubernetes API server and the generated trees cannot take, refused at its line.

- integers: every integer a spec gives ends up in an int32 field of some object (replicas, ports, uids,
  grace periods, probe timings, HPA bounds...), or is a count that no cluster reaches; larger ones are
  refused here rather than overflowing in the API server (which also treats uid/gid as int64, but no
  Linux id exceeds 2^31-1 in practice);
- keys starting with ``$``: in a strategic merge patch ``$patch``, ``$retainKeys``, ``$setElementOrder``
  are directives, so a user key such as an annotation ``$patch: delete`` would steer Kustomize;
- control characters (C0 except tab and newline, DEL, C1 including NEL), carriage returns, Unicode line and
  paragraph separators, bidirectional overrides and noncharacters (U+FFFE, U+FFFF...): YAML readers and
  writers disagree on them (Kustomize drops or folds some), and they hide text from a reviewer.

Pure functions of plain data: ``problems`` walks the document path by path, ``suspect`` tells from its
``Leaves`` (one walk without paths) whether that walk can find anything. ``generator.load`` adds the file
and line.
"""

from __future__ import annotations

import re
from typing import Any

from generator.spec.leaves import Leaves

INT32_MAX = 2**31 - 1

_BAD_CHARS = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufdd0-\ufdef"
    "\ufffe\uffff\U0001fffe\U0001ffff\U0010fffe\U0010ffff]"
)

Problem = tuple[tuple, str]


def _describe(char: str) -> str:
    return f"U+{ord(char):04X}"


def problems(data: Any) -> list[Problem]:
    """Every rule broken anywhere in ``data`` (a parsed spec document), with the field path (one iterative
    walk: a 500-service spec has some 50,000 nodes)."""
    found: list[Problem] = []
    stack: list[tuple[tuple, Any]] = [((), data)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict:
            for key, item in value.items():
                where = path + (key,)
                if type(key) is str:
                    found += [(where, message) for message in _key(key)]
                stack.append((where, item))
        elif kind is list:
            stack.extend((path + (i,), item) for i, item in enumerate(value))
        else:
            message = _scalar(value)
            if message:
                found.append((path, message))
    return found


def suspect(leaves: Leaves) -> bool:
    """Whether some of a document's ``leaves`` breaks a rule; ``problems`` of the document is empty otherwise."""
    return (any(_key(key) for key in leaves.keys) or any(_scalar(text) for _, _, text in leaves.texts)
            or any(_scalar(number) for number in leaves.numbers))


def _key(key: str) -> list[str]:
    """What is wrong with a mapping key."""
    found = []
    if key[:1] == "$":
        found.append("keys starting with '$' are patch directives in Kustomize; rename the key")
    bad = _BAD_CHARS.search(key)
    if bad:
        found.append(f"the key holds the control or invisible character {_describe(bad.group())}")
    return found


def _scalar(value: Any) -> str | None:
    """What is wrong with a value that is not a mapping or a list, if anything."""
    kind = type(value)
    if kind is str:
        bad = _BAD_CHARS.search(value)
        if bad:
            return f"the value holds the control or invisible character {_describe(bad.group())}: remove it"
    elif kind is int:
        if abs(value) > INT32_MAX:
            return f"{value} is out of range: Kubernetes integers are at most {INT32_MAX} (int32)"
    elif kind is float and (value != value or value in (float("inf"), float("-inf"))):
        return "not a finite number"
    return None
