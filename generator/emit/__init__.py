"""Emitters: objects to FileSets (``rendered``: plain manifests, one object per file)."""
