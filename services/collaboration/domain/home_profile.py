"""What a family home can be: its kinds, capacity, ages and specialisations."""

from __future__ import annotations

SPECIALISATIONS = ("reinforced", "tfco", "emergency")
KINDS = ("recruited", "kinship")
MAX_CAPACITY = 10


class FamilyHomeError(Exception):
    """A rule of the pool was broken."""


class InvalidHome(FamilyHomeError):
    """Capacity, age range or sharing is not possible as given."""


class KinshipHomeNotShareable(FamilyHomeError):
    """A kinship (network) home is there for one child's network, never for partners."""


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


class OfferDoesNotFit(FamilyHomeError):
    """The home's profile does not fit what the request asks for."""


# What a requested placement type asks of a home: the specialisation it needs (None: any home).
PLACEMENT_NEEDS = {"jourhem": "emergency", "forstarkt_familjehem": "reinforced", "behandlingsfamilj": "tfco"}


def age_band_limits(age_band: str) -> tuple[int, int]:
    low, high = age_band.split("-")
    return int(low), int(high)


def check_fit(
    age_min: int,
    age_max: int,
    specialisations: tuple[str, ...],
    age_band: str,
    placement_type: str,
    needs: tuple[str, ...],
) -> None:
    """Refuse a home for a request it cannot serve; the reasons are fixed texts, never the values."""
    low, high = age_band_limits(age_band)
    if age_max < low or high < age_min:
        raise OfferDoesNotFit("the home's age range does not meet the request's age band")
    wanted = PLACEMENT_NEEDS.get(placement_type)
    if wanted is not None and wanted not in specialisations:
        raise OfferDoesNotFit("the home lacks the specialisation the requested placement type needs")
    if not {need for need in needs if need in SPECIALISATIONS} <= set(specialisations):
        raise OfferDoesNotFit("the home lacks a specialisation the request's needs name")
