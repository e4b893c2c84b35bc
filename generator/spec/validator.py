"""Validation of merged environment documents into ``Environment`` models, each service mapping validated
once per load.

Environments that extend one shared layer, and the clusters of one environment, hold many service
mappings that are the very same dict objects after merging (``generator.load`` merges by reference and
never changes a document). A service validates the same wherever it sits: no validator of ``Service`` or
of anything inside it looks outside the service. So the ``Service`` model made for a mapping is handed to
pydantic in its place the next time (a model instance of the field's class is taken as it is). When that
validation fails, the document is validated again as written, so errors are exactly pydantic's own.
"""

from __future__ import annotations

from typing import Any

import pydantic

from generator.spec.environment import Environment
from generator.spec.service import Service


class SpecValidator:
    """``Environment.model_validate`` for the documents of one load, remembering each service's model by
    the identity of its mapping (the mapping is kept alive with it, so the identity is not reused)."""

    def __init__(self) -> None:
        self._services: dict[int, tuple[dict, Service]] = {}

    def environment(self, data: dict) -> Environment:
        """The model of ``data``; raises pydantic.ValidationError exactly as ``Environment.model_validate``."""
        services = data.get("services")
        known = self._known(services)
        spec = None
        if known:
            try:
                spec = Environment.model_validate({**data, "services": {**services, **known}})
            except pydantic.ValidationError:
                pass  # validated again as written below, for pydantic's own errors
        if spec is None:
            spec = Environment.model_validate(data)
        self._remember(services, spec)
        return spec

    def _known(self, services: Any) -> dict[str, Service]:
        if type(services) is not dict:
            return {}
        known = {}
        for name, mapping in services.items():
            entry = self._services.get(id(mapping))
            if entry is not None and entry[0] is mapping:
                known[name] = entry[1]
        return known

    def _remember(self, services: Any, spec: Environment) -> None:
        if type(services) is not dict:
            return
        for name, mapping in services.items():
            if type(mapping) is dict:
                self._services[id(mapping)] = (mapping, spec.services[name])
