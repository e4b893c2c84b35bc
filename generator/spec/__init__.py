"""Typed, strict, frozen models of the environment specs (see ``Environment``)."""

from generator.spec.argocd import ArgoCD, Destination, Retry
from generator.spec.environment import AwsSecretsManager, DnsTarget, Environment, SecretStore
from generator.spec.network import EgressRule, IngressRule, Peer
from generator.spec.availability import Autoscaling, Disruption
from generator.spec.probes import Probe, Probes
from generator.spec.resources import Image, Resources
from generator.spec.secrets import SecretSource
from generator.spec.service import Service, Waiver

__all__ = [
    "ArgoCD", "AwsSecretsManager", "Autoscaling", "Destination", "Disruption", "DnsTarget", "EgressRule",
    "Environment", "Image", "IngressRule", "Peer", "Probe", "Probes", "Resources", "Retry", "SecretSource",
    "SecretStore", "Service", "Waiver",
]
