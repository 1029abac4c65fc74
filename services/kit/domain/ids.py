"""Stable aggregate ids: the same parts give the same id, however often an aggregate is made.

Ids derived from what identifies a thing (a placement, a case, a referral) make a
repeated creation hit the existing aggregate (the store refuses a second version 1),
which is how consumers stay idempotent by event identity.  The text hashed is
``natverk:<part>:<part>...``; existing ids depend on it, so it never changes.
"""

from __future__ import annotations

from functools import lru_cache
from uuid import NAMESPACE_URL, UUID, uuid5


@lru_cache(maxsize=8192)  # an id is often made twice per creation (the lookup, then create_id)
def stable_id(*parts: str) -> UUID:
    return uuid5(NAMESPACE_URL, ":".join(("natverk", *parts)))


def stable_id_of_text(text: str) -> UUID:
    """For the few ids derived before the ``natverk:`` prefix (stored ids depend on their text)."""
    return uuid5(NAMESPACE_URL, text)
