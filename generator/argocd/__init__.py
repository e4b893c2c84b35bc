"""The Argo CD view of the environments: which objects point Argo CD at the right tree for each one.

``objects`` builds the AppProjects and Applications (pure), ``fleet`` the ApplicationSet of an environment
on several clusters, ``checks`` finds problems across environments.
``generator.emit.argocd`` validates them and writes them under ``rendered/argocd/``. Environments whose
spec has no ``argocd`` block get no Application.
"""
