"""Offline validation of objects: strict JSON schemas (``schemas``)."""
