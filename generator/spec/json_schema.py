"""The JSON schema of ``Environment``, as Pydantic writes it (by alias), made once per process.

Three outputs start from it (the chart's ``values.schema.json``, the editor schema, the spec reference);
each takes ``environment_schema()``, a fresh deep copy it may change.
"""

from __future__ import annotations

import copy
import functools
from typing import Any

from generator.spec import Environment


@functools.cache
def _schema() -> dict[str, Any]:
    return Environment.model_json_schema(by_alias=True)


def environment_schema() -> dict[str, Any]:
    """``Environment.model_json_schema(by_alias=True)``, a copy the caller owns."""
    return copy.deepcopy(_schema())
