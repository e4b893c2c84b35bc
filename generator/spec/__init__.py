"""Typed, strict, frozen models of the environment specs (see ``Environment``)."""

from generator.spec.argocd import ArgoCD, Destination, Retry
from generator.spec.environment import AwsSecretsManager, DnsTarget, Environment, SecretStore
from generator.spec.network import EgressRule, IngressRule, Peer
from generator.spec.service import (
    Autoscaling,
    Disruption,
    Image,
    Probe,
    Probes,
    Resources,
    SecretSource,
    Service,
    Waiver,
)

__all__ = [
    "ArgoCD", "AwsSecretsManager", "Autoscaling", "Destination", "Disruption", "DnsTarget", "EgressRule",
    "Environment", "Image", "IngressRule", "Peer", "Probe", "Probes", "Resources", "Retry", "SecretSource",
    "SecretStore", "Service", "Waiver",
]
