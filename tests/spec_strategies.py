"""Hypothesis strategies for whole environment specs (as the dicts a spec file holds).

They reach every branch of the builders: several services, service-to-service allows declared on either
side, namespace and CIDR peers, secrets from two stores (AWS or Vault) with renamed keys, mounted as files
or read as variables, cluster stores, autoscaling, disruption budgets, probes with and without timings,
writable paths, waivers, canary rollouts with and without analysis, rolling update bounds, Ingress exposure,
metrics on their own port, alerts with disabled, replaced and extra rules, API access, quota overrides,
zone spread, Reloader restarts on secret change, team RoleBindings for any group name the spec allows, and
free-text values full of YAML and template syntax, control characters and non-ASCII text.
"""

from __future__ import annotations

from hypothesis import strategies as st

from generator.spec.environment import team_binding_name

SERVICE_NAMES = ["api", "web", "worker", "a", "a-b", "db-proxy"]
STORE_NAMES = ["aws-a", "vault-b"]
HOSTILE = ["", "a: b", "x\n---\ny: z", "{{ .Values.system }}", "{{- fail \"no\" }}", "# not a comment", "'\"\\",
           "<&>", "\\u003c", "y", "1e3", "0o17", "null", "- item", "é", "😀 ok", "nbsp\u00a0here", "tab\there", " lead"]
# Control and invisible characters are refused by the loader (tests/test_kustomize_steering.py), so the
# generated text avoids them: categories Cc, Cs, Cn (noncharacters), Co, Zl, Zp and the bidi/BOM formats.
_REFUSED = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(st.characters(
    blacklist_categories=["Cs", "Cc", "Cn", "Co", "Zl", "Zp"], blacklist_characters=_REFUSED), max_size=12))
NO_SPACE = st.text(st.characters(blacklist_categories=["Cs", "Zs", "Zl", "Zp", "Cc", "Cn", "Co"],
                                 blacklist_characters=_REFUSED), max_size=10)
LABEL_VALUE = st.from_regex(r"\A([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?\Z")
ENV_KEY = st.sampled_from(["LOG_LEVEL", "MODE", "GREETING", "_X", "a1"])
TAG = st.sampled_from(["1.4.2", "1e3", "0o17", "y", "latest", "v2", "09"])
DIGEST = st.just("sha256:" + "ab" * 32)
GROUP = st.one_of(
    st.sampled_from(["dev", "Ops..Team", "platform:gitops@corp", "sre_1:", "A-B", "9", "a" * 57 + ".b", "Z" * 70]),
    st.from_regex(r"\A[A-Za-z0-9][-A-Za-z0-9_.:@]{0,80}\Z"),
)


def _probe(port):
    timings = st.fixed_dictionaries(
        {},
        optional={
            "initialDelaySeconds": st.integers(0, 30),
            "periodSeconds": st.integers(1, 30),
            "timeoutSeconds": st.integers(1, 10),
            "successThreshold": st.just(1),
            "failureThreshold": st.integers(1, 30),
            "port": st.just(port),
        },
    )
    return st.builds(lambda path, t: {"path": "/" + path, **t}, NO_SPACE, timings)


def _peer(services, own):
    others = [s for s in services if s != own] or services
    return st.one_of(
        st.builds(lambda s: {"service": s}, st.sampled_from(others)),
        st.builds(lambda n: {"namespace": n}, st.sampled_from(["monitoring", "ingress-nginx"])),
        st.builds(lambda n, l: {"namespace": n, "podLabels": l}, st.just("monitoring"),
                  st.dictionaries(st.sampled_from(["app", "team"]), LABEL_VALUE, min_size=1, max_size=2)),
        st.just({"cidr": "10.0.0.0/8", "except": ["10.1.0.0/16"]}),
        st.just({"cidr": "0.0.0.0/0"}),
    )


def _rule(services, own, side):
    @st.composite
    def rule(draw):
        peer = draw(_peer(services, own))
        result = {side: peer}
        ports = draw(st.lists(st.integers(1, 65535), min_size=0 if "service" in peer else 1, max_size=2))
        if ports or "service" not in peer or draw(st.booleans()):
            result["ports"] = ports
        if draw(st.booleans()):
            result["protocols"] = draw(st.lists(st.sampled_from(["TCP", "UDP", "SCTP"]), min_size=1, max_size=2,
                                                unique=True))
        return result

    return rule()


