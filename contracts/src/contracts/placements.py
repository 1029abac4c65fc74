"""Inbound placement events from the municipalities' case-management systems.

Topic ``ext.placements.v1``; the contract is fixed (ARCHITECTURE §3).  Children and young
people in care are 0-20 years old, supported housing (stodboende) is for ages 16-20: a rule
JSON Schema cannot express, so the models check it and the schemas only say it.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import ValidationInfo, field_validator, model_validator

from contracts.common import CaseId, ContractModel, Day, District, Identifier, Municipality
from contracts.pin import PersonalIdentityNumber, age_on, birth_date

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
OLDEST_IN_CARE = 20  # a child (barn) is under 18, a young person (ung) 18 to 20
YOUNGEST_IN_SUPPORTED_HOUSING = 16
AGE_RULE = (
    "The child must be 0-20 years old on start_date (16-20 for stodboende), by the birth date"
    " child.pin gives: checked by the contract model, JSON Schema cannot express it."
)


def check_age_in_care(pin: str, day: date, when: str, placement_type: str = "") -> None:
    """Raise ValueError unless the child of ``pin`` is 0-20 years old on ``day`` (16-20 in
    stodboende); the message names the fields and ``when``, never the number or a date."""
    if birth_date(pin) > day:
        raise ValueError(f"child.pin gives a birth date after {when}: the child is not yet born")
    age = age_on(pin, day)
    if age > OLDEST_IN_CARE:
        raise ValueError(f"child.pin makes the child 21 or older {when}: care is for ages 0-20")
    if placement_type == "stodboende" and age < YOUNGEST_IN_SUPPORTED_HOUSING:
        raise ValueError(f"child.pin makes the child under 16 {when}: stodboende is for ages 16-20")


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
    start_date: Day
    school_change: bool
    family_home_id: Identifier | None
    district: District | None = None  # the placing municipality's city district, for reports
    case_worker_id: Identifier | None = None  # the responsible case worker, when the case system says

    @field_validator("start_date")
    @classmethod
    def _child_in_care_age(cls, start_date: date, info: ValidationInfo) -> date:
        # child and placement_type come before start_date: present here when they are valid.
        child, placement_type = info.data.get("child"), info.data.get("placement_type", "")
        if child is not None:
            check_age_in_care(child.pin, start_date, "on start_date", placement_type)
        return start_date


class PlacementStartedV1(PlacementData):
    __doc__ = f"A child's placement outside the home has started. {AGE_RULE}"

    def summary(self) -> str:
        school = ", school change" if self.school_change else ""
        return f"Placement started: {self.placement_type} under {self.legal_basis}{school}"


class PlacementChangedV1(PlacementData):
    __doc__ = f"A running placement changed (type, legal basis, home, school). {AGE_RULE}"

    def summary(self) -> str:
        return f"Placement changed: {self.placement_type} under {self.legal_basis}"


class PlacementEndedV1(PlacementData):
    __doc__ = f"A placement ended; ``end_reason`` tells how. {AGE_RULE}"

    end_date: Day
    end_reason: EndReason

    def summary(self) -> str:
        return f"Placement ended: {self.end_reason}"

    @model_validator(mode="after")
    def _ends_after_it_starts(self) -> PlacementEndedV1:
        if self.end_date < self.start_date:
            raise ValueError("end_date must not be before start_date")
        return self
