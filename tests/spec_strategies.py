"""Hypothesis strategies for whole environment specs (as the dicts a spec file holds).

They reach every branch of the builders: several services, service-to-service allows declared on either
side, namespace and CIDR peers, secrets from two stores with renamed keys, cluster stores, autoscaling,
disruption budgets, probes with and without timings, writable paths, waivers, and free-text values full
of YAML and template syntax, control characters and non-ASCII text.
"""

from __future__ import annotations

from hypothesis import strategies as st

SERVICE_NAMES = ["api", "web", "worker", "a", "a-b", "db-proxy"]
STORE_NAMES = ["aws-a", "vault-b"]
HOSTILE = ["", "a: b", "x\n---\ny: z", "{{ .Values.system }}", "{{- fail \"no\" }}", "# not a comment", "'\"\\",
           "<&>", "\\u003c", "y", "1e3", "0o17", "null", "- item", "é", "😀 ok", "\x7f\x85\u2028", "tab\there", " lead"]
TEXT = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
NO_SPACE = st.text(st.characters(blacklist_categories=["Cs", "Zs", "Zl", "Zp", "Cc"]), max_size=10)
LABEL_VALUE = st.from_regex(r"\A([A-Za-z0-9]([-A-Za-z0-9_.]{0,8}[A-Za-z0-9])?)?\Z")
ENV_KEY = st.sampled_from(["LOG_LEVEL", "MODE", "GREETING", "_X", "a1"])
TAG = st.sampled_from(["1.4.2", "1e3", "0o17", "y", "latest", "v2", "09"])
DIGEST = st.just("sha256:" + "ab" * 32)


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
    if draw(st.booleans()):
        service["waivers"] = [{"check": "CKV_K8S_40", "reason": "a reason: with {{ braces }} and --- dashes"}]
    if draw(st.booleans()):
        service["serviceAccount"] = {"roleArn": "arn:aws:iam::123456789012:role/app"}
    return service


@st.composite
def environment_specs(draw) -> dict:
    """One complete environment spec."""
    services = draw(st.lists(st.sampled_from(SERVICE_NAMES), min_size=1, max_size=4, unique=True))
    store_names = draw(st.lists(st.sampled_from(STORE_NAMES), max_size=2, unique=True))
    stores = {}
    for name in store_names:
        aws = {"region": "eu-west-1"}
        if draw(st.booleans()):
            aws["roleArn"] = "arn:aws:iam::123456789012:role/eso"
        if draw(st.booleans()):
            aws["service"] = "ParameterStore"
        stores[name] = {"kind": draw(st.sampled_from(["SecretStore", "ClusterSecretStore"])),
                        "create": draw(st.booleans()), "refreshInterval": draw(st.sampled_from(["1h", "15m"])),
                        "aws": aws}
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
    return spec
