"""The project's one error hierarchy. Library code raises these; only ``cli`` maps them to exit codes.

- ``SpecError``: the user's input is wrong (exit 2). Carries every finding, each with file, line, column
  and field path.
- ``ValidationFailed``: produced or committed objects break a schema or a policy (exit 1).
- ``DriftDetected``: committed generated files differ from what the generator produces (exit 1).
- ``ToolMissing``: an external tool the command needs is not installed (exit 3).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Characters a finding never prints raw (a terminal would act on them, or they would split the line):
# controls, line and paragraph separators, bidirectional overrides, noncharacters.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\U0001fffe\U0001ffff]")


def _printable(text: str) -> str:
    return _UNPRINTABLE.sub(lambda m: m.group().encode("unicode_escape").decode("ascii"), text)


@dataclass(frozen=True, order=True)
class Finding:
    """One problem at one place. ``line`` and ``column`` are 1-based; 0 means unknown."""

    file: str
    line: int
    column: int
    path: str
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line:
            where += f":{self.line}:{self.column}"
        field = f" {_printable(self.path)}:" if self.path else ""
        message = _printable(" ".join(self.message.split("\n")))  # one finding, one line
        return f"{_printable(where)}:{field} {message}"


class GeneratorError(Exception):
    """Base of every error the CLI turns into a message and an exit code."""

    exit_code = 1

    def lines(self) -> list[str]:
        return [str(self)]


class FindingsError(GeneratorError):
    """An error made of several findings, all reported at once."""

    def __init__(self, findings: list[Finding]):
        self.findings = sorted(set(findings))
        super().__init__("\n".join(str(f) for f in self.findings))

    def lines(self) -> list[str]:
        return [str(f) for f in self.findings]


class SpecError(FindingsError):
    """The specs are wrong: nothing was written."""

    exit_code = 2


class ValidationFailed(FindingsError):
    """Objects fail schema or policy validation."""

    exit_code = 1


class DriftDetected(GeneratorError):
    """Committed generated files differ from the generator's output, or generated folders hold files the
    generator does not produce (strays)."""

    exit_code = 1

    def __init__(self, paths: list[str], strays: list[str] | None = None):
        self.paths = sorted(paths)
        self.strays = sorted(strays or [])
        super().__init__(f"{len(self.paths)} generated file(s) differ from the specs, {len(self.strays)} stray file(s)")

    def stray_lines(self) -> list[str]:
        return [
            f"stray: {p}: not produced by gitops-gen; generated folders hold only generated files "
            "(move hand-written files out of rendered/, base/, overlays/ and charts/)"
            for p in self.strays
        ]

    def lines(self) -> list[str]:
        lines = [f"drift: {p}" for p in self.paths] + self.stray_lines()
        if self.paths:
            lines.append(f"{len(self.paths)} generated file(s) are stale: run `gitops-gen render` (or `make render`) and commit the result")
        return lines


class ToolMissing(GeneratorError):
    """An external tool is not installed; the message says how to get it."""

    exit_code = 3
