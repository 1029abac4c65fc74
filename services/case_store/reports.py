"""HTTP for operations: the placement statistics report and verification of every audit chain.

Only figures leave here: no case ids, no personal data.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Request
from pydantic import BaseModel

from contracts.common import MUNICIPALITIES
from services.case_store.application import CaseStoreApplication
from services.case_store.domain.statistics import placement_report
from services.kit.http import ApiError, CallerDep, require_roles

STATISTICS_ROLES = ("ops", "auditor", "coordinator")


class MunicipalityRow(BaseModel):
    municipality: str
    children: int
    by_type: dict[str, int]
    breakdowns: int
    re_placements: int
    home_returns: int
    kinship_share: float | None


class PlacementStatistics(BaseModel):
    period_from: date
    period_to: date
    municipalities: list[MunicipalityRow]


class ChainReport(BaseModel):
    timelines_checked: int
    broken: list[dict]


def build_reports_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    def application(request: Request) -> CaseStoreApplication:
        return request.app.state.runtime.app

    @router.get("/statistics/placements", response_model=PlacementStatistics)
    def placement_statistics(
        request: Request,
        caller: CallerDep,
        period_from: Annotated[date, Query(alias="from")],
        period_to: Annotated[date, Query(alias="to")],
    ) -> PlacementStatistics:
        """Children in 24-hour care by municipality and placement type, with breakdowns, re-placements,
        home returns and the kinship share.  `ops` sees every municipality; others their own."""
        require_roles(caller, *STATISTICS_ROLES)
        if period_to < period_from:
            raise ApiError(422, "invalid_request", "`to` must not be before `from`")
        visible = MUNICIPALITIES if caller.has_any_role("ops") else (caller.municipality,)
        rows = [r for r in application(request).placement_rows() if r.municipality in visible]
        figures = placement_report(rows, period_from, period_to)
        return PlacementStatistics(
            period_from=period_from,
            period_to=period_to,
            municipalities=[MunicipalityRow(**f.__dict__) for f in figures],
        )

    @router.get("/audit/verify", response_model=ChainReport)
    def verify_every_chain(request: Request, caller: CallerDep) -> ChainReport:
        """Re-check every case timeline's hash chain; names the first broken link of each broken one."""
        require_roles(caller, "ops", "auditor")
        results = application(request).verify_all()
        broken = [
            {"case_id": case_id, "first_broken_position": r.first_broken_position, "reason": r.reason}
            for case_id, r in results.items()
            if not r.ok
        ]
        if not caller.has_any_role("ops"):  # an auditor sees only its own municipality's case ids
            own = {
                case_id
                for case_id, municipality in application(request).timeline_owners()
                if municipality == caller.municipality
            }
            broken = [b for b in broken if b["case_id"] in own]
        return ChainReport(timelines_checked=len(results), broken=broken)

    return router
