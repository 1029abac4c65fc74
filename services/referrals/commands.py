"""What callers ask the referrals service to do: the typed input of its use cases."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from contracts.common import CaseId, Identifier
from contracts.placements import Child


class NewReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_id: CaseId
    target: Literal["network_centre", "safety_team"]
    child: Child
    child_status: Literal["placed", "placement_near"]
    case_worker_id: Identifier
    reason: str = Field(min_length=1, max_length=2000)


class AssignCaseWorker(BaseModel):
    model_config = ConfigDict(extra="forbid")

    case_worker_id: Identifier


class DeclineReferral(BaseModel):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=2000)
