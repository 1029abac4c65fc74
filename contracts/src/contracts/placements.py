"""Inbound placement events from the municipalities' case-management systems.

Topic ``ext.placements.v1``; the contract is fixed (ARCHITECTURE §3).
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import model_validator

from contracts.common import CaseId, ContractModel, District, Identifier, Municipality
from contracts.pin import PersonalIdentityNumber

PlacementType = Literal[
    "jourhem",
    "familjehem",
    "natverkshem",
    "hvb",
    "sis",
    "stodboende",
    "behandlingsfamilj",
    "skyddat_boende",
]
PLACEMENT_TYPES: tuple[str, ...] = PlacementType.__args__  # type: ignore[attr-defined]
LegalBasis = Literal["SoL", "LVU"]
EndReason = Literal["home_return", "breakdown", "re_placement", "age_out", "other"]


class Child(ContractModel):
    pin: PersonalIdentityNumber
    protected_identity: bool


class PlacementData(ContractModel):
    placement_id: Identifier
    case_id: CaseId
    municipality: Municipality
    child: Child
    placement_type: PlacementType
    legal_basis: LegalBasis
    start_date: date
    school_change: bool
    family_home_id: Identifier | None
    district: District | None = None  # the placing municipality's city district, for reports
    case_worker_id: Identifier | None = None  # the responsible case worker, when the case system says


class PlacementStartedV1(PlacementData):
    """A child's placement outside the home has started."""

    def summary(self) -> str:
        school = ", school change" if self.school_change else ""
        return f"Placement started: {self.placement_type} under {self.legal_basis}{school}"


class PlacementChangedV1(PlacementData):
    """A running placement changed (type, legal basis, home, school)."""

    def summary(self) -> str:
        return f"Placement changed: {self.placement_type} under {self.legal_basis}"


class PlacementEndedV1(PlacementData):
    """A placement ended; ``end_reason`` tells how."""

    end_date: date
    end_reason: EndReason

    def summary(self) -> str:
        return f"Placement ended: {self.end_reason}"

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> PlacementEndedV1:
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self
