"""Each risk rule on small (before, after) objects written next to what it must say, firing and not firing."""

from __future__ import annotations

import copy

import pytest

from generator.review import rules
from generator.review.rules import access, capacity, delivery, network


def deployment(**container) -> dict:
    c = {
        "name": "web",
        "image": "registry.example.com/web:1.4.2",
        "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}},
        "livenessProbe": {"httpGet": {"path": "/", "port": 80}},
        "readinessProbe": {"httpGet": {"path": "/", "port": 80}},
        "securityContext": {"readOnlyRootFilesystem": True, "allowPrivilegeEscalation": False,
                            "capabilities": {"drop": ["ALL"]}},
        **container,
    }
    pod = {"automountServiceAccountToken": False, "containers": [c],
           "securityContext": {"runAsNonRoot": True, "seccompProfile": {"type": "RuntimeDefault"}}}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web", "namespace": "prod"},
            "spec": {"replicas": 2, "template": {"metadata": {}, "spec": pod}}}


def edit(o: dict, change) -> dict:
    o = copy.deepcopy(o)
    change(o)
    return o


def pod(o):
    return o["spec"]["template"]["spec"]


def container(o):
    return pod(o)["containers"][0]


def policy(direction: str, *rules_: dict, types=("Ingress", "Egress")) -> dict:
    spec = {"podSelector": {"matchLabels": {"app": "web"}}, "policyTypes": list(types)}
    if rules_:
        spec[direction] = list(rules_)
    return {"apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy", "metadata": {"name": "web"}, "spec": spec}


def pdb(**spec) -> dict:
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": {"name": "web"}, "spec": spec}


def role(*rule_list: dict) -> dict:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role", "metadata": {"name": "web"}, "rules": list(rule_list)}


def binding(role_name: str, *groups: str) -> dict:
    return {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding", "metadata": {"name": "team"},
            "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": role_name},
            "subjects": [{"apiGroup": "rbac.authorization.k8s.io", "kind": "Group", "name": g} for g in groups]}


def app(automated: dict | None) -> dict:
    sync = {"syncOptions": ["PruneLast=true"], **({"automated": automated} if automated is not None else {})}
    return {"apiVersion": "argoproj.io/v1alpha1", "kind": "Application", "metadata": {"name": "web-prod"},
            "spec": {"syncPolicy": sync}}


