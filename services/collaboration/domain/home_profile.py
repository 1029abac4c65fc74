"""What a family home can be: its kinds, capacity, ages and specialisations."""

from __future__ import annotations

SPECIALISATIONS = ("reinforced", "tfco", "emergency")
KINDS = ("recruited", "kinship")
MAX_CAPACITY = 10


class FamilyHomeError(Exception):
    """A rule of the pool was broken."""


class InvalidHome(FamilyHomeError):
    """Capacity, age range or sharing is not possible as given."""


def check_profile(
    kind: str, capacity: int, age_min: int, age_max: int, specialisations: tuple[str, ...]
) -> None:
    if kind not in KINDS:
        raise InvalidHome(f"kind must be one of {', '.join(KINDS)}")
    if not 1 <= capacity <= MAX_CAPACITY:
        raise InvalidHome(f"capacity must be 1 to {MAX_CAPACITY}")
    if not 0 <= age_min <= age_max <= 20:
        raise InvalidHome("ages must satisfy 0 <= age_min <= age_max <= 20")
    if not set(specialisations) <= set(SPECIALISATIONS):
        raise InvalidHome(f"specialisations must be among {', '.join(SPECIALISATIONS)}")
