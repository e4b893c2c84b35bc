"""gitops-gen: typed environment specs rendered into hardened, reviewable Kubernetes manifests.

The pipeline runs one way: ``load`` (read and validate specs) -> ``build`` (pure functions from a
spec to Kubernetes objects as plain dicts) -> ``emit`` (objects to a FileSet of text files) ->
``fileset`` (write atomically, or compare for drift). Only ``cli`` prints or exits.
"""

__version__ = "0.1.0"