@st.composite
def _service(draw, services, own, stores):
    port = draw(st.integers(1, 65535))
    image = {"repository": draw(st.sampled_from(["nginx", "registry.example.com/team/app"]))}
    choice = draw(st.sampled_from(["tag", "digest", "both"]))
    if choice in ("tag", "both"):
        image["tag"] = draw(TAG)
    if choice in ("digest", "both"):
        image["digest"] = draw(DIGEST)
    service = {
        "image": image,
        "port": port,
        "replicas": draw(st.integers(1, 5)),
        "resources": {"requests": {"cpu": "100m", "memory": "128Mi"}, "limits": {"cpu": "1", "memory": "1Gi"}},
        "probes": {"liveness": draw(_probe(port)), "readiness": draw(_probe(port))},
        "terminationGracePeriodSeconds": draw(st.integers(0, 60)),
        "security": {"writablePaths": draw(st.lists(st.sampled_from(["/tmp", "/var/cache/Nginx", "/x_y.z", "/é"]),
                                                    unique=True, max_size=3))},
        "env": draw(st.dictionaries(ENV_KEY, TEXT, max_size=3)),
        "dns": draw(st.booleans()),
        "ingress": draw(st.lists(_rule(services, own, "from"), max_size=2)),
        "egress": draw(st.lists(_rule(services, own, "to"), max_size=2)),
    }
    if draw(st.booleans()):
        service["probes"]["startup"] = draw(_probe(port))
    if draw(st.booleans()):
        service["servicePort"] = draw(st.integers(1, 65535))
    if draw(st.booleans()):
        service["disruption"] = draw(st.one_of(
            st.builds(lambda v: {"minAvailable": v}, st.one_of(st.integers(0, 3), st.just("50%"))),
            st.builds(lambda v: {"maxUnavailable": v, "unhealthyPodEvictionPolicy": "IfHealthyBudget"},
                      st.one_of(st.integers(0, 3), st.just("25%"))),
        ))
    if draw(st.booleans()):
        low = draw(st.integers(1, 3))
        scaling = {"minReplicas": low, "maxReplicas": low + draw(st.integers(0, 5))}
        targets = draw(st.sampled_from([(70, None), (None, 80), (60, 75)]))
        scaling["targetCpuUtilization"] = targets[0]
        if targets[1] is not None:
            scaling["targetMemoryUtilization"] = targets[1]
        service["autoscaling"] = scaling
    if stores and draw(st.booleans()):
        names = draw(st.lists(st.sampled_from(["DB_URL", "API_KEY", "Z_FIRST", "A_LAST"]), min_size=1, max_size=3,
                              unique=True))
        first = {"store": stores[0], "path": "team/" + draw(NO_SPACE.filter(lambda s: s.strip() == s)) + "x",
                 "keys": names}
        service["secrets"] = [first]
        if len(stores) > 1 and draw(st.booleans()):
            service["secrets"].append({"store": stores[1], "path": "secret/data/other",
                                       "keys": {"OTHER_KEY": draw(TEXT.filter(bool))}})
        if set(names) & set(service["env"]):
            service["env"] = {k: v for k, v in service["env"].items() if k not in names}
    if stores and draw(st.booleans()):
        files = draw(st.lists(st.sampled_from(["tls.crt", "ca-bundle", "jwt_public.pem", "MOUNTED"]), min_size=1,
                              max_size=2, unique=True))
        mounted = {"store": stores[-1], "path": "secret/data/files", "keys": {f: draw(TEXT.filter(bool)) for f in files},
                   "mountPath": draw(st.sampled_from(["/etc/tls", "/var/run/x"]))}
        service["secrets"] = draw(st.sampled_from([[mounted, *service.get("secrets", [])],
                                                   [*service.get("secrets", []), mounted]]))
    if service.get("secrets") and draw(st.booleans()):
        service["restartOnSecretChange"] = True
    if draw(st.booleans()):
        service["waivers"] = [{"check": draw(st.sampled_from(["CKV_K8S_40", "CKV_K8S_38"])),
                               "reason": "a reason: with {{ braces }} and --- dashes"}]
    if draw(st.booleans()):
        service["serviceAccount"] = {"roleArn": "arn:aws:iam::123456789012:role/app"}
    if draw(st.booleans()):
        service["rollingUpdate"] = {"maxSurge": draw(st.one_of(st.integers(0, 3), st.sampled_from(["25%", "100%", "1%"]))),
                                    "maxUnavailable": draw(st.one_of(st.integers(0, 2), st.just("10%")))}
    if draw(st.booleans()):
        service["rollout"] = {"canary": draw(_canary())}
    if draw(st.booleans()):
        service["expose"] = draw(_expose(own))
    if draw(st.booleans()):
        metrics = draw(st.fixed_dictionaries({}, optional={
            "port": st.one_of(st.just(port), st.integers(1, 65535)),
            "path": st.just("/" + draw(NO_SPACE)),
            "serviceMonitor": st.booleans(),
            "podAnnotations": st.booleans(),
            "scrapeNamespace": st.sampled_from(["monitoring", "prom"]),
        }))
        service["metrics"] = metrics
    if draw(st.booleans()):
        service["alerts"] = draw(_alerts(with_builtin="metrics" in service))
    if draw(st.booleans()):
        service["access"] = draw(_access())
    if draw(st.booleans()):
        service["spread"] = draw(st.fixed_dictionaries({}, optional={
            "zones": st.booleans(), "maxSkew": st.integers(1, 3),
            "whenUnsatisfiable": st.sampled_from(["ScheduleAnyway", "DoNotSchedule"])}))
    return service


