"""Offline validation of objects: strict JSON schemas (``schemas``) and Pod Security Standards (``policies``)."""
