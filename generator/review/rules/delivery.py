"""Rules about what gets deployed and how: image changes, images that are not pinned, and Argo CD
automated sync switched on or off."""

from __future__ import annotations

import re
from typing import Iterator

from generator.review.risk import rule
from generator.review.rules.objects import WORKLOADS, get, paired, show

FLOATING = frozenset({"latest", "main", "master", "stable", "edge", "dev", "develop", "nightly", "head"})


def split_image(image: str) -> tuple[str, str | None, str | None]:
    """'repo:tag@sha256:x' -> ('repo', 'tag', 'sha256:x'); a port in the registry is not a tag."""
    name, _, digest = image.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return name[:colon], name[colon + 1:], digest or None
    return name, None, digest or None


def floating(image: str) -> bool:
    """True when an image has no digest and its tag can move: none, 'latest'-like, or without a digit."""
    _, tag, digest = split_image(image)
    if digest:
        return False
    return tag is None or tag.lower() in FLOATING or not re.search(r"[0-9]", tag)


@rule("image-changed", "low", kinds=WORKLOADS)
def image_changed(before: dict | None, after: dict | None) -> Iterator[str]:
    """A container of an existing workload runs another image."""
    for name, old, new in paired(before, after):
        if old is not None and old.get("image") != new.get("image"):
            yield f"container {name}: {show(old.get('image'))} -> {show(new.get('image'))}"


@rule("image-unpinned", "medium", kinds=WORKLOADS)
def image_unpinned(before: dict | None, after: dict | None) -> Iterator[str]:
    """A container's image loses its digest, or moves to a floating tag (none, 'latest', 'main'...)."""
    for name, old, new in paired(before, after):
        image = new.get("image")
        if not isinstance(image, str):
            continue
        previous = old.get("image") if old else None
        if isinstance(previous, str) and split_image(previous)[2] and not split_image(image)[2]:
            yield f"container {name}: digest dropped, {previous} -> {image}"
        elif floating(image) and not (isinstance(previous, str) and floating(previous)):
            yield f"container {name}: floating tag {image}" + (f" (was {previous})" if previous else "")


def _automated(app: dict | None):
    return get(app, "spec", "syncPolicy", "automated")


@rule("autosync-changed", "medium", kinds={"Application"})
def autosync_changed(before: dict | None, after: dict | None) -> Iterator[str]:
    """An Argo CD Application's automated sync (or its prune / self-heal) is switched on or off."""
    if before is None or after is None:
        return
    old, new = _automated(before), _automated(after)
    if (old is None) != (new is None):
        yield f"automated sync {'on' if old is not None else 'off'} -> {'on' if new is not None else 'off'}"
    elif old is not None:
        for key in ("prune", "selfHeal"):
            a, b = bool(old.get(key)), bool(new.get(key))
            if a != b:
                yield f"syncPolicy.automated.{key} {show(a)} -> {show(b)}"
