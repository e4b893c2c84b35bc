"""Golden snapshots of the rendered tree of the fixture roots (tests/fixtures/): one readable YAML file per
root and environment. The repository's own rendered/ is its own snapshot, checked by `gitops-gen test`.

Update with `pytest --snapshot-update` after reading the diff (never in CI).
"""

from __future__ import annotations

import pytest

from conftest import root_id, spec_roots
from generator.emit import rendered
from yaml_snapshot import YamlSnapshot

CASES = [
    pytest.param(root, env, id=f"{root_id(root)}-{env}")
    for root in spec_roots()
    for env in sorted(p.stem for p in (root / "environments").glob("*.yaml") if not p.name.startswith("_"))
]


@pytest.mark.parametrize(("spec_root", "env"), CASES)
def test_rendered_environment_matches_snapshot(spec_root, env, shared_renders, snapshot):
    _, result = shared_renders(spec_root)  # one render of the root for all its environments
    prefix = f"{rendered.ROOT}/{env}/"
    files = {path: text for path, text in result.files.items() if path.startswith(prefix)}
    assert files, f"environment {env} rendered no files"
    stream = "---\n".join(f"# file: {path}\n{text}" for path, text in sorted(files.items()))
    assert stream == snapshot.use_extension(YamlSnapshot)