@st.composite
def _canary(draw):
    canary = {"steps": sorted(draw(st.sets(st.integers(1, 99), min_size=1, max_size=3)))}
    if draw(st.booleans()):
        canary["pause"] = draw(st.sampled_from(["manual", "30s", "1h5m", "250ms"]))
    if draw(st.booleans()):
        canary["analysis"] = draw(st.fixed_dictionaries({}, optional={
            "successRate": st.sampled_from([0.95, 1, 1.0, 0.5, 0.999, 1e-05, 0.1 + 0.2]),
            "interval": st.just("30s"),
            "count": st.integers(1, 10),
            "failureLimit": st.integers(0, 3),
            "query": TEXT,
            "startingStep": st.integers(0, 4),
            "prometheusAddress": st.just("https://prometheus.example.com"),
        }))
    return canary


@st.composite
def _expose(draw, own):
    expose = {"host": f"{own}.example.com"}
    alb = {  # ALB-only settings (the spec refuses them for an in-cluster controller)
        "scheme": st.sampled_from(["internet-facing", "internal"]),
        "certificateArn": st.just("arn:aws:acm:eu-west-1:123456789012:certificate/abc-123"),
    }
    expose.update(draw(st.fixed_dictionaries({}, optional={
        "path": st.builds(lambda p: "/" + p, NO_SPACE),
        "pathType": st.sampled_from(["Prefix", "Exact"]),
        "ingressClassName": st.sampled_from(["alb", "internal-alb"]),
        "sslRedirect": st.booleans(),
        "annotations": st.dictionaries(st.sampled_from(["alb.ingress.kubernetes.io/scheme", "example.com/x", "z"]),
                                       TEXT, max_size=2),
    })))
    expose.update(draw(st.fixed_dictionaries({}, optional=alb)))  # both classes are ALB classes
    return expose


BUILTIN_ALERTS = ["HighErrorRate", "HighResponseLatency", "HighMemoryUsage", "HighCpuUsage", "PodRestartLooping",
                  "SLOAvailabilityBreach"]


@st.composite
def _alerts(draw, with_builtin):
    alerts = {"builtin": with_builtin and draw(st.booleans())}
    if draw(st.booleans()):
        alerts["name"] = draw(st.sampled_from(["Shop", "X1"]))
    alerts["disable"] = draw(st.lists(st.sampled_from(BUILTIN_ALERTS), max_size=3, unique=True))
    rule = st.fixed_dictionaries(
        {"alert": st.sampled_from([*BUILTIN_ALERTS, "ShopDown", "Own", "Other"]), "expr": TEXT.filter(bool)},
        optional={"for": st.sampled_from(["1m", "2h"]), "severity": st.sampled_from(["critical", "info"]),
                  "summary": TEXT, "description": TEXT},
    )
    alerts["rules"] = draw(st.lists(rule, max_size=3))
    if draw(st.booleans()):
        alerts["requestsMetric"] = "reqs_total"
    return alerts


