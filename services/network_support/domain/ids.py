"""Deterministic aggregate ids: a repeated command or delivery meets the same aggregate."""

from __future__ import annotations

from uuid import NAMESPACE_URL, UUID, uuid5


def stable_id(kind: str, *parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, "natverk:network_support:" + kind + ":" + ":".join(parts))
