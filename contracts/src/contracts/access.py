"""Case-access events: every read of case data, published by the service that served it."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from contracts.common import CaseId, ContractModel, Identifier, Municipality

AccessOutcome = Literal["granted", "denied", "not_found"]


class CaseAccessedV1(ContractModel):
    case_id: CaseId
    actor: str = Field(min_length=1, max_length=200)
    actor_municipality: Municipality
    service: Identifier
    resource: str = Field(max_length=200)
    purpose: str = Field(max_length=200)
    outcome: AccessOutcome
    municipality: Municipality | None = Field(
        None, description="the case's own municipality (absent from older events: then actor_municipality)"
    )

    def summary(self) -> str:
        return f"Case data read via {self.service} ({self.outcome})"
