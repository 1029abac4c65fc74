"""/cases/{case_id}/home-return: the phases of a child's way home."""

from __future__ import annotations

from fastapi import APIRouter
from pydantic import BaseModel

from services.kit.commands import Kit
from services.network_support.api.common import READERS, STAFF, TAGS, CaseIdPath, DatedPhase
from services.network_support.application import NetworkSupportApplication as NetworkSupport
from services.network_support.commands import PhaseMove
from services.network_support.domain.home_return import HomeReturnProcess

router = APIRouter(prefix="/cases/{case_id}/home-return", tags=TAGS)


class HomeReturnView(BaseModel):
    case_id: str
    phase: str
    phases: list[DatedPhase]
    retroactive: bool

    @classmethod
    def of(cls, process: HomeReturnProcess) -> HomeReturnView:
        return cls(
            case_id=process.case_id,
            phase=process.phase,
            phases=process.phases,
            retroactive=process.retroactive,
        )


@router.get("", response_model=HomeReturnView)
def get_home_return(case_id: CaseIdPath, kit: Kit) -> HomeReturnView:
    return kit.query(NetworkSupport.home_return, case_id, view=HomeReturnView, roles=READERS)


@router.post("", response_model=HomeReturnView)
def move_home_return(case_id: CaseIdPath, body: PhaseMove, kit: Kit) -> HomeReturnView:
    return kit.command(NetworkSupport.move_home_return, case_id, body, view=HomeReturnView, roles=STAFF)