D = deployment()
TO_VPC = {"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"protocol": "TCP", "port": 5432}]}
HPA = {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler", "metadata": {"name": "web"},
       "spec": {"minReplicas": 3, "maxReplicas": 6}}
INGRESS = {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress", "metadata": {"name": "web"},
           "spec": {"rules": [{"host": "a.example.com", "http": {"paths": [{"path": "/"}]}}]}}
EXTERNAL = {"apiVersion": "external-secrets.io/v1", "kind": "ExternalSecret", "metadata": {"name": "web"},
            "spec": {"secretStoreRef": {"kind": "SecretStore", "name": "aws"},
                     "data": [{"secretKey": "DATABASE_URL", "remoteRef": {"key": "web/prod", "property": "DATABASE_URL"}}]}}

CASES = [
    # replicas-reduced
    (capacity.replicas_reduced, D, edit(D, lambda o: o["spec"].update(replicas=1)), ["spec.replicas 2 -> 1"]),
    (capacity.replicas_reduced, D, edit(D, lambda o: o["spec"].update(replicas=3)), []),
    (capacity.replicas_reduced, D, edit(D, lambda o: o["spec"].pop("replicas")), []),  # an HPA takes over
    (capacity.replicas_reduced, HPA, edit(HPA, lambda o: o["spec"].update(minReplicas=2)), ["spec.minReplicas 3 -> 2"]),
    (capacity.replicas_reduced, HPA, edit(HPA, lambda o: o["spec"].pop("minReplicas")), ["spec.minReplicas 3 -> 1"]),
    # disruption-weakened
    (capacity.disruption_weakened, pdb(minAvailable=2), pdb(minAvailable=1), ["spec.minAvailable 2 -> 1"]),
    (capacity.disruption_weakened, pdb(minAvailable="50%"), pdb(minAvailable="25%"), ["spec.minAvailable 50% -> 25%"]),
    (capacity.disruption_weakened, pdb(maxUnavailable=1), pdb(maxUnavailable=2), ["spec.maxUnavailable 1 -> 2"]),
    (capacity.disruption_weakened, pdb(minAvailable=1), None,
     ["PodDisruptionBudget removed: voluntary evictions may take every pod at once"]),
    (capacity.disruption_weakened, pdb(minAvailable=1), pdb(minAvailable=2), []),
    (capacity.disruption_weakened, None, pdb(minAvailable=1), []),
    # egress-widened / ingress-widened
    (network.egress_widened, policy("egress", TO_VPC),
     policy("egress", TO_VPC, {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}], "ports": [{"protocol": "TCP", "port": 22}]}),
     ["egress to 0.0.0.0/0 on TCP/22 newly allowed"]),
    (network.egress_widened, policy("egress", TO_VPC),
     policy("egress", {"to": [{"ipBlock": {"cidr": "10.1.0.0/16"}}], "ports": [{"protocol": "TCP", "port": 5432}]}), []),
    (network.egress_widened, policy("egress", TO_VPC), policy("egress", {"to": TO_VPC["to"]}),
     ["egress to 10.0.0.0/8 on all ports newly allowed"]),
    (network.egress_widened, policy("egress", {"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": ["169.254.0.0/16"]}}]}),
     policy("egress", {"to": [{"ipBlock": {"cidr": "0.0.0.0/0"}}]}), ["egress to 0.0.0.0/0 on all ports newly allowed"]),
    (network.egress_widened, policy("egress"), None,
     ["policy (a default-deny) removed: egress of pods app=web no longer isolated"]),
    (network.egress_widened, policy("egress", TO_VPC), policy("egress", TO_VPC, types=("Ingress",)),
     ["policy no longer restricts egress: egress of pods app=web no longer isolated"]),
    (network.ingress_widened, policy("ingress", {"from": [{"namespaceSelector": {"matchLabels": {"name": "lb"}}}],
                                                 "ports": [{"port": 80}]}),
     policy("ingress", {"from": [{"namespaceSelector": {}}], "ports": [{"port": 80}]}),
     ["ingress from every namespace on TCP/80 newly allowed"]),
    (network.ingress_widened, policy("ingress", {"from": [{"podSelector": {}}], "ports": [{"port": 80}]}),
     policy("ingress", {"from": [{"podSelector": {}}], "ports": [{"port": 80}]}), []),
    # rbac-widened
    (access.rbac_widened, None, role({"apiGroups": [""], "resources": ["secrets"], "verbs": ["get", "list"]}),
     ["new role grants get,list on secrets"]),
    (access.rbac_widened, role({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}),
     role({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "watch"]}), ["grants watch on configmaps"]),
    (access.rbac_widened, role({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "watch"]}),
     role({"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get"]}), []),
    (access.rbac_widened, None, binding("admin", "platform"), ["new binding of Group platform to ClusterRole admin"]),
    (access.rbac_widened, binding("view", "platform"), binding("admin", "platform"),
     ["roleRef ClusterRole view -> ClusterRole admin"]),
    (access.rbac_widened, binding("view", "platform"), binding("view", "platform", "contractors"),
     ["Group contractors newly bound to ClusterRole view"]),
    # privilege-raised
    (access.privilege_raised, D, edit(D, lambda o: pod(o).update(automountServiceAccountToken=True)),
     ["automountServiceAccountToken false -> true: the pod's API token is mounted"]),
    (access.privilege_raised, D, edit(D, lambda o: pod(o).pop("automountServiceAccountToken")),
     ["automountServiceAccountToken false -> true: the pod's API token is mounted"]),  # the Kubernetes default
    (access.privilege_raised, D, edit(D, lambda o: container(o)["securityContext"].update(readOnlyRootFilesystem=False)),
     ["container web: readOnlyRootFilesystem true -> false"]),
    (access.privilege_raised, D, edit(D, lambda o: pod(o)["securityContext"].pop("runAsNonRoot")),
     ["container web: runAsNonRoot true -> unset"]),
    (access.privilege_raised, D, edit(D, lambda o: pod(o)["securityContext"].update(seccompProfile={"type": "Unconfined"})),
     ["container web: seccompProfile RuntimeDefault -> Unconfined"]),
    (access.privilege_raised, D, edit(D, lambda o: container(o)["securityContext"].update(capabilities={"add": ["NET_ADMIN"]})),
     ["container web: capability NET_ADMIN added"]),
    (access.privilege_raised, D, edit(D, lambda o: container(o)["securityContext"].pop("allowPrivilegeEscalation")),
     ["container web: allowPrivilegeEscalation false -> unset"]),
    (access.privilege_raised, D, edit(D, lambda o: pod(o).update(hostNetwork=True)), ["hostNetwork false -> true"]),
    (access.privilege_raised, None, D, []),  # a new workload at the restricted baseline
    (access.privilege_raised, D, edit(D, lambda o: o["spec"].update(replicas=5)), []),
    # image-changed, image-unpinned
    (delivery.image_changed, D, edit(D, lambda o: container(o).update(image="registry.example.com/web:1.4.3")),
     ["container web: registry.example.com/web:1.4.2 -> registry.example.com/web:1.4.3"]),
    (delivery.image_changed, None, D, []),
    (delivery.image_unpinned, D, edit(D, lambda o: container(o).update(image="registry.example.com/web:latest")),
     ["container web: floating tag registry.example.com/web:latest (was registry.example.com/web:1.4.2)"]),
    (delivery.image_unpinned, edit(D, lambda o: container(o).update(image="registry.example.com/web:1.4.2@sha256:ab")), D,
     ["container web: digest dropped, registry.example.com/web:1.4.2@sha256:ab -> registry.example.com/web:1.4.2"]),
    (delivery.image_unpinned, D, edit(D, lambda o: container(o).update(image="registry.example.com:5000/web")),
     ["container web: floating tag registry.example.com:5000/web (was registry.example.com/web:1.4.2)"]),
    (delivery.image_unpinned, D, edit(D, lambda o: container(o).update(image="registry.example.com/web:1.5.0")), []),
    # secret-ref-changed
    (access.secret_ref_changed, EXTERNAL,
     edit(EXTERNAL, lambda o: o["spec"]["data"][0]["remoteRef"].update(key="web/staging")),
     ["data DATABASE_URL: web/prod.DATABASE_URL -> web/staging.DATABASE_URL"]),
    (access.secret_ref_changed, edit(D, lambda o: container(o).update(env=[
        {"name": "DB", "valueFrom": {"secretKeyRef": {"name": "web-secrets", "key": "DB"}}}])),
     edit(D, lambda o: container(o).update(env=[
         {"name": "DB", "valueFrom": {"secretKeyRef": {"name": "other-secrets", "key": "DB"}}}])),
     ["web env DB: web-secrets/DB -> other-secrets/DB"]),
    (access.secret_ref_changed, EXTERNAL, EXTERNAL, []),
    # resources-changed
    (capacity.resources_changed, D, edit(D, lambda o: container(o)["resources"]["limits"].update(memory="256Mi")),
     ["container web: limits.memory 512Mi -> 256Mi"]),
    (capacity.resources_changed, D, edit(D, lambda o: container(o)["resources"]["limits"].pop("cpu")),
     ["container web: limits.cpu 500m -> unset"]),
    (capacity.resources_changed, D, edit(D, lambda o: container(o)["resources"]["limits"].update(cpu="1")), []),
    # probe-removed
    (capacity.probe_removed, D, edit(D, lambda o: container(o).pop("readinessProbe")), ["container web: readinessProbe removed"]),
    (capacity.probe_removed, D, edit(D, lambda o: container(o).update(startupProbe={"exec": {"command": ["true"]}})), []),
    # waiver-added
    (capacity.probe_removed, D, None, []),
    (access.waiver_added, D, edit(D, lambda o: o["metadata"].update(annotations={"checkov.io/skip1": "CKV_K8S_38=needs the API"})),
     ["checkov CKV_K8S_38 skipped: needs the API"]),
    # exposure-added
    (network.exposure_added, None, INGRESS, ["Ingress newly exposes a.example.com/"]),
    (network.exposure_added, INGRESS, edit(INGRESS, lambda o: o["spec"]["rules"].append({"host": "b.example.com"})),
     ["Ingress newly exposes b.example.com/"]),
    (network.exposure_added, {"kind": "Service", "spec": {"type": "ClusterIP"}}, {"kind": "Service", "spec": {"type": "LoadBalancer"}},
     ["Service newly exposes type LoadBalancer"]),
    (network.exposure_added, INGRESS, INGRESS, []),
    # object-removed
    (capacity.object_removed, D, None, ["Deployment deleted"]),
    (capacity.object_removed, {"kind": "PersistentVolumeClaim"}, None, ["PersistentVolumeClaim deleted with its volume's data"]),
    (capacity.object_removed, None, D, []),
    # autosync-changed
    (delivery.autosync_changed, app({"prune": True, "selfHeal": True}), app(None), ["automated sync on -> off"]),
    (delivery.autosync_changed, app({"prune": True, "selfHeal": True}), app({"prune": False, "selfHeal": True}),
     ["syncPolicy.automated.prune true -> false"]),
    (delivery.autosync_changed, app(None), app(None), []),
]


@pytest.mark.parametrize(("check", "before", "after", "expected"),
                         [pytest.param(*case, id=f"{case[0].id}-{i}") for i, case in enumerate(CASES)])
def test_rule(check, before, after, expected):
    assert check(before, after) == expected


def test_every_rule_is_listed_once_with_the_ids_the_json_uses():
    assert [r.id for r in rules.RULES] == [
        "replicas-reduced", "disruption-weakened", "egress-widened", "ingress-widened", "rbac-widened",
        "privilege-raised", "image-changed", "image-unpinned", "secret-ref-changed", "resources-changed",
        "probe-removed", "waiver-added", "exposure-added", "object-removed", "autosync-changed",
    ]
    tested = {case[0].id for case in CASES if case[3]}
    assert tested == set(rules.BY_ID), "every rule has a case where it fires"
    assert {r.id for r in rules.RULES if r.severity == "low"} == {"image-changed"}
