"""The collaboration application: the pool, matching and shared activities on one store.

Each use case is get → check that the caller's municipality may see the object
→ call → save (STYLE §3); HTTP ones take ``(caller, ...)`` and return the object
with its viewer (``services.collaboration.results``), inbound ones the typed
contract event.  The kit's command path does roles, idempotency, who/why and
the access log around them.
"""

from __future__ import annotations

from services.collaboration.use_cases.activities import Activities
from services.collaboration.use_cases.family_homes import AlreadyRegistered
from services.collaboration.use_cases.held_places import HeldPlaces
from services.collaboration.use_cases.matching import (
    DuplicateRequest,
    Matching,
    NotOfferable,
    ProtectedChild,
)
from services.collaboration.use_cases.placements import HomePlacements
from services.collaboration.use_cases.subject_access import SubjectAccessUseCases

__all__ = [
    "AlreadyRegistered",
    "CollaborationApplication",
    "DuplicateRequest",
    "NotOfferable",
    "ProtectedChild",
]


class CollaborationApplication(SubjectAccessUseCases, HomePlacements, HeldPlaces, Matching, Activities):
    name = "collaboration"
