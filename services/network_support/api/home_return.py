"""/cases/{case_id}/home-return (the open or latest process) and /home-returns (all of them)."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, Field

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, CaseIdPath, DatedPhase
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import PhaseMove
from services.network_support.domain.home_return import HomeReturnProcess

router = APIRouter(prefix="/cases/{case_id}", tags=TAGS)


class HomeReturnView(BaseModel):
    case_id: str
    number: int
    phase: str
    phases: list[DatedPhase]
    outcome: str | None
    reason: str | None
    retroactive: bool
    follow_up_due: date | None = Field(
        description="while in follow_up: the day the follow-up is due (on the worklist), else null"
    )

    @classmethod
    def of(cls, process: HomeReturnProcess) -> HomeReturnView:
        return cls(
            case_id=process.case_id,
            number=process.number,
            phase=process.phase,
            phases=process.phases,
            outcome=process.outcome,
            reason=process.reason,
            retroactive=process.retroactive,
            follow_up_due=process.follow_up_due,
        )


class HomeReturnsView(BaseModel):
    case_id: str
    processes: list[HomeReturnView]

    @classmethod
    def of(cls, processes: list[HomeReturnProcess]) -> HomeReturnsView:
        return cls(case_id=processes[0].case_id, processes=[HomeReturnView.of(p) for p in processes])


@router.get("/home-return", response_model=HomeReturnView)
def get_home_return(case_id: CaseIdPath, kit: Kit) -> HomeReturnView:
    return kit.query(NetworkSupport.home_return, case_id, view=HomeReturnView, roles=READERS)


@router.post("/home-return", response_model=HomeReturnView)
def move_home_return(case_id: CaseIdPath, body: PhaseMove, kit: Kit) -> HomeReturnView:
    return kit.command(NetworkSupport.move_home_return, case_id, body, view=HomeReturnView, roles=STAFF)


@router.get("/home-returns", response_model=HomeReturnsView)
def list_home_returns(case_id: CaseIdPath, kit: Kit) -> HomeReturnsView:
    return kit.query(NetworkSupport.home_returns, case_id, view=HomeReturnsView, roles=READERS)


@router.post("/home-returns", status_code=201, response_model=HomeReturnView)
def open_home_return(case_id: CaseIdPath, body: PhaseMove, kit: Kit) -> HomeReturnView:
    return kit.command(
        NetworkSupport.open_home_return, case_id, body, view=HomeReturnView, roles=STAFF, status=201
    )
