"""The project's one YAML emitter and its plain loader.

Output is deterministic: key order is the order the builders chose (never sorted here, never taken from a
hash), multi-line strings use literal blocks, nothing is folded, and the libyaml C emitter is used when
present. Dumper and loader are private subclasses, so no representer is registered on PyYAML's globals.
Spec files are not read here but in ``generator.load``, which needs line numbers.
"""

from __future__ import annotations

from typing import Any, Iterator

import yaml

_BaseDumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Dumper(_BaseDumper):  # type: ignore[misc, valid-type]
    """Safe dumper whose multi-line strings become literal blocks and that never writes anchors or aliases
    (a value shared by two places in a builder's output is written out twice)."""

    def ignore_aliases(self, data) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    style = "|" if "\n" in data else None
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
