"""Reviewing a change before Argo CD syncs it: what changes and what is risky about it.

- ``compare``: the objects and fields (with values) that differ between two renders;
- ``gitref``: the render of a git revision's specs (the base of a pull request);
- ``risk`` and ``rules/``: named risk rules over (before, after) objects, each with a severity;
- ``report``: the JSON, markdown (one pull-request comment) and text formats;
- ``promote``: copy images from one environment's spec into another's, comments kept;
- ``graph``: the allow graph the NetworkPolicies implement, as mermaid or dot.
"""