@st.composite
def _access(draw):
    rule = st.fixed_dictionaries(
        {"apiGroups": st.lists(st.sampled_from(["", "apps", "batch"]), max_size=2, unique=True),
         "resources": st.lists(st.sampled_from(["pods", "configmaps", "leases"]), min_size=1, max_size=2, unique=True),
         "verbs": st.lists(st.sampled_from(["get", "list", "watch"]), min_size=1, max_size=3, unique=True)},
        optional={"resourceNames": st.lists(st.sampled_from(["a", "b-c"]), max_size=2, unique=True)},
    )
    return {"rules": draw(st.lists(rule, min_size=1, max_size=2)),
            "reason": "needs the API: {{ x }} --- " + draw(st.sampled_from(["leader election", "é"]))}


@st.composite
def environment_specs(draw) -> dict:
    """One complete environment spec."""
    services = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=4, unique=True))
    store_names = draw(st.lists(st.sampled_from(STORE_NAMES), max_size=2, unique=True))
    stores = {}
    for name in store_names:
        stores[name] = {"kind": draw(st.sampled_from(["SecretStore", "ClusterSecretStore"])),
                        "create": draw(st.booleans()), "refreshInterval": draw(st.sampled_from(["1h", "15m"]))}
        if name.startswith("vault") and draw(st.booleans()):
            stores[name]["vault"] = draw(st.fixed_dictionaries(
                {"server": st.just("https://vault.example.com:8200"), "role": st.just("eso")},
                optional={"path": st.just("kv"), "version": st.sampled_from(["v1", "v2"]),
                          "authMountPath": st.just("kubernetes/prod")}))
            continue
        aws = {"region": "eu-west-1"}
        if draw(st.booleans()):
            aws["roleArn"] = "arn:aws:iam::123456789012:role/eso"
        if draw(st.booleans()):
            aws["service"] = "ParameterStore"
        stores[name]["aws"] = aws
    spec = {
        "system": draw(st.sampled_from(["shop", "a-system"])),
        "namespace": draw(st.sampled_from(["shop-staging", "team-a"])),
        "namespaceLabels": draw(st.dictionaries(st.sampled_from(["team", "example.com/tier",
                                                                "app.kubernetes.io/part-of"]), LABEL_VALUE, max_size=2)),
        "secretStores": stores,
        "services": {name: draw(_service(services, name, store_names)) for name in services},
    }
    if draw(st.booleans()):
        spec["dns"] = {"namespace": "dns-system", "podLabels": {"app": "coredns", "tier": "dns"}}
    # an ALB sends from the VPC's addresses: a root exposing through it names the VPC CIDR
    spec["ingressController"] = {"vpcCidr": draw(st.sampled_from(["10.0.0.0/16", "172.16.0.0/12"]))}
    if draw(st.booleans()):
        spec["ingressController"].update(namespace="ingress", podLabels=draw(
            st.dictionaries(st.sampled_from(["app", "team"]), LABEL_VALUE, max_size=2)))
    if draw(st.booleans()):
        spec["quota"] = draw(st.fixed_dictionaries({}, optional={
            "enabled": st.booleans(), "headroomPercent": st.integers(0, 200),
            "requestsCpu": st.sampled_from(["3", "250m", "0.5"]), "limitsMemory": st.sampled_from(["4Gi", "1.5G"]),
            "pods": st.integers(1, 50)}))
    if draw(st.booleans()):
        spec["limitRange"] = {"enabled": draw(st.booleans()), "defaultLimitCpu": "2"}
    if draw(st.booleans()):
        # group names as the spec's pattern allows them, no two mapping to one RoleBinding name (the spec
        # refuses that); the fixed ones reach the slug's edges: separator runs, a trailing separator, a cut that ends in '-'
        groups = draw(st.lists(GROUP, min_size=1, max_size=3, unique_by=team_binding_name))
        spec["teams"] = {g: draw(st.sampled_from(["view", "edit", "admin"])) for g in groups}
    return spec
