"""What callers ask the referrals service to do: the typed input of its use cases."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from contracts.common import CaseId, Identifier
from contracts.placements import Child, check_age_in_care
from contracts.referrals import SafetyPlanningOutcome
from services.kit.domain.swedish_time import LOCAL


class ReferredChild(Child):
    """The child referred: 0-20 years old today (Europe/Stockholm) by the birth date ``pin``
    gives, a rule JSON Schema cannot express."""

    @field_validator("pin")
    @classmethod
    def _in_care_age_today(cls, pin: str) -> str:
        check_age_in_care(pin, datetime.now(LOCAL).date(), "today")
        return pin


class NewReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId
    target: Literal["network_centre", "safety_team"]
    child: ReferredChild
    child_status: Literal["placed", "placement_near"]
    case_worker_id: Identifier
    reason: str = Field(min_length=1, max_length=2000)


class AssignCaseWorker(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_worker_id: Identifier


class DeclineReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)


class SafetyPlanningExamined(BaseModel):
    """The outcome of examining safety planning for a case: one of a closed set, no free text (it is
    published to the case timeline, and free text could carry personal data)."""

    model_config = ConfigDict(extra="forbid")

    outcome: SafetyPlanningOutcome
