"""Typed, strict, frozen models of the environment specs (see ``Environment``)."""

from generator.spec.environment import AwsSecretsManager, DnsTarget, Environment, SecretStore
from generator.spec.service import (
    Autoscaling,
    Disruption,
    EgressRule,
    Image,
    IngressRule,
    Peer,
    Probe,
    Probes,
    Resources,
    SecretSource,
    Service,
    Waiver,
)

__all__ = [
    "AwsSecretsManager", "Autoscaling", "Disruption", "DnsTarget", "EgressRule", "Environment", "Image",
    "IngressRule", "Peer", "Probe", "Probes", "Resources", "SecretSource", "SecretStore", "Service", "Waiver",
]
