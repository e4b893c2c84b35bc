"""The project's one YAML emitter and its plain loader.

Output is deterministic: key order is the order the builders chose (never sorted here, never taken from a
hash), multi-line strings use literal blocks, nothing is folded, and the libyaml C emitter is used when
present. Dumper and loader are private subclasses, so no representer is registered on PyYAML's globals.
Spec files are not read here but in ``generator.load``, which needs line numbers.
"""

from __future__ import annotations

import re
from typing import Any, Iterator

import yaml

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper whose multi-line strings become literal blocks and that never writes anchors or aliases
    (a value shared by two places in a builder's output is written out twice)."""

    def ignore_aliases(self, data) -> bool:
        return True


# Plain scalars that PyYAML writes bare but Go's YAML readers (sigs.k8s.io/yaml in kubectl, Helm, Argo CD)
# take for a number or a boolean: '1e3', '0o17', '09', 'y', 'n'. They are quoted so every reader sees a string.
_GO_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?|[-+]?0[bBoOxX][0-9a-fA-F]+")
_GO_BOOL = frozenset({"y", "Y", "n", "N"})


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    if "\n" in data:
        style = "|"
    elif data in _GO_BOOL or _GO_NUMBER.fullmatch(data.replace("_", "")):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _represent_str)


def dump(obj: Any) -> str:
    """Serialize one document: block style, builder key order, LF endings, no line folding."""
    return yaml.dump(
        obj,
        Dumper=_Dumper,
        sort_keys=False,
        default_flow_style=False,
        allow_unicode=True,
        width=2**31 - 1,
        indent=2,
    )


def load_all(text: str) -> Iterator[Any]:
    """Parse every document of a multi-document stream (for generated files and tool output)."""
    return yaml.load_all(text, Loader=_BaseLoader)


def load(text: str) -> Any:
    """Parse a single document."""
    return yaml.load(text, Loader=_BaseLoader)
